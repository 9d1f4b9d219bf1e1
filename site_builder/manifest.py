"""Manifest stage: read INDEX.md into a Manifest.

INDEX.md is YAML front matter (site settings) followed by Markdown. Every link in the body
whose target is a local relative path names an article file; a nested `key: value` list under
the list item holding the link carries that article's metadata. The file must read well on
GitHub, so everything here is ordinary Markdown: no custom syntax.

All problems of one INDEX.md are collected and raised together as one SiteBuilderError, so
the user can fix them in one pass. With `keep_going`, an INDEX.md that still lists at least
one good article is returned instead: entries with an error are left out, bad settings keep
their defaults, and the errors come back as error diagnostics (the build still fails).
"""

from __future__ import annotations

import datetime
import difflib
import os
import posixpath
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from .errors import SiteBuilderError
from .model import ArticleEntry, Diagnostic, Manifest, SiteConfig

__all__ = [
    "ARTICLE_EXTENSIONS",
    "INDEX_NAME",
    "InitItem",
    "find_source_files",
    "normalise_base_url",
    "parse_manifest",
    "read_manifest",
    "render_index_markdown",
]

INDEX_NAME = "INDEX.md"
ARTICLE_EXTENSIONS = (".md", ".txt")
# Top-level files of the content folder that are never articles.
_TOP_LEVEL_NON_ARTICLES = frozenset({"index.md", "readme.md"})

_STR_CONFIG_KEYS = ("title", "description", "base_url", "ui_language", "author")
_INT_CONFIG_RANGES = {
    "summary_sentences": (1, 10),
    "keyphrases": (0, 30),
    "page_size": (1, 10_000),
    "topic_page_size": (1, 10_000),
}
_CONFIG_KEYS = (*_STR_CONFIG_KEYS, *_INT_CONFIG_RANGES)

_ARTICLE_KEYS = ("title", "lang", "source", "author", "date", "url", "summary", "slug")
_ARTICLE_KEY_ALIASES = {"language": "lang"}
_ALLOWED_ARTICLE_KEYS_TEXT = ", ".join(sorted((*_ARTICLE_KEYS, *_ARTICLE_KEY_ALIASES)))

_YAML_NULL_TAG = "tag:yaml.org,2002:null"
_YAML_INT_TAG = "tag:yaml.org,2002:int"

_FRONT_MATTER_OPEN = re.compile(r"---[ \t]*")
_FRONT_MATTER_CLOSE = re.compile(r"(?:---|\.\.\.)[ \t]*")
_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
# C:\… or C:/… as written (markdown-it percent-encodes the backslash); a folder named
# `X:` reached through `X%3A/` is an ordinary relative path.
_WINDOWS_DRIVE = re.compile(r"[A-Za-z]:(?:/|\\|%5[Cc])")
_METADATA_ITEM = re.compile(r"([A-Za-z][A-Za-z0-9_\-]*)[ \t]*:(?:[ \t]+(.*)|[ \t]*)$", re.DOTALL)
_SLUG = re.compile(r"[a-z0-9-]+")
_DATE = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?(?:Z|[+-]\d{2}:\d{2})?)?"
)
# BCP 47 (RFC 5646) language tag, grandfathered tags left out.
_BCP47 = re.compile(
    r"(?P<language>[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"
    r"(?:-(?P<script>[A-Za-z]{4}))?"
    r"(?:-(?P<region>[A-Za-z]{2}|\d{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*"
    r"(?:-[A-WY-Za-wy-z0-9](?:-[A-Za-z0-9]{2,8})+)*"
    r"(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?"
)
# Characters backslash-escaped in titles written by `init`, so that Markdown (CommonMark
# and GitHub's flavour) shows them literally and parsing gives the title back.
_MARKDOWN_SPECIAL = frozenset("\\`*_[]<>&!~$#|")
# Characters percent-encoded in link targets written by `init`: they would end or change
# the link, or be read as a URL scheme, query or fragment.
_LINK_TARGET_SPECIAL = frozenset(" ()<>[]%\\#?:\"'")


@dataclass(frozen=True, slots=True)
class InitItem:
    """One article for `site-builder init` to list in a new INDEX.md."""

    path: str  # POSIX path relative to the content folder
    title: str | None
    lang: str | None


@dataclass
class _Problems:
    """Errors collected while reading one INDEX.md (local to one parse)."""

    index_path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, message: str, line: int | None) -> None:
        self.diagnostics.append(Diagnostic("error", message, self.index_path, line))


@dataclass(frozen=True, slots=True)
class _ArticleLink:
    """A local link found in the body, before it becomes an ArticleEntry."""

    order: int  # position in the document
    line: int  # 1-based line in INDEX.md
    path: str  # normalised POSIX path relative to the content folder
    identity: tuple[int, int]  # (device, inode) of the file the path names
    title: str | None
    in_list_item: bool  # True: an article entry; False: a mention in ordinary prose
    metadata: tuple[tuple[str, str], ...] = ()
    faulty: bool = False  # its list item has an error: never built, even with keep_going


# --- public API ---------------------------------------------------------------------


def read_manifest(
    content_dir: Path, *, keep_going: bool = False
) -> tuple[Manifest, tuple[Diagnostic, ...]]:
    """Read and check content_dir/INDEX.md; raise SiteBuilderError listing every problem.

    With keep_going, errors that leave at least one good article are returned as error
    diagnostics beside a manifest of the good articles (see parse_manifest)."""
    index_file = content_dir / INDEX_NAME
    index_path = _display_path(index_file)
    if not content_dir.is_dir():
        raise SiteBuilderError(
            f"content folder {_display_path(content_dir)} does not exist or is not a folder; "
            "pass the folder that holds INDEX.md and the articles",
            _display_path(content_dir),
        )
    if not index_file.is_file():
        raise SiteBuilderError(_missing_index_message(content_dir), index_path)
    try:
        data = index_file.read_bytes()
    except OSError as exc:
        raise SiteBuilderError(
            f"cannot read {INDEX_NAME}: {exc.strerror or exc}", index_path
        ) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SiteBuilderError(
            f"{INDEX_NAME} is not valid UTF-8 (byte 0x{data[exc.start]:02x}); "
            "save the file as UTF-8",
            index_path,
            line,
        ) from exc
    return parse_manifest(
        text, index_path=index_path, content_dir=content_dir, keep_going=keep_going
    )


def parse_manifest(
    text: str, *, index_path: str, content_dir: Path, keep_going: bool = False
) -> tuple[Manifest, tuple[Diagnostic, ...]]:
    """Parse the text of INDEX.md; files are checked against content_dir.

    Returns the manifest and its warnings (unlisted article files); raises
    SiteBuilderError carrying every error found. With keep_going, errors are returned
    among the diagnostics instead, as long as one article without an error is left:
    entries whose list item has an error are dropped, bad settings keep their defaults.
    """
    problems = _Problems(index_path)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise SiteBuilderError(
            f"{INDEX_NAME} is empty; list the articles as Markdown links, one list item each "
            "(e.g. `- [Title](articles/first.txt)`), or run `site-builder init` to write one",
            index_path,
            1,
        )
    lines = text.split("\n")
    yaml_lines, body_start = _split_front_matter(lines, problems)
    settings = _parse_front_matter(yaml_lines, problems) if yaml_lines is not None else {}

    body_lines = lines[body_start:]
    root = SyntaxTreeNode(MarkdownIt("commonmark").parse("\n".join(body_lines)))
    scanner = _BodyScanner(body_start, content_dir, problems)
    scanner.scan(root)
    entries = _build_entries(scanner, problems)
    if not scanner.links_seen and body_start < len(lines):
        problems.error(
            "no articles listed: add one list item per article with a link to its file, "
            "e.g. `- [Title](articles/first.txt)`",
            None,
        )
    errors = tuple(sorted(problems.diagnostics, key=_diagnostic_order))
    if errors and not (keep_going and entries):
        raise SiteBuilderError(errors[0].message, index_path, errors[0].line, diagnostics=errors)

    config = _site_config(settings, _first_h1(root) or _folder_name(content_dir))
    prose = _prose_markdown(root, body_lines, scanner.entry_item_ranges)
    manifest = Manifest(index_path=index_path, config=config, prose_markdown=prose, entries=entries)
    # Every linked file counts as listed, including entries dropped for an error.
    listed = [link.path for link in scanner.links]
    return manifest, errors + _unlisted_warnings(content_dir, listed, index_path)


def _diagnostic_order(diagnostic: Diagnostic) -> tuple[bool, int]:
    """Errors by line; errors about the whole file last."""
    return (diagnostic.line is None, diagnostic.line or 0)


def find_source_files(content_dir: Path) -> list[str]:
    """Candidate article files under content_dir: sorted POSIX paths relative to it.

    Skips INDEX.md and README.md at the top, hidden files and folders, and everything
    under folders whose name starts with `_` (drafts, templates, output).
    """
    found: list[str] = []
    for folder, dirnames, filenames in os.walk(content_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        relative_folder = Path(folder).relative_to(content_dir).as_posix()
        for name in filenames:
            if name.startswith(".") or not name.lower().endswith(ARTICLE_EXTENSIONS):
                continue
            if relative_folder == "." and name.lower() in _TOP_LEVEL_NON_ARTICLES:
                continue
            if not (Path(folder) / name).is_file():
                continue  # broken symlink or special file
            found.append(name if relative_folder == "." else f"{relative_folder}/{name}")
    return sorted(found)


def render_index_markdown(site_title: str, items: Sequence[InitItem]) -> str:
    """The INDEX.md that `site-builder init` writes: settings, a how-to line, the articles."""
    title = _single_line(site_title)
    front_matter = yaml.safe_dump(
        {"title": title, "ui_language": "en"},
        allow_unicode=True,
        sort_keys=False,
        width=1_000_000,
        default_flow_style=False,
    )
    out = ["---", front_matter.rstrip("\n"), "---", ""]
    if title:
        out += [f"# {_escape_markdown(title)}", ""]
    out += [
        "Edit this file to change the site: the settings above (title, description, "
        "base_url, ui_language, author, summary_sentences, keyphrases, page_size, "
        "topic_page_size), this introduction, "
        "and the list below. Each article is a list item with a link to its file; nested "
        "`key: value` items under it set its title, lang, source, author, date (YYYY-MM-DD), "
        "url, summary or slug.",
        "",
        "## Articles",
        "",
    ]
    for item in items:
        target = _encode_link_target(item.path)
        text = _single_line(item.title or "") or posixpath.basename(item.path) or item.path
        out.append(f"- [{_escape_markdown(text)}]({target})")
        if item.lang:
            out.append(f"  - lang: {_single_line(item.lang)}")
    return "\n".join(out) + "\n"


# --- front matter -------------------------------------------------------------------


def _split_front_matter(lines: list[str], problems: _Problems) -> tuple[list[str] | None, int]:
    """YAML lines of the front matter (None if there is none) and the first body line index."""
    if not lines or not _FRONT_MATTER_OPEN.fullmatch(lines[0]):
        return None, 0
    for index in range(1, len(lines)):
        if _FRONT_MATTER_CLOSE.fullmatch(lines[index]):
            return lines[1:index], index + 1
    problems.error(
        "the front matter that starts here is never closed; add a line `---` after the settings",
        1,
    )
    return None, len(lines)


def _parse_front_matter(yaml_lines: list[str], problems: _Problems) -> dict[str, str | int]:
    """Site settings from the front matter; YAML lines start at line 2 of INDEX.md."""
    first_line = 2
    settings: dict[str, str | int] = {}
    loader = yaml.SafeLoader("\n".join(yaml_lines))
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + first_line if mark is not None else first_line
            problem = exc.problem or "invalid YAML"
            if exc.context and exc.context_mark is not None and mark is not exc.context_mark:
                problem += f" ({exc.context} started on line {exc.context_mark.line + first_line})"
            problems.error(f"front matter is not valid YAML: {problem}; fix the YAML syntax", line)
            return settings
        except yaml.YAMLError as exc:
            problems.error(f"front matter is not valid YAML: {exc}", first_line)
            return settings
        if root is None:
            return settings
        if not isinstance(root, yaml.MappingNode):
            problems.error(
                "front matter must be `key: value` settings (a YAML mapping), "
                "e.g. `title: My site`",
                root.start_mark.line + first_line,
            )
            return settings
        seen: dict[str, int] = {}
        for key_node, value_node in root.value:
            line = key_node.start_mark.line + first_line
            if not isinstance(key_node, yaml.ScalarNode):
                problems.error("front matter keys must be plain names", line)
                continue
            key = key_node.value
            if key not in _CONFIG_KEYS:
                problems.error(
                    f"unknown front matter key {key!r}; allowed keys: "
                    f"{', '.join(sorted(_CONFIG_KEYS))}",
                    line,
                )
                continue
            if key in seen:
                problems.error(
                    f"front matter key {key!r} is set twice (first on line {seen[key]}); keep one",
                    line,
                )
                continue
            seen[key] = line
            value = _config_value(key, value_node, line, problems)
            if value is not None:
                settings[key] = value
    finally:
        loader.dispose()
    return settings


def _config_value(key: str, node: yaml.Node, line: int, problems: _Problems) -> str | int | None:
    if isinstance(node, yaml.ScalarNode) and node.tag == _YAML_NULL_TAG and node.style is None:
        return None  # `key:` with no value keeps the default
    if key in _INT_CONFIG_RANGES:
        low, high = _INT_CONFIG_RANGES[key]
        number = _yaml_int(node)
        if number is None:
            problems.error(f"{key} must be a whole number from {low} to {high}", line)
            return None
        if not low <= number <= high:
            problems.error(f"{key} is {number}; use a whole number from {low} to {high}", line)
            return None
        return number
    if not isinstance(node, yaml.ScalarNode):
        problems.error(f"{key} must be text, not a list or mapping", line)
        return None
    # The scalar as written: `title: 2025` is the text "2025", not a number.
    value = str(node.value).strip()
    if key == "base_url":
        return _check_base_url(value, line, problems)
    if key == "ui_language":
        lang = _normalise_language_tag(value)
        if lang is None:
            problems.error(
                f"ui_language {value!r} is not a BCP 47 language tag; use e.g. en, pt-BR, zh-Hans",
                line,
            )
        return lang
    return value


def _site_config(settings: dict[str, str | int], default_title: str) -> SiteConfig:
    def text(key: str, default: str) -> str:
        value = settings.get(key)
        return value if isinstance(value, str) and value else default

    def number(key: str, default: int) -> int:
        value = settings.get(key)
        return value if isinstance(value, int) else default

    defaults = SiteConfig(title=default_title)
    return SiteConfig(
        title=text("title", default_title),
        description=text("description", defaults.description),
        base_url=text("base_url", defaults.base_url),
        ui_language=text("ui_language", defaults.ui_language),
        author=text("author", defaults.author),
        summary_sentences=number("summary_sentences", defaults.summary_sentences),
        keyphrases=number("keyphrases", defaults.keyphrases),
        page_size=number("page_size", defaults.page_size),
        topic_page_size=number("topic_page_size", defaults.topic_page_size),
    )


def _yaml_int(node: yaml.Node) -> int | None:
    if not isinstance(node, yaml.ScalarNode) or node.tag != _YAML_INT_TAG or node.style:
        return None
    try:
        value = yaml.SafeLoader("").construct_yaml_int(node)
    except (yaml.YAMLError, ValueError):
        return None
    return value if isinstance(value, int) else None


def normalise_base_url(value: str) -> str:
    """A base URL as the site uses it (ending in "/"), "" for none; `build --base-url`.

    Raises SiteBuilderError for anything but an http(s) folder address.
    """
    problems = _Problems("--base-url")
    checked = _check_base_url(value.strip(), 0, problems)
    if checked is None:
        raise SiteBuilderError(problems.diagnostics[0].message, "--base-url")
    return checked


def _check_base_url(value: str, line: int, problems: _Problems) -> str | None:
    if not value:
        return ""
    if not _is_http_url(value):
        problems.error(
            f"base_url {value!r} is not an http(s) URL; use the site's address, "
            "e.g. https://example.org/digest/",
            line,
        )
        return None
    parts = urlsplit(value)
    if parts.query or parts.fragment:
        problems.error(
            f"base_url {value!r} has a ?query or #fragment; use the site's folder address", line
        )
        return None
    return value if value.endswith("/") else value + "/"


# --- body ---------------------------------------------------------------------------


class _BodyScanner:
    """Walks the Markdown tree and collects article links and their metadata."""

    def __init__(self, body_start: int, content_dir: Path, problems: _Problems) -> None:
        self.body_start = body_start
        self.content_dir = content_dir
        self.content_root = Path(os.path.realpath(content_dir))
        self.problems = problems
        self.links: list[_ArticleLink] = []
        self.links_seen = 0  # local links found, including broken ones
        self.entry_item_ranges: list[tuple[int, int]] = []  # body line ranges of entry items
        self._candidates: list[str] | None = None
        # Folder → its entries, listed once per scan (checked for every link's spelling).
        self._listings: dict[Path, frozenset[str]] = {}

    def file_line(self, node: SyntaxTreeNode, offset: int = 0) -> int:
        start = node.map[0] if node.map else 0
        return start + self.body_start + 1 + offset

    def scan(self, node: SyntaxTreeNode) -> None:
        for child in node.children:
            if child.type == "list_item":
                self._scan_list_item(child)
            elif child.type == "inline":
                for link, offset in _links_with_line_offsets(child):
                    self._add_link(link, self.file_line(child, offset), in_list_item=False)
            else:
                self.scan(child)

    def _scan_list_item(self, item: SyntaxTreeNode) -> None:
        own_inlines = [
            inline
            for block in item.children
            if block.type in ("paragraph", "heading")
            for inline in block.children
            if inline.type == "inline"
        ]
        local = [
            (link, self.file_line(inline, offset))
            for inline in own_inlines
            for link, offset in _links_with_line_offsets(inline)
            if _local_target(str(link.attrs.get("href", ""))) is not None
        ]
        if not local:
            self.scan(item)
            return
        if item.map:
            self.entry_item_ranges.append((item.map[0], item.map[1]))
        link, line = local[0]
        errors_before = len(self.problems.diagnostics)
        if len(local) > 1:
            self.problems.error(
                "this list item links to more than one article file; "
                "put each article in its own list item",
                local[1][1],
            )
        self._check_loose_metadata(own_inlines)
        metadata = self._metadata(item)
        faulty = len(self.problems.diagnostics) > errors_before
        self._add_link(link, line, in_list_item=True, metadata=metadata, faulty=faulty)

    def _check_loose_metadata(self, inlines: list[SyntaxTreeNode]) -> None:
        """Catch `key: value` lines written without a bullet (they would be ignored)."""
        for inline in inlines:
            for offset, text in enumerate(inline.content.split("\n")):
                match = _METADATA_ITEM.match(text.strip())
                if offset and match and _canonical_key(match.group(1)) is not None:
                    self.problems.error(
                        f"`{text.strip()}` is part of the link's line, not article metadata; "
                        f"write it as a nested list item: `  - {text.strip()}`",
                        self.file_line(inline, offset),
                    )

    def _metadata(self, item: SyntaxTreeNode) -> tuple[tuple[str, str], ...]:
        values: dict[str, str] = {}
        lines: dict[str, int] = {}
        for block in item.children:
            if block.type not in ("bullet_list", "ordered_list"):
                continue
            for meta_item in block.children:
                parsed = self._metadata_item(meta_item)
                if parsed is None:
                    continue
                key, value, line = parsed
                if key in values:
                    self.problems.error(
                        f"article metadata {key!r} is given twice (first on line {lines[key]}); "
                        "keep one",
                        line,
                    )
                    continue
                checked = _check_article_value(key, value)
                if isinstance(checked, _Invalid):
                    self.problems.error(checked.message, line)
                    continue
                values[key] = checked
                lines[key] = line
        return tuple((key, values[key]) for key in _ARTICLE_KEYS if key in values)

    def _metadata_item(self, meta_item: SyntaxTreeNode) -> tuple[str, str, int] | None:
        line = self.file_line(meta_item)
        inlines = [
            inline
            for block in meta_item.children
            if block.type == "paragraph"
            for inline in block.children
            if inline.type == "inline"
        ]
        if len(inlines) != 1 or len(meta_item.children) != 1:
            self.problems.error(
                "article metadata must be one `key: value` line per nested list item, e.g. "
                "`  - date: 2025-01-31`",
                line,
            )
            return None
        inline = inlines[0]
        plain = _plain_text(inline).strip()
        match = _METADATA_ITEM.match(plain)
        if match is None:
            self.problems.error(
                f"article metadata must have the form `key: value`, got `{_shorten(plain)}`; "
                f"allowed keys: {_ALLOWED_ARTICLE_KEYS_TEXT}",
                line,
            )
            return None
        written_key = match.group(1)
        key = _canonical_key(written_key)
        if key is None:
            self.problems.error(
                f"unknown article metadata key {written_key!r} in {self.problems.index_path}; "
                f"allowed keys: {_ALLOWED_ARTICLE_KEYS_TEXT}",
                line,
            )
            return None
        if key == "url":
            # The URL as written (the plain text would lose a `[text](url)` target).
            raw = inline.content.split(":", 1)[1].strip()
            value = _url_from_markdown(raw)
        else:
            value = " ".join((match.group(2) or "").split())
        if not value:
            self.problems.error(
                f"article metadata {written_key!r} has no value; write `{written_key}: value` "
                "or remove the line",
                line,
            )
            return None
        return key, value, line

    def _add_link(
        self,
        link: SyntaxTreeNode,
        line: int,
        *,
        in_list_item: bool,
        metadata: tuple[tuple[str, str], ...] = (),
        faulty: bool = False,
    ) -> None:
        href = str(link.attrs.get("href", ""))
        if _local_target(href) is None:
            return
        self.links_seen += 1
        checked = self._check_target(href)
        if isinstance(checked, _Invalid):
            self.problems.error(checked.message, line)
            return
        path, identity = checked
        text = " ".join(_plain_text(link).split())
        # Link text that just repeats the file name carries no title.
        file_names = (href, unquote(href), path, posixpath.basename(path))
        title: str | None = text
        if not text or text in {" ".join(name.split()) for name in file_names}:
            title = None
        self.links.append(
            _ArticleLink(
                order=len(self.links),
                line=line,
                path=path,
                identity=identity,
                title=title,
                in_list_item=in_list_item,
                metadata=metadata,
                faulty=faulty,
            )
        )

    def _check_target(self, href: str) -> tuple[str, tuple[int, int]] | _Invalid:
        """The normalised relative path and file identity of a local link, or why not."""
        if "#" in href:
            return _Invalid(
                f"article link {_shorten(unquote(href))!r} has a #fragment; "
                "link to the file itself (remove the #… part)"
            )
        if "?" in href:
            return _Invalid(
                f"article link {_shorten(unquote(href))!r} has a ?query; "
                "link to the file itself (remove the ?… part)"
            )
        target = unquote(href)
        shown = _shorten(target)
        if any(unicodedata.category(char) == "Cc" for char in target):
            return _Invalid(f"article link {shown!r} contains control characters; fix the path")
        if target.startswith("/") or _WINDOWS_DRIVE.match(href):
            return _Invalid(
                f"article link {shown!r} is an absolute path; use a path relative to the "
                f"content folder, e.g. articles/{_file_name(target) or 'first.txt'}"
            )
        if "\\" in target:
            return _Invalid(f"article link {shown!r} contains a backslash; separate folders with /")
        path = posixpath.normpath(target)
        if path == ".." or path.startswith("../"):
            return _Invalid(
                f"article link {shown!r} points outside the content folder; "
                "move the file into the content folder and link to it there"
            )
        full = self.content_dir / path
        try:
            real = Path(os.path.realpath(full))
            if not real.is_relative_to(self.content_root):
                return _Invalid(
                    f"article link {shown!r} is a symlink to {real}, outside the content "
                    "folder; copy the file into the content folder instead"
                )
            is_dir = full.is_dir()
            exists = full.is_file()
        except (OSError, ValueError):
            is_dir = exists = False
        if path == "." or is_dir:
            return _Invalid(
                f"article link {shown!r} is a folder; link to each article file "
                "(.txt or .md) in it instead"
            )
        if path.lower() == INDEX_NAME.lower():
            return _Invalid(f"{path} cannot be an article; link to the article files instead")
        if not path.lower().endswith(ARTICLE_EXTENSIONS):
            return _Invalid(
                f"article link {shown!r} is not a .txt or .md file; only plain-text and "
                "Markdown articles are supported: convert it, or link to it with a full URL"
            )
        if not exists:
            return _Invalid(f"article file {shown!r} not found{self._suggestion(path)}")
        on_disk = _spelling_on_disk(self.content_dir, path, self._listings)
        if on_disk is not None and on_disk != path:
            return _Invalid(
                f"article link {shown!r} differs in case from the file name {on_disk!r}; "
                "write it exactly as on disk (other systems are case-sensitive)"
            )
        try:
            stat = full.stat()
        except (OSError, ValueError):
            return _Invalid(f"article file {shown!r} cannot be read; check its permissions")
        return path, (stat.st_dev, stat.st_ino)

    def _suggestion(self, path: str) -> str:
        if self._candidates is None:
            self._candidates = find_source_files(self.content_dir)
        close = difflib.get_close_matches(path, self._candidates, n=1, cutoff=0.6)
        if close:
            return f"; did you mean {close[0]!r}?"
        return " (paths are relative to the content folder); check the file name"


@dataclass(frozen=True, slots=True)
class _Invalid:
    message: str


def _build_entries(scanner: _BodyScanner, problems: _Problems) -> tuple[ArticleEntry, ...]:
    """One entry per file: a list item defines it; a prose link alone defines it too."""
    defining: dict[tuple[int, int], _ArticleLink] = {}
    spelled: dict[str, _ArticleLink] = {}  # case-folded path → first link spelled so
    for link in scanner.links:
        folded = link.path.casefold()
        other = spelled.setdefault(folded, link)
        if other.path != link.path:
            problems.error(
                f"{link.path!r} differs only in case from {other.path!r} (line {other.line}); "
                "such names clash on case-insensitive file systems: rename one of the files",
                link.line,
            )
            continue
        first = defining.get(link.identity)
        if first is None or (link.in_list_item and not first.in_list_item):
            defining[link.identity] = link
        elif link.in_list_item:
            same = "" if first.path == link.path else f" (as {first.path!r})"
            problems.error(
                f"{link.path!r} is listed twice: already on line {first.line}{same}; "
                "remove one of the entries",
                link.line,
            )
    entries: list[ArticleEntry] = []
    slugs: dict[str, int] = {}
    for link in sorted(defining.values(), key=lambda found: found.order):
        metadata = dict(link.metadata)
        slug = metadata.get("slug")
        if slug is not None:
            if slug in slugs:
                problems.error(
                    f"slug {slug!r} is already used on line {slugs[slug]}; "
                    "give each article its own slug",
                    link.line,
                )
                continue
            slugs[slug] = link.line
        if link.faulty:
            continue  # its error is reported; a build that keeps going leaves it out
        entries.append(
            ArticleEntry(
                path=link.path,
                line=link.line,
                title=metadata.get("title", link.title),
                lang=metadata.get("lang"),
                source=metadata.get("source"),
                author=metadata.get("author"),
                date=metadata.get("date"),
                url=metadata.get("url"),
                summary=metadata.get("summary"),
                slug=slug,
            )
        )
    return tuple(entries)


def _check_article_value(key: str, value: str) -> str | _Invalid:
    if key == "date":
        date = _parse_date(value)
        if date is None:
            return _Invalid(
                f"date {value!r} is not a real date in the form YYYY-MM-DD "
                "(a time may follow, e.g. 2025-01-31T09:30Z)"
            )
        return date
    if key == "url":
        if not _is_http_url(value):
            return _Invalid(f"url {value!r} is not an http(s) URL; give the full address")
        return value
    if key == "lang":
        lang = _normalise_language_tag(value)
        if lang is None:
            return _Invalid(
                f"lang {value!r} is not a BCP 47 language tag; use e.g. pt, pt-BR, zh-Hans, ja"
            )
        return lang
    if key == "slug" and not _SLUG.fullmatch(value):
        return _Invalid(
            f"slug {value!r} may only contain a-z, 0-9 and -; e.g. {_suggest_slug(value)!r}"
        )
    return value


def _canonical_key(written: str) -> str | None:
    key = written.lower()
    key = _ARTICLE_KEY_ALIASES.get(key, key)
    return key if key in _ARTICLE_KEYS else None


def _local_target(href: str) -> str | None:
    """The href if it names a file in the content folder (possibly wrongly), else None."""
    if not href or href.startswith("#") or href.startswith("//"):
        return None
    if _WINDOWS_DRIVE.match(href):
        return href  # C:\… is an absolute path, reported as such
    if _URL_SCHEME.match(href):
        return None  # http:, mailto:, …
    if href.startswith("/"):
        # A site-root link (/about/) is left alone; a file path is an absolute-path mistake.
        path = unquote(href).split("#", 1)[0].split("?", 1)[0]
        return href if path.lower().endswith(ARTICLE_EXTENSIONS) else None
    return href


def _links_with_line_offsets(inline: SyntaxTreeNode) -> Iterator[tuple[SyntaxTreeNode, int]]:
    """Links of an inline node with the line of each, counted from the node's first line."""
    offset = 0
    stack = list(reversed(inline.children))
    while stack:
        node = stack.pop()
        if node.type == "link":
            yield node, offset
        if node.type in ("softbreak", "hardbreak"):
            offset += 1
        elif node.type == "html_inline":
            offset += node.content.count("\n")
        stack.extend(reversed(node.children))


def _plain_text(node: SyntaxTreeNode) -> str:
    """The text a reader sees: markup dropped, escapes and entities resolved."""
    parts: list[str] = []
    for child in node.children:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        else:
            parts.append(_plain_text(child))
    return "".join(parts)


def _first_h1(root: SyntaxTreeNode) -> str | None:
    for block in root.children:
        if block.type == "heading" and block.tag == "h1":
            text = " ".join(_plain_text(block.children[0]).split()) if block.children else ""
            if text:
                return text
    return None


def _url_from_markdown(raw: str) -> str:
    """`<https://…>` and `[text](https://…)` as well as a bare URL."""
    raw = raw.strip()
    if raw.startswith("<") and raw.endswith(">"):
        return raw[1:-1].strip()
    match = re.fullmatch(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?\s*\)", raw)
    return match.group(1) if match else raw


# --- prose --------------------------------------------------------------------------


def _prose_markdown(
    root: SyntaxTreeNode, body_lines: list[str], entry_item_ranges: list[tuple[int, int]]
) -> str:
    """The body without article list items, lists left empty and headings left empty."""
    removed: set[int] = set()
    for start, end in entry_item_ranges:
        removed.update(range(start, end))
    separated: set[int] = set()  # removed lines that stood between two blocks

    for node in root.walk():
        if node.type in ("bullet_list", "ordered_list") and node.map:
            items = [item for item in node.children if item.map]
            if items and all(set(_span(item)) <= removed for item in items):
                lines = _span(node)
                removed.update(lines)
                if node.level == 0:
                    separated.update(lines)

    blocks = [block for block in root.children if block.map]
    spans = [_span(block) for block in blocks]
    touched = [any(line in removed for line in span) for span in spans]
    gone = [
        any(line in removed for line in span)
        and all(line in removed for line in span if body_lines[line].strip())
        for span in spans
    ]
    for index in reversed(range(len(blocks))):
        if blocks[index].type != "heading":
            continue
        level = _heading_level(blocks[index])
        section: list[int] = []
        for after in range(index + 1, len(blocks)):
            if blocks[after].type == "heading" and _heading_level(blocks[after]) <= level:
                break
            section.append(after)
        if section and all(gone[i] for i in section) and any(touched[i] for i in section):
            gone[index] = touched[index] = True
            removed.update(spans[index])
            separated.update(spans[index])

    out: list[str] = []
    pending_separator = after_removal = False
    for number, text in enumerate(body_lines):
        if number in removed:
            pending_separator = pending_separator or number in separated
            after_removal = True
            continue
        blank = not text.strip()
        if after_removal and blank and out and not out[-1].strip():
            continue  # do not double a blank line around what was taken out
        if pending_separator and not blank and out and out[-1].strip():
            out.append("")
        out.append(text)
        pending_separator = after_removal = False
    while out and not out[-1].strip():
        out.pop()
    while out and not out[0].strip():
        out.pop(0)
    return "\n".join(out) + "\n" if out else ""


def _span(node: SyntaxTreeNode) -> range:
    """Body lines (0-based) of a block."""
    return range(node.map[0], node.map[1]) if node.map else range(0)


def _heading_level(heading: SyntaxTreeNode) -> int:
    return int(heading.tag[1:]) if heading.tag[1:].isdigit() else 6


# --- warnings -----------------------------------------------------------------------


def _unlisted_warnings(
    content_dir: Path, listed: Sequence[str], index_path: str
) -> tuple[Diagnostic, ...]:
    listed_paths = set(listed)
    listed_files = {os.path.realpath(content_dir / path) for path in listed}
    warnings = []
    for path in find_source_files(content_dir):
        if path in listed_paths or os.path.realpath(content_dir / path) in listed_files:
            continue
        warnings.append(
            Diagnostic(
                "warning",
                f"{path} is not listed in {INDEX_NAME}, so it is not published; add a link to "
                "it, or move it into a folder whose name starts with _ to silence this",
                index_path,
            )
        )
    return tuple(warnings)


# --- small helpers ------------------------------------------------------------------


def _display_path(path: Path) -> str:
    """The path as the user knows it: relative to the current folder when inside it."""
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


def _missing_index_message(content_dir: Path) -> str:
    folder = _display_path(content_dir)
    try:
        near = sorted(name for name in os.listdir(content_dir) if name.lower() == "index.md")
    except OSError:
        near = []
    if near:
        return f"no {INDEX_NAME} in {folder}, but {near[0]} is there: rename it to {INDEX_NAME}"
    return (
        f"no {INDEX_NAME} in {folder}; run `site-builder init {folder}` to write one listing "
        "the articles found there, then edit it"
    )


def _folder_name(content_dir: Path) -> str:
    return Path(os.path.abspath(content_dir)).name or "Site"


def _spelling_on_disk(
    content_dir: Path, path: str, listings: dict[Path, frozenset[str]]
) -> str | None:
    """The path as spelled on disk, segment by segment (differs on case-insensitive FS).
    `listings` keeps the folders listed so far: a thousand links in one folder listed it
    a thousand times."""
    parts: list[str] = []
    folder = content_dir
    for segment in path.split("/"):
        names = listings.get(folder)
        if names is None:
            try:
                names = listings[folder] = frozenset(os.listdir(folder))
            except OSError:
                return None
        if segment not in names:
            matches = sorted(name for name in names if name.casefold() == segment.casefold())
            if not matches:
                return None
            segment = matches[0]
        parts.append(segment)
        folder = folder / segment
    return "/".join(parts)


def _parse_date(value: str) -> str | None:
    match = _DATE.fullmatch(value)
    if match is None:
        return None
    try:
        date = datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None
    if match["hour"] is not None:
        second = int(match["second"] or 0)
        if int(match["hour"]) > 23 or int(match["minute"]) > 59 or second > 60:
            return None
    return date.isoformat()


def _is_http_url(value: str) -> bool:
    if any(char.isspace() for char in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _normalise_language_tag(value: str) -> str | None:
    """A BCP 47 tag in its usual case (pt-BR, zh-Hans), or None if it is not one."""
    tag = value.strip().replace("_", "-")
    match = _BCP47.fullmatch(tag)
    if match is None:
        return None
    subtags = tag.split("-")
    out = [subtags[0].lower()]
    private = False
    for subtag in subtags[1:]:
        private = private or subtag.lower() == "x"
        if not private and len(subtag) == 4 and subtag.isalpha():
            out.append(subtag.title())
        elif not private and len(subtag) == 2 and subtag.isalpha():
            out.append(subtag.upper())
        else:
            out.append(subtag.lower())
    return "-".join(out)


def _suggest_slug(value: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return slug or "my-article"


def _file_name(path: str) -> str:
    return posixpath.basename(path.replace("\\", "/"))


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _single_line(text: str) -> str:
    """Control characters and runs of white space become one space."""
    cleaned = "".join(" " if unicodedata.category(char) == "Cc" else char for char in text)
    return " ".join(cleaned.split())


def _escape_markdown(text: str) -> str:
    return "".join("\\" + char if char in _MARKDOWN_SPECIAL else char for char in text)


def _encode_link_target(path: str) -> str:
    out: list[str] = []
    for char in path:
        if char in _LINK_TARGET_SPECIAL or char.isspace() or unicodedata.category(char) == "Cc":
            out.append("".join(f"%{byte:02X}" for byte in char.encode("utf-8")))
        else:
            out.append(char)
    return "".join(out)
