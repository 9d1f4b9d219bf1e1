"""Languages written in Latin script with spaces between words (pt, en, es, fr, de, it …).

No tagger is used: sentences are cut with punctuation rules that know abbreviations,
decimals, initials and URLs; tokens come from a regular expression; names are
capitalised word sequences.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import NamedTuple

from ..model import MentionKind, Token
from . import (
    WORD_RE,
    BudgetUnit,
    cap_length,
    cut_at,
    fold,
    inside_region,
    lines_of,
    quote_regions,
    symbol_pos,
)

# Sentences longer than this are cut at commas (then spaces): summaries must stay readable.
MAX_SENTENCE_CHARS = 600

# Words that end with a period yet never end a sentence: titles and Latin-style
# abbreviations (the period is followed by a name or the rest of the phrase).
NO_SPLIT_ABBREVIATIONS = frozenset(
    [
        "sr",
        "sra",
        "srta",
        "srs",
        "sras",
        "dr",
        "dra",
        "drs",
        "dras",
        "prof",
        "profa",
        "profs",
        "mr",
        "mrs",
        "ms",
        "messrs",
        "mme",
        "mlle",
        "st",
        "sto",
        "sta",
        "sts",
        "jr",
        "gen",
        "gov",
        "pres",
        "sen",
        "dep",
        "rep",
        "rev",
        "pe",
        "fr",
        "ing",
        "eng",
        "arq",
        "adv",
        "exmo",
        "exma",
        "ilmo",
        "ilma",
        "av",
        "r",
        "vs",
        "cf",
        "ca",
        "al",
        "approx",
        "aprox",
        "ex",
        "obs",
        "ref",
        "tel",
        "hr",
        "dept",
        "depto",
    ]
)
# Abbreviations that do not end a sentence when a number follows (No. 5, p. 12, vol. 3).
NUMBER_ABBREVIATIONS = frozenset(
    [
        "no",
        "nº",
        "n",
        "núm",
        "num",
        "nr",
        "vol",
        "vols",
        "cap",
        "caps",
        "fig",
        "figs",
        "art",
        "arts",
        "p",
        "pp",
        "pág",
        "págs",
        "pag",
        "ed",
        "tab",
        "sec",
        "seç",
    ]
)
# Honorifics: a capitalised sequence right after one of these is a person.
HONORIFICS = frozenset(
    [
        "sr",
        "sra",
        "srta",
        "dr",
        "dra",
        "prof",
        "profa",
        "mr",
        "mrs",
        "ms",
        "mme",
        "mlle",
        "sir",
        "dom",
        "dona",
        "don",
        "doña",
        "herr",
        "frau",
    ]
)
# Lower-case words that may sit inside a multi-word name (Banco do Brasil, Bank of America).
CONNECTORS = frozenset(
    [
        "de",
        "da",
        "do",
        "das",
        "dos",
        "del",
        "della",
        "di",
        "du",
        "des",
        "la",
        "le",
        "von",
        "van",
        "der",
        "den",
        "of",
        "the",
    ]
)
# Adverb endings where they are reliable enough to help keyphrase patterns.
ADVERB_SUFFIXES: dict[str, str] = {
    "pt": "mente",
    "es": "mente",
    "it": "mente",
    "gl": "mente",
    "ca": "ment",
    "en": "ly",
}
# Small additions where stopwords-iso misses frequent function words.
EXTRA_STOPWORDS: dict[str, frozenset[str]] = {
    "pt": frozenset(
        [
            "à",
            "às",
            "pelo",
            "pela",
            "pelos",
            "pelas",
            "num",
            "numa",
            "nuns",
            "numas",
            "dum",
            "duma",
            "lhe",
            "lhes",
        ]
    ),
    "en": frozenset(["also", "however", "would", "could"]),
}

# Content words that stopwords-iso lists as stop words; keyphrases need them.
CONTENT_WORDS: dict[str, frozenset[str]] = {
    "pt": frozenset(
        [
            "apoio",
            "caminho",
            "conselho",
            "estado",
            "grupo",
            "povo",
            "sistema",
            "trabalho",
            "trabalhar",
            "valor",
            "viagem",
            "área",
            "obra",
            "nível",
            "número",
            "questão",
            "relação",
            "posição",
            "local",
            "lugar",
            "ponto",
            "pontos",
            "corrente",
            "ligado",
            "desligado",
            "comprido",
        ]
    ),
}

_TERMINATOR_RE = re.compile(r"(?:\.{2,}|[.!?…])+[”’»)\]\"']*")
_DOTTED_ABBREVIATION_RE = re.compile(r"(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,2}")
_LIST_MARKER_RE = re.compile(r"\(?(?:\d{1,3}|[ivxlcdm]{1,4}|[a-z])", re.IGNORECASE)
_OPENERS = "“\"«‘'([¿¡"
_TOKEN_RE = re.compile(
    r"(?P<url>(?:https?://|ftp://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]}'”’»])"
    r"|(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<ellipsis>\.{2,}|…)"
    f"|(?P<word>{WORD_RE.pattern})"
    r"|(?P<other>\S)"
)
_SENTENCE_END_TOKENS = frozenset({".", "!", "?", "…"})


def _can_start_sentence(char: str) -> bool:
    if char.isupper() or char.isdigit() or char in _OPENERS:
        return True
    # Letters of caseless scripts (a CJK quote inside Portuguese text) may start one too.
    return char.isalpha() and not char.islower()


def sentence_cuts(line: str) -> list[int]:
    """Positions in a single line where a new sentence starts (before trimming)."""
    regions = quote_regions(line, MAX_SENTENCE_CHARS)
    cuts: list[int] = []
    last_cut = 0
    for match in _TERMINATOR_RE.finditer(line):
        end = match.end()
        rest = line[end:]
        stripped = rest.lstrip()
        if not stripped or len(stripped) == len(rest):
            continue  # end of line, or no space after the mark (4.5, example.com/x?y)
        following = stripped[0]
        if not _can_start_sentence(following):
            continue
        terminator = match.group().rstrip("”’»)]\"'")
        if "!" in terminator or "?" in terminator:
            pass
        elif "…" in terminator or ".." in terminator:
            # An elision mark (…) or […] stays inside its sentence.
            if match.start() > 0 and line[match.start() - 1] in "([":
                continue
        elif not _period_ends_sentence(line[last_cut : match.start()], following):
            continue
        if inside_region(end, regions):
            continue
        cuts.append(end)
        last_cut = end
    return cuts


def _period_ends_sentence(before: str, following: str) -> bool:
    """Whether a single period after `before` (the sentence so far) ends the sentence."""
    words = before.split()
    if not words:
        return True
    word = words[-1].lstrip(_OPENERS)
    key = word.casefold()
    if key in NO_SPLIT_ABBREVIATIONS:
        return False
    if key in NUMBER_ABBREVIATIONS and following.isdigit():
        return False
    if len(word) == 1 and word.isalpha():
        return False  # an initial (J. R. R. Tolkien) or p. ex.
    if _DOTTED_ABBREVIATION_RE.fullmatch(word):
        return False  # U.S., e.g., a.C.
    # A list marker alone ("1.", "iv.") is not a sentence.
    return not (len(words) == 1 and _LIST_MARKER_RE.fullmatch(word))


# Each word of every article goes through these three; the str-method tests in front
# settle most words in C, exactly: a rest that is all lower case holds no capital; in an
# all-lower-case word, or an all-letter word that is not all capitals, some letter is
# not a capital (or there is none); an all-letter word holds no digit.


def _is_camel(word: str) -> bool:
    rest = word[1:]
    if rest.islower():
        return False
    return any(ch.isupper() for ch in rest) and any(ch.islower() for ch in word)


def _is_acronym(word: str) -> bool:
    if word.islower() or (word.isalpha() and not word.isupper()):
        return False
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _is_alphanumeric_name(word: str) -> bool:
    """R1, GPT-4, o1, V3: starts with a letter and carries a digit."""
    return word[0].isalpha() and not word.isalpha() and any(ch.isdigit() for ch in word)


# A tuple: made for every word of every article, and a tuple is made about
# twice as fast as a frozen dataclass.
class _Word(NamedTuple):
    text: str
    start: int
    end: int
    initial: bool  # first word of its sentence


@dataclass(frozen=True, slots=True)
class LatinFamily:
    lang: str
    stopwords: frozenset[str] = field(repr=False)
    budget_unit: BudgetUnit = "words"
    is_fallback: bool = False

    def __post_init__(self) -> None:
        extra = EXTRA_STOPWORDS.get(self.lang, frozenset())
        content = CONTENT_WORDS.get(self.lang, frozenset())
        object.__setattr__(self, "stopwords", (self.stopwords | extra) - content)

    # --- sentences --------------------------------------------------------------------

    def split_sentences(self, paragraph: str) -> list[str]:
        sentences: list[str] = []
        for line in lines_of(paragraph):
            for piece in cut_at(line, sentence_cuts(line)):
                sentences.extend(cap_length(piece, MAX_SENTENCE_CHARS))
        return sentences

    # --- words ------------------------------------------------------------------------

    def _words(self, text: str) -> list[_Word]:
        """Word-like tokens with their sentence-initial flag."""
        words: list[_Word] = []
        offset = 0
        for line in text.splitlines(keepends=True):
            stripped = line.rstrip("\r\n")
            boundaries = [0, *sentence_cuts(stripped)]
            previous_sentence = -1
            for match in WORD_RE.finditer(stripped):
                # The first word after a sentence start is sentence-initial.
                sentence = bisect_right(boundaries, match.start()) - 1  # cuts ascend
                words.append(
                    _Word(
                        match.group(),
                        offset + match.start(),
                        offset + match.end(),
                        sentence != previous_sentence,
                    )
                )
                previous_sentence = sentence
            offset += len(line)
        return words

    def _capitalised_mid_sentence(self, words: list[_Word]) -> frozenset[str]:
        return frozenset(w.text for w in words if not w.initial and w.text[:1].isupper())

    def _is_stop(self, word: str) -> bool:
        return fold(word) in self.stopwords

    def tokenize(self, text: str) -> list[Token]:
        found = self._words(text)
        words = {w.start: w for w in found}
        mid_caps, has_lower, signals = self._signals(text, found)
        # A word's strong signal (camel case, acronym, letters with digits) is what
        # _word_token would find again: told it, each word's three tests run once.
        strong = {w.start for w, signal in zip(found, signals, strict=True) if signal in _STRONG}
        name_starts, name_reach = _span_search(self._name_spans(text, found, signals))
        suffix = ADVERB_SUFFIXES.get(self.lang)
        tokens: list[Token] = []
        for match in _TOKEN_RE.finditer(text):
            surface = match.group()
            norm = fold(surface)
            kind = match.lastgroup
            if kind in ("url", "email"):
                tokens.append(Token(surface, norm, "X"))
            elif kind == "ellipsis":
                tokens.append(Token(surface, norm, "PUNCT"))
            elif kind == "other":
                tokens.append(Token(surface, norm, symbol_pos(surface)))
            else:
                start = match.start()
                word = words.get(start)
                initial = word.initial if word else False
                is_strong = start in strong if word and word.text == surface else None
                token = self._word_token(
                    surface, norm, initial, mid_caps, has_lower, suffix, is_strong
                )
                if token.pos == "NOUN" and _in_spans(start, name_starts, name_reach):
                    token = Token(surface, norm, "PROPN")  # first word of a name (Dario Amodei)
                tokens.append(token)
        return tokens

    def _word_token(
        self,
        surface: str,
        norm: str,
        initial: bool,
        mid_caps: frozenset[str],
        has_lower: bool,
        adverb_suffix: str | None,
        strong: bool | None = None,
    ) -> Token:
        """The token of one word; `strong`, when known, is whether the word carries a
        strong name signal (see _signals)."""
        if not any(ch.isalpha() for ch in surface):
            return Token(surface, norm, "NUM")
        if strong is None:
            strong = (
                _is_camel(surface)
                or (has_lower and _is_acronym(surface))
                or _is_alphanumeric_name(surface)
            )
        if norm in self.stopwords and not strong:
            return Token(surface, norm, "X", is_stop=True)
        capitalised = surface[0].isupper()
        if strong or (capitalised and (not initial or surface in mid_caps)):
            return Token(surface, norm, "PROPN")
        if adverb_suffix and len(norm) > len(adverb_suffix) + 3 and norm.endswith(adverb_suffix):
            return Token(surface, norm, "ADV")
        return Token(surface, norm, "NOUN")

    # --- names ------------------------------------------------------------------------

    def find_names(self, text: str) -> list[tuple[str, MentionKind, str]]:
        words = self._words(text)
        _mid_caps, _has_lower, signals = self._signals(text, words)
        return [
            (text[start:end], kind, signal)
            for start, end, kind, signal in self._name_spans(text, words, signals)
        ]

    def _signals(
        self, text: str, words: list[_Word]
    ) -> tuple[frozenset[str], bool, list[str | None]]:
        """The words capitalised mid-sentence (_capitalised_mid_sentence), whether `text`
        has a lower-case letter, and each of `words`' name signal, or None:
        "alphanumeric", "camelcase" and "acronym" (strong, _STRONG), or "capitalised"."""
        mid_caps = self._capitalised_mid_sentence(words)
        line_has_lower = any(ch.islower() for ch in text)

        def signal(word: _Word) -> str | None:
            surface = word.text
            if _is_alphanumeric_name(surface):
                return "alphanumeric"
            if _is_camel(surface):
                return "camelcase"
            if line_has_lower and _is_acronym(surface):
                return "acronym"
            if not surface[0].isupper() or self._is_stop(surface) or fold(surface) in HONORIFICS:
                return None
            if word.initial and surface not in mid_caps:
                return None
            return "capitalised"

        return mid_caps, line_has_lower, [signal(word) for word in words]

    def _name_spans(
        self, text: str, words: list[_Word], word_signals: list[str | None]
    ) -> list[tuple[int, int, MentionKind, str]]:
        """Name spans (start, end, kind, signal) in text order, from the words of `text`
        and their signals (_signals)."""
        signals = list(word_signals)
        # A capitalised sentence-initial word directly followed by a name starts that name
        # (Dario Amodei analisa …), unless it is a function word (Mas Google …).
        for i in range(len(words) - 1):
            word = words[i]
            if (
                signals[i] is not None
                or not word.initial
                or not word.text[:1].isupper()
                or self._is_stop(word.text)
                or fold(word.text) in HONORIFICS
            ):
                continue
            following = i + 1
            # Only direct neighbours: across a connector, "Custos de Google" would pass too.
            if (
                signals[following] is not None
                and not words[following].initial
                and _space_between(text, word, words[following])
            ):
                signals[i] = "capitalised"
        names: list[tuple[int, int, MentionKind, str]] = []
        index = 0
        while index < len(words):
            first_signal = signals[index]
            if first_signal is None:
                index += 1
                continue
            # Extend over single-space gaps, allowing up to two connectors in between.
            members = [index]
            member_signals = [first_signal]
            probe = index + 1
            while probe < len(words):
                connectors = 0
                look = probe
                while (
                    look < len(words)
                    and connectors < 2
                    and words[look].text in CONNECTORS
                    and _space_between(text, words[look - 1], words[look])
                ):
                    connectors += 1
                    look += 1
                if look >= len(words) or not _space_between(text, words[look - 1], words[look]):
                    break
                next_signal = signals[look]
                if next_signal is None or words[look].initial:
                    break
                members.append(look)
                member_signals.append(next_signal)
                probe = look + 1
            first, last = words[members[0]], words[members[-1]]
            kind, name_signal = self._kind(text, words, members[0], member_signals)
            names.append((first.start, last.end, kind, name_signal))
            index = members[-1] + 1
        return names

    def _kind(
        self, text: str, words: list[_Word], first: int, signals: list[str]
    ) -> tuple[MentionKind, str]:
        if first > 0:
            previous = words[first - 1]
            gap = text[previous.end : words[first].start]
            if fold(previous.text) in HONORIFICS and gap.strip() in ("", "."):
                return "person", "honorific"
        if "alphanumeric" in signals:
            return "product", "alphanumeric"
        if len(signals) == 1:
            return "other", signals[0]
        return "other", "capitalised"

    def measure(self, text: str) -> int:
        return sum(1 for _ in WORD_RE.finditer(text))


# Signals that make a word a name wherever it stands (see LatinFamily._signals).
_STRONG = frozenset({"alphanumeric", "camelcase", "acronym"})


def _span_search(spans: list[tuple[int, int, MentionKind, str]]) -> tuple[list[int], list[int]]:
    """The starts of spans in text order, and the furthest end reached by each span and
    those before it: see _in_spans."""
    starts: list[int] = []
    reach: list[int] = []
    furthest = 0
    for start, end, _kind, _signal in spans:
        furthest = max(furthest, end)
        starts.append(start)
        reach.append(furthest)
    return starts, reach


def _in_spans(offset: int, starts: list[int], reach: list[int]) -> bool:
    """Whether some span holds `offset` (start <= offset < end), by _span_search's lists."""
    last = bisect_right(starts, offset) - 1
    return last >= 0 and reach[last] > offset


def _space_between(text: str, left: _Word, right: _Word) -> bool:
    gap = text[left.end : right.start]
    return bool(gap) and gap.isspace() and "\n" not in gap
