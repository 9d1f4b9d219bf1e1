"""Every page of the sample site, of a paginated site, and the pages in each interface
language pass the Nu HTML Checker (vnu.jar from the npm package vnu-jar, run on the
machine's Java) with no errors. `.ci/run` installs vnu-jar into .ci/node_modules; set
SITE_BUILDER_VNU to use another vnu.jar."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .browser import require_or_skip
from .theme_sites import html_pages, paginated_site, sample_site, ui_language_sites, vnu_jar

ERROR_TYPES = frozenset({"error", "non-document-error"})


def _vnu_errors(*folders: Path) -> list[str]:
    jar = vnu_jar()
    java = shutil.which("java")
    require_or_skip("vnu.jar (npm install --prefix .ci vnu-jar)", jar is not None)
    require_or_skip("java", java is not None)
    assert jar is not None and java is not None
    # vnu walks each folder for .html files and writes its JSON report to stderr.
    run = subprocess.run(
        [java, "-Xss8m", "-jar", str(jar), "--format", "json", "--skip-non-html"]
        + [str(folder) for folder in folders],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        check=False,
    )
    report = json.loads(run.stderr)
    return [
        f"{m.get('url', '')}:{m.get('lastLine', '?')}: {m.get('message', '')}"
        for m in report["messages"]
        if m.get("type") in ERROR_TYPES
    ]


def test_sample_site_and_ui_languages_are_valid_html(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    site = sample_site(tmp_path_factory)
    languages = ui_language_sites(tmp_path_factory)
    paginated = paginated_site(tmp_path_factory)
    assert len(html_pages(site)) >= 50
    assert "topics/nvidia/page/3/index.html" in html_pages(paginated)
    assert _vnu_errors(site, paginated, *languages.values()) == []


def test_the_checker_finds_errors(tmp_path: Path) -> None:
    """The check can fail: a page with a duplicate id and a stray end tag is reported."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>x</title></head>'
        '<body><p id="a">one</p><p id="a">two</p></div></body></html>\n',
        encoding="utf-8",
    )
    errors = _vnu_errors(tmp_path)
    assert len(errors) >= 2, errors
