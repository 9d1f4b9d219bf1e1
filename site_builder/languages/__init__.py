"""Language-specific text processing, one small interface per language family.

A family knows how to split a paragraph into sentences, cut a sentence into tokens,
tell stop words, and spot names. Everything else in the pipeline is language-neutral.
Segmenters are expensive to load, so a build creates one `LanguageResources`
(site_builder.languages.resources) and asks it for families; it loads each segmenter at
most once (per process) and only when a family that needs it is first requested.

This module also holds the small, dependency-free text helpers the families share
(script classes, Latin-run detection, quote-aware sentence cutting, length capping).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Generic, Literal, Protocol, TypeVar

from ..model import MentionKind, Token


def _jieba_warnings_only(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING


# jieba announces every dictionary load on stderr at DEBUG level, also when wordfreq loads
# its own copy for Chinese word frequencies, and resets its level when imported: a filter
# on its logger survives that, so builds stay quiet (-q means errors only).
logging.getLogger("jieba").addFilter(_jieba_warnings_only)

BudgetUnit = Literal["chars", "words"]


class NameCandidate(Protocol):
    text: str
    kind: MentionKind
    source: str


class LanguageFamily(Protocol):
    """What the pipeline needs from a language. Implementations are immutable.

    Coarse parts of speech (Token.pos) are one of NOUN PROPN VERB ADJ ADV NUM PUNCT SYM X.
    Families without a tagger (Latin scripts, fallback) mark content words NOUN, function
    words X, and guess PROPN from capitalisation; treat their NOUN as "content word".
    A family is not thread-safe (the Japanese tokenizer is not): use one
    `LanguageResources` per worker process or thread.
    """

    @property
    def lang(self) -> str:
        """BCP 47 tag this instance serves."""
        ...

    @property
    def budget_unit(self) -> BudgetUnit:
        """How summary length and reading time are counted."""
        ...

    @property
    def is_fallback(self) -> bool:
        """True for the generic family used for languages without a dedicated one."""
        ...

    def split_sentences(self, paragraph: str) -> list[str]:
        """Sentences of one paragraph, in order, whitespace trimmed, none empty.

        Never drops a non-space character: the sentences joined equal the paragraph
        minus whitespace. Line breaks always end a sentence; over-long sentences are cut.
        """
        ...

    def tokenize(self, text: str) -> list[Token]:
        """Word tokens of a sentence (no whitespace tokens), in order of appearance."""
        ...

    def find_names(self, text: str) -> list[tuple[str, MentionKind, str]]:
        """Named things in a sentence, in order of appearance, repeats kept.

        Each item is (surface as written, kind, signal), e.g.
        ("英偉達", "organization", "jieba:nt"). `text` may hold several sentences; for
        Latin scripts a capitalised sentence-initial word then counts as a name when the
        same word is capitalised mid-sentence elsewhere in `text`.
        """
        ...

    def measure(self, text: str) -> int:
        """Length in budget units: words for Latin scripts, characters for CJK."""
        ...


# --- script classes --------------------------------------------------------------------

# Han ideographs: URO + extension A + compatibility + extensions B… (astral).
HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Kana without the prolonged-sound mark and middle dot, which Chinese text also uses.
KANA_CLASS = "\u3041-\u309f\u30a0-\u30fa\u30fd-\u30ff\u31f0-\u31ff\uff66-\uff9d"
HANGUL_CLASS = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
# Scripts written without spaces between words: one character is one unit.
UNSEGMENTED_CLASS = (
    # Han, kana, Thai, Lao, Myanmar, Khmer, Tibetan.
    HAN_CLASS
    + KANA_CLASS
    + "\u30fc\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff\u0f00-\u0fff"
)

HAN_RE = re.compile(f"[{HAN_CLASS}]")
KANA_RE = re.compile(f"[{KANA_CLASS}]")
HANGUL_RE = re.compile(f"[{HANGUL_CLASS}]")
CJK_UNIT_RE = re.compile(f"[{HAN_CLASS}{KANA_CLASS}\u30fc{HANGUL_CLASS}]")

# Latin letters (with accents) and digits; full-width forms included.
_LATIN_LETTERS = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\uff21-\uff3a\uff41-\uff5a"
)
_LATIN_ALNUM = _LATIN_LETTERS + "0-9\uff10-\uff19"
_LATIN_LETTER_RE = re.compile(f"[{_LATIN_LETTERS}]")
# A run of Latin letters/digits joined by - . _ ' & + (o1-mini, GPT-4o, U.S, C++, AT&T);
# a joiner must sit between two alphanumerics, except trailing + (C++).
LATIN_RUN_RE = re.compile(f"[{_LATIN_ALNUM}]+(?:[-._'’&/][{_LATIN_ALNUM}]+)*\\+*")
# Latin runs worth protecting from CJK segmenters: they hold at least one letter.
WORD_RE = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+(?:[-'’.&](?:[^\W_]|[\u0300-\u036f])+|,\d+)*")


def latin_runs(text: str) -> list[tuple[int, int]]:
    """Spans of Latin-script words (with at least one letter) inside any text."""
    return [
        (m.start(), m.end())
        for m in LATIN_RUN_RE.finditer(text)
        if _LATIN_LETTER_RE.search(m.group())
    ]


def has_latin_letter(text: str) -> bool:
    return _LATIN_LETTER_RE.search(text) is not None


def is_namelike_latin(word: str) -> bool:
    """A Latin word that reads as a name inside CJK text: has a capital or a digit, ≥ 2 chars.

    Keeps DeepSeek, R1, o1-mini, GPT-4o, AI; drops lower-case words and roman numerals (ii).
    """
    if len(word) < 2 or not has_latin_letter(word):
        return False
    has_upper = any(ch.isupper() for ch in word)
    has_digit = any(ch.isdigit() for ch in word)
    return has_upper or (has_digit and word[0].isalpha())


def latin_pos(word: str) -> str:
    """Coarse POS for a Latin word seen inside CJK text."""
    if not has_latin_letter(word):
        return "NUM"
    return "PROPN" if is_namelike_latin(word) else "NOUN"


def symbol_pos(text: str) -> str:
    """PUNCT, SYM or X for a token made of non-word characters."""
    cats = {unicodedata.category(ch)[0] for ch in text}
    if cats <= {"P"}:
        return "PUNCT"
    if cats <= {"S", "P"}:
        return "SYM"
    if cats <= {"N"}:
        return "NUM"
    return "X"


def fold(text: str) -> str:
    """Normalised key for counting: compatibility forms unified, case folded."""
    return unicodedata.normalize("NFKC", text).casefold()


# --- sentence cutting -------------------------------------------------------------------

# Quote and bracket pairs: a terminator inside a matched pair does not end a sentence.
QUOTE_PAIRS: dict[str, str] = {
    "“": "”",
    "‘": "’",
    "«": "»",
    "「": "」",
    "『": "』",
    "（": "）",
    "(": ")",
    "《": "》",
    "【": "】",
    "〈": "〉",
    "〔": "〕",
    "[": "]",
}
CLOSERS = "”’»」』）)》】〉〕]}\"'"
_SYMMETRIC_QUOTES = '"'


_QUOTE_CHARACTER = re.compile(
    "[" + re.escape("".join(sorted({*QUOTE_PAIRS, *_SYMMETRIC_QUOTES, *CLOSERS}))) + "]"
)


def quote_regions(line: str, max_length: int) -> list[tuple[int, int]]:
    """Matched quote/bracket spans (start, end exclusive) no longer than `max_length`.

    Unbalanced quotes are ignored, and so are long spans, so that one stray “ cannot
    glue a whole page into one sentence.
    """
    # Only the quote and bracket characters matter: found in C, not one by one.
    quotes = ((match.start(), match.group()) for match in _QUOTE_CHARACTER.finditer(line))
    return _matched_regions(quotes, max_length)


def _matched_regions(
    characters: Iterable[tuple[int, str]], max_length: int
) -> list[tuple[int, int]]:
    """quote_regions from (index, character) pairs of the line in order: any that are not
    quotes or brackets are passed over."""
    regions: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    open_symmetric: int | None = None
    for index, char in characters:
        if char in QUOTE_PAIRS:
            stack.append((QUOTE_PAIRS[char], index))
        elif char in _SYMMETRIC_QUOTES:
            if open_symmetric is None:
                open_symmetric = index
            else:
                regions.append((open_symmetric, index + 1))
                open_symmetric = None
        elif stack and char in CLOSERS:
            # Close the innermost matching opener; openers left above it were unbalanced.
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == char:
                    regions.append((stack[depth][1], index + 1))
                    del stack[depth:]
                    break
    return [(start, end) for start, end in regions if end - start <= max_length]


def inside_region(position: int, regions: Sequence[tuple[int, int]]) -> bool:
    """Whether a cut at `position` (between two characters) falls strictly inside a region."""
    return any(start < position < end for start, end in regions)


def cut_at(line: str, cuts: Iterable[int]) -> list[str]:
    """Pieces of `line` between cut positions, trimmed, empty ones dropped."""
    pieces: list[str] = []
    previous = 0
    for cut in sorted(set(cuts)):
        if previous < cut < len(line):
            pieces.append(line[previous:cut])
            previous = cut
    pieces.append(line[previous:])
    return [piece.strip() for piece in pieces if piece.strip()]


SOFT_BREAKS = ",;:，、；：)）」』”"


def cap_length(sentence: str, max_chars: int) -> list[str]:
    """Cut a sentence longer than `max_chars` at commas, then spaces, then anywhere."""
    pieces: list[str] = []
    rest = sentence
    while len(rest) > max_chars:
        window = rest[:max_chars]
        floor = max(1, max_chars // 3)
        cut = max((window.rfind(ch) for ch in SOFT_BREAKS), default=-1) + 1
        if cut <= floor:
            cut = window.rfind(" ") + 1
        if cut <= floor:
            cut = max_chars
            # Do not separate a base character from its combining marks.
            while cut > floor and unicodedata.combining(rest[cut]):
                cut -= 1
        head, rest = rest[:cut].strip(), rest[cut:].strip()
        if head:
            pieces.append(head)
    if rest:
        pieces.append(rest)
    return pieces


def lines_of(paragraph: str) -> list[str]:
    """Non-empty trimmed lines: a line break always ends a sentence."""
    return [line.strip() for line in paragraph.splitlines() if line.strip()]


def chunk_by_bytes(text: str, max_bytes: int, break_chars: str) -> list[str]:
    """Consecutive pieces of `text`, each at most `max_bytes` in UTF-8, cut just after a break
    character when one lies in the second half of the piece; they concatenate back to `text`."""
    chunks: list[str] = []
    start = 0
    while start < len(text):
        size = 0
        end = start
        while end < len(text):
            width = len(text[end].encode("utf-8", "surrogatepass"))
            if size + width > max_bytes:
                break
            size += width
            end += 1
        end = max(end, start + 1)
        if end < len(text):
            window = text[start:end]
            best = max((window.rfind(ch) for ch in break_chars), default=-1)
            if best >= len(window) // 2:
                end = start + best + 1
        chunks.append(text[start:end])
        start = end
    return chunks


# --- CJK sentences ------------------------------------------------------------------------

# Full stops of Chinese and Japanese, full- and half-width; an ellipsis may end a sentence.
# Half-width ! and ? count only when not followed by an ASCII word character (Yahoo!ニュース).
_CJK_TERMINATOR_RE = re.compile(r"(?:[。！？．｡]|[!?](?![=&/#])|…+|⋯+)+")
_CJK_CLOSERS = "”’」』）)》】〉〕]｣"


def cjk_sentence_cuts(line: str, max_chars: int, continuations: str = "") -> list[int]:
    """Cut positions after CJK terminators, closing quotes and brackets kept with them.

    After a closing quote, a character in `continuations` carries the sentence on
    (Japanese 「行こう。」と言った is one sentence).
    """
    regions = quote_regions(line, max_chars)
    cuts: list[int] = []
    for match in _CJK_TERMINATOR_RE.finditer(line):
        end = match.end()
        if (
            match.group() in ("!", "?")
            and match.start() > 0
            and line[match.start() - 1].isascii()
            and line[match.start() - 1].isalnum()
            and end < len(line)
            and not line[end].isspace()
            and line[end] not in _CJK_CLOSERS
        ):
            continue  # part of a Latin name (Yahoo!ニュース)
        while end < len(line):
            char = line[end]
            # A straight double quote closes when an odd number of them precede it.
            if char in _CJK_CLOSERS or (char == '"' and line.count('"', 0, end) % 2 == 1):
                end += 1
            else:
                break
        if end > match.end() and end < len(line) and line[end] in continuations:
            continue
        if end < len(line) and not inside_region(end, regions):
            cuts.append(end)
    return cuts


def split_cjk_sentences(paragraph: str, max_chars: int, continuations: str = "") -> list[str]:
    sentences: list[str] = []
    for line in lines_of(paragraph):
        for piece in cut_at(line, cjk_sentence_cuts(line, max_chars, continuations)):
            sentences.extend(cap_length(piece, max_chars))
    return sentences


_Unit = TypeVar("_Unit")


class LineSegments(Generic[_Unit]):
    """A segmenter's units (words, morphemes) of a text, line by line, so that no unit
    spans a line break, each line's kept until `clear`: a family segments an article's
    sentences for their tokens, then all of them again, joined by line breaks, to find
    its names; the second time finds every line done. `shift` moves a unit along the
    text (its offsets are the line's)."""

    def __init__(
        self,
        segment: Callable[[str], list[_Unit]],
        shift: Callable[[_Unit, int], _Unit],
        *,
        limit: int = 4096,  # lines kept; more, and the memo starts over
    ) -> None:
        self._segment = segment
        self._shift = shift
        self._limit = limit
        self._lines: dict[str, tuple[_Unit, ...]] = {}

    def __call__(self, text: str) -> list[_Unit]:
        if "\n" not in text:
            return list(self._line(text))
        units: list[_Unit] = []
        offset = 0
        shift = self._shift
        for line in text.split("\n"):
            units.extend(shift(unit, offset) for unit in self._line(line))
            offset += len(line) + 1
        return units

    def _line(self, text: str) -> tuple[_Unit, ...]:
        found = self._lines.get(text)
        if found is None:
            found = tuple(self._segment(text))
            if len(self._lines) >= self._limit:
                self._lines.clear()
            self._lines[text] = found
        return found

    def clear(self) -> None:
        self._lines.clear()


def non_space_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The whitespace-free stretches of text[start:end] (a segmenter may keep odd spaces)."""
    piece = text[start:end]
    words = piece.split()  # the same whitespace as \s: called for every word of CJK text
    if len(words) == 1 and len(words[0]) == end - start:
        return [(start, end)]
    return [(start + m.start(), start + m.end()) for m in _NON_SPACE_RE.finditer(piece)]


_NON_SPACE_RE = re.compile(r"\S+")


def cjk_measure(text: str) -> int:
    """Han, kana and hangul characters, plus Latin words."""
    return len(CJK_UNIT_RE.findall(text)) + len(latin_runs(text))
