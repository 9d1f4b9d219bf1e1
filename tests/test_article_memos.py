"""Per-article memos of the linking stages (site_builder.article_memos): results kept
from an earlier run must give exactly the topics and stories of a run without them, and
must never be used for an article whose text changed."""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

import pytest

from site_builder.article_memos import ArticleMemos, LinkingMemo
from site_builder.cache import BuildCache
from site_builder.languages.resources import LanguageResources
from site_builder.model import Article, Digest, Sentence, Topic
from site_builder.pipeline import load_digest
from site_builder.stories import link_stories
from site_builder.topics import link_topics, prepare_linking

SAMPLE_CONTENT = Path(__file__).resolve().parent.parent / "content"


@pytest.fixture(scope="module")
def resources() -> LanguageResources:
    return LanguageResources()


@pytest.fixture(scope="module")
def digest(resources: LanguageResources) -> Digest:
    return load_digest(SAMPLE_CONTENT, resources)


def _link(
    articles: tuple[Article, ...], resources: LanguageResources, memos: ArticleMemos | None
) -> tuple[tuple[Topic, ...], object]:
    topics = link_topics(articles, (), resources, memos=memos)
    return topics, link_stories(articles, topics, memos)


def _saved(
    articles: tuple[Article, ...], resources: LanguageResources
) -> dict[str, dict[object, object]]:
    """The memos a run stores, by digest (through pickle, as the build cache keeps them)."""
    memos = ArticleMemos()
    _link(articles, resources, memos)
    stored: dict[str, dict[object, object]] = pickle.loads(pickle.dumps(memos.changed()))
    return stored


def _with_sentence(article: Article, text: str) -> Article:
    sentences = (*article.analysis.sentences, Sentence(text=text, paragraph=99))
    return replace(article, analysis=replace(article.analysis, sentences=sentences))


def test_saved_memos_give_the_same_topics_and_stories(
    digest: Digest, resources: LanguageResources
) -> None:
    saved = _saved(digest.articles, resources)
    memos = ArticleMemos(load=saved.get)
    assert _link(digest.articles, resources, memos) == _link(digest.articles, resources, None)
    # Every article's memo was taken from the stored ones, and none grew.
    assert memos.digests() == sorted(saved)
    assert memos.changed() == {}


def test_a_changed_article_is_not_read_from_its_old_memo(
    digest: Digest, resources: LanguageResources
) -> None:
    saved = _saved(digest.articles, resources)
    # A name that the sample's other articles use, added to one article: with a stale
    # memo its topic membership (and the article's spans) would stay as before.
    articles = list(digest.articles)
    portuguese = next(i for i, a in enumerate(articles) if a.analysis.language.lang == "pt")
    articles[portuguese] = _with_sentence(
        articles[portuguese], "A Nvidia e a Microsoft comentaram o lançamento do DeepSeek."
    )
    changed = tuple(articles)
    fresh = _link(changed, resources, None)
    assert fresh != _link(digest.articles, resources, None)  # the edit matters
    assert _link(changed, resources, ArticleMemos(load=saved.get)) == fresh


def test_kept_automatic_topics_give_the_topics_of_a_fresh_run(
    digest: Digest, resources: LanguageResources
) -> None:
    # A Latin name written into an article whose analysis did not change its mentions:
    # the topic's occurrences are as before, and only the article's text says that it
    # joins now (extend_by_text). A kept topic that did not look at that text would
    # leave it out.
    articles = list(digest.articles)
    japanese = next(i for i, a in enumerate(articles) if a.analysis.language.lang == "ja")
    path = articles[japanese].entry.path
    topic = next(
        t
        for t in link_topics(digest.articles, (), resources)
        if len(t.members) >= 2
        and path not in {m.article for m in t.members}
        and t.kind != "figure"
        and t.name.isascii()
        and t.name[:1].isupper()
    )
    earlier = LinkingMemo()
    link_topics(digest.articles, (), resources, memos=ArticleMemos(), kept=earlier)
    kept = pickle.loads(pickle.dumps(earlier.current))
    articles[japanese] = _with_sentence(articles[japanese], f"{topic.name}の発表があった。")
    changed = tuple(articles)
    fresh = link_topics(changed, (), resources)
    assert path in {m.article for t in fresh if t.key == topic.key for m in t.members}
    memo = LinkingMemo(kept)
    assert link_topics(changed, (), resources, kept=memo) == fresh
    kept_topics = {key for key in kept if key.startswith("topic ")}
    reused = set(memo.current) & kept_topics
    assert reused and reused != kept_topics  # kept topics were used, not all of them


def test_linking_memo_keeps_what_the_next_build_can_use() -> None:
    earlier = {"topic a": "A", "topic b": "B", "zipf en x": 1.0, "terms t": (), 3: "odd"}
    memo = LinkingMemo(earlier)
    assert memo.result("topic a", lambda: "new", lambda found: isinstance(found, str)) == "A"
    assert memo.result("topic c", lambda: "C", lambda found: isinstance(found, str)) == "C"
    # Not usable (a float, not a str): made again.
    assert memo.result("zipf en x", lambda: "y", lambda found: isinstance(found, str)) == "y"
    # This run's topics replace the earlier ones ("topic b" is gone: nothing grows from
    # build to build); kinds this run did not ask for ("terms") are carried over.
    assert memo.for_next_build() == {
        "terms t": (),
        "topic a": "A",
        "topic c": "C",
        "zipf en x": "y",
    }


def _shared_term_members(topics: tuple[Topic, ...], term: str) -> set[str]:
    return {
        member.article
        for topic in topics
        if any(term in forms for _, forms in topic.names)
        for member in topic.members
        if member.reason.startswith("shared term")
    }


@pytest.mark.parametrize(
    ("lang", "sentence"), [("ja", "強化学習の研究が進んだ。"), ("pt", "Nada.")]
)
def test_kept_shared_terms_follow_the_han_writing_articles(
    lang: str, sentence: str, digest: Digest, resources: LanguageResources
) -> None:
    # The Japanese article writes 強化学習, a term the Chinese ones share: a kept result of
    # the Chinese articles alone would leave it out. A Portuguese edit keeps the result.
    earlier = LinkingMemo()
    link_topics(digest.articles, (), resources, kept=earlier)
    kept = pickle.loads(pickle.dumps(earlier.current))
    articles = list(digest.articles)
    index = next(i for i, a in enumerate(articles) if a.analysis.language.lang == lang)
    articles[index] = _with_sentence(articles[index], sentence)
    changed = tuple(articles)
    fresh = link_topics(changed, (), resources)
    memo = LinkingMemo(kept)
    assert link_topics(changed, (), resources, kept=memo) == fresh
    terms = {key for key in memo.current if key.startswith("terms ")}
    assert (terms <= set(kept)) == (lang == "pt")
    if lang == "ja":
        path = articles[index].entry.path
        assert path in _shared_term_members(fresh, "强化学习")
        assert path not in _shared_term_members(
            link_topics(digest.articles, (), resources), "强化学习"
        )


def test_memos_come_back_whole_from_the_build_cache(
    digest: Digest, resources: LanguageResources, tmp_path: Path
) -> None:
    # The cache rebuilds only the types it allows: a memo value of any other type would
    # make every stored memo unusable, and every rebuild recompute them all.
    saved = _saved(digest.articles, resources)
    cache = BuildCache(tmp_path / "cache")
    for key, memo in saved.items():
        cache.store_memo(key, memo)
    assert {key: cache.load_memo(key) for key in saved} == saved
    spans = [value for memo in saved.values() for key, value in memo.items() if key[0] == "spans"]
    assert any(spans)  # the memos hold found spans, not only empty results


@pytest.mark.parametrize("stored", [None, [], "garbage", 3, ("folded", "x")])
def test_unusable_stored_memos_are_ignored(
    stored: object, digest: Digest, resources: LanguageResources
) -> None:
    memos = ArticleMemos(load=lambda _digest: stored)
    assert _link(digest.articles, resources, memos) == _link(digest.articles, resources, None)


def test_memos_prepared_per_article_give_the_same_topics_and_stories(
    digest: Digest, resources: LanguageResources
) -> None:
    # What analysis workers fill for each article alone must be what linking would
    # compute over the whole digest.
    memos = ArticleMemos()
    for article in digest.articles:
        prepared = prepare_linking(article, resources)
        assert {"folded", "contents", "figures", "story figures and names"} <= prepared.keys()
        memos.add(article, prepared)
    assert _link(digest.articles, resources, memos) == _link(digest.articles, resources, None)


def test_a_saved_memo_wins_over_a_prepared_one(
    digest: Digest, resources: LanguageResources
) -> None:
    saved = _saved(digest.articles, resources)
    memos = ArticleMemos(load=saved.get)
    first = digest.articles[0]
    memos.add(first, {"folded": "not what was saved"})
    assert memos.of(first.entry.path)["folded"] != "not what was saved"


def test_only_the_memo_of_a_changed_article_is_stored_again(
    digest: Digest, resources: LanguageResources
) -> None:
    saved = _saved(digest.articles, resources)
    articles = list(digest.articles)
    articles[0] = _with_sentence(articles[0], "A OpenAI respondeu no mesmo dia.")
    memos = ArticleMemos(load=saved.get)
    _link(tuple(articles), resources, memos)
    assert list(memos.changed()) == [ArticleMemos.digest(articles[0])]


def test_loaded_memos_keep_their_keys_and_share_their_strings(digest: Digest) -> None:
    # Each memo comes out of its own pickle, so equal strings in two memos' keys are two
    # objects until ArticleMemos makes them one.
    first, second = digest.articles[0], digest.articles[1]
    form = "".join(["Deep", "Seek"])
    stored = {
        ArticleMemos.digest(first): {("spans", form, False): (), "folded": "x", 3: "three"},
        ArticleMemos.digest(second): {
            ("spans", "".join(["Deep", "Seek"]), True): (1, 2),
            ("spans", "".join(["Deep", "Seek"]), False): b"",
        },
    }
    loaded = pickle.loads(pickle.dumps(stored))
    memos = ArticleMemos(load=loaded.get)
    memos.add(first)
    memos.add(second)
    one, two = memos.of(first.entry.path), memos.of(second.entry.path)
    assert one == stored[ArticleMemos.digest(first)]
    assert two == stored[ArticleMemos.digest(second)]
    key_one = next(key for key in one if isinstance(key, tuple))
    key_two = next(iter(two))
    assert isinstance(key_two, tuple) and key_one[1] is key_two[1]
    # Equal keys are one tuple, and a key made for a new entry is that tuple too.
    assert next(key for key in two if key == key_one) is key_one
    assert memos.key("spans", "".join(["Deep", "Seek"]), False) is key_one
    assert memos.changed() == {}


def test_linking_makes_one_key_per_form_for_all_articles(
    digest: Digest, resources: LanguageResources
) -> None:
    memos = ArticleMemos()
    _link(digest.articles, resources, memos)
    keys: dict[object, set[int]] = {}
    for article in digest.articles:
        for key in memos.of(article.entry.path):
            if isinstance(key, tuple):
                keys.setdefault(key, set()).add(id(key))
    assert any(len(ids) == 1 for ids in keys.values())
    assert all(len(ids) == 1 for ids in keys.values())
    shared = [
        key for key in keys if sum(key in memos.of(a.entry.path) for a in digest.articles) > 1
    ]
    assert shared  # forms looked for in several articles: the test would prove nothing
