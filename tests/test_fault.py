"""A build killed with SIGKILL at any moment leaves the previous site complete.

The sample site is built once; then a build of an edited copy of the content runs in a
subprocess and is killed at several moments: before it writes anything, in the middle
of writing the staging folder (writes slowed down so the kill lands there for sure), right
after the atomic swap, and between the two renames of the fallback swap used where folders
cannot be exchanged. Afterwards the output folder holds either the previous site byte for
byte or, once the swap has happened, the complete new site; never a mix. The next build
succeeds, cleans up what the killed one left and produces the new site.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from site_builder.cli import main, system_error
from site_builder.write import recover_interrupted_build

from .conftest import REPO, SAMPLE_CONTENT
from .factories import file_tree

SITE = "site"

# Runs `site-builder` with a fault injected into the write stage (argv[1] names it).
BOOTSTRAP = r"""
import os, signal, sys, time
import site_builder.write as write

fault = sys.argv[1]
if fault == "slow-write":  # so that a kill lands in the middle of the staging folder
    place = write._place
    def slow_place(target, previous, data):
        time.sleep(0.02)
        return place(target, previous, data)
    write._place = slow_place
elif fault == "kill-after-exchange":  # the new site is in place, the old one not yet deleted
    exchange = write._exchange
    def exchange_then_die(first, second):
        assert exchange(first, second)
        os.kill(os.getpid(), signal.SIGKILL)
    write._exchange = exchange_then_die
elif fault == "kill-between-renames":  # the fallback swap, killed after its first rename
    write._exchange = lambda first, second: False
    replace = os.replace
    def replace_then_die(source, target):
        replace(source, target)
        if ".old-" in os.fspath(target):
            os.kill(os.getpid(), signal.SIGKILL)
    os.replace = replace_then_die
sys.argv = ["site-builder", *sys.argv[2:]]
from site_builder.cli import main, system_error
main()
"""


def leftovers(parent: Path) -> list[str]:
    return sorted(name for name in os.listdir(parent) if name.startswith(f".{SITE}."))


def site_leftovers(parent: Path) -> list[str]:
    """leftovers() but the search indexer's scratch folders (nothing, or its pagefind/
    bundle and temporary .search-* folders, beside the output)."""
    return [
        name
        for name in leftovers(parent)
        if any(
            entry != "pagefind" and not entry.startswith(".search-")
            for entry in os.listdir(parent / name)
        )
    ]


@dataclass(frozen=True)
class Sites:
    base: Path  # holds the previous site `site/` and its build cache
    content: Path  # the edited content the killed builds were building
    previous: dict[str, bytes]
    new: dict[str, bytes]


def edit_content(target: Path) -> Path:
    shutil.copytree(SAMPLE_CONTENT, target)
    index = target / "INDEX.md"
    text = index.read_text("utf-8")
    for old, new in [
        ("This digest collects five articles", "This digest collects five edited articles"),
        ("  - source: Gino News", "  - source: Gino News (edited)"),
    ]:
        assert old in text
        text = text.replace(old, new)
    index.write_text(text, "utf-8")
    return target


def build(content: Path, out: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(content), "-o", str(out), "-j", "1", "-q"])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Sites:
    root = tmp_path_factory.mktemp("fault")
    base = root / "base"
    base.mkdir()
    build(SAMPLE_CONTENT, base / SITE)
    content = edit_content(root / "edited")
    expected = root / "expected"
    shutil.copytree(base, expected, symlinks=True)
    build(content, expected / SITE)
    previous, new = file_tree(base / SITE), file_tree(expected / SITE)
    assert previous != new
    return Sites(base, content, previous, new)


def killed_build(
    sites: Sites, work: Path, fault: str, kill_when: Callable[[], bool] | None
) -> None:
    """Build the edited content into work/site with `fault` injected; SIGKILL it as soon as
    `kill_when()` holds (None: the fault kills it)."""
    shutil.copytree(sites.base, work, symlinks=True)
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            BOOTSTRAP,
            fault,
            "build",
            str(sites.content),
            "-o",
            str(work / SITE),
            "-j",
            "1",
            "-q",
        ],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: Pagefind is killed with it
    )
    try:
        deadline = time.monotonic() + 300
        while kill_when is not None and not kill_when():
            assert process.poll() is None, "the build finished before it could be killed"
            assert time.monotonic() < deadline, "the kill moment never came"
            time.sleep(0.005)
        if kill_when is not None:
            os.killpg(process.pid, signal.SIGKILL)  # as a killed job: the build and its children
        _, stderr = process.communicate(timeout=300)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # a child a self-inflicted kill left behind
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL, stderr.decode(errors="replace")


def after(seconds: float) -> Callable[[], bool]:
    start = time.monotonic()
    return lambda: time.monotonic() - start >= seconds


def staging_has_files(work: Path, count: int) -> Callable[[], bool]:
    def check() -> bool:
        for name in leftovers(work):
            try:
                if ".new-" in name and sum(1 for _ in (work / name).rglob("*.html")) >= count:
                    return True
            except FileNotFoundError:
                continue  # the search indexer's scratch files come and go
        return False

    return check


def assert_next_build_succeeds_and_cleans_up(sites: Sites, work: Path) -> None:
    build(sites.content, work / SITE)
    assert file_tree(work / SITE) == sites.new
    assert leftovers(work) == []


def test_killed_before_writing(sites: Sites, tmp_path: Path) -> None:
    work = tmp_path / "work"
    # After 2.5 s, or when writing starts on a machine fast enough to get there first.
    too_late, writing = after(2.5), staging_has_files(work, 0)
    killed_build(sites, work, "slow-write", lambda: too_late() or writing())
    assert file_tree(work / SITE) == sites.previous
    assert_next_build_succeeds_and_cleans_up(sites, work)


def test_killed_while_writing_the_staging_folder(sites: Sites, tmp_path: Path) -> None:
    work = tmp_path / "work"
    killed_build(sites, work, "slow-write", staging_has_files(work, 3))
    assert file_tree(work / SITE) == sites.previous
    staging = [name for name in site_leftovers(work) if ".new-" in name]
    assert len(staging) == 1  # the kill did land mid-write: a partial staging folder
    assert file_tree(work / staging[0]) != sites.new
    assert_next_build_succeeds_and_cleans_up(sites, work)


def test_killed_right_after_the_swap(sites: Sites, tmp_path: Path) -> None:
    work = tmp_path / "work"
    killed_build(sites, work, "kill-after-exchange", None)
    assert file_tree(work / SITE) == sites.new  # swapped in one step: the whole new site
    assert len(site_leftovers(work)) == 1  # the previous site, not yet deleted
    assert_next_build_succeeds_and_cleans_up(sites, work)


def test_killed_between_the_renames_of_the_fallback_swap(sites: Sites, tmp_path: Path) -> None:
    work = tmp_path / "work"
    killed_build(sites, work, "kill-between-renames", None)
    assert not (work / SITE).exists()  # the moment the fallback cannot avoid …
    recover_interrupted_build(work / SITE)
    assert file_tree(work / SITE) == sites.previous  # … is repaired by the next build
    assert leftovers(work) == []
    assert_next_build_succeeds_and_cleans_up(sites, work)


def test_recovery_leaves_folders_of_running_builds_alone(tmp_path: Path) -> None:
    out = tmp_path / SITE
    out.mkdir()
    running = tmp_path / f".{SITE}.new-{os.getpid()}-abc"
    running.mkdir()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    stale = tmp_path / f".{SITE}.new-{dead.stdout.strip()}-xyz"
    stale.mkdir()
    other = tmp_path / ".other.new-1-abc"
    other.mkdir()
    recover_interrupted_build(out)
    assert running.is_dir() and other.is_dir() and not stale.exists()


def test_a_disk_error_while_writing_is_reported_and_keeps_the_site(
    sites: Sites, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The system failing a write (here fsync: EIO; disk full is alike) is an error
    message, exit code 1, no traceback; the previous site stays."""
    work = tmp_path / "work"
    shutil.copytree(sites.base, work, symlinks=True)

    def failing_fsync(descriptor: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    result = CliRunner().invoke(
        main, ["build", str(sites.content), "-o", str(work / SITE), "-j", "1", "--no-cache"]
    )
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "could not build the site" in result.output
    assert "Input/output error" in result.output
    assert file_tree(work / SITE) == sites.previous
    assert leftovers(work) == []


def test_a_system_error_names_the_file_it_was_about() -> None:
    full = system_error(OSError(errno.ENOSPC, "No space left on device", "/srv/x.html"), Path("s"))
    assert full.format() == (
        "/srv/x.html: error: could not build the site into s: No space left on device"
    )
    bare = system_error(OSError(errno.EIO, "Input/output error"), Path("s"))
    assert bare.format() == "error: could not build the site into s: Input/output error"
