"""Which language (and script) an article is written in.

Decided in this order, on a bounded sample of the text:
1. too little text → "und";
2. kana make up a fair share of the text → Japanese (no other language writes kana);
3. otherwise py3langid; Chinese ("zh", or Han-dominated text) is then split into
   Simplified and Traditional by an OpenCC vote: how many characters a
   Traditional→Simplified conversion changes versus a Simplified→Traditional one.
"""

from __future__ import annotations

import re
from collections import Counter

from ..languages import CJK_UNIT_RE, HAN_RE, HANGUL_RE, KANA_RE, latin_runs
from ..languages.resources import LATIN_LANGUAGES, LanguageResources
from ..model import LanguageGuess

# The first characters are enough to tell the language; keeps long articles fast.
SAMPLE_CHARS = 5_000
# Fewer units (CJK characters + words) than this cannot be identified reliably.
MIN_UNITS = 3
# Share of kana among all units above which a text is Japanese (Japanese prose has 30–60 %;
# a Chinese article quoting one Japanese name stays far below).
KANA_SHARE = 0.1
# Share of Han among all units above which a text without kana is taken as Chinese.
HAN_SHARE = 0.5
# Below this py3langid probability on a short text, say "und" rather than guess.
SHORT_TEXT_UNITS = 10
SHORT_TEXT_MIN_CONFIDENCE = 0.5

_WORD_RE = re.compile(r"[^\W\d_]+")

# ISO 15924 script of languages py3langid reports that are not written in Latin script.
_SCRIPT_BY_LANGUAGE: dict[str, str] = {
    **dict.fromkeys(("ru", "uk", "be", "bg", "mk", "sr", "kk", "ky", "mn", "tg"), "Cyrl"),
    **dict.fromkeys(("ar", "fa", "ur", "ps", "ug"), "Arab"),
    **dict.fromkeys(("hi", "mr", "ne"), "Deva"),
    "el": "Grek",
    "he": "Hebr",
    "ko": "Kore",
    "th": "Thai",
    "lo": "Laoo",
    "km": "Khmr",
    "my": "Mymr",
    "ka": "Geor",
    "hy": "Armn",
    "am": "Ethi",
    "bn": "Beng",
    "ta": "Taml",
    "te": "Telu",
    "kn": "Knda",
    "ml": "Mlym",
    "gu": "Gujr",
    "pa": "Guru",
    "si": "Sinh",
    "or": "Orya",
    "bo": "Tibt",
    "dz": "Tibt",
}


def detect_language(text: str, resources: LanguageResources) -> LanguageGuess:
    """Best guess of the BCP 47 tag and ISO 15924 script of `text`."""
    sample = text[:SAMPLE_CHARS]
    kana = len(KANA_RE.findall(sample))
    han = len(HAN_RE.findall(sample))
    hangul = len(HANGUL_RE.findall(sample))
    cjk = len(CJK_UNIT_RE.findall(sample))
    words = len(_WORD_RE.findall(CJK_UNIT_RE.sub(" ", sample)))
    units = cjk + words
    if units < MIN_UNITS:
        return LanguageGuess("und", _dominant_script(sample), 0.0, "too-short")
    if kana and kana / units >= KANA_SHARE:
        share = (kana + han) / units
        return LanguageGuess("ja", "Jpan", round(min(1.0, 0.5 + share), 4), "kana-share")
    identifier = resources.language_identifier()
    lang, probability = identifier.classify(sample)
    lang = str(lang)
    confidence = round(float(probability), 4)
    if han and hangul == 0 and (lang in ("zh", "ja") or han / units >= HAN_SHARE):
        method = "py3langid" if lang == "zh" else f"han-share(py3langid:{lang})"
        return _chinese_variant(sample, resources, confidence, method)
    if units < SHORT_TEXT_UNITS and confidence < SHORT_TEXT_MIN_CONFIDENCE:
        return LanguageGuess(
            "und", _dominant_script(sample), confidence, f"too-short(py3langid:{lang})"
        )
    script = "Latn" if lang in LATIN_LANGUAGES else _SCRIPT_BY_LANGUAGE.get(lang)
    if script is None:
        script = _dominant_script(sample)
    return LanguageGuess(lang, script, confidence, "py3langid")


def _chinese_variant(
    sample: str, resources: LanguageResources, confidence: float, method: str
) -> LanguageGuess:
    """zh-Hans or zh-Hant by counting the characters each OpenCC conversion changes."""
    traditional_votes = _changed(sample, resources.to_simplified(sample), resources, True)
    simplified_votes = _changed(sample, resources.to_traditional(sample), resources, False)
    total = traditional_votes + simplified_votes
    if traditional_votes > simplified_votes:
        lang, script = "zh-Hant", "Hant"
    else:
        lang, script = "zh-Hans", "Hans"
    if total == 0:
        # Only characters common to both scripts: Simplified is the likelier default.
        return LanguageGuess(lang, script, round(confidence * 0.5, 4), f"{method}+opencc-tie")
    margin = max(traditional_votes, simplified_votes) / total
    votes = f"{traditional_votes}:{simplified_votes}"
    return LanguageGuess(
        lang, script, round(confidence * margin, 4), f"{method}+opencc-vote({votes})"
    )


def _changed(
    original: str, converted: str, resources: LanguageResources, to_simplified: bool
) -> int:
    """How many Han characters a conversion changed."""
    if len(converted) == len(original):
        return sum(
            1 for a, b in zip(original, converted, strict=True) if a != b and HAN_RE.match(a)
        )
    # A phrase mapping changed the length: compare character by character instead.
    convert = resources.to_simplified if to_simplified else resources.to_traditional
    changes = {char: convert(char) != char for char in sorted(set(original)) if HAN_RE.match(char)}
    return sum(1 for char in original if changes.get(char, False))


def _dominant_script(text: str) -> str:
    """ISO 15924 code of the most frequent script among the letters of `text`."""
    counts: Counter[str] = Counter()
    counts["Hani"] = len(HAN_RE.findall(text))
    counts["Jpan"] = len(KANA_RE.findall(text))
    counts["Hang"] = len(HANGUL_RE.findall(text))
    counts["Latn"] = sum(end - start for start, end in latin_runs(text))
    for char in text:
        if char.isalpha() and not char.isascii():
            script = _script_of(char)
            if script:
                counts[script] += 1
    best = max(sorted(counts), key=lambda script: counts[script])
    return best if counts[best] else "Zyyy"


_SCRIPT_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0370, 0x03FF, "Grek"),
    (0x0400, 0x052F, "Cyrl"),
    (0x0530, 0x058F, "Armn"),
    (0x0590, 0x05FF, "Hebr"),
    (0x0600, 0x06FF, "Arab"),
    (0x0900, 0x097F, "Deva"),
    (0x0980, 0x09FF, "Beng"),
    (0x0E00, 0x0E7F, "Thai"),
    (0x0E80, 0x0EFF, "Laoo"),
    (0x10A0, 0x10FF, "Geor"),
    (0x1780, 0x17FF, "Khmr"),
)


def _script_of(char: str) -> str | None:
    code = ord(char)
    for low, high, script in _SCRIPT_RANGES:
        if low <= code <= high:
            return script
    return None
