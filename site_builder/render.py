"""Render the site model to HTML with Jinja2, and copy the theme's static files.

Pages link to each other with relative URLs (`url()` in templates), so the output works
from file:// and under any subpath. Output is deterministic: sorted by path, UTF-8, "\\n"
newlines, no timestamps.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from pygments.formatters import HtmlFormatter  # type: ignore[import-untyped,unused-ignore]

from .model import OutputFile
from .sitemodel import Page, SiteModel, language_name, relative_url

__all__ = [
    "MESSAGES",
    "PYGMENTS_DARK_STYLE",
    "PYGMENTS_LIGHT_STYLE",
    "default_templates_dir",
    "message_language",
    "pygments_css",
    "render_site",
    "translator",
]

PYGMENTS_LIGHT_STYLE = "default"
PYGMENTS_DARK_STYLE = "monokai"
_TEXT_SUFFIXES = frozenset({".css", ".svg", ".js", ".txt", ".html", ".xml", ".json"})

# Interface strings by ui_language. Keys ending in ".one"/".other" are plural forms picked
# by `n`; languages without plural inflection only give ".other".
_EN: Mapping[str, str] = MappingProxyType(
    {
        "nav.label": "Site",
        "nav.skip": "Skip to content",
        "nav.home": "Home",
        "nav.topics": "Topics",
        "nav.languages": "Languages",
        "footer.generated": "Built with site_builder.",
        "home.articles": "Articles",
        "home.languages": "Languages",
        "home.matrix": "Coverage by language",
        "home.matrix.caption": (
            "Articles in each language that mention a topic, for the most covered topics."
        ),
        "home.matrix.topic": "Topic",
        "home.matrix.all.one": "See the topic",
        "home.matrix.all.other": "See all {n} topics",
        "card.more_topics.one": "+{n} more",
        "card.more_topics.other": "+{n} more",
        "article.language": "Language",
        "article.source": "Source",
        "article.author": "Author",
        "article.date": "Date",
        "article.reading_time": "Reading time",
        "article.minutes.one": "{n} min read",
        "article.minutes.other": "{n} min read",
        "article.original": "Original",
        "article.original_link": "Read the original",
        "article.summary": "Summary",
        "article.summary.manifest": "Summary written by the editor.",
        "article.summary.more": "Summary taken from the author's introduction.",
        "article.summary.automatic": "Automatic summary: sentences picked from the text.",
        "article.in_context": "In context",
        "article.keyphrases": "Key phrases",
        "article.topics": "Topics",
        "article.text": "Full text",
        "article.stories": "This story in other languages",
        "article.stories.evidence": "In common:",
        "topic.kind": "Kind",
        "topic.declared": "Declared by the editor",
        "topic.names": "Names by language",
        "topic.articles": "Articles",
        "topic.why": "Why linked:",
        "topic.surfaces": "Forms found:",
        "topic.coverage": "Coverage by language",
        "topic.coverage.cell": "{count} of {total}",
        "topic.related": "Related topics",
        "topic.related.shared.one": "{n} article in common",
        "topic.related.shared.other": "{n} articles in common",
        "topic.more_sentences.one": "{n} more sentence",
        "topic.more_sentences.other": "{n} more sentences",
        "topics.title": "Topics",
        "topics.intro": (
            "People, organisations, places and ideas that the articles talk about,"
            " across languages."
        ),
        "topics.empty": "No topics were found.",
        "topics.contents": "Groups",
        "topics.order": (
            "Each group lists the most covered topics first: most languages, then most articles."
        ),
        "topics.az": "A–Z",
        "topics.az.title": "All topics, A–Z",
        "topics.count.one": "{n} article",
        "topics.count.other": "{n} articles",
        "kind.person": "People",
        "kind.organization": "Organisations",
        "kind.place": "Places",
        "kind.product": "Products",
        "kind.event": "Events",
        "kind.theme": "Themes",
        "kind.figure": "Figures",
        "kind.other": "Other",
        "languages.title": "Languages",
        "languages.count.one": "{n} article",
        "languages.count.other": "{n} articles",
        "notfound.title": "Page not found",
        "notfound.text": "There is no page at this address.",
        "notfound.home": "Go to the home page",
    }
)

_PT: Mapping[str, str] = MappingProxyType(
    {
        "nav.label": "Site",
        "nav.skip": "Ir para o conteúdo",
        "nav.home": "Início",
        "nav.topics": "Temas",
        "nav.languages": "Idiomas",
        "home.articles": "Artigos",
        "home.languages": "Idiomas",
        "home.matrix": "Cobertura por idioma",
        "home.matrix.topic": "Tema",
        "home.matrix.all.one": "Ver o tema",
        "home.matrix.all.other": "Ver os {n} temas",
        "card.more_topics.one": "+{n} outro",
        "card.more_topics.other": "+{n} outros",
        "article.language": "Idioma",
        "article.source": "Fonte",
        "article.author": "Autor",
        "article.date": "Data",
        "article.reading_time": "Tempo de leitura",
        "article.minutes.one": "{n} min de leitura",
        "article.minutes.other": "{n} min de leitura",
        "article.original": "Original",
        "article.original_link": "Ler o original",
        "article.summary": "Resumo",
        "article.keyphrases": "Expressões-chave",
        "article.topics": "Temas",
        "article.text": "Texto completo",
        "article.stories": "Esta notícia em outros idiomas",
        "topic.related": "Temas relacionados",
        "topics.title": "Temas",
        "topics.count.one": "{n} artigo",
        "topics.count.other": "{n} artigos",
        "topics.az": "A–Z",
        "kind.person": "Pessoas",
        "kind.organization": "Organizações",
        "kind.place": "Lugares",
        "kind.product": "Produtos",
        "kind.event": "Eventos",
        "kind.theme": "Temas",
        "kind.figure": "Números",
        "kind.other": "Outros",
        "languages.title": "Idiomas",
        "languages.count.one": "{n} artigo",
        "languages.count.other": "{n} artigos",
        "notfound.title": "Página não encontrada",
        "notfound.home": "Voltar ao início",
    }
)

_ZH_HANS: Mapping[str, str] = MappingProxyType(
    {
        "nav.skip": "跳到正文",
        "nav.home": "首页",
        "nav.topics": "主题",
        "nav.languages": "语言",
        "home.articles": "文章",
        "home.languages": "语言",
        "home.matrix": "各语言报道覆盖",
        "home.matrix.topic": "主题",
        "home.matrix.all.other": "查看全部 {n} 个主题",
        "card.more_topics.other": "另有 {n} 个",
        "article.language": "语言",
        "article.source": "来源",
        "article.author": "作者",
        "article.date": "日期",
        "article.reading_time": "阅读时间",
        "article.minutes.other": "{n} 分钟",
        "article.original": "原文",
        "article.original_link": "阅读原文",
        "article.summary": "摘要",
        "article.keyphrases": "关键词",
        "article.topics": "主题",
        "article.text": "全文",
        "article.stories": "其他语言的同一新闻",
        "topic.related": "相关主题",
        "topics.title": "主题",
        "topics.count.other": "{n} 篇文章",
        "kind.person": "人物",
        "kind.organization": "机构",
        "kind.place": "地点",
        "kind.product": "产品",
        "kind.event": "事件",
        "kind.theme": "议题",
        "kind.figure": "数字",
        "kind.other": "其他",
        "languages.title": "语言",
        "languages.count.other": "{n} 篇文章",
        "notfound.title": "找不到页面",
        "notfound.home": "返回首页",
    }
)

_ZH_HANT: Mapping[str, str] = MappingProxyType(
    {
        "nav.skip": "跳到正文",
        "nav.home": "首頁",
        "nav.topics": "主題",
        "nav.languages": "語言",
        "home.articles": "文章",
        "home.languages": "語言",
        "home.matrix": "各語言報導覆蓋",
        "home.matrix.topic": "主題",
        "home.matrix.all.other": "查看全部 {n} 個主題",
        "card.more_topics.other": "另有 {n} 個",
        "article.language": "語言",
        "article.source": "來源",
        "article.author": "作者",
        "article.date": "日期",
        "article.reading_time": "閱讀時間",
        "article.minutes.other": "{n} 分鐘",
        "article.original": "原文",
        "article.original_link": "閱讀原文",
        "article.summary": "摘要",
        "article.keyphrases": "關鍵詞",
        "article.topics": "主題",
        "article.text": "全文",
        "article.stories": "其他語言的同一新聞",
        "topic.related": "相關主題",
        "topics.title": "主題",
        "topics.count.other": "{n} 篇文章",
        "kind.person": "人物",
        "kind.organization": "機構",
        "kind.place": "地點",
        "kind.product": "產品",
        "kind.event": "事件",
        "kind.theme": "議題",
        "kind.figure": "數字",
        "kind.other": "其他",
        "languages.title": "語言",
        "languages.count.other": "{n} 篇文章",
        "notfound.title": "找不到頁面",
        "notfound.home": "返回首頁",
    }
)

_JA: Mapping[str, str] = MappingProxyType(
    {
        "nav.skip": "本文へ移動",
        "nav.home": "ホーム",
        "nav.topics": "トピック",
        "nav.languages": "言語",
        "home.articles": "記事",
        "home.languages": "言語",
        "home.matrix": "言語別の報道状況",
        "home.matrix.topic": "トピック",
        "home.matrix.all.other": "全 {n} トピックを見る",
        "card.more_topics.other": "ほか {n} 件",
        "article.language": "言語",
        "article.source": "出典",
        "article.author": "著者",
        "article.date": "日付",
        "article.reading_time": "読了時間",
        "article.minutes.other": "{n} 分で読めます",
        "article.original": "原文",
        "article.original_link": "原文を読む",
        "article.summary": "要約",
        "article.keyphrases": "キーフレーズ",
        "article.topics": "トピック",
        "article.text": "全文",
        "article.stories": "他の言語で読む同じニュース",
        "topic.related": "関連トピック",
        "topics.title": "トピック",
        "topics.count.other": "{n} 件の記事",
        "kind.person": "人物",
        "kind.organization": "組織",
        "kind.place": "場所",
        "kind.product": "製品",
        "kind.event": "出来事",
        "kind.theme": "テーマ",
        "kind.figure": "数字",
        "kind.other": "その他",
        "languages.title": "言語",
        "languages.count.other": "{n} 件の記事",
        "notfound.title": "ページが見つかりません",
        "notfound.home": "ホームへ戻る",
    }
)

MESSAGES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {"en": _EN, "pt": _PT, "zh-Hans": _ZH_HANS, "zh-Hant": _ZH_HANT, "ja": _JA}
)
_ZH_HANT_REGIONS = frozenset({"tw", "hk", "mo"})


def message_language(ui_language: str) -> str:
    """The MESSAGES table serving a BCP 47 tag: "pt-BR" → "pt", "zh-TW" → "zh-Hant"."""
    if ui_language in MESSAGES:
        return ui_language
    subtags = ui_language.lower().split("-")
    if subtags[0] == "zh":
        rest = set(subtags[1:])
        return "zh-Hant" if "hant" in rest or rest & _ZH_HANT_REGIONS else "zh-Hans"
    return subtags[0] if subtags[0] in MESSAGES else "en"


def translator(ui_language: str) -> Callable[..., str]:
    """`t(key, n=None, **values)`: the interface string for `key`, English when missing.

    With `n`, the plural form "key.one"/"key.other" is chosen and "{n}" filled in.
    """
    table = MESSAGES[message_language(ui_language)]

    def lookup(key: str) -> str | None:
        return table.get(key, _EN.get(key))

    def t(key: str, n: int | None = None, **values: object) -> str:
        text: str | None
        if n is not None:
            # Plural forms come from one table, so English ".one" never mixes into
            # a language that only has ".other".
            forms = table if f"{key}.other" in table else _EN
            text = (forms.get(f"{key}.one") if n == 1 else None) or forms.get(f"{key}.other")
            if text is None:
                raise KeyError(f"no interface string {key}.other")
            return text.format(n=n, **values)
        text = lookup(key)
        if text is None:
            raise KeyError(f"no interface string {key}")
        return text.format(**values) if values else text

    return t


def pygments_css() -> str:
    """Stylesheet for highlighted code: light style, and a dark one for dark mode.

    Only rules scoped under .highlight are emitted (Pygments also has global `pre` rules).
    templates/static/pygments.css must equal this; a test checks it.
    """
    light = HtmlFormatter(style=PYGMENTS_LIGHT_STYLE)
    dark = HtmlFormatter(style=PYGMENTS_DARK_STYLE)

    def rules(formatter: HtmlFormatter[str]) -> list[str]:
        background: list[str] = formatter.get_background_style_defs(  # type: ignore[no-untyped-call,unused-ignore]
            ".highlight"
        )
        tokens: list[str] = formatter.get_token_style_defs(  # type: ignore[no-untyped-call,unused-ignore]
            ".highlight"
        )
        return [*background, *tokens]

    lines = [
        "/* Generated by site_builder.render.pygments_css(); do not edit by hand. */",
        f"/* Light: Pygments style {PYGMENTS_LIGHT_STYLE!r}; dark: {PYGMENTS_DARK_STYLE!r}. */",
        ".highlight { overflow-x: auto; padding: .75em 1em; border-radius: 6px; }",
        ".highlight pre { margin: 0; line-height: 1.45; }",
        *rules(light),
        "@media (prefers-color-scheme: dark) {",
        *(f"  {rule}" for rule in rules(dark)),
        "}",
    ]
    return "\n".join(lines) + "\n"


def default_templates_dir() -> Path:
    """The packaged site_builder/templates (wheel installs), else the repository's templates/."""
    packaged = Path(__file__).resolve().parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"


def _environment(templates_dir: Path) -> Environment:
    return Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _normalise_text(text: str) -> str:
    """"\\n" newlines, no trailing spaces, exactly one final newline."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n") + "\n"


def _url_function(model: SiteModel, page: Page) -> Callable[[str], str]:
    base = model.config.base_url
    if page.path == "404.html" and base:
        # A server shows 404.html at any missing address, where relative links would
        # point nowhere; with a known base URL, link absolutely instead.
        root = base if base.endswith("/") else f"{base}/"

        def absolute(to_page: str) -> str:
            from_root = relative_url("index.html", to_page, file_urls=model.file_urls)
            return root + from_root.removeprefix("./")

        return absolute

    def url(to_page: str) -> str:
        return relative_url(page.path, to_page, file_urls=model.file_urls)

    return url


def _static_files(templates_dir: Path) -> list[OutputFile]:
    static_dir = templates_dir / "static"
    if not static_dir.is_dir():
        return []
    files: list[OutputFile] = []
    for path in sorted(static_dir.rglob("*")):
        relative = path.relative_to(static_dir)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        data = path.read_bytes()
        if path.suffix.lower() in _TEXT_SUFFIXES:
            data = _normalise_text(data.decode("utf-8")).encode("utf-8")
        files.append(OutputFile(f"static/{relative.as_posix()}", data))
    return files


def render_site(model: SiteModel, templates_dir: Path | None = None) -> list[OutputFile]:
    """Every page rendered with its template, plus the theme's static files, sorted by path."""
    directory = templates_dir if templates_dir is not None else default_templates_dir()
    env = _environment(directory)
    t = translator(model.config.ui_language)
    site = {
        "title": model.config.title,
        "description": model.config.description,
        "author": model.config.author,
        "ui_language": model.config.ui_language,
    }
    outputs = _static_files(directory)
    for page in model.pages:
        template = env.get_template(page.template)
        html = template.render(
            site=site,
            page=page,
            body=page.body,
            t=t,
            url=_url_function(model, page),
            language_name=language_name,
        )
        outputs.append(OutputFile(page.path, _normalise_text(html).encode("utf-8")))
    outputs.sort(key=lambda f: f.path)
    paths = [f.path for f in outputs]
    if len(set(paths)) != len(paths):
        raise ValueError("two output files share a path")  # a bug in the site model
    return outputs
