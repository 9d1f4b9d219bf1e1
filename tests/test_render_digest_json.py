"""digest.json's writer (digest_json.indented_json) gives json.dumps's bytes exactly.

json.dumps with an indent runs json's pure-Python encoder, so digest.json is written by
a faster encoder of its own; readers may compare files byte for byte across versions.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.digest_json import (
    digest_document,
    digest_json_chunks,
    encode_digest,
    indented_json,
)
from site_builder.sitemodel import build_site_model, directory_path

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
    lambda inner: st.lists(inner, max_size=4)
    | st.lists(inner, max_size=3).map(tuple)
    | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(value=_JSON)
def test_indented_json_is_json_dumps(value: Any) -> None:
    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_indented_json_special_values() -> None:
    value = {"a": [], "b": {}, 1: [math.nan, -math.inf, True, None], "c": ["x\n\"y\"", "\x00"]}
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
