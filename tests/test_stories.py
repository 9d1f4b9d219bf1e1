"""Tests for site_builder.stories: "this story in other languages".

Records are built by hand (no segmenters, no eval data): a few short articles in pt, zh,
ja and en, and the topics the topic stage would give them.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_builder.model import (
    Article,
    MentionKind,
    StoryLink,
    Topic,
    TopicMember,
)
from site_builder.stories import (
    figures_in,
    latin_names,
    link_stories,
    score_story_pairs,
    story_language,
    story_pairs,
)

from .factories import analysed_article


def make_article(path: str, lang: str, title: str, *sentences: str) -> Article:
    return analysed_article(
        path,
        lang,
        sentences,
        title=title,
        title_line=title,
        word_count=sum(len(s) for s in sentences),
    )


def make_topic(key: str, name: str, kind: MentionKind, *paths: str) -> Topic:
    members = tuple(TopicMember(p, (name,), (0,), "test") for p in sorted(paths))
    return Topic(key=key, name=name, kind=kind, names=(("*", (name,)),), members=members)


# Story 1: a Chinese start-up's cheap model, in pt, zh-Hans, ja and en.
PT = make_article(
    "pt.txt",
    "pt",
    "Modelo R1 da DeepSeek abala a Nvidia",
    "A startup chinesa DeepSeek lançou o modelo R1 em 20 de janeiro.",
    "O treino custou cerca de US$ 6 milhões, segundo a empresa.",
    "As ações da Nvidia caíram 17% num só dia, perdendo US$ 589 mil milhões.",
)
ZH = make_article(
    "zh.txt",
    "zh-Hans",
    "深度求索R1模型冲击英伟达",
    "中国初创公司深度求索于1月20日发布了R1模型。",
    "该公司称，训练成本约为600万美元。",
    "英伟达股价一天内下跌17%，市值蒸发5890亿美元。",
)
JA = make_article(
    "ja.txt",
    "ja",
    "ディープシークのR1がエヌビディアを揺るがす",
    "中国のスタートアップ、ディープシークは1月20日にR1モデルを公開した。",
    "同社によると、訓練費用は約600万ドルだった。",
    "エヌビディアの株価は1日で17％下落し、時価総額5890億ドルを失った。",
)
EN = make_article(
    "en.txt",
    "en",
    "DeepSeek's R1 shakes Nvidia",
    "The Chinese start-up DeepSeek released its R1 model on January 20.",
    "Training cost about $6 million, the company said.",
    "Nvidia shares fell 17% in a day, wiping out $589 billion.",
)
# A second Portuguese article on story 1, written differently.
PT2 = make_article(
    "pt2.txt",
    "pt",
    "O que a DeepSeek mostrou",
    "Com o R1, a DeepSeek mostrou que um modelo barato pode competir.",
    "A Nvidia perdeu 17% do seu valor de mercado após o anúncio.",
    "O custo declarado de US$ 6 milhões surpreendeu o setor.",
)
# Stories 2 and 3: different stories that only share the country.
FLOODS_PT = make_article(
    "floods-pt.txt",
    "pt",
    "Cheias no sul da China",
    "Chuvas intensas no sul da China deixaram 43 mortos na província de Guangdong.",
    "Mais de 120.000 pessoas foram retiradas das suas casas.",
)
FAIR_ZH = make_article(
    "fair-zh.txt",
    "zh-Hans",
    "中国国际进口博览会在上海开幕",
    "第七届中国国际进口博览会在上海开幕，3496家企业参展。",
    "展会将持续六天。",
)

ARTICLES = (PT, ZH, JA, EN, PT2, FLOODS_PT, FAIR_ZH)
TOPICS = (
    make_topic(
        "deepseek", "DeepSeek", "organization", "pt.txt", "zh.txt", "ja.txt", "en.txt", "pt2.txt"
    ),
    make_topic(
        "nvidia", "NVIDIA", "organization", "pt.txt", "zh.txt", "ja.txt", "en.txt", "pt2.txt"
    ),
    make_topic(
        "china",
        "China",
        "place",
        "pt.txt",
        "zh.txt",
        "ja.txt",
        "en.txt",
        "floods-pt.txt",
        "fair-zh.txt",
    ),
)


@pytest.fixture(scope="module")
def links() -> tuple[StoryLink, ...]:
    return link_stories(ARTICLES, TOPICS)


def test_same_story_is_linked_in_every_language_pair(links: tuple[StoryLink, ...]) -> None:
    pairs = story_pairs(links)
    story = ["en.txt", "ja.txt", "pt.txt", "zh.txt"]
    for a in story:
        for b in story:
            if a < b:
                assert (a, b) in pairs, (a, b)


def test_evidence_names_shared_topics_and_figures(links: tuple[StoryLink, ...]) -> None:
    link = next(x for x in links if (x.article, x.other) == ("pt.txt", "zh.txt"))
    assert 0.0 < link.score <= 1.0
    assert {"deepseek", "nvidia", "6 million", "17%", "589 billion", "01-20"} <= set(link.evidence)
    # The country is the least specific evidence, listed after the names and figures.
    assert link.evidence.index("china") > link.evidence.index("deepseek")


def test_a_shared_country_alone_is_no_story(links: tuple[StoryLink, ...]) -> None:
    involved = {x.article for x in links} | {x.other for x in links}
    assert "floods-pt.txt" not in involved
    assert "fair-zh.txt" not in involved


def test_articles_in_one_language_are_never_linked(links: tuple[StoryLink, ...]) -> None:
    lang = {a.entry.path: story_language(a.analysis.language.lang) for a in ARTICLES}
    assert links
    assert all(lang[x.article] != lang[x.other] for x in links)


def test_two_articles_of_one_language_both_find_their_counterparts(
    links: tuple[StoryLink, ...],
) -> None:
    pairs = story_pairs(links)
    assert ("pt2.txt", "zh.txt") in pairs
    assert ("en.txt", "pt2.txt") in pairs


def test_links_come_in_both_directions_sorted(links: tuple[StoryLink, ...]) -> None:
    forward = {(x.article, x.other, x.score, x.evidence) for x in links}
    assert forward == {(x.other, x.article, x.score, x.evidence) for x in links}
    assert list(links) == sorted(links, key=lambda x: (x.article, -x.score, x.other))


def test_output_does_not_depend_on_input_order(links: tuple[StoryLink, ...]) -> None:
    shuffle = random.Random(7)
    for _ in range(5):
        articles, topics = list(ARTICLES), list(TOPICS)
        shuffle.shuffle(articles)
        shuffle.shuffle(topics)
        assert link_stories(articles, topics) == links


def test_simplified_and_traditional_chinese_are_different_languages() -> None:
    hant = make_article(
        "zh-hant.txt",
        "zh-Hant",
        "深度求索R1模型衝擊英偉達",
        "中國初創公司深度求索於1月20日發布了R1模型。",
        "訓練成本約為600萬美元，英偉達股價下跌17%。",
    )
    pairs = story_pairs(link_stories((ZH, hant), ()))
    assert pairs == {("zh-hant.txt", "zh.txt")}


def test_brazilian_and_european_portuguese_are_one_language() -> None:
    brazil = make_article(
        "pt-br.txt", "pt-BR", "DeepSeek R1", "A DeepSeek lançou o R1 por US$ 6 milhões."
    )
    assert link_stories((PT, brazil), ()) == ()
    assert story_language("pt-BR") == story_language("pt") == "pt"
    assert story_language("zh-TW") == "zh-Hant"
    assert story_language("zh-Hans-CN") == "zh-Hans"
    assert story_language("sr-Latn") != story_language("sr-Cyrl")


def test_no_articles_or_one_article() -> None:
    assert link_stories((), ()) == ()
    assert link_stories((PT,), TOPICS) == ()
    assert score_story_pairs((PT,), TOPICS) == ()


# --- figures ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("US$ 6 milhões", ["6 million"]),
        ("600万美元", ["6 million"]),
        ("$6 million", ["6 million"]),
        ("６００万ドル", ["6 million"]),
        ("5890億美元", ["589 billion"]),
        ("5890亿美元", ["589 billion"]),
        ("589 mil milhões", ["589 billion"]),
        ("1億5000万円", ["150 million"]),
        ("17%", ["17%"]),
        ("１７％", ["17%"]),
        ("17 por cento", ["17%"]),
        ("百分之17", ["17%"]),
        ("150,000 people", ["150,000"]),
        ("150.000 pessoas", ["150,000"]),
        ("1,5 milhões", ["1.5 million"]),
        ("1.5 million", ["1.5 million"]),
        ("2018年", ["2018"]),
        ("in 2018", ["2018"]),
        ("at 10:15", ["10:15"]),
        ("29 de setembro de 2018", ["09-29", "2018"]),
        ("September 29, 2018", ["09-29", "2018"]),
        ("2018年9月29日", ["2018", "09-29"]),
        ("R1 and G20", []),  # names, not figures
        ("3 people", []),  # too small to tell stories apart
        ("you may 5 times", []),  # not a date: "may" in lower case
    ],
)
def test_figures_normalise_across_scripts(text: str, keys: list[str]) -> None:
    assert sorted(f.key for f in figures_in(text)) == sorted(keys)


@given(st.integers(min_value=10, max_value=10**12))
def test_grouped_digits_read_back_as_the_same_figure(value: int) -> None:
    english = f"{value:,}"
    portuguese = english.replace(",", ".")
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in english)
    keys = {
        tuple(f.key for f in figures_in(text))
        for text in (str(value), english, portuguese, full_width)
    }
    assert len(keys) == 1


def test_different_amounts_are_different_figures() -> None:
    assert figures_in("600万美元")[0].key != figures_in("$60 million")[0].key


# --- Latin names -----------------------------------------------------------------------


def test_latin_names_skip_sentence_openers_but_keep_acronyms_and_codes() -> None:
    names = latin_names(["The summit of the G20 in Rio ended.", "Leaders met the IMF."])
    assert set(names) == {"g20", "rio", "imf"}


def test_every_latin_word_counts_inside_cjk_text() -> None:
    assert set(latin_names(["深度求索发布了DeepSeek R1模型。"])) == {"deepseek", "r1"}
