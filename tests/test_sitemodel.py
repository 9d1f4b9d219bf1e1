"""Tests for site_builder.sitemodel: slugs, page paths, relative URLs, view records.

`fixture_digest()` is a small hand-made Digest (pt, zh-Hant, ja; two topics) shared with
tests/test_render.py, so these tests do not depend on the other pipeline stages.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.model import (
    Article,
    ArticleAnalysis,
    ArticleEntry,
    Digest,
    Keyphrase,
    LanguageGuess,
    Manifest,
    MentionKind,
    Sentence,
    SiteConfig,
    SourceDocument,
    StoryLink,
    Topic,
    TopicMember,
)
from site_builder.sitemodel import (
    CARD_TOPICS,
    LARGE_TOPIC_MEMBERS,
    MATRIX_TOPICS,
    RESERVED_SLUGS,
    SHOWN_SENTENCES,
    ArticlePage,
    HomePage,
    TopicIndexPage,
    TopicPage,
    assign_slugs,
    assign_topic_slugs,
    build_site_model,
    highlight_mentions,
    language_name,
    related_topics,
    relative_url,
    slugify,
    topic_display_name,
)

from .factories import analysed_article

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

PROSE = """# A week of cheap reasoning models

This digest follows **three** articles. Start with
[the Portuguese one](articles/a_pt.txt) or read [elsewhere](https://example.com/x).

## Articles
"""

JA_MARKDOWN = """# 概要

DeepSeekの新しいモデルについて。[ポルトガル語の記事](a_pt.txt#p-2)も参照。

```python
def cost(tokens: int) -> float:
    return tokens * 0.5
```

## 詳細

コストは低い。
"""


def _analysis(
    lang: str,
    script: str,
    title: str,
    sentences: tuple[Sentence, ...],
    summary_source: str,
    summary_indexes: tuple[int, ...],
    date: str | None,
    keyphrases: tuple[str, ...],
) -> ArticleAnalysis:
    summary = tuple(sentences[i].text for i in summary_indexes) if summary_indexes else ()
    if summary_source == "manifest":
        summary = ("編輯撰寫的摘要:晶片股大跌。",)
    elif summary_source == "more":
        summary = ("DeepSeekのモデルは安い。",)
    return ArticleAnalysis(
        language=LanguageGuess(lang, script, 0.99, "fixture"),
        title=title,
        date=date,
        sentences=sentences,
        summary=summary,
        summary_indexes=summary_indexes if summary_source == "automatic" else (),
        summary_source=summary_source,  # type: ignore[arg-type]
        keyphrases=tuple(Keyphrase(k, k.lower(), 1.0 - i / 10) for i, k in enumerate(keyphrases)),
        mentions=(),
        word_count=120,
        reading_minutes=1,
    )


def fixture_digest() -> Digest:
    pt_paragraphs = (
        "A NVIDIA perdeu valor de mercado num só dia.",
        "O modelo da DeepSeek custou pouco para treinar. Analistas ficaram surpresos.",
        "A mídia especializada discutiu o impacto nas ações.",
    )
    pt = Article(
        entry=ArticleEntry(
            path="articles/a_pt.txt",
            line=12,
            title="Ações da NVIDIA caem após modelo chinês barato",
            source="Jornal Exemplo",
            author="Maria Silva",
            date="2025-01-28",
            url="https://example.com/pt/nvidia",
        ),
        source=SourceDocument(
            path="articles/a_pt.txt", encoding="utf-8", markup="text", paragraphs=pt_paragraphs
        ),
        analysis=_analysis(
            "pt",
            "Latn",
            "Ações da NVIDIA caem após modelo chinês barato",
            (
                Sentence(pt_paragraphs[0], 0),
                Sentence("O modelo da DeepSeek custou pouco para treinar.", 1),
                Sentence("Analistas ficaram surpresos.", 1),
                Sentence(pt_paragraphs[2], 2),
            ),
            "automatic",
            (0, 1),
            "2025-01-28",
            ("NVIDIA", "valor de mercado", "DeepSeek"),
        ),
        slug="",
    )
    zh_paragraphs = ("輝達股價週一大跌。", "深度求索的模型成本很低,市場震動。")
    zh = Article(
        entry=ArticleEntry(
            path="articles/b_zh.txt",
            line=15,
            source="示例新聞",
            date="2025-01-27",
            summary="編輯撰寫的摘要:晶片股大跌。",
        ),
        source=SourceDocument(
            path="articles/b_zh.txt", encoding="big5", markup="text", paragraphs=zh_paragraphs
        ),
        analysis=_analysis(
            "zh-Hant",
            "Hant",
            "輝達市值一日蒸發",
            (Sentence(zh_paragraphs[0], 0), Sentence(zh_paragraphs[1], 1)),
            "manifest",
            (),
            "2025-01-27",
            ("輝達", "深度求索"),
        ),
        slug="",
    )
    ja = Article(
        entry=ArticleEntry(path="articles/c_ja.md", line=18, author="山田太郎"),
        source=SourceDocument(
            path="articles/c_ja.md",
            encoding="utf-8",
            markup="markdown",
            paragraphs=(
                "DeepSeekの新しいモデルについて。ポルトガル語の記事も参照。",
                "コストは低い。",
            ),
            markdown=JA_MARKDOWN,
            more_summary="DeepSeekのモデルは安い。",
        ),
        analysis=_analysis(
            "ja",
            "Jpan",
            "DeepSeekの衝撃",
            (Sentence("DeepSeekの新しいモデルについて。", 0), Sentence("コストは低い。", 1)),
            "more",
            (),
            None,
            ("モデル",),
        ),
        slug="",
    )
    topics = (
        Topic(
            key="nvidia",
            name="NVIDIA",
            kind="organization",
            names=(("pt", ("NVIDIA",)), ("zh-Hant", ("輝達",))),
            members=(
                TopicMember("articles/a_pt.txt", ("NVIDIA",), (0,), "same name in pt"),
                TopicMember("articles/b_zh.txt", ("輝達",), (0,), "alias 輝達 = NVIDIA"),
            ),
        ),
        Topic(
            key="深度求索",
            name="深度求索",
            kind="product",
            names=(("ja", ("DeepSeek",)), ("pt", ("DeepSeek",)), ("zh-Hant", ("深度求索",))),
            members=(
                TopicMember("articles/a_pt.txt", ("DeepSeek",), (1,), "latin name"),
                TopicMember("articles/b_zh.txt", ("深度求索",), (1,), "alias 深度求索"),
                TopicMember("articles/c_ja.md", ("DeepSeek",), (0,), "latin name"),
            ),
            declared=True,
        ),
    )
    manifest = Manifest(
        index_path="content/INDEX.md",
        config=SiteConfig(
            title="Cheap reasoning models",
            description="Three articles in three languages.",
            base_url="https://example.org/digest/",
            author="Fixture Editor",
        ),
        prose_markdown=PROSE,
        entries=(pt.entry, zh.entry, ja.entry),
    )
    # Same-story links in both directions, as the stories stage writes them; the ja article
    # has none, so its page must leave the section out.
    stories = (
        StoryLink("articles/a_pt.txt", "articles/b_zh.txt", 0.8, ("nvidia", "深度求索", "US$ 6M")),
        StoryLink("articles/b_zh.txt", "articles/a_pt.txt", 0.8, ("nvidia", "深度求索", "US$ 6M")),
    )
    return Digest(manifest=manifest, articles=(pt, zh, ja), topics=topics, stories=stories)


# --- slugify -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ações da NVIDIA caem após modelo", "acoes-da-nvidia-caem-apos-modelo"),
        ("Amodei's analysis: what DeepSeek did!", "amodeis-analysis-what-deepseek-did"),
        ("Straße & Æther — Łódź", "strasse-aether-lodz"),
        ("ＤｅｅｐＳｅｅｋ　Ｒ１", "deepseek-r1"),  # full-width forms fold to ASCII
        ("DeepSeek AI平台帶來1萬億美元", "deepseek-ai-1"),
    ],
)
def test_slugify_examples(text: str, expected: str) -> None:
    assert slugify(text, fallback="x") == expected


def test_slugify_cjk_only_title_uses_fallback() -> None:
    assert slugify("輝達市值一日蒸發", fallback="003_6864f55c") == "003-6864f55c"
    assert slugify("ディープシーク", fallback="") == "untitled"


def test_slugify_punctuation_only() -> None:
    assert slugify("?!… — ¿¡", fallback="Note 7") == "note-7"


@pytest.mark.parametrize("name", sorted(RESERVED_SLUGS))
def test_slugify_never_returns_reserved_name(name: str) -> None:
    slug = slugify(name.upper(), fallback="x")
    assert slug not in RESERVED_SLUGS
    assert slug == f"{name}-1"


def test_slugify_long_title_cut_at_hyphen() -> None:
    title = " ".join(["palavra"] * 100)  # ~800 characters
    slug = slugify(title, fallback="x")
    assert len(slug) <= 60
    assert slug == "-".join(["palavra"] * 7)  # 7 words = 55 chars; 8 would be 63
    long_word = "a" * 500
    assert slugify(long_word, fallback="x") == "a" * 60


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.text(max_size=40))
def test_slugify_properties(text: str, fallback: str) -> None:
    slug = slugify(text, fallback=fallback)
    assert SLUG_RE.match(slug), slug
    assert len(slug) <= 60
    assert slug not in RESERVED_SLUGS
    assert slug == slugify(text, fallback=fallback)


# --- assign_slugs --------------------------------------------------------------------


def _article(path: str, title: str, slug: str | None = None) -> Article:
    base = fixture_digest().articles[0]
    return dataclasses.replace(
        base,
        entry=dataclasses.replace(base.entry, path=path, slug=slug),
        analysis=dataclasses.replace(base.analysis, title=title),
    )


def _slugs_by_path(articles: list[Article] | tuple[Article, ...]) -> dict[str, str]:
    slugs = assign_slugs(articles)
    assert len(slugs) == len(articles)
    return {a.entry.path: slug for a, slug in zip(articles, slugs, strict=True)}


def test_assign_slugs_fixture() -> None:
    slugs = _slugs_by_path(fixture_digest().articles)
    assert slugs["articles/a_pt.txt"] == "acoes-da-nvidia-caem-apos-modelo-chines-barato"
    assert slugs["articles/b_zh.txt"] == "b-zh"  # no Latin in the title: the file name
    # little Latin text: a hash of the path is added
    assert re.fullmatch(r"deepseek-[0-9a-f]{6}", slugs["articles/c_ja.md"])


def test_assign_slugs_unique_under_collisions() -> None:
    articles = [
        _article("a/one.txt", "Same title for everyone here"),
        _article("b/one.txt", "Same title for everyone here"),
        _article("c/one.txt", "Same title for everyone here"),
        _article("d/x.txt", "Other", slug="same-title-for-everyone-here"),
        _article("e/x.txt", "日本語だけ"),
        _article("f/x.txt", "日本語だけ"),
        _article("g/y.txt", "index", slug="index"),
    ]
    slugs = _slugs_by_path(articles)
    assert len(set(slugs.values())) == len(articles)
    # the explicit slug wins over titles that come earlier in the list
    assert slugs["d/x.txt"] == "same-title-for-everyone-here"
    assert slugs["a/one.txt"].startswith("same-title-for-everyone-here-")
    assert slugs["g/y.txt"] == "index-1"
    for slug in slugs.values():
        assert SLUG_RE.match(slug) and len(slug) <= 60
    # stable: same input, same slugs; idempotent when fed back as explicit slugs
    assert _slugs_by_path(articles) == slugs
    again = [dataclasses.replace(a, slug=slugs[a.entry.path]) for a in articles]
    assert _slugs_by_path(again) == slugs


def test_assign_slugs_many_identical_cjk_titles() -> None:
    articles = [_article(f"dir{i}/same.txt", "同じ題名") for i in range(30)]
    assert len(set(assign_slugs(articles))) == 30


def test_topic_slugs_cjk_names() -> None:
    digest = fixture_digest()
    slugs = assign_topic_slugs(digest.topics)
    assert slugs == {"nvidia": "nvidia", "深度求索": "deepseek"}
    lonely = Topic("東京", "東京", "place", (("ja", ("東京",)),), ())
    twin = Topic("nvidia2", "Nvidia", "organization", (), ())
    slugs = assign_topic_slugs((*digest.topics, lonely, twin))
    assert re.fullmatch(r"topic-[0-9a-f]{6}", slugs["東京"])
    assert slugs["nvidia"] == "nvidia"
    assert re.fullmatch(r"nvidia-[0-9a-f]{6}", slugs["nvidia2"])


# --- URLs ----------------------------------------------------------------------------


def _resolve(from_page: str, url: str) -> str:
    target = url.partition("#")[0]
    if target.endswith("/"):
        target += "index.html"
    return posixpath.normpath(posixpath.join(posixpath.dirname(from_page), target))


def test_relative_url_examples() -> None:
    from_article = "articles/x/index.html"
    assert relative_url(from_article, "topics/nvidia/index.html") == "../../topics/nvidia/"
    assert relative_url("index.html", "index.html") == "./"
    assert relative_url("index.html", "topics/index.html") == "topics/"
    assert relative_url("topics/a/index.html", "topics/b/index.html") == "../b/"
    assert relative_url("topics/a/index.html", "static/style.css") == "../../static/style.css"
    assert relative_url("404.html", "index.html", file_urls=True) == "index.html"
    assert relative_url("articles/x/index.html", "articles/x/index.html#p-2") == "./#p-2"
    assert (
        relative_url("index.html", "articles/x/index.html", file_urls=True)
        == "articles/x/index.html"
    )


@pytest.mark.parametrize("file_urls", [False, True])
def test_relative_url_all_page_pairs_resolve(file_urls: bool) -> None:
    model = build_site_model(fixture_digest(), file_urls=file_urls)
    paths = [p.path for p in model.pages] + ["static/style.css"]
    for source in paths:
        for target in paths:
            url = relative_url(source, target, file_urls=file_urls)
            assert not url.startswith("/")
            assert _resolve(source, url) == target, (source, target, url)
            if file_urls:
                assert posixpath.normpath(posixpath.join(posixpath.dirname(source), url)) == target


# --- the model -----------------------------------------------------------------------


def test_page_paths() -> None:
    model = build_site_model(fixture_digest())
    paths = [p.path for p in model.pages]
    assert paths == sorted(paths)
    assert set(paths) == {
        "404.html",
        "index.html",
        "articles/acoes-da-nvidia-caem-apos-modelo-chines-barato/index.html",
        "articles/b-zh/index.html",
        next(p for p in paths if p.startswith("articles/deepseek-")),
        "topics/index.html",
        "topics/nvidia/index.html",
        "topics/deepseek/index.html",
        "languages/index.html",
        "languages/ja/index.html",
        "languages/pt/index.html",
        "languages/zh-hant/index.html",
    }
    home = model.page("index.html")
    assert home.canonical_url == "https://example.org/digest/"
    assert model.page("topics/nvidia/index.html").canonical_url == (
        "https://example.org/digest/topics/nvidia/"
    )
    assert model.page("404.html").canonical_url == ""


def test_no_canonical_without_base_url() -> None:
    digest = fixture_digest()
    config = dataclasses.replace(digest.manifest.config, base_url="")
    manifest = dataclasses.replace(digest.manifest, config=config)
    digest = dataclasses.replace(digest, manifest=manifest)
    assert all(p.canonical_url == "" for p in build_site_model(digest).pages)


def test_home_prose_split_and_links() -> None:
    home = build_site_model(fixture_digest()).page("index.html").body
    assert isinstance(home, HomePage)
    assert home.heading == "A week of cheap reasoning models"
    assert home.list_heading == "Articles"
    assert "<h1" not in home.prose_html and "<h2" not in home.prose_html
    assert 'href="articles/acoes-da-nvidia-caem-apos-modelo-chines-barato/"' in home.prose_html
    assert 'href="https://example.com/x"' in home.prose_html
    assert [c.lang for c in home.cards] == ["pt", "zh-Hant", "ja"]


def test_article_views() -> None:
    model = build_site_model(fixture_digest())
    pt = model.page("articles/acoes-da-nvidia-caem-apos-modelo-chines-barato/index.html").body
    assert isinstance(pt, ArticlePage)
    a = pt.article
    assert [p.anchor for p in a.paragraphs] == ["p-1", "p-2", "p-3"]
    assert [s.anchor for s in a.summary] == ["p-1", "p-2"]
    assert a.card.summary == (
        "A NVIDIA perdeu valor de mercado num só dia."
        " O modelo da DeepSeek custou pouco para treinar."
    )
    # most covered first; a topic with a Latin form shows it in an English interface
    assert [t.name for t in a.card.topics] == ["DeepSeek", "NVIDIA"]
    assert a.card.topics[0].name_lang == "en"  # written so in ja and pt: the UI's language
    assert a.card.topics[1].name_lang == "pt"  # written so in pt only
    assert a.card.card_topics == a.card.topics and a.card.more_topics == 0
    assert a.url == "https://example.com/pt/nvidia"
    ja_page = next(p for p in model.pages if p.path.startswith("articles/deepseek-"))
    assert isinstance(ja_page.body, ArticlePage)
    ja = ja_page.body.article
    assert ja.paragraphs == () and ja.text_html is not None
    # the local Markdown link goes to the pt article page, fragment kept
    assert 'href="../acoes-da-nvidia-caem-apos-modelo-chines-barato/#p-2"' in ja.text_html
    assert '<h3 id="section-1">' in ja.text_html  # under the page's "Full text" <h2>
    assert ja.card.summary == "DeepSeekのモデルは安い。"


def test_unsafe_original_url_dropped() -> None:
    digest = fixture_digest()
    pt = digest.articles[0]
    bad = dataclasses.replace(pt, entry=dataclasses.replace(pt.entry, url="javascript:alert(1)"))
    digest = dataclasses.replace(digest, articles=(bad, *digest.articles[1:]))
    model = build_site_model(digest)
    page = model.page("articles/acoes-da-nvidia-caem-apos-modelo-chines-barato/index.html")
    assert isinstance(page.body, ArticlePage)
    assert page.body.article.url == ""


def test_topic_page_and_index() -> None:
    model = build_site_model(fixture_digest())
    topic = model.page("topics/deepseek/index.html").body
    assert isinstance(topic, TopicPage)
    assert [s.lang for s in topic.sections] == ["ja", "pt", "zh-Hant"]
    pt_member = topic.sections[1].members[0]
    assert pt_member.sentences[0].html == (
        "O modelo da <mark>DeepSeek</mark> custou pouco para treinar."
    )
    assert pt_member.sentences[0].anchor == "p-2"
    assert topic.sections[0].members[0].sentences[0].anchor == ""  # Markdown: no p-N
    index = model.page("topics/index.html").body
    assert isinstance(index, TopicIndexPage)
    assert [g.kind for g in index.groups] == ["organization", "product"]
    deepseek = index.groups[1].entries[0]
    assert deepseek.article_count == 3
    assert [lang.lang for lang in deepseek.langs] == ["ja", "pt", "zh-Hant"]


def test_highlight_mentions_escapes_then_marks() -> None:
    html = highlight_mentions("<b>NVIDIA</b> & nvidia's <NVIDIAX>", ["NVIDIA"])
    assert html == (
        "&lt;b&gt;<mark>NVIDIA</mark>&lt;/b&gt; &amp; <mark>nvidia</mark>&#39;s &lt;NVIDIAX&gt;"
    )
    # a short Latin form does not match inside a longer word
    assert "<mark>" not in highlight_mentions("A mídia discutiu", ["IA"])
    # CJK forms match anywhere; the longer form wins
    assert highlight_mentions("深度求索公司", ["深度", "深度求索"]) == "<mark>深度求索</mark>公司"
    assert highlight_mentions("<x>", []) == "&lt;x&gt;"


def test_language_names() -> None:
    assert language_name("pt") == "Português"
    assert language_name("zh-Hant") == "中文（繁體）"
    assert language_name("zh-Hans") == "中文（简体）"
    assert language_name("ja") == "日本語"
    assert language_name("pt-BR") == "Português (Brasil)"
    assert language_name("en-GB") == "English"
    assert language_name("xx") == "xx"


def test_model_is_deterministic() -> None:
    assert build_site_model(fixture_digest()) == build_site_model(fixture_digest())


def test_slugs_set_by_the_pipeline_are_kept() -> None:
    digest = fixture_digest()
    slugs = assign_slugs(digest.articles)
    with_slugs = tuple(
        dataclasses.replace(a, slug=s) for a, s in zip(digest.articles, slugs, strict=True)
    )
    model = build_site_model(dataclasses.replace(digest, articles=with_slugs))
    assert model == build_site_model(digest)
    assert model.article_pages["articles/b_zh.txt"] == "articles/b-zh/index.html"
    assert model.topic_pages == {
        "nvidia": "topics/nvidia/index.html",
        "深度求索": "topics/deepseek/index.html",
    }


def test_topic_name_language() -> None:
    digest = fixture_digest()
    english_name = dataclasses.replace(digest.topics[0], name="Nvidia Corporation")
    model = build_site_model(dataclasses.replace(digest, topics=(english_name, digest.topics[1])))
    topic = model.page("topics/nvidia-corporation/index.html").body
    assert isinstance(topic, TopicPage)
    assert topic.link.name_lang == "en"  # in no article: the interface language
    assert topic.names[1].forms == ("輝達",)


# --- issue 3: display names, coverage, related topics, stories ------------------------------


def _topic(
    key: str, name: str, names: dict[str, tuple[str, ...]], members: tuple[TopicMember, ...] = ()
) -> Topic:
    return Topic(key, name, "organization", tuple(sorted(names.items())), members)


def _member(
    article: str, surfaces: tuple[str, ...], sentences: tuple[int, ...] = (0,)
) -> TopicMember:
    return TopicMember(article, surfaces, sentences, "test")


def test_display_name_prefers_latin_in_a_latin_interface() -> None:
    # the editor's Latin name wins
    nvidia = _topic("nvidia", "NVIDIA", {"ja": ("エヌビディア",), "zh-Hans": ("英伟达",)})
    assert topic_display_name(nvidia, "en") == ("NVIDIA", "en")  # in no article: UI language
    # a CJK name with a Latin form elsewhere shows the Latin form
    deepseek = _topic(
        "深度求索", "深度求索", {"ja": ("DeepSeek",), "pt": ("DeepSeek",), "zh-Hant": ("深度求索",)}
    )
    assert topic_display_name(deepseek, "pt") == ("DeepSeek", "pt")  # the UI writes it so
    assert topic_display_name(deepseek, "en") == ("DeepSeek", "en")  # shared Latin name
    # several Latin forms: the one most member articles use
    variants = _topic(
        "x",
        "エックス",
        {"pt": ("Xcorp", "XCorp")},
        (_member("a", ("XCorp",)), _member("b", ("XCorp", "Xcorp")), _member("c", ("XCorp",))),
    )
    assert topic_display_name(variants, "en") == ("XCorp", "pt")  # one language: its tag


def test_display_name_without_latin_form_is_the_most_common_native_form() -> None:
    sf = _topic(
        "旧金山",
        "旧金山",
        {"zh-Hans": ("旧金山",), "zh-Hant": ("舊金山",)},
        (_member("a", ("舊金山",)), _member("b", ("舊金山",)), _member("c", ("旧金山",))),
    )
    assert topic_display_name(sf, "en") == ("舊金山", "zh-Hant")
    tie = dataclasses.replace(sf, members=sf.members[1:])
    assert topic_display_name(tie, "en") == ("旧金山", "zh-Hans")  # tie: the topic's own name


def test_display_name_in_a_cjk_interface_uses_its_own_form() -> None:
    nvidia = _topic(
        "nvidia",
        "NVIDIA",
        {
            "ja": ("エヌビディア",),
            "pt": ("NVIDIA",),
            "zh-Hans": ("英伟达",),
            "zh-Hant": ("英偉達",),
        },
    )
    assert topic_display_name(nvidia, "ja") == ("エヌビディア", "ja")
    assert topic_display_name(nvidia, "zh-Hant") == ("英偉達", "zh-Hant")
    assert topic_display_name(nvidia, "zh-TW") == ("英伟达", "zh-Hans")  # same base language
    assert topic_display_name(nvidia, "ko") == ("NVIDIA", "pt")  # no Korean form


def test_related_topics_rank_by_shared_sentences_then_articles() -> None:
    topics = [
        _topic("a", "A", {}, (_member("x", ("A",), (0, 1, 2)), _member("y", ("A",), (0,)))),
        _topic("b", "B", {}, (_member("x", ("B",), (0, 1)),)),  # 2 shared sentences, 1 article
        _topic("c", "C", {}, (_member("x", ("C",), (5,)), _member("y", ("C",), (3,)))),  # 2 art.
        _topic("d", "D", {}, (_member("z", ("D",), (0,)),)),  # nothing in common
    ]
    related = related_topics(topics)
    assert related["a"] == (("b", 1, 2), ("c", 2, 0))
    assert related["d"] == ()
    assert related["c"] == (("a", 2, 0), ("b", 1, 0))
    assert related_topics(list(reversed(topics))) == related  # order of input does not matter
    assert related_topics(topics, limit=1)["a"] == (("b", 1, 2),)


def test_topic_page_coverage_related_and_names() -> None:
    model = build_site_model(fixture_digest())
    topic = model.page("topics/deepseek/index.html").body
    assert isinstance(topic, TopicPage)
    assert topic.link.name == "DeepSeek"
    assert model.page("topics/deepseek/index.html").title == "DeepSeek"
    assert [(c.lang, c.count, c.total, c.level) for c in topic.coverage] == [
        ("ja", 1, 1, 4),
        ("pt", 1, 1, 4),
        ("zh-Hant", 1, 1, 4),
    ]
    # three articles, one per language: three thirds of the bar, ending exactly at 100
    assert [(b.lang, b.x, b.width) for b in topic.bar] == [
        ("ja", 0.0, 33.333),
        ("pt", 33.333, 33.334),
        ("zh-Hant", 66.667, 33.333),
    ]
    nvidia = model.page("topics/nvidia/index.html").body
    assert isinstance(nvidia, TopicPage)
    assert [c.count for c in nvidia.coverage] == [0, 1, 1]
    assert [c.level for c in nvidia.coverage] == [0, 4, 4]
    assert [(r.link.key, r.shared_articles, r.shared_sentences) for r in nvidia.related] == [
        ("深度求索", 2, 0)
    ]
    assert [(n.lang, n.forms) for n in nvidia.names] == [
        ("pt", ("NVIDIA",)),
        ("zh-Hant", ("輝達",)),
    ]


def _pt_topic(key: str, name: str, kind: MentionKind, form: str) -> Topic:
    """A topic of the Portuguese fixture article alone, written `form` there."""
    member = TopicMember("articles/a_pt.txt", (form,), (0,), "test")
    return Topic(key, name, kind, (("pt", (form,)),), (member,))


def digest_with_many_topics(count: int) -> Digest:
    """fixture_digest with `count` more topics ("Topic 00", …) of its Portuguese article."""
    digest = fixture_digest()
    extra = tuple(_pt_topic(f"t{i:02d}", f"Topic {i:02d}", "theme", f"T{i}") for i in range(count))
    return dataclasses.replace(digest, topics=digest.topics + extra)


def test_card_lists_the_most_covered_topics_and_counts_the_rest() -> None:
    model = build_site_model(digest_with_many_topics(8))
    home = model.page("index.html").body
    assert isinstance(home, HomePage)
    pt = home.cards[0]
    assert len(pt.topics) == 10
    assert len(pt.card_topics) == CARD_TOPICS
    assert pt.more_topics == 10 - CARD_TOPICS
    assert [t.name for t in pt.card_topics[:3]] == ["DeepSeek", "NVIDIA", "Topic 00"]


def test_coverage_matrix() -> None:
    home = build_site_model(fixture_digest()).page("index.html").body
    assert isinstance(home, HomePage) and home.matrix is not None
    assert [lang.lang for lang in home.matrix.languages] == ["ja", "pt", "zh-Hant"]
    rows = [(r.link.name, [c.count for c in r.cells], r.article_count) for r in home.matrix.rows]
    assert rows == [("DeepSeek", [1, 1, 1], 3), ("NVIDIA", [0, 1, 1], 2)]
    assert home.matrix.topic_count == 2
    many = build_site_model(digest_with_many_topics(30)).page("index.html").body
    assert isinstance(many, HomePage) and many.matrix is not None
    assert len(many.matrix.rows) == MATRIX_TOPICS
    assert many.matrix.topic_count == 32
    none = build_site_model(dataclasses.replace(fixture_digest(), topics=())).page("index.html")
    assert isinstance(none.body, HomePage) and none.body.matrix is None


def test_heat_levels_follow_the_share_of_each_language() -> None:
    digest = fixture_digest()
    pt2 = dataclasses.replace(
        digest.articles[0],
        entry=dataclasses.replace(digest.articles[0].entry, path="articles/d_pt.txt"),
        source=dataclasses.replace(digest.articles[0].source, path="articles/d_pt.txt"),
    )
    digest = dataclasses.replace(digest, articles=(*digest.articles, pt2))
    home = build_site_model(digest).page("index.html").body
    assert isinstance(home, HomePage) and home.matrix is not None
    deepseek = home.matrix.rows[0]
    # one of the two pt articles mentions DeepSeek: half the language, level 2 of 4
    assert [(c.lang, c.count, c.total, c.level) for c in deepseek.cells] == [
        ("ja", 1, 1, 4),
        ("pt", 1, 2, 2),
        ("zh-Hant", 1, 1, 4),
    ]


def test_topic_index_order_and_alphabetical() -> None:
    index = build_site_model(digest_with_many_topics(3)).page("topics/index.html").body
    assert isinstance(index, TopicIndexPage)
    assert [g.kind for g in index.groups] == ["organization", "product", "theme"]
    assert [e.link.name for e in index.alphabetical] == [
        "DeepSeek",
        "NVIDIA",
        "Topic 00",
        "Topic 01",
        "Topic 02",
    ]
    assert index.topic_count == 5
    # the people-first order of the index, not the order of the MentionKind literal
    person = _pt_topic("p", "Pessoa", "person", "Pessoa")
    place = dataclasses.replace(person, key="l", name="Lugar", kind="place")
    product = dataclasses.replace(person, key="r", name="Produto", kind="product")
    digest = dataclasses.replace(fixture_digest(), topics=(place, product, person))
    index = build_site_model(digest).page("topics/index.html").body
    assert isinstance(index, TopicIndexPage)
    assert [g.kind for g in index.groups] == ["person", "product", "place"]


def test_group_entries_most_covered_first() -> None:
    digest = fixture_digest()
    one_lang = _pt_topic("z", "Aaa", "product", "Aaa")
    index = build_site_model(dataclasses.replace(digest, topics=(*digest.topics, one_lang)))
    body = index.page("topics/index.html").body
    assert isinstance(body, TopicIndexPage)
    products = next(g for g in body.groups if g.kind == "product")
    assert [e.link.name for e in products.entries] == ["DeepSeek", "Aaa"]  # 3 langs before 1


def test_stories_on_article_pages() -> None:
    model = build_site_model(fixture_digest())
    pt = model.page("articles/acoes-da-nvidia-caem-apos-modelo-chines-barato/index.html").body
    assert isinstance(pt, ArticlePage)
    [story] = pt.article.stories
    assert story.card.source_path == "articles/b_zh.txt"
    assert story.card.lang == "zh-Hant"
    # topic keys become display names; other evidence (a figure) is shown as given
    assert story.evidence == ("NVIDIA", "DeepSeek", "US$ 6M")
    ja = next(p for p in model.pages if p.path.startswith("articles/deepseek-"))
    assert isinstance(ja.body, ArticlePage) and ja.body.article.stories == ()


def test_stories_skip_unknown_articles_and_duplicates() -> None:
    digest = fixture_digest()
    stories = (
        StoryLink("articles/a_pt.txt", "articles/gone.txt", 0.9, ()),
        StoryLink("articles/a_pt.txt", "articles/c_ja.md", 0.3, ("nvidia",)),
        StoryLink("articles/a_pt.txt", "articles/c_ja.md", 0.5, ()),
        *digest.stories,
    )
    model = build_site_model(dataclasses.replace(digest, stories=stories))
    pt = model.page("articles/acoes-da-nvidia-caem-apos-modelo-chines-barato/index.html").body
    assert isinstance(pt, ArticlePage)
    assert [(s.card.source_path, s.score) for s in pt.article.stories] == [
        ("articles/b_zh.txt", 0.8),
        ("articles/c_ja.md", 0.5),
    ]


def test_long_member_sentence_lists_are_split() -> None:
    digest = fixture_digest()
    pt = digest.articles[0]
    many = tuple(Sentence(f"A NVIDIA, frase {i}.", 0) for i in range(SHOWN_SENTENCES + 3))
    pt = dataclasses.replace(pt, analysis=dataclasses.replace(pt.analysis, sentences=many))
    nvidia = dataclasses.replace(
        digest.topics[0],
        members=(TopicMember("articles/a_pt.txt", ("NVIDIA",), tuple(range(len(many))), "t"),),
    )
    digest = dataclasses.replace(digest, articles=(pt, *digest.articles[1:]), topics=(nvidia,))
    topic = build_site_model(digest).page("topics/nvidia/index.html").body
    assert isinstance(topic, TopicPage)
    member = topic.sections[0].members[0]
    assert len(member.sentences) == SHOWN_SENTENCES
    assert len(member.more_sentences) == 3
    assert member.more_sentences[-1].html == f"A <mark>NVIDIA</mark>, frase {SHOWN_SENTENCES + 2}."


_PATH_PARTS = st.lists(
    st.sampled_from(["a", "b", "articles", "topics", "x-1", "index.html"]), max_size=4
)


@given(target=_PATH_PARTS, start=_PATH_PARTS)
def test_relative_path_equals_posixpath_relpath(target: list[str], start: list[str]) -> None:
    from site_builder.sitemodel import _relative_path

    target_path, start_path = "/".join(target), "/".join(start)
    assert _relative_path(target_path, start_path) == posixpath.relpath(
        target_path or ".", start_path or "."
    )


@pytest.mark.parametrize("count", [LARGE_TOPIC_MEMBERS, LARGE_TOPIC_MEMBERS + 1])
def test_a_topic_in_many_articles_lists_one_sentence_each(count: int) -> None:
    sentences = [f"NVIDIA fez a coisa número {i}." for i in range(SHOWN_SENTENCES + 2)]
    articles = tuple(
        analysed_article(f"articles/{i:03}.txt", "pt", sentences, title=f"Artigo {i}")
        for i in range(count)
    )
    members = tuple(
        TopicMember(a.entry.path, ("NVIDIA",), tuple(range(len(sentences))), "name")
        for a in articles
    )
    topic = Topic("nvidia", "NVIDIA", "organization", (("pt", ("NVIDIA",)),), members)
    config = SiteConfig(title="T", topic_page_size=LARGE_TOPIC_MEMBERS + 1)  # one page
    manifest = Manifest("INDEX.md", config, "", tuple(a.entry for a in articles))
    digest = Digest(manifest=manifest, articles=articles, topics=(topic,), diagnostics=())
    model = build_site_model(digest)
    page = model.page(model.topic_pages["nvidia"]).body
    assert isinstance(page, TopicPage)
    (section,) = page.sections
    assert len(section.members) == count
    large = count > LARGE_TOPIC_MEMBERS
    for member in section.members:
        assert len(member.sentences) == (1 if large else SHOWN_SENTENCES)
        assert len(member.more_sentences) == (0 if large else 2)
        assert "<mark>NVIDIA</mark>" in member.sentences[0].html


def test_pages_are_made_when_asked_for_and_not_kept() -> None:
    """A model holds how to make its article and topic pages, not the pages: at 10,000
    articles their view models at once were most of a build's peak memory."""
    model = build_site_model(fixture_digest())
    first, again = list(model.pages), list(model.pages)
    assert first == again and [p.path for p in first] == sorted(p.path for p in first)
    article = model.article_pages["articles/b_zh.txt"]
    topic = model.topic_pages["nvidia"]
    made_twice = {page.path for page, same in zip(first, again, strict=True) if page is not same}
    assert {article, topic} <= made_twice
    assert model.page(article) == first[[p.path for p in first].index(article)]
    assert len(model.pages) == len(first) and model.pages[-1] == first[-1]
    # What the feeds and the sitemap read from an entry is what its page has.
    assert any(entry.canonical_url for entry in model.pages.entries)
    for entry, page in zip(model.pages.entries, first, strict=True):
        assert (entry.path, entry.canonical_url) == (page.path, page.canonical_url)
        card = page.body.article.card if isinstance(page.body, ArticlePage) else None
        assert entry.card == card
    assert sum(entry.card is not None for entry in model.pages.entries) == 3
