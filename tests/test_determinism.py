"""The same content gives the same site, byte for byte, whatever the environment.

Two builds of the sample content, without the cache (so that both really analyse), run at
the same time in subprocesses that differ in everything that must not matter at once:
hash seed (0 / random), time zone (UTC / Asia/Tokyo), locale (C / ja_JP.UTF-8, or C.UTF-8
where that locale is not installed), worker processes (1 / 2), and the order of files on
disk: the second copy of the content is written in reverse order, and its build sees every
folder listing reversed (os.listdir and os.scandir are wrapped), since file systems differ
in the order they list files.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import SAMPLE_CONTENT
from .factories import file_tree

# Runs `site-builder` with every folder listing in reverse name order.
REVERSED_LISTINGS = r"""
import os, sys

listdir, scandir = os.listdir, os.scandir

def reversed_listdir(path="."):
    return sorted(listdir(path), reverse=True)

class ReversedScandir:
    def __init__(self, path):
        with scandir(path) as entries:
            self.entries = iter(sorted(entries, key=lambda entry: entry.name, reverse=True))
    def __iter__(self):
        return self
    def __next__(self):
        return next(self.entries)
    def __enter__(self):
        return self
    def __exit__(self, *exc_info):
        self.close()
    def close(self):
        self.entries = iter(())

os.listdir = reversed_listdir
os.scandir = lambda path=".": ReversedScandir(path)
sys.argv = ["site-builder", *sys.argv[1:]]
from site_builder.cli import main
main()
"""


def japanese_locale() -> str:
    """ja_JP.UTF-8 when installed, else C.UTF-8 (a different locale from C all the same)."""
    listed = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False)
    names = {name.lower().replace("-", "") for name in listed.stdout.split()}
    return "ja_JP.UTF-8" if "ja_jp.utf8" in names else "C.UTF-8"


def copy_in_reverse_order(source: Path, target: Path) -> None:
    """Copy a folder tree creating every folder's entries in reverse name order."""
    target.mkdir()
    for entry in sorted(source.iterdir(), key=lambda path: path.name, reverse=True):
        if entry.is_dir():
            copy_in_reverse_order(entry, target / entry.name)
        else:
            shutil.copy2(entry, target / entry.name)


def test_output_is_byte_identical_across_seed_zone_locale_jobs_and_file_order(
    tmp_path: Path,
) -> None:
    forward, backward = tmp_path / "forward", tmp_path / "backward"
    forward.mkdir()
    backward.mkdir()
    shutil.copytree(SAMPLE_CONTENT, forward / "content")
    copy_in_reverse_order(SAMPLE_CONTENT, backward / "content")
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    runs = {
        forward: (
            ["-m", "site_builder"],
            {"PYTHONHASHSEED": "0", "TZ": "UTC", "LANG": "C", "LC_ALL": "C"},
            "1",
        ),
        backward: (
            ["-c", REVERSED_LISTINGS],
            {
                "PYTHONHASHSEED": "random",
                "TZ": "Asia/Tokyo",
                "LANG": japanese_locale(),
                "LC_ALL": japanese_locale(),
            },
            "2",
        ),
    }
    processes = {
        folder: subprocess.Popen(
            [
                sys.executable,
                *entry,
                "build",
                str(folder / "content"),
                "-o",
                str(folder / "_site"),
                "-j",
                jobs,
                "--no-cache",
                "-q",
            ],
            cwd=folder,
            env={**base_env, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for folder, (entry, env, jobs) in runs.items()
    }
    for folder, process in processes.items():
        _, stderr = process.communicate(timeout=900)
        assert process.returncode == 0, (folder.name, stderr.decode(errors="replace"))
    first, second = file_tree(forward / "_site"), file_tree(backward / "_site")
    assert len(first) > 20 and "index.html" in first and "digest.json" in first
    assert sorted(first) == sorted(second)
    differing = sorted(path for path in first if first[path] != second[path])
    assert differing == [], differing[:10]
