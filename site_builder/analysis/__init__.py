"""Per-article analysis: language, sentences, tokens, title, date, summary, keyphrases,
mentions and reading time.

`analyse_article` is the stage's one entry point. Everything language-specific goes
through the LanguageFamily the resources hand out; the parts here are script-neutral
apart from the budget unit (words for Latin scripts, characters for CJK).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import (
    ArticleAnalysis,
    ArticleEntry,
    LanguageGuess,
    Sentence,
    SiteConfig,
    SourceDocument,
)
from .keyphrases import BackgroundFrequencies, extract_keyphrases
from .mentions import find_mentions, parse_amount
from .metadata import derive_date, derive_title, reading_minutes
from .summary import summarise

if TYPE_CHECKING:
    from ..languages.resources import LanguageResources

__all__ = [
    "BackgroundFrequencies",
    "analyse_article",
    "manifest_language",
    "parse_amount",
    "script_for_tag",
]

# Default script of a language written in one script (ISO 15924), by primary subtag.
_DEFAULT_SCRIPTS: dict[str, str] = {
    "zh": "Hans",
    "yue": "Hant",
    "ja": "Jpan",
    "ko": "Kore",
    "ru": "Cyrl",
    "uk": "Cyrl",
    "bg": "Cyrl",
    "sr": "Cyrl",
    "mk": "Cyrl",
    "be": "Cyrl",
    "kk": "Cyrl",
    "el": "Grek",
    "ar": "Arab",
    "fa": "Arab",
    "ur": "Arab",
    "he": "Hebr",
    "yi": "Hebr",
    "hi": "Deva",
    "mr": "Deva",
    "ne": "Deva",
    "bn": "Beng",
    "ta": "Taml",
    "te": "Telu",
    "th": "Thai",
    "ka": "Geor",
    "hy": "Armn",
    "am": "Ethi",
    "km": "Khmr",
    "lo": "Laoo",
    "my": "Mymr",
    "si": "Sinh",
}
# Chinese regions whose default script is Traditional.
_HANT_REGIONS = frozenset({"tw", "hk", "mo"})


def script_for_tag(tag: str) -> str:
    """ISO 15924 script implied by a BCP 47 tag: zh-Hant → Hant, zh-TW → Hant, ja → Jpan,
    pt → Latn. An explicit script subtag wins."""
    parts = tag.replace("_", "-").split("-")
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            return part.title()
    primary = parts[0].casefold()
    if primary == "zh" and any(p.casefold() in _HANT_REGIONS for p in parts[1:]):
        return "Hant"
    return _DEFAULT_SCRIPTS.get(primary, "Latn")


def manifest_language(tag: str) -> LanguageGuess:
    """The language the editor declared, taken as certain."""
    return LanguageGuess(lang=tag, script=script_for_tag(tag), confidence=1.0, method="manifest")


def analyse_article(
    entry: ArticleEntry,
    source: SourceDocument,
    resources: LanguageResources,
    config: SiteConfig,
    *,
    background: BackgroundFrequencies | None = None,
) -> ArticleAnalysis:
    """Analyse one article's clean text.

    `background` holds the word-frequency lists for keyphrase scoring; pass one object
    for the whole build so each list is loaded once (a fresh one is made if omitted).
    """
    if entry.lang:
        language = manifest_language(entry.lang)
    else:
        # Imported here: language_id needs LanguageResources, whose module may import
        # this package in turn.
        from .language_id import detect_language

        language = detect_language("\n\n".join(source.paragraphs), resources)
    family = resources.family(language.lang)
    unit = family.budget_unit

    sentences = tuple(
        Sentence(text=text, paragraph=index)
        for index, paragraph in enumerate(source.paragraphs)
        for text in family.split_sentences(paragraph)
    )
    tokens = [family.tokenize(sentence.text) for sentence in sentences]

    title = derive_title(
        entry.title, source.front_matter, source.paragraphs, sentences, unit, source.title_line
    )
    date = derive_date(entry.date, source.front_matter, source.paragraphs, source.removed)
    summary = summarise(
        entry.summary,
        source.more_summary,
        sentences,
        tokens,
        family,
        config.summary_sentences,
        title_tokens=family.tokenize(title),
    )
    mentions = find_mentions(sentences, family)
    is_chinese = language.lang.split("-")[0].casefold() == "zh"
    keyphrases = extract_keyphrases(
        sentences,
        tokens,
        mentions,
        title,
        family,
        background or BackgroundFrequencies(),
        config.keyphrases,
        simplify=resources.to_simplified if is_chinese else _identity,
    )
    length = sum(family.measure(sentence.text) for sentence in sentences)
    return ArticleAnalysis(
        language=language,
        title=title,
        date=date,
        sentences=sentences,
        summary=summary.texts,
        summary_indexes=summary.indexes,
        summary_source=summary.source,
        keyphrases=keyphrases,
        mentions=mentions,
        word_count=length,
        reading_minutes=reading_minutes(length, unit),
    )


def _identity(text: str) -> str:
    return text
