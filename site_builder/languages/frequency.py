"""Word frequencies from wordfreq's lists, the one place linking reads them.

`whole_word_zipf` looks a word up whole, without wordfreq's tokenizers (they need MeCab
for Japanese and write a jieba cache file for Chinese). Linking only asks whether a word
is common (Zipf above FLOOR_ZIPF), so only those words are kept: wordfreq's own
dictionaries hold every word of a language, 30 MB each, for the life of the process.
`phrase_zipf` is wordfreq's own lookup, through its tokenizer, for phrases.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

# Words rarer than this count as absent (Zipf 0): every caller treats a word below it
# as rare (topics: generic above 5; stories: full rarity below 3.5). A sixteenth of each
# list lies above it.
FLOOR_ZIPF = 3.5


def whole_word_zipf(word: str, lang: str) -> float:
    """Zipf frequency of `word` looked up whole in wordfreq's best list for `lang` (the
    closest language wordfreq has); 0.0 below FLOOR_ZIPF, for an unknown language, or
    when the list cannot be read."""
    try:
        frequency = _common_words(lang).get(word, 0.0)
    except (LookupError, ValueError, OSError):
        return 0.0
    return math.log10(frequency) + 9 if frequency > 0 else 0.0


def phrase_zipf(phrase: str, lang: str) -> float:
    """wordfreq's Zipf frequency of a phrase ("United States"), tokenised by wordfreq;
    0.0 for a language it cannot tokenise offline."""
    from wordfreq import zipf_frequency

    if lang.partition("-")[0].casefold() == "zh":
        # wordfreq tokenizes Chinese with jieba: imported here first, without its
        # warning, so that each lookup need not silence warnings process-wide.
        from .jieba_tagger import import_jieba

        import_jieba()
    try:
        return float(zipf_frequency(phrase, lang))
    except (LookupError, ValueError):
        return 0.0


@cache  # read-only packaged data, read once per process as wordfreq does its own lists
def _common_words(lang: str) -> Mapping[str, float]:
    """Frequency of each word of `lang`'s list at or above FLOOR_ZIPF (the values of
    wordfreq.get_frequency_dict); raises LookupError for a language wordfreq lacks."""
    import langcodes
    from wordfreq import available_languages, cB_to_freq, read_cBpack

    available = available_languages("best")
    # wordfreq.get_frequency_list's choice, so Traditional Chinese reads the zh list.
    best, _distance = langcodes.closest_match(lang, list(available), max_distance=60)
    if best == "und":
        raise LookupError(f"wordfreq has no word list for {lang!r}")
    words: dict[str, float] = {}
    for index, bucket in enumerate(read_cBpack(available[best])):
        frequency = cB_to_freq(-index)
        if math.log10(frequency) + 9 < FLOOR_ZIPF:
            break  # buckets go from the most frequent down
        for word in bucket:
            words[word] = frequency
    return MappingProxyType(words)
