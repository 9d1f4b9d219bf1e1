"""Publishing metadata: the Atom feed, sitemap.xml, robots.txt and each page's <head> data.

Pure functions over the site model. Absolute URLs need the site's base URL (INDEX.md
`base_url`, or `build --base-url`), which may hold a subpath such as
https://example.org/digest/. Without one:

- feed.xml is still written: RFC 4287 allows relative references in atom:link (resolved
  against the feed's own address), and ids become urn:uuid values derived from the site
  title and the article paths;
- sitemap.xml and robots.txt are skipped (sitemaps.org requires absolute <loc> URLs, and
  a robots.txt Sitemap line must be absolute), as Hugo and MkDocs do without a site URL;
  check.content_warnings reports that once;
- canonical, og:url and the JSON-LD url are left out; hreflang alternates link relatively.

Nothing here reads the clock: feed and entry dates come from the articles' dates.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

from .manifest import normalise_base_url
from .model import Digest, OutputFile
from .sitemodel import Alternate, ArticleCard, ArticlePage, Page, SiteModel, canonical_url

__all__ = [
    "FEED_PATH",
    "ROBOTS_PATH",
    "SITEMAP_PATH",
    "Alternate",
    "HeadMetadata",
    "atom_feed",
    "feed_files",
    "head_metadata",
    "news_article_json_ld",
    "og_locale",
    "robots_txt",
    "sitemap_xml",
    "with_base_url",
]

FEED_PATH = "feed.xml"
SITEMAP_PATH = "sitemap.xml"
ROBOTS_PATH = "robots.txt"

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
# atom:updated is required; a site none of whose articles has a date gets this fixed value.
UNDATED = "1970-01-01T00:00:00Z"
# Likely region of a bare language tag (CLDR likely subtags), for og:locale's ll_CC form.
_LIKELY_REGIONS: Mapping[str, str] = MappingProxyType(
    {
        "ar": "EG",
        "de": "DE",
        "en": "US",
        "es": "ES",
        "fr": "FR",
        "hi": "IN",
        "id": "ID",
        "it": "IT",
        "ja": "JP",
        "ko": "KR",
        "nl": "NL",
        "pl": "PL",
        "pt": "BR",
        "ru": "RU",
        "th": "TH",
        "tr": "TR",
        "uk": "UA",
        "vi": "VN",
        "zh": "CN",
    }
)
_SCRIPT_REGIONS: Mapping[str, str] = MappingProxyType({"Hans": "CN", "Hant": "TW"})


@dataclass(frozen=True, slots=True)
class HeadMetadata:
    """What a page's <head> says about it beyond title and description."""

    open_graph: tuple[tuple[str, str], ...]  # (property, content), e.g. ("og:type", "article")
    alternates: tuple[tuple[str, str], ...]  # (hreflang, href) including the page itself
    json_ld: Markup  # <script type="application/ld+json"> body, "" when none


# --- base URL --------------------------------------------------------------------------


def with_base_url(digest: Digest, base_url: str | None) -> Digest:
    """The digest with its site's base URL replaced (`build --base-url`); None keeps it.

    Raises SiteBuilderError when `base_url` is not an http(s) folder address.
    """
    if base_url is None:
        return digest
    config = replace(digest.manifest.config, base_url=normalise_base_url(base_url))
    return replace(digest, manifest=replace(digest.manifest, config=config))


def _absolute(model: SiteModel, path: str) -> str:
    """Absolute URL of an output path, "" without a base URL."""
    return canonical_url(model.config, path)


# --- <head> ---------------------------------------------------------------------------------


def og_locale(lang: str) -> str:
    """Open Graph locale (language_TERRITORY) for a BCP 47 tag: "pt" → "pt_BR",
    "zh-Hant" → "zh_TW", "en-GB" → "en_GB"; a tag whose region is unknown keeps its language."""
    subtags = lang.split("-")
    language = subtags[0].lower()
    region = next((s.upper() for s in subtags[1:] if len(s) == 2 and s.isalpha()), None)
    script = next((s.title() for s in subtags[1:] if len(s) == 4 and s.isalpha()), None)
    if region is None and script is not None:
        region = _SCRIPT_REGIONS.get(script)
    if region is None:
        region = _LIKELY_REGIONS.get(language)
    return f"{language}_{region}" if region else language


def _iso_datetime(date: str) -> str:
    return f"{date}T00:00:00Z"


def _script_json(data: Mapping[str, object]) -> Markup:
    """JSON for a <script> element: "<", ">" and "&" escaped so it cannot end the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=None)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def news_article_json_ld(model: SiteModel, page: Page) -> Markup:
    """schema.org NewsArticle for an article page (JSON text), "" for other pages."""
    if not isinstance(page.body, ArticlePage):
        return Markup("")
    article = page.body.article
    card = article.card
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": card.title,
        "inLanguage": card.lang,
    }
    if page.description:
        data["description"] = page.description
    if card.date_is_iso:
        data["datePublished"] = card.date
    if card.author:
        data["author"] = {"@type": "Person", "name": card.author}
    elif card.source:
        data["author"] = {"@type": "Organization", "name": card.source}
    if card.source:
        data["publisher"] = {"@type": "Organization", "name": card.source}
    url = _absolute(model, page.path)
    if url:
        data["url"] = url
        data["mainEntityOfPage"] = url
    if article.url:
        data["isBasedOn"] = article.url
    return _script_json(data)


def head_metadata(
    model: SiteModel,
    page: Page,
    url: Callable[[str], str],
) -> HeadMetadata:
    """Open Graph tags, hreflang alternates and JSON-LD for one page.

    `url` makes links from this page (relative ones are used when there is no base URL).
    """
    config = model.config
    is_article = isinstance(page.body, ArticlePage)
    lang = page.title_lang if is_article and page.title_lang else config.ui_language
    open_graph: list[tuple[str, str]] = [
        ("og:title", page.title or config.title),
        ("og:type", "article" if is_article else "website"),
        ("og:site_name", config.title),
        ("og:locale", og_locale(lang)),
    ]
    if page.description:
        open_graph.append(("og:description", page.description))
    if page.canonical_url:
        open_graph.append(("og:url", page.canonical_url))
    group = model.alternates.get(page.path, ())
    open_graph.extend(
        ("og:locale:alternate", og_locale(a.lang)) for a in group if a.path != page.path
    )
    if isinstance(page.body, ArticlePage) and page.body.article.card.date_is_iso:
        open_graph.append(("article:published_time", page.body.article.card.date))
    links = tuple((a.lang, _absolute(model, a.path) or url(a.path)) for a in group)
    return HeadMetadata(tuple(open_graph), links, news_article_json_ld(model, page))


# --- feed.xml -------------------------------------------------------------------------------


def _article_cards(model: SiteModel) -> list[tuple[str, ArticleCard]]:
    """(page path, card) of the article pages, newest first; undated ones last; ties by
    path. From the pages' entries: making the pages again would cost a second render."""
    found = [(entry.path, entry.card) for entry in model.pages.entries if entry.card is not None]
    dated = sorted((p for p in found if p[1].date_is_iso), key=lambda p: p[0])
    dated.sort(key=lambda p: p[1].date, reverse=True)
    undated = sorted((p for p in found if not p[1].date_is_iso), key=lambda p: p[0])
    return dated + undated


def _feed_href(model: SiteModel, path: str) -> str:
    """Absolute URL with a base URL, else a reference relative to feed.xml (at the root)."""
    absolute = _absolute(model, path)
    if absolute:
        return absolute
    # feed.xml sits at the site root, so a root-relative output path is its relative URL.
    target = path.removesuffix("index.html")
    return target or "./"


def _uuid_id(model: SiteModel, name: str) -> str:
    """A stable id without a base URL: a name-based UUID of the site title and `name`."""
    key = f"site-builder:{model.config.title}:{name}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, key)}"


def _element(name: str, text: str, **attributes: str) -> str:
    attrs = "".join(f" {key}={quoteattr(value)}" for key, value in sorted(attributes.items()))
    return f"<{name}{attrs}>{escape(text)}</{name}>"


def atom_feed(model: SiteModel) -> str:
    """The Atom feed (RFC 4287) of every article, newest first."""
    config = model.config
    articles = _article_cards(model)
    dates = [card.date for _page, card in articles if card.date_is_iso]
    feed_updated = _iso_datetime(max(dates)) if dates else UNDATED
    home = _absolute(model, "index.html")
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f"<feed xmlns={quoteattr(ATOM_NS)} xml:lang={quoteattr(config.ui_language)}>",
        "  " + _element("id", home or _uuid_id(model, "feed")),
        "  " + _element("title", config.title),
    ]
    if config.description:
        lines.append("  " + _element("subtitle", config.description))
    lines += [
        "  " + _element("updated", feed_updated),
        '  <link rel="self" type="application/atom+xml" '
        f"href={quoteattr(_feed_href(model, FEED_PATH))}/>",
        '  <link rel="alternate" type="text/html" '
        f"href={quoteattr(_feed_href(model, 'index.html'))}/>",
        # The feed's author covers entries without one (RFC 4287 §4.1.1).
        f"  <author>{_element('name', config.author or config.title)}</author>",
        "  " + _element("generator", "site_builder"),
    ]
    for path, card in articles:
        href = _feed_href(model, path)
        updated = _iso_datetime(card.date) if card.date_is_iso else feed_updated
        lines.append(f"  <entry xml:lang={quoteattr(card.lang)}>")
        entry_id = _absolute(model, path) or _uuid_id(model, card.source_path)
        lines.append("    " + _element("id", entry_id))
        lines.append("    " + _element("title", card.title))
        lines.append("    " + _element("updated", updated))
        if card.date_is_iso:
            lines.append("    " + _element("published", updated))
        if card.author:
            lines.append(f"    <author>{_element('name', card.author)}</author>")
        lines.append(
            f'    <link rel="alternate" type="text/html" hreflang={quoteattr(card.lang)} '
            f"href={quoteattr(href)}/>"
        )
        if card.summary:
            lines.append("    " + _element("summary", card.summary, type="text"))
        lines.append("  </entry>")
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


# --- sitemap.xml and robots.txt -------------------------------------------------------------


def sitemap_xml(model: SiteModel) -> str:
    """sitemaps.org urlset of every page but 404.html, with hreflang alternates of articles.

    Needs a base URL; raises ValueError without one.
    """
    if not model.config.base_url:
        raise ValueError("sitemap.xml needs absolute URLs: the site has no base URL")
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f"<urlset xmlns={quoteattr(SITEMAP_NS)} xmlns:xhtml={quoteattr(XHTML_NS)}>",
    ]
    for page in model.pages.entries:
        if not page.canonical_url:
            continue  # 404.html: not a page of its own address
        lines.append("  <url>")
        lines.append("    " + _element("loc", page.canonical_url))
        if page.card is not None and page.card.date_is_iso:
            lines.append("    " + _element("lastmod", page.card.date))
        for alternate in model.alternates.get(page.path, ()):
            lines.append(
                f'    <xhtml:link rel="alternate" hreflang={quoteattr(alternate.lang)} '
                f"href={quoteattr(_absolute(model, alternate.path))}/>"
            )
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(model: SiteModel) -> str:
    """Allow everything and name the sitemap. Crawlers read robots.txt only at a host's
    root: for a site under a subpath, add the Sitemap line to the host's own robots.txt."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {_absolute(model, SITEMAP_PATH)}\n"


def feed_files(model: SiteModel) -> list[OutputFile]:
    """feed.xml always; sitemap.xml and robots.txt when the site has a base URL."""
    files = [OutputFile(FEED_PATH, atom_feed(model).encode("utf-8"))]
    if model.config.base_url:
        files.append(OutputFile(SITEMAP_PATH, sitemap_xml(model).encode("utf-8")))
        files.append(OutputFile(ROBOTS_PATH, robots_txt(model).encode("utf-8")))
    return sorted(files, key=lambda f: f.path)
