"""Topics: link what the articles talk about across languages.

Two sources of topics:

* **Declared** topics from ``content/topics.yaml``: the editor names a topic and lists the
  forms it takes in each language. Use them for links neither the written form nor the
  lexicon can make (aprendizado por reforço ↔ 强化学习), for a machine translation's
  garbled names (Anthrop), and to rename or merge automatic topics. Aliases always win.
* **Automatic** topics, from the analysis stage's mentions (names) and keyphrases, linked by
  their written form only. The linking key folds Latin names by case, accents, spaces,
  hyphens and dots (DeepSeek = Deepseek = Deep-Seek); Han by its Simplified form
  (英偉達 = 英伟达; Japanese kanji words meet Chinese ones the same way: 強化学習 = 强化学习);
  katakana by its NFKC form without ``・``. A compound of known names counts for each part
  ("DeepSeek-R1" is also a mention of DeepSeek and of R1; never split for people's names).
  A candidate becomes a topic when it occurs in two or more articles, or, for a name, in
  three or more sentences of one article (at most three such topics per article).
  Never topics: numbers, single letters or Han/kana characters, stop words, words more
  common than Zipf 5 in the article's language (wordfreq) unless written as a name
  (capitalised inside a sentence, never in lower case, or a CC-CEDICT proper noun like
  美国), common nouns by the language family's own signal (``katakana:common``), and
  figures: the same amount in two articles is as often two facts as one, so figures are
  linked elsewhere (site_builder.figures), never by their written form here.

**Bilingual lexicon** (site_builder.lexicon, when the resources provide one). Candidates
in other scripts are re-keyed by an English name, so that 英伟达 / 英偉達 / エヌビディア /
NVIDIA / Nvidia all meet on "nvidia":

* CC-CEDICT: a Han candidate (Chinese; Japanese kanji only when Sudachi calls it a proper
  noun) that CEDICT knows only as a proper noun takes the key of its English name
  (英伟达 → NVIDIA, 達沃斯 → Davos, 特朗普 and 唐纳德·特朗普 → Donald Trump, 米国 → United
  States). Words with an ordinary reading (模型 "model", 高达) keep their written key.
* e2k: a Japanese katakana mention that is not one common noun is compared with every
  Latin name of the corpus (written ones and CEDICT's); it takes the name's key when the
  kana similarity reaches lexicon.KATAKANA_THRESHOLD and the name is corroborated (in two
  articles, or in a language other than Japanese). ダボス ≈ Davos, ディープシーク ≈ DeepSeek.
* Shared terms: a Han string of 4–5 characters used by articles in two languages, in
  three sentences or more, not a CEDICT word itself but exactly two ordinary CEDICT words
  (强化 + 学习), is a theme: segmenters cut such terms apart (強化學習 = 强化学习).
Aliases always win: a candidate whose written key an alias claims is never re-keyed.

topics.yaml format::

    # topics.yaml — editor-declared topics. Aliases always win over automatic linking.
    topics:
      - name: NVIDIA                # display name (required)
        kind: organization          # person | organization | place | product | event |
                                    # theme | figure | other (default: other)
        aliases:                    # per language: BCP 47 tag, or "*" for any language;
          "*": [NVIDIA]             # each value a string or a list of strings
          zh: [英伟达]              # "zh" matches zh-Hans and zh-Hant; Traditional and
          ja: [エヌビディア]        # Simplified forms match both ways
      - name: Sputnik moment
        kind: event
        aliases: {zh: [斯普特尼克时刻], ja: [スプートニク・モーメント]}
      - name: Meta                  # without "aliases" the name itself is the alias ("*")
    suppress: [AI, IA]              # automatic topics never to show (any language)

How aliases match: an article is a member of a declared topic when an alias for its language
(or for "*") occurs in the text of one of its sentences. Latin aliases match whole words,
ignoring case and accents; spaces, hyphens and dots inside an alias also match their absence
("DeepSeek R1" finds "DeepSeek-R1" and "DeepSeekR1"). Han aliases match inside words, after
converting both sides to Simplified. Katakana aliases match whole katakana runs. A declared
topic also absorbs automatic candidates whose key equals an alias's key, and candidates seen
only inside its aliases' matches (斯普特尼克 inside 斯普特尼克时刻). A declared topic that
matches no article is left out. One alias may not belong to two topics in the same language.

Rename, merge, suppress. A declared topic takes over every automatic candidate whose key
(after the lexicon) equals one of its aliases' keys: declaring ``{name: Sputnik moment,
aliases: {"*": [Sputnik]}}`` renames the automatic topic that 斯普特尼克 formed; listing
the aliases of two automatic topics (``"*": [GPU, NVIDIA]``) merges them into one;
``suppress`` hides a key altogether.

Each member records why it was linked (TopicMember.reason), e.g. "alias 'NVIDIA'
(topics.yaml:20)", "same Latin name", "Traditional/Simplified form 英偉達 = 英伟达",
"CC-CEDICT: 英伟达 → NVIDIA (OpenCC: 英偉達 = 英伟达)", "e2k: エヌビディア ≈ NVIDIA (1.00)",
"shared term (CC-CEDICT words 强化 + 学习)", "compound DeepSeek-R1", "keyphrase",
"name found in 4 sentences", "name 'OpenAI' in text".

Errors in topics.yaml (syntax, unknown keys, wrong types, unknown kind, a topic without a
name, one alias declared in two topics) raise SiteBuilderError with the file and line.
"""

from __future__ import annotations

import re
import struct
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields, replace
from functools import partial
from itertools import accumulate
from pathlib import Path
from typing import Any, Literal, Protocol, get_args, runtime_checkable

import numpy as np
import numpy.typing as npt
import yaml

from .arrays import members, repeated, sorted_distinct
from .article_memos import ArticleMemos, LinkingMemo
from .errors import SiteBuilderError
from .figures import (
    Figure,
    figure_key,
    figures_of,
    link_figures,
    parse_figure,
    too_vague_as_context,
)
from .fingerprints import fields_of_record, value_digest
from .languages.frequency import phrase_zipf, whole_word_zipf
from .lexicon import Lexicon, normalise_kana
from .model import Article, MentionKind, Topic, TopicAlias, TopicMember
from .stories import story_features

TOPICS_FILE = "topics.yaml"

# A name found in only one article becomes a topic when it appears in at least this many
# sentences there; at most this many such topics per article keep the index readable.
SINGLE_ARTICLE_MIN_SENTENCES = 3
SINGLE_ARTICLE_MAX_TOPICS = 3
# Lengths of the Han compound terms looked for across languages (强化学习, 聊天机器人).
SHARED_TERM_CHARS = (4, 5)
# ... and how many sentences in all must use one: a theme recurs, a phrase does not.
SHARED_TERM_MIN_SENTENCES = 3
# How many short-string codes of one language wait before they are merged (memory).
_MERGE_CODES = 1 << 20

# Zipf frequency (log10 per billion words) above which a word is too common to be a topic,
# unless it is written as a name. 5.0 ≈ "company", "market", "empresa", "mercado".
GENERIC_ZIPF = 5.0

KINDS: tuple[MentionKind, ...] = get_args(MentionKind)
# When mention kinds disagree, "other" (a bare capitalisation signal) loses to any real kind.
_KIND_ORDER = {kind: rank for rank, kind in enumerate(KINDS)}

# Languages for which wordfreq works offline without an extra tokenizer (ja/ko need MeCab).
_WORDFREQ_LATIN = frozenset(
    {"ca", "cs", "da", "de", "en", "es", "fi", "fil", "fr", "hu", "id", "is", "it", "lt"}
    | {"lv", "ms", "nb", "nl", "pl", "pt", "ro", "sh", "sk", "sl", "sv", "tr", "vi"}
)

# Characters that separate the parts of a name: whitespace, hyphens and dashes, dots,
# underscores and the middle dots of transliterated names (马克·安德森, スプートニク・モーメント).
_SEPARATOR_CHARS = frozenset(" \t\n\r\u00a0\u3000-\u2010\u2011\u2012\u2013\u2014\u2015._·・‧･")
# Joins an article's sentences for searching: no pattern matches across it.
_SENTENCE_JOINER = "\x00"
# A span in a memo: sentence, start, end (see _packed_spans).
_SPAN = struct.Struct("<iii")
_RUN_SENTENCE = struct.Struct("<i")  # a sentence index in a memo's Han runs
_SEPARATOR_CLASS = r"[\s\-\u2010-\u2015._\u00b7\u30fb\u2027\uff65]"
_LATIN_ALNUM_CLASS = r"[0-9a-zA-Z\u00c0-\u024f]"
_KANA_CLASS = r"[\u30a0-\u30ff\u31f0-\u31ff]"
_LANG_TAG = re.compile(r"^(\*|[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*)$")
# A mention signal the language family marks as a common noun ("katakana:common"): it
# may link across articles like a keyphrase, but is no name for a single-article topic.
_COMMON_SIGNAL = ":common"
_TRAILING_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_SENTENCE_OPENERS = "\"'“”‘’«»「」『』([（【-–—•*0123456789.) "

Script = Literal["latin", "han", "kana", "mixed", "none"]


class HanConverter(Protocol):
    """What linking needs from the language resources: Traditional → Simplified Han.

    Only Han characters change, and no conversion spans another character (OpenCC's
    tables hold Han only): linking converts long texts Han run by Han run.
    """

    def to_simplified(self, text: str) -> str: ...


@runtime_checkable
class LexiconSource(Protocol):
    """Language resources that also hand out the bilingual lexicon (LanguageResources)."""

    def lexicon(self) -> Lexicon: ...


# The exact signal of a katakana word that is one common noun (モデル, リスク): never
# matched against Latin names. Compounds of common nouns (ディープシーク) may be brands.
_KATAKANA_COMMON_NOUN = "katakana:common"


# --- characters and keys --------------------------------------------------------------


def _is_latin_letter(char: str) -> bool:
    return char.isalpha() and unicodedata.name(char, "").startswith("LATIN")


def _is_latin_alnum(char: str) -> bool:
    return _is_latin_letter(char) or (char.isdigit() and char.isascii())


def _is_han(char: str) -> bool:
    return unicodedata.name(char, "").startswith(("CJK UNIFIED", "CJK COMPATIBILITY IDEOGRAPH"))


def _is_kana(char: str) -> bool:
    return "\u3040" <= char <= "\u30ff" or "\u31f0" <= char <= "\u31ff"


def _script(text: str) -> Script:
    latin = han = kana = False
    for char in text:
        if _is_latin_letter(char):
            latin = True
        elif _is_han(char):
            han = True
        elif _is_kana(char) and char not in "・ー":
            kana = True
    if sum((latin, han, kana)) > 1:
        return "mixed"
    if latin:
        return "latin"
    if han:
        return "han"
    return "kana" if kana else "none"


def _strip_latin_accents(char: str) -> str:
    if _is_latin_letter(char):
        return unicodedata.normalize("NFD", char)[0]
    return char


def _is_separator(text: str, index: int) -> bool:
    """A separator inside a name; a dot or comma between digits is part of a number."""
    char = text[index]
    if char == "." and 0 < index < len(text) - 1:
        return not (text[index - 1].isdigit() and text[index + 1].isdigit())
    return char in _SEPARATOR_CHARS


def _split_parts(text: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    for index, char in enumerate(text):
        if _is_separator(text, index):
            if current:
                parts.append("".join(current))
                current = []
        else:
            current.append(char)
    if current:
        parts.append("".join(current))
    return parts


def linking_key(text: str, to_simplified: Callable[[str], str]) -> str:
    """Key under which two written forms count as the same name.

    NFKC; Han → Simplified; Latin → case-folded without accents; separators (spaces,
    hyphens, dots, middle dots, ・) removed; an English possessive 's dropped.
    "Deep-Seek" → "deepseek", "英偉達" → "英伟达", "ｽﾌﾟｰﾄﾆｸ・モーメント" → "スプートニクモーメント".
    """
    text = unicodedata.normalize("NFKC", text).strip()
    text = _TRAILING_POSSESSIVE.sub("", text)
    text = to_simplified(text)
    kept = [c for i, c in enumerate(text) if not _is_separator(text, i)]
    return "".join(_strip_latin_accents(c) for c in kept).casefold()


def topic_slug(name: str) -> str:
    """Slug-like key of a declared topic name: "Sputnik moment" → "sputnik-moment"."""
    text = unicodedata.normalize("NFKC", name)
    text = "".join(_strip_latin_accents(c) for c in text).casefold()
    text = re.sub(r"['’]", "", text)  # "DeepSeek's" → "deepseeks", not "deepseek-s"
    return re.sub(r"[\W_]+", "-", text).strip("-")


def _fold(text: str, to_simplified: Callable[[str], str]) -> str:
    """Fold text for searching, one character for one so that offsets stay valid:
    Simplified Han, NFKC width, Latin lower case without accents."""
    simplified = to_simplified(text)
    if len(simplified) != len(text):
        simplified = "".join(s if len(s := to_simplified(c)) == 1 else c for c in text)
    folded: list[str] = []
    for char in simplified:
        normal = unicodedata.normalize("NFKC", char)
        if len(normal) != 1:
            normal = char
        if _is_latin_letter(normal):
            base = _strip_latin_accents(normal)
            lower = base.lower()
            normal = lower if len(lower) == 1 else base
        folded.append(normal)
    return "".join(folded)


def _form_pattern(folded_form: str) -> re.Pattern[str] | None:
    """Regex finding a folded form in folded text, with boundaries by script:
    Latin forms match whole words, katakana forms whole katakana runs, Han anywhere."""
    parts = _split_parts(folded_form)
    if not parts:
        return None
    body = f"{_SEPARATOR_CLASS}{{0,3}}".join(re.escape(part) for part in parts)
    first, last = parts[0][0], parts[-1][-1]
    before = after = ""
    if _is_latin_alnum(first):
        before = f"(?<!{_LATIN_ALNUM_CLASS})"
    elif _is_kana(first):
        before = f"(?<!{_KANA_CLASS})"
    if _is_latin_alnum(last):
        after = f"(?!{_LATIN_ALNUM_CLASS})"
    elif _is_kana(last):
        after = f"(?!{_KANA_CLASS})"
    return re.compile(before + body + after)


# Runs of Han characters (every character _is_han accepts, see the tests). Text is
# converted to Simplified run by run: the converter changes Han only and none of its
# conversions spans another character, and most of a corpus is not Han at all.
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]+")
# The Latin word runs that _form_pattern's boundaries see.
_LATIN_RUN = re.compile(_LATIN_ALNUM_CLASS + "+")
_HAN_TERM_RUN = re.compile("[\u4e00-\u9fff]{" + str(SHARED_TERM_CHARS[0]) + ",}")
# A Latin form whose opening word starts this many indexed words or more is looked for in
# every article: the union of their articles would cost more than it saves.
_MAX_PREFIX_WORDS = 256


def _in_latin_class(char: str) -> bool:
    """The characters of _LATIN_ALNUM_CLASS."""
    return (
        "0" <= char <= "9"
        or "a" <= char <= "z"
        or "A" <= char <= "Z"
        or "\u00c0" <= char <= "\u024f"
    )


def _in_kana_class(char: str) -> bool:
    """The characters of _KANA_CLASS."""
    return "\u30a0" <= char <= "\u30ff" or "\u31f0" <= char <= "\u31ff"


@dataclass(frozen=True, slots=True)
class _FormSearch:
    """How one folded form is searched: a literal with the boundaries of _form_pattern
    when it has one part (most names), else the compiled pattern."""

    parts: tuple[str, ...]
    literal: str  # the single part, "" when there are several
    pattern: re.Pattern[str] | None  # only with several parts
    before: Callable[[str], bool] | None  # class that may not precede a match
    after: Callable[[str], bool] | None  # class that may not follow a match

    @classmethod
    def of(cls, folded_form: str) -> _FormSearch:
        parts = tuple(_split_parts(folded_form))
        if not parts:
            return cls(parts, "", None, None, None)
        first, last = parts[0][0], parts[-1][-1]
        before = after = None
        if _is_latin_alnum(first):
            before = _in_latin_class
        elif _is_kana(first):
            before = _in_kana_class
        if _is_latin_alnum(last):
            after = _in_latin_class
        elif _is_kana(last):
            after = _in_kana_class
        if len(parts) == 1:
            return cls(parts, parts[0], None, before, after)
        return cls(parts, "", _form_pattern(folded_form), before, after)

    def finditer(self, text: str) -> Iterable[tuple[int, int]]:
        """(start, end) of the matches, as _form_pattern(form).finditer(text) gives them."""
        if self.pattern is not None:
            if all(part in text for part in self.parts):
                for match in self.pattern.finditer(text):
                    yield match.start(), match.end()
            return
        literal, before, after = self.literal, self.before, self.after
        if not literal:
            return
        size = len(literal)
        position = text.find(literal)
        while position >= 0:
            end = position + size
            if (before is None or position == 0 or not before(text[position - 1])) and (
                after is None or end == len(text) or not after(text[end])
            ):
                yield position, end
                position = text.find(literal, end)
            else:
                position = text.find(literal, position + 1)


_CAPITALISED_BEFORE = re.compile(r"(?:^|[^\w'’.])([^\W\d_][\w'’.]*)[ \-\u2010]$")
_CAPITALISED_AFTER = re.compile(r"[ \-\u2010]([^\W\d_])")


# A Han character of a run as a number: its offset from U+4E00 (runs hold U+4E00–U+9FFF
# only, see _HAN_TERM_RUN), in 15 bits; a string of SHARED_TERM_CHARS[0] of them packs
# into one int64.
_HAN_FIRST = 0x4E00
_HAN_BITS = 15
assert SHARED_TERM_CHARS[0] * _HAN_BITS < 63 and SHARED_TERM_CHARS[1] == SHARED_TERM_CHARS[0] + 1


@dataclass(frozen=True, slots=True)
class _PackedRuns:
    """One article's Han runs as kept in its memo (see _packed_han_runs)."""

    path: str
    lang: str
    indexes: bytes  # the sentence index of each line, packed (_RUN_SENTENCE)
    lines: str  # one line of space-separated runs per sentence that has one


def _short_codes(
    lines: str,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_], npt.NDArray[np.intp]]:
    """For each place of `lines` (runs as _packed_han_runs keeps them): the code of the
    SHARED_TERM_CHARS[0]-character string that starts there, whether that string lies
    inside one run, and the line it starts on."""
    size = SHARED_TERM_CHARS[0]
    chars = np.frombuffer(lines.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    count = len(chars) - size + 1
    if count <= 0:
        return np.zeros(0, np.int64), np.zeros(0, bool), np.zeros(0, np.intp)
    newline = chars == ord("\n")
    breaks = np.zeros(len(chars) + 1, np.int64)
    np.cumsum(newline | (chars == ord(" ")), out=breaks[1:])
    inside = breaks[size : size + count] == breaks[:count]
    digits = (chars - _HAN_FIRST) & ((1 << _HAN_BITS) - 1)  # a break's is never used
    codes = np.zeros(count, np.int64)
    for offset in range(size):
        codes <<= _HAN_BITS
        codes |= digits[offset : offset + count]
    line = np.cumsum(newline)[:count]
    return codes, inside, line


def _shared_han_strings(runs: Sequence[_PackedRuns]) -> dict[str, dict[str, tuple[int, ...]]]:
    """Each Han string of SHARED_TERM_CHARS characters written in two languages or more,
    and the sentences of each article it occurs in (a sentence once, in order).

    A string of the longer size is written in two languages only if both strings of the
    shorter size it holds are: so the short strings are found first, as packed codes,
    sorted and compared with NumPy, and the long ones only where two shared short ones
    follow each other. Python sets of every string took 0.4 s per 1,000 articles, and
    memory in proportion to the distinct strings of all articles."""
    # The distinct short codes of each language, merged as they grow.
    by_lang: dict[str, list[npt.NDArray[np.int64]]] = defaultdict(list)
    waiting: Counter[str] = Counter()
    for article in runs:
        codes, inside, _ = _short_codes(article.lines)
        parts = by_lang[article.lang]
        parts.append(sorted_distinct(codes[inside]))
        waiting[article.lang] += len(parts[-1])
        if waiting[article.lang] > _MERGE_CODES:
            by_lang[article.lang] = [sorted_distinct(np.concatenate(parts))]
            waiting[article.lang] = len(by_lang[article.lang][0])
    distinct = [sorted_distinct(np.concatenate(parts)) for parts in by_lang.values()]
    shared_short = repeated(np.concatenate(distinct)) if distinct else np.zeros(0, np.int64)
    if len(shared_short) == 0:
        return {}
    seen: dict[str, dict[str, tuple[int, ...]]] = defaultdict(dict)
    long_langs: dict[str, set[str]] = defaultdict(set)
    long_seen: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    names: dict[int, str] = {}
    size = SHARED_TERM_CHARS[0]
    for article in runs:
        codes, inside, line = _short_codes(article.lines)
        shared = inside & members(codes, shared_short)
        places = np.flatnonzero(shared)
        if len(places) == 0:
            continue
        sentences = np.frombuffer(article.indexes, dtype=_RUN_SENTENCE.format)[line]
        where: dict[str, list[int]] = defaultdict(list)
        order = np.lexsort((sentences[places], codes[places]))
        ordered = codes[places][order], sentences[places][order]
        pair = np.ones(len(order), dtype=bool)  # a (code, sentence) pair not seen before
        pair[1:] = (ordered[0][1:] != ordered[0][:-1]) | (ordered[1][1:] != ordered[1][:-1])
        for place, code, sentence in zip(
            places[order][pair].tolist(),
            ordered[0][pair].tolist(),
            ordered[1][pair].tolist(),
            strict=True,
        ):
            name = names.get(code)
            if name is None:
                name = names[code] = article.lines[place : place + size]
            where[name].append(sentence)
        for name, indexes in where.items():
            seen[name][article.path] = tuple(indexes)
        # Two shared short strings in a row, inside one run: a long string.
        for place in np.flatnonzero(shared[:-1] & shared[1:]).tolist():
            name = article.lines[place : place + size + 1]
            long_langs[name].add(article.lang)
            long_seen[name][article.path].add(int(sentences[place]))
    for name, langs in long_langs.items():
        if len(langs) >= 2:
            seen[name] = {path: tuple(sorted(found)) for path, found in long_seen[name].items()}
    return seen


def _packed_han_runs(runs: Iterable[tuple[int, Sequence[str]]]) -> tuple[bytes, str]:
    """Han runs as kept in a memo: the sentence indexes packed (_RUN_SENTENCE), and one
    line of space-separated runs per sentence (runs hold Han characters only). A tuple of
    strings per sentence was the largest memo of a Chinese or Japanese article."""
    listed = list(runs)
    indexes = b"".join(_RUN_SENTENCE.pack(index) for index, _ in listed)
    return indexes, "\n".join(" ".join(sentence_runs) for _, sentence_runs in listed)


def _inside_longer_name(sentence: str, start: int, end: int) -> bool:
    """A Latin match joined by a space or hyphen to a capitalised word: "Sam" in "Sam Altman"."""
    if not _is_latin_alnum(sentence[start]):
        return False
    before = _CAPITALISED_BEFORE.search(sentence[:start])
    if before is not None and before.group(1)[0].isupper():
        return True
    after = _CAPITALISED_AFTER.match(sentence, end)
    return after is not None and after.group(1).isupper()


def _transliterable(name: str) -> bool:
    """A Latin name e2k can read: letters only, not a short acronym (API, LLM)."""
    letters = name.replace(" ", "").replace("-", "")
    return (
        letters.isalpha()
        and letters.isascii()
        and not (letters.isupper() and len(letters) <= 3)
        and len(letters) >= 3
    )


def _lang_base(lang: str) -> str:
    return lang.split("-")[0].casefold()


def _alias_applies(alias_lang: str, article_lang: str) -> bool:
    """ "*" fits every language; "zh" fits "zh-Hant"; "zh-Hant" fits only zh-Hant."""
    if alias_lang == "*":
        return True
    alias, article = alias_lang.casefold(), article_lang.casefold()
    return article == alias or article.startswith(alias + "-")


# --- reading topics.yaml --------------------------------------------------------------


def _display_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return path.as_posix()


class _TopicsFileReader:
    """Turns the composed YAML node tree into TopicAlias records, checking as it goes."""

    def __init__(self, path: str, to_simplified: Callable[[str], str]) -> None:
        self.path = path
        self.to_simplified = to_simplified

    def fail(self, message: str, node: yaml.Node | None) -> SiteBuilderError:
        line = node.start_mark.line + 1 if node is not None else None
        return SiteBuilderError(message, self.path, line)

    def mapping(self, node: yaml.Node, what: str, allowed: Sequence[str]) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(f"{what} must be a mapping (key: value)", node)
        items: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = self.text(key_node, f"a key in {what}")
            if key not in allowed:
                expected = ", ".join(allowed)
                raise self.fail(f"unknown key {key!r} in {what} (expected: {expected})", key_node)
            if key in items:
                raise self.fail(f"duplicate key {key!r} in {what}", key_node)
            items[key] = value_node
        return items

    def text(self, node: yaml.Node, what: str) -> str:
        # Scalars are taken as written: `- NO` is the text "NO", not false.
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(f"{what} must be a text, not a list or mapping", node)
        if node.tag == "tag:yaml.org,2002:null" or not str(node.value).strip():
            raise self.fail(f"{what} is empty", node)
        return str(node.value).strip()

    def texts(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node]]:
        if isinstance(node, yaml.SequenceNode):
            if not node.value:
                raise self.fail(f"{what} is an empty list", node)
            return [(self.text(item, what), item) for item in node.value]
        return [(self.text(node, what), node)]

    def read(self, root: yaml.Node) -> tuple[TopicAlias, ...]:
        top = self.mapping(root, TOPICS_FILE, ("topics", "suppress"))
        declared: list[TopicAlias] = []
        if "topics" in top:
            topics_node = top["topics"]
            if not isinstance(topics_node, yaml.SequenceNode):
                raise self.fail("'topics' must be a list of topics", topics_node)
            declared.extend(self.topic(item) for item in topics_node.value)
        self.check_unique(declared)
        if "suppress" in top:
            for form, node in self.texts(top["suppress"], "a 'suppress' entry"):
                declared.append(
                    TopicAlias(
                        key=topic_slug(form) or form,
                        name=form,
                        kind="other",
                        aliases=(("*", (form,)),),
                        line=node.start_mark.line + 1,
                        suppress=True,
                    )
                )
        return tuple(declared)

    def topic(self, node: yaml.Node) -> TopicAlias:
        fields = self.mapping(node, "a topic", ("name", "kind", "aliases"))
        if "name" not in fields:
            raise self.fail("a topic without 'name'", node)
        name = self.text(fields["name"], "the topic 'name'")
        key = topic_slug(name)
        if not key:
            raise self.fail(f"topic name {name!r} has no letters or digits", fields["name"])
        kind: MentionKind = "other"
        if "kind" in fields:
            kind_text = self.text(fields["kind"], "'kind'")
            if kind_text not in KINDS:
                raise self.fail(
                    f"unknown kind {kind_text!r} (expected one of: {', '.join(KINDS)})",
                    fields["kind"],
                )
            kind = next(k for k in KINDS if k == kind_text)
        aliases: list[tuple[str, tuple[str, ...]]] = []
        if "aliases" in fields:
            alias_node = fields["aliases"]
            if not isinstance(alias_node, yaml.MappingNode) or not alias_node.value:
                raise self.fail(
                    "'aliases' must map languages to forms, e.g. {zh: [英伟达], ja: [ダボス]}",
                    alias_node,
                )
            for lang_node, forms_node in alias_node.value:
                lang = self.text(lang_node, "an alias language")
                if not _LANG_TAG.match(lang):
                    raise self.fail(
                        f"alias language {lang!r} is not a language tag like pt, zh-Hant or '*'",
                        lang_node,
                    )
                if any(existing == lang for existing, _ in aliases):
                    raise self.fail(f"alias language {lang!r} listed twice", lang_node)
                forms = tuple(dict.fromkeys(form for form, _ in self.texts(forms_node, "an alias")))
                aliases.append((lang, forms))
        else:
            aliases.append(("*", (name,)))
        return TopicAlias(
            key=key,
            name=name,
            kind=kind,
            aliases=tuple(aliases),
            line=node.start_mark.line + 1,
        )

    def check_unique(self, declared: Sequence[TopicAlias]) -> None:
        by_slug: dict[str, TopicAlias] = {}
        seen: dict[str, list[tuple[str, str, TopicAlias]]] = defaultdict(list)
        for topic in declared:
            if topic.key in by_slug:
                first = by_slug[topic.key]
                raise SiteBuilderError(
                    f"topic {topic.name!r} declared twice (first at line {first.line})",
                    self.path,
                    topic.line,
                )
            by_slug[topic.key] = topic
            for lang, forms in topic.aliases:
                for form in forms:
                    key = linking_key(form, self.to_simplified)
                    for other_lang, other_form, other in seen[key]:
                        overlap = _alias_applies(lang, other_lang) or _alias_applies(
                            other_lang, lang
                        )
                        if other is not topic and overlap:
                            raise SiteBuilderError(
                                f"alias {form!r} of topic {topic.name!r} is already an alias "
                                f"({other_form!r}) of topic {other.name!r} "
                                f"(line {other.line})",
                                self.path,
                                topic.line,
                            )
                    seen[key].append((lang, form, topic))


def read_topics_file(content_dir: Path) -> tuple[TopicAlias, ...]:
    """Editor-declared topics and suppressed names from content_dir/topics.yaml.

    A missing file means no declarations. Suppressed names come last, as TopicAlias records
    with suppress=True.
    """
    file = content_dir / TOPICS_FILE
    if not file.is_file():
        return ()
    path = _display_path(file)
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SiteBuilderError(f"{TOPICS_FILE} is not UTF-8 text ({error.reason})", path) from None
    except OSError as error:
        raise SiteBuilderError(f"cannot read {TOPICS_FILE}: {error.strerror}", path) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        # An unclosed [ or { is best shown where it opened; anything else where it broke.
        opened = error.context_mark if "flow" in (error.context or "") else None
        mark = opened or error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = error.problem or "invalid YAML"
        if error.context and error.problem_mark is not None:
            problem += f" ({error.context}, error found at line {error.problem_mark.line + 1})"
        raise SiteBuilderError(f"YAML syntax error: {problem}", path, line) from None
    except yaml.YAMLError as error:
        raise SiteBuilderError(f"YAML syntax error: {error}", path) from None
    if root is None:
        return ()
    import opencc  # the reader needs Simplified forms to see one alias declared twice

    converter = opencc.OpenCC("t2s")
    return _TopicsFileReader(path, converter.convert).read(root)


# --- linking --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _ArticleText:
    path: str
    lang: str
    latin_script: bool  # the article is written in Latin script (pt, en, …)
    sentences: tuple[str, ...]
    folded: str  # all sentences folded (see _fold), joined by _SENTENCE_JOINER
    starts: tuple[int, ...]  # offset of each sentence in `folded`


@dataclass(frozen=True, slots=True)
class _Occurrence:
    """One candidate topic in one article: a mention, a keyphrase or a compound's part."""

    article: str
    lang: str
    surface: str
    key: str
    kind: MentionKind | None  # None for keyphrases
    sentences: tuple[int, ...]
    # "inside": found only within a declared alias's matches (斯普特尼克 in 斯普特尼克时刻)
    via: Literal["mention", "keyphrase", "compound", "inside", "term"]
    compound: str = ""  # the compound's surface when via == "compound"
    common: bool = False  # the language family says it is a common noun, not a name
    signal: str = ""  # the mention's source signal ("jieba:nt", "katakana:common", …)
    lexicon: str = ""  # why a bilingual lexicon gave this key, e.g. "CC-CEDICT: …"
    english: str = ""  # the English name the lexicon gave


_occurrence_fields = fields_of_record(_Occurrence)
_figure_fields = fields_of_record(Figure)


class _WordIndex:
    """Which articles hold which Latin words and which other characters (folded text).

    Every match of a form contains all its parts' characters, and a match of a form that
    opens with a Latin word starts a Latin word run of the text (the pattern's boundary):
    so a form can occur only in the articles holding all its other characters and a word
    that starts with its opening word.
    """

    def __init__(self, contents: Iterable[tuple[str, str]]) -> None:
        """From each article's `contents` (in article number order)."""
        words: dict[str, list[int]] = defaultdict(list)
        chars: dict[str, list[int]] = defaultdict(list)
        for number, (article_words, article_chars) in enumerate(contents):
            for word in article_words.split(" ") if article_words else ():
                words[word].append(number)
            for char in article_chars:
                chars[char].append(number)
        self.words = dict(words)
        self.sorted_words = sorted(words)
        self.chars = dict(chars)

    @staticmethod
    def contents(folded: str) -> tuple[str, str]:
        """An article's distinct Latin words (joined by spaces, which no word holds) and
        other characters, sorted, of its folded text: two strings, since every article's
        are held at once (sets of them took a third of the linking memos' memory)."""
        words = " ".join(sorted(set(_LATIN_RUN.findall(folded))))
        return words, "".join(sorted(char for char in set(folded) if not _in_latin_class(char)))

    def articles_with(self, parts: Sequence[str]) -> frozenset[int] | None:
        """Articles that may hold a form of these folded parts (None: any article)."""
        if not parts:
            return frozenset()
        found: set[int] | None = None
        opening = parts[0]
        if _is_latin_alnum(opening[0]) and _in_latin_class(opening[0]):
            run = _LATIN_RUN.match(opening)
            word = run.group() if run is not None else opening
            # Word runs hold class characters only, all below U+FFFF.
            low = bisect_left(self.sorted_words, word)
            high = bisect_left(self.sorted_words, word + "\uffff")
            if high - low <= _MAX_PREFIX_WORDS:  # else the union would cost more than it saves
                found = set()
                for other in self.sorted_words[low:high]:
                    found.update(self.words[other])
        others = {c for part in parts for c in part if not _in_latin_class(c)}
        for char in sorted(others, key=lambda c: len(self.chars.get(c, ()))):
            holders = self.chars.get(char, ())
            found = set(holders) if found is None else found.intersection(holders)
            if not found:
                break
        return None if found is None else frozenset(found)


@dataclass
class _MemberDraft:
    """A member being collected (local to one link_topics call)."""

    reason: str
    surfaces: set[str]
    sentences: set[int]


def _are_occurrence_fields(found: object) -> bool:
    """Whether a kept value is a tuple of _Occurrence field tuples."""
    size = len(fields(_Occurrence))
    return isinstance(found, tuple) and all(
        isinstance(item, tuple) and len(item) == size for item in found
    )


def _packed_spans(spans: Sequence[tuple[int, int, int, str]]) -> bytes | tuple[()]:
    """Spans as kept in a memo: (sentence, start, end) packed as little-endian ints
    (_SPAN), the text as written being the sentence's slice; no spans is the shared empty
    tuple. Every article's memo is held at once: tuples of boxed ints and strings took ten
    times the memory, and an int array twice that of bytes."""
    if not spans:
        return ()
    return b"".join(_SPAN.pack(*span[:3]) for span in spans)


class _Linker:
    def __init__(
        self,
        articles: Sequence[Article],
        resources: HanConverter,
        lexicon: Lexicon | None = None,
        memos: ArticleMemos | None = None,
        kept: LinkingMemo | None = None,
    ) -> None:
        self._convert = resources.to_simplified
        self.lexicon = lexicon
        self.kept = kept or LinkingMemo()
        # Memos for this one linking run; forms are searched many times. Results that
        # depend on one article only are kept in its memo, which can outlive the run.
        self.memos = memos or ArticleMemos()
        self._simplified: dict[str, str] = {}
        self._fold_map: dict[int, str] = {}  # character → folded character (see _fold)
        self._searches: dict[str, _FormSearch] = {}
        self._articles_with: dict[str, frozenset[int] | None] = {}
        self._keys: dict[str, str] = {}
        self._scripts: dict[str, Script] = {}
        self._index: _WordIndex | None = None
        texts = []
        for article in articles:
            sentences = tuple(s.text for s in article.analysis.sentences)
            self.memos.add(article)
            memo = self.memos.of(article.entry.path)
            folded = memo.get("folded")
            if not isinstance(folded, str):
                folded = memo["folded"] = self.fold(_SENTENCE_JOINER.join(sentences))
            texts.append(
                _ArticleText(
                    path=article.entry.path,
                    lang=article.analysis.language.lang,
                    latin_script=article.analysis.language.script == "Latn",
                    sentences=sentences,
                    folded=folded,
                    starts=tuple(accumulate((len(s) + 1 for s in sentences[:-1]), initial=0)),
                )
            )
        self.texts = {t.path: t for t in sorted(texts, key=lambda t: t.path)}
        self.paths = list(self.texts)  # an article's number in the index is its place here
        self.articles = sorted(articles, key=lambda a: a.entry.path)

    # -- folding --

    def to_simplified(self, text: str) -> str:
        """resources.to_simplified, once per distinct text."""
        found = self._simplified.get(text)
        if found is None:
            found = self._simplified[text] = self._convert(text)
        return found

    def script(self, text: str) -> Script:
        """_script(text), once per distinct text."""
        found = self._scripts.get(text)
        if found is None:
            found = self._scripts[text] = _script(text)
        return found

    def key(self, text: str) -> str:
        """linking_key(text), once per distinct text."""
        found = self._keys.get(text)
        if found is None:
            found = self._keys[text] = linking_key(text, self.to_simplified)
        return found

    def simplified_text(self, text: str) -> str:
        """to_simplified of a long text, converting its Han runs only."""
        return _HAN_RUN.sub(lambda run: self.to_simplified(run.group()), text)

    def fold(self, text: str) -> str:
        """_fold(text, to_simplified), computed run by run and character by character."""
        simplified = self.simplified_text(text)
        if len(simplified) != len(text):
            simplified = _HAN_RUN.sub(
                lambda run: "".join(
                    s if len(s := self.to_simplified(c)) == 1 else c for c in run.group()
                ),
                text,
            )
        table = self._fold_map
        for char in set(simplified):
            if ord(char) not in table:
                table[ord(char)] = _fold(char, lambda same: same)
        return simplified.translate(table)

    # -- searching --

    def search(self, form: str) -> _FormSearch:
        found = self._searches.get(form)
        if found is None:
            found = self._searches[form] = _FormSearch.of(self.fold(form))
        return found

    def articles_with(self, form: str) -> frozenset[int] | None:
        """Numbers of the articles where a form may occur (None: any); it occurs in no
        other. From an index of each article's Latin words and other characters."""
        if form not in self._articles_with:
            if self._index is None:
                self._index = _WordIndex(self._contents(t) for t in self.texts.values())
            self._articles_with[form] = self._index.articles_with(self.search(form).parts)
        return self._articles_with[form]

    def _contents(self, text: _ArticleText) -> tuple[str, str]:
        memo = self.memos.of(text.path)
        found = memo.get("contents")
        if found is None:
            found = memo["contents"] = _WordIndex.contents(text.folded)
        return found  # type: ignore[return-value]

    def paths_with(self, forms: Iterable[str]) -> list[str]:
        """The articles (in path order) where one of the forms may occur."""
        numbers: set[int] = set()
        for form in forms:
            found = self.articles_with(form)
            if found is None:
                return self.paths
            numbers |= found
        return [self.paths[number] for number in sorted(numbers)]

    def spans(
        self, form: str, text: _ArticleText, *, whole_name: bool = False
    ) -> list[tuple[int, int, int, str]]:
        """Where a form occurs in an article: (sentence, start, end, text as written).

        whole_name: skip Latin matches that are part of a longer capitalised name, so that
        an automatic topic "Sam" does not find "Sam Bankman-Fried".
        """
        memo = self.memos.of(text.path)
        key = self.memos.key("spans", form, whole_name)
        packed = memo.get(key)
        if packed is None:
            packed = memo[key] = _packed_spans(self._find_spans(form, text, whole_name))
        if not packed:
            return []
        assert isinstance(packed, bytes)
        return [
            (index, start, end, text.sentences[index][start:end])
            for index, start, end in _SPAN.iter_unpack(packed)
        ]

    def _find_spans(
        self, form: str, text: _ArticleText, whole_name: bool
    ) -> list[tuple[int, int, int, str]]:
        found: list[tuple[int, int, int, str]] = []
        for match_start, match_end in self.search(form).finditer(text.folded):
            index = bisect_right(text.starts, match_start) - 1
            offset = text.starts[index]
            start, end = match_start - offset, match_end - offset
            original = text.sentences[index]
            if whole_name and _inside_longer_name(original, start, end):
                continue
            found.append((index, start, end, original[start:end]))
        return found

    def find(
        self, form: str, text: _ArticleText, *, whole_name: bool = False
    ) -> dict[int, set[str]]:
        """Sentences of an article containing a form, with the text as written there."""
        found: dict[int, set[str]] = {}
        for index, _, _, written in self.spans(form, text, whole_name=whole_name):
            found.setdefault(index, set()).add(written)
        return found

    def alias_spans(self, alias: TopicAlias) -> dict[str, list[tuple[int, int, int, str]]]:
        """Where a declared topic's aliases occur, per article."""
        found: dict[str, list[tuple[int, int, int, str]]] = {}
        for path in self.paths_with(form for _, forms in alias.aliases for form in forms):
            text = self.texts[path]
            for lang, forms in alias.aliases:
                if _alias_applies(lang, text.lang):
                    for form in forms:
                        found.setdefault(path, []).extend(self.spans(form, text))
        return found

    def candidate_spans(self, group: Sequence[_Occurrence]) -> list[tuple[str, int, int, int]]:
        """Where a candidate's own forms occur: (article, sentence, start, end)."""
        found: set[tuple[str, int, int, int]] = set()
        for occurrence in group:
            if occurrence.via in ("compound", "inside"):
                continue
            text = self.texts[occurrence.article]
            for index, start, end, _ in self.spans(occurrence.surface, text):
                found.add((occurrence.article, index, start, end))
        return sorted(found)

    @staticmethod
    def inside_spans(
        inner: Sequence[tuple[str, int, int, int]],
        outer: dict[str, list[tuple[int, int, int, str]]],
    ) -> bool:
        """Whether every inner span lies within one of the outer spans ("斯普特尼克" inside
        every "斯普特尼克时刻")."""
        return bool(inner) and all(
            any(i == index and s <= start and end <= e for i, s, e, _ in outer.get(path, ()))
            for path, index, start, end in inner
        )

    # -- generic words --

    def is_generic(self, surface: str, key: str, text: _ArticleText) -> bool:
        """Too common or too short to be a topic: numbers, single letters or characters,
        stop words and very frequent words of the article's language (unless written as
        a name)."""
        memo = self.memos.of(text.path)
        memo_key = self.memos.key("generic", surface, key)
        found = memo.get(memo_key)
        if found is None:
            found = memo[memo_key] = self._is_generic(surface, key, text)
        return bool(found)

    def _is_generic(self, surface: str, key: str, text: _ArticleText) -> bool:
        script = self.script(key)
        if script == "none":
            return True  # numbers, symbols
        if script == "latin" and len(key) <= 1:
            return True  # a single letter
        cjk = sum(_is_han(c) or _is_kana(c) for c in key)
        if script in ("han", "kana") and cjk <= 1:
            return True
        if script == "latin":
            return self.is_common_latin(surface, text)
        if _lang_base(text.lang) == "ja" and script in ("han", "kana", "mixed"):
            return whole_word_zipf(unicodedata.normalize("NFKC", key), "ja") > GENERIC_ZIPF
        if script == "han":
            return whole_word_zipf(unicodedata.normalize("NFKC", key), "zh") > GENERIC_ZIPF
        return False

    def is_common_latin(self, surface: str, text: _ArticleText) -> bool:
        import stopwordsiso

        base = _lang_base(text.lang)
        lang = base if base in _WORDFREQ_LATIN else "en"
        words = [w.casefold() for w in re.split(r"[\s\-‐.]+", surface) if w]
        if not words:
            return True
        stop = stopwordsiso.stopwords(lang) if stopwordsiso.has_lang(lang) else set()
        common = all(w in stop for w in words) or (
            phrase_zipf(" ".join(words), lang) > GENERIC_ZIPF
        )
        return common and not self.written_as_name(surface, text)

    def written_as_name(self, surface: str, text: _ArticleText) -> bool:
        """Capitalised inside a sentence at least once and never written in lower case."""
        inside = False
        for index, forms in self.find(surface, text).items():
            sentence = text.sentences[index]
            for form in forms:
                if not form[:1].isupper():
                    return False
                start = sentence.find(form)
                if sentence[:start].strip(_SENTENCE_OPENERS):
                    inside = True
        return inside

    def cased_as_name(self, name: str, text: _ArticleText) -> bool:
        """Whether a Latin-script article writes a capitalised name with a capital at
        least once. Matching is case-blind, and "benchmark" or "supreme court" in English
        prose is a word, not the name "Benchmark". Other texts always pass."""
        if not text.latin_script or self.script(name) != "latin" or name.lower() == name:
            return True
        return any(
            char.isupper()
            for _, _, _, written in self.spans(name, text, whole_name=True)
            for char in written
        )

    # -- candidates --

    def occurrences(self, suppressed: set[str], alias_keys: set[str]) -> list[_Occurrence]:
        direct: list[_Occurrence] = []
        for article in self.articles:
            text = self.texts[article.entry.path]
            for mention in article.analysis.mentions:
                key = self.key(mention.text)
                if mention.kind == "figure" and key not in alias_keys:
                    continue
                direct.append(
                    _Occurrence(
                        text.path,
                        text.lang,
                        mention.text,
                        key,
                        mention.kind,
                        tuple(mention.sentences),
                        "mention",
                        common=_COMMON_SIGNAL in mention.source,
                        signal=mention.source,
                    )
                )
            for phrase in article.analysis.keyphrases:
                key = self.key(phrase.text)
                sentences = tuple(sorted(self.find(phrase.text, text)))
                direct.append(
                    _Occurrence(
                        text.path, text.lang, phrase.text, key, None, sentences, "keyphrase"
                    )
                )
        kept = [
            o
            for o in direct
            if o.key not in suppressed
            and (
                o.key in alias_keys
                or not self.is_generic(o.surface, o.key, self.texts[o.article])
                or self.cedict_name(o) is not None  # 美国, 中国: frequent, but names
            )
        ]
        if self.lexicon is not None:
            kept = self.translate(kept, self.lexicon, suppressed, alias_keys)
            written = {o.key for o in kept}
            kept += [
                o
                for o in self.shared_terms(self.lexicon)
                if o.key not in suppressed and o.key not in written
            ]
        known = {o.key for o in kept} | alias_keys
        compounds: list[_Occurrence] = []
        parts_of: dict[str, list[str]] = {}
        for occurrence in kept:
            if occurrence.via != "mention" or occurrence.kind in ("person", "figure"):
                continue
            if occurrence.surface not in parts_of:
                parts_of[occurrence.surface] = self.compound_parts(occurrence.surface, known)
            for part_key in parts_of[occurrence.surface]:
                if part_key not in suppressed and part_key != occurrence.key:
                    compounds.append(
                        _Occurrence(
                            occurrence.article,
                            occurrence.lang,
                            occurrence.surface,
                            part_key,
                            occurrence.kind,
                            occurrence.sentences,
                            "compound",
                            occurrence.surface,
                        )
                    )
        return kept + compounds

    def shared_terms(self, lexicon: Lexicon) -> list[_Occurrence]:
        """_shared_terms, kept under a digest of the Han-writing articles: all it reads."""
        han_writing = [
            (path, self.memos.digest_of(path), text.lang)
            for path, text in self.texts.items()
            if _lang_base(text.lang) in ("zh", "ja")
        ]
        # Kept as plain tuples of the fields, which the kept results' pickle holds.
        found: tuple[tuple[Any, ...], ...] = self.kept.result(
            "terms " + value_digest(han_writing),
            lambda: tuple(map(_occurrence_fields, self._shared_terms(lexicon))),
            _are_occurrence_fields,
        )
        return [_Occurrence(*fields) for fields in found]

    def _shared_terms(self, lexicon: Lexicon) -> list[_Occurrence]:
        """Compound terms that articles in two Han-writing languages share (强化学习 in
        zh-Hant and zh-Hans, 強化学習 in Japanese): a Han string of SHARED_TERM_CHARS
        characters, not a CC-CEDICT word itself, that cuts into exactly two ordinary
        CC-CEDICT words of two or more characters, neither a stop word. Segmenters cut
        such terms apart, so neither mentions nor keyphrases see them."""
        import stopwordsiso

        stop = stopwordsiso.stopwords("zh")
        seen = _shared_han_strings(
            [
                _PackedRuns(path, text.lang, *self._han_runs(text))
                for path, text in self.texts.items()
                if _lang_base(text.lang) in ("zh", "ja")
            ]
        )
        longer: dict[str, list[str]] = defaultdict(list)
        for term in seen:
            if len(term) > SHARED_TERM_CHARS[0]:
                longer[term[1:]].append(term)
                longer[term[:-1]].append(term)
        found: list[_Occurrence] = []
        for term in sorted(seen):
            places = seen[term]
            langs = {self.texts[path].lang for path in places}
            sentences = sum(len(indexes) for indexes in places.values())
            if len(langs) < 2 or sentences < SHARED_TERM_MIN_SENTENCES or lexicon.knows(term):
                continue
            if any(seen[t] == places for t in longer.get(term, ())):
                continue  # always part of a longer shared string (聊天机器 in 聊天机器人)
            parts = lexicon.two_ordinary_words(term)
            if parts is None or any(part in stop for part in parts):
                continue
            for path in sorted(places):
                found.append(
                    _Occurrence(
                        path,
                        self.texts[path].lang,
                        term,
                        linking_key(term, self.to_simplified),
                        "theme",
                        tuple(sorted(places[path])),
                        "term",
                        compound=f"{parts[0]} + {parts[1]}",
                    )
                )
        return found

    def _han_runs(self, text: _ArticleText) -> tuple[bytes, str]:
        """The runs of SHARED_TERM_CHARS[0] or more Han characters (Simplified) of each
        sentence that has one, packed (_packed_han_runs)."""
        memo = self.memos.of(text.path)
        found = memo.get("han runs")
        if found is None:
            found = memo["han runs"] = _packed_han_runs(
                (index, runs)
                for index, sentence in enumerate(text.sentences)
                if (runs := _HAN_TERM_RUN.findall(self.simplified_text(sentence)))
            )
        assert isinstance(found, tuple)
        indexes: bytes = found[0]
        lines: str = found[1]
        return indexes, lines

    def cedict_name(self, occurrence: _Occurrence) -> str | None:
        """The English name CC-CEDICT gives a Han candidate (Japanese: proper nouns only,
        kanji words can mean other things in Japanese)."""
        if self.lexicon is None or self.script(occurrence.surface) != "han":
            return None
        if _lang_base(occurrence.lang) == "ja" and not (
            occurrence.via == "mention" and occurrence.signal.startswith("sudachi:")
        ):
            return None
        return self.lexicon.english_name(occurrence.surface)

    def translate(
        self,
        kept: list[_Occurrence],
        lexicon: Lexicon,
        suppressed: set[str],
        alias_keys: set[str],
    ) -> list[_Occurrence]:
        """Re-key Han and katakana candidates by the English name a lexicon gives them.

        CC-CEDICT first (Chinese words, and Japanese kanji the segmenter calls a proper
        noun); then katakana against every Latin name of the corpus, through e2k, accepted
        only above KATAKANA_THRESHOLD and when the Latin name is corroborated: seen in two
        articles, or in a language other than the katakana's. Keys an editor's alias
        claims are left as written: aliases always win.
        """
        by_surface: dict[tuple[str, str], tuple[str, str, str]] = {}
        for o in kept:
            english = None if o.key in alias_keys else self.cedict_name(o)
            if english is None:
                continue
            simplified = self.to_simplified(o.surface)
            reason = f"CC-CEDICT: {simplified} → {english}"
            if simplified != o.surface:
                tool = "Japanese kanji form" if _lang_base(o.lang) == "ja" else "OpenCC"
                reason += f" ({tool}: {o.surface} = {simplified})"
            by_surface[(o.article, o.surface)] = (
                linking_key(english, self.to_simplified),
                reason,
                english,
            )
        translated = [self._rekeyed(o, by_surface) for o in kept]

        # Latin names of the corpus, with where they occur, for katakana matching.
        latin_names: dict[str, Counter[str]] = defaultdict(Counter)
        where: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for o in translated:
            name = o.english or (o.surface if self.script(o.surface) == "latin" else "")
            if name and o.key not in suppressed and _transliterable(name):
                latin_names[o.key][name] += 1
                where[o.key].add((o.article, o.lang))
        corroborated: list[tuple[str, str]] = []  # (key, its most used name), key order
        for key in sorted(latin_names):
            places = where[key]
            if len({a for a, _ in places}) >= 2 or any(
                _lang_base(lang) != "ja" for _, lang in places
            ):
                name = min(latin_names[key], key=lambda n: (-latin_names[key][n], n))
                corroborated.append((key, name))
        candidates = [
            o
            for o in translated
            if _lang_base(o.lang) == "ja"
            and o.via == "mention"
            and o.signal != _KATAKANA_COMMON_NOUN
            and o.key not in alias_keys
            and self.script(o.surface) == "kana"
            and len(normalise_kana(o.surface)) >= 3
        ]
        # Best name per distinct katakana word (ties: the first key); the lexicon
        # compares each word only with the readings that can reach the threshold.
        matches = lexicon.best_katakana_matches(
            (o.surface for o in candidates), [name for _, name in corroborated]
        )
        katakana: dict[tuple[str, str], tuple[str, str, str]] = {}
        for o in candidates:
            match = matches.get(o.surface)
            if match is not None:
                score, index = match
                key, name = corroborated[index]
                katakana[(o.article, o.surface)] = (
                    key,
                    f"e2k: {o.surface} ≈ {name} ({score:.2f})",
                    name,
                )
        return [self._rekeyed(o, katakana) for o in translated]

    @staticmethod
    def _rekeyed(
        occurrence: _Occurrence, table: dict[tuple[str, str], tuple[str, str, str]]
    ) -> _Occurrence:
        found = table.get((occurrence.article, occurrence.surface))
        if found is None:
            return occurrence
        key, reason, english = found
        return replace(occurrence, key=key, lexicon=reason, english=english)

    def compound_parts(self, surface: str, known: set[str]) -> list[str]:
        """Keys of the parts when a name is a compound of known names: "DeepSeek-R1",
        "DeepSeek R1" and "DeepSeekR1" → deepseek, r1. Every part must be a known key."""
        parts = _split_parts(unicodedata.normalize("NFKC", surface))
        if len(parts) >= 2:
            keys = [self.key(part) for part in parts]
            return keys if all(k in known for k in keys) else []
        if len(parts) != 1:
            return []
        word = parts[0]
        for cut in range(1, len(word)):
            left, right = word[cut - 1], word[cut]
            case_turn = left.islower() and right.isupper()
            script_turn = self.script(left) != self.script(right) and "none" not in (
                self.script(left),
                self.script(right),
            )
            if not (case_turn or script_turn):
                continue
            keys = [self.key(piece) for piece in (word[:cut], word[cut:])]
            if all(k in known for k in keys):
                return keys
        return []

    # -- reasons --

    def same_name_reason(self, surfaces: Iterable[str], lang: str) -> str:
        for surface in sorted(surfaces):
            simplified = self.to_simplified(surface)
            if self.script(surface) in ("han", "mixed") and simplified != surface:
                if _lang_base(lang) == "ja":
                    return f"Japanese kanji form {surface} = {simplified}"
                return f"Traditional/Simplified form {surface} = {simplified}"
        scripts = {self.script(s) for s in surfaces}
        if scripts == {"latin"}:
            return "same Latin name"
        if scripts == {"kana"}:
            return "same katakana name"
        if scripts == {"han"}:
            return "same Han name"
        return "same name"

    # -- topics --

    def declared_topic(self, alias: TopicAlias, absorbed: Sequence[_Occurrence]) -> Topic | None:
        members: dict[str, _MemberDraft] = {}
        where = f"{TOPICS_FILE}:{alias.line}"
        for path in self.paths_with(form for _, forms in alias.aliases for form in forms):
            text = self.texts[path]
            for lang, forms in alias.aliases:
                if not _alias_applies(lang, text.lang):
                    continue
                for form in forms:
                    found = self.find(form, text)
                    if not found:
                        continue
                    surfaces = set().union(*found.values())
                    draft = members.get(path)
                    if draft is None:
                        reason = f"alias {form!r} ({where})"
                        changed = sorted(
                            s
                            for s in surfaces
                            if s != form
                            and self.script(s) in ("han", "mixed")
                            and self.to_simplified(s) != s
                        )
                        if changed and _lang_base(text.lang) != "ja":
                            reason += f", Traditional/Simplified form {changed[0]} = {form}"
                        draft = members[path] = _MemberDraft(reason, set(), set())
                    draft.surfaces |= surfaces
                    draft.sentences |= set(found)
        for occurrence in absorbed:
            draft = members.get(occurrence.article)
            if draft is None:
                draft = members[occurrence.article] = _MemberDraft(
                    f"same name as an alias ({where})", set(), set()
                )
            if occurrence.via not in ("compound", "inside", "term"):
                draft.surfaces.add(occurrence.surface)  # a term is Simplified, not as written
            draft.sentences |= set(occurrence.sentences)
        if not members:
            return None
        return self.build(alias.key, alias.name, alias.kind, members, declared=True)

    def build(
        self,
        key: str,
        name: str,
        kind: MentionKind,
        members: dict[str, _MemberDraft],
        *,
        declared: bool,
    ) -> Topic:
        # Every member gets every sentence naming the topic in any of its forms.
        all_forms = sorted(set().union(*(d.surfaces for d in members.values())))
        for path, draft in members.items():
            text = self.texts[path]
            for form in all_forms:
                for index, found in self.find(form, text, whole_name=not declared).items():
                    draft.sentences.add(index)
                    draft.surfaces |= found
        names: dict[str, set[str]] = defaultdict(set)
        for path, draft in members.items():
            names[self.texts[path].lang] |= draft.surfaces
        return Topic(
            key=key,
            name=name,
            kind=kind,
            names=tuple((lang, tuple(sorted(forms))) for lang, forms in sorted(names.items())),
            members=tuple(
                TopicMember(
                    article=path,
                    surfaces=tuple(sorted(draft.surfaces)),
                    sentences=tuple(sorted(draft.sentences)),
                    reason=draft.reason,
                )
                for path, draft in sorted(members.items())
            ),
            declared=declared,
        )

    def automatic_topic(self, key: str, group: Sequence[_Occurrence], single: bool) -> Topic:
        by_article: dict[str, list[_Occurrence]] = defaultdict(list)
        for occurrence in group:
            by_article[occurrence.article].append(occurrence)
        members: dict[str, _MemberDraft] = {}
        for path, occurrences in by_article.items():
            text = self.texts[path]
            direct = [o for o in occurrences if o.via == "mention"]
            compound = sorted(o.compound for o in occurrences if o.via == "compound")
            surfaces = {o.surface for o in occurrences if o.via != "compound"}
            if any(o.via == "term" for o in occurrences):
                # The term as written in this article (強化學習), not its Simplified form.
                surfaces = {
                    text.sentences[i][s:e]
                    for term in sorted({o.surface for o in occurrences if o.via == "term"})
                    for i, s, e, _ in self.spans(term, text)
                }
            sentences = {i for o in occurrences for i in o.sentences}
            if single:
                count = len(sentences | set().union(*(set(self.find(s, text)) for s in surfaces)))
                reason = f"name found in {count} sentences"
            elif direct and all(o.lexicon for o in direct):
                reason = sorted(o.lexicon for o in direct)[0]
            elif direct:
                plain = {o.surface for o in direct if not o.lexicon}
                reason = self.same_name_reason(plain, text.lang)
            elif any(o.via == "term" for o in occurrences):
                parts = next(o.compound for o in occurrences if o.via == "term")
                reason = f"shared term (CC-CEDICT words {parts})"
            elif compound:
                reason = f"compound {compound[0]}"
            else:
                reason = "keyphrase"
            members[path] = _MemberDraft(reason, surfaces, sentences)
        if not single:
            self.extend_by_text(key, group, members)
        kinds = Counter(o.kind for o in group if o.kind is not None)
        real = {k: n for k, n in kinds.items() if k != "other"}
        chosen = real or kinds
        kind: MentionKind = (
            min(chosen, key=lambda k: (-chosen[k], _KIND_ORDER[k])) if chosen else "theme"
        )
        topic = self.build(key, "", kind, members, declared=False)
        return Topic(
            key=topic.key,
            name=self.display_name(topic, [o.english for o in group if o.english]),
            kind=topic.kind,
            names=topic.names,
            members=topic.members,
            declared=False,
        )

    def topic_digest(self, key: str, group: Sequence[_Occurrence], single: bool) -> str:
        """A digest of everything automatic_topic(key, group, single) reads: the group,
        and the articles it looks at, the group's own and those extend_by_text searches
        (each by its ArticleMemos digest, which covers what its memo is computed from)."""
        paths = {o.article for o in group}
        if not single:
            paths.update(self.paths_with(self._text_names(group)))
        articles = [
            (path, self.memos.digest_of(path), self.texts[path].latin_script)
            for path in sorted(paths)
        ]
        # The occurrences as plain tuples of their fields: the digest's pickler then
        # calls no Python code per occurrence (2.8x faster for a large group).
        return value_digest((key, single, tuple(map(_occurrence_fields, group)), articles))

    @staticmethod
    def _text_names(group: Sequence[_Occurrence]) -> list[str]:
        """The names extend_by_text looks for: mentions' surfaces and English names."""
        return sorted(
            {o.surface for o in group if o.via == "mention" and not o.common}
            | {o.english for o in group if o.english}
        )

    def extend_by_text(
        self, key: str, group: Sequence[_Occurrence], members: dict[str, _MemberDraft]
    ) -> None:
        """Add articles that write one of the topic's names where the analysis saw no
        mention (a Latin name inside Japanese text, say). Names only, not keyphrases."""
        names = self._text_names(group)
        for path in self.paths_with(names):
            if path in members:
                continue
            text = self.texts[path]
            for name in names:
                found = self.find(name, text, whole_name=True)
                if (
                    found
                    and not self.is_generic(name, key, text)
                    and self.cased_as_name(name, text)
                ):
                    members[path] = _MemberDraft(
                        f"name {name!r} in text", set().union(*found.values()), set(found)
                    )
                    break

    def display_name(self, topic: Topic, english: Sequence[str] = ()) -> str:
        """The most frequent Latin-script form, else the English name a lexicon gave
        (most often given), else the most frequent form."""
        counts: Counter[str] = Counter()
        for member in topic.members:
            text = self.texts[member.article]
            for surface in member.surfaces:
                hits = sum(surface in found for found in self.find(surface, text).values())
                counts[surface] += max(hits, 1)
        latin = {s: n for s, n in counts.items() if self.script(s) == "latin"}
        given = Counter(english)
        pool = latin or given or counts
        return min(pool, key=lambda s: (-pool[s], s.casefold(), s))

    def single_article_count(self, group: Sequence[_Occurrence]) -> int:
        text = self.texts[group[0].article]
        sentences = {i for o in group for i in o.sentences}
        for surface in sorted({o.surface for o in group}):
            sentences |= set(self.find(surface, text))
        return len(sentences)


def prepare_linking(article: Article, resources: HanConverter) -> dict[object, object]:
    """The memo (see ArticleMemos) of what linking and story linking compute from this
    article alone: its folded text, Han runs, figures, story features, and where its own
    candidates occur and whether they are generic. Workers fill it beside the analysis,
    so that the linking stages, which run in one process, find it done."""
    memos = ArticleMemos()
    linker = _Linker([article], resources, None, memos)
    text = linker.texts[article.entry.path]
    linker._contents(text)
    if _lang_base(text.lang) in ("zh", "ja"):
        linker._han_runs(text)
    for surface in (
        *(m.text for m in article.analysis.mentions if m.kind != "figure"),
        *(p.text for p in article.analysis.keyphrases),
    ):
        linker.find(surface, text)
        linker.is_generic(surface, linker.key(surface), text)
    _article_figures(memos, article)
    story_features(article, memos.of(article.entry.path))
    return memos.of(article.entry.path)


def link_topics(
    articles: Sequence[Article],
    declared: Sequence[TopicAlias],
    resources: HanConverter,
    lexicon: Lexicon | None = None,
    memos: ArticleMemos | None = None,
    kept: LinkingMemo | None = None,
) -> tuple[Topic, ...]:
    """Topics of the site: declared ones first claim their aliases, then automatic ones.

    The bilingual lexicon (CC-CEDICT, e2k) comes from `lexicon`, else from
    ``resources.lexicon()`` when the resources have one; without it, names link by their
    written form only.
    Sorted by number of languages (most first), number of articles, name.
    Declared topics that match no article are left out. `memos` may hold per-article
    results of an earlier run (see ArticleMemos), and `kept` whole results of one (see
    LinkingMemo); they give the same topics faster.
    """
    if lexicon is None and isinstance(resources, LexiconSource):
        lexicon = resources.lexicon()
    memos = memos or ArticleMemos()
    kept = kept or LinkingMemo()
    named, used_keys = _named_topics(articles, declared, resources, lexicon, memos, kept)
    # Key figures come after the named topics' linker and candidates are gone: with them
    # still alive, this was the peak memory of a whole build.
    topics_declared = [alias for alias in declared if not alias.suppress]
    figures = _key_figures(articles, named, topics_declared, resources, used_keys, memos, kept)
    return tuple(
        sorted(
            [*named, *figures],
            key=lambda t: (-len(t.names), -len(t.members), t.name.casefold(), t.name, t.key),
        )
    )


def _named_topics(
    articles: Sequence[Article],
    declared: Sequence[TopicAlias],
    resources: HanConverter,
    lexicon: Lexicon | None,
    memos: ArticleMemos,
    kept: LinkingMemo,
) -> tuple[list[Topic], set[str]]:
    """The declared and automatic topics of people, things and ideas (not figures), and
    the keys they took."""
    linker = _Linker(articles, resources, lexicon, memos, kept)
    to_simplified = resources.to_simplified
    suppressed = {
        linking_key(form, to_simplified)
        for alias in declared
        if alias.suppress
        for _, forms in alias.aliases
        for form in forms
    }
    topics_declared = [alias for alias in declared if not alias.suppress]
    owner: dict[str, TopicAlias] = {}
    for alias in topics_declared:
        for _, forms in alias.aliases:
            for form in forms:
                owner.setdefault(linking_key(form, to_simplified), alias)
    occurrences = linker.occurrences(suppressed, set(owner))

    absorbed: dict[str, list[_Occurrence]] = defaultdict(list)
    free: dict[str, list[_Occurrence]] = defaultdict(list)
    for occurrence in occurrences:
        claimed = owner.get(occurrence.key)
        if claimed is not None:
            absorbed[claimed.key].append(occurrence)
        else:
            free[occurrence.key].append(occurrence)
    # A candidate found only inside a declared alias is part of that topic's name:
    # "斯普特尼克" inside "斯普特尼克时刻".
    # Only aliases that occur somewhere can hold a candidate: with none (no topics.yaml),
    # finding where every candidate occurs was 3.9 s of a one-article rebuild at 10,000
    # articles, for nothing.
    occurring = [
        (alias, spans) for alias in topics_declared if (spans := linker.alias_spans(alias))
    ]
    for key in sorted(free) if occurring else ():
        inner = linker.candidate_spans(free[key])
        for alias, spans in occurring:
            if linker.inside_spans(inner, spans):
                # Not a form of the topic on its own: kept out of its names.
                absorbed[alias.key].extend(replace(o, via="inside") for o in free.pop(key))
                break

    topics: list[Topic] = []
    used_keys: set[str] = set()
    for alias in topics_declared:
        built = linker.declared_topic(alias, absorbed.get(alias.key, ()))
        if built is not None:
            topics.append(built)
            used_keys.add(alias.key)

    chosen: list[tuple[str, list[_Occurrence], bool]] = []
    single_candidates: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for key in sorted(free):
        group = free[key]
        article_paths = {o.article for o in group}
        if len(article_paths) >= 2:
            chosen.append((key, group, False))
        elif any(o.via == "mention" and not o.common for o in group):
            names = [o for o in group if o.via == "mention" and not o.common]
            count = linker.single_article_count(names)
            if count >= SINGLE_ARTICLE_MIN_SENTENCES:
                single_candidates[group[0].article].append((count, key))
    for path in sorted(single_candidates):
        best = sorted(single_candidates[path], key=lambda item: (-item[0], item[1]))
        for _, key in best[:SINGLE_ARTICLE_MAX_TOPICS]:
            chosen.append((key, free[key], True))

    for key, group, single in sorted(chosen, key=lambda item: item[0]):
        topic = linker.kept.result(
            "topic " + linker.topic_digest(key, group, single),
            partial(linker.automatic_topic, key, group, single),
            lambda found: isinstance(found, Topic),
        )
        unique = key
        suffix = 2
        while unique in used_keys:
            unique = f"{key}-{suffix}"
            suffix += 1
        used_keys.add(unique)
        topics.append(
            Topic(unique, topic.name, topic.kind, topic.names, topic.members, topic.declared)
        )
    return topics, used_keys


def _article_figures(memos: ArticleMemos, article: Article) -> tuple[Figure, ...]:
    """figures_of(article), kept in the article's memo."""
    memos.add(article)
    memo = memos.of(article.entry.path)
    found = memo.get("figures")
    if not isinstance(found, tuple):
        # Plain tuples: the build cache rebuilds only model records and plain types.
        found = memo["figures"] = tuple(map(_figure_fields, figures_of(article)))
    return tuple(Figure(*fields) for fields in found)


def _key_figures(
    articles: Sequence[Article],
    named: Sequence[Topic],
    declared: Sequence[TopicAlias],
    resources: HanConverter,
    used_keys: set[str],
    memos: ArticleMemos,
    kept: LinkingMemo,
) -> list[Topic]:
    """Automatic key-figure topics, minus those an editor already declared as a figure."""

    def article_figures(article: Article) -> tuple[Figure, ...]:
        return _article_figures(memos, article)

    def too_vague(key: str) -> bool:
        # wordfreq's lists (and jieba, which its Chinese tokenizer imports) take a second
        # to load, for the same few hundred names each build.
        return kept.result(
            "vague " + key, partial(too_vague_as_context, key), lambda f: isinstance(f, bool)
        )

    claimed = {
        figure_key(figure)
        for alias in declared
        for _, forms in alias.aliases
        for form in forms
        if (figure := parse_figure(form)) is not None
    }
    return [
        topic
        for topic in link_figures(
            articles, named, resources, figures_of=article_figures, too_vague=too_vague
        )
        if topic.key not in claimed and topic.key not in used_keys
    ]
