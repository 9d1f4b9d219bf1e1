"""Tests for site_builder.lexicon: CC-CEDICT names and e2k katakana readings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.lexicon import KATAKANA_THRESHOLD, Lexicon, normalise_kana

from .copy_damage import WORD_TABLE_DAMAGES


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon(opencc.OpenCC("t2s").convert)


@pytest.fixture(scope="module")
def cedict_index() -> dict[str, Any]:
    """CC-CEDICT's index as read from the packaged file."""
    from site_builder.lexicon import _packaged_cedict, _read_cedict

    return _read_cedict(_packaged_cedict())


def test_the_kept_cedict_index_is_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cedict_index: dict[str, Any]
) -> None:
    """The first lexicon reads CC-CEDICT and keeps its index; the next loads the same
    index, form by form, without reading the file, and answers the same."""
    from site_builder import lexicon as lexicon_module

    first = Lexicon(opencc.OpenCC("t2s").convert, copies=tmp_path)
    assert first.knows("英伟达")
    (copy,) = tmp_path.glob("site-builder-cedict-*.index")
    assert copy.stat().st_mode & 0o077 == 0

    def no_reading(path: Path) -> None:
        raise AssertionError("CC-CEDICT was read although the copy was there")

    monkeypatch.setattr(lexicon_module, "_read_cedict", no_reading)
    second = Lexicon(opencc.OpenCC("t2s").convert, copies=tmp_path)
    assert second._cedict_index() == cedict_index
    assert first._cedict_index() == cedict_index
    for surface in ("英伟达", "深度求索", "强化学习", "微軟", "学习"):
        assert second.english_name(surface) == first.english_name(surface)
        assert second.is_common_word(surface) == first.is_common_word(surface)
    assert [p.name for p in tmp_path.iterdir()] == [copy.name]


def _bad_flag(copy: Path) -> None:
    copy.write_bytes(copy.read_bytes()[:-1] + b"\x07")


def _one_gloss_line_less(copy: Path) -> None:
    """As many forms as flags, one gloss line fewer."""
    data = copy.read_bytes()
    layout, counts, rest = data.split(b"\n", 2)
    count, size, text_size = counts.split(b" ")
    glosses_start = int(text_size)
    glosses_end = glosses_start + int(size)
    glosses = rest[glosses_start:glosses_end]
    shorter = glosses[: glosses.rindex(b"\n")]
    copy.write_bytes(
        b"%s\n%s %d %s\n%s" % (layout, count, len(shorter), text_size, rest[:glosses_start])
        + shorter
        + rest[glosses_end:]
    )


@pytest.mark.parametrize("damage", [*WORD_TABLE_DAMAGES, _bad_flag, _one_gloss_line_less])
def test_a_damaged_or_unsafe_cedict_copy_is_made_again(
    tmp_path: Path, damage: Any, cedict_index: dict[str, Any]
) -> None:
    Lexicon(lambda s: s, copies=tmp_path)._cedict_index()
    (copy,) = tmp_path.glob("site-builder-cedict-*.index")
    good = copy.read_bytes()
    damage(copy)
    assert Lexicon(lambda s: s, copies=tmp_path)._cedict_index() == cedict_index
    assert copy.read_bytes() == good
    assert copy.stat().st_mode & 0o077 == 0


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


# --- matching many katakana words against many names -----------------------------------

# A toy transliterator: each letter becomes one kana, so readings are cheap and overlap.
_TOY_KANA = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyz",
        "アバカダエフガハイジカラマナオパクラサタウバワクヤザ",
        strict=True,
    )
)


def _toy_lexicon() -> Lexicon:
    return Lexicon(
        lambda s: s, transliterate=lambda word: "".join(_TOY_KANA.get(c, "") for c in word)
    )


def _pairwise_best(
    lexicon: Lexicon, words: list[str], names: list[str]
) -> dict[str, tuple[float, int]]:
    """The reference: every word against every name, the first best name wins."""
    found: dict[str, tuple[float, int]] = {}
    for word in words:
        best: tuple[float, int] | None = None
        for index, name in enumerate(names):
            score = lexicon.katakana_similarity(word, name)
            if score >= KATAKANA_THRESHOLD and (best is None or score > best[0]):
                best = (score, index)
        if best is not None:
            found[word] = best
    return found


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(
        st.text(alphabet="アイカサタナバダマラーッ・", min_size=1, max_size=9), max_size=8
    ),
    names=st.lists(st.text(alphabet="abcdkmnrstv -", min_size=1, max_size=10), max_size=12),
)
def test_best_katakana_matches_equal_pairwise_comparison(
    words: list[str], names: list[str]
) -> None:
    lexicon = _toy_lexicon()
    assert lexicon.best_katakana_matches(words, names) == _pairwise_best(lexicon, words, names)


def test_best_katakana_matches_with_e2k(lexicon: Lexicon) -> None:
    words = ["ダボス", "エヌビディア", "ディープシーク", "モデル", "アンソロジー", "スプートニク"]
    names = ["Anthropic", "Davos", "DeepMind", "DeepSeek", "NVIDIA", "OpenAI", "Sputnik"]
    found = lexicon.best_katakana_matches(words, names)
    assert {word: names[index] for word, (_, index) in found.items()} == {
        "ダボス": "Davos",
        "エヌビディア": "NVIDIA",
        "ディープシーク": "DeepSeek",
        "スプートニク": "Sputnik",
    }
    assert found == _pairwise_best(lexicon, words, names)


def test_readings_are_computed_once_per_word() -> None:
    calls: list[str] = []

    def transliterate(word: str) -> str:
        calls.append(word)
        return "".join(_TOY_KANA.get(c, "") for c in word)

    lexicon = Lexicon(lambda s: s, transliterate=transliterate)
    lexicon.katakana("Donald Trump")
    lexicon.katakana("Trump")
    lexicon.katakana_readings("Trump")  # also "rump" (T spelled out)
    assert sorted(calls) == ["donald", "rump", "trump"]


def test_fast_greedy_decoding_gives_e2k_katakana() -> None:
    """The lexicon's own greedy decoding must give exactly what e2k's C2K gives: if an
    e2k release changes the model's insides, this fails rather than links differ."""
    from e2k import C2K

    from site_builder.lexicon import _GreedyC2K

    model = C2K()
    fast = _GreedyC2K(model)
    words = ["davos", "nvidia", "vidia", "deepseek", "openai", "anthropic", "sputnik"]
    words += ["trump", "altman", "liang", "wenfeng", "x", "", "supercalifragilistic", "r1"]
    assert [fast(word) for word in words] == [model(word) for word in words]


def test_remembered_cedict_answers_are_given_without_the_dictionary(lexicon: Lexicon) -> None:
    questions = ["英伟达", "唐納德·特朗普", "强化学习", "学习", "远高于", "梁文锋", "xyz"]
    asked = {
        surface: (
            lexicon.english_name(surface),
            lexicon.knows(surface),
            lexicon.is_common_word(surface),
            lexicon.is_proper_noun(surface),
            lexicon.only_common_words(surface),
            lexicon.two_ordinary_words(surface),
        )
        for surface in questions
    }
    assert asked["强化学习"][5] == ("强化", "学习")
    stored = lexicon.answers()
    # Answers of unknown questions or of the wrong type are dropped, not believed.
    stored["knows"] = {**stored["knows"], "假的": "yes"}
    stored["no such question"] = {"英伟达": True}
    stored["two_ordinary_words"] = {**stored["two_ordinary_words"], "假的词语": ("假", 3)}
    without_dictionary = Lexicon(opencc.OpenCC("t2s").convert, cedict_path=Path("/nonexistent"))
    without_dictionary.remember_answers(stored)
    assert {
        surface: (
            without_dictionary.english_name(surface),
            without_dictionary.knows(surface),
            without_dictionary.is_common_word(surface),
            without_dictionary.is_proper_noun(surface),
            without_dictionary.only_common_words(surface),
            without_dictionary.two_ordinary_words(surface),
        )
        for surface in questions
    } == asked
    assert without_dictionary.take_new_answers() == {}  # all remembered, none found
    for ask in (without_dictionary.knows, without_dictionary.two_ordinary_words):
        with pytest.raises(OSError):
            ask("假的词语")  # not remembered: the dictionary is needed, and missing
