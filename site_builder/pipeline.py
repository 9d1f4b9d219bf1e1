"""The build, left to right: manifest → sources → analysis → topics → site model → render → write.

The CLI and the preview server call only `load_digest` and `build_site`; every behaviour
lives in the stage module named after it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from .analysis import analyse_article
from .analysis.keyphrases import BackgroundFrequencies
from .digest_json import render_digest_json
from .errors import SiteBuilderError
from .languages.resources import LanguageResources
from .manifest import InitItem, find_source_files, read_manifest, render_index_markdown
from .model import Article, ArticleEntry, Diagnostic, Digest, SiteConfig
from .render import render_site
from .sitemodel import assign_slugs, build_site_model, directory_path
from .sources import read_source
from .topics import link_topics, read_topics_file
from .write import WriteReport, write_site


@dataclass(frozen=True)
class BuildOptions:
    content_dir: Path
    output_dir: Path
    strict: bool = False  # every warning becomes an error
    keep_going: bool = False  # build the valid articles, report every error at the end
    force: bool = False  # replace a non-empty output folder site_builder did not make
    templates_dir: Path | None = None


@dataclass(frozen=True)
class BuildReport:
    articles: int
    topics: int
    write: WriteReport
    diagnostics: tuple[Diagnostic, ...]
    timings: tuple[tuple[str, float], ...] = field(default=())


@dataclass
class _StageClock:
    """Wall time per stage, for the build's timing line."""

    timings: list[tuple[str, float]] = field(default_factory=list)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings.append((name, time.perf_counter() - start))


def load_digest(
    content_dir: Path,
    resources: LanguageResources | None = None,
    *,
    keep_going: bool = False,
    progress: Callable[[str], None] | None = None,
    clock: _StageClock | None = None,
) -> Digest:
    """Read and analyse the content folder; raise SiteBuilderError on bad input.

    With keep_going, articles that fail are left out and their errors are returned as
    error diagnostics in the digest instead of stopping the build at the first one.
    """
    clock = clock or _StageClock()
    resources = resources or LanguageResources()
    background = BackgroundFrequencies()  # wordfreq lists, loaded once per build
    with clock.stage("manifest"):
        manifest, diagnostics = read_manifest(content_dir)
        declared = read_topics_file(content_dir)
    found: list[Diagnostic] = list(diagnostics)
    articles: list[Article] = []
    with clock.stage("sources+analysis"):
        for entry in manifest.entries:
            if progress:
                progress(entry.path)
            try:
                source = read_source(content_dir, entry.path)
                analysis = analyse_article(
                    entry, source, resources, manifest.config, background=background
                )
            except SiteBuilderError as error:
                if not keep_going:
                    raise
                found.extend(error.diagnostics)
                continue
            articles.append(Article(entry=entry, source=source, analysis=analysis, slug=""))
    slugs = assign_slugs(articles)
    articles = [replace(a, slug=slug) for a, slug in zip(articles, slugs, strict=True)]
    with clock.stage("topics"):
        topics = link_topics(articles, declared, resources)
    return Digest(
        manifest=manifest,
        articles=tuple(articles),
        topics=topics,
        diagnostics=tuple(found),
    )


def build_site(
    options: BuildOptions,
    resources: LanguageResources | None = None,
    *,
    progress: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build the whole site from options.content_dir into options.output_dir."""
    clock = _StageClock()
    digest = load_digest(
        options.content_dir,
        resources,
        keep_going=options.keep_going,
        progress=progress,
        clock=clock,
    )
    warnings = [d for d in digest.diagnostics if d.severity == "warning"]
    if options.strict and warnings:
        raise SiteBuilderError(
            "warnings are errors in --strict mode",
            diagnostics=[replace(d, severity="error") for d in warnings],
        )
    with clock.stage("site model+render"):
        model = build_site_model(digest)
        article_urls = {path: directory_path(page) for path, page in model.article_pages.items()}
        topic_urls = {key: directory_path(page) for key, page in model.topic_pages.items()}
        files = [
            *render_site(model, options.templates_dir),
            render_digest_json(digest, article_urls, topic_urls),
        ]
    with clock.stage("write"):
        report = write_site(files, options.output_dir, options.content_dir, force=options.force)
    if any(d.severity == "error" for d in digest.diagnostics):
        # keep_going: the valid articles are built, but the build still fails.
        raise SiteBuilderError("some articles could not be built", diagnostics=digest.diagnostics)
    return BuildReport(
        articles=len(digest.articles),
        topics=len(digest.topics),
        write=report,
        diagnostics=digest.diagnostics,
        timings=tuple(clock.timings),
    )


def describe_sources(content_dir: Path, site_title: str) -> tuple[str, tuple[Diagnostic, ...]]:
    """INDEX.md text listing every source file with its detected title and language.

    Files that cannot be read are left out with a warning, so the written INDEX.md builds.
    """
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
