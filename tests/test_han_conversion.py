"""The fast Han converter gives exactly opencc-python's output."""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.languages.han_conversion import HanConverter

SAMPLE = Path(__file__).resolve().parent.parent / "content" / "articles"


@pytest.fixture(scope="module", params=["t2s", "s2t"])
def converters(request: pytest.FixtureRequest) -> tuple[HanConverter, object]:
    return HanConverter.load(request.param), opencc.OpenCC(request.param)


def test_sample_articles_convert_like_opencc(converters: tuple[HanConverter, object]) -> None:
    fast, reference = converters
    for path in sorted(SAMPLE.iterdir()):
        text = path.read_text(encoding="utf-8")
        assert fast.convert(text) == reference.convert(text), path.name  # type: ignore[attr-defined]


def test_overlapping_phrases_take_the_longest_anywhere() -> None:
    t2s = HanConverter.load("t2s")
    reference = opencc.OpenCC("t2s")
    # Phrases next to and inside each other, with separators and Latin text between.
    phrases = sorted(t2s.phrases)[:40]
    text = "，".join(a + b for a, b in zip(phrases, reversed(phrases), strict=True)) + " R1 模型"
    assert t2s.convert(text) == reference.convert(text)


_T2S = HanConverter.load("t2s")
_REFERENCE_T2S = opencc.OpenCC("t2s")
_PIECES = sorted(_T2S.phrases)[::3] + list("的是了我們國會這說時來大，。 a1-")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_generated_text_converts_like_opencc(text: str) -> None:
    assert _T2S.convert(text) == _REFERENCE_T2S.convert(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_text_converts_like_opencc(text: str) -> None:
    assert _T2S.convert(text) == _REFERENCE_T2S.convert(text)
