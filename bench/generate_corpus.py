"""Generate a scale corpus for benchmarks: N articles in pt, zh-Hant, zh-Hans, ja and en.

    python bench/generate_corpus.py N OUT_DIR [--seed S]

Every article is recombined from text that ships in the repository: the cleaned paragraphs
of content/articles/* (their languages detected by site_builder itself) and, for English,
bench/english_sample.txt (written for this benchmark) plus the prose of content/INDEX.md.
Sentences are shuffled into new paragraphs and articles of 1–15 KB; titles, dates, sources
and manifest metadata vary. The same N, seed and repository give the same bytes.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE_CONTENT = REPO / "content"
ENGLISH_SAMPLE = Path(__file__).resolve().parent / "english_sample.txt"

# Share of each language among the generated articles.
LANGUAGE_WEIGHTS = {"pt": 25, "zh-Hant": 20, "zh-Hans": 20, "ja": 20, "en": 15}
MIN_BYTES = 1_000
MAX_BYTES = 15_000
MARKDOWN_SHARE = 0.1  # articles written as .md (with a "# " headline) instead of .txt
OUTLETS = (
    "The Daily Ledger",
    "Tech Wire",
    "Gazeta Digital",
    "東方科技報",
    "新浪财经",
    "テック新聞",
    "Observatório de IA",
    "Pacific Business Review",
)
# Sentence ends: CJK full stops anywhere; Latin ones when followed by a space.
_SENTENCE_END = re.compile(r"(?<=[。！？])|(?<=[.!?])\s+")
_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@dataclass(frozen=True)
class Pools:
    """Sentences per language, in a fixed order."""

    sentences: dict[str, tuple[str, ...]]


def split_sentences(paragraph: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(paragraph) if part and part.strip()]


def _english_paragraphs() -> list[str]:
    paragraphs = ENGLISH_SAMPLE.read_text("utf-8").split("\n\n")
    index = (SAMPLE_CONTENT / "INDEX.md").read_text("utf-8")
    body = index.split("---", 2)[2] if index.startswith("---") else index
    for block in body.split("\n\n"):
        block = block.strip()
        if block and not block.startswith(("#", "-", "|", "`")):
            paragraphs.append(" ".join(block.replace("**", "").split()))
    return [p.strip() for p in paragraphs if p.strip()]


def load_pools() -> Pools:
    """Clean sentences of the sample articles grouped by detected language, plus English."""
    from site_builder.analysis.language_id import detect_language
    from site_builder.languages.resources import LanguageResources
    from site_builder.sources import read_source

    resources = LanguageResources()
    found: dict[str, list[str]] = {lang: [] for lang in LANGUAGE_WEIGHTS}
    for path in sorted((SAMPLE_CONTENT / "articles").iterdir()):
        if path.suffix not in (".txt", ".md"):
            continue
        source = read_source(SAMPLE_CONTENT, path.relative_to(SAMPLE_CONTENT).as_posix())
        lang = detect_language("\n\n".join(source.paragraphs), resources).lang
        if lang not in found:
            continue
        for paragraph in source.paragraphs:
            found[lang].extend(split_sentences(paragraph))
    for paragraph in _english_paragraphs():
        found["en"].extend(split_sentences(paragraph))
    pools = {lang: tuple(s for s in sentences if len(s) > 1) for lang, sentences in found.items()}
    missing = sorted(lang for lang, sentences in pools.items() if not sentences)
    if missing:
        raise SystemExit(f"no sample text for {', '.join(missing)}")
    return Pools(pools)


def _joiner(lang: str) -> str:
    return "" if lang.startswith(("zh", "ja")) else " "


def make_article(rng: random.Random, lang: str, pools: Pools) -> tuple[str, list[str]]:
    """(headline, paragraphs) of about a random size between MIN_BYTES and MAX_BYTES."""
    pool = pools.sentences[lang]
    target = rng.randint(MIN_BYTES, MAX_BYTES)
    paragraphs: list[str] = []
    size = 0
    while size < target:
        count = rng.randint(2, 5)
        start = rng.randrange(len(pool))
        # Mostly consecutive sentences (reads like prose), sometimes one from elsewhere.
        picked = [
            pool[(start + i) % len(pool)] if rng.random() < 0.8 else rng.choice(pool)
            for i in range(count)
        ]
        paragraph = _joiner(lang).join(picked)
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
    first = split_sentences(paragraphs[0])[0]
    limit = 24 if _CJK.search(first) else 70
    headline = first if len(first) <= limit else first[:limit].rstrip(" ,;:，、") + "…"
    return headline.rstrip("。.!?！？"), paragraphs


def _date(rng: random.Random) -> str:
    return f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def generate(count: int, out_dir: Path, seed: int) -> None:
    pools = load_pools()
    rng = random.Random(seed)
    languages = list(LANGUAGE_WEIGHTS)
    weights = [LANGUAGE_WEIGHTS[lang] for lang in languages]
    if out_dir.exists():
        shutil.rmtree(out_dir)
    (out_dir / "articles").mkdir(parents=True)
    digits = max(5, len(str(count - 1)))
    entries: list[str] = []
    for number in range(count):
        lang = rng.choices(languages, weights)[0]
        headline, paragraphs = make_article(rng, lang, pools)
        markdown = rng.random() < MARKDOWN_SHARE
        name = f"articles/{number:0{digits}d}.{'md' if markdown else 'txt'}"
        body = "\n\n".join(paragraphs) + "\n"
        if markdown:
            body = f"# {headline}\n\n{body}"
        (out_dir / name).write_text(body, encoding="utf-8", newline="\n")
        link_text = headline if rng.random() < 0.6 else name
        lines = [f"- [{link_text.replace('[', '(').replace(']', ')')}]({name})"]
        if rng.random() < 0.5:
            lines.append(f"  - lang: {lang}")
        if rng.random() < 0.7:
            lines.append(f"  - date: {_date(rng)}")
        if rng.random() < 0.6:
            lines.append(f"  - source: {rng.choice(OUTLETS)}")
        entries.append("\n".join(lines))
    index = (
        "---\n"
        f"title: Scale corpus ({count} articles, seed {seed})\n"
        "description: Generated by bench/generate_corpus.py from the sample articles.\n"
        "ui_language: en\n"
        "---\n\n"
        f"# Scale corpus\n\n{count} articles recombined from the sample corpus, for benchmarks.\n\n"
        "## Articles\n\n" + "\n".join(entries) + "\n"
    )
    (out_dir / "INDEX.md").write_text(index, encoding="utf-8", newline="\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("count", type=int, help="number of articles")
    parser.add_argument("out_dir", type=Path, help="content folder to create (replaced)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("N must be at least 1")
    generate(args.count, args.out_dir, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
