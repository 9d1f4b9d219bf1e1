"""Hostile and broken input, end to end through `site-builder build`.

Every bad input must give exit code 1 and one line per problem, `file:line: error: …`,
saying what to do; never a traceback. With --keep-going every problem is reported at once
and the good articles are still built. Odd but valid sources (UTF-16, CR newlines, only
URLs or emoji, right-to-left text, unknown languages, very long lines) build.

The unit tests of each stage (test_manifest, test_sources, test_write, test_sitemodel)
prove the rules one by one; these tests prove that the command line delivers them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from site_builder.cli import main
from site_builder.errors import SiteBuilderError
from site_builder.manifest import parse_manifest
from site_builder.sitemodel import RESERVED_SLUGS
from site_builder.sources import MAX_ARTICLE_BYTES
from site_builder.write import MARKER_NAME, check_output_dir

from .conftest import REPO
from .factories import write_files

GOOD_PT = (
    "A DeepSeek lançou o modelo R1 em janeiro de 2025. O modelo chinês custou pouco.\n\n"
    "As ações da NVIDIA caíram depois do anúncio, e o mercado reagiu com medo.\n"
)
GOOD_EN = (
    "DeepSeek released its R1 model in January 2025. The Chinese model was cheap to train.\n\n"
    "NVIDIA shares fell after the announcement, and the market reacted with fear.\n"
)
ERROR_LINE = re.compile(r"^(?P<file>.+?)(?::(?P<line>\d+))?: error: (?P<message>.+)$")


@dataclass(frozen=True)
class Outcome:
    code: int
    output: str

    @property
    def errors(self) -> list[re.Match[str]]:
        return [m for m in map(ERROR_LINE.match, self.output.splitlines()) if m]


def build(content: Path, out: Path, *extra: str) -> Outcome:
    """`site-builder build` in this process; any exception but SystemExit is a bug."""
    result = CliRunner().invoke(
        main, ["build", str(content), "-o", str(out), "-j", "1", "--no-cache", *extra]
    )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"build crashed: {result.exception!r}\n{result.output}")
    assert "Traceback" not in result.output
    return Outcome(result.exit_code, result.output)


def content_with(tmp_path: Path, index: str, files: dict[str, str | bytes] | None = None) -> Path:
    """A content folder with INDEX.md and good articles a.txt, b.txt (plus `files`)."""
    content = tmp_path / "content"
    write_files(content, {"INDEX.md": index, "a.txt": GOOD_PT, "b.txt": GOOD_EN, **(files or {})})
    return content


def line_of(text: str, needle: str) -> int:
    numbers = [n for n, line in enumerate(text.split("\n"), 1) if needle in line]
    assert len(numbers) == 1, (needle, numbers)
    return numbers[0]


def assert_one_error(outcome: Outcome, file_suffix: str, line: int | None, *hints: str) -> str:
    """Exit 1 with exactly one line of output, `…file:line: error: …`, holding `hints`."""
    assert outcome.code == 1, outcome.output
    lines = [text for text in outcome.output.splitlines() if text.strip()]
    assert len(lines) == 1, outcome.output
    match = ERROR_LINE.match(lines[0])
    assert match is not None, lines[0]
    assert match["file"].endswith(file_suffix), lines[0]
    assert match["line"] == (None if line is None else str(line)), lines[0]
    for hint in hints:
        assert hint in match["message"], (hint, lines[0])
    return match["message"]


# --- INDEX.md ----------------------------------------------------------------------------

FRONT = "---\ntitle: Test\n---\n\n"
ENTRIES = "- [A](a.txt)\n- [B](b.txt)\n"


@dataclass(frozen=True)
class ManifestCase:
    index: str
    marker: str  # text on the line the error must name
    hints: tuple[str, ...]  # what the message must say (the problem and what to do)
    setup: Callable[[Path], None] | None = None


def _symlink_out(content: Path) -> None:
    outside = content.parent / "outside.txt"
    outside.write_text(GOOD_EN, encoding="utf-8")
    (content / "link.txt").symlink_to(outside)


def _outside_file(content: Path) -> None:
    (content.parent / "outside.txt").write_text(GOOD_EN, "utf-8")


def _case_twin(content: Path) -> None:
    (content / "Note.txt").write_text(GOOD_EN, encoding="utf-8")
    (content / "note.txt").write_text(GOOD_PT, encoding="utf-8")


MANIFEST_CASES = {
    "malformed yaml": ManifestCase(
        "---\ntitle: [unclosed\nui_language: en\n---\n\n" + ENTRIES,
        "ui_language",
        ("not valid YAML", "fix the YAML syntax"),
    ),
    "wrong type": ManifestCase(
        "---\ntitle: T\nsummary_sentences: many\n---\n\n" + ENTRIES,
        "summary_sentences",
        ("whole number from 1 to 10",),
    ),
    "list where text belongs": ManifestCase(
        "---\ndescription: [a, b]\n---\n\n" + ENTRIES,
        "description",
        ("must be text",),
    ),
    "unknown setting": ManifestCase(
        "---\ntitle: T\ncolour: red\n---\n\n" + ENTRIES,
        "colour",
        ("unknown front matter key 'colour'", "allowed keys"),
    ),
    "unknown article key": ManifestCase(
        FRONT + ENTRIES + "  - colour: red\n",
        "colour",
        ("unknown article metadata key 'colour'", "allowed keys"),
    ),
    "missing file": ManifestCase(
        FRONT + ENTRIES + "- [Gone](gone.txt)\n",
        "gone.txt",
        ("'gone.txt' not found",),
    ),
    "folder": ManifestCase(
        FRONT + ENTRIES + "- [Folder](sub)\n",
        "(sub)",
        ("is a folder", "link to each article file"),
        lambda content: (content / "sub").mkdir(),
    ),
    "parent folder": ManifestCase(
        FRONT + ENTRIES + "- [Up](../outside.txt)\n",
        "../outside.txt",
        ("outside the content folder", "move the file into the content folder"),
        _outside_file,
    ),
    "absolute path": ManifestCase(
        FRONT + ENTRIES + "- [Abs](/etc/hostname.txt)\n",
        "/etc/hostname.txt",
        ("absolute path", "relative to the content folder"),
    ),
    "symlink out": ManifestCase(
        FRONT + ENTRIES + "- [Link](link.txt)\n",
        "link.txt",
        ("symlink", "outside the content folder", "copy the file"),
        _symlink_out,
    ),
    "duplicate": ManifestCase(
        FRONT + ENTRIES + "- [A again](a.txt)\n",
        "A again",
        ("listed twice", "remove one of the entries"),
    ),
    "case-only duplicate": ManifestCase(
        FRONT + ENTRIES + "- [One](Note.txt)\n- [Two](note.txt)\n",
        "(note.txt)",
        ("differs only in case", "case-insensitive file systems", "rename one"),
        _case_twin,
    ),
    "javascript url": ManifestCase(
        FRONT + ENTRIES + "  - url: javascript:alert(1)\n",
        "javascript:",
        ("not an http(s) URL",),
    ),
    "javascript base_url": ManifestCase(
        "---\nbase_url: javascript:alert(1)//\n---\n\n" + ENTRIES,
        "base_url",
        ("not an http(s) URL",),
    ),
}


@pytest.mark.parametrize("name", sorted(MANIFEST_CASES))
def test_bad_index_is_one_line_naming_index_and_line(tmp_path: Path, name: str) -> None:
    case = MANIFEST_CASES[name]
    content = content_with(tmp_path, case.index)
    if case.setup is not None:
        case.setup(content)
    outcome = build(content, tmp_path / "out")
    assert_one_error(outcome, "INDEX.md", line_of(case.index, case.marker), *case.hints)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("text", ["", "   \n\n", "\ufeff\n"])
def test_empty_index(tmp_path: Path, text: str) -> None:
    outcome = build(content_with(tmp_path, text), tmp_path / "out")
    assert_one_error(outcome, "INDEX.md", 1, "is empty", "site-builder init")


def test_missing_index(tmp_path: Path) -> None:
    content = content_with(tmp_path, "")
    (content / "INDEX.md").unlink()
    outcome = build(content, tmp_path / "out")
    assert_one_error(outcome, "INDEX.md", None, "no INDEX.md", "site-builder init")


def test_index_not_utf8(tmp_path: Path) -> None:
    index = (FRONT + "- [Ação](a.txt)\n").encode("cp1252")
    outcome = build(content_with(tmp_path, "", {"INDEX.md": index}), tmp_path / "out")
    assert_one_error(outcome, "INDEX.md", 5, "not valid UTF-8", "save the file as UTF-8")


ALL_BAD = (
    "---\ntitle: T\ncolour: red\n---\n\n"
    "- [A](a.txt)\n"
    "- [Gone](gone.txt)\n"
    "- [Up](../outside.txt)\n"
    "- [B](b.txt)\n"
    "  - url: javascript:alert(1)\n"
    "- [A again](a.txt)\n"
    "- [C](c.txt)\n"
)


def test_every_index_error_is_reported_at_once(tmp_path: Path) -> None:
    outcome = build(content_with(tmp_path, ALL_BAD, {"c.txt": GOOD_EN}), tmp_path / "out")
    assert outcome.code == 1
    assert [int(m["line"]) for m in outcome.errors] == [3, 7, 8, 10, 11]
    assert len(outcome.output.strip().splitlines()) == 5


def test_keep_going_index_keeps_the_good_entries(tmp_path: Path) -> None:
    """parse_manifest(keep_going=True): entries with an error are dropped and reported;
    a bad setting keeps its default."""
    content = content_with(tmp_path, ALL_BAD, {"c.txt": GOOD_EN})
    manifest, diagnostics = parse_manifest(
        ALL_BAD, index_path="INDEX.md", content_dir=content, keep_going=True
    )
    assert [entry.path for entry in manifest.entries] == ["a.txt", "c.txt"]
    assert [(d.severity, d.line) for d in diagnostics] == [
        ("error", 3),
        ("error", 7),
        ("error", 8),
        ("error", 10),
        ("error", 11),
    ]
    assert manifest.config.title == "T"
    with pytest.raises(SiteBuilderError) as caught:
        parse_manifest(ALL_BAD, index_path="INDEX.md", content_dir=content)
    assert [d.line for d in caught.value.diagnostics] == [3, 7, 8, 10, 11]


def test_keep_going_index_without_any_good_entry_fails(tmp_path: Path) -> None:
    index = FRONT + "- [Gone](gone.txt)\n"
    content = content_with(tmp_path, index)
    with pytest.raises(SiteBuilderError, match="not found"):
        parse_manifest(index, index_path="INDEX.md", content_dir=content, keep_going=True)


def test_keep_going_builds_the_good_entries_of_a_bad_index(tmp_path: Path) -> None:
    content = content_with(tmp_path, ALL_BAD, {"c.txt": GOOD_EN})
    outcome = build(content, tmp_path / "out", "--keep-going")
    assert outcome.code == 1
    assert [int(m["line"]) for m in outcome.errors] == [3, 7, 8, 10, 11]
    digest = json.loads((tmp_path / "out" / "digest.json").read_text("utf-8"))
    assert [a["path"] for a in digest["articles"]] == ["a.txt", "c.txt"]


# --- article files -----------------------------------------------------------------------

# One content folder holding every odd source at once: built once with --keep-going, so
# each test below reads its own article from the same build.
ARABIC = "مرحبا بالعالم. هذه مقالة باللغة العربية عن الذكاء الاصطناعي وشركة ديب سيك."
HEBREW = "שלום עולם. זה מאמר בעברית על בינה מלאכותית."
AMHARIC = "ሰላም ለዓለም። ይህ በአማርኛ የተጻፈ ጽሑፍ ነው። ቴክኖሎጂ በዓለም ዙሪያ እያደገ ነው።"
JAPANESE = "ディープシークは新しいモデルを公開した。\n\n次の段落では、その費用について述べる。\n"
LONG_TITLE = "Palavra " * 62 + "fim"  # 499 characters
SOURCES: dict[str, str | bytes] = {
    "good.txt": GOOD_PT,
    "empty.txt": b"",
    "blank.txt": b"  \n\t\r\n   \n",
    "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
    "mixed.txt": "Ações da NVIDIA caem após o lançamento do modelo.\n".encode()
    + "O café custou caro demais.\n".encode("cp1252"),
    "utf16.txt": JAPANESE.replace("\n", "\r\n").encode("utf-16"),
    "crlf.txt": GOOD_EN.replace("\n", "\r\n"),
    "cr.txt": GOOD_PT.replace("\n", "\r"),
    "urls.txt": "https://example.org/a https://example.org/b\nhttps://example.org/c?d=e\n",
    "emoji.txt": "😀😀😀 🎉🎉 👍🏽 👨‍👩‍👧\n\n🎉🎉🎉\n",
    "rtl.txt": f"{ARABIC}\u200f\n\n{HEBREW}\u200b\u200e\u202e\n",
    "zero-width.txt": "Deep\u200bSeek lançou\u200d o modelo\u2060 R1.\ufeff A NVIDIA caiu.\n",
    "amharic.txt": AMHARIC + "\n",
    "same-1.txt": GOOD_EN,
    "same-2.txt": GOOD_PT,
    "punct.txt": GOOD_EN,
    "long-title.txt": GOOD_PT,
    "con.txt": GOOD_EN,
    "index.txt": GOOD_PT,
}
SOURCES_INDEX = FRONT + "\n".join(
    [
        *(
            f"- [{name.removesuffix('.txt')}]({name})"  # titles "good", "con", "index" …
            for name in SOURCES
            if name not in {"same-1.txt", "same-2.txt", "punct.txt", "long-title.txt"}
        ),
        "- [Same title](same-1.txt)",
        "- [Same title](same-2.txt)",
        "- [?!… — ¿¡ ...](punct.txt)",
        f"- [{LONG_TITLE}](long-title.txt)",
        "  - title: " + LONG_TITLE,
        "",
    ]
)
SOURCE_ERRORS = {
    "empty.txt": (None, ("is empty", "remove its entry from INDEX.md")),
    "blank.txt": (None, ("is empty",)),
    "binary.txt": (None, ("binary file", "link to a text version")),
    "mixed.txt": (2, ("is UTF-8 except for byte 0xe9", "save it as UTF-8")),
}


@dataclass(frozen=True)
class HostileBuild:
    content: Path
    out: Path
    outcome: Outcome
    articles: dict[str, dict[str, object]]  # digest.json articles by path

    def page(self, path: str) -> str:
        url = str(self.articles[path]["url"])
        return (self.out / url / "index.html").read_text("utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> HostileBuild:
    root = tmp_path_factory.mktemp("hostile")
    content = write_files(root / "content", {"INDEX.md": SOURCES_INDEX, **SOURCES})
    out = root / "out"
    outcome = build(content, out, "--keep-going")
    digest = json.loads((out / "digest.json").read_text("utf-8"))
    return HostileBuild(content, out, outcome, {a["path"]: a for a in digest["articles"]})


def test_keep_going_reports_every_bad_source_and_builds_the_rest(hostile: HostileBuild) -> None:
    assert hostile.outcome.code == 1
    reported = {m["file"]: m for m in hostile.outcome.errors}
    assert sorted(reported) == sorted(SOURCE_ERRORS)
    assert len(hostile.outcome.errors) == len(SOURCE_ERRORS)  # one line each
    built = set(SOURCES) - set(SOURCE_ERRORS)
    assert set(hostile.articles) == built
    for path in built:
        assert "<h1" in hostile.page(path), path


@pytest.mark.parametrize("name", sorted(SOURCE_ERRORS))
def test_bad_source_error_names_file_and_what_to_do(hostile: HostileBuild, name: str) -> None:
    line, hints = SOURCE_ERRORS[name]
    match = next(m for m in hostile.outcome.errors if m["file"] == name)
    assert match["line"] == (None if line is None else str(line))
    for hint in hints:
        assert hint in match["message"], (hint, match[0])


def test_bad_source_without_keep_going_stops_with_one_line(tmp_path: Path) -> None:
    index = FRONT + "- [A](a.txt)\n- [Empty](empty.txt)\n- [B](b.txt)\n"
    outcome = build(content_with(tmp_path, index, {"empty.txt": b""}), tmp_path / "out")
    assert_one_error(outcome, "empty.txt", None, "is empty")
    assert not (tmp_path / "out").exists()


def test_utf16_with_bom(hostile: HostileBuild) -> None:
    article = hostile.articles["utf16.txt"]
    assert article["encoding"] == "utf-16" and article["lang"] == "ja"
    page = hostile.page("utf16.txt")
    assert "ディープシークは新しいモデルを公開した。" in page
    assert "\r" not in page


@pytest.mark.parametrize("name", ["crlf.txt", "cr.txt"])
def test_crlf_and_cr_newlines_keep_paragraphs(hostile: HostileBuild, name: str) -> None:
    page = hostile.page(name)
    assert "\r" not in page
    text = SOURCES[name]
    assert isinstance(text, str)
    first, second = (line for line in text.splitlines() if line.strip())
    assert re.search(rf"<p[^>]*>{re.escape(first)}</p>", page), page
    assert re.search(rf"<p[^>]*>{re.escape(second)}</p>", page), page


def test_text_of_only_urls(hostile: HostileBuild) -> None:
    page = hostile.page("urls.txt")
    assert "https://example.org/c?d=e" in page


def test_text_of_only_emoji(hostile: HostileBuild) -> None:
    article = hostile.articles["emoji.txt"]
    assert "🎉🎉🎉" in hostile.page("emoji.txt")
    assert article["lang"] == "und"  # no language to detect: not a guess


def test_right_to_left_and_zero_width(hostile: HostileBuild) -> None:
    page = hostile.page("rtl.txt")
    assert ARABIC in page and HEBREW in page
    for invisible in "\u200b\u200e\u200f\u202e":
        assert invisible not in page  # bidi overrides cannot reorder the page
    zero_width = hostile.page("zero-width.txt")
    assert "DeepSeek lançou o modelo R1." in zero_width
    assert not set("\u200b\u200d\u2060\ufeff") & set(zero_width)


def test_language_without_segmenter_builds(hostile: HostileBuild) -> None:
    article = hostile.articles["amharic.txt"]
    assert article["lang"] == "am"
    assert "ሰላም ለዓለም።" in hostile.page("amharic.txt")


def test_language_without_segmenter_says_so_in_a_warning(hostile: HostileBuild) -> None:
    lines = [line for line in hostile.outcome.output.splitlines() if "amharic.txt" in line]
    assert len(lines) == 1 and ": warning: " in lines[0], hostile.outcome.output
    assert "am" in lines[0]
    # and nothing but diagnostics and the summary line reaches the terminal
    for line in hostile.outcome.output.splitlines():
        assert ": error: " in line or ": warning: " in line or line.startswith("Built "), line


# --- slugs of hostile titles ---------------------------------------------------------------

SAFE_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def test_slugs_are_unique_safe_and_bounded(hostile: HostileBuild) -> None:
    slugs = {path: str(article["slug"]) for path, article in hostile.articles.items()}
    assert len(set(slugs.values())) == len(slugs)
    assert len({slug.casefold() for slug in slugs.values()}) == len(slugs)
    for path, slug in slugs.items():
        assert SAFE_SLUG.fullmatch(slug), (path, slug)
        assert len(slug) <= 60, (path, slug)
        assert slug not in RESERVED_SLUGS
        assert (hostile.out / "articles" / slug / "index.html").is_file()
    assert slugs["same-1.txt"] != slugs["same-2.txt"]
    assert slugs["same-1.txt"].startswith("same-title")
    assert slugs["long-title.txt"].startswith("palavra-palavra")
    assert slugs["con.txt"] != "con" and slugs["index.txt"] != "index"
    assert hostile.articles["long-title.txt"]["title"] == LONG_TITLE.strip()


# --- very large sources --------------------------------------------------------------------


def _peak_kb(pid: int) -> int:
    """VmHWM of a running process (its peak resident memory since exec), 0 if gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def test_huge_file_is_refused_and_a_one_megabyte_line_builds(tmp_path: Path) -> None:
    """A 50 MB article is refused at once (size cap); a 1 MB single line is built. The whole
    build stays within a time and memory budget (in a subprocess, to measure it)."""
    paragraph = GOOD_PT.replace("\n", " ")
    huge = (paragraph * (50 * 2**20 // len(paragraph.encode()) + 1)).encode()
    assert len(huge) > 50 * 2**20 > MAX_ARTICLE_BYTES
    words = "palavra " * (2**20 // 8)
    index = FRONT + "- [Huge](huge.txt)\n- [Line](line.txt)\n- [A](a.txt)\n"
    content = content_with(tmp_path, index, {"huge.txt": huge, "line.txt": words})
    started = time.perf_counter()
    command = [sys.executable, "-m", "site_builder", "build", str(content)]
    command += ["-o", str(tmp_path / "o"), "-j", "1", "--keep-going"]
    with (tmp_path / "stderr.txt").open("w+", encoding="utf-8") as stderr:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, cwd=REPO)
        # The build's own peak, from /proc (VmHWM) while it runs: rusage counts the memory
        # of the forked test process before exec (1.6 GB late in a full test session).
        peak_kb = 0
        while process.poll() is None:
            peak_kb = max(peak_kb, _peak_kb(process.pid))
            time.sleep(0.05)
        stderr.seek(0)
        completed = subprocess.CompletedProcess(command, process.returncode, "", stderr.read())
    elapsed = time.perf_counter() - started
    peak_mb = peak_kb / 1024
    assert peak_mb > 20, "the build's memory was not measured"
    assert completed.returncode == 1, completed.stderr
    assert "Traceback" not in completed.stderr
    errors = [m for m in map(ERROR_LINE.match, completed.stderr.splitlines()) if m]
    assert [(m["file"], m["line"]) for m in errors] == [("huge.txt", None)], completed.stderr
    assert "articles may be at most 4 MB" in errors[0]["message"]
    assert "split it" in errors[0]["message"]
    digest = json.loads((tmp_path / "o" / "digest.json").read_text("utf-8"))
    assert sorted(a["path"] for a in digest["articles"]) == ["a.txt", "line.txt"]
    # Budgets with a wide margin for a loaded machine: measured 30 s and ~300 MB.
    assert elapsed < 300, elapsed
    assert peak_mb < 1500, peak_mb


# --- where the site may be written -----------------------------------------------------------


def test_refuses_to_write_into_the_content_folder(tmp_path: Path) -> None:
    content = content_with(tmp_path, FRONT + ENTRIES)
    before = sorted(p.name for p in content.iterdir())
    outcome = build(content, content)
    assert_one_error(outcome, "content", None, "overlaps the content folder", "-o")
    assert sorted(p.name for p in content.iterdir()) == before


def test_refuses_the_current_folder_and_its_parents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = content_with(tmp_path, FRONT + ENTRIES)
    work = tmp_path / "work" / "here"
    work.mkdir(parents=True)
    (work / "precious.txt").write_text("keep me", "utf-8")
    monkeypatch.chdir(work)
    for target in (Path("."), Path(".."), work.parent.parent):
        outcome = build(content, target, "--force")
        assert_one_error(outcome, str(target), None, "would replace that whole folder")
    assert (work / "precious.txt").read_text("utf-8") == "keep me"


def test_refuses_home_and_its_parents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home" / "user"
    home.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    for target in (home, home.parent, Path("/")):
        with pytest.raises(SiteBuilderError, match="would replace that whole folder"):
            check_output_dir(target, tmp_path / "content", force=True)


def test_refuses_a_foreign_non_empty_folder_unless_forced(tmp_path: Path) -> None:
    content = content_with(tmp_path, FRONT + ENTRIES)
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("years of work", "utf-8")
    outcome = build(content, out)
    assert_one_error(outcome, "mine", None, "not empty", "--force")
    assert (out / "thesis.tex").read_text("utf-8") == "years of work"
    assert build(content, out, "--force").code == 0
    assert (out / MARKER_NAME).is_file() and not (out / "thesis.tex").exists()
    assert build(content, out).code == 0  # its own folder now: no --force needed


def test_failed_build_leaves_no_staging_folder(tmp_path: Path) -> None:
    content = content_with(tmp_path, FRONT + ENTRIES + "- [E](e.txt)\n", {"e.txt": b""})
    assert build(content, tmp_path / "out", "--keep-going").code == 1
    assert sorted(os.listdir(tmp_path)) == ["content", "out"]


def test_output_folder_that_is_a_symlink_stays_one(tmp_path: Path) -> None:
    content = content_with(tmp_path, FRONT + ENTRIES)
    served = tmp_path / "www" / "site"
    served.mkdir(parents=True)
    link = tmp_path / "_site"
    link.symlink_to(served, target_is_directory=True)
    for _ in range(2):
        assert build(content, link).code == 0
        assert link.is_symlink() and link.resolve() == served.resolve()
        assert (served / "index.html").is_file() and (served / MARKER_NAME).is_file()
    assert sorted(os.listdir(tmp_path / "www")) == ["site"]  # no staging folder left
