"""Frozen data passed between pipeline stages.

manifest → sources → analysis → topics → site model → render → write.
Each stage is a plain function taking and returning these records; nothing here holds
mutable state, so a record can be hashed, cached and compared between builds.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

# --- manifest (INDEX.md) -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """Site-wide settings from the YAML front matter of INDEX.md."""

    title: str
    description: str = ""
    base_url: str = ""  # absolute URL of the site root, "" for relative-only output
    ui_language: str = "en"  # language of the interface strings (navigation, labels)
    author: str = ""
    summary_sentences: int = 3  # upper bound on sentences in an automatic summary
    keyphrases: int = 8  # keyphrases shown per article
    page_size: int = 50  # articles per page of the home and language pages
    topic_page_size: int = 50  # articles of each language per page of a topic


@dataclass(frozen=True, slots=True)
class ArticleEntry:
    """One article as listed in INDEX.md; every metadata field is optional."""

    path: str  # POSIX path relative to the content folder
    line: int  # 1-based line of the entry in INDEX.md
    title: str | None = None
    lang: str | None = None
    source: str | None = None
    author: str | None = None
    date: str | None = None  # ISO 8601 date (YYYY-MM-DD)
    url: str | None = None  # the original article on the web
    summary: str | None = None  # editor's summary; beats <!--more--> and the automatic one
    slug: str | None = None


@dataclass(frozen=True, slots=True)
class Manifest:
    index_path: str  # path of INDEX.md as given to the build (for messages)
    config: SiteConfig
    prose_markdown: str  # INDEX.md body with the article list items taken out
    entries: tuple[ArticleEntry, ...]


# --- sources (bytes → clean text) ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class RemovedBlock:
    """Text that the cleaner dropped, kept so that nothing is lost silently."""

    text: str
    reason: str  # which rule removed it, e.g. "trailing link list", "share buttons"


@dataclass(frozen=True, slots=True)
class SourceDocument:
    path: str  # POSIX path relative to the content folder
    encoding: str  # detected encoding of the bytes, e.g. "utf-8", "gb18030"
    markup: Literal["text", "markdown"]
    paragraphs: tuple[str, ...]  # clean plain-text paragraphs, in order
    markdown: str | None = None  # the Markdown body (for .md sources), boilerplate kept out
    more_summary: str | None = None  # text before <!--more-->, if the author placed one
    front_matter: tuple[tuple[str, str], ...] = ()  # key/value pairs of a .md front matter
    removed: tuple[RemovedBlock, ...] = ()
    # the article's own headline when its first short line looks like one (not in paragraphs)
    title_line: str | None = None


# --- analysis ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # surface form as written
    norm: str  # normalised form used for counting (lower case, Simplified Han, lemma …)
    pos: str  # coarse part of speech: NOUN, PROPN, VERB, ADJ, NUM, PUNCT, X …
    is_stop: bool = False


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    paragraph: int  # index into SourceDocument.paragraphs


@dataclass(frozen=True, slots=True)
class Keyphrase:
    text: str  # as it appears in the article
    norm: str  # key used for matching across articles
    score: float


MentionKind = Literal[
    "person", "organization", "place", "product", "event", "theme", "figure", "other"
]


@dataclass(frozen=True, slots=True)
class Mention:
    """A named thing or term found in an article, a candidate for a topic."""

    text: str  # surface form as written in the article
    kind: MentionKind
    sentences: tuple[int, ...]  # indexes into ArticleAnalysis.sentences
    source: str  # which signal found it: "jieba:nt", "sudachi:固有名詞", "capitalised", …


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    lang: str  # BCP 47 tag: "pt", "ja", "zh-Hans", "zh-Hant", "en", …
    script: str  # ISO 15924: "Latn", "Jpan", "Hans", "Hant", …
    confidence: float
    method: str  # how it was decided, for the record (e.g. "py3langid+opencc-vote")


@dataclass(frozen=True, slots=True)
class ArticleAnalysis:
    language: LanguageGuess
    title: str  # from the manifest, else derived from the text
    date: str | None  # ISO date from the manifest, else found in the text
    sentences: tuple[Sentence, ...]
    summary: tuple[str, ...]  # summary text, one item per sentence or paragraph
    summary_indexes: tuple[int, ...]  # sentence indexes when extracted automatically, else ()
    summary_source: Literal["manifest", "more", "automatic"]
    keyphrases: tuple[Keyphrase, ...]
    mentions: tuple[Mention, ...]
    word_count: int  # words for Latin scripts, characters for CJK
    reading_minutes: int


# --- topics --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TopicMember:
    """One article under a topic, with what it says about it."""

    article: str  # article path (the article's stable identity)
    surfaces: tuple[str, ...]  # forms found in this article
    sentences: tuple[int, ...]  # sentences of the article that mention the topic
    reason: str  # why this article was linked: the alias, rule or lexicon entry


@dataclass(frozen=True, slots=True)
class Topic:
    key: str  # normalised linking key, unique in the site
    name: str  # display name
    kind: MentionKind
    names: tuple[tuple[str, tuple[str, ...]], ...]  # (lang, forms) per language, sorted
    members: tuple[TopicMember, ...]
    declared: bool = False  # declared by the editor in topics.yaml

    def __reduce__(self) -> tuple[Callable[..., Topic], tuple[object, ...]]:
        # Pickled by columns, not member by member: a 10,000-article site's topics were
        # 2.3 million objects, and the pickler's memo of them (one entry for each) was
        # 100 MB at the peak of its build whenever the cache stored them. Now a few
        # tuples per topic; the members' equal forms and reasons are loaded as one.
        forms: dict[tuple[str, ...], int] = {}
        reasons: dict[str, int] = {}
        for member in self.members:
            forms.setdefault(member.surfaces, len(forms))
            reasons.setdefault(member.reason, len(reasons))
        members = self.members
        return (
            topic_from_columns,
            (
                self.key,
                self.name,
                self.kind,
                self.names,
                self.declared,
                tuple(member.article for member in members),
                tuple(forms),
                tuple(forms[member.surfaces] for member in members),
                tuple(reasons),
                tuple(reasons[member.reason] for member in members),
                tuple(len(member.sentences) for member in members),
                tuple(index for member in members for index in member.sentences),
            ),
        )


def topic_from_columns(
    key: str,
    name: str,
    kind: MentionKind,
    names: tuple[tuple[str, tuple[str, ...]], ...],
    declared: bool,
    articles: tuple[str, ...],
    forms: tuple[tuple[str, ...], ...],
    form_of: tuple[int, ...],
    reasons: tuple[str, ...],
    reason_of: tuple[int, ...],
    sentence_counts: tuple[int, ...],
    sentences: tuple[int, ...],
) -> Topic:
    """The Topic that Topic.__reduce__ pickled."""
    members = []
    start = 0
    for article, form, reason, count in zip(
        articles, form_of, reason_of, sentence_counts, strict=True
    ):
        members.append(
            TopicMember(article, forms[form], sentences[start : start + count], reasons[reason])
        )
        start += count
    if start != len(sentences):
        raise ValueError("the sentence column does not match the sentence counts")
    return Topic(key, name, kind, names, tuple(members), declared)


@dataclass(frozen=True, slots=True)
class TopicAlias:
    """An editor-declared topic from topics.yaml."""

    key: str
    name: str
    kind: MentionKind
    aliases: tuple[tuple[str, tuple[str, ...]], ...]  # (lang or "*", forms)
    line: int
    suppress: bool = False


# --- the whole build -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Article:
    entry: ArticleEntry
    source: SourceDocument
    analysis: ArticleAnalysis
    slug: str
    # The build cache's key of (source, analysis): equal keys, equal source and analysis.
    # "" when there is no key to trust (no cache, or the file changed while it was read).
    fingerprint: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class StoryLink:
    """Two articles in different languages that cover the same story."""

    article: str  # article path
    other: str  # article path, in another language
    score: float  # strength of the evidence, 0..1
    evidence: tuple[str, ...]  # shared topic keys and figures that support the link


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A warning or error tied to a place in the user's files."""

    severity: Literal["warning", "error"]
    message: str
    path: str | None = None
    line: int | None = None

    def format(self) -> str:
        where = self.path or ""
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        prefix = f"{where}: " if where else ""
        return f"{prefix}{self.severity}: {self.message}"


@dataclass(frozen=True, slots=True)
class Digest:
    """Everything the site is made from, after analysis and topic linking."""

    manifest: Manifest
    articles: tuple[Article, ...]
    topics: tuple[Topic, ...]
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    stories: tuple[StoryLink, ...] = field(default=())  # both directions, sorted


@dataclass(frozen=True, slots=True)
class OutputFile:
    """One file of the built site: its path under the output folder and its bytes."""

    path: str  # POSIX, relative to the output folder, e.g. "articles/deepseek-r1/index.html"
    data: bytes

    @property
    def sha256(self) -> bytes:
        """SHA-256 of the bytes (as ReusedFile knows it), by which later stages know them."""
        return hashlib.sha256(self.data).digest()


@dataclass(frozen=True, slots=True)
class ReusedFile:
    """A file of the built site whose bytes are those of a file the previous build wrote
    (`source`, in the output folder), known by their SHA-256 and not read unless `data`
    is asked for: staging hard-links it, the link check and the search index look it up
    by digest (a one-article rebuild of 10,000 articles read 17,000 such pages three
    times)."""

    path: str  # POSIX, relative to the output folder
    source: Path
    sha256: bytes  # of the bytes, as hashlib's digest()
    size: int
    marked_for_search: bool  # the page marks content for the search index (search.marks_content)
    signature: tuple[int, int, int]  # of `source` when its bytes were known (write.FileSignature)

    @property
    def data(self) -> bytes:
        return self.source.read_bytes()


# A file of the built site, as the render stage hands it to the write stage.
SiteFile = OutputFile | ReusedFile


def _quick_state(kind: type) -> None:
    """Give a record the pickled state dataclasses gives it (its fields' values, in
    order), through its field names taken once: dataclasses' own __setstate__ asks
    dataclasses.fields() for every record loaded, which was a tenth of loading a large
    site's cached analyses."""
    names = tuple(item.name for item in dataclasses.fields(kind))
    set_field = object.__setattr__  # the records are frozen

    def __getstate__(self: object) -> list[object]:
        return [getattr(self, name) for name in names]

    def __setstate__(self: object, state: list[object]) -> None:
        for name, value in zip(names, state, strict=True):
            set_field(self, name, value)

    setattr(kind, "__getstate__", __getstate__)  # noqa: B010 (a method, not a field)
    setattr(kind, "__setstate__", __setstate__)  # noqa: B010


for _kind in list(globals().values()):
    if (
        isinstance(_kind, type)
        and _kind.__module__ == __name__
        and dataclasses.is_dataclass(_kind)
        and "__setstate__" in vars(_kind)  # slotted, with dataclasses' state methods
    ):
        _quick_state(_kind)
del _kind
