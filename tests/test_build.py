"""End to end: the CLI builds the sample corpus into a complete, deterministic site."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from site_builder import __version__
from site_builder.cli import main
from site_builder.pipeline import load_digest

from .conftest import REPO, SAMPLE_CONTENT
from .factories import file_tree, write_files

EXPECTED_LANGUAGES = {
    "articles/000_2fe2c9c0de164287.txt": "pt",
    "articles/001_cf56cbe64eb45982.txt": "pt",
    "articles/002_cfdeea334b5228ae.txt": "zh-Hant",
    "articles/003_6864f55c604e73c6.txt": "ja",
    "articles/004_80b01854ed10c8b2.txt": "zh-Hans",
}

# Web chrome at the ends of 001 and 004 that must not reach a summary or a full-text page.
BOILERPLATE = [
    "inscreva-se em nossa newsletter",
    "PUBLICAÇÕES RELACIONADAS",
    "FONTES:",
    "REDATOR",
    "Imagem gerada utilizando",
    "31 de janeiro de 2025 às",
    "打赏",
    "微信扫一扫",
    "支付宝扫一扫",
    "发表回复",
    "您的邮箱地址不会被公开",
    "关注微信",
    "转载请注明出处",
    "责任编辑",
    "上一篇",
    "下一篇",
    "相关推荐",
    "的头像",
    "特朗普在俄乌冲突中的目标是什么",
    "招聘新趋势",
]


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build") / "_site"
    result = CliRunner().invoke(main, ["build", str(SAMPLE_CONTENT), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def digest_data(built_site: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((built_site / "digest.json").read_text("utf-8"))
    return data


def test_every_page_is_built(built_site: Path, digest_data: dict[str, object]) -> None:
    assert (built_site / "index.html").is_file()
    assert (built_site / "topics" / "index.html").is_file()
    assert (built_site / "404.html").is_file()
    articles = digest_data["articles"]
    assert isinstance(articles, list)
    assert [a["path"] for a in articles] == list(EXPECTED_LANGUAGES)
    for article in articles:
        page = built_site / article["url"].lstrip("/")
        if page.suffix != ".html":
            page = page / "index.html"
        assert page.is_file(), article["url"]
    topics = digest_data["topics"]
    assert isinstance(topics, list) and topics
    for topic in topics:
        page = built_site / topic["url"].lstrip("/")
        assert (page if page.suffix == ".html" else page / "index.html").is_file()


def test_languages_detected(digest_data: dict[str, object]) -> None:
    articles = digest_data["articles"]
    assert isinstance(articles, list)
    assert {a["path"]: a["lang"] for a in articles} == EXPECTED_LANGUAGES


def test_every_article_has_summary_and_keyphrases(digest_data: dict[str, object]) -> None:
    articles = digest_data["articles"]
    assert isinstance(articles, list)
    for article in articles:
        assert article["summary"], article["path"]
        assert len(article["keyphrases"]) >= 3, article["path"]
        assert article["title"]


def test_no_boilerplate_in_summaries_or_full_text(built_site: Path) -> None:
    digest = load_digest(SAMPLE_CONTENT)
    for article in digest.articles:
        body = "\n".join(article.source.paragraphs)
        summary = "\n".join(article.analysis.summary)
        for line in BOILERPLATE:
            assert line not in body, (article.entry.path, line)
            assert line not in summary, (article.entry.path, line)
    for page in (built_site / "articles").rglob("index.html"):
        html = page.read_text("utf-8")
        for line in BOILERPLATE:
            assert line not in html, (page, line)


def test_home_page_has_prose_and_every_article(built_site: Path) -> None:
    html = (built_site / "index.html").read_text("utf-8")
    assert "This digest collects five articles" in html
    assert "ディープシークが示したこと" in html
    assert "通过思维链看懂DeepSeek为何强" in html
    assert 'lang="ja"' in html and 'lang="zh-Hant"' in html


def _build_in_subprocess(out: Path, env_overrides: dict[str, str]) -> None:
    env = {**os.environ, **env_overrides}
    subprocess.run(
        [sys.executable, "-m", "site_builder", "build", str(SAMPLE_CONTENT), "-o", str(out), "-q"],
        check=True,
        cwd=REPO,
        env=env,
        capture_output=True,
    )


def test_builds_are_byte_identical_across_seed_time_zone_and_locale(
    built_site: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    _build_in_subprocess(
        other, {"PYTHONHASHSEED": "12345", "TZ": "Asia/Tokyo", "LANG": "C", "LC_ALL": "C"}
    )
    assert file_tree(other) == file_tree(built_site)


def test_version_and_module_entry_point() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output
    completed = subprocess.run(
        [sys.executable, "-m", "site_builder", "--help"], capture_output=True, text=True, cwd=REPO
    )
    assert completed.returncode == 0
    assert "build" in completed.stdout and "init" in completed.stdout


def test_usage_error_exits_2() -> None:
    result = CliRunner().invoke(main, ["build", "--no-such-option"])
    assert result.exit_code == 2


def test_verbose_build_gives_time_and_peak_memory_per_stage(tmp_path: Path) -> None:
    index = "---\ntitle: One\n---\n- [Budget](articles/a.txt)\n  - lang: en\n"
    article = "The council approved the new budget on Monday after a long debate.\n"
    content = write_files(tmp_path / "content", {"INDEX.md": index, "articles/a.txt": article})
    args = ["build", str(content), "-o", str(tmp_path / "out"), "-v", "-j", "1", "--no-search"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    timed = re.search(r"^  (manifest [\d.]+ s, .*)$", result.output, re.MULTILINE)
    peaks = re.search(r"^  peak memory after (.*)$", result.output, re.MULTILINE)
    assert timed and peaks, result.output
    stages = [part.rsplit(" ", 2)[0] for part in timed[1].split(", ")]
    measured = [part.rsplit(" ", 2) for part in peaks[1].split(", ")]
    assert [stage for stage, _mb, _unit in measured] == stages
    megabytes = [int(mb) for _stage, mb, unit in measured if unit == "MB"]
    # A peak only grows, and a Python process with the pipeline loaded takes some MB.
    assert len(megabytes) == len(stages) and megabytes == sorted(megabytes) and megabytes[0] > 10


def _run_build(content: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", str(content), "-o", str(out)])
    return result.exit_code, result.output


def _edit_index(content: Path, old: str, new: str) -> None:
    index = content / "INDEX.md"
    text = index.read_text("utf-8")
    assert old in text
    index.write_text(text.replace(old, new, 1), "utf-8")


def _line_of(content: Path, needle: str) -> int:
    for number, line in enumerate((content / "INDEX.md").read_text("utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_yaml_error_names_file_and_line(sample_content: Path, tmp_path: Path) -> None:
    _edit_index(sample_content, "ui_language: en", "ui_language: en: x")
    code, output = _run_build(sample_content, tmp_path / "out")
    assert code == 1
    assert f"INDEX.md:{_line_of(sample_content, 'ui_language')}" in output
    assert "Traceback" not in output


def test_missing_file_names_line(sample_content: Path, tmp_path: Path) -> None:
    _edit_index(sample_content, "articles/001_cf56cbe64eb45982.txt", "articles/missing.txt")
    code, output = _run_build(sample_content, tmp_path / "out")
    assert code == 1
    assert f"INDEX.md:{_line_of(sample_content, 'missing.txt')}" in output
    assert "missing.txt" in output
    assert "Traceback" not in output


def test_path_outside_content_is_refused(sample_content: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("secret", "utf-8")
    _edit_index(sample_content, "articles/001_cf56cbe64eb45982.txt", "../secret.txt")
    code, output = _run_build(sample_content, tmp_path / "out")
    assert code == 1
    assert f"INDEX.md:{_line_of(sample_content, 'secret.txt')}" in output
    assert "outside" in output


def test_duplicate_entry_is_an_error(sample_content: Path, tmp_path: Path) -> None:
    first, second_path = list(EXPECTED_LANGUAGES)[:2]
    _edit_index(sample_content, second_path, first)
    code, output = _run_build(sample_content, tmp_path / "out")
    assert code == 1
    lines = (sample_content / "INDEX.md").read_text("utf-8").splitlines()
    second = [n for n, line in enumerate(lines, 1) if f"]({first})" in line][1]
    assert f"INDEX.md:{second}" in output
    assert "duplicate" in output.lower()
    assert "Traceback" not in output


def test_unlisted_file_is_a_warning_and_strict_fails(sample_content: Path, tmp_path: Path) -> None:
    (sample_content / "articles" / "extra.txt").write_text("Um texto extra sobre nada.", "utf-8")
    code, output = _run_build(sample_content, tmp_path / "out")
    assert code == 0
    assert "extra.txt" in output and "warning" in output
    result = CliRunner().invoke(
        main, ["build", str(sample_content), "-o", str(tmp_path / "out"), "--strict"]
    )
    assert result.exit_code == 1
    assert "extra.txt" in result.output


def test_failed_build_keeps_previous_site(sample_content: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _run_build(sample_content, out)[0] == 0
    before = file_tree(out)
    _edit_index(sample_content, "ui_language: en", "ui_language: en: x")
    assert _run_build(sample_content, out)[0] == 1
    assert file_tree(out) == before


def test_init_lists_every_article_and_does_not_overwrite(tmp_path: Path) -> None:
    content = tmp_path / "fresh"
    (content / "articles").mkdir(parents=True)
    for source in sorted((SAMPLE_CONTENT / "articles").iterdir()):
        (content / "articles" / source.name).write_bytes(source.read_bytes())
    result = CliRunner().invoke(main, ["init", str(content)])
    assert result.exit_code == 0, result.output
    index = (content / "INDEX.md").read_text("utf-8")
    for path, lang in EXPECTED_LANGUAGES.items():
        assert f"]({path})" in index
        assert f"lang: {lang}" in index
    again = CliRunner().invoke(main, ["init", str(content)])
    assert again.exit_code == 1 and "--force" in again.output
    assert (content / "INDEX.md").read_text("utf-8") == index
    code, output = _run_build(content, tmp_path / "out")
    assert code == 0, output


def test_digest_json_matches_its_schema(digest_data: dict[str, object]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((REPO / "site_builder" / "digest.schema.json").read_text("utf-8"))
    jsonschema.validate(digest_data, schema)
