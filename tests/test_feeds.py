"""site_builder.feeds: Atom feed, sitemap.xml, robots.txt, Open Graph, JSON-LD, hreflang."""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ElementTree
from datetime import datetime
from html.parser import HTMLParser
from typing import NoReturn

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.errors import SiteBuilderError
from site_builder.feeds import (
    atom_feed,
    feed_files,
    og_locale,
    with_base_url,
)
from site_builder.model import Digest, StoryLink
from site_builder.render import render_site
from site_builder.sitemodel import Pages, SiteModel, build_site_model

from .factories import analysed_article
from .test_sitemodel import fixture_digest

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BASE = "https://example.org/digest/"
PT_PAGE = "articles/acoes-da-nvidia-caem-apos-modelo-chines-barato/index.html"
ZH_PAGE = "articles/b-zh/index.html"
JA_PAGE = "articles/deepseek-8333f8/index.html"


def _without_base(digest: Digest) -> Digest:
    config = dataclasses.replace(digest.manifest.config, base_url="")
    return dataclasses.replace(digest, manifest=dataclasses.replace(digest.manifest, config=config))


@pytest.fixture(scope="module")
def site() -> dict[str, bytes]:
    return {f.path: f.data for f in render_site(build_site_model(fixture_digest()))}


@pytest.fixture(scope="module")
def relative_site() -> dict[str, bytes]:
    model = build_site_model(_without_base(fixture_digest()))
    return {f.path: f.data for f in render_site(model)}


def _rfc3339(value: str | None) -> datetime:
    assert value is not None and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", value), value
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


# --- feed.xml ----------------------------------------------------------------------------------


def test_atom_feed_has_every_required_element(site: dict[str, bytes]) -> None:
    feed = ElementTree.fromstring(site["feed.xml"])
    assert feed.tag == f"{ATOM}feed" and feed.get(XML_LANG) == "en"
    assert feed.findtext(f"{ATOM}id") == BASE
    assert feed.findtext(f"{ATOM}title") == "Cheap reasoning models"
    assert _rfc3339(feed.findtext(f"{ATOM}updated")).date().isoformat() == "2025-01-28"
    self_links = [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert [link.get("href") for link in self_links] == [f"{BASE}feed.xml"]
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Fixture Editor"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 3
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(set(ids)) == 3
    for entry in entries:
        assert entry.get(XML_LANG) in {"pt", "zh-Hant", "ja"}
        assert entry.findtext(f"{ATOM}title")
        _rfc3339(entry.findtext(f"{ATOM}updated"))
        assert entry.findtext(f"{ATOM}summary")
        (link,) = entry.findall(f"{ATOM}link")
        assert link.get("rel") == "alternate" and link.get("hreflang") == entry.get(XML_LANG)
        assert link.get("href", "").startswith(BASE) and link.get("href") == entry.findtext(
            f"{ATOM}id"
        )
    # Newest first; the undated ja article last, dated as the feed.
    assert [e.get(XML_LANG) for e in entries] == ["pt", "zh-Hant", "ja"]
    assert entries[2].find(f"{ATOM}published") is None
    assert entries[2].findtext(f"{ATOM}updated") == feed.findtext(f"{ATOM}updated")


def test_feed_dates_come_from_the_articles_not_the_clock() -> None:
    digest = fixture_digest()
    undated = tuple(
        dataclasses.replace(
            a,
            entry=dataclasses.replace(a.entry, date=None),
            analysis=dataclasses.replace(a.analysis, date=None),
        )
        for a in digest.articles
    )
    text = atom_feed(build_site_model(dataclasses.replace(digest, articles=undated)))
    feed = ElementTree.fromstring(text)
    assert {e.text for e in feed.iter(f"{ATOM}updated")} == {"1970-01-01T00:00:00Z"}
    assert text == atom_feed(build_site_model(dataclasses.replace(digest, articles=undated)))


def test_feed_without_base_url_uses_relative_links_and_uuid_ids(
    relative_site: dict[str, bytes],
) -> None:
    feed = ElementTree.fromstring(relative_site["feed.xml"])
    ids = [e.text or "" for e in feed.iter(f"{ATOM}id")]
    assert len(ids) == 4 and all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", i) for i in ids)
    hrefs = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert hrefs == {"self": "feed.xml", "alternate": "./"}
    entry_links = [link.get("href", "") for link in feed.iter(f"{ATOM}link")][2:]
    assert all(h.startswith("articles/") and h.endswith("/") for h in entry_links)
    for href in entry_links:  # relative to feed.xml, at the site root
        assert f"{href}index.html" in relative_site


def test_sitemap_and_robots_need_a_base_url(relative_site: dict[str, bytes]) -> None:
    assert "sitemap.xml" not in relative_site and "robots.txt" not in relative_site
    assert "feed.xml" in relative_site
    model = build_site_model(_without_base(fixture_digest()))
    assert [f.path for f in feed_files(model)] == ["feed.xml"]


# --- sitemap.xml and robots.txt ----------------------------------------------------------------


def test_sitemap_lists_every_page_under_the_subpath(site: dict[str, bytes]) -> None:
    urlset = ElementTree.fromstring(site["sitemap.xml"])
    assert urlset.tag == f"{SITEMAP}urlset"
    locs = [url.findtext(f"{SITEMAP}loc") or "" for url in urlset.findall(f"{SITEMAP}url")]
    pages = sorted(p for p in site if p.endswith(".html") and p != "404.html")
    assert len(locs) == len(pages) == len(set(locs))
    for loc in locs:
        assert loc.startswith(BASE)
        path = loc.removeprefix(BASE)
        assert (path + "index.html" if path.endswith("/") or not path else path) in site
    for url in urlset.findall(f"{SITEMAP}url"):
        lastmod = url.findtext(f"{SITEMAP}lastmod")
        assert lastmod is None or re.fullmatch(r"\d{4}-\d\d-\d\d", lastmod)


def test_sitemap_alternates_are_reciprocal_and_one_per_language(site: dict[str, bytes]) -> None:
    urlset = ElementTree.fromstring(site["sitemap.xml"])
    groups: dict[str, dict[str, str]] = {}
    for url in urlset.findall(f"{SITEMAP}url"):
        links = url.findall(f"{XHTML}link")
        assert all(link.get("rel") == "alternate" for link in links)
        hreflangs = [link.get("hreflang") or "" for link in links]
        assert len(hreflangs) == len(set(hreflangs))
        if links:
            groups[url.findtext(f"{SITEMAP}loc") or ""] = {
                link.get("hreflang") or "": link.get("href") or "" for link in links
            }
    pt, zh = BASE + PT_PAGE.removesuffix("index.html"), BASE + ZH_PAGE.removesuffix("index.html")
    assert groups == {pt: {"pt": pt, "zh-Hant": zh}, zh: {"pt": pt, "zh-Hant": zh}}


def test_robots_txt_points_at_the_sitemap(site: dict[str, bytes]) -> None:
    lines = site["robots.txt"].decode().splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {BASE}sitemap.xml" in lines


# --- <head> ------------------------------------------------------------------------------------


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: list[tuple[str, str]] = []
        self.links: list[dict[str, str | None]] = []
        self.json_ld: list[str] = []
        self._in_json = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and values.get("property"):
            self.meta.append((values["property"] or "", values.get("content") or ""))
        elif tag == "link":
            self.links.append(values)
        elif tag == "script" and values.get("type") == "application/ld+json":
            self._in_json = True

    def handle_endtag(self, tag: str) -> None:
        self._in_json = False

    def handle_data(self, data: str) -> None:
        if self._in_json:
            self.json_ld.append(data)


def _head(html: bytes) -> _Head:
    parser = _Head()
    parser.feed(html.decode("utf-8").split("</head>", 1)[0])
    return parser


def test_article_open_graph_and_hreflang(site: dict[str, bytes]) -> None:
    head = _head(site[PT_PAGE])
    meta = dict(head.meta)
    url = BASE + PT_PAGE.removesuffix("index.html")
    assert meta["og:type"] == "article"
    assert meta["og:title"] == "Ações da NVIDIA caem após modelo chinês barato"
    assert meta["og:url"] == url
    assert meta["og:locale"] == "pt_BR"
    assert meta["og:description"].startswith("A NVIDIA perdeu valor")
    assert ("og:locale:alternate", "zh_TW") in head.meta
    hreflang = {
        link["hreflang"]: link["href"] for link in head.links if link.get("hreflang") is not None
    }
    assert hreflang == {"pt": url, "zh-Hant": BASE + ZH_PAGE.removesuffix("index.html")}
    assert not any(link.get("hreflang") for link in _head(site[JA_PAGE]).links)


def test_every_page_links_the_feed(site: dict[str, bytes], relative_site: dict[str, bytes]) -> None:
    for pages in (site, relative_site):
        for path, data in pages.items():
            if not path.endswith(".html"):
                continue
            feeds = [
                link for link in _head(data).links if link.get("type") == "application/atom+xml"
            ]
            assert len(feeds) == 1 and feeds[0].get("rel") == "alternate", path
            href = feeds[0].get("href") or ""
            if path != "404.html":
                depth = path.count("/")
                assert href == "../" * depth + "feed.xml", (path, href)


def test_other_pages_are_websites(site: dict[str, bytes], relative_site: dict[str, bytes]) -> None:
    meta = dict(_head(site["topics/nvidia/index.html"]).meta)
    assert meta["og:type"] == "website" and meta["og:url"] == f"{BASE}topics/nvidia/"
    assert meta["og:locale"] == "en_US"
    assert "og:url" not in dict(_head(relative_site["topics/nvidia/index.html"]).meta)
    assert "og:url" not in dict(_head(site["404.html"]).meta)


def test_json_ld_news_article(site: dict[str, bytes]) -> None:
    (text,) = _head(site[PT_PAGE]).json_ld
    data = json.loads(text)
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == "Ações da NVIDIA caem após modelo chinês barato"
    assert data["inLanguage"] == "pt"
    assert data["datePublished"] == "2025-01-28"
    assert data["author"] == {"@type": "Person", "name": "Maria Silva"}
    assert data["url"] == BASE + PT_PAGE.removesuffix("index.html")
    assert data["description"].startswith("A NVIDIA perdeu valor")
    ja = json.loads(_head(site[JA_PAGE]).json_ld[0])
    assert "datePublished" not in ja and ja["inLanguage"] == "ja"
    assert not _head(site["index.html"]).json_ld


def test_json_ld_cannot_close_its_script_element() -> None:
    digest = fixture_digest()
    article = digest.articles[0]
    hostile = "</script><script>alert(1)</script> & <!--"
    analysis = dataclasses.replace(article.analysis, title=hostile)
    digest = dataclasses.replace(
        digest, articles=(dataclasses.replace(article, analysis=analysis), *digest.articles[1:])
    )
    model = build_site_model(digest)
    pages = {f.path: f.data for f in render_site(model)}
    html = pages[model.article_pages[article.entry.path]].decode()
    script = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(script)["headline"] == hostile
    assert "<" not in script


# --- helpers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "locale"),
    [
        ("pt", "pt_BR"),
        ("pt-PT", "pt_PT"),
        ("zh-Hant", "zh_TW"),
        ("zh-Hans", "zh_CN"),
        ("zh-Hant-HK", "zh_HK"),
        ("ja", "ja_JP"),
        ("en-GB", "en_GB"),
        ("sw", "sw"),
    ],
)
def test_og_locale(lang: str, locale: str) -> None:
    assert og_locale(lang) == locale


def test_with_base_url_overrides_and_validates() -> None:
    digest = fixture_digest()
    moved = with_base_url(digest, "https://news.example.com/sub/path")
    assert moved.manifest.config.base_url == "https://news.example.com/sub/path/"
    assert with_base_url(digest, None) is digest
    assert with_base_url(digest, "").manifest.config.base_url == ""
    with pytest.raises(SiteBuilderError, match="not an http"):
        with_base_url(digest, "example.org/x")


def test_output_is_deterministic(site: dict[str, bytes]) -> None:
    again = {f.path: f.data for f in render_site(build_site_model(fixture_digest()))}
    for name in ("feed.xml", "sitemap.xml", "robots.txt"):
        assert again[name] == site[name]


# --- hreflang groups, on arbitrary same-story links ---------------------------------------------

LANGS = ("pt", "ja", "zh-Hans", "zh-Hant", "en")


def _story_model(langs: list[str], links: list[tuple[int, int, float]]) -> SiteModel:
    articles = tuple(
        analysed_article(f"articles/a{i}.txt", lang, [f"Sentence {i}."], title=f"Article {i}")
        for i, lang in enumerate(langs)
    )
    stories = []
    for a, b, score in links:
        if a != b and langs[a] != langs[b]:
            first, second = articles[a].entry.path, articles[b].entry.path
            stories += [StoryLink(first, second, score, ()), StoryLink(second, first, score, ())]
    digest = Digest(
        manifest=fixture_digest().manifest,
        articles=articles,
        topics=(),
        stories=tuple(sorted(stories, key=lambda s: (s.article, s.other))),
    )
    return build_site_model(digest)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from(LANGS), min_size=2, max_size=7).flatmap(
        lambda langs: st.tuples(
            st.just(langs),
            st.lists(
                st.tuples(
                    st.integers(0, len(langs) - 1),
                    st.integers(0, len(langs) - 1),
                    st.floats(0.05, 1.0),
                ),
                max_size=10,
            ),
        )
    )
)
def test_hreflang_groups_are_reciprocal_with_one_page_per_language(
    case: tuple[list[str], list[tuple[int, int, float]]],
) -> None:
    langs, links = case
    model = _story_model(langs, links)
    groups = model.alternates
    lang_of = {
        page.path: page.title_lang for page in model.pages if page.path.startswith("articles/")
    }
    linked = set()
    for page in model.pages:
        body = getattr(page.body, "article", None)
        if body is not None and body.stories:
            linked.add(page.path)
    for path, group in groups.items():
        members = [alternate.path for alternate in group]
        assert path in members and len(members) >= 2
        assert len({alternate.lang for alternate in group}) == len(group)
        assert all(alternate.lang == lang_of[alternate.path] for alternate in group)
        for member in members:
            assert groups[member] == group  # every member lists the same group
        assert path in linked  # only articles with a same-story link get alternates


def test_feed_and_sitemap_are_written_without_making_the_pages_again(
    site: dict[str, bytes],
) -> None:
    """The feeds take what they need from the pages' entries: making 10,000 article pages
    a second time would cost as much as rendering them."""
    model = build_site_model(fixture_digest())

    def refuse() -> NoReturn:
        raise AssertionError("a page was made for the feeds")

    entries = tuple(dataclasses.replace(entry, make=refuse) for entry in model.pages.entries)
    unmade = dataclasses.replace(model, pages=Pages(entries))
    files = {file.path: file.data for file in feed_files(unmade)}
    assert set(files) == {"feed.xml", "sitemap.xml", "robots.txt"}
    assert all(files[path] == site[path] for path in files)
