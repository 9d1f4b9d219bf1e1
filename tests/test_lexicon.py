"""Tests for site_builder.lexicon: CC-CEDICT names and e2k katakana readings."""

from __future__ import annotations

import time

import opencc
import pytest

from site_builder.lexicon import KATAKANA_THRESHOLD, Lexicon, normalise_kana


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon(opencc.OpenCC("t2s").convert)


def test_cedict_index_loads_fast() -> None:
    fresh = Lexicon(opencc.OpenCC("t2s").convert)
    start = time.perf_counter()
    assert fresh.knows("英伟达")
    assert time.perf_counter() - start < 5.0  # ≈0.5–0.8 s idle; generous for a busy CI


@pytest.mark.parametrize(
    ("surface", "english"),
    [
        ("英伟达", "NVIDIA"),
        ("英偉達", "NVIDIA"),  # Traditional
        ("達沃斯", "Davos"),  # "Davos (Swiss ski resort)": cut at "("
        ("斯普特尼克", "Sputnik"),  # "Sputnik, Soviet artificial Earth satellite"
        ("特朗普", "Donald Trump"),  # person gloss "Donald Trump (1946-), …": full name
        ("唐納德·特朗普", "Donald Trump"),  # by parts: "Donald" + "Donald Trump"
        ("硅谷", "Silicon Valley"),
        ("高盛", "Goldman Sachs"),
        ("微软", "Microsoft"),  # "Microsoft Corporation": company suffix dropped
        ("米国", "United States"),  # Japanese kanji meet through CEDICT too
    ],
)
def test_proper_noun_glosses_give_english_names(
    lexicon: Lexicon, surface: str, english: str
) -> None:
    assert lexicon.english_name(surface) == english


@pytest.mark.parametrize(
    "surface",
    [
        "令人",  # ordinary word ("to cause one to …")
        "聊天",  # "to chat"
        "模型",  # "model": a gloss, not a name
        "高达",  # Gundam, but also "to reach up to": ambiguous, no name
        "马克·安德森",  # 马克 is also the currency; 安德森 unknown
        "强化学习",  # not in CEDICT: meets 強化學習 through OpenCC only
    ],
)
def test_common_words_get_no_english_name(lexicon: Lexicon, surface: str) -> None:
    assert lexicon.english_name(surface) is None


def test_common_and_proper_readings(lexicon: Lexicon) -> None:
    assert lexicon.is_common_word("高达") and lexicon.is_proper_noun("高达")
    assert lexicon.is_common_word("令人") and not lexicon.is_proper_noun("令人")
    assert not lexicon.knows("梁文锋")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("远高于", True), ("测试表明", True), ("梁文锋", False), ("阿尔特曼", False)],
)
def test_only_common_words(lexicon: Lexicon, text: str, expected: bool) -> None:
    assert lexicon.only_common_words(text) is expected


def test_two_ordinary_words(lexicon: Lexicon) -> None:
    assert lexicon.two_ordinary_words("强化学习") == ("强化", "学习")
    assert lexicon.two_ordinary_words("強化學習") == ("强化", "学习")
    assert lexicon.two_ordinary_words("梁文锋") is None


def test_normalise_kana() -> None:
    assert normalise_kana("スプートニク・モーメント") == "スプトニクモメント"
    assert normalise_kana("ｴﾇﾋﾞﾃﾞｨｱ") == "エヌビデイア"


@pytest.mark.parametrize(
    ("katakana", "latin"),
    [
        ("ディープシーク", "DeepSeek"),
        ("ダボス", "Davos"),
        ("エヌビディア", "NVIDIA"),  # first letter spelled out: エヌ + ビディア
        ("ドナルド・トランプ", "Donald Trump"),
        ("スプートニク", "Sputnik"),
    ],
)
def test_katakana_matches_its_latin_name(lexicon: Lexicon, katakana: str, latin: str) -> None:
    assert lexicon.katakana_similarity(katakana, latin) >= KATAKANA_THRESHOLD


@pytest.mark.parametrize(
    ("katakana", "latin"),
    [
        ("ディープマインド", "DeepSeek"),  # same first word, another company
        ("オープン", "OpenAI"),
        ("メール", "Meta"),
        ("アンソロジー", "Anthropic"),  # a near miss: "anthology"
    ],
)
def test_katakana_near_misses_stay_below_threshold(
    lexicon: Lexicon, katakana: str, latin: str
) -> None:
    assert lexicon.katakana_similarity(katakana, latin) < KATAKANA_THRESHOLD


def test_transliterator_can_be_replaced() -> None:
    fake = Lexicon(lambda s: s, transliterate=lambda word: {"davos": "ダボス"}.get(word, ""))
    assert fake.katakana("Davos") == "ダボス"
    assert fake.katakana_similarity("ダボス", "Davos") == 1.0
