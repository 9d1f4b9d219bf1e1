"""Property tests (hypothesis) that the stage tests do not already make.

Already elsewhere: parse_manifest on arbitrary text and the `init` round trip
(test_manifest), decode_bytes on arbitrary bytes and the UTF-8 round trip (test_sources),
slugify's charset, length and reserved names (test_sitemodel). Here:

- manifest: settings and article metadata of any text round-trip through INDEX.md;
  keep_going never changes what is reported, only whether the good entries come back;
- encodings: generated text round-trips through UTF-16 and UTF-8 with a byte-order mark,
  GB18030 and Shift_JIS (detected, not told);
- slugs: assign_slugs and assign_topic_slugs give unique, safe, bounded, never reserved,
  stable slugs for any titles, paths and explicit slugs.
"""

from __future__ import annotations

import codecs
import dataclasses
import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from site_builder.errors import SiteBuilderError
from site_builder.manifest import parse_manifest
from site_builder.model import Topic
from site_builder.sitemodel import (
    MAX_SLUG_LENGTH,
    RESERVED_SLUGS,
    assign_slugs,
    assign_topic_slugs,
    slugify,
)
from site_builder.sources import _COMMON_HAN, decode_bytes

from .factories import analysed_article

SAFE_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
INDEX = "content/INDEX.md"

# --- manifest ------------------------------------------------------------------------------

# Characters that Markdown gives a meaning to, escaped the way a careful author would.
_MARKDOWN_SPECIAL = frozenset("\\`*_[]<>&!~$#|")

# One line of any text: no line breaks or other control characters, no surrogates.
LINE = st.text(
    st.characters(exclude_categories=["Cs", "Cc", "Zl", "Zp"], exclude_characters="\ufeff"),
    max_size=60,
)


def joined(pieces: list[str], *, min_size: int = 0, max_size: int = 40) -> st.SearchStrategy[str]:
    """Strings made of the given pieces (which may be longer than one character)."""
    return st.lists(st.sampled_from(pieces), min_size=min_size, max_size=max_size).map("".join)


def escape_markdown(text: str) -> str:
    return "".join("\\" + char if char in _MARKDOWN_SPECIAL else char for char in text)


def single_spaced(text: str) -> str:
    return " ".join(text.split())


SLUG = st.from_regex(r"[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,3}", fullmatch=True)
DATE = st.dates().filter(lambda day: day.year >= 1000).map(lambda day: day.isoformat())
URL = st.builds(
    lambda scheme, host, path: f"{scheme}://{host}.example/{path}",
    st.sampled_from(["http", "https", "HTTPS"]),
    st.from_regex(r"[a-z0-9]{1,12}", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9._~%/-]{0,30}", fullmatch=True),
)
ARTICLE_METADATA = st.fixed_dictionaries(
    {},
    optional={
        "title": LINE,
        "source": LINE,
        "author": LINE,
        "summary": LINE,
        "date": DATE,
        "url": URL,
        "lang": st.sampled_from(["pt", "pt-BR", "zh-Hant", "zh-Hans", "ja", "en"]),
        "slug": SLUG,
    },
)
FRONT_MATTER = st.fixed_dictionaries(
    {}, optional={"title": LINE, "description": LINE, "author": LINE}
)


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("properties") / "content"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.md"):
        (folder / name).write_text("Text.\n", "utf-8")
    return folder


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    front=FRONT_MATTER,
    entries=st.lists(ARTICLE_METADATA, min_size=1, max_size=3).filter(
        lambda found: len(slugs := [m["slug"] for m in found if "slug" in m]) == len(set(slugs))
    ),
)
def test_settings_and_metadata_round_trip(
    content: Path, front: dict[str, str], entries: list[dict[str, str]]
) -> None:
    front_matter = yaml.safe_dump(front, allow_unicode=True, width=10_000) if front else ""
    lines = ["---", front_matter.rstrip("\n"), "---", "", "# Site", ""]
    paths = ["a.txt", "b.txt", "c.md"][: len(entries)]
    for path, metadata in zip(paths, entries, strict=False):
        lines.append(f"- [{path}]({path})")
        for key, value in metadata.items():
            shown = (
                escape_markdown(value) if key in ("title", "source", "author", "summary") else value
            )
            lines.append(f"  - {key}: {shown}")
    text = "\n".join(lines) + "\n"
    expected_errors = [
        key
        for m in entries
        for key in ("title", "source", "author", "summary")
        if key in m and not single_spaced(m[key])
    ]
    try:
        manifest, warnings = parse_manifest(text, index_path=INDEX, content_dir=content)
    except SiteBuilderError as error:
        # The only error a well-formed INDEX.md can have: a metadata line with no value.
        assert expected_errors, error.format()
        assert all("has no value" in d.message for d in error.diagnostics), error.format()
        return
    assert not expected_errors
    assert all(d.severity == "warning" for d in warnings)
    config = manifest.config
    for key in ("title", "description", "author"):
        if front.get(key, "").strip():
            assert getattr(config, key) == front[key].strip(), key
    assert [entry.path for entry in manifest.entries] == paths
    for entry, metadata in zip(manifest.entries, entries, strict=True):
        for key, value in metadata.items():
            got = getattr(entry, key)
            if key in ("title", "source", "author", "summary"):
                assert got == single_spaced(value), (key, value, got)
            elif key == "lang":
                assert got == value
            else:
                assert got == value, (key, value, got)


# INDEX.md bodies mixing good entries, bad entries and bad settings, line by line.
INDEX_LINES = [
    "- [A](a.txt)",
    "- [B](b.txt)",
    "- [C](c.md)",
    "- [Gone](x.txt)",
    "- [Up](../a.txt)",
    "- [Abs](/a.txt)",
    "  - date: 2025-01-31",
    "  - date: 2025-13-01",
    "  - url: https://example.org/",
    "  - url: javascript:alert(1)",
    "  - colour: red",
    "  - slug: same",
    "  - lang: pt",
    "  - lang: not a tag!",
    "date: 2025-01-01",
    "Prose with [a link](b.txt).",
    "# Heading",
    "",
]
FRONT_MATTERS = ["", "---\ntitle: T\n---\n", "---\ntitle: [x\n---\n", "---\nkeyphrases: 99\n---\n"]
MIXED_INDEX = st.builds(
    lambda front, lines: front + "\n".join(lines) + "\n",
    st.sampled_from(FRONT_MATTERS),
    st.lists(st.sampled_from(INDEX_LINES), max_size=12),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=MIXED_INDEX | st.text(max_size=200))
def test_keep_going_reports_the_same_errors_and_keeps_only_good_entries(
    content: Path, text: str
) -> None:
    try:
        strict = parse_manifest(text, index_path=INDEX, content_dir=content)
    except SiteBuilderError as error:
        strict_errors = error.diagnostics
        try:
            manifest, diagnostics = parse_manifest(
                text, index_path=INDEX, content_dir=content, keep_going=True
            )
        except SiteBuilderError as again:
            event("no good entry: raises")
            assert again.diagnostics == strict_errors
            return
        event("good entries kept")
        assert tuple(d for d in diagnostics if d.severity == "error") == strict_errors
        assert manifest.entries
        error_lines = {d.line for d in strict_errors}
        assert not any(entry.line in error_lines for entry in manifest.entries)
        return
    event("no error")
    assert parse_manifest(text, index_path=INDEX, content_dir=content, keep_going=True) == strict


# --- encodings ----------------------------------------------------------------------------


def _encodable(char: str, *codecs_: str) -> bool:
    try:
        for codec in codecs_:
            char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


# Any text but U+0000, which no text file holds: after a UTF-16 (LE) byte-order mark it
# would make the bytes FF FE 00 00, the UTF-32 mark.
ANY_TEXT = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), min_size=1, max_size=300
).filter(lambda text: text.strip().strip("\ufeff\u200b") != "")


def is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


SIMPLIFIED = sorted(c for c in _COMMON_HAN if _encodable(c, "gb2312"))
KANJI = sorted(c for c in _COMMON_HAN if _encodable(c, "shift_jis"))
HIRAGANA = [chr(code) for code in range(0x3041, 0x3094)]
KATAKANA = [chr(code) for code in range(0x30A1, 0x30F7)]
ASCII_BITS = [*" 0123456789", "AI", "DeepSeek", "R1", "2025", "\n"]
CHINESE = joined(SIMPLIFIED * 4 + list("，。、：“”") + ASCII_BITS, min_size=8, max_size=150)
JAPANESE = joined(
    HIRAGANA * 4 + KATAKANA * 2 + KANJI + list("、。「」・ー") + ASCII_BITS,
    min_size=8,
    max_size=150,
)


@settings(max_examples=200, deadline=None)
@given(text=ANY_TEXT, big_endian=st.booleans())
def test_utf16_with_bom_round_trips(text: str, big_endian: bool) -> None:
    data = (
        codecs.BOM_UTF16_BE + text.encode("utf-16-be")
        if big_endian
        else codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    )
    assert decode_bytes(data, "t.txt") == (text, "utf-16")


@settings(max_examples=200, deadline=None)
@given(text=ANY_TEXT)
def test_utf8_with_bom_round_trips(text: str) -> None:
    assert decode_bytes(text.encode("utf-8-sig"), "t.txt") == (text, "utf-8-sig")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=CHINESE.filter(lambda t: sum(c in SIMPLIFIED for c in t) >= 6))
def test_gb18030_text_is_detected_and_round_trips(text: str) -> None:
    data = text.encode("gb18030")
    assume(not is_utf8(data))  # valid UTF-8 is read as UTF-8 ("一一" = D2BB D2BB = "һһ")
    assert decode_bytes(data, "t.txt") == (text, "gb18030")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=JAPANESE.filter(lambda t: sum(not c.isascii() for c in t) >= 6))
def test_shift_jis_text_is_detected_and_round_trips(text: str) -> None:
    data = text.encode("shift_jis")
    assume(not is_utf8(data))
    assert decode_bytes(data, "t.txt") == (text, "shift_jis")


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=2000), prefix=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe"]))
def test_any_bytes_give_text_or_our_error(data: bytes, prefix: bytes) -> None:
    try:
        text, encoding = decode_bytes(prefix + data, "t.txt")
    except SiteBuilderError as error:
        assert error.path == "t.txt" and error.diagnostics
        assert "\n" not in error.diagnostics[0].message
        return
    assert isinstance(text, str) and text.strip()
    assert encoding == encoding.lower()


# --- slugs --------------------------------------------------------------------------------

TITLE = st.one_of(
    st.text(max_size=80),
    st.sampled_from([*sorted(RESERVED_SLUGS), "CON", "Index", "?!…", "", "同じ題名", "x" * 500]),
    joined([*"ab -", "con", "index", "nul"], max_size=10),
)
PATH = st.builds(
    lambda folder, stem, ext: f"{folder}{stem}{ext}",
    st.sampled_from(["", "articles/", "a/b/", "日本/"]),
    joined([*"abc-_. 日本", "con", "index", "aux"], min_size=1, max_size=8),
    st.sampled_from([".txt", ".md"]),
)
ARTICLES = st.lists(
    st.tuples(PATH, TITLE, st.one_of(st.none(), SLUG, st.sampled_from(sorted(RESERVED_SLUGS)))),
    max_size=12,
    unique_by=lambda item: item[0],
)


def _articles(items: list[tuple[str, str, str | None]]) -> list[object]:
    return [
        dataclasses.replace(
            analysed_article(path, "pt", ["Texto."], title=title), slug=explicit or ""
        )
        for path, title, explicit in items
    ]


def _assert_good_slugs(slugs: tuple[str, ...] | list[str], count: int) -> None:
    assert len(slugs) == count
    assert len(set(slugs)) == count, slugs
    for slug in slugs:
        assert SAFE_SLUG.fullmatch(slug), slug
        assert len(slug) <= MAX_SLUG_LENGTH, slug
        assert slug not in RESERVED_SLUGS, slug


@settings(max_examples=300, deadline=None)
@given(items=ARTICLES)
def test_assign_slugs_unique_safe_bounded_stable(items: list[tuple[str, str, str | None]]) -> None:
    articles = _articles(items)
    slugs = assign_slugs(articles)  # type: ignore[arg-type]
    _assert_good_slugs(slugs, len(items))
    assert assign_slugs(articles) == slugs  # type: ignore[arg-type]
    # Fed back as explicit slugs (as the cache does), every article keeps its slug.
    again = [dataclasses.replace(a, slug=s) for a, s in zip(articles, slugs, strict=True)]  # type: ignore[type-var]
    assert assign_slugs(again) == slugs  # type: ignore[arg-type]
    # A usable explicit slug, unique among the explicit ones, is kept as written.
    explicit = [e for _, _, e in items if e]
    for (_, _, wanted), slug in zip(items, slugs, strict=True):
        if wanted and explicit.count(wanted) == 1 and slugify(wanted, fallback="x") == wanted:
            assert slug == wanted


@settings(max_examples=200, deadline=None)
@given(
    names=st.lists(
        st.tuples(st.text(min_size=1, max_size=20), TITLE), max_size=10, unique_by=lambda n: n[0]
    )
)
def test_assign_topic_slugs_unique_safe_bounded(names: list[tuple[str, str]]) -> None:
    topics = [
        Topic(key=key, name=name, kind="other", names=(("ja", (name,)),), members=())
        for key, name in names
    ]
    slugs = assign_topic_slugs(topics)
    assert sorted(slugs) == sorted(key for key, _ in names)
    _assert_good_slugs(list(slugs.values()), len(names))
    assert assign_topic_slugs(list(reversed(topics))) == slugs  # independent of order


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=600))
def test_slug_is_the_same_for_canonically_equivalent_titles(text: str) -> None:
    """NFC and NFD spellings of one title (as Linux and macOS file names give) agree."""
    expected = slugify(text, fallback="x")
    for form in ("NFC", "NFD"):
        assert slugify(unicodedata.normalize(form, text), fallback="x") == expected
