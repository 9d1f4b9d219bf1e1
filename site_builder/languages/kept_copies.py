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
    try:
        folder = folder or Path(tempfile.gettempdir())
    except OSError:  # no usable temporary folder: the library's own loading serves
        return None
    return folder / f"site-builder-{library}-{name}.{suffix}"


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


# A word table as kept (read_word_table, write_word_table): its layout line; a line of
# three numbers: how many words, one number of the table's own, the size of the words'
# text; the words (one per line, UTF-8); then the values' bytes, as the table lays them.


def read_word_table(path: Path, form: bytes) -> tuple[list[str], int, bytes] | None:
    """The words, the table's number and the values' bytes kept in `path` in the layout
    `form`; None if there is no copy to use (read_copy) or it is not whole."""
    data = read_copy(path)
    if data is None:
        return None
    parts = data.split(b"\n", 2)
    if len(parts) != 3 or parts[0] != form:
        return None
    try:
        count, number, text_size = (int(figure) for figure in parts[1].split(b" "))
        words = parts[2][:text_size].decode("utf-8").split("\n")
    except ValueError:  # a malformed header, bad UTF-8
        return None
    if count != len(words) or text_size > len(parts[2]):
        return None
    return words, number, parts[2][text_size:]


def write_word_table(
    path: Path, form: bytes, words: Iterable[str], number: int, values: bytes
) -> None:
    """Keep a table's words, its number and its values' bytes in `path`, in the layout
    `form` (read_word_table); not if a word is empty or holds a line break."""
    listed = list(words)
    if not listed or any(not word or "\n" in word for word in listed):
        return
    text = "\n".join(listed).encode("utf-8")
    write_copy(path, [b"%s\n%d %d %d\n" % (form, len(listed), number, len(text)), text, values])
