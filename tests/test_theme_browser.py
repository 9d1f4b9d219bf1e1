"""The default theme in a real headless Chromium (Debian's, through playwright).

Every page of the sample site: no serious or critical axe-core violation at 1280 px, no
horizontal scrolling at 390 px, and no request to any host but the local server. Plus the
keyboard path (skip link, visible focus), dark mode, and the interface strings of each
ui_language. axe.min.js comes from npm (`.ci/run` installs it into .ci/node_modules; set
SITE_BUILDER_AXE to use another copy).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from site_builder.i18n import UI_LANGUAGES, translator

from .browser import require_or_skip, serve_directory
from .theme_sites import axe_script, html_pages, paginated_site, sample_site, ui_language_sites

BLOCKING_IMPACTS = frozenset({"serious", "critical"})
PHONE_WIDTH = 390
# One page per template, for the checks that need not visit all of them.
TEMPLATE_SAMPLES = (
    "index.html",
    "articles/003-6864f55c604e73c6/index.html",  # ja article
    "topics/deepseek/index.html",
    "topics/index.html",
    "languages/index.html",
    "languages/zh-hant/index.html",
    "404.html",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_site(tmp_path_factory)


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve_directory(site) as url:
        yield url


class _Hosts:
    """Hosts of every request a browser context makes."""

    def __init__(self, context: Any) -> None:
        self.seen: set[str] = set()
        context.on("request", lambda request: self.seen.add(urlsplit(request.url).netloc))


def _axe_violations(page: Any, axe: Path) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(axe))
    result: dict[str, Any] = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def _describe(path: str, violations: list[dict[str, Any]]) -> list[str]:
    return [
        f"{path}: {v['impact']} {v['id']} x{len(v['nodes'])} e.g. {v['nodes'][0]['target']}"
        for v in violations
    ]


def test_sample_site_has_every_kind_of_page(site: Path) -> None:
    pages = html_pages(site)
    assert len(pages) >= 50  # 5 articles, 44 topics, indexes, languages, 404
    assert set(TEMPLATE_SAMPLES) <= set(pages)


def test_axe_every_page(chromium: Any, site: Path, base_url: str) -> None:
    axe = axe_script()
    require_or_skip("axe-core (npm install --prefix .ci axe-core)", axe is not None)
    assert axe is not None
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    hosts = _Hosts(context)
    page = context.new_page()
    problems: list[str] = []
    pages = html_pages(site)
    try:
        for path in pages:
            response = page.goto(base_url + path, wait_until="load")
            assert response is not None and response.status == 200, path
            problems += _describe(path, _axe_violations(page, axe))
    finally:
        context.close()
    assert problems == []
    assert hosts.seen == {urlsplit(base_url).netloc}


def test_axe_dark_mode(chromium: Any, base_url: str) -> None:
    """Contrast in dark mode (prefers-color-scheme: dark), one page per template."""
    axe = axe_script()
    require_or_skip("axe-core (npm install --prefix .ci axe-core)", axe is not None)
    assert axe is not None
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    page = context.new_page()
    problems: list[str] = []
    try:
        for path in TEMPLATE_SAMPLES:
            page.goto(base_url + path, wait_until="load")
            background = page.evaluate("getComputedStyle(document.body).backgroundColor")
            assert background != "rgb(255, 255, 255)", "dark mode did not apply"
            problems += _describe(path, _axe_violations(page, axe))
    finally:
        context.close()
    assert problems == []


def test_no_horizontal_scrolling_on_a_phone(chromium: Any, site: Path, base_url: str) -> None:
    context = chromium.new_context(
        viewport={"width": PHONE_WIDTH, "height": 844}, is_mobile=True, has_touch=True
    )
    hosts = _Hosts(context)
    page = context.new_page()
    too_wide: dict[str, int] = {}
    try:
        for path in html_pages(site):
            page.goto(base_url + path, wait_until="load")
            width = int(page.evaluate("document.documentElement.scrollWidth"))
            if width > PHONE_WIDTH:
                too_wide[path] = width
    finally:
        context.close()
    assert too_wide == {}
    assert hosts.seen == {urlsplit(base_url).netloc}


def test_keyboard_skip_link_and_visible_focus(chromium: Any, base_url: str) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(base_url + TEMPLATE_SAMPLES[1], wait_until="load")
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement; const s = getComputedStyle(e);"
            " const r = e.getBoundingClientRect();"
            " return {cls: e.className, outline: s.outlineStyle, x: r.left, w: r.width}; }"
        )
        assert focused["cls"] == "skip-link"
        assert focused["outline"] != "none" and focused["x"] >= 0 and focused["w"] > 0
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        # Tabbing on from <main> reaches the breadcrumb trail first.
        page.keyboard.press("Tab")
        inside = page.evaluate("!!document.activeElement.closest('nav.breadcrumbs')")
        assert inside
    finally:
        context.close()


def test_cjk_line_breaking_rules(chromium: Any, base_url: str) -> None:
    """ja and zh text use strict line breaking and keep Latin words whole; pt hyphenates."""
    context = chromium.new_context(viewport={"width": PHONE_WIDTH, "height": 844})
    page = context.new_page()
    style = (
        "sel => { const s = getComputedStyle(document.querySelector(sel));"
        " return [s.lineBreak, s.wordBreak, s.hyphens]; }"
    )
    try:
        page.goto(base_url + TEMPLATE_SAMPLES[1], wait_until="load")
        assert page.evaluate(style, ".article-text[lang=ja] p")[:2] == ["strict", "normal"]
        page.goto(base_url + "languages/zh-hant/index.html", wait_until="load")
        assert page.evaluate(style, ".card[lang=zh-Hant] .card-summary")[:2] == [
            "strict",
            "normal",
        ]
        page.goto(base_url + "languages/pt/index.html", wait_until="load")
        assert page.evaluate(style, ".card[lang=pt] .card-summary")[2] == "auto"
    finally:
        context.close()


@pytest.mark.parametrize("lang", UI_LANGUAGES)
def test_navigation_in_each_ui_language(
    chromium: Any, tmp_path_factory: pytest.TempPathFactory, lang: str
) -> None:
    site = ui_language_sites(tmp_path_factory)[lang]
    t = translator(lang)
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        with serve_directory(site) as url:
            page.goto(url + "topics/index.html", wait_until="load")
            assert page.evaluate("document.documentElement.lang") == lang
            nav = page.locator("header nav a").all_inner_texts()
            assert nav == [t("nav.home"), t("nav.topics"), t("nav.languages")]
            assert page.locator("h1").inner_text() == t("topics.title")
            assert page.locator(".skip-link").text_content() == t("nav.skip")
    finally:
        context.close()


def test_paginated_pages_in_a_browser(
    chromium: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A topic's pages: its second page links on to the third by "Next" and back by
    "Previous", marks itself as the current page, has no serious axe violation, and
    does not scroll sideways on a phone."""
    site = paginated_site(tmp_path_factory)
    axe = axe_script()
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    phone = chromium.new_context(
        viewport={"width": PHONE_WIDTH, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        with serve_directory(site) as url:
            page = context.new_page()
            page.goto(url + "topics/nvidia/page/2/", wait_until="load")
            pager = page.locator("nav.pagination")
            assert pager.locator("[aria-current=page]").inner_text() == "2"
            pager.get_by_role("link", name="Next").click()
            page.wait_for_url(url + "topics/nvidia/page/3/")
            assert page.title() == "NVIDIA · Page 3 of 3 · T"
            page.locator("nav.pagination").get_by_role("link", name="Previous").click()
            page.wait_for_url(url + "topics/nvidia/page/2/")
            page.locator("nav.pagination").get_by_role("link", name="Page 1").click()
            page.wait_for_url(url + "topics/nvidia/")
            problems: list[str] = []
            small = phone.new_page()
            for path in ("page/2/", "languages/pt/page/2/", "topics/nvidia/page/2/"):
                small.goto(url + path, wait_until="load")
                width = int(small.evaluate("document.documentElement.scrollWidth"))
                assert width <= PHONE_WIDTH, path
                if axe is not None:
                    page.goto(url + path, wait_until="load")
                    problems += _describe(path, _axe_violations(page, axe))
            assert problems == []
    finally:
        context.close()
        phone.close()
