"""Stories: which articles in other languages cover the same news story.

Two articles are candidates when they share *specific* evidence. Three kinds count:

* **Topics** from the topic stage, which has already linked the names across languages
  (DeepSeek = ディープシーク when the lexicon or topics.yaml says so). A topic is weaker
  the more articles it is in, and a place ("China", 中国) counts for little: two stories
  that happen in the same country are not the same story.
* **Figures**: numbers written in any script and scale normalised to one value, so that
  600万美元, US$ 6 milhões and $6 million are the same figure, 17％ = 17 %, 2018年 = 2018.
  Numbers survive translation unchanged, which makes them strong anchors across scripts.
* **Latin-script names** present in both texts, even when the topic stage did not make
  a topic of them: capitalised words, acronyms, names with digits ("R1", "G20"). Chinese
  and Japanese text often keeps such names in Latin letters.

Each feature weighs its specificity, an inverse document frequency normalised to 0..1:
``log((N + P) / df) / log(N + P)`` for a feature in ``df`` of ``N`` articles. ``P``
(`PRIOR_ARTICLES`) stands for unseen background articles that do not contain the feature,
so that in a small digest about one story its shared names still count. Places and very
common words (by wordfreq) are further damped (`PLACE_WEIGHT`, `_rarity`). The evidence of
a pair is the sum ``S`` of the weights of what the two articles share, and the score is the
geometric mean of two things: the *amount* ``1 - exp(-S / EVIDENCE_SCALE)``, which grows
with every independent piece of shared evidence and saturates towards 1, and the *share*
``2S / (R_a + R_b)``, where ``R_a`` is the weight of everything ``a`` has that occurs at all
in ``b``'s language. A translation or a retelling of the same story shares most of its
names and figures; a different story on the same subject (two stories about one trial)
shares a few names out of many. Neither alone is enough: a long pair shares something by
chance, a short pair may share one year and have nothing else to share.
A name that is part of another shared name ("Brett" of "Brett Kavanaugh") is not counted
twice, and a bare number below 100 (an age, a day) weighs half.

Deciding the links. A good score is not enough on its own: in a digest of many stories,
the articles of one story share figures and names with others by chance (years, "Trump",
"BBC"), and how much they share grows with their length. What generalises is *relative*:
the right counterpart of an article in a given other language is the one that shares
clearly more with it than any other article of that language does. So, per pair of
languages, ``a`` and ``b`` are linked when

1. the score is at least `MIN_SCORE` (an absolute floor: an article whose story has no
   counterpart in that language still has a best match, which must not be linked), and
2. the score is at least `RELATIVE_TO_BEST` × the best score of ``a`` in ``b``'s language
   and at least that fraction of the best score of ``b`` in ``a``'s language (with 1.0 this
   is "mutual best match"; a little below 1 lets two articles of one language about the
   same story both link to their counterparts, as happens in real digests).

Languages: a tag's primary language, plus its script when it names one (zh-Hans and
zh-Hant are different languages for a reader; pt and pt-BR are not).

Cost: features go into an inverted index; only pairs sharing a feature that is in at most
`MAX_CANDIDATE_DF` articles (or a few percent of them) are scored, so the work grows with
the number of true candidates, not with the square of the number of articles.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import partial

from .article_memos import ArticleMemos, LinkingMemo
from .languages.frequency import phrase_zipf, whole_word_zipf
from .languages.resources import chinese_variant, parse_tag
from .model import Article, StoryLink, Topic

# Background articles assumed to lack every feature (see the module docstring).
PRIOR_ARTICLES = 20
# A place shared by two articles says little about their being the same story.
PLACE_WEIGHT = 0.3
# Bare integers below 100 (ages, counts, days of the month) weigh this much.
SMALL_NUMBER_WEIGHT = 0.5
# Evidence S at which the score reaches 1 - 1/e ≈ 0.63.
EVIDENCE_SCALE = 3.0
# Absolute floor of a link's score. On a dev set of translated news (40 stories, 5
# languages) F1 stays within 0.94–0.96 for floors 0.4–0.5; 0.45 is the middle of that
# plateau, not its peak (see bench/eval_stories.py).
MIN_SCORE = 0.45
# A link's score must be at least this fraction of both articles' best scores in the
# other's language (1.0 = mutual best match).
RELATIVE_TO_BEST = 0.8
# Features in more articles than this do not make candidate pairs on their own (their
# weight still counts once a pair is a candidate).
MAX_CANDIDATE_DF = 50
MAX_CANDIDATE_SHARE = 0.05
# Evidence listed per link.
MAX_EVIDENCE = 10

# wordfreq Zipf at and above which a Latin word is as common as "people"/"country"; names
# rarer than COMMON_ZIPF - RARITY_SPAN weigh fully.
COMMON_ZIPF = 6.0
RARITY_SPAN = 2.5
MIN_RARITY = 0.2

# --- languages --------------------------------------------------------------------------


def story_language(lang: str) -> str:
    """The language as a reader tells them apart: primary subtag, plus the script when
    the tag names one or, for Chinese, implies one (zh-TW → zh-Hant)."""
    primary, script, _region = parse_tag(lang)
    if primary in ("zh", "cmn"):
        variant = chinese_variant(lang)
        return f"zh-{variant}" if variant else "zh"
    return f"{primary}-{script}" if script else primary


# --- figures ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Figure:
    """A number, percentage, date or time found in a text, normalised across scripts."""

    key: str  # "2018", "150,000", "6 million", "17%", "10:15", "03-29" (month-day)
    text: str  # as written


_SCALE_WORDS: tuple[tuple[str, int], ...] = (
    # Longest first so that "mil milhões" wins over "mil".
    ("mil milhões", 9),
    ("mil millones", 9),
    ("milliards", 9),
    ("milliard", 9),
    ("thousand", 3),
    ("million", 6),
    ("millions", 6),
    ("billion", 9),
    ("billions", 9),
    ("trillion", 12),
    ("trillions", 12),
    ("milhão", 6),
    ("milhões", 6),
    ("millón", 6),
    ("millones", 6),
    ("bilhão", 9),
    ("bilhões", 9),
    ("bilião", 12),  # European Portuguese: 10^12
    ("biliões", 12),
    ("trilhão", 12),
    ("trilhões", 12),
    ("mil", 3),
    ("bn", 9),
)
# Han multipliers, longest first: 万亿 = 10^12, 千万 = 10^7, 百万 = 10^6.
_HAN_SCALES: tuple[tuple[str, int], ...] = (
    ("万亿", 12),
    ("萬億", 12),
    ("千万", 7),
    ("千萬", 7),
    ("百万", 6),
    ("百萬", 6),
    ("亿", 8),
    ("億", 8),
    ("万", 4),
    ("萬", 4),
    ("千", 3),
)
_PERCENT_WORDS = ("%", "por cento", "per cent", "percent", "pour cent", "パーセント", "个百分点")

# Digits with optional grouping (comma, dot, no-break or thin space) and a decimal part;
# not glued to Latin letters ("R1", "G20" are names, not figures).
_NUMBER = re.compile(
    r"(?<![0-9A-Za-z\u00c0-\u024f.,])"
    r"(百分之)?"
    r"(\d+(?:[.,\u00a0\u202f\u2009]\d+)*)"
    r"(?![0-9])"
)
_TIME = re.compile(r"(?<![0-9:])([01]?\d|2[0-3]):([0-5]\d)(?![0-9:])")
# Month names of the Latin-script languages read here, for dates: "29 March", "March 29",
# "29 de março"; Chinese and Japanese write 3月29日.
_MONTHS: dict[str, int] = {
    name: number
    for names in (
        "january february march april may june july august september october november december",
        "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
        "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    )
    for number, name in enumerate(names.split(), start=1)
}
# A word next to a day number; the word is then looked up in _MONTHS (one table lookup is
# much faster than a regex alternation of every month name).
_DATE_DAY_FIRST = re.compile(
    r"(?<![0-9])([0-3]?\d)(?:st|nd|rd|th)?(?: de)? ([^\W\d_]{3,9})(?![^\W\d_])"
)
# "May 5" only with a capital: "may" is also a verb.
_DATE_MONTH_FIRST = re.compile(r"(?<![^\W\d_])([A-Z][^\W\d_]{2,8})\.? ([0-3]?\d)(?![0-9])")
_DATE_HAN = re.compile(r"(?<![0-9])(1[0-2]|0?[1-9]) ?月 ?([0-3]?\d) ?[日号號]")
_SCALE_PATTERN = re.compile(
    r"\s?(" + "|".join(re.escape(w) for w, _ in _SCALE_WORDS) + r")(?![A-Za-z\u00c0-\u024f])",
    re.IGNORECASE,
)
_PERCENT_PATTERN = re.compile(
    r"\s?(" + "|".join(re.escape(w) for w in _PERCENT_WORDS) + r")", re.IGNORECASE
)
_SCALE_EXPONENT = {word: exponent for word, exponent in _SCALE_WORDS}
_GROUP_SEPARATORS = ",.\u00a0\u202f\u2009"


def _parse_digits(text: str) -> Decimal | None:
    """ "150,000" / "150.000" / "150 000" → 150000; "1,5" / "1.5" → 1.5; else None."""
    parts = re.split(r"([.,\u00a0\u202f\u2009])", text)
    groups, separators = parts[0::2], parts[1::2]
    if not separators:
        return Decimal(text)
    decimal_part = ""
    # A last separator that is a dot or comma followed by other than three digits, or that
    # differs from the separators before it ("1,234.5"), is the decimal mark.
    last = separators[-1]
    if last in ".," and (len(groups[-1]) != 3 or (len(separators) > 1 and separators[-2] != last)):
        decimal_part = groups[-1]
        groups, separators = groups[:-1], separators[:-1]
    if separators:
        if len(set(separators)) != 1 or not 1 <= len(groups[0]) <= 3:
            return None
        if any(len(group) != 3 for group in groups[1:]):
            return None
    try:
        return Decimal("".join(groups) + ("." + decimal_part if decimal_part else ""))
    except InvalidOperation:
        return None


def figures_in(text: str) -> list[Figure]:
    """Numbers in a text, in any script, with their scale applied.

    Full-width digits are read as digits (NFKC); grouping separators are folded; a scale
    word or Han multiplier after the number multiplies it (6 milhões, 600万, 5890億,
    1億5000万); a percent sign or word makes it a percentage. Times (10:15) and dates
    (29 March, 29 de março, 3月29日) are figures of their own, and their numbers are not
    counted again. Integers below 10 are left out: they are as often spelled out as
    written in digits, and too common to tell stories apart.
    """
    text = unicodedata.normalize("NFKC", text)
    found: list[Figure] = []
    taken: list[tuple[int, int]] = []
    for match in _TIME.finditer(text):
        found.append(Figure(f"{int(match.group(1))}:{match.group(2)}", match.group(0)))
        taken.append(match.span())
    dates = [
        *((m, m.group(2), m.group(1)) for m in _DATE_DAY_FIRST.finditer(text)),
        *((m, m.group(1), m.group(2)) for m in _DATE_MONTH_FIRST.finditer(text)),
    ]
    for match, month_name, day in dates:
        month = _MONTHS.get(month_name.casefold())
        if month is not None and 1 <= int(day) <= 31:
            found.append(Figure(f"{month:02d}-{int(day):02d}", match.group(0)))
            taken.append(match.span())
    for match in _DATE_HAN.finditer(text):
        if 1 <= int(match.group(2)) <= 31:
            found.append(
                Figure(f"{int(match.group(1)):02d}-{int(match.group(2)):02d}", match.group(0))
            )
            taken.append(match.span())
    position = 0
    while True:
        number = _NUMBER.search(text, position)
        if number is None:
            break
        position = number.end()
        if any(start <= number.start() < end for start, end in taken):
            continue
        value = _parse_digits(number.group(2))
        if value is None:
            continue
        end = number.end()
        value, end = _apply_scale(text, value, end)
        percent = bool(number.group(1))
        percent_match = _PERCENT_PATTERN.match(text, end)
        if percent_match is not None:
            percent = True
            end = percent_match.end()
        position = max(position, end)
        if not percent and value == value.to_integral_value() and value < 10:
            continue
        found.append(Figure(format_figure(value, percent), text[number.start() : end]))
    return found


def _apply_scale(text: str, value: Decimal, end: int) -> tuple[Decimal, int]:
    for han, exponent in _HAN_SCALES:
        if text.startswith(han, end):
            value *= Decimal(10) ** exponent
            end += len(han)
            # 1億5000万: a smaller Han-scaled part follows.
            rest = re.match(r"(\d+)(千万|千萬|百万|百萬|万|萬|千)", text[end:])
            if rest is not None:
                smaller = dict(_HAN_SCALES)[rest.group(2)]
                if smaller < exponent:
                    value += Decimal(rest.group(1)) * Decimal(10) ** smaller
                    end += rest.end()
            return value, end
    scale = _SCALE_PATTERN.match(text, end)
    if scale is not None:
        exponent = _SCALE_EXPONENT[scale.group(1).lower()]
        return value * Decimal(10) ** exponent, scale.end()
    return value, end


def format_figure(value: Decimal, percent: bool) -> str:
    """A figure as evidence text: "2018", "150,000", "6 million", "5.6 billion", "17%"."""
    if percent:
        return f"{_plain(value)}%"
    for exponent, word in ((12, "trillion"), (9, "billion"), (6, "million")):
        unit = Decimal(10) ** exponent
        if value >= unit:
            return f"{_plain(value / unit)} {word}"
    if value >= 10_000 and value == value.to_integral_value():
        return f"{int(value):,}"
    return _plain(value)


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- Latin-script names -----------------------------------------------------------------

_LATIN_WORD = re.compile(r"[0-9A-Za-z\u00c0-\u024f]+(?:['’][A-Za-z]+)?")
_OPENING_PUNCTUATION = "\"'“”‘’«»「」『』([（【-–—•* "


def _latin_key(word: str) -> str:
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if word.isascii():
        return word.casefold()
    return "".join(
        unicodedata.normalize("NFD", c)[0] if c.isalpha() else c for c in word
    ).casefold()


_CJK_CHARACTER = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


def latin_names(sentences: Sequence[str]) -> dict[str, str]:
    """Latin-script names in the sentences: key → first surface.

    A word counts when it carries a digit and a letter ("R1", "G20"), is an acronym
    ("FBI"), or is capitalised somewhere other than at the start of a sentence. Inside
    Chinese or Japanese text every Latin word is notable and counts when it has two or
    more letters.
    """
    names: dict[str, str] = {}
    for sentence in sentences:
        cjk = _CJK_CHARACTER.search(sentence) is not None
        stripped = sentence.lstrip(_OPENING_PUNCTUATION)
        offset = len(sentence) - len(stripped)
        for match in _LATIN_WORD.finditer(sentence):
            word = match.group(0)
            if word.isdigit():
                continue
            digits = not word.replace("'", "").replace("’", "").isalpha()
            letters = sum(c.isalpha() for c in word) if digits else len(word)
            if digits or (letters >= 2 and word.isupper()):
                pass
            elif cjk:
                if letters < 2:
                    continue
            elif not word[0].isupper() or match.start() == offset or letters < 2:
                continue
            names.setdefault(_latin_key(word), word)
    return names


# --- features and scores ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Feature:
    label: str  # evidence text: a topic key, a figure, a name
    prior: float  # 0..1, specificity known before counting articles
    # folded name, to find names that are part of other shared names; "" for figures
    fold: str


def _rarity(zipf: float) -> float:
    """1 for rare words, down to MIN_RARITY for the most common ones."""
    share = (COMMON_ZIPF - zipf) / RARITY_SPAN
    return min(1.0, max(MIN_RARITY, share))


def _is_float(value: object) -> bool:
    return isinstance(value, float)


class _Frequencies:
    """wordfreq Zipf values of Latin words, looked up once per word: in `kept`, which
    keeps them between builds (wordfreq's lists take a second to load, for the words
    the last build asked about)."""

    def __init__(self, kept: LinkingMemo) -> None:
        self.kept = kept

    def zipf(self, word: str, lang: str) -> float:
        return self.kept.result(
            f"zipf {lang} {word}", partial(whole_word_zipf, word, lang), _is_float
        )

    def phrase_zipf(self, phrase: str) -> float:
        """Zipf of an English phrase ("United States"), by wordfreq's English tokenizer."""
        return self.kept.result(
            f"zipf en-phrase {phrase}", partial(phrase_zipf, phrase, "en"), _is_float
        )

    def topic_rarity(self, topic: Topic) -> float:
        """How rare a topic's name is as a word: Latin names in English, others whole in
        the Chinese and Japanese lists ("United States", 英国 and イギリス are common)."""
        if all(c.isascii() or not c.isalpha() for c in topic.name):
            return _rarity(self.phrase_zipf(topic.name))
        return _rarity(max(self.zipf(topic.key, "zh"), self.zipf(topic.key, "ja")))

    def latin_rarity(self, word: str, lang: str) -> float:
        # A name in Latin letters in any text is most often English or the article's own.
        langs = ["en"] if lang in ("en", "zh", "ja", "ko") else ["en", lang]
        return _rarity(max(self.zipf(word, code) for code in langs))


def story_features(
    article: Article, memo: dict[object, object]
) -> tuple[tuple[tuple[str, str], ...], dict[str, str]]:
    """(key, text) of each figure and the Latin names of the article's title line and
    sentences (figures_in, latin_names), from the article's memo when it has them."""
    found = memo.get("story figures and names")
    if found is None:
        sentences = [s.text for s in article.analysis.sentences]
        if article.source.title_line:
            sentences.insert(0, article.source.title_line)
        figures = tuple((f.key, f.text) for f in figures_in("\n".join(sentences)))
        found = memo["story figures and names"] = (figures, latin_names(sentences))
    return found  # type: ignore[return-value]


def _topic_feature(topic: Topic, frequencies: _Frequencies) -> tuple[str, _Feature]:
    prior = PLACE_WEIGHT if topic.kind == "place" else 1.0
    prior *= frequencies.topic_rarity(topic)
    return "t:" + topic.key, _Feature(topic.key, prior, topic.key)


def _article_features(
    article: Article,
    topics: Sequence[tuple[str, _Feature]],
    frequencies: _Frequencies,
    memo: dict[object, object],
) -> dict[str, _Feature]:
    """The features of one article; `topics` are those of its topics (_topic_feature),
    made once per topic rather than per article: at 10,000 articles, copies of them were
    the peak memory of the whole build."""
    lang = parse_tag(article.analysis.language.lang)[0]
    figures, names = story_features(article, memo)
    features: dict[str, _Feature] = {}
    topic_words: set[str] = set()
    for name, feature in topics:
        features[name] = feature
        topic_words.add(feature.label)
    for figure_key, _ in figures:
        # A bare number below 100 is an age, a count, a day: a weak anchor.
        prior = SMALL_NUMBER_WEIGHT if figure_key.isdigit() and int(figure_key) < 100 else 1.0
        features.setdefault("f:" + figure_key, _Feature(figure_key, prior, ""))
    for key, surface in names.items():
        if key in topic_words:  # already counted as a topic
            continue
        prior = frequencies.latin_rarity(key, lang)
        features.setdefault("w:" + key, _Feature(surface, prior, key))
    return features


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """Two articles in different languages sharing specific evidence, before deciding."""

    article: str  # path, the smaller of the two
    other: str
    article_lang: str  # story_language of each
    other_lang: str
    score: float
    evidence: tuple[str, ...]


def score_story_pairs(
    articles: Sequence[Article],
    topics: Sequence[Topic],
    memos: ArticleMemos | None = None,
    kept: LinkingMemo | None = None,
) -> tuple[ScoredPair, ...]:
    """Every candidate pair of articles in different languages with its score and evidence,
    sorted by paths. Pairs that share no specific feature are not candidates. `memos` may
    hold per-article results of an earlier run, and `kept` word frequencies of one (the
    same pairs, faster)."""
    memos = memos or ArticleMemos()
    for article in articles:
        memos.add(article)
    by_path = {a.entry.path: a for a in articles}
    paths = sorted(by_path)
    language = [story_language(by_path[p].analysis.language.lang) for p in paths]
    frequencies = _Frequencies(kept or LinkingMemo())
    topics_of: dict[str, list[tuple[str, _Feature]]] = defaultdict(list)
    for topic in sorted(topics, key=lambda t: t.key):
        paths_in = sorted({m.article for m in topic.members} & by_path.keys())
        if paths_in:
            feature = _topic_feature(topic, frequencies)
            for path in paths_in:
                topics_of[path].append(feature)
    features = [
        _article_features(by_path[p], topics_of[p], frequencies, memos.of(p)) for p in paths
    ]

    postings: dict[str, list[int]] = defaultdict(list)
    for i, own in enumerate(features):
        for name in own:
            postings[name].append(i)
    total = len(paths) + PRIOR_ARTICLES
    weight = {
        name: math.log(total / len(members)) / math.log(total) for name, members in postings.items()
    }
    candidate_df = max(
        min(MAX_CANDIDATE_DF, 10), min(MAX_CANDIDATE_DF, round(MAX_CANDIDATE_SHARE * len(paths)))
    )
    # What each article could share with a language at all: the weight of its features
    # that occur in some article of that language.
    reachable: list[dict[str, float]] = [defaultdict(float) for _ in paths]
    for name, members in postings.items():
        langs = {language[m] for m in members}
        if len(langs) < 2:
            continue
        for m in members:
            for lang in langs:
                if lang != language[m]:
                    reachable[m][lang] += weight[name] * features[m][name].prior
    candidates: set[tuple[int, int]] = set()
    for members in postings.values():
        if 2 <= len(members) <= candidate_df:
            for x, i in enumerate(members):
                for j in members[x + 1 :]:
                    if language[i] != language[j]:
                        candidates.add((i, j))

    scored: list[ScoredPair] = []
    for i, j in sorted(candidates):
        shared = sorted(features[i].keys() & features[j].keys())
        folds = {features[i][name].fold for name in shared} - {""}
        weighted: list[tuple[float, str]] = []
        for name in shared:
            fold = features[i][name].fold
            # A name inside another shared name ("Brett" in "Brett Kavanaugh", 卡瓦 in
            # 布雷特卡瓦) is the same evidence again.
            if fold and any(fold != other and fold in other for other in folds):
                continue
            prior = min(features[i][name].prior, features[j][name].prior)
            label = min(features[i][name].label, features[j][name].label)
            weighted.append((weight[name] * prior, label))
        weighted.sort(key=lambda item: (-item[0], item[1]))
        evidence_mass = sum(w for w, _ in weighted)
        score = _combine(evidence_mass, reachable[i][language[j]], reachable[j][language[i]])
        evidence = tuple(dict.fromkeys(label for _, label in weighted))[:MAX_EVIDENCE]
        scored.append(ScoredPair(paths[i], paths[j], language[i], language[j], score, evidence))
    return tuple(scored)


def _combine(shared: float, reach_a: float, reach_b: float) -> float:
    """Score of a pair: the geometric mean of how much evidence the two articles share
    (saturating in EVIDENCE_SCALE) and which share it is of what they could have shared
    (Dice over the features each has in common with the other's language)."""
    amount = 1.0 - math.exp(-shared / EVIDENCE_SCALE)
    share = min(1.0, 2 * shared / (reach_a + reach_b)) if reach_a + reach_b else 0.0
    return round(math.sqrt(amount * share), 4)


def decide_story_links(
    scored: Sequence[ScoredPair],
    *,
    min_score: float = MIN_SCORE,
    relative_to_best: float = RELATIVE_TO_BEST,
) -> tuple[StoryLink, ...]:
    """The links among scored pairs, both directions, by the rule in the module docstring."""
    best: dict[tuple[str, str], float] = defaultdict(float)
    for pair in scored:
        best[(pair.article, pair.other_lang)] = max(
            best[(pair.article, pair.other_lang)], pair.score
        )
        best[(pair.other, pair.article_lang)] = max(
            best[(pair.other, pair.article_lang)], pair.score
        )
    links: list[StoryLink] = []
    for pair in scored:
        if pair.score < min_score:
            continue
        if pair.score < relative_to_best * best[(pair.article, pair.other_lang)]:
            continue
        if pair.score < relative_to_best * best[(pair.other, pair.article_lang)]:
            continue
        links.append(StoryLink(pair.article, pair.other, pair.score, pair.evidence))
        links.append(StoryLink(pair.other, pair.article, pair.score, pair.evidence))
    return tuple(sorted(links, key=lambda link: (link.article, -link.score, link.other)))


def link_stories(
    articles: Sequence[Article],
    topics: Sequence[Topic],
    memos: ArticleMemos | None = None,
    kept: LinkingMemo | None = None,
) -> tuple[StoryLink, ...]:
    """Pairs of articles in different languages that cover the same story.

    Both directions of every link (a → b and b → a), sorted by article, score (highest
    first) and other article. Evidence: the shared topic keys, figures and Latin names,
    most specific first. See the module docstring for the rule. `memos` and `kept`: as
    in score_story_pairs.
    """
    return decide_story_links(score_story_pairs(articles, topics, memos, kept))


def story_pairs(links: Iterable[StoryLink]) -> set[tuple[str, str]]:
    """Unordered pairs (sorted path tuples) of a set of links, for evaluation."""
    return {(min(link.article, link.other), max(link.article, link.other)) for link in links}
