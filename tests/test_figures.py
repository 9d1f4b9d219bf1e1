"""Key figures: parsing amounts in every script, keys, and corroborated cross-article links."""

from __future__ import annotations

import shutil
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from site_builder.analysis.mentions import FIGURE_PATTERN, find_figures, may_hold_figure
from site_builder.figures import (
    COUNT_PATTERN,
    TITLE_SENTENCE,
    Figure,
    figure_key,
    figure_label,
    figures_of,
    link_figures,
    parse_figure,
    rounded_key,
    scan_figures,
)
from site_builder.model import (
    Article,
    Digest,
    Mention,
    MentionKind,
    Topic,
    TopicMember,
)

from .conftest import SAMPLE_CONTENT
from .factories import analysed_article

# --- parsing --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "value", "unit", "kind"),
    [
        ("US$ 6 milhões", "pt", 6e6, "USD", "money"),
        ("US $ 6 milhões", "pt", 6e6, "USD", "money"),
        ("$6 million", "en", 6e6, "USD", "money"),
        ("6 million dollars", "en", 6e6, "USD", "money"),
        ("600万美元", "zh-Hans", 6e6, "USD", "money"),
        ("600萬美元", "zh-Hant", 6e6, "USD", "money"),
        ("600万ドル", "ja", 6e6, "USD", "money"),
        ("６００万美元", "zh-Hans", 6e6, "USD", "money"),  # full-width digits
        ("5890億美元", "zh-Hant", 5.89e11, "USD", "money"),
        ("5,890亿美元", "zh-Hans", 5.89e11, "USD", "money"),
        ("1萬億美元", "zh-Hant", 1e12, "USD", "money"),
        ("1兆ドル", "ja", 1e12, "USD", "money"),
        ("6000亿美元", "zh-Hans", 6e11, "USD", "money"),
        ("一千亿美元", "zh-Hans", 1e11, "USD", "money"),
        ("US$ 200 bilhões", "pt", 2e11, "USD", "money"),
        ("R$ 1,5 bilhão", "pt", 1.5e9, "BRL", "money"),
        ("um bilhão de dólares", "pt", 1e9, "USD", "money"),
        ("$1 trillion", "en", 1e12, "USD", "money"),
        ("200 美元", "zh-Hant", 200.0, "USD", "money"),
        ("20 euros", "pt", 20.0, "EUR", "money"),
        ("20欧元", "zh-Hans", 20.0, "EUR", "money"),
        ("300ユーロ", "ja", 300.0, "EUR", "money"),
        ("100 reais", "pt", 100.0, "BRL", "money"),
        ("500人民币", "zh-Hans", 500.0, "CNY", "money"),
        ("1000円", "ja", 1000.0, "JPY", "money"),
        ("1100万ポンド", "ja", 1.1e7, "GBP", "money"),
        ("17%", None, 17.0, "%", "percent"),
        ("17 %", "pt", 17.0, "%", "percent"),
        ("17％", "ja", 17.0, "%", "percent"),
        ("百分之十七", "zh-Hans", 17.0, "%", "percent"),
        ("17 per cent", "en", 17.0, "%", "percent"),
        ("95%", None, 95.0, "%", "percent"),
        ("17", None, 17.0, "", "count"),
        ("1.000", "pt", 1000.0, "", "count"),  # Portuguese groups thousands with dots
        ("1.5", "en", 1.5, "", "count"),  # English writes decimals with a dot
        ("1,500", "en", 1500.0, "", "count"),
        ("1,500", "pt", 1.5, "", "count"),
    ],
)
def test_parse_figure_in_every_script(
    text: str, lang: str | None, value: float, unit: str, kind: str
) -> None:
    figure = parse_figure(text, lang)
    assert figure is not None
    assert figure.value == pytest.approx(value)
    assert (figure.unit, figure.kind, figure.surface) == (unit, kind, text)
    assert not figure.vague


@pytest.mark.parametrize(
    ("text", "lang", "magnitude", "unit"),
    [
        ("数十亿美元", "zh-Hans", 1e9, "USD"),
        ("何十億ドル", "ja", 1e9, "USD"),
        ("bilhões de dólares", "pt", 1e9, "USD"),
        ("billions of dollars", "en", 1e9, "USD"),
        ("数ドル", "ja", 1.0, "USD"),
    ],
)
def test_vague_amounts_have_no_key(text: str, lang: str, magnitude: float, unit: str) -> None:
    figure = parse_figure(text, lang)
    assert figure is not None
    assert figure.vague and figure.approximate
    assert (figure.value, figure.unit) == (magnitude, unit)
    assert figure_key(figure) == ""


@pytest.mark.parametrize(
    "text",
    ["", "modelo R1", "2025年", "3,5 sonetos", "亿万美元", "多数元素", "4x", "30倍", "DeepSeek"],
)
def test_non_figures(text: str) -> None:
    assert parse_figure(text, "pt") is None or text == ""
    assert parse_figure(text) is None


@pytest.mark.parametrize(
    ("text", "lang", "surface"),
    [
        ("市值蒸发近6000亿美元,跌幅创纪录", "zh-Hans", "6000亿美元"),
        ("モデル学習コストを600万ドル以下に抑えた", "ja", "600万ドル"),
        ("DeepSeek声称仅花费不到600万美元", "zh-Hans", "600万美元"),
        ("a perda foi de quase US$ 200 bilhões", "pt", "US$ 200 bilhões"),
        ("it cost about $6 million", "en", "$6 million"),
        ("花費約750億美元", "zh-Hant", "750億美元"),
        ("有600多万用户", "zh-Hans", "600多万"),
    ],
)
def test_hedged_figures_keep_their_value(text: str, lang: str, surface: str) -> None:
    (figure,) = scan_figures(text, lang)
    assert figure.surface == surface and figure.approximate and not figure.vague
    assert figure_key(figure)


def test_scan_finds_amounts_percentages_and_counts_in_order() -> None:
    text = "Deepseek teve 50.000 chips em 2023, custaram US$ 1,5 bilhão, 17% do total."
    found = scan_figures(text, "pt", sentence=4)
    assert [(f.surface, f.kind, f.value, f.sentence) for f in found] == [
        ("50.000", "count", 50000.0, 4),
        ("US$ 1,5 bilhão", "money", 1.5e9, 4),
        ("17%", "percent", 17.0, 4),
    ]
    assert scan_figures("梁在2023年创建了公司,囤积了10,000个GPU", "zh-Hans")[0].value == 10000.0
    assert scan_figures("In 2023, 1.500 people", "en") == ()  # one and a half is no count


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.sampled_from([None, "pt", "en", "zh-Hans", "zh-Hant", "ja"]))
def test_parsing_arbitrary_text_never_raises(text: str, lang: str | None) -> None:
    figure = parse_figure(text, lang)
    if figure is not None:
        figure_key(figure)
        figure_label(figure)
    for found in scan_figures(text, lang):
        assert found.surface in text
        figure_key(found)
        rounded_key(found)


_FIGURE_ALPHABET = st.sampled_from(list("0123456789,.% 万萬亿億兆美元ドル$US百分之十七数約近"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_FIGURE_ALPHABET, max_size=20))
def test_parsing_figure_like_noise_never_raises(text: str) -> None:
    parse_figure(text)
    scan_figures(text, "zh-Hans")


# Figures are built slot by slot (number, scale, "de"/"of", currency), each slot also
# given wrong or empty fillers, in all cases and with the letters that casefold or match
# case-insensitively in surprising ways (İ, ı, ſ).
def _cased(words: list[str]) -> list[str]:
    return [form for word in words for form in (word, word.upper(), word.title())]


_FIGURE_SLOTS = (
    ["", "6", "１７", "1.500", "um", "uma", "one", "a", "an", "一千", "二", "数", "幾", "何"],
    ["", " "],
    ["", "万", "億", "百", "多", *_cased(["bilhão", "bilhões", "billion", "billions"])],
    ["", " ", " de ", " of ", " por cento", " percent", "%", "％", "分之"],
    [
        *["", "", "", "美元", "ドル", "円", "人民币", "İenes", "ıenes", "reaiſ", "dolar"],
        *_cased(["dólares", "dollar", "dollars", "reais", "real", "euro", "euros"]),
        *_cased(["libras esterlinas", "libras", "yuan", "yen", "ienes"]),
    ],
    ["", "", " ", ".", "x", "\n"],
)
_FIGURE_LIKE_TEXT = st.lists(
    st.tuples(*(st.sampled_from(slot) for slot in _FIGURE_SLOTS)).map("".join), max_size=3
).map(" ".join)


@settings(max_examples=1500, deadline=None)
@given(_FIGURE_LIKE_TEXT)
@example("数ドル")  # no digit or numeral: the "several" character and the currency
@example("um bilhão de reaiſ")  # ſ casefolds to s
@example("billions of İenes")  # İ and ı match i
@example("milhões de ıenes")
def test_the_quick_figure_test_never_hides_a_figure(text: str) -> None:
    # find_figures and scan_figures skip a text that may_hold_figure rules out; the
    # patterns themselves, run on every text, must find nothing in such a text.
    if not may_hold_figure(text):
        assert FIGURE_PATTERN.search(text) is None
        assert COUNT_PATTERN.search(text) is None
    assert find_figures(text) == [m.group(0).strip() for m in FIGURE_PATTERN.finditer(text)]


def test_the_quick_figure_test_on_the_sample_articles() -> None:
    # Every line of the real articles: those the quick test rules out hold no match of
    # either pattern, while the articles do hold figures.
    lines = [
        line
        for path in sorted((SAMPLE_CONTENT / "articles").iterdir())
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    ruled_out = [line for line in lines if not may_hold_figure(line)]
    assert 0 < len(ruled_out) < len(lines)
    for line in ruled_out:
        assert FIGURE_PATTERN.search(line) is None and COUNT_PATTERN.search(line) is None
    assert any(FIGURE_PATTERN.search(line) for line in lines)
    assert any(COUNT_PATTERN.search(line) for line in lines)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=99_999))
def test_han_and_latin_amounts_agree(n: int) -> None:
    han = parse_figure(f"{n}万美元", "zh-Hans")
    latin = parse_figure(f"US$ {n * 10_000:,}", "en")
    assert han is not None and latin is not None
    assert figure_key(han) == figure_key(latin)


# --- keys -----------------------------------------------------------------------------


def _key(text: str, lang: str | None = None) -> str:
    figure = parse_figure(text, lang)
    assert figure is not None, text
    return figure_key(figure)


@pytest.mark.parametrize(
    "forms",
    [
        [
            ("600万美元", "zh-Hans"),
            ("600萬美元", "zh-Hant"),
            ("600万ドル", "ja"),
            ("US$ 6 milhões", "pt"),
            ("US $ 6 milhões", "pt"),
            ("$6 million", "en"),
            ("6 million dollars", "en"),
        ],
        [("5890億美元", "zh-Hant"), ("5,890亿美元", "zh-Hans"), ("US$ 589 bilhões", "pt")],
        [
            ("1萬億美元", "zh-Hant"),
            ("1万亿美元", "zh-Hans"),
            ("$1 trillion", "en"),
            ("1兆ドル", "ja"),
        ],
        [("17%", "pt"), ("17 %", "pt"), ("17％", "ja"), ("百分之十七", "zh-Hans")],
    ],
)
def test_same_figure_same_key_across_scripts(forms: list[tuple[str, str]]) -> None:
    keys = {_key(text, lang) for text, lang in forms}
    assert len(keys) == 1


def test_keys_are_canonical() -> None:
    assert _key("600万美元") == "money:USD:6e6"
    assert _key("5890億美元") == "money:USD:5.89e11"
    assert _key("17%") == "percent:17"
    assert _key("50.000", "pt") == "count::5e4"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("600万美元", "6000亿美元"),
        ("600万美元", "1600萬美元"),
        ("6000亿美元", "1600萬美元"),
        ("600万美元", "600万欧元"),  # another currency
        ("600万美元", "560萬美元"),  # rounding is not equality
        ("17%", "17"),  # a percentage is not a count
        ("17%", "百分之七十"),
    ],
)
def test_different_figures_have_different_keys(one: str, other: str) -> None:
    assert _key(one) != _key(other)


def test_rounded_key_of_precise_figures() -> None:
    def rounded(text: str) -> str | None:
        figure = parse_figure(text)
        assert figure is not None
        return rounded_key(figure)

    assert rounded("560萬美元") == "money:USD:6e6"
    assert rounded("5890億美元") == "money:USD:6e11"
    assert rounded("600万美元") is None  # already round
    assert rounded("1.5 million dollars") is None  # 2 million is 25% away
    assert rounded("17%") is None  # percentages are cited exactly


def test_labels_are_readable_english() -> None:
    assert figure_label(Figure(6e6, "USD", "money", False, "")) == "US$ 6 million"
    assert figure_label(Figure(5.89e11, "USD", "money", False, "")) == "US$ 589 billion"
    assert figure_label(Figure(1e12, "USD", "money", False, "")) == "US$ 1 trillion"
    assert figure_label(Figure(17.0, "%", "percent", False, "")) == "17%"
    assert figure_label(Figure(50000.0, "", "count", False, "")) == "50,000"


# --- linking --------------------------------------------------------------------------


def _article(
    path: str,
    lang: str,
    sentences: list[str],
    names: dict[str, tuple[int, ...]] | None = None,
    title: str = "Untitled",
    kind: MentionKind = "organization",
) -> Article:
    """A minimal analysed article: sentences (one paragraph each after the first) and names."""
    return analysed_article(
        path,
        lang,
        sentences,
        title=title,
        entry_title=title,
        mentions=[Mention(text, kind, where, "test") for text, where in (names or {}).items()],
        slug=path.split(".")[0],
    )


class _T2S:
    """Traditional → Simplified for the few characters these tests use."""

    def to_simplified(self, text: str) -> str:
        return text.translate(str.maketrans("偉達軟訓練萬億", "伟达软训练万亿"))


_FILLER = ["Primeira frase.", "Segunda frase."]  # keeps the figures out of the lead


def test_shared_amount_with_shared_name_is_one_topic() -> None:
    pt = _article(
        "pt.txt",
        "pt",
        [*_FILLER, "A Zorbex gastou apenas US$ 6 milhões no treino."],
        {"Zorbex": (2,)},
    )
    zh = _article("zh.txt", "zh-Hans", [*_FILLER, "Zorbex仅花费不到600万美元。"], {"Zorbex": (2,)})
    ja = _article("ja.txt", "ja", [*_FILLER, "Zorbexは600万ドル以下に抑えた。"], {"Zorbex": (2,)})
    (topic,) = link_figures([pt, zh, ja], None, _T2S())
    assert (topic.key, topic.name, topic.kind) == ("money:USD:6e6", "US$ 6 million", "figure")
    assert [(m.article, m.surfaces, m.sentences) for m in topic.members] == [
        ("ja.txt", ("600万ドル",), (2,)),
        ("pt.txt", ("US$ 6 milhões",), (2,)),
        ("zh.txt", ("600万美元",), (2,)),
    ]
    assert topic.names == (
        ("ja", ("600万ドル",)),
        ("pt", ("US$ 6 milhões",)),
        ("zh-Hans", ("600万美元",)),
    )
    assert topic.members[1].reason == (
        "same amount US$ 6 million (US$ 6 milhões = 600万ドル = 600万美元); shared context: Zorbex"
    )


def test_shared_amount_without_shared_context_is_not_linked() -> None:
    # 1000亿美元: a joint venture in one article, a market loss in the other.
    venture = _article(
        "a.txt",
        "zh-Hant",
        [*_FILLER, "特朗普倡導了一項1000億美元的合資企業,由Orbitex發起。"],
        {"特朗普": (2,), "Orbitex": (2,)},
    )
    loss = _article(
        "b.txt",
        "zh-Hans",
        [*_FILLER, "Zorbex母公司损失了1000亿美元。", "特朗普表示这是警钟。"],
        {"Zorbex": (2,), "特朗普": (3,)},
    )
    assert link_figures([venture, loss], None, _T2S()) == ()


def test_generic_context_does_not_corroborate() -> None:
    # "AI" names too many things; 美国 is too common to tell two facts apart.
    essay = _article(
        "a.txt",
        "ja",
        [*_FILLER, "AI's $600 Billion Conundrum(米国AIの6000億ドルの難問)"],
        {"AI": (2,)},
    )
    loss = _article(
        "b.txt",
        "zh-Hans",
        [*_FILLER, "美国AI芯片股市值蒸发近6000亿美元。"],
        {"AI": (2,), "美国": (2,)},
    )
    assert link_figures([essay, loss], None, _T2S()) == ()


def test_percent_is_not_linked_to_a_count() -> None:
    one = _article("a.txt", "pt", [*_FILLER, "A Zorbex caiu 17%."], {"Zorbex": (2,)})
    two = _article(
        "b.txt", "en", [*_FILLER, "Zorbex hired 17,000 people and 17 more."], {"Zorbex": (2,)}
    )
    assert link_figures([one, two], None, _T2S()) == ()


def test_traditional_and_simplified_names_corroborate() -> None:
    one = _article("a.txt", "zh-Hant", [*_FILLER, "微軟表示將花費800億美元。"], {"微軟": (2,)})
    two = _article("b.txt", "zh-Hans", [*_FILLER, "微软计划投入约800亿美元。"], {"微软": (2,)})
    (topic,) = link_figures([one, two], None, _T2S())
    assert topic.key == "money:USD:8e10"
    assert "shared context: 微" in topic.members[0].reason


def test_topics_give_cross_language_context() -> None:
    one = _article("a.txt", "pt", [*_FILLER, "A Nvidia teve uma perda de 17% em um único dia."])
    two = _article("b.txt", "zh-Hans", [*_FILLER, "英伟达股价暴跌17%。"])
    nvidia = Topic(
        "nvidia",
        "NVIDIA",
        "organization",
        (("pt", ("Nvidia",)), ("zh-Hans", ("英伟达",))),
        (
            TopicMember("a.txt", ("Nvidia",), (2,), "same Latin name"),
            TopicMember("b.txt", ("英伟达",), (2,), "CC-CEDICT"),
        ),
    )
    (topic,) = link_figures([one, two], [nvidia], _T2S())
    assert (topic.key, topic.name) == ("percent:17", "17%")
    assert topic.members[0].reason == "same amount 17% (17%); shared context: NVIDIA"
    # Without the topic, nothing says the two 17% are the same fact.
    assert link_figures([one, two], [], _T2S()) == ()


def test_a_precise_figure_joins_the_round_one_it_rounds_to() -> None:
    round_one = _article(
        "a.txt", "zh-Hans", [*_FILLER, "Zorbex仅花费不到600万美元。"], {"Zorbex": (2,)}
    )
    precise = _article(
        "b.txt", "zh-Hant", [*_FILLER, "Zorbex的560萬美元培訓估算。"], {"Zorbex": (2,)}
    )
    (topic,) = link_figures([round_one, precise], None, _T2S())
    assert topic.key == "money:USD:6e6"
    assert topic.members[1].reason == (
        "560萬美元 rounds to US$ 6 million (= 600万美元); shared context: Zorbex"
    )


def test_rounding_never_links_two_precise_figures() -> None:
    one = _article("a.txt", "zh-Hans", [*_FILLER, "Zorbex花费560万美元。"], {"Zorbex": (2,)})
    two = _article("b.txt", "zh-Hans", [*_FILLER, "Zorbex花费580万美元。"], {"Zorbex": (2,)})
    assert link_figures([one, two], None, _T2S()) == ()


def test_a_precise_figure_next_to_the_round_one_is_another_amount() -> None:
    # The article cites both 750億 and 800億: its 750億 is not 800億 rounded.
    both = _article(
        "a.txt",
        "zh-Hant",
        [*_FILLER, "Orbitex花費約750億美元,Zorbex花費800億美元。"],
        {"Orbitex": (2,), "Zorbex": (2,)},
    )
    other = _article(
        "b.txt",
        "zh-Hans",
        [*_FILLER, "Orbitex与Zorbex投入约800亿美元。"],
        {"Orbitex": (2,), "Zorbex": (2,)},
    )
    (topic,) = link_figures([both, other], None, _T2S())
    assert topic.members[0].surfaces == ("800億美元",)


def test_neighbouring_sentences_do_not_corroborate() -> None:
    one = _article(
        "a.txt", "zh-Hans", [*_FILLER, "Zorbex很强。", "公司损失了1000亿美元。"], {"Zorbex": (2,)}
    )
    two = _article("b.txt", "zh-Hans", [*_FILLER, "Zorbex投资1000亿美元。"], {"Zorbex": (2,)})
    assert link_figures([one, two], None, _T2S()) == ()


def test_the_headline_amount_links_through_the_lead() -> None:
    one = _article("a.txt", "zh-Hant", ["週一震撼了全球科技股。"], title="帶來1萬億美元市場的清算")
    two = _article("b.txt", "zh-Hans", ["触发科技股市高达1万亿美元的抛售。", "其他。"])
    (topic,) = link_figures([one, two], None, _T2S())
    assert topic.key == "money:USD:1e12"
    assert topic.members[0].sentences == ()  # found only in the title
    assert topic.members[0].reason.endswith("in the lead of both articles")
    # A percentage in two leads is too common to be the same fact on its own.
    three = _article("c.txt", "pt", ["Subiu 17%."])
    four = _article("d.txt", "en", ["It fell 17%."])
    assert link_figures([three, four], None, _T2S()) == ()


def test_title_figures_are_marked() -> None:
    one = _article("a.txt", "zh-Hans", ["无。"], title="1万亿美元")
    assert figures_of(one) == ()
    assert TITLE_SENTENCE == -1


def test_output_does_not_depend_on_article_order() -> None:
    articles = [
        _article("a.txt", "pt", [*_FILLER, "A Zorbex gastou US$ 6 milhões."], {"Zorbex": (2,)}),
        _article("b.txt", "zh-Hans", [*_FILLER, "Zorbex花费600万美元。"], {"Zorbex": (2,)}),
        _article("c.txt", "ja", [*_FILLER, "Zorbexは600万ドルを使った。"], {"Zorbex": (2,)}),
    ]
    assert link_figures(articles, None, _T2S()) == link_figures(articles[::-1], None, _T2S())


# --- the sample corpus ------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_digest(tmp_path_factory: pytest.TempPathFactory) -> Digest:
    """The sample corpus analysed WITHOUT the shipped topics.yaml."""
    from site_builder.pipeline import load_digest

    copy = tmp_path_factory.mktemp("figures") / "content"
    shutil.copytree(SAMPLE_CONTENT, copy)
    (copy / "topics.yaml").unlink()
    return load_digest(copy)


def _members(topic: Topic) -> list[str]:
    return [Path(m.article).name[:3] for m in topic.members]


def test_sample_corpus_key_figures(sample_digest: Digest, data_regression: Any) -> None:
    from site_builder.languages.resources import LanguageResources

    named = [t for t in sample_digest.topics if t.kind != "figure"]
    topics = link_figures(sample_digest.articles, named, LanguageResources())
    by_key = {t.key: t for t in topics}
    # DeepSeek's training cost: US $ 6 milhões, 560萬美元 (more precise), 600万ドル, 600万美元.
    assert _members(by_key["money:USD:6e6"]) == ["000", "002", "003", "004"]
    # NVIDIA's one-day fall, in Portuguese and Simplified Chinese.
    assert _members(by_key["percent:17"]) == ["001", "004"]
    # NVIDIA's lost market value: 5890億美元 and 近6000亿美元; not Ng's "$600 Billion" essay.
    assert _members(by_key["money:USD:6e11"]) == ["002", "004"]
    # A joint venture in 002 and Google's loss in 004: two facts, no topic.
    assert "money:USD:1e11" not in by_key
    data_regression.check([_summary(t) for t in topics])


def test_sample_corpus_without_topics_uses_names(sample_digest: Digest) -> None:
    from site_builder.languages.resources import LanguageResources

    topics = link_figures(sample_digest.articles, None, LanguageResources())
    by_key = {t.key: t for t in topics}
    assert _members(by_key["money:USD:6e6"]) == ["000", "002", "003", "004"]
    assert "money:USD:1e11" not in by_key


def _summary(topic: Topic) -> dict[str, Any]:
    data = asdict(topic)
    data["names"] = [[lang, list(forms)] for lang, forms in topic.names]
    data["members"] = [
        {
            "article": m.article,
            "surfaces": list(m.surfaces),
            "sentences": list(m.sentences),
            "reason": m.reason,
        }
        for m in topic.members
    ]
    return data


# --- corroboration over bit sets equals the pair-by-pair rule ---------------------------


def _pairwise_draft(
    occurrences: list[Any], context: Any
) -> tuple[set[Any], dict[str, set[tuple[bool, str]]], dict[str, set[str]], set[str]]:
    """The rule as written, pair by pair: the reference for _corroborate."""
    found: set[Any] = set()
    partners: dict[str, set[tuple[bool, str]]] = {}
    names: dict[str, set[str]] = {}
    lead: set[str] = set()
    for index, first in enumerate(occurrences):
        for second in occurrences[index + 1 :]:
            if first.article == second.article or not (first.exact or second.exact):
                continue
            mine = context.of(first.article, first.figure.sentence)
            theirs = context.of(second.article, second.figure.sentence)
            shared = {name for key, name in mine.items() if key in theirs}
            is_lead = not shared and first.lead and second.lead and first.figure.kind == "money"
            if not (shared or is_lead):
                continue
            found |= {first, second}
            for one, other in ((first, second), (second, first)):
                partners.setdefault(one.article, set()).add((not other.exact, other.figure.surface))
                names.setdefault(one.article, set()).update(shared)
                if is_lead:
                    lead.add(one.article)
    return found, partners, names, lead


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c", "d"]),  # article
            st.integers(0, 3),  # sentence
            st.booleans(),  # exact
            st.booleans(),  # lead
            st.sampled_from(["money", "percent"]),
            st.sampled_from(["6 milhões", "600万", "$6 million"]),
        ),
        max_size=9,
    ),
    st.dictionaries(
        st.tuples(st.sampled_from(["a", "b", "c", "d"]), st.integers(0, 3)),
        st.dictionaries(
            st.sampled_from(["topic:x", "topic:y", "name:z"]), st.sampled_from(["X", "x", "Y"])
        ),
    ),
)
def test_corroboration_equals_the_pairwise_rule(
    rows: list[tuple[str, int, bool, bool, str, str]],
    items: dict[tuple[str, int], dict[str, str]],
) -> None:
    from site_builder.figures import _Context, _corroborate, _Occurrence

    occurrences = sorted(
        (
            _Occurrence(
                article, "pt", Figure(6e6, "USD", kind, False, surface, sentence), exact, lead
            )
            for article, sentence, exact, lead, kind, surface in rows
        ),
        key=lambda o: (o.article, o.figure.sentence, o.figure.surface),
    )
    context = _Context(items)
    draft = _corroborate(occurrences, context)
    found, partners, names, lead = _pairwise_draft(occurrences, context)
    assert draft.occurrences == found
    assert {a: p for a, p in draft.partners.items() if p} == partners
    assert {a: n for a, n in draft.context.items() if n} == {a: n for a, n in names.items() if n}
    assert draft.lead == lead
