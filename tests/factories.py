"""Hand-made inputs for tests: content folders on disk, and analysed articles for stage
tests that must not depend on the segmenters."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from site_builder.analysis import script_for_tag
from site_builder.model import (
    Article,
    ArticleAnalysis,
    ArticleEntry,
    Keyphrase,
    LanguageGuess,
    Mention,
    OutputFile,
    ReusedFile,
    Sentence,
    SourceDocument,
)


def file_tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` (POSIX path → bytes): to compare built sites byte for byte."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def write_files(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write each file (path below `root` → text or bytes, text as UTF-8 with its own
    newlines) and return `root`."""
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8", newline="")
    return root


def analysed_article(
    path: str,
    lang: str,
    sentences: Sequence[str],
    *,
    title: str | None = None,
    entry_title: str | None = None,
    title_line: str | None = None,
    mentions: Sequence[Mention] = (),
    keyphrases: Sequence[str] = (),
    word_count: int = 100,
    slug: str | None = None,
) -> Article:
    """An article of one sentence per paragraph, analysed as the pipeline would record it."""
    entry = ArticleEntry(path=path, line=1, lang=lang, title=entry_title)
    source = SourceDocument(
        path=path,
        encoding="utf-8",
        markup="text",
        paragraphs=tuple(sentences),
        title_line=title_line,
    )
    analysis = ArticleAnalysis(
        language=LanguageGuess(lang, script_for_tag(lang), 1.0, "test"),
        title=title if title is not None else path,
        date=None,
        sentences=tuple(Sentence(text, i) for i, text in enumerate(sentences)),
        summary=(),
        summary_indexes=(),
        summary_source="automatic",
        keyphrases=tuple(Keyphrase(k, k.casefold(), 1.0) for k in keyphrases),
        mentions=tuple(mentions),
        word_count=word_count,
        reading_minutes=1,
    )
    return Article(entry=entry, source=source, analysis=analysis, slug=slug or path)


class MemoryPages:
    """A render.RenderedPages in memory that records which pages were rendered."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[str, bytes]] = {}
        self.aliases: dict[str, str] = {}  # path → its inputs' key
        self.rendered: list[str] = []

    def lookup(self, path: str, key: str) -> OutputFile | None:
        found = self.pages.get(path)
        if found is None or key not in (found[0], self.aliases.get(path)):
            return None
        return OutputFile(path, found[1])

    def record(self, path: str, key: str, data: bytes) -> None:
        self.rendered.append(path)
        self.pages[path] = (key, data)
        self.aliases.pop(path, None)

    def alias(self, path: str, key: str) -> None:
        self.aliases[path] = key


def reused_file(source: Path, path: str) -> ReusedFile:
    """The file at `source` (a published site's) handed on as the page `path`, as the
    render stage hands on an unchanged page."""
    from site_builder.search import marks_content
    from site_builder.write import file_signature

    data = source.read_bytes()
    return ReusedFile(
        path,
        source,
        hashlib.sha256(data).digest(),
        len(data),
        marks_content(data),
        file_signature(os.stat(source)),
    )


def with_first_sentence(article: Article, text: str, *, fingerprint: str = "") -> Article:
    """`article` with its first sentence's text replaced, as an edit and a new analysis
    would leave it, under a new cache key `fingerprint`."""
    sentences = list(article.analysis.sentences)
    sentences[0] = dataclasses.replace(sentences[0], text=text)
    return dataclasses.replace(
        article,
        fingerprint=fingerprint,
        analysis=dataclasses.replace(article.analysis, sentences=tuple(sentences)),
    )
