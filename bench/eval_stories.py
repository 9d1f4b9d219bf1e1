"""Measure "this story in other languages" (site_builder.stories) against a gold file.

    python bench/eval_stories.py [--articles DIR] [--gold FILE]

Defaults: ../shared/eval/stories-dev (relative to the repository), whose README describes
the data: one plain-text article per file, gold.json mapping each file to {story, lang}.
The articles are copied into a temporary content folder with a generated INDEX.md, the
digest is loaded as a build would, and the links are scored as pairwise precision,
recall and F1 over unordered cross-language pairs, next to the naive baseline (link two
articles sharing at least K capitalised Latin words or numbers) computed in the same run.
The decision rule is also shown at other thresholds, so that tuning to this set shows.
Nothing of the evaluation data is written inside the repository.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable
from itertools import combinations
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from site_builder.manifest import InitItem, render_index_markdown  # noqa: E402
from site_builder.model import Digest  # noqa: E402
from site_builder.pipeline import load_digest  # noqa: E402
from site_builder.stories import (  # noqa: E402
    MIN_SCORE,
    RELATIVE_TO_BEST,
    decide_story_links,
    score_story_pairs,
    story_pairs,
)

DEFAULT_SET = REPO.parent / "shared" / "eval" / "stories-dev"
Pair = tuple[str, str]

# Boundaries by hand: "\b" finds no boundary between "2018" and "年".
_BASELINE_TOKEN = re.compile(
    r"(?<![0-9A-Za-z\u00c0-\u024f])(?:[A-Z][A-Za-z\u00c0-\u024f]+|\d+)(?![0-9A-Za-z\u00c0-\u024f])"
)


def prepare_content(articles: Path, target: Path) -> None:
    """content/articles/<files> and an INDEX.md listing them (title: first line; the
    language is left to the analysis, as for a folder nobody has annotated)."""
    folder = target / "articles"
    folder.mkdir(parents=True)
    items = []
    for source in sorted(articles.iterdir()):
        if source.suffix not in (".txt", ".md"):
            continue
        shutil.copyfile(source, folder / source.name)
        first_line = source.read_text(encoding="utf-8").split("\n", 1)[0].strip()
        items.append(InitItem(path=f"articles/{source.name}", title=first_line or None, lang=None))
    (target / "INDEX.md").write_text(render_index_markdown("stories eval", items), "utf-8")


def gold_pairs(gold: dict[str, dict[str, str]], paths: Iterable[str]) -> set[Pair]:
    story = {path: gold[Path(path).name]["story"] for path in paths}
    lang = {path: gold[Path(path).name]["lang"] for path in paths}
    return {
        (a, b)
        for a, b in combinations(sorted(story), 2)
        if story[a] == story[b] and lang[a] != lang[b]
    }


def baseline_pairs(digest: Digest, gold_lang: dict[str, str], k: int) -> set[Pair]:
    """The README's naive baseline: ≥ k shared capitalised Latin words or numbers."""
    tokens = {}
    for article in digest.articles:
        text = "\n".join(
            [article.source.title_line or "", *(s.text for s in article.analysis.sentences)]
        )
        tokens[article.entry.path] = set(
            _BASELINE_TOKEN.findall(unicodedata.normalize("NFKC", text))
        )
    return {
        (a, b)
        for a, b in combinations(sorted(tokens), 2)
        if gold_lang[a] != gold_lang[b] and len(tokens[a] & tokens[b]) >= k
    }


def prf(predicted: set[Pair], gold: set[Pair]) -> tuple[float, float, float]:
    hits = len(predicted & gold)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return precision, recall, f1


def line(label: str, predicted: set[Pair], gold: set[Pair]) -> str:
    p, r, f = prf(predicted, gold)
    return f"{label:<34} P {p:.3f}  R {r:.3f}  F1 {f:.3f}  ({len(predicted)} pairs)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=Path, default=DEFAULT_SET / "articles")
    parser.add_argument("--gold", type=Path, default=DEFAULT_SET / "gold.json")
    parser.add_argument("--errors", action="store_true", help="list missed and wrong pairs")
    args = parser.parse_args()
    gold = json.loads(args.gold.read_text(encoding="utf-8"))

    with tempfile.TemporaryDirectory() as temp:
        content = Path(temp) / "content"
        prepare_content(args.articles, content)
        start = time.perf_counter()
        digest = load_digest(content)
        load_seconds = time.perf_counter() - start
    paths = [a.entry.path for a in digest.articles]
    gold_lang = {path: gold[Path(path).name]["lang"] for path in paths}
    truth = gold_pairs(gold, paths)

    start = time.perf_counter()
    scored = score_story_pairs(digest.articles, digest.topics)
    links = decide_story_links(scored)
    link_seconds = time.perf_counter() - start
    predicted = story_pairs(links)

    detected = Counter(
        (gold_lang[a.entry.path], a.analysis.language.lang)
        for a in digest.articles
        if gold_lang[a.entry.path] != a.analysis.language.lang
    )
    print(
        f"{len(paths)} articles, {len(truth)} gold cross-language pairs, "
        f"{len(digest.topics)} topics, {len(scored)} candidate pairs scored"
    )
    if detected:
        print(f"language detection disagrees with gold: {dict(sorted(detected.items()))}")
    print()
    print(line(f"link_stories (min {MIN_SCORE}, rel {RELATIVE_TO_BEST})", predicted, truth))
    for k in (2, 3):
        print(line(f"baseline K={k}", baseline_pairs(digest, gold_lang, k), truth))

    print("\nsame scores, other decision parameters:")
    for min_score in (0.2, 0.3, 0.4, 0.5):
        for relative in (1.0, 0.8):
            other = story_pairs(
                decide_story_links(scored, min_score=min_score, relative_to_best=relative)
            )
            print(line(f"  min {min_score}, rel {relative}", other, truth))

    print("\nper language pair (link_stories):")

    def lang_pair(pair: Pair) -> tuple[str, str]:
        first, second = sorted((gold_lang[pair[0]], gold_lang[pair[1]]))
        return first, second

    for key in sorted({lang_pair(p) for p in truth | predicted}):
        sub_truth = {p for p in truth if lang_pair(p) == key}
        sub_pred = {p for p in predicted if lang_pair(p) == key}
        print(line(f"  {key[0]}–{key[1]} (gold {len(sub_truth)})", sub_pred, sub_truth))

    print(
        f"\ntiming: load_digest {load_seconds:.1f} s; "
        f"score + decide {link_seconds * 1000:.0f} ms for {len(paths)} articles"
    )

    if args.errors:
        story = {path: gold[Path(path).name]["story"] for path in paths}
        by_pair = {(s.article, s.other): s for s in scored}
        print("\nmissed (gold, not linked):")
        for pair in sorted(truth - predicted):
            found = by_pair.get(pair)
            detail = f"{found.score:.3f} {list(found.evidence)}" if found else "not a candidate"
            print(f"  {story[pair[0]]} {lang_pair(pair)} {pair[0]} {pair[1]}: {detail}")
        print("wrong (linked, not gold):")
        for pair in sorted(predicted - truth):
            found = by_pair[pair]
            print(
                f"  {story[pair[0]]}≠{story[pair[1]]} {lang_pair(pair)}: "
                f"{found.score:.3f} {list(found.evidence)}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
