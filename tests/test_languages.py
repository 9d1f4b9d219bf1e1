"""Language families: sentences, tokens, names and lengths, on the seeds and on edge cases."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.languages import (
    LanguageFamily,
    LineSegments,
    chunk_by_bytes,
    latin_runs,
    non_space_spans,
)
from site_builder.languages.resources import LanguageResources, parse_tag

from .conftest import SAMPLE_CONTENT
from .copy_damage import WORD_TABLE_DAMAGES, cut_short, writable_by_others

ARTICLES = Path(__file__).resolve().parent.parent / "content" / "articles"
SEEDS = {
    "000_2fe2c9c0de164287.txt": "pt",
    "001_cf56cbe64eb45982.txt": "pt",
    "002_cfdeea334b5228ae.txt": "zh-Hant",
    "003_6864f55c604e73c6.txt": "ja",
    "004_80b01854ed10c8b2.txt": "zh-Hans",
}


@pytest.fixture(scope="module")
def resources() -> LanguageResources:
    return LanguageResources()


def _non_space(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


# --- golden outputs per seed --------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_golden(name: str, resources: LanguageResources, data_regression: Any) -> None:
    text = (ARTICLES / name).read_text(encoding="utf-8")
    family = resources.family(SEEDS[name])
    sentences = family.split_sentences(text)
    tokens: list[list[object]] = []
    for sentence in sentences:
        tokens.extend([t.text, t.norm, t.pos, t.is_stop] for t in family.tokenize(sentence))
        if len(tokens) >= 40:
            break
    names = [list(name) for s in sentences[:20] for name in family.find_names(s)]
    data_regression.check(
        {
            "lang": family.lang,
            "budget_unit": family.budget_unit,
            "measure": family.measure(text),
            "sentence_count": len(sentences),
            "first_sentences": sentences[:5],
            "tokens": tokens[:40],
            "names": names,
        }
    )


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_sentences_keep_every_character(name: str, resources: LanguageResources) -> None:
    text = (ARTICLES / name).read_text(encoding="utf-8")
    family = resources.family(SEEDS[name])
    sentences = family.split_sentences(text)
    assert "".join(_non_space(s) for s in sentences) == _non_space(text)
    assert all(s == s.strip() and s for s in sentences)
    tokens = [t for s in sentences for t in family.tokenize(s)]
    assert "".join(t.text for t in tokens) == _non_space(text)


# --- resources ----------------------------------------------------------------------------


def test_family_routing(resources: LanguageResources) -> None:
    assert resources.family("pt").lang == "pt"
    assert resources.family("pt-BR") is resources.family("pt")
    assert resources.family("en").budget_unit == "words"
    assert resources.family("zh-Hant").lang == "zh-Hant"
    assert resources.family("zh-TW").lang == "zh-Hant"
    assert resources.family("zh-CN").lang == "zh-Hans"
    assert resources.family("zh").lang == "zh"
    assert resources.family("zh-Hans").budget_unit == "chars"
    assert resources.family("ja").budget_unit == "chars"
    korean = resources.family("ko")
    assert korean.is_fallback and not resources.family("pt").is_fallback
    assert resources.family("th").budget_unit == "chars"


def test_parse_tag() -> None:
    assert parse_tag("zh-hant-TW") == ("zh", "Hant", "tw")
    assert parse_tag("pt_BR") == ("pt", None, "br")
    assert parse_tag("") == ("und", None, None)


def test_opencc_round_trip(resources: LanguageResources) -> None:
    assert resources.to_simplified("英偉達發佈了") == "英伟达发布了"
    assert resources.to_traditional("英伟达发布了") == "英偉達發佈了"


def test_portuguese_does_not_load_cjk_segmenters() -> None:
    code = (
        "import sys\n"
        "from site_builder.languages.resources import LanguageResources\n"
        "family = LanguageResources().family('pt')\n"
        "family.split_sentences('Olá. Mundo.')\n"
        "family.tokenize('O Sr. Silva pagou.')\n"
        "family.find_names('O Sr. Silva pagou.')\n"
        "heavy = ('jieba', 'sudachipy', 'opencc', 'py3langid')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
    assert result.stderr == ""


def test_jieba_is_loaded_without_pkg_resources_and_finds_its_data() -> None:
    """jieba, shown no pkg_resources, reads its dictionary and models from beside its
    code, tags as usual and warns nothing; pkg_resources can still be imported later."""
    code = (
        "import sys\n"
        "from site_builder.languages.resources import LanguageResources\n"
        "family = LanguageResources().family('zh-Hans')\n"
        "print(family.tokenize('英伟达的股价暴跌。')[0].text)\n"
        "print('pkg_resources' in sys.modules)\n"
        "import pkg_resources\n"
        "print(pkg_resources.__name__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-W", "ignore::DeprecationWarning", "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split("\n")[:3] == ["英伟达", "False", "pkg_resources"]
    assert "jieba" not in result.stderr
    assert "Traceback" not in result.stderr


# --- Latin family -------------------------------------------------------------------------


def test_portuguese_abbreviations_and_decimals(resources: LanguageResources) -> None:
    pt = resources.family("pt")
    assert pt.split_sentences("O Sr. Silva pagou US$ 4.5 milhões.") == [
        "O Sr. Silva pagou US$ 4.5 milhões."
    ]
    assert pt.split_sentences("A Dra. Ana pagou R$ 1.000,50 ontem. Depois saiu.") == [
        "A Dra. Ana pagou R$ 1.000,50 ontem.",
        "Depois saiu.",
    ]
    assert pt.split_sentences("J. R. R. Tolkien nasceu. Veja p. ex. o livro.") == [
        "J. R. R. Tolkien nasceu.",
        "Veja p. ex. o livro.",
    ]
    assert pt.split_sentences("Nos U.S. Army ele serviu. St. Louis é longe. No. 5 venceu.") == [
        "Nos U.S. Army ele serviu.",
        "St. Louis é longe.",
        "No. 5 venceu.",
    ]


def test_portuguese_urls_ellipses_quotes(resources: LanguageResources) -> None:
    pt = resources.family("pt")
    assert pt.split_sentences("Veja https://exemplo.com.br/a.b?c=1 ou foo.bar@ex.com. Fim.") == [
        "Veja https://exemplo.com.br/a.b?c=1 ou foo.bar@ex.com.",
        "Fim.",
    ]
    assert pt.split_sentences("Ele hesitou... e saiu. Voltou (…) Depois.") == [
        "Ele hesitou... e saiu.",
        "Voltou (…) Depois.",
    ]
    assert pt.split_sentences("Ele disse: “Vou sair. Volto logo.” Depois partiu! Certo?") == [
        "Ele disse: “Vou sair. Volto logo.”",
        "Depois partiu!",
        "Certo?",
    ]
    assert pt.split_sentences("Linha um\nLinha dois") == ["Linha um", "Linha dois"]


def test_portuguese_tokens(resources: LanguageResources) -> None:
    pt = resources.family("pt")
    tokens = pt.tokenize(
        "A Anthropic lançou o GPT-4 e o DeepSeek-R1 por US$ 4.5 milhões, rapidamente."
    )
    table = {t.text: (t.norm, t.pos, t.is_stop) for t in tokens}
    assert table["A"] == ("a", "X", True)
    assert table["Anthropic"] == ("anthropic", "PROPN", False)
    assert table["GPT-4"][1] == "PROPN"
    assert table["DeepSeek-R1"] == ("deepseek-r1", "PROPN", False)
    assert table["4.5"][1] == "NUM"
    assert table["$"][1] == "SYM"
    assert table["rapidamente"][1] == "ADV"
    assert table[","][1] == "PUNCT"
    assert pt.measure("O Sr. Silva pagou US$ 4.5 milhões.") == 7


def test_portuguese_names(resources: LanguageResources) -> None:
    pt = resources.family("pt")
    names = pt.find_names(
        "Dario Amodei, CEO da Anthropic, falou com o Banco do Brasil sobre o R1 e a NVIDIA."
    )
    surfaces = [n[0] for n in names]
    assert surfaces == ["Dario Amodei", "CEO da Anthropic", "Banco do Brasil", "R1", "NVIDIA"]
    assert ("R1", "product", "alphanumeric") in names
    assert pt.find_names("O Sr. Silva chegou.") == [("Silva", "person", "honorific")]
    # A plain capitalised first word is no name; one capitalised elsewhere is.
    assert pt.find_names("Ontem choveu.") == []
    assert [n[0] for n in pt.find_names("Amodei falou.\nDepois, Amodei saiu.")] == [
        "Amodei",
        "Amodei",
    ]
    # Headings in capitals are not acronyms.
    assert pt.find_names("FONTES:") == []


def test_overlong_sentence_is_capped(resources: LanguageResources) -> None:
    for lang, unit in (("pt", "palavra "), ("zh-Hans", "没有标点的句子"), ("ja", "句読点のない文")):
        family = resources.family(lang)
        text = (unit * (4000 // len(unit) + 1))[:4000]
        sentences = family.split_sentences(text)
        assert len(sentences) > 1, lang
        assert max(len(s) for s in sentences) <= 600, lang
        assert "".join(_non_space(s) for s in sentences) == _non_space(text)


def test_unbalanced_quote_does_not_glue_sentences(resources: LanguageResources) -> None:
    zh = resources.family("zh-Hans")
    text = "他说：“这很好。" + "我们继续前进。" * 100
    assert len(zh.split_sentences(text)) > 50
    pt = resources.family("pt")
    assert len(pt.split_sentences("Ele disse: “Isto é bom. " + "Nós seguimos. " * 80)) > 40


# --- Chinese family -----------------------------------------------------------------------


def test_chinese_quotes_stay_with_sentence(resources: LanguageResources) -> None:
    zh = resources.family("zh-Hans")
    assert zh.split_sentences(
        "他说：「我们走吧。」然后离开了。“这并不是结论。”美国呢？是的……好"
    ) == [
        "他说：「我们走吧。」",
        "然后离开了。",
        "“这并不是结论。”",
        "美国呢？",
        "是的……",
        "好",
    ]
    # A terminator inside a short quote does not end the sentence.
    assert zh.split_sentences("他说“好。走吧”，然后走了。") == ["他说“好。走吧”，然后走了。"]
    assert zh.split_sentences("真的!好的?Yahoo!新闻") == ["真的!", "好的?", "Yahoo!新闻"]


def test_chinese_tokens(resources: LanguageResources) -> None:
    hans = resources.family("zh-Hans")
    hant = resources.family("zh-Hant")
    simplified = [
        t.text for t in hans.tokenize("英伟达股价暴跌,OpenAI的o1-mini模型和DeepSeek-R1发布")
    ]
    assert "英伟达" in simplified
    assert {"OpenAI", "o1-mini", "DeepSeek-R1"} <= set(simplified)
    traditional = hant.tokenize("英偉達股價暴跌，DeepSeek在週一震撼了全球科技股。")
    by_text = {t.text: t for t in traditional}
    assert by_text["英偉達"].norm == "英伟达"
    assert by_text["英偉達"].pos == "PROPN"
    assert by_text["DeepSeek"].norm == "deepseek"
    assert by_text["的" if "的" in by_text else "了"].is_stop
    assert by_text["。"].pos == "PUNCT"
    assert hans.measure("DeepSeek发布了R1模型。") == 7  # 5 Han + 2 Latin words


def test_chinese_names(resources: LanguageResources) -> None:
    hans = resources.family("zh-Hans")
    names = hans.find_names("美国知名投资家马克·安德森说,英伟达和OpenAI的o1-mini在硅谷很有名。")
    assert ("马克·安德森", "person", "jieba:nr·") in names
    assert ("英伟达", "organization", "jieba:nt") in names
    assert ("美国", "place", "jieba:ns") in names
    assert ("OpenAI", "other", "latin") in names
    assert ("o1-mini", "product", "latin") in names
    hant = resources.family("zh-Hant")
    assert ("英偉達", "organization", "jieba:nt") in hant.find_names("英偉達的股價暴跌。")


# --- Japanese family ----------------------------------------------------------------------


def test_japanese_tokens_and_names(resources: LanguageResources) -> None:
    ja = resources.family("ja")
    tokens = ja.tokenize("DeepSeek-R1はOpenAI o1-miniに匹敵し、米国で話題になった。")
    by_text = {t.text: t for t in tokens}
    assert {"DeepSeek-R1", "OpenAI", "o1-mini"} <= set(by_text)
    assert by_text["o1-mini"].norm == "o1-mini"
    assert by_text["米国"].pos == "PROPN"
    assert by_text["は"].is_stop
    assert by_text["匹敵"].pos == "NOUN"
    assert by_text["なっ"].norm == "成る"
    names = ja.find_names("マーク・アンドリーセンは米国のエヌビディアとDeepSeek-R1を語った。")
    assert ("マーク・アンドリーセン", "person", "katakana") in names
    assert ("米国", "place", "sudachi:地名") in names
    assert ("DeepSeek-R1", "product", "latin") in names
    assert any(n[0] == "エヌビディア" for n in names)
    assert ja.split_sentences("彼は「行こう。」と言った。次だ！") == [
        "彼は「行こう。」と言った。",
        "次だ！",
    ]


def test_japanese_names_reuse_the_lines_tokenize_segmented() -> None:
    """find_names gets an article's sentences joined by line breaks, after tokenize had
    each of them: Sudachi does not run again, and the names are those found without."""
    sentences = [
        "マーク・アンドリーセンは米国のエヌビディアを語った。",
        "DeepSeek-R1は話題になった。",
    ]
    text = "\n".join(sentences)
    expected = LanguageResources().family("ja").find_names(text)
    ja = LanguageResources().family("ja")
    for sentence in sentences:
        ja.tokenize(sentence)
    sudachi = ja._tokenizer  # type: ignore[attr-defined]
    asked: list[str] = []

    class CountingTokenizer:
        def tokenize(self, chunk: str) -> Any:
            asked.append(chunk)
            return sudachi.tokenize(chunk)

    ja._tokenizer = CountingTokenizer()  # type: ignore[attr-defined]
    assert ja.find_names(text) == expected
    assert asked == []
    assert ("米国", "place", "sudachi:地名") in expected
    assert ("DeepSeek-R1", "product", "latin") in expected
    # The next article's lines are segmented anew: the memo does not outgrow an article.
    assert ja.find_names(text) == expected
    assert asked


def test_japanese_long_input_is_chunked(resources: LanguageResources) -> None:
    ja = resources.family("ja")
    punctuated = "これは長い日本語の文章です。" * 4000
    unpunctuated = "あいうえおかきくけこ" * 2000  # 60,000 bytes without a break
    for text in (punctuated, unpunctuated):
        assert len(text.encode()) > 49_149
        tokens = ja.tokenize(text)
        assert "".join(t.text for t in tokens) == text


@given(st.text(alphabet=st.sampled_from("ab \t\n\u3000\u00a0\u200b\u2028\x1c\u5b57"), max_size=12))
def test_non_space_spans_are_the_non_space_runs(text: str) -> None:
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            expected = [
                (start + m.start(), start + m.end()) for m in re.finditer(r"\S+", text[start:end])
            ]
            assert non_space_spans(text, start, end) == expected


def test_line_segments_shift_units_and_segment_each_line_once() -> None:
    asked: list[str] = []

    def words(line: str) -> list[tuple[int, int]]:
        asked.append(line)
        return [(m.start(), m.end()) for m in re.finditer(r"\S+", line)]

    segments = LineSegments(words, lambda span, offset: (span[0] + offset, span[1] + offset))
    text = "ab cd\n\nef"
    assert segments(text) == [(0, 2), (3, 5), (7, 9)]
    assert segments("ab cd") == [(0, 2), (3, 5)]
    assert asked == ["ab cd", "", "ef"]  # the second call found its line done
    segments.clear()
    segments("ab cd")
    assert asked[-1] == "ab cd"


def test_chunk_by_bytes() -> None:
    text = "一二三。" * 100
    chunks = chunk_by_bytes(text, 100, "。")
    assert "".join(chunks) == text
    assert all(len(c.encode()) <= 100 and c.endswith("。") for c in chunks)
    assert "".join(chunk_by_bytes("x" * 1000, 7, "")) == "x" * 1000


def test_latin_runs() -> None:
    text = "在OpenAI的o1-mini和GPT-4o,R1与1000亿美元"
    assert [text[a:b] for a, b in latin_runs(text)] == ["OpenAI", "o1-mini", "GPT-4o", "R1"]


# --- fallback -----------------------------------------------------------------------------


def test_unsupported_languages_use_fallback(resources: LanguageResources) -> None:
    korean = resources.family("ko")
    assert korean.split_sentences("안녕하세요. 세계 여러분! DeepSeek R1 출시") == [
        "안녕하세요.",
        "세계 여러분!",
        "DeepSeek R1 출시",
    ]
    assert [t.text for t in korean.tokenize("DeepSeek R1 출시")] == ["DeepSeek", "R1", "출시"]
    assert ("DeepSeek", "other", "latin") in korean.find_names("DeepSeek R1 출시")
    thai = resources.family("th")
    assert thai.is_fallback
    assert thai.tokenize("สวัสดีครับ")
    assert thai.measure("สวัสดีครับ") > 0
    assert resources.family("ru").split_sentences("Привет. Как дела?") == ["Привет.", "Как дела?"]


# --- properties ---------------------------------------------------------------------------

_ALPHABET = st.one_of(
    st.sampled_from(list("。！？!?.…「」『』“”\"'()（）、，,·・ー \n\t")),
    st.sampled_from(list("中国美國英偉達のはがをアイウカタナabcXYZ019-")),
    st.characters(exclude_categories=["Cs"]),
)
_TEXT = st.text(alphabet=_ALPHABET, max_size=300)
_LANGS = ["pt", "en", "zh-Hans", "zh-Hant", "ja", "ko", "th"]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=_TEXT, lang=st.sampled_from(_LANGS))
def test_families_never_lose_characters(text: str, lang: str, resources: LanguageResources) -> None:
    family: LanguageFamily = resources.family(lang)
    sentences = family.split_sentences(text)
    assert "".join(_non_space(s) for s in sentences) == _non_space(text)
    assert all(s and s == s.strip() for s in sentences)
    tokens = family.tokenize(text)
    assert "".join(t.text for t in tokens) == _non_space(text)
    assert all(t.text and not t.text.isspace() for t in tokens)
    for surface, _kind, _signal in family.find_names(text):
        assert surface in text
    assert family.measure(text) >= 0


def test_fast_jieba_tagger_gives_jiebas_output() -> None:
    """The faster Viterbi decoder picks exactly what jieba's own does, on the sample's
    Chinese articles and on runs of rare characters (names jieba must guess)."""
    import jieba
    import jieba.posseg

    from site_builder.languages.jieba_tagger import fast_pos_tokenizer

    resources = LanguageResources()
    texts = [
        resources.to_simplified(path.read_text("utf-8"))
        for path in sorted((SAMPLE_CONTENT / "articles").iterdir())
    ]
    texts += ["梁文锋说", "乔纳森·罗斯与黄仁勋在硅谷会面", "鬯爨龘齉靐", "吖"]
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    reference = jieba.posseg.POSTokenizer(tokenizer)
    fast = fast_pos_tokenizer(tokenizer)
    for text in texts:
        expected = [(p.word, p.flag) for p in reference.cut(text)]
        assert [(p.word, p.flag) for p in fast.cut(text)] == expected


@pytest.fixture(scope="module")
def jiebas_prefix_dictionary() -> tuple[list[tuple[str, int]], int]:
    """jieba's own prefix dictionary (its words and frequencies in order) and total."""
    import jieba

    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return list(tokenizer.FREQ.items()), tokenizer.total


def _kept_copies(folder: Path) -> list[Path]:
    return sorted(folder.glob("site-builder-jieba-*.prefix"))


def test_the_kept_prefix_dictionary_is_jiebas(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    jiebas_prefix_dictionary: tuple[list[tuple[str, int]], int],
) -> None:
    """The first process makes the copy with jieba; the next loads the same words, in
    the same order, with the same frequencies and total, without jieba's loader."""
    import jieba

    from site_builder.languages.jieba_tagger import initialize_tokenizer

    first = jieba.Tokenizer()
    initialize_tokenizer(first, tmp_path)
    (copy,) = _kept_copies(tmp_path)
    assert copy.stat().st_mode & 0o077 == 0
    assert (list(first.FREQ.items()), first.total) == jiebas_prefix_dictionary

    def no_loading(self: Any, dictionary: Any = None) -> None:
        raise AssertionError("jieba's loader ran although the copy was there")

    monkeypatch.setattr(jieba.Tokenizer, "initialize", no_loading)
    second = jieba.Tokenizer()
    initialize_tokenizer(second, tmp_path)
    assert second.initialized
    assert (list(second.FREQ.items()), second.total) == jiebas_prefix_dictionary
    assert [p.name for p in tmp_path.iterdir()] == [copy.name]


@pytest.mark.parametrize("damage", WORD_TABLE_DAMAGES)
def test_a_damaged_or_unsafe_prefix_copy_is_made_again(
    tmp_path: Path,
    damage: Callable[[Path], None],
    jiebas_prefix_dictionary: tuple[list[tuple[str, int]], int],
) -> None:
    """A copy that is not whole, or that another user could have written, is not read:
    jieba loads its dictionary, and the copy is made again."""
    import jieba

    from site_builder.languages.jieba_tagger import initialize_tokenizer

    initialize_tokenizer(jieba.Tokenizer(), tmp_path)
    (copy,) = _kept_copies(tmp_path)
    good = copy.read_bytes()
    damage(copy)
    tokenizer = jieba.Tokenizer()
    initialize_tokenizer(tokenizer, tmp_path)
    assert (list(tokenizer.FREQ.items()), tokenizer.total) == jiebas_prefix_dictionary
    assert _kept_copies(tmp_path) == [copy]
    assert copy.read_bytes() == good
    assert copy.stat().st_mode & 0o077 == 0


@pytest.fixture(scope="module")
def jiebas_word_tags() -> list[tuple[str, str]]:
    """The word tags jieba.posseg reads from its default dictionary, in order."""
    import jieba
    import jieba.posseg

    return list(jieba.posseg.POSTokenizer(jieba.Tokenizer()).word_tag_tab.items())


def test_the_kept_word_tags_are_jiebas(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jiebas_word_tags: list[tuple[str, str]]
) -> None:
    """The first call reads the tags with jieba's reader and keeps a copy; the next loads
    the same words, in the same order, with the same tags, without jieba's reader."""
    import jieba.posseg

    from site_builder.languages.jieba_tagger import default_word_tags

    assert list(default_word_tags(tmp_path).items()) == jiebas_word_tags
    (copy,) = tmp_path.glob("site-builder-jieba-*.tags")
    assert copy.stat().st_mode & 0o077 == 0

    def no_reading(self: Any, dictionary_file: Any) -> None:
        raise AssertionError("jieba's reader ran although the copy was there")

    monkeypatch.setattr(jieba.posseg.POSTokenizer, "load_word_tag", no_reading)
    assert list(default_word_tags(tmp_path).items()) == jiebas_word_tags
    assert [p.name for p in tmp_path.iterdir()] == [copy.name]


@pytest.mark.parametrize("damage", WORD_TABLE_DAMAGES)
def test_a_damaged_or_unsafe_word_tags_copy_is_made_again(
    tmp_path: Path, damage: Callable[[Path], None], jiebas_word_tags: list[tuple[str, str]]
) -> None:
    from site_builder.languages.jieba_tagger import default_word_tags

    default_word_tags(tmp_path)
    (copy,) = tmp_path.glob("site-builder-jieba-*.tags")
    good = copy.read_bytes()
    damage(copy)
    assert list(default_word_tags(tmp_path).items()) == jiebas_word_tags
    assert copy.read_bytes() == good
    assert copy.stat().st_mode & 0o077 == 0


def test_jieba_posseg_imported_with_the_kept_tags_is_as_jieba_leaves_it(tmp_path: Path) -> None:
    """In a fresh interpreter with the copies made, importing jieba.posseg for the tagger
    opens no dictionary file: its own tokenizer gets the kept tags, and it and ours tag as
    a tokenizer that read the dictionary does. The first interpreter makes the copies."""
    code = (
        "import sys\n"
        "opened = []\n"
        "sys.addaudithook(lambda event, args: event == 'open' and opened.append(str(args[0])))\n"
        "from site_builder.languages.resources import LanguageResources\n"
        "ours = LanguageResources().jieba_pos_tokenizer()\n"
        "import jieba, jieba.posseg\n"
        "print(any(name.endswith(jieba.DEFAULT_DICT_NAME) for name in opened))\n"
        "text = '梁文锋说英伟达的股价暴跌，乔纳森·罗斯表示强化学习很重要。'\n"
        "print([tuple(p) for p in ours.cut(text)])\n"
        "print([tuple(p) for p in jieba.posseg.cut(text)])\n"
        "reader = jieba.posseg.POSTokenizer(jieba.Tokenizer())\n"
        "print([tuple(p) for p in reader.cut(text)])\n"
        "print(list(jieba.posseg.dt.word_tag_tab.items()) == list(reader.word_tag_tab.items()))\n"
    )
    environment = {**os.environ, "TMPDIR": str(tmp_path)}
    runs = [
        subprocess.run(
            [sys.executable, "-W", "ignore::DeprecationWarning", "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env=environment,
        ).stdout.split("\n")
        for _ in range(2)
    ]
    assert runs[0][0] == "True"  # no copies yet: read from jieba's dictionary
    assert runs[1][0] == "False"
    for lines in runs:
        assert lines[1] == lines[2] == lines[3]
        assert "('梁文锋', 'nr')" in lines[1]
        assert lines[4] == "True"
    assert len(list(tmp_path.glob("site-builder-jieba-*.tags"))) == 1


def test_a_prefix_copy_that_cannot_be_written_leaves_nothing_behind(
    tmp_path: Path, jiebas_prefix_dictionary: tuple[list[tuple[str, int]], int]
) -> None:
    """A folder where the copy should go: jieba's own loading serves, and the half-made
    copy is removed."""
    import jieba

    from site_builder.languages.jieba_tagger import (
        _PREFIX_FORMAT,
        _copy_path,
        initialize_tokenizer,
    )

    blocked = _copy_path(tmp_path, _PREFIX_FORMAT, "prefix")
    assert blocked is not None
    blocked.mkdir()
    (blocked / "keep").write_text("x")
    tokenizer = jieba.Tokenizer()
    initialize_tokenizer(tokenizer, tmp_path)
    assert (list(tokenizer.FREQ.items()), tokenizer.total) == jiebas_prefix_dictionary
    assert [p.name for p in tmp_path.iterdir()] == [blocked.name]


@pytest.mark.parametrize(
    "lang",
    [
        "pt",
        "pt-BR",
        "en",
        "zh",
        "zh-Hant",
        "zh-TW",
        "zh-Hans-CN",
        "yue",
        "ja",
        "ja-JP",
        "zha",
        "ko",
        "ru",
        "sr-Cyrl",
        "sr-Latn",
        "pt-Cyrl",
        "und",
        "ar",
    ],
)
def test_is_fallback_tells_without_a_family_what_the_family_says(
    resources: LanguageResources, lang: str
) -> None:
    # The build asks is_fallback for every article, cached ones too; it must agree with
    # the family it would create, without loading jieba or Sudachi.
    assert LanguageResources.is_fallback(lang) == resources.family(lang).is_fallback


# The Latin word-shape tests as first written; the shipped ones settle most words with
# str methods first, and must answer exactly the same.
def _camel_reference(word: str) -> bool:
    return any(ch.isupper() for ch in word[1:]) and any(ch.islower() for ch in word)


def _acronym_reference(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _alphanumeric_reference(word: str) -> bool:
    return word[0].isalpha() and any(ch.isdigit() for ch in word)


def _shape_tests() -> list[tuple[Any, Any]]:
    from site_builder.languages import latin

    return [
        (latin._is_camel, _camel_reference),
        (latin._is_acronym, _acronym_reference),
        (latin._is_alphanumeric_name, _alphanumeric_reference),
    ]


# Characters of every kind the shortcuts reason about: capitals, small letters, title
# case, uncased letters, digits, and cased symbols that are not letters (ⓐ, Ⓐ).
_SHAPE_CHARS = "AZaz\u01c5\u01c6\u00aa\u4e2d\u30ab09\u0663\u24d0\u24b6-_.\u2160\u2170\u00b2"


@given(st.text(alphabet=_SHAPE_CHARS, min_size=1, max_size=6))
@settings(max_examples=3000, deadline=None)
def test_latin_word_shapes_answer_as_first_written(word: str) -> None:
    for shipped, reference in _shape_tests():
        assert shipped(word) == reference(word), (shipped.__name__, word)


def test_latin_word_shapes_answer_as_first_written_for_every_character_pair() -> None:
    # Every cased character and digit (and one in 40 of the rest: uncased letters and
    # symbols all behave alike), alone and beside a capital, a small letter and a digit.
    for code in range(0x30000):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        cased_or_digit = char.isupper() or char.islower() or char.istitle() or char.isdigit()
        if not cased_or_digit and code % 40:
            continue
        for word in (char, "A" + char, "a" + char, "1" + char, char + "A"):
            for shipped, reference in _shape_tests():
                assert shipped(word) == reference(word), (shipped.__name__, word)


@given(
    st.text(alphabet="“”‘’«»「」『』（）()《》【】〈〉〔〕[]{}\"'ab .\\^-", max_size=30),
    st.integers(min_value=0, max_value=30),
)
@settings(max_examples=3000, deadline=None)
def test_quote_regions_answer_as_first_written(line: str, max_length: int) -> None:
    # Looking only at the quote characters finds what looking at every character does.
    from site_builder.languages import _matched_regions, quote_regions

    every_character = _matched_regions(enumerate(line), max_length)
    assert quote_regions(line, max_length) == every_character


# --- word frequencies (languages/frequency.py) -------------------------------------------


def test_whole_word_zipf_keeps_wordfreqs_values_above_its_floor() -> None:
    import math

    from wordfreq import get_frequency_dict

    from site_builder.languages.frequency import FLOOR_ZIPF, whole_word_zipf

    for lang, words in {
        "zh": ["中国", "公司", "模型", "深度求索", "蒸馏"],
        "ja": ["日本", "会社", "モデル", "蒸留"],
        "en": ["people", "country", "model", "distillation", "nvidia"],
    }.items():
        full = get_frequency_dict(lang)
        for word in words:
            zipf = math.log10(full[word]) + 9 if full.get(word) else 0.0
            expected = zipf if zipf >= FLOOR_ZIPF else 0.0
            assert whole_word_zipf(word, lang) == expected, (lang, word)
        assert any(0 < math.log10(full[w]) + 9 < FLOOR_ZIPF for w in words if w in full)
    assert whole_word_zipf("中國", "zh-Hant") == whole_word_zipf("中國", "zh")
    assert whole_word_zipf("people", "qaa") == 0.0  # a private-use tag: no list


def test_frequency_floor_is_below_every_threshold_that_reads_it() -> None:
    """Words below the floor read as Zipf 0: harmless only while every caller treats
    both alike (topics: generic above GENERIC_ZIPF; stories: full rarity below)."""
    from site_builder import stories, topics
    from site_builder.languages.frequency import FLOOR_ZIPF

    assert FLOOR_ZIPF <= topics.GENERIC_ZIPF
    assert FLOOR_ZIPF <= stories.COMMON_ZIPF - stories.RARITY_SPAN


# --- py3langid's model, kept uncompressed -------------------------------------------------


def _same_identifier(ours: Any, theirs: Any) -> bool:
    """Whether two py3langid identifiers hold the same model and settings, slot by slot."""
    import numpy as np

    def same(a: Any, b: Any) -> bool:
        if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
            return bool(a.dtype == b.dtype and np.array_equal(a, b))
        if isinstance(a, tuple):
            return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
        return bool(type(a) is type(b) and a == b)

    slots = type(theirs).__slots__
    return all(same(getattr(ours, slot), getattr(theirs, slot)) for slot in slots)


@pytest.fixture(scope="module")
def py3langids_identifier() -> Any:
    import py3langid.langid as langid

    return langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)


_LANGID_SAMPLES = [
    "O modelo da DeepSeek custou pouco para treinar.",
    "英伟达的股价暴跌。",
    "The model was cheap to train.",
    "",
]


def test_the_kept_langid_model_is_py3langids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, py3langids_identifier: Any
) -> None:
    """The first call reads py3langid's compressed model and keeps it uncompressed; the
    next loads the copy without decompressing anything. Both give py3langid's own
    identifier, array by array, and its answers."""
    import lzma

    from site_builder.languages import langid_model

    first = langid_model.language_identifier(tmp_path)
    (copy,) = tmp_path.glob("site-builder-py3langid-*.npz")
    assert copy.stat().st_mode & 0o077 == 0

    def no_decompressing(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the compressed model was read although the copy was there")

    monkeypatch.setattr(lzma, "open", no_decompressing)
    second = langid_model.language_identifier(tmp_path)
    for ours in (first, second):
        assert _same_identifier(ours, py3langids_identifier)
        for text in _LANGID_SAMPLES:
            assert ours.classify(text) == py3langids_identifier.classify(text)
    assert [p.name for p in tmp_path.iterdir()] == [copy.name]


def _pickled_array(copy: Path) -> None:
    """A copy whose arrays are all there, one of them an array of pickled objects."""
    import numpy as np

    with np.load(copy) as data:
        arrays = {name: data[name] for name in data.files}
    arrays["classes"] = np.array(list(arrays["classes"]), dtype=object)
    with open(copy, "wb") as stream:
        np.savez(stream, **arrays)


def _one_array_less(copy: Path) -> None:
    import numpy as np

    with np.load(copy) as data:
        arrays = {name: data[name] for name in data.files if name != "out_feat"}
    with open(copy, "wb") as stream:
        np.savez(stream, **arrays)


@pytest.mark.parametrize("damage", [cut_short, _pickled_array, _one_array_less, writable_by_others])
def test_a_damaged_or_unsafe_langid_copy_is_made_again(
    tmp_path: Path, damage: Callable[[Path], None], py3langids_identifier: Any
) -> None:
    from site_builder.languages import langid_model

    langid_model.language_identifier(tmp_path)
    (copy,) = tmp_path.glob("site-builder-py3langid-*.npz")
    good = copy.read_bytes()
    damage(copy)
    assert _same_identifier(langid_model.language_identifier(tmp_path), py3langids_identifier)
    assert copy.read_bytes() == good
    assert copy.stat().st_mode & 0o077 == 0


# --- Latin tokens: the strong signal told, not found again --------------------------------

# Words with the shapes the strong signals look at (R1, GPT-4, OpenAI, EUA, iPhone), some
# of them stop words in capitals (US, WHO), and plain and capitalised ones, joined by
# spaces, connectors and sentence ends.
_LATIN_WORDS = st.sampled_from(
    ["R1", "GPT-4", "o1", "OpenAI", "DeepSeek", "iPhone", "EUA", "IA", "U.S.", "Dario",
     "Amodei", "de", "da", "e", "the", "modelo", "custou", "pouco", "Mas", "Google",
     "Sr.", "2025", "3,5", "ÉPOCA", "Ñandú", "x86", "McDonald's", "l'IA", "A.I.", "US",
     "IT", "WHO", "AI", "NO", "Os", "OS", "eBay"]
)  # fmt: skip
_LATIN_GAPS = st.sampled_from([" ", " ", " ", ", ", ". ", "\n", " - ", "? "])


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(_LATIN_WORDS, _LATIN_GAPS), min_size=1, max_size=25))
def test_latin_tokens_are_those_of_words_tested_one_by_one(
    resources: LanguageResources, parts: list[tuple[str, str]]
) -> None:
    """tokenize tells _word_token each word's strong signal (from the name signals); the
    tokens are those _word_token gives when it tests every word itself."""
    text = "".join(word + gap for word, gap in parts).strip()
    for lang in ("pt", "en"):
        family = resources.family(lang)
        told = family.tokenize(text)

        original = type(family)._word_token

        def tested(self: Any, *args: Any, _original: Any = original) -> Any:
            return _original(self, *args[:6])  # all but `strong`

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(type(family), "_word_token", tested)
            assert family.tokenize(text) == told, (lang, text)


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)), max_size=8))
def test_offsets_in_name_spans(spans: list[tuple[int, int]]) -> None:
    from site_builder.languages.latin import _in_spans, _span_search

    ordered = sorted((start, start + length, "other", "capitalised") for start, length in spans)
    starts, reach = _span_search(ordered)  # type: ignore[arg-type]
    for offset in range(85):  # every offset, each span's ends among them
        expected = any(start <= offset < end for start, end, _, _ in ordered)
        assert _in_spans(offset, starts, reach) == expected, offset
