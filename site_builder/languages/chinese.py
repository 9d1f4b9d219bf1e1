"""Chinese, Simplified and Traditional, segmented with jieba.

jieba's dictionary is Simplified: Traditional text segments badly and its tagger runs
much slower on it. So every text is converted to Simplified first (OpenCC t2s keeps one
character per character), segmented there, and the tokens are mapped back to the
original characters by offset. Token.norm is the Simplified form, which also makes
Simplified and Traditional articles share their keys.

Latin-script runs (DeepSeek, R1, o1-mini) are cut out before segmentation so they come
out whole, whatever jieba would do with hyphens and digits.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial
from typing import TYPE_CHECKING, Any, NamedTuple

from ..model import MentionKind, Token
from . import (
    HAN_RE,
    BudgetUnit,
    LineSegments,
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
LATIN_FLAG = "eng"

# Widely reported proper nouns that jieba's dictionary cuts apart or tags as common
# words (英伟达 → 英/伟达). World knowledge, not tied to any one article.
PROPER_NOUNS: tuple[tuple[str, str], ...] = (
    ("英伟达", "nt"),
    ("微软", "nt"),
    ("谷歌", "nt"),
    ("脸书", "nt"),
    ("亚马逊", "nt"),
    ("苹果公司", "nt"),
    ("英特尔", "nt"),
    ("台积电", "nt"),
    ("三星", "nt"),
    ("高通", "nt"),
    ("博通", "nt"),
    ("美光", "nt"),
    ("阿斯麦", "nt"),
    ("软银", "nt"),
    ("甲骨文", "nt"),
    ("百度", "nt"),
    ("腾讯", "nt"),
    ("华为", "nt"),
    ("阿里巴巴", "nt"),
    ("字节跳动", "nt"),
    ("深度求索", "nt"),
    ("幻方量化", "nt"),
    ("月之暗面", "nt"),
    ("智谱", "nt"),
    ("彭博社", "nt"),
    ("路透社", "nt"),
    ("白宫", "nt"),
    ("欧盟", "nt"),
    ("硅谷", "ns"),
    ("达沃斯", "ns"),
    ("扎克伯格", "nr"),
    ("阿尔特曼", "nr"),
    ("斯普特尼克", "nz"),
)

# jieba tags → coarse POS. Tags not listed map to X (pronouns, particles, idioms …).
_POS_BY_FLAG: dict[str, str] = {
    **dict.fromkeys(("nr", "nrt", "nrfg", "ns", "nt", "nz"), "PROPN"),
    **dict.fromkeys(("n", "ng", "nl", "s", "f", "t", "tg", "vn", "an", "j"), "NOUN"),
    **dict.fromkeys(("v", "vd", "vg", "vi", "vq"), "VERB"),
    **dict.fromkeys(("a", "ag", "b", "z"), "ADJ"),
    **dict.fromkeys(("d", "dg", "ad"), "ADV"),
    **dict.fromkeys(("m", "mq"), "NUM"),
}
# Function-word tags: particles, prepositions, conjunctions, pronouns, interjections.
_STOP_FLAGS = frozenset({"u", "uj", "ul", "uz", "ug", "uv", "ud", "p", "c", "r", "y", "e", "o"})
_NAME_KIND: dict[str, MentionKind] = {
    "nr": "person",
    "nrt": "person",
    "nrfg": "person",
    "ns": "place",
    "nt": "organization",
    "nz": "other",
}
# Separators inside transliterated full names (马克·安德森).
_NAME_DOTS = frozenset("·‧・•")


# A tuple: made for every word of every article, and a tuple is made about
# twice as fast as a frozen dataclass.
class _Piece(NamedTuple):
    start: int  # offsets into the original text
    end: int
    simplified: str
    flag: str  # jieba POS flag, "eng" for a protected Latin run


def _shifted_piece(piece: _Piece, offset: int) -> _Piece:
    return _Piece(piece.start + offset, piece.end + offset, piece.simplified, piece.flag)


class ChineseFamily:
    """zh-Hans, zh-Hant or zh; segmentation is the same, only `lang` differs."""

    def __init__(self, lang: str, variant: str | None, resources: LanguageResources) -> None:
        self._lang = lang
        self._variant = variant
        self._resources = resources
        self._pos_tokenizer: Any = resources.jieba_pos_tokenizer()
        for word, tag in PROPER_NOUNS:
            self._pos_tokenizer.tokenizer.add_word(word, None, tag)
        self._stopwords = resources.stopwords("zh")
        # Pieces of a text, line by line: no word or Latin run spans a line break.
        self._segment = LineSegments(self._segment_uncached, _shifted_piece)

    @property
    def lang(self) -> str:
        return self._lang

    @property
    def variant(self) -> str | None:
        """Script variant, "Hans" or "Hant", or None when the tag does not say."""
        return self._variant

    @property
    def budget_unit(self) -> BudgetUnit:
        return "chars"

    @property
    def is_fallback(self) -> bool:
        return False

    def split_sentences(self, paragraph: str) -> list[str]:
        return split_cjk_sentences(paragraph, MAX_SENTENCE_CHARS)

    # --- segmentation ------------------------------------------------------------------

    def _simplified(self, text: str) -> str:
        """Simplified form with the same length as `text`, character for character."""
        converted = self._resources.to_simplified(text)
        if len(converted) == len(text):
            return converted
        # A phrase mapping changed the length: convert character by character instead.
        chars = []
        for char in text:
            single = self._resources.to_simplified(char) if HAN_RE.match(char) else char
            chars.append(single if len(single) == 1 else char)
        return "".join(chars)

    def _segment_uncached(self, text: str) -> list[_Piece]:
        simplified = self._simplified(text)
        pieces: list[_Piece] = []
        position = 0
        for start, end in [*latin_runs(text), (len(text), len(text))]:
            if position < start:
                pieces.extend(self._cut(simplified, position, start))
            if start < end:
                pieces.append(_Piece(start, end, simplified[start:end], LATIN_FLAG))
            position = end
        return pieces

    def _cut(self, simplified: str, start: int, end: int) -> list[_Piece]:
        pieces: list[_Piece] = []
        offset = start
        for pair in self._pos_tokenizer.cut(simplified[start:end]):
            word: str = pair.word
            found = simplified.find(word, offset, end)
            if not word or found < 0:
                continue
            offset = found + len(word)
            for a, b in non_space_spans(simplified, found, offset):
                pieces.append(_Piece(a, b, simplified[a:b], str(pair.flag)))
        return pieces

    # --- tokens ------------------------------------------------------------------------

    def tokenize(self, text: str) -> list[Token]:
        tokens: list[Token] = []
        for piece in self._segment(text):
            surface = text[piece.start : piece.end]
            norm = fold(piece.simplified)
            pos = self._coarse_pos(piece.flag, surface)
            is_stop = pos not in ("PUNCT", "SYM") and (
                piece.flag in _STOP_FLAGS or norm in self._stopwords
            )
            tokens.append(Token(surface, norm, pos, is_stop))
        return tokens

    @staticmethod
    def _coarse_pos(flag: str, surface: str) -> str:
        if flag == LATIN_FLAG:
            return latin_pos(surface)
        if not HAN_RE.search(surface):
            # Digits, punctuation and symbols: decide from the characters themselves.
            if flag in ("m", "mq") and any(ch.isdigit() for ch in surface):
                return "NUM"
            return symbol_pos(surface)
        return _POS_BY_FLAG.get(flag, "X")

    # --- names -------------------------------------------------------------------------

    def find_names(self, text: str) -> list[tuple[str, MentionKind, str]]:
        pieces = self._segment(text)
        # Converted only if some name needs it: few do, and the text is the whole article.
        simplified_text = cache(partial(self._simplified, text))
        spans: list[tuple[int, int, MentionKind, str]] = []
        index = 0
        while index < len(pieces):
            piece = pieces[index]
            if piece.flag == LATIN_FLAG:
                last = index
                # Adjacent Latin names separated by one space form one name (Chatbot Arena).
                while (
                    last + 1 < len(pieces)
                    and pieces[last + 1].flag == LATIN_FLAG
                    and text[pieces[last].end : pieces[last + 1].start] == " "
                    and is_namelike_latin(text[pieces[last + 1].start : pieces[last + 1].end])
                    and text[pieces[last + 1].start].isupper()
                ):
                    last += 1
                surface = text[piece.start : pieces[last].end]
                if is_namelike_latin(text[piece.start : piece.end]):
                    kind: MentionKind = (
                        "product" if any(ch.isdigit() for ch in surface) else "other"
                    )
                    spans.append((piece.start, pieces[last].end, kind, "latin"))
                index = last + 1
                continue
            if piece.simplified in _NAME_DOTS and 0 < index < len(pieces) - 1:
                span = self._dotted_name(pieces, index)
                if span is not None:
                    spans.append((span[0], span[1], "person", "jieba:nr·"))
            elif (
                piece.flag in _NAME_KIND
                and len(HAN_RE.findall(piece.simplified)) >= 2
                and self._plausible_name(piece.simplified, simplified_text)
            ):
                spans.append(
                    (piece.start, piece.end, _NAME_KIND[piece.flag], f"jieba:{piece.flag}")
                )
            index += 1
        # Names are the last step of an article that segments: its lines are let go, so
        # the memo never carries one article's text into the next.
        self._segment.clear()
        return [(text[start:end], kind, signal) for start, end, kind, signal in _longest(spans)]

    def _plausible_name(self, word: str, simplified_text: Callable[[], str]) -> bool:
        """Whether a word jieba tags as a name (nr, ns, nt, nz) reads as one.

        jieba's tagger also tags ordinary words and fragments as names (令人, 聊天, 远高于).
        Kept: proper nouns in CC-CEDICT (with an ordinary reading too, like 高达, only
        when recurring in the text); words CC-CEDICT does not know unless they open or end
        with a function word (但其与) or cut into ordinary words (测试表明 = 测试 + 表明).
        """
        lexicon = self._resources.lexicon()
        if lexicon.knows(word):
            if lexicon.is_proper_noun(word):
                return not lexicon.is_common_word(word) or simplified_text().count(word) >= 2
            return False
        # A function word at an edge, unless it starts or ends a longer known word
        # (阿 in 阿尔卑斯山 starts 阿尔卑斯).
        sizes = range(2, len(word))
        if word[0] in self._stopwords and not any(lexicon.knows(word[:n]) for n in sizes):
            return False
        if word[-1] in self._stopwords and not any(lexicon.knows(word[-n:]) for n in sizes):
            return False
        return not lexicon.only_common_words(word)

    @staticmethod
    def _dotted_name(pieces: list[_Piece], dot: int) -> tuple[int, int] | None:
        """马克·安德森: the Han words around a middle dot, plus name words that follow."""
        left, right = pieces[dot - 1], pieces[dot + 1]
        adjacent = left.end == pieces[dot].start and pieces[dot].end == right.start
        if not adjacent or not (HAN_RE.match(left.simplified) and HAN_RE.match(right.simplified)):
            return None
        if not (left.flag.startswith("nr") or right.flag.startswith("nr")):
            return None
        end = dot + 1
        while (
            end + 1 < len(pieces)
            and pieces[end + 1].start == pieces[end].end
            and (
                pieces[end + 1].flag.startswith("nr")
                or (
                    pieces[end + 1].simplified in _NAME_DOTS
                    and end + 2 < len(pieces)
                    and HAN_RE.match(pieces[end + 2].simplified) is not None
                )
            )
        ):
            end += 2 if pieces[end + 1].simplified in _NAME_DOTS else 1
        return left.start, pieces[end].end

    def measure(self, text: str) -> int:
        return cjk_measure(text)


def _longest(
    spans: list[tuple[int, int, MentionKind, str]],
) -> list[tuple[int, int, MentionKind, str]]:
    """Non-overlapping spans, longer ones first, returned in text order."""
    chosen: list[tuple[int, int, MentionKind, str]] = []
    for span in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        if all(span[1] <= other[0] or other[1] <= span[0] for other in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: s[0])
