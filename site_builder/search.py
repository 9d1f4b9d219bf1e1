"""Full-text search: a Pagefind index written into the built site.

Pagefind (https://pagefind.app, PyPI `pagefind[extended]`) indexes the pages that mark
their searchable content with `data-pagefind-body` and writes a static search bundle
(`pagefind/`: index chunks, WebAssembly, `pagefind.js`) that `static/search.js` queries in
the browser, offline, from the site's own files. Only the extended build segments Chinese
and Japanese into words; from 1.5 on, unspaced CJK queries are segmented in the browser.

Pagefind takes a page's language, and so its word segmenter and the index it lands in,
from `<html lang>` only. Our pages declare the interface language there and the article's
language on the indexed elements, so the indexer is given a copy of each searchable page
whose `<html lang>` is that of its indexed content; the built pages are never modified (they
may be hard links into the previous site, see write.py).

A missing or failing Pagefind never fails the build: the site is complete without search,
and `index_site` returns a warning instead.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from .model import Diagnostic

__all__ = [
    "MIN_PAGEFIND_VERSION",
    "SEARCH_BUNDLE_DIR",
    "find_pagefind",
    "index_site",
    "search_language",
]

# The folder, inside the site, that holds the search bundle; static/search.js expects it here.
SEARCH_BUNDLE_DIR = "pagefind"
# 1.5 is the first release that segments unspaced Chinese and Japanese queries.
MIN_PAGEFIND_VERSION = (1, 5)
# A stuck indexer must not hang the build forever; large sites index in well under this.
_TIMEOUT_SECONDS = 900.0
_INSTALL_HINT = "install it with: pip install 'pagefind[extended]'"

_HTML_START_TAG = re.compile(r"<html\b[^>]*>", re.IGNORECASE)
_LANG_ATTRIBUTE = re.compile(r"""\slang\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
_VERSION = re.compile(r"(\d+)\.(\d+)(?:\.(\d+))?")
_VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)  # fmt: skip


def _warning(message: str) -> Diagnostic:
    return Diagnostic("warning", f"search index not built: {message}")


def find_pagefind() -> tuple[Path | None, bool]:
    """The Pagefind executable (None if not installed) and whether it is the extended build."""
    executable: Path | None = None
    try:
        from pagefind.service import get_executable
    except ImportError:
        # Without the Python package, a Pagefind installed some other way (npm, a release
        # binary on PATH) still serves.
        found = shutil.which("pagefind_extended") or shutil.which("pagefind")
        executable = Path(found) if found else None
    else:
        executable = get_executable()
    if executable is None:
        return None, False
    return executable, "extended" in executable.name


def _pagefind_version(executable: Path) -> tuple[int, int, int] | None:
    try:
        completed = subprocess.run(
            [str(executable), "--version"], capture_output=True, text=True, timeout=60, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    match = _VERSION.search(completed.stdout)
    if match is None:
        return None
    return int(match[1]), int(match[2]), int(match[3] or 0)


class _BodyLanguageFinder(HTMLParser):
    """Finds the language of the first `data-pagefind-body` element (its own `lang`, else
    its nearest ancestor's), and whether the page has one at all."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._open: list[tuple[str, str | None]] = []  # (tag, lang in effect)
        self.has_body = False
        self.language: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.has_body:
            return
        inherited = self._open[-1][1] if self._open else None
        own = dict(attrs)
        lang = own.get("lang") or inherited
        if "data-pagefind-body" in own:
            self.has_body = True
            self.language = lang
            return
        if tag not in _VOID_ELEMENTS:
            self._open.append((tag, lang))

    def handle_endtag(self, tag: str) -> None:
        # Pop back to the matching element; tolerates the end tags HTML lets one omit.
        for depth in range(len(self._open) - 1, -1, -1):
            if self._open[depth][0] == tag:
                del self._open[depth:]
                return


def _parse_until_body(markup: str) -> _BodyLanguageFinder:
    finder = _BodyLanguageFinder()
    finder.feed(markup)
    finder.close()
    return finder


def search_language(page_html: str) -> tuple[bool, str | None]:
    """Whether the page is searchable (has a `data-pagefind-body` element), and the
    language of that element's content."""
    marker = page_html.find("data-pagefind-body")
    if marker < 0:
        return False, None
    # Only the markup up to the end of that element's start tag matters: parsing whole
    # pages took longer than Pagefind's own indexing on a big site.
    end = page_html.find(">", marker)
    finder = _parse_until_body(page_html if end < 0 else page_html[: end + 1])
    if not finder.has_body and end >= 0:  # the words were text, not an attribute
        finder = _parse_until_body(page_html)
    return finder.has_body, finder.language


def _with_html_lang(page_html: str, language: str) -> str:
    """`page_html` with `language` as the `lang` of its `<html>` element."""
    match = _HTML_START_TAG.search(page_html)
    if match is None:
        return page_html
    attribute = f' lang="{html.escape(language)}"'
    tag = match.group(0)
    if _LANG_ATTRIBUTE.search(tag):
        tag = _LANG_ATTRIBUTE.sub(attribute, tag, count=1)
    else:
        tag = tag[:5] + attribute + tag[5:]
    return page_html[: match.start()] + tag + page_html[match.end() :]


def _prepare_pages(site_dir: Path, shadow_dir: Path) -> int:
    """Copy each searchable page of `site_dir` into `shadow_dir` (same relative path),
    with `<html lang>` set to its content's language. Returns the number of pages."""
    bundle = site_dir / SEARCH_BUNDLE_DIR
    count = 0
    for path in sorted(site_dir.rglob("*.html")):
        if path.is_relative_to(bundle) or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        searchable, language = search_language(text)
        if not searchable:
            continue
        target = shadow_dir / path.relative_to(site_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_with_html_lang(text, language) if language else text, encoding="utf-8")
        count += 1
    return count


def index_site(site_dir: Path, *, timeout: float = _TIMEOUT_SECONDS) -> tuple[Diagnostic, ...]:
    """Write the search index of the site in `site_dir` into `site_dir/pagefind/`.

    Meant for the staging folder of write_site (its `finish` hook), so the published site
    always has an index that matches its pages. Returns warnings, never raises for a missing
    or failing Pagefind: the site then simply has no search (the search box stays hidden).
    """
    bundle = site_dir / SEARCH_BUNDLE_DIR
    if bundle.exists():
        return (
            _warning(
                f"the site already has a {SEARCH_BUNDLE_DIR}/ folder (from the theme?), "
                "where the search index would go"
            ),
        )
    executable, extended = find_pagefind()
    if executable is None or not executable.exists():
        where = f" (no {executable})" if executable is not None else ""
        return (_warning(f"Pagefind is not installed{where}; {_INSTALL_HINT}"),)
    version = _pagefind_version(executable)
    if version is None:
        return (_warning(f"{executable} does not run as Pagefind; {_INSTALL_HINT}"),)
    diagnostics: list[Diagnostic] = []
    if version[:2] < MIN_PAGEFIND_VERSION:
        wanted = ".".join(map(str, MIN_PAGEFIND_VERSION))
        diagnostics.append(
            Diagnostic(
                "warning",
                f"Pagefind {'.'.join(map(str, version))} is older than {wanted}: searches "
                f"for Chinese or Japanese words written without spaces may find nothing; "
                f"{_INSTALL_HINT}",
            )
        )
    if not extended:
        diagnostics.append(
            Diagnostic(
                "warning",
                "Pagefind is not the extended build: Chinese and Japanese pages are indexed "
                f"without word segmentation; {_INSTALL_HINT}",
            )
        )
    with tempfile.TemporaryDirectory(prefix="site-builder-search-") as shadow:
        shadow_dir = Path(shadow)
        if _prepare_pages(site_dir, shadow_dir) == 0:
            return (*diagnostics, _warning("no page marks content with data-pagefind-body"))
        command = [
            str(executable),
            "--site",
            str(shadow_dir),
            "--output-path",
            str(bundle.absolute()),
            "--quiet",
        ]
        try:
            completed = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, check=False
            )
        except (OSError, subprocess.SubprocessError) as error:
            shutil.rmtree(bundle, ignore_errors=True)
            return (*diagnostics, _warning(f"Pagefind did not run: {error}"))
    if completed.returncode != 0 or not (bundle / "pagefind-entry.json").is_file():
        shutil.rmtree(bundle, ignore_errors=True)  # no half-written index in the site
        output = (completed.stderr or completed.stdout).strip().splitlines()
        detail = output[-1] if output else f"exit status {completed.returncode}"
        return (*diagnostics, _warning(f"Pagefind failed: {detail}"))
    _sort_languages(bundle / "pagefind-entry.json")
    return tuple(diagnostics)


def _sort_languages(entry_path: Path) -> None:
    """Pagefind lists the languages of its entry file in hash-map order, which changes from
    run to run; sorted, the bundle is the same bytes for the same site."""
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    if isinstance(entry.get("languages"), dict):
        entry["languages"] = dict(sorted(entry["languages"].items()))
    entry_path.write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
