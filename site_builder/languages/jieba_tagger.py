"""jieba's part-of-speech tagger with a faster Viterbi decoder, same output.

jieba tags a run of characters its dictionary does not know with a character HMM of
256 (position, tag) states; its decoder scores every previous state for every next one,
though each state has only about 20 successors. Most of a Chinese article's analysis
time went there. This decoder scores only the predecessors a transition exists from,
and falls back to jieba's rule where none does (all scores −∞: the largest state wins),
so its choices are jieba's, tie for tie. `tests/test_languages.py` compares both.
"""

from __future__ import annotations

import importlib
import io
import sys
import warnings
from array import array
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from .kept_copies import copy_path, read_word_table, write_word_table

# jieba.posseg.viterbi's constants.
MIN_FLOAT = -3.14e100
MIN_INF = float("-inf")

State = tuple[str, str]


@contextmanager
def quiet_jieba_import() -> Iterator[None]:
    """Around code that may import jieba first (directly, or wordfreq's Chinese
    tokenizer). jieba imports pkg_resources only to find its own data files, and falls
    back to their paths beside its code when it cannot: the import took 0.18 s of every
    process that segments Chinese, and warned that setuptools deprecates it (every build
    printed that three times: main, two workers). So jieba is shown no pkg_resources,
    unless something else has already imported it (then only the warning is hidden)."""
    hidden = "pkg_resources" not in sys.modules
    # Process-wide for the import's fraction of a second: another thread importing
    # pkg_resources meanwhile would fail (a preview server imports jieba once).
    if hidden:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import fails
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings(
                "ignore", message="pkg_resources is deprecated", category=UserWarning
            )
            yield
    finally:
        if hidden and "pkg_resources" in sys.modules and sys.modules["pkg_resources"] is None:
            del sys.modules["pkg_resources"]


def import_jieba(module: str = "jieba") -> Any:
    """jieba (or one of its modules), imported without its deprecation warning. Once it
    is imported, the warning filters are left alone: they are the whole process's, and a
    preview server's other threads may be warning at the time."""
    imported = sys.modules.get(module)
    if imported is not None:
        return imported
    with quiet_jieba_import():
        return importlib.import_module(module)


# The prefix dictionary and the word tags as this module keeps them between processes
# (see initialize_tokenizer, import_posseg), as word tables (kept_copies): the prefix
# dictionary's number is its total, its values the frequencies as 64-bit integers; the
# word tags' values are one tag per line.
_PREFIX_FORMAT = b"site_builder jieba prefix dictionary 1"
_TAGS_FORMAT = b"site_builder jieba word tags 1"
_FREQUENCY = "q"


def initialize_tokenizer(tokenizer: Any, folder: Path | None = None) -> None:
    """tokenizer.initialize() for jieba's default dictionary, from a copy of its prefix
    dictionary kept in `folder` (the temporary folder, like jieba's own copy) in a form
    that loads in 0.17 s: jieba's marshal copy took 0.57 s of every process that segments
    Chinese. The copy is made on first use, and used only if this user made it and nobody
    else can change it (it is plain words and numbers: no code is loaded from it)."""
    if tokenizer.initialized or tokenizer.dictionary != import_jieba().DEFAULT_DICT:
        tokenizer.initialize()
        return
    path = _copy_path(folder, _PREFIX_FORMAT, "prefix")
    loaded = _read_prefix_copy(path) if path is not None else None
    if loaded is not None:
        tokenizer.FREQ, tokenizer.total = loaded
        tokenizer.initialized = True
        return
    tokenizer.initialize()
    if path is not None:
        values = array(_FREQUENCY, tokenizer.FREQ.values())
        write_word_table(path, _PREFIX_FORMAT, tokenizer.FREQ, tokenizer.total, values.tobytes())


def import_posseg(folder: Path | None = None) -> Any:
    """jieba.posseg, imported with the word tags of jieba's default dictionary taken
    from a copy kept in `folder` (see default_word_tags). The import itself reads them
    from jieba's dictionary file for its own POSTokenizer (0.24 s of every process that
    tags Chinese); it is shown an empty file instead, and its tokenizer is given the
    tags before this returns, so jieba.posseg is as its own import leaves it."""
    posseg = sys.modules.get("jieba.posseg")
    if posseg is not None:
        return posseg
    jieba = import_jieba()
    default = jieba.dt
    if default.dictionary != jieba.DEFAULT_DICT:
        return import_jieba("jieba.posseg")  # another dictionary: no copy of its tags
    default.get_dict_file = io.BytesIO  # an instance attribute, removed below
    try:
        posseg = import_jieba("jieba.posseg")
    finally:
        del default.get_dict_file
    posseg.dt.word_tag_tab = default_word_tags(folder)
    return posseg


def default_word_tags(folder: Path | None = None) -> dict[str, str]:
    """Each word of jieba's default dictionary and its part-of-speech tag, in the
    dictionary's order (POSTokenizer.word_tag_tab), from a copy kept in `folder` (the
    temporary folder) that loads in 0.05 s; the copy is made, by jieba's own reader, on
    first use. Kept and checked as initialize_tokenizer's copy is."""
    jieba = import_jieba()
    path = _copy_path(folder, _TAGS_FORMAT, "tags")
    kept = read_word_table(path, _TAGS_FORMAT) if path is not None else None
    if kept is not None:
        words, _, values = kept
        with suppress(UnicodeDecodeError):
            tags = values.decode("utf-8").split("\n")
            if len(tags) == len(words):
                return dict(zip(words, tags, strict=True))
    reader = SimpleNamespace()
    # jieba's reader, unbound: the same parsing and errors as jieba.posseg's import.
    import_jieba("jieba.posseg").POSTokenizer.load_word_tag(
        reader, jieba.Tokenizer(jieba.DEFAULT_DICT).get_dict_file()
    )
    found: dict[str, str] = reader.word_tag_tab
    if path is not None and not any("\n" in tag for tag in found.values()):
        values = "\n".join(found.values()).encode("utf-8")
        write_word_table(path, _TAGS_FORMAT, found, 0, values)
    return found


def _copy_path(folder: Path | None, form: bytes, suffix: str) -> Path | None:
    """Where a copy of a table of jieba's default dictionary goes (kept_copies)."""
    jieba = import_jieba()
    try:
        dictionary = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME
    except (AttributeError, TypeError):
        return None
    return copy_path(folder, "jieba", jieba.__version__, dictionary, form, suffix)


def _read_prefix_copy(path: Path) -> tuple[dict[str, int], int] | None:
    """The prefix dictionary and total kept in `path`; None if there is none to use."""
    kept = read_word_table(path, _PREFIX_FORMAT)
    if kept is None:
        return None
    words, total, values = kept
    frequencies = array(_FREQUENCY)
    try:
        frequencies.frombytes(values)
    except ValueError:  # a cut-off array
        return None
    if len(frequencies) != len(words):
        return None
    return dict(zip(words, frequencies, strict=True)), total


def predecessors(
    transitions: Mapping[State, Mapping[State, float]],
) -> dict[State, dict[State, float]]:
    """For every state, the states it can follow and the log probability of the step."""
    into: dict[State, dict[State, float]] = {}
    for before, nexts in transitions.items():
        for after, probability in nexts.items():
            into.setdefault(after, {})[before] = probability
    return into


def viterbi(
    observed: str,
    char_states: Mapping[str, tuple[State, ...]],
    start: Mapping[State, float],
    transitions: Mapping[State, Mapping[State, float]],
    emissions: Mapping[State, Mapping[str, float]],
    into: Mapping[State, Mapping[State, float]],
) -> tuple[float, list[State]]:
    """jieba.posseg.viterbi.viterbi, given `into` = predecessors(transitions)."""
    all_states = transitions.keys()
    scores: dict[State, float] = {}
    paths: list[dict[State, State | None]] = [{}]
    for state in char_states.get(observed[0], all_states):
        scores[state] = start[state] + emissions[state].get(observed[0], MIN_FLOAT)
        paths[0][state] = None
    for t in range(1, len(observed)):
        char = observed[t]
        previous = [state for state in paths[t - 1] if transitions[state]]
        expected: set[State] = set()
        for state in previous:
            expected.update(transitions[state])
        candidates = set(char_states.get(char, all_states)) & expected
        if not candidates:
            candidates = expected if expected else set(all_states)
        new_scores: dict[State, float] = {}
        back: dict[State, State | None] = {}
        for state in candidates:
            emit = emissions[state].get(char, MIN_FLOAT)
            steps = into.get(state, {})
            best: tuple[float, State] | None = None
            for before in previous:
                step = steps.get(before)
                if step is None:
                    continue
                scored = (scores[before] + step + emit, before)
                if best is None or scored > best:
                    best = scored
            if best is None or best[0] == MIN_INF:
                # Every predecessor scores −∞: jieba's max over all of them decides.
                best = max(
                    (scores[before] + steps.get(before, MIN_INF) + emit, before)
                    for before in previous
                )
            new_scores[state] = best[0]
            back[state] = best[1]
        scores = new_scores
        paths.append(back)
    probability, last = max((scores[state], state) for state in paths[-1])
    route: list[State] = [last] * len(observed)
    current: State | None = last
    for i in range(len(observed) - 1, -1, -1):
        assert current is not None
        route[i] = current
        current = paths[i][current]
    return probability, route


def fast_pos_tokenizer(tokenizer: Any, folder: Path | None = None) -> Any:
    """A jieba.posseg.POSTokenizer over `tokenizer` that decodes with `viterbi` above
    (`folder`: where import_posseg keeps its copy, the temporary folder by default)."""
    posseg = import_posseg(folder)
    tables = (
        posseg.char_state_tab_P,
        posseg.start_P,
        posseg.trans_P,
        posseg.emit_P,
        predecessors(posseg.trans_P),
    )
    pair = posseg.pair
    base: Any = posseg.POSTokenizer

    class FastPOSTokenizer(base):  # type: ignore[misc]
        def __init__(self, tokenizer: Any) -> None:
            # POSTokenizer.__init__ reads the word tags of the tokenizer's dictionary
            # (0.24 s); import_posseg has already given those of the default one to
            # jieba.posseg's own tokenizer.
            if tokenizer.dictionary == posseg.dt.tokenizer.dictionary:
                self.tokenizer = tokenizer
                self.word_tag_tab = dict(posseg.dt.word_tag_tab)
            else:
                super().__init__(tokenizer)

        # Replaces POSTokenizer.__cut (name-mangled), which the tagger calls for runs of
        # unknown characters; the body is jieba's, only the decoder differs.
        def _POSTokenizer__cut(self, sentence: str) -> Iterator[Any]:
            _probability, tags = viterbi(sentence, *tables)
            begin, next_index = 0, 0
            for i, char in enumerate(sentence):
                position = tags[i][0]
                if position == "B":
                    begin = i
                elif position == "E":
                    yield pair(sentence[begin : i + 1], tags[i][1])
                    next_index = i + 1
                elif position == "S":
                    yield pair(char, tags[i][1])
                    next_index = i + 1
            if next_index < len(sentence):
                yield pair(sentence[next_index:], tags[next_index][1])

    return FastPOSTokenizer(tokenizer)
