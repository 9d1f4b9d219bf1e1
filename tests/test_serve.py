"""The preview server: serves the built site, rebuilds on edits, reloads pages, survives
broken edits, never serves a file outside the output folder.

One server (module scope) is started in-process on a free port with a copy of the sample
content and of the templates (so edits elsewhere in the repository do not trigger
rebuilds here); its first build takes ~15-25 s. Tests edit files and wait for the events
the server sends; each test leaves the content as it found it.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import watchfiles
from hypothesis import example, given, settings
from hypothesis import strategies as st

from site_builder.errors import SiteBuilderError
from site_builder.pipeline import BuildOptions
from site_builder.render import default_templates_dir
from site_builder.serve import (
    EVENTS_PATH,
    OVERLAY_ID,
    LiveReload,
    PreviewServer,
    _WatchFilter,
    content_type,
    format_event,
    inject_reload_script,
    locate,
    pages_to_reload,
)
from site_builder.write import MARKER_NAME

from .conftest import REPO, SAMPLE_CONTENT

WAIT = 60.0  # seconds: a rebuild of one article takes several seconds on a loaded machine
ARTICLE = "articles/001_cf56cbe64eb45982.txt"
ARTICLE_ANCHOR = "O CEO da Anthropic critica"
SECRET = "TOP SECRET: outside the output folder"


# --- helpers -------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def request(base_url: str, target: str, method: str = "GET") -> Response:
    """`target` is sent exactly as given (no client-side normalisation of `..`)."""
    address = urlsplit(base_url)
    assert address.hostname is not None and address.port is not None
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=WAIT)
    try:
        connection.request(method, target)
        response = connection.getresponse()
        body = response.read()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return Response(response.status, headers, body)
    finally:
        connection.close()


@dataclass
class Event:
    name: str  # "comment" for a `:` line
    data: str


@dataclass
class EventStream:
    """A client of the server-sent-events endpoint, read by a background thread."""

    base_url: str
    events: queue.Queue[Event | None] = field(default_factory=queue.Queue)

    def __post_init__(self) -> None:
        address = urlsplit(self.base_url)
        assert address.hostname is not None and address.port is not None
        self.connection = http.client.HTTPConnection(address.hostname, address.port, timeout=WAIT)
        self.connection.request("GET", EVENTS_PATH)
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type") == "text/event-stream; charset=utf-8"
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        name, data = "message", []
        try:
            while True:
                raw = self.response.readline()
                if not raw:
                    break
                line = raw.decode("utf-8").rstrip("\n")
                if line.startswith(":"):
                    self.events.put(Event("comment", line[1:].strip()))
                elif line.startswith("event: "):
                    name = line.removeprefix("event: ")
                elif line.startswith("data: "):
                    data.append(line.removeprefix("data: "))
                elif line == "":
                    if data:
                        self.events.put(Event(name, "\n".join(data)))
                    name, data = "message", []
        except (OSError, ValueError):
            pass
        self.events.put(None)

    def next(self, *names: str, timeout: float = WAIT) -> Event:
        """The next event named one of `names`; an unexpected build event fails the test."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {names} event within {timeout} s")
            try:
                event = self.events.get(timeout=remaining)
            except queue.Empty:
                continue
            if event is None:
                raise AssertionError("the event stream ended")
            if event.name in names:
                return event
            if event.name in ("reload", "build-error"):
                raise AssertionError(f"expected {names}, got {event.name}: {event.data}")

    def close(self) -> None:
        self.response.close()
        self.connection.close()


def wait_until(condition: Callable[[], bool], what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def replace_file(path: Path, text: str) -> None:
    """Write `text` to `path` in one step (as editors do), from a temporary file outside
    the watched folders, so the watcher never sees a half-written file."""
    temporary = _scratch_dir(path) / f".edit-{path.name}"
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _scratch_dir(path: Path) -> Path:
    # The folder holding the watched content and templates copies (never watched itself).
    for parent in path.parents:
        if (parent / "content").is_dir() and (parent / "templates").is_dir():
            return parent
    raise AssertionError(f"{path} is not in a test site")


@dataclass
class Preview:
    server: PreviewServer
    content: Path
    templates: Path
    output: Path
    log: list[str]

    @property
    def url(self) -> str:
        return self.server.url

    def get(self, target: str, method: str = "GET") -> Response:
        return request(self.url, target, method)

    def events(self) -> EventStream:
        stream = EventStream(self.url)
        hello = stream.next("hello")
        assert hello.data == self.server.live.build_id
        return stream


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    root = tmp_path_factory.mktemp("serve")
    content = root / "content"
    templates = root / "templates"
    shutil.copytree(SAMPLE_CONTENT, content)
    shutil.copytree(default_templates_dir(), templates)
    (root / "secret.txt").write_text(SECRET, encoding="utf-8")
    log: list[str] = []
    options = BuildOptions(content_dir=content, output_dir=root / "_site", templates_dir=templates)
    server = PreviewServer(options, port=0, log=log.append, keepalive_seconds=0.5)
    server.start()
    try:
        yield Preview(server, content, templates, root / "_site", log)
    finally:
        server.stop()


def article_url(preview: Preview) -> str:
    """The URL path of ARTICLE's page, from the site's digest.json."""
    digest = json.loads(preview.get("/digest.json").body)
    [url] = [article["url"] for article in digest["articles"] if article["path"] == ARTICLE]
    return "/" + str(url)


# --- serving -------------------------------------------------------------------------------


def test_pages_are_served_as_utf8_html_with_the_reload_script(preview: Preview) -> None:
    home = preview.get("/")
    assert home.status == 200
    assert home.headers["content-type"] == "text/html; charset=utf-8"
    assert int(home.headers["content-length"]) == len(home.body)
    assert "DeepSeek-R1 in four languages" in home.text
    assert EVENTS_PATH in home.text and home.text.count("<script>") >= 1
    # The script goes in at serve time only: the files on disk are the build's own.
    on_disk = (preview.output / "index.html").read_bytes()
    assert b"__site_builder" not in on_disk
    build_id = preview.server.live.build_id
    assert inject_reload_script(on_disk, build_id, "index.html") == home.body
    built = [p for p in preview.output.rglob("*") if p.is_file()]
    assert len(built) > 20
    assert not [p for p in built if b"__site_builder" in p.read_bytes()]


def test_content_types_head_redirects_and_the_themes_404(preview: Preview) -> None:
    assert preview.get("/static/style.css").headers["content-type"] == "text/css; charset=utf-8"
    assert preview.get("/digest.json").headers["content-type"] == (
        "application/json; charset=utf-8"
    )
    assert preview.get("/static/favicon.svg").headers["content-type"] == (
        "image/svg+xml; charset=utf-8"
    )
    css = preview.get("/static/style.css")
    assert css.body == (preview.output / "static/style.css").read_bytes()

    head = preview.get("/", method="HEAD")
    assert head.status == 200 and head.body == b""
    assert head.headers["content-length"] == str(len(preview.get("/").body))

    moved = preview.get("/topics?x=1")
    assert moved.status == 301 and moved.headers["location"] == "/topics/?x=1"
    topics = preview.get("/topics/")
    assert topics.status == 200 and "</html>" in topics.text

    missing = preview.get("/no/such/page.html")
    assert missing.status == 404
    assert missing.headers["content-type"] == "text/html; charset=utf-8"
    not_found_page = (preview.output / "404.html").read_text(encoding="utf-8")
    assert "<h1>" in not_found_page
    assert not_found_page.split("<h1>")[1].split("</h1>")[0] in missing.text
    assert EVENTS_PATH in missing.text
    assert preview.get("/no/such/page.html", method="HEAD").body == b""


TRAVERSALS = [
    "/../secret.txt",
    "/../../secret.txt",
    "/static/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/%2e%2e%2fsecret.txt",
    "/static/%2e%2e/%2e%2e/secret.txt",
    "/..%2f..%2fsecret.txt",
    "/..%5csecret.txt",
    "/%252e%252e/secret.txt",
    "/.%2e/secret.txt",
    "/secret.txt%00.html",
    "//secret.txt",
    f"/{MARKER_NAME}",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_no_path_leaves_the_output_folder(preview: Preview, target: str) -> None:
    response = preview.get(target)
    assert response.status in (403, 404)
    assert SECRET.encode() not in response.body


def test_symlinks_out_of_the_output_folder_are_forbidden(preview: Preview) -> None:
    secret = preview.output.parent / "secret.txt"
    (preview.output / "leak.txt").symlink_to(secret)
    (preview.output / "leak-dir").symlink_to(preview.output.parent, target_is_directory=True)
    try:
        for target in ("/leak.txt", "/leak-dir/secret.txt", "/leak-dir/"):
            response = preview.get(target)
            assert response.status == 403, target
            assert SECRET.encode() not in response.body
    finally:
        (preview.output / "leak.txt").unlink()
        (preview.output / "leak-dir").unlink()


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["..", ".", "%2e%2e", "%2E.", "a", "b", "link", "index.html", "%2f", "%00", "\\", ""]
        ),
        max_size=6,
    ).map("/".join)
)
@example("link/b/index.html")
@example("link/b/")
@example("a/%2e%2e/%2e%2e/b/index.html")
def test_locate_never_returns_a_file_outside_the_root(
    tmp_path_factory: pytest.TempPathFactory, path: str
) -> None:
    base = tmp_path_factory.getbasetemp() / "locate"
    root = base / "site"
    if not root.exists():
        (root / "a" / "b").mkdir(parents=True)
        (root / "a" / "index.html").write_text("a", encoding="utf-8")
        (base / "b").mkdir()
        (base / "b" / "index.html").write_text("outside", encoding="utf-8")
        (root / "link").symlink_to(base, target_is_directory=True)
    found = locate(root, "/" + path)
    if found.file is not None:
        assert found.file.resolve().is_relative_to(root.resolve())
    assert found.status in (200, 301, 403, 404)


# --- rebuilds and reloads ------------------------------------------------------------------


def test_an_edit_rebuilds_and_reloads_open_pages(preview: Preview) -> None:
    page = article_url(preview)
    marker = "Zebraquilha marca esta frase de teste da pré-visualização."
    assert marker not in preview.get(page).text
    stream = preview.events()
    article = preview.content / ARTICLE
    original = article.read_text(encoding="utf-8")
    page_file = preview.output / page.strip("/") / "index.html"
    try:
        logged = len(preview.log)
        replace_file(article, original.replace(ARTICLE_ANCHOR, f"{marker} {ARTICLE_ANCHOR}", 1))
        # First the edited article's page alone (its file replaced in the served site),
        # then the whole site: a reload for each, of the pages whose files changed.
        first = json.loads(stream.next("reload").data)
        assert first["pages"] == [page_file.relative_to(preview.output).as_posix()]
        assert marker in preview.get(page).text
        previewed = page_file.read_bytes()
        second = json.loads(stream.next("reload").data)
        assert second["build"] == preview.server.live.build_id != first["build"]
        assert marker in preview.get(page).text
        # The whole build made the same page, so it is not reloaded again; nor is any
        # other (the new sentence names no topic and is not in the summary, so no other
        # page shows it).
        assert second["pages"] == []
        lines = preview.log[logged:]
        updated = [i for i, line in enumerate(lines) if line.startswith("updated ")]
        rebuilt = [i for i, line in enumerate(lines) if line.startswith("rebuilt in ")]
        assert len(updated) == 1 and len(rebuilt) == 1 and updated[0] < rebuilt[0], lines
        assert re.fullmatch(
            rf"updated {re.escape(page.strip('/'))}/index\.html in \d+\.\d s; "
            "rebuilding the rest of the site",
            lines[updated[0]],
        ), lines
        assert re.fullmatch(r"rebuilt in \d+\.\d s \(.*\)", lines[rebuilt[0]]), lines
        assert any(line == f"changed: {article}" or line.endswith(ARTICLE) for line in lines)
        # This edit leaves the topics as they were: the whole build made the same page.
        assert page_file.read_bytes() == previewed
    finally:
        replace_file(article, original)
        stream.next("reload")  # the page
        stream.next("reload")  # the site
        stream.close()
    assert marker not in preview.get(page).text


def test_a_change_beyond_article_text_is_not_previewed(preview: Preview) -> None:
    """A template edit changes every page: no page is shown before the whole rebuild."""
    template = preview.templates / "404.html"
    original = template.read_text(encoding="utf-8")
    stream = preview.events()
    logged = len(preview.log)
    try:
        replace_file(template, original.replace("{% block main %}", "{% block main %}<!-- x -->"))
        stream.next("reload")
        assert b"<!-- x -->" in (preview.output / "404.html").read_bytes()
        assert not [line for line in preview.log[logged:] if line.startswith("updated ")]
    finally:
        replace_file(template, original)
        stream.next("reload")
        stream.close()


def test_broken_index_shows_the_error_and_keeps_the_last_good_site(preview: Preview) -> None:
    index = preview.content / "INDEX.md"
    original = index.read_text(encoding="utf-8")
    stream = preview.events()
    try:
        replace_file(index, original.replace("title: DeepSeek", "title: [DeepSeek", 1))
        error = stream.next("build-error")
        assert re.search(r"INDEX\.md:\d+: error: .*YAML", error.data), error.data
        assert preview.server.live.error == error.data
        # The terminal shows the same lines the `build` command prints.
        assert any(re.search(r"INDEX\.md:\d+: error: .*YAML", line) for line in preview.log)
        assert "build failed" in preview.log[-1]
        # The last good site is still served...
        home = preview.get("/")
        assert home.status == 200 and "DeepSeek-R1 in four languages" in home.text
        # ...and a page opened now learns of the error as soon as it connects.
        late = EventStream(preview.url)
        assert late.next("hello").data == preview.server.live.build_id
        assert late.next("build-error").data == error.data
        late.close()
    finally:
        replace_file(index, original)
        stream.next("reload")
        stream.close()
    assert preview.server.live.error is None


def test_template_errors_name_the_template_and_line(preview: Preview) -> None:
    template = preview.templates / "404.html"
    original = template.read_text(encoding="utf-8")
    stream = preview.events()
    try:
        lines = original.split("\n")
        line = lines.index("{% block main %}") + 2  # the line after the block starts
        lines.insert(line - 1, "{{ page.no_such_attribute_here }}")
        replace_file(template, "\n".join(lines))
        error = stream.next("build-error")
        expected = rf"404\.html:{line}: error: template: .*no_such_attribute_here"
        assert re.search(expected, error.data), error.data
        replace_file(template, original.replace("{% block main %}", "{% block main %}{% if %}"))
        error = stream.next("build-error")
        assert re.search(r"404\.html:\d+: error: template: ", error.data), error.data
        assert preview.get("/").status == 200
    finally:
        replace_file(template, original)
        stream.next("reload")
        stream.close()


def test_keep_alive_comments_and_closed_streams_are_dropped(preview: Preview) -> None:
    before = preview.server.live.clients
    stream = preview.events()
    assert preview.server.live.clients == before + 1
    assert stream.next("comment").data == "keep-alive"
    stream.close()
    # The server notices at its next keep-alive write (every 0.5 s here).
    wait_until(lambda: preview.server.live.clients == before, "the closed stream to be dropped")


def test_the_output_and_cache_folders_are_not_watched(tmp_path: Path) -> None:
    keep = _WatchFilter(tmp_path / "_site")
    modified = watchfiles.Change.modified
    assert keep(modified, str(tmp_path / "content" / "INDEX.md"))
    assert keep(modified, str(tmp_path / "_site2" / "index.html"))
    assert not keep(modified, str(tmp_path / "_site" / "index.html"))
    assert not keep(modified, str(tmp_path / ".site_builder_cache" / "_site" / "x.pickle"))
    assert not keep(modified, str(tmp_path / "._site.new-abc123" / "index.html"))
    assert not keep(modified, str(tmp_path / "._site.old-abc123"))
    assert not keep(modified, str(tmp_path / "content" / ".INDEX.md.swp"))  # watchfiles' own


def test_default_templates_are_watched(sample_content: Path, tmp_path: Path) -> None:
    options = BuildOptions(content_dir=sample_content, output_dir=tmp_path / "_site")
    server = PreviewServer(options, port=0)
    assert server.watched_folders == tuple(
        sorted({sample_content.resolve(), default_templates_dir().resolve()})
    )


# --- small pieces --------------------------------------------------------------------------


def test_the_script_goes_before_the_last_body_end() -> None:
    html = b"<html><body><p>&lt;/body&gt; </body></html>\n"
    injected = inject_reload_script(html, "x-1")
    assert injected.startswith(b"<html><body><p>&lt;/body&gt; <script>")
    assert injected.endswith(b"</script>\n</body></html>\n")
    assert b'let served = "x-1";' in injected and b"const page = null;" in injected
    page = inject_reload_script(html, "x-1", "articles/a/index.html")
    assert b'const page = "articles/a/index.html";' in page
    assert inject_reload_script(b"<p>no body", "x-1").startswith(b"<p>no body<script>")


def test_only_pages_whose_files_changed_reload() -> None:
    assert pages_to_reload(["index.html", "articles/a/index.html", "digest.json"]) == (
        "index.html",
        "articles/a/index.html",
    )
    assert pages_to_reload(["feed.xml", "sitemap.xml", "robots.txt", "pagefind/x.pf_index"]) == ()
    assert pages_to_reload([]) == ()
    assert pages_to_reload(["index.html", "static/style.css"]) is None  # every page uses it
    assert pages_to_reload(["static/favicon.svg"]) is None


def test_a_reload_names_the_pages_unless_every_page_must_reload() -> None:
    live = LiveReload()
    client = live.connect()
    assert client is not None
    assert client.get_nowait().startswith("event: hello")

    def reload() -> dict[str, object]:
        message = client.get_nowait()
        assert message is not None and message.startswith("event: reload\ndata: ")
        return dict(json.loads(message.split("data: ", 1)[1]))

    live.built(["b.html", "a.html"])
    assert reload() == {"build": live.build_id, "pages": ["a.html", "b.html"]}
    live.built(None)
    assert reload() == {"build": live.build_id, "pages": None}
    live.failed("boom")
    client.get_nowait()
    live.built(["a.html"])  # the error overlay is on every page: all reload
    assert reload() == {"build": live.build_id, "pages": None}


def test_events_put_every_line_in_its_own_data_field() -> None:
    assert format_event("build-error", "a\nb\r\nc") == (
        "event: build-error\ndata: a\ndata: b\ndata: c\n\n"
    )
    assert format_event("reload", "") == "event: reload\ndata: \n\n"


def test_content_types() -> None:
    assert content_type(Path("a.html")) == "text/html; charset=utf-8"
    assert content_type(Path("a.JS")) == "text/javascript; charset=utf-8"
    assert content_type(Path("feed.xml")) == "application/xml; charset=utf-8"
    assert content_type(Path("a.png")) == "image/png"
    assert content_type(Path("a.woff2")) == "font/woff2"
    assert content_type(Path("no-suffix")) == "application/octet-stream"


# --- the port ------------------------------------------------------------------------------


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


def test_a_port_in_use_is_a_clear_error(
    sample_content: Path, tmp_path: Path, busy_port: int
) -> None:
    options = BuildOptions(content_dir=sample_content, output_dir=tmp_path / "_site")
    server = PreviewServer(options, port=busy_port)
    with pytest.raises(SiteBuilderError, match=f"127.0.0.1:{busy_port} is already in use"):
        server.start()
    assert not (tmp_path / "_site").exists()  # refused before building


def _tiny_content(folder: Path) -> Path:
    (folder / "articles").mkdir(parents=True)
    (folder / "articles" / "one.txt").write_text(
        "The preview server test article. It says nothing in particular, twice over.\n",
        encoding="utf-8",
    )
    (folder / "INDEX.md").write_text(
        "---\ntitle: Tiny\n---\n\n# Tiny\n\n- [One](articles/one.txt)\n  - lang: en\n",
        encoding="utf-8",
    )
    return folder


def _cli(*args: str, cwd: Path, browser: str = "false") -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "BROWSER": browser}
    return subprocess.Popen(
        [sys.executable, "-m", "site_builder", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_cli_port_in_use_is_one_line_and_exit_1(tmp_path: Path, busy_port: int) -> None:
    _tiny_content(tmp_path / "content")
    process = _cli("serve", "--port", str(busy_port), cwd=tmp_path)
    _, stderr = process.communicate(timeout=WAIT)
    assert process.returncode == 1
    assert stderr.strip().splitlines() == [
        f"error: 127.0.0.1:{busy_port} is already in use; stop the other server or choose "
        "another port with --port (0 picks a free one)"
    ]


def test_cli_port_0_prints_the_url_opens_it_and_ctrl_c_stops_cleanly(tmp_path: Path) -> None:
    _tiny_content(tmp_path / "content")
    # `--open` goes through the webbrowser module, which runs $BROWSER with the URL.
    opened = tmp_path / "opened.txt"
    record = f"import pathlib, sys; pathlib.Path({str(opened)!r}).write_text(sys.argv[1])"
    browser = f"{shlex.quote(sys.executable)} -c {shlex.quote(record)} %s"
    process = _cli(
        "serve", "content", "-o", "out", "--port", "0", "--open", cwd=tmp_path, browser=browser
    )
    assert process.stderr is not None
    lines: list[str] = []
    url = None
    deadline = time.monotonic() + WAIT
    while url is None and time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        lines.append(line)
        found = re.search(r"Serving out/ at (http://127\.0\.0\.1:(\d+)/) ", line)
        if found:
            url = found.group(1)
            assert found.group(2) != "0"
    assert url is not None, "".join(lines)
    home = request(url, "/")
    assert home.status == 200 and "Tiny" in home.text
    wait_until(lambda: opened.is_file() and opened.read_text() == url, "the browser to open")
    process.send_signal(signal.SIGINT)
    _, rest = process.communicate(timeout=WAIT)
    output = "".join(lines) + rest
    assert process.returncode == 0, output
    assert "Traceback" not in output
    assert "Stopping" in rest
    with pytest.raises(OSError):
        request(url, "/")


def test_a_failed_first_build_is_served_as_an_error_until_fixed(tmp_path: Path) -> None:
    content = _tiny_content(tmp_path / "content")
    index = content / "INDEX.md"
    good = index.read_text(encoding="utf-8")
    index.write_text(good.replace("title: Tiny", "title: [Tiny"), encoding="utf-8")
    log: list[str] = []
    options = BuildOptions(content_dir=content, output_dir=tmp_path / "_site")
    with PreviewServer(options, port=0, log=log.append) as server:
        assert any(re.search(r"INDEX\.md:\d+: error: .*YAML", line) for line in log), log
        nothing = request(server.url, "/")
        assert nothing.status == 404
        assert nothing.headers["content-type"] == "text/html; charset=utf-8"
        assert EVENTS_PATH in nothing.text  # so the page learns of the fix
        stream = EventStream(server.url)
        stream.next("hello")
        assert "INDEX.md" in stream.next("build-error").data
        os.replace(_write(tmp_path / "INDEX.md.new", good), index)
        stream.next("reload")
        stream.close()
        home = request(server.url, "/")
        assert home.status == 200 and "Tiny" in home.text
        assert re.fullmatch(r"rebuilt in \d+\.\d s \(1 articles.*\)", log[-1]), log


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- in a browser --------------------------------------------------------------------------


def test_a_browser_page_reloads_itself_and_shows_build_errors(
    preview: Preview, chromium: Any
) -> None:
    page_path = article_url(preview)
    article = preview.content / ARTICLE
    index = preview.content / "INDEX.md"
    original_article = article.read_text(encoding="utf-8")
    original_index = index.read_text(encoding="utf-8")
    marker = "Pangolimtexto aparece sozinho no navegador."
    # An unknown front-matter key whose name is markup: the overlay must show it as text.
    markup_key = '"<b id=injected>bold</b>": 1'
    page = chromium.new_page()
    edited_paragraph = page.locator("p[id^='p-']", has_text=marker)  # full text
    try:
        page.goto(preview.url + page_path.lstrip("/"))
        wait_until(lambda: preview.server.live.clients >= 1, "the page's event stream")
        assert marker not in page.content()
        replace_file(
            article, original_article.replace(ARTICLE_ANCHOR, f"{marker} {ARTICLE_ANCHOR}")
        )
        edited_paragraph.wait_for(timeout=WAIT * 1000)  # no reload by us

        replace_file(index, original_index.replace("\n---\n", f"\n{markup_key}\n---\n", 1))
        overlay = page.locator(f"#{OVERLAY_ID}")
        overlay.wait_for(state="visible", timeout=WAIT * 1000)
        text = overlay.inner_text()
        assert re.search(r"INDEX\.md:\d+: error: unknown front matter key '<b id=injected>", text)
        assert page.locator("#injected").count() == 0
        assert edited_paragraph.count() == 1  # the last good page stays

        replace_file(index, original_index)
        overlay.wait_for(state="detached", timeout=WAIT * 1000)
        assert edited_paragraph.count() == 1
    finally:
        page.close()
        replace_file(index, original_index)
        replace_file(article, original_article)
        wait_until(
            lambda: (
                preview.server.live.error is None
                and "Pangolimtexto" not in preview.get(page_path).text
            ),
            "the original site to be rebuilt",
        )


def test_a_browser_page_reloads_only_when_its_file_changed(preview: Preview, chromium: Any) -> None:
    page_path = article_url(preview)
    output_path = page_path.strip("/") + "/index.html"
    page = chromium.new_page()
    try:
        page.goto(preview.url + page_path.lstrip("/"))
        wait_until(lambda: preview.server.live.clients >= 1, "the page's event stream")
        page.evaluate("window.notReloaded = true")
        preview.server.live.built(["index.html"])  # another page changed
        page.wait_for_timeout(1000)
        assert page.evaluate("window.notReloaded === true")
        preview.server.live.built([output_path])
        page.wait_for_function("window.notReloaded === undefined", timeout=WAIT * 1000)
        # It took the build it skipped as its own: reconnecting does not reload it.
        page.evaluate("window.notReloaded = true")
        preview.server.live.built(["index.html"])
        page.wait_for_timeout(500)
        assert page.evaluate("window.notReloaded === true")
    finally:
        page.close()
