"""Sites for the theme's browser and validator tests, built once per test session.

`sample_site` is a real build of content/ (the same as `site-builder build content`);
`ui_language_sites` renders the small hand-made digest of tests/test_sitemodel.py once per
interface language, which takes milliseconds; `paginated_site` renders a site whose home,
language and topic pages go on over several pages.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from site_builder.i18n import UI_LANGUAGES
from site_builder.pipeline import BuildOptions, build_site
from site_builder.render import render_site
from site_builder.sitemodel import build_site_model

from .conftest import REPO, SAMPLE_CONTENT

try:  # tests/ as a package (tests/__init__.py) or as a plain folder on sys.path
    from .test_pagination import paginated_digest
    from .test_sitemodel import fixture_digest
except ImportError:
    from test_pagination import paginated_digest  # type: ignore[no-redef]
    from test_sitemodel import fixture_digest  # type: ignore[no-redef]

# npm packages installed by .ci/run (npm install --prefix .ci); env vars override.
AXE_DEFAULT = REPO / ".ci" / "node_modules" / "axe-core" / "axe.min.js"
VNU_DEFAULT = REPO / ".ci" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def axe_script() -> Path | None:
    """axe.min.js from $SITE_BUILDER_AXE, else .ci/node_modules; None when absent."""
    path = Path(os.environ.get("SITE_BUILDER_AXE", AXE_DEFAULT))
    return path if path.is_file() else None


def vnu_jar() -> Path | None:
    """vnu.jar from $SITE_BUILDER_VNU, else .ci/node_modules; None when absent."""
    path = Path(os.environ.get("SITE_BUILDER_VNU", VNU_DEFAULT))
    return path if path.is_file() else None


def html_pages(site: Path) -> list[str]:
    """Every HTML page of a site, as sorted paths relative to it."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample content built with the whole pipeline; later calls reuse the first build."""
    output = tmp_path_factory.getbasetemp() / "theme-sample" / "site"
    if not (output / "index.html").is_file():
        build_site(BuildOptions(SAMPLE_CONTENT, output, force=True, jobs=1))
    return output


def ui_language_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The hand-made fixture digest rendered with each interface language, one folder each."""
    root = tmp_path_factory.getbasetemp() / "theme-ui-languages"
    digest = fixture_digest()
    sites: dict[str, Path] = {}
    for lang in UI_LANGUAGES:
        site = root / lang
        sites[lang] = site
        if (site / "index.html").is_file():
            continue
        # Two articles a page: the home page's pager is shown in every interface language.
        config = dataclasses.replace(digest.manifest.config, ui_language=lang, page_size=2)
        manifest = dataclasses.replace(digest.manifest, config=config)
        model = build_site_model(dataclasses.replace(digest, manifest=manifest))
        for output in render_site(model):
            target = site / output.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(output.data)
    return sites


def paginated_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """57 articles in two languages, 20 to a page: home, language and topic pages each
    have a second page or more."""
    site = tmp_path_factory.getbasetemp() / "theme-paginated"
    if not (site / "index.html").is_file():
        model = build_site_model(paginated_digest(45, 12, page_size=20, topic_page_size=20))
        for output in render_site(model):
            target = site / output.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(output.data)
    return site
