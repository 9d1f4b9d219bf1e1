"""A site built for a subpath (https://example.org/digest/) works there: served from a
parent folder under /digest/ and crawled over HTTP from index.html, no link or #anchor is
broken; the same without a base URL. Also `build --base-url` end to end."""

from __future__ import annotations

import dataclasses
import urllib.error
import urllib.request
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from site_builder.check import Finding, check_links
from site_builder.cli import main
from site_builder.model import Digest
from site_builder.render import render_site
from site_builder.sitemodel import build_site_model

from .browser import serve_directory
from .factories import write_files
from .test_sitemodel import fixture_digest

BASE = "https://example.org/digest/"
SUBPATH = "digest"


def _with_base(digest: Digest, base_url: str) -> Digest:
    config = dataclasses.replace(digest.manifest.config, base_url=base_url)
    return dataclasses.replace(digest, manifest=dataclasses.replace(digest.manifest, config=config))


def _write_under_subpath(digest: Digest, parent: Path) -> Path:
    """Render the site into parent/digest/, as a web server's folder would hold it."""
    root = parent / SUBPATH
    for file in render_site(build_site_model(digest)):
        target = root / file.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file.data)
    return root


def _http_fetch(site_url: str, requested: list[str]) -> Callable[[str], bytes | None]:
    def fetch(path: str) -> bytes | None:
        requested.append(path)
        try:
            with urllib.request.urlopen(site_url + path, timeout=10) as response:
                return bytes(response.read())
        except urllib.error.HTTPError:
            return None

    return fetch


def _crawl(parent: Path, base_url: str, start: tuple[str, ...]) -> tuple[list[Finding], list[str]]:
    requested: list[str] = []
    with serve_directory(parent) as server:
        site_url = f"{server}{SUBPATH}/"
        fetch = _http_fetch(site_url, requested)
        findings = check_links(fetch, start, base_url=base_url, site_url=site_url)
    return findings, requested


def _pages(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*.html")}


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    parent = tmp_path_factory.mktemp("served")
    _write_under_subpath(_with_base(fixture_digest(), BASE), parent)
    return parent


def test_subpath_site_has_no_broken_links_over_http(subpath_site: Path) -> None:
    findings, requested = _crawl(subpath_site, BASE, ("index.html", "404.html", "robots.txt"))
    assert findings == []
    # The crawl reached every page, the feed and the sitemap from the home page and robots.txt.
    assert _pages(subpath_site / SUBPATH) <= set(requested)
    assert {"feed.xml", "sitemap.xml", "static/style.css"} <= set(requested)


def test_absolute_urls_carry_the_subpath(subpath_site: Path) -> None:
    root = subpath_site / SUBPATH
    home = (root / "index.html").read_text("utf-8")
    assert f'<link rel="canonical" href="{BASE}">' in home
    assert f'<meta property="og:url" content="{BASE}">' in home
    feed = ElementTree.fromstring((root / "feed.xml").read_bytes())
    hrefs = [link.get("href", "") for link in feed.iter("{http://www.w3.org/2005/Atom}link")]
    assert hrefs and all(href.startswith(BASE) for href in hrefs)
    sitemap = ElementTree.fromstring((root / "sitemap.xml").read_bytes())
    locs = [
        loc.text or "" for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert locs and all(loc.startswith(BASE) for loc in locs)


def test_site_without_base_url_has_no_broken_links_over_http(tmp_path: Path) -> None:
    root = _write_under_subpath(_with_base(fixture_digest(), ""), tmp_path)
    assert not (root / "sitemap.xml").exists()
    findings, requested = _crawl(tmp_path, "", ("index.html", "404.html"))
    assert findings == []
    assert _pages(root) <= set(requested) and "feed.xml" in requested


def test_crawl_finds_what_breaks_under_a_subpath(tmp_path: Path) -> None:
    root = _write_under_subpath(_with_base(fixture_digest(), BASE), tmp_path)
    (root / "topics" / "nvidia" / "index.html").unlink()
    page = root / "languages" / "index.html"
    # A theme that links from the server root ignores the subpath.
    page.write_text(
        page.read_text("utf-8").replace("../static/style.css", "/static/style.css"), "utf-8"
    )
    findings, _requested = _crawl(tmp_path, BASE, ("index.html",))
    codes = {(f.file, f.code) for f in findings}
    assert ("languages/index.html", "outside-site") in codes
    assert ("index.html", "broken-link") in codes
    assert any(f.code == "broken-link" and "topics/nvidia" in f.message for f in findings)
    assert ("sitemap.xml", "broken-link") not in codes  # not linked from a page: not crawled


# --- build --base-url, end to end ----------------------------------------------------------------


@pytest.fixture(scope="module")
def built_with_option(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("option")
    content = write_files(
        folder / "content",
        {
            "INDEX.md": "---\ntitle: Budget news\nbase_url: https://old.example.org/\n---\n"
            "# Budget news\n\n- [Council approves budget](articles/budget.txt)\n"
            "  - lang: en\n  - date: 2025-03-04\n",
            "articles/budget.txt": "The council approved the new budget on Monday after a long "
            "debate. Members said the plan would fund schools and roads.\n",
        },
    )
    out = folder / "served" / "news"
    result = CliRunner().invoke(
        main, ["build", str(content), "-o", str(out), "--base-url", "https://example.org/news"]
    )
    assert result.exit_code == 0, result.output
    return out


def test_base_url_option_overrides_index(built_with_option: Path) -> None:
    home = (built_with_option / "index.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://example.org/news/">' in home
    assert "old.example.org" not in home
    robots = (built_with_option / "robots.txt").read_text("utf-8")
    assert "Sitemap: https://example.org/news/sitemap.xml" in robots
    findings, requested = _crawl_news(built_with_option)
    assert findings == [] and "sitemap.xml" in requested


def _crawl_news(out: Path) -> tuple[list[Finding], list[str]]:
    requested: list[str] = []
    with serve_directory(out.parent) as server:
        site_url = f"{server}news/"
        fetch = _http_fetch(site_url, requested)
        findings = check_links(
            fetch,
            ("index.html", "robots.txt"),
            base_url="https://example.org/news/",
            site_url=site_url,
        )
    return findings, requested


def test_check_command_passes_on_the_built_site(built_with_option: Path) -> None:
    content = built_with_option.parent.parent / "content"
    result = CliRunner().invoke(
        main, ["check", str(content), "-o", str(built_with_option), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "[]"


def test_bad_base_url_option_is_a_clear_error(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    result = CliRunner().invoke(
        main, ["build", str(content), "-o", str(tmp_path / "o"), "--base-url", "example.org/x"]
    )
    assert result.exit_code == 1
    assert "not an http(s) URL" in result.output and "Traceback" not in result.output
