"""The build, left to right: manifest → sources → analysis → topics → site model → render → write.

The CLI and the preview server call only `load_digest` and `build_site` (and the server
`load_built_site` and `preview_article_pages`, for an edited article's page before the
whole rebuild); every behaviour lives in the stage module named after it. This module
adds only how the stages run: the per-article stage (sources + analysis) in worker
processes, and reuse of earlier results from the build cache (cache.py) so that a
rebuild redoes only what its inputs changed.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import stat
import sys
import time
from collections.abc import Callable, Collection, Generator, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TypeVar

from .cache import BuildCache, EntryMemory, cache_dir_for, folder_fingerprint, stage_key
from .errors import SiteBuilderError
from .model import (
    Article,
    ArticleAnalysis,
    ArticleEntry,
    Diagnostic,
    Digest,
    Manifest,
    ReusedFile,
    SiteConfig,
    SiteFile,
    SourceDocument,
    Topic,
    TopicAlias,
)
from .theme import default_templates_dir
from .write import (
    FileSignature,
    SiteStaging,
    WriteReport,
    check_output_dir,
    file_signature,
    replace_published_files,
)

# A page of the last build (see _PreviousPages).
_PageRecord = tuple[str, bytes, str, FileSignature | None, bool]

# The stages' modules are imported where they are used: a rebuild with nothing to do
# stops after reading the inputs, and need not load numpy, Jinja, segmenters ….
if TYPE_CHECKING:
    from .analysis.keyphrases import BackgroundFrequencies
    from .article_memos import ArticleMemos, LinkingMemo
    from .check import StagedFiles
    from .languages.resources import LanguageResources
    from .sitemodel import SiteContext

T = TypeVar("T")

# Workers start from a fresh forkserver process rather than by forking the build: a
# long-running caller (the preview server) may hold threads and loaded segmenters, which
# fork would copy in an unsafe state; "spawn" would re-import site_builder in every worker.
_START_METHOD = "forkserver"
# Tasks handed to a worker at once: large enough to amortise the round trip, small enough
# that both workers stay busy until the end.
_MAX_CHUNK = 8


@dataclass(frozen=True, slots=True)
class BuildOptions:
    content_dir: Path
    output_dir: Path
    strict: bool = False  # every warning becomes an error
    keep_going: bool = False  # build the valid articles, report every error at the end
    force: bool = False  # replace a non-empty output folder site_builder did not make
    templates_dir: Path | None = None
    jobs: int | None = None  # processes for the per-article stage; None = one per CPU
    use_cache: bool = True  # reuse results from the output's .site_builder_cache/
    search: bool = True  # write the Pagefind search index (pagefind[extended]) into pagefind/
    base_url: str | None = None  # replaces INDEX.md's base_url (`build --base-url`)


@dataclass(frozen=True, slots=True)
class BuildReport:
    articles: int
    topics: int
    write: WriteReport
    diagnostics: tuple[Diagnostic, ...]
    timings: tuple[tuple[str, float], ...] = field(default=())
    # peak resident memory of the build process (MB) when each stage ended, same order
    peak_memory: tuple[int, ...] = field(default=())
    analysed: int = 0  # articles read and analysed in this build
    reused: int = 0  # articles whose analysis came from the cache
    # What the pages were made from (for preview_article_pages); None when the build
    # stopped early because nothing had changed.
    built: BuiltSite | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class BuiltSite:
    """A built site's digest and the context its article pages were made with."""

    digest: Digest
    context: SiteContext


@dataclass
class _StageClock:
    """Wall time and peak memory per stage, for the build's timing line."""

    timings: list[tuple[str, float]] = field(default_factory=list)
    peak_memory: list[int] = field(default_factory=list)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings.append((name, time.perf_counter() - start))
            self.peak_memory.append(peak_memory_mb())


@contextmanager
def _long_lived_heap() -> Iterator[None]:
    """Leaves the objects alive when it is entered (the loaded articles) out of the
    cyclic garbage collector's full collections until it exits: they walked every one of
    them again and again, a fifth of a rebuild's topic linking. Whatever became garbage
    meanwhile is collected after, as before. Not around rendering: frozen there, the
    build's peak memory grew by a fifth (measured at 1,000 articles)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


# The cyclic collector's thresholds in an analysis worker (mypy's build uses the same).
# With CPython's (700, 10, 10), a young collection every 700 allocations found enough of an
# article's short-lived objects alive to promote them, and each worker ran a full
# collection about every 20 articles, walking its language resources every time: 1.4 s of
# GC per worker at 1,000 articles, 0.05 s with these. Not in the build's own process: there
# the cyclic garbage left for longer raised a cold 10,000-article build's peak memory from
# 1,447 to 1,589 MB.
_WORKER_GC_THRESHOLDS = (200_000, 30, 30)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic collection in the block: for work whose objects mostly survive it
    (loading cached analyses, linking), where each full collection walked everything made
    so far again (1.8 s of loading 10,000 cached articles, in 11 collections of up to
    0.39 s). Cyclic garbage made in the block waits for the collections after it. The
    collector's own state comes back on the way out."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def peak_memory_mb() -> int:
    """Peak resident memory of this process so far, in MB (0 where unknown)."""
    try:
        import resource
    except ImportError:  # not on Windows
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // (1024 * 1024) if sys.platform == "darwin" else peak // 1024


@dataclass
class AnalysisCounts:
    """What the per-article stage did; `keys` are the cache entries this build used."""

    analysed: int = 0
    reused: int = 0
    keys: list[str] = field(default_factory=list)


def default_jobs() -> int:
    return os.cpu_count() or 1


@dataclass(frozen=True, slots=True)
class _Inputs:
    """What a build reads before any analysis: INDEX.md, topics.yaml, article cache keys."""

    manifest: Manifest
    diagnostics: tuple[Diagnostic, ...]  # from reading the manifest (unlisted files …)
    declared: tuple[TopicAlias, ...]
    keys: tuple[str | None, ...]  # per manifest entry; None without a cache


def _read_inputs(
    content_dir: Path, cache: BuildCache | None, *, keep_going: bool = False
) -> _Inputs:
    manifest, diagnostics, declared = _read_declarations(content_dir, cache, keep_going=keep_going)
    keys = tuple(_cache_key(cache, content_dir, e, manifest.config) for e in manifest.entries)
    return _Inputs(manifest, tuple(diagnostics), tuple(declared), keys)


def _read_declarations(
    content_dir: Path, cache: BuildCache | None, *, keep_going: bool
) -> tuple[Manifest, tuple[Diagnostic, ...], tuple[TopicAlias, ...]]:
    """INDEX.md (read_manifest) and topics.yaml (read_topics_file), or both from the
    cache when they and everything read_manifest looks at in the content folder are as
    they were."""

    def read() -> tuple[Manifest, tuple[Diagnostic, ...], tuple[TopicAlias, ...]]:
        from .manifest import read_manifest
        from .topics import read_topics_file

        manifest, diagnostics = read_manifest(content_dir, keep_going=keep_going)
        return manifest, diagnostics, read_topics_file(content_dir)

    if cache is None:
        return read()
    try:
        listing = _content_listing(content_dir)
        index = (content_dir / "INDEX.md").read_bytes()
        topics_path = content_dir / "topics.yaml"
        topics = topics_path.read_bytes() if topics_path.exists() else None
    except OSError:
        listing = None
    if listing is None:  # the readers say what is wrong
        return read()
    # Messages name paths relative to the current folder.
    key = stage_key(
        cache.code, os.path.abspath(content_dir), os.getcwd(), keep_going, listing, index, topics
    )
    return cache.stage("manifest", key, read, tuple)


def _content_listing(content_dir: Path) -> tuple[tuple[str, int, int, int], ...] | None:
    """What the manifest check reads of the content folder besides INDEX.md: each
    entry's path, type and permissions, and inode (hard links are one article). Article
    contents are not in it: editing an article does not change the manifest. None when
    the folder holds a symbolic link, whose target may change unseen."""
    found: list[tuple[str, int, int, int]] = []
    for path, info in _walk(content_dir, folders=True):
        if stat.S_ISLNK(info.st_mode):
            return None
        found.append((path, info.st_mode, info.st_dev, info.st_ino))
    return tuple(sorted(found))


def _walk(folder: Path, *, folders: bool) -> Iterator[tuple[str, os.stat_result]]:
    """(path below `folder`, lstat) of every file under it, and folder if `folders`."""
    start = len(os.path.join(folder, ""))  # os.walk joins onto `folder`: cut it off
    for root, subfolders, names in os.walk(folder):
        for name in (*subfolders, *names) if folders else names:
            path = os.path.join(root, name)
            yield path[start:], os.lstat(path)


def load_digest(
    content_dir: Path,
    resources: LanguageResources | None = None,
    *,
    keep_going: bool = False,
    progress: Callable[[str], None] | None = None,
    clock: _StageClock | None = None,
    jobs: int = 1,
    cache: BuildCache | None = None,
    counts: AnalysisCounts | None = None,
    inputs: _Inputs | None = None,
) -> Digest:
    """Read and analyse the content folder; raise SiteBuilderError on bad input.

    With keep_going, articles that fail are left out and their errors are returned as
    error diagnostics in the digest instead of stopping the build at the first one.
    `jobs` > 1 analyses articles in that many worker processes; with a `cache`, articles
    and linking stages whose inputs are unchanged are loaded instead of recomputed.
    Language resources are loaded only when something has to be computed.
    """
    clock = clock or _StageClock()
    counts = counts if counts is not None else AnalysisCounts()
    from .languages.resources import LanguageResources
    from .sitemodel import assign_slugs
    from .stories import link_stories

    resources = resources or LanguageResources()
    if inputs is None:
        with clock.stage("manifest"):
            inputs = _read_inputs(content_dir, cache, keep_going=keep_going)
    manifest, declared = inputs.manifest, inputs.declared
    found: list[Diagnostic] = list(inputs.diagnostics)
    with clock.stage("sources+analysis"):
        if cache is not None:
            _remember_lexicon(resources, cache)
        analysed = _analyse_entries(
            content_dir,
            manifest.entries,
            inputs.keys,
            manifest.config,
            resources,
            jobs=jobs,
            cache=cache,
            keep_going=keep_going,
            progress=progress,
            counts=counts,
        )
    articles: list[Article] = []
    linking = _LinkingMemos(cache)
    for entry, outcome in zip(manifest.entries, analysed, strict=True):
        if outcome.source is None or outcome.analysis is None:
            found.extend(outcome.diagnostics)
            continue
        article = Article(
            entry=entry,
            source=outcome.source,
            analysis=outcome.analysis,
            slug="",
            fingerprint=outcome.fingerprint,
        )
        articles.append(article)
        if outcome.linking is not None:
            linking.memos().add(article, outcome.linking)
        if outcome.lexicon_answers:
            # From a worker: kept with the main lexicon's own (see _remember_lexicon).
            resources.lexicon().remember_answers(outcome.lexicon_answers)
        found.extend(_fallback_warning(entry, outcome.analysis, resources))
    slugs = assign_slugs(articles)
    articles = [replace(a, slug=slug) for a, slug in zip(articles, slugs, strict=True)]
    # Every linking stage below reads only the articles, the declared topics and the
    # resources: one key over them says whether a cached result still holds.
    memo = _StageMemo(cache, (counts.keys, manifest.entries, slugs, declared))
    # The collector is paused while linking runs: it keeps what it makes to the end, and
    # the full collections of a one-article rebuild at 10,000 articles walked it again and
    # again, 6 s of 25 s. What it leaves as garbage is collected after.
    with _long_lived_heap(), _collector_paused():
        with clock.stage("topics"):
            topics = memo(
                "topics",
                lambda: _link_topics(
                    articles, declared, resources, cache, linking.memos(), linking.kept()
                ),
            )
        with clock.stage("stories"):
            stories = memo(
                "stories",
                lambda: link_stories(articles, topics, linking.memos(), linking.kept()),
            )
    linking.save()
    memo.store()
    return Digest(
        manifest=manifest,
        articles=tuple(articles),
        topics=topics,
        diagnostics=tuple(found),
        stories=stories,
    )


def _fallback_warning(
    entry: ArticleEntry, analysis: ArticleAnalysis, resources: LanguageResources
) -> tuple[Diagnostic, ...]:
    """A warning for an article in a language no segmenter knows (split at spaces)."""
    lang = analysis.language.lang
    if not resources.is_fallback(lang):
        return ()
    message = (
        f"no word segmenter for language '{lang}': words are split at "
        "spaces and punctuation, so key phrases and topics may be rough"
    )
    return (Diagnostic("warning", message, entry.path, None),)


_KEPT = "linking results"  # the cache stage holding LinkingMemo's results
_LEXICON_ANSWERS = "lexicon answers"  # the cache stage holding Lexicon.answers


class _LinkingMemos:
    """The linking stages' per-article memos (ArticleMemos) and whole results
    (LinkingMemo), kept in the cache between builds: the same code gives the same
    results, so a rebuild recomputes them only for what changed. Loaded when a stage
    first needs them."""

    def __init__(self, cache: BuildCache | None) -> None:
        self._cache = cache
        self._memos: ArticleMemos | None = None
        self._kept: LinkingMemo | None = None

    def kept(self) -> LinkingMemo:
        if self._kept is None:
            from .article_memos import LinkingMemo

            cache = self._cache
            earlier = None if cache is None else cache.load_stage(_KEPT, cache.code, dict)
            self._kept = LinkingMemo(earlier)
        return self._kept

    def memos(self) -> ArticleMemos:
        if self._memos is None:
            from .article_memos import ArticleMemos

            cache = self._cache
            load = None if cache is None else lambda digest: cache.load_memo(self._key(digest))
            self._memos = ArticleMemos(load=load)
        return self._memos

    def _key(self, digest: str) -> str:
        assert self._cache is not None
        return stage_key(self._cache.code, digest)

    def save(self) -> None:
        """Store the memos that are new or grew; drop those of articles not built. Store
        the whole results of this run (LinkingMemo.for_next_build). The memos are let go
        first (they are most of the linking stages' memory), then the results pickled."""
        cache, memos, kept = self._cache, self._memos, self._kept
        self._memos = self._kept = None
        if cache is None:
            return
        if memos is not None and memos.used:
            for digest, memo in memos.changed().items():
                cache.store_memo(self._key(digest), memo)
            cache.collect_memos(self._key(digest) for digest in memos.digests())
        del memos
        if kept is not None:
            cache.store_stage(_KEPT, cache.code, kept.for_next_build())


def _remember_lexicon(resources: LanguageResources, cache: BuildCache) -> None:
    """Give the lexicon the katakana readings and CC-CEDICT answers of the last build
    (stored by _link_topics), before an article is analysed here: re-analysing a changed
    Chinese article asks CC-CEDICT mostly what it asked before."""
    answers = cache.load_stage(_LEXICON_ANSWERS, cache.code, dict)
    if answers:
        resources.lexicon().remember_answers(answers)


def _link_topics(
    articles: Sequence[Article],
    declared: Sequence[TopicAlias],
    resources: LanguageResources,
    cache: BuildCache | None,
    memos: ArticleMemos,
    kept: LinkingMemo,
) -> tuple[Topic, ...]:
    """link_topics, storing e2k's katakana for Latin words and CC-CEDICT's answers in the
    cache for the next build (see _remember_lexicon; the same code gives the same
    readings and answers: inferring readings was a third of linking, and loading
    CC-CEDICT took a second of a rebuild after one article changed)."""
    from .topics import link_topics

    # Every article's memo, loaded now in one go (a rebuild loads them from the cache), and
    # then left out of the collector's full collections, as the articles are (undone with
    # theirs when load_digest's _long_lived_heap ends). Measured with the collector paused
    # during linking: without this, a one-article rebuild at 10,000 articles peaked 30 MB
    # higher.
    for article in articles:
        memos.add(article)
    gc.freeze()
    if cache is None:
        return link_topics(articles, declared, resources, memos=memos, kept=kept)
    lexicon = resources.lexicon()
    topics = link_topics(articles, declared, resources, memos=memos, kept=kept)
    cache.store_stage(_LEXICON_ANSWERS, cache.code, lexicon.answers())
    return topics


def build_site(
    options: BuildOptions,
    resources: LanguageResources | None = None,
    *,
    progress: Callable[[str], None] | None = None,
    memory: EntryMemory | None = None,
) -> BuildReport:
    """Build the whole site from options.content_dir into options.output_dir.

    `memory` holds the cache entries this build reads and writes for the next build of
    the same process (the preview server passes the same one to every rebuild, with the
    same `resources`).

    With the cache, a build whose inputs (article bytes, INDEX.md, topics.yaml,
    templates, code, options) all equal those of the last successful build, into an
    output folder nobody has touched since, stops after reading the inputs; otherwise
    pages whose view model is unchanged are taken from the previous output, not rendered.
    """
    # Refuse a dangerous output folder before any work, and before the cache beside it
    # is written.
    check_output_dir(options.output_dir, options.content_dir, force=options.force)
    clock = _StageClock()
    counts = AnalysisCounts()
    cache = BuildCache(cache_dir_for(options.output_dir), memory) if options.use_cache else None
    templates_dir = options.templates_dir or default_templates_dir()
    with clock.stage("manifest"):
        inputs = _read_inputs(options.content_dir, cache, keep_going=options.keep_going)
    output_key = ""
    if cache is not None:
        output_key = _output_key(cache, inputs, templates_dir, options)
        unchanged = _unchanged_output(cache, output_key, options, inputs, clock)
        if unchanged is not None:
            return unchanged
    jobs = options.jobs if options.jobs is not None else default_jobs()
    digest = load_digest(
        options.content_dir,
        resources,
        keep_going=options.keep_going,
        progress=progress,
        clock=clock,
        jobs=jobs,
        cache=cache,
        counts=counts,
        inputs=inputs,
    )
    from .check import StagedFiles, with_content_warnings
    from .digest_json import DIGEST_PATH, digest_json_chunks
    from .feeds import with_base_url
    from .render import rendered_files
    from .search import StagedSearch
    from .sitemodel import build_site_model, directory_path

    digest = with_content_warnings(with_base_url(digest, options.base_url), options.content_dir)
    _refuse_warnings_if_strict(options, digest.diagnostics)
    search_diagnostics: list[Diagnostic] = []
    # Each file goes into the staging folder as soon as it is rendered, so that no stage
    # holds every page in memory; the previous site stays in place until `publish`. On
    # the way out, the search indexer and the link-check worker stop before a failed
    # build's staging folder, which they read, is removed.
    with SiteStaging(options.output_dir, options.content_dir, force=options.force) as staging:
        with (
            _LinkCheck(cache, digest.manifest.config.base_url, staging.folder, jobs) as links,
            ExitStack() as indexer,
        ):
            with clock.stage("site model+render"):
                model = build_site_model(digest)
                staging.make_folders_ahead(entry.path for entry in model.pages.entries)
                article_urls = {
                    path: directory_path(page) for path, page in model.article_pages.items()
                }
                topic_urls = {key: directory_path(page) for key, page in model.topic_pages.items()}
                pages = _PreviousPages(cache, options.output_dir, templates_dir) if cache else None
                pieces = _PreviousPieces(cache, options.output_dir / DIGEST_PATH) if cache else None
                search: StagedSearch | None = None
                if options.search:
                    # Pagefind starts once the article pages are staged (see StagedSearch).
                    # With a second core, the index is made in a process of its own.
                    search = indexer.enter_context(
                        StagedSearch(
                            staging.folder,
                            options.output_dir,
                            model.article_pages.values(),
                            context=_worker_context() if jobs > 1 else None,
                        )
                    )
                for file in rendered_files(model, templates_dir, pages=pages):
                    staging.add(file)
                    links.scan(file)
                    if search is not None:
                        search.staged(file)
                context = model.context
                assert context is not None
                del model
                try:
                    staging.add_chunks(
                        DIGEST_PATH, digest_json_chunks(digest, article_urls, topic_urls, pieces)
                    )
                finally:
                    if pieces is not None:
                        pieces.close()
            staged = StagedFiles(staging.folder, tuple(staging.paths), staging.digests)
            # The index started with the article pages (or now, see StagedSearch) runs on
            # while the links are checked.
            search_index = search.index(staged.paths) if search is not None else None
            with clock.stage("links"):
                digest = links.check(digest, staged, options.output_dir)
            _refuse_warnings_if_strict(options, digest.diagnostics)  # broken links: nothing written

            def index_search(folder: Path) -> None:
                # Installed in the staging folder, so the published site never lacks its index.
                assert search_index is not None
                search_diagnostics.extend(search_index.install(folder))

            with clock.stage("write"):
                report = staging.publish(finish=index_search if search_index is not None else None)
        # Still in the staging's block: the previous site is removed in the background
        # while the cache is saved, and leaving the block waits for that (see publish).
        if any(d.severity == "error" for d in digest.diagnostics):
            # keep_going: the valid articles are built, but the build still fails.
            raise SiteBuilderError(
                "some articles could not be built", diagnostics=digest.diagnostics
            )
        diagnostics = (*digest.diagnostics, *search_diagnostics)
        if cache is not None:
            # Only after success: a failed build keeps every entry and the last good record.
            cache.collect_garbage(counts.keys)
            if pages is not None:
                pages.save(staging.signatures)
            if pieces is not None:
                pieces.save()
            cache.store_stage(
                "output",
                output_key,
                (
                    _listing(options.output_dir),
                    len(digest.articles),
                    len(digest.topics),
                    diagnostics[len(inputs.diagnostics) :],
                    report.files,
                    report.bytes,
                ),
            )
            if memory is not None:
                memory.forget_unused()  # entries of articles gone, of replaced stages
    return BuildReport(
        articles=len(digest.articles),
        topics=len(digest.topics),
        write=report,
        diagnostics=diagnostics,
        timings=tuple(clock.timings),
        peak_memory=tuple(clock.peak_memory),
        analysed=counts.analysed,
        reused=counts.reused,
        built=BuiltSite(digest, context),
    )


def load_built_site(
    options: BuildOptions, resources: LanguageResources, memory: EntryMemory
) -> BuiltSite:
    """What the last build of `options` made its pages from, loaded from the build cache
    (analysing what the cache lacks), for a process that holds on to it between builds
    (the preview server, after a build that found nothing to do)."""
    from .feeds import with_base_url
    from .sitemodel import site_context

    cache = BuildCache(cache_dir_for(options.output_dir), memory)
    jobs = options.jobs if options.jobs is not None else default_jobs()
    digest = load_digest(options.content_dir, resources, jobs=jobs, cache=cache)
    digest = with_base_url(digest, options.base_url)
    return BuiltSite(digest, site_context(digest))


def preview_article_pages(
    options: BuildOptions,
    changed: Collection[str],
    built: BuiltSite,
    resources: LanguageResources,
    background: BackgroundFrequencies,
) -> tuple[str, ...] | None:
    """The pages of edited articles, written over the published site before the whole
    site is rebuilt, so that an editor sees an edit at once (the preview server).

    `changed` are the edited files' paths as the manifest names them; `built` is what
    the last build that succeeded made its pages from. Each article is read and analysed
    again and its page made as it would be in that build's site: the same topics,
    stories and neighbours, which the whole rebuild that follows brings up to date.
    Returns the output paths whose bytes changed, or None, writing nothing, when the
    pages cannot stand for the rebuild: a file that is not an article of that build, an
    article that no longer reads or analyses (the rebuild reports it), or one whose
    title or language changed (its page path, its language's page and its same-story
    group may then change).
    """
    from .analysis import analyse_article
    from .render import rendered_pages
    from .sitemodel import edited_article_pages
    from .sources import read_source

    by_path = {article.entry.path: article for article in built.digest.articles}
    if not changed or any(path not in by_path for path in changed):
        return None
    config = built.digest.manifest.config
    edited: list[Article] = []
    for path in sorted(set(changed)):
        article = by_path[path]
        try:
            source = read_source(options.content_dir, article.entry.path)
            analysis = analyse_article(
                article.entry, source, resources, config, background=background
            )
        except SiteBuilderError:
            return None
        if (analysis.title, analysis.language.lang) != (
            article.analysis.title,
            article.analysis.language.lang,
        ):
            return None
        edited.append(replace(article, source=source, analysis=analysis))
    model = edited_article_pages(built.context, built.digest.topics, edited)
    templates_dir = options.templates_dir or default_templates_dir()
    return replace_published_files(options.output_dir, rendered_pages(model, templates_dir))


def _refuse_warnings_if_strict(options: BuildOptions, diagnostics: Sequence[Diagnostic]) -> None:
    warnings = [d for d in diagnostics if d.severity == "warning"]
    if options.strict and warnings:
        raise SiteBuilderError(
            "warnings are errors in --strict mode",
            diagnostics=[replace(d, severity="error") for d in warnings],
        )


# --- reusing the previous build's output ------------------------------------------------

# BuildOptions fields that do not change what is written (folders are keyed by content:
# article keys, manifest, templates fingerprint).
_UNKEYED_OPTIONS = {
    "content_dir": Path(),
    "output_dir": Path(),
    "templates_dir": None,
    "jobs": None,
    "use_cache": True,
    "force": False,
    "keep_going": False,
}


def _output_key(
    cache: BuildCache, inputs: _Inputs, templates_dir: Path, options: BuildOptions
) -> str:
    """Everything the output folder is made from, as one key."""
    return stage_key(
        cache.code,
        inputs.keys,
        inputs.manifest,
        inputs.declared,
        folder_fingerprint(templates_dir),
        replace(options, **_UNKEYED_OPTIONS),  # type: ignore[arg-type]
    )


def _listing(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """(path, size, mtime in ns) of every file under `folder`, sorted."""
    return tuple(
        sorted(
            (path, info.st_size, info.st_mtime_ns) for path, info in _walk(folder, folders=False)
        )
    )


def _unchanged_output(
    cache: BuildCache,
    key: str,
    options: BuildOptions,
    inputs: _Inputs,
    clock: _StageClock,
) -> BuildReport | None:
    """The report of the last build if it had these inputs and its output is intact."""
    with clock.stage("check output"):
        record = cache.load_stage("output", key, tuple)
        if record is None or len(record) != 6:
            return None
        listing, articles, topics, diagnostics, files, size = record
        if not options.output_dir.is_dir() or _listing(options.output_dir) != listing:
            return None  # the output was changed or removed since: build it again
    every = (*inputs.diagnostics, *diagnostics)
    _refuse_warnings_if_strict(options, every)
    return BuildReport(
        articles=articles,
        topics=topics,
        write=WriteReport(
            options.output_dir,
            files=files,  # as the build that wrote them counted (search index aside)
            bytes=size,
            written=0,
            unchanged=files,
        ),
        diagnostics=every,
        timings=tuple(clock.timings),
        peak_memory=tuple(clock.peak_memory),
        analysed=0,
        reused=sum(1 for k in inputs.keys if k is not None),
    )


class _LinkCheck:
    """The build's link check, with each page's scan kept in the cache between builds
    (pages whose bytes the last build checked are not read again) and, with a second
    core, a worker that scans each page as it is staged (check.PageScanner)."""

    def __init__(self, cache: BuildCache | None, base_url: str, folder: Path, jobs: int) -> None:
        from .check import LinkScanMemo, PageScanner

        self._cache = cache
        self._key = stage_key(cache.code, base_url) if cache else ""
        self._memo = LinkScanMemo.from_saved(
            cache.load_stage("links", self._key, dict) if cache else None
        )
        self._scanner = (
            PageScanner(folder, base_url, self._memo, _worker_context()) if jobs > 1 else None
        )

    def scan(self, file: SiteFile) -> None:
        """A file just staged (scanned now by the worker, if there is one)."""
        if self._scanner is not None:
            self._scanner.add(file)

    def check(self, digest: Digest, staged: StagedFiles, output_dir: Path) -> Digest:
        """check.with_link_warnings of the staged site."""
        from .check import with_link_warnings

        if self._scanner is not None:
            self._scanner.finish()
        digest = with_link_warnings(digest, staged, output_dir=output_dir, memo=self._memo)
        if self._cache is not None:
            self._cache.store_stage("links", self._key, self._memo.to_save())
        return digest

    def __enter__(self) -> _LinkCheck:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._scanner is not None:
            self._scanner.close()


class _PreviousPages:
    """Pages of the previous build (render.RenderedPages): a page whose view model, templates
    and code are unchanged is taken from the output folder instead of rendered, if the
    file there still holds the bytes that build wrote: known by its signature (inode,
    size, modification time) when that is the one the file had when staged, else read
    and compared by SHA-256. The page is handed on as a ReusedFile, not read: staging
    links it, the link check and the search index know it by its digest.

    A file modified within a clock tick of being staged would keep its signature (coarse
    file-system clocks: 2 s on FAT), so the signature of a file whose time is that close
    to the save is not kept: the next build reads that file instead (as git does).
    """

    _RECENT_NS = 2_000_000_000

    def __init__(self, cache: BuildCache, output_dir: Path, templates_dir: Path) -> None:
        from .search import marks_content

        self._cache = cache
        self._output_dir = output_dir
        self._marks = marks_content
        self._salt = stage_key(cache.code, folder_fingerprint(templates_dir))
        found = cache.load_stage("pages", self._salt, dict)
        # path → (view model key, SHA-256 of the bytes, inputs key or "", signature of
        #         the file as staged or None, whether it marks content for search)
        self._previous: dict[str, _PageRecord] = found or {}
        self._current: dict[str, _PageRecord] = {}

    def lookup(self, path: str, key: str) -> ReusedFile | None:
        previous = self._previous.get(path)
        if not (isinstance(previous, tuple) and len(previous) == 5):
            return None  # none, or not the shape this code writes
        view_key, sha256, inputs_key, signature, marked = previous
        if not key or key not in (view_key, inputs_key):
            return None
        source = self._output_dir.joinpath(*path.split("/"))
        try:
            info = os.lstat(source)
            if not stat.S_ISREG(info.st_mode):
                return None
            current = file_signature(info)  # taken before any read: see write._place_reused
            if current != signature and hashlib.sha256(source.read_bytes()).digest() != sha256:
                return None
        except OSError:
            return None
        self._current[path] = (view_key, sha256, inputs_key, None, marked)
        return ReusedFile(path, source, sha256, info.st_size, marked, current)

    def record(self, path: str, key: str, data: bytes) -> None:
        self._current[path] = (key, hashlib.sha256(data).digest(), "", None, self._marks(data))

    def alias(self, path: str, key: str) -> None:
        view_key, sha256, _inputs_key, signature, marked = self._current[path]
        self._current[path] = (view_key, sha256, key, signature, marked)

    def save(self, signatures: Mapping[str, FileSignature]) -> None:
        """Store the pages for the next build, with `signatures` of the files as staged."""
        recent = time.time_ns() - self._RECENT_NS
        pages: dict[str, _PageRecord] = {}
        for path, (view_key, sha256, inputs_key, _none, marked) in self._current.items():
            signature = signatures.get(path)
            if signature is not None and signature[2] >= recent:
                signature = None
            pages[path] = (view_key, sha256, inputs_key, signature, marked)
        self._cache.store_stage("pages", self._salt, pages)


class _PreviousPieces:
    """Articles and topics of the previous build's digest.json (digest_json.DigestPieces):
    where each is in the file, by key; one is read back only if the bytes there are
    still those that build wrote (SHA-256), so a changed or replaced file costs only
    the encoding it would have saved."""

    def __init__(self, cache: BuildCache, previous: Path) -> None:
        self._cache = cache
        self._file = previous
        found = cache.load_stage("digest pieces", cache.code, dict)
        # key → (offset, length, SHA-256 of the bytes)
        self._previous: dict[str, tuple[int, int, str]] = found or {}
        self._current: dict[str, tuple[int, int, str]] = {}
        self._checked: dict[str, str] = {}  # key → SHA-256 of the bytes `lookup` gave
        self._stream: BinaryIO | None = None

    def lookup(self, key: str) -> bytes | None:
        span = self._previous.get(key)
        if not (isinstance(span, tuple) and len(span) == 3):
            return None  # none, or not the shape this code writes
        offset, length, digest = span
        try:
            if self._stream is None:
                self._stream = open(self._file, "rb")  # noqa: SIM115 - closed by close()
            self._stream.seek(offset)
            data = self._stream.read(length)
        except (OSError, ValueError, TypeError):
            return None
        if hashlib.sha256(data).hexdigest() != digest:
            return None
        self._checked[key] = digest
        return data

    def record(self, key: str, offset: int, data: bytes) -> None:
        digest = self._checked.pop(key, None) or hashlib.sha256(data).hexdigest()
        self._current[key] = (offset, len(data), digest)

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def save(self) -> None:
        self._cache.store_stage("digest pieces", self._cache.code, self._current)


# --- the per-article stage: cached, in worker processes --------------------------------


@dataclass(frozen=True, slots=True)
class _Task:
    entry: ArticleEntry
    key: str | None  # cache key of the bytes seen when planning; None without a cache


@dataclass(frozen=True, slots=True)
class _Outcome:
    """One article's result: its source and analysis, or the errors that stopped it."""

    source: SourceDocument | None
    analysis: ArticleAnalysis | None
    diagnostics: tuple[Diagnostic, ...] = ()
    linking: dict[object, object] | None = None  # topics.prepare_linking, when analysed
    # Article.fingerprint: the task's cache key when it is the key of this source and
    # analysis (loaded under it, or analysed from the bytes it was made from), else ""
    fingerprint: str = ""
    # Lexicon answers the analysis found (Lexicon.take_new_answers), for the next build
    lexicon_answers: dict[str, dict[str, object]] | None = None


@dataclass(frozen=True, slots=True)
class _Settings:
    """What every article of a build is analysed with (sent once to each worker)."""

    content_dir: Path
    config: SiteConfig
    cache: BuildCache | None


class _ArticleAnalyser:
    """Runs sources + analysis for one article at a time, with one set of resources."""

    def __init__(
        self,
        settings: _Settings,
        resources: LanguageResources,
        background: BackgroundFrequencies,
    ) -> None:
        self.settings = settings
        self.resources = resources
        self.background = background

    def __call__(self, task: _Task) -> _Outcome:
        from .analysis import analyse_article
        from .sources import read_source
        from .topics import prepare_linking

        settings = self.settings
        try:
            source = read_source(settings.content_dir, task.entry.path)
            analysis = analyse_article(
                task.entry, source, self.resources, settings.config, background=self.background
            )
        except SiteBuilderError as error:
            return _Outcome(None, None, error.diagnostics)
        fingerprint = ""
        if settings.cache is not None and task.key is not None and self._unchanged(task):
            settings.cache.store_article(task.key, source, analysis)
            fingerprint = task.key
        # What linking computes from this article alone, done here, in parallel.
        article = Article(entry=task.entry, source=source, analysis=analysis, slug="")
        return _Outcome(
            source,
            analysis,
            linking=prepare_linking(article, self.resources),
            lexicon_answers=self.resources.lexicon().take_new_answers(),
            fingerprint=fingerprint,
        )

    def _unchanged(self, task: _Task) -> bool:
        """Whether the file still has the bytes its key was made from: an edit during
        the build must not be stored under the old content's key."""
        cache = self.settings.cache
        assert cache is not None
        try:
            data = (self.settings.content_dir / task.entry.path).read_bytes()
        except OSError:
            return False
        return cache.article_key(data, task.entry, self.settings.config) == task.key


# The analyser of a worker process, set by the pool's initializer: a process pool can
# hand per-worker state to its tasks only through a module global. Never set in the
# process that runs the build.
_worker_analyser: _ArticleAnalyser | None = None


def _start_worker(settings: _Settings) -> None:
    global _worker_analyser
    from .analysis.keyphrases import BackgroundFrequencies
    from .languages.resources import LanguageResources

    gc.set_threshold(*_WORKER_GC_THRESHOLDS)  # a worker process lives for one build
    # One set of resources per worker; each segmenter is loaded on first use only.
    _worker_analyser = _ArticleAnalyser(settings, LanguageResources(), BackgroundFrequencies())


def _analyse_in_worker(task: _Task) -> _Outcome:
    assert _worker_analyser is not None, "the pool initializer did not run"
    return _worker_analyser(task)


def _analyse_entries(
    content_dir: Path,
    entries: Sequence[ArticleEntry],
    keys: Sequence[str | None],
    config: SiteConfig,
    resources: LanguageResources,
    *,
    jobs: int,
    cache: BuildCache | None,
    keep_going: bool,
    progress: Callable[[str], None] | None,
    counts: AnalysisCounts,
) -> list[_Outcome]:
    """Each entry's outcome, in manifest order: from the cache, else analysed."""
    outcomes: list[_Outcome | None] = [None] * len(entries)
    pending: list[tuple[int, _Task]] = []
    with _collector_paused():
        for index, (entry, key) in enumerate(zip(entries, keys, strict=True)):
            cached = cache.load_article(key) if cache is not None and key is not None else None
            if cached is not None:
                outcomes[index] = _Outcome(cached.source, cached.analysis, fingerprint=key or "")
                counts.reused += 1
            else:
                pending.append((index, _Task(entry, key)))
    settings = _Settings(content_dir, config, cache)
    tasks = [task for _, task in pending]
    results: Generator[_Outcome, None, None]
    if jobs > 1 and len(tasks) > 1:
        results = _run_in_pool(settings, tasks, min(jobs, len(tasks)))
    else:
        from .analysis.keyphrases import BackgroundFrequencies

        analyser = _ArticleAnalyser(settings, resources, BackgroundFrequencies())
        results = (analyser(task) for task in tasks)
    try:
        for (index, task), outcome in zip(pending, results, strict=True):
            if progress:
                progress(task.entry.path)
            counts.analysed += 1
            if outcome.diagnostics and not keep_going:
                raise SiteBuilderError("article failed", diagnostics=outcome.diagnostics)
            outcomes[index] = outcome
    finally:
        results.close()  # stops the workers now, not when the traceback is freed
    counts.keys.extend(
        key
        for key, outcome in zip(keys, outcomes, strict=True)
        if key is not None and outcome is not None and outcome.analysis is not None
    )
    return [outcome for outcome in outcomes if outcome is not None]


def _cache_key(
    cache: BuildCache | None, content_dir: Path, entry: ArticleEntry, config: SiteConfig
) -> str | None:
    """The entry's cache key, from its bytes read now (then dropped: memory stays flat)."""
    if cache is None:
        return None
    try:
        data = (content_dir / entry.path).read_bytes()
    except OSError:
        return None  # read_source reports the problem with the file's name
    return cache.article_key(data, entry, config)


def _worker_context() -> multiprocessing.context.BaseContext:
    context = multiprocessing.get_context(_START_METHOD)
    if isinstance(context, multiprocessing.context.ForkServerContext):
        # Imported once by the fork server, so each worker starts with the code loaded.
        context.set_forkserver_preload([__name__])
    return context


def _run_in_pool(
    settings: _Settings, tasks: Sequence[_Task], workers: int
) -> Generator[_Outcome, None, None]:
    """Outcomes of `tasks` in their order, analysed by `workers` processes."""
    context = _worker_context()
    chunk = max(1, min(_MAX_CHUNK, len(tasks) // (workers * 4)))
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(settings,),
    ) as pool:
        results = pool.map(_analyse_in_worker, tasks, chunksize=chunk)
        task_iter = iter(tasks)
        try:
            for outcome in results:
                next(task_iter)
                yield outcome
        except Exception as error:
            failed = next(task_iter, None)
            if failed is not None:
                error.add_note(f"while analysing {failed.entry.path}")
            raise
        finally:
            # Stopping early (an error without --keep-going): drop the queued articles.
            pool.shutdown(wait=True, cancel_futures=True)


class _StageMemo:
    """Runs a whole-build stage, or loads its result when the cache has one for the
    same inputs. Without a cache it just runs the stage. Results computed are stored by
    `store`, once what computing them needed is freed: pickling the topics beside the
    linking memos was the peak memory of a 10,000-article build."""

    def __init__(self, cache: BuildCache | None, inputs: object) -> None:
        self.cache = cache
        self.key = stage_key(cache.code, inputs) if cache is not None else ""
        self._computed: list[tuple[str, object]] = []

    def __call__(self, name: str, compute: Callable[[], tuple[T, ...]]) -> tuple[T, ...]:
        if self.cache is None:
            return compute()
        found = self.cache.load_stage(name, self.key, tuple)
        if found is not None:
            return found
        result = compute()
        self._computed.append((name, result))
        return result

    def store(self) -> None:
        if self.cache is not None:
            for name, result in self._computed:
                self.cache.store_stage(name, self.key, result)
        self._computed = []


def describe_sources(content_dir: Path, site_title: str) -> tuple[str, tuple[Diagnostic, ...]]:
    """INDEX.md text listing every source file with its detected title and language.

    Files that cannot be read are left out with a warning, so the written INDEX.md builds.
    """
    from .analysis import analyse_article
    from .analysis.keyphrases import BackgroundFrequencies
    from .languages.resources import LanguageResources
    from .manifest import InitItem, find_source_files, render_index_markdown
    from .sources import read_source

    resources = LanguageResources()
    background = BackgroundFrequencies()
    config = SiteConfig(title=site_title)
    items: list[InitItem] = []
    skipped: list[Diagnostic] = []
    for path in find_source_files(content_dir):
        try:
            source = read_source(content_dir, path)
            entry = ArticleEntry(path=path, line=0)
            analysis = analyse_article(entry, source, resources, config, background=background)
        except SiteBuilderError as error:
            skipped.extend(replace(d, severity="warning") for d in error.diagnostics)
            continue
        items.append(InitItem(path=path, title=analysis.title, lang=analysis.language.lang))
    if not items:
        message = f"no readable .txt or .md articles in {content_dir}; add some and run init again"
        raise SiteBuilderError(
            message, diagnostics=[*skipped, Diagnostic("error", message, str(content_dir))]
        )
    return render_index_markdown(site_title, items), tuple(skipped)
