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

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from html.parser import HTMLParser
from multiprocessing.context import BaseContext
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Any, Self

from .model import Diagnostic, OutputFile, ReusedFile, SiteFile
from .write import MARKER_NAME, replaced_site, scratch_folder

__all__ = [
    "MIN_PAGEFIND_VERSION",
    "SEARCH_BUNDLE_DIR",
    "BackgroundIndex",
    "StagedSearch",
    "find_pagefind",
    "index_files",
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
# Options of every run (the input and output folders aside); part of every reuse decision.
_PAGEFIND_OPTIONS = ("--quiet",)
# Pagefind runs per language; a few at once use both cores of a small machine, as one run
# over the whole site does, without holding every language's dictionaries at once.
_CONCURRENT_RUNS = 2
_BODY_MARKER = b"data-pagefind-body"
_ENTRY_NAME = "pagefind-entry.json"
# Written into the bundle for the next build: what each language's part of the bundle was
# made from, and the language of each indexed page. A dot file: nothing loads it.
_MANIFEST_NAME = ".site-builder-search.json"
_MANIFEST_FORMAT = 2  # 2: pages known by SHA-256 (ReusedFile.sha256)

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


def _pagefind_version_text(executable: Path) -> str | None:
    try:
        completed = subprocess.run(
            [str(executable), "--version"], capture_output=True, text=True, timeout=60, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return completed.stdout


def _parse_version(text: str | None) -> tuple[int, int, int] | None:
    match = _VERSION.search(text or "")
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


def marks_content(data: bytes) -> bool:
    """Whether a page marks content for the index (`data-pagefind-body`)."""
    return _BODY_MARKER in data


def _marks_content(file: SiteFile) -> bool:
    # A reused page was looked at when it was made: not read again for this.
    return file.marked_for_search if isinstance(file, ReusedFile) else marks_content(file.data)


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class _Pagefind:
    executable: Path
    # Names this exact indexer (build, size, version): part of every reuse decision.
    identity: str


@dataclass(frozen=True, slots=True)
class _Page:
    """A page Pagefind indexes."""

    path: str  # in the site
    digest: str  # of `data` (SHA-256)
    language: str | None  # of its indexed content
    size: int  # of `data`
    held: bytes | None  # its bytes, unless they are read again from `folder` when needed
    folder: Path | None = None

    @property
    def data(self) -> bytes:
        if self.held is not None:
            return self.held
        assert self.folder is not None
        return self.folder.joinpath(*PurePosixPath(self.path).parts).read_bytes()

    def shadow(self) -> bytes:
        """The page as Pagefind is given it: with `<html lang>` set to its language."""
        text = _page_text(self.data)
        return (_with_html_lang(text, self.language) if self.language else text).encode()


@dataclass(frozen=True, slots=True)
class _Group:
    """The searchable pages of one language: one Pagefind run, one reusable part of the bundle."""

    language: str  # "" for pages without any language
    pages: tuple[_Page, ...]
    key: str  # digest of everything the run's output depends on


@dataclass(frozen=True, slots=True)
class _GroupIndex:
    """What one run put in the bundle: its entry file, and its other files with digests."""

    key: str
    entry: dict[str, Any]
    files: dict[str, str]  # bundle path → digest


@dataclass(frozen=True, slots=True)
class _Previous:
    """The previous build's bundle, as far as its manifest vouches for it."""

    bundle: Path | None = None
    groups: dict[str, _GroupIndex] = field(default_factory=dict)  # by language
    page_languages: dict[str, str | None] = field(default_factory=dict)  # page digest → language


class _IndexFailed(Exception):
    """A Pagefind run failed; the message is the warning's detail."""


class _Conflict(Exception):
    """The per-language outputs cannot be merged (two runs claim one language or one file
    with different bytes), so the site is indexed in one run instead."""


def _code_identity() -> str:
    # The page-language cache in the manifest was computed by this module's rules.
    try:
        return _digest(Path(__file__).read_bytes())
    except OSError:
        return ""


def _check_pagefind() -> tuple[_Pagefind | None, tuple[Diagnostic, ...]]:
    executable, extended = find_pagefind()
    if executable is None or not executable.exists():
        where = f" (no {executable})" if executable is not None else ""
        return None, (_warning(f"Pagefind is not installed{where}; {_INSTALL_HINT}"),)
    version_text = _pagefind_version_text(executable)
    version = _parse_version(version_text)
    if version_text is None or version is None:
        return None, (_warning(f"{executable} does not run as Pagefind; {_INSTALL_HINT}"),)
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
    size = executable.stat().st_size
    # Pagefind takes options from PAGEFIND_* variables too.
    settings = sorted(
        f"{name}={value}" for name, value in os.environ.items() if name.startswith("PAGEFIND_")
    )
    identity = " ".join([executable.name, str(size), version_text.strip(), *settings])
    return _Pagefind(executable, identity), tuple(diagnostics)


def _page_text(data: bytes) -> str:
    # As a text-mode read gives it (universal newlines): what the indexer was always given.
    text = data.decode("utf-8")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _searchable_pages(
    files: Iterable[SiteFile], known: dict[str, str | None], folder: Path | None = None
) -> list[_Page]:
    """The pages Pagefind indexes, sorted by path. `known` holds the languages of pages
    (by digest) found by earlier builds, so unchanged pages are not parsed again, nor a
    ReusedFile read. With `folder`, the files are that folder's, and their bytes are not
    held but read again."""
    pages: list[_Page] = []
    bundle_prefix = f"{SEARCH_BUNDLE_DIR}/"
    for item in files:
        if not item.path.endswith(".html") or item.path.startswith(bundle_prefix):
            continue
        if not _marks_content(item):
            continue
        digest = item.sha256.hex()  # a ReusedFile's is known: not read for it
        if isinstance(item, ReusedFile) and folder is not None and digest in known:
            pages.append(_Page(item.path, digest, known[digest], item.size, None, folder))
            continue
        data = item.data
        if digest in known:
            language = known[digest]
        else:
            searchable, language = search_language(_page_text(data))
            if not searchable:
                continue
        held = data if folder is None else None
        pages.append(_Page(item.path, digest, language, len(data), held, folder))
    pages.sort(key=lambda page: page.path)
    return pages


def _groups(pages: list[_Page], identity: str) -> list[_Group]:
    by_language: dict[str, list[_Page]] = {}
    for page in pages:
        by_language.setdefault(page.language or "", []).append(page)
    return [
        _Group(language, tuple(members), _group_key(members, identity))
        for language, members in sorted(by_language.items())
    ]


def _group_key(pages: Iterable[_Page], identity: str) -> str:
    """Digest of a run's whole input: the indexer, its options, and each page's path, bytes
    and language, which with the code (in `identity`) make the page Pagefind is given."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in (str(_MANIFEST_FORMAT), identity, *_PAGEFIND_OPTIONS):
        hasher.update(f"{len(part)}:{part}\n".encode())
    for page in pages:
        language = "-" if page.language is None else f"={page.language}"
        hasher.update(f"{len(page.path)}:{page.path} {page.digest} {language}\n".encode())
    return hasher.hexdigest()


def _read_previous(previous_bundle: Path | None, identity: str) -> _Previous:
    """The previous bundle's manifest, if it was written by this code and this Pagefind;
    anything unreadable or unexpected means no reuse (never a failed build)."""
    if previous_bundle is None:
        return _Previous()
    try:
        manifest = json.loads((previous_bundle / _MANIFEST_NAME).read_text(encoding="utf-8"))
        if manifest.get("format") != _MANIFEST_FORMAT or manifest.get("tool") != identity:
            return _Previous()
        groups = {
            language: _GroupIndex(str(group["key"]), dict(group["entry"]), dict(group["files"]))
            for language, group in manifest["groups"].items()
        }
        page_languages = dict(manifest["pages"])
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return _Previous()
    return _Previous(previous_bundle, groups, page_languages)


def _same_input(group: _Group, previous: _Previous) -> bool:
    """Whether the previous build indexed `group`'s very input (see _group_key)."""
    known = previous.groups.get(group.language)
    return known is not None and known.key == group.key and previous.bundle is not None


def _reusable(group: _Group, previous: _Previous) -> _GroupIndex | None:
    """The previous build's output for `group` if its input was the same and its files are
    still there, unmodified."""
    known = previous.groups.get(group.language)
    if known is None or not _same_input(group, previous):
        return None
    assert previous.bundle is not None
    for name, digest in known.files.items():
        try:
            if _digest((previous.bundle / name).read_bytes()) != digest:
                return None
        except OSError:
            return None
    return known


def _run_pagefind(pagefind: _Pagefind, shadow: Path, output: Path, timeout: float) -> None:
    command = [str(pagefind.executable), "--site", str(shadow), "--output-path", str(output)]
    try:
        completed = subprocess.run(
            [*command, *_PAGEFIND_OPTIONS],
            # Pagefind reads a pagefind.yml of its working folder: none in this fresh one.
            cwd=shadow.parent,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise _IndexFailed(f"Pagefind did not run: {error}") from error
    if completed.returncode != 0 or not (output / _ENTRY_NAME).is_file():
        lines = (completed.stderr or completed.stdout).strip().splitlines()
        detail = lines[-1] if lines else f"exit status {completed.returncode}"
        raise _IndexFailed(f"Pagefind failed: {detail}")


def _index_groups(
    groups: list[_Group], pagefind: _Pagefind, work: Path, timeout: float
) -> dict[str, tuple[Path, _GroupIndex]]:
    """Run Pagefind for each group (a few at once), each on its own shadow folder; the
    output folder of each and what it holds, by language."""
    runs: list[tuple[_Group, Path, Path]] = []
    for number, group in enumerate(groups):
        shadow = work / f"pages-{number}"
        for page in group.pages:
            target = shadow.joinpath(*PurePosixPath(page.path).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(page.shadow())
        runs.append((group, shadow, work / f"index-{number}"))
    # The biggest languages first, so that the last run to end starts early.
    biggest_first = sorted(runs, key=lambda run: -sum(page.size for page in run[0].pages))
    with ThreadPoolExecutor(max_workers=max(1, min(_CONCURRENT_RUNS, len(runs)))) as pool:
        futures = {
            run[0].language: pool.submit(_run_pagefind, pagefind, run[1], run[2], timeout)
            for run in biggest_first
        }
        for group, _, _ in runs:
            futures[group.language].result()  # the first failure, in language order
    results: dict[str, tuple[Path, _GroupIndex]] = {}
    for group, _, output in runs:
        entry = _sorted_languages(json.loads((output / _ENTRY_NAME).read_text(encoding="utf-8")))
        files = {
            path.relative_to(output).as_posix(): _digest(path.read_bytes())
            for path in sorted(output.rglob("*"))
            if path.is_file() and path.name != _ENTRY_NAME
        }
        results[group.language] = (output, _GroupIndex(group.key, entry, files))
    return results


def _sorted_languages(entry: dict[str, Any]) -> dict[str, Any]:
    """Pagefind lists the languages of its entry file in hash-map order, which changes from
    run to run; sorted, the bundle is the same bytes for the same site."""
    if isinstance(entry.get("languages"), dict):
        return {**entry, "languages": dict(sorted(entry["languages"].items()))}
    return entry


def _merged_entry(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """One entry file for the runs' entries: their languages, sorted, and what they share."""
    merged = dict(entries[0])
    languages: dict[str, Any] = {}
    for entry in entries:
        rest = {key: value for key, value in entry.items() if key != "languages"}
        if rest != {key: value for key, value in merged.items() if key != "languages"}:
            raise _Conflict
        own = entry.get("languages")
        if isinstance(own, dict):
            if languages.keys() & own.keys():
                raise _Conflict  # one language in two runs: not separable by our grouping
            languages.update(own)
    if isinstance(merged.get("languages"), dict):
        merged["languages"] = dict(sorted(languages.items()))
    return merged


def _place_file(source: Path, target: Path, *, move: bool) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if move:
        os.replace(source, target)
        return
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copyfile(source, target)  # no hard links here: the same bytes, copied


def _assemble(
    bundle: Path,
    parts: list[tuple[str, Path, _GroupIndex, bool]],
    manifest: dict[str, Any],
) -> None:
    """Fill `bundle` with the parts' files (moved from a fresh run's output, or linked from
    the previous bundle), the merged entry file and `manifest`, for the next build."""
    parts = sorted(parts, key=lambda part: part[0])
    entry = _merged_entry([index.entry for _, _, index, _ in parts])
    placed: dict[str, str] = {}
    bundle.mkdir(parents=True)
    for _, source, index, fresh in parts:
        for name, digest in sorted(index.files.items()):
            if name in placed:
                if placed[name] != digest:
                    raise _Conflict
                continue
            _place_file(source / name, bundle / name, move=fresh)
            placed[name] = digest
    (bundle / _ENTRY_NAME).write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    (bundle / _MANIFEST_NAME).write_text(
        json.dumps(manifest, ensure_ascii=False, separators=(",", ":")),
        encoding="utf-8",
    )


def _build_bundle(
    groups: list[_Group],
    previous: _Previous,
    pagefind: _Pagefind,
    work: Path,
    timeout: float,
) -> list[tuple[str, Path, _GroupIndex, bool]]:
    """Index the groups whose output cannot be reused; the parts (language, folder of its
    files, what it holds, fresh) of the bundle.

    The previous output of a group with the same input is checked (every file read and
    hashed: 1.6 s at 10,000 articles) while Pagefind indexes the others, not before;
    a group whose files fail the check is indexed after."""
    parts: list[tuple[str, Path, _GroupIndex, bool]] = []
    candidates = [group for group in groups if _same_input(group, previous)]
    stale = [group for group in groups if not _same_input(group, previous)]
    with ThreadPoolExecutor(max_workers=1) as checker:
        checked = checker.submit(
            lambda: [(group, _reusable(group, previous)) for group in candidates]
        )
        fresh = _index_groups(stale, pagefind, Path(tempfile.mkdtemp(dir=work)), timeout)
        verified = checked.result()
    damaged = [group for group, found in verified if found is None]
    if damaged:
        fresh.update(_index_groups(damaged, pagefind, Path(tempfile.mkdtemp(dir=work)), timeout))
    for group, found in verified:
        if found is not None and previous.bundle is not None:
            parts.append((group.language, previous.bundle, found, False))
    for language, (output, index) in fresh.items():
        parts.append((language, output, index, True))
    return parts


def index_files(
    files: Iterable[SiteFile],
    bundle: Path,
    *,
    previous_bundle: Path | None = None,
    timeout: float = _TIMEOUT_SECONDS,
    folder: Path | None = None,
) -> tuple[Diagnostic, ...]:
    """Write the search bundle of the site made of `files` into the new folder `bundle`.
    With `folder`, the files are read from that folder (and read again when needed,
    rather than held).

    Pagefind runs once per language of the indexed content, on the pages of that language
    only; each language's output is reused from `previous_bundle` (the bundle of the
    previous build, hard-linked) when Pagefind, its options and every page it would be
    given are the same as then, which the bundle's manifest records. The result is the
    bundle one run over all pages gives. Returns warnings, never raises for a missing or
    failing Pagefind: then `bundle` is not created.
    """
    pagefind, diagnostics = _check_pagefind()
    if pagefind is None:
        return diagnostics
    identity = f"{_code_identity()} {pagefind.identity}"
    previous = _read_previous(previous_bundle, identity)
    pages = _searchable_pages(files, previous.page_languages, folder)
    if not pages:
        return (*diagnostics, _warning("no page marks content with data-pagefind-body"))
    groups = _groups(pages, identity)
    manifest: dict[str, Any] = {
        "format": _MANIFEST_FORMAT,
        "tool": identity,
        "pages": {page.digest: page.language for page in sorted(pages, key=lambda p: p.digest)},
    }
    bundle.parent.mkdir(parents=True, exist_ok=True)
    try:
        # Beside the bundle, so that fresh output is moved into it rather than copied.
        with tempfile.TemporaryDirectory(prefix=".search-", dir=bundle.parent.absolute()) as work:
            parts = _build_bundle(groups, previous, pagefind, Path(work), timeout)
            try:
                _assemble(bundle, parts, {**manifest, "groups": _recorded(parts)})
            except _Conflict:
                # Pagefind merged languages that our grouping keeps apart: one run over
                # every page, as correct as ever, just not reusable in parts.
                shutil.rmtree(bundle, ignore_errors=True)
                whole = _Group("", tuple(pages), "")
                parts = _build_bundle([whole], _Previous(), pagefind, Path(work), timeout)
                _assemble(bundle, parts, {**manifest, "groups": {}})
    except _IndexFailed as failure:
        shutil.rmtree(bundle, ignore_errors=True)  # no half-written index in the site
        return (*diagnostics, _warning(str(failure)))
    except BaseException:
        shutil.rmtree(bundle, ignore_errors=True)
        raise
    return diagnostics


def _recorded(parts: list[tuple[str, Path, _GroupIndex, bool]]) -> dict[str, Any]:
    # Sorted throughout, and the entries' own key order kept: the same bytes every build.
    return {
        language: {
            "key": index.key,
            "entry": index.entry,
            "files": dict(sorted(index.files.items())),
        }
        for language, _, index, _ in sorted(parts, key=lambda part: part[0])
    }


def _theme_bundle_warning() -> Diagnostic:
    return _warning(
        f"the site already has a {SEARCH_BUNDLE_DIR}/ folder (from the theme?), "
        "where the search index would go"
    )


class _ClosedOnExit:
    """A context manager whose exit calls `close`."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class BackgroundIndex(_ClosedOnExit):
    """The search bundle of the files at `paths` in `folder` (the build's staging folder),
    built in a thread while the build goes on (e.g. checks links), in a scratch folder
    beside `output_dir`; the pages are read one at a time, never all held. `install` puts
    the bundle into the staging folder before it is published. Reuses the bundle of the
    site now in `output_dir`, like `index_site`. Use as a context manager: leaving it
    waits for the indexer and removes the scratch folder, whether or not the bundle was
    installed.
    """

    def __init__(
        self,
        folder: Path,
        paths: Sequence[str],
        output_dir: Path,
        *,
        timeout: float = _TIMEOUT_SECONDS,
        reused: Mapping[str, ReusedFile] | None = None,
        context: BaseContext | None = None,
    ) -> None:
        out = Path(os.path.realpath(output_dir)) if output_dir.is_symlink() else output_dir
        out = out.absolute()
        previous = out / SEARCH_BUNDLE_DIR if (out / MARKER_NAME).is_file() else None
        self._scratch = scratch_folder(out)  # same file system as the staging folder
        self._bundle = self._scratch / SEARCH_BUNDLE_DIR
        # With a multiprocessing `context`, the indexer is a process of its own: in a
        # thread, reading the pages and writing Pagefind's input waited for the build's
        # lock (GIL) while the build rendered, and Pagefind started 6 s after the article
        # pages were staged in a one-article rebuild at 10,000 articles.
        self._pool: Executor = (
            ThreadPoolExecutor(max_workers=1)
            if context is None
            else ProcessPoolExecutor(max_workers=1, mp_context=context)
        )
        self._work: tuple[Path, tuple[str, ...], dict[str, ReusedFile], Path, Path | None, float]
        self._result: Future[tuple[Diagnostic, ...]]
        if any(path.startswith(f"{SEARCH_BUNDLE_DIR}/") for path in paths):
            self._result = Future()
            self._result.set_result((_theme_bundle_warning(),))
        else:
            html = tuple(path for path in paths if path.endswith(".html"))
            self._work = (folder, html, dict(reused or {}), self._bundle, previous, timeout)
            self._result = self._pool.submit(_index_folder, *self._work)

    def install(self, site_dir: Path) -> tuple[Diagnostic, ...]:
        """Wait for the bundle and move it into `site_dir` (a write_site `finish` hook)."""
        try:
            diagnostics = self._result.result()
        except BrokenProcessPool:
            # The indexing process died (killed, out of memory): index here instead.
            shutil.rmtree(self._bundle, ignore_errors=True)
            diagnostics = _index_folder(*self._work)
        if self._bundle.is_dir():
            os.replace(self._bundle, site_dir / SEARCH_BUNDLE_DIR)
        return diagnostics

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        shutil.rmtree(self._scratch, ignore_errors=True)


class StagedSearch(_ClosedOnExit):
    """The search bundle of a build's staging folder, started before every file is staged:
    once the pages `expected` to hold all the searchable content (the article pages) are,
    Pagefind indexes them while the rest of the site is rendered and its links checked
    (in a one-article rebuild, re-indexing the edited article's language took longer than
    all of that). Tell it of each file as it is staged (`staged`), then take the index
    with `index`. Should a file staged after the start mark searchable content (a theme's
    template) or be a theme's own `pagefind/` file, `index` starts over on every staged
    file: the bundle is always that of the whole site. Use as a context manager; leaving
    it closes every indexer it started.
    """

    def __init__(
        self,
        folder: Path,
        output_dir: Path,
        expected: Iterable[str],
        *,
        timeout: float = _TIMEOUT_SECONDS,
        context: BaseContext | None = None,
    ) -> None:
        self._folder, self._output_dir, self._timeout = folder, output_dir, timeout
        self._context = context  # for BackgroundIndex
        self._waiting = set(expected)
        self._staged: list[str] = []
        self._reused: dict[str, ReusedFile] = {}  # staged files known without reading
        self._indexes: list[BackgroundIndex] = []
        self._missed = False  # a file staged after the start that the index must see

    @property
    def started(self) -> bool:
        """Whether an indexer is running (from the last expected page, or from `index`)."""
        return bool(self._indexes)

    def staged(self, file: SiteFile) -> None:
        """Note a file just written into the staging folder."""
        if isinstance(file, ReusedFile):
            self._reused[file.path] = file
        if self._indexes:
            if file.path.startswith(f"{SEARCH_BUNDLE_DIR}/") or (
                file.path.endswith(".html") and _marks_content(file)
            ):
                self._missed = True
            return
        self._staged.append(file.path)
        if self._waiting:
            self._waiting.discard(file.path)
            if not self._waiting:
                self._start(tuple(self._staged))

    def index(self, paths: Sequence[str]) -> BackgroundIndex:
        """The index of the site whose staged files are `paths` (all of them)."""
        if self._indexes and not self._missed:
            return self._indexes[0]
        return self._start(paths)

    def _start(self, paths: Sequence[str]) -> BackgroundIndex:
        index = BackgroundIndex(
            self._folder,
            paths,
            self._output_dir,
            timeout=self._timeout,
            reused=dict(self._reused),
            context=self._context,
        )
        self._indexes.append(index)
        return index

    def close(self) -> None:
        for index in self._indexes:
            index.close()


def index_site(
    site_dir: Path, *, previous_site: Path | None = None, timeout: float = _TIMEOUT_SECONDS
) -> tuple[Diagnostic, ...]:
    """Write the search index of the site in `site_dir` into `site_dir/pagefind/`.

    Meant for the staging folder of write_site (its `finish` hook), so the published site
    always has an index that matches its pages; the bundle of `previous_site` (by default
    the site that staging folder replaces) is reused where its input was the same, see
    `index_files`. Returns warnings, never raises for a missing or failing Pagefind: the
    site then simply has no search (the search box stays hidden).
    """
    bundle = site_dir / SEARCH_BUNDLE_DIR
    if bundle.exists():
        return (_theme_bundle_warning(),)
    if previous_site is None:
        previous_site = replaced_site(site_dir)
    previous_bundle = previous_site / SEARCH_BUNDLE_DIR if previous_site is not None else None
    html = [
        path.relative_to(site_dir).as_posix()
        for path in sorted(site_dir.rglob("*.html"))
        if path.is_file()
    ]
    return index_files(
        _folder_pages(site_dir, html),
        bundle,
        previous_bundle=previous_bundle,
        timeout=timeout,
        folder=site_dir,
    )


def _index_folder(
    folder: Path,
    html: Sequence[str],
    reused: Mapping[str, ReusedFile],
    bundle: Path,
    previous: Path | None,
    timeout: float,
) -> tuple[Diagnostic, ...]:
    """BackgroundIndex's work: index_files of the pages at `html` in `folder`."""
    return index_files(
        _folder_pages(folder, html, reused),
        bundle,
        previous_bundle=previous,
        timeout=timeout,
        folder=folder,
    )


def _folder_pages(
    folder: Path, paths: Iterable[str], reused: Mapping[str, ReusedFile] | None = None
) -> Iterator[SiteFile]:
    """The files at `paths` (POSIX, relative) in `folder`, read one at a time; those in
    `reused` (the same bytes, see ReusedFile) as they are, unread."""
    for path in paths:
        found = reused.get(path) if reused is not None else None
        if found is not None:
            yield found
        else:
            yield OutputFile(path, folder.joinpath(*path.split("/")).read_bytes())
