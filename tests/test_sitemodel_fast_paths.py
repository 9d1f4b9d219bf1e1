"""The site model's fast paths give what the straightforward code they replace gave.

highlight_mentions (split instead of a Markup per piece), related_topics (numpy instead
of a Counter of every pair) and urls_from (one
page's links, memoised) each have a reference implementation here, written the obvious
way, and hypothesis compares them on open-ended input: the rendered site must not change
by a byte.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from itertools import permutations
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape

from site_builder import sitemodel
from site_builder.model import Topic, TopicMember
from site_builder.sitemodel import (
    highlight_mentions,
    mention_pattern,
    related_topics,
    relative_url,
    urls_from,
)


def _reference_highlight(sentence: str, surfaces: list[str]) -> Markup:
    pattern = mention_pattern(surfaces)
    if pattern is None:
        return Markup(escape(sentence))
    parts: list[str] = []
    position = 0
    for match in pattern.finditer(sentence):
        parts.append(str(escape(sentence[position : match.start()])))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        position = match.end()
    parts.append(str(escape(sentence[position:])))
    return Markup("".join(parts))


# Letters that make words, signs that escaping changes, and CJK, so forms match often.
_TEXT = st.text(alphabet="aAbIé &<>'\"深度求索。", max_size=40)


@settings(max_examples=300, deadline=None)
@given(sentence=_TEXT, surfaces=st.lists(st.text(alphabet="aAbIé&<'深度", max_size=4), max_size=4))
def test_highlight_matches_the_reference(sentence: str, surfaces: list[str]) -> None:
    assert highlight_mentions(sentence, surfaces) == _reference_highlight(sentence, surfaces)


def test_highlight_escapes_around_and_inside_marks() -> None:
    html = highlight_mentions('"A&B" <IA> a&b', ["a&b", "IA"])
    assert html == "&#34;<mark>A&amp;B</mark>&#34; &lt;<mark>IA</mark>&gt; <mark>a&amp;b</mark>"


def _reference_related(
    topics: list[Topic], limit: int
) -> dict[str, tuple[tuple[str, int, int], ...]]:
    by_article: dict[str, set[str]] = {}
    by_sentence: dict[tuple[str, int], set[str]] = {}
    for topic in topics:
        for member in topic.members:
            by_article.setdefault(member.article, set()).add(topic.key)
            for index in member.sentences:
                by_sentence.setdefault((member.article, index), set()).add(topic.key)
    shared_articles: Counter[tuple[str, str]] = Counter()
    shared_sentences: Counter[tuple[str, str]] = Counter()
    for counter, groups in ((shared_articles, by_article), (shared_sentences, by_sentence)):
        for keys in groups.values():
            counter.update(permutations(keys, 2))
    neighbours: dict[str, list[tuple[str, int, int]]] = {t.key: [] for t in topics}
    for (first, second), articles in sorted(shared_articles.items()):
        neighbours[first].append((second, articles, shared_sentences.get((first, second), 0)))
    return {
        key: tuple(sorted(found, key=lambda n: (-n[2], -n[1], n[0]))[:limit])
        for key, found in neighbours.items()
    }


_MEMBERS = st.lists(
    st.builds(
        TopicMember,
        article=st.sampled_from(["a", "b", "c", "d"]),
        surfaces=st.just(("x",)),
        sentences=st.lists(st.integers(0, 3), max_size=3).map(tuple),
        reason=st.just("test"),
    ),
    max_size=4,
)
_TOPICS = st.lists(
    st.builds(
        Topic,
        key=st.sampled_from(["k1", "k2", "k3", "K", "z", "é", "深"]),
        name=st.just("T"),
        kind=st.just("organization"),
        names=st.just(()),
        members=_MEMBERS.map(tuple),
    ),
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(topics=_TOPICS, limit=st.integers(-3, 9))
def test_related_topics_match_the_reference(topics: list[Topic], limit: int) -> None:
    assert related_topics(topics, limit) == _reference_related(topics, limit)


def test_related_topics_of_no_topics() -> None:
    assert related_topics([]) == {}
    lonely = Topic("k", "K", "organization", (), (TopicMember("a", ("K",), (0,), "test"),))
    assert related_topics([lonely]) == {"k": ()}


_PATHS = st.sampled_from(
    [
        "index.html",
        "404.html",
        "feed.xml",
        "static/style.css",
        "topics/index.html",
        "topics/nvidia/index.html",
        "topics/nvidia-2/index.html",
        "articles/a/index.html",
        "articles/a/b/index.html",
        "languages/pt/index.html",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    from_page=_PATHS,
    targets=st.lists(
        st.tuples(_PATHS, st.sampled_from(["", "#", "#p-2", "#topics-heading"])), max_size=6
    ),
    file_urls=st.booleans(),
)
def test_urls_from_one_page_equal_relative_url(
    from_page: str, targets: list[tuple[str, str]], file_urls: bool
) -> None:
    url = urls_from(from_page, file_urls=file_urls)
    for target, fragment in targets:  # the same target twice is answered from the memo
        expected = relative_url(from_page, target + fragment, file_urls=file_urls)
        assert url(target + fragment) == expected


@settings(max_examples=200, deadline=None)
@given(from_page=_PATHS, to_page=_PATHS, fragment=st.sampled_from(["", "#p-3"]))
def test_relative_url_resolves_to_its_target(from_page: str, to_page: str, fragment: str) -> None:
    url = relative_url(from_page, to_page + fragment)
    path, _hash, rest = url.partition("#")
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(from_page), path))
    expected = posixpath.dirname(to_page) if to_page.endswith("index.html") else to_page
    assert resolved == (posixpath.normpath(expected) if expected else ".")
    assert rest == fragment.removeprefix("#")


@settings(max_examples=150, deadline=None)
@given(topics=_TOPICS, limit=st.integers(-3, 9), batch=st.integers(1, 4))
def test_related_topics_match_the_reference_in_small_batches(
    topics: list[Topic], limit: int, batch: int
) -> None:
    """Pairs are counted in batches of _PAIR_BATCH (memory); any batch size gives the
    same neighbours."""
    with mock.patch.object(sitemodel, "_PAIR_BATCH", batch):
        assert related_topics(topics, limit) == _reference_related(topics, limit)
