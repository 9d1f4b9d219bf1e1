"""Reports on the linked topics for `site-builder topics`: what was found, and what to add.

`topics_report` lists every topic with its names per language, member articles and why
each was linked. `suggest_report` lists, per article, salient terms that no other
language links to (a one-language topic, or none) and a topics.yaml skeleton to paste.
Both return the data (for --format json) and the text (for reading).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .model import Article, Digest, MentionKind, Topic, TopicAlias

# A keyphrase this strong (scores run 0..1, the article's best is 1) or a name found in this
# many sentences is worth an editor's look when no other language links to it.
_SUGGEST_KEYPHRASE_SCORE = 0.1
_SUGGEST_MENTION_SENTENCES = 2
_SUGGEST_PER_ARTICLE = 12


@dataclass(frozen=True, slots=True)
class _Suggestion:
    """A salient term of one article that no other language links to."""

    text: str
    kind: MentionKind
    topic: Topic | None  # its single-language topic, None when it is in no topic
    keyphrase_score: float | None
    sentences: int  # sentences of the article that mention it (0: only a keyphrase)


def _article_langs(digest: Digest) -> dict[str, str]:
    return {a.entry.path: a.analysis.language.lang for a in digest.articles}


def _topic_langs(topic: Topic, langs: Mapping[str, str]) -> list[str]:
    return sorted({langs[m.article] for m in topic.members if m.article in langs})


def _by_coverage(digest: Digest) -> list[Topic]:
    langs = _article_langs(digest)
    return sorted(
        digest.topics,
        key=lambda t: (-len(_topic_langs(t, langs)), -len(t.members), t.name.casefold(), t.key),
    )


def _topics_json(digest: Digest) -> dict[str, Any]:
    langs = _article_langs(digest)
    return {
        "articles": len(digest.articles),
        "topics": [
            {
                "key": topic.key,
                "name": topic.name,
                "kind": topic.kind,
                "declared": topic.declared,
                "languages": _topic_langs(topic, langs),
                "names": {lang: list(forms) for lang, forms in topic.names},
                "members": [
                    {
                        "article": member.article,
                        "lang": langs.get(member.article, ""),
                        "surfaces": list(member.surfaces),
                        "sentences": list(member.sentences),
                        "reason": member.reason,
                    }
                    for member in topic.members
                ],
            }
            for topic in _by_coverage(digest)
        ],
    }


def _topics_text(digest: Digest) -> str:
    langs = _article_langs(digest)
    lines = [f"{len(digest.topics)} topics in {len(digest.articles)} articles"]
    for topic in _by_coverage(digest):
        flags = ", declared" if topic.declared else ""
        lines.append("")
        lines.append(f"{topic.name}  ({topic.kind}{flags})  key: {topic.key}")
        for lang, forms in topic.names:
            lines.append(f"  {lang}: {', '.join(forms)}")
        for member in topic.members:
            count = len(member.sentences)
            lines.append(
                f"  - {member.article} [{langs.get(member.article, '?')}] "
                f"{count} sentence{'' if count == 1 else 's'}: {member.reason}"
                f" (forms: {', '.join(member.surfaces)})"
            )
    return "\n".join(lines) + "\n"


def _suggestions(
    digest: Digest, article: Article, suppressed: frozenset[str] = frozenset()
) -> list[_Suggestion]:
    """Salient terms of `article` that are not linked to another language, best first.

    `suppressed` holds casefolded names the editor suppressed in topics.yaml: not shown.
    """
    langs = _article_langs(digest)
    path = article.entry.path
    linked: set[str] = set()  # casefolded forms of multi-language topics
    single: dict[str, Topic] = {}  # casefolded surface → this article's one-language topic
    for topic in digest.topics:
        members = [m for m in topic.members if m.article == path]
        if len(_topic_langs(topic, langs)) > 1:
            linked.update(f.casefold() for _lang, forms in topic.names for f in forms)
            linked.update(s.casefold() for m in members for s in m.surfaces)
        else:
            for member in members:
                single.update((s.casefold(), topic) for s in member.surfaces)
    found: dict[str, _Suggestion] = {}

    def consider(text: str, kind: MentionKind, score: float | None, sentences: int) -> None:
        fold = text.casefold()
        if not text.strip() or fold in linked or fold in suppressed:
            return
        earlier = found.get(fold)
        if earlier is not None:
            score = max(score or 0.0, earlier.keyphrase_score or 0.0) or None
            sentences = max(sentences, earlier.sentences)
            kind = earlier.kind if earlier.kind != "other" else kind
            text = earlier.text
        found[fold] = _Suggestion(text, kind, single.get(fold), score, sentences)

    for keyphrase in article.analysis.keyphrases:
        if keyphrase.score >= _SUGGEST_KEYPHRASE_SCORE:
            consider(keyphrase.text, "other", keyphrase.score, 0)
    for mention in article.analysis.mentions:
        if len(mention.sentences) >= _SUGGEST_MENTION_SENTENCES:
            consider(mention.text, mention.kind, None, len(mention.sentences))
    ranked = sorted(
        found.values(),
        key=lambda s: (
            s.topic is None,
            -s.sentences,
            -(s.keyphrase_score or 0.0),
            s.text.casefold(),
            s.text,
        ),
    )
    return ranked[:_SUGGEST_PER_ARTICLE]


def _yaml_string(text: str) -> str:
    # A JSON string is a valid double-quoted YAML scalar, whatever the text holds.
    return json.dumps(text, ensure_ascii=False)


def _yaml_skeleton(digest: Digest, suggested: Mapping[str, Sequence[_Suggestion]]) -> str:
    """topics.yaml entries for the suggested terms, other languages left as comments."""
    langs = _article_langs(digest)
    site_langs = sorted(set(langs.values()))
    entries: dict[str, tuple[str, MentionKind, dict[str, set[str]]]] = {}
    declared: dict[str, str] = {}  # topic key → name, for topics already in topics.yaml
    for path, suggestions in suggested.items():
        lang = langs[path]
        for suggestion in suggestions:
            if suggestion.topic is not None:
                topic = suggestion.topic
                if topic.declared:
                    declared[topic.key] = topic.name
                    continue
                topic_forms = {s for m in topic.members for s in m.surfaces}
                entry = entries.setdefault(topic.key, (topic.name, topic.kind, {}))
                entry[2].setdefault(lang, set()).update(topic_forms)
            else:
                kind: MentionKind = suggestion.kind
                if suggestion.sentences == 0 and kind == "other":
                    kind = "theme"  # a keyphrase that is no name is most often a theme
                fold = suggestion.text.casefold()
                entry = entries.setdefault(f"~{fold}", (suggestion.text, kind, {}))
                entry[2].setdefault(lang, set()).add(suggestion.text)
    lines = [
        "# topics.yaml skeleton from `site-builder topics --suggest`: add each topic's forms in",
        "# the other languages (uncomment their lines), delete what is not a topic, and merge",
        "# the rest into content/topics.yaml.",
        "topics:",
    ]
    seen_forms: set[tuple[str, str]] = set()
    for _key, (name, kind, aliases) in sorted(
        entries.items(), key=lambda item: (item[1][0].casefold(), item[0])
    ):
        per_lang: list[tuple[str, list[str]]] = []
        for lang in sorted(aliases):
            # one alias may not belong to two topics of a language (topics.yaml rule)
            forms = [f for f in sorted(aliases[lang]) if (lang, f.casefold()) not in seen_forms]
            seen_forms.update((lang, f.casefold()) for f in forms)
            if forms:
                per_lang.append((lang, forms))
        if not per_lang:
            continue
        lines.append(f"  - name: {_yaml_string(name)}")
        lines.append(f"    kind: {kind}")
        lines.append("    aliases:")
        for lang, forms in per_lang:
            lines.append(f"      {lang}: [{', '.join(_yaml_string(f) for f in forms)}]")
        present = {lang for lang, _forms in per_lang}
        lines.extend(f"      # {lang}: []" for lang in site_langs if lang not in present)
    if len(lines) == 4:
        lines[-1] = "topics: []"
    for key in sorted(declared, key=lambda k: (declared[k].casefold(), k)):
        others = ", ".join(site_langs)
        lines.append(
            f"# {_yaml_string(declared[key])} is declared in topics.yaml already: add forms"
            f" for the other languages ({others}) there."
        )
    return "\n".join(lines) + "\n"


def _suggest_report(
    digest: Digest, suppressed: frozenset[str] = frozenset()
) -> tuple[dict[str, Any], str]:
    langs = _article_langs(digest)
    suggested = {a.entry.path: _suggestions(digest, a, suppressed) for a in digest.articles}
    skeleton = _yaml_skeleton(digest, suggested)
    data = {
        "articles": [
            {
                "article": article.entry.path,
                "lang": langs[article.entry.path],
                "title": article.analysis.title,
                "terms": [
                    {
                        "text": s.text,
                        "kind": s.kind,
                        "topic": s.topic.key if s.topic is not None else None,
                        "keyphrase_score": s.keyphrase_score,
                        "sentences": s.sentences,
                    }
                    for s in suggested[article.entry.path]
                ],
            }
            for article in digest.articles
        ],
        "yaml": skeleton,
    }
    lines = ["Salient terms that no other language links to (in a one-language topic, or in none):"]
    for article in digest.articles:
        path = article.entry.path
        lines.append("")
        lines.append(f"{path} [{langs[path]}] {article.analysis.title}")
        if not suggested[path]:
            lines.append("  (nothing: every salient term is linked)")
        for s in suggested[path]:
            where = f"topic {s.topic.key} (one language)" if s.topic else "in no topic"
            facts = [where]
            if s.keyphrase_score is not None:
                facts.append(f"keyphrase {s.keyphrase_score:.2f}")
            if s.sentences:
                facts.append(f"{s.sentences} sentence{'' if s.sentences == 1 else 's'}")
            lines.append(f"  {s.text}  ({s.kind}): {', '.join(facts)}")
    lines.append("")
    lines.append(skeleton.rstrip("\n"))
    return data, "\n".join(lines) + "\n"


def topics_report(digest: Digest) -> tuple[dict[str, Any], str]:
    """Every topic, most covered first: data and text."""
    return _topics_json(digest), _topics_text(digest)


def suppressed_forms(declared: Sequence[TopicAlias]) -> frozenset[str]:
    """Forms the editor suppressed in topics.yaml, case-folded: never suggested."""
    return frozenset(
        form.casefold()
        for alias in declared
        if alias.suppress
        for _lang, forms in alias.aliases
        for form in forms
    )


def suggest_report(
    digest: Digest, declared: Sequence[TopicAlias] = ()
) -> tuple[dict[str, Any], str]:
    """Salient terms no other language links to, per article, and a topics.yaml skeleton."""
    return _suggest_report(digest, suppressed_forms(declared))
