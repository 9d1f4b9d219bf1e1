"""Parallel analysis: worker processes give byte-identical output and report errors with
the names of the files, like an in-process build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from site_builder.cli import main
from site_builder.errors import SiteBuilderError
from site_builder.pipeline import AnalysisCounts, load_digest

from .conftest import REPO, SAMPLE_CONTENT
from .factories import file_tree


def test_two_jobs_output_is_byte_identical_to_one(tmp_path: Path) -> None:
    trees = []
    for jobs in ("1", "2"):
        out = tmp_path / f"j{jobs}" / "_site"
        result = CliRunner().invoke(
            main, ["build", str(SAMPLE_CONTENT), "-o", str(out), "-j", jobs, "--no-cache"]
        )
        assert result.exit_code == 0, result.output
        assert "5 articles analysed, 0 from cache" in result.output
        trees.append(file_tree(out))
    assert trees[0] == trees[1]


PORTUGUESE = (
    "O mercado de semicondutores cresceu muito neste ano, segundo os analistas do setor.\n\n"
    "As empresas de tecnologia anunciaram novos investimentos em centros de dados.\n"
)


@pytest.fixture
def broken_content(tmp_path: Path) -> Path:
    """Two good Portuguese articles and two that cannot be read (empty, not text)."""
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "articles" / "a.txt").write_text(PORTUGUESE, "utf-8")
    (content / "articles" / "b.txt").write_bytes(b"")
    (content / "articles" / "c.txt").write_text(PORTUGUESE.replace("ano", "mês"), "utf-8")
    (content / "articles" / "d.txt").write_bytes(bytes(range(256)) * 8)
    entries = "".join(f"- [{name}](articles/{name}.txt)\n  - lang: pt\n" for name in "abcd")
    (content / "INDEX.md").write_text(f"---\ntitle: Broken\n---\n\n{entries}", "utf-8")
    return content


def test_worker_errors_name_their_files(broken_content: Path) -> None:
    counts = AnalysisCounts()
    digest = load_digest(broken_content, jobs=2, keep_going=True, counts=counts)
    assert [a.entry.path for a in digest.articles] == ["articles/a.txt", "articles/c.txt"]
    errors = [d for d in digest.diagnostics if d.severity == "error"]
    assert [d.path for d in errors] == ["articles/b.txt", "articles/d.txt"]
    assert counts.analysed == 4


def test_worker_error_stops_the_build_without_keep_going(broken_content: Path) -> None:
    with pytest.raises(SiteBuilderError) as caught:
        load_digest(broken_content, jobs=2)
    assert caught.value.path == "articles/b.txt"


def test_cli_reports_worker_errors_without_traceback(broken_content: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["build", str(broken_content), "-o", str(tmp_path / "out"), "-j", "2", "--keep-going"]
    )
    assert result.exit_code == 1
    assert "articles/b.txt" in result.output and "articles/d.txt" in result.output
    assert "Traceback" not in result.output


def test_two_jobs_find_the_same_broken_links_as_one(tmp_path: Path) -> None:
    # With two jobs a worker scans the pages for the link check while they are rendered
    # (check.PageScanner: the sample's cold build has enough pages to start it); the
    # warnings must be those of a build that scans them itself.
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "templates", theme)
    base = theme / "base.html"
    broken = '<a href="archive/">archive</a> <a href="#nowhere">up</a>\n</main>'
    base.write_text(base.read_text("utf-8").replace("</main>", broken, 1), "utf-8")
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"j{jobs}" / "_site"
        command = [
            "build",
            str(SAMPLE_CONTENT),
            "-o",
            str(out),
            "-j",
            jobs,
            "--templates",
            str(theme),
        ]
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 0, result.output
        warnings = sorted(
            line.replace(str(out), "_site")
            for line in result.output.splitlines()
            if "warning" in line
        )
        outputs.append((warnings, file_tree(out)))
    warnings = outputs[0][0]
    assert sum("archive/index.html does not exist" in line for line in warnings) > 32
    assert sum("'nowhere'" in line for line in warnings) > 32
    assert outputs[0] == outputs[1]
