"""Fingerprints of values: equal fingerprints mean equal values, so a stage can reuse
what an earlier build made from the same inputs (rendered pages, automatic topics)."""

from __future__ import annotations

import hashlib
import io
import pickle
from collections.abc import Callable
from typing import Any


def value_pickle(value: object, dispatch: dict[type, Callable[..., Any]] | None = None) -> bytes:
    """A pickle of `value` that depends on its values only, not on which of its parts
    are one object: the pickler's memo is off ("fast" mode), as otherwise an 'pt' that
    is a record's own string in one build and an equal copy in the next gives another
    pickle, and whatever was made from it would be made again for nothing.
    (The values fingerprinted hold no cycles, which fast mode could not pickle.)"""
    try:
        return _pickle(value, dispatch, fast=True)
    except KeyError:
        # CPython 3.11's fast mode miscounts frozensets and fails after 49 of them. With
        # the memo, equal pickles still mean equal values (equal values may only pickle
        # differently, which costs a recomputation).
        return _pickle(value, dispatch, fast=False)


def _pickle(value: object, dispatch: dict[type, Callable[..., Any]] | None, *, fast: bool) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = fast
    if dispatch is not None:
        pickler.dispatch_table = dispatch
    pickler.dump(value)
    return buffer.getvalue()


def value_digest(value: object) -> str:
    """SHA-256 of value_pickle(value), in hex."""
    return hashlib.sha256(value_pickle(value)).hexdigest()
