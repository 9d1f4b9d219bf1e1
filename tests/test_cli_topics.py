"""Tests for `site-builder topics` (site_builder/cli.py): the topic listing and --suggest.

Small content folders are written to tmp_path; one module-scoped run covers the sample
corpus, so the slow analysis happens once.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from site_builder.cli import main
from site_builder.topics import read_topics_file

REPO = Path(__file__).resolve().parent.parent

INDEX = """---
title: Test digest
ui_language: en
---

# Test digest

## Articles

- [A Acme compra a Globex](a.txt)
  - lang: pt
- [Acme buys Globex](b.txt)
  - lang: en
"""

PT_TEXT = """A Acme anunciou hoje que vai comprar a Globex por um valor não revelado.

Segundo a Acme, a Globex continuará a operar com a sua marca. O fundador Zubrowski disse que a \
venda era esperada.

Zubrowski fundou a empresa há vinte anos. Para Zubrowski, a Acme é a compradora certa.
"""

EN_TEXT = """Acme said on Monday that it would buy Globex for an undisclosed sum.

Globex will keep its brand, according to Acme. Analysts expect the deal to close next year.
"""


def _content(tmp_path: Path, topics_yaml: str | None = None) -> Path:
    content = tmp_path / "content"
    content.mkdir()
    (content / "INDEX.md").write_text(INDEX, encoding="utf-8")
    (content / "a.txt").write_text(PT_TEXT, encoding="utf-8")
    (content / "b.txt").write_text(EN_TEXT, encoding="utf-8")
    if topics_yaml is not None:
        (content / "topics.yaml").write_text(topics_yaml, encoding="utf-8")
    return content


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, ["topics", *args], catch_exceptions=False)


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The small folder, run once per output kind; and proof that nothing was written."""
    content = _content(tmp_path_factory.mktemp("small"))
    before = _snapshot(content.parent)
    results = {
        "text": _run(str(content)),
        "json": _run(str(content), "--format", "json"),
        "suggest": _run(str(content), "--suggest"),
        "suggest_json": _run(str(content), "--suggest", "--format", "json"),
    }
    return {"content": content, "before": before, "after": _snapshot(content.parent), **results}


def test_topics_text_lists_topics_names_articles_and_reasons(small: dict[str, Any]) -> None:
    result: Result = small["text"]
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert re.match(r"\d+ topics in 2 articles\n", out)
    block = out[out.index("\nAcme  (") :].split("\n\n", 1)[0]
    assert "key: acme" in block
    assert "  en: Acme" in block and "  pt: Acme" in block
    assert "- a.txt [pt]" in block and "- b.txt [en]" in block
    assert "same Latin name" in block


def test_topics_json(small: dict[str, Any]) -> None:
    result: Result = small["json"]
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["articles"] == 2
    by_key = {t["key"]: t for t in data["topics"]}
    acme = by_key["acme"]
    assert acme["languages"] == ["en", "pt"]
    assert acme["names"] == {"en": ["Acme"], "pt": ["Acme"]}
    assert {m["article"]: m["lang"] for m in acme["members"]} == {"a.txt": "pt", "b.txt": "en"}
    assert all(m["reason"] for m in acme["members"])
    assert all(m["sentences"] for m in acme["members"])
    # most covered first: two-language topics before the one-language name
    languages = [len(t["languages"]) for t in data["topics"]]
    assert languages == sorted(languages, reverse=True)


def test_suggest_lists_unlinked_salient_terms(small: dict[str, Any]) -> None:
    result: Result = small["suggest"]
    assert result.exit_code == 0, result.output
    out = result.stdout
    pt_part = out[out.index("a.txt [pt]") : out.index("b.txt [en]")]
    terms = [line.split("  (", 1)[0].strip() for line in pt_part.splitlines()[1:] if line]
    assert terms[0] == "Zubrowski"  # a pt-only name in three sentences, in a one-language topic
    assert "topic zubrowski (one language), keyphrase 1.00, 3 sentences" in pt_part
    assert "Acme" not in terms and "Globex" not in terms  # linked to en: not suggested


def test_suggest_yaml_skeleton_is_valid_topics_yaml(small: dict[str, Any], tmp_path: Path) -> None:
    data = json.loads(small["suggest_json"].stdout)
    skeleton = data["yaml"]
    assert small["suggest"].stdout.rstrip("\n").endswith(skeleton.rstrip("\n"))
    parsed = yaml.safe_load(skeleton)
    entry = next(t for t in parsed["topics"] if t["name"] == "Zubrowski")
    assert entry["aliases"] == {"pt": ["Zubrowski"]}
    assert "# en: []" in skeleton  # the other language, ready to fill in
    # the topics stage accepts it as it is
    (tmp_path / "topics.yaml").write_text(skeleton, encoding="utf-8")
    declared = read_topics_file(tmp_path)
    assert "Zubrowski" in [d.name for d in declared]
    terms = {t["text"]: t for a in data["articles"] for t in a["terms"]}
    assert terms["Zubrowski"]["sentences"] == 3
    assert "Acme" not in terms


def test_topics_writes_nothing(small: dict[str, Any]) -> None:
    assert small["after"] == small["before"]


def test_bad_topics_yaml_exits_1_with_file_and_line(tmp_path: Path) -> None:
    content = _content(tmp_path, "topics:\n  - name: Acme\n    kind: company\n")
    result = CliRunner().invoke(main, ["topics", str(content)])
    assert result.exit_code == 1
    assert "topics.yaml:3" in result.stderr
    assert "Traceback" not in result.output


def test_missing_content_folder_exits_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["topics", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "does not exist" in result.stderr


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["topics", str(tmp_path), "--format", "xml"])
    assert result.exit_code == 2


# --- the sample corpus, analysed once ------------------------------------------------


@pytest.fixture(scope="module")
def sample_suggest() -> dict[str, Any]:
    result = _run(str(REPO / "content"), "--suggest", "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_sample_suggestions(sample_suggest: dict[str, Any], tmp_path: Path) -> None:
    articles = sample_suggest["articles"]
    assert len(articles) == 5
    texts = {t["text"].casefold() for a in articles for t in a["terms"]}
    # names linked across languages are never suggested, nor the suppressed ones
    for linked in ("deepseek", "nvidia", "openai", "anthropic", "英伟达", "ai", "ia"):
        assert linked not in texts, linked
    for article in articles:
        assert len(article["terms"]) <= 12
        for term in article["terms"]:
            assert term["sentences"] > 0 or term["keyphrase_score"] is not None
    (tmp_path / "topics.yaml").write_text(sample_suggest["yaml"], encoding="utf-8")
    assert read_topics_file(tmp_path)  # a valid topics.yaml as printed
