"""Unchanged pages of a rebuild are handed on as ReusedFile: known by their signature and
SHA-256, linked into the new site without being read, and never trusted once the file in
the output folder was changed."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder import pipeline
from site_builder.check import LinkScanMemo, StagedFiles, link_warnings
from site_builder.errors import SiteBuilderError
from site_builder.languages.resources import LanguageResources
from site_builder.model import OutputFile, ReusedFile
from site_builder.pipeline import BuildOptions, BuildReport, build_site
from site_builder.write import SiteStaging, file_signature

from .factories import file_tree, reused_file

CHANGED_ARTICLE = "articles/001_cf56cbe64eb45982.txt"
ANCHOR = "O CEO da Anthropic critica"


@pytest.fixture(scope="module")
def resources() -> LanguageResources:
    return LanguageResources()


def _build(content: Path, out: Path, resources: LanguageResources) -> BuildReport:
    return build_site(BuildOptions(content, out, jobs=1, search=False), resources)


def _edit(content: Path, sentence: str) -> None:
    article = content / CHANGED_ARTICLE
    text = article.read_text("utf-8")
    article.write_text(text.replace(ANCHOR, sentence + ANCHOR, 1), "utf-8")


@pytest.fixture
def trusted_signatures(monkeypatch: pytest.MonkeyPatch) -> None:
    """Signatures kept however recent the files (a test's builds take a second or two,
    so every page would otherwise be read again, see _PreviousPages)."""
    monkeypatch.setattr(pipeline._PreviousPages, "_RECENT_NS", 0)


@pytest.fixture
def page_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """Every Path.read_bytes of an HTML file, in order."""
    reads: list[Path] = []
    original = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.suffix == ".html":
            reads.append(self)
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    yield reads


def _article_pages(out: Path) -> list[Path]:
    return sorted((out / "articles").glob("*/index.html"))


@pytest.mark.usefixtures("trusted_signatures")
def test_unchanged_pages_are_linked_without_being_read(
    sample_content: Path,
    tmp_path: Path,
    resources: LanguageResources,
    page_reads: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "_site"
    _build(sample_content, out, resources)
    inodes = {path: os.stat(out / path).st_ino for path in file_tree(out)}
    reused: list[ReusedFile] = []
    lookup = pipeline._PreviousPages.lookup

    def spy(self: pipeline._PreviousPages, path: str, key: str) -> ReusedFile | None:
        found = lookup(self, path, key)
        if found is not None:
            reused.append(found)
        return found

    monkeypatch.setattr(pipeline._PreviousPages, "lookup", spy)
    _edit(sample_content, "Os analistas acompanharam o debate com atenção. ")
    page_reads.clear()
    report = _build(sample_content, out, resources)
    reused_paths = {file.path for file in reused}
    assert len(reused_paths) > 10 and not reused_paths & set(report.write.changed_paths)
    # Read neither in the output folder nor, by the link check, in the staging folder
    # (a sibling of the output folder).
    read = {
        "/".join(path.relative_to(out.parent).parts[1:])
        for path in page_reads
        if path.is_relative_to(out.parent)  # not the theme's templates
    }
    assert read, "the edited article's page is read by the link check"
    assert not read & reused_paths, sorted(read & reused_paths)
    for path in reused_paths:
        assert os.stat(out / path).st_ino == inodes[path], path  # the same file, linked


@pytest.mark.usefixtures("trusted_signatures")
def test_a_page_changed_in_place_in_the_output_is_made_again(
    sample_content: Path, tmp_path: Path, resources: LanguageResources
) -> None:
    out = tmp_path / "_site"
    _build(sample_content, out, resources)
    cold = file_tree(out)
    page = _article_pages(out)[-1]
    original = page.read_bytes()
    inode = os.stat(page).st_ino
    # Same file, same size, other bytes: only its modification time tells.
    with open(page, "r+b") as stream:
        stream.write(b"X" * 16)
    assert os.stat(page).st_ino == inode and page.stat().st_size == len(original)
    os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns + 1_000_000_000))
    report = _build(sample_content, out, resources)  # nothing else changed
    assert report.write.written >= 1
    assert page.read_bytes() == original
    assert file_tree(out) == cold


def test_a_page_changed_within_a_clock_tick_of_its_build_is_read_again(
    sample_content: Path,
    tmp_path: Path,
    resources: LanguageResources,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A page staged within the window before the save keeps no signature: an edit that
    leaves its size, inode and time alone is still found. (The window is widened to an
    hour, so that a slow machine's build stays inside it.)"""
    monkeypatch.setattr(pipeline._PreviousPages, "_RECENT_NS", 3600 * 10**9)
    edited = tmp_path / "edited"
    shutil.copytree(sample_content, edited)
    _edit(edited, "Os analistas acompanharam o debate com atenção. ")
    fresh = tmp_path / "fresh" / "_site"
    build_site(BuildOptions(edited, fresh, jobs=1, search=False, use_cache=False))
    out = tmp_path / "_site"
    _build(sample_content, out, resources)
    cold = file_tree(out)
    unchanged = [
        page
        for page in _article_pages(out)
        if cold[page.relative_to(out).as_posix()] == (fresh / page.relative_to(out)).read_bytes()
    ]
    assert unchanged
    page = unchanged[0]
    info = os.stat(page)
    with open(page, "r+b") as stream:
        stream.write(b"X" * 16)
    os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert file_signature(os.stat(page)) == file_signature(info)
    _edit(sample_content, "Os analistas acompanharam o debate com atenção. ")
    _build(sample_content, out, resources)
    assert b"X" * 16 not in page.read_bytes()
    assert file_tree(out) == file_tree(fresh)


def test_a_copied_output_folder_is_read_and_still_reused(
    sample_content: Path, tmp_path: Path, resources: LanguageResources, page_reads: list[Path]
) -> None:
    """A copy (a CI cache restored, `cp -r`) has other inodes: its pages are read and
    compared, not trusted, and still taken when their bytes are the last build's."""
    first = tmp_path / "first"
    _build(sample_content, first / "_site", resources)
    copy = tmp_path / "copy"
    shutil.copytree(first, copy)
    out = copy / "_site"
    _edit(sample_content, "Os analistas acompanharam o debate com atenção. ")
    page_reads.clear()
    report = _build(sample_content, out, resources)
    read = {path for path in page_reads if path.is_relative_to(out)}
    assert len(read) > 10
    assert report.write.unchanged > 10
    fresh = tmp_path / "fresh"
    build_site(BuildOptions(sample_content, fresh, jobs=1, search=False, use_cache=False))
    assert file_tree(out) == file_tree(fresh)


def _reused(source: Path, path: str = "a/index.html") -> ReusedFile:
    return reused_file(source, path)


def test_staging_links_a_reused_file_and_refuses_one_changed_meanwhile(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    out = tmp_path / "_site"
    with SiteStaging(out, content) as staging:
        staging.add(OutputFile("a/index.html", b"<p>old page</p>"))
        staging.add(OutputFile("b/index.html", b"<p>other page</p>"))
        staging.publish()
    kept = _reused(out / "a" / "index.html")
    with SiteStaging(out, content) as staging:
        staging.add(kept)
        staging.add(OutputFile("b/index.html", b"<p>other page</p>"))
        report = staging.publish()
    assert report.written == 0 and report.unchanged == 2
    assert os.stat(out / "a" / "index.html").st_ino == os.stat(kept.source).st_ino
    assert staging.digests == {"a/index.html": kept.sha256}

    changed = _reused(out / "a" / "index.html")
    (out / "a" / "index.html").write_bytes(b"<p>new page</p>")  # after its bytes were known
    with (
        pytest.raises(SiteBuilderError, match="changed while the site was built"),
        SiteStaging(out, content) as staging,
    ):
        staging.add(changed)
    gone = _reused(out / "b" / "index.html", "b/index.html")
    (out / "b" / "index.html").unlink()
    with (
        pytest.raises(SiteBuilderError, match="removed while the site was built"),
        SiteStaging(out, content) as staging,
    ):
        staging.add(gone)
    assert (out / "a" / "index.html").read_bytes() == b"<p>new page</p>"  # no build published


def test_staging_copies_a_reused_file_where_there_are_no_hard_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    out = tmp_path / "_site"
    with SiteStaging(out, content) as staging:
        staging.add(OutputFile("a/index.html", b"<p>page</p>"))
        staging.publish()
    kept = _reused(out / "a" / "index.html")

    def no_links(*_args: object, **_kwargs: object) -> None:
        raise OSError("no hard links here")

    monkeypatch.setattr(os, "link", no_links)
    with SiteStaging(out, content) as staging:
        staging.add(kept)
        report = staging.publish()
    assert (out / "a" / "index.html").read_bytes() == b"<p>page</p>"
    assert report.written == 0


def test_the_link_check_knows_a_page_by_its_digest_without_reading_it(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    (folder / "a").mkdir(parents=True)
    page = b'<!doctype html><html><body><a href="../b/">b</a></body></html>'
    other = b'<!doctype html><html><body><a href="../a/">a</a></body></html>'
    (folder / "a" / "index.html").write_bytes(page)
    (folder / "b").mkdir()
    (folder / "b" / "index.html").write_bytes(other)
    paths = ("a/index.html", "b/index.html")
    memo = LinkScanMemo()
    assert link_warnings(StagedFiles(folder, paths), "", memo=memo) == ()
    memo = LinkScanMemo.from_saved(memo.to_save())
    # The page now links nowhere valid, but its digest says it is the page checked before.
    (folder / "a" / "index.html").write_bytes(page.replace(b"../b/", b"../missing/"))
    digests = {"a/index.html": hashlib.sha256(page).digest()}
    assert link_warnings(StagedFiles(folder, paths, digests), "", memo=memo) == ()
    # Without the digest the page is read, and its broken link found.
    memo = LinkScanMemo.from_saved(memo.to_save())
    found = link_warnings(StagedFiles(folder, paths), "", memo=memo)
    assert len(found) == 1 and "missing/index.html does not exist" in found[0].message
