"""Writing one file safely, for the write stage (pages) and the build cache (entries).

A module of its own, with no site_builder imports, so that the cache's code fingerprint of
the analysis (cache.ANALYSIS_MODULES) does not take in the write stage.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

# What a file is written from: its bytes in chunks, or a function that writes them into
# the open file (a large value pickled straight into it, never whole in memory).
Content = Iterable[bytes] | Callable[[BinaryIO], None]


def write_new(target: Path, chunks: Content, *, durable: bool = True) -> int:
    """Write a file that must not exist yet, flushed to disk unless not `durable`; its
    size."""
    size = 0
    with open(target, "xb") as stream:
        if callable(chunks):
            chunks(stream)
            size = stream.tell()
        else:
            for chunk in chunks:
                stream.write(chunk)
                size += len(chunk)
        if durable:
            stream.flush()
            # Flushed before the rename makes the file visible (crash safety).
            os.fsync(stream.fileno())
    return size


def replace_file(path: Path, data: bytes | Content, *, durable: bool = True) -> None:
    """Replace `path` by `data` (bytes, or see Content) with one rename: a reader sees
    the old file or the new, never a part, and a hard link to the old file keeps the old
    bytes. The new file has a new file's usual permissions; `durable` flushes it to disk
    before the rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.new")
    try:
        write_new(temporary, (data,) if isinstance(data, bytes) else data, durable=durable)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
