"""Tests for site_builder.render, site_builder.markdown and the default theme (templates/)."""

from __future__ import annotations

import dataclasses
import posixpath
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jinja2
import markupsafe
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jinja2.compiler import CodeGenerator
from markupsafe import Markup

from site_builder import render as render_module
from site_builder.markdown import is_safe_url, render_markdown, split_prose
from site_builder.model import Digest, OutputFile, Sentence
from site_builder.render import (
    default_templates_dir,
    escape_in_templates,
    pygments_css,
    render_site,
)
from site_builder.sitemodel import build_site_model

from .conftest import SAMPLE_CONTENT

try:  # tests/ as a package (tests/__init__.py) or as a plain folder on sys.path
    from .test_sitemodel import digest_with_many_topics, fixture_digest
except ImportError:
    from test_sitemodel import digest_with_many_topics, fixture_digest  # type: ignore[no-redef]

PT_PAGE = "articles/acoes-da-nvidia-caem-apos-modelo-chines-barato/index.html"
XSS = "<script>alert(1)</script>"


def _render(digest: Digest | None = None, *, file_urls: bool = False) -> dict[str, bytes]:
    model = build_site_model(digest or fixture_digest(), file_urls=file_urls)
    return {f.path: f.data for f in render_site(model)}


@pytest.fixture(scope="module")
def site() -> dict[str, bytes]:
    return _render()


def _html(site: dict[str, bytes], path: str) -> str:
    return site[path].decode("utf-8")


def _ja_page(site: dict[str, bytes]) -> str:
    return next(p for p in site if p.startswith("articles/deepseek-"))


class _Collector(HTMLParser):
    """Start tags with their attributes, and the innermost lang for each text run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag not in {"meta", "link", "br", "img", "hr", "input"}:
            self.stack.append((tag, attributes.get("lang")))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = _Collector()
    collector.feed(html)
    return collector.tags


# --- golden pages ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("home", "index.html"),
        ("article_pt", PT_PAGE),
        ("topic_deepseek", "topics/deepseek/index.html"),
        ("topic_index", "topics/index.html"),
    ],
)
def test_golden_pages(site: dict[str, bytes], file_regression: Any, name: str, path: str) -> None:
    file_regression.check(_html(site, path), extension=".html", basename=name)


def test_golden_markdown_article(site: dict[str, bytes], file_regression: Any) -> None:
    file_regression.check(_html(site, _ja_page(site)), extension=".html", basename="article_ja")


# --- structure of every page -------------------------------------------------------------


def test_every_page_structure(site: dict[str, bytes]) -> None:
    pages = [p for p in site if p.endswith(".html")]
    assert len(pages) == 12
    for path in pages:
        html = _html(site, path)
        assert html.startswith('<!doctype html>\n<html lang="en">'), path
        assert len(re.findall(r"<h1[\s>]", html)) == 1, path
        assert html.count('<main id="main"') == 1, path
        assert 'class="skip-link" href="#main"' in html, path
        assert "\r" not in html and html.endswith("</html>\n"), path


def test_text_blocks_carry_their_language(site: dict[str, bytes]) -> None:
    html = _html(site, PT_PAGE)
    assert '<div class="article-text" lang="pt"' in html
    assert '<p id="p-2">O modelo da DeepSeek custou pouco para treinar.' in html
    assert '<h1 lang="pt"' in html
    assert '<div class="article-text" lang="ja"' in _html(site, _ja_page(site))
    assert '<div class="article-text" lang="zh-Hant"' in _html(site, "articles/b-zh/index.html")
    home = _html(site, "index.html")
    for lang in ("pt", "zh-Hant", "ja"):
        assert f'<article class="card" lang="{lang}">' in home
    # topic names link with the language of the name
    assert 'lang="pt">NVIDIA</a>' in home
    # native names on the topic page carry their language
    topic = _html(site, "topics/deepseek/index.html")
    assert '<span lang="zh-Hant">深度求索</span>' in topic
    assert '<span lang="ja">DeepSeek</span>' in topic


def test_no_external_requests_from_the_theme(site: dict[str, bytes]) -> None:
    for path, data in site.items():
        if not path.endswith(".html"):
            continue
        for tag, attrs in _tags(data.decode("utf-8")):
            if tag in {"link", "script", "img", "iframe"}:
                ref = attrs.get("href") or attrs.get("src") or ""
                if attrs.get("rel") in ("canonical", "alternate") and tag == "link":
                    continue  # names an address (the page's, a translation's); not fetched
                assert "//" not in ref, (path, tag, ref)
    assert "@import" not in site["static/style.css"].decode()
    assert "url(" not in site["static/style.css"].decode()


def test_every_internal_link_resolves(site: dict[str, bytes]) -> None:
    for path, data in site.items():
        if not path.endswith(".html") or path == "404.html":
            continue
        for _tag, attrs in _tags(data.decode("utf-8")):
            ref = attrs.get("href") or attrs.get("src")
            if not ref or ref.startswith(("https:", "http:", "mailto:", "#")):
                continue
            target, _, fragment = ref.partition("#")
            if target.endswith("/") or target == "":
                target += "index.html"
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            assert resolved in site, (path, ref)
            if fragment:
                assert f'id="{fragment}"' in site[resolved].decode(), (path, ref)


def test_404_links_from_the_server_root_when_base_url_set(site: dict[str, bytes]) -> None:
    # base_url https://example.org/digest/: paths from the server root, without the host,
    # so the page works at any missing address and a local copy never fetches the live site.
    html = _html(site, "404.html")
    assert 'href="/digest/static/style.css"' in html
    assert 'href="/digest/"' in html
    assert "example.org" not in html
    assert 'rel="canonical"' not in html


def test_file_urls_mode_links_to_index_html() -> None:
    html = _render(file_urls=True)["index.html"].decode()
    assert 'href="topics/index.html"' in html
    assert 'href="articles/b-zh/index.html"' in html
    assert not re.search(r'href="[^"#:]*/"', html)


def test_article_metadata(site: dict[str, bytes]) -> None:
    html = _html(site, PT_PAGE)
    assert '<time datetime="2025-01-28">January 28, 2025</time>' in html  # ui_language en
    assert "1 min read" in html
    assert '<a href="https://example.com/pt/nvidia" rel="noopener">' in html
    assert "Automatic summary" in html
    assert '<link rel="canonical" href="https://example.org/digest/articles/' in html
    zh = _html(site, "articles/b-zh/index.html")
    assert "Summary written by the editor." in zh


def test_topic_page_marks_and_reasons(site: dict[str, bytes]) -> None:
    html = _html(site, "topics/nvidia/index.html")
    assert "<mark>輝達</mark>股價週一大跌。" in html
    assert "alias 輝達 = NVIDIA" in html
    assert f'href="../../{PT_PAGE.removesuffix("index.html")}#p-1"' in html


def test_static_files_copied(site: dict[str, bytes]) -> None:
    assert {"static/style.css", "static/pygments.css", "static/favicon.svg"} <= set(site)
    assert len(site["static/style.css"]) < 12 * 1024
    css = site["static/style.css"].decode()
    for needle in (
        ":lang(ja)",
        "line-break: strict",
        "hyphens: auto",
        "prefers-color-scheme",
        "overflow-wrap: anywhere",
        "Noto Sans CJK JP",
        "@media print",
        "focus-visible",
    ):
        assert needle in css


def test_output_sorted_and_deterministic() -> None:
    model = build_site_model(fixture_digest())
    first = render_site(model)
    assert [f.path for f in first] == sorted(f.path for f in first)
    assert render_site(build_site_model(fixture_digest())) == first
    assert all(isinstance(f, OutputFile) for f in first)


def test_default_templates_dir() -> None:
    directory = default_templates_dir()
    assert (directory / "base.html").is_file()
    assert (directory / "static" / "style.css").is_file()


# --- escaping ------------------------------------------------------------------------------


def _hostile_digest() -> Digest:
    digest = fixture_digest()
    pt, zh, ja = digest.articles
    sentences = list(pt.analysis.sentences)
    sentences[1] = Sentence(f"O modelo da DeepSeek {XSS} custou pouco.", 1)
    pt = dataclasses.replace(
        pt,
        entry=dataclasses.replace(pt.entry, source=XSS, author=XSS),
        analysis=dataclasses.replace(
            pt.analysis,
            title=f"Título {XSS}",
            summary=(f"Resumo {XSS}",),
            summary_indexes=(),
            summary_source="manifest",
            sentences=tuple(sentences),
        ),
        source=dataclasses.replace(pt.source, paragraphs=(f"Parágrafo {XSS}",)),
    )
    hostile_markdown = f"本文 {XSS}\n\n[x](javascript:alert(1))\n"
    ja = dataclasses.replace(ja, source=dataclasses.replace(ja.source, markdown=hostile_markdown))
    manifest = dataclasses.replace(
        digest.manifest,
        prose_markdown=f"Intro {XSS} and <img src=x onerror=alert(1)>\n",
        config=dataclasses.replace(digest.manifest.config, title=f"Site {XSS}"),
    )
    return dataclasses.replace(digest, manifest=manifest, articles=(pt, zh, ja))


# The theme's own scripts: the search box and, on article pages, JSON-LD metadata.
_OWN_SCRIPTS = re.compile(
    r'<script type="module" src="[^"]*static/search\.js"></script>'
    r'|<script type="application/ld\+json">[^<]*</script>'
)


def _without_own_scripts(html: str) -> str:
    return _OWN_SCRIPTS.sub("", html)


def test_hostile_text_is_escaped_everywhere() -> None:
    site = _render(_hostile_digest())
    escaped_somewhere = 0
    for path, data in site.items():
        if not path.endswith(".html"):
            continue
        html = data.decode()
        assert "<script" not in _without_own_scripts(html), path
        assert "<img" not in html, path
        assert 'href="javascript:' not in html, path
        escaped_somewhere += html.count("&lt;script&gt;alert(1)&lt;/script&gt;")
    assert escaped_somewhere > 10
    home = site["index.html"].decode()
    assert "Intro &lt;script&gt;alert(1)&lt;/script&gt;" in home
    assert "Resumo &lt;script&gt;" in home
    topic = site["topics/deepseek/index.html"].decode()
    assert "<mark>DeepSeek</mark> &lt;script&gt;alert(1)&lt;/script&gt; custou" in topic


class _Shown:
    """A value with its own HTML, as a template may be given."""

    def __init__(self, html: str) -> None:
        self.html = html

    def __html__(self) -> str:
        return self.html


class _Text(str):
    """A str subclass without __html__ (an enum's value, a path-like name)."""

    __slots__ = ()


# Text with the five characters escape replaces mixed in: plain random text seldom has them.
_ANY_TEXT = st.text(st.one_of(st.sampled_from("<>&'\""), st.characters()), max_size=40)


@given(
    st.one_of(
        _ANY_TEXT,
        _ANY_TEXT.map(Markup),
        _ANY_TEXT.map(_Text),
        _ANY_TEXT.map(_Shown),
        st.integers(),
        st.floats(allow_nan=False),
        st.none(),
        st.booleans(),
    )
)
def test_template_escape_is_markupsafes(value: object) -> None:
    ours, theirs = escape_in_templates(value), markupsafe.escape(value)
    assert type(ours) is Markup
    assert ours == theirs


def test_templates_output_through_the_fast_escape() -> None:
    env = render_module._environment(default_templates_dir())
    for name in ("base.html", "topic.html", "_macros.html"):
        template = env.get_template(name)
        assert template.root_render_func.__globals__["escape"] is escape_in_templates, name


def test_fast_escape_renders_what_jinjas_own_code_renders(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The whole theme, with hostile text in every field: byte for byte what Jinja's own
    code (markupsafe.escape) makes of it."""
    ours = _render(_hostile_digest())
    stock: list[jinja2.Environment] = []
    site_environment = render_module._environment

    def stock_environment(templates_dir: Path) -> jinja2.Environment:
        env = site_environment(templates_dir)
        env.code_generator_class = CodeGenerator
        stock.append(env)
        return env

    monkeypatch.setattr(render_module, "_environment", stock_environment)
    theirs = _render(_hostile_digest())
    assert stock
    template = stock[0].get_template("topic.html")
    assert template.root_render_func.__globals__["escape"] is markupsafe.escape
    assert ours == theirs


# --- Markdown ------------------------------------------------------------------------------


def test_markdown_raw_html_is_text() -> None:
    html = render_markdown(f"Hello {XSS}\n\n<div onclick=x>hi</div>\n")
    assert "<script" not in html and "<div" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "java%0ascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
        "foo:bar",
    ],
)
def test_markdown_unsafe_links_neutralised(href: str) -> None:
    for source in (f"[click]({href})", f"<{href}>", f"![img]({href})"):
        html = render_markdown(source)
        assert "href=" not in html and "src=" not in html, (source, html)
    assert not is_safe_url(href)
    assert not is_safe_url(f"  {href}")


def test_markdown_safe_links_kept() -> None:
    html = render_markdown(
        "[a](https://example.com/?q=1&r=2) [b](mailto:x@example.com) [c](../other/) [d](#sec)"
    )
    assert 'href="https://example.com/?q=1&amp;r=2"' in html
    assert 'href="mailto:x@example.com"' in html
    assert 'href="../other/"' in html
    assert 'href="#sec"' in html


def test_markdown_link_map_rewrites_local_links() -> None:
    link_map = {"articles/a.txt": "../../articles/a/", "b.md": "../b/"}
    html = render_markdown(
        "[one](a.txt#p-3) [two](../b.md) [three](missing.txt) [four](https://x.org/a.txt)",
        link_map=link_map,
        base_path="articles/c.md",
    )
    assert 'href="../../articles/a/#p-3"' in html
    assert 'href="../b/"' in html
    assert 'href="missing.txt"' in html
    assert 'href="https://x.org/a.txt"' in html


def test_markdown_code_fences() -> None:
    html = render_markdown("```python\ndef f(x):\n    return '<b>'\n```\n")
    assert '<div class="highlight"><pre>' in html
    assert '<span class="k">def</span>' in html
    assert "'&lt;b&gt;'" in html
    plain = render_markdown("```no-such-language\n<b>x</b>\n```\n\n```\n<i>\n```\n")
    assert "<pre><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>" in plain
    assert "<pre><code>&lt;i&gt;\n</code></pre>" in plain
    assert "<span" not in plain


def test_markdown_tables_strikethrough_and_heading_ids() -> None:
    html = render_markdown(
        "# Intro\n\n## Intro\n\n## 概要\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~\n",
        top_heading_level=2,
    )
    assert '<h2 id="intro">Intro</h2>' in html
    assert '<h3 id="intro-2">Intro</h3>' in html
    assert '<h3 id="section-3">概要</h3>' in html
    assert "<table>" in html and "<td>1</td>" in html
    assert "<s>gone</s>" in html


def test_split_prose() -> None:
    parts = split_prose("# Title\n\nText *here*.\n\n## Articles\n")
    assert parts.title == "Title"
    assert parts.list_heading == "Articles"
    assert parts.body == "Text *here*.\n"
    plain = split_prose("Just text.\n\n## Notes\n\nMore.\n")
    assert plain.title is None and plain.list_heading is None
    assert plain.body == "Just text.\n\n## Notes\n\nMore.\n"


# --- interface strings and Pygments CSS ------------------------------------------------------


def test_ui_language_in_pages() -> None:
    digest = fixture_digest()
    config = dataclasses.replace(digest.manifest.config, ui_language="ja")
    manifest = dataclasses.replace(digest.manifest, config=config)
    html = _render(dataclasses.replace(digest, manifest=manifest))["topics/index.html"].decode()
    assert html.startswith('<!doctype html>\n<html lang="ja">')
    assert "<h1>トピック</h1>" in html


def test_pygments_css_is_up_to_date() -> None:
    shipped = (default_templates_dir() / "static" / "pygments.css").read_text("utf-8")
    assert shipped == pygments_css(), (
        "templates/static/pygments.css is stale; regenerate it with: python -c "
        "\"from site_builder.render import pygments_css; print(pygments_css(), end='')\" "
        "> templates/static/pygments.css"
    )
    assert "@media (prefers-color-scheme: dark)" in shipped
    assert re.search(r"^\s*pre\s*\{", shipped, re.MULTILINE) is None  # no global rules


# --- issue 3: coverage matrix, coverage bar, related topics, stories, A–Z ------------------


def test_home_coverage_matrix_is_an_accessible_table(site: dict[str, bytes]) -> None:
    html = _html(site, "index.html")
    table = html[html.index('<table class="matrix">') : html.index("</table>")]
    assert "<caption>" in table
    assert table.count('<th scope="col">') == 4  # "Topic" and three languages
    assert table.count('<th scope="row">') == 2
    # DeepSeek: one article in each language, so every cell is at the top level
    deepseek_row = table[table.index(">DeepSeek</a>") :].split("</tr>", 1)[0]
    assert re.findall(r'<td class="heat-(\d)">(\d+)</td>', deepseek_row) == [
        ("4", "1"),
        ("4", "1"),
        ("4", "1"),
    ]
    nvidia_row = table[table.index(">NVIDIA</a>") :].split("</tr>", 1)[0]
    assert '<td class="heat-0">0</td>' in nvidia_row  # no Japanese article mentions it
    assert "See all 2 topics" in html


def test_topic_page_coverage_bar_has_a_text_alternative(site: dict[str, bytes]) -> None:
    html = _html(site, "topics/nvidia/index.html")
    assert '<body class="wide">' in html
    assert re.search(
        r'<svg class="coverage-bar"[^>]* role="img" aria-labelledby="coverage-title"', html
    )
    title = re.search(r'<title id="coverage-title">([^<]*)</title>', html)
    assert title is not None
    assert title.group(1) == (
        "Coverage by language: 日本語 0 of 1; Português 1 of 1; 中文（繁體） 1 of 1"
    )
    assert html.count('<rect class="lang-colour-') == 2  # pt and zh-Hant; none for ja
    assert '<li class="none"><span class="swatch lang-colour-0" aria-hidden="true">' in html
    # related topics and the reason for each member
    related = html[html.index('id="related-heading"') :]
    assert 'href="../deepseek/"' in related and "2 articles in common" in related
    assert "Why linked: <span>alias 輝達 = NVIDIA</span>" in html
    assert 'Forms found: <span lang="zh-Hant">輝達</span>' in html


def test_article_page_lists_the_story_in_other_languages(site: dict[str, bytes]) -> None:
    html = _html(site, PT_PAGE)
    section = html[html.index('id="stories-heading"') :].split("</section>", 1)[0]
    assert "This story in other languages" in section
    assert '<a href="../b-zh/" lang="zh-Hant">輝達市值一日蒸發</a>' in section
    assert '<span class="badge" lang="zh-Hant">中文（繁體）</span>' in section
    assert "In common: NVIDIA · DeepSeek · US$ 6M" in section
    assert "stories-heading" not in _html(site, _ja_page(site))  # no links: no section


def test_cards_cap_their_topics() -> None:
    html = _render(digest_with_many_topics(7))["index.html"]
    card = html.decode().split('<article class="card" lang="pt">', 1)[1].split("</article>")[0]
    assert card.count("<li>") == 6
    assert (
        f'<li class="more" lang="en"><a href="{PT_PAGE.removesuffix("index.html")}'
        '#topics-heading">+3 more</a></li>'
    ) in card


def test_topic_index_has_groups_and_an_a_z_list(site: dict[str, bytes]) -> None:
    html = _html(site, "topics/index.html")
    assert '<a href="#kind-organization">Organisations</a>' in html
    assert '<a href="#a-z">A–Z</a>' in html
    assert '<h2 id="a-z">All topics, A–Z</h2>' in html
    az = html[html.index('id="a-z"') :]
    assert az.index(">DeepSeek</a>") < az.index(">NVIDIA</a>")
    for fragment in re.findall(r'href="#([^"]+)"', html):
        assert f'id="{fragment}"' in html, fragment
    assert "<script" not in _without_own_scripts(html)  # sorting works without JavaScript


def test_kind_headings_are_translated() -> None:
    digest = fixture_digest()
    config = dataclasses.replace(digest.manifest.config, ui_language="pt")
    manifest = dataclasses.replace(digest.manifest, config=config)
    site = _render(dataclasses.replace(digest, manifest=manifest))
    html = site["topics/index.html"].decode()
    assert '<h2 id="kind-organization">Organizações</h2>' in html
    assert "Esta notícia em outros idiomas" in site[PT_PAGE].decode()


def test_template_error_names_the_template_file_and_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from site_builder.cli import main

    theme = tmp_path / "theme"
    shutil.copytree(default_templates_dir(), theme)
    article = theme / "article.html"
    lines = article.read_text("utf-8").splitlines()
    lines.insert(3, "{{ page.no_such_field.deeper }}")
    article.write_text("\n".join(lines) + "\n", "utf-8")
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(SAMPLE_CONTENT),
            "-o",
            str(tmp_path / "out"),
            "-j",
            "1",
            "--no-search",
            "--templates",
            str(theme),
        ],
    )
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert f"{article}:4: error: template:" in result.output, result.output
    assert not (tmp_path / "out").exists()  # nothing written
