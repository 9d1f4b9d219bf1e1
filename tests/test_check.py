"""site_builder.check: the link crawler, content warnings, `site-builder check` and
`build --strict` on each kind of warning."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder import check as check_module
from site_builder.check import (
    Finding,
    check_built_site,
    check_content,
    check_links,
    content_findings,
    link_warnings,
    markdown_images_without_alt,
    with_link_warnings,
)
from site_builder.cli import main, stage_summary
from site_builder.model import Digest, OutputFile
from site_builder.pipeline import load_digest
from site_builder.render import render_site
from site_builder.sitemodel import build_site_model

from .factories import write_files
from .test_sitemodel import fixture_digest

BASE = "https://example.org/digest/"


def _page(body: str, head: str = "") -> bytes:
    return (
        f'<!doctype html>\n<html lang="en">\n<head>\n{head}\n</head>\n<body>\n{body}\n'
        "</body>\n</html>\n"
    ).encode()


def _codes(findings: list[Finding]) -> list[tuple[str, int | None, str]]:
    return [(f.file, f.line, f.code) for f in findings]


# --- the crawler, on sites in memory ------------------------------------------------------------


def test_clean_site_has_no_findings() -> None:
    files = {
        "index.html": _page(
            '<a href="a/">A</a>\n<a href="a/#part">part</a>\n<a href="#top">top</a>\n'
            '<a href="https://elsewhere.example/x">x</a>\n<a href="mailto:x@example.org">m</a>\n'
            f'<a href="{BASE}a/#part">absolute</a>\n<img src="i.png" alt="">',
            f'<link rel="canonical" href="{BASE}">',
        ),
        "a/index.html": _page('<h2 id="part">Part</h2>\n<a href="../">home</a>'),
        "i.png": b"\x89PNG",
    }
    assert check_links(files.get, ["index.html"], base_url=BASE) == []


def test_broken_links_anchors_and_escapes_are_found_with_their_lines() -> None:
    files = {
        "index.html": _page(
            '<a href="a/">ok</a>\n'
            '<a href="missing/">gone</a>\n'
            '<a href="a/#nowhere">bad anchor</a>\n'
            '<img src="i.png">\n'
            '<link rel="stylesheet" href="/static/style.css">\n'
            f'<a href="{BASE}nope.html">absolute but missing</a>\n'
            '<a href="https://example.org/other-site/">same host, outside the base: external</a>'
        ),
        "a/index.html": _page('<script src="../../x.js"></script>'),
        "i.png": b"\x89PNG",
    }
    findings = check_links(files.get, ["index.html"], base_url=BASE)
    assert _codes(findings) == [
        ("a/index.html", 7, "outside-site"),
        ("index.html", 8, "broken-link"),
        ("index.html", 9, "broken-anchor"),
        ("index.html", 10, "missing-alt"),
        ("index.html", 11, "outside-site"),
        ("index.html", 12, "broken-link"),
    ]
    assert {f.severity for f in findings if f.code != "missing-alt"} == {"error"}
    assert "nowhere" in findings[2].message and "a/index.html" in findings[2].message


def test_without_base_url_a_root_relative_link_leaves_the_site() -> None:
    files = {"index.html": _page('<a href="/about/">about</a>'), "about/index.html": _page("")}
    assert _codes(check_links(files.get, ["index.html"])) == [("index.html", 7, "outside-site")]


def test_follow_checks_linked_xml_and_robots() -> None:
    feed = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f'  <link rel="self" href="{BASE}feed.xml"/>\n'
        '  <entry><link href="articles/gone/"/></entry>\n'
        "</feed>\n"
    )
    sitemap = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"  <url><loc>{BASE}</loc></url>\n"
        f"  <url><loc>{BASE}lost/</loc></url>\n"
        "</urlset>\n"
    )
    files = {
        "index.html": _page("", '<link rel="alternate" href="feed.xml">'),
        "feed.xml": feed.encode(),
        "sitemap.xml": sitemap.encode(),
        "robots.txt": f"User-agent: *\nSitemap: {BASE}sitemap.xml\n".encode(),
    }
    findings = check_links(files.get, ["index.html", "robots.txt"], base_url=BASE)
    assert _codes(findings) == [("feed.xml", 4, "broken-link"), ("sitemap.xml", 4, "broken-link")]
    broken_xml = {"index.html": _page("", '<link rel="alternate" href="f.xml">'), "f.xml": b"<a>"}
    assert [f.code for f in check_links(broken_xml.get, ["index.html"])] == ["invalid-xml"]


_SITEMAP_URLS = st.lists(
    st.tuples(
        st.sampled_from(["", "lost/", "a?x=1&y=2", "articles/a/", "topics/b/"]),
        st.integers(min_value=0, max_value=3),  # blank lines before its entry
    ),
    max_size=12,
)


@settings(max_examples=100, deadline=None)
@given(urls=_SITEMAP_URLS)
def test_xml_links_are_found_on_their_lines(urls: list[tuple[str, int]]) -> None:
    """Each link of an XML file is reported on the line where it is written, repeated
    URLs and escaped ampersands included (lines are counted on from the link before)."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<urlset xmlns="{check_module.SITEMAP_NS}">',
    ]
    expected = []
    for url, blanks in urls:
        lines.extend([""] * blanks)
        expected.append((len(lines) + 1, BASE + url))
        lines.append(f"  <url><loc>{BASE}{url.replace('&', '&amp;')}</loc></url>")
    lines.append("</urlset>")
    scanned = check_module._scan_xml("\n".join(lines) + "\n")
    assert [(link.line, link.url) for link in scanned.links] == expected


def test_rendered_feed_and_sitemap_links_are_on_their_lines() -> None:
    """On the feed and sitemap the site renders (a page's URL written again as another's
    hreflang alternate), each link is reported on a line that holds it, in order."""
    files = render_site(build_site_model(fixture_digest()))
    scanned = 0
    for file in files:
        if not file.path.endswith(".xml"):
            continue
        text = file.data.decode("utf-8")
        lines = text.split("\n")
        links = check_module._scan_xml(text).links
        assert links, file.path
        assert [link.line for link in links] == sorted(link.line for link in links)
        for link in links:
            assert link.url.replace("&", "&amp;") in lines[link.line - 1], (file.path, link)
        scanned += 1
    assert scanned == 2  # feed.xml and sitemap.xml


def test_rendered_fixture_site_has_no_broken_links() -> None:
    files = render_site(build_site_model(fixture_digest()))
    assert link_warnings(files, BASE) == ()


def test_link_warnings_name_the_output_file_and_line() -> None:
    digest = fixture_digest()
    files = [OutputFile("index.html", _page('<a href="gone/">x</a>'))]
    warned = with_link_warnings(digest, files, output_dir=Path("_site"))
    (diagnostic,) = warned.diagnostics
    assert diagnostic.severity == "warning"
    assert diagnostic.format().startswith("_site/index.html:7: warning: a href 'gone/'")


# --- Markdown images ---------------------------------------------------------------------------


def test_markdown_images_without_alt_text() -> None:
    text = "# T\n\nIntro with ![a chart](c.png) inline.\n\nText\nand ![](photo.jpg)\n\n"
    text += "![ ](x.svg)\n"
    findings = markdown_images_without_alt(text, "a.md")
    assert [(f.line, f.code) for f in findings] == [(6, "missing-alt"), (8, "missing-alt")]
    assert "photo.jpg" in findings[0].message


# --- content warnings (a tiny content folder that triggers each one) ----------------------------

WARNINGS_INDEX = """\
---
title: Warnings
base_url: https://example.org/w/
---
# Warnings

- [Same headline for two articles](articles/one.txt)
  - lang: en
- [Same headline for two articles](articles/two.txt)
  - lang: en
- [Tiny](articles/tiny.txt)
- [Pictures](articles/pics.md)
  - lang: en
- [Figures](articles/table.md)
  - lang: en
"""
WARNINGS_FILES = {
    "one.txt": "The council approved the new budget on Monday after a long debate. "
    "Members said the plan would fund schools and roads.\n",
    "two.txt": "Farmers in the valley expect a good harvest this year. "
    "Rain arrived early and the soil is rich.\n",
    "tiny.txt": "12 34\n",
    "pics.md": "# Pictures\n\nThe museum opened a new wing with paintings from the coast.\n\n"
    "![](wing.jpg)\n\nSee [the budget](one.txt#p-7).\n",
    "table.md": "| year | budget |\n|---|---|\n| 2024 | 10 |\n",
    "extra.txt": "This file is not listed in the index.\n",
}


@pytest.fixture(scope="module")
def warnings_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    articles = {f"articles/{name}": text for name, text in WARNINGS_FILES.items()}
    content = tmp_path_factory.mktemp("warnings") / "content"
    return write_files(content, {"INDEX.md": WARNINGS_INDEX, **articles})


@pytest.fixture(scope="module")
def warnings_digest(warnings_content: Path) -> Digest:
    return load_digest(warnings_content)


def test_each_content_warning_points_at_its_cause(
    warnings_digest: Digest, warnings_content: Path
) -> None:
    findings = content_findings(warnings_digest, warnings_content)
    index = warnings_digest.manifest.index_path
    pics = str(Path(index).parent / "articles" / "pics.md")
    assert [(f.file, f.line, f.code) for f in findings] == [
        (index, 9, "duplicate-slug"),
        (index, 11, "unknown-language"),
        (index, 14, "empty-summary"),
        (pics, 5, "missing-alt"),
    ]
    assert all(f.severity == "warning" for f in findings)
    assert "articles/one.txt (line 7)" in findings[0].message
    assert "articles/tiny.txt" in findings[1].message


def test_a_clean_article_has_no_warnings(warnings_digest: Digest, warnings_content: Path) -> None:
    clean = [a for a in warnings_digest.articles if a.entry.path == "articles/one.txt"]
    digest = type(warnings_digest)(warnings_digest.manifest, tuple(clean), ())
    assert content_findings(digest, warnings_content) == []


def test_missing_base_url_is_one_warning(warnings_digest: Digest, warnings_content: Path) -> None:
    import dataclasses

    config = dataclasses.replace(warnings_digest.manifest.config, base_url="")
    digest = dataclasses.replace(
        warnings_digest, manifest=dataclasses.replace(warnings_digest.manifest, config=config)
    )
    codes = [f.code for f in content_findings(digest, warnings_content)]
    assert codes.count("no-base-url") == 1


def test_strict_build_fails_on_each_warning(warnings_content: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    relaxed = CliRunner().invoke(main, ["build", str(warnings_content), "-o", str(out)])
    assert relaxed.exit_code == 0, relaxed.output
    for text in (
        "already taken",
        "could not be detected",
        "empty summary",
        "no alt text",
        "extra.txt",
        "wing.jpg",
        "'p-7'",
    ):
        assert text in relaxed.output, text
    strict = CliRunner().invoke(main, ["build", str(warnings_content), "-o", str(out), "--strict"])
    assert strict.exit_code == 1
    assert "error:" in strict.output and "Traceback" not in strict.output


def test_strict_build_fails_on_a_broken_link_alone(tmp_path: Path) -> None:
    index = textwrap.dedent(
        """\
        ---
        title: Links
        base_url: https://example.org/links/
        ---
        - [Budget](articles/a.md)
          - lang: en
        """
    )
    article = (
        "The council approved the new budget on Monday after a long debate.\n\n"
        "Details are in [the annex](#annex-table).\n"
    )
    content = write_files(tmp_path / "content", {"INDEX.md": index, "articles/a.md": article})
    out = tmp_path / "out"
    strict = CliRunner().invoke(main, ["build", str(content), "-o", str(out), "--strict"])
    assert strict.exit_code == 1, strict.output
    assert "annex-table" in strict.output and "error:" in strict.output
    assert not out.exists()  # nothing written
    relaxed = CliRunner().invoke(main, ["build", str(content), "-o", str(out)])
    assert relaxed.exit_code == 0 and "warning:" in relaxed.output
    # Pages are staged as they are rendered; a build refused after that leaves the
    # published site as it was, and no staging folder behind.
    published = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (content / "articles/a.md").write_text(article + "\nSee [the table](#other-table).\n")
    again = CliRunner().invoke(main, ["build", str(content), "-o", str(out), "--strict"])
    assert again.exit_code == 1 and "other-table" in again.output, again.output
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == published
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")] == []


# --- site-builder check ------------------------------------------------------------------------


def test_check_content_reports_index_and_topics_errors(tmp_path: Path) -> None:
    content = write_files(
        tmp_path / "content",
        {
            "INDEX.md": "---\ntitle: X\n---\n- [A](articles/missing.txt)\n",
            "topics.yaml": "topics: [\n",
        },
    )
    findings = check_content(content)
    assert {(f.code, f.severity) for f in findings} == {("index", "error"), ("topics", "error")}
    assert any(f.file.endswith("INDEX.md") and f.line == 4 for f in findings)


def test_check_command_text_and_json(warnings_content: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    files = render_site(build_site_model(fixture_digest()))
    for file in files:
        (out / file.path).parent.mkdir(parents=True, exist_ok=True)
        (out / file.path).write_bytes(file.data)
    page = out / "topics" / "index.html"
    page.write_text(page.read_text("utf-8").replace('href="../"', 'href="../gone/"', 1), "utf-8")
    runner = CliRunner()
    command = ["check", str(warnings_content), "-o", str(out)]
    text = runner.invoke(main, command)
    assert text.exit_code == 1
    broken = f"{out.as_posix()}/topics/index.html:"
    lines = text.output.splitlines()
    assert any(line.startswith(broken) and "[broken-link]" in line for line in lines)
    assert "articles/pics.md:5: warning:" in text.output
    as_json = runner.invoke(main, [*command, "--format", "json"])
    data = json.loads(as_json.stdout)
    assert all(set(item) == {"file", "line", "severity", "message", "code"} for item in data)
    assert {"broken-link", "missing-alt", "index"} <= {item["code"] for item in data}
    page.write_text(page.read_text("utf-8").replace('href="../gone/"', 'href="../"'), "utf-8")
    fixed = runner.invoke(main, command)
    assert fixed.exit_code == 0, fixed.output  # warnings only
    assert runner.invoke(main, [*command, "--strict"]).exit_code == 1
    bad_base = runner.invoke(main, [*command, "--base-url", "example.org/digest"])
    assert bad_base.exit_code == 1 and "not an http(s) URL" in bad_base.output


def test_check_without_a_built_site(warnings_content: Path, tmp_path: Path) -> None:
    findings = check_built_site(tmp_path / "nothing")
    assert [f.code for f in findings] == ["missing-output"]
    result = CliRunner().invoke(main, ["check", str(warnings_content), "-o", str(tmp_path / "x")])
    assert result.exit_code == 1 and "build the site first" in result.output


# --- progress line ---------------------------------------------------------------------------


def test_stage_summary_names_the_slow_stages() -> None:
    timings = (("manifest", 0.01), ("sources+analysis", 8.0), ("topics", 1.5), ("write", 0.3))
    line = stage_summary(timings)
    assert line == "  time: sources+analysis 8.0 s (82%), topics 1.5 s (15%)"


def test_quiet_build_prints_nothing(tmp_path: Path) -> None:
    index = "---\ntitle: Q\nbase_url: https://example.org/q/\n---\n- [A](articles/a.txt)\n"
    article = "The council approved the new budget on Monday after a long debate.\n"
    content = write_files(
        tmp_path / "content", {"INDEX.md": index + "  - lang: en\n", "articles/a.txt": article}
    )
    result = CliRunner().invoke(main, ["build", str(content), "-o", str(tmp_path / "o"), "-q"])
    assert result.exit_code == 0 and result.output == ""


# --- the fast paths give the parser's and urljoin's answers --------------------------------


def _parsed(text: str) -> object:
    scanner = check_module._HtmlScanner()
    scanner.feed(text)
    scanner.close()
    return scanner.document()


def test_quick_scanner_reads_rendered_pages_as_the_parser_does() -> None:
    files = render_site(build_site_model(fixture_digest()))
    pages = [f for f in files if f.path.endswith(".html")]
    assert len(pages) > 10
    for page in pages:
        text = page.data.decode("utf-8")
        quick = check_module._scan_html_quickly(text)
        assert quick is not None, page.path
        assert quick == _parsed(text), page.path


@pytest.mark.parametrize(
    "text",
    [
        "<p title='single quotes' id='x'>a</p>",  # other quoting: left to the parser
        '<p title="a>b" id="y">c</p>',  # a quoted ">"
        "<p>1 < 2</p>",  # a stray "<"
        '<img src="a.png"><a href="#z" name=bare>x</a>',
    ],
)
def test_quick_scanner_steps_aside_or_agrees_on_other_markup(text: str) -> None:
    quick = check_module._scan_html_quickly(text)
    assert quick is None or quick == _parsed(text)


_MARKUP_PIECES = [
    "<p>",
    "</p>",
    '<div class="grid">',
    "<video>",
    "<style-x>",
    "<STYLE>",
    "</style>",
    "<script>",
    "</script>",
    '<a href="#x">',
    '<abbr title="a">',
    '<A HREF="b.html">',
    "</a>",
    '<img src="i.png">',
    '<img src="i.png" alt="">',
    '<p ID="k">',
    '<span data-İd="1">',
    '<meta property="og:url" content="/">',
    "<!-- <a> -->",
    "<!doctype html>",
    "<p title='q'>",
    '<p title="a>b">',
    '<li\nid="n">',
    " text ",
    "\n",
    "<",
    ">",
    '"',
    "'",
    "id",
    '<link rel="icon" href="f.ico">',
    "<br/>",
    "<script/>",
    "<style >",
    "</ style>",
    "<style:x>",
]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_MARKUP_PIECES), max_size=14))
def test_quick_scanner_steps_aside_or_agrees_on_any_markup(pieces: list[str]) -> None:
    text = "".join(pieces)
    quick = check_module._scan_html_quickly(text)
    assert quick is None or quick == _parsed(text)


_PAGES = st.sampled_from(["index.html", "a/index.html", "a/b/index.html", "a/b/c.html", "x.xml"])
_URLS = st.lists(st.sampled_from(["a", "b", ".", "..", "/", "#", "p-1", ".html", "-"]), max_size=8)


@settings(max_examples=400, deadline=None)
@given(page=_PAGES, parts=_URLS, site=st.sampled_from(["http://s.invalid/", "https://e.org/d/"]))
def test_relative_links_resolve_as_urljoin_does(page: str, parts: list[str], site: str) -> None:
    url = "".join(parts).strip()
    fast = check_module._resolve_relative(page, url)
    if fast is not None:
        assert fast == check_module._resolve_by_url(page, url, site, "")


_MARKDOWN_PIECES = [
    "!",
    "[",
    "]",
    "(",
    ")",
    "\\",
    "&#33;",
    "<img>",
    "a",
    " ",
    "\n",
    "`",
    "*",
    "x.png",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_MARKDOWN_PIECES), max_size=30).map("".join))
def test_markdown_without_the_image_opener_has_no_images(text: str) -> None:
    # markdown_images_without_alt skips parsing texts without "![": sound only if no
    # Markdown image can be written without it.
    from markdown_it import MarkdownIt

    if "![" in text:
        return
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(text)
    inline = [child for token in tokens for child in (token.children or [])]
    assert not [t for t in inline if t.type == "image"]
