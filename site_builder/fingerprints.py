"""Fingerprints of values: equal fingerprints mean equal values, so a stage can reuse
what an earlier build made from the same inputs (rendered pages, automatic topics)."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import operator
import pickle
from collections.abc import Callable
from typing import Any


def value_pickle(value: object, dispatch: dict[type, Callable[..., Any]] | None = None) -> bytes:
    """A pickle of `value` that depends on its values only, not on which of its parts
    are one object: the pickler's memo is off ("fast" mode), as otherwise an 'pt' that
    is a record's own string in one build and an equal copy in the next gives another
    pickle, and whatever was made from it would be made again for nothing.
    (The values fingerprinted hold no cycles, which fast mode could not pickle.)

    `dispatch` maps types to reducers, as a pickler's dispatch_table. A record (a
    slotted dataclass compared by its fields, with no pickling of its own) is written as
    its class's name and its fields' values, which is what its default pickle holds,
    made 3x faster: page keys and topic digests pickle hundreds of thousands of them in
    a large rebuild."""
    try:
        return _pickle(value, dispatch, fast=True)
    except KeyError:
        # CPython 3.11's fast mode miscounts frozensets and fails after 49 of them. With
        # the memo, equal pickles still mean equal values (equal values may only pickle
        # differently, which costs a recomputation).
        return _pickle(value, dispatch, fast=False)


def _pickle(value: object, dispatch: dict[type, Callable[..., Any]] | None, *, fast: bool) -> bytes:
    buffer = io.BytesIO()
    pickler = _ValuePickler(buffer, dispatch or {})
    pickler.fast = fast
    pickler.dump(value)
    return buffer.getvalue()


class _ValuePickler(pickle.Pickler):
    def __init__(self, buffer: io.BytesIO, dispatch: dict[type, Callable[..., Any]]) -> None:
        super().__init__(buffer, protocol=5)
        self._dispatch = dispatch

    def reducer_override(self, obj: object) -> Any:
        # Called for every object but None, bools and exact ints, floats, bytes, str,
        # dicts, sets, frozensets, lists and tuples, which keep their usual pickles.
        kind = type(obj)
        reducer = self._dispatch.get(kind)
        if reducer is not None:
            return reducer(obj)
        values = record_values(kind)
        if values is None:
            return NotImplemented
        return _record, (kind.__module__, kind.__qualname__, values(obj))


def _find_record_values(kind: type) -> Callable[[object], tuple[object, ...]] | None:
    """The function giving a record's field values, in order; None for anything else:
    a class with state besides its fields (no slots, or slots of its own), compared
    otherwise than by its fields, or that pickles itself its own way (model.Topic)."""
    if not dataclasses.is_dataclass(kind):
        return None
    names = [field.name for field in dataclasses.fields(kind)]
    params = getattr(kind, "__dataclass_params__", None)
    if (
        tuple(vars(kind).get("__slots__", ())) != tuple(names)
        or not getattr(params, "eq", False)
        or kind.__reduce__ is not object.__reduce__
        or kind.__reduce_ex__ is not object.__reduce_ex__
    ):
        return None
    if len(names) == 1:
        one = operator.attrgetter(names[0])
        return lambda obj: (one(obj),)
    if not names:
        return lambda obj: ()
    return operator.attrgetter(*names)


# Kept per class: a pure function of it (a class's fields do not change).
record_values: Callable[[type], Callable[[object], tuple[object, ...]] | None] = functools.cache(
    _find_record_values
)


def fields_of_record(kind: type) -> Callable[[object], tuple[object, ...]]:
    """record_values(kind), for a class that must be a record: a plain tuple of its
    fields pickles without a call to the pickler's Python code, which a fingerprint of
    many of them (a topic's occurrences, a page's members) is much faster for. Raises
    TypeError (at import, where it is used) if a change made `kind` no record."""
    values = record_values(kind)
    if values is None:
        raise TypeError(f"{kind.__qualname__} must be a slotted record (see record_values)")
    return values


def _record(module: str, name: str, values: tuple[object, ...]) -> None:
    """Stands for a frozen record in a fingerprint's pickle (never unpickled)."""
    raise NotImplementedError("value pickles are hashed, not loaded")


def value_digest(value: object) -> str:
    """SHA-256 of value_pickle(value), in hex."""
    return hashlib.sha256(value_pickle(value)).hexdigest()
