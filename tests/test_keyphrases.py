"""Keyphrase extraction (site_builder.analysis.keyphrases)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from site_builder.analysis.keyphrases import (
    HEAD_POS,
    MAX_TOKENS,
    BackgroundFrequencies,
    _caseless,
    _count_in,
    _occurrences,
    extract_keyphrases,
    is_content,
    is_numberish,
    phrase_key,
    specificity,
    token_spans,
)
from site_builder.languages import BudgetUnit
from site_builder.languages.resources import LanguageResources
from site_builder.model import Keyphrase, Mention, MentionKind, Sentence, Token
from site_builder.pipeline import load_digest

SAMPLE_CONTENT = Path(__file__).resolve().parent.parent / "content"

PT_STOP = frozenset(
    [
        "a",
        "o",
        "os",
        "as",
        "de",
        "da",
        "do",
        "das",
        "dos",
        "e",
        "em",
        "que",
        "um",
        "uma",
        "para",
        "com",
        "por",
        "se",
        "no",
        "na",
        "foi",
        "ele",
        "eles",
    ]
)
ZH_STOP = frozenset(["的", "了", "他们", "表示", "可以", "在", "是", "和", "也", "这"])
PT_VERBS = frozenset(
    ["lançou", "custou", "custam", "caíram", "disse", "usa", "vende", "gosta", "fecha", "é", "usam"]
)
ZH_VERBS = frozenset(["发布", "认为", "下跌", "使用", "改变", "训练"])
PT_OTHER = frozenset(["pouco", "cedo", "hoje", "agora", "baratos", "rápido", "todos", "gráficas"])
ZH_OTHER = frozenset(["新", "很", "低"])


@dataclass(frozen=True)
class DictFamily:
    """Test double: Latin words split on spaces; CJK by longest match over a word list."""

    lang: str
    budget_unit: BudgetUnit
    words: frozenset[str] = frozenset()
    is_fallback: bool = False

    def split_sentences(self, paragraph: str) -> list[str]:
        return [p.strip() for p in re.split(r"(?<=[.!?。！？])", paragraph) if p.strip()]

    def _pieces(self, text: str) -> list[str]:
        if self.budget_unit == "words":
            return re.findall(r"[\w-]+|[^\w\s]", text)
        pieces: list[str] = []
        i = 0
        while i < len(text):
            if text[i].isspace():
                i += 1
                continue
            latin = re.match(r"[A-Za-z0-9]+", text[i:])
            if latin:
                pieces.append(latin.group(0))
                i += len(latin.group(0))
                continue
            for size in range(6, 0, -1):
                if size == 1 or text[i : i + size] in self.words:
                    pieces.append(text[i : i + size])
                    i += size
                    break
        return pieces

    def tokenize(self, text: str) -> list[Token]:
        stop = PT_STOP | ZH_STOP
        verbs = PT_VERBS | ZH_VERBS
        tokens = []
        for piece in self._pieces(text):
            if not piece[0].isalnum():
                pos = "PUNCT"
            elif piece.isdigit():
                pos = "NUM"
            elif piece.casefold() in verbs:
                pos = "VERB"
            elif piece.casefold() in PT_OTHER | ZH_OTHER:
                pos = "ADJ"
            elif piece[0].isupper():
                pos = "PROPN"
            else:
                pos = "NOUN"
            tokens.append(Token(piece, piece.casefold(), pos, piece.casefold() in stop))
        return tokens

    def find_names(self, text: str) -> list[tuple[str, MentionKind, str]]:
        return []

    def measure(self, text: str) -> int:
        return len(text.split()) if self.budget_unit == "words" else len(text)


PT = DictFamily("pt", "words")
ZH = DictFamily(
    "zh-Hans",
    "chars",
    frozenset(
        [
            "人工智能",
            "模型",
            "推理",
            "英伟达",
            "股价",
            "公司",
            "芯片",
            "他们",
            "表示",
            "可以",
            "思维链",
            "成本",
            "方法",
            "下跌",
            "使用",
            "认为",
            "改变",
            "训练",
        ]
    ),
)

# A background list where "modelo"/"模型" are everyday words and the rest is rarer.
BACKGROUND: dict[str, dict[str, float]] = {
    "pt": {
        "modelo": 2e-4,
        "empresa": 3e-4,
        "mercado": 2e-4,
        "ações": 5e-5,
        "custo": 1e-4,
        "chips": 1e-6,
    },
    "zh": {"模型": 5e-5, "公司": 6e-4, "人工智能": 6e-6, "股价": 2e-5, "芯片": 1e-5, "成本": 1e-4},
}


def fake_background() -> BackgroundFrequencies:
    def load(code: str) -> Mapping[str, float]:
        return BACKGROUND.get(code, {})

    return BackgroundFrequencies(load=load)


def keyphrases_of(
    texts: list[str],
    family: DictFamily,
    title: str = "",
    mentions: tuple[Mention, ...] = (),
    limit: int = 8,
    background: BackgroundFrequencies | None = None,
) -> tuple[Keyphrase, ...]:
    sentences = [Sentence(t, i) for i, t in enumerate(texts)]
    return extract_keyphrases(
        sentences,
        [family.tokenize(t) for t in texts],
        mentions,
        title,
        family,
        background or fake_background(),
        limit,
    )


PT_TEXT = [
    "A empresa Zorbex lançou um modelo.",
    "O modelo da Zorbex custou pouco.",
    "Eles disse que o modelo usa chips baratos.",
    "As ações da empresa caíram no mercado.",
    "A Zorbex vende o modelo para o mercado.",
    "Placas gráficas novas chegam.",
    "Placas gráficas caras saem.",
]

ZH_TEXT = [
    "英伟达的股价下跌了。",
    "他们表示英伟达可以使用新的芯片。",
    "思维链的成本很低，思维链是推理的方法。",
    "他们认为思维链可以改变人工智能模型。",
    "英伟达的芯片训练人工智能模型。",
]


def test_rare_repeated_term_ranks_above_common_one() -> None:
    result = keyphrases_of(PT_TEXT, PT)
    texts = [k.text for k in result]
    assert texts[0] == "Zorbex"  # unseen in the background, said five times
    assert texts.index("Zorbex") < texts.index("modelo")  # "modelo" is said as often but common
    assert result[0].score == 1.0
    assert [k.score for k in result] == sorted((k.score for k in result), reverse=True)


def test_stop_words_verbs_and_numbers_are_not_keyphrases() -> None:
    texts = [k.norm for k in keyphrases_of([*PT_TEXT, "Em 2024 foram 2024 e 2025."], PT, limit=30)]
    for word in ("a", "o", "eles", "que", "de", "lançou", "2024", "2025"):
        assert word not in texts
    zh = [k.text for k in keyphrases_of(ZH_TEXT, ZH, limit=30)]
    assert "思维链" in zh and "英伟达" in zh
    for word in ("他们", "表示", "可以", "的", "了"):
        assert word not in zh
    assert all(len(t) > 1 for t in zh)  # no single CJK characters


def test_cjk_phrases_join_without_spaces_and_keep_the_longer_phrase() -> None:
    zh = [k.text for k in keyphrases_of(ZH_TEXT, ZH, limit=30)]
    assert "人工智能模型" in zh
    assert "人工智能" not in zh and "模型" not in zh  # only ever said inside the longer phrase


def test_latin_phrases_join_with_spaces_as_written() -> None:
    result = keyphrases_of(PT_TEXT, PT, limit=30)
    texts = [k.text for k in result]
    assert "Placas gráficas" in texts  # NOUN ADJ, never apart
    assert "Placas" not in texts and "gráficas" not in texts
    assert {k.norm for k in result} >= {"zorbex", "placas gráficas"}


def test_title_bonus_lifts_title_terms() -> None:
    texts = ["Os chips custam pouco.", "O mercado gosta de chips.", "O mercado fecha cedo."]
    without = keyphrases_of(texts, PT)
    with_title = keyphrases_of(texts, PT, title="O mercado hoje")
    score = {k.text: k.score for k in without}
    titled = {k.text: k.score for k in with_title}
    assert titled["mercado"] / titled["chips"] > score["mercado"] / score["chips"]


def test_names_from_mentions_are_candidates() -> None:
    mention = Mention("Zorbex-7", "product", (0, 1), "test")
    texts = ["O Zorbex-7 é rápido.", "Todos usam o Zorbex-7 agora."]
    result = keyphrases_of(texts, PT, mentions=(mention,))
    assert "Zorbex-7" in [k.text for k in result]


def test_limit_and_determinism() -> None:
    first = keyphrases_of(PT_TEXT, PT, limit=3)
    assert len(first) == 3
    assert all(keyphrases_of(PT_TEXT, PT, limit=3) == first for _ in range(3))
    assert keyphrases_of(PT_TEXT, PT, limit=0) == ()
    assert keyphrases_of([], PT) == ()


def test_language_without_background_list_uses_flat_prior() -> None:
    missing = BackgroundFrequencies(load=lambda code: {})
    flat = BackgroundFrequencies(load=lambda code: None)  # type: ignore[arg-type,return-value]
    assert specificity(["anything"], None) == 0.5
    result = keyphrases_of(PT_TEXT, PT, background=flat)
    assert result and result[0].text in ("Zorbex", "modelo")
    # An empty list makes every word unseen: the most frequent noun leads.
    assert keyphrases_of(PT_TEXT, PT, background=missing)[0].text == "modelo"


def test_specificity_orders_by_background_frequency() -> None:
    table = {"the": 0.05, "model": 1e-4, "rare": 1e-7}
    assert (
        specificity(["the"], table) < specificity(["model"], table) < specificity(["rare"], table)
    )
    assert specificity(["unseen"], table) == 1.0
    # A phrase is rarer than its rarest word.
    assert specificity(["model", "rare"], table) > specificity(["rare"], table)


def test_background_lists_are_loaded_once_per_language() -> None:
    calls: list[str] = []

    def load(code: str) -> Mapping[str, float]:
        calls.append(code)
        return {}

    background = BackgroundFrequencies(load=load)
    for lang in ("zh-Hant", "zh-Hans", "zh", "pt", "pt-BR"):
        background.table(lang)
    assert calls == ["zh", "pt"]


def test_token_spans_follow_the_text() -> None:
    tokens = [Token("DeepSeek", "deepseek", "PROPN"), Token("R1", "r1", "X")]
    assert token_spans("DeepSeek的R1", tokens) == [(0, 8), (9, 11)]
    assert token_spans("abc", [Token("x", "x", "X")]) == [None]


@pytest.mark.parametrize("lang", ["pt", "zh", "ja"])
def test_real_wordfreq_lists_load(lang: str) -> None:
    table = BackgroundFrequencies().table(lang)
    assert table is not None and len(table) > 10_000


# Characters whose case rules are irregular (ß, ſ, K, İ, ı, µ, ς, ǅ …) among plain ones.
_CASE_ALPHABET = "aiIsSkKßſKİıµμΜςσΣǅǆǄéÉ -"


@settings(max_examples=2000, deadline=None)
@example(surface="i", text="ı")  # re matches dotless ı with i; casefold keeps them apart
@example(surface="İ", text="I")
@example(surface="ſ", text="S")
@example(surface="K", text="k")
@given(
    surface=st.text(alphabet=_CASE_ALPHABET, min_size=1, max_size=4),
    text=st.text(alphabet=_CASE_ALPHABET, max_size=24),
)
def test_counting_a_surface_agrees_with_the_ignorecase_pattern(surface: str, text: str) -> None:
    # _count_in skips the pattern when the caseless surface is not in the caseless text:
    # that must never skip a match.
    pattern = rf"(?<!\w){re.escape(surface)}(?!\w)"
    assert _count_in(surface, text, "words") == len(re.findall(pattern, text, re.IGNORECASE))


def test_characters_that_match_ignoring_case_are_caseless_alike() -> None:
    # Over all of Unicode, as this Python's re decides it: a lower-case mapping of its
    # own plus a table of extra equivalences. A pair missed here would let _count_in
    # skip a real match.
    import _sre
    import sys
    from re._casefix import _EXTRA_CASES  # type: ignore[import-not-found]

    groups: dict[int, list[str]] = {}
    for point in range(sys.maxunicode + 1):
        if not 0xD800 <= point <= 0xDFFF:
            groups.setdefault(_sre.unicode_tolower(point), []).append(chr(point))
    for members in groups.values():
        assert len({_caseless(member) for member in members}) == 1, members
    for point, others in _EXTRA_CASES.items():
        assert all(_caseless(chr(point)) == _caseless(chr(other)) for other in others)


def _valid_phrase(tokens: list[Token], text: str, unit: BudgetUnit) -> bool:
    """The phrase rule as first written, one n-gram at a time."""
    if is_numberish(tokens[0]):
        return False
    if not any(t.pos in HEAD_POS and re.search(r"[^\W\d_]", t.text) for t in tokens):
        return False
    if unit == "chars" and tokens[-1].pos == "ADJ":
        return False
    if len(text.replace(" ", "")) == 1:
        return False
    return not all(t.is_stop for t in tokens)


def _reference_occurrences(
    sentence: str, tokens: list[Token], index: int, unit: BudgetUnit, simplify: Any
) -> list[tuple[tuple[str, ...], str, int]]:
    """_occurrences as first written: the phrase rule and phrase_key on every n-gram."""
    spans = token_spans(sentence, tokens)
    found = []
    run: list[int] = []
    for position in [*range(len(tokens)), -1]:
        if position >= 0 and is_content(tokens[position]) and spans[position] is not None:
            run.append(position)
            continue
        for start in range(len(run)):
            for length in range(1, MAX_TOKENS[unit] + 1):
                if start + length > len(run):
                    break
                chosen = run[start : start + length]
                first, last = spans[chosen[0]], spans[chosen[-1]]
                assert first is not None and last is not None
                text = sentence[first[0] : last[1]]
                group = [tokens[i] for i in chosen]
                if _valid_phrase(group, text, unit):
                    found.append((phrase_key(group, simplify), text, index))
        run = []
    return found


def test_occurrences_are_every_valid_ngram_of_the_sample_articles() -> None:
    resources = LanguageResources()
    digest = load_digest(SAMPLE_CONTENT, resources)
    compared = 0
    for article in digest.articles:
        family = resources.family(article.analysis.language.lang)
        zh = article.analysis.language.lang.startswith("zh")
        simplify = resources.to_simplified if zh else (lambda text: text)
        for index, sentence in enumerate(article.analysis.sentences):
            tokens = family.tokenize(sentence.text)
            got = _occurrences(sentence.text, tokens, index, family.budget_unit, simplify)
            expected = _reference_occurrences(
                sentence.text, tokens, index, family.budget_unit, simplify
            )
            assert [(o.key, o.text, o.sentence) for o in got] == expected
            compared += len(expected)
    assert compared > 1000
