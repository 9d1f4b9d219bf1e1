"""Per-article memos of the linking stages (site_builder.article_memos): results kept
from an earlier run must give exactly the topics and stories of a run without them, and
must never be used for an article whose text changed."""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

import pytest

from site_builder.article_memos import ArticleMemos
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


def _saved(articles: tuple[Article, ...], resources: LanguageResources) -> object:
    memos = ArticleMemos()
    _link(articles, resources, memos)
    # Through pickle, as the build cache keeps them.
    return pickle.loads(pickle.dumps(memos.to_save()))


def _with_sentence(article: Article, text: str) -> Article:
    sentences = (*article.analysis.sentences, Sentence(text=text, paragraph=99))
    return replace(article, analysis=replace(article.analysis, sentences=sentences))


def test_saved_memos_give_the_same_topics_and_stories(
    digest: Digest, resources: LanguageResources
) -> None:
    saved = _saved(digest.articles, resources)
    memos = ArticleMemos(saved)
    assert _link(digest.articles, resources, memos) == _link(digest.articles, resources, None)
    # Every article's memo was taken from the saved ones, none recomputed from nothing.
    assert memos.to_save().keys() == saved.keys()  # type: ignore[attr-defined]


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
    assert _link(changed, resources, ArticleMemos(saved)) == fresh


@pytest.mark.parametrize("saved", [None, [], "garbage", {"not a digest": "not a memo"}])
def test_unusable_saved_memos_are_ignored(
    saved: object, digest: Digest, resources: LanguageResources
) -> None:
    memos = ArticleMemos(saved)
    assert _link(digest.articles, resources, memos) == _link(digest.articles, resources, None)


def test_memos_of_articles_no_longer_built_are_dropped(
    digest: Digest, resources: LanguageResources
) -> None:
    saved = _saved(digest.articles, resources)
    memos = ArticleMemos(saved)
    _link(digest.articles[1:], resources, memos)
    assert len(memos.to_save()) == len(digest.articles) - 1


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
    memos = ArticleMemos(saved)
    first = digest.articles[0]
    memos.add(first, {"folded": "not what was saved"})
    assert memos.of(first.entry.path)["folded"] != "not what was saved"


def test_memos_loaded_one_by_one_store_only_what_grew(
    digest: Digest, resources: LanguageResources
) -> None:
    stored = _saved(digest.articles, resources)
    assert isinstance(stored, dict)
    asked: list[str] = []

    def load(key: str) -> object:
        asked.append(key)
        return pickle.loads(pickle.dumps(stored.get(key)))

    memos = ArticleMemos(load=load)
    assert _link(digest.articles, resources, memos) == _link(digest.articles, resources, None)
    assert sorted(asked) == memos.digests() == sorted(stored)
    assert memos.changed() == {}  # the same articles again: nothing new to store
    # One article changed: its memo alone is new.
    articles = list(digest.articles)
    articles[0] = _with_sentence(articles[0], "A OpenAI respondeu no mesmo dia.")
    memos = ArticleMemos(load=load)
    _link(tuple(articles), resources, memos)
    assert list(memos.changed()) == [ArticleMemos.digest(articles[0])]
