"""One object that loads language tools lazily and hands out cached language families.

A build creates one `LanguageResources` (one per worker process when building in
parallel: the Japanese tokenizer is not thread-safe). Nothing is loaded until asked for:
a build of only Portuguese never imports jieba or sudachipy.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

from . import LanguageFamily
from .han_conversion import HanConverter
from .jieba_tagger import fast_pos_tokenizer, import_jieba, initialize_tokenizer
from .langid_model import language_identifier

if TYPE_CHECKING:
    from ..lexicon import Lexicon

# Languages written in Latin script whose sentences and words the Latin family handles.
LATIN_LANGUAGES = frozenset(
    [
        "af",
        "ast",
        "az",
        "br",
        "ca",
        "co",
        "cs",
        "cy",
        "da",
        "de",
        "en",
        "eo",
        "es",
        "et",
        "eu",
        "fi",
        "fil",
        "fo",
        "fr",
        "fy",
        "ga",
        "gd",
        "gl",
        "gn",
        "ha",
        "hr",
        "hu",
        "id",
        "is",
        "it",
        "jv",
        "kl",
        "ku",
        "la",
        "lb",
        "lt",
        "lv",
        "mg",
        "mi",
        "ms",
        "mt",
        "nb",
        "nl",
        "nn",
        "no",
        "oc",
        "pl",
        "pt",
        "qu",
        "rm",
        "ro",
        "rw",
        "sk",
        "sl",
        "sm",
        "sn",
        "so",
        "sq",
        "sv",
        "sw",
        "tl",
        "tn",
        "tr",
        "uz",
        "vi",
        "wa",
        "wo",
        "xh",
        "yo",
        "zu",
    ]
)
CHINESE_LANGUAGES = frozenset({"zh", "cmn", "yue", "wuu", "hak", "nan", "gan", "lzh"})
# Region subtags that imply a script when a Chinese tag names none.
_TRADITIONAL_REGIONS = frozenset({"tw", "hk", "mo"})
# Largest input sudachipy accepts in one call is 49,149 bytes; stay well below.
SUDACHI_MAX_BYTES = 40_000


def parse_tag(lang: str) -> tuple[str, str | None, str | None]:
    """(primary language, script, region) of a BCP 47 tag, lower-cased; script title-cased."""
    parts = [part for part in lang.replace("_", "-").split("-") if part]
    primary = parts[0].lower() if parts else "und"
    script: str | None = None
    region: str | None = None
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha() and script is None:
            script = part.title()
        elif (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            region = region or part.lower()
    return primary, script, region


def chinese_variant(lang: str) -> str | None:
    """The script of a Chinese tag, "Hans" or "Hant", or None when the tag does not say."""
    primary, script, region = parse_tag(lang)
    if script in ("Hans", "Hant"):
        return script
    if region in _TRADITIONAL_REGIONS or primary == "yue":
        return "Hant"
    if region in ("cn", "sg", "my"):
        return "Hans"
    return None


class LanguageResources:
    """Lazily loaded segmenters, converters, stop lists and the language identifier."""

    def __init__(self) -> None:
        self._families: dict[str, LanguageFamily] = {}
        self._converters: dict[str, HanConverter] = {}
        self._stopwords: dict[str, frozenset[str]] = {}
        self._identifier: Any = None
        self._jieba_pos: Any = None
        self._sudachi: Any = None
        self._lexicon: Lexicon | None = None

    # --- families ------------------------------------------------------------------

    def family(self, lang: str) -> LanguageFamily:
        """The family for a BCP 47 tag, created on first request and cached."""
        key = _family_key(lang)
        primary, script, _region = parse_tag(lang)
        cached = self._families.get(key)
        if cached is None:
            cached = self._create_family(key, primary, script)
            self._families[key] = cached
        return cached

    @staticmethod
    def is_fallback(lang: str) -> bool:
        """True when `family(lang)` would be the fallback family (words split at spaces),
        told without creating it: a rebuild from the cache loads no segmenter."""
        return _family_kind(_family_key(lang)) == "fallback"

    def _create_family(self, key: str, primary: str, script: str | None) -> LanguageFamily:
        kind = _family_kind(key)
        if kind == "chinese":
            from .chinese import ChineseFamily

            variant = key.split("-", 1)[1] if "-" in key else None
            return ChineseFamily(key, variant, self)
        if kind == "japanese":
            from .japanese import JapaneseFamily

            return JapaneseFamily(self)
        if kind == "latin":
            from .latin import LatinFamily

            return LatinFamily(key, self.stopwords(key))
        from .fallback import FallbackFamily

        return FallbackFamily(key, self.stopwords(primary))

    # --- Chinese script conversion --------------------------------------------------

    def _converter(self, direction: str) -> HanConverter:
        converter = self._converters.get(direction)
        if converter is None:
            converter = HanConverter.load(direction)
            self._converters[direction] = converter
        return converter

    def to_simplified(self, text: str) -> str:
        """Traditional → Simplified Han (other characters unchanged)."""
        return self._converter("t2s").convert(text)

    def to_traditional(self, text: str) -> str:
        """Simplified → Traditional Han (other characters unchanged)."""
        return self._converter("s2t").convert(text)

    # --- stop words ------------------------------------------------------------------

    def stopwords(self, lang: str) -> frozenset[str]:
        """Stop words of a primary language tag from stopwords-iso (empty if unknown)."""
        primary = parse_tag(lang)[0]
        cached = self._stopwords.get(primary)
        if cached is None:
            import stopwordsiso

            words: set[str] = (
                stopwordsiso.stopwords(primary) if stopwordsiso.has_lang(primary) else set()
            )
            cached = frozenset(word.casefold() for word in words)
            self._stopwords[primary] = cached
        return cached

    # --- language identification ------------------------------------------------------

    def language_identifier(self) -> Any:
        """py3langid identifier with normalised probabilities (langid_model)."""
        if self._identifier is None:
            self._identifier = language_identifier()
        return self._identifier

    # --- segmenters ------------------------------------------------------------------

    def jieba_pos_tokenizer(self) -> Any:
        """A private jieba POS tokenizer (own dictionary state, logger silenced)."""
        if self._jieba_pos is None:
            jieba = import_jieba()
            # jieba announces dictionary loading on stderr; keep builds quiet.
            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            initialize_tokenizer(tokenizer)
            self._jieba_pos = fast_pos_tokenizer(tokenizer)
        return self._jieba_pos

    def sudachi_tokenizer(self) -> Any:
        """A sudachipy tokenizer (core dictionary, split mode C). Not thread-safe."""
        if self._sudachi is None:
            sudachipy = importlib.import_module("sudachipy")
            dictionary = sudachipy.Dictionary(dict="core")
            self._sudachi = dictionary.tokenizer(mode=sudachipy.SplitMode.C)
        return self._sudachi

    # --- bilingual lexicon ---------------------------------------------------------------

    def lexicon(self) -> Lexicon:
        """CC-CEDICT names and e2k katakana for cross-language linking (loaded lazily)."""
        if self._lexicon is None:
            from ..lexicon import Lexicon

            self._lexicon = Lexicon(self.to_simplified)
        return self._lexicon


def _family_kind(key: str) -> str:
    """Which family a _family_key gets: "chinese", "japanese", "latin" or "fallback"."""
    if key == "zh" or key.startswith("zh-"):
        return "chinese"
    if key == "ja":
        return "japanese"
    return "latin" if key in LATIN_LANGUAGES else "fallback"


def _family_key(lang: str) -> str:
    """The key of a BCP 47 tag's family: "zh", "zh-<variant>", "ja", a Latin-script
    primary tag, else the primary tag (with its script, if any) of a fallback family."""
    primary, script, _region = parse_tag(lang)
    if primary in CHINESE_LANGUAGES:
        variant = chinese_variant(lang)
        return f"zh-{variant}" if variant else "zh"
    if primary in LATIN_LANGUAGES and script in (None, "Latn"):
        return primary
    if primary == "ja":
        return "ja"
    return f"{primary}-{script}" if script else primary
