"""The search bundle built per language and reused across builds (site_builder/search.py):
the same bundle as one Pagefind run over the whole site, Pagefind run again only for the
languages whose pages changed, and never a stale or tampered index published."""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

import site_builder.search as search
from site_builder.model import Diagnostic, OutputFile, SiteFile
from site_builder.search import (
    SEARCH_BUNDLE_DIR,
    BackgroundIndex,
    StagedSearch,
    find_pagefind,
    index_files,
    index_site,
)
from site_builder.write import SiteStaging, write_site

from .browser import require_or_skip
from .factories import file_tree, reused_file

MANIFEST = ".site-builder-search.json"


def _page(ui_lang: str, body_lang: str | None, text: str) -> bytes:
    body_attr = f' lang="{body_lang}"' if body_lang else ""
    return (
        f'<!doctype html>\n<html lang="{ui_lang}"><head><title>{text[:12]}</title></head><body>'
        f'<h1 data-pagefind-meta="title">{text[:12]}</h1>'
        f"<div{body_attr} data-pagefind-body><p>{text}</p></div></body></html>\n"
    ).encode()


def _site(**changes: bytes) -> list[OutputFile]:
    """A small site: Portuguese, Japanese and Chinese articles, pages without search."""
    files = {
        "index.html": b'<!doctype html>\n<html lang="en"><body><p>Home</p></body></html>\n',
        "static/style.css": b"body { color: black; }\n",
        "articles/pt-1/index.html": _page("en", "pt", "Inteligência artificial descascada."),
        "articles/pt-2/index.html": _page("en", "pt", "A inteligência das máquinas cresce."),
        "articles/ja-1/index.html": _page("en", "ja", "サプライチェーンに大きな影響を与える。"),
        "articles/zh-1/index.html": _page("en", "zh-Hans", "人工智能的思维链很重要。"),
    }
    files.update(changes)
    return [OutputFile(path, data) for path, data in sorted(files.items())]


@pytest.fixture(autouse=True)
def _require_pagefind() -> None:
    require_or_skip("pagefind[extended]", find_pagefind()[0] is not None)


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """For every Pagefind run, in order, the `<html lang>` of the pages it was given."""
    seen: list[set[str]] = []
    real = search._run_pagefind

    def counting(pagefind: search._Pagefind, shadow: Path, output: Path, timeout: float) -> None:
        seen.append(_html_languages(shadow))
        real(pagefind, shadow, output, timeout)

    monkeypatch.setattr(search, "_run_pagefind", counting)
    return seen


def _build(files: list[OutputFile], out: Path, content: Path) -> None:
    diagnostics = []
    write_site(files, out, content, finish=lambda staging: diagnostics.extend(index_site(staging)))
    assert diagnostics == []


def _html_languages(shadow: Path) -> set[str]:
    return {
        p.read_text("utf-8").split('lang="', 1)[1].split('"', 1)[0] for p in shadow.rglob("*.html")
    }


def _cold_bundle(files: list[OutputFile], tmp_path: Path, name: str) -> dict[str, bytes]:
    out = tmp_path / name
    _build(files, out, tmp_path / "content")
    return file_tree(out / SEARCH_BUNDLE_DIR)


def test_bundle_is_that_of_one_run_over_the_whole_site(
    tmp_path: Path, runs: list[set[str]]
) -> None:
    files = _site()
    bundle = tmp_path / "bundle"
    assert index_files(files, bundle) == ()
    assert sorted(runs, key=sorted) == [{"ja"}, {"pt"}, {"zh-Hans"}]
    # The reference: Pagefind once over every page, each given its content's <html lang>.
    whole = tmp_path / "whole"
    for item in files:
        searchable, language = search.search_language(item.data.decode())
        if searchable:
            target = whole / item.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(search._with_html_lang(item.data.decode(), language or ""))
    executable, _ = find_pagefind()
    assert executable is not None
    reference = tmp_path / "reference"
    command = [str(executable), "--site", str(whole), "--output-path", str(reference), "--quiet"]
    subprocess.run(command, check=True, capture_output=True)
    ours, theirs = file_tree(bundle), file_tree(reference)
    assert set(ours) == set(theirs) | {MANIFEST}
    entry_name = "pagefind-entry.json"
    for name, data in theirs.items():
        if name != entry_name:
            assert ours[name] == data, name
    entry, reference_entry = json.loads(ours[entry_name]), json.loads(theirs[entry_name])
    assert list(entry["languages"]) == ["ja", "pt", "zh-hans"]  # sorted: same bytes each time
    assert entry == reference_entry
    assert {lang: info["page_count"] for lang, info in entry["languages"].items()} == {
        "ja": 1,
        "pt": 2,
        "zh-hans": 1,
    }


def test_unchanged_search_input_reuses_the_previous_bundle(
    tmp_path: Path, runs: list[set[str]]
) -> None:
    out, content = tmp_path / "site", tmp_path / "content"
    _build(_site(), out, content)
    first = file_tree(out / SEARCH_BUNDLE_DIR)
    inodes = {p: p.stat().st_ino for p in (out / SEARCH_BUNDLE_DIR).rglob("*") if p.is_file()}
    runs.clear()
    # Only a stylesheet and a page without search changed: nothing for Pagefind.
    changed = _site(**{"static/style.css": b"body { color: navy; }\n", "index.html": b"<p>Hi</p>"})
    _build(changed, out, content)
    assert runs == []
    assert file_tree(out / SEARCH_BUNDLE_DIR) == first
    for path, inode in inodes.items():
        if path.name not in (MANIFEST, "pagefind-entry.json"):
            assert path.stat().st_ino == inode, path  # hard links into the previous bundle


def test_one_changed_language_is_indexed_again_and_matches_a_cold_build(
    tmp_path: Path, runs: list[set[str]]
) -> None:
    out, content = tmp_path / "site", tmp_path / "content"
    _build(_site(), out, content)
    runs.clear()
    edit = {"articles/pt-2/index.html": _page("en", "pt", "O ciclista pedalou montanha acima.")}
    _build(_site(**edit), out, content)
    assert runs == [{"pt"}]
    rebuilt = file_tree(out / SEARCH_BUNDLE_DIR)
    assert rebuilt == _cold_bundle(_site(**edit), tmp_path, "cold")  # nothing stale
    before = _cold_bundle(_site(), tmp_path, "before")
    entry, old_entry = (json.loads(b["pagefind-entry.json"]) for b in (rebuilt, before))
    assert entry["languages"]["pt"]["hash"] != old_entry["languages"]["pt"]["hash"]
    for lang in ("ja", "zh-hans"):
        assert entry["languages"][lang] == old_entry["languages"][lang]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda bundle: _first(bundle, "index/").write_bytes(b"edited"), id="edited"),
        pytest.param(lambda bundle: _first(bundle, "fragment/").unlink(), id="deleted"),
        pytest.param(lambda bundle: (bundle / MANIFEST).write_text("{not json"), id="manifest"),
    ],
)
def test_a_damaged_previous_bundle_is_not_reused(
    tmp_path: Path, runs: list[set[str]], damage: Callable[[Path], None]
) -> None:
    out, content = tmp_path / "site", tmp_path / "content"
    _build(_site(), out, content)
    damage(out / SEARCH_BUNDLE_DIR)
    runs.clear()
    _build(_site(), out, content)
    assert runs  # indexed again: a damaged file is never published as the index
    assert file_tree(out / SEARCH_BUNDLE_DIR) == _cold_bundle(_site(), tmp_path, "cold")


def test_the_previous_output_is_checked_while_pagefind_indexes_the_changed_language(
    tmp_path: Path, runs: list[set[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    out, content = tmp_path / "site", tmp_path / "content"
    _build(_site(), out, content)
    indexing = threading.Event()
    run_pagefind, reusable = search._run_pagefind, search._reusable

    def run(*args: Any) -> None:
        indexing.set()
        run_pagefind(*args)

    overlapped: list[bool] = []

    def check(group: Any, previous: Any) -> Any:
        overlapped.append(indexing.wait(timeout=30))
        return reusable(group, previous)

    monkeypatch.setattr(search, "_run_pagefind", run)
    monkeypatch.setattr(search, "_reusable", check)
    runs.clear()
    edit = {"articles/pt-2/index.html": _page("en", "pt", "O ciclista pedalou montanha acima.")}
    _build(_site(**edit), out, content)
    assert overlapped == [True, True]  # ja and zh-Hans, checked once Pagefind was running
    assert file_tree(out / SEARCH_BUNDLE_DIR) == _cold_bundle(_site(**edit), tmp_path, "cold")


def test_a_damaged_language_is_indexed_after_the_changed_one(
    tmp_path: Path, runs: list[set[str]]
) -> None:
    out, content = tmp_path / "site", tmp_path / "content"
    _build(_site(), out, content)
    manifest = json.loads((out / SEARCH_BUNDLE_DIR / MANIFEST).read_text("utf-8"))
    japanese = sorted(manifest["groups"]["ja"]["files"])[0]
    (out / SEARCH_BUNDLE_DIR / japanese).write_bytes(b"edited")
    runs.clear()
    edit = {"articles/pt-2/index.html": _page("en", "pt", "O ciclista pedalou montanha acima.")}
    _build(_site(**edit), out, content)
    assert runs == [{"pt"}, {"ja"}]
    assert file_tree(out / SEARCH_BUNDLE_DIR) == _cold_bundle(_site(**edit), tmp_path, "cold")


def _first(bundle: Path, folder: str) -> Path:
    return min(p for p in (bundle / folder).iterdir() if p.is_file())


def test_another_pagefind_or_code_invalidates_the_manifest(
    tmp_path: Path, runs: list[set[str]]
) -> None:
    out, content = tmp_path / "site", tmp_path / "content"
    _build(_site(), out, content)
    manifest_path = out / SEARCH_BUNDLE_DIR / MANIFEST
    manifest = json.loads(manifest_path.read_text("utf-8"))
    assert manifest["tool"].endswith(search._check_pagefind()[0].identity)  # type: ignore[union-attr]
    manifest["tool"] = manifest["tool"].replace("1.5", "9.9")
    manifest_path.write_text(json.dumps(manifest))
    runs.clear()
    _build(_site(), out, content)
    assert len(runs) == 3


def test_languages_pagefind_merges_are_indexed_in_one_run(
    tmp_path: Path, runs: list[set[str]]
) -> None:
    # "PT" and "pt" are one language to Pagefind but two to our grouping: the per-language
    # outputs cannot be merged, so the site is indexed in one run, with the same result.
    files = _site(**{"articles/pt-2/index.html": _page("en", "PT", "A inteligência cresce.")})
    bundle = tmp_path / "bundle"
    assert index_files(files, bundle) == ()
    assert sorted(runs[:-1], key=sorted) == [{"PT"}, {"ja"}, {"pt"}, {"zh-Hans"}]
    assert runs[-1] == {"PT", "ja", "pt", "zh-Hans"}
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    assert entry["languages"]["pt"]["page_count"] == 2
    manifest = json.loads((bundle / MANIFEST).read_text("utf-8"))
    assert manifest["groups"] == {}  # nothing to reuse next time
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".search-")]


def test_two_builds_write_the_same_bytes(tmp_path: Path) -> None:
    first = _cold_bundle(_site(), tmp_path, "one")
    second = _cold_bundle(_site(), tmp_path, "two")
    assert first == second


def _staged(files: list[OutputFile], out: Path, content: Path) -> SiteStaging:
    staging = SiteStaging(out, content)
    for item in files:
        staging.add(item)
    return staging


def test_background_index_gives_the_same_site_and_leaves_nothing_behind(
    tmp_path: Path, runs: list[set[str]]
) -> None:
    """Indexed from the staging folder while the build goes on, as a build does."""
    out, content = tmp_path / "site", tmp_path / "content"
    expected = _cold_bundle(_site(), tmp_path, "reference")
    diagnostics: list[Diagnostic] = []
    for build in range(2):
        runs.clear()
        staging = _staged(_site(), out, content)
        with BackgroundIndex(staging.folder, staging.paths, out) as index:
            staging.publish(finish=lambda folder: diagnostics.extend(index.install(folder)))
        assert diagnostics == []
        assert file_tree(out / SEARCH_BUNDLE_DIR) == expected
        assert len(runs) == (3 if build == 0 else 0)  # the second build reuses the first's
        assert sorted(p.name for p in tmp_path.iterdir()) == ["reference", "site"]


def test_background_index_in_a_process_gives_the_same_site(tmp_path: Path) -> None:
    """As a build with a second core makes it: in a worker process, not a thread."""
    from site_builder.pipeline import _worker_context

    out, content = tmp_path / "site", tmp_path / "content"
    expected = _cold_bundle(_site(), tmp_path, "reference")
    diagnostics: list[Diagnostic] = []
    for _build in range(2):  # the second reuses the first's bundle
        staging = _staged(_site(), out, content)
        context = _worker_context()
        with BackgroundIndex(staging.folder, staging.paths, out, context=context) as index:
            staging.publish(finish=lambda folder: diagnostics.extend(index.install(folder)))
        assert diagnostics == []
        assert file_tree(out / SEARCH_BUNDLE_DIR) == expected
        assert sorted(p.name for p in tmp_path.iterdir()) == ["reference", "site"]


def test_a_dead_index_process_is_replaced_by_indexing_in_the_build(
    tmp_path: Path, runs: list[set[str]]
) -> None:
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    from site_builder.pipeline import _worker_context

    out, content = tmp_path / "site", tmp_path / "content"
    expected = _cold_bundle(_site(), tmp_path, "reference")
    runs.clear()
    staging = _staged(_site(), out, content)
    diagnostics: list[Diagnostic] = []
    with BackgroundIndex(staging.folder, staging.paths, out, context=_worker_context()) as index:
        index._result.result()  # the worker's bundle, then as if the worker had died
        died: Future[tuple[Diagnostic, ...]] = Future()
        died.set_exception(BrokenProcessPool("killed"))
        index._result = died
        staging.publish(finish=lambda folder: diagnostics.extend(index.install(folder)))
    assert diagnostics == []
    assert len(runs) == 3  # indexed again here, in this process
    assert file_tree(out / SEARCH_BUNDLE_DIR) == expected


def test_background_index_refuses_a_theme_bundle_folder(tmp_path: Path) -> None:
    files = [*_site(), OutputFile(f"{SEARCH_BUNDLE_DIR}/theme.js", b"//")]
    staging = _staged(files, tmp_path / "site", tmp_path / "content")
    with BackgroundIndex(staging.folder, staging.paths, tmp_path / "site") as index:
        (warning,) = index.install(staging.folder)
    staging.discard()
    assert "already has a pagefind/ folder" in warning.message
    assert sorted(p.name for p in tmp_path.iterdir()) == []


_ARTICLE_PAGES = ("articles/ja-1/index.html", "articles/pt-1/index.html",
                  "articles/pt-2/index.html", "articles/zh-1/index.html")  # fmt: skip


def _stage_with_search(
    files: Sequence[SiteFile], out: Path, content: Path, expected: tuple[str, ...]
) -> tuple[list[Diagnostic], list[bool]]:
    """Stage `files` in order as a build does, telling a StagedSearch of each, and publish
    with its index; the diagnostics, and whether indexing had started after each file."""
    diagnostics: list[Diagnostic] = []
    started: list[bool] = []
    staging = SiteStaging(out, content)
    with StagedSearch(staging.folder, out, expected) as search:
        for item in files:
            staging.add(item)
            search.staged(item)
            started.append(search.started)
        index = search.index(staging.paths)
        staging.publish(finish=lambda folder: diagnostics.extend(index.install(folder)))
    return diagnostics, started


def _articles_first(files: list[OutputFile]) -> list[OutputFile]:
    return sorted(files, key=lambda f: (f.path not in _ARTICLE_PAGES, f.path))


def test_staged_search_starts_once_the_article_pages_are_staged(
    tmp_path: Path, runs: list[set[str]]
) -> None:
    files = _articles_first(_site())
    expected = _cold_bundle(_site(), tmp_path, "reference")
    runs.clear()
    diagnostics, started = _stage_with_search(
        files, tmp_path / "site", tmp_path / "content", _ARTICLE_PAGES
    )
    assert diagnostics == []
    # Not before the last article page, and from then on.
    assert started == [False, False, False, True, True, True]
    assert file_tree(tmp_path / "site" / SEARCH_BUNDLE_DIR) == expected
    assert len(runs) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reference", "site"]


def test_staged_search_starts_over_for_a_searchable_page_staged_later(
    tmp_path: Path, runs: list[set[str]]
) -> None:
    # A theme marks the home page searchable too: the early index would miss it.
    home = _page("en", "en", "Searchable home page of the theme.")
    files = _articles_first(_site(**{"index.html": home}))
    expected = _cold_bundle(_site(**{"index.html": home}), tmp_path, "reference")
    runs.clear()
    diagnostics, started = _stage_with_search(
        files, tmp_path / "site", tmp_path / "content", _ARTICLE_PAGES
    )
    assert diagnostics == []
    assert started[3]
    assert file_tree(tmp_path / "site" / SEARCH_BUNDLE_DIR) == expected
    assert {"en"} in runs  # the second indexer saw the home page
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reference", "site"]


def test_staged_search_sees_a_theme_bundle_folder_staged_later(tmp_path: Path) -> None:
    files = [*_articles_first(_site()), OutputFile(f"{SEARCH_BUNDLE_DIR}/theme.js", b"//")]
    diagnostics, _ = _stage_with_search(
        files, tmp_path / "site", tmp_path / "content", _ARTICLE_PAGES
    )
    (warning,) = diagnostics
    assert "already has a pagefind/ folder" in warning.message
    assert (tmp_path / "site" / SEARCH_BUNDLE_DIR / "theme.js").read_bytes() == b"//"


def test_staged_search_without_expected_pages_indexes_at_the_end(
    tmp_path: Path, runs: list[set[str]]
) -> None:
    expected = _cold_bundle(_site(), tmp_path, "reference")
    runs.clear()
    diagnostics, started = _stage_with_search(_site(), tmp_path / "site", tmp_path / "content", ())
    assert diagnostics == [] and not any(started)
    assert file_tree(tmp_path / "site" / SEARCH_BUNDLE_DIR) == expected


def test_a_build_starts_indexing_before_the_links_are_checked(
    sample_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from site_builder.pipeline import BuildOptions, build_site

    early: list[bool] = []
    real_index = StagedSearch.index

    def index(self: StagedSearch, paths: Sequence[str]) -> BackgroundIndex:
        early.append(self.started)
        return real_index(self, paths)

    monkeypatch.setattr(StagedSearch, "index", index)
    out = tmp_path / "site"
    report = build_site(BuildOptions(sample_content, out, jobs=1))
    assert early == [True]
    assert not [d for d in report.diagnostics if "search index" in d.message]
    entry = json.loads((out / SEARCH_BUNDLE_DIR / "pagefind-entry.json").read_text("utf-8"))
    assert sorted(entry["languages"]) == ["ja", "pt", "zh-hans", "zh-hant"]


def _reused_from(out: Path, files: list[OutputFile], changed: set[str]) -> list[SiteFile]:
    """`files` as a rebuild hands them on: each page not in `changed` as a ReusedFile of
    the published one."""
    return [
        file
        if file.path in changed or not file.path.endswith(".html")
        else reused_file(out.joinpath(*file.path.split("/")), file.path)
        for file in files
    ]


def test_reused_pages_are_indexed_unread_where_their_language_is_unchanged(
    tmp_path: Path, runs: list[set[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    out, content = tmp_path / "site", tmp_path / "content"
    assert _stage_with_search(_articles_first(_site()), out, content, _ARTICLE_PAGES)[0] == []
    changed = {"articles/pt-2/index.html": _page("en", "pt", "A inteligência muda de novo.")}
    expected = _cold_bundle(_site(**changed), tmp_path, "reference")
    reads: list[str] = []
    read_bytes = Path.read_bytes

    def spy(self: Path) -> bytes:
        if self.suffix == ".html":
            reads.append(self.parent.name)
        return read_bytes(self)

    files = _reused_from(out, _articles_first(_site(**changed)), set(changed))
    monkeypatch.setattr(Path, "read_bytes", spy)
    runs.clear()
    diagnostics, _ = _stage_with_search(files, out, content, _ARTICLE_PAGES)
    assert diagnostics == []
    assert file_tree(out / SEARCH_BUNDLE_DIR) == expected
    assert runs == [{"pt"}]  # only the changed page's language is indexed again
    # Pages of the other languages are known by their digests; the Portuguese pages are
    # read for Pagefind (pt-1 reused, pt-2 changed).
    assert "ja-1" not in reads and "zh-1" not in reads
    assert "pt-1" in reads


def test_a_reused_page_staged_later_that_marks_searchable_content_starts_over(
    tmp_path: Path, runs: list[set[str]]
) -> None:
    home = _page("en", "en", "Searchable home page of the theme.")
    out, content = tmp_path / "site", tmp_path / "content"
    site = _articles_first(_site(**{"index.html": home}))
    assert _stage_with_search(site, out, content, _ARTICLE_PAGES)[0] == []
    runs.clear()
    files = _reused_from(out, site, set())
    assert all(not isinstance(f, OutputFile) for f in files if f.path == "index.html")
    diagnostics, started = _stage_with_search(files, out, content, _ARTICLE_PAGES)
    assert diagnostics == [] and started[3]
    assert file_tree(out / SEARCH_BUNDLE_DIR) == _cold_bundle(site, tmp_path, "reference")
