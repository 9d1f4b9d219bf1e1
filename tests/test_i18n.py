"""Interface strings (gettext catalogues in site_builder/locales/) and dates per ui_language."""

from __future__ import annotations

import dataclasses
import re
import string
from pathlib import Path

import pytest

from site_builder.i18n import (
    UI_LANGUAGES,
    catalogue_path,
    date_formatter,
    load_catalogue,
    message_language,
    translator,
)
from site_builder.render import default_templates_dir, render_site
from site_builder.sitemodel import build_site_model

try:  # tests/ as a package (tests/__init__.py) or as a plain folder on sys.path
    from .test_sitemodel import fixture_digest
except ImportError:
    from test_sitemodel import fixture_digest  # type: ignore[no-redef]

NAVIGATION = {
    "en": ("Home", "Topics", "Languages"),
    "pt": ("Início", "Temas", "Idiomas"),
    "zh-Hans": ("首页", "主题", "语言"),
    "zh-Hant": ("首頁", "主題", "語言"),
    "ja": ("ホーム", "トピック", "言語"),
}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_ui_language_has_a_catalogue() -> None:
    assert set(UI_LANGUAGES) == set(NAVIGATION)
    for lang in UI_LANGUAGES:
        path = catalogue_path(lang)
        assert path.is_file(), path
        assert path.parts[-2:] == ("LC_MESSAGES", "site_builder.po")


@pytest.mark.parametrize("lang", [lang for lang in UI_LANGUAGES if lang != "en"])
def test_catalogue_is_complete_and_keeps_placeholders(lang: str) -> None:
    english = load_catalogue("en")
    own = load_catalogue(lang)
    assert set(own.messages) == set(english.messages)
    assert set(own.plurals) == set(english.plurals)
    for key, text in own.messages.items():
        assert _fields(text) == _fields(english.messages[key]), (lang, key)
    for key, forms in own.plurals.items():
        # The singular may spell the number out ("See the topic"); the general form,
        # the last one, shows it.
        assert all(_fields(form) <= {"n"} for form in forms), (lang, key)
        assert _fields(forms[-1]) == {"n"}, (lang, key)


def test_plural_forms_follow_each_language() -> None:
    assert translator("en")("topics.count", n=1) == "1 article"
    assert translator("en")("topics.count", n=0) == "0 articles"
    assert translator("pt")("topics.count", n=1) == "1 artigo"
    assert translator("pt")("topics.count", n=2) == "2 artigos"
    assert translator("pt")("topic.more_sentences", n=3) == "mais 3 frases"
    # Chinese and Japanese have one form for every number.
    assert translator("ja")("topics.count", n=1) == "1 件の記事"
    assert translator("ja")("topics.count", n=7) == "7 件の記事"
    assert translator("zh-Hant")("languages.count", n=2) == "2 篇文章"
    assert load_catalogue("ja").plural_form(5) == 0
    assert load_catalogue("pt").plural_form(1) == 0


def test_values_are_filled_in_and_unknown_keys_fail() -> None:
    assert translator("ja")("topic.coverage.cell", count=1, total=2) == "2 件中 1 件"
    assert translator("en")("topic.coverage.cell", count=1, total=2) == "1 of 2"
    with pytest.raises(KeyError):
        translator("pt")("no.such.key")
    with pytest.raises(KeyError):
        translator("pt")("nav.home", n=2)  # not a plural message


def test_message_language_for_regional_tags() -> None:
    assert message_language("pt-BR") == "pt"
    assert message_language("zh-TW") == "zh-Hant"
    assert message_language("zh-Hant-HK") == "zh-Hant"
    assert message_language("zh-CN") == "zh-Hans"
    assert message_language("zh") == "zh-Hans"
    assert message_language("ja-JP") == "ja"
    assert message_language("xx") == "en"
    assert translator("pt-BR")("nav.home") == "Início"
    assert translator("zh-HK")("nav.home") == "首頁"


def test_dates_in_the_ui_language() -> None:
    expected = {
        "en": "February 1, 2025",
        "pt": "1 de fevereiro de 2025",
        "zh-Hans": "2025年2月1日",
        "zh-Hant": "2025年2月1日",
        "ja": "2025年2月1日",
    }
    for lang, text in expected.items():
        assert date_formatter(lang)("2025-02-01") == text, lang
    assert date_formatter("ja")("2025-02-01", "medium") == "2025/02/01"
    assert date_formatter("en")("2025-02-01", "medium") == "Feb 1, 2025"
    assert date_formatter("pt")("early 2025") == "early 2025"  # not a date: unchanged
    assert date_formatter("xx-unknown")("2025-02-01") == "February 1, 2025"


def test_every_template_string_is_defined() -> None:
    keys: set[str] = set()
    for template in Path(default_templates_dir()).glob("*.html"):
        keys |= set(re.findall(r"""\bt\('([a-z_.]+)'""", template.read_text("utf-8")))
    assert {"nav.home", "article.minutes", "home.matrix.desc"} <= keys
    english = load_catalogue("en")
    for key in sorted(keys):
        if key.endswith("."):
            continue  # completed in the template, e.g. 'kind.' ~ topic.kind
        assert key in english.messages or key in english.plurals, key


def _render_in(lang: str) -> dict[str, str]:
    digest = fixture_digest()
    config = dataclasses.replace(digest.manifest.config, ui_language=lang)
    manifest = dataclasses.replace(digest.manifest, config=config)
    digest = dataclasses.replace(digest, manifest=manifest)
    return {f.path: f.data.decode("utf-8") for f in render_site(build_site_model(digest))}


@pytest.mark.parametrize("lang", UI_LANGUAGES)
def test_pages_use_the_ui_language(lang: str) -> None:
    """Switching ui_language changes the navigation, labels and dates, not the articles."""
    pages = _render_in(lang)
    home, topics = pages["index.html"], pages["topics/index.html"]
    assert home.startswith(f'<!doctype html>\n<html lang="{lang}">')
    nav = home[home.index('<nav aria-label="') : home.index("</nav>")]
    links = re.findall(r"<a [^>]*>([^<]+)</a>", nav)
    assert tuple(links) == NAVIGATION[lang]
    t = translator(lang)
    assert f"<h1>{t('topics.title')}</h1>" in topics
    article = next(html for path, html in pages.items() if path.startswith("articles/"))
    assert t("article.reading_time") in article
    dates = re.findall(r'<time datetime="(\d{4}-\d{2}-\d{2})">([^<]+)</time>', article)
    assert dates, "the fixture's articles carry ISO dates"
    for iso, shown in dates:
        assert shown == date_formatter(lang)(iso, "long")
    others = [other for other in UI_LANGUAGES if other != lang]
    assert all(f'<html lang="{other}">' not in home for other in others)


def test_rendering_is_deterministic() -> None:
    assert _render_in("ja") == _render_in("ja")
