"""Incremental builds: the cache is reused exactly when inputs are unchanged, and never
gives different output from a cold build."""

from __future__ import annotations

import dataclasses
import gc
import io
import json
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder import cache as cache_module
from site_builder import digest_json, pipeline, sitemodel
from site_builder.cache import (
    BuildCache,
    EntryMemory,
    analysis_key,
    cache_dir_for,
    decode_entry,
    encode_entry,
    read_entry,
)
from site_builder.errors import SiteBuilderError
from site_builder.languages.resources import LanguageResources
from site_builder.model import (
    Article,
    ArticleEntry,
    SiteConfig,
    Topic,
    TopicMember,
    topic_from_columns,
)
from site_builder.pipeline import BuildOptions, BuildReport, build_site
from site_builder.render import default_templates_dir

from .conftest import SAMPLE_CONTENT
from .factories import MemoryPages, file_tree

CHANGED_ARTICLE = "articles/001_cf56cbe64eb45982.txt"
# A neutral sentence (no names, no figures) inserted into the middle of the article.
ANCHOR = "O CEO da Anthropic critica"
INSERTED = "Os analistas acompanharam o debate com atenção. "
LATIN = "\n\nBenchmark edit: this paragraph was added to one article.\n\n"


@pytest.fixture(scope="module")
def resources() -> LanguageResources:
    """One set of segmenters for every build of this module (builds run in-process)."""
    return LanguageResources()


def _build(
    content: Path,
    out: Path,
    resources: LanguageResources,
    *,
    use_cache: bool = True,
    templates_dir: Path | None = None,
    jobs: int = 1,
) -> BuildReport:
    # No search index: Pagefind has its own tests, and re-indexes everything anyway.
    options = BuildOptions(
        content, out, jobs=jobs, use_cache=use_cache, templates_dir=templates_dir, search=False
    )
    return build_site(options, resources)


def _changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def _count_pages_made(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Which article (by path) and topic (by key) pages the next builds model."""
    made: dict[str, list[str]] = {"article": [], "topic": []}
    make_article, make_topic = sitemodel._article_page, sitemodel._topic_page

    def article_page(context: Any, article: Article, *rest: Any) -> Any:
        made["article"].append(article.entry.path)
        return make_article(context, article, *rest)

    def topic_page(*args: Any) -> Any:
        made["topic"].append(args[-1].topic.key)  # the page's _TopicPageSlot
        return make_topic(*args)

    monkeypatch.setattr(sitemodel, "_article_page", article_page)
    monkeypatch.setattr(sitemodel, "_topic_page", topic_page)
    return made


def _count_digest_items_made(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Which articles (by path) and topics (by key) the next builds encode into
    digest.json rather than copy from the previous one."""
    made: dict[str, list[str]] = {"article": [], "topic": []}
    article_document, topic_document = digest_json._article_document, digest_json._topic_document

    def article(article: Article, *rest: Any) -> Any:
        made["article"].append(article.entry.path)
        return article_document(article, *rest)

    def topic(topic: Topic, *rest: Any) -> Any:
        made["topic"].append(topic.key)
        return topic_document(topic, *rest)

    monkeypatch.setattr(digest_json, "_article_document", article)
    monkeypatch.setattr(digest_json, "_topic_document", topic)
    return made


def _page_file(url: str) -> str:
    return url.rstrip("/") + "/index.html" if not url.endswith(".html") else url


def _cache_entries(out: Path) -> list[Path]:
    return sorted((cache_dir_for(out) / "articles").rglob("*.pickle"))


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory, resources: LanguageResources
) -> tuple[Path, Path]:
    """The sample built once with the cache: (content folder, output folder)."""
    out = tmp_path_factory.mktemp("built") / "_site"
    _build(SAMPLE_CONTENT, out, resources)
    return SAMPLE_CONTENT, out


@pytest.fixture(scope="module")
def cold(tmp_path_factory: pytest.TempPathFactory, resources: LanguageResources) -> Path:
    """The sample built once without any cache: the reference output."""
    out = tmp_path_factory.mktemp("cold") / "_site"
    _build(SAMPLE_CONTENT, out, resources, use_cache=False)
    assert not cache_dir_for(out).exists()
    return out


def test_no_change_rebuild_reuses_everything(
    tmp_path: Path, resources: LanguageResources, cold: Path
) -> None:
    out = tmp_path / "_site"
    first = _build(SAMPLE_CONTENT, out, resources)
    assert (first.analysed, first.reused) == (5, 0)
    assert file_tree(out) == file_tree(cold)
    inodes = {path: path.stat().st_ino for path in out.rglob("*") if path.is_file()}
    second = _build(SAMPLE_CONTENT, out, resources)
    assert (second.analysed, second.reused) == (0, 5)
    assert second.write.written == 0 and second.write.unchanged == second.write.files
    assert file_tree(out) == file_tree(cold)
    # Unchanged files are the same files on disk, not rewritten copies.
    assert {path: path.stat().st_ino for path in inodes} == inodes


def test_one_article_change_touches_only_its_pages(
    sample_content: Path,
    tmp_path: Path,
    resources: LanguageResources,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "_site"
    _build(sample_content, out, resources)
    before = file_tree(out)
    digest_before = json.loads(before["digest.json"])

    article = sample_content / CHANGED_ARTICLE
    text = article.read_text("utf-8")
    assert ANCHOR in text
    article.write_text(text.replace(ANCHOR, INSERTED + ANCHOR, 1), "utf-8")
    made = _count_pages_made(monkeypatch)
    encoded = _count_digest_items_made(monkeypatch)
    report = _build(sample_content, out, resources)
    assert (report.analysed, report.reused) == (1, 4)
    after = file_tree(out)
    digest_after = json.loads(after["digest.json"])
    changed = _changed(before, after)

    own_pages = {
        _page_file(a["url"])
        for digest in (digest_before, digest_after)
        for a in digest["articles"]
        if a["path"] == CHANGED_ARTICLE
    }
    touched_topics = {
        _page_file(t["url"])
        for digest in (digest_before, digest_after)
        for t in digest["topics"]
        if any(member["path"] == CHANGED_ARTICLE for member in t["articles"])
    }
    same_story = {
        _page_file(a["url"])
        for digest in (digest_before, digest_after)
        for a in digest["articles"]
        if CHANGED_ARTICLE in json.dumps(a["same_story"])
    }
    index_pages = {
        path
        for path in after
        if path in ("index.html", "topics/index.html", "digest.json", "feed.xml")
        or path.startswith("languages/")
    }
    assert own_pages <= changed, "the edited article's page must change"
    assert INSERTED.strip().encode() in after[next(iter(own_pages))]
    allowed = own_pages | touched_topics | same_story | index_pages
    assert changed <= allowed, sorted(changed - allowed)
    other_articles = {
        _page_file(a["url"]) for a in digest_after["articles"] if a["path"] != CHANGED_ARTICLE
    } - same_story
    assert not changed & other_articles
    assert report.write.written == len(changed)
    assert report.write.unchanged == report.write.files - len(changed)
    # Pages whose inputs are unchanged are not even modelled (sitemodel.PageEntry.inputs):
    # the edited article's page, and only the topic pages that show it.
    touched_keys = {
        t["key"]
        for digest in (digest_before, digest_after)
        for t in digest["topics"]
        if any(member["path"] == CHANGED_ARTICLE for member in t["articles"])
    }
    assert made["article"] == [CHANGED_ARTICLE]
    assert made["topic"] and set(made["topic"]) <= touched_keys
    assert len(made["topic"]) < len(digest_after["topics"])
    # digest.json likewise copies the articles and topics whose inputs are unchanged.
    same_story_paths = {
        a["path"]
        for digest in (digest_before, digest_after)
        for a in digest["articles"]
        if CHANGED_ARTICLE in json.dumps(a["same_story"])
    }
    assert CHANGED_ARTICLE in encoded["article"]
    assert set(encoded["article"]) <= {CHANGED_ARTICLE} | same_story_paths
    assert encoded["topic"] and set(encoded["topic"]) <= touched_keys
    # Whatever the rebuild took from the cache (analyses, linking memos, automatic
    # topics, CC-CEDICT answers, rendered pages), it is the site a cold build makes.
    reference = tmp_path / "cold" / "_site"
    _build(sample_content, reference, resources, use_cache=False)
    assert after == file_tree(reference)


def test_a_previous_digest_that_was_changed_is_not_copied_from(
    tmp_path: Path, resources: LanguageResources, cold: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """digest.json's items are copied from the previous file only where its bytes are
    still those the previous build wrote: an item altered in place is encoded again."""
    out = tmp_path / "_site"
    _build(SAMPLE_CONTENT, out, resources)
    digest_file = out / "digest.json"
    data = digest_file.read_bytes()
    altered = data.replace(b'"reading_minutes": ', b'"reading_minutez": ', 1)
    assert altered != data and len(altered) == len(data)
    digest_file.unlink()  # not through the hard link, if the staging made one
    digest_file.write_bytes(altered)
    encoded = _count_digest_items_made(monkeypatch)
    _build(SAMPLE_CONTENT, out, resources)
    assert digest_file.read_bytes() == (cold / "digest.json").read_bytes()
    assert len(encoded["article"]) == 1 and not encoded["topic"]


def test_template_change_rerenders_every_page(tmp_path: Path, resources: LanguageResources) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(default_templates_dir(), templates)
    out = tmp_path / "_site"
    _build(SAMPLE_CONTENT, out, resources, templates_dir=templates)
    before = file_tree(out)
    base = templates / "base.html"
    html = base.read_text("utf-8")
    assert "</body>" in html
    base.write_text(html.replace("</body>", "<!-- theme v2 --></body>", 1), "utf-8")
    report = _build(SAMPLE_CONTENT, out, resources, templates_dir=templates)
    assert report.analysed == 0  # templates are not an input of analysis
    after = file_tree(out)
    pages = {path for path in after if path.endswith(".html")}
    assert pages and pages <= _changed(before, after)
    for path in pages:
        assert b"<!-- theme v2 -->" in after[path], path


def test_corrupted_entries_are_ignored_and_repaired(
    tmp_path: Path, resources: LanguageResources, cold: Path
) -> None:
    out = tmp_path / "_site"
    _build(SAMPLE_CONTENT, out, resources)
    entries = _cache_entries(out)
    assert len(entries) == 5
    truncated, garbage, wrong_type, wrong_key, intact = entries
    truncated.write_bytes(truncated.read_bytes()[: truncated.stat().st_size // 2])
    garbage.write_bytes(b"\x00not a cache entry\xff" * 10)
    # Intact framing and checksum, but not an analysis record.
    wrong_type.write_bytes(encode_entry((wrong_type.stem, "source", 42)))
    # A valid entry of another article under this key.
    wrong_key.write_bytes(intact.read_bytes())
    # A flipped byte inside the pickled payload.
    data = bytearray(intact.read_bytes())
    data[-40] ^= 0x01
    intact.write_bytes(bytes(data))
    # Without its output folder the build must go through the article entries (an intact
    # output with unchanged inputs is reused whole, entries unread).
    shutil.rmtree(out)

    report = _build(SAMPLE_CONTENT, out, resources)
    assert (report.analysed, report.reused) == (5, 0)
    assert file_tree(out) == file_tree(cold)
    store = BuildCache(cache_dir_for(out))
    assert all(store.load_article(path.stem) is not None for path in _cache_entries(out))
    shutil.rmtree(out)
    again = _build(SAMPLE_CONTENT, out, resources)
    assert (again.analysed, again.reused) == (0, 5)


def test_version_change_misses_the_cache(
    tmp_path: Path, resources: LanguageResources, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "_site"
    _build(SAMPLE_CONTENT, out, resources)
    old_entries = {path.name for path in _cache_entries(out)}
    monkeypatch.setattr(cache_module, "__version__", "999.0.0")
    report = _build(SAMPLE_CONTENT, out, resources)
    assert (report.analysed, report.reused) == (5, 0)
    new_entries = {path.name for path in _cache_entries(out)}
    assert len(new_entries) == 5 and not new_entries & old_entries  # old ones collected


def test_removed_article_entry_is_collected(
    sample_content: Path, tmp_path: Path, resources: LanguageResources
) -> None:
    out = tmp_path / "_site"
    _build(sample_content, out, resources)
    assert len(_cache_entries(out)) == 5
    index = sample_content / "INDEX.md"
    lines = index.read_text("utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if CHANGED_ARTICLE in line)
    end = start + 1
    while end < len(lines) and lines[end].startswith("  - "):
        end += 1
    index.write_text("".join(lines[:start] + lines[end:]), "utf-8")
    (sample_content / CHANGED_ARTICLE).unlink()
    report = _build(sample_content, out, resources)
    assert (report.analysed, report.reused) == (0, 4)
    assert len(_cache_entries(out)) == 4


def test_no_cache_writes_no_cache(tmp_path: Path, resources: LanguageResources) -> None:
    out = tmp_path / "_site"
    report = _build(SAMPLE_CONTENT, out, resources, use_cache=False)
    assert report.analysed == 5
    assert not (tmp_path / ".site_builder_cache").exists()


# --- keys and entries ------------------------------------------------------------------


def test_key_covers_what_analysis_reads() -> None:
    entry = ArticleEntry(path="a.txt", line=3, title="T")
    config = SiteConfig(title="Site")
    key = analysis_key(b"text", entry, config, "code")
    assert analysis_key(b"text", entry, config, "code") == key
    # What analysis reads changes the key …
    assert analysis_key(b"text!", entry, config, "code") != key
    assert analysis_key(b"text", ArticleEntry("a.txt", 3, title="U"), config, "code") != key
    assert analysis_key(b"text", ArticleEntry("a.txt", 3, "T", lang="pt"), config, "code") != key
    assert analysis_key(b"text", entry, SiteConfig("Site", summary_sentences=2), "code") != key
    assert analysis_key(b"text", entry, config, "other code") != key
    # … presentation settings and the entry's line in INDEX.md do not.
    assert analysis_key(b"text", ArticleEntry("a.txt", 9, title="T"), config, "code") == key
    assert analysis_key(b"text", entry, SiteConfig("Other", ui_language="pt"), "code") == key


def test_code_fingerprint_follows_the_version(monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache_module.code_fingerprint()
    assert cache_module.code_fingerprint() == before
    monkeypatch.setattr(cache_module, "__version__", "999.0.0")
    assert cache_module.code_fingerprint() != before


class _Exploit:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (print, ("this must never run",))


def test_entries_round_trip_and_refuse_foreign_objects() -> None:
    value = ("k", SiteConfig("x"), frozenset({1}))
    assert decode_entry(encode_entry(value)) == value
    planted = encode_entry(_Exploit())
    assert decode_entry(planted) is None
    payload = pickle.dumps(_Exploit(), protocol=5)
    assert payload in planted  # a plain pickle.loads of it would call print()
    assert decode_entry(b"") is None
    assert decode_entry(encode_entry(value)[:-3]) is None


def test_cached_records_load_equal_without_asking_for_their_fields(
    built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Article entries (sentences, tokens, mentions …) load as equal, still frozen
    records, and without a dataclasses.fields() call per record, which was a tenth of
    loading a large site's cached analyses."""
    entry = _cache_entries(built[1])[0]
    first = read_entry(entry)
    data = entry.read_bytes()
    asked: list[object] = []
    fields = dataclasses.fields

    def counting_fields(kind: Any) -> Any:
        asked.append(kind)
        return fields(kind)

    monkeypatch.setattr(dataclasses, "fields", counting_fields)
    again = decode_entry(data)
    assert asked == []
    assert again == first and again is not None
    records = [part for part in again if dataclasses.is_dataclass(part)]  # type: ignore[attr-defined]
    assert records
    with pytest.raises(dataclasses.FrozenInstanceError):
        records[0].path = "elsewhere"  # type: ignore[misc]
    assert decode_entry(encode_entry(again)) == again


def test_analysis_code_is_the_import_closure_of_the_analysis() -> None:
    package = Path(cache_module.__file__).resolve().parent
    files = {
        path.relative_to(package).as_posix()
        for path in cache_module.module_files(package, cache_module.ANALYSIS_MODULES)
    }
    assert {"sources.py", "boilerplate.py", "analysis/summary.py", "model.py"} <= files
    assert {"languages/japanese.py", "languages/chinese.py", "languages/latin.py"} <= files
    # Editing a later stage keeps the analysis entries.
    assert not {"render.py", "sitemodel.py", "write.py", "pipeline.py", "cli.py"} & files


def test_module_files_follows_relative_and_lazy_imports(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from .b import thing\nfrom . import (\n    c,\n)\n")
    (package / "b.py").write_text("def f():\n    from .sub import d\n    import pkg.e\n")
    (package / "c.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "d.py").write_text("from ..model import X\n")
    (package / "e.py").write_text("")
    (package / "model.py").write_text("")
    (package / "unused.py").write_text("")
    files = {
        path.relative_to(package).as_posix()
        for path in cache_module.module_files(package, ["pkg.a"])
    }
    assert files == {
        "__init__.py",
        "a.py",
        "b.py",
        "c.py",
        "sub/__init__.py",
        "sub/d.py",
        "e.py",
        "model.py",
    }


def test_no_change_rebuild_stops_after_reading_inputs(
    built: tuple[Path, Path], tmp_path: Path, resources: LanguageResources
) -> None:
    content, cold = built
    out = tmp_path / "_site"
    shutil.copytree(cold.parent, tmp_path, dirs_exist_ok=True)  # site and its cache
    report = _build(content, out, resources)
    stages = [name for name, _seconds in report.timings]
    assert "sources+analysis" not in stages and "site model+render" not in stages, stages
    assert report.write.written == 0 and report.write.unchanged == report.write.files
    assert file_tree(out) == file_tree(cold)
    # The files the site's build wrote, as it counted them (not its marker file).
    assert report.write.files == len(file_tree(cold)) - 1


def test_touched_output_is_built_again(
    built: tuple[Path, Path], tmp_path: Path, resources: LanguageResources
) -> None:
    content, cold = built
    out = tmp_path / "_site"
    shutil.copytree(cold.parent, tmp_path, dirs_exist_ok=True)
    page = next(p for p in sorted(out.rglob("index.html")) if p.parent != out)
    page.write_text("edited by hand", "utf-8")
    (out / "feed.xml").unlink()
    report = _build(content, out, resources)
    assert "site model+render" in [name for name, _seconds in report.timings]
    assert file_tree(out) == file_tree(cold)


def test_render_reuses_pages_whose_view_model_is_unchanged(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    from site_builder.pipeline import load_digest
    from site_builder.render import render_site
    from site_builder.sitemodel import build_site_model

    content, _cold = built
    model = build_site_model(load_digest(content))
    store = MemoryPages()
    first = render_site(model, pages=store)
    pages = {page.path for page in model.pages}
    assert set(store.rendered) == pages
    # Templates that fail if used: a second render must take every page from the store.
    broken = tmp_path / "templates"
    shutil.copytree(default_templates_dir(), broken)
    for template in broken.glob("*.html"):
        template.write_text("{{ no_such_variable.attribute }}", "utf-8")
    store.rendered.clear()
    second = render_site(model, broken, pages=store)
    assert store.rendered == []
    assert [(f.path, f.data) for f in second if f.path in pages] == [
        (f.path, f.data) for f in first if f.path in pages
    ]


def _built_stage(
    content: Path, tmp_path: Path, stage: str, jobs: int = 1
) -> tuple[Path, dict[object, object] | None]:
    """Build `content` with a fresh set of resources (as a new run): the output folder,
    and what the cache keeps for `stage`."""
    out = tmp_path / "_site"
    _build(content, out, LanguageResources(), jobs=jobs)
    store = BuildCache(cache_dir_for(out))
    return out, store.load_stage(stage, store.code, dict)


def test_katakana_readings_are_kept_between_builds(
    sample_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from site_builder.lexicon import Lexicon

    out, answers = _built_stage(sample_content, tmp_path, "lexicon answers")
    known = (answers or {}).get("katakana")
    assert known and all(isinstance(v, str) and v for v in known.values())

    asked: list[str] = []
    original = Lexicon._transliterator

    def counting(self: Lexicon) -> object:
        run = original(self)

        def transliterate(word: str) -> str:
            asked.append(word)
            return run(word)

        return transliterate

    monkeypatch.setattr(Lexicon, "_transliterator", counting)
    article = sample_content / CHANGED_ARTICLE
    article.write_text(article.read_text("utf-8").replace(ANCHOR, INSERTED + ANCHOR, 1), "utf-8")
    report = _build(sample_content, out, LanguageResources())  # fresh lexicon, as a new run
    assert report.analysed == 1
    assert not set(asked) & set(known), "words read in the last build must not be inferred again"


@pytest.mark.parametrize(
    ("changed", "edit", "jobs"),
    [
        (CHANGED_ARTICLE, lambda text: text.replace(ANCHOR, INSERTED + ANCHOR, 1), 1),
        # Chinese, with a Latin paragraph after its first one (bench/run's edit): its
        # analysis asks CC-CEDICT what it asked last time, in a worker process (-j 2) or
        # in the build's own.
        ("articles/004_80b01854ed10c8b2.txt", lambda text: text.replace("\n\n", LATIN, 1), 1),
        ("articles/004_80b01854ed10c8b2.txt", lambda text: text.replace("\n\n", LATIN, 1), 2),
    ],
)
def test_cedict_answers_are_kept_between_builds(
    changed: str,
    edit: Callable[[str], str],
    jobs: int,
    sample_content: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from site_builder.lexicon import Lexicon

    out, answers = _built_stage(sample_content, tmp_path, "lexicon answers", jobs)
    assert answers and any(answers.values())

    # Analysis and linking ask CC-CEDICT only what they asked before, so a new run does
    # not load the dictionary at all.
    def no_index(self: Lexicon) -> object:
        raise AssertionError("CC-CEDICT was loaded again")

    monkeypatch.setattr(Lexicon, "_cedict_index", no_index)
    article = sample_content / changed
    article.write_text(edit(article.read_text("utf-8")), "utf-8")
    report = _build(sample_content, out, LanguageResources())
    assert report.analysed == 1


def test_manifest_is_read_again_when_the_content_folder_changes(
    tmp_path: Path, resources: LanguageResources, monkeypatch: pytest.MonkeyPatch
) -> None:
    from site_builder import manifest, pipeline
    from site_builder.errors import SiteBuilderError

    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    cache = cache_module.BuildCache(cache_dir_for(tmp_path / "_site"))
    first, _, _ = pipeline._read_declarations(content, cache, keep_going=False)
    reads: list[Path] = []
    real_read = manifest.read_manifest

    def counting_read(folder: Path, **options: bool) -> object:
        reads.append(folder)
        return real_read(folder, **options)

    monkeypatch.setattr(manifest, "read_manifest", counting_read)
    # Unchanged folder, and an article edited in place: the stored manifest.
    assert pipeline._read_declarations(content, cache, keep_going=False)[0] == first
    article = content / first.entries[0].path
    article.write_text(article.read_text(encoding="utf-8") + "\nMais um parágrafo.\n")
    assert pipeline._read_declarations(content, cache, keep_going=False)[0] == first
    assert reads == []
    # A new unlisted file: read again, with its warning.
    (content / "extra.md").write_text("# Extra\n\nTexto.\n", encoding="utf-8")
    _, diagnostics, _ = pipeline._read_declarations(content, cache, keep_going=False)
    assert len(reads) == 1 and any("extra.md" in d.message for d in diagnostics)
    # A listed article removed: read again, and the error says so.
    article.unlink()
    with pytest.raises(SiteBuilderError) as error:
        pipeline._read_declarations(content, cache, keep_going=False)
    assert len(reads) == 2 and first.entries[0].path in str(error.value.diagnostics)
    # Run from another folder: messages name paths from there, so read again.
    shutil.copy(SAMPLE_CONTENT / first.entries[0].path, article)
    pipeline._read_declarations(content, cache, keep_going=False)
    before = len(reads)
    monkeypatch.chdir(content)
    pipeline._read_declarations(content, cache, keep_going=False)
    assert len(reads) == before + 1
    # topics.yaml edited: read again.
    topics = content / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    pipeline._read_declarations(content, cache, keep_going=False)
    assert len(reads) == before + 2
    # A symbolic link in the folder: never taken from the cache.
    (content / "link.md").symlink_to(article)
    pipeline._read_declarations(content, cache, keep_going=False)
    pipeline._read_declarations(content, cache, keep_going=False)
    assert len(reads) == before + 4


def test_linking_memos_round_trip_and_are_collected(tmp_path: Path) -> None:
    cache = cache_module.BuildCache(tmp_path / "cache")
    kept, dropped = "a" * 64, "b" * 64
    cache.store_memo(kept, {"folded": "texto", ("spans", "x", False): [(0, 1, 2, "x")]})
    cache.store_memo(dropped, {"folded": "outro"})
    assert cache.load_memo(kept) == {"folded": "texto", ("spans", "x", False): [(0, 1, 2, "x")]}
    assert cache.collect_memos([kept]) == 1
    assert cache.load_memo(dropped) is None and cache.load_memo(kept) is not None
    # A damaged file is no memo.
    (path,) = (tmp_path / "cache" / "memos").rglob("*.pickle")
    path.write_bytes(path.read_bytes()[:-3])
    assert cache.load_memo(kept) is None


def test_entry_memory_hands_back_what_was_stored_until_the_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview server's memory of decoded entries: the same value without reading the
    file again, but never a value the file no longer holds."""
    memory = EntryMemory()
    cache = BuildCache(tmp_path / "cache", memory)
    stored = {"answer": ("forty", 2)}
    cache.store_stage("topics", "key-1", stored)

    def no_decoding(data: bytes) -> object:
        raise AssertionError("read from disk although held in memory")

    monkeypatch.setattr(cache_module, "decode_entry", no_decoding)
    assert cache.load_stage("topics", "key-1", dict) is stored
    monkeypatch.undo()

    # Another process (a CLI build beside the server) replaces the entry.
    BuildCache(tmp_path / "cache").store_stage("topics", "key-1", {"answer": "new"})
    assert cache.load_stage("topics", "key-1", dict) == {"answer": "new"}
    # A damaged file is not covered by what memory held before.
    path = tmp_path / "cache" / "stages" / "topics.pickle"
    path.write_bytes(path.read_bytes()[:-3])
    assert cache.load_stage("topics", "key-1", dict) is None
    assert len(memory) == 0  # nor held for a file that may come back
    path.unlink()
    assert cache.load_stage("topics", "key-1", dict) is None

    # Entries no build touched since the last call are dropped.
    cache.store_stage("stories", "key-2", {"kept": True})
    memory.forget_unused()
    assert len(memory) == 1
    memory.forget_unused()
    assert len(memory) == 0
    # Workers get the cache without the memory.
    assert pickle.loads(pickle.dumps(cache))._memory is None


def test_warm_rebuilds_give_the_cold_builds_site(
    sample_content: Path, tmp_path: Path, resources: LanguageResources
) -> None:
    """Rebuilds keeping the cache entries in memory (the preview server) after an edit,
    and after the edit is undone, give the site of a build without any cache."""
    memory = EntryMemory()
    out = tmp_path / "_site"
    options = BuildOptions(sample_content, out, jobs=1, search=False)
    build_site(options, resources, memory=memory)
    assert len(memory) > 5
    article = sample_content / CHANGED_ARTICLE
    original = article.read_text("utf-8")
    for text in (original.replace(ANCHOR, INSERTED + ANCHOR, 1), original):
        article.write_text(text, "utf-8")
        report = build_site(options, resources, memory=memory)
        assert (report.analysed, report.reused) == (1, 4)
        reference = tmp_path / f"cold-{len(text)}" / "_site"
        _build(sample_content, reference, resources, use_cache=False)
        assert file_tree(out) == file_tree(reference)


def test_builds_leave_no_object_frozen(
    tmp_path: Path, resources: LanguageResources, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Linking moves the loaded articles out of the collector's way (gc.freeze), and gives
    them back when it ends, failed or not: a preview server builds again and again."""
    freezes: list[int] = []
    real_freeze = gc.freeze
    monkeypatch.setattr(gc, "freeze", lambda: freezes.append(1) or real_freeze())
    _build(SAMPLE_CONTENT, tmp_path / "_site", resources, use_cache=False)
    assert freezes
    assert gc.get_freeze_count() == 0

    def failing(*args: object, **kwargs: object) -> None:
        assert gc.get_freeze_count() > 0  # failing inside the frozen stretch
        raise SiteBuilderError("linking failed")

    monkeypatch.setattr(pipeline, "_link_topics", failing)
    with pytest.raises(SiteBuilderError):
        _build(SAMPLE_CONTENT, tmp_path / "_site2", resources, use_cache=False)
    assert gc.get_freeze_count() == 0


def test_topic_linking_runs_with_the_collector_paused_and_memos_frozen(
    tmp_path: Path, resources: LanguageResources, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Linking keeps what it makes to the end: it runs with no cyclic collection, after
    every article's memo is added and frozen with the articles (a second gc.freeze); the
    collector is on and nothing is frozen once the build is done."""
    from site_builder import topics

    freezes: list[int] = []
    real_freeze, real_link = gc.freeze, topics.link_topics
    monkeypatch.setattr(gc, "freeze", lambda: freezes.append(1) or real_freeze())
    seen: list[tuple[bool, int, int, int]] = []

    def watching(articles: Any, declared: Any, resources: Any, **kwargs: Any) -> Any:
        memos = kwargs["memos"]
        added = sum(1 for a in articles if memos.digest_of(a.entry.path))
        seen.append((gc.isenabled(), len(freezes), gc.get_freeze_count(), added))
        return real_link(articles, declared, resources, **kwargs)

    monkeypatch.setattr(topics, "link_topics", watching)
    _build(SAMPLE_CONTENT, tmp_path / "_site", resources)
    ((enabled, freeze_calls, frozen, added),) = seen
    assert not enabled and freeze_calls == 2 and frozen > 0 and added == 5
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_loading_cached_analyses_pauses_the_collector(
    tmp_path: Path, resources: LanguageResources, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No cyclic collection while cached analyses load (each walked all loaded so far);
    the collector is on again after, also when loading fails, and stays off for a caller
    who had turned it off."""
    out = tmp_path / "_site"
    _build(SAMPLE_CONTENT, out, resources)
    enabled_while_loading: list[bool] = []
    real_load = BuildCache.load_article

    def watching(self: BuildCache, key: str) -> object:
        enabled_while_loading.append(gc.isenabled())
        return real_load(self, key)

    monkeypatch.setattr(BuildCache, "load_article", watching)
    digest = pipeline.load_digest(SAMPLE_CONTENT, resources, cache=BuildCache(cache_dir_for(out)))
    assert len(digest.articles) == len(enabled_while_loading) == 5
    assert not any(enabled_while_loading)
    assert gc.isenabled()

    def failing(self: BuildCache, key: str) -> object:
        raise OSError("unreadable")

    monkeypatch.setattr(BuildCache, "load_article", failing)
    with pytest.raises(OSError):
        pipeline.load_digest(SAMPLE_CONTENT, resources, cache=BuildCache(cache_dir_for(out)))
    assert gc.isenabled()
    gc.disable()
    try:
        with pipeline._collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_analysis_workers_collect_less_often(tmp_path: Path) -> None:
    """An analysis worker runs the cyclic collector with the workers' thresholds."""
    from concurrent.futures import ProcessPoolExecutor

    settings = pipeline._Settings(tmp_path, SiteConfig(title="Site"), None)
    with ProcessPoolExecutor(
        max_workers=1,
        mp_context=pipeline._worker_context(),
        initializer=pipeline._start_worker,
        initargs=(settings,),
    ) as pool:
        assert pool.submit(gc.get_threshold).result() == pipeline._WORKER_GC_THRESHOLDS


def test_linking_results_are_stored_and_a_template_change_does_not_link_again(
    tmp_path: Path, resources: LanguageResources, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The topics and stories are stored after the linking memos are let go (_StageMemo):
    # a rebuild whose articles and topics.yaml are unchanged must take them from there.
    templates = tmp_path / "templates"
    shutil.copytree(default_templates_dir(), templates)
    out = tmp_path / "_site"
    first = _build(SAMPLE_CONTENT, out, resources, templates_dir=templates)
    stages = cache_dir_for(out) / "stages"
    for name in ("topics", "stories"):
        stored = read_entry(stages / f"{name}.pickle")
        assert isinstance(stored, tuple) and len(stored) == 2 and isinstance(stored[1], tuple)
    assert len(read_entry(stages / "topics.pickle")[1]) == first.topics  # type: ignore[index]

    def no_linking(*_args: object, **_kwargs: object) -> object:
        raise AssertionError("linked again although nothing linking reads changed")

    monkeypatch.setattr("site_builder.topics.link_topics", no_linking)
    monkeypatch.setattr("site_builder.stories.link_stories", no_linking)
    base = templates / "base.html"
    base.write_text(base.read_text("utf-8").replace("</body>", "<!-- v2 --></body>", 1), "utf-8")
    again = _build(SAMPLE_CONTENT, out, resources, templates_dir=templates)
    assert again.analysed == 0 and again.topics == first.topics


@settings(max_examples=200, deadline=None)
@given(at=st.integers(min_value=0), flip=st.integers(min_value=1, max_value=255))
def test_a_damaged_entry_decodes_to_nothing_or_to_its_value(at: int, flip: int) -> None:
    value = ("key", SiteConfig("Título 標題"), frozenset({"a", "b"}), b"\x00\x01")
    entry = bytearray(encode_entry(value))
    entry[at % len(entry)] ^= flip
    assert decode_entry(bytes(entry)) in (None, value)
    assert decode_entry(bytes(entry[: at % len(entry)])) is None


_forms = st.tuples(st.text(max_size=4), st.text(max_size=4))
_members = st.lists(
    st.builds(
        TopicMember,
        article=st.sampled_from(["a.md", "b.txt", "c/d.html"]),
        surfaces=_forms,
        sentences=st.lists(st.integers(0, 2**31 - 1), max_size=5).map(tuple),
        reason=st.sampled_from(["keyphrase", "alias", ""]),
    ),
    max_size=12,
).map(tuple)


@settings(max_examples=200, deadline=None)
@given(
    members=_members,
    names=st.lists(st.tuples(st.sampled_from(["pt", "ja"]), _forms), max_size=2).map(tuple),
    declared=st.booleans(),
)
def test_topics_round_trip_through_their_column_pickle(
    members: tuple[TopicMember, ...], names: tuple[tuple[str, tuple[str, ...]], ...], declared: bool
) -> None:
    topic = Topic("k", "Name", "theme", names, members, declared)
    assert decode_entry(encode_entry((topic, [topic]))) == (topic, [topic])
    assert pickle.loads(pickle.dumps(topic, protocol=5)) == topic


def test_a_topic_pickles_as_a_few_objects_however_many_members() -> None:
    """The pickler's memo holds every object written until the end of a cache entry:
    member by member, a 10,000-article site's topics made it 100 MB."""
    members = tuple(
        TopicMember(f"articles/{n:05}.md", ("DeepSeek",), (n % 7, n % 11), "keyphrase")
        for n in range(2_000)
    )
    pickler = pickle.Pickler(io.BytesIO(), protocol=5)
    pickler.dump(Topic("deepseek", "DeepSeek", "org", (("en", ("DeepSeek",)),), members))
    # The articles' paths, and a handful of tuples for the rest.
    assert len(pickler.memo.copy()) < len(members) + 30
    loaded = pickle.loads(pickle.dumps(Topic("k", "K", "org", (), members), protocol=5))
    assert loaded.members == members
    assert loaded.members[0].surfaces is loaded.members[1].surfaces  # equal forms: one tuple


def test_an_article_is_fingerprinted_by_its_cache_key_only_while_the_key_holds(
    tmp_path: Path, resources: LanguageResources
) -> None:
    # Pages compare an article's fingerprint instead of its source and analysis, so it
    # must be the key of what was analysed: not of bytes that changed during the read.
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    cache = BuildCache(cache_dir_for(tmp_path / "_site"), None)
    inputs = pipeline._read_inputs(content, cache, keep_going=False)
    assert all(inputs.keys)
    digest = pipeline.load_digest(content, resources, cache=cache, inputs=inputs)
    keys = dict(zip((e.path for e in inputs.manifest.entries), inputs.keys, strict=True))
    assert {a.entry.path: a.fingerprint for a in digest.articles} == keys
    again = pipeline.load_digest(content, resources, cache=cache, inputs=inputs)  # from the cache
    assert {a.entry.path: a.fingerprint for a in again.articles} == keys

    from site_builder.analysis.keyphrases import BackgroundFrequencies

    settings_ = pipeline._Settings(content, inputs.manifest.config, cache)
    analyser = pipeline._ArticleAnalyser(settings_, resources, BackgroundFrequencies())
    entry = next(e for e in inputs.manifest.entries if e.path == CHANGED_ARTICLE)
    task = pipeline._Task(entry, keys[CHANGED_ARTICLE])
    assert analyser(task).fingerprint == keys[CHANGED_ARTICLE]
    with (content / CHANGED_ARTICLE).open("a", encoding="utf-8") as stream:
        stream.write(LATIN)  # saved after the key was made, before the analysis read it
    assert analyser(task).fingerprint == ""


def test_topic_columns_that_do_not_add_up_are_refused() -> None:
    # From a cache entry: a sentence column longer than the counts say is damage, and
    # must not load as a topic that silently lost sentences.
    columns = ("k", "K", "theme", (), False, ("a.txt",), (("K",),), (0,), ("r",), (0,), (1,))
    assert topic_from_columns(*columns, (3,)).members[0].sentences == (3,)
    with pytest.raises(ValueError):
        topic_from_columns(*columns, (3, 4))
