"""The write stage: atomic replacement and refusal to destroy user folders."""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder import write
from site_builder.errors import SiteBuilderError
from site_builder.model import OutputFile
from site_builder.write import MARKER_NAME, SiteStaging, replaced_site, write_site


def _files(text: str) -> list[OutputFile]:
    return [
        OutputFile("index.html", f"<p>{text}</p>".encode()),
        OutputFile("articles/a/index.html", text.encode()),
    ]


def test_writes_files_and_marker(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    out = tmp_path / "_site"
    report = write_site(_files("one"), out, content)
    assert report.files == 2
    assert (out / "index.html").read_text() == "<p>one</p>"
    assert (out / "articles/a/index.html").read_bytes() == b"one"
    assert (out / MARKER_NAME).is_file()


def test_rebuild_replaces_old_files_and_leaves_no_temporary_folders(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    out = tmp_path / "_site"
    write_site(_files("one"), out, content)
    (out / "stale.html").write_text("old")
    write_site(_files("two"), out, content)
    assert not (out / "stale.html").exists()
    assert (out / "index.html").read_text() == "<p>two</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site", "content"]


def test_failed_write_keeps_previous_site(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    out = tmp_path / "_site"
    write_site(_files("one"), out, content)
    with pytest.raises(ValueError):
        write_site([OutputFile("../escape.html", b"x")], out, content)
    assert (out / "index.html").read_text() == "<p>one</p>"
    assert not (tmp_path / "escape.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site", "content"]


@pytest.mark.parametrize("name", ["content", "content/sub", "."])
def test_refuses_content_folder_and_overlaps(tmp_path: Path, name: str) -> None:
    content = tmp_path / "content"
    (content / "sub").mkdir(parents=True)
    (content / "INDEX.md").write_text("keep me")
    os.chdir(tmp_path)
    target = tmp_path / name
    with pytest.raises(SiteBuilderError, match="refusing"):
        write_site(_files("x"), target, content)
    assert (content / "INDEX.md").read_text() == "keep me"


def test_refuses_home_and_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    content = tmp_path / "content"
    content.mkdir()
    for target in (tmp_path / "home", Path("/")):
        with pytest.raises(SiteBuilderError, match="refusing"):
            write_site(_files("x"), target, content)


def test_refuses_non_empty_folder_it_did_not_make(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    out = tmp_path / "docs"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    with pytest.raises(SiteBuilderError, match="--force"):
        write_site(_files("x"), out, content)
    assert (out / "thesis.tex").read_text() == "precious"
    write_site(_files("x"), out, content, force=True)
    assert not (out / "thesis.tex").exists()


def test_unchanged_files_are_linked_and_changed_ones_written(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    out = tmp_path / "_site"
    first = write_site(_files("one"), out, content)
    assert (first.written, first.unchanged) == (2, 0)
    inode = (out / "articles/a/index.html").stat().st_ino
    files = [
        OutputFile("index.html", b"<p>new</p>"),
        OutputFile("articles/a/index.html", b"one"),
        OutputFile("articles/b/index.html", b"added"),
    ]
    report = write_site(files, out, content)
    assert (report.files, report.written, report.unchanged) == (3, 2, 1)
    assert report.bytes == sum(len(f.data) for f in files)
    assert (out / "articles/a/index.html").stat().st_ino == inode
    assert (out / "index.html").read_bytes() == b"<p>new</p>"
    assert (out / "articles/b/index.html").read_bytes() == b"added"
    assert (out / MARKER_NAME).is_file()


def test_same_size_different_bytes_is_rewritten(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    out = tmp_path / "_site"
    write_site([OutputFile("a.html", b"aaaa")], out, content)
    report = write_site([OutputFile("a.html", b"aaab")], out, content)
    assert (report.written, report.unchanged) == (1, 0)
    assert (out / "a.html").read_bytes() == b"aaab"


def _stream(out: Path, content: Path, chunks: list[bytes]) -> tuple[int, int, int]:
    """Write one file a chunk at a time, as digest.json is; the report's counts."""
    handed: list[bytes] = []

    def pieces() -> Iterator[bytes]:
        for chunk in chunks:
            handed.append(chunk)
            yield chunk

    with SiteStaging(out, content) as staging:
        staging.add_chunks("data/digest.json", pieces())
        report = staging.publish()
    assert handed == chunks  # taken one by one, each once
    return report.written, report.unchanged, report.bytes


def test_streamed_file_is_written_then_linked_when_unchanged(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    out = tmp_path / "_site"
    chunks = [b"{\n", b'  "a": 1,\n' * 50_000, b"}\n"]  # a block boundary falls inside
    assert _stream(out, content, chunks) == (1, 0, sum(map(len, chunks)))
    target = out / "data/digest.json"
    assert target.read_bytes() == b"".join(chunks)
    inode = target.stat().st_ino
    assert _stream(out, content, chunks) == (0, 1, sum(map(len, chunks)))
    assert target.stat().st_ino == inode  # the previous file, linked
    changed = [*chunks[:2], b"}\n\n"]
    assert _stream(out, content, changed)[:2] == (1, 0)
    assert target.read_bytes() == b"".join(changed)
    same_size = [chunks[0], chunks[1].replace(b"1", b"2", 1), chunks[2]]
    assert _stream(out, content, same_size)[:2] == (1, 0)
    assert target.read_bytes() == b"".join(same_size)
    assert [p.name for p in target.parent.iterdir()] == ["digest.json"]  # no link left over
    assert _stream(out, content, []) == (1, 0, 0)
    assert target.read_bytes() == b""


def test_previous_file_replaced_by_folder_or_symlink_is_not_reused(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    out = tmp_path / "_site"
    write_site([OutputFile("a.html", b"x")], out, content)
    elsewhere = tmp_path / "elsewhere.html"
    elsewhere.write_bytes(b"x")
    (out / "a.html").unlink()
    (out / "a.html").symlink_to(elsewhere)
    report = write_site([OutputFile("a.html", b"x")], out, content)
    assert (report.written, report.unchanged) == (1, 0)
    assert not (out / "a.html").is_symlink()


def test_duplicate_paths_are_refused_and_keep_previous_site(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    out = tmp_path / "_site"
    write_site(_files("one"), out, content)
    with pytest.raises(ValueError, match="share"):
        write_site([OutputFile("x.html", b"1"), OutputFile("x.html", b"2")], out, content)
    assert (out / "index.html").read_text() == "<p>one</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site", "content"]


def test_replaced_site_is_the_output_folder_of_a_running_write(tmp_path: Path) -> None:
    out, content = tmp_path / "site", tmp_path / "content"
    seen: list[Path | None] = []
    write_site(
        _files("one"), out, content, finish=lambda staging: seen.append(replaced_site(staging))
    )
    assert seen == [None]  # nothing to replace yet
    write_site(
        _files("one"), out, content, finish=lambda staging: seen.append(replaced_site(staging))
    )
    assert seen == [None, out]
    assert replaced_site(out) is None
    assert replaced_site(tmp_path / ".site.new-1-abc") is None  # another process's


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_previous_site_is_removed_once_the_staging_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    import threading

    import site_builder.write as write

    if not exchange:
        monkeypatch.setattr(write, "_exchange", lambda first, second: False)
    content = tmp_path / "content"
    content.mkdir()
    out = tmp_path / "_site"
    write_site(_files("one"), out, content)
    # Hold the removal of the previous site until the test lets it go.
    release = threading.Event()
    real_rmtree = write.shutil.rmtree

    def held_rmtree(path: Path, *args: object, **kwargs: object) -> None:
        # Only the previous site's removal waits; any other passes straight through.
        page = Path(path) / "index.html"
        if page.is_file() and page.read_text() == "<p>one</p>":
            release.wait(timeout=30)
        real_rmtree(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(write.shutil, "rmtree", held_rmtree)
    with pytest.raises(SiteBuilderError), SiteStaging(out, content) as staging:
        for item in _files("two"):
            staging.add(item)
        staging.publish()
        # Published at once; the previous site is still being removed beside it.
        assert (out / "index.html").read_text() == "<p>two</p>"
        assert len(list(tmp_path.iterdir())) == 3
        release.set()
        # A failure after publishing (a keep-going build's errors) keeps the new site.
        raise SiteBuilderError("after publishing")
    # Leaving the block waited for the removal.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site", "content"]
    assert (out / "articles/a/index.html").read_bytes() == b"two"


def test_a_failed_flush_fails_the_write_and_keeps_the_previous_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    out = tmp_path / "_site"
    write_site(_files("one"), out, content)

    def failing_fsync(descriptor: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="Input/output error"):
        write_site(_files("two"), out, content)
    assert (out / "index.html").read_text() == "<p>one</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site", "content"]


_new_page = OutputFile("new/page.html", b"new")


def test_every_written_file_is_on_disk_before_the_swap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every file written (the new and changed pages, the streamed file) is flushed to
    disk before the new site is swapped in, however slow the disk; files linked from the
    previous site were flushed by its build."""
    content = tmp_path / "content"
    content.mkdir()
    out = tmp_path / "_site"
    write_site([*_files("one"), OutputFile("same.html", b"same")], out, content)
    real_fsync, real_swap_in = os.fsync, write._swap_in
    flushed: set[int] = set()  # inode numbers
    at_swap: list[tuple[set[int], set[int]]] = []  # (flushed, staged) inodes

    def watched_fsync(descriptor: int) -> None:
        time.sleep(0.05)  # a slow disk: the build runs ahead of the flushes
        real_fsync(descriptor)
        status = os.fstat(descriptor)
        if stat.S_ISREG(status.st_mode):
            flushed.add(status.st_ino)

    def watched_swap_in(staging: Path, published: Path) -> Path | None:
        staged = {p.stat().st_ino for p in staging.rglob("*") if p.is_file()}
        linked = {p.stat().st_ino for p in published.rglob("*") if p.is_file()}
        at_swap.append((set(flushed), staged - linked))
        return real_swap_in(staging, published)

    monkeypatch.setattr(os, "fsync", watched_fsync)
    monkeypatch.setattr(write, "_swap_in", watched_swap_in)
    with SiteStaging(out, content) as staging:
        for item in [*_files("two"), OutputFile("same.html", b"same"), _new_page]:
            staging.add(item)
        staging.add_chunks("digest.json", [b"{", b"}"])
        staging.publish()
    assert len(at_swap) == 1
    flushed_then, written = at_swap[0]
    assert len(written) == 4  # two changed pages, the new one, digest.json
    assert written <= flushed_then
    assert (out / "new/page.html").read_bytes() == b"new"


def _many_pages(count: int) -> list[OutputFile]:
    return [
        *(OutputFile(f"articles/{n:04d}/index.html", f"<p>{n}</p>".encode()) for n in range(count)),
        OutputFile("topics/deep/er/index.html", b"nested"),
        OutputFile("index.html", b"home"),
    ]


def _tree(folder: Path) -> list[tuple[str, bytes | None]]:
    """Every file (with its bytes) and folder under `folder`, but the marker."""
    return sorted(
        (path.relative_to(folder).as_posix(), path.read_bytes() if path.is_file() else None)
        for path in folder.rglob("*")
        if path.name != MARKER_NAME
    )


def test_folders_made_ahead_give_the_same_site(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    pages = _many_pages(300)
    plain = tmp_path / "plain"
    write_site(pages, plain, content)
    out = tmp_path / "_site"
    with SiteStaging(out, content) as staging:
        staging.make_folders_ahead(page.path for page in pages)
        maker = staging._folder_maker
        assert maker is not None
        maker.wait(timeout=60)  # the helper made every folder before any file is added
        assert (staging.folder / "articles/0299").is_dir()
        assert (staging.folder / "topics/deep/er").is_dir()
        for page in pages:
            staging.add(page)
        staging.publish()
    assert _tree(out) == _tree(plain)  # no folder more or less, the same files
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site", "content", "plain"]


@pytest.mark.parametrize("embedded", [False, True], ids=["no-process", "no-interpreter"])
def test_folders_are_made_by_the_build_when_the_helper_cannot_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embedded: bool
) -> None:
    def no_process(*_args: object, **_kwargs: object) -> None:
        if embedded:
            raise AssertionError("a helper started without an interpreter to run")
        raise OSError(errno.EAGAIN, "no more processes")

    monkeypatch.setattr(write.subprocess, "Popen", no_process)
    if embedded:  # sys.executable is "" in a program that embeds Python
        monkeypatch.setattr(write.sys, "executable", "")
    content = tmp_path / "content"
    content.mkdir()
    pages = _many_pages(20)
    out = tmp_path / "_site"
    with SiteStaging(out, content) as staging:
        staging.make_folders_ahead(page.path for page in pages)
        for page in pages:
            staging.add(page)
        staging.publish()
    assert (out / "articles/0019/index.html").read_bytes() == b"<p>19</p>"


def test_a_failed_build_stops_the_folder_helper_and_leaves_nothing(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    out = tmp_path / "_site"
    write_site(_files("one"), out, content)
    pages = _many_pages(3000)
    with pytest.raises(SiteBuilderError), SiteStaging(out, content) as staging:
        staging.make_folders_ahead(page.path for page in pages)
        staging.add(pages[0])
        raise SiteBuilderError("a page failed")
    assert staging._folder_maker is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site", "content"]
    assert (out / "index.html").read_text() == "<p>one</p>"


def test_a_file_where_the_helper_made_a_folder_is_refused(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    with pytest.raises(OSError), SiteStaging(tmp_path / "_site", content) as staging:
        staging.make_folders_ahead(["a/index.html"])
        assert staging._folder_maker is not None
        staging._folder_maker.wait(timeout=60)
        staging.add(OutputFile("a", b"a file where a folder is"))
