"""Command line: `site-builder build | init | topics`.

Only calls into the pipeline. Exit codes: 0 success, 1 bad input (message names the file
and line, no traceback), 2 wrong usage (click's own).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import click

from . import __version__
from .errors import SiteBuilderError
from .model import Diagnostic


def _echo_diagnostics(diagnostics: tuple[Diagnostic, ...]) -> None:
    for diagnostic in diagnostics:
        click.echo(diagnostic.format(), err=True)


def _fail(error: SiteBuilderError) -> None:
    _echo_diagnostics(error.diagnostics)
    raise SystemExit(1)


# The folder holding INDEX.md; `build` and `topics` read it, `init` writes into it.
_content_dir_argument = click.argument(
    "content_dir",
    default="content",
    type=click.Path(file_okay=False, path_type=Path),
)


def _require_content_dir(content_dir: Path) -> None:
    if not content_dir.is_dir():
        _fail(
            SiteBuilderError(
                f"content folder {content_dir} does not exist; give the folder that holds "
                "INDEX.md (default: content)",
                str(content_dir),
            )
        )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="site-builder")
def main() -> None:
    """Build a multilingual digest site from a folder of articles and its INDEX.md.

    \b
    Quick start:
      site-builder init content     # write content/INDEX.md listing every article
      site-builder build            # content/ -> _site/
    """
    # e2k runs many tiny numpy products: BLAS threads only add contention (5x slower
    # under load, same results). Must be set before numpy is first imported.
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")


@main.command()
@_content_dir_argument
@click.option(
    "-o",
    "--output",
    "output_dir",
    default="_site",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the site into; it is replaced as a whole.",
)
@click.option("--strict", is_flag=True, help="Treat every warning as an error (for CI).")
@click.option(
    "--keep-going",
    is_flag=True,
    help="Report every bad article at once and build the valid ones (still exits 1).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace a non-empty output folder that site_builder did not create.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that analyse articles at once (default: one per CPU core).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Analyse every article again; do not use or write .site_builder_cache/ beside OUT.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", is_flag=True, help="Print each article and stage timings.")
def build(
    content_dir: Path,
    output_dir: Path,
    strict: bool,
    keep_going: bool,
    force: bool,
    jobs: int | None,
    no_cache: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Build the site from CONTENT_DIR (default: content) into _site/."""
    from .pipeline import BuildOptions, build_site  # heavy imports only when building

    _require_content_dir(content_dir)
    started = time.perf_counter()
    progress = (lambda path: click.echo(f"  analysing {path}", err=True)) if verbose else None
    options = BuildOptions(
        content_dir=content_dir,
        output_dir=output_dir,
        strict=strict,
        keep_going=keep_going,
        force=force,
        jobs=jobs,
        use_cache=not no_cache,
    )
    try:
        report = build_site(options, progress=progress)
    except SiteBuilderError as error:
        _fail(error)
        return
    if not quiet:
        _echo_diagnostics(report.diagnostics)
        elapsed = time.perf_counter() - started
        click.echo(
            f"Built {report.articles} articles and {report.topics} topics into "
            f"{output_dir}/ ({report.write.files} files: {report.write.written} written, "
            f"{report.write.unchanged} unchanged; {report.analysed} articles analysed, "
            f"{report.reused} from cache) in {elapsed:.1f} s",
            err=True,
        )
        if verbose:
            click.echo(
                "  " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in report.timings),
                err=True,
            )


@main.command()
@click.argument(
    "content_dir",
    default="content",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option("--force", is_flag=True, help="Overwrite an existing INDEX.md.")
@click.option("--title", default=None, help="Site title (default: the folder's name).")
def init(content_dir: Path, force: bool, title: str | None) -> None:
    """Write CONTENT_DIR/INDEX.md listing every article, with detected titles and languages."""
    from .pipeline import describe_sources

    index = content_dir / "INDEX.md"
    if index.exists() and not force:
        _fail(
            SiteBuilderError(
                f"{index} already exists; edit it, or use --force to write a new one",
                str(index),
            )
        )
    try:
        text, diagnostics = describe_sources(content_dir, title or content_dir.resolve().name)
    except SiteBuilderError as error:
        _fail(error)
        return
    _echo_diagnostics(diagnostics)
    index.write_text(text, encoding="utf-8", newline="\n")
    click.echo(f"Wrote {index}", err=True)


# --- topics ------------------------------------------------------------------------------

# A keyphrase this strong (scores run 0..1, the article's best is 1) or a name found in this
# many sentences is worth an editor's look when no other language links to it.

@main.command()
@_content_dir_argument
@click.option(
    "--suggest",
    is_flag=True,
    help="List salient terms that no other language links to, with a topics.yaml skeleton.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Plain text for reading, JSON for scripts.",
)
def topics(content_dir: Path, suggest: bool, output_format: str) -> None:
    """Print the topics of CONTENT_DIR (default: content): kind, names per language,
    articles and why each was linked. Reads only; writes nothing."""
    from .pipeline import load_digest
    from .topic_report import suggest_report, topics_report
    from .topics import read_topics_file

    _require_content_dir(content_dir)
    try:
        digest = load_digest(content_dir)
    except SiteBuilderError as error:
        _fail(error)
        return
    _echo_diagnostics(digest.diagnostics)
    if suggest:
        # topics.yaml was read and checked by load_digest already.
        data, text = suggest_report(digest, read_topics_file(content_dir))
    else:
        data, text = topics_report(digest)
    if output_format == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
    else:
        click.echo(text, nl=False)
