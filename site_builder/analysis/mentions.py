"""Named things and figures mentioned in an article, grouped by surface form.

Names come from the language family (segmenter tags, capitalisation, …); figures (money
amounts and percentages) are found here with script-neutral patterns.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from ..languages import LanguageFamily
from ..model import Mention, MentionKind, Sentence

FIGURE_SOURCE = "figure"

# --- figure patterns -----------------------------------------------------------------

_NUMBER = r"\d+(?:[.,\u00a0 ]\d{3})*(?:[.,]\d+)?"
_CJK_NUMERAL = "〇零一二三四五六七八九十百千万萬亿億兆兩两"
_CJK_SCALE_CHARS = "十百千万萬亿億兆"
_CJK_NUMBER = rf"(?:{_NUMBER}|[{_CJK_NUMERAL}]+)(?:[{_CJK_NUMERAL}]+)?"
# Han numerals that can open a number (万 and 亿 cannot: 亿万美元 is an idiom).
_CJK_LEADING = "〇零一二三四五六七八九十百千兩两"
# Han numerals alone are only a number with a scale character: 一万 yes, 一 (统一) no.
# 多/余/餘 between digits and scale mean "more than": 600多万, 5000余亿.
_CJK_MORE_THAN = "多余餘"
_CJK_NUMBER_STRICT = (
    rf"(?:{_NUMBER}(?:[{_CJK_MORE_THAN}](?=[{_CJK_SCALE_CHARS}]))?[{_CJK_NUMERAL}]*"
    rf"|(?=[{_CJK_NUMERAL}]*[{_CJK_SCALE_CHARS}])[{_CJK_LEADING}][{_CJK_NUMERAL}]*)"
)
# "Several"/"how many" before a Han number make it approximate: 数十亿美元, 何十億ドル.
_CJK_APPROXIMATE = "数數幾几何"
# Decimal comma: in these languages "1.000" is a thousand and "1,5" one and a half.
DECIMAL_COMMA_LANGUAGES = frozenset(
    {"pt", "es", "fr", "de", "it", "nl", "ca", "gl", "ro", "pl", "cs", "sk", "sl", "hr"}
    | {"sv", "da", "nb", "nn", "no", "fi", "et", "lv", "lt", "ru", "uk", "tr", "id", "vi"}
)
# Not inside a longer Latin number or word (CJK characters count as \w in Python).
_NOT_AFTER_NUMBER = r"(?<![0-9A-Za-z.,$])"

# Latin-script scale words, longest first so "mil milhões" wins over "mil".
_SCALES: dict[str, float] = {
    "mil milhões": 1e9,
    "thousand": 1e3,
    "mil": 1e3,
    "k": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "milhão": 1e6,
    "milhões": 1e6,
    "millón": 1e6,
    "millones": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "bilhão": 1e9,
    "bilhões": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "trilhão": 1e12,
    "trilhões": 1e12,
    "tn": 1e12,
}
_SCALE_RE = "|".join(re.escape(s) for s in sorted(_SCALES, key=len, reverse=True))

# Currency written before the number; longest first ("US$" before "$").
_PREFIX_CURRENCIES: dict[str, str] = {
    "us$": "USD",
    "u.s.$": "USD",
    "usd": "USD",
    "r$": "BRL",
    "brl": "BRL",
    "hk$": "HKD",
    "nt$": "TWD",
    "eur": "EUR",
    "gbp": "GBP",
    "cny": "CNY",
    "rmb": "CNY",
    "jpy": "JPY",
    "$": "USD",
    "＄": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "￥": "JPY",
}
# Currency named after a Latin-script number ("600 bilhões de dólares").
_WORD_CURRENCIES: dict[str, str] = {
    "dólares": "USD",
    "dólar": "USD",
    "dollars": "USD",
    "dollar": "USD",
    "reais": "BRL",
    "real": "BRL",
    "euros": "EUR",
    "euro": "EUR",
    "libras esterlinas": "GBP",
    "libras": "GBP",
    "yuan": "CNY",
    "yen": "JPY",
    "ienes": "JPY",
    "ienes japoneses": "JPY",
}
# Currency after a CJK number; longest first ("美元" before "元").
_CJK_CURRENCIES: dict[str, str] = {
    "美元": "USD",
    "美金": "USD",
    "ドル": "USD",
    "人民币": "CNY",
    "人民元": "CNY",
    "ポンド": "GBP",
    "人民幣": "CNY",
    "日元": "JPY",
    "日圓": "JPY",
    "円": "JPY",
    "欧元": "EUR",
    "歐元": "EUR",
    "ユーロ": "EUR",
    "港元": "HKD",
    "港币": "HKD",
    "港幣": "HKD",
    "新台币": "TWD",
    "新台幣": "TWD",
    "台币": "TWD",
    "台幣": "TWD",
    "英镑": "GBP",
    "英鎊": "GBP",
    "元": "CNY",
}
# Han scale characters and their values, shared with site_builder.figures.
CJK_SCALES: dict[str, float] = {
    "十": 10,
    "百": 100,
    "千": 1e3,
    "万": 1e4,
    "萬": 1e4,
    "亿": 1e8,
    "億": 1e8,
    "兆": 1e12,
}
_CJK_DIGITS: dict[str, int] = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "兩": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def _alternation(words: dict[str, str] | dict[str, float]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_PREFIX_RE = _alternation(_PREFIX_CURRENCIES).replace(r"us\$", r"US\s?\$")
_WORD_CURRENCY_RE = _alternation(_WORD_CURRENCIES)
_CJK_CURRENCY_RE = _alternation(_CJK_CURRENCIES)
# Currencies of more than one character: safe after a bare 数/何 (数ドル), unlike 元 (数元素).
_CJK_LONG_CURRENCY_RE = _alternation({k: v for k, v in _CJK_CURRENCIES.items() if len(k) > 1})
# Plural scale words that alone make a vague amount: "bilhões de dólares", "billions of dollars".
VAGUE_SCALES: dict[str, float] = {
    "milhares": 1e3,
    "thousands": 1e3,
    "milhões": 1e6,
    "millions": 1e6,
    "millones": 1e6,
    "bilhões": 1e9,
    "biliões": 1e12,  # European Portuguese: a million millions
    "billions": 1e9,
    "trilhões": 1e12,
    "trillions": 1e12,
}
_VAGUE_SCALE_RE = _alternation(VAGUE_SCALES)
# A number written as a word before a scale word: "um bilhão de dólares", "a billion dollars".
_WORD_ONE = "um|uma|one|a|an"
_WORD_ONE_SCALE_RE = _alternation({k: v for k, v in _SCALES.items() if len(k) > 2})

_FIGURE = re.compile(
    "|".join(
        (
            # US$ 6 milhões, $6 million, R$ 3,5 bi, € 20
            rf"(?P<prefixed>(?<![0-9A-Za-z$])(?:{_PREFIX_RE})\s?{_NUMBER}"
            rf"(?:\s?(?:{_SCALE_RE})\b)?(?:\s+de\s+(?:{_WORD_CURRENCY_RE})\b)?)",
            # 600万美元, 1萬億美元, 5890億美元, 20美元, 200 美元, 六百万美元, 60億円, 1兆ドル
            rf"(?P<cjk>{_NOT_AFTER_NUMBER}[{_CJK_APPROXIMATE}]?{_CJK_NUMBER_STRICT}"
            rf"[ \u00a0]?(?:{_CJK_CURRENCY_RE}))",
            # 数ドル, 幾百萬美元: "a few", no value
            rf"(?P<cjkvague>[{_CJK_APPROXIMATE}](?:[{_CJK_SCALE_CHARS}]+(?:{_CJK_CURRENCY_RE})"
            rf"|(?:{_CJK_LONG_CURRENCY_RE})))",
            # um bilhão de dólares, a billion dollars
            rf"(?P<wordone>(?<![\w$])(?:{_WORD_ONE})\s+(?:{_WORD_ONE_SCALE_RE})\s+(?:de\s+)?"
            rf"(?:{_WORD_CURRENCY_RE})\b)",
            # 600 bilhões de dólares, 200 billion dollars, 20 euros
            rf"(?P<worded>{_NOT_AFTER_NUMBER}{_NUMBER}(?:\s?(?:{_SCALE_RE}))?\s+(?:de\s+)?"
            rf"(?:{_WORD_CURRENCY_RE})\b)",
            # bilhões de dólares, billions of dollars: vague, no value
            rf"(?P<vague>(?<![\w$])(?:{_VAGUE_SCALE_RE})\s+(?:de|of)\s+"
            rf"(?:{_WORD_CURRENCY_RE})\b)",
            # 17%, 17 %, 17％, 17 por cento, 17 percent
            rf"(?P<percent>{_NOT_AFTER_NUMBER}{_NUMBER}\s?(?:%|％|por\s+cento\b|percent\b|per\s+cent\b))",
            # 百分之十七
            rf"(?P<cjkpercent>百分之{_CJK_NUMBER})",
        )
    ),
    re.IGNORECASE,
)


# Public name for the figures stage (site_builder.figures), which parses each match.
FIGURE_PATTERN = _FIGURE

# Every alternative of _FIGURE, and of the counts the figures stage finds, holds a digit,
# a Han numeral, a "several" character or a currency word. Half the sentences hold none,
# and this says so in a tenth of the time _FIGURE's scan takes.
_FIGURE_CHARACTER = re.compile(rf"[\d{_CJK_NUMERAL}{_CJK_APPROXIMATE}]")
_CURRENCY_WORDS = tuple(sorted(word.casefold() for word in _WORD_CURRENCIES))


def may_hold_figure(text: str) -> bool:
    """False only when neither FIGURE_PATTERN nor a count can match anywhere in `text`."""
    if _FIGURE_CHARACTER.search(text) is not None:
        return True
    # re.IGNORECASE matches a word where its casefolded form is a substring, except that
    # it also matches i with İ and ı (see keyphrases._caseless).
    folded = text.replace("İ", "i").casefold().replace("ı", "i")
    return any(word in folded for word in _CURRENCY_WORDS)


def amount_currency(text: str) -> str | None:
    """Currency code named in an amount, with or without a number: "数十亿美元" → "USD"."""
    lowered = unicodedata.normalize("NFKC", text).casefold()
    for table in (_CJK_CURRENCIES, _WORD_CURRENCIES):
        for word in sorted(table, key=len, reverse=True):
            if word in lowered and (table is _CJK_CURRENCIES or re.search(rf"\b{word}\b", lowered)):
                return table[word]
    prefix = re.match(rf"(?:{_PREFIX_RE})", lowered, re.IGNORECASE)
    if prefix:
        return _PREFIX_CURRENCIES.get(prefix.group(0).replace(" ", ""))
    return None


def find_figures(text: str) -> list[str]:
    """Money amounts and percentages in `text`, as written, in order."""
    if not may_hold_figure(text):
        return []
    return [m.group(0).strip() for m in _FIGURE.finditer(text)]


def decimal_mark(lang: str | None) -> str | None:
    """ "," or "." as the decimal mark of a language (BCP 47 tag), None when unknown."""
    if not lang:
        return None
    return "," if lang.split("-")[0].casefold() in DECIMAL_COMMA_LANGUAGES else "."


def parse_number(text: str, decimal: str | None = None) -> float | None:
    """A Latin-digit number in either convention: "1,000.5", "1.000,5", "3,5", "6".

    One separator followed by exactly three digits ("1.000", "1,500") is ambiguous: with
    `decimal` given ("," for pt, "." for en/zh/ja) the language decides; without it, it
    groups thousands.
    """
    digits = unicodedata.normalize("NFKC", text).replace("\u00a0", "").replace(" ", "")
    if not digits or not digits[0].isdigit():
        return None
    commas, dots = digits.count(","), digits.count(".")
    if commas and dots:
        decimal = "," if digits.rfind(",") > digits.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        digits = digits.replace(thousands, "").replace(decimal, ".")
    elif commas or dots:
        mark = "," if commas else "."
        groups = digits.split(mark)
        # "1,000" / "1.000.000" group thousands; "3,5" / "0.25" are decimals.
        ambiguous = len(groups) == 2 and len(groups[-1]) == 3 and groups[0] not in ("", "0")
        if ambiguous and decimal is not None:
            digits = ".".join(groups) if mark == decimal else "".join(groups)
        elif len(groups) > 2 or ambiguous:
            digits = "".join(groups)
        else:
            digits = ".".join(groups)
    try:
        return float(digits)
    except ValueError:
        return None


def parse_cjk_number(text: str, decimal: str | None = None) -> float | None:
    """Digits and/or Han numerals with scale characters: "600万", "1萬億", "六百万", "5890億"."""
    match = re.match(rf"^({_NUMBER})?(.*)$", text)
    if match is None:
        return None
    leading, rest = match.group(1), match.group(2)
    total = 0.0  # everything already multiplied by 万/亿
    section = 0.0  # the part below 万, e.g. 六百 in 六百万
    digit = 0.0
    if leading:
        parsed = parse_number(leading, decimal)
        if parsed is None:
            return None
        digit = parsed
    for char in rest:
        if char in _CJK_MORE_THAN:
            continue  # 600多万: "more than 6 million", counted as 6 million
        if char in _CJK_DIGITS:
            digit = float(_CJK_DIGITS[char])
        elif char in CJK_SCALES and CJK_SCALES[char] < 1e4:
            section += (digit or 1.0) * CJK_SCALES[char]
            digit = 0.0
        elif char in CJK_SCALES:
            section += digit
            if section == 0.0:
                total *= CJK_SCALES[char]  # 萬億: the 億 scales the 萬 before it
            else:
                total += section * CJK_SCALES[char]
            section, digit = 0.0, 0.0
        else:
            return None
    value = total + section + digit
    return value if value > 0 or leading else None


def parse_amount(text: str, lang: str | None = None) -> tuple[float, str] | None:
    """(value in units, currency code or "%") of a figure, or None if it is not one.

    "600万美元" → (6_000_000.0, "USD"); "US $ 200 bilhões" → (2e11, "USD"); "17%" → (17.0, "%").
    Vague amounts ("数十亿美元", "bilhões de dólares") are figures without a value: None.
    `lang` settles "1.000" (pt: a thousand) against "1.000" (en: one).
    """
    text = unicodedata.normalize("NFKC", text.strip())
    lowered = text.casefold()
    decimal = decimal_mark(lang)
    percent = re.fullmatch(rf"({_NUMBER})\s?(?:%|por\s+cento|percent|per\s+cent)", lowered)
    if percent:
        value = parse_number(percent.group(1), decimal)
        return None if value is None else (value, "%")
    if lowered.startswith("百分之"):
        value = parse_cjk_number(lowered[3:])
        return None if value is None else (value, "%")
    if text[:1] in _CJK_APPROXIMATE:
        return None  # 数十亿美元: a figure, but no single value
    cjk = re.fullmatch(rf"({_CJK_NUMBER_STRICT})[ \u00a0]?({_CJK_CURRENCY_RE})", text)
    if cjk:
        value = parse_cjk_number(cjk.group(1), decimal)
        return None if value is None else (value, _CJK_CURRENCIES[cjk.group(2)])
    prefixed = re.fullmatch(
        rf"({_PREFIX_RE})\s*({_NUMBER})(?:\s?({_SCALE_RE}))?(?:\s+de\s+(?:{_WORD_CURRENCY_RE}))?",
        lowered,
        re.IGNORECASE,
    )
    if prefixed:
        currency = _PREFIX_CURRENCIES.get(prefixed.group(1).replace(" ", "").casefold())
        return _scaled(prefixed.group(2), prefixed.group(3), currency, decimal)
    worded = re.fullmatch(
        rf"({_NUMBER})(?:\s?({_SCALE_RE}))?\s+(?:de\s+)?({_WORD_CURRENCY_RE})", lowered
    )
    if worded:
        currency = _WORD_CURRENCIES[worded.group(3)]
        return _scaled(worded.group(1), worded.group(2), currency, decimal)
    one = re.fullmatch(
        rf"(?:{_WORD_ONE})\s+({_WORD_ONE_SCALE_RE})\s+(?:de\s+)?({_WORD_CURRENCY_RE})", lowered
    )
    if one:
        return _scaled("1", one.group(1), _WORD_CURRENCIES[one.group(2)], decimal)
    return None


def _scaled(
    number: str, scale: str | None, currency: str | None, decimal: str | None
) -> tuple[float, str] | None:
    value = parse_number(number, decimal)
    if value is None or currency is None:
        return None
    return value * (_SCALES[scale] if scale else 1.0), currency


# --- grouping ------------------------------------------------------------------------


@dataclass
class _Group:
    """Occurrences of one surface form while scanning (local to one call)."""

    first: tuple[int, int]  # (sentence, order within the sentence) of the first sighting
    sentences: set[int] = field(default_factory=set)
    kinds: Counter[tuple[MentionKind, str]] = field(default_factory=Counter)


# Most text handed to one find_names call: enough context for the Latin rule "capitalised
# mid-sentence elsewhere", well below segmenter input limits (sudachipy: 49 kB).
NAME_CONTEXT_CHARS = 8000


def _name_sightings(
    sentences: Sequence[Sentence], family: LanguageFamily
) -> list[tuple[int, str, MentionKind, str]]:
    """(sentence index, surface, kind, signal) for every name the family finds.

    Names are looked for in chunks of consecutive sentences, so the family sees the
    context around each sentence, then placed in the sentence that holds them.
    """
    chunks: list[list[int]] = [[]]
    size = 0
    for index, sentence in enumerate(sentences):
        if chunks[-1] and size + len(sentence.text) + 1 > NAME_CONTEXT_CHARS:
            chunks.append([])
            size = 0
        chunks[-1].append(index)
        size += len(sentence.text) + 1
    sightings: list[tuple[int, str, MentionKind, str]] = []
    for chunk in chunks:
        if not chunk:
            continue
        # A sentence per line: line breaks end sentences for every family.
        text = "\n".join(sentences[i].text for i in chunk)
        starts = list(accumulate((len(sentences[i].text) + 1 for i in chunk[:-1]), initial=0))
        cursor = 0
        for surface, kind, signal in family.find_names(text):
            found = text.find(surface, cursor)
            if found < 0:  # not in order after all: take the first sighting
                found = text.find(surface)
            if found < 0:
                continue
            cursor = found + len(surface)
            holder = chunk[bisect_right(starts, found) - 1]
            sightings.append((holder, surface.strip(), kind, signal))
    return sightings


def find_mentions(sentences: Sequence[Sentence], family: LanguageFamily) -> tuple[Mention, ...]:
    """Names (from the family) then figures, each grouped by surface form.

    A surface tagged with different kinds gets its most frequent (kind, signal); ties go
    to the one seen first. Mentions are ordered by first appearance.
    """
    figures_in = [find_figures(sentence.text) for sentence in sentences]
    names: dict[str, _Group] = {}
    for order, (index, surface, kind, signal) in enumerate(_name_sightings(sentences, family)):
        # "US" in "US$ 6 milhões" is part of an amount, not a name.
        if surface and not any(surface in figure for figure in figures_in[index]):
            group = names.setdefault(surface, _Group(first=(index, order)))
            group.sentences.add(index)
            group.kinds[(kind, signal)] += 1
    figures: dict[str, _Group] = {}
    for index, found in enumerate(figures_in):
        for order, surface in enumerate(found):
            group = figures.setdefault(surface, _Group(first=(index, order)))
            group.sentences.add(index)
            group.kinds[("figure", FIGURE_SOURCE)] += 1
    mentions: list[Mention] = []
    for groups in (names, figures):
        for surface, group in sorted(groups.items(), key=lambda item: (item[1].first, item[0])):
            # Counter.most_common keeps insertion order among equal counts.
            (kind, signal), _ = group.kinds.most_common(1)[0]
            mentions.append(Mention(surface, kind, tuple(sorted(group.sentences)), signal))
    return tuple(mentions)
