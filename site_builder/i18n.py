"""Interface strings and dates in the site's ui_language.

Strings live in gettext catalogues, site_builder/locales/<locale>/LC_MESSAGES/site_builder.po,
one per interface language, read with Babel at run time (plain text files that ship in
the wheel, so no compile step). Message ids are keys such as "nav.home"; plural messages
use gettext's msgid_plural and the catalogue's Plural-Forms header. The English catalogue
is the source, and any string a catalogue lacks falls back to it.
"""

from __future__ import annotations

import datetime
import gettext
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.messages.pofile import read_po

__all__ = [
    "DOMAIN",
    "UI_LANGUAGES",
    "Catalogue",
    "babel_locale",
    "catalogue_path",
    "date_formatter",
    "load_catalogue",
    "message_language",
    "translator",
]

DOMAIN = "site_builder"
# Interface languages with a catalogue, as BCP 47 tags, and their gettext locale names.
_LOCALE_NAMES: Mapping[str, str] = MappingProxyType(
    {"en": "en", "pt": "pt", "zh-Hans": "zh_Hans", "zh-Hant": "zh_Hant", "ja": "ja"}
)
UI_LANGUAGES: tuple[str, ...] = tuple(_LOCALE_NAMES)
_SOURCE_LANGUAGE = "en"
_ZH_HANT_REGIONS = frozenset({"tw", "hk", "mo"})


@dataclass(frozen=True, slots=True)
class Catalogue:
    """One interface language's strings."""

    lang: str  # BCP 47 tag, one of UI_LANGUAGES
    messages: Mapping[str, str]  # key → text, for messages without plural forms
    plurals: Mapping[str, tuple[str, ...]]  # key → text per gettext plural form
    plural_form: Callable[[int], int]  # n → index into a `plurals` entry


def message_language(ui_language: str) -> str:
    """The catalogue serving a BCP 47 tag: "pt-BR" → "pt", "zh-TW" → "zh-Hant"."""
    if ui_language in _LOCALE_NAMES:
        return ui_language
    subtags = ui_language.lower().split("-")
    if subtags[0] == "zh":
        rest = set(subtags[1:])
        return "zh-Hant" if "hant" in rest or rest & _ZH_HANT_REGIONS else "zh-Hans"
    return subtags[0] if subtags[0] in _LOCALE_NAMES else _SOURCE_LANGUAGE


def catalogue_path(lang: str) -> Path:
    """site_builder/locales/<locale>/LC_MESSAGES/site_builder.po for a UI_LANGUAGES tag."""
    locale = _LOCALE_NAMES[lang]
    return Path(__file__).resolve().parent / "locales" / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_catalogue(lang: str) -> Catalogue:
    """Read the catalogue of one of UI_LANGUAGES. Untranslated (empty) strings are left out."""
    with catalogue_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=_LOCALE_NAMES[lang], domain=DOMAIN, abort_invalid=True)
    messages: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue  # the header, or a guess awaiting review
        if isinstance(message.id, tuple | list):
            strings = message.string if isinstance(message.string, tuple | list) else ()
            forms = tuple(str(form) for form in strings)
            if forms and all(forms):
                plurals[str(message.id[0])] = forms
        elif message.string:
            messages[str(message.id)] = str(message.string)
    return Catalogue(
        lang=lang,
        messages=MappingProxyType(messages),
        plurals=MappingProxyType(plurals),
        plural_form=gettext.c2py(catalog.plural_expr),
    )


def translator(ui_language: str) -> Callable[..., str]:
    """`t(key, n=None, **values)`: the interface string for `key`, English when missing.

    With `n`, the plural form for `n` is chosen by the catalogue's Plural-Forms rule and
    "{n}" filled in; other "{name}" fields come from `values`.
    """
    lang = message_language(ui_language)
    source = load_catalogue(_SOURCE_LANGUAGE)
    own = source if lang == _SOURCE_LANGUAGE else load_catalogue(lang)

    def t(key: str, n: int | None = None, **values: object) -> str:
        if n is not None:
            # One catalogue gives all forms, so the English singular never mixes into
            # a language with other plural rules.
            catalogue = own if key in own.plurals else source
            forms = catalogue.plurals.get(key)
            if forms is None:
                raise KeyError(f"no plural interface string {key}")
            text = forms[min(catalogue.plural_form(n), len(forms) - 1)]
            return text.format(n=n, **values)
        found = own.messages.get(key, source.messages.get(key))
        if found is None:
            raise KeyError(f"no interface string {key}")
        return found.format(**values) if values else found

    return t


def babel_locale(ui_language: str) -> Locale:
    """Babel locale for a BCP 47 tag ("zh-TW" → zh_Hant_TW); its catalogue's when unknown."""
    try:
        return Locale.parse(ui_language, sep="-")
    except (UnknownLocaleError, ValueError):
        return Locale.parse(_LOCALE_NAMES[message_language(ui_language)])


def date_formatter(ui_language: str) -> Callable[..., str]:
    """`format_date(iso, style="long")`: an ISO date (YYYY-MM-DD) written the way the
    interface language writes dates ("February 1, 2025", "2025年2月1日"); any other
    text comes back unchanged."""
    locale = babel_locale(ui_language)

    def format_date(text: str, style: str = "long") -> str:
        try:
            day = datetime.date.fromisoformat(text)
        except ValueError:
            return text
        return str(babel_format_date(day, format=style, locale=locale))

    return format_date
