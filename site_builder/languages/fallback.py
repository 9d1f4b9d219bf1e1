"""Generic family for languages without a dedicated one (Korean, Thai, Russian, Arabic …).

Words are Unicode word runs; scripts written without spaces (Thai, Lao, Khmer, Myanmar,
Han, kana) fall back to one token per character. Good enough to build a page without
crashing; not good enough for fine keyphrases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import MentionKind, Token
from . import (
    CLOSERS,
    UNSEGMENTED_CLASS,
    BudgetUnit,
    cap_length,
    cut_at,
    fold,
    inside_region,
    is_namelike_latin,
    latin_runs,
    lines_of,
    quote_regions,
    symbol_pos,
)

MAX_SENTENCE_CHARS = 400
# Languages whose script has no spaces between words: budget them in characters.
UNSEGMENTED_LANGUAGES = frozenset({"th", "lo", "km", "my", "bo", "dz"})

_UNSEGMENTED_RE = re.compile(f"[{UNSEGMENTED_CLASS}]")
# Vowel signs and tone marks of unsegmented scripts stay with their base character.
_SCRIPT_MARKS = (
    "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u0eb1\u0eb4-\u0ebc\u0ec8-\u0ecd"
    "\u102b-\u103e\u17b4-\u17d3\u0f71-\u0f84\u3099\u309a"
)
_TOKEN_RE = re.compile(
    f"(?P<char>[{UNSEGMENTED_CLASS}][{_SCRIPT_MARKS}]*)"
    # Combining marks are not \w: keep accents and Indic vowel signs inside their word.
    rf"|(?P<word>(?:(?![{UNSEGMENTED_CLASS}])[^\W_]|[\u0300-\u036f\u0900-\u0963\u0966-\u0dff])+)"
    r"|(?P<other>\S)"
)
# Full stops of many scripts: Latin, CJK, Devanagari danda, Arabic, Armenian, Ethiopic.
_TERMINATOR_RE = re.compile("(?:[.!?…。！？।॥؟۔։።]|\\.{2,})+[" + re.escape(CLOSERS) + "]*(?=\\s|$)")


@dataclass(frozen=True, slots=True)
class FallbackFamily:
    lang: str
    stopwords: frozenset[str] = field(default=frozenset(), repr=False)
    is_fallback: bool = True

    @property
    def budget_unit(self) -> BudgetUnit:
        primary = self.lang.split("-", 1)[0]
        return "chars" if primary in UNSEGMENTED_LANGUAGES else "words"

    def split_sentences(self, paragraph: str) -> list[str]:
        sentences: list[str] = []
        for line in lines_of(paragraph):
            regions = quote_regions(line, MAX_SENTENCE_CHARS)
            cuts = [
                match.end()
                for match in _TERMINATOR_RE.finditer(line)
                if not inside_region(match.end(), regions)
            ]
            for piece in cut_at(line, cuts):
                sentences.extend(cap_length(piece, MAX_SENTENCE_CHARS))
        return sentences

    def tokenize(self, text: str) -> list[Token]:
        tokens: list[Token] = []
        for match in _TOKEN_RE.finditer(text):
            surface = match.group()
            norm = fold(surface)
            if match.lastgroup == "other":
                tokens.append(Token(surface, norm, symbol_pos(surface)))
            elif surface.isdigit():
                tokens.append(Token(surface, norm, "NUM"))
            elif norm in self.stopwords:
                tokens.append(Token(surface, norm, "X", is_stop=True))
            else:
                tokens.append(Token(surface, norm, "NOUN"))
        return tokens

    def find_names(self, text: str) -> list[tuple[str, MentionKind, str]]:
        """Only Latin-script names (DeepSeek, GPT-4) are reliable without a dictionary."""
        names: list[tuple[str, MentionKind, str]] = []
        for start, end in latin_runs(text):
            word = text[start:end]
            if is_namelike_latin(word):
                kind: MentionKind = "product" if any(ch.isdigit() for ch in word) else "other"
                names.append((word, kind, "latin"))
        return names

    def measure(self, text: str) -> int:
        return sum(1 for match in _TOKEN_RE.finditer(text) if match.lastgroup != "other")
