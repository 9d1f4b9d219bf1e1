"""Full-text search: the Pagefind index (site_builder/search.py), written in write_site's
staging folder, and the search box (templates/_search.html, static/search.js) driven in a
real headless Chromium over the sample site (pt, pt, zh-Hant, ja, zh-Hans)."""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from site_builder.model import Diagnostic, OutputFile
from site_builder.pipeline import load_digest
from site_builder.render import render_site
from site_builder.search import SEARCH_BUNDLE_DIR, find_pagefind, index_site, search_language
from site_builder.sitemodel import build_site_model
from site_builder.write import write_site

from .browser import require_or_skip, serve_directory
from .conftest import SAMPLE_CONTENT

# The sample articles, by language (content/articles/).
PT_UNITE = "articles/000_2fe2c9c0de164287.txt"
PT_GINO = "articles/001_cf56cbe64eb45982.txt"
ZH_HANT = "articles/002_cfdeea334b5228ae.txt"
JA = "articles/003_6864f55c604e73c6.txt"
ZH_HANS = "articles/004_80b01854ed10c8b2.txt"

# Query → the articles whose text holds it (checked with grep over content/articles/).
QUERIES = {
    # Japanese, katakana loanword: only the Japanese article.
    "サプライチェーン": {JA},
    # Chinese written without spaces, the same in both scripts: both Chinese articles,
    # not the Japanese one (which writes 人工知能).
    "人工智能": {ZH_HANT, ZH_HANS},
    # Simplified Chinese only ("chain of thought").
    "思维链": {ZH_HANS},
    # Portuguese with a diacritic: both Portuguese articles.
    "inteligência": {PT_UNITE, PT_GINO},
    # Portuguese, one article only.
    "descascado": {PT_UNITE},
}
SUBPATH = "digest/"  # the site is served below a folder, as on a real host


@dataclass(frozen=True)
class SearchSite:
    root: Path  # served folder; the site is root / SUBPATH
    site: Path
    article_urls: dict[str, str]  # article path → URL path below the site
    staging_seen: tuple[Path, ...]
    diagnostics: tuple[Diagnostic, ...]


def _require_pagefind() -> None:
    require_or_skip("pagefind[extended]", find_pagefind()[0] is not None)


@pytest.fixture(scope="module")
def search_site(tmp_path_factory: pytest.TempPathFactory) -> SearchSite:
    """The sample site, indexed through write_site's `finish` hook (built once per module)."""
    _require_pagefind()
    root = tmp_path_factory.mktemp("served")
    site = root / SUBPATH
    digest = load_digest(SAMPLE_CONTENT, jobs=1)
    model = build_site_model(digest)
    staging_seen: list[Path] = []
    diagnostics: list[Diagnostic] = []

    def finish(staging: Path) -> None:
        staging_seen.append(staging)
        assert (staging / "index.html").is_file()  # every page is in place already
        diagnostics.extend(index_site(staging))

    write_site(render_site(model), site, SAMPLE_CONTENT, finish=finish)
    urls = {path: page.removesuffix("index.html") for path, page in model.article_pages.items()}
    return SearchSite(root, site, urls, tuple(staging_seen), tuple(diagnostics))


# --- the index --------------------------------------------------------------------------


def test_index_is_built_in_staging_before_the_swap(search_site: SearchSite) -> None:
    assert search_site.diagnostics == ()
    (staging,) = search_site.staging_seen
    assert staging != search_site.site and not staging.exists()  # swapped in, then gone
    entry = json.loads((search_site.site / "pagefind" / "pagefind-entry.json").read_text())
    # One index per article language, each with its articles only: topic pages, the home
    # page and the interface text in the UI language (en) are not indexed.
    counts = {lang: info["page_count"] for lang, info in entry["languages"].items()}
    assert counts == {"ja": 1, "pt": 2, "zh-hans": 1, "zh-hant": 1}
    assert list(entry["languages"]) == sorted(entry["languages"])  # same bytes every build
    for page in search_site.site.rglob("*.html"):
        text = page.read_text("utf-8")
        assert text.startswith('<!doctype html>\n<html lang="en">'), page  # pages untouched


def test_every_page_has_the_search_box(search_site: SearchSite) -> None:
    pages = [p for p in search_site.site.rglob("*.html") if SEARCH_BUNDLE_DIR not in p.parts]
    assert len(pages) > 10
    for page in pages:
        text = page.read_text("utf-8")
        assert text.count("data-site-search") == 1, page
        assert '<label for="site-search-input">' in text, page
        assert 'type="module" src="' in text and 'static/search.js"' in text, page


def test_search_language_is_that_of_the_indexed_content() -> None:
    assert search_language('<html lang="en"><div lang="ja" data-pagefind-body>x</div>') == (
        True,
        "ja",
    )
    inherited = '<html lang="en"><section lang="pt"><br><p data-pagefind-body>x</p></section>'
    assert search_language(inherited) == (True, "pt")
    closed = '<html lang="en"><p lang="pt">a</p><div data-pagefind-body>x</div>'
    assert search_language(closed) == (True, "en")
    assert search_language('<html lang="en"><main>no body</main>') == (False, None)
    # The attribute's name written as text before the element (an article about Pagefind).
    as_text = '<html lang="en"><p>use data-pagefind-body here</p><div lang="ja" data-pagefind-body>'
    assert search_language(as_text) == (True, "ja")
    assert search_language('<html lang="en"><p>data-pagefind-body</p>') == (False, None)


# --- without Pagefind, or when it fails: the build succeeds with a warning ---------------


def _small_site() -> list[OutputFile]:
    page = '<!doctype html>\n<html lang="en"><body><div lang="pt" data-pagefind-body>Olá</div>'
    return [OutputFile("index.html", f"{page}</body></html>\n".encode())]


def _write_with_search(out: Path, content: Path) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    write_site(
        _small_site(),
        out,
        content,
        finish=lambda staging: diagnostics.extend(index_site(staging)),
    )
    return diagnostics


@pytest.fixture
def no_pagefind(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Neither the Python package nor a binary on PATH."""
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    for module in ("pagefind", "pagefind.service"):
        monkeypatch.setitem(sys.modules, module, None)  # import raises ImportError
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    yield


def test_build_without_pagefind_warns_and_succeeds(no_pagefind: None, tmp_path: Path) -> None:
    assert find_pagefind() == (None, False)
    out = tmp_path / "site"
    diagnostics = _write_with_search(out, tmp_path / "content")
    assert [d.severity for d in diagnostics] == ["warning"]
    assert "Pagefind is not installed" in diagnostics[0].message
    assert "pagefind[extended]" in diagnostics[0].message
    assert (out / "index.html").is_file()
    assert not (out / SEARCH_BUNDLE_DIR).exists()


def _fake_pagefind(tmp_path: Path, script: str) -> Path:
    path = tmp_path / "bin" / "pagefind_extended"
    path.parent.mkdir()
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_failing_pagefind_warns_and_leaves_no_partial_index(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Answers --version like Pagefind 1.5, then writes part of a bundle and fails.
    fake = _fake_pagefind(
        tmp_path,
        'if [ "$1" = --version ]; then echo "pagefind 1.5.2"; exit 0; fi\n'
        'mkdir -p "$4" && echo partial > "$4/pagefind.js"\n'
        'echo "Error: disk on fire" >&2; exit 3',
    )
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    out = tmp_path / "site"
    diagnostics = _write_with_search(out, tmp_path / "content")
    assert [d.message for d in diagnostics] == [
        "search index not built: Pagefind failed: Error: disk on fire"
    ]
    assert (out / "index.html").is_file()
    assert not (out / SEARCH_BUNDLE_DIR).exists()


def test_old_or_broken_pagefind_is_reported(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = _fake_pagefind(tmp_path, "exit 1")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    (warning,) = index_site(tmp_path)
    assert "does not run as Pagefind" in warning.message


@pytest.mark.skipif(os.name != "posix", reason="shell-script stand-in for Pagefind")
def test_old_pagefind_version_warns(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    old = _fake_pagefind(
        tmp_path,
        'if [ "$1" = --version ]; then echo "pagefind 1.4.0"; exit 0; fi\n'
        'mkdir -p "$4" && echo "{}" > "$4/pagefind-entry.json"',
    )
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(old))
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_bytes(_small_site()[0].data)
    (warning,) = index_site(site)
    assert "older than 1.5" in warning.message and "Chinese or Japanese" in warning.message


# --- in the browser ----------------------------------------------------------------------


def _open(chromium: Any, url: str, requests: list[str]) -> Any:
    page = chromium.new_page()
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url)
    page.get_by_role("searchbox").wait_for(state="visible", timeout=15_000)
    return page


def _search(page: Any, query: str) -> set[str]:
    """Enter `query` in the search box; the URL paths of the results once they are shown."""
    box = page.get_by_role("searchbox")
    status = "document.querySelector('[data-search-status]').textContent"
    box.press("Escape")  # clears the box and the results at once
    page.wait_for_function(f"{status} === ''")
    box.fill(query)
    page.wait_for_function(f"{status} !== ''", timeout=15_000)
    hrefs = page.locator(".search-results a").evaluate_all("links => links.map(a => a.href)")
    return {urlsplit(href).path for href in hrefs}


def test_search_finds_the_right_articles_in_every_language(
    chromium: Any, search_site: SearchSite
) -> None:
    requests: list[str] = []
    with serve_directory(search_site.root) as base:
        page = _open(chromium, f"{base}{SUBPATH}", requests)
        try:
            for query, articles in QUERIES.items():
                expected = {f"/{SUBPATH}{search_site.article_urls[a]}" for a in articles}
                assert _search(page, query) == expected, query
            assert page.locator("[data-search-status]").inner_text() == "Results: 1"
            # the excerpt marks the match and carries the article's language
            excerpt = page.locator(".search-result-excerpt").first
            assert excerpt.get_attribute("lang") == "pt"
            assert excerpt.locator("mark").first.inner_text().lower() == "descascado"
            # Portuguese stemming: the plural finds the singular.
            assert _search(page, "descascados") == {
                f"/{SUBPATH}{search_site.article_urls[PT_UNITE]}"
            }
            # Pagefind's Japanese index alone "matches" an unknown Latin word through the
            # stray letter "i" of "(i)" in the Japanese article; search.js drops that.
            assert _search(page, "intelixyz") == set()
            assert page.locator("[data-search-status]").inner_text() == "No articles match."
            # Following a result opens the article.
            _search(page, "サプライチェーン")
            page.locator(".search-results a").first.click()
            page.wait_for_url(f"**/{SUBPATH}{search_site.article_urls[JA]}")
        finally:
            page.close()
    hosts = {urlsplit(url).netloc for url in requests}
    assert hosts == {urlsplit(base).netloc}, hosts  # nothing from another host
    assert any("/pagefind/pagefind.js" in url for url in requests)


def test_search_from_a_page_in_one_of_the_article_languages(
    chromium: Any, search_site: SearchSite
) -> None:
    """Pagefind alone searches only the index of the page's <html lang>; a Portuguese
    interface must still find Japanese and Chinese articles."""
    requests: list[str] = []
    with serve_directory(search_site.root) as base:
        page = chromium.new_page()
        page.on("request", lambda request: requests.append(request.url))

        def as_portuguese(route: Any) -> None:
            body = route.fetch().text().replace('<html lang="en">', '<html lang="pt">', 1)
            route.fulfill(body=body, content_type="text/html; charset=utf-8")

        page.route("**/topics/", as_portuguese)
        try:
            page.goto(f"{base}{SUBPATH}topics/")
            assert page.evaluate("document.documentElement.lang") == "pt"
            page.get_by_role("searchbox").wait_for(state="visible", timeout=15_000)
            for query in ("サプライチェーン", "人工智能", "inteligência"):
                expected = {f"/{SUBPATH}{search_site.article_urls[a]}" for a in QUERIES[query]}
                assert _search(page, query) == expected, query
        finally:
            page.close()
    assert {urlsplit(url).netloc for url in requests} == {urlsplit(base).netloc}


def test_search_box_stays_hidden_without_an_index(chromium: Any, search_site: SearchSite) -> None:
    with serve_directory(search_site.root) as base:
        page = chromium.new_page()
        page.route("**/pagefind/**", lambda route: route.fulfill(status=404, body=""))
        try:
            page.goto(f"{base}{SUBPATH}")
            page.wait_for_load_state("networkidle")
            assert page.locator("[data-site-search]").is_hidden()
            assert page.get_by_role("searchbox").count() == 0  # hidden: not in the a11y tree
        finally:
            page.close()
