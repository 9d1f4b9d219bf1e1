"""Long lists split over pages: the home and language pages' article cards, and each
topic's members, PAGE_SIZE-style as Hugo and Pelican paginate (page/2/index.html ...).

A 10,000-article site had a 15 MB home page and 6 MB topic pages; split, a reader gets a
page of normal size, and an edit re-renders only the pages that show the edited article.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_builder.errors import SiteBuilderError
from site_builder.manifest import parse_manifest
from site_builder.model import Article, Digest, Manifest, SiteConfig, Topic, TopicMember
from site_builder.render import render_site
from site_builder.sitemodel import (
    PAGER_NEIGHBOURS,
    HomePage,
    LanguagePage,
    TopicPage,
    build_site_model,
    page_paths,
    pager,
)

from .factories import MemoryPages, analysed_article, with_first_sentence


def paginated_digest(pt: int, ja: int, *, page_size: int = 50, topic_page_size: int = 20) -> Digest:
    """`pt` Portuguese and `ja` Japanese articles, interleaved, all in one topic."""
    articles: list[Article] = []
    for number in range(max(pt, ja)):
        if number < pt:
            articles.append(
                analysed_article(
                    f"articles/pt{number:03}.txt",
                    "pt",
                    [f"A NVIDIA fez a coisa número {number}.", "Outra frase."],
                    title=f"Artigo {number}",
                )
            )
        if number < ja:
            articles.append(
                analysed_article(
                    f"articles/ja{number:03}.txt",
                    "ja",
                    [f"NVIDIAは{number}番目のことをした。"],
                    title=f"記事{number}",
                )
            )
    members = tuple(
        TopicMember(a.entry.path, ("NVIDIA",), (0,), "name")
        for a in sorted(articles, key=lambda a: a.entry.path)
    )
    topic = Topic(
        "nvidia", "NVIDIA", "organization", (("ja", ("NVIDIA",)), ("pt", ("NVIDIA",))), members
    )
    config = SiteConfig(title="T", page_size=page_size, topic_page_size=topic_page_size)
    manifest = Manifest("INDEX.md", config, "", tuple(a.entry for a in articles))
    return Digest(manifest=manifest, articles=tuple(articles), topics=(topic,), diagnostics=())


# --- the pager ------------------------------------------------------------------------


def test_page_paths_sit_beside_the_first_page() -> None:
    assert page_paths("index.html", 3) == ("index.html", "page/2/index.html", "page/3/index.html")
    assert page_paths("topics/ai/index.html", 2) == (
        "topics/ai/index.html",
        "topics/ai/page/2/index.html",
    )
    with pytest.raises(ValueError):
        page_paths("feed.xml", 2)


def test_a_single_page_has_no_pager() -> None:
    assert pager(page_paths("index.html", 1), 1) is None


@pytest.mark.parametrize(
    ("number", "count", "shown"),
    [
        (1, 10, [1, 2, 3, 0, 10]),
        (5, 10, [1, 2, 3, 4, 5, 6, 7, 0, 10]),  # a gap of one page shows the page
        (6, 10, [1, 0, 4, 5, 6, 7, 8, 9, 10]),
        (7, 20, [1, 0, 5, 6, 7, 8, 9, 0, 20]),
        (2, 2, [1, 2]),
    ],
)
def test_pager_links(number: int, count: int, shown: list[int]) -> None:
    paths = page_paths("index.html", count)
    found = pager(paths, number)
    assert found is not None
    assert [link.number for link in found.links] == shown
    assert found.previous == (paths[number - 2] if number > 1 else "")
    assert found.next == (paths[number] if number < count else "")


@given(
    st.integers(min_value=2, max_value=400).flatmap(
        lambda n: st.tuples(st.just(n), st.integers(1, n))
    )
)
def test_pager_properties(case: tuple[int, int]) -> None:
    count, number = case
    paths = page_paths("languages/pt/index.html", count)
    found = pager(paths, number)
    assert found is not None and (found.number, found.count) == (number, count)
    numbers = [link.number for link in found.links]
    real = [n for n in numbers if n]
    assert real == sorted(set(real)) and {1, count, number} <= set(real)
    # A gap stands for two pages or more, never between neighbours or at an end.
    for index, link in enumerate(found.links):
        if link.number == 0:
            assert 0 < index < len(numbers) - 1
            assert numbers[index + 1] - numbers[index - 1] >= 3
        else:
            assert link.path == paths[link.number - 1]
    # Every page within PAGER_NEIGHBOURS of this one is linked; the pager stays short.
    assert set(
        range(max(1, number - PAGER_NEIGHBOURS), min(count, number + PAGER_NEIGHBOURS) + 1)
    ) <= set(real)
    assert len(numbers) <= 2 * PAGER_NEIGHBOURS + 5


# --- the pages ------------------------------------------------------------------------


def test_home_and_language_pages_split_their_cards_in_manifest_order() -> None:
    digest = paginated_digest(70, 30, page_size=40)
    model = build_site_model(digest)
    paths = {entry.path for entry in model.pages.entries}
    assert {"index.html", "page/2/index.html", "page/3/index.html"} <= paths
    assert "page/4/index.html" not in paths
    homes = [model.page(p) for p in ("index.html", "page/2/index.html", "page/3/index.html")]
    bodies = [page.body for page in homes]
    assert all(isinstance(body, HomePage) for body in bodies)
    listed = [card.source_path for body in bodies for card in body.cards]  # type: ignore[union-attr]
    assert listed == [a.entry.path for a in digest.articles]
    assert [len(body.cards) for body in bodies] == [40, 40, 20]  # type: ignore[union-attr]
    # The prose, chart and topics are on the first page only; each page knows its place.
    first, second = bodies[0], bodies[1]
    assert isinstance(first, HomePage) and isinstance(second, HomePage)
    assert first.languages and not second.languages and second.matrix is None
    assert [page.pager.number for page in homes if page.pager] == [1, 2, 3]
    pt_pages = [p for p in sorted(paths) if p.startswith("languages/pt/")]
    assert pt_pages == ["languages/pt/index.html", "languages/pt/page/2/index.html"]
    pt_cards = [
        card.source_path
        for path in pt_pages
        for card in model.page(path).body.cards  # type: ignore[union-attr]
    ]
    assert pt_cards == [a.entry.path for a in digest.articles if a.entry.lang == "pt"]
    ja = model.page("languages/ja/index.html")
    assert isinstance(ja.body, LanguagePage) and ja.pager is None and len(ja.body.cards) == 30


def test_a_topic_keeps_its_languages_side_by_side_on_every_page() -> None:
    digest = paginated_digest(45, 12, topic_page_size=20)
    model = build_site_model(digest)
    first = model.topic_pages["nvidia"]
    paths = page_paths(first, 3)
    assert {entry.path for entry in model.pages.entries} >= set(paths)
    assert page_paths(first, 4)[-1] not in {entry.path for entry in model.pages.entries}
    layout = []
    shown: list[str] = []
    for path in paths:
        page = model.page(path)
        assert isinstance(page.body, TopicPage) and page.pager is not None
        assert page.body.coverage and page.body.names  # the header is on every page
        layout.append([(s.lang, len(s.members)) for s in page.body.sections])
        shown += [m.card.source_path for s in page.body.sections for m in s.members]
    assert layout == [[("ja", 12), ("pt", 20)], [("pt", 20)], [("pt", 5)]]
    assert sorted(shown) == sorted(a.entry.path for a in digest.articles)


def test_small_lists_keep_one_page_and_no_pager() -> None:
    model = build_site_model(paginated_digest(5, 3))
    assert not [
        e.path for e in model.pages.entries if "/page/" in e.path or e.path.startswith("page/")
    ]
    assert all(page.pager is None for page in model.pages)


def test_an_edit_renders_only_the_topic_page_that_shows_the_article() -> None:
    digest = paginated_digest(60, 5, topic_page_size=20)
    digest = dataclasses.replace(
        digest,
        articles=tuple(
            dataclasses.replace(a, fingerprint=f"v1 {a.entry.path}") for a in digest.articles
        ),
    )
    store = MemoryPages()
    render_site(build_site_model(digest), pages=store)
    # The 30th Portuguese article is on the second page of the topic.
    index = next(i for i, a in enumerate(digest.articles) if a.entry.path == "articles/pt029.txt")
    articles = list(digest.articles)
    articles[index] = with_first_sentence(
        articles[index], "A NVIDIA mudou de ideia.", fingerprint="v2"
    )
    model = build_site_model(dataclasses.replace(digest, articles=tuple(articles)))
    store.rendered.clear()
    files = {f.path: f.data for f in render_site(model, pages=store)}
    topic_pages = [p for p in store.rendered if p.startswith("topics/nvidia/")]
    assert topic_pages == ["topics/nvidia/page/2/index.html"]
    assert "mudou de ideia" in files["topics/nvidia/page/2/index.html"].decode()
    assert files == {f.path: f.data for f in render_site(model)}


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("home_page_2", "page/2/index.html"),
        ("language_page_2", "languages/pt/page/2/index.html"),
        ("topic_page_2", "topics/nvidia/page/2/index.html"),
    ],
)
def test_golden_paginated_pages(file_regression: Any, name: str, path: str) -> None:
    """The middle page of each kind of list, whole: 5 + 3 articles, 2 to a page."""
    model = build_site_model(paginated_digest(5, 3, page_size=2, topic_page_size=2))
    files = {f.path: f.data for f in render_site(model)}
    file_regression.check(files[path].decode("utf-8"), extension=".html", basename=name)


def test_rendered_pages_link_to_each_other(tmp_path: Path) -> None:
    model = build_site_model(paginated_digest(45, 12, page_size=20, topic_page_size=20))
    files = {f.path: f.data.decode() for f in render_site(model)}
    second = files["topics/nvidia/page/2/index.html"]
    assert '<link rel="prev" href="../../">' in second
    assert '<link rel="next" href="../3/">' in second
    assert "<title>NVIDIA · Page 2 of 3 · T</title>" in second
    assert 'aria-current="page" aria-label="Page 2">2</a>' in second
    home_three = files["page/3/index.html"]
    assert "<title>Page 3 of 3 · T</title>" in home_three
    assert 'rel="prev" href="../2/"' in home_three and 'rel="next"' not in home_three
    first = files["index.html"]
    assert "<title>T</title>" in first and 'href="page/2/" rel="next"' in first


def test_page_sizes_are_read_and_checked_in_index_md(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Texto.\n", encoding="utf-8")
    text = "---\ntitle: T\npage_size: 25\ntopic_page_size: 5\n---\n\n- [a](a.txt)\n"
    manifest, diagnostics = parse_manifest(text, index_path="INDEX.md", content_dir=tmp_path)
    assert not diagnostics
    assert (manifest.config.page_size, manifest.config.topic_page_size) == (25, 5)
    defaults = SiteConfig(title="T")
    assert (defaults.page_size, defaults.topic_page_size) == (50, 50)
    for bad in ("0", "many", "[1, 2]", "10001"):
        bad_text = f"---\ntitle: T\ntopic_page_size: {bad}\n---\n\n- [a](a.txt)\n"
        with pytest.raises(SiteBuilderError) as caught:
            parse_manifest(bad_text, index_path="INDEX.md", content_dir=tmp_path)
        (problem,) = caught.value.diagnostics
        assert (problem.severity, problem.path, problem.line) == ("error", "INDEX.md", 3)
        assert "topic_page_size" in problem.message and "10000" in problem.message
