"""Memos of the linking stages (topics, stories), kept between builds by the pipeline:
results of pure per-article computations (ArticleMemos), so that a rebuild recomputes
them for the articles that changed only, and whole results by a key naming all they are
computed from (LinkingMemo)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import TypeVar

from .model import Article

_Kept = TypeVar("_Kept")


class ArticleMemos:
    """Results of pure per-article computations of linking (where a form occurs in an
    article, whether a word is generic there, its folded text, its figures …), kept by a
    digest of what they are computed from, so that a rebuild recomputes them for changed
    articles only.

    Every value depends only on its memo key and the article's path, language, sentences
    and title line, which the digest covers. `load(digest)` gives the memo an earlier run
    of the same code stored for a digest (see `changed`); anything but a dict is ignored.
    """

    def __init__(self, load: Callable[[str], object] | None = None) -> None:
        self._load = load
        self._digests: dict[str, str] = {}
        self._used: dict[str, dict[object, object]] = {}
        self._sizes: dict[str, int] = {}  # entries of each memo when taken
        # One copy of each key and of each string in keys: every article's memo is held
        # at once, and the forms looked for in them are the same few thousand (a tuple
        # key per article and form was a sixth of a 10,000-article build's peak memory).
        self._strings: dict[str, str] = {}
        self._keys: dict[tuple[object, ...], tuple[object, ...]] = {}

    @property
    def used(self) -> bool:
        return bool(self._used)

    @staticmethod
    def digest(article: Article) -> str:
        text = "\x00".join(
            (
                article.entry.path,
                article.entry.lang or "",
                article.analysis.language.lang,
                article.source.title_line or "",
                *(sentence.text for sentence in article.analysis.sentences),
            )
        )
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def add(self, article: Article, prepared: dict[object, object] | None = None) -> None:
        """Take the article's stored memo, else `prepared` (a memo filled for this article
        alone, see topics.prepare_linking), if any (call before `of`)."""
        path = article.entry.path
        if path not in self._digests:
            digest = self._digests[path] = self.digest(article)
            found = self._load(digest) if self._load is not None else None
            if isinstance(found, dict):
                self._used[path] = self._shared_keys(found)
                self._sizes[path] = len(found)
            else:
                self._used[path] = self._shared_keys(prepared or {})

    def key(self, *parts: object) -> tuple[object, ...]:
        """The one shared tuple key of these parts, for a memo entry of many articles."""
        found = self._keys.get(parts)
        if found is None:
            found = self._keys[parts] = parts
        return found

    def _shared_keys(self, memo: dict[object, object]) -> dict[object, object]:
        # Inline rather than a helper per string: a rebuild runs this over every key of
        # every article's memo.
        share = self._strings.setdefault
        share_key = self._keys.setdefault
        shared: dict[object, object] = {}
        for key, value in memo.items():
            if isinstance(key, tuple):
                key = tuple([share(part, part) if isinstance(part, str) else part for part in key])
                key = share_key(key, key)
            elif isinstance(key, str):
                key = share(key, key)
            shared[key] = value
        return shared

    def of(self, path: str) -> dict[object, object]:
        """The memo of one added article (a dict to read and fill)."""
        return self._used[path]

    def digest_of(self, path: str) -> str:
        """The digest of one added article."""
        return self._digests[path]

    def digests(self) -> list[str]:
        """The digests of this run's articles."""
        return sorted(self._digests.values())

    def changed(self) -> dict[str, dict[object, object]]:
        """The memos, by digest, that are new or have grown since they were taken (memo
        entries are only ever added)."""
        return {
            self._digests[path]: memo
            for path, memo in self._used.items()
            if len(memo) != self._sizes.get(path)
        }


class LinkingMemo:
    """Whole results of the linking stages kept between builds, each under a key naming
    all it is computed from (the cache adds the code): automatic topics by
    topics._Linker.topic_digest, the shared terms of the Han-writing articles by their
    digests, and answers of word lists by the word. A rebuild after one article changed
    finds most of them as they were.

    A key starts with its kind and a space ("topic …"); `for_next_build` keeps this run's
    results, and those of kinds this run did not ask for (a stage it took whole from the
    cache), so that what is kept does not grow from build to build.
    """

    def __init__(self, earlier: Mapping[object, object] | None = None) -> None:
        self._earlier = earlier or {}
        self.current: dict[str, object] = {}

    def result(
        self, key: str, make: Callable[[], _Kept], usable: Callable[[object], bool]
    ) -> _Kept:
        """The result kept under `key` when `usable` accepts it, else `make()`."""
        found = self._earlier.get(key)
        value: _Kept = found if usable(found) else make()  # type: ignore[assignment]
        self.current[key] = value
        return value

    def for_next_build(self) -> dict[str, object]:
        asked = {key.split(" ", 1)[0] for key in self.current}
        carried = {
            key: value
            for key, value in self._earlier.items()
            if isinstance(key, str) and key.split(" ", 1)[0] not in asked
        }
        return dict(sorted({**carried, **self.current}.items()))
