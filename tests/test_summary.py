"""Automatic and editorial summaries (site_builder.analysis.summary)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.analysis.summary import (
    SUMMARY_BUDGET,
    centrality,
    extract_summary,
    is_near_duplicate,
    stands_alone,
    summarise,
)
from site_builder.languages import BudgetUnit
from site_builder.model import MentionKind, Sentence, Token

STOP = frozenset(
    [
        "a",
        "the",
        "of",
        "and",
        "in",
        "to",
        "is",
        "was",
        "it",
        "its",
        "that",
        "o",
        "a",
        "de",
        "da",
        "do",
        "e",
        "em",
        "que",
        "um",
        "uma",
        "os",
        "as",
    ]
)


@dataclass(frozen=True)
class WordFamily:
    """Test double: whitespace words for Latin text, one token per character for CJK."""

    lang: str = "en"
    budget_unit: BudgetUnit = "words"
    is_fallback: bool = False

    def split_sentences(self, paragraph: str) -> list[str]:
        parts = re.split(r"(?<=[.!?。！？])\s*", paragraph)
        return [p.strip() for p in parts if p.strip()]

    def tokenize(self, text: str) -> list[Token]:
        pattern = r"\w+|[^\w\s]" if self.budget_unit == "words" else r"[A-Za-z0-9]+|\S"
        return [
            Token(t, t.casefold(), "NOUN" if t[0].isalnum() else "PUNCT", t.casefold() in STOP)
            for t in re.findall(pattern, text)
        ]

    def find_names(self, text: str) -> list[tuple[str, MentionKind, str]]:
        return []

    def measure(self, text: str) -> int:
        if self.budget_unit == "words":
            return len(re.findall(r"\w+", text))
        return sum(1 for ch in text if ch.isalnum())


LATIN = WordFamily()
CJK = WordFamily("zh-Hans", "chars")


def summary_of(texts: list[str], family: WordFamily = LATIN, n: int = 3) -> tuple[int, ...]:
    sentences = [Sentence(t, i) for i, t in enumerate(texts)]
    tokens = [family.tokenize(t) for t in texts]
    return summarise(None, None, sentences, tokens, family, n).indexes


PT_ARTICLE = [
    "A startup chinesa DeepSeek lançou o modelo R1 na semana passada.",
    "O modelo R1 custou pouco para treinar, segundo a empresa chinesa DeepSeek.",
    "As ações da NVIDIA caíram depois do anúncio do modelo R1.",
    "Analistas discutem se o custo do modelo foi mesmo tão baixo quanto a empresa diz.",
    "O tempo estava bom em Lisboa.",
    "Investidores venderam ações de empresas de chips depois do anúncio.",
    "A DeepSeek publicou os pesos do modelo R1 com uma licença aberta.",
    "Especialistas dizem que o modelo R1 compete com os melhores sistemas americanos.",
]

ZH_ARTICLE = [
    "中国公司深度求索发布了新的推理模型，引起全球关注。",
    "这个推理模型的训练成本很低，只有六百万美元左右。",
    "美国芯片公司的股价在消息发布后大幅下跌。",
    "分析人士认为，推理模型的成本优势可能改变行业格局。",
    "今天北京天气晴朗。",
    "许多开发者已经开始在自己的产品中使用这个推理模型。",
    "公司表示将继续开放模型权重，让研究人员自由使用。",
    "投资者担心芯片需求会因为更便宜的模型而下降。",
]


def test_latin_summary_fits_word_budget_in_text_order() -> None:
    chosen = summary_of(PT_ARTICLE * 3)  # long enough that the budget binds
    assert chosen == tuple(sorted(chosen))
    assert 1 <= len(chosen) <= 3
    assert sum(LATIN.measure((PT_ARTICLE * 3)[i]) for i in chosen) <= SUMMARY_BUDGET["words"]


def test_cjk_summary_fits_character_budget() -> None:
    long_sentences = [s.replace("。", "，") * 3 + "。" for s in ZH_ARTICLE]
    chosen = summary_of(long_sentences, CJK, n=5)
    assert chosen == tuple(sorted(chosen))
    assert chosen
    assert sum(CJK.measure(long_sentences[i]) for i in chosen) <= SUMMARY_BUDGET["chars"]


def test_budget_is_counted_in_words_not_characters_for_latin() -> None:
    # Sentences of 16 words and ~85 characters: three fit 90 words, not 220 characters.
    topics = ["chips", "models", "prices", "markets", "investors", "engineers", "labs", "rules"]
    sentences = [
        f"Reporters wrote at length about {topics[i]}, {topics[i - 1]} and {topics[i - 2]} "
        f"during week {i} of the long story."
        for i in range(len(topics))
    ]
    assert all(LATIN.measure(s) >= 15 and len(s) > 75 for s in sentences)
    assert len(summary_of(sentences)) == 3


def test_summary_prefers_central_sentences_over_off_topic_ones() -> None:
    chosen = summary_of(PT_ARTICLE)
    assert 4 not in chosen  # "O tempo estava bom em Lisboa."
    assert chosen and all(i in range(len(PT_ARTICLE)) for i in chosen)
    chosen_zh = summary_of(ZH_ARTICLE, CJK)
    assert 4 not in chosen_zh  # 今天北京天气晴朗。


def test_repeated_headline_is_not_chosen() -> None:
    headline = "Tudo sobre o modelo R1 da DeepSeek e as ações da NVIDIA hoje"
    texts = [headline, *PT_ARTICLE[:4], headline, *PT_ARTICLE[4:], headline]
    chosen = summary_of(texts)
    assert chosen
    assert all(texts[i] != headline for i in chosen)


def test_near_duplicates_score_zero_after_the_first() -> None:
    norms = [["r1", "model", "cost"], ["nvidia", "shares", "fell"], ["r1", "model", "cost", "low"]]
    scores = centrality(norms)
    assert scores[0] > 0 and scores[1] > 0 and scores[2] == 0


def test_near_duplicate_needs_similar_size() -> None:
    headline = frozenset(["通过", "思维", "链", "看懂", "deepseek", "强"])
    with_subtitle = headline | frozenset(["低成本", "高效率", "ai", "革新"])
    assert is_near_duplicate(headline, with_subtitle)
    run_on = headline | frozenset(f"word{i}" for i in range(30))
    assert not is_near_duplicate(headline, run_on)
    assert not is_near_duplicate(frozenset(), headline)


def test_summary_is_deterministic() -> None:
    assert len({summary_of(PT_ARTICLE) for _ in range(5)}) == 1
    assert len({summary_of(ZH_ARTICLE, CJK) for _ in range(5)}) == 1


def test_fragments_are_skipped() -> None:
    texts = ["Read more.", *PT_ARTICLE[:3], "Share.", "Photo: AP."]
    chosen = summary_of(texts)
    assert chosen and not {0, 4, 5} & set(chosen)


def test_run_ons_are_skipped_when_there_is_a_choice() -> None:
    run_on = ", ".join(PT_ARTICLE).replace(".", "") + "."
    assert LATIN.measure(run_on) > 67
    texts = [run_on, *PT_ARTICLE]
    chosen = summary_of(texts)
    assert chosen and 0 not in chosen


def test_summary_never_cuts_a_sentence_when_nothing_fits() -> None:
    run_on = " ".join(["modelo custo chips mercado"] * 40) + "."
    sentences = [Sentence(run_on, 0)]
    result = summarise(None, None, sentences, [LATIN.tokenize(run_on)], LATIN, 3)
    assert result.texts == (run_on,)


def test_editor_summary_beats_more_beats_automatic() -> None:
    sentences = [Sentence(t, i) for i, t in enumerate(PT_ARTICLE)]
    tokens = [LATIN.tokenize(t) for t in PT_ARTICLE]
    editor = summarise(
        "Resumo do editor.\n\nSegundo parágrafo.", "Lead.", sentences, tokens, LATIN, 3
    )
    assert editor.source == "manifest"
    assert editor.texts == ("Resumo do editor.", "Segundo parágrafo.")
    assert editor.indexes == ()
    more = summarise(None, "O lead do autor\ncom duas linhas.", sentences, tokens, LATIN, 3)
    assert (more.source, more.texts, more.indexes) == (
        "more",
        ("O lead do autor com duas linhas.",),
        (),
    )
    automatic = summarise("  ", None, sentences, tokens, LATIN, 3)
    assert automatic.source == "automatic"
    assert automatic.texts == tuple(PT_ARTICLE[i] for i in automatic.indexes)


def test_title_is_not_repeated_in_summary() -> None:
    title = PT_ARTICLE[0]
    sentences = [Sentence(t, i) for i, t in enumerate(PT_ARTICLE)]
    tokens = [LATIN.tokenize(t) for t in PT_ARTICLE]
    result = summarise(None, None, sentences, tokens, LATIN, 3, LATIN.tokenize(title))
    assert 0 not in result.indexes


def test_stands_alone() -> None:
    assert stands_alone("O modelo custou pouco.")
    assert stands_alone("Ele disse: “o modelo custou pouco.”")
    assert not stands_alone("“O modelo custou pouco, disse ele.")
    assert not stands_alone("Tudo sobre o modelo R1")
    assert stands_alone("他说「模型很便宜」。")


def test_zero_sentences_and_empty_input() -> None:
    assert extract_summary([], [], [], "words", 3) == ()
    assert (
        extract_summary(["A sentence with enough words to count."], [["sentence"]], [7], "words", 0)
        == ()
    )


words = st.sampled_from(["chip", "model", "r1", "preço", "模型", "芯片", "the", "x", ""])
sentence_norms = st.lists(words, max_size=12)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(sentence_norms, max_size=25),
    st.sampled_from(["words", "chars"]),
    st.integers(min_value=0, max_value=6),
)
def test_summariser_never_raises_and_returns_increasing_indexes(
    norms: list[list[str]], unit: BudgetUnit, max_sentences: int
) -> None:
    texts = [" ".join(n) + ("." if i % 2 else "") for i, n in enumerate(norms)]
    lengths = [len(n) * (1 if unit == "words" else 3) for n in norms]
    chosen = extract_summary(texts, norms, lengths, unit, max_sentences)
    assert all(0 <= i < len(norms) for i in chosen)
    assert list(chosen) == sorted(set(chosen))
    assert len(chosen) <= max_sentences


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=15))
def test_summarise_on_arbitrary_text_never_raises(texts: list[str]) -> None:
    for family in (LATIN, CJK):
        sentences = [Sentence(t, i) for i, t in enumerate(texts)]
        result = summarise(None, None, sentences, [family.tokenize(t) for t in texts], family, 3)
        assert list(result.indexes) == sorted(set(result.indexes))
        assert all(0 <= i < len(texts) for i in result.indexes)
