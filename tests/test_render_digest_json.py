"""digest.json's writer (digest_json.indented_json) gives json.dumps's bytes exactly.

json.dumps with an indent runs json's pure-Python encoder, so digest.json is written by
a faster encoder of its own; readers may compare files byte for byte across versions.
"""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder import digest_json
from site_builder.digest_json import (
    digest_document,
    digest_json_chunks,
    encode_digest,
    indented_json,
)
from site_builder.model import Digest
from site_builder.sitemodel import build_site_model, directory_path

from .factories import with_first_sentence
from .test_sitemodel import fixture_digest

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()  # any code point: quotes, backslashes, control characters, surrogates
)
_KEYS = st.text() | st.integers() | st.floats() | st.booleans() | st.none()
_JSON = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(_KEYS, inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(value=_JSON)
def test_indented_json_is_json_dumps(value: Any) -> None:
    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=2)


@settings(max_examples=300, deadline=None)
@given(value=_JSON)
def test_an_item_is_written_as_json_dumps_indented(value: Any) -> None:
    # An item of the articles or topics list, on its own lines at four spaces.
    expected = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n    ")
    assert digest_json._indented_utf8(value, "\n    ") == expected.encode("utf-8")


@settings(max_examples=500, deadline=None)
@given(number=st.floats(allow_nan=False, allow_infinity=False), nested=st.booleans())
def test_floats_are_written_as_json_writes_them(number: float, nested: bool) -> None:
    # orjson writes the floats it is given (scores, confidences) only where its text is
    # json's: 1e-05 is written "0.00001" by orjson.
    value: object = {"score": [number, -number]} if nested else number
    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_small_floats_and_odd_types_go_json_s_way() -> None:
    for value in (1e-05, -2.5e-05, 1e16, math.nan, math.inf, {"a": [1, {"b": 1e-7}]}):
        assert not digest_json._orjson_writes_as_json(value)
    assert digest_json._orjson_writes_as_json({"a": [0.0, 0.5, 12.25, "x", None, True, 2**70]})

    class Subclass(str):
        pass

    assert not digest_json._orjson_writes_as_json(["x", Subclass("y")])
    # What orjson refuses, json's way writes: keys that are not strings, huge integers.
    for value in ({1: "a", None: [2**70]}, [2**80, -(2**90)]):
        assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_topics_are_written_by_orjson(monkeypatch: pytest.MonkeyPatch) -> None:
    # The fast writer is the one used for the topics' quotes, not a fallback never taken.
    digest = fixture_digest()
    articles, topics = _urls(digest)
    document = digest_document(digest, articles, topics)
    monkeypatch.setattr(digest_json, "_write_json", _refuse)
    for topic in document["topics"]:
        expected = json.dumps(topic, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        assert digest_json._indented_utf8(topic, "\n    ") == expected.encode("utf-8")


def test_indented_json_special_values() -> None:
    value = {"a": [], "b": {}, 1: [math.nan, -math.inf, True, None], "c": ['x\n"y"', "\x00"]}
    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_indented_json_refuses_what_json_refuses() -> None:
    with pytest.raises(TypeError):
        indented_json({"a": {1, 2}})
    with pytest.raises(TypeError):
        indented_json({(1, 2): "tuple key"})


def test_digest_json_bytes_are_json_dumps() -> None:
    digest = fixture_digest()
    model = build_site_model(digest)
    articles = {path: directory_path(page) for path, page in model.article_pages.items()}
    topics = {key: directory_path(page) for key, page in model.topic_pages.items()}
    document = digest_document(digest, articles, topics)
    expected = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    assert encode_digest(document) == expected
    assert document["articles"] and document["topics"]
    # The written file encodes the articles and topics one at a time: same bytes.
    chunks = list(digest_json_chunks(digest, articles, topics))
    assert len(chunks) == len(digest.articles) + len(digest.topics) + 1
    assert b"".join(chunks) == expected


class _MemoryPieces:
    """digest_json.DigestPieces over the bytes of one earlier digest.json."""

    def __init__(self, previous: bytes = b"", spans: dict[str, tuple[int, int]] | None = None):
        self.previous = previous
        self.spans = spans or {}
        self.recorded: dict[str, tuple[int, int]] = {}
        self.looked_up: list[str] = []

    def lookup(self, key: str) -> bytes | None:
        self.looked_up.append(key)
        if key not in self.spans:
            return None
        offset, length = self.spans[key]
        return self.previous[offset : offset + length]

    def record(self, key: str, offset: int, data: bytes) -> None:
        self.recorded[key] = (offset, len(data))

    def next_build(self, written: bytes) -> _MemoryPieces:
        return _MemoryPieces(written, self.recorded)


def _fingerprinted_digest() -> Digest:
    digest = fixture_digest()
    articles = tuple(
        dataclasses.replace(a, fingerprint=f"v1 {a.entry.path}") for a in digest.articles
    )
    return dataclasses.replace(digest, articles=articles)


def _urls(digest: Digest) -> tuple[dict[str, str], dict[str, str]]:
    model = build_site_model(digest)
    articles = {path: directory_path(page) for path, page in model.article_pages.items()}
    topics = {key: directory_path(page) for key, page in model.topic_pages.items()}
    return articles, topics


def test_unchanged_items_are_copied_from_the_previous_digest() -> None:
    digest = _fingerprinted_digest()
    articles, topics = _urls(digest)
    expected = b"".join(digest_json_chunks(digest, articles, topics))
    first = _MemoryPieces()
    assert b"".join(digest_json_chunks(digest, articles, topics, first)) == expected
    assert len(first.recorded) == len(digest.articles) + len(digest.topics)
    for offset, length in first.recorded.values():  # each span holds one item
        assert json.loads(expected[offset : offset + length])
    # Nothing changed: every item comes from the previous file, none is encoded.
    second = first.next_build(expected)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(digest_json, "_article_document", _refuse)
        patch.setattr(digest_json, "_topic_document", _refuse)
        assert b"".join(digest_json_chunks(digest, articles, topics, second)) == expected
    # One article edited: it and the topics quoting it are encoded again, and the
    # bytes are what encoding everything gives.
    edited = with_first_sentence(
        digest.articles[0], "A NVIDIA perdeu muito valor.", fingerprint="v2"
    )
    changed = dataclasses.replace(digest, articles=(edited, *digest.articles[1:]))
    third = second.next_build(expected)
    reused = b"".join(digest_json_chunks(changed, articles, topics, third))
    assert reused == b"".join(digest_json_chunks(changed, articles, topics))
    assert b"muito valor" in reused
    assert set(third.recorded) != set(second.recorded)
    copied = set(third.recorded) & set(second.spans)
    assert len(copied) == len(digest.articles) - 1  # the others; both topics quote pt


def test_items_without_fingerprints_are_always_encoded() -> None:
    digest = fixture_digest()  # no article fingerprints: nothing stands for their inputs
    articles, topics = _urls(digest)
    pieces = _MemoryPieces()
    expected = b"".join(digest_json_chunks(digest, articles, topics))
    assert b"".join(digest_json_chunks(digest, articles, topics, pieces)) == expected
    assert not pieces.looked_up and not pieces.recorded


def _refuse(*_args: object) -> None:
    raise AssertionError("an unchanged item was encoded again")
