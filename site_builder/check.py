"""Checks for CI: the content folder's settings files, and every link of a built site.

`check_links` crawls a site through a `fetch` function (output path → bytes, or None when
there is no such file), so the same crawler checks files in memory before the build
writes them, an output folder on disk (`site-builder check`) and a site served over HTTP
(the tests). Links are the href/src of a, link, img and script elements, og:url, and the
URLs in feed.xml, sitemap.xml and robots.txt. A link is internal when it is relative or
starts with the site's base URL; internal links must name an existing file, and a
#fragment must name an element id in the target page. A `LinkScanMemo` carried from one
build to the next spares reading the pages whose bytes did not change.

Content warnings (`content_warnings`) are the ones `build --strict` turns into errors:
undetected language, empty summary, image without alt text, slug renamed because another
article took it, no base URL (no sitemap).
"""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
import xml.etree.ElementTree as ElementTree
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urljoin, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .errors import SiteBuilderError
from .feeds import ATOM_NS, ROBOTS_PATH, SITEMAP_NS, XHTML_NS
from .manifest import INDEX_NAME, read_manifest
from .model import Diagnostic, Digest, OutputFile, SiteFile
from .sitemodel import assign_slugs
from .sources import decode_bytes
from .topics import read_topics_file

__all__ = [
    "Finding",
    "LinkScanMemo",
    "PageScanner",
    "StagedFiles",
    "check_addresses",
    "check_built_site",
    "check_content",
    "check_links",
    "content_findings",
    "content_warnings",
    "finding_order",
    "folder_fetch",
    "format_findings_json",
    "link_warnings",
    "markdown_images_without_alt",
    "with_content_warnings",
    "with_link_warnings",
]

Severity = Literal["warning", "error"]
Fetch = Callable[[str], bytes | None]

# A stand-in origin for sites without a base URL; its path part lets a relative link that
# climbs above the site root be told apart from one that stays inside.
_PLACEHOLDER_ROOT = "http://site.invalid/site-root/"
_LINK_ATTRIBUTES: Mapping[str, str] = {"a": "href", "link": "href", "img": "src", "script": "src"}
_DOCUMENT_SUFFIXES = (".html", ".xml")


def _is_checked_file(path: str) -> bool:
    """Whether the link check reads the file's links: pages, XML and robots.txt."""
    return path.endswith(_DOCUMENT_SUFFIXES) or posixpath.basename(path) == ROBOTS_PATH


_UNDETERMINED = "und"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem, as printed for people (`format`) and for CI annotations (`as_json`)."""

    file: str
    line: int | None
    severity: Severity
    message: str
    code: str  # stable identifier, e.g. "broken-link", "missing-alt"

    def format(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.severity}: {self.message} [{self.code}]"

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "severity": self.severity,
            "message": self.message,
            "code": self.code,
        }

    def as_diagnostic(self) -> Diagnostic:
        return Diagnostic(self.severity, self.message, self.file, self.line)

    @classmethod
    def from_diagnostic(cls, diagnostic: Diagnostic, code: str) -> Finding:
        return cls(
            diagnostic.path or "", diagnostic.line, diagnostic.severity, diagnostic.message, code
        )


def finding_order(finding: Finding) -> tuple[str, int, str, str]:
    return (finding.file, finding.line or 0, finding.code, finding.message)


def format_findings_json(findings: Iterable[Finding]) -> list[dict[str, object]]:
    return [finding.as_json() for finding in sorted(findings, key=finding_order)]


# --- reading documents -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Link:
    line: int
    url: str  # as written (entities decoded)
    what: str  # "a href", "sitemap loc", …, for messages
    rel: str = ""  # the rel attribute of a <link>


@dataclass(frozen=True, slots=True)
class _Document:
    links: tuple[_Link, ...]
    ids: frozenset[str]
    problems: tuple[tuple[int, str, str], ...] = ()  # (line, code, message)


class _HtmlScanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[_Link] = []
        self.ids: set[str] = set()
        self.problems: list[tuple[int, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.start_tag(tag, attrs, self.getpos()[0])

    def document(self) -> _Document:
        return _Document(tuple(self.links), frozenset(self.ids), tuple(self.problems))

    def start_tag(self, tag: str, attrs: list[tuple[str, str | None]], line: int) -> None:
        attributes = {name: value for name, value in attrs if value is not None}
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "a" and "name" in attributes:
            self.ids.add(attributes["name"])
        attribute = _LINK_ATTRIBUTES.get(tag)
        if attribute is not None and attribute in attributes:
            rel = attributes.get("rel", "")
            self.links.append(_Link(line, attributes[attribute], f"{tag} {attribute}", rel))
        if tag == "meta" and attributes.get("property") == "og:url" and "content" in attributes:
            self.links.append(_Link(line, attributes["content"], "og:url"))
        if tag == "img" and not any(name == "alt" for name, _value in attrs):
            self.problems.append((line, "missing-alt", "image without alt text"))


def _scan_xml(text: str) -> _Document:
    """Links of feed.xml (atom:link), sitemap.xml (loc, xhtml:link) or any XML file."""
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        line = error.position[0] if error.position else 0
        return _Document((), frozenset(), ((line, "invalid-xml", f"not well-formed XML: {error}"),))
    urls: list[tuple[str, str]] = []
    for element in root.iter():
        if element.tag in (f"{{{ATOM_NS}}}link", f"{{{XHTML_NS}}}link") and element.get("href"):
            urls.append((element.get("href", ""), "link href"))
        elif element.tag == f"{{{SITEMAP_NS}}}loc" and element.text:
            urls.append((element.text.strip(), "sitemap loc"))
    links = []
    # Each URL is looked for after the one before, and the lines are counted on from
    # there: counting from the start for each was quadratic (a 10,000-article feed.xml
    # took 12.6 s to scan, its sitemap 6 s).
    position = counted = 0
    line = 1  # of `counted`
    for url, what in urls:
        escaped = url.replace("&", "&amp;")
        found = text.find(escaped, position)
        if found < 0:  # written some other way (a character reference): said of line 1
            links.append(_Link(1, url, what))
            continue
        line += text.count("\n", counted, found)
        counted, position = found, found + len(escaped)
        links.append(_Link(line, url, what))
    return _Document(tuple(links), frozenset())


def _scan_robots(text: str) -> _Document:
    links = []
    for number, raw in enumerate(text.splitlines(), 1):
        name, colon, value = raw.partition(":")
        if colon and name.strip().lower() == "sitemap" and value.strip():
            links.append(_Link(number, value.strip(), "robots.txt Sitemap"))
    return _Document(tuple(links), frozenset())


# Markup as site_builder's templates write it: comments, raw-text elements (their
# content is not markup), and start tags whose attribute values are all double-quoted.
_MARKUP_RE = re.compile(
    r"<!--.*?-->"
    # raw text holding no "</" but its end tag: parsers disagree on the others
    r"|<(?P<raw>script|style)(?=[\s/>])(?P<raw_attrs>[^<>]*)>(?:(?!</).)*</(?P=raw)\s*>"
    r"|<(?P<tag>[a-zA-Z][a-zA-Z0-9-]*)(?P<attrs>[^<>]*)>"
    r"|</[a-zA-Z][^<>]*>"
    r"|<!(?i:doctype)[^<>]*>",
    re.DOTALL | re.IGNORECASE,
)
_RAW_TEXT_RE = re.compile(r"script|style", re.IGNORECASE)
_ATTRIBUTE_RE = re.compile(r'\s+([^\s"\'<>/=]+)(?:\s*=\s*"([^"]*)")?')
_ATTRIBUTES_END_RE = re.compile(r"\s*/?")
# Tags whose attributes _HtmlScanner reads besides id: links, og:url, images.
_SCANNED_TAGS = frozenset({"a", "link", "img", "script", "meta"})


def _attributes(text: str) -> list[tuple[str, str | None]] | None:
    """Attributes of a start tag, as HTMLParser gives them; None if not all are written
    as name or name="value" (the caller then lets HTMLParser read the page)."""
    found: list[tuple[str, str | None]] = []
    position = 0
    for match in _ATTRIBUTE_RE.finditer(text):
        if match.start() != position:
            return None
        value = match.group(2)
        found.append((match.group(1).lower(), None if value is None else html.unescape(value)))
        position = match.end()
    if not _ATTRIBUTES_END_RE.fullmatch(text, position):
        return None
    return found


def _scan_html_quickly(text: str) -> _Document | None:
    """What _HtmlScanner finds, with one regular expression instead of a parser (ten
    times faster on a big site); None for markup it does not know (a stray "<", quotes
    other than double ones), which then goes to HTMLParser."""
    scanner = _HtmlScanner()
    line, counted = 1, 0  # line number at offset `counted`
    position = 0
    for match in _MARKUP_RE.finditer(text):
        if text.find("<", position, match.start()) >= 0:
            return None
        position = match.end()
        # One call for the groups (raw, raw_attrs, tag, attrs): a page has thousands of tags.
        raw, raw_attrs, plain, attrs = match.groups()
        tag = raw or plain
        if tag is None:
            continue
        if raw is None and _RAW_TEXT_RE.fullmatch(tag):
            return None  # a script or style never closed: the rest of the page is its text
        if raw is not None and raw_attrs.rstrip().endswith("/"):
            return None  # <script/>: no raw text follows for HTMLParser
        written = raw_attrs or attrs or ""
        if written.count('"') % 2:
            return None  # a quoted ">" cut the tag short
        if tag.lower() not in _SCANNED_TAGS and "id" not in written.lower() and "'" not in written:
            continue  # nothing in it a link check reads (most tags: p, li, mark …)
        attrs = _attributes(written)
        if attrs is None:
            return None
        line += text.count("\n", counted, match.start())
        counted = match.start()
        scanner.start_tag(tag.lower(), attrs, line)
    if "<" in text[position:]:
        return None
    return scanner.document()


def _scan(path: str, data: bytes) -> _Document:
    text = data.decode("utf-8", errors="replace")
    if path.endswith(".xml"):
        return _scan_xml(text)
    if posixpath.basename(path) == ROBOTS_PATH:
        return _scan_robots(text)
    quick = _scan_html_quickly(text)
    if quick is not None:
        return quick
    scanner = _HtmlScanner()
    scanner.feed(text)
    scanner.close()
    return scanner.document()


# --- resolving links ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Target:
    path: str  # output path of the file, e.g. "articles/x/index.html"
    fragment: str


def _folder_url(url: str) -> str:
    return url if url.endswith("/") else f"{url}/"


def _path_under(url: str, root: str) -> str | None:
    """The part of `url`'s path below `root` (both absolute), None when not under it."""
    parts, root_parts = urlsplit(url), urlsplit(root)
    if (parts.scheme, parts.netloc) != (root_parts.scheme, root_parts.netloc):
        return None
    if not parts.path.startswith(root_parts.path):
        return None
    return parts.path[len(root_parts.path) :]


def _resolve(page: str, url: str, site_url: str, base_url: str) -> _Target | str | None:
    """The internal file a link names; None for an external link; a message when the link
    is relative but leaves the site.

    Relative and root-relative links are resolved against the page's address under
    `site_url` (where the site is served); absolute links are internal when they start
    with `base_url` (where it is published) or `site_url`.
    """
    url = url.strip()
    if not url:
        return "empty link"
    simple = _resolve_relative(page, url)
    if simple is not None:
        return simple
    return _resolve_by_url(page, url, site_url, base_url)


# A relative link with nothing but a path and a fragment: "../x/#p-2", "#top", "y.css".
_PLAIN_RELATIVE_RE = re.compile(r"[^:/?#%\\\s][^:?#%\\\s]*(?:#[^%\s]*)?|#[^%\s]*")


def _resolve_relative(page: str, url: str) -> _Target | None:
    """_resolve_by_url's answer for a plain relative link, by path arithmetic (urljoin
    took half of a big site's link check); None for any other link, or one that climbs
    above the site's root (left to urljoin, whose answer depends on the site's address)."""
    if "//" in url or not _PLAIN_RELATIVE_RE.fullmatch(url):
        return None
    written, _, fragment = url.partition("#")
    if not written:
        return _Target(page, fragment)
    folder = posixpath.dirname(page)
    path = posixpath.normpath(posixpath.join(folder, written) if folder else written)
    if path == ".." or path.startswith("../"):
        return None
    # "x/", "x/." and "x/.." name folders, as do "." and "..".
    names_folder = written.endswith("/") or written.rsplit("/", 1)[-1] in (".", "..")
    if path == ".":
        path = ""
    elif names_folder:
        path += "/"
    if path == "" or path.endswith("/"):
        path += "index.html"
    return _Target(path, fragment)


def _resolve_by_url(page: str, url: str, site_url: str, base_url: str) -> _Target | str | None:
    absolute = urljoin(site_url + page, url)
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https"):
        return None  # mailto:, data:, …
    written_absolute = bool(urlsplit(url).scheme) or url.startswith("//")
    path = _path_under(absolute, site_url)
    if path is None and written_absolute and base_url:
        path = _path_under(absolute, base_url)
    if path is None:
        if written_absolute:
            return None  # another site, or another part of this host
        return "the link leaves the site (a root-relative link ignores the site's subpath)"
    path = unquote(path)
    if path == "" or path.endswith("/"):
        path += "index.html"
    return _Target(path, unquote(parts.fragment))


# --- what checking a page needs ----------------------------------------------------------------

_Fixed = tuple[int, Severity, str, str]  # (line, severity, message, code)
# The output path and fragment a link names, as one string "<length of path>:<path><fragment>"
# (unambiguous whatever the two hold; cheaper to store and look up than a pair).
_TargetKey = str


def _target_key(path: str, fragment: str) -> _TargetKey:
    return f"{len(path)}:{path}{fragment}"


def _target_of(key: _TargetKey) -> tuple[str, str]:
    length, _colon, rest = key.partition(":")
    return rest[: int(length)], rest[int(length) :]


@dataclass(frozen=True, slots=True)
class _PageLinks:
    """One page reduced to what a link check needs: its ids (for #fragments that name it),
    the findings that depend on no other file, and the internal files its links name."""

    ids: frozenset[str]
    fixed: tuple[_Fixed, ...]
    targets: tuple[_TargetKey, ...]  # distinct, in the order of their first link
    # The links naming each target, for messages. A page restored from a LinkScanMemo has
    # only those of the targets that were broken when it was saved (the page is read again
    # when another one breaks).
    links: Mapping[_TargetKey, Sequence[_Link]]


def _page_links(page: str, data: bytes, site_url: str, base_url: str) -> _PageLinks:
    document = _scan(page, data)
    fixed: list[_Fixed] = []
    for line, code, message in document.problems:
        fixed.append((line, "warning" if code == "missing-alt" else "error", message, code))
    links: dict[_TargetKey, list[_Link]] = {}
    for link in document.links:
        target = _resolve(page, link.url, site_url, base_url)
        if target is None:
            continue
        if isinstance(target, str):
            message = f"{link.what} {link.url!r}: {target}"
            fixed.append((link.line, "error", message, "outside-site"))
            continue
        links.setdefault(_target_key(target.path, target.fragment), []).append(link)
    return _PageLinks(document.ids, tuple(fixed), tuple(links), links)


# --- the memo of pages between builds ----------------------------------------------------------

# Bump when the saved form or what a page's scan yields changes (the build cache's key also
# holds the code's fingerprint; this guards values saved by other code under the same key).
_MEMO_FORMAT = 1
# Between a page's saved targets; a page whose targets hold it is not saved (NUL in a URL's
# path or fragment: never in a real site).
_SAVED_SEPARATOR = "\0"
_SEVERITIES = frozenset({"warning", "error"})

# A saved link: (line, what, url) of a _Link.
_SavedLink = tuple[int, str, str]
# A saved page: (sha256 of its bytes, ids, fixed findings, targets joined by the separator,
# the links of its targets that were broken).
_SavedPage = tuple[
    bytes,
    frozenset[str],
    tuple[_Fixed, ...],
    str,
    tuple[tuple[_TargetKey, tuple[_SavedLink, ...]], ...],
]


def _bytes_digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _saved_page(digest: bytes, links: _PageLinks) -> _SavedPage | None:
    joined = _SAVED_SEPARATOR.join(links.targets)
    if joined.count(_SAVED_SEPARATOR) != max(len(links.targets) - 1, 0):
        return None
    return (digest, links.ids, links.fixed, joined, ())


def _with_broken_links(
    saved: _SavedPage, broken: Mapping[_TargetKey, Sequence[_Link]]
) -> _SavedPage:
    named = tuple(
        (target, tuple((link.line, link.what, link.url) for link in links))
        for target, links in broken.items()
    )
    return (*saved[:4], named)


def _is_fixed(value: object) -> bool:
    return (
        isinstance(value, tuple)
        and len(value) == 4
        and isinstance(value[0], int)
        and value[1] in _SEVERITIES
        and isinstance(value[2], str)
        and isinstance(value[3], str)
    )


def _is_saved_links(value: object) -> bool:
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], str)
        and isinstance(value[1], tuple)
        and all(
            isinstance(link, tuple)
            and len(link) == 3
            and isinstance(link[0], int)
            and isinstance(link[1], str)
            and isinstance(link[2], str)
            for link in value[1]
        )
    )


def _restored_page(saved: object, digest: bytes) -> tuple[_PageLinks, _SavedPage] | None:
    """The page saved as `saved`, and `saved` as a well-formed saved page, if it was saved
    for bytes with this digest (a damaged or foreign entry is as good as none)."""
    if not (isinstance(saved, tuple) and len(saved) == 5 and saved[0] == digest):
        return None
    _digest, ids, fixed, joined, broken = saved
    if not (
        isinstance(ids, frozenset)
        and all(isinstance(name, str) for name in ids)
        and isinstance(fixed, tuple)
        and all(_is_fixed(finding) for finding in fixed)
        and isinstance(joined, str)
        and isinstance(broken, tuple)
        and all(_is_saved_links(named) for named in broken)
    ):
        return None
    targets = tuple(joined.split(_SAVED_SEPARATOR)) if joined else ()
    links = {
        target: tuple(_Link(line, url, what) for line, what, url in named)
        for target, named in broken
    }
    return _PageLinks(ids, fixed, targets, links), (digest, ids, fixed, joined, broken)


class LinkScanMemo:
    """Pages checked by earlier builds, so that a rebuild reads only the pages whose bytes
    changed.

    A page is known by its output path and the sha256 of its bytes, for one base URL and
    site URL (links resolve against them); what is remembered is what `check_links` needs
    from the page itself: its ids, the findings it causes on its own, and the files its
    links name. Whether those files exist is decided anew in every check. `to_save()`
    gives plain data (dict, tuple, str, bytes, int, frozenset) with the pages of the last
    check only; `from_saved` takes it back, ignoring anything it does not recognise.
    """

    def __init__(self) -> None:
        self._site = ("", "")  # (base_url, site_url) the pages were resolved against
        self._known: dict[str, object] = {}  # saved pages of earlier checks, by path
        self._used: dict[str, _SavedPage] = {}  # pages of the current check
        # Pages scanned ahead of the check (PageScanner), by path: (site, saved page). In
        # the saved form, as a build holds thousands while it renders.
        self._ahead: dict[str, tuple[tuple[str, str], _SavedPage]] = {}

    @classmethod
    def from_saved(cls, value: object) -> LinkScanMemo:
        memo = cls()
        if not (isinstance(value, dict) and value.get("format") == _MEMO_FORMAT):
            return memo
        base_url, site_url, pages = value.get("base_url"), value.get("site_url"), value.get("pages")
        if isinstance(base_url, str) and isinstance(site_url, str) and isinstance(pages, dict):
            memo._site = (base_url, site_url)
            memo._known = {path: saved for path, saved in pages.items() if isinstance(path, str)}
        return memo

    def to_save(self) -> dict[str, object]:
        base_url, site_url = self._site
        return {
            "format": _MEMO_FORMAT,
            "base_url": base_url,
            "site_url": site_url,
            "pages": dict(self._used),
        }

    def _start(self, base_url: str, site_url: str) -> None:
        """Begin a check of the site at these addresses: pages resolved for others are
        forgotten; pages the check does not read are dropped from the next save."""
        if (base_url, site_url) == self._site:
            self._known.update(self._used)
        else:
            self._site = (base_url, site_url)
            self._known = {}
        self._used = {}

    def knows(self, page: str, digest: bytes, base_url: str, site_url: str) -> bool:
        """Whether a check of the site at these addresses would take the page with bytes of
        this SHA-256 `digest` from here rather than read it (check_links's arguments: see
        `check_addresses`)."""
        if self._site != (base_url, site_url):
            return False
        saved = self._known.get(page, self._used.get(page))
        return saved is not None and _restored_page(saved, digest) is not None

    def add_scanned(self, page: str, saved: _SavedPage, base_url: str, site_url: str) -> None:
        """A scan of the page made ahead of the check (by a PageScanner), as saved: the
        check reads the page again only for the links of a target that is broken."""
        self._ahead[page] = ((base_url, site_url), saved)

    def _recall_or_read(
        self, page: str, digest: bytes, read: Callable[[], _PageLinks]
    ) -> _PageLinks:
        """The page as saved for bytes of this SHA-256 `digest`, else as scanned ahead, else
        as `read` finds it."""
        saved = self._known.get(page)
        restored = _restored_page(saved, digest) if saved is not None else None
        if restored is not None:
            links, self._used[page] = restored
            return links
        ahead = self._ahead.pop(page, None)
        restored = _restored_page(ahead[1], digest) if ahead and ahead[0] == self._site else None
        if restored is not None:
            links, self._used[page] = restored
            return links
        links = read()
        fresh = _saved_page(digest, links)
        if fresh is not None:
            self._used[page] = fresh
        return links

    def _keep_broken_links(self, page: str, broken: Mapping[_TargetKey, Sequence[_Link]]) -> None:
        """Save the links of the page's broken targets too, so that the next check finds
        them without reading the page again while they stay broken."""
        saved = self._used.get(page)
        if saved is not None:
            self._used[page] = _with_broken_links(saved, broken)


# --- scanning pages while the build renders the next ones -------------------------------------

# Pages a worker scans per task: enough to amortise the round trip.
_SCAN_BATCH = 32


def _scan_staged(
    folder: str, pages: tuple[str, ...], base_url: str, site_url: str
) -> list[tuple[str, _SavedPage]]:
    """(path, page as a LinkScanMemo saves it) of each page in `folder` that can be saved
    (run in a worker process)."""
    scanned = []
    for page in pages:
        data = (Path(folder) / page).read_bytes()
        saved = _saved_page(_bytes_digest(data), _page_links(page, data, site_url, base_url))
        if saved is not None:
            scanned.append((page, saved))
    return scanned


class PageScanner:
    """Scans staged pages for the link check in another process while the build renders
    (rendering is one process's work; on two cores the other one was idle), and hands
    the scans to `memo`, where check_links takes them instead of reading those pages.

    `add` each file as it is staged: pages the memo already knows with these bytes are
    left alone. No process is started until `start_after` pages wait (a rebuild that
    changes a few pages scans them itself, cheaper than starting a process). A scan that
    fails is dropped: the check then reads the page and reports what is wrong with it.
    """

    def __init__(
        self,
        folder: Path,
        base_url: str,
        memo: LinkScanMemo,
        context: BaseContext,
        *,
        start_after: int = _SCAN_BATCH,
    ) -> None:
        self._folder = str(folder)
        self._base_url, self._site_url = check_addresses(base_url)
        self._memo = memo
        self._context = context
        self._start_after = start_after
        self._waiting: list[str] = []
        self._pool: ProcessPoolExecutor | None = None
        self._futures: list[Future[list[tuple[str, _SavedPage]]]] = []

    def add(self, file: SiteFile) -> None:
        if not _is_checked_file(file.path):
            return
        if self._memo.knows(file.path, file.sha256, self._base_url, self._site_url):
            return
        self._waiting.append(file.path)
        if len(self._waiting) >= (_SCAN_BATCH if self._pool else self._start_after):
            self._submit()

    def _submit(self) -> None:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=self._context)
        pages, self._waiting = tuple(self._waiting), []
        self._futures.append(
            self._pool.submit(_scan_staged, self._folder, pages, self._base_url, self._site_url)
        )

    def finish(self) -> None:
        """Wait for the scans and give them to the memo (the pages still waiting are left
        to the check, unless a worker is running anyway)."""
        if self._pool is not None and self._waiting:
            self._submit()
        for future in self._futures:
            try:
                scanned = future.result()
            except Exception:  # BrokenProcessPool, an unreadable page: the check reads it
                continue
            for page, saved in scanned:
                self._memo.add_scanned(page, saved, self._base_url, self._site_url)
        self.close()

    def close(self) -> None:
        self._futures = []
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


# --- the crawler -------------------------------------------------------------------------------


@dataclass
class _Crawl:
    """State of one crawl (local to one check_links call)."""

    fetch: Fetch
    site_url: str
    base_url: str
    memo: LinkScanMemo | None
    # SHA-256 of files whose bytes are known without reading them (see StagedFiles).
    digests: Mapping[str, bytes] = field(default_factory=dict)
    pages: dict[str, _PageLinks | None] = field(default_factory=dict)

    def page_links(self, path: str) -> _PageLinks | None:
        if path not in self.pages:
            digest = self.digests.get(path)
            if digest is not None and self.memo is not None:
                self.pages[path] = self.memo._recall_or_read(
                    path, digest, lambda: self._read_again(path)
                )
                return self.pages[path]
            data = self.fetch(path)
            if data is None:
                self.pages[path] = None
            elif self.memo is None:
                self.pages[path] = self.read(path, data)
            else:
                self.pages[path] = self.memo._recall_or_read(
                    path, _bytes_digest(data), lambda: self.read(path, data)
                )
        return self.pages[path]

    def _read_again(self, path: str) -> _PageLinks:
        """A page whose digest was known but not saved by the memo, read now."""
        data = self.fetch(path)
        return self.read(path, data if data is not None else b"")

    def read(self, path: str, data: bytes) -> _PageLinks:
        return _page_links(path, data, self.site_url, self.base_url)

    def links_to(
        self, path: str, links: _PageLinks, targets: Iterable[_TargetKey]
    ) -> dict[_TargetKey, Sequence[_Link]]:
        """The page's links to each of `targets` (it is read again if the memo did not
        keep them)."""
        wanted = list(targets)
        named = links.links
        if not all(target in named for target in wanted):
            data = self.fetch(path)
            named = self.read(path, data).links if data is not None else {}
        return {target: named.get(target, ()) for target in wanted}

    def exists(self, path: str) -> str | None:
        """The path as found (a folder link without its slash finds its index.html)."""
        if path in self.pages:
            return path if self.pages[path] is not None else None
        if _is_checked_file(path):
            return path if self.page_links(path) is not None else None
        if self.fetch(path) is not None:
            return path
        folder_index = f"{path}/index.html"
        return folder_index if self.page_links(folder_index) is not None else None


def check_addresses(base_url: str, site_url: str = "") -> tuple[str, str]:
    """(base_url, site_url) as check_links resolves links against them."""
    base_url = _folder_url(base_url) if base_url else ""
    return base_url, _folder_url(site_url) if site_url else base_url or _PLACEHOLDER_ROOT


def check_links(
    fetch: Fetch,
    start: Iterable[str],
    *,
    base_url: str = "",
    site_url: str = "",
    display: Callable[[str], str] = lambda path: path,
    follow: bool = True,
    memo: LinkScanMemo | None = None,
    digests: Mapping[str, bytes] | None = None,
) -> list[Finding]:
    """Every broken internal link and #anchor in the pages reachable from `start`.

    `fetch(path)` returns the bytes of an output file or None; `display` turns an output
    path into the file name shown in findings. `base_url` is the address the site was
    built for; `site_url` the one it is served at, when that differs (a test server).
    With `follow`, HTML and XML files that the checked pages link to are checked too.
    With a `memo`, pages whose bytes it knows are not read again, and it remembers the
    pages of this check for the next one; `digests` (path → SHA-256 of the file's bytes)
    lets it know a page's bytes without reading them.
    """
    base_url, site_url = check_addresses(base_url, site_url)
    if memo is not None:
        memo._start(base_url, site_url)
    crawl = _Crawl(fetch, site_url, base_url, memo, digests or {})
    findings: list[Finding] = []
    queue = deque(dict.fromkeys(start))
    seen = set(queue)
    # Many pages link to the same files: each target is looked up once per check, and
    # its problem, if any, kept as (code, the end of the message).
    problems: dict[_TargetKey, tuple[str, str] | None] = {}

    def problem_of(target: _TargetKey) -> tuple[str, str] | None:
        path, fragment = _target_of(target)
        found = crawl.exists(path)
        if found is None:
            return ("broken-link", f"{path} does not exist")
        if follow and found.endswith(_DOCUMENT_SUFFIXES) and found not in seen:
            seen.add(found)
            queue.append(found)
        if not fragment or fragment == "top" or not found.endswith(".html"):
            return None
        linked = crawl.page_links(found)
        if linked is not None and fragment not in linked.ids:
            return ("broken-anchor", f"no element with id {fragment!r} in {found}")
        return None

    while queue:
        page = queue.popleft()
        links = crawl.page_links(page)
        if links is None:
            findings.append(Finding(display(page), None, "error", "file not found", "missing-page"))
            continue
        # A page is taken from the queue once; after that only its ids are asked for
        # (#fragments). Its targets are let go: at 10,000 pages they were 100 MB.
        crawl.pages[page] = _PageLinks(links.ids, (), (), {})
        broken: list[tuple[_TargetKey, tuple[str, str]]] = []
        for target in links.targets:
            if target in problems:
                problem = problems[target]
            else:
                problem = problems[target] = problem_of(target)
            if problem is not None:
                broken.append((target, problem))
        if not (links.fixed or broken):
            continue
        where = display(page)
        for line, severity, message, code in links.fixed:
            findings.append(Finding(where, line, severity, message, code))
        if not broken:
            continue
        named = crawl.links_to(page, links, (target for target, _problem in broken))
        if memo is not None:
            memo._keep_broken_links(page, named)
        for target, (code, what_is_wrong) in broken:
            for link in named[target]:
                message = f"{link.what} {link.url!r}: {what_is_wrong}"
                findings.append(Finding(where, link.line, "error", message, code))
    return sorted(set(findings), key=finding_order)


def folder_fetch(folder: Path) -> Fetch:
    """Read output paths from a built site on disk."""

    def fetch(path: str) -> bytes | None:
        if path.startswith("/") or ".." in path.split("/"):
            return None
        file = folder / path
        try:
            return file.read_bytes() if file.is_file() else None
        except OSError:
            return None

    return fetch


def _checked_files(paths: Iterable[str]) -> list[str]:
    """Files whose links are checked: pages, XML and robots.txt."""
    return sorted(p for p in paths if _is_checked_file(p))


@dataclass(frozen=True, slots=True)
class StagedFiles:
    """Rendered files already written into a folder (the build's staging folder), read
    from there one at a time when checked: `paths` are every file of the site, `digests`
    the SHA-256 of those whose bytes are known without reading them (ReusedFile)."""

    folder: Path
    paths: Sequence[str]
    digests: Mapping[str, bytes] = field(default_factory=dict)

    def fetch(self) -> Fetch:
        listed = frozenset(self.paths)
        read = folder_fetch(self.folder)
        return lambda path: read(path) if path in listed else None


def link_warnings(
    files: Sequence[OutputFile] | StagedFiles,
    base_url: str,
    *,
    output_dir: str = "",
    memo: LinkScanMemo | None = None,
) -> tuple[Diagnostic, ...]:
    """Broken links of rendered files, as warnings (checked before the site is published).
    With a `memo` (see LinkScanMemo), only pages it has not seen with these bytes are read."""
    digests: Mapping[str, bytes] = {}
    if isinstance(files, StagedFiles):
        fetch, paths, digests = files.fetch(), files.paths, files.digests
    else:
        data = {file.path: file.data for file in files}
        fetch, paths = data.get, list(data)

    def display(path: str) -> str:
        return posixpath.join(output_dir, path) if output_dir else path

    findings = check_links(
        fetch,
        _checked_files(paths),
        base_url=base_url,
        display=display,
        follow=False,
        memo=memo,
        digests=digests,
    )
    return tuple(replace(f, severity="warning").as_diagnostic() for f in findings)


def with_link_warnings(
    digest: Digest,
    files: Sequence[OutputFile] | StagedFiles,
    *,
    output_dir: Path | None = None,
    memo: LinkScanMemo | None = None,
) -> Digest:
    """The digest with the rendered site's broken links among its warnings (the build
    decides whether warnings stop it: --strict)."""
    shown = output_dir.as_posix() if output_dir is not None else ""
    base_url = digest.manifest.config.base_url
    broken = link_warnings(files, base_url, output_dir=shown, memo=memo)
    return replace(digest, diagnostics=(*digest.diagnostics, *broken))


# --- content warnings --------------------------------------------------------------------------


def _image_lines(tokens: Sequence[Token]) -> Iterable[tuple[int, Token]]:
    """Image tokens with their 0-based line."""
    for token in tokens:
        if token.type != "inline" or not token.map or not token.children:
            continue
        line = token.map[0]
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "image":
                yield line, child


def markdown_images_without_alt(text: str, file: str) -> list[Finding]:
    """Markdown images whose alt text is empty (`![](photo.jpg)`)."""
    if "![" not in text:
        return []  # every Markdown image opens with "![": nothing to parse for
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(text)
    findings = []
    for line, image in _image_lines(tokens):
        if not (image.content or "").strip():
            src = str(image.attrGet("src") or "")
            message = (
                f"image {src!r} has no alt text; describe it between the brackets: "
                f"![what it shows]({src})"
            )
            findings.append(Finding(file, line + 1, "warning", message, "missing-alt"))
    return findings


def _display(index_path: str, article_path: str) -> str:
    """An article's path as the user knows it: beside INDEX.md's own shown path."""
    return posixpath.join(posixpath.dirname(index_path.replace("\\", "/")), article_path)


def _alt_text_findings(
    content_dir: Path, index_path: str, article_paths: Iterable[str]
) -> list[Finding]:
    findings: list[Finding] = []
    sources = [(content_dir / INDEX_NAME, index_path)]
    sources += [
        (content_dir / path, _display(index_path, path))
        for path in article_paths
        if path.lower().endswith(".md")
    ]
    for file, shown in sources:
        try:
            text, _encoding = decode_bytes(file.read_bytes(), shown)
        except (OSError, SiteBuilderError):
            continue  # reading the file is reported by the stage that needs it
        findings.extend(markdown_images_without_alt(text, shown))
    return findings


def _no_base_url(index_path: str) -> Finding:
    return Finding(
        index_path,
        None,
        "warning",
        "base_url is not set, so sitemap.xml and robots.txt are not written and pages have no "
        "canonical URL; set base_url in INDEX.md or pass --base-url",
        "no-base-url",
    )


def content_findings(digest: Digest, content_dir: Path) -> list[Finding]:
    """Warnings about the analysed content that the reader of the site would notice."""
    manifest = digest.manifest
    index_path = manifest.index_path
    findings: list[Finding] = []
    for article in digest.articles:
        entry = article.entry
        language = article.analysis.language
        if language.lang == _UNDETERMINED or language.lang.startswith(f"{_UNDETERMINED}-"):
            findings.append(
                Finding(
                    index_path,
                    entry.line,
                    "warning",
                    f"the language of {entry.path} could not be detected ({language.method}); "
                    "add `lang:` under its entry, e.g. `- lang: pt`",
                    "unknown-language",
                )
            )
        if not any(sentence.strip() for sentence in article.analysis.summary):
            findings.append(
                Finding(
                    index_path,
                    entry.line,
                    "warning",
                    f"{entry.path} has an empty summary; add `summary:` under its entry",
                    "empty-summary",
                )
            )
    findings += _renamed_slugs(digest)
    findings += _alt_text_findings(content_dir, index_path, (a.entry.path for a in digest.articles))
    if not manifest.config.base_url:
        findings.append(_no_base_url(index_path))
    return sorted(findings, key=finding_order)


def _renamed_slugs(digest: Digest) -> list[Finding]:
    """Articles whose slug had to change because another article took the one it wanted."""
    articles = [replace(a, slug="") for a in digest.articles]
    final = assign_slugs(articles)
    owner = dict(zip(final, articles, strict=True))
    findings = []
    for article, slug in zip(articles, final, strict=True):
        (wanted,) = assign_slugs([article])
        if wanted == slug:
            continue
        other = owner.get(wanted)
        taken = f" by {other.entry.path} (line {other.entry.line})" if other is not None else ""
        findings.append(
            Finding(
                digest.manifest.index_path,
                article.entry.line,
                "warning",
                f"slug {wanted!r} of {article.entry.path} is already taken{taken}, so its page "
                f"is articles/{slug}/; add `slug:` under its entry to choose one",
                "duplicate-slug",
            )
        )
    return findings


def content_warnings(digest: Digest, content_dir: Path) -> tuple[Diagnostic, ...]:
    return tuple(f.as_diagnostic() for f in content_findings(digest, content_dir))


def with_content_warnings(digest: Digest, content_dir: Path) -> Digest:
    """The digest with `content_warnings` added to its diagnostics."""
    return replace(
        digest, diagnostics=(*digest.diagnostics, *content_warnings(digest, content_dir))
    )


# --- site-builder check ------------------------------------------------------------------------


def check_content(content_dir: Path) -> list[Finding]:
    """Problems of INDEX.md and topics.yaml (and Markdown images) that need no analysis."""
    findings: list[Finding] = []
    try:
        manifest, diagnostics = read_manifest(content_dir)
    except SiteBuilderError as error:
        findings += [Finding.from_diagnostic(d, "index") for d in error.diagnostics]
    else:
        findings += [Finding.from_diagnostic(d, "index") for d in diagnostics]
        findings += _alt_text_findings(
            content_dir, manifest.index_path, (e.path for e in manifest.entries)
        )
    try:
        read_topics_file(content_dir)
    except SiteBuilderError as error:
        findings += [Finding.from_diagnostic(d, "topics") for d in error.diagnostics]
    return sorted(findings, key=finding_order)


def _canonical_of_home(fetch: Fetch) -> str:
    """The base URL a built site was made with: its home page's canonical URL."""
    data = fetch("index.html")
    if data is None:
        return ""

    canonical = [
        link.url
        for link in _scan("index.html", data).links
        if link.what == "link href" and link.rel == "canonical"
    ]
    return canonical[0] if canonical else ""


def check_built_site(output_dir: Path, base_url: str = "") -> list[Finding]:
    """Every broken internal link and anchor of the site built in `output_dir`.

    `base_url` "" means: the one the site was built for, as its home page's canonical URL
    shows (INDEX.md may have been overridden by `build --base-url`).
    """
    shown = output_dir.as_posix()
    if not output_dir.is_dir():
        message = f"{shown} does not exist; build the site first (site-builder build -o {shown})"
        return [Finding(shown, None, "error", message, "missing-output")]
    fetch = folder_fetch(output_dir)
    paths = []
    for file in sorted(output_dir.rglob("*")):
        relative = file.relative_to(output_dir)
        if file.is_file() and not any(part.startswith(".") for part in relative.parts):
            paths.append(relative.as_posix())
    start = _checked_files(paths)
    if not start:
        message = f"{shown} holds no HTML pages; build the site first"
        return [Finding(shown, None, "error", message, "missing-output")]
    return check_links(
        fetch,
        start,
        base_url=base_url or _canonical_of_home(fetch),
        display=lambda path: posixpath.join(shown, path),
        follow=False,
    )
