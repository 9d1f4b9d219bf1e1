"""Article summaries: the editor's, the author's <!--more--> lead, or an extractive one.

The automatic summary is LexRank-style: sentences are nodes, edges are TF-IDF cosine
similarities of their content words, and PageRank (power iteration, with a mild lead
prior as the teleport distribution) finds the most central sentences. The best ones
that fit the length budget are returned in text order, never cut.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ..languages import BudgetUnit, LanguageFamily
from ..model import Sentence, Token
from .metadata import TRAILING_CLOSERS, has_final_punctuation

SummarySource = Literal["manifest", "more", "automatic"]

# Length budget of an automatic summary, in the family's budget unit.
SUMMARY_BUDGET: dict[BudgetUnit, int] = {"words": 90, "chars": 220}
# Shorter sentences are fragments (captions, bylines, "Read more"), not summary material.
MIN_SENTENCE: dict[BudgetUnit, int] = {"words": 6, "chars": 15}
# Longer ones are run-ons (lists, captions glued to text) that would fill the budget alone.
MAX_SENTENCE: dict[BudgetUnit, int] = {"words": 67, "chars": 165}

DAMPING = 0.85
MAX_ITERATIONS = 200
TOLERANCE = 1e-12
# Teleport weight of the first sentence relative to the last (a mild lead prior).
LEAD_PRIOR = 2.0
# Content-word overlap (of the smaller set) above which two sentences are one.
DUPLICATE_OVERLAP = 0.8
DUPLICATE_SIZE_RATIO = 0.5
# Centrality multiplier for lines that do not stand alone: no sentence-final punctuation
# (headlines, labels) or a quotation mark without its partner.
UNPUNCTUATED_PENALTY = 0.5

LIST_INTRODUCERS = frozenset(":：;；")
PAIRED_QUOTES = (("“", "”"), ("‘", "’"), ("「", "」"), ("『", "』"), ("«", "»"))

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True, slots=True)
class Summary:
    texts: tuple[str, ...]
    indexes: tuple[int, ...]
    source: SummarySource


def content_norms(tokens: Sequence[Token]) -> list[str]:
    """Norms of the tokens that carry meaning: no stop words, punctuation or symbols."""
    return [
        t.norm
        for t in tokens
        if not t.is_stop and t.pos not in ("PUNCT", "SYM") and any(ch.isalnum() for ch in t.norm)
    ]


def stands_alone(text: str) -> bool:
    """Reads as a whole sentence: final punctuation, no quotation left open or unopened
    (a sentence cut out of a longer quotation reads oddly on its own)."""
    if not has_final_punctuation(text):
        return False
    return all(text.count(left) == text.count(right) for left, right in PAIRED_QUOTES)


def introduces_a_list(text: str) -> bool:
    return text.rstrip().rstrip(TRAILING_CLOSERS)[-1:] in LIST_INTRODUCERS


def is_near_duplicate(a: frozenset[str], b: frozenset[str]) -> bool:
    """Most content words of the smaller sentence occur in the other, which is not much
    longer (a headline repeated with or without its subtitle; not a long sentence that
    happens to cover a short one)."""
    smaller, larger = sorted((len(a), len(b)))
    if smaller == 0 or smaller < DUPLICATE_SIZE_RATIO * larger:
        return False
    return len(a & b) / smaller >= DUPLICATE_OVERLAP


def similarity_matrix(norms: Sequence[Sequence[str]]) -> np.ndarray:
    """Cosine similarity of TF-IDF vectors (IDF over the sentences of this document)."""
    vocabulary: dict[str, int] = {}
    for sentence in norms:
        for norm in sentence:
            vocabulary.setdefault(norm, len(vocabulary))
    n = len(norms)
    counts = np.zeros((n, max(1, len(vocabulary))), dtype=np.float64)
    for row, sentence in enumerate(norms):
        for norm in sentence:
            counts[row, vocabulary[norm]] += 1.0
    document_frequency = (counts > 0).sum(axis=0)
    idf = np.log((1.0 + n) / (1.0 + document_frequency)) + 1.0
    # Sublinear term frequency: a word said three times is not three times as central.
    weights = np.where(counts > 0, 1.0 + np.log(np.maximum(counts, 1.0)), 0.0) * idf
    lengths = np.sqrt((weights * weights).sum(axis=1))
    lengths[lengths == 0] = 1.0
    unit = weights / lengths[:, None]
    similarity: np.ndarray = unit @ unit.T
    np.fill_diagonal(similarity, 0.0)
    return similarity


def pagerank(similarity: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """Stationary distribution of a random walk on the weighted graph, teleporting by prior."""
    n = similarity.shape[0]
    if n == 0:
        return np.zeros(0)
    teleport = prior / prior.sum()
    out_weight = similarity.sum(axis=1)
    dangling = out_weight == 0
    safe = np.where(dangling, 1.0, out_weight)
    transition = similarity / safe[:, None]
    rank = teleport.copy()
    for _ in range(MAX_ITERATIONS):
        following = transition.T @ rank + rank[dangling].sum() * teleport
        updated = (1.0 - DAMPING) * teleport + DAMPING * following
        change = float(np.abs(updated - rank).sum())
        rank = updated
        if change < TOLERANCE:
            break
    result: np.ndarray = rank
    return result


def lead_prior(n: int) -> np.ndarray:
    """Teleport weights falling linearly from LEAD_PRIOR (first) to 1 (last)."""
    if n <= 1:
        return np.ones(n)
    return 1.0 + (LEAD_PRIOR - 1.0) * (n - 1 - np.arange(n)) / (n - 1)


def centrality(norms: Sequence[Sequence[str]]) -> list[float]:
    """LexRank score per sentence; near-duplicates of an earlier sentence score 0.

    Repeated headlines would otherwise vote for each other and look central.
    """
    sets = [frozenset(s) for s in norms]
    nodes: list[int] = []
    for index, words in enumerate(sets):
        if words and not any(is_near_duplicate(words, sets[kept]) for kept in nodes):
            nodes.append(index)
    scores = [0.0] * len(norms)
    if not nodes:
        return scores
    ranks = pagerank(similarity_matrix([norms[i] for i in nodes]), lead_prior(len(nodes)))
    for node, rank in zip(nodes, ranks.tolist(), strict=True):
        scores[node] = float(rank)
    return scores


def extract_summary(
    texts: Sequence[str],
    norms: Sequence[Sequence[str]],
    lengths: Sequence[int],
    unit: BudgetUnit,
    max_sentences: int,
    avoid: Sequence[Sequence[str]] = (),
) -> tuple[int, ...]:
    """Indexes (increasing) of the sentences that make the automatic summary.

    `texts`, `norms` (content words) and `lengths` (in `unit`) describe each sentence;
    sentences nearly equal to one of `avoid` (e.g. the title) are not chosen. At most
    `max_sentences` are taken, and together they fit SUMMARY_BUDGET[unit].
    """
    if max_sentences <= 0 or not texts:
        return ()
    budget = SUMMARY_BUDGET[unit]
    scores = centrality(norms)
    avoided = [frozenset(a) for a in avoid if a]
    sets = [frozenset(s) for s in norms]

    def eligible(index: int) -> bool:
        if scores[index] <= 0.0 or lengths[index] < MIN_SENTENCE[unit]:
            return False
        if lengths[index] > MAX_SENTENCE[unit]:
            return False
        if introduces_a_list(texts[index]):
            return False  # "Four insights stand out:" says nothing by itself
        return not any(is_near_duplicate(sets[index], a) for a in avoided)

    weighted = [
        score * (1.0 if stands_alone(text) else UNPUNCTUATED_PENALTY)
        for score, text in zip(scores, texts, strict=True)
    ]
    # Rounding makes the order independent of floating-point noise; ties go to the earlier.
    order = sorted(
        (i for i in range(len(texts)) if eligible(i)),
        key=lambda i: (-round(weighted[i], 12), i),
    )
    chosen: list[int] = []
    used = 0
    for index in order:
        if used + lengths[index] > budget:
            continue  # over-long run-ons never fit; a shorter, lower-ranked one may
        if any(is_near_duplicate(sets[index], sets[other]) for other in chosen):
            continue
        chosen.append(index)
        used += lengths[index]
        if len(chosen) >= max_sentences:
            break
    if not chosen:
        # Nothing fits: one whole sentence is better than none or a cut one.
        fallback = [i for i in range(len(texts)) if scores[i] > 0.0]
        fallback.sort(key=lambda i: (lengths[i] < MIN_SENTENCE[unit], -round(weighted[i], 12), i))
        if fallback:
            chosen = [min(fallback[:3], key=lambda i: (lengths[i], fallback.index(i)))]
    return tuple(sorted(chosen))


def split_paragraphs(text: str) -> tuple[str, ...]:
    """Blank-line separated paragraphs of an editor's or author's summary, one line each."""
    return tuple(
        " ".join(part.split()) for part in _PARAGRAPH_BREAK.split(text.strip()) if part.strip()
    )


def summarise(
    editor_summary: str | None,
    more_summary: str | None,
    sentences: Sequence[Sentence],
    tokens: Sequence[Sequence[Token]],
    family: LanguageFamily,
    max_sentences: int,
    title_tokens: Sequence[Token] = (),
) -> Summary:
    """The editor's summary, else the <!--more--> lead, else an extractive summary."""
    if editor_summary and editor_summary.strip():
        return Summary(split_paragraphs(editor_summary), (), "manifest")
    if more_summary and more_summary.strip():
        return Summary(split_paragraphs(more_summary), (), "more")
    texts = [s.text for s in sentences]
    indexes = extract_summary(
        texts,
        [content_norms(t) for t in tokens],
        [family.measure(text) for text in texts],
        family.budget_unit,
        max_sentences,
        avoid=[content_norms(title_tokens)],
    )
    return Summary(tuple(texts[i] for i in indexes), indexes, "automatic")
