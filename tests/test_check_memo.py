"""site_builder.check.LinkScanMemo: a rebuild's link check reads only the pages whose
bytes changed, and finds exactly what a check without the memo finds."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder import check as check_module
from site_builder.cache import decode_entry, encode_entry
from site_builder.check import LinkScanMemo, PageScanner, check_links, link_warnings
from site_builder.cli import main
from site_builder.model import Diagnostic, OutputFile

from .conftest import SAMPLE_CONTENT

BASE = "https://example.org/digest/"  # the sample's base_url
ANCHORED_ARTICLE = "articles/deepseek-ai-6b1a15/index.html"  # topic pages link to its #p-3
TOPICS_INDEX = "topics/index.html"


@pytest.fixture(scope="module")
def sample_files(tmp_path_factory: pytest.TempPathFactory) -> list[OutputFile]:
    """The sample site's files, as the build hands them to the link check."""
    out = tmp_path_factory.mktemp("memo") / "_site"
    command = ["build", str(SAMPLE_CONTENT), "-o", str(out), "--no-search", "-j", "1", "-q"]
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 0, result.output
    files = []
    for file in sorted(out.rglob("*")):
        relative = file.relative_to(out)
        if file.is_file() and not any(part.startswith(".") for part in relative.parts):
            files.append(OutputFile(relative.as_posix(), file.read_bytes()))
    return files


def _edited(files: Sequence[OutputFile], path: str, old: bytes, new: bytes) -> list[OutputFile]:
    edited = []
    for file in files:
        if file.path == path:
            assert old in file.data, (path, old)
            file = OutputFile(file.path, file.data.replace(old, new, 1))
        edited.append(file)
    return edited


def _through_cache(memo: LinkScanMemo) -> LinkScanMemo:
    """The memo as the next build gets it back from the build cache."""
    return LinkScanMemo.from_saved(decode_entry(encode_entry(memo.to_save())))


@contextmanager
def _counting_reads() -> Iterator[list[str]]:
    """The paths of the pages the link check reads (scans) meanwhile."""
    read: list[str] = []
    original = check_module._scan

    def counting(path: str, data: bytes) -> check_module._Document:
        read.append(path)
        return original(path, data)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(check_module, "_scan", counting)
        yield read


def _warnings(files: Sequence[OutputFile], memo: LinkScanMemo | None) -> tuple[Diagnostic, ...]:
    return link_warnings(files, BASE, output_dir="_site", memo=memo)


def test_a_rebuild_reads_only_changed_pages_and_finds_the_same(
    sample_files: list[OutputFile],
) -> None:
    checked = [f.path for f in sample_files if f.path.endswith((".html", ".xml", "robots.txt"))]
    memo = LinkScanMemo()
    with _counting_reads() as read:
        assert _warnings(sample_files, memo) == ()
    assert sorted(read) == sorted(checked)

    # An article loses the id that topic pages link to: the unchanged topic pages, which
    # the memo knows, now have broken anchors.
    renamed = _edited(sample_files, ANCHORED_ARTICLE, b'id="p-3"', b'id="p-3-renamed"')
    memo = _through_cache(memo)
    with _counting_reads() as read:
        found = _warnings(renamed, memo)
    assert found == _warnings(renamed, None)
    broken_pages = {(d.path or "").removeprefix("_site/") for d in found}
    assert len(broken_pages) > 3
    assert {page.split("/")[0] for page in broken_pages - {ANCHORED_ARTICLE}} == {"topics"}
    assert all("no element with id 'p-3'" in d.message for d in found)
    # Read: the changed article, and the pages whose links broke (for the links' lines).
    assert set(read) == {ANCHORED_ARTICLE} | broken_pages

    # While the anchor stays broken, the memo knows those links: nothing is read again.
    memo = _through_cache(memo)
    with _counting_reads() as read:
        assert _warnings(renamed, memo) == found
    assert read == []

    # A broken link in one page, with the anchor fixed.
    relinked = _edited(sample_files, TOPICS_INDEX, b'href="../"', b'href="../gone/"')
    memo = _through_cache(memo)
    with _counting_reads() as read:
        found = _warnings(relinked, memo)
    assert found == _warnings(relinked, None)
    assert [(d.path, "gone" in d.message) for d in found] == [(f"_site/{TOPICS_INDEX}", True)]
    assert sorted(read) == [ANCHORED_ARTICLE, TOPICS_INDEX]

    # Fixed: the finding is gone.
    memo = _through_cache(memo)
    with _counting_reads() as read:
        assert _warnings(sample_files, memo) == ()
    assert read == [TOPICS_INDEX]


def test_pages_of_another_build_are_dropped_on_save(sample_files: list[OutputFile]) -> None:
    memo = LinkScanMemo()
    _warnings(sample_files, memo)
    pages = memo.to_save()["pages"]
    assert isinstance(pages, dict) and ANCHORED_ARTICLE in pages
    fewer = [f for f in sample_files if f.path != ANCHORED_ARTICLE]
    memo = _through_cache(memo)
    assert _warnings(fewer, memo) == _warnings(fewer, None) != ()
    pages = memo.to_save()["pages"]
    assert isinstance(pages, dict) and ANCHORED_ARTICLE not in pages
    checked = {f.path for f in fewer if f.path.endswith((".html", ".xml", "robots.txt"))}
    assert set(pages) == checked


def _garbled(saved: object, garble: Callable[[object], object]) -> dict[str, object]:
    assert isinstance(saved, dict)
    pages = saved["pages"]
    assert isinstance(pages, dict)
    return {**saved, "pages": {path: garble(entry) for path, entry in pages.items()}}


def _retyped(position: int, value: object) -> Callable[[object], object]:
    def garble(entry: object) -> object:
        assert isinstance(entry, tuple)
        return (*entry[:position], value, *entry[position + 1 :])

    return garble


@pytest.mark.parametrize(
    "garble",
    [
        lambda saved: None,
        lambda saved: "not a memo",
        lambda saved: {**saved, "format": -1},
        lambda saved: {**saved, "pages": ["index.html"]},
        lambda saved: {**saved, "base_url": "https://elsewhere.example/"},
        lambda saved: _garbled(saved, lambda entry: entry[:4]),
        lambda saved: _garbled(saved, lambda entry: ()),
        lambda saved: _garbled(saved, _retyped(0, b"\0" * 32)),  # another page's bytes
        lambda saved: _garbled(saved, _retyped(1, frozenset({1, 2}))),
        lambda saved: _garbled(saved, _retyped(1, ("p-3",))),
        lambda saved: _garbled(saved, _retyped(2, ((1, "fatal", "x", "y"),))),
        lambda saved: _garbled(saved, _retyped(3, ["a", "b"])),
        lambda saved: _garbled(saved, _retyped(4, (("1:x", ((1, 2, 3),)),))),
    ],
)
def test_a_damaged_or_foreign_saved_memo_counts_as_empty(
    sample_files: list[OutputFile], garble: Callable[[object], object]
) -> None:
    renamed = _edited(sample_files, ANCHORED_ARTICLE, b'id="p-3"', b'id="p-3-renamed"')
    memo = LinkScanMemo()
    _warnings(renamed, memo)
    damaged = LinkScanMemo.from_saved(garble(memo.to_save()))
    with _counting_reads() as read:
        found = _warnings(renamed, damaged)
    assert found == _warnings(renamed, None) != ()
    assert ANCHORED_ARTICLE in read and TOPICS_INDEX in read  # read again, not trusted
    # What it saves now is whole again: the next check reads nothing.
    memo = _through_cache(damaged)
    with _counting_reads() as read:
        assert _warnings(renamed, memo) == found
    assert read == []


def _page(ids: Sequence[str], links: Sequence[str], image_alt: bool | None) -> bytes:
    anchors = "\n".join(f'<a href="{url}">x</a>' for url in links)
    headings = "\n".join(f'<h2 id="{name}">h</h2>' for name in ids)
    image = {None: "", True: '<img src="i.png" alt="">', False: '<img src="i.png">'}[image_alt]
    body = f"{headings}\n{anchors}\n{image}"
    return f"<!doctype html>\n<html>\n<body>\n{body}\n</body>\n</html>\n".encode()


_PAGE_PATHS = ["index.html", "a/index.html", "a/b.html", "c/index.html"]
# Relative, root-relative, absolute, external links; fragments; escapes; ones that break.
_LINKS = st.sampled_from(
    [
        *("a/", "a/#x", "#y", "../", "../a/b.html#z", "b.html#top", "/a/", "c", "c/#x"),
        *("gone/", "a/b.html#", "i.png", "../../up/", "%63/", "c/#%79", f"{BASE}a/#y"),
        *("https://other.example/a/", "mailto:x@example.org"),
    ]
)
_PAGES = st.fixed_dictionaries(
    {},
    optional={
        path: st.tuples(
            st.lists(st.sampled_from(["x", "y", "z"]), max_size=3),
            st.lists(_LINKS, max_size=6),
            st.sampled_from([None, True, False]),
        )
        for path in _PAGE_PATHS
    },
)


@settings(max_examples=150, deadline=None)
@given(sites=st.lists(st.tuples(_PAGES, st.sampled_from(["", BASE])), min_size=1, max_size=4))
def test_any_sequence_of_sites_checks_the_same_with_the_memo(
    sites: list[tuple[dict[str, tuple[list[str], list[str], bool | None]], str]],
) -> None:
    memo = LinkScanMemo()
    for site, base_url in sites:
        files = {path: _page(*page) for path, page in site.items()}
        files["i.png"] = b"\x89PNG"
        start = sorted(path for path in files if path.endswith(".html"))
        memo = _through_cache(memo)
        remembered = check_links(files.get, start, base_url=base_url, follow=False, memo=memo)
        assert remembered == check_links(files.get, start, base_url=base_url, follow=False)
        followed = check_links(files.get, ["index.html"], base_url=base_url, memo=memo)
        assert followed == check_links(files.get, ["index.html"], base_url=base_url)


# --- PageScanner: pages scanned in a worker while the build renders ---------------------------


def _staged(folder: Path, files: Sequence[OutputFile]) -> None:
    for file in files:
        target = folder / file.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file.data)


def _scanned_ahead(
    folder: Path, files: Sequence[OutputFile], memo: LinkScanMemo, *, start_after: int = 1
) -> None:
    context = multiprocessing.get_context("forkserver")
    scanner = PageScanner(folder, BASE, memo, context, start_after=start_after)
    try:
        for file in files:
            scanner.add(file)
        scanner.finish()
    finally:
        scanner.close()


def test_pages_scanned_ahead_are_not_read_again_and_find_the_same(
    sample_files: list[OutputFile], tmp_path: Path
) -> None:
    relinked = _edited(sample_files, TOPICS_INDEX, b'href="../"', b'href="../gone/"')
    _staged(tmp_path, relinked)
    memo = LinkScanMemo()
    _scanned_ahead(tmp_path, relinked, memo)
    with _counting_reads() as read:
        found = _warnings(relinked, memo)
    assert found == _warnings(relinked, None)
    assert [(d.path, "gone" in d.message) for d in found] == [(f"_site/{TOPICS_INDEX}", True)]
    assert read == [TOPICS_INDEX]  # read again only for the broken link's line
    # The memo saves those pages as if it had read them: the next check reads nothing.
    memo = _through_cache(memo)
    with _counting_reads() as read:
        assert _warnings(relinked, memo) == found
    assert read == []


def test_a_scan_ahead_of_other_bytes_or_another_site_is_not_used(
    sample_files: list[OutputFile], tmp_path: Path
) -> None:
    _staged(tmp_path, sample_files)
    memo = LinkScanMemo()
    _scanned_ahead(tmp_path, sample_files, memo)
    # The page changes after its scan (never in a build, but the scan must not be trusted
    # for bytes it did not see).
    renamed = _edited(sample_files, ANCHORED_ARTICLE, b'id="p-3"', b'id="p-3-renamed"')
    with _counting_reads() as read:
        found = _warnings(renamed, memo)
    assert found == _warnings(renamed, None) and found
    assert ANCHORED_ARTICLE in read
    # Scanned for another base URL: every page is read.
    memo = LinkScanMemo()
    _scanned_ahead(tmp_path, sample_files, memo)
    with _counting_reads() as read:
        link_warnings(sample_files, "https://elsewhere.example/", memo=memo)
    checked = [f.path for f in sample_files if f.path.endswith((".html", ".xml", "robots.txt"))]
    assert sorted(read) == sorted(checked)


def test_a_failed_scan_leaves_the_page_to_the_check(
    sample_files: list[OutputFile], tmp_path: Path
) -> None:
    _staged(tmp_path, [f for f in sample_files if f.path != TOPICS_INDEX])  # never staged
    memo = LinkScanMemo()
    _scanned_ahead(tmp_path, sample_files, memo, start_after=1000)  # one batch, it fails
    with _counting_reads() as read:
        assert _warnings(sample_files, memo) == ()
    checked = [f.path for f in sample_files if f.path.endswith((".html", ".xml", "robots.txt"))]
    assert sorted(read) == sorted(checked)


def test_few_changed_pages_start_no_worker(sample_files: list[OutputFile], tmp_path: Path) -> None:
    memo = LinkScanMemo()
    assert _warnings(sample_files, memo) == ()
    memo = _through_cache(memo)
    changed = _edited(sample_files, TOPICS_INDEX, b'href="../"', b'href="../#top"')
    _staged(tmp_path, changed)
    scanner = PageScanner(tmp_path, BASE, memo, multiprocessing.get_context("forkserver"))
    for file in changed:
        scanner.add(file)
    assert scanner._pool is None  # one page to scan: the check does it
    scanner.finish()
    with _counting_reads() as read:
        assert _warnings(changed, memo) == ()
    assert read == [TOPICS_INDEX]
