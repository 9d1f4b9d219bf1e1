"""Key figures: the same amount or percentage cited in several articles, in any script.

Parsing. Money amounts, percentages and large counts are read in every script the
digest meets and normalised to a value and a unit: "US$ 6 milhões" = "$6 million" =
"6 million dollars" = "600万美元" = "600萬美元" = "600万ドル" (6e6 USD); "5890億美元" =
"5,890亿美元" = "US$ 589 bilhões"; "1萬億美元" = "1兆ドル" = "$1 trillion"; "17%" = "17 %" =
"17％" = "百分之十七". Full-width digits are read as digits. The one ambiguous Latin format,
one separator before exactly three digits, follows the article's language: "1.000" is a
thousand in Portuguese and "1.5" one and a half in English. Hedges ("about", "quase",
"近", "不到", "以下", "約") set `approximate` but keep the stated value. Vague amounts
("数十亿美元", "何十億ドル", "bilhões de dólares") are figures without a value
(`vague`, value = the order of magnitude) and never link.

Keys. `figure_key` rounds the value to three significant figures and keeps kind and unit:
"money:USD:6e6", "percent:17", "count::5e4". Equal keys are the same number; nothing
looser is ever equal, so 600万美元 ≠ 6000亿美元 ≠ 1600萬美元 and 17% ≠ 17.

Rounded citations. Reporters round: one article gives 560萬美元, another "about $6
million"; 5890億美元 becomes "近6000亿美元". A precise figure (two or more significant
digits) may therefore join the topic of a round one (one significant digit) when it rounds
to it at one significant digit and differs by at most ROUNDING_TOLERANCE — and only if an
article cites the round figure itself; two precise figures never meet through rounding.

Corroboration. A bare number shared by two articles is as often two facts as one (1000亿
美元 is a joint venture in one seed and a loss in another). Two occurrences of the same key
in different articles are linked only when
  * their sentences share a context item: a named topic (from topic linking, so
    NVIDIA = 英伟达 counts) or, without topics, a name mention folded across scripts
    (case, accents, Traditional → Simplified: 英偉達 = 英伟达). Items too short to name
    one thing (Latin of fewer than MIN_LATIN_CONTEXT characters: "AI", "US", "R1") or too
    common (Zipf above GENERIC_ZIPF, e.g. 美国) do not count. Only the sentence itself
    counts, not its neighbours: the neighbour of one amount is often about another; or
  * both are money amounts in the lead of their articles (the title or the first
    LEAD_SENTENCES sentences of the first paragraph): the headline figure of a story.
A figure topic gathers every article with at least one corroborated occurrence; its
members' sentences are the corroborated occurrences, and TopicMember.reason says which
surfaces were equal and what context they shared.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from .analysis.mentions import (
    CJK_SCALES,
    FIGURE_PATTERN,
    VAGUE_SCALES,
    amount_currency,
    decimal_mark,
    may_hold_figure,
    parse_amount,
    parse_cjk_number,
    parse_number,
)
from .languages.frequency import phrase_zipf
from .model import Article, Topic, TopicMember

FigureKind = Literal["money", "percent", "count"]

# A precise figure joins a round one it rounds to when they differ by at most this share.
ROUNDING_TOLERANCE = 0.10
# Sentences of the first paragraph that count as the lead, with the title.
LEAD_SENTENCES = 3
# Latin context items shorter than this name too many things to corroborate a figure.
MIN_LATIN_CONTEXT = 4
# Context words more frequent than this (Zipf, wordfreq) are background, not context.
GENERIC_ZIPF = 5.0

TITLE_SENTENCE = -1  # Figure.sentence of a figure found in the article's title


@dataclass(frozen=True, slots=True)
class Figure:
    """One amount, percentage or count as found in a text."""

    value: float  # in units (6e6 for "600万"); for a vague figure its order of magnitude
    unit: str  # ISO 4217 code for money ("USD", "CNY", "JPY", …), "%" or "" for counts
    kind: FigureKind
    approximate: bool  # hedged ("about", "近", "以下") or vague
    surface: str  # as written
    sentence: int = 0  # index into ArticleAnalysis.sentences; TITLE_SENTENCE for the title
    vague: bool = False  # no stated value: "数十亿美元", "bilhões de dólares"


class HanConverter(Protocol):
    """Traditional → Simplified Han, as the language resources provide it."""

    def to_simplified(self, text: str) -> str: ...


# --- parsing -------------------------------------------------------------------------

_CURRENCY_SYMBOLS: dict[str, str] = {
    "USD": "US$",
    "BRL": "R$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "CNY": "CN¥",
    "HKD": "HK$",
    "TWD": "NT$",
}

# Hedges just before or after a figure: the value is stated, but not exactly.
_HEDGE_BEFORE = re.compile(
    r"(?:\b(?:about|around|approximately|roughly|nearly|almost|some|over|under|"
    r"more\s+than|less\s+than|up\s+to|close\s+to|cerca\s+de|quase|aproximadamente|"
    r"mais\s+de|menos\s+de|até|por\s+volta\s+de|em\s+torno\s+de|perto\s+de|"
    r"alrededor\s+de|casi|más\s+de|menos\s+de)|[~≈～]|"
    r"约|約|大约|大約|大概|近|将近|將近|接近|不到|超过|超過|逾|高达|高達|多达|多達|"
    r"至少|最多|およそ|ほぼ|最大|少なくとも)\s*$",
    re.IGNORECASE,
)
_HEDGE_AFTER = re.compile(r"^\s*(?:左右|以上|以下|未満|程度|近く|前後|弱|強|强|上下)")

# Large counts: grouped Latin digits ("50.000", "10,000"), a Latin scale word ("3 million
# users") or a Han scale character ("5万人", "一千亿"). Years and dates are not counts.
_LATIN_GROUPED = r"\d{1,3}(?:[.,\u00a0]\d{3})+"
COUNT_PATTERN = re.compile(
    r"(?<![0-9A-Za-z.,$€£¥＄])"
    r"(?:"
    rf"(?P<grouped>{_LATIN_GROUPED})(?![\d.,]\d)"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|mil|milhão|milhões|bilhão|bilhões|"
    r"trilhão|trilhões)\b)?"
    r"|(?P<plain>\d+(?:[.,]\d+)?)\s?(?P<scale2>thousand|million|billion|trillion|milhão|"
    r"milhões|bilhão|bilhões|trilhão|trilhões)\b"
    r"|(?P<cjk>(?:\d+(?:[.,]\d+)?|[〇零一二三四五六七八九两兩])[〇零一二三四五六七八九十百千两兩]*"
    r"[多余餘]?[万萬亿億兆]+)"
    r")"
    r"(?![\d年月日号號時时分秒歳岁歲])",
    re.IGNORECASE,
)
_COUNT_SCALES: dict[str, float] = {
    "thousand": 1e3,
    "mil": 1e3,
    "million": 1e6,
    "milhão": 1e6,
    "milhões": 1e6,
    "billion": 1e9,
    "bilhão": 1e9,
    "bilhões": 1e9,
    "trillion": 1e12,
    "trilhão": 1e12,
    "trilhões": 1e12,
}
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


def _ascii_digits(text: str) -> str:
    """Full-width ASCII (１７％, ＄６) as ASCII, keeping every offset."""
    return text.translate(_FULLWIDTH)


def _vague_magnitude(surface: str) -> float:
    """Order of magnitude of a vague amount: 数十亿 → 1e9, bilhões → 1e9, 数ドル → 1."""
    magnitude = 1.0
    for char in surface:
        magnitude *= CJK_SCALES.get(char, 1.0)
    for word, value in VAGUE_SCALES.items():
        if re.search(rf"\b{word}\b", surface, re.IGNORECASE):
            magnitude = max(magnitude, value)
    return magnitude


def _money_or_percent(surface: str, lang: str | None) -> tuple[float, str, bool] | None:
    """(value, unit, vague) of a money/percent surface found by FIGURE_PATTERN."""
    parsed = parse_amount(surface, lang)
    if parsed is not None:
        return parsed[0], parsed[1], False
    if re.search(r"%|％|百分之|cento|percent", surface, re.IGNORECASE):
        return None
    return _vague_magnitude(surface), amount_currency(surface) or "", True


def _count_value(match: re.Match[str], lang: str | None) -> float | None:
    decimal = decimal_mark(lang)
    if match.group("grouped"):
        value = parse_number(match.group("grouped"), decimal)
        scale = match.group("scale")
        if value is None or (scale is None and (value < 1000 or value != int(value))):
            return None  # "1.500" in English is one and a half, not a count
        return value * (_COUNT_SCALES[scale.casefold()] if scale else 1.0)
    if match.group("plain"):
        value = parse_number(match.group("plain"), decimal)
        scale = match.group("scale2").casefold()
        return None if value is None else value * _COUNT_SCALES[scale]
    return parse_cjk_number(match.group("cjk"), decimal)


def _hedged(text: str, start: int, end: int) -> bool:
    return bool(_HEDGE_BEFORE.search(text[max(0, start - 24) : start])) or bool(
        _HEDGE_AFTER.match(text[end : end + 4])
    )


def scan_figures(text: str, lang: str | None = None, sentence: int = 0) -> tuple[Figure, ...]:
    """Every money amount, percentage and large count in `text`, in order.

    `lang` (BCP 47) settles ambiguous Latin digits ("1.000"); `sentence` is stored in each
    Figure. Never raises on any input.
    """
    ascii_text = _ascii_digits(text)
    if not may_hold_figure(ascii_text):
        return ()
    found: list[tuple[int, Figure]] = []
    taken: list[tuple[int, int]] = []
    for match in FIGURE_PATTERN.finditer(ascii_text):
        start, end = match.span()
        raw = text[start:end]
        stripped = raw.strip()
        start += len(raw) - len(raw.lstrip())
        end = start + len(stripped)
        parsed = _money_or_percent(stripped, lang)
        if parsed is None:
            continue
        value, unit, vague = parsed
        kind: FigureKind = "percent" if unit == "%" else "money"
        approximate = vague or _hedged(ascii_text, start, end) or _more_than(stripped)
        found.append(
            (start, Figure(value, unit, kind, approximate, stripped, sentence, vague=vague))
        )
        taken.append((start, end))
    for match in COUNT_PATTERN.finditer(ascii_text):
        start, end = match.span()
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        count = _count_value(match, lang)
        if count is None or count <= 0:
            continue
        approximate = _hedged(ascii_text, start, end) or _more_than(text[start:end])
        found.append((start, Figure(count, "", "count", approximate, text[start:end], sentence)))
    return tuple(figure for _, figure in sorted(found, key=lambda item: item[0]))


def _more_than(surface: str) -> bool:
    """600多万 / 5000余亿: "more than", so not exact."""
    return re.search(r"\d[多余餘][万萬亿億兆十百千]", surface) is not None


def parse_figure(text: str, lang: str | None = None) -> Figure | None:
    """The figure `text` is, when the whole of it is one: "600万美元", "17 %", "US$ 6 milhões".

    A bare number is a count ("17", "50.000"). None for anything else; never raises.
    """
    stripped = text.strip()
    if not stripped:
        return None
    figures = scan_figures(stripped, lang)
    if len(figures) == 1 and figures[0].surface == stripped:
        return figures[0]
    number = parse_number(_ascii_digits(stripped), decimal_mark(lang))
    if number is not None and re.fullmatch(r"[\d.,\u00a0 ]+", _ascii_digits(stripped)):
        return Figure(number, "", "count", False, stripped)
    return None


def figures_of(article: Article) -> tuple[Figure, ...]:
    """Figures in the article's sentences, read in the article's language."""
    lang = article.analysis.language.lang or article.entry.lang
    return tuple(
        figure
        for index, sentence in enumerate(article.analysis.sentences)
        for figure in scan_figures(sentence.text, lang, index)
    )


# --- keys and names ------------------------------------------------------------------


def _significant(value: float, digits: int) -> float:
    if value == 0 or not math.isfinite(value):
        return value
    return float(f"{value:.{digits - 1}e}")


def _canonical(value: float) -> str:
    """Three significant figures: 6000000 → "6e6", 589000000000 → "5.89e11"."""
    if value == 0 or not math.isfinite(value):
        return "0"
    mantissa, exponent = f"{value:.2e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}"


def figure_key(figure: Figure) -> str:
    """Canonical key: "money:USD:6e6", "percent:17", "count::5e4"; "" for a vague figure.

    Values are rounded to three significant figures and then compared strictly.
    """
    if figure.vague or not math.isfinite(figure.value) or figure.value <= 0:
        return ""
    if figure.kind == "percent":
        return f"percent:{_significant(figure.value, 3):g}"
    return f"{figure.kind}:{figure.unit}:{_canonical(figure.value)}"


def _is_round(value: float) -> bool:
    """One significant digit: 6e6, 6e11, 17 is not."""
    return _significant(value, 1) == _significant(value, 3)


def rounded_key(figure: Figure) -> str | None:
    """Key of the round figure a precise one can stand for (560万 → "money:USD:6e6"), if any."""
    key = figure_key(figure)
    if not key or figure.kind == "percent" or _is_round(figure.value):
        return None
    rounded = _significant(figure.value, 1)
    if abs(rounded - figure.value) > ROUNDING_TOLERANCE * rounded:
        return None
    return figure_key(Figure(rounded, figure.unit, figure.kind, True, figure.surface))


def _scaled_words(value: float) -> str:
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if value >= size:
            return f"{_significant(value / size, 3):g} {word}"
    if value == int(value):
        return f"{int(value):,}"
    return f"{_significant(value, 3):g}"


def figure_label(figure: Figure) -> str:
    """A readable English label: "US$ 6 million", "17%", "50,000"."""
    if figure.kind == "percent":
        return f"{_significant(figure.value, 3):g}%"
    amount = _scaled_words(figure.value)
    if figure.kind == "money":
        return f"{_CURRENCY_SYMBOLS.get(figure.unit, figure.unit)} {amount}".strip()
    return amount


def _label_of_key(key: str, example: Figure) -> str:
    kind, unit, value = [*key.split(":"), "", ""][:3]
    if kind == "percent":
        return f"{unit}%"
    return figure_label(Figure(float(value), unit, example.kind, False, example.surface))


# --- context -------------------------------------------------------------------------


def _fold(text: str, to_simplified: Callable[[str], str]) -> str:
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = re.sub(r"[\s\-‐._·・]+", " ", folded).strip()
    return to_simplified(unicodedata.normalize("NFC", folded))


def too_vague_as_context(key: str) -> bool:
    """Short Latin items (AI, US, R1) and very common words say nothing about a figure."""
    if not key:
        return True
    if all(c.isascii() or not c.isalpha() for c in key):
        short = len(key.replace(" ", "")) < MIN_LATIN_CONTEXT
        return short or phrase_zipf(key, "en") > GENERIC_ZIPF
    cjk = [c for c in key if unicodedata.name(c, "").startswith("CJK")]
    if cjk and len(cjk) == len(key.replace(" ", "")):
        return len(cjk) < 2 or phrase_zipf(key, "zh") > GENERIC_ZIPF
    return len(key) < 2


@dataclass(frozen=True, slots=True)
class _Context:
    """Context items per (article, sentence): key → display name."""

    items: dict[tuple[str, int], dict[str, str]]

    def of(self, article: str, sentence: int) -> dict[str, str]:
        return self.items.get((article, sentence), {})


def _topic_context(
    topics: Iterable[Topic],
    too_vague: Callable[[str], bool],
    wanted: Container[tuple[str, int]],
) -> _Context:
    """Context items of the `wanted` (article, sentence) pairs, those holding a figure
    (every pair a topic is in took a fifth of the peak memory of a 10,000-article build)."""
    items: dict[tuple[str, int], dict[str, str]] = defaultdict(dict)
    for topic in topics:
        if topic.kind == "figure":
            continue
        # "AI" stays vague even when its forms include 人工智能: the name says what it is.
        if too_vague(_fold(topic.name, lambda s: s)) or all(
            too_vague(_fold(form, lambda s: s)) for _, forms in topic.names for form in forms
        ):
            continue
        item = f"topic:{topic.key}"
        for member in topic.members:
            for sentence in member.sentences:
                if (member.article, sentence) in wanted:
                    items[(member.article, sentence)][item] = topic.name
    return _Context(dict(items))


def _mention_context(
    articles: Sequence[Article],
    to_simplified: Callable[[str], str],
    too_vague: Callable[[str], bool],
    wanted: Container[tuple[str, int]],
) -> _Context:
    """Context items of the `wanted` (article, sentence) pairs (see _topic_context)."""
    items: dict[tuple[str, int], dict[str, str]] = defaultdict(dict)
    for article in articles:
        path = article.entry.path
        for mention in article.analysis.mentions:
            if mention.kind == "figure":
                continue
            sentences = [s for s in mention.sentences if (path, s) in wanted]
            if not sentences:
                continue
            parts = {_fold(mention.text, to_simplified)}
            parts |= set(_fold(mention.text, to_simplified).split(" "))
            for key in sorted(parts):
                if too_vague(key):
                    continue
                for sentence in sentences:
                    items[(path, sentence)].setdefault(f"name:{key}", mention.text)
    return _Context(dict(items))


# --- linking -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Occurrence:
    article: str
    lang: str
    figure: Figure
    exact: bool  # its own key is the topic's key (not joined by rounding)
    lead: bool


@dataclass
class _Draft:
    """Corroborated occurrences of one key while linking (local to one call), and per
    article what its partners (the occurrences corroborating its own) bring."""

    occurrences: set[_Occurrence]
    partners: dict[str, set[tuple[bool, str]]]  # article → (rounded, surface) of partners
    context: dict[str, set[str]]  # article → context names shared with a partner
    lead: set[str]  # articles with a partner through the lead of both


def _lead_indexes(article: Article) -> set[int]:
    sentences = article.analysis.sentences
    if not sentences:
        return set()
    first = sentences[0].paragraph
    return {i for i, s in enumerate(sentences[:LEAD_SENTENCES]) if s.paragraph == first}


def _title_figures(article: Article, lang: str | None) -> list[Figure]:
    titles = {article.analysis.title, article.source.title_line or ""}
    return [
        figure
        for title in sorted(t for t in titles if t)
        for figure in scan_figures(title, lang, TITLE_SENTENCE)
        if figure.kind == "money"
    ]


def _describe(occurrence: _Occurrence) -> str:
    return occurrence.figure.surface


def link_figures(
    articles: Sequence[Article],
    topics: Sequence[Topic] | None = None,
    resources: HanConverter | None = None,
    *,
    figures_of: Callable[[Article], tuple[Figure, ...]] = figures_of,
    too_vague: Callable[[str], bool] = too_vague_as_context,
) -> tuple[Topic, ...]:
    """Key-figure topics (kind "figure"): one per figure key corroborated in ≥ 2 articles.

    `topics` are the named topics already linked (their figure topics are ignored); they
    give cross-language context (NVIDIA = 英伟达). Without them, name mentions folded
    across scripts with `resources` (Traditional → Simplified) are the context. See the
    module docstring for the rules. Sorted by number of articles (most first), then key.
    `figures_of` gives an article's figures (a memo of the function of that name), and
    `too_vague` the answer of too_vague_as_context (a memo of it).
    """
    to_simplified = resources.to_simplified if resources is not None else (lambda s: s)
    by_key: dict[str, list[_Occurrence]] = defaultdict(list)
    exact_keys: set[str] = set()
    for article in articles:
        path = article.entry.path
        lang = article.analysis.language.lang or article.entry.lang or ""
        lead = _lead_indexes(article)
        figures = list(figures_of(article)) + _title_figures(article, lang)
        for figure in figures:
            key = figure_key(figure)
            if not key:
                continue
            in_lead = figure.sentence == TITLE_SENTENCE or figure.sentence in lead
            by_key[key].append(_Occurrence(path, lang, figure, True, in_lead))
            exact_keys.add(key)
            round_key = rounded_key(figure)
            if round_key is not None:
                by_key[round_key].append(_Occurrence(path, lang, figure, False, in_lead))

    wanted = {(o.article, o.figure.sentence) for found in by_key.values() for o in found}
    context = (
        _topic_context(topics, too_vague, wanted)
        if topics is not None
        else _mention_context(articles, to_simplified, too_vague, wanted)
    )
    topics_out: list[Topic] = []
    for key in sorted(by_key):
        if key not in exact_keys:
            continue  # precise figures meet only through a round figure someone cites
        # An article that cites the round figure itself means something else by a
        # precise one near it: 750億 next to 800億 is another amount, not 800億 rounded.
        citing = {o.article for o in by_key[key] if o.exact}
        occurrences = sorted(
            (o for o in by_key[key] if o.exact or o.article not in citing),
            key=lambda o: (o.article, o.figure.sentence, o.figure.surface),
        )
        draft = _corroborate(occurrences, context)
        members = _members(key, draft)
        if len(members) >= 2:
            topics_out.append(_figure_topic(key, draft, members))
    return tuple(sorted(topics_out, key=lambda t: (-len(t.members), t.key)))


def _corroborate(occurrences: Sequence[_Occurrence], context: _Context) -> _Draft:
    """Which occurrences of one key are one fact, and why.

    Two occurrences in different articles, one of them exact, corroborate each other when
    their sentences share a context item (named as the earlier occurrence names it), else
    when both are in a lead and the earlier one is an amount of money. Worked out per
    occurrence over bit sets of all the others (one bit per occurrence, in order) rather
    than pair by pair: a common figure occurs in thousands of articles.
    """
    items_of = [context.of(o.article, o.figure.sentence) for o in occurrences]
    everyone = (1 << len(occurrences)) - 1
    in_article: dict[str, int] = defaultdict(int)
    with_item: dict[str, int] = defaultdict(int)
    with_name: dict[tuple[str, str], int] = defaultdict(int)  # (item, its name there)
    with_value: dict[tuple[bool, str], int] = defaultdict(int)  # (rounded, surface)
    exact = lead = money = 0
    for index, (occurrence, items) in enumerate(zip(occurrences, items_of, strict=True)):
        bit = 1 << index
        in_article[occurrence.article] |= bit
        for item, name in items.items():
            with_item[item] |= bit
            with_name[(item, name)] |= bit
        with_value[(not occurrence.exact, occurrence.figure.surface)] |= bit
        exact |= bit if occurrence.exact else 0
        lead |= bit if occurrence.lead else 0
        money |= bit if occurrence.figure.kind == "money" else 0
    names_of: dict[str, list[str]] = defaultdict(list)
    for item, name in sorted(with_name):
        names_of[item].append(name)
    values = sorted(with_value.items())

    draft = _Draft(set(), defaultdict(set), defaultdict(set), set())
    for index, (occurrence, items) in enumerate(zip(occurrences, items_of, strict=True)):
        bit = 1 << index
        before = bit - 1
        after = everyone & ~(bit | before)
        others = everyone & ~in_article[occurrence.article]
        if not occurrence.exact:
            others &= exact
        names = draft.context[occurrence.article]
        sharing = 0
        for item, name in items.items():
            partners = with_item[item] & others
            if not partners:
                continue
            sharing |= partners
            if partners & after:
                names.add(name)
            names.update(
                other for other in names_of[item] if partners & before & with_name[(item, other)]
            )
        leads = 0
        if occurrence.lead:
            first_is_money = (after if occurrence.figure.kind == "money" else 0) | (before & money)
            leads = others & lead & ~sharing & first_is_money
        if not (sharing or leads):
            continue
        draft.occurrences.add(occurrence)
        if leads:
            draft.lead.add(occurrence.article)
        draft.partners[occurrence.article].update(
            value for value, holders in values if holders & (sharing | leads)
        )
    return draft


def _member_reason(
    key: str,
    own: list[_Occurrence],
    partners: set[tuple[bool, str]],
    context: set[str],
    lead: bool,
) -> str:
    """ "same amount US$ 6 million (600万美元 = US $ 6 milhões); shared context: DeepSeek"."""
    label = _label_of_key(key, own[0].figure)
    mine = sorted({o.figure.surface for o in own})
    theirs = [
        surface + ("" if not rounded else " rounded") for rounded, surface in sorted(partners)
    ]
    equal = " = ".join(dict.fromkeys([*mine, *theirs]))  # "17% = 17%" says nothing twice
    head = (
        f"same amount {label} ({equal})"
        if any(o.exact for o in own)
        else f"{' / '.join(mine)} rounds to {label} (= {' = '.join(theirs)})"
    )
    why = []
    if context:
        names = sorted(context, key=lambda name: (name.casefold(), name))
        why.append("shared context: " + ", ".join(names))
    if lead:
        why.append("in the lead of both articles")
    return "; ".join([head, *why])


def _members(key: str, draft: _Draft) -> list[TopicMember]:
    by_article: dict[str, list[_Occurrence]] = defaultdict(list)
    for occurrence in draft.occurrences:
        by_article[occurrence.article].append(occurrence)
    members: list[TopicMember] = []
    for path in sorted(by_article):
        found = sorted(by_article[path], key=lambda o: (o.figure.sentence, o.figure.surface))
        surfaces = tuple(sorted({o.figure.surface for o in found}))
        sentences = tuple(
            sorted({o.figure.sentence for o in found if o.figure.sentence != TITLE_SENTENCE})
        )
        reason = _member_reason(
            key, found, draft.partners[path], draft.context[path], path in draft.lead
        )
        members.append(TopicMember(path, surfaces, sentences, reason))
    return members


def _figure_topic(key: str, draft: _Draft, members: list[TopicMember]) -> Topic:
    names: dict[str, set[str]] = defaultdict(set)
    for occurrence in draft.occurrences:
        names[occurrence.lang].add(occurrence.figure.surface)
    example = min(draft.occurrences, key=lambda o: (not o.exact, o.article, o.figure.sentence))
    return Topic(
        key=key,
        name=_label_of_key(key, example.figure),
        kind="figure",
        names=tuple((lang, tuple(sorted(forms))) for lang, forms in sorted(names.items())),
        members=tuple(members),
    )
