"""Copies of language data kept between processes in the temporary folder, in a form
that loads faster than the one its library ships (jieba's dictionaries, py3langid's
model). A copy is this user's own: named after the user, made readable and writable by
this user only, and used only if its owner is this user and nobody else can write it.
It holds data only (words, numbers, arrays), never code. Failing to make one only costs
the next process time."""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO


def copy_path(
    folder: Path | None, library: str, version: str, source: Path, form: bytes, suffix: str
) -> Path | None:
    """Where the copy of `source`, a data file of `library` at `version`, goes in
    `folder` (the temporary folder by default), in the layout `form`: named after all
    of them and the file's size and time, so that another version, file or layout gets
    a copy of its own. None if the file cannot be read."""
    try:
        status = source.stat()
    except (OSError, TypeError):
        return None
    stamp = f"{version} {status.st_size} {status.st_mtime_ns} {sys.byteorder}"
    stamp += f" {_user()}"  # each user's own copy: one user cannot replace another's
    name = hashlib.sha256(form + stamp.encode()).hexdigest()[:16]
    return (folder or Path(tempfile.gettempdir())) / f"site-builder-{library}-{name}.{suffix}"


def _user() -> int:
    """This process's user id (0 where the system has none: Windows)."""
    return os.getuid() if hasattr(os, "getuid") else 0


@contextmanager
def opened_copy(path: Path) -> Iterator[BinaryIO | None]:
    """The copy at `path` open for reading; None if it is missing, not this user's own,
    or writable by others."""
    try:
        stream = open(path, "rb")  # noqa: SIM115 (closed below, once the caller has read it)
    except OSError:
        yield None
        return
    with stream:
        try:
            status = os.fstat(stream.fileno())
        except OSError:
            yield None
            return
        if status.st_uid != _user() or status.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            yield None
            return
        yield stream


def read_copy(path: Path) -> bytes | None:
    """The bytes of the copy at `path`; None if there is no copy to use (opened_copy)."""
    with opened_copy(path) as stream:
        if stream is None:
            return None
        try:
            return stream.read()
        except OSError:
            return None


def write_copy(path: Path, parts: Iterable[bytes]) -> None:
    """Put a copy made of `parts` (written one after the other) at `path`, whole or not
    at all."""
    with suppress(OSError):
        # Not files.replace_file: its new file follows the umask, and a group-writable copy
        # (umask 002) would be refused by every later read. mkstemp makes it this user's
        # only; the rename shows it whole or not at all.
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(descriptor, "wb") as stream:
                for part in parts:
                    stream.write(part)
            os.replace(temporary, path)
        except BaseException:
            with suppress(OSError):
                os.unlink(temporary)
            raise
