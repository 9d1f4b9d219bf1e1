"""Keyphrases: the terms an article is about.

Candidates are contiguous runs of content tokens (nouns, proper nouns, adjectives next to
nouns, alphanumeric model names) and the names found by the mention stage. Each is scored
by how often the article uses it (more if the title or lead does) times how specific it is
(squared) against a background word-frequency list (wordfreq): frequent everyday words are
weak keyphrases, rare and unseen terms strong ones. Phrases inside better phrases are
dropped; scores are scaled so that the best keyphrase has 1.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from ..languages import BudgetUnit, LanguageFamily
from ..model import Keyphrase, Mention, Sentence, Token

# Longest candidate, in tokens (CJK segmenters cut finer than spaces do).
MAX_TOKENS: dict[BudgetUnit, int] = {"words": 3, "chars": 4}
TITLE_BONUS = 1.0  # extra count for a candidate that occurs in the title
LEAD_BONUS = 0.5  # extra count for a candidate that occurs in the first paragraph
# wordfreq's Zipf scale: log10(frequency per billion words). 8 is about "the"; an unseen
# word is taken as rare as UNSEEN_ZIPF.
MAX_ZIPF = 8.0
UNSEEN_ZIPF = 0.0
MIN_SPECIFICITY = 0.05
# Exponent of specificity in the score: above 1 so that a term said a few times but rare
# in general language (a name) beats an everyday word said often ("model", "company").
SPECIFICITY_WEIGHT = 2.0
FLAT_SPECIFICITY = 0.5  # for languages without a background list
# wordfreq divides the frequency of a CJK word it had to cut into listed pieces by 20
# per inferred word break; do the same for words our segmenters keep whole.
INFERRED_BREAK_FACTOR = 20.0
MAX_PIECE_CHARS = 8
# A longer candidate replaces a shorter one it contains if it scores at least this share.
LONGER_WINS_SHARE = 0.8

# Families mark function words, pronouns and unknowns X: never part of a keyphrase.
CONTENT_POS = frozenset({"NOUN", "PROPN", "ADJ", "NUM"})
HEAD_POS = frozenset({"NOUN", "PROPN"})
# A phrase of several tokens said once is as likely a chance neighbourhood as a term
# (families without a tagger call every content word NOUN).
MIN_PHRASE_COUNT = 2

_HAN_OR_KANA = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NUMBERISH = re.compile(r"^[\d.,:%/+\-\s]+$|^[\d.,]*[〇零一二三四五六七八九十百千万萬亿億兆两兩]+$")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


def wordfreq_language(lang: str) -> str:
    """The wordfreq code for a BCP 47 tag: its primary subtag ("zh-Hant" → "zh")."""
    return lang.split("-")[0].split("_")[0].casefold()


@dataclass
class BackgroundFrequencies:
    """Word frequencies per language, loaded on first use and kept for the build.

    Create one per build and pass it to every article; `load` is replaceable for tests.
    """

    load: Callable[[str], Mapping[str, float]] | None = None
    _tables: dict[str, Mapping[str, float] | None] = field(default_factory=dict)

    def table(self, lang: str) -> Mapping[str, float] | None:
        """Frequency of each word in `lang`, or None if there is no list for it."""
        code = wordfreq_language(lang)
        if code not in self._tables:
            self._tables[code] = self._load(code)
        return self._tables[code]

    def _load(self, code: str) -> Mapping[str, float] | None:
        if self.load is not None:
            return self.load(code)
        import wordfreq  # local: loading the package reads its data files

        # Asked for a language it lacks, wordfreq logs a line and answers with its
        # nearest match (English for Amharic): no background then, not a wrong one.
        if code not in wordfreq.available_languages(wordlist="best"):
            return None
        try:
            table: Mapping[str, float] = wordfreq.get_frequency_dict(code, wordlist="best")
        except LookupError:
            return None
        return table


# A tuple: made for every candidate n-gram of every sentence, and a tuple is made
# about twice as fast as a frozen dataclass.
class _Occurrence(NamedTuple):
    key: tuple[str, ...]
    text: str
    sentence: int


@dataclass
class _Candidate:
    key: tuple[str, ...]
    norms: tuple[str, ...]  # token norms used for the background lookup
    count: float = 0.0
    first: int = 0  # order of first appearance
    surfaces: dict[str, int] = field(default_factory=dict)
    in_lead: bool = False
    in_title: bool = False
    is_name: bool = False


def is_cjk(text: str) -> bool:
    return _HAN_OR_KANA.search(text) is not None


def token_spans(text: str, tokens: Sequence[Token]) -> list[tuple[int, int] | None]:
    """Where each token's surface sits in `text` (None when it cannot be found)."""
    spans: list[tuple[int, int] | None] = []
    cursor = 0
    for token in tokens:
        start = text.find(token.text, cursor) if token.text else -1
        if start < 0:
            spans.append(None)
            continue
        spans.append((start, start + len(token.text)))
        cursor = start + len(token.text)
    return spans


def is_content(token: Token) -> bool:
    return token.pos in CONTENT_POS and not token.is_stop and any(ch.isalnum() for ch in token.text)


def is_numberish(token: Token) -> bool:
    return _NUMBERISH.match(token.text) is not None


def phrase_key(tokens: Sequence[Token], simplify: Callable[[str], str]) -> tuple[str, ...]:
    return tuple(simplify(t.norm.casefold()) for t in tokens)


def _occurrences(
    sentence: str,
    tokens: Sequence[Token],
    index: int,
    unit: BudgetUnit,
    simplify: Callable[[str], str],
) -> list[_Occurrence]:
    """Every n-gram of every run of content tokens in one sentence that names a thing:
    it has a head word and is not a quantity, a single letter or stop words only."""
    found: list[_Occurrence] = []
    run: list[tuple[Token, tuple[int, int]]] = []  # content tokens in a row, with spans
    for token, span in zip(tokens, token_spans(sentence, tokens), strict=True):
        if span is not None and is_content(token):
            run.append((token, span))
        elif run:
            found += _run_occurrences(sentence, run, index, unit, simplify)
            run = []
    if run:
        found += _run_occurrences(sentence, run, index, unit, simplify)
    return found


def _run_occurrences(
    sentence: str,
    run: Sequence[tuple[Token, tuple[int, int]]],
    index: int,
    unit: BudgetUnit,
    simplify: Callable[[str], str],
) -> list[_Occurrence]:
    """The n-grams of one run of content tokens that name a thing."""
    # What the phrase rule and phrase_key ask of each token, once per token rather than
    # once per n-gram it is part of.
    keys = phrase_key([token for token, _ in run], simplify)
    heads = [t.pos in HEAD_POS and _LETTER.search(t.text) is not None for t, _ in run]
    longest = MAX_TOKENS[unit]
    found: list[_Occurrence] = []
    for start, (first_token, (first_start, _)) in enumerate(run):
        if is_numberish(first_token):
            continue  # "600 milhões", "2024年": quantities, not topics
        has_head = False
        stop_words_only = True
        # The n-gram start..stop, growing by one token: whether it has a head word and
        # is stop words only carries over from the one before.
        for stop in range(start + 1, min(start + longest, len(run)) + 1):
            last_token, (_, last_end) = run[stop - 1]
            has_head = has_head or heads[stop - 1]
            stop_words_only = stop_words_only and last_token.is_stop
            if not has_head:
                continue
            if unit == "chars" and last_token.pos == "ADJ":
                continue  # CJK adjectives precede their noun
            text = sentence[first_start:last_end]
            if stop_words_only or len(text.replace(" ", "")) == 1:
                continue  # single letters and CJK characters; stop words only
            found.append(_Occurrence(keys[start:stop], text, index))
    return found


def _combined(frequencies: Sequence[float]) -> float:
    """wordfreq's frequency of a phrase: 1/f = sum of 1/f of its parts."""
    return 1.0 / sum(1.0 / f for f in frequencies)


def cjk_word_frequency(word: str, table: Mapping[str, float]) -> float:
    """Background frequency of a CJK word the list does not hold as a whole.

    Segmenters disagree on word boundaries (Sudachi keeps 開発者 whole, the list has
    開発 + 者), so the word is cut into the longest listed pieces and combined the way
    wordfreq does, each inferred break dividing by INFERRED_BREAK_FACTOR. A word with an
    unlisted character stays unseen (0).
    """
    pieces: list[float] = []
    position = 0
    while position < len(word):
        for end in range(min(len(word), position + MAX_PIECE_CHARS), position, -1):
            frequency = table.get(word[position:end], 0.0)
            if frequency > 0.0:
                pieces.append(frequency)
                position = end
                break
        else:
            return 0.0
    return _combined(pieces) / INFERRED_BREAK_FACTOR ** (len(pieces) - 1)


def specificity(
    norms: Sequence[str], table: Mapping[str, float] | None, split_unknown: bool = False
) -> float:
    """How unusual a phrase is in general language, 0..1 (1 = unseen in the background).

    A phrase is as rare as wordfreq would say: 1/f = sum of 1/f of its words. With
    `split_unknown` (CJK), an unlisted word is estimated from its listed pieces.
    """
    if table is None:
        return FLAT_SPECIFICITY
    frequencies: list[float] = []
    for norm in norms:
        frequency = table.get(norm, 0.0)
        if frequency <= 0.0 and split_unknown and is_cjk(norm):
            frequency = cjk_word_frequency(norm, table)
        if frequency <= 0.0:
            return 1.0 - UNSEEN_ZIPF / MAX_ZIPF
        frequencies.append(frequency)
    if not frequencies:
        return FLAT_SPECIFICITY
    zipf = math.log10(_combined(frequencies)) + 9.0
    return max(MIN_SPECIFICITY, min(1.0, (MAX_ZIPF - zipf) / MAX_ZIPF))


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    if len(shorter) >= len(longer):
        return False
    width = len(shorter)
    return any(longer[i : i + width] == shorter for i in range(len(longer) - width + 1))


def extract_keyphrases(
    sentences: Sequence[Sentence],
    tokens: Sequence[Sequence[Token]],
    mentions: Sequence[Mention],
    title: str,
    family: LanguageFamily,
    background: BackgroundFrequencies,
    limit: int,
    simplify: Callable[[str], str] = lambda text: text,
) -> tuple[Keyphrase, ...]:
    """The `limit` best keyphrases, best first, scores normalised so the best is 1.

    `simplify` maps Han text to Simplified for Chinese, so that norms match across
    scripts; pass the identity for other languages.
    """
    if limit <= 0 or not sentences:
        return ()
    unit = family.budget_unit
    # Token norms repeat through an article; Han conversion of each is not cheap.
    simplify = functools.lru_cache(maxsize=None)(simplify)
    candidates: dict[tuple[str, ...], _Candidate] = {}
    lead_paragraph = sentences[0].paragraph

    def note(occurrence: _Occurrence, norms: tuple[str, ...]) -> _Candidate:
        candidate = candidates.get(occurrence.key)
        if candidate is None:
            candidate = _Candidate(occurrence.key, norms, first=len(candidates))
            candidates[occurrence.key] = candidate
        candidate.surfaces[occurrence.text] = candidate.surfaces.get(occurrence.text, 0) + 1
        return candidate

    for index, (sentence, sentence_tokens) in enumerate(zip(sentences, tokens, strict=True)):
        for occurrence in _occurrences(sentence.text, sentence_tokens, index, unit, simplify):
            candidate = note(occurrence, occurrence.key)
            candidate.count += 1
            if sentence.paragraph == lead_paragraph:
                candidate.in_lead = True

    # Names the n-grams miss (with a hyphen or a stop word inside: "DeepSeek-R1").
    for mention in mentions:
        if mention.kind == "figure":
            continue
        name_tokens = [t for t in family.tokenize(mention.text) if any(c.isalnum() for c in t.text)]
        if not name_tokens or len(mention.text.replace(" ", "")) < 2:
            continue
        if all(t.is_stop for t in name_tokens) or all(is_numberish(t) for t in name_tokens):
            continue
        key = phrase_key(name_tokens, simplify)
        if key in candidates:
            candidates[key].is_name = True
            continue
        candidate = note(_Occurrence(key, mention.text, mention.sentences[0]), key)
        written = sum(_count_in(mention.text, sentences[i].text, unit) for i in mention.sentences)
        candidate.count = float(max(written, len(mention.sentences)))
        candidate.is_name = True
        candidate.in_lead = any(sentences[i].paragraph == lead_paragraph for i in mention.sentences)

    title_keys = {o.key for o in _occurrences(title, family.tokenize(title), -1, unit, simplify)}
    table = background.table(family.lang)
    scored: list[tuple[float, _Candidate]] = []
    for candidate in candidates.values():
        if len(candidate.key) > 1 and candidate.count < MIN_PHRASE_COUNT and not candidate.is_name:
            continue
        candidate.in_title = candidate.key in title_keys or any(
            _occurs_in(surface, title, unit) for surface in candidate.surfaces
        )
        weight = candidate.count
        weight += TITLE_BONUS if candidate.in_title else 0.0
        weight += LEAD_BONUS if candidate.in_lead else 0.0
        lookup = tuple(simplify(n) for n in candidate.norms)
        rarity = specificity(lookup, table, unit == "chars") ** SPECIFICITY_WEIGHT
        scored.append((weight * rarity, candidate))

    scored.sort(key=lambda item: (-round(item[0], 9), -len(item[1].key), item[1].first))
    kept = _deduplicate(scored, limit)
    kept.sort(key=lambda item: (-round(item[0], 9), item[1].first))
    if not kept:
        return ()
    best = kept[0][0]
    return tuple(
        Keyphrase(text=_display(c), norm=_norm(_display(c), simplify), score=round(s / best, 4))
        for s, c in kept
    )


def _deduplicate(
    scored: Sequence[tuple[float, _Candidate]], limit: int
) -> list[tuple[float, _Candidate]]:
    """Best candidates (in score order) with no phrase inside another.

    A phrase inside a better one is dropped; a phrase containing better ones replaces them
    if it scores at least LONGER_WINS_SHARE of the best of them ("人工智能模型" over
    "模型"), else it is dropped.
    """
    kept: list[tuple[float, _Candidate]] = []
    for score, candidate in scored:
        if score <= 0.0:
            break
        if len(kept) >= limit and score < LONGER_WINS_SHARE * min(s for s, _ in kept):
            break  # can neither replace a kept phrase nor join the full list
        if any(_contains(other.key, candidate.key) for _, other in kept):
            continue
        inside = [i for i, (_, other) in enumerate(kept) if _contains(candidate.key, other.key)]
        if inside:
            if score < LONGER_WINS_SHARE * max(kept[i][0] for i in inside):
                continue
            kept[inside[0]] = (score, candidate)
            kept = [item for i, item in enumerate(kept) if i not in inside[1:]]
        elif len(kept) < limit:
            kept.append((score, candidate))
    return kept


def _count_in(surface: str, text: str, unit: BudgetUnit) -> int:
    """How often `surface` is written in `text` (as whole words for Latin scripts)."""
    if unit == "chars":
        return text.count(surface)
    if _caseless(surface) not in _caseless(text):
        return 0  # most candidates are not in the title: no pattern to compile
    pattern = rf"(?<!\w){re.escape(surface)}(?!\w)"
    return len(re.findall(pattern, text, re.IGNORECASE))


def _caseless(text: str) -> str:
    """A form in which every re.IGNORECASE match is a substring match: casefold maps
    each character on its own, and characters that re matches ignoring case fold alike,
    except İ and ı, which re matches with i (checked over all of Unicode)."""
    return text.replace("İ", "i").casefold().replace("ı", "i")


def _occurs_in(surface: str, text: str, unit: BudgetUnit) -> bool:
    return _count_in(surface, text, unit) > 0


def _display(candidate: _Candidate) -> str:
    """The surface form written most often (the earliest on ties)."""
    order = {text: i for i, text in enumerate(candidate.surfaces)}
    return max(candidate.surfaces, key=lambda text: (candidate.surfaces[text], -order[text]))


def _norm(text: str, simplify: Callable[[str], str]) -> str:
    return " ".join(simplify(text).casefold().split())
