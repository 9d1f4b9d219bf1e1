"""digest.json: the machine-readable digest at the site root.

Other tools and our own evaluations read the site through this file, so its schema is
versioned (SCHEMA_VERSION) and documented in README.md. Bump the version on any change
that removes or renames a field; adding a field keeps it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any, Protocol

import orjson

from . import __version__
from .fingerprints import value_digest
from .model import Article, Digest, Sentence, Topic

SCHEMA_VERSION = 1
DIGEST_PATH = "digest.json"


@dataclass(frozen=True, slots=True)
class _LazyList:
    """A JSON list, at the top level of the document, whose items are made, encoded,
    handed on and dropped one at a time: the topics list of a large site is hundreds of
    megabytes of sentences."""

    items: Callable[[], Iterator[object]]


@dataclass(frozen=True, slots=True)
class _Piece:
    """An item of a _LazyList whose encoded bytes an earlier build may have written:
    `key` fingerprints all that `make` reads ("" when nothing does, e.g. an article
    without a fingerprint)."""

    key: str
    make: Callable[[], object]


class DigestPieces(Protocol):
    """Items of the previous build's digest.json, by key: an article or topic whose
    inputs are unchanged is copied from there rather than made and encoded again (at
    10,000 articles, encoding the 400 MB file was a tenth of a one-article rebuild)."""

    def lookup(self, key: str) -> bytes | None: ...

    def record(self, key: str, offset: int, data: bytes) -> None:
        """The item of `key` is `data`, at `offset` in the digest.json being written."""


def _made(item: object) -> object:
    return item.make() if isinstance(item, _Piece) else item


def digest_document(
    digest: Digest, article_urls: Mapping[str, str], topic_urls: Mapping[str, str]
) -> dict[str, Any]:
    """The digest as plain JSON data. URLs are paths relative to the site root."""
    document = _lazy_document(digest, article_urls, topic_urls)
    return {
        key: [_made(item) for item in value.items()] if isinstance(value, _LazyList) else value
        for key, value in document.items()
    }


def _lazy_document(
    digest: Digest, article_urls: Mapping[str, str], topic_urls: Mapping[str, str]
) -> dict[str, Any]:
    """digest_document, with the articles and topics lists as _LazyList."""
    config = digest.manifest.config
    topics_by_article: dict[str, list[str]] = {a.entry.path: [] for a in digest.articles}
    for topic in digest.topics:
        for member in topic.members:
            topics_by_article.setdefault(member.article, []).append(topic.key)
    lang_of = {a.entry.path: a.analysis.language.lang for a in digest.articles}
    sentences_of = {a.entry.path: a.analysis.sentences for a in digest.articles}
    fingerprints = {a.entry.path: a.fingerprint for a in digest.articles}
    stories_by_article: dict[str, list[dict[str, Any]]] = {
        a.entry.path: [] for a in digest.articles
    }
    for link in digest.stories:
        stories_by_article.setdefault(link.article, []).append(
            {
                "path": link.other,
                "lang": lang_of.get(link.other, "und"),
                "score": round(link.score, 4),
                "evidence": list(link.evidence),
            }
        )
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": f"site_builder {__version__}",
        "site": {
            "title": config.title,
            "description": config.description,
            "base_url": config.base_url,
            "ui_language": config.ui_language,
            "author": config.author,
        },
        "articles": _LazyList(
            lambda: (
                _article_piece(
                    article,
                    article_urls,
                    topics_by_article[article.entry.path],
                    stories_by_article[article.entry.path],
                )
                for article in digest.articles
            ),
        ),
        "topics": _LazyList(
            lambda: (
                _topic_piece(topic, sentences_of, topic_urls, fingerprints)
                for topic in digest.topics
            ),
        ),
    }


def _article_piece(
    article: Article,
    article_urls: Mapping[str, str],
    topic_keys: list[str],
    same_story: list[dict[str, Any]],
) -> _Piece:
    key = ""
    if article.fingerprint:
        # The fingerprint stands for the article's source and analysis; the rest of
        # what _article_document reads is here as it is.
        key = value_digest(
            (
                "article",
                article.fingerprint,
                article.entry,
                article.slug,
                article_urls[article.entry.path],
                topic_keys,
                same_story,
            )
        )
    return _Piece(key, lambda: _article_document(article, article_urls, topic_keys, same_story))


def _topic_piece(
    topic: Topic,
    sentences_of: Mapping[str, Sequence[Sentence]],
    topic_urls: Mapping[str, str],
    fingerprints: Mapping[str, str],
) -> _Piece:
    members = tuple(fingerprints.get(member.article, "") for member in topic.members)
    key = ""
    if all(members):
        # Each member's fingerprint stands for the sentences the topic quotes from it.
        key = value_digest(("topic", topic, members, topic_urls[topic.key]))
    return _Piece(key, lambda: _topic_document(topic, sentences_of, topic_urls))


def _article_document(
    article: Article,
    article_urls: Mapping[str, str],
    topic_keys: list[str],
    same_story: list[dict[str, Any]],
) -> dict[str, Any]:
    entry, analysis, source = article.entry, article.analysis, article.source
    return {
        "path": entry.path,
        "slug": article.slug,
        "url": article_urls[entry.path],
        "title": analysis.title,
        "lang": analysis.language.lang,
        "script": analysis.language.script,
        "language_detection": {
            "method": analysis.language.method,
            "confidence": round(analysis.language.confidence, 4),
        },
        "source": entry.source,
        "author": entry.author,
        "date": analysis.date,
        "original_url": entry.url,
        "encoding": source.encoding,
        "summary": list(analysis.summary),
        "summary_source": analysis.summary_source,
        "keyphrases": [
            {"text": k.text, "norm": k.norm, "score": round(k.score, 4)}
            for k in analysis.keyphrases
        ],
        "topics": topic_keys,
        "same_story": same_story,
        "sentences": len(analysis.sentences),
        "length": analysis.word_count,
        "reading_minutes": analysis.reading_minutes,
        "boilerplate_removed": [
            {"reason": block.reason, "text": block.text} for block in source.removed
        ],
    }


def _topic_document(
    topic: Topic,
    sentences_of: Mapping[str, Sequence[Sentence]],
    topic_urls: Mapping[str, str],
) -> dict[str, Any]:
    languages = sorted({lang for lang, _forms in topic.names})
    return {
        "key": topic.key,
        "name": topic.name,
        "kind": topic.kind,
        "url": topic_urls[topic.key],
        "declared": topic.declared,
        "languages": languages,
        "names": {lang: list(forms) for lang, forms in topic.names},
        "articles": [
            {
                "path": member.article,
                "surfaces": list(member.surfaces),
                "reason": member.reason,
                "sentences": [sentences_of[member.article][i].text for i in member.sentences],
            }
            for member in topic.members
        ],
    }


def encode_digest(document: Mapping[str, Any]) -> bytes:
    """Stable bytes: fixed key order from the builders above, UTF-8, trailing newline.

    The text is `json.dumps(document, ensure_ascii=False, indent=2)`'s, made by
    `indented_json`: with an indent, json falls back to its pure-Python encoder, which
    took seconds on a site of 1,000 articles.
    """
    return b"".join(_encoded_chunks(document))


def _encoded_chunks(
    document: Mapping[str, Any], pieces: DigestPieces | None = None
) -> Iterator[bytes]:
    """encode_digest's bytes, one piece per item of a top-level _LazyList, so that the
    digest of a large site (400 MB at 10,000 articles) is never held whole. With
    `pieces`, an item with a key is taken from there when it has it, and every such
    item is recorded there with its place in these bytes."""
    out: list[str] = []
    offset = 0  # of the first byte not yet yielded

    def drained() -> bytes:
        data = "".join(out).encode("utf-8")
        out.clear()
        return data

    def item_bytes(item: object, at: int) -> bytes:
        key = item.key if isinstance(item, _Piece) else ""
        data = pieces.lookup(key) if pieces is not None and key else None
        if data is None:
            data = _indented_utf8(_made(item), "\n    ")
        if pieces is not None and key:
            pieces.record(key, at, data)
        return data

    if not document:
        yield b"{}\n"
        return
    separator = "{\n  "
    for key, value in document.items():
        out.extend((separator, _json_key(key), ": "))
        separator = ",\n  "
        if not isinstance(value, _LazyList):
            _write_json(value, "\n  ", out)
            continue
        written = False
        for item in value.items():
            out.append(",\n    " if written else "[\n    ")
            written = True
            head = drained()
            chunk = head + item_bytes(item, offset + len(head))
            offset += len(chunk)
            yield chunk
        out.append("\n  ]" if written else "[]")
    out.append("\n}\n")
    yield drained()


def indented_json(value: object) -> str:
    """Exactly `json.dumps(value, ensure_ascii=False, indent=2)`, several times faster.
    Raises TypeError for what json cannot encode (there is no `default`), and
    UnicodeEncodeError for a lone surrogate, which json writes but UTF-8 cannot."""
    return _indented_utf8(value, "\n").decode("utf-8")


def _indented_utf8(value: object, newline: str) -> bytes:
    """`value` as json.dumps(value, ensure_ascii=False, indent=2) writes it, in UTF-8,
    with `newline` ("\n" and the indent of the value's own line) for each line break.

    orjson writes it when it writes the same text (`_orjson_writes_as_json`): three
    times faster than _write_json on the topics' quotes, most of digest.json. Else, and
    for what orjson refuses (keys that are not strings, integers beyond 64 bits, lone
    surrogates), _write_json does: strings through json's C escaper, lists of strings
    joined in one call."""
    if _orjson_writes_as_json(value):
        try:
            data = orjson.dumps(value, option=orjson.OPT_INDENT_2)
        except orjson.JSONEncodeError:
            pass
        else:
            # A JSON text's line breaks are its layout: strings hold "\n" escaped.
            return data if newline == "\n" else data.replace(b"\n", newline.encode("utf-8"))
    out: list[str] = []
    _write_json(value, newline, out)
    return "".join(out).encode("utf-8")


def _orjson_writes_as_json(value: object) -> bool:
    """Whether orjson writes `value`, if at all, as json.dumps does. It writes a float
    below 1e-4 without an exponent (0.00001, where json has 1e-05) and NaN and the
    infinities as null; other floats alike (checked on a million of them) and every
    string alike. Only the exact JSON types pass: the two differ on subclasses (an
    IntEnum, an OrderedDict)."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is str or kind is int or kind is bool or item is None:
            continue
        if isinstance(item, float) and kind is float:
            if item != 0.0 and not 1e-4 <= abs(item) < 1e16:
                return False
        elif isinstance(item, dict) and kind is dict:
            stack.extend(item.values())
        elif isinstance(item, list | tuple) and kind in (list, tuple):
            stack.extend(item)
        else:
            return False
    return True


def _json_float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == math.inf:
        return "Infinity"
    if value == -math.inf:
        return "-Infinity"
    return float.__repr__(value)


def _json_key(key: object) -> str:
    """A dict key as json writes it: keys that are not strings become strings."""
    if isinstance(key, str):
        return encode_basestring(key)
    if isinstance(key, float):
        return encode_basestring(_json_float(key))
    if key is True:
        return '"true"'
    if key is False:
        return '"false"'
    if key is None:
        return '"null"'
    if isinstance(key, int):
        return encode_basestring(int.__repr__(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _write_json(value: object, newline: str, out: list[str]) -> None:
    """Append `value` to `out`; `newline` is "\\n" plus the indent of its own line."""
    # The order of the checks is json's own (a bool is an int, but is written as one).
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_json_float(value))
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        if all(type(item) is str for item in value):
            items = f",{inner}".join(map(encode_basestring, value))
            out.append(f"[{inner}{items}{newline}]")
            return
        separator = "[" + inner
        for item in value:
            out.append(separator)
            _write_json(item, inner, out)
            separator = "," + inner
        out.append(newline + "]")
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        for key, item in value.items():
            out.append(separator)
            out.append(_json_key(key))
            out.append(": ")
            _write_json(item, inner, out)
            separator = "," + inner
        out.append(newline + "}")
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def digest_json_chunks(
    digest: Digest,
    article_urls: Mapping[str, str],
    topic_urls: Mapping[str, str],
    pieces: DigestPieces | None = None,
) -> Iterator[bytes]:
    """The bytes of digest.json, a piece at a time (see SiteStaging.add_chunks); with
    `pieces`, unchanged articles and topics come from the previous build's file."""
    return _encoded_chunks(_lazy_document(digest, article_urls, topic_urls), pieces)
