"""Tests for site_builder.manifest (INDEX.md → Manifest)."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.errors import SiteBuilderError
from site_builder.manifest import (
    InitItem,
    find_source_files,
    parse_manifest,
    read_manifest,
    render_index_markdown,
)
from site_builder.model import Diagnostic, Manifest

from .factories import write_files

REPO = Path(__file__).resolve().parent.parent
INDEX = "content/INDEX.md"

FRONT = "---\ntitle: Test site\n---\n\n"


def make_content(root: Path, files: dict[str, str] | list[str]) -> Path:
    """A content folder under root with the given files (path → text)."""
    content = root / "content"
    content.mkdir(exist_ok=True)
    texts = files if isinstance(files, dict) else dict.fromkeys(files, "Text.\n")
    return write_files(content, texts)


def parse(content: Path, text: str) -> tuple[Manifest, tuple[Diagnostic, ...]]:
    return parse_manifest(text, index_path=INDEX, content_dir=content)


def parse_error(content: Path, text: str) -> SiteBuilderError:
    with pytest.raises(SiteBuilderError) as caught:
        parse(content, text)
    return caught.value


def only_error(content: Path, text: str) -> Diagnostic:
    error = parse_error(content, text)
    assert len(error.diagnostics) == 1, error.format()
    diagnostic = error.diagnostics[0]
    assert diagnostic.severity == "error"
    assert diagnostic.path == INDEX
    return diagnostic


# --- the sample corpus ----------------------------------------------------------------


def test_sample_index(monkeypatch: pytest.MonkeyPatch, data_regression: object) -> None:
    monkeypatch.chdir(REPO)
    manifest, warnings = read_manifest(Path("content"))
    assert manifest.index_path == os.path.join("content", "INDEX.md")
    assert warnings == ()
    assert len(manifest.entries) == 5
    assert [entry.path for entry in manifest.entries] == sorted(
        f"articles/{name}" for name in os.listdir(REPO / "content" / "articles")
    )
    assert manifest.config.title == "DeepSeek-R1 in four languages"
    assert manifest.config.base_url == "https://example.org/digest/"
    assert manifest.entries[2].author == "Shirin Ghaffary, Rachel Metz"
    assert manifest.entries[0].url == "https://www.unite.ai/pt/"
    assert "## Articles" not in manifest.prose_markdown
    assert "articles/" not in manifest.prose_markdown
    data_regression.check(dataclasses.asdict(manifest))  # type: ignore[attr-defined]


def test_sample_index_absolute_path_outside_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    manifest, _ = read_manifest(REPO / "content")
    assert manifest.index_path == str(REPO / "content" / "INDEX.md")


# --- front matter -------------------------------------------------------------------


def test_front_matter_settings(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a.txt"])
    manifest, _ = parse(
        content,
        "---\ntitle: 2025\ndescription: A digest\nbase_url: http://example.org/x\n"
        "ui_language: pt_br\nauthor: Me\nsummary_sentences: 5\nkeyphrases: 0\n---\n\n"
        "- [A](a.txt)\n",
    )
    config = manifest.config
    assert config.title == "2025"  # as written, not a number
    assert config.base_url == "http://example.org/x/"
    assert config.ui_language == "pt-BR"
    assert (config.summary_sentences, config.keyphrases) == (5, 0)
    assert config.description == "A digest"
    assert config.author == "Me"


def test_title_defaults_to_h1_then_folder_name(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a.txt"])
    manifest, _ = parse(content, "Intro.\n\n# The *real* title\n\n- [A](a.txt)\n")
    assert manifest.config.title == "The real title"
    assert manifest.config.ui_language == "en"
    manifest, _ = parse(content, "---\ndescription: d\n---\n## Not h1\n- [A](a.txt)\n")
    assert manifest.config.title == "content"


def test_yaml_syntax_error_line(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a.txt"])
    text = "---\ntitle: ok\ndescription: [unclosed\nauthor: x\n---\n\n- [A](a.txt)\n"
    error = only_error(content, text)
    assert "not valid YAML" in error.message
    # PyYAML notices the unclosed flow sequence on the next line; the message names the
    # line where it started. Both count the opening `---` of INDEX.md.
    assert error.line == 4
    assert "flow sequence started on line 3" in error.message
    text = "---\ntitle: ok\n  bad: indent\n---\n\n- [A](a.txt)\n"
    error = only_error(content, text)
    assert "not valid YAML" in error.message
    assert error.line == 3


def test_unknown_front_matter_key(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a.txt"])
    error = only_error(content, "---\ntitle: T\nlanguage: pt\n---\n- [A](a.txt)\n")
    assert "'language'" in error.message
    assert "ui_language" in error.message  # lists what is allowed
    assert error.line == 3


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("summary_sentences: many", "summary_sentences must be a whole number from 1 to 10"),
        ("summary_sentences: 11", "summary_sentences is 11"),
        ("keyphrases: true", "keyphrases must be a whole number"),
        ("keyphrases: '5'", "keyphrases must be a whole number"),
        ("author: [a, b]", "author must be text"),
        ("base_url: example.org", "not an http(s) URL"),
        ("base_url: ftp://example.org/", "not an http(s) URL"),
        ("ui_language: english please", "not a BCP 47 language tag"),
        ("author: x\nauthor: y", "set twice"),
    ],
)
def test_front_matter_wrong_value(tmp_path: Path, setting: str, expected: str) -> None:
    content = make_content(tmp_path, ["a.txt"])
    error = only_error(content, f"---\ntitle: T\n{setting}\n---\n- [A](a.txt)\n")
    assert expected in error.message
    assert error.line == 3 + setting.count("\n")


def test_front_matter_not_a_mapping(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a.txt"])
    error = only_error(content, "---\n- title\n- other\n---\n- [A](a.txt)\n")
    assert "mapping" in error.message
    assert error.line == 2


def test_front_matter_not_closed(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a.txt"])
    error = parse_error(content, "---\ntitle: T\n\n- [A](a.txt)\n")
    assert "never closed" in error.diagnostics[0].message
    assert error.line == 1


# --- article entries ----------------------------------------------------------------


def test_entry_metadata_and_titles(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a b.txt", "sub/日本.md", "c.txt", "d.txt"])
    text = (
        FRONT + "## Articles\n\n"
        "- [a b.txt](a%20b.txt)\n"
        "  - Language: PT-br\n"
        "  - date: 2025-01-31T09:30:00+09:00\n"
        "  - url: <https://example.org/a?b=1>\n"
        "  - summary: A summary that goes on\n"
        "    over two lines.\n"
        "  - slug: a-b\n"
        "- [Title with \\[brackets\\] & *stars*](./sub/日本.md)\n"
        "  - title: Better title\n"
        "  - lang: zh-hans\n"
        "  - source: The Source\n"
        "  - author: Someone\n"
        "1. [c.txt](c.txt)\n"
        "2. [Plain](<d.txt>)\n"
        "   - url: [the original](https://example.org/d)\n"
    )
    manifest, warnings = parse(content, text)
    assert warnings == ()
    first, second, third, fourth = manifest.entries
    assert first.path == "a b.txt"
    assert first.line == 7
    assert first.title is None  # link text is the file name: derived later
    assert first.lang == "pt-BR"
    assert first.date == "2025-01-31"
    assert first.url == "https://example.org/a?b=1"
    assert first.summary == "A summary that goes on over two lines."
    assert first.slug == "a-b"
    assert second.path == "sub/日本.md"
    assert second.line == 14
    assert second.title == "Better title"
    assert (second.lang, second.source, second.author) == ("zh-Hans", "The Source", "Someone")
    assert third.title is None
    assert third.line == 19
    assert fourth.title == "Plain"
    assert fourth.url == "https://example.org/d"


def test_link_text_is_plain_title(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a.txt"])
    manifest, _ = parse(content, "- [Title with \\[brackets\\] &amp; *stars* `x`](a.txt)\n")
    assert manifest.entries[0].title == "Title with [brackets] & stars x"


def test_unknown_article_key(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a.txt"])
    error = only_error(content, FRONT + "- [A](a.txt)\n  - date: 2025-01-01\n  - tags: x\n")
    assert "'tags'" in error.message
    assert INDEX in error.message
    for key in ("title", "lang", "language", "source", "author", "date", "url", "summary", "slug"):
        assert key in error.message
    assert error.line == 7


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("date: 2025-02-30", "not a real date"),
        ("date: 31/01/2025", "YYYY-MM-DD"),
        ("date: 2025-01-31T25:00", "not a real date"),
        ("url: www.example.org", "not an http(s) URL"),
        ("url: ftp://example.org/a", "not an http(s) URL"),
        ("lang: Portuguese language", "not a BCP 47 language tag"),
        ("slug: Not_A_Slug", "may only contain a-z, 0-9 and -"),
        ("source:", "has no value"),
        ("just a note", "`key: value`"),
    ],
)
def test_bad_article_metadata(tmp_path: Path, item: str, expected: str) -> None:
    content = make_content(tmp_path, ["a.txt"])
    error = only_error(content, FRONT + f"- [A](a.txt)\n  - {item}\n")
    assert expected in error.message
    assert error.line == 6


def test_metadata_without_bullet_is_an_error(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a.txt"])
    error = only_error(content, FRONT + "- [A](a.txt)\n  date: 2025-01-01\n")
    assert "nested list item" in error.message
    assert error.line == 6


def test_missing_file(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["articles/first.txt"])
    error = only_error(content, FRONT + "- [A](articles/frist.txt)\n")
    assert "'articles/frist.txt' not found" in error.message
    assert "did you mean 'articles/first.txt'" in error.message
    assert error.line == 5


def test_link_to_folder(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["articles/first.txt"])
    error = only_error(content, FRONT + "Intro.\n\n- [All](articles/)\n")
    assert "is a folder" in error.message
    assert error.line == 7


def test_parent_escape(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a.txt"])
    (tmp_path / "outside.txt").write_text("x", encoding="utf-8")
    error = only_error(content, FRONT + "- [A](a.txt)\n- [Out](../outside.txt)\n")
    assert "outside the content folder" in error.message
    assert error.line == 6


def test_parent_segments_inside_folder_are_fine(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["sub/a.txt"])
    manifest, _ = parse(content, "- [A](sub/../sub/./a.txt)\n")
    assert manifest.entries[0].path == "sub/a.txt"


def test_absolute_path(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a.txt"])
    error = only_error(content, FRONT + f"- [A]({content / 'a.txt'})\n")
    assert "absolute path" in error.message
    assert "relative to the content folder" in error.message
    assert error.line == 5


def test_site_root_links_and_urls_are_not_articles(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a.txt"])
    manifest, _ = parse(
        content,
        "See [about](/about/), [web](https://example.org/x.txt), [mail](mailto:a@b.c),\n"
        "[top](#top) and <https://example.org>.\n\n- [A](a.txt)\n",
    )
    assert [entry.path for entry in manifest.entries] == ["a.txt"]


def test_symlink_escape(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a.txt"])
    outside = tmp_path / "secret.txt"
    outside.write_text("x", encoding="utf-8")
    (content / "link.txt").symlink_to(outside)
    error = only_error(content, FRONT + "- [A](a.txt)\n- [L](link.txt)\n")
    assert "symlink" in error.message
    assert "outside the content folder" in error.message
    assert error.line == 6


def test_symlink_inside_folder_is_fine(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["real/a.txt"])
    (content / "alias.txt").symlink_to(content / "real" / "a.txt")
    manifest, warnings = parse(content, "- [A](alias.txt)\n")
    assert manifest.entries[0].path == "alias.txt"
    assert warnings == ()  # real/a.txt is the same file: it is listed


def test_duplicate_entry(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a.txt", "b.txt"])
    error = only_error(content, FRONT + "- [A](a.txt)\n- [B](b.txt)\n- [Again](./a.txt)\n")
    assert "listed twice" in error.message
    assert "line 5" in error.message
    assert error.line == 7


def test_duplicate_through_symlink(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a.txt"])
    (content / "same.txt").symlink_to(content / "a.txt")
    error = only_error(content, FRONT + "- [A](a.txt)\n- [B](same.txt)\n")
    assert "listed twice" in error.message
    assert "'a.txt'" in error.message
    assert error.line == 6


def test_case_only_duplicate(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a.txt"])
    if not (content / "A.txt").exists():  # case-sensitive file system: make both files
        (content / "A.txt").write_text("x", encoding="utf-8")
    error = parse_error(content, FRONT + "- [A](a.txt)\n- [B](A.txt)\n")
    messages = " ".join(d.message for d in error.diagnostics)
    assert "case" in messages
    assert error.line == 6
    assert all(d.path == INDEX for d in error.diagnostics)


def test_unsupported_extension(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a.txt", "report.pdf"])
    error = only_error(content, FRONT + "- [A](a.txt)\n- [R](report.pdf)\n")
    assert "not a .txt or .md file" in error.message
    assert error.line == 6


def test_fragment_is_an_error(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a.txt"])
    error = only_error(content, FRONT + "- [A](a.txt#part)\n")
    assert "#fragment" in error.message
    assert error.line == 5


def test_two_article_links_in_one_item(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a.txt", "b.txt"])
    error = only_error(content, FRONT + "- [A](a.txt) and [B](b.txt)\n")
    assert "more than one article" in error.message


def test_duplicate_slug(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a.txt", "b.txt"])
    text = FRONT + "- [A](a.txt)\n  - slug: same\n- [B](b.txt)\n  - slug: same\n"
    error = only_error(content, text)
    assert "slug 'same' is already used on line 5" in error.message
    assert error.line == 7


def test_no_articles(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a.txt"])
    error = only_error(content, FRONT + "# Title\n\nJust prose, [a web link](https://x.org).\n")
    assert "no articles listed" in error.message
    assert "- [Title](articles/first.txt)" in error.message


@pytest.mark.parametrize("text", ["", "\n \n", "\ufeff"])
def test_empty_index(tmp_path: Path, text: str) -> None:
    content = make_content(tmp_path, ["a.txt"])
    error = only_error(content, text)
    assert "is empty" in error.message
    assert "site-builder init" in error.message
    assert error.line == 1


def test_all_errors_are_collected(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a.txt"])
    text = (
        "---\ntitle: T\nbogus: 1\n---\n"
        "- [A](a.txt)\n  - date: 2025-13-01\n"
        "- [M](missing.txt)\n"
        "- [A again](a.txt)\n"
    )
    error = parse_error(content, text)
    assert [d.line for d in error.diagnostics] == [3, 6, 7, 8]
    assert all(d.severity == "error" and d.path == INDEX for d in error.diagnostics)
    assert error.path == INDEX
    assert error.line == 3
    assert len(error.format().splitlines()) == 4


def test_prose_link_to_listed_article_is_not_a_duplicate(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a.txt", "b.txt"])
    text = "Start with [the first one](a.txt).\n\n- [B](b.txt)\n- [A](a.txt)\n  - lang: pt\n"
    manifest, _ = parse(content, text)
    assert [(e.path, e.title, e.lang, e.line) for e in manifest.entries] == [
        ("b.txt", "B", None, 3),
        ("a.txt", "A", "pt", 4),
    ]
    assert "[the first one](a.txt)" in manifest.prose_markdown


def test_article_linked_only_from_prose(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a.txt"])
    manifest, _ = parse(content, "Read\n[this piece](a.txt) first.\n")
    assert manifest.entries[0].title == "this piece"
    assert manifest.entries[0].line == 2
    assert manifest.prose_markdown == "Read\n[this piece](a.txt) first.\n"


# --- reading the file ---------------------------------------------------------------


def test_missing_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = make_content(tmp_path, ["a.txt"])
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SiteBuilderError) as caught:
        read_manifest(Path("content"))
    assert caught.value.path == os.path.join("content", "INDEX.md")
    assert caught.value.line is None
    assert "site-builder init content" in str(caught.value)
    (content / "index.md").write_text("- [A](a.txt)\n", encoding="utf-8")
    if not (content / "INDEX.md").exists():  # case-sensitive file system
        with pytest.raises(SiteBuilderError, match=r"rename it to INDEX\.md"):
            read_manifest(Path("content"))


def test_missing_content_folder(tmp_path: Path) -> None:
    with pytest.raises(SiteBuilderError, match="does not exist"):
        read_manifest(tmp_path / "nope")


def test_read_utf8_with_bom_and_crlf(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a.txt"])
    (content / "INDEX.md").write_bytes(
        "\ufeff---\r\ntitle: Ação\r\n---\r\n\r\n- [A](a.txt)\r\n  - lang: pt\r\n".encode()
    )
    manifest, _ = read_manifest(content)
    assert manifest.config.title == "Ação"
    assert manifest.entries[0].lang == "pt"
    assert manifest.entries[0].line == 5


def test_undecodable_index(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a.txt"])
    (content / "INDEX.md").write_bytes(b"# Title\n\n- [A](a.txt)\n  - source: caf\xe9\n")
    with pytest.raises(SiteBuilderError) as caught:
        read_manifest(content)
    assert "not valid UTF-8" in str(caught.value)
    assert caught.value.line == 4


# --- unlisted files -----------------------------------------------------------------


def test_find_source_files(tmp_path: Path) -> None:
    content = make_content(
        tmp_path,
        [
            "INDEX.md",
            "README.md",
            "b.md",
            "a.TXT",
            "notes.pdf",
            ".hidden.txt",
            ".git/x.md",
            "_drafts/d.txt",
            "sub/README.md",
            "sub/_private/p.txt",
            "sub/z.txt",
            "sub/_file.txt",
        ],
    )
    assert find_source_files(content) == [
        "a.TXT",
        "b.md",
        "sub/README.md",
        "sub/_file.txt",
        "sub/z.txt",
    ]


def test_unlisted_warning(tmp_path: Path) -> None:
    content = make_content(
        tmp_path, ["a.txt", "z.md", "sub/b.txt", "_drafts/d.txt", ".x.txt", "README.md"]
    )
    manifest, warnings = parse(content, "- [A](a.txt)\n")
    assert [entry.path for entry in manifest.entries] == ["a.txt"]
    assert [(w.severity, w.path, w.line) for w in warnings] == [("warning", INDEX, None)] * 2
    assert warnings[0].message.startswith("sub/b.txt is not listed in INDEX.md")
    assert warnings[1].message.startswith("z.md is not listed")


# --- prose --------------------------------------------------------------------------


def test_prose_markdown_removal(tmp_path: Path, file_regression: object) -> None:
    content = make_content(tmp_path, ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"])
    text = (
        FRONT + "# Digest\n\n"
        "Intro mentioning [the first](a.txt).\n\n"
        "## Portuguese\n\n"
        "- [A](a.txt)\n"
        "  - lang: pt\n"
        "  - date: 2025-01-01\n\n"
        "- [B](b.txt)\n\n"
        "## Chinese\n\n"
        "### Simplified\n\n"
        "- [C](c.txt)\n\n"
        "### Traditional\n"
        "- [D](d.txt)\n"
        "## Mixed\n\n"
        "- a remark that stays\n"
        "- [E](e.txt)\n"
        "- another remark\n\n"
        "## Empty on purpose\n\n"
        "## Notes\n\n"
        "```\n- [not a link](x.txt)\n```\n"
    )
    manifest, _ = parse(content, text)
    assert [entry.path for entry in manifest.entries] == [
        "a.txt",
        "b.txt",
        "c.txt",
        "d.txt",
        "e.txt",
    ]
    prose = manifest.prose_markdown
    assert "[the first](a.txt)" in prose
    assert "## Portuguese" not in prose
    assert "Chinese" not in prose
    assert "Simplified" not in prose
    assert "## Mixed\n\n- a remark that stays\n- another remark\n" in prose
    assert "## Empty on purpose" in prose  # was empty before: the editor's choice
    assert "- [not a link](x.txt)" in prose
    file_regression.check(prose, extension=".md")  # type: ignore[attr-defined]


def test_prose_keeps_paragraphs_apart(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a.txt"])
    manifest, _ = parse(content, "Before.\n- [A](a.txt)\n\nAfter.\n")
    assert manifest.prose_markdown == "Before.\n\nAfter.\n"
    manifest, _ = parse(content, "- [A](a.txt)\n")
    assert manifest.prose_markdown == ""


def test_nested_group_lists(tmp_path: Path) -> None:
    content = make_content(tmp_path, ["a.txt", "b.txt"])
    manifest, _ = parse(content, "- Group one\n  - [A](a.txt)\n    - lang: pt\n- [B](b.txt)\n")
    assert [(e.path, e.lang) for e in manifest.entries] == [("a.txt", "pt"), ("b.txt", None)]
    assert manifest.prose_markdown == "- Group one\n"


# --- init output and property tests -------------------------------------------------


def test_render_index_markdown_shape(tmp_path: Path) -> None:
    text = render_index_markdown(
        "My [site]",
        [InitItem("articles/a b.txt", "Título *um*", "pt"), InitItem("b.md", None, None)],
    )
    assert text.startswith("---\ntitle: My [site]\nui_language: en\n---\n")
    assert (
        "## Articles\n\n- [Título \\*um\\*](articles/a%20b.txt)\n  - lang: pt\n- [b.md](b.md)\n"
        in text
    )
    content = make_content(tmp_path, ["articles/a b.txt", "b.md"])
    manifest, warnings = parse(content, text)
    assert manifest.config.title == "My [site]"
    assert [(e.path, e.title, e.lang) for e in manifest.entries] == [
        ("articles/a b.txt", "Título *um*", "pt"),
        ("b.md", None, None),
    ]
    assert warnings == ()
    assert "## Articles" not in manifest.prose_markdown
    assert "Edit this file" in manifest.prose_markdown


@pytest.fixture(scope="module")
def shared_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One content folder for the read-only property tests."""
    return make_content(tmp_path_factory.mktemp("shared"), ["a.txt", "b.txt", "sub/c.md"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=400))
def test_parse_arbitrary_text_only_raises_site_builder_error(
    shared_content: Path, text: str
) -> None:
    try:
        manifest, _ = parse(shared_content, text)
    except SiteBuilderError as error:
        assert error.diagnostics
        assert all(d.path == INDEX for d in error.diagnostics)
        return
    assert manifest.entries


MARKDOWNISH = st.text(
    alphabet=st.sampled_from(list("---\n :#[]()<>*_`!&\\|~$%?/ab.txt- 日本")), max_size=120
)


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(MARKDOWNISH, st.builds(lambda body: FRONT + body, MARKDOWNISH)))
def test_parse_markdownish_text_only_raises_site_builder_error(
    shared_content: Path, text: str
) -> None:
    with contextlib.suppress(SiteBuilderError):
        parse(shared_content, text)


def normalised_title(title: str) -> str:
    cleaned = "".join(" " if unicodedata.category(c) == "Cc" else c for c in title)
    return " ".join(cleaned.split())


SEGMENT = st.text(
    alphabet=st.sampled_from(list("abcXYZ019 -_.()[]#%?&:'\"+,;=@!~é日本語ñ")),
    min_size=1,
    max_size=12,
).filter(lambda s: s.strip(".") != "" and not s.startswith("."))
ARTICLE_PATH = st.builds(
    lambda folders, name, ext: "/".join([*folders, name + ext]),
    st.lists(SEGMENT, max_size=2),
    SEGMENT,
    st.sampled_from([".txt", ".md"]),
)


@settings(max_examples=120, deadline=None)
@given(
    site_title=st.text(),
    items=st.lists(
        st.tuples(
            ARTICLE_PATH,
            st.one_of(st.none(), st.text()),
            st.sampled_from([None, "en", "pt", "pt-BR", "zh-Hans", "zh-Hant", "ja"]),
        ),
        min_size=1,
        max_size=5,
        unique_by=lambda item: item[0].casefold(),
    ),
)
def test_render_index_round_trip(
    site_title: str, items: list[tuple[str, str | None, str | None]]
) -> None:
    # A file name cannot also be a folder name in the same tree.
    paths = [path for path, _, _ in items]
    folders = {
        "/".join(p.split("/")[:i]).casefold() for p in paths for i in range(1, p.count("/") + 1)
    }
    if any(p.casefold() in folders for p in paths):
        return
    init_items = [InitItem(path, title, lang) for path, title, lang in items]
    text = render_index_markdown(site_title, init_items)
    with tempfile.TemporaryDirectory() as folder:
        content = make_content(Path(folder), paths)
        manifest, warnings = parse(content, text)
    assert warnings == ()
    assert manifest.config.title == (normalised_title(site_title) or "content")
    got = [(entry.path, entry.title, entry.lang) for entry in manifest.entries]
    expected: list[tuple[str, str | None, str | None]] = []
    for path, title, lang in items:
        clean = normalised_title(title or "")
        if clean in ("", normalised_title(path), normalised_title(path.rsplit("/", 1)[-1])):
            expected.append((path, None, lang))
        else:
            expected.append((path, clean, lang))
    assert got == expected
