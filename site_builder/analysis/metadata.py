"""Title, date, length and reading time of an article.

Each value comes from the most explicit place that has it: the manifest entry first,
then the source's front matter, then the text itself.
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence

from ..languages import BudgetUnit
from ..model import RemovedBlock, Sentence

# How many leading paragraphs may hold a dateline or a headline.
LEADING_PARAGRAPHS = 4

HEADLINE_MAX_CHARS: dict[BudgetUnit, int] = {"words": 120, "chars": 60}
TITLE_CUT_CHARS: dict[BudgetUnit, int] = {"words": 80, "chars": 40}
# Hugo's reading speeds: 220 words or 500 CJK characters a minute.
READING_SPEED: dict[BudgetUnit, int] = {"words": 220, "chars": 500}

DATELINE_MAX_CHARS = 48
ELLIPSIS = "…"
# Separators not worth keeping just before the ellipsis of a cut title.
CUT_TRAILING = " ,;:-–—、，"
SENTENCE_FINAL = frozenset(".!?。！？…;；:：")
# Closing quotes and brackets that may follow the final punctuation mark.
TRAILING_CLOSERS = "\"'”’」』)）]】》"

_PT_MONTHS = {
    "janeiro": 1,
    "fevereiro": 2,
    "março": 3,
    "marco": 3,
    "abril": 4,
    "maio": 5,
    "junho": 6,
    "julho": 7,
    "agosto": 8,
    "setembro": 9,
    "outubro": 10,
    "novembro": 11,
    "dezembro": 12,
}
_EN_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_PT_MONTH_RE = "|".join(sorted(_PT_MONTHS, key=len, reverse=True))
_EN_MONTH_RE = "|".join(sorted(_EN_MONTHS, key=len, reverse=True))

# One pattern per written form; named groups y/m/d (mpt/men: month names).
_DATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?<!\d)(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日號号]"),
    re.compile(
        rf"(?<!\d)(?P<d>\d{{1,2}})(?:º|°|o)?\s+de\s+(?P<mpt>{_PT_MONTH_RE})\s+de\s+(?P<y>\d{{4}})(?!\d)",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b(?P<men>{_EN_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)",
        re.IGNORECASE,
    ),
    re.compile(
        rf"(?<!\d)(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<men>{_EN_MONTH_RE})\.?,?\s+(?P<y>\d{{4}})(?!\d)",
        re.IGNORECASE,
    ),
)

# Reasons under which a cleaner typically files a dateline or byline.
_DATELINE_REASONS = ("date", "byline", "header", "meta", "lead")


def iso_date(year: int, month: int, day: int) -> str | None:
    """YYYY-MM-DD, or None if no such day exists (Feb 30) or the year is implausible."""
    if not 1900 <= year <= 2200:
        return None
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


def find_dates(text: str) -> list[str]:
    """Valid dates written in `text`, as ISO strings, in order of appearance."""
    # NFKC turns full-width digits (２０２５年) into ASCII ones.
    normalised = unicodedata.normalize("NFKC", text)
    found: list[tuple[int, str]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(normalised):
            groups = match.groupdict()
            if groups.get("mpt"):
                month = _PT_MONTHS[groups["mpt"].casefold()]
            elif groups.get("men"):
                month = _EN_MONTHS[groups["men"].casefold()]
            else:
                month = int(groups["m"])
            iso = iso_date(int(groups["y"]), month, int(groups["d"]))
            if iso is not None:
                found.append((match.start(), iso))
    found.sort()
    return [iso for _, iso in found]


def normalise_date(value: str) -> str | None:
    """An ISO date from a front-matter value ("2025-01-31", "2025-01-31T10:00Z", prose)."""
    dates = find_dates(value.strip())
    return dates[0] if dates else None


def front_matter_value(front_matter: Iterable[tuple[str, str]], key: str) -> str | None:
    for name, value in front_matter:
        if name.strip().casefold() == key and value.strip():
            return value.strip()
    return None


def derive_date(
    manifest_date: str | None,
    front_matter: Iterable[tuple[str, str]],
    paragraphs: Sequence[str],
    removed: Sequence[RemovedBlock],
) -> str | None:
    """The article's publication date as YYYY-MM-DD, or None when nothing says.

    Order: manifest, front matter, the leading paragraphs, removed blocks filed as a
    dateline/byline, then other removed blocks only when they agree on a single date
    (a trailing list of related articles carries many unrelated dates).
    """
    if manifest_date:
        return normalise_date(manifest_date) or manifest_date
    matter = front_matter_value(front_matter, "date")
    if matter is not None:
        iso = normalise_date(matter)
        if iso is not None:
            return iso
    for paragraph in paragraphs[:LEADING_PARAGRAPHS]:
        dates = find_dates(paragraph)
        if dates:
            return dates[0]
    datelines = [b for b in removed if any(r in b.reason.casefold() for r in _DATELINE_REASONS)]
    for block in datelines:
        dates = find_dates(block.text)
        if dates:
            return dates[0]
    others = sorted({d for b in removed if b not in datelines for d in find_dates(b.text)})
    return others[0] if len(others) == 1 else None


def has_final_punctuation(text: str) -> bool:
    stripped = text.rstrip().rstrip(TRAILING_CLOSERS)
    return bool(stripped) and stripped[-1] in SENTENCE_FINAL


def looks_like_headline(text: str, unit: BudgetUnit) -> bool:
    """Short, single-line, and not ending like a sentence."""
    text = text.strip()
    if not text or "\n" in text or len(text) > HEADLINE_MAX_CHARS[unit]:
        return False
    if not any(ch.isalpha() for ch in text):
        return False
    if find_dates(text) and len(text) <= DATELINE_MAX_CHARS:
        return False  # a dateline such as "sexta-feira, 31 de janeiro de 2025"
    return not has_final_punctuation(text)


def shorten(text: str, unit: BudgetUnit) -> str:
    """`text` cut to about TITLE_CUT_CHARS at a word (Latin) or character (CJK) boundary."""
    text = " ".join(text.split())
    limit = TITLE_CUT_CHARS[unit]
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if unit == "words":
        space = cut.rfind(" ")
        if space > limit // 2:
            cut = cut[:space]
    return cut.rstrip(CUT_TRAILING) + ELLIPSIS


def derive_title(
    manifest_title: str | None,
    front_matter: Iterable[tuple[str, str]],
    paragraphs: Sequence[str],
    sentences: Sequence[Sentence],
    unit: BudgetUnit,
    title_line: str | None = None,
) -> str:
    """Manifest title, front-matter title, the headline the cleaner took off the top,
    a headline-like first paragraph, or the first sentence shortened with an ellipsis."""
    if manifest_title and manifest_title.strip():
        return manifest_title.strip()
    matter = front_matter_value(front_matter, "title")
    if matter is not None:
        return matter
    if title_line and title_line.strip():
        return " ".join(title_line.split())
    first = next((p.strip() for p in paragraphs if p.strip()), "")
    if looks_like_headline(first, unit):
        return " ".join(first.split())
    if sentences:
        return shorten(sentences[0].text, unit)
    return shorten(first, unit)


def reading_minutes(length: int, unit: BudgetUnit) -> int:
    """Minutes to read `length` words (Latin) or characters (CJK), at least 1."""
    return max(1, math.ceil(length / READING_SPEED[unit]))
