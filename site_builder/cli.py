"""Command line: `site-builder build | serve | init | topics`.

Only calls into the pipeline. Exit codes: 0 success, 1 bad input (message names the file
and line, no traceback), 2 wrong usage (click's own).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .errors import SiteBuilderError
from .model import Diagnostic


def _echo_diagnostics(diagnostics: tuple[Diagnostic, ...]) -> None:
    for diagnostic in diagnostics:
        click.echo(diagnostic.format(), err=True)


def system_error(error: OSError, output_dir: Path) -> SiteBuilderError:
    """What the CLI says when the system failed a build (disk full, an I/O error): the
    system's words and the file, when it names one. Nothing is said of the previous
    site: a write into the staging folder leaves it in place, but a failed cache write
    comes after the new site is published."""
    reason = error.strerror or str(error)
    where = str(error.filename) if error.filename is not None else None
    return SiteBuilderError(f"could not build the site into {output_dir}: {reason}", where)


def _fail(error: SiteBuilderError) -> None:
    _echo_diagnostics(error.diagnostics)
    raise SystemExit(1)


# The folder holding INDEX.md; `build` and `topics` read it, `init` writes into it.
F = TypeVar("F", bound=Callable[..., Any])

_content_dir_argument = click.argument(
    "content_dir",
    default="content",
    type=click.Path(file_okay=False, path_type=Path),
)


def _output_option(help_text: str) -> Callable[[F], F]:
    """-o/--output OUT (default _site), as build, serve and check take it."""
    return click.option(
        "-o",
        "--output",
        "output_dir",
        default="_site",
        show_default=True,
        type=click.Path(file_okay=False, path_type=Path),
        help=help_text,
    )


def _templates_option(help_text: str) -> Callable[[F], F]:
    """--templates DIR, a theme folder used instead of the built-in templates."""
    return click.option(
        "--templates",
        "templates_dir",
        default=None,
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help=help_text,
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
@_output_option("Folder to write the site into; it is replaced as a whole.")
@click.option("--strict", is_flag=True, help="Treat every warning as an error (for CI).")
@click.option(
    "--base-url",
    default=None,
    metavar="URL",
    help="Address the site is published at, e.g. https://example.org/digest/ "
    '(overrides base_url in INDEX.md; "" for none).',
)
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
@_templates_option("A theme folder to use instead of the default templates.")
@click.option(
    "--no-search",
    is_flag=True,
    help="Do not write the search index (pagefind/); the search box then stays hidden.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", is_flag=True, help="Print each article and stage timings.")
def build(
    content_dir: Path,
    output_dir: Path,
    strict: bool,
    base_url: str | None,
    keep_going: bool,
    force: bool,
    jobs: int | None,
    no_cache: bool,
    templates_dir: Path | None,
    no_search: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Build the site from CONTENT_DIR (default: content) into _site/."""
    from .manifest import normalise_base_url
    from .pipeline import BuildOptions, build_site  # heavy imports only when building

    _require_content_dir(content_dir)
    try:  # before the analysis, which takes a while
        base_url = normalise_base_url(base_url) if base_url is not None else None
    except SiteBuilderError as error:
        _fail(error)
        return
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
        search=not no_search,
        base_url=base_url,
        templates_dir=templates_dir,
    )
    try:
        report = build_site(options, progress=progress)
    except SiteBuilderError as error:
        _fail(error)
        return
    except OSError as error:
        _fail(system_error(error, output_dir))
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
            if report.peak_memory:
                stages = [name for name, _seconds in report.timings]
                peaks = zip(stages, report.peak_memory, strict=True)
                click.echo(
                    "  peak memory after " + ", ".join(f"{name} {mb} MB" for name, mb in peaks),
                    err=True,
                )
        elif elapsed > STAGE_SUMMARY_AFTER:
            click.echo(stage_summary(report.timings), err=True)


# A build slower than this (seconds) prints where the time went, without -v.
STAGE_SUMMARY_AFTER = 2.0


def stage_summary(timings: tuple[tuple[str, float], ...], share: float = 0.05) -> str:
    """One short line naming the stages that took at least `share` of the build, in order."""
    total = sum(seconds for _name, seconds in timings) or 1.0
    shown = [(name, seconds) for name, seconds in timings if seconds >= share * total]
    return "  time: " + ", ".join(
        f"{name} {seconds:.1f} s ({seconds / total:.0%})" for name, seconds in shown
    )


@main.command()
@_content_dir_argument
@_output_option("Folder to build the site into and serve; it is replaced on every build.")
@_templates_option("Theme folder to build with and watch (default: the built-in templates).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on; 0 picks a free one.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a web browser.")
@click.option(
    "--force",
    is_flag=True,
    help="Replace a non-empty output folder that site_builder did not create.",
)
def serve(
    content_dir: Path,
    output_dir: Path,
    templates_dir: Path | None,
    host: str,
    port: int,
    open_browser: bool,
    force: bool,
) -> None:
    """Build CONTENT_DIR (default: content), serve it, rebuild and reload on every edit."""
    import signal
    import threading
    import webbrowser

    from .pipeline import BuildOptions
    from .serve import PreviewServer

    def interrupt(_signal: int, _frame: object) -> None:
        raise KeyboardInterrupt

    # `kill` stops the server as cleanly as Ctrl-C does; Ctrl-C works even when the
    # server was started from a shell that ignores it (a background job).
    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGINT, interrupt)
    _require_content_dir(content_dir)
    options = BuildOptions(
        content_dir=content_dir,
        output_dir=output_dir,
        force=force,
        templates_dir=templates_dir,
    )
    server = PreviewServer(
        options, host=host, port=port, log=lambda line: click.echo(line, err=True)
    )
    try:
        server.start()
    except SiteBuilderError as error:
        _fail(error)
        return
    except KeyboardInterrupt:
        click.echo("Interrupted during the first build.", err=True)
        server.stop()
        raise SystemExit(130) from None
    click.echo(f"Serving {output_dir}/ at {server.url} (Ctrl-C to stop)", err=True)
    try:
        if open_browser:
            # In a thread: webbrowser waits for a console browser ($BROWSER) to exit.
            threading.Thread(target=webbrowser.open, args=(server.url,), daemon=True).start()
        threading.Event().wait()  # the server and the watcher run in their own threads
    except KeyboardInterrupt:
        click.echo("Stopping…", err=True)
    finally:
        server.stop()


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


# --- check -------------------------------------------------------------------------------


@main.command()
@_content_dir_argument
@_output_option("The built site whose links are checked.")
@click.option(
    "--base-url",
    default=None,
    help="The URL the site was built for (default: the one its home page names as "
    "canonical); links starting with it are checked as internal.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="file:line: messages, or a JSON list for CI annotations.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def check(
    content_dir: Path, output_dir: Path, base_url: str | None, output_format: str, strict: bool
) -> None:
    """Check INDEX.md, topics.yaml and every internal link and #anchor of the site built
    in OUT (default: _site). Writes nothing; exits 1 when there are errors."""
    from .check import check_built_site, check_content, finding_order, format_findings_json
    from .manifest import normalise_base_url

    _require_content_dir(content_dir)
    try:
        given = normalise_base_url(base_url) if base_url is not None else None
    except SiteBuilderError as error:
        _fail(error)
        return
    findings = check_content(content_dir) + check_built_site(output_dir, given or "")
    if output_format == "json":
        data = format_findings_json(findings)
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for finding in sorted(findings, key=finding_order):
            click.echo(finding.format())
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    click.echo(f"{errors} errors, {warnings} warnings", err=True)
    if errors or (strict and warnings):
        raise SystemExit(1)
