"""Page keys (render.PageKeys): a page is rendered again exactly when its inputs change.

Article cards and topic links are hashed once per render and page keys hold their
fingerprint, so these tests check that a change inside a shared card still reaches the
key of every page that shows it, and that equal models give equal keys.
"""

from __future__ import annotations

import dataclasses

from site_builder.model import Digest
from site_builder.render import PageKeys, page_key, render_site
from site_builder.sitemodel import (
    ArticleCard,
    Page,
    Pages,
    SiteModel,
    TopicLink,
    build_site_model,
)

from .factories import MemoryPages
from .test_sitemodel import fixture_digest


def _retitled(model: SiteModel, source_path: str, title: str) -> SiteModel:
    """The model with one article's card retitled wherever a page holds it (a new
    card object with one field changed); every record around it is copied, the rest
    is kept, as sharing is in a model that the site model builds."""
    cards: dict[int, ArticleCard] = {}

    def swap(value: object) -> object:
        if isinstance(value, ArticleCard) and value.source_path == source_path:
            return cards.setdefault(id(value), dataclasses.replace(value, title=title))
        if isinstance(value, tuple):
            items = tuple(swap(item) for item in value)
            return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
            changes = {name: swap(old) for name, old in fields.items()}
            if all(changes[name] is fields[name] for name in fields):
                return value
            return dataclasses.replace(value, **changes)
        return value

    return dataclasses.replace(model, pages=Pages.of(swap(page) for page in model.pages))


def test_equal_models_give_equal_keys() -> None:
    first, second = build_site_model(fixture_digest()), build_site_model(fixture_digest())
    keys_a, keys_b = PageKeys(), PageKeys()
    for page_a, page_b in zip(first.pages, second.pages, strict=True):
        assert keys_a(page_a) == keys_b(page_b)
    # Several pages share a card object: keys made in another order are the same too.
    keys_c = PageKeys()
    reversed_keys = {page.path: keys_c(page) for page in reversed(first.pages)}
    assert reversed_keys == {page.path: keys_a(page) for page in first.pages}


def test_a_changed_card_changes_the_key_of_every_page_showing_it() -> None:
    model = build_site_model(fixture_digest())
    source = model.page("index.html").body.cards[0].source_path  # type: ignore[union-attr]
    changed = _retitled(model, source, "A new title")
    keys = PageKeys()
    before = {page.path: keys(page) for page in model.pages}
    after = {page.path: PageKeys()(page) for page in changed.pages}
    differing = {path for path in before if before[path] != after[path]}
    article_page = model.article_pages[source]
    # The article itself, the home page, its language page, and its topics' pages.
    assert article_page in differing and "index.html" in differing
    assert any(path.startswith("languages/") for path in differing)
    assert any(path.startswith("topics/") and path != "topics/index.html" for path in differing)
    assert "404.html" not in differing


def test_shared_records_are_fingerprinted_not_left_out() -> None:
    link = TopicLink("nvidia", "NVIDIA", "en", "topics/nvidia/index.html")
    renamed = dataclasses.replace(link, name="Nvidia")
    keys = PageKeys()
    assert keys((link,)) != keys((renamed,))
    assert keys((link,)) == keys((dataclasses.replace(link),))  # equal value, other object
    assert keys(("x",)) == page_key(("x",))  # nothing shared: the plain page key


def test_render_with_a_store_renders_only_changed_pages() -> None:
    model = build_site_model(fixture_digest())
    store = MemoryPages()
    first = {f.path: f.data for f in render_site(model, pages=store)}
    source = model.page("index.html").body.cards[0].source_path  # type: ignore[union-attr]
    store.rendered.clear()
    changed = _retitled(model, source, "A new title")
    second = {f.path: f.data for f in render_site(changed, pages=store)}
    assert store.rendered, "a retitled card must render its pages again"
    pages = {page.path for page in model.pages}
    assert set(store.rendered) == {p for p in pages if first[p] != second[p]}
    assert b"A new title" in second[model.article_pages[source]]


def test_keys_depend_on_values_not_on_which_parts_are_one_object() -> None:
    # A card's language string is the same object as its topic links' in one build and
    # an equal copy in the next (from the cache): the key must not see the difference,
    # or every page showing that card is rendered again for nothing.
    lang = "pt"
    copy = "".join(["p", "t"])
    assert copy == lang and copy is not lang
    shared = TopicLink("nvidia", "NVIDIA", lang, "topics/nvidia/index.html")
    unshared = TopicLink("nvidia", "NVIDIA", copy, "topics/nvidia/index.html")
    keys = PageKeys()
    assert keys((lang, shared)) == PageKeys()((lang, unshared))
    assert page_key((lang, lang)) == page_key((lang, copy))
    card = ArticleCard(
        "a.txt",
        "articles/a/index.html",
        "A",
        lang,
        "Português",
        "",
        "",
        "",
        False,
        "",
        (shared,),
    )
    other = dataclasses.replace(card, lang=copy, topics=(unshared,))
    assert PageKeys()((card,)) == PageKeys()((other,))


def _refusing_to_make_topic_pages(model: SiteModel) -> SiteModel:
    def refuse() -> Page:
        raise AssertionError("a topic page whose inputs are unchanged was made again")

    entries = [
        dataclasses.replace(entry, make=refuse) if entry.inputs is not None else entry
        for entry in model.pages.entries
    ]
    return dataclasses.replace(model, pages=Pages(entries))


def test_topic_pages_with_unchanged_inputs_are_not_made_again() -> None:
    store = MemoryPages()
    first = {f.path: f.data for f in render_site(build_site_model(fixture_digest()), pages=store)}
    model = build_site_model(fixture_digest())
    topic_paths = {e.path for e in model.pages.entries if e.inputs is not None}
    assert topic_paths == set(model.topic_pages.values())
    store.rendered.clear()
    second = render_site(_refusing_to_make_topic_pages(model), pages=store)
    assert {f.path: f.data for f in second} == first
    assert not store.rendered


def test_a_topic_page_follows_an_edit_of_a_sentence_it_shows() -> None:
    # The edit keeps every topic's members as they were: only the page's inputs (the
    # member article's sentences) tell that the NVIDIA page shows another sentence now.
    digest = fixture_digest()
    store = MemoryPages()
    render_site(build_site_model(digest), pages=store)
    pt = digest.articles[0]
    sentences = list(pt.analysis.sentences)
    sentences[0] = dataclasses.replace(sentences[0], text="A NVIDIA perdeu muito valor.")
    edited = dataclasses.replace(
        pt, analysis=dataclasses.replace(pt.analysis, sentences=tuple(sentences))
    )
    model = build_site_model(dataclasses.replace(digest, articles=(edited, *digest.articles[1:])))
    store.rendered.clear()
    second = {f.path: f.data for f in render_site(model, pages=store)}
    nvidia = model.topic_pages["nvidia"]
    assert nvidia in store.rendered and b"muito valor" in second[nvidia]
    # What the store gave back is what rendering every page afresh gives.
    assert second == {f.path: f.data for f in render_site(model)}


def _fingerprinted(digest: Digest) -> Digest:
    """The digest as a build with a cache has it: each article with its cache key."""
    articles = tuple(
        dataclasses.replace(a, fingerprint=f"key of {a.entry.path}") for a in digest.articles
    )
    return dataclasses.replace(digest, articles=articles)


def _refusing_to_make(model: SiteModel, paths: set[str]) -> SiteModel:
    def refuse() -> Page:
        raise AssertionError("a page whose inputs are unchanged was made again")

    entries = [
        dataclasses.replace(entry, make=refuse) if entry.path in paths else entry
        for entry in model.pages.entries
    ]
    return dataclasses.replace(model, pages=Pages(entries))


def test_article_pages_are_keyed_by_inputs_only_with_a_fingerprint() -> None:
    plain = build_site_model(fixture_digest())
    assert all(e.inputs is None for e in plain.pages.entries if e.card is not None)
    model = build_site_model(_fingerprinted(fixture_digest()))
    keyed = {e.path for e in model.pages.entries if e.inputs is not None}
    assert keyed == {*model.article_pages.values(), *model.topic_pages.values()}
    store = MemoryPages()
    first = {f.path: f.data for f in render_site(model, pages=store)}
    assert first == {f.path: f.data for f in render_site(plain)}
    store.rendered.clear()
    again = build_site_model(_fingerprinted(fixture_digest()))
    second = render_site(_refusing_to_make(again, keyed), pages=store)
    assert {f.path: f.data for f in second} == first and not store.rendered


def _rendered_again(store: MemoryPages, digest: Digest) -> tuple[SiteModel, dict[str, bytes]]:
    model = build_site_model(digest)
    store.rendered.clear()
    files = {f.path: f.data for f in render_site(model, pages=store)}
    # What the store gave back is what rendering every page afresh gives.
    assert files == {f.path: f.data for f in render_site(model)}
    return model, files


def test_an_article_page_follows_its_neighbour_and_its_entry() -> None:
    # The ja article (no same-story links) keeps its source and analysis, so its
    # fingerprint: first the article before it gets a new title, then its own entry a
    # new link to the original.
    digest = _fingerprinted(fixture_digest())
    store = MemoryPages()
    render_site(build_site_model(digest), pages=store)
    pt, zh, ja = digest.articles
    retitled = dataclasses.replace(
        zh,
        analysis=dataclasses.replace(zh.analysis, title="新的標題"),
        fingerprint="key of the retitled article",
    )
    model, files = _rendered_again(store, dataclasses.replace(digest, articles=(pt, retitled, ja)))
    ja_page = model.article_pages[ja.entry.path]
    assert ja_page in store.rendered and "新的標題".encode() in files[ja_page]
    moved = dataclasses.replace(
        ja, entry=dataclasses.replace(ja.entry, url="https://example.com/ja/moved")
    )
    model, files = _rendered_again(
        store, dataclasses.replace(digest, articles=(pt, retitled, moved))
    )
    assert store.rendered == [ja_page]
    assert b"https://example.com/ja/moved" in files[ja_page]
