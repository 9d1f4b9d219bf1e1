"""Site model: slugs, page paths and the view records the templates read.

Every page has an output path such as "articles/<slug>/index.html". Links between pages
are made relative by the renderer (`relative_url`), so the site works from file:// and
under any subpath. HTML fields (`*_html`) hold Markup that was escaped here or by
`render_markdown`; everything else is plain text that the templates escape.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, get_args

from markupsafe import Markup, escape

from .markdown import is_safe_url, render_markdown, split_prose
from .model import Article, Digest, MentionKind, SiteConfig, Topic

__all__ = [
    "LANGUAGE_NAMES",
    "RESERVED_SLUGS",
    "ArticleBody",
    "ArticleCard",
    "ArticlePage",
    "HomePage",
    "LanguageLink",
    "LanguagePage",
    "LanguagesPage",
    "NotFoundPage",
    "Page",
    "PageBody",
    "Paragraph",
    "SentenceView",
    "SiteModel",
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
    "highlight_mentions",
    "language_name",
    "relative_url",
    "slugify",
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
    {"ß": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ł": "l",
     "Ł": "l", "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th", "ð": "d", "Ð": "d", "ı": "i"}
)
_APOSTROPHES = re.compile(r"['’ʼ]")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
# Articles whose title yields fewer Latin characters than this (CJK titles with a brand
# name or two) get a hash of their path, because such short slugs collide easily.
_SHORT_LATIN_SLUG = 12
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Scripts written without spaces between words or sentences.
_UNSPACED_LANGS = ("zh", "ja")

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
    target, hash_mark, fragment = to_page.partition("#")
    from_dir = posixpath.dirname(from_page) or "."
    if not file_urls and posixpath.basename(target) == "index.html":
        target_dir = posixpath.dirname(target) or "."
        rel = posixpath.relpath(target_dir, from_dir)
        url = "./" if rel == "." else f"{rel}/"
    else:
        url = posixpath.relpath(target, from_dir)
    return f"{url}{hash_mark}{fragment}"


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


# --- view records --------------------------------------------------------------------


@dataclass(frozen=True)
class TopicLink:
    key: str
    name: str
    name_lang: str  # language of `name` (the interface language when no article uses it)
    path: str  # output path of the topic page


@dataclass(frozen=True)
class LanguageLink:
    lang: str
    name: str  # native name, e.g. "日本語"
    path: str
    article_count: int


@dataclass(frozen=True)
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
    topics: tuple[TopicLink, ...]


@dataclass(frozen=True)
class Paragraph:
    anchor: str  # "p-1" … (1-based)
    text: str


@dataclass(frozen=True)
class SummaryItem:
    text: str
    anchor: str  # paragraph anchor the sentence comes from, "" when not known


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class SentenceView:
    html: Markup  # escaped sentence with the topic's forms in <mark>
    anchor: str  # paragraph anchor in the article page, "" when not linkable


@dataclass(frozen=True)
class TopicMemberView:
    card: ArticleCard
    sentences: tuple[SentenceView, ...]
    surfaces: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class TopicSection:
    lang: str
    lang_name: str
    members: tuple[TopicMemberView, ...]


@dataclass(frozen=True)
class TopicNames:
    lang: str
    lang_name: str
    forms: tuple[str, ...]


@dataclass(frozen=True)
class TopicIndexEntry:
    link: TopicLink
    kind: MentionKind
    langs: tuple[LanguageLink, ...]  # languages of its member articles (path: language page)
    article_count: int


@dataclass(frozen=True)
class TopicGroup:
    kind: MentionKind
    entries: tuple[TopicIndexEntry, ...]


@dataclass(frozen=True)
class HomePage:
    heading: str
    prose_html: Markup
    list_heading: str  # "" → the template's own label
    cards: tuple[ArticleCard, ...]
    languages: tuple[LanguageLink, ...]


@dataclass(frozen=True)
class ArticlePage:
    article: ArticleBody


@dataclass(frozen=True)
class TopicPage:
    link: TopicLink
    kind: MentionKind
    declared: bool
    names: tuple[TopicNames, ...]
    sections: tuple[TopicSection, ...]


@dataclass(frozen=True)
class TopicIndexPage:
    groups: tuple[TopicGroup, ...]
    topic_count: int


@dataclass(frozen=True)
class LanguagePage:
    language: LanguageLink
    cards: tuple[ArticleCard, ...]


@dataclass(frozen=True)
class LanguagesPage:
    languages: tuple[LanguageLink, ...]


@dataclass(frozen=True)
class NotFoundPage:
    pass


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


@dataclass(frozen=True)
class Page:
    path: str  # output path, e.g. "topics/nvidia/index.html"
    template: str  # template file name, e.g. "topic.html"
    section: Section  # which navigation item is current
    title: str  # <title> text (the site title is added by the template)
    title_lang: str  # language of `title`, "" when it is the interface language
    description: str
    canonical_url: str  # "" when base_url is not set or the page has none
    body: PageBody


@dataclass(frozen=True)
class SiteModel:
    config: SiteConfig
    file_urls: bool  # link to ".../index.html" instead of ".../" (for file:// browsing)
    pages: tuple[Page, ...]  # sorted by path
    article_pages: Mapping[str, str]  # article path → output path of its page
    topic_pages: Mapping[str, str]  # topic key → output path of its page

    def page(self, path: str) -> Page:
        for page in self.pages:
            if page.path == path:
                return page
        raise KeyError(path)


# --- building ------------------------------------------------------------------------


def highlight_mentions(sentence: str, surfaces: Iterable[str]) -> Markup:
    """Escape `sentence` and wrap every occurrence of a surface form in <mark>.

    Longer forms win over shorter ones at the same place; a form that starts or ends
    with a Latin letter or digit only matches at a word edge ("IA" not inside "média").
    """
    forms = sorted({s for s in surfaces if s.strip()}, key=lambda s: (-len(s), s))
    if not forms:
        return Markup(escape(sentence))
    latin = "0-9A-Za-z\u00c0-\u024f"
    patterns = []
    for form in forms:
        head = f"(?<![{latin}])" if re.match(f"[{latin}]", form[0]) else ""
        tail = f"(?![{latin}])" if re.match(f"[{latin}]", form[-1]) else ""
        patterns.append(f"{head}{re.escape(form)}{tail}")
    pattern = re.compile("|".join(patterns), re.IGNORECASE)
    parts: list[str] = []
    position = 0
    for match in pattern.finditer(sentence):
        parts.append(str(escape(sentence[position : match.start()])))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        position = match.end()
    parts.append(str(escape(sentence[position:])))
    return Markup("".join(parts))


def _name_lang(topic: Topic, default: str) -> str:
    """The language whose forms include the topic's name; else `default` (the interface
    language: a name found in no article is the editor's or the topic stage's own)."""
    for lang, forms in topic.names:
        if topic.name in forms:
            return lang
    return default


def _join_sentences(sentences: Sequence[str], lang: str) -> str:
    joiner = "" if lang.split("-", 1)[0] in _UNSPACED_LANGS else " "
    return joiner.join(s.strip() for s in sentences if s.strip())


def _language_slug(lang: str) -> str:
    return slugify(lang, fallback="und")


def _shorten(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else f"{text[: limit - 1].rstrip()}…"


@dataclass(frozen=True)
class _SiteIndex:
    articles: Mapping[str, str]  # article path → page path
    topics: Mapping[str, str]  # topic key → page path
    languages: Mapping[str, str]  # lang → page path
    ui_language: str  # language of topic names that no article uses


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


def _topic_link(topic: Topic, paths: _SiteIndex) -> TopicLink:
    name_lang = _name_lang(topic, paths.ui_language)
    return TopicLink(topic.key, topic.name, name_lang, paths.topics[topic.key])


def _card(article: Article, topics: Sequence[Topic], paths: _SiteIndex) -> ArticleCard:
    analysis = article.analysis
    lang = analysis.language.lang
    date = analysis.date or article.entry.date or ""
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
        topics=tuple(
            _topic_link(t, paths)
            for t in topics
            if any(m.article == article.entry.path for m in t.members)
        ),
    )


def _paragraph_anchor(article: Article, paragraph: int) -> str:
    linkable = article.source.markup == "text" and 0 <= paragraph < len(article.source.paragraphs)
    return f"p-{paragraph + 1}" if linkable else ""


def _article_body(
    article: Article, card: ArticleCard, link_map: Mapping[str, str], config: SiteConfig
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
    )


def _links_from(page_path: str, targets: Mapping[str, str], file_urls: bool) -> dict[str, str]:
    return {src: relative_url(page_path, dst, file_urls=file_urls) for src, dst in targets.items()}


def _topic_page(
    topic: Topic,
    articles: Mapping[str, Article],
    cards: Mapping[str, ArticleCard],
    paths: _SiteIndex,
) -> TopicPage:
    by_lang: dict[str, list[TopicMemberView]] = {}
    for member in topic.members:
        article = articles.get(member.article)
        if article is None:
            continue  # the topic stage should not do this; skip rather than link nowhere
        sentences = article.analysis.sentences
        views = tuple(
            SentenceView(
                highlight_mentions(sentences[i].text, member.surfaces),
                _paragraph_anchor(article, sentences[i].paragraph),
            )
            for i in member.sentences
            if 0 <= i < len(sentences)
        )
        card = cards[member.article]
        by_lang.setdefault(card.lang, []).append(
            TopicMemberView(card, views, member.surfaces, member.reason)
        )
    sections = tuple(
        TopicSection(lang, language_name(lang), tuple(by_lang[lang])) for lang in sorted(by_lang)
    )
    names = tuple(TopicNames(lang, language_name(lang), forms) for lang, forms in topic.names)
    return TopicPage(
        link=_topic_link(topic, paths),
        kind=topic.kind,
        declared=topic.declared,
        names=names,
        sections=sections,
    )


def build_site_model(digest: Digest, *, file_urls: bool = False) -> SiteModel:
    """Every page of the site, with its output path, view data and canonical URL."""
    config = digest.manifest.config
    paths = _paths(digest)
    articles = {a.entry.path: a for a in digest.articles}
    cards = {a.entry.path: _card(a, digest.topics, paths) for a in digest.articles}
    ordered_cards = tuple(cards[a.entry.path] for a in digest.articles)
    lang_counts: dict[str, int] = {}
    for card in ordered_cards:
        lang_counts[card.lang] = lang_counts.get(card.lang, 0) + 1
    language_links = {
        lang: LanguageLink(lang, language_name(lang), paths.languages[lang], lang_counts[lang])
        for lang in sorted(lang_counts)
    }

    def page(path: str, template: str, section: Section, title: str, body: PageBody,
             *, title_lang: str = "", description: str = "", canonical: bool = True) -> Page:
        return Page(
            path=path,
            template=template,
            section=section,
            title=title,
            title_lang=title_lang,
            description=description or config.description,
            canonical_url=canonical_url(config, path) if canonical else "",
            body=body,
        )

    pages: list[Page] = []

    parts = split_prose(digest.manifest.prose_markdown)
    prose_html = render_markdown(
        parts.body,
        link_map=_links_from("index.html", paths.articles, file_urls),
        base_path=digest.manifest.index_path.rsplit("/", 1)[-1],
        top_heading_level=2,
    )
    home = HomePage(
        heading=parts.title or config.title,
        prose_html=Markup(prose_html),
        list_heading=parts.list_heading or "",
        cards=ordered_cards,
        languages=tuple(language_links.values()),
    )
    pages.append(page("index.html", "home.html", "home", config.title, home))

    for article in digest.articles:
        card = cards[article.entry.path]
        link_map = _links_from(card.path, paths.articles, file_urls)
        body = _article_body(article, card, link_map, config)
        pages.append(
            page(card.path, "article.html", "article", card.title, ArticlePage(body),
                 title_lang=card.lang, description=_shorten(card.summary))
        )

    topic_pages = [_topic_page(t, articles, cards, paths) for t in digest.topics]
    for topic_page in topic_pages:
        pages.append(
            page(topic_page.link.path, "topic.html", "topics", topic_page.link.name, topic_page,
                 title_lang=topic_page.link.name_lang)
        )

    groups: list[TopicGroup] = []
    for kind in KIND_ORDER:
        entries = []
        for topic_page in topic_pages:
            if topic_page.kind != kind:
                continue
            member_cards = [m.card for s in topic_page.sections for m in s.members]
            langs = sorted({c.lang for c in member_cards})
            entries.append(
                TopicIndexEntry(
                    link=topic_page.link,
                    kind=kind,
                    langs=tuple(language_links[lang] for lang in langs),
                    article_count=len({c.source_path for c in member_cards}),
                )
            )
        if entries:
            entries.sort(key=lambda e: (-e.article_count, e.link.name.casefold(), e.link.key))
            groups.append(TopicGroup(kind, tuple(entries)))
    pages.append(
        page("topics/index.html", "topics.html", "topics", "", TopicIndexPage(
            tuple(groups), len(topic_pages)))
    )

    for lang, link in language_links.items():
        lang_cards = tuple(c for c in ordered_cards if c.lang == lang)
        pages.append(
            page(link.path, "language.html", "languages", link.name, LanguagePage(link, lang_cards),
                 title_lang=lang)
        )
    pages.append(
        page("languages/index.html", "languages.html", "languages", "",
             LanguagesPage(tuple(language_links.values())))
    )
    pages.append(page("404.html", "404.html", "other", "", NotFoundPage(), canonical=False))

    pages.sort(key=lambda p: p.path)
    return SiteModel(
        config=config,
        file_urls=file_urls,
        pages=tuple(pages),
        article_pages=dict(paths.articles),
        topic_pages=dict(paths.topics),
    )
