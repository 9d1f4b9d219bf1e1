"""digest.json: the machine-readable digest at the site root.

Other tools and our own evaluations read the site through this file, so its schema is
versioned (SCHEMA_VERSION) and documented in README.md. Bump the version on any change
that removes or renames a field; adding a field keeps it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from . import __version__
from .model import Article, Digest, OutputFile, Topic

SCHEMA_VERSION = 1
DIGEST_PATH = "digest.json"


def digest_document(
    digest: Digest, article_urls: Mapping[str, str], topic_urls: Mapping[str, str]
) -> dict[str, Any]:
    """The digest as plain JSON data. URLs are paths relative to the site root."""
    config = digest.manifest.config
    topics_by_article: dict[str, list[str]] = {a.entry.path: [] for a in digest.articles}
    for topic in digest.topics:
        for member in topic.members:
            topics_by_article.setdefault(member.article, []).append(topic.key)
    lang_of = {a.entry.path: a.analysis.language.lang for a in digest.articles}
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
        "articles": [
            _article_document(
                article,
                article_urls,
                topics_by_article[article.entry.path],
                stories_by_article[article.entry.path],
            )
            for article in digest.articles
        ],
        "topics": [_topic_document(topic, digest, topic_urls) for topic in digest.topics],
    }


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


def _topic_document(topic: Topic, digest: Digest, topic_urls: Mapping[str, str]) -> dict[str, Any]:
    sentences_of = {a.entry.path: a.analysis.sentences for a in digest.articles}
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
    """Stable bytes: fixed key order from the builders above, UTF-8, trailing newline."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render_digest_json(
    digest: Digest, article_urls: Mapping[str, str], topic_urls: Mapping[str, str]
) -> OutputFile:
    return OutputFile(DIGEST_PATH, encode_digest(digest_document(digest, article_urls, topic_urls)))
