"""View-model fields the default theme's layout reads: breadcrumbs, previous/next article,
key phrase links, top topics with coverage bars, and chart labels that fit."""

from __future__ import annotations

from site_builder.sitemodel import (
    MATRIX_LABEL_EM,
    ArticlePage,
    HomePage,
    TopicPage,
    build_site_model,
    fit_label,
)

try:  # tests/ as a package (tests/__init__.py) or as a plain folder on sys.path
    from .test_sitemodel import fixture_digest
except ImportError:
    from test_sitemodel import fixture_digest  # type: ignore[no-redef]

PT_PAGE = "articles/acoes-da-nvidia-caem-apos-modelo-chines-barato/index.html"


def test_fit_label_cuts_wide_names_only() -> None:
    assert fit_label("NVIDIA") == "NVIDIA"
    long_latin = "DeepSeek's reported training cost (~US$ 6 million)"
    cut = fit_label(long_latin)
    assert cut.endswith("…") and long_latin.startswith(cut[:-1])
    assert len(cut) < len(long_latin)
    # CJK characters are about twice as wide as Latin letters: fewer of them fit.
    cjk = fit_label("深度求索人工智能基础技术研究有限公司")
    assert cjk.endswith("…") and len(cjk) - 1 <= MATRIX_LABEL_EM


def test_articles_have_breadcrumbs_and_previous_next() -> None:
    model = build_site_model(fixture_digest())
    articles = [p for p in model.pages if isinstance(p.body, ArticlePage)]
    by_path = {p.path: p for p in articles}
    home = model.page("index.html").body
    assert isinstance(home, HomePage)
    order = [card.path for card in home.cards]
    first, last = by_path[order[0]].body, by_path[order[-1]].body
    assert isinstance(first, ArticlePage) and isinstance(last, ArticlePage)
    assert first.article.previous is None and first.article.next is not None
    assert first.article.next.path == order[1]
    assert last.article.next is None and last.article.previous is not None
    assert last.article.previous.path == order[-2]
    crumbs = by_path[PT_PAGE].breadcrumbs
    assert [c.label_key for c in crumbs] == ["nav.home", ""]
    assert crumbs[1].label == "Português" and crumbs[1].lang == "pt"
    assert crumbs[1].path == "languages/pt/index.html"


def test_topic_breadcrumbs_go_through_the_kind_group() -> None:
    model = build_site_model(fixture_digest())
    page = model.page("topics/nvidia/index.html")
    assert isinstance(page.body, TopicPage)
    assert [c.path for c in page.breadcrumbs] == [
        "index.html",
        "topics/index.html",
        f"topics/index.html#kind-{page.body.kind}",
    ]
    assert page.breadcrumbs[-1].label_key == f"kind.{page.body.kind}"


def test_keyphrases_link_to_their_topic_or_first_paragraph() -> None:
    body = build_site_model(fixture_digest()).page(PT_PAGE).body
    assert isinstance(body, ArticlePage)
    links = {k.text: k for k in body.article.keyphrase_links}
    assert links["NVIDIA"].path == "topics/nvidia/index.html"
    assert links["valor de mercado"].path == ""
    assert links["valor de mercado"].anchor == "p-1"  # "perdeu valor de mercado" is in p-1
    assert [k.text for k in body.article.keyphrase_links] == list(body.article.keyphrases)


def test_home_lists_top_topics_with_coverage_bars() -> None:
    home = build_site_model(fixture_digest()).page("index.html").body
    assert isinstance(home, HomePage)
    assert home.top_topics
    counts = [(len(e.langs), e.article_count) for e in home.top_topics]
    assert counts == sorted(counts, reverse=True)  # most covered first
    for entry in home.top_topics:
        assert sum(cell.count for cell in entry.coverage) == entry.article_count
        assert {s.lang for s in entry.bar} == {lang.lang for lang in entry.langs}
        assert sum(s.width for s in entry.bar) <= 100.001
