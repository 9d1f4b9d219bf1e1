"""Language identification: seeds, Chinese script vote, Japanese by kana, short text."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from site_builder.analysis.language_id import SAMPLE_CHARS, detect_language
from site_builder.languages.resources import LanguageResources

ARTICLES = Path(__file__).resolve().parent.parent / "content" / "articles"
EXPECTED = {
    "000_2fe2c9c0de164287.txt": ("pt", "Latn"),
    "001_cf56cbe64eb45982.txt": ("pt", "Latn"),
    "002_cfdeea334b5228ae.txt": ("zh-Hant", "Hant"),
    "003_6864f55c604e73c6.txt": ("ja", "Jpan"),
    "004_80b01854ed10c8b2.txt": ("zh-Hans", "Hans"),
}


@pytest.fixture(scope="module")
def resources() -> LanguageResources:
    return LanguageResources()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seeds(name: str, resources: LanguageResources, data_regression: Any) -> None:
    guess = detect_language((ARTICLES / name).read_text(encoding="utf-8"), resources)
    assert (guess.lang, guess.script) == EXPECTED[name]
    assert guess.confidence > 0.9
    data_regression.check(asdict(guess))


def test_chinese_vote_is_decisive(resources: LanguageResources) -> None:
    traditional = detect_language((ARTICLES / "002_cfdeea334b5228ae.txt").read_text(), resources)
    simplified = detect_language((ARTICLES / "004_80b01854ed10c8b2.txt").read_text(), resources)
    assert "opencc-vote" in traditional.method and "opencc-vote" in simplified.method
    assert detect_language("這是一個關於人工智慧的測試。", resources).lang == "zh-Hant"
    assert detect_language("这是一个关于人工智能的测试。", resources).lang == "zh-Hans"
    # Characters shared by both scripts: no votes, Simplified by default, low confidence.
    tie = detect_language("人工智能在上海工作，大家都很好。", resources)
    assert tie.lang == "zh-Hans" and "tie" in tie.method and tie.confidence <= 0.5


def test_kana_means_japanese(resources: LanguageResources) -> None:
    guess = detect_language("東京で新しいモデルが発表された。", resources)
    assert (guess.lang, guess.script, guess.method) == ("ja", "Jpan", "kana-share")
    # One Japanese name quoted in a long Chinese text does not make it Japanese.
    chinese = "美国科技公司在人工智能领域投入了大量资金。" * 10 + "ソニー"
    assert detect_language(chinese, resources).lang == "zh-Hans"


def test_other_languages(resources: LanguageResources) -> None:
    cases = {
        "The quick brown fox jumps over the lazy dog near the river bank.": ("en", "Latn"),
        "El rápido zorro marrón salta sobre el perro perezoso cerca del río.": ("es", "Latn"),
        "안녕하세요, 오늘은 인공지능에 대해 이야기하겠습니다.": ("ko", "Kore"),
        "สวัสดีครับ วันนี้เราจะพูดถึงปัญญาประดิษฐ์": ("th", "Thai"),
        "Привет, сегодня мы поговорим об искусственном интеллекте.": ("ru", "Cyrl"),
    }
    for text, expected in cases.items():
        guess = detect_language(text, resources)
        assert (guess.lang, guess.script) == expected, text


@pytest.mark.parametrize("text", ["", "   \n", "ok", "42", "!!!", "中国"])
def test_too_short_is_undetermined(text: str, resources: LanguageResources) -> None:
    guess = detect_language(text, resources)
    assert guess.lang == "und"
    assert guess.confidence < 0.5


def test_only_a_bounded_sample_is_read(resources: LanguageResources) -> None:
    portuguese = "O modelo de linguagem foi lançado pela empresa chinesa na semana passada. "
    text = portuguese * (SAMPLE_CHARS // len(portuguese) + 1) + "这是一个测试。" * 20_000
    assert detect_language(text, resources).lang == "pt"
