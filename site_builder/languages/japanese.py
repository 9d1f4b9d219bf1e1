"""Japanese, segmented with SudachiPy (core dictionary, split mode C).

Latin-script runs are cut out before segmentation so DeepSeek-R1 or o1-mini come out
whole (Sudachi splits them and even turns "mini" into ミニ). Sudachi accepts at most
49,149 bytes per call, so longer input is fed in chunks cut at sentence ends.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import TYPE_CHECKING, Any, NamedTuple

from ..model import MentionKind, Token
from . import (
    BudgetUnit,
    LineSegments,
    chunk_by_bytes,
    cjk_measure,
    fold,
    is_namelike_latin,
    latin_pos,
    latin_runs,
    non_space_spans,
    split_cjk_sentences,
    symbol_pos,
)

if TYPE_CHECKING:
    from .resources import LanguageResources

MAX_SENTENCE_CHARS = 300
# Sudachi's limit is 49,149 bytes; chunks stay well below it.
MAX_CHUNK_BYTES = 40_000
_CHUNK_BREAKS = "。！？\n、 "
LATIN_POS = ("LATIN",)
# After a closing quote, the quoting particles と / って continue the sentence.
_QUOTE_CONTINUATIONS = "とっ"

# Katakana words (≥ 3 letters) joined across ・ and ＝: ドナルド・トランプ, エヌビディア.
_KATAKANA_RUN_RE = re.compile(r"[ァ-ヺヽヾー]+(?:[・＝][ァ-ヺヽヾー]+)*")
# Frequent function words stopwords-iso lacks (dictionary forms).
EXTRA_STOPWORDS = frozenset(
    {
        "いる",
        "ある",
        "なる",
        "する",
        "できる",
        "おる",
        "いく",
        "くる",
        "みる",
        "しまう",
        "ない",
        "そう",
        "こう",
        "どう",
        "わけ",
        "はず",
        "まま",
        "居る",
        "有る",
        "成る",
        "為る",
        "出来る",
        "事",
        "物",
        "為",
        "様",
    }
)
_FUNCTION_POS = frozenset({"助詞", "助動詞"})
_NAME_KIND: dict[str, MentionKind] = {"人名": "person", "地名": "place", "組織": "organization"}


# A tuple: made for every word of every article, and a tuple is made about
# twice as fast as a frozen dataclass.
class _Morpheme(NamedTuple):
    start: int  # offsets into the original text
    end: int
    pos: tuple[str, ...]  # Sudachi part of speech (six levels), ("LATIN",) for Latin runs
    normalized: str
    dictionary: str
    oov: bool = False  # not in Sudachi's dictionary


def _shifted_morpheme(m: _Morpheme, offset: int) -> _Morpheme:
    return _Morpheme(m.start + offset, m.end + offset, m.pos, m.normalized, m.dictionary, m.oov)


class JapaneseFamily:
    def __init__(self, resources: LanguageResources) -> None:
        self._tokenizer: Any = resources.sudachi_tokenizer()
        self._stopwords = resources.stopwords("ja") | EXTRA_STOPWORDS
        # Morphemes of a text, line by line: find_names finds each line segmented
        # already by tokenize (Sudachi was a fifth of an article's analysis, and ran twice).
        self._segment = LineSegments(self._segment_uncached, _shifted_morpheme)

    @property
    def lang(self) -> str:
        return "ja"

    @property
    def budget_unit(self) -> BudgetUnit:
        return "chars"

    @property
    def is_fallback(self) -> bool:
        return False

    def split_sentences(self, paragraph: str) -> list[str]:
        return split_cjk_sentences(paragraph, MAX_SENTENCE_CHARS, _QUOTE_CONTINUATIONS)

    # --- segmentation ------------------------------------------------------------------

    def _segment_uncached(self, text: str) -> list[_Morpheme]:
        morphemes: list[_Morpheme] = []
        position = 0
        for start, end in [*latin_runs(text), (len(text), len(text))]:
            if position < start:
                morphemes.extend(self._analyse(text, position, start))
            if start < end:
                surface = text[start:end]
                morphemes.append(_Morpheme(start, end, LATIN_POS, surface, surface))
            position = end
        return morphemes

    def _analyse(self, text: str, start: int, end: int) -> list[_Morpheme]:
        morphemes: list[_Morpheme] = []
        offset = start
        for chunk in chunk_by_bytes(text[start:end], MAX_CHUNK_BYTES, _CHUNK_BREAKS):
            for m in self._tokenizer.tokenize(chunk):
                pos = tuple(m.part_of_speech())
                begin, finish = offset + m.begin(), offset + m.end()
                # Sudachi also calls some non-space symbols 空白 (¸): keep those.
                spans = non_space_spans(text, begin, finish)
                if spans != [(begin, finish)]:
                    # Whitespace inside a morpheme: keep its non-space parts as they are.
                    for a, b in spans:
                        morphemes.append(_Morpheme(a, b, pos, text[a:b], text[a:b]))
                    continue
                morphemes.append(
                    _Morpheme(
                        begin,
                        finish,
                        pos,
                        m.normalized_form(),
                        m.dictionary_form(),
                        bool(m.is_oov()),
                    )
                )
            offset += len(chunk)
        return morphemes

    # --- tokens ------------------------------------------------------------------------

    def tokenize(self, text: str) -> list[Token]:
        tokens: list[Token] = []
        for m in self._segment(text):
            surface = text[m.start : m.end]
            pos = self._coarse_pos(m.pos, surface)
            norm = fold(m.normalized) if m.pos != LATIN_POS else fold(surface)
            is_stop = pos not in ("PUNCT", "SYM") and (
                m.pos[0] in _FUNCTION_POS
                or any(form in self._stopwords for form in (surface, m.dictionary, m.normalized))
            )
            tokens.append(Token(surface, norm, pos, is_stop))
        return tokens

    @staticmethod
    def _coarse_pos(pos: tuple[str, ...], surface: str) -> str:
        major = pos[0]
        minor = pos[1] if len(pos) > 1 else "*"
        if pos == LATIN_POS:
            return latin_pos(surface)
        if major == "名詞":
            if minor == "固有名詞":
                return "PROPN"
            if minor == "数詞":
                return "NUM"
            return "NOUN"
        if major == "動詞":
            return "VERB"
        if major in ("形容詞", "形状詞", "連体詞"):
            return "X" if minor == "助動詞語幹" else "ADJ"
        if major == "副詞":
            return "ADV"
        if major in ("補助記号", "記号", "空白"):
            if minor in ("句点", "読点", "括弧開", "括弧閉"):
                return "PUNCT"
            return symbol_pos(surface)
        return "X"

    # --- names -------------------------------------------------------------------------

    def find_names(self, text: str) -> list[tuple[str, MentionKind, str]]:
        morphemes = self._segment(text)
        # (start, end, kind, signal, priority): longer spans win, then higher priority.
        spans: list[tuple[int, int, MentionKind, str, int]] = []
        index = 0
        while index < len(morphemes):
            m = morphemes[index]
            if m.pos == LATIN_POS:
                last = index
                while (
                    last + 1 < len(morphemes)
                    and morphemes[last + 1].pos == LATIN_POS
                    and text[morphemes[last].end : morphemes[last + 1].start] == " "
                    and text[morphemes[last + 1].start].isupper()
                ):
                    last += 1
                if is_namelike_latin(text[m.start : m.end]):
                    end = morphemes[last].end
                    kind: MentionKind = (
                        "product" if any(ch.isdigit() for ch in text[m.start : end]) else "other"
                    )
                    spans.append((m.start, end, kind, "latin", 1))
                index = last + 1
                continue
            if len(m.pos) > 1 and m.pos[1] == "固有名詞":
                # Consecutive proper nouns, also across ・, make one name.
                last = index
                while (
                    last + 1 < len(morphemes) and morphemes[last + 1].start == morphemes[last].end
                ):
                    following = morphemes[last + 1]
                    if len(following.pos) > 1 and following.pos[1] == "固有名詞":
                        last += 1
                    elif (
                        text[following.start : following.end] in ("・", "＝")
                        and last + 2 < len(morphemes)
                        and len(morphemes[last + 2].pos) > 1
                        and morphemes[last + 2].pos[1] == "固有名詞"
                    ):
                        last += 2
                    else:
                        break
                group = morphemes[index : last + 1]
                subtypes = [g.pos[2] for g in group if len(g.pos) > 2]
                kind = next((_NAME_KIND[s] for s in subtypes if s in _NAME_KIND), "other")
                subtype = next((s for s in subtypes if s in _NAME_KIND), "固有名詞")
                if group[-1].end - m.start >= 2:
                    spans.append((m.start, group[-1].end, kind, f"sudachi:{subtype}", 3))
                index = last + 1
                continue
            index += 1
        starts = [m.start for m in morphemes]
        for match in _KATAKANA_RUN_RE.finditer(text):
            letters = sum(1 for ch in match.group() if ch not in "・＝")
            if letters >= 3:
                inside = _within(morphemes, starts, match.start(), match.end())
                kind = self._kind_inside(inside)
                signal = self._katakana_signal(inside, match.start(), match.end())
                spans.append((match.start(), match.end(), kind, signal, 2))
        chosen: list[tuple[int, int, MentionKind, str, int]] = []
        for span in sorted(spans, key=lambda s: (s[0] - s[1], -s[4], s[0])):
            if all(span[1] <= other[0] or other[1] <= span[0] for other in chosen):
                chosen.append(span)
        # Names are looked for after an article's tokens: its lines are not asked again.
        self._segment.clear()
        return [(text[s[0] : s[1]], s[2], s[3]) for s in sorted(chosen, key=lambda s: s[0])]

    @staticmethod
    def _katakana_signal(inside: list[_Morpheme], start: int, end: int) -> str:
        """ "katakana:common" when the run is one known common noun (モデル, リスク): a
        loanword rather than a name; "katakana:common-parts" when it is made only of such
        nouns; plain "katakana" for unknown words and compounds with a name in them.
        `inside` are the morphemes within [start, end)."""
        common = [m.pos[:2] == ("名詞", "普通名詞") and not m.oov for m in inside]
        if len(inside) == 1 and (inside[0].start, inside[0].end) == (start, end) and common[0]:
            return "katakana:common"
        covered = bool(inside) and inside[0].start == start and inside[-1].end == end
        if covered and all(common):
            # Only known common nouns (ベースモデル): no name on its own, but it may still
            # be a brand spelled with common words (ディープシーク = ディープ + シーク).
            return "katakana:common-parts"
        return "katakana"

    @staticmethod
    def _kind_inside(inside: list[_Morpheme]) -> MentionKind:
        for m in inside:
            if len(m.pos) > 2 and m.pos[1] == "固有名詞":
                kind = _NAME_KIND.get(m.pos[2])
                if kind is not None:
                    return kind
        return "other"

    def measure(self, text: str) -> int:
        return cjk_measure(text)


def _within(morphemes: list[_Morpheme], starts: list[int], start: int, end: int) -> list[_Morpheme]:
    """The morphemes lying within [start, end); `starts` are their start offsets, sorted."""
    inside = []
    index = bisect_left(starts, start)
    while index < len(morphemes) and morphemes[index].start < end:
        if morphemes[index].end <= end:
            inside.append(morphemes[index])
        index += 1
    return inside
