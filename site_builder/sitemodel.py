"""Site model: slugs, page paths and the view records the templates read.

Every page has an output path such as "articles/<slug>/index.html". Links between pages
are made relative by the renderer (`relative_url`), so the site works from file:// and
under any subpath. HTML fields (`*_html`) hold Markup that was escaped here or by
`render_markdown`; everything else is plain text that the templates escape.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import math
import posixpath
import re
import unicodedata
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from types import MappingProxyType
from typing import Literal, get_args, overload

import numpy as np
import numpy.typing as npt
from markupsafe import Markup

from .arrays import sorted_distinct
from .fingerprints import fields_of_record, value_digest
from .markdown import is_safe_url, render_markdown, split_prose
from .model import Article, Digest, MentionKind, SiteConfig, StoryLink, Topic, TopicMember

__all__ = [
    "LANGUAGE_NAMES",
    "RESERVED_SLUGS",
    "ArticleBody",
    "ArticleCard",
    "ArticlePage",
    "BarSegment",
    "CoverageCell",
    "CoverageMatrix",
    "CoverageRow",
    "Crumb",
    "HomePage",
    "KeyphraseLink",
    "LanguageLink",
    "LanguagePage",
    "LanguagesPage",
    "NotFoundPage",
    "Page",
    "PageBody",
    "Paragraph",
    "RelatedTopic",
    "SentenceView",
    "SiteModel",
    "StoryView",
    "SummaryItem",
    "TopicGroup",
    "TopicIndexEntry",
    "TopicIndexPage",
    "TopicLink",
    "TopicMemberView",
    "TopicNames",
    "TopicPage",
    "TopicSection",
    "assign_slugs",
    "assign_topic_slugs",
    "build_site_model",
    "canonical_url",
    "directory_path",
    "fit_label",
    "highlight_mentions",
    "language_name",
    "related_topics",
    "relative_url",
    "slugify",
    "topic_display_name",
    "urls_from",
]

MAX_SLUG_LENGTH = 60
# Names that clash with the site's own folders, with index pages, or with device
# names that Windows refuses as file or folder names.
RESERVED_SLUGS = frozenset(
    {"index", "articles", "topics", "languages", "static", "search", "con", "prn", "aux", "nul"}
    | {f"com{n}" for n in range(10)}
    | {f"lpt{n}" for n in range(10)}
)
# Letters that NFKD does not take apart into an ASCII base letter plus marks.
_LATIN_EXTRAS = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ł": "l",
        "Ł": "l",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
        "Þ": "th",
        "ð": "d",
        "Ð": "d",
        "ı": "i",
    }
)
_APOSTROPHES = re.compile(r"['’ʼ]")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
# Articles whose title yields fewer Latin characters than this (CJK titles with a brand
# name or two) get a hash of their path, because such short slugs collide easily.
_SHORT_LATIN_SLUG = 12
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Scripts written without spaces between words or sentences.
_UNSPACED_LANGS = ("zh", "ja")
# Interface languages whose readers expect names in their own script.
_CJK_LANGS = ("zh", "ja", "ko")

LANGUAGE_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "ar": "العربية",
        "de": "Deutsch",
        "en": "English",
        "es": "Español",
        "fr": "Français",
        "hi": "हिन्दी",
        "id": "Bahasa Indonesia",
        "it": "Italiano",
        "ja": "日本語",
        "ko": "한국어",
        "nl": "Nederlands",
        "pl": "Polski",
        "pt": "Português",
        "pt-BR": "Português (Brasil)",
        "pt-PT": "Português (Portugal)",
        "ru": "Русский",
        "th": "ไทย",
        "tr": "Türkçe",
        "uk": "Українська",
        "vi": "Tiếng Việt",
        "zh": "中文",
        "zh-Hans": "中文（简体）",
        "zh-Hant": "中文（繁體）",
    }
)

KIND_ORDER: tuple[MentionKind, ...] = get_args(MentionKind)
# Order of the kind groups on the topic index: who and what before where and when.
INDEX_KIND_ORDER: tuple[MentionKind, ...] = (
    "person",
    "organization",
    "product",
    "place",
    "event",
    "theme",
    "figure",
    "other",
)
CARD_TOPICS = 6  # topics listed on an article card; the rest are counted as "+N more"
MATRIX_TOPICS = 20  # rows of the coverage matrix on the home page
TOP_TOPICS = 10  # topics listed, with their coverage bars, on the home page
MATRIX_LABEL_EM = 13.0  # widest topic label in the coverage chart, in em of its font
RELATED_TOPICS = 8  # related topics on a topic page
SHOWN_SENTENCES = 5  # sentences per article on a topic page before "more"
# A topic in more articles than this lists one sentence per article and no "more": a
# page of hundreds of articles with every sentence was megabytes long, for a reader too.
LARGE_TOPIC_MEMBERS = 50
STORY_EVIDENCE = 8  # shared topics/figures shown per "same story" link
HEAT_LEVELS = 4  # coverage matrix cells are shaded in levels 1..4 (0 = no article)
LANGUAGE_COLOURS = 8  # palette size for per-language colours (cycled)


def language_name(lang: str) -> str:
    """Native name of a language tag ("ja" → "日本語"); the tag itself when unknown."""
    if lang in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[lang]
    primary = lang.split("-", 1)[0]
    return LANGUAGE_NAMES.get(primary, lang)


# --- slugs ---------------------------------------------------------------------------


def _ascii_words(text: str) -> str:
    """Lower-case ASCII words of `text` joined by "-", accents stripped; may be ""."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LATIN_EXTRAS))
    base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    base = _APOSTROPHES.sub("", base).lower()
    return "-".join(_ASCII_WORD.findall(base))


def _cut(slug: str, limit: int) -> str:
    """At most `limit` characters, cut at a hyphen when there is one."""
    if len(slug) <= limit:
        return slug
    head = slug[: limit + 1]
    if head.endswith("-"):
        return head[:-1]
    hyphen = head.rfind("-", 0, limit)
    return slug[:hyphen] if hyphen > 0 else slug[:limit]


def _unreserve(slug: str) -> str:
    return f"{slug}-1" if slug in RESERVED_SLUGS else slug


def slugify(text: str, *, fallback: str) -> str:
    """URL- and file-system-safe slug: [a-z0-9] words joined by "-", ≤ 60 characters.

    `fallback` is used when `text` has no Latin letters or digits (a CJK title, say);
    it is slugified the same way, and "untitled" stands in if it is empty too.
    """
    slug = _ascii_words(text) or _ascii_words(fallback) or "untitled"
    return _unreserve(_cut(slug, MAX_SLUG_LENGTH))


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]


def _with_suffix(slug: str, suffix: str) -> str:
    return f"{_cut(slug, MAX_SLUG_LENGTH - len(suffix) - 1)}-{suffix}"


def _claim(wanted: str, salt: str, taken: set[str]) -> str:
    """`wanted`, else `wanted`-<hash of salt>, else that with -2, -3 … until unused."""
    candidate = wanted
    if candidate in taken:
        candidate = _with_suffix(wanted, _short_hash(salt))
    number = 1
    hashed = candidate
    while candidate in taken:
        number += 1
        candidate = _with_suffix(hashed, str(number))
    taken.add(candidate)
    return candidate


def _file_stem(path: str) -> str:
    name = posixpath.basename(path)
    return name.rsplit(".", 1)[0] if "." in name[1:] else name


def assign_slugs(articles: Sequence[Article]) -> tuple[str, ...]:
    """Unique slug per article, in the order of `articles`, stable across builds.

    An explicit slug (the manifest entry's, else one already on the Article) wins and is
    claimed first, in article order. Others come from the title; a title with little
    Latin text gets a 6-hex hash of the article path, and one with none uses the file
    name. Collisions are resolved in article order: hash of the path, then -2, -3 ….
    """
    taken: set[str] = set()
    slugs: dict[int, str] = {}
    for index, article in enumerate(articles):
        explicit = article.entry.slug or article.slug
        if explicit:
            stem = _file_stem(article.entry.path)
            slugs[index] = _claim(slugify(explicit, fallback=stem), article.entry.path, taken)
    for index, article in enumerate(articles):
        if index in slugs:
            continue
        path = article.entry.path
        latin = _cut(_ascii_words(article.analysis.title), MAX_SLUG_LENGTH)
        if not latin:
            wanted = slugify(_file_stem(path), fallback=_short_hash(path))
        elif len(latin) < _SHORT_LATIN_SLUG:
            wanted = _with_suffix(latin, _short_hash(path))
        else:
            wanted = _unreserve(latin)
        slugs[index] = _claim(wanted, path, taken)
    return tuple(slugs[index] for index in range(len(articles)))


def _latin_form(topic: Topic) -> str:
    """First form of the topic, over all languages, that has Latin letters or digits."""
    for _lang, forms in topic.names:
        for form in forms:
            if _ascii_words(form):
                return form
    return ""


def assign_topic_slugs(topics: Sequence[Topic]) -> dict[str, str]:
    """Unique slug per topic key. CJK-only names borrow a Latin form from another
    language, else "topic-<hash of key>". Collisions resolve in key order."""
    taken: set[str] = set()
    slugs: dict[str, str] = {}
    for topic in sorted(topics, key=lambda t: t.key):
        base = _ascii_words(topic.name) or _ascii_words(_latin_form(topic))
        wanted = (
            _unreserve(_cut(base, MAX_SLUG_LENGTH)) if base else f"topic-{_short_hash(topic.key)}"
        )
        slugs[topic.key] = _claim(wanted, topic.key, taken)
    return slugs


# --- URLs ----------------------------------------------------------------------------


def relative_url(from_page: str, to_page: str, *, file_urls: bool = False) -> str:
    """URL of page `to_page` as seen from page `from_page` (both output paths).

    "…/index.html" targets become directory URLs ending in "/" unless `file_urls` is set
    (browsing from file:// does not open index.html for a folder). A "#fragment" on
    `to_page` is kept.
    """
    return _relative_url(_path_parts(from_page.rpartition("/")[0]), to_page, file_urls)


def urls_from(from_page: str, *, file_urls: bool = False) -> Callable[[str], str]:
    """`relative_url` from one page, as a function of the target: for the many links of
    a page (a page of 1,000 cards has thousands), the page's folder is split once and
    each target's URL made once, whatever its "#fragment"."""
    from_parts = _path_parts(from_page.rpartition("/")[0])
    made: dict[str, str] = {}

    def url(to_page: str) -> str:
        target, hash_mark, fragment = to_page.partition("#")
        found = made.get(target)
        if found is None:
            found = made[target] = _relative_url(from_parts, target, file_urls)
        return f"{found}{hash_mark}{fragment}" if hash_mark else found

    return url


def _path_parts(path: str) -> list[str]:
    return [part for part in path.split("/") if part]


def _relative_url(from_parts: list[str], to_page: str, file_urls: bool) -> str:
    target, hash_mark, fragment = to_page.partition("#")
    folder, _slash, name = target.rpartition("/")
    if not file_urls and name == "index.html":
        rel = _relative_parts(_path_parts(folder), from_parts)
        url = "./" if rel == "." else f"{rel}/"
    else:
        url = _relative_parts(_path_parts(target), from_parts)
    return f"{url}{hash_mark}{fragment}"


def _relative_path(target: str, start: str) -> str:
    """posixpath.relpath for clean relative output paths, without touching the file system.

    relpath calls abspath (and so getcwd) on both sides: on a big site, half the render
    time went there. Output paths never hold "." or ".." parts.
    """
    return _relative_parts(_path_parts(target), _path_parts(start))


def _relative_parts(target_parts: list[str], start_parts: list[str]) -> str:
    """_relative_path of paths already split into their non-empty parts."""
    common = 0
    for a, b in zip(target_parts, start_parts, strict=False):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(start_parts) - common) + target_parts[common:]
    return "/".join(parts) or "."


def directory_path(page_path: str) -> str:
    """Output path as served: "a/b/index.html" → "a/b/", "index.html" → ""."""
    if page_path == "index.html":
        return ""
    if page_path.endswith("/index.html"):
        return page_path[: -len("index.html")]
    return page_path


def canonical_url(config: SiteConfig, page_path: str) -> str:
    """Absolute URL of a page when base_url is set, else ""."""
    if not config.base_url:
        return ""
    base = config.base_url if config.base_url.endswith("/") else f"{config.base_url}/"
    return f"{base}{directory_path(page_path)}"


PAGER_NEIGHBOURS = 2  # numbered links on each side of the current page in a pager


def page_paths(first: str, count: int) -> tuple[str, ...]:
    """Output paths of a list's `count` pages: `first` (a ".../index.html"), then
    page/2/index.html, page/3/index.html ... in its folder, as Hugo names them."""
    if not (first == "index.html" or first.endswith("/index.html")):
        raise ValueError(f"a list page must be a folder's index.html, not {first!r}")
    folder = first[: -len("index.html")]
    return (first, *(f"{folder}page/{number}/index.html" for number in range(2, count + 1)))


def page_count(items: int, size: int) -> int:
    """Pages a list of `items` takes at `size` a page (an empty list still has one)."""
    return max(1, -(-items // size))


def pager(paths: Sequence[str], number: int) -> Pager | None:
    """The pager of page `number` (1-based) among `paths`; None for a single page."""
    count = len(paths)
    if count < 2:
        return None
    near = range(max(1, number - PAGER_NEIGHBOURS), min(count, number + PAGER_NEIGHBOURS) + 1)
    links: list[PagerLink] = []
    before = 0
    for shown in sorted({1, count, *near}):
        if shown - before == 2:
            links.append(PagerLink(before + 1, paths[before]))  # a gap of one page: its link
        elif shown - before > 2:
            links.append(PagerLink(0, ""))
        links.append(PagerLink(shown, paths[shown - 1]))
        before = shown
    return Pager(
        number=number,
        count=count,
        previous=paths[number - 2] if number > 1 else "",
        next=paths[number] if number < count else "",
        links=tuple(links),
    )


# --- view records --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TopicLink:
    key: str
    name: str  # display name (see `topic_display_name`)
    name_lang: str  # language of `name` (the interface language when no article uses it)
    path: str  # output path of the topic page


@dataclass(frozen=True, slots=True)
class LanguageLink:
    lang: str
    name: str  # native name, e.g. "日本語"
    path: str
    article_count: int
    colour: int = 0  # index into the theme's per-language palette (lang-colour-N)


@dataclass(frozen=True, slots=True)
class ArticleCard:
    """An article as listed on the home, language and topic pages."""

    source_path: str  # article path in the content folder (its identity)
    path: str  # output path of the article page
    title: str
    lang: str
    lang_name: str
    source: str
    author: str
    date: str  # "" when unknown
    date_is_iso: bool  # usable as <time datetime>
    summary: str
    topics: tuple[TopicLink, ...]  # every topic of the article, most covered first
    card_topics: tuple[TopicLink, ...] = ()  # the first CARD_TOPICS of `topics`
    more_topics: int = 0  # how many of `topics` the card leaves out


@dataclass(frozen=True, slots=True)
class Paragraph:
    anchor: str  # "p-1" … (1-based)
    text: str


@dataclass(frozen=True, slots=True)
class SummaryItem:
    text: str
    anchor: str  # paragraph anchor the sentence comes from, "" when not known


@dataclass(frozen=True, slots=True)
class KeyphraseLink:
    """A key phrase and where it leads: its topic's page, else its first paragraph."""

    text: str
    path: str  # output path of the topic page whose forms include the phrase, or ""
    anchor: str  # paragraph anchor of its first use in the text ("p-3"), or ""


@dataclass(frozen=True, slots=True)
class StoryView:
    """Another article, in another language, that covers the same story."""

    card: ArticleCard
    score: float
    evidence: tuple[str, ...]  # display names of the shared topics and figures


@dataclass(frozen=True, slots=True)
class ArticleBody:
    card: ArticleCard
    url: str  # the original on the web ("" when absent or not http/https)
    reading_minutes: int
    word_count: int
    summary: tuple[SummaryItem, ...]
    summary_source: Literal["manifest", "more", "automatic"]
    keyphrases: tuple[str, ...]
    paragraphs: tuple[Paragraph, ...]  # plain-text sources
    text_html: Markup | None  # Markdown sources, rendered
    stories: tuple[StoryView, ...] = ()  # the same story in other languages, best first
    keyphrase_links: tuple[KeyphraseLink, ...] = ()  # `keyphrases`, each with its link
    previous: ArticleCard | None = None  # the article before this one in the manifest
    next: ArticleCard | None = None  # the article after this one in the manifest


@dataclass(frozen=True, slots=True)
class SentenceView:
    html: Markup  # escaped sentence with the topic's forms in <mark>
    anchor: str  # paragraph anchor in the article page, "" when not linkable


@dataclass(frozen=True, slots=True)
class TopicMemberView:
    card: ArticleCard
    sentences: tuple[SentenceView, ...]  # the first SHOWN_SENTENCES
    surfaces: tuple[str, ...]
    reason: str
    more_sentences: tuple[SentenceView, ...] = ()  # the rest, shown on request


@dataclass(frozen=True, slots=True)
class TopicSection:
    lang: str
    lang_name: str
    members: tuple[TopicMemberView, ...]


@dataclass(frozen=True, slots=True)
class TopicNames:
    lang: str
    lang_name: str
    forms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CoverageCell:
    """How many articles of one language mention a topic."""

    lang: str
    lang_name: str
    count: int  # articles in this language that mention the topic
    total: int  # articles in this language
    level: int  # 0 (none) … HEAT_LEVELS (all of them), for shading
    colour: int  # the language's palette index


@dataclass(frozen=True, slots=True)
class BarSegment:
    """One language's part of a topic's coverage bar, in viewBox units (0…100)."""

    lang: str
    colour: int
    x: float
    width: float


@dataclass(frozen=True, slots=True)
class RelatedTopic:
    link: TopicLink
    shared_articles: int
    shared_sentences: int  # sentences that mention both topics


@dataclass(frozen=True, slots=True)
class TopicIndexEntry:
    link: TopicLink
    kind: MentionKind
    langs: tuple[LanguageLink, ...]  # languages of its member articles (path: language page)
    article_count: int
    coverage: tuple[CoverageCell, ...] = ()  # one per language of the site
    bar: tuple[BarSegment, ...] = ()  # languages that mention it, for a small coverage bar


@dataclass(frozen=True, slots=True)
class TopicGroup:
    kind: MentionKind
    entries: tuple[TopicIndexEntry, ...]  # most covered first


@dataclass(frozen=True, slots=True)
class CoverageRow:
    link: TopicLink
    cells: tuple[CoverageCell, ...]  # one per language of the site, in its order
    article_count: int
    chart_label: str = ""  # the topic name, shortened to fit the chart's label column


@dataclass(frozen=True, slots=True)
class CoverageMatrix:
    """Topics × languages: the best-covered topics and their articles per language."""

    languages: tuple[LanguageLink, ...]
    rows: tuple[CoverageRow, ...]
    topic_count: int  # all topics of the site (rows shows the first MATRIX_TOPICS)


@dataclass(frozen=True, slots=True)
class HomePage:
    heading: str
    prose_html: Markup
    list_heading: str  # "" → the template's own label
    cards: tuple[ArticleCard, ...]
    languages: tuple[LanguageLink, ...]
    matrix: CoverageMatrix | None = None  # None when the site has no topics
    top_topics: tuple[TopicIndexEntry, ...] = ()  # the TOP_TOPICS most covered topics


@dataclass(frozen=True, slots=True)
class ArticlePage:
    article: ArticleBody


@dataclass(frozen=True, slots=True)
class TopicPage:
    link: TopicLink
    kind: MentionKind
    declared: bool
    names: tuple[TopicNames, ...]
    sections: tuple[TopicSection, ...]
    coverage: tuple[CoverageCell, ...] = ()  # one per language of the site
    bar: tuple[BarSegment, ...] = ()  # languages that mention it, for the coverage bar
    related: tuple[RelatedTopic, ...] = ()


@dataclass(frozen=True, slots=True)
class TopicIndexPage:
    groups: tuple[TopicGroup, ...]
    topic_count: int
    alphabetical: tuple[TopicIndexEntry, ...] = ()  # every topic, A–Z by display name


@dataclass(frozen=True, slots=True)
class LanguagePage:
    language: LanguageLink
    cards: tuple[ArticleCard, ...]


@dataclass(frozen=True, slots=True)
class LanguagesPage:
    languages: tuple[LanguageLink, ...]


@dataclass(frozen=True, slots=True)
class NotFoundPage:
    pass


@dataclass(frozen=True, slots=True)
class PagerLink:
    """One numbered link of a pager; number 0 stands for a gap ("…")."""

    number: int
    path: str  # output path of that page, "" for a gap


@dataclass(frozen=True, slots=True)
class Pager:
    """Where a page stands in a list split over several pages (home, language and topic
    pages of a large site): a reader's browser and a rebuild both pay for a page by its
    size, and a 10,000-article site's biggest topic page was 6 MB."""

    number: int  # 1-based
    count: int  # pages in all, 2 or more
    previous: str  # output path of the page before, "" on the first
    next: str  # output path of the page after, "" on the last
    links: tuple[PagerLink, ...]  # the first, the last and those near this one


@dataclass(frozen=True, slots=True)
class Crumb:
    """One step of a page's breadcrumb trail."""

    label: str  # text shown; ignored when `label_key` is set
    path: str  # output path of the page it links to (may carry a #fragment)
    lang: str = ""  # language of `label`, "" for the interface language
    label_key: str = ""  # interface string to show instead of `label` ("nav.topics")


PageBody = (
    HomePage
    | ArticlePage
    | TopicPage
    | TopicIndexPage
    | LanguagePage
    | LanguagesPage
    | NotFoundPage
)
Section = Literal["home", "article", "topics", "languages", "other"]


@dataclass(frozen=True, slots=True)
class Page:
    path: str  # output path, e.g. "topics/nvidia/index.html"
    template: str  # template file name, e.g. "topic.html"
    section: Section  # which navigation item is current
    title: str  # <title> text (the site title is added by the template)
    title_lang: str  # language of `title`, "" when it is the interface language
    description: str
    canonical_url: str  # "" when base_url is not set or the page has none
    body: PageBody
    breadcrumbs: tuple[Crumb, ...] = ()  # from the home page down to this one (excluded)
    pager: Pager | None = None  # None when the list fits on one page


@dataclass(frozen=True, slots=True)
class Alternate:
    """The same story in one language: an hreflang alternate of an article page."""

    lang: str  # BCP 47 tag of the page's language
    path: str  # output path of the page


@dataclass(frozen=True, slots=True)
class PageEntry:
    """A page of the site before its view model is made: its path, what the feed and the
    sitemap need from it, and how to make it."""

    path: str
    canonical_url: str  # as the page will have it
    card: ArticleCard | None  # an article page's article; None for other pages
    make: Callable[[], Page] = field(compare=False, repr=False)
    # Everything `make` reads, narrowed to this page and cheaper to fingerprint than the
    # page itself (equal inputs make an equal page); None where only the page will do.
    inputs: Callable[[], object] | None = field(default=None, compare=False, repr=False)


def _made(page: Page) -> Page:
    return page


class Pages(Sequence[Page]):
    """A site's pages in path order, each made when it is asked for and not kept: a
    10,000-article site's view models all at once added 230 MB to its build's peak
    memory while it rendered (each article page holds its article's HTML)."""

    __slots__ = ("entries",)

    def __init__(self, entries: Iterable[PageEntry]) -> None:
        self.entries = tuple(sorted(entries, key=lambda entry: entry.path))

    @classmethod
    def of(cls, pages: Iterable[Page]) -> Pages:
        """Pages already made."""
        return cls(
            PageEntry(
                page.path,
                page.canonical_url,
                page.body.article.card if isinstance(page.body, ArticlePage) else None,
                functools.partial(_made, page),
            )
            for page in pages
        )

    @overload
    def __getitem__(self, index: int) -> Page: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Page]: ...

    def __getitem__(self, index: int | slice) -> Page | Sequence[Page]:
        if isinstance(index, slice):
            return [entry.make() for entry in self.entries[index]]
        return self.entries[index].make()

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Page]:
        return (entry.make() for entry in self.entries)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Pages):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Pages({[entry.path for entry in self.entries]!r})"


@dataclass(frozen=True, slots=True)
class SiteModel:
    config: SiteConfig
    file_urls: bool  # link to ".../index.html" instead of ".../" (for file:// browsing)
    pages: Pages  # sorted by path
    article_pages: Mapping[str, str]  # article path → output path of its page
    topic_pages: Mapping[str, str]  # topic key → output path of its page
    # article page path → its same-story group, one page per language (hreflang)
    alternates: Mapping[str, tuple[Alternate, ...]] = field(default_factory=dict)
    # what the article pages were made with (see edited_article_pages); None in a model
    # of some pages only
    context: SiteContext | None = field(default=None, compare=False, repr=False)

    def page(self, path: str) -> Page:
        for entry in self.pages.entries:
            if entry.path == path:
                return entry.make()
        raise KeyError(path)


# --- building ------------------------------------------------------------------------


def highlight_mentions(sentence: str, surfaces: Iterable[str]) -> Markup:
    """Escape `sentence` and wrap every occurrence of a surface form in <mark>.

    Longer forms win over shorter ones at the same place; a form that starts or ends
    with a Latin letter or digit only matches at a word edge ("IA" not inside "média").
    """
    return _highlight(sentence, mention_pattern(surfaces))


_LATIN_EDGE = "0-9A-Za-z\u00c0-\u024f"
_LATIN_EDGE_RE = re.compile(f"[{_LATIN_EDGE}]")


def mention_pattern(surfaces: Iterable[str]) -> re.Pattern[str] | None:
    """The pattern highlight_mentions uses for these forms (None: nothing to mark); its
    one group is the whole match, so that `split` gives the text and the marks in turn.
    Made once per set of forms, not per sentence: compiling was most of the site
    model's time on big topics."""
    forms = sorted({s for s in surfaces if s.strip()}, key=lambda s: (-len(s), s))
    if not forms:
        return None
    patterns = []
    for form in forms:
        head = f"(?<![{_LATIN_EDGE}])" if _LATIN_EDGE_RE.match(form[0]) else ""
        tail = f"(?![{_LATIN_EDGE}])" if _LATIN_EDGE_RE.match(form[-1]) else ""
        patterns.append(f"{head}{re.escape(form)}{tail}")
    return re.compile(f"({'|'.join(patterns)})", re.IGNORECASE)


_HTML_SPECIAL = re.compile("[&<>'\"]")


def _escape_text(text: str) -> str:
    """markupsafe.escape of a plain str, without making a Markup of every piece (that
    was a third of the time of the topic pages)."""
    return (
        text.replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


def _highlight(sentence: str, pattern: re.Pattern[str] | None) -> Markup:
    if _HTML_SPECIAL.search(sentence) is not None:
        sentence_parts = [_escape_text(part) for part in _split(sentence, pattern)]
    else:
        sentence_parts = _split(sentence, pattern)  # escaping would change nothing
    # Text, mark, text, mark, …, text: every other part is a form to mark.
    marked = [f"<mark>{part}</mark>" if i % 2 else part for i, part in enumerate(sentence_parts)]
    return Markup("".join(marked))


def _split(sentence: str, pattern: re.Pattern[str] | None) -> list[str]:
    return [sentence] if pattern is None else pattern.split(sentence)


def _is_latin_script(text: str) -> bool:
    """True when `text` has letters and all of them are Latin (digits, signs don't count)."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(unicodedata.name(ch, "").startswith("LATIN") for ch in letters)


def _form_counts(topic: Topic) -> dict[str, int]:
    """Number of member articles whose text uses each form of the topic."""
    counts: dict[str, int] = {}
    for member in topic.members:
        for form in set(member.surfaces):
            counts[form] = counts.get(form, 0) + 1
    return counts


def _most_common(forms: Iterable[str], counts: Mapping[str, int], preferred: str) -> str:
    """The form most member articles use; ties go to `preferred`, then code-point order."""
    return min(sorted(set(forms)), key=lambda f: (-counts.get(f, 0), f != preferred, f))


def topic_display_name(topic: Topic, ui_language: str) -> tuple[str, str]:
    """The name a reader of the interface sees, and the language tag of that name.

    An interface in a CJK language shows the topic's own form in that language when the
    articles use one. Otherwise: the topic's name when it is in Latin script, else its most
    used Latin form (a brand or a person's name reads the same in any Latin-script text),
    else its most used native form. Ties go to the topic's own name, then code-point order.
    """
    counts = _form_counts(topic)
    ui_base = ui_language.split("-", 1)[0]
    name: str | None = None
    if ui_base in _CJK_LANGS:
        own = [f for lang, forms in topic.names if lang == ui_language for f in forms] or [
            f for lang, forms in topic.names if lang.split("-", 1)[0] == ui_base for f in forms
        ]
        if own:
            name = _most_common(own, counts, topic.name)
    if name is None:
        if _is_latin_script(topic.name):
            name = topic.name
        else:
            every = [f for _lang, forms in topic.names for f in forms]
            latin = [f for f in every if _is_latin_script(f)]
            name = _most_common(latin or every or [topic.name], counts, topic.name)
    return name, _display_lang(topic, name, ui_language)


def _display_lang(topic: Topic, name: str, ui_language: str) -> str:
    """Language of a display name: the one language whose articles write it so; the
    interface language for a name of the editor's, or a Latin name shared by languages."""
    langs = [lang for lang, forms in topic.names if name in forms]
    if not langs or ui_language in langs:
        return ui_language
    if len(langs) > 1 and _is_latin_script(name):
        return ui_language
    return langs[0]


def related_topics(
    topics: Sequence[Topic], limit: int = RELATED_TOPICS
) -> dict[str, tuple[tuple[str, int, int], ...]]:
    """Per topic key, up to `limit` (other key, shared articles, shared sentences).

    Topics are related when articles mention both; the more sentences mention both, then
    the more articles, the closer. Ties go to key order, so the result is stable.
    """
    keys = sorted({topic.key for topic in topics})  # topics by index, in key order
    index = {key: i for i, key in enumerate(keys)}
    topic_count = len(keys)
    # A sentence's id is its article's first id plus its index there: no id per sentence
    # to keep. Memberships are codes group * topic_count + topic in int64 arrays (tuples
    # of them were the peak memory of a 10,000-article build).
    sentence_span: dict[str, int] = {}
    for topic in topics:
        for member in topic.members:
            last = max(member.sentences, default=-1)
            sentence_span[member.article] = max(sentence_span.get(member.article, 0), last + 1)
    article_ids = {path: number for number, path in enumerate(sentence_span)}
    offsets = accumulate(sentence_span.values(), initial=0)  # one more: the total
    first_sentence = dict(zip(sentence_span, offsets, strict=False))
    by_article = array("q")  # article id * topic_count + topic index
    by_sentence = array("q")  # sentence id * topic_count + topic index
    for topic in topics:
        position = index[topic.key]
        for member in topic.members:
            by_article.append(article_ids[member.article] * topic_count + position)
            base = first_sentence[member.article]
            by_sentence.extend((base + s) * topic_count + position for s in member.sentences)
    pairs, shared_articles = _co_occurrences(by_article, topic_count)
    del by_article
    sentence_pairs, sentence_counts = _co_occurrences(by_sentence, topic_count)
    del by_sentence
    # Topics that share a sentence share its article: sentence pairs are among `pairs`.
    at = np.searchsorted(sentence_pairs, pairs)
    known = at < len(sentence_pairs)
    known[known] = sentence_pairs[at[known]] == pairs[known]
    shared_sentences = np.zeros_like(pairs)
    shared_sentences[known] = sentence_counts[at[known]]
    # Each unordered pair is a neighbour of both its topics.
    low, high = np.divmod(pairs, max(len(keys), 1))
    first, second = np.concatenate([low, high]), np.concatenate([high, low])
    articles = np.concatenate([shared_articles, shared_articles])
    sentences = np.concatenate([shared_sentences, shared_sentences])
    order = np.lexsort((second, -articles, -sentences, first))
    first, second = first[order], second[order]
    articles, sentences = articles[order], sentences[order]
    # Rank among the first topic's neighbours; kept as a slice [:limit] keeps them.
    starts = np.flatnonzero(np.diff(first, prepend=-1))
    sizes = np.diff(np.append(starts, len(first)))
    rank = np.arange(len(first)) - np.repeat(starts, sizes)
    allowed = np.repeat(sizes + limit, sizes) if limit < 0 else limit
    neighbours: dict[str, list[tuple[str, int, int]]] = {t.key: [] for t in topics}
    for row in np.flatnonzero(rank < allowed).tolist():
        neighbours[keys[first[row]]].append(
            (keys[second[row]], int(articles[row]), int(sentences[row]))
        )
    return {key: tuple(found) for key, found in neighbours.items()}


# Topic pairs made at once by _co_occurrences: bounds its arrays to some 25 MB (at 100 MB
# they were the peak memory of a 10,000-article build).
_PAIR_BATCH = 500_000


def _co_occurrences(
    memberships: array[int], topic_count: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Every unordered pair of distinct topics that share a group (an article, a
    sentence), as sorted codes low * topic_count + high, with its number of groups.
    `memberships` are codes group * topic_count + topic (int64).

    Counted with numpy: a Counter over every pair of every article was a third of the
    site model's time.
    """
    # Each array of one value per membership is made once and let go as soon as it has
    # served, topics and partners in int32: sentence memberships are millions at 10,000
    # articles, and these arrays were the last step of such a build's peak memory.
    rows = sorted_distinct(np.frombuffer(memberships, dtype=np.int64))
    row_count = len(rows)
    starts = np.flatnonzero(np.diff(rows // max(topic_count, 1), prepend=-1))
    index_type = np.int32 if row_count < 2**31 else np.int64
    topic = (rows % max(topic_count, 1)).astype(np.int32)  # sorted by group, then topic
    del rows
    sizes = np.diff(np.append(starts, row_count))
    # A row's partners are the rows after it in its group: each pair is made once.
    partners = np.repeat((starts + sizes).astype(index_type), sizes)
    del starts, sizes
    partners -= np.arange(1, row_count + 1, dtype=index_type)
    before = np.zeros(row_count + 1, dtype=np.int64)  # pairs made by the rows before
    np.cumsum(partners, out=before[1:])
    codes: list[npt.NDArray[np.int64]] = []
    counts: list[npt.NDArray[np.int64]] = []
    begin = 0
    while begin < row_count:
        end = int(np.searchsorted(before, before[begin] + _PAIR_BATCH, side="right")) - 1
        end = min(max(end, begin + 1), row_count)
        made = partners[begin:end]
        left = np.repeat(np.arange(begin, end), made)
        offset = np.arange(len(left)) - np.repeat(np.cumsum(made) - made, made)
        batch, batch_counts = np.unique(
            topic[left].astype(np.int64) * topic_count + topic[left + 1 + offset],
            return_counts=True,
        )
        codes.append(batch)
        counts.append(batch_counts)
        begin = end
    if not codes:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    merged, inverse = np.unique(np.concatenate(codes), return_inverse=True)
    totals = np.bincount(inverse, weights=np.concatenate(counts), minlength=len(merged))
    return merged.astype(np.int64), totals.astype(np.int64)


def _join_sentences(sentences: Sequence[str], lang: str) -> str:
    joiner = "" if lang.split("-", 1)[0] in _UNSPACED_LANGS else " "
    return joiner.join(s.strip() for s in sentences if s.strip())


def _language_slug(lang: str) -> str:
    return slugify(lang, fallback="und")


def _shorten(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else f"{text[: limit - 1].rstrip()}…"


@dataclass(frozen=True, slots=True)
class _SiteIndex:
    articles: Mapping[str, str]  # article path → page path
    topics: Mapping[str, str]  # topic key → page path
    languages: Mapping[str, str]  # lang → page path
    ui_language: str  # language of topic names that no article uses


@dataclass(frozen=True, slots=True)
class _TopicFacts:
    """What the pages need to know about every topic, worked out once."""

    links: Mapping[str, TopicLink]  # topic key → link with display name
    article_langs: Mapping[str, Mapping[str, int]]  # topic key → lang → member articles
    rank: Mapping[str, int]  # topic key → position when sorted by coverage (0 = most)


def _paths(digest: Digest) -> _SiteIndex:
    article_slugs = zip(
        (a.entry.path for a in digest.articles), assign_slugs(digest.articles), strict=True
    )
    topic_slugs = assign_topic_slugs(digest.topics)
    langs = sorted({a.analysis.language.lang for a in digest.articles})
    lang_taken: set[str] = set()
    lang_paths = {
        lang: f"languages/{_claim(_language_slug(lang), lang, lang_taken)}/index.html"
        for lang in langs
    }
    return _SiteIndex(
        articles={p: f"articles/{s}/index.html" for p, s in article_slugs},
        topics={k: f"topics/{s}/index.html" for k, s in topic_slugs.items()},
        languages=lang_paths,
        ui_language=digest.manifest.config.ui_language,
    )


def _topic_facts(digest: Digest, paths: _SiteIndex) -> _TopicFacts:
    lang_of = {a.entry.path: a.analysis.language.lang for a in digest.articles}
    links: dict[str, TopicLink] = {}
    article_langs: dict[str, dict[str, int]] = {}
    for topic in digest.topics:
        name, name_lang = topic_display_name(topic, paths.ui_language)
        links[topic.key] = TopicLink(topic.key, name, name_lang, paths.topics[topic.key])
        counts: dict[str, int] = {}
        for article in sorted({m.article for m in topic.members if m.article in lang_of}):
            counts[lang_of[article]] = counts.get(lang_of[article], 0) + 1
        article_langs[topic.key] = dict(sorted(counts.items()))

    def coverage_order(key: str) -> tuple[int, int, str, str]:
        counts = article_langs[key]
        return (-len(counts), -sum(counts.values()), links[key].name.casefold(), key)

    ordered = sorted(links, key=coverage_order)
    return _TopicFacts(links, article_langs, {key: i for i, key in enumerate(ordered)})


def _card(
    article: Article, topic_keys: Sequence[str], facts: _TopicFacts, paths: _SiteIndex
) -> ArticleCard:
    analysis = article.analysis
    lang = analysis.language.lang
    date = analysis.date or article.entry.date or ""
    topics = tuple(facts.links[k] for k in sorted(topic_keys, key=lambda k: facts.rank[k]))
    return ArticleCard(
        source_path=article.entry.path,
        path=paths.articles[article.entry.path],
        title=analysis.title,
        lang=lang,
        lang_name=language_name(lang),
        source=article.entry.source or "",
        author=article.entry.author or "",
        date=date,
        date_is_iso=bool(_ISO_DATE.match(date)),
        summary=_join_sentences(analysis.summary, lang),
        topics=topics,
        card_topics=topics[:CARD_TOPICS],
        more_topics=max(len(topics) - CARD_TOPICS, 0),
    )


def _paragraph_anchor(article: Article, paragraph: int) -> str:
    linkable = article.source.markup == "text" and 0 <= paragraph < len(article.source.paragraphs)
    return f"p-{paragraph + 1}" if linkable else ""


def _stories_by_article(
    stories: Sequence[StoryLink],
    cards: Mapping[str, ArticleCard],
    facts: _TopicFacts,
) -> dict[str, tuple[StoryView, ...]]:
    """Article path → its same-story links, strongest first, one per other article."""
    views: dict[str, dict[str, StoryView]] = {}
    for link in sorted(stories, key=lambda s: (-s.score, s.other)):
        if link.other == link.article or link.other not in cards:
            continue
        found = views.setdefault(link.article, {})
        if link.other in found:
            continue
        evidence = tuple(facts.links[e].name if e in facts.links else e for e in link.evidence)[
            :STORY_EVIDENCE
        ]
        found[link.other] = StoryView(cards[link.other], link.score, evidence)
    return {path: tuple(found.values()) for path, found in views.items()}


def _alternates(
    articles: Iterable[tuple[ArticleCard, Sequence[StoryView]]],
) -> dict[str, tuple[Alternate, ...]]:
    """Article page path → every page of its same-story group, one per language.

    Groups grow from the strongest same-story link down and never take a second article
    in a language they already have, so every member lists the same group (hreflang needs
    reciprocal links) and each language tag appears once. Articles without a link in
    another language are left out.
    """
    lang_of: dict[str, str] = {}
    links: list[tuple[float, str, str]] = []
    for card, stories in articles:
        lang_of[card.path] = card.lang
        for story in stories:
            links.append((story.score, card.path, story.card.path))
    group_of: dict[str, int] = {path: index for index, path in enumerate(sorted(lang_of))}
    members: dict[int, set[str]] = {index: {path} for path, index in group_of.items()}
    for _score, first, second in sorted(links, key=lambda link: (-link[0], link[1], link[2])):
        if second not in group_of or lang_of[first] == lang_of[second]:
            continue
        a, b = group_of[first], group_of[second]
        if a == b:
            continue
        if {lang_of[p] for p in members[a]} & {lang_of[p] for p in members[b]}:
            continue  # would put two articles of one language in the group
        keep, drop = min(a, b), max(a, b)
        for path in members.pop(drop):
            group_of[path] = keep
            members[keep].add(path)
    alternates: dict[str, tuple[Alternate, ...]] = {}
    for group in members.values():
        if len(group) < 2:
            continue
        ordered = tuple(Alternate(lang_of[p], p) for p in sorted(group, key=lambda p: lang_of[p]))
        for path in group:
            alternates[path] = ordered
    return dict(sorted(alternates.items()))


def _article_body(
    article: Article,
    card: ArticleCard,
    link_map: Mapping[str, str],
    config: SiteConfig,
    stories: tuple[StoryView, ...],
    forms_to_topics: Sequence[tuple[str, str]] = (),
) -> ArticleBody:
    analysis = article.analysis
    summary: tuple[SummaryItem, ...]
    if analysis.summary_indexes and len(analysis.summary_indexes) == len(analysis.summary):
        summary = tuple(
            SummaryItem(
                text,
                _paragraph_anchor(article, analysis.sentences[i].paragraph)
                if 0 <= i < len(analysis.sentences)
                else "",
            )
            for text, i in zip(analysis.summary, analysis.summary_indexes, strict=True)
        )
    else:
        summary = tuple(SummaryItem(text, "") for text in analysis.summary)
    source = article.source
    text_html: Markup | None = None
    paragraphs: tuple[Paragraph, ...] = ()
    if source.markup == "markdown" and source.markdown is not None:
        text_html = Markup(
            render_markdown(
                source.markdown, link_map=link_map, base_path=source.path, top_heading_level=3
            )
        )
    else:
        paragraphs = tuple(Paragraph(f"p-{i + 1}", p) for i, p in enumerate(source.paragraphs))
    url = article.entry.url or ""
    web_url = url if url.lower().startswith(("http://", "https://")) and is_safe_url(url) else ""
    limit = max(config.keyphrases, 0)
    topic_paths: dict[str, str] = {}
    for form, path in forms_to_topics:
        topic_paths.setdefault(form.casefold(), path)
    return ArticleBody(
        card=card,
        url=web_url,
        reading_minutes=analysis.reading_minutes,
        word_count=analysis.word_count,
        summary=summary,
        summary_source=analysis.summary_source,
        keyphrases=tuple(k.text for k in analysis.keyphrases[:limit]),
        paragraphs=paragraphs,
        text_html=text_html,
        stories=stories,
        keyphrase_links=_keyphrase_links(article, topic_paths, paragraphs)[:limit],
    )


class _LinksFrom(Mapping[str, str]):
    """Source path → URL of its page as seen from one page, computed when looked up:
    each page may link to any article, but making every URL for every page was
    quadratic (a million URLs for 1,000 articles)."""

    def __init__(self, page_path: str, targets: Mapping[str, str], file_urls: bool) -> None:
        self._url = urls_from(page_path, file_urls=file_urls)
        self._targets = targets

    def __getitem__(self, source: str) -> str:
        return self._url(self._targets[source])

    def __iter__(self) -> Iterator[str]:
        return iter(self._targets)

    def __len__(self) -> int:
        return len(self._targets)


def _links_from(page_path: str, targets: Mapping[str, str], file_urls: bool) -> Mapping[str, str]:
    return _LinksFrom(page_path, targets, file_urls)


def _coverage_cells(
    counts: Mapping[str, int], languages: Sequence[LanguageLink]
) -> tuple[CoverageCell, ...]:
    cells = []
    for language in languages:
        count = counts.get(language.lang, 0)
        total = max(language.article_count, 1)
        share = math.ceil(HEAT_LEVELS * count / total)
        level = 0 if count == 0 else max(1, min(HEAT_LEVELS, share))
        cells.append(
            CoverageCell(
                language.lang, language.name, count, language.article_count, level, language.colour
            )
        )
    return tuple(cells)


def _coverage_bar(cells: Sequence[CoverageCell], article_total: int) -> tuple[BarSegment, ...]:
    """Segments of a bar as wide as all the site's articles, one per language mentioning
    the topic, each as wide as that language's articles that do."""
    segments = []
    before = 0  # articles drawn so far; positions come from counts, so rounding never adds up
    scale = 100 / max(article_total, 1)
    for cell in cells:
        if cell.count == 0:
            continue
        x = round(before * scale, 3)
        width = round((before + cell.count) * scale, 3) - x
        segments.append(BarSegment(cell.lang, cell.colour, x, round(width, 3)))
        before += cell.count
    return tuple(segments)


@dataclass(frozen=True, slots=True)
class _TopicPageSlot:
    """One page of a topic: the members it shows, by language, and its place among the
    topic's pages."""

    topic: Topic
    related: tuple[tuple[str, int, int], ...]  # related topics: (key, articles, sentences)
    members: tuple[tuple[str, tuple[TopicMember, ...]], ...]  # (lang, members on this page)
    paths: tuple[str, ...]  # output paths of all the topic's pages
    number: int  # 1-based

    @property
    def path(self) -> str:
        return self.paths[self.number - 1]


def _topic_page_slots(
    topic: Topic,
    related: Sequence[tuple[str, int, int]],
    articles: Mapping[str, Article],
    cards: Mapping[str, ArticleCard],
    first_path: str,
    size: int,
) -> tuple[_TopicPageSlot, ...]:
    """A topic's members split over its pages: page N shows the Nth `size` members of
    each language (in the topic's order), so the languages stay side by side on every
    page. Members whose article is missing are left out (the topic stage should not
    make them; better no entry than a link to nowhere)."""
    by_lang: dict[str, list[TopicMember]] = {}
    for member in topic.members:
        if member.article in articles:
            by_lang.setdefault(cards[member.article].lang, []).append(member)
    paths = page_paths(first_path, page_count(max(map(len, by_lang.values()), default=0), size))
    return tuple(
        _TopicPageSlot(
            topic,
            tuple(related),
            tuple(
                (lang, tuple(by_lang[lang][start : start + size]))
                for lang in sorted(by_lang)
                if len(by_lang[lang]) > start
            ),
            paths,
            number,
        )
        for number, start in enumerate(range(0, len(paths) * size, size), start=1)
    )


def _topic_page(
    config: SiteConfig,
    articles: Mapping[str, Article],
    cards: Mapping[str, ArticleCard],
    facts: _TopicFacts,
    languages: Sequence[LanguageLink],
    slot: _TopicPageSlot,
) -> Page:
    """The page of `slot`, one of its topic's pages."""
    topic, related = slot.topic, slot.related
    # mention_pattern memoised by surface forms: most members of a topic use the same few.
    patterns: dict[tuple[str, ...], re.Pattern[str] | None] = {}
    large = len(topic.members) > LARGE_TOPIC_MEMBERS
    shown = 1 if large else SHOWN_SENTENCES

    def member_view(member: TopicMember) -> TopicMemberView:
        article = articles[member.article]
        sentences = article.analysis.sentences
        if member.surfaces not in patterns:
            patterns[member.surfaces] = mention_pattern(member.surfaces)
        pattern = patterns[member.surfaces]
        indexes = [i for i in member.sentences if 0 <= i < len(sentences)]
        views = tuple(
            SentenceView(
                _highlight(sentences[i].text, pattern),
                _paragraph_anchor(article, sentences[i].paragraph),
            )
            for i in (indexes[:shown] if large else indexes)
        )
        return TopicMemberView(
            cards[member.article], views[:shown], member.surfaces, member.reason, views[shown:]
        )

    sections = tuple(
        TopicSection(lang, language_name(lang), tuple(map(member_view, members)))
        for lang, members in slot.members
    )
    names = tuple(TopicNames(lang, language_name(lang), forms) for lang, forms in topic.names)
    coverage = _coverage_cells(facts.article_langs[topic.key], languages)
    article_total = sum(language.article_count for language in languages)
    topic_page = TopicPage(
        link=facts.links[topic.key],
        kind=topic.kind,
        declared=topic.declared,
        names=names,
        sections=sections,
        coverage=coverage,
        bar=_coverage_bar(coverage, article_total),
        related=tuple(
            RelatedTopic(facts.links[key], shared_articles, shared_sentences)
            for key, shared_articles, shared_sentences in related
            if key in facts.links
        ),
    )
    kind_crumb = Crumb("", f"topics/index.html#kind-{topic.kind}", label_key=f"kind.{topic.kind}")
    return _page(
        config,
        slot.path,
        "topic.html",
        "topics",
        topic_page.link.name,
        topic_page,
        title_lang=topic_page.link.name_lang,
        breadcrumbs=(_HOME_CRUMB, _TOPICS_CRUMB, kind_crumb),
        pager=pager(slot.paths, slot.number),
    )


class _MemberFingerprints:
    """Per article, a fingerprint of all that a topic page shows of it: its card, and its
    own fingerprint (Article.fingerprint) or, without one, its sentences and whether they
    link to its paragraphs. Made once per article, however many topic pages hold it, and
    only the digest is kept."""

    def __init__(self, articles: Mapping[str, Article], cards: Mapping[str, ArticleCard]):
        self._articles = articles
        self._cards = cards
        self._found: dict[str, str | None] = {}

    def __call__(self, path: str) -> str | None:
        if path in self._found:
            return self._found[path]
        article = self._articles.get(path)
        found = None
        if article is not None:
            shown: object = (self._cards[path], article.fingerprint)
            if not article.fingerprint:
                shown = (
                    self._cards[path],
                    article.source.markup,
                    len(article.source.paragraphs),
                    tuple((s.text, s.paragraph) for s in article.analysis.sentences),
                )
            found = value_digest(shown)
        self._found[path] = found
        return found


# Every field of a TopicMember, for page keys: a plain tuple pickles without a call to
# the key's pickler per member (a topic page holds up to 50 of each language).
_member_fields = fields_of_record(TopicMember)


def _topic_page_inputs(
    config: SiteConfig,
    members: _MemberFingerprints,
    facts: _TopicFacts,
    languages: Sequence[LanguageLink],
    slot: _TopicPageSlot,
) -> object:
    """What _topic_page reads for `slot` (given the same code): the topic but for its
    members, the members on the page and each one's article as _MemberFingerprints has
    it, the topic's and its related topics' facts, the site's languages, the topic's
    pages. A topic page's inputs are compared before the page is made: on a large site,
    making every topic page to find the few an edit changed was most of a rebuild's
    render stage."""
    topic, related = slot.topic, slot.related
    return (
        "topic page",
        config,
        (topic.key, topic.name, topic.kind, topic.names, topic.declared, len(topic.members)),
        tuple(
            (lang, tuple((*_member_fields(member), members(member.article)) for member in on_page))
            for lang, on_page in slot.members
        ),
        slot.paths,
        slot.number,
        tuple(facts.article_langs[topic.key].items()),
        facts.links[topic.key],
        related,
        tuple(facts.links.get(key) for key, _articles, _sentences in related),
        tuple(languages),
    )


def _index_entry(
    topic: Topic, facts: _TopicFacts, language_links: Mapping[str, LanguageLink]
) -> TopicIndexEntry:
    counts = facts.article_langs[topic.key]
    languages = tuple(language_links.values())
    coverage = _coverage_cells(counts, languages)
    return TopicIndexEntry(
        link=facts.links[topic.key],
        kind=topic.kind,
        langs=tuple(language_links[lang] for lang in counts if lang in language_links),
        article_count=sum(counts.values()),
        coverage=coverage,
        bar=_coverage_bar(coverage, sum(language.article_count for language in languages)),
    )


def _label_width(text: str) -> float:
    """Rough width of `text` in em: wide (CJK) characters 1, others about half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text)


def fit_label(text: str, max_em: float = MATRIX_LABEL_EM) -> str:
    """`text`, cut and ended with "…" when wider than `max_em` (SVG text does not wrap)."""
    if _label_width(text) <= max_em:
        return text
    kept = ""
    for ch in text:
        if _label_width(kept + ch) > max_em - 1:
            break
        kept += ch
    return f"{kept.rstrip()}…"


def _keyphrase_links(
    article: Article, topic_paths: Mapping[str, str], paragraphs: Sequence[Paragraph]
) -> tuple[KeyphraseLink, ...]:
    """Each key phrase with a link: the page of the topic whose forms in this article
    include it (`topic_paths`, keyed by casefolded form), else the first paragraph that
    uses it, else none."""
    links = []
    for phrase in article.analysis.keyphrases:
        folded = phrase.text.casefold()
        anchor = next((p.anchor for p in paragraphs if folded in p.text.casefold()), "")
        links.append(KeyphraseLink(phrase.text, topic_paths.get(folded, ""), anchor))
    return tuple(links)


@dataclass(frozen=True, slots=True)
class SiteContext:
    """What every page of a site is made with, worked out once from its digest: page
    paths, topic names and ranks, article cards and same-story links. An article's page
    needs only this and the article itself (see `edited_article_pages`)."""

    config: SiteConfig
    file_urls: bool
    paths: _SiteIndex
    facts: _TopicFacts
    topics_of: Mapping[str, tuple[str, ...]]  # article path → keys of its topics
    cards: Mapping[str, ArticleCard]  # article path → its card
    ordered_cards: tuple[ArticleCard, ...]  # in manifest order
    position: Mapping[str, int]  # article path → index in ordered_cards
    language_links: Mapping[str, LanguageLink]  # lang → its language page
    stories_of: Mapping[str, tuple[StoryView, ...]]  # article path → same-story links
    alternates: Mapping[str, tuple[Alternate, ...]]  # hreflang groups (SiteModel's)


def site_context(digest: Digest, *, file_urls: bool = False) -> SiteContext:
    """The SiteContext of `digest`'s site."""
    paths = _paths(digest)
    facts = _topic_facts(digest, paths)
    topics_of: dict[str, list[str]] = {a.entry.path: [] for a in digest.articles}
    for topic in digest.topics:
        for article_path in sorted({m.article for m in topic.members}):
            if article_path in topics_of:
                topics_of[article_path].append(topic.key)
    cards = {a.entry.path: _card(a, topics_of[a.entry.path], facts, paths) for a in digest.articles}
    ordered_cards = tuple(cards[a.entry.path] for a in digest.articles)
    lang_counts: dict[str, int] = {}
    for card in ordered_cards:
        lang_counts[card.lang] = lang_counts.get(card.lang, 0) + 1
    language_links = {
        lang: LanguageLink(
            lang,
            language_name(lang),
            paths.languages[lang],
            lang_counts[lang],
            index % LANGUAGE_COLOURS,
        )
        for index, lang in enumerate(sorted(lang_counts))
    }
    stories_of = _stories_by_article(digest.stories, cards, facts)
    return SiteContext(
        config=digest.manifest.config,
        file_urls=file_urls,
        paths=paths,
        facts=facts,
        topics_of={path: tuple(keys) for path, keys in topics_of.items()},
        cards=cards,
        ordered_cards=ordered_cards,
        position={a.entry.path: index for index, a in enumerate(digest.articles)},
        language_links=language_links,
        stories_of=stories_of,
        alternates=_alternates(
            (cards[a.entry.path], stories_of.get(a.entry.path, ())) for a in digest.articles
        ),
    )


def _page(
    config: SiteConfig,
    path: str,
    template: str,
    section: Section,
    title: str,
    body: PageBody,
    *,
    title_lang: str = "",
    description: str = "",
    canonical: bool = True,
    breadcrumbs: tuple[Crumb, ...] = (),
    pager: Pager | None = None,
) -> Page:
    return Page(
        path=path,
        template=template,
        section=section,
        title=title,
        title_lang=title_lang,
        description=description or config.description,
        canonical_url=canonical_url(config, path) if canonical else "",
        body=body,
        breadcrumbs=breadcrumbs,
        pager=pager,
    )


_HOME_CRUMB = Crumb("", "index.html", label_key="nav.home")
_TOPICS_CRUMB = Crumb("", "topics/index.html", label_key="nav.topics")


def _article_page(
    context: SiteContext,
    article: Article,
    card: ArticleCard,
    topic_forms: Sequence[tuple[str, str]],
) -> Page:
    path = article.entry.path
    index = context.position[path]
    ordered = context.ordered_cards
    link_map = _links_from(card.path, context.paths.articles, context.file_urls)
    body = dataclasses.replace(
        _article_body(
            article,
            card,
            link_map,
            context.config,
            context.stories_of.get(path, ()),
            topic_forms,
        ),
        previous=ordered[index - 1] if index > 0 else None,
        next=ordered[index + 1] if index + 1 < len(ordered) else None,
    )
    language = context.language_links[card.lang]
    return _page(
        context.config,
        card.path,
        "article.html",
        "article",
        card.title,
        ArticlePage(body),
        title_lang=card.lang,
        description=_shorten(card.summary),
        breadcrumbs=(_HOME_CRUMB, Crumb(language.name, language.path, language.lang)),
    )


def _article_page_inputs(
    context: SiteContext,
    article: Article,
    card: ArticleCard,
    topic_forms: Sequence[tuple[str, str]],
    article_paths: str,
) -> object:
    """What _article_page reads for `article` (given the same code), the article's source
    and analysis as its fingerprint (so only for an article that has one), and as
    `article_paths` a fingerprint of the article pages' paths, which its links to other
    articles are made from."""
    path = article.entry.path
    index = context.position[path]
    ordered = context.ordered_cards
    return (
        "article page",
        context.config,
        context.file_urls,
        article.entry,
        article.fingerprint,
        card,
        ordered[index - 1] if index > 0 else None,
        ordered[index + 1] if index + 1 < len(ordered) else None,
        article_paths,
        context.stories_of.get(path, ()),
        tuple(topic_forms),
        context.language_links[card.lang],
    )


def _topic_forms(
    topics: Iterable[Topic], paths: _SiteIndex, articles: Collection[str]
) -> dict[str, list[tuple[str, str]]]:
    """Article path → (form, topic page path) of each of its topics' forms in it, in the
    order of `topics` (most covered first), for key phrase links."""
    forms: dict[str, list[tuple[str, str]]] = {path: [] for path in articles}
    for topic in topics:
        for member in topic.members:
            if member.article in forms:
                forms[member.article].extend(
                    (form, paths.topics[topic.key]) for form in member.surfaces
                )
    return forms


def edited_article_pages(
    context: SiteContext, topics: Sequence[Topic], articles: Sequence[Article]
) -> SiteModel:
    """The pages of `articles`, edited since `context` was made from the site's digest,
    each as the whole site's model would have it with the same `topics` (the digest's)
    and the same title and language (the caller checks: they decide the page's path and
    its neighbours' language counts). The preview server shows an edit this way at once.
    """
    wanted = {article.entry.path for article in articles}
    keys = {key for path in wanted for key in context.topics_of[path]}
    # The articles' own topics only: the site's may be thousands.
    own_topics = sorted(
        (topic for topic in topics if topic.key in keys), key=lambda t: context.facts.rank[t.key]
    )
    forms = _topic_forms(own_topics, context.paths, wanted)
    pages = []
    for article in articles:
        path = article.entry.path
        card = _card(article, context.topics_of[path], context.facts, context.paths)
        pages.append(_article_page(context, article, card, forms[path]))
    return SiteModel(
        config=context.config,
        file_urls=context.file_urls,
        pages=Pages.of(pages),
        article_pages=dict(context.paths.articles),
        topic_pages=dict(context.paths.topics),
        alternates=context.alternates,
    )


def build_site_model(digest: Digest, *, file_urls: bool = False) -> SiteModel:
    """Every page of the site, with its output path, view data and canonical URL.

    The model's `context` is what each of its article pages was made with.
    """
    context = site_context(digest, file_urls=file_urls)
    config = context.config
    paths, facts, cards = context.paths, context.facts, context.cards
    ordered_cards, language_links = context.ordered_cards, context.language_links
    articles = {a.entry.path: a for a in digest.articles}
    site_languages = tuple(language_links.values())
    by_coverage = sorted(digest.topics, key=lambda t: facts.rank[t.key])

    languages_crumb = Crumb("", "languages/index.html", label_key="nav.languages")
    pages: list[Page] = []

    parts = split_prose(digest.manifest.prose_markdown)
    prose_html = render_markdown(
        parts.body,
        link_map=_links_from("index.html", paths.articles, file_urls),
        base_path=digest.manifest.index_path.rsplit("/", 1)[-1],
        top_heading_level=2,
    )
    matrix_rows = tuple(
        CoverageRow(
            facts.links[t.key],
            _coverage_cells(facts.article_langs[t.key], site_languages),
            sum(facts.article_langs[t.key].values()),
            fit_label(facts.links[t.key].name),
        )
        for t in by_coverage[:MATRIX_TOPICS]
        if facts.article_langs[t.key]
    )
    size = config.page_size
    home_paths = page_paths("index.html", page_count(len(ordered_cards), size))
    home = HomePage(
        heading=parts.title or config.title,
        prose_html=Markup(prose_html),
        list_heading=parts.list_heading or "",
        cards=ordered_cards[:size],
        languages=site_languages,
        matrix=CoverageMatrix(site_languages, matrix_rows, len(digest.topics))
        if matrix_rows
        else None,
        top_topics=tuple(
            _index_entry(t, facts, language_links)
            for t in by_coverage[:TOP_TOPICS]
            if facts.article_langs[t.key]
        ),
    )
    for number, path in enumerate(home_paths, start=1):
        # Later pages list the articles only: the prose, topics and chart are the first's.
        body = home
        if number > 1:
            cards_here = ordered_cards[(number - 1) * size : number * size]
            body = HomePage(home.heading, Markup(""), home.list_heading, cards_here, ())
        pages.append(
            _page(
                config,
                path,
                "home.html",
                "home",
                config.title,
                body,
                pager=pager(home_paths, number),
            )
        )

    # Article and topic pages are made as they are rendered (see Pages).
    lazy: list[PageEntry] = []
    topic_forms = _topic_forms(by_coverage, paths, articles)
    article_paths = value_digest(tuple(paths.articles.items()))
    for article in digest.articles:
        card = cards[article.entry.path]
        forms = topic_forms[article.entry.path]
        make = functools.partial(_article_page, context, article, card, forms)
        inputs = None
        if article.fingerprint:
            inputs = functools.partial(
                _article_page_inputs, context, article, card, forms, article_paths
            )
        lazy.append(PageEntry(card.path, canonical_url(config, card.path), card, make, inputs))
    related = related_topics(digest.topics)
    members = _MemberFingerprints(articles, cards)
    for topic in digest.topics:
        slots = _topic_page_slots(
            topic,
            related[topic.key],
            articles,
            cards,
            facts.links[topic.key].path,
            config.topic_page_size,
        )
        for slot in slots:
            make = functools.partial(
                _topic_page, config, articles, cards, facts, site_languages, slot
            )
            inputs = functools.partial(
                _topic_page_inputs, config, members, facts, site_languages, slot
            )
            lazy.append(PageEntry(slot.path, canonical_url(config, slot.path), None, make, inputs))

    entries = [_index_entry(t, facts, language_links) for t in by_coverage]
    groups = tuple(
        TopicGroup(kind, tuple(e for e in entries if e.kind == kind))
        for kind in INDEX_KIND_ORDER
        if any(e.kind == kind for e in entries)
    )
    alphabetical = tuple(sorted(entries, key=lambda e: (e.link.name.casefold(), e.link.key)))
    pages.append(
        _page(
            config,
            "topics/index.html",
            "topics.html",
            "topics",
            "",
            TopicIndexPage(groups, len(digest.topics), alphabetical),
            breadcrumbs=(_HOME_CRUMB,),
        )
    )

    for lang, link in language_links.items():
        lang_cards = tuple(c for c in ordered_cards if c.lang == lang)
        lang_paths = page_paths(link.path, page_count(len(lang_cards), size))
        for number, path in enumerate(lang_paths, start=1):
            pages.append(
                _page(
                    config,
                    path,
                    "language.html",
                    "languages",
                    link.name,
                    LanguagePage(link, lang_cards[(number - 1) * size : number * size]),
                    title_lang=lang,
                    breadcrumbs=(_HOME_CRUMB, languages_crumb),
                    pager=pager(lang_paths, number),
                )
            )
    pages.append(
        _page(
            config,
            "languages/index.html",
            "languages.html",
            "languages",
            "",
            LanguagesPage(site_languages),
            breadcrumbs=(_HOME_CRUMB,),
        )
    )
    not_found = NotFoundPage()
    pages.append(_page(config, "404.html", "404.html", "other", "", not_found, canonical=False))

    return SiteModel(
        config=config,
        file_urls=file_urls,
        pages=Pages((*lazy, *Pages.of(pages).entries)),
        article_pages=dict(paths.articles),
        topic_pages=dict(paths.topics),
        alternates=context.alternates,
        context=context,
    )
