"""The preview server's early pages (pipeline.preview_article_pages): an edited
article's page is made against the last good build and written over the published site
before the whole rebuild, and only where it can stand for that rebuild's page."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from site_builder.analysis.keyphrases import BackgroundFrequencies
from site_builder.errors import SiteBuilderError
from site_builder.languages.resources import LanguageResources
from site_builder.model import OutputFile
from site_builder.pipeline import BuildOptions, BuiltSite, build_site, preview_article_pages
from site_builder.write import MARKER_NAME, replace_published_files

from .conftest import SAMPLE_CONTENT

ARTICLE = "articles/001_cf56cbe64eb45982.txt"
ANCHOR = "O CEO da Anthropic critica"
MARKER = "Zebraquilha marca esta frase de teste da pré-visualização."


@dataclass
class Built:
    options: BuildOptions
    site: BuiltSite
    resources: LanguageResources
    background: BackgroundFrequencies

    def preview(self, changed: list[str]) -> tuple[str, ...] | None:
        return preview_article_pages(
            self.options, changed, self.site, self.resources, self.background
        )

    def page_of(self, path: str) -> str:
        [article] = [a for a in self.site.digest.articles if a.entry.path == path]
        return f"articles/{article.slug}/index.html"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    root = tmp_path_factory.mktemp("preview")
    shutil.copytree(SAMPLE_CONTENT, root / "content")
    options = BuildOptions(root / "content", root / "_site", jobs=1, search=False)
    resources = LanguageResources()
    report = build_site(options, resources)
    assert report.built is not None
    yield Built(options, report.built, resources, BackgroundFrequencies())


def _files(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {
        path.relative_to(folder).as_posix(): (path.stat().st_ino, path.read_bytes())
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def article(built: Built) -> Iterator[Path]:
    """ARTICLE's file, put back as it was after the test."""
    file = built.options.content_dir / ARTICLE
    original = file.read_bytes()
    try:
        yield file
    finally:
        file.write_bytes(original)


def test_an_edited_articles_page_is_the_page_the_whole_build_makes(
    built: Built, article: Path
) -> None:
    site = built.options.output_dir
    before = _files(site)
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace(ANCHOR, f"{MARKER} {ANCHOR}", 1), encoding="utf-8")

    page = built.page_of(ARTICLE)
    assert built.preview([ARTICLE]) == (page,)
    after = _files(site)
    assert after.keys() == before.keys()
    assert [path for path in after if after[path] != before[path]] == [page]
    previewed = after[page][1]
    assert MARKER.encode() in previewed
    assert previewed.startswith(b"<!doctype html>") and previewed.rstrip().endswith(b"</html>")
    # The same bytes again: nothing is written.
    assert built.preview([ARTICLE]) == ()
    assert (site / page).stat().st_ino == after[page][0]

    # This edit leaves topics and stories as they were, so the whole build that follows
    # makes the very same page (and keeps the file written by the preview).
    report = build_site(built.options, built.resources)
    assert (site / page).read_bytes() == previewed
    assert report.built is not None
    built.site = report.built

    article.write_text(text, encoding="utf-8")
    assert built.preview([ARTICLE]) == (page,)
    assert (site / page).read_bytes() == before[page][1]
    report = build_site(built.options, built.resources)
    assert report.built is not None
    built.site = report.built
    assert _files(site)[page][1] == before[page][1]


@pytest.mark.parametrize(
    "changed",
    [
        ["INDEX.md"],  # the manifest: every page may change
        ["topics.yaml"],
        ["articles/unlisted.txt"],
        [ARTICLE, "INDEX.md"],
        [],
    ],
)
def test_a_change_beyond_listed_articles_is_not_previewed(built: Built, changed: list[str]) -> None:
    site = built.options.output_dir
    before = _files(site)
    assert built.preview(changed) is None
    assert _files(site) == before


def test_an_article_that_no_longer_reads_is_left_to_the_rebuild(
    built: Built, article: Path
) -> None:
    site = built.options.output_dir
    before = _files(site)
    article.write_bytes(b"")
    assert built.preview([ARTICLE]) is None
    article.write_bytes(b"\x00\x01binary\x00" * 50)
    assert built.preview([ARTICLE]) is None
    assert _files(site) == before
    with pytest.raises(SiteBuilderError, match="is empty"):
        article.write_bytes(b"")
        build_site(built.options, built.resources)
    assert _files(site) == before  # the failed build kept the site too


def test_a_page_that_would_move_is_left_to_the_rebuild(tmp_path: Path) -> None:
    """An article whose slug comes from its own first line: a new title moves its page."""
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    first = "Lisbon Harbour Opens New Ferry Terminal\n\nThe city opened a ferry terminal.\n"
    (content / "articles" / "one.txt").write_text(first, encoding="utf-8")
    (content / "articles" / "two.txt").write_text(
        "Porto Museum Reopens\n\nThe museum reopened after two years of works.\n",
        encoding="utf-8",
    )
    (content / "INDEX.md").write_text(
        "---\ntitle: Two\n---\n\n# Two\n\n"
        "- [one.txt](articles/one.txt)\n- [two.txt](articles/two.txt)\n",
        encoding="utf-8",
    )
    options = BuildOptions(content, tmp_path / "_site", jobs=1, search=False)
    resources = LanguageResources()
    report = build_site(options, resources)
    assert report.built is not None
    pages = {a.entry.path: a.slug for a in report.built.digest.articles}
    assert pages["articles/one.txt"].startswith("lisbon-harbour")

    def preview() -> tuple[str, ...] | None:
        assert report.built is not None
        return preview_article_pages(
            options, ["articles/one.txt"], report.built, resources, BackgroundFrequencies()
        )

    # A new sentence keeps the title: previewed.
    (content / "articles" / "one.txt").write_text(
        first + "Ferries leave every hour.\n", encoding="utf-8"
    )
    assert preview() == (f"articles/{pages['articles/one.txt']}/index.html",)
    # A new title gives another slug: the old page would stay and the new one not be
    # linked from anywhere, so nothing is written.
    before = _files(options.output_dir)
    (content / "articles" / "one.txt").write_text(
        first.replace("Lisbon Harbour", "Setúbal Harbour"), encoding="utf-8"
    )
    assert preview() is None
    assert _files(options.output_dir) == before


def test_published_files_are_replaced_whole_and_only_in_a_built_folder(tmp_path: Path) -> None:
    site = tmp_path / "_site"
    (site / "a").mkdir(parents=True)
    (site / MARKER_NAME).write_text("x", encoding="utf-8")
    (site / "a" / "page.html").write_bytes(b"old")
    (site / "same.html").write_bytes(b"same")
    # A hard link to the old file (as a previous site's copy can be) keeps the old bytes.
    os.link(site / "a" / "page.html", tmp_path / "linked.html")
    same_inode = (site / "same.html").stat().st_ino

    written = replace_published_files(
        site,
        [
            OutputFile("a/page.html", b"new"),
            OutputFile("same.html", b"same"),
            OutputFile("b/added.html", b"added"),
        ],
    )
    assert written == ("a/page.html", "b/added.html")
    assert (site / "a" / "page.html").read_bytes() == b"new"
    assert (tmp_path / "linked.html").read_bytes() == b"old"
    assert (site / "same.html").stat().st_ino == same_inode
    assert (site / "b" / "added.html").read_bytes() == b"added"
    assert sorted(p.name for p in site.rglob("*") if p.is_file()) == sorted(
        [MARKER_NAME, "page.html", "same.html", "added.html"]
    )  # no temporary file left

    with pytest.raises(ValueError, match="unsafe"):
        replace_published_files(site, [OutputFile("../outside.html", b"x")])
    assert not (tmp_path / "outside.html").exists()

    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "index.html").write_bytes(b"mine")
    with pytest.raises(SiteBuilderError, match="not a folder site_builder built"):
        replace_published_files(foreign, [OutputFile("index.html", b"x")])
    assert (foreign / "index.html").read_bytes() == b"mine"


def test_each_article_page_alone_is_the_page_of_the_whole_model(built: Built) -> None:
    from site_builder.sitemodel import build_site_model, edited_article_pages

    digest = built.site.digest
    whole = build_site_model(digest)
    assert whole.context is not None
    for article in digest.articles:
        alone = edited_article_pages(whole.context, digest.topics, [article])
        [page] = alone.pages
        assert page == whole.page(page.path)
        assert alone.alternates == whole.alternates


def test_a_server_started_on_a_built_site_previews_the_first_edit(
    built: Built, article: Path
) -> None:
    from site_builder.serve import WarmBuilder

    build_site(built.options, built.resources)  # the site is up to date
    warm = WarmBuilder()
    report = warm(built.options)
    assert report.built is None  # nothing to do: the build stopped after its inputs
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace(ANCHOR, f"{MARKER} {ANCHOR}", 1), encoding="utf-8")
    page = built.page_of(ARTICLE)
    assert warm.preview(built.options, [str(article)]) == (page,)
    assert MARKER in (built.options.output_dir / page).read_text(encoding="utf-8")
    # Files outside the content folder (a template) are not previewed.
    template = built.options.output_dir.parent / "templates" / "article.html"
    assert warm.preview(built.options, [str(article), str(template)]) is None
    article.write_text(text, encoding="utf-8")
    report = warm(built.options)
    assert report.built is not None
    built.site = report.built
