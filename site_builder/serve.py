"""Local preview: build the site, serve it, rebuild on every edit, reload open pages.

`PreviewServer` is the whole feature as one object with an explicit `start` and `stop`, so
tests drive it in-process; `site-builder serve` only calls into it. Three kinds of thread:

- the HTTP server (ThreadingHTTPServer: one thread per request) serves files from the
  output folder only and injects the reload script into HTML responses (never on disk);
- the watcher thread waits for changes (watchfiles) to the content folder (INDEX.md,
  topics.yaml, articles) and the templates folder, and rebuilds with `build_site`; when
  only articles changed, it first writes their pages as the last good build would have
  them (`WarmBuilder.preview`) and reloads the open pages, so an edit shows at once;
- each open page holds a server-sent-events stream (`EVENTS_PATH`) that announces a
  finished rebuild ("reload") or a failed one ("build-error", carrying the error text).

A failed rebuild never stops the server: `build_site` writes through the atomic writer, so
the last good site stays on disk and is served, while the error is printed and shown in the
page as an overlay until the next good build reloads it.
"""

from __future__ import annotations

import errno
import http.server
import json
import mimetypes
import queue
import re
import secrets
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import watchfiles

from .cache import CACHE_DIR_NAME
from .digest_json import DIGEST_PATH
from .errors import SiteBuilderError
from .feeds import FEED_PATH, ROBOTS_PATH, SITEMAP_PATH
from .model import Diagnostic
from .pipeline import (
    BuildOptions,
    BuildReport,
    BuiltSite,
    build_site,
    load_built_site,
    preview_article_pages,
)
from .render import default_templates_dir, template_error
from .search import SEARCH_BUNDLE_DIR
from .write import check_output_dir

EVENTS_PATH = "/__site_builder/events"
OVERLAY_ID = "site-builder-error"

# Comment lines on an idle event stream: they keep proxies and the browser from closing it
# and show the server that a tab went away (the write fails), so its client is dropped.
DEFAULT_KEEPALIVE_SECONDS = 15.0
# A change is handled once no further change came for this long (an editor's save is
# several events within milliseconds), or at the latest after watchfiles' debounce.
QUIET_MS = 100
DEBOUNCE_MS = 1600
WATCH_TICK_MS = 300
# A client that sends its request this slowly is dropped, so no handler thread waits forever.
REQUEST_TIMEOUT_SECONDS = 30.0

# Served types are fixed here rather than taken from the machine's mime.types, so every
# machine serves the theme the same way; text gets an explicit charset (the site is UTF-8).
_CONTENT_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".map": "application/json",
    ".xml": "application/xml",
    ".atom": "application/atom+xml",
    ".rss": "application/rss+xml",
    ".svg": "image/svg+xml",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".webmanifest": "application/manifest+json",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/vnd.microsoft.icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".pdf": "application/pdf",
}
_TEXT_TYPES = {
    "application/json",
    "application/xml",
    "application/atom+xml",
    "application/rss+xml",
    "application/manifest+json",
    "application/javascript",
    "image/svg+xml",
}

_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)

# Injected into served HTML. It reloads the page when a rebuild changed its file (or
# changed what every page uses, or did not say), or when the site it was served from is no
# longer the current one (a rebuild while the stream was down, or a restarted server); it
# draws a failed build's error text (as text, never as HTML) over the page. __BUILD__ is
# the served build's id, __PAGE__ the served file's output path (null for a page served
# in place of a missing one), as JSON.
_RELOAD_SCRIPT = """<script>
(() => {
  let served = __BUILD__;
  const page = __PAGE__;
  const overlayId = __OVERLAY__;
  const events = new EventSource(__EVENTS__);
  events.addEventListener("hello", (event) => {
    if (event.data !== served) location.reload();
  });
  events.addEventListener("reload", (event) => {
    const change = JSON.parse(event.data);
    if (change.pages === null || page === null || change.pages.includes(page)) {
      location.reload();
    } else {
      served = change.build;  // this page is the same in the new build
    }
  });
  events.addEventListener("build-error", (event) => {
    let box = document.getElementById(overlayId);
    if (!box) {
      box = document.createElement("div");
      box.id = overlayId;
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:1rem;z-index:2147483647;overflow:auto;" +
        "margin:0;padding:1rem 1.25rem;background:#fff4f4;color:#5c0000;" +
        "border:2px solid #c00;border-radius:6px;box-shadow:0 4px 24px rgba(0,0,0,.3);" +
        "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:left";
      document.body.appendChild(box);
    }
    const title = document.createElement("strong");
    title.textContent = "site-builder: the build failed; this page is the last good site.";
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "\\u00d7";
    close.setAttribute("aria-label", "Close");
    close.style.cssText = "float:right;font:inherit;font-size:18px;cursor:pointer";
    close.addEventListener("click", () => box.remove());
    const text = document.createElement("pre");
    text.style.cssText = "white-space:pre-wrap;margin:.75rem 0 0;font:inherit";
    text.textContent = event.data;
    box.replaceChildren(close, title, text);
  });
})();
</script>
"""


def inject_reload_script(html: bytes, build_id: str, page: str | None = None) -> bytes:
    """`html` with the reload script before its last </body> (at the end if it has none).
    `page` is the file's output path ("articles/x/index.html"), None for a page served in
    place of another (a 404 page), which reloads after every build."""
    script = (
        _RELOAD_SCRIPT.replace("__BUILD__", json.dumps(build_id))
        .replace("__PAGE__", json.dumps(page))
        .replace("__OVERLAY__", json.dumps(OVERLAY_ID))
        .replace("__EVENTS__", json.dumps(EVENTS_PATH))
        .encode("utf-8")
    )
    ends = list(_BODY_END.finditer(html))
    if not ends:
        return html + script
    at = ends[-1].start()
    return html[:at] + script + html[at:]


def content_type(path: Path) -> str:
    """The Content-Type a served file gets; text types say charset=utf-8."""
    suffix = path.suffix.lower()
    kind = _CONTENT_TYPES.get(suffix) or mimetypes.guess_type(path.name)[0]
    if kind is None:
        return "application/octet-stream"
    if kind.startswith("text/") or kind in _TEXT_TYPES:
        return f"{kind}; charset=utf-8"
    return kind


# --- which file a URL means --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Located:
    """What a request path resolves to: a file to send, a redirect, or an error status."""

    status: int  # 200, 301, 403 or 404
    file: Path | None = None
    location: str | None = None


def locate(root: Path, request_target: str) -> Located:
    """The file under `root` that `request_target` (the raw path of an HTTP request) names.

    Only files inside `root` are ever returned: `..`, dot-files and undecodable paths are
    not found, and a path whose resolved form (symlinks followed) leaves `root` is
    forbidden. A folder without the final slash redirects to it, so relative links work;
    a folder with it means its index.html.
    """
    parts = urlsplit(request_target)
    raw_path = parts.path
    if not raw_path.startswith("/"):
        return Located(404)
    try:
        decoded = unquote(raw_path, errors="strict")
    except UnicodeDecodeError:
        return Located(404)
    if "\x00" in decoded or "\\" in decoded:
        return Located(404)
    segments = [segment for segment in decoded.split("/") if segment]
    if any(segment.startswith(".") for segment in segments):  # "..", ".", dot-files
        return Located(404)
    try:
        base = root.resolve(strict=True)
        target = base.joinpath(*segments).resolve()
    except (OSError, RuntimeError):  # no site yet; a symlink loop
        return Located(404)
    if not target.is_relative_to(base):
        return Located(403)
    if target.is_dir():
        if not raw_path.endswith("/"):
            query = f"?{parts.query}" if parts.query else ""
            return Located(301, location=f"{raw_path}/{query}")
        index = (target / "index.html").resolve()
        if not index.is_relative_to(base):
            return Located(403)
        return Located(200, file=index) if index.is_file() else Located(404)
    return Located(200, file=target) if target.is_file() else Located(404)


# --- the event stream ----------------------------------------------------------------------


def format_event(name: str, data: str) -> str:
    """One server-sent event; every line of `data` becomes a `data:` line."""
    lines = data.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return f"event: {name}\n" + "".join(f"data: {line}\n" for line in lines) + "\n"


class LiveReload:
    """The open event streams, and the state a newly connected page is told.

    Each stream is a queue of ready-to-send events; None tells its handler to end.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: set[queue.SimpleQueue[str | None]] = set()
        self._instance = secrets.token_hex(4)  # tells this server's builds from another's
        self._generation = 0
        self._error: str | None = None
        self._closed = False

    @property
    def build_id(self) -> str:
        """Names the last good build: pages served from it carry this id."""
        with self._lock:
            return f"{self._instance}-{self._generation}"

    @property
    def error(self) -> str | None:
        with self._lock:
            return self._error

    @property
    def clients(self) -> int:
        with self._lock:
            return len(self._clients)

    def connect(self) -> queue.SimpleQueue[str | None] | None:
        """A new stream, primed with the current build id and error; None once closed."""
        client: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        with self._lock:
            if self._closed:
                return None
            client.put(format_event("hello", f"{self._instance}-{self._generation}"))
            if self._error is not None:
                client.put(format_event("build-error", self._error))
            self._clients.add(client)
        return client

    def disconnect(self, client: queue.SimpleQueue[str | None]) -> None:
        with self._lock:
            self._clients.discard(client)

    def built(self, pages: Collection[str] | None = None) -> None:
        """A build succeeded: the pages whose output paths are in `pages` reload, every
        page when it is None (and every page that shows an error)."""
        with self._lock:
            self._generation += 1
            had_error, self._error = self._error is not None, None
            change = {
                "build": f"{self._instance}-{self._generation}",
                "pages": None if pages is None or had_error else sorted(pages),
            }
            self._send(format_event("reload", json.dumps(change, ensure_ascii=False)))

    def failed(self, text: str) -> None:
        """A build failed: every page shows `text` over the last good site."""
        with self._lock:
            self._error = text
            self._send(format_event("build-error", text))

    def close(self) -> None:
        """End every stream; later connections are refused."""
        with self._lock:
            self._closed = True
            self._send(None)
            self._clients.clear()

    def _send(self, message: str | None) -> None:
        for client in self._clients:
            client.put(message)


# --- HTTP ----------------------------------------------------------------------------------


class _PreviewHTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # stop() ends the event streams itself; never wait for a client

    def __init__(
        self,
        address: tuple[str, int],
        family: socket.AddressFamily,
        output_dir: Path,
        live: LiveReload,
        keepalive_seconds: float,
    ) -> None:
        self.address_family = family
        super().__init__(address, _PreviewHandler, bind_and_activate=False)
        self.output_dir = output_dir
        self.live = live
        self.keepalive_seconds = keepalive_seconds

    def handle_error(self, request: object, client_address: object) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return  # the browser went away mid-response: nothing to report
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class _PreviewHandler(http.server.BaseHTTPRequestHandler):
    server: _PreviewHTTPServer
    server_version = "site-builder-preview"
    timeout = REQUEST_TIMEOUT_SECONDS

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        pass  # a preview's terminal shows builds, not every request

    def _respond(self, *, send_body: bool) -> None:
        if urlsplit(self.path).path == EVENTS_PATH:
            self._stream_events(send_body=send_body)
            return
        # Read the id before the file: a page newer than its id only reloads once more.
        build_id = self.server.live.build_id
        root = self.server.output_dir
        found = locate(root, self.path)
        if found.status == 301 and found.location is not None:
            self._send(301, b"", "text/plain; charset=utf-8", send_body, location=found.location)
            return
        if found.status == 200 and found.file is not None:
            try:
                page = found.file.relative_to(root.resolve()).as_posix()
                self._send_file(200, found.file, build_id, send_body, page)
                return
            except OSError:
                pass  # vanished or unreadable since it was located: not found
        status = 403 if found.status == 403 else 404
        not_found_page = locate(root, "/404.html")
        if status == 404 and not_found_page.file is not None:
            try:
                self._send_file(404, not_found_page.file, build_id, send_body)
                return
            except OSError:
                pass
        # An HTML page with the reload script even without a theme's 404.html (no site
        # yet: the first build failed), so the page learns of the error and of the fix.
        title = "403 Forbidden" if status == 403 else "404 Not Found"
        page = f"<!doctype html>\n<title>{title}</title>\n<body>\n<h1>{title}</h1>\n</body>\n"
        data = inject_reload_script(page.encode("utf-8"), build_id)
        self._send(status, data, "text/html; charset=utf-8", send_body)

    def _send_file(
        self, status: int, file: Path, build_id: str, send_body: bool, page: str | None = None
    ) -> None:
        data = file.read_bytes()
        kind = content_type(file)
        if kind.startswith("text/html"):
            data = inject_reload_script(data, build_id, page)
        self._send(status, data, kind, send_body)

    def _send(
        self,
        status: int,
        data: bytes,
        kind: str,
        send_body: bool,
        *,
        location: str | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        # A preview must always show the latest build.
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if location is not None:
            self.send_header("Location", location)
        self.end_headers()
        if send_body:
            self.wfile.write(data)

    def _stream_events(self, *, send_body: bool) -> None:
        live = self.server.live
        client = live.connect()
        if client is None:
            self._send(503, b"shutting down\n", "text/plain; charset=utf-8", send_body)
            return
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not send_body:
                return
            self.wfile.write(b"retry: 1000\n\n")  # reconnect quickly after a restart
            while True:
                try:
                    message = client.get(timeout=self.server.keepalive_seconds)
                except queue.Empty:
                    message = ": keep-alive\n\n"
                if message is None:
                    return
                self.wfile.write(message.encode("utf-8"))
                self.wfile.flush()
        except (ConnectionError, TimeoutError):
            return  # the page was closed or reloaded
        finally:
            live.disconnect(client)


# --- builds --------------------------------------------------------------------------------


def error_diagnostics(error: BaseException, templates_dir: Path) -> tuple[Diagnostic, ...] | None:
    """The user-facing errors of a failed build: file, line and message, formatted as the
    `build` command formats them. None if `error` is a bug in site_builder, not bad input."""
    if isinstance(error, SiteBuilderError):
        return error.diagnostics
    found = template_error(error, templates_dir)
    return None if found is None else (found,)


class _WatchFilter(watchfiles.DefaultFilter):
    """watchfiles' default filter (editor swap files, VCS folders…), and never the output
    folder, the build caches or the writer's staging folders beside it."""

    def __init__(self, output_dir: Path) -> None:
        super().__init__()
        out = output_dir.resolve()
        self._ignored_folders = (out, out.parent / CACHE_DIR_NAME)
        self._staging_parent = out.parent
        self._staging_prefixes = (f".{out.name}.new-", f".{out.name}.old-")

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        if not super().__call__(change, path):
            return False
        candidate = Path(path)
        if any(candidate.is_relative_to(folder) for folder in self._ignored_folders):
            return False
        for folder in (candidate, *candidate.parents):
            if folder.parent == self._staging_parent:
                return not folder.name.startswith(self._staging_prefixes)
        return True


def _default_log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


class WarmBuilder:
    """`build_site` keeping what one build loaded for the next: the language resources
    (segmenters, dictionaries) and the cache entries read or written (EntryMemory), so a
    rebuild after an edit reads and analyses only what changed; and the digest of the
    last build that succeeded, from which `preview` makes edited articles' pages before
    the whole site is rebuilt."""

    def __init__(self) -> None:
        from .analysis.keyphrases import BackgroundFrequencies
        from .cache import EntryMemory
        from .languages.resources import LanguageResources

        self.resources = LanguageResources()
        self.memory = EntryMemory()
        self.background = BackgroundFrequencies()
        self._built: BuiltSite | None = None

    def __call__(self, options: BuildOptions) -> BuildReport:
        # A failed build keeps none: the published site is then not the last inputs'.
        self._built = None
        report = build_site(options, self.resources, memory=self.memory)
        built = report.built
        if built is None and options.use_cache:
            # Nothing had changed, so nothing was loaded (the server's first build, on a
            # site built before): loaded now, before any edit (the cache is looked up by
            # the files as they are), so that the first edit is previewed too and its
            # rebuild finds the cache entries in memory. The build itself succeeded:
            # without this, edits are only not previewed.
            try:
                built = load_built_site(options, self.resources, self.memory)
            except (SiteBuilderError, OSError):
                built = None
        self._built = built
        return report

    def preview(
        self, options: BuildOptions, changed_files: Iterable[str]
    ) -> tuple[str, ...] | None:
        """pipeline.preview_article_pages for the changed files (absolute paths); None
        when the change is not to articles of the last good build only."""
        if self._built is None:
            return None
        content = options.content_dir.resolve()
        paths: list[str] = []
        for file in changed_files:
            try:
                paths.append(Path(file).resolve().relative_to(content).as_posix())
            except ValueError:
                return None  # outside the content folder: a template
        return preview_article_pages(options, paths, self._built, self.resources, self.background)


class PreviewServer:
    """Builds `options` into its output folder, serves it on `host`:`port` (0 = any free
    port) and rebuilds on changes until `stop()`.

    `build` (default: `build_site` with one set of language resources kept across
    rebuilds) runs under a lock, so two builds never overlap. `log` receives one line per
    event for the terminal.
    """

    def __init__(
        self,
        options: BuildOptions,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        log: Callable[[str], None] = _default_log,
        build: Callable[[BuildOptions], BuildReport] | None = None,
        preview: Callable[[BuildOptions, Sequence[str]], tuple[str, ...] | None] | None = None,
        keepalive_seconds: float = DEFAULT_KEEPALIVE_SECONDS,
    ) -> None:
        self.options = options
        self.host = host
        self.port = port
        self.log = log
        self.live = LiveReload()
        self.templates_dir = options.templates_dir or default_templates_dir()
        if build is None:
            warm = WarmBuilder()
            build, preview = warm, warm.preview
        self._build = build
        self._preview = preview
        self._keepalive_seconds = keepalive_seconds
        self._build_lock = threading.Lock()
        self._files: int | None = None  # files of the last good build
        self._stopping = threading.Event()
        self._watching = threading.Event()
        self._httpd: _PreviewHTTPServer | None = None
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        """The base URL, with the port actually bound (known after start)."""
        if self._httpd is None:
            raise RuntimeError("the preview server is not started")
        port = self._httpd.server_address[1]
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{port}/"

    def start(self) -> None:
        """Check the output folder, bind the port, build once, then serve and watch.

        Raises SiteBuilderError for an unusable output folder or address (port in use).
        A failing first build does not raise: it is reported like any failed rebuild.
        """
        options = self.options
        check_output_dir(options.output_dir, options.content_dir, force=options.force)
        self._httpd = self._bind()
        try:
            # Watch before the first build, so an edit made while it runs is not missed.
            watcher = threading.Thread(target=self._watch, name="site-builder-watch", daemon=True)
            watcher.start()
            self._threads.append(watcher)
            self.rebuild(None)
            server = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.2},
                name="site-builder-http",
                daemon=True,
            )
            server.start()
            self._threads.append(server)
            self._watching.wait(timeout=10)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop watching (after a build in progress), end the event streams, close the port."""
        self._stopping.set()
        self.live.close()
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            if any(t.name == "site-builder-http" for t in self._threads):
                httpd.shutdown()
            httpd.server_close()
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join()
        self._threads.clear()

    def __enter__(self) -> PreviewServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def rebuild(self, changed: Iterable[str] | None, *, detected: float | None = None) -> bool:
        """Build now (waiting for a build in progress); tell the pages. True if it succeeded.

        `changed` names the changed files (None: the first build); the time printed runs
        from `detected` (a `time.perf_counter()` value) when given.
        """
        with self._build_lock:
            if changed is not None:
                changed = list(changed)
                self.log(f"changed: {_describe_changes(_display_path(p) for p in changed)}")
            started = time.perf_counter() if detected is None else detected
            if changed and self._preview is not None:
                self._show_preview(changed, started)
            try:
                report = self._build(self.options)
            except Exception as error:
                self._report_failure(error, time.perf_counter() - started)
                return False
            elapsed = time.perf_counter() - started
            for diagnostic in report.diagnostics:
                self.log(diagnostic.format())
            verb = "built" if changed is None else "rebuilt"
            self.log(
                f"{verb} in {elapsed:.1f} s ({report.articles} articles, {report.topics} topics;"
                f" {report.analysed} analysed, {report.write.written} files written)"
            )
            same_files = report.write.files == self._files
            self._files = report.write.files
            self.live.built(pages_to_reload(report.write.changed_paths) if same_files else None)
            return True

    def _show_preview(self, changed: Sequence[str], started: float) -> None:
        """Write the edited articles' pages and reload the open pages, when the change is
        to articles only; the whole rebuild follows in any case."""
        assert self._preview is not None
        try:
            shown = self._preview(self.options, changed)
        except SiteBuilderError:
            return  # the whole rebuild reports it
        except Exception as error:
            text = "".join(traceback.format_exception(error)).rstrip()
            self.log(f"internal error in site_builder's page preview (please report it):\n{text}")
            return
        if shown:
            self.log(
                f"updated {_describe_changes(shown)} in {time.perf_counter() - started:.1f} s;"
                " rebuilding the rest of the site"
            )
            self.live.built(shown)

    def _report_failure(self, error: Exception, elapsed: float) -> None:
        diagnostics = error_diagnostics(error, self.templates_dir)
        if diagnostics is None:
            text = "".join(traceback.format_exception(error)).rstrip()
            self.log(f"internal error in site_builder (please report it):\n{text}")
            text = f"internal error in site_builder: {type(error).__name__}: {error}"
        else:
            text = "\n".join(diagnostic.format() for diagnostic in diagnostics)
            self.log(text)
        self.log(f"build failed after {elapsed:.1f} s; still serving the last good site")
        self.live.failed(text)

    def _bind(self) -> _PreviewHTTPServer:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        httpd = _PreviewHTTPServer(
            (self.host, self.port),
            family,
            self.options.output_dir,
            self.live,
            self._keepalive_seconds,
        )
        try:
            httpd.server_bind()
            httpd.server_activate()
        except OSError as error:
            httpd.server_close()
            address = f"{self.host}:{self.port}"
            if isinstance(error, socket.gaierror):
                reason = f"unknown host {self.host!r}"
            elif error.errno == errno.EADDRINUSE:
                reason = (
                    f"{address} is already in use; stop the other server or choose another "
                    "port with --port (0 picks a free one)"
                )
            else:
                reason = f"cannot listen on {address}: {error.strerror or error}"
            raise SiteBuilderError(reason) from error
        return httpd

    @property
    def watched_folders(self) -> tuple[Path, ...]:
        """The content folder (INDEX.md, topics.yaml, articles) and the templates folder."""
        return tuple(sorted({self.options.content_dir.resolve(), self.templates_dir.resolve()}))

    def _watch(self) -> None:
        changes_seen = watchfiles.watch(
            *self.watched_folders,
            watch_filter=_WatchFilter(self.options.output_dir),
            debounce=DEBOUNCE_MS,
            step=QUIET_MS,
            stop_event=self._stopping,
            # An empty set now and then tells that the watcher is running (`start` waits
            # for it, so an edit right after `start` returns is seen).
            rust_timeout=WATCH_TICK_MS,
            yield_on_timeout=True,
            raise_interrupt=False,
        )
        try:
            for changes in changes_seen:
                self._watching.set()
                if self._stopping.is_set():
                    break
                if changes:
                    detected = time.perf_counter()
                    paths = sorted({path for _change, path in changes})
                    self.rebuild(paths, detected=detected)
        except Exception as error:  # e.g. the content folder was deleted
            self.log(f"error: stopped watching for changes: {error}; restart the server")
        finally:
            self._watching.set()  # never leave `start` waiting


# Files of a site that its pages do not load as they open: a change to one reloads no page.
_NOT_LOADED_BY_PAGES = frozenset({DIGEST_PATH, FEED_PATH, SITEMAP_PATH, ROBOTS_PATH})


def pages_to_reload(written: Iterable[str]) -> tuple[str, ...] | None:
    """The HTML files among `written` (output paths of a build's new or changed files),
    which open pages must reload; None when every page must, because a file that every
    page may use changed (a stylesheet, a script, an image). The search index and the
    files no page loads (feed, sitemap, digest.json) reload nothing."""
    pages: list[str] = []
    for path in written:
        if path.endswith((".html", ".htm")):
            pages.append(path)
        elif path not in _NOT_LOADED_BY_PAGES and not path.startswith(f"{SEARCH_BUNDLE_DIR}/"):
            return None
    return tuple(pages)


def _display_path(path: str) -> str:
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return path


def _describe_changes(paths: Iterable[str]) -> str:
    names = list(paths)
    shown = ", ".join(names[:3])
    return f"{shown} and {len(names) - 3} more" if len(names) > 3 else shown
