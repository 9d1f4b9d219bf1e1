"""Precision/recall/F1 of article→topic assignment on the sample corpus.

Gold: tests/data/sample_topics_gold.yaml (hand-made: which seed articles mention each
named thing or theme, and its written forms). Each gold entry is matched, among the
produced topics that carry one of its forms, to the one with the best overlap of
articles (Jaccard, ties by name); pairs (gold entry, article) are then counted:
true positive when the matched topic has the article, false positive when the matched
topic has an article the gold does not list, false negative when a gold article is
missing. An entry matching no topic contributes only false negatives. Runs twice: with
content/topics.yaml and with it removed.

    python bench/eval_topics.py
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_builder.languages.resources import LanguageResources  # noqa: E402
from site_builder.pipeline import load_digest  # noqa: E402


def short(path: str) -> str:
    found = re.search(r"(\d{3})_[^/]*$", path)
    return found.group(1) if found else path


def evaluate(content: Path, gold: dict[str, Any], resources: LanguageResources) -> None:
    topics = load_digest(content, resources).topics
    produced = {t.name: {short(m.article) for m in t.members} for t in topics}
    forms = {t.name: {f.casefold() for _, fs in t.names for f in fs} for t in topics}
    tp = fp = fn = 0
    for entity in sorted(gold):
        truth = {str(a) for a in gold[entity]["articles"]}
        wanted = {str(f).casefold() for f in gold[entity]["forms"]}
        best_name, best_score = None, 0.0
        for name in sorted(produced):
            if not wanted & forms[name]:
                continue
            got = produced[name]
            score = len(truth & got) / len(truth | got)
            if score > best_score:
                best_name, best_score = name, score
        got = produced.get(best_name, set()) if best_name else set()
        tp += len(truth & got)
        fp += len(got - truth)
        fn += len(truth - got)
        mark = "ok " if got == truth else "   "
        print(f"  {mark}{entity:24} gold {sorted(truth)}  topic {best_name!r} {sorted(got)}")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"  topics={len(topics)} P={precision:.3f} R={recall:.3f} F1={f1:.3f}")


def main() -> None:
    gold_file = ROOT / "tests" / "data" / "sample_topics_gold.yaml"
    gold = yaml.safe_load(gold_file.read_text(encoding="utf-8"))
    resources = LanguageResources()
    print("with content/topics.yaml")
    evaluate(ROOT / "content", gold, resources)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "content"
        shutil.copytree(ROOT / "content", copy)
        (copy / "topics.yaml").unlink()
        print("without topics.yaml")
        evaluate(copy, gold, resources)


if __name__ == "__main__":
    main()
