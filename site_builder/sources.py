"""Sources stage: the bytes of an article file → clean plain-text paragraphs.

Three steps, each a plain function:

1. `decode_bytes` finds the text encoding. UTF-8 and byte-order-marked UTF-16/32 are tried
   first and strictly; anything else is decoded with every plausible legacy encoding and the
   decoding that reads most like real text wins (short CJK texts fool statistical detectors).
2. `normalise_text` makes the text canonical: newlines, NFC, no invisible characters.
3. `read_source` cuts the text into paragraphs (plain text or Markdown) and hands them to
   `boilerplate.clean_units`, which drops web-page furniture and records what it dropped.
"""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import yaml
from charset_normalizer import from_bytes
from markdown_it import MarkdownIt
from markdown_it.token import Token as MdToken

from .boilerplate import CleanResult, Unit, UnitKind, clean_units, is_cjk_char
from .errors import SiteBuilderError
from .model import SourceDocument

# --- decoding ------------------------------------------------------------------------

# Articles larger than this are refused before they are read. A news article is 2–100 KB;
# analysis costs about 20 s and 200 MB per MB of text, so a file this large is a dump or a
# mistake, and reading it whole would stall the build and fill memory.
MAX_ARTICLE_BYTES = 4 * 1024 * 1024
_EMPTY = "is empty; write the article's text into it, or remove its entry from INDEX.md"
_BINARY = (
    "looks like a binary file, not text; only plain-text (.txt) and Markdown (.md) "
    "articles can be published: link to a text version instead"
)

# Reported encoding name → Python codecs tried in order. The first codec is the standard
# one (so text written by Python round-trips exactly); the later ones are vendor supersets
# that also accept the extra characters Windows and Hong Kong software write.
_LEGACY_DECODERS: dict[str, tuple[str, ...]] = {
    "gb18030": ("gb18030",),
    "big5": ("big5", "cp950", "big5hkscs"),
    "shift_jis": ("shift_jis", "cp932", "shift_jis_2004"),
    "euc-jp": ("euc_jp", "euc_jis_2004"),
    "cp1252": ("cp1252", "latin-1"),
    "euc-kr": ("euc_kr", "cp949"),
}
# Order = preference when two decodings read equally well.
# EUC-JP goes before Big5: EUC-JP bytes always decode as Big5 (kana rows land on common
# hanzi) while Big5 text almost never decodes as EUC-JP, so a tie favours the stricter one.
_LEGACY_CANDIDATES = ("gb18030", "euc-jp", "big5", "shift_jis", "cp1252", "euc-kr")
_CJK_FAMILIES = frozenset({"gb18030", "euc-jp", "big5", "shift_jis", "euc-kr"})

# codecs.lookup(name).name of a charset-normalizer answer → our reported family name.
_CODEC_FAMILY: dict[str, str] = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5",
    "cp950": "big5",
    "big5hkscs": "big5",
    "cp932": "shift_jis",
    "shift_jis": "shift_jis",
    "shift_jis_2004": "shift_jis",
    "shift_jisx0213": "shift_jis",
    "euc_jp": "euc-jp",
    "euc_jis_2004": "euc-jp",
    "euc_jisx0213": "euc-jp",
    "cp1252": "cp1252",
    "iso8859-1": "cp1252",
    "latin-1": "cp1252",
    "euc_kr": "euc-kr",
    "cp949": "euc-kr",
}
_CHINESE_FAMILIES = frozenset({"gb18030", "big5"})
_JAPANESE_FAMILIES = frozenset({"shift_jis", "euc-jp"})

# A decoding whose oddity score (odd characters per non-ASCII character) is above this
# is not text in any encoding we know.
_MAX_ODDITY = 0.5
# Encodings proposed only by charset-normalizer must beat ours by this margin: its
# single-byte guesses (Cyrillic, Greek …) never look odd to our CJK-oriented scoring.
_FOREIGN_GUESS_PENALTY = 0.15
# EUC-KR decodes most CJK byte pairs as Hangul from the everyday syllable set; it must win
# by more than a whisker, and Korean is the least likely language of the corpus.
_KOREAN_PRIOR = 0.15
_SCORED_PREFIX = 20_000  # characters scored per candidate; enough to decide, keeps it fast

_BINARY_MAGIC = (
    b"\x89PNG",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",
    b"%PDF",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"\x7fELF",
    b"MZ\x90\x00",
    b"BZh",
    b"7z\xbc\xaf",
    b"Rar!",
    b"RIFF",
    b"OggS",
    b"ID3",
    b"\xd0\xcf\x11\xe0",  # MS Office compound document
    b"SQLite format 3",
)
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16"),
)
# C0 controls that never occur in text files (tab, newlines, form feed and ESC may).
_BINARY_CONTROL_BYTES = (
    frozenset(range(0x00, 0x09))
    | frozenset({0x0B})
    | frozenset(range(0x0E, 0x1B))
    | frozenset(range(0x1C, 0x20))
)


def decode_bytes(data: bytes, path: str) -> tuple[str, str]:
    """Decode an article file: (text, encoding name in lower case).

    Raises SiteBuilderError naming `path` for empty, binary or undecodable data.
    """
    if not data.strip():
        raise SiteBuilderError(_EMPTY, path)
    for bom, name, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise SiteBuilderError(
                    f"starts with a {name.upper()} byte-order mark but is not valid {name.upper()}"
                    f" (byte {exc.start}); save it as UTF-8",
                    path,
                ) from None
            return _non_empty(text, path), name
    if b"\x00" in data:
        utf16 = _bomless_utf16(data)
        if utf16 is None:
            raise SiteBuilderError(_BINARY, path)
        return _non_empty(utf16[0], path), utf16[1]
    if data.startswith(_BINARY_MAGIC) or _control_byte_ratio(data) > 0.01:
        raise SiteBuilderError(_BINARY, path)
    try:
        return _non_empty(data.decode("utf-8"), path), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if data.isascii() and b"\x1b$" in data:
        try:
            return _non_empty(data.decode("iso2022_jp"), path), "iso-2022-jp"
        except UnicodeDecodeError:
            pass
    line = data.count(b"\n", 0, utf8_error.start) + 1
    bad_byte = f"0x{data[utf8_error.start]:02x}"
    if _mostly_utf8(data):
        # Legacy CJK text makes valid UTF-8 pairs by chance (GB18030's 一 is D2 BB, "һ" in
        # UTF-8): a CJK decoding that reads as text is the file's encoding after all.
        legacy = _best_legacy_decoding(data)
        if legacy is not None and legacy[1] in _CJK_FAMILIES:
            return _non_empty(legacy[0], path), legacy[1]
        # Otherwise a legacy decoding would turn every UTF-8 character into mojibake
        # ("aÃ§Ã£o"): the file is UTF-8 with a few foreign or damaged bytes.
        raise SiteBuilderError(
            f"is UTF-8 except for byte {bad_byte} on this line (a file mixing encodings, or "
            "damaged); save it as UTF-8, retyping the characters around that byte",
            path,
            line,
        )
    decoded = _best_legacy_decoding(data)
    if decoded is None:
        raise SiteBuilderError(
            f"cannot tell the text encoding: byte {bad_byte} on this line is not UTF-8 and "
            "no other encoding reads as text (a file mixing encodings?); save it as UTF-8",
            path,
            line,
        )
    return _non_empty(decoded[0], path), decoded[1]


# UTF-8 multi-byte characters per invalid byte above which a file that is not valid UTF-8
# is still UTF-8 with a few foreign bytes. Legacy CJK text makes valid pairs by chance, but
# fewer than one per two invalid bytes; cp1252 text makes almost none.
_MOSTLY_UTF8_RATIO = 4


def _mostly_utf8(data: bytes) -> bool:
    decoded = data.decode("utf-8", errors="replace")
    # Each invalid byte sequence became one U+FFFD; a U+FFFD written in the file is valid.
    invalid = decoded.count("\ufffd") - data.count("\ufffd".encode())
    valid = sum(1 for char in decoded if ord(char) > 0x7F) - invalid
    return invalid > 0 and valid >= _MOSTLY_UTF8_RATIO * invalid


def _non_empty(text: str, path: str) -> str:
    if not text.strip().strip("\ufeff\u200b"):
        raise SiteBuilderError(_EMPTY, path)
    return text


def _control_byte_ratio(data: bytes) -> float:
    return sum(1 for byte in data if byte in _BINARY_CONTROL_BYTES) / len(data)


def _bomless_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a byte-order mark shows as NUL bytes on one side of each pair."""
    if len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = len(data) // 2
    if odd_nuls >= 0.3 * half and even_nuls <= 0.05 * half:
        name = "utf-16-le"
    elif even_nuls >= 0.3 * half and odd_nuls <= 0.05 * half:
        name = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(name)
    except UnicodeDecodeError:
        return None
    if any(
        unicodedata.category(char) in ("Cc", "Cs", "Cn") and char not in "\t\n\r\f" for char in text
    ):
        return None
    return text, name


@dataclass(frozen=True, slots=True)
class _Candidate:
    family: str
    text: str
    oddity: float
    rank: int


def _best_legacy_decoding(data: bytes) -> tuple[str, str] | None:
    candidates: list[_Candidate] = []
    for rank, family in enumerate(_LEGACY_CANDIDATES):
        text = _decode_family(data, family)
        if text is not None:
            candidates.append(_Candidate(family, text, oddity(text[:_SCORED_PREFIX], family), rank))
    for rank, (codec, text) in enumerate(
        _charset_normalizer_guesses(data)[:1], len(_LEGACY_CANDIDATES)
    ):
        if _CODEC_FAMILY.get(codec) is None:
            score = oddity(text[:_SCORED_PREFIX], codec) + _FOREIGN_GUESS_PENALTY
            candidates.append(_Candidate(codec.replace("_", "-"), text, score, rank))
    if not candidates:
        return None
    best = min(candidates, key=lambda c: (round(c.oddity, 6), c.rank))
    if best.oddity > _MAX_ODDITY:
        return None
    return best.text, best.family


def _decode_family(data: bytes, family: str) -> str | None:
    for codec in _LEGACY_DECODERS[family]:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return None


def _charset_normalizer_guesses(data: bytes) -> list[tuple[str, str]]:
    """(canonical codec name, decoded text) for charset-normalizer's plausible answers."""
    guesses: list[tuple[str, str]] = []
    for match in from_bytes(data):
        try:
            codec = codecs.lookup(match.encoding).name
            text = data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
        if codec.startswith(("utf", "ascii")) or _is_cjk_codec(codec):
            continue  # UTF ruled out strictly; CJK encodings are scored by us

        guesses.append((codec, text))
    return guesses


def _is_cjk_codec(codec: str) -> bool:
    try:
        return bool("中".encode(codec))
    except UnicodeEncodeError:
        return False


# Punctuation and symbols that real CJK and Latin text use all the time.
_PLAIN_SYMBOLS = frozenset(
    "、。，．・：；？！「」『』（）〔〕［］｛｝〈〉《》【】〜～ー…‥—–‘’“”·•«»°€£¥©®™§¿¡ºª"
    "\u3000々〆〇％＆＊＋－／＝＜＞＃＄＠％"
)


def oddity(text: str, family: str) -> float:
    """How much a decoding looks like mojibake: odd characters per non-ASCII character.

    Odd = replacement/private/unassigned/control characters, Han characters outside the
    few thousand in everyday Chinese and Japanese use, half-width katakana, Hangul compatibility
    jamo and rare syllables, stray symbols, a Han character glued inside a Latin word, long runs
    of accented Latin letters, and scripts that the encoding's language does not use.
    """
    odd = _latin_run_oddity(text)
    non_ascii = 0
    previous = " "
    length = len(text)
    for index, char in enumerate(text):
        code = ord(char)
        if code < 0x80:
            if (code < 0x20 and char not in "\t\n\r\f\x1b") or code == 0x7F:
                odd += 3
                non_ascii += 1
            previous = char
            continue
        non_ascii += 1
        category = unicodedata.category(char)
        if char == "\ufffd" or category in ("Co", "Cn", "Cs", "Cc"):
            odd += 3
        elif _is_han(code) or 0x3040 <= code <= 0x30FF:
            following = text[index + 1] if index + 1 < length else " "
            odd += _cjk_char_oddity(char, family, previous, following)
        elif 0xFF61 <= code <= 0xFF9F or 0x3130 <= code <= 0x318F:
            odd += 1  # half-width katakana, Hangul compatibility jamo: not in running text
        elif 0xAC00 <= code <= 0xD7A3:
            following = text[index + 1] if index + 1 < length else " "
            if previous.isascii() and following.isascii() and previous + following != "  ":
                odd += 0.25  # a lone syllable glued to Latin text
            if family in _CHINESE_FAMILIES or family in _JAPANESE_FAMILIES:
                odd += 1
            elif not _in_ks_x_1001(char):
                odd += 1  # outside the 2,350 syllables of everyday Korean
        elif char in _PLAIN_SYMBOLS or 0xFF01 <= code <= 0xFF5E:
            pass
        elif category[0] not in "LM":
            odd += 0.5
        elif code >= 0x370:
            following = text[index + 1] if index + 1 < length else " "
            if _is_ascii_letter(previous) or _is_ascii_letter(following):
                odd += 1  # Greek, Cyrillic, Arabic … letters glued to a Latin word
        previous = char
    if family == "euc-kr":
        odd += _KOREAN_PRIOR * non_ascii
    return odd / max(non_ascii, 1)


# cp1252 symbols that text rarely uses but mojibake often shows.
_RARE_CP1252_SYMBOLS = frozenset("‚„ƒ†‡ˆ‰‹›˜")


def _is_latin_run_char(char: str) -> bool:
    code = ord(char)
    return (0x80 <= code <= 0x24F and char not in _PLAIN_SYMBOLS) or char in _RARE_CP1252_SYMBOLS


def _latin_run_oddity(text: str) -> float:
    """Mojibake read as Latin-1 makes runs of accented letters and symbols ("Ã÷", "ÈÕ").

    Real words carry one or two accented letters in a row ("ções"), next to plain letters;
    short words made only of them are single letters ("é", "à").
    """
    odd = 0.0
    start = 0
    length = len(text)
    while start < length:
        if not _is_latin_run_char(text[start]):
            start += 1
            continue
        end = start + 1
        while end < length and _is_latin_run_char(text[end]):
            end += 1
        run = end - start
        odd += max(0, run - 2)
        if run >= 2:
            before = text[start - 1] if start else " "
            after = text[end] if end < length else " "
            if not (_is_ascii_letter(before) or _is_ascii_letter(after)):
                odd += run
        start = end
    return odd


def _cjk_char_oddity(char: str, family: str, previous: str, following: str) -> float:
    odd = 0.0
    if previous.isascii() and following.isascii():
        odd += 0.25  # one CJK character alone among Latin text: "o ‘M" read as Shift_JIS
        if _is_ascii_letter(previous) and _is_ascii_letter(following):
            odd += 1  # "inova豫o": inside a Latin word
    if _is_han(ord(char)):
        if char not in _COMMON_HAN:
            odd += 1
        if family == "euc-kr":
            odd += 0.5  # modern Korean rarely writes Hanja
    elif family in _CHINESE_FAMILIES:
        odd += 0.5  # GB2312 and JIS share kana code points; kana favours Japanese
    elif family == "euc-kr":
        odd += 1
    return odd


def _is_han(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3FFFF
    )


def _is_ascii_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _in_ks_x_1001(char: str) -> bool:
    try:
        char.encode("euc_kr")
    except UnicodeEncodeError:
        return False
    return True


# --- normalisation -------------------------------------------------------------------

_DROPPED_INVISIBLES = frozenset(
    "\ufeff"  # byte-order mark / zero-width no-break space
    "\u200b"  # zero-width space
    "\u200c"  # zero-width non-joiner
    "\u2060"  # word joiner
    "\u180e"  # Mongolian vowel separator (formerly a space)
    "\u00ad"  # soft hyphen
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # bidi controls
)
_ZWJ = "\u200d"
_NEWLINES = re.compile(r"\r\n|[\r\x85\u2028\x0b\x0c]")
_SPACE_RUN = re.compile(r" {2,}")


def normalise_text(text: str) -> str:
    """Canonical text: \\n newlines, NFC, no invisible or control characters, single spaces.

    Leading indentation is kept (collapsed to at most one run of spaces, tab = 4) because the
    paragraph splitter reads it; line ends are stripped.
    """
    text = text.replace("\u2029", "\n\n")
    text = _NEWLINES.sub("\n", text)
    text = unicodedata.normalize("NFC", text)
    lines = []
    for line in text.split("\n"):
        # A printable line has no control, format (invisible) or non-ASCII space
        # character: nothing to drop or replace, as is most of any text.
        if not line.isprintable():
            line = _visible_line(line)
        stripped = line.lstrip(" ")
        indent = line[: len(line) - len(stripped)]
        lines.append(indent + _SPACE_RUN.sub(" ", stripped.rstrip(" ")))
    return "\n".join(lines).strip("\n")


def _visible_line(line: str) -> str:
    """A line (no \\n) without invisible and control characters, spaces made plain."""
    chars: list[str] = []
    length = len(line)
    for index, char in enumerate(line):
        if char in _DROPPED_INVISIBLES:
            continue
        if char == _ZWJ:
            before = line[index - 1] if index else ""
            after = line[index + 1] if index + 1 < length else ""
            if _is_emoji_part(before) and _is_emoji_part(after):
                chars.append(char)
            continue
        if char == "\t":
            chars.append("    ")
            continue
        category = unicodedata.category(char)
        if category == "Cc":
            continue
        if category == "Zs":
            chars.append(" ")
            continue
        chars.append(char)
    return "".join(chars)


def _is_emoji_part(char: str) -> bool:
    if not char:
        return False
    code = ord(char)
    return (
        0x1F000 <= code <= 0x1FAFF
        or 0x2600 <= code <= 0x27BF
        or code in (0xFE0F, 0x2640, 0x2642, 0x2695, 0x2696, 0x2708, 0x2764)
        or 0x1F3FB <= code <= 0x1F3FF
    )


# --- paragraphs of a plain-text file ------------------------------------------------

_BULLET = re.compile(r"^(?:[•●▪◦‣∙・]\s*|[-*+]\s+)(?=\S)")
_ATX_HEADING = re.compile(r"^#{1,6}\s+(?=\S)")
_SENTENCE_END = re.compile(r"[.!?。！？…][\"'”’»)）」』]*$")
_HARD_WRAP_MIN = 30  # a wrapped line is at least this long …
_HARD_WRAP_MAX = 100  # … and a wrapping editor never makes lines longer than this


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    number: int  # 0-based line number in the normalised text
    indent: int
    bullet: bool


def text_units(text: str) -> list[Unit]:
    """Paragraph candidates of a plain-text article (see module docs of boilerplate)."""
    blocks: list[list[_Line]] = [[]]
    for number, raw in enumerate(text.split("\n")):
        stripped = raw.lstrip(" ")
        if not stripped:
            if blocks[-1]:
                blocks.append([])
            continue
        content = _ATX_HEADING.sub("", stripped)
        bullet = _BULLET.match(content)
        if bullet:
            content = content[bullet.end() :]
        blocks[-1].append(_Line(content, number, len(raw) - len(stripped), bullet is not None))
    units: list[Unit] = []
    for block_index, block in enumerate(b for b in blocks if b):
        for group in _paragraph_groups(block):
            text_joined = " ".join(line.text for line in group)
            units.append(
                Unit(
                    text=text_joined,
                    block=block_index,
                    indent=group[0].indent,
                    bullet=group[0].bullet,
                    lines=(group[0].number, group[-1].number + 1),
                )
            )
    return units


def _paragraph_groups(block: list[_Line]) -> list[list[_Line]]:
    """Lines of one block, grouped into paragraphs: one line each unless hard-wrapped."""
    if not _is_hard_wrapped(block):
        return [[line] for line in block]
    widest = max(len(line.text) for line in block)
    groups: list[list[_Line]] = [[block[0]]]
    for previous, line in itertools.pairwise(block):
        ends_paragraph = len(previous.text) < 0.6 * widest and bool(
            _SENTENCE_END.search(previous.text)
        )
        if line.bullet or ends_paragraph:
            groups.append([line])
        else:
            groups[-1].append(line)
    return groups


def _is_hard_wrapped(block: list[_Line]) -> bool:
    """Prose broken at a fixed column: Latin, similar line lengths, sentences run on."""
    if len(block) < 2:
        return False
    if any(is_cjk_char(char) for line in block for char in line.text):
        return False
    if any(
        not _HARD_WRAP_MIN <= len(line.text) <= _HARD_WRAP_MAX or line.bullet for line in block[:-1]
    ):
        return False
    return any(
        not _SENTENCE_END.search(previous.text) and line.text[:1].islower()
        for previous, line in itertools.pairwise(block)
    )


# --- Markdown ------------------------------------------------------------------------

_MORE_MARKER = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)
_FRONT_MATTER_FENCE = re.compile(r"^---\s*$")
_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)\s*$")


@dataclass(frozen=True, slots=True)
class _MarkdownParts:
    front_matter: tuple[tuple[str, str], ...]
    body_lines: list[str]
    more_line: int | None  # index in body_lines where <!--more--> stood (now removed)


def _split_markdown(text: str, path: str) -> _MarkdownParts:
    lines = text.split("\n")
    front_matter: tuple[tuple[str, str], ...] = ()
    body_start = 0
    if lines and _FRONT_MATTER_FENCE.match(lines[0]):
        end = next((i for i in range(1, len(lines)) if _FRONT_MATTER_END.match(lines[i])), None)
        if end is None:
            raise SiteBuilderError("front matter starts with --- but is never closed", path, 1)
        front_matter = _parse_front_matter("\n".join(lines[1:end]), path)
        body_start = end + 1
    body = lines[body_start:]
    more_line: int | None = None
    for index, line in enumerate(body):
        if _MORE_MARKER.search(line):
            rest = _MORE_MARKER.sub("", line, count=1)
            more_line = index
            if rest.strip():
                body[index] = rest.rstrip()
                more_line = index + 1 if line.strip().startswith(rest.strip()) else index
            else:
                del body[index]
            break
    return _MarkdownParts(front_matter, body, more_line)


def _parse_front_matter(source: str, path: str) -> tuple[tuple[str, str], ...]:
    try:
        loaded = yaml.safe_load(source) if source.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1  # +1 for 0-based, +1 for the fence
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise SiteBuilderError(f"front matter is not valid YAML: {problem}", path, line) from None
    if not isinstance(loaded, dict):
        raise SiteBuilderError("front matter must be a YAML mapping (key: value lines)", path, 2)
    items: list[tuple[str, str]] = []
    for key, value in loaded.items():
        if value is None or isinstance(value, list | dict):
            continue  # only scalars are metadata we can show
        if isinstance(value, bool):
            shown = "true" if value else "false"
        elif isinstance(value, datetime | date):
            shown = value.isoformat()
        else:
            shown = str(value)
        items.append((str(key), shown))
    return tuple(sorted(items))


def markdown_units(body: str) -> list[Unit]:
    """Paragraphs, headings, list items and quotes of a Markdown body (no code, no tables)."""
    parser = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    tokens = parser.parse(body)
    units: list[Unit] = []
    list_depth = 0
    quote_depth = 0
    table_depth = 0
    block_index = 0
    for index, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif token.type == "blockquote_open":
            quote_depth += 1
        elif token.type == "blockquote_close":
            quote_depth -= 1
        elif token.type == "table_open":
            table_depth += 1
        elif token.type == "table_close":
            table_depth -= 1
        elif token.type == "inline" and table_depth == 0 and index > 0:
            opener = tokens[index - 1]
            plain = _inline_plain_text(token)
            if not plain or opener.map is None:
                continue
            kind: UnitKind
            if opener.type == "heading_open":
                kind = "heading"
            elif list_depth:
                kind = "item"
            elif quote_depth:
                kind = "quote"
            else:
                kind = "paragraph"
            units.append(
                Unit(
                    text=plain,
                    block=block_index,
                    indent=0,
                    bullet=kind == "item",
                    lines=(opener.map[0], opener.map[1]),
                    kind=kind,
                )
            )
            block_index += 1
    return units


def _inline_plain_text(token: MdToken) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        # images, raw HTML and link/emphasis markers carry no prose
    joined = "".join(parts)
    # A soft line break is a space in Latin text but nothing between CJK characters.
    pieces = joined.split("\n")
    text = pieces[0]
    for piece in pieces[1:]:
        left, right = text.rstrip()[-1:], piece.lstrip()[:1]
        glue = "" if left and right and is_cjk_char(left) and is_cjk_char(right) else " "
        text = text.rstrip() + glue + piece.lstrip()
    return _SPACE_RUN.sub(" ", text).strip()


def _markdown_without(body_lines: list[str], result: CleanResult) -> str:
    """The Markdown body with the lines of dropped units (and trimmed text) taken out."""
    lines = list(body_lines)
    drop: set[int] = set()
    for unit in result.dropped:
        if unit.lines is not None:
            drop.update(range(unit.lines[0], unit.lines[1]))
    for unit, cut in result.trimmed:
        if unit.lines is None:
            continue
        for number in range(unit.lines[0], unit.lines[1]):
            if cut in lines[number]:
                lines[number] = lines[number].replace(cut, "").rstrip()
                break
    kept = [line for number, line in enumerate(lines) if number not in drop]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n") + "\n"


# --- the stage -----------------------------------------------------------------------


def read_source(content_dir: Path, rel_path: str) -> SourceDocument:
    """Read, decode, normalise, split and clean one article file."""
    file_path = content_dir / rel_path
    try:
        size = file_path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise SiteBuilderError(
                f"is {size / 2**20:.1f} MB; articles may be at most "
                f"{MAX_ARTICLE_BYTES // 2**20} MB: split it into several articles, or remove "
                "its entry from INDEX.md",
                rel_path,
            )
        data = file_path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise SiteBuilderError(f"cannot read the article file: {reason}", rel_path) from None
    text, encoding = decode_bytes(data, rel_path)
    text = normalise_text(text)
    if not text.strip():
        raise SiteBuilderError(_EMPTY, rel_path)
    if Path(rel_path).suffix.lower() in (".md", ".markdown"):
        return _markdown_document(text, rel_path, encoding)
    result = clean_units(text_units(text))
    return SourceDocument(
        path=rel_path,
        encoding=encoding,
        markup="text",
        paragraphs=tuple(unit.text for unit in result.units),
        removed=result.removed,
        title_line=result.title_line,
    )


def _markdown_document(text: str, rel_path: str, encoding: str) -> SourceDocument:
    parts = _split_markdown(text, rel_path)
    result = clean_units(markdown_units("\n".join(parts.body_lines)))
    more_summary: str | None = None
    if parts.more_line is not None:
        before = [
            unit.text
            for unit in result.units
            if unit.lines is not None and unit.lines[0] < parts.more_line
        ]
        more_summary = "\n\n".join(before) or None
    return SourceDocument(
        path=rel_path,
        encoding=encoding,
        markup="markdown",
        paragraphs=tuple(unit.text for unit in result.units),
        markdown=_markdown_without(parts.body_lines, result),
        more_summary=more_summary,
        front_matter=parts.front_matter,
        removed=result.removed,
        title_line=result.title_line,
    )


__all__ = [
    "MAX_ARTICLE_BYTES",
    "decode_bytes",
    "markdown_units",
    "normalise_text",
    "oddity",
    "read_source",
    "text_units",
]

# Han characters of everyday Chinese (Simplified and Traditional) and Japanese: the 2,500 most
# frequent in wordfreq's zh and ja word lists (weighted by word frequency), plus the OpenCC
# Traditional forms of the Chinese ones. Covers ~98% of running text; a wrong decoding of CJK
# bytes lands mostly outside it. Generated once, offline; frozen here so decoding needs no data.
_COMMON_HAN = frozenset(
    "一丁七万丈三上下不与丑专且世丘业丛东丝丞丟両丢两严並丧个中丰串临丶丸丹为主丼丽举"
    "丿乃久么义之乌乎乏乐乔乖乗乘乙九乞也习乡书买乱乳乾亀亂了予争事二于亏云互五井亚些"
    "亜亞亡交亦产亨亩享京亭亮亲人亿什仁仅仆仇今介仍从仏仑仓仔仕他仗付仙代令以仪们仮仰"
    "仲件价任份仿企伊伍伎伏伐休众优伙会伝伞伟传伤伦伪伯估伴伸伺似伽但位低住佐佑体佔何"
    "余佛作你佣佩佳併使來例侍侖供依侠価侣侦侧侨侮侯侵侶便係促俄俊俗俘保俠信俣俩修俱俳"
    "俵俺倆倉個倍們倒候借倡倣値倫倶债值倾假偉偏做停健側偵偶偷偽偿傅傍傑傘備储催傭傲傳"
    "債傷傻傾僅働像僑僕僚僞僧僱僵價儀億儒償優儲儿允元兄充兆兇先光克兌免兎児兑兒兔党入"
    "內全兩八公六兰共关兴兵其具典兹养兼兽内円冈冊册再冒冗写军农冠冤冥冨冬冰冲决冴况冷"
    "冻净凄准凉凌凍减凑凛凝几凡凤処凪凭凯凰凱凶凸凹出击函刀刃分切刈刊刑划列刘则刚创初"
    "删判別利刪别刮到制刷券刺刻剂剃則削前剑剖剛剝剣剤剥剧剩剪副剰割創劃劇劉劍劑力劝办"
    "功加务劣动助努劫励劲劳労効势勁勃勅勇勉勋勒動勘務勝勞募勢勤勧勲勳勵勸勾勿匂包匈化"
    "北匙匠匪匯匹区医匿區十千升午半华协卑卒卓協单卖南単博卜占卡卢卧卫卯印危即却卵卷卸"
    "卻卿厂厄厅历厉压厌厕厘厚原厢厦厨厭厲厳去县参參又叉及友双反収发叔取受变叙叛叠叡叢"
    "口古句另叩只叫召可台叱史右叶号司叹吁吃各合吉吊同名后吐向吓吕吗君吞吟吠否吧吨含听"
    "启吳吴吵吶吸吹吻吾呀呂呆呈呉告呐呑员呟呢周呪味呵呼命咋和咎咒咖咥咨咪咬咱咲咳咸哀"
    "品哇哈哉响哎哟員哥哦哪哭哲哺哼唄唆唇唉唐唤售唯唱唾商啊問啓啟啡啤啥啦啪喀喂善喇喉"
    "喊喋喔喘喚喜喝喧喩喪喫喬單喰喲営喷喻嗅嗎嗜嗣嗯嘆嘉嘗嘘嘛嘩嘲嘴嘿噂噌噛噢器噪噴噸"
    "嚇嚴囁囊囚四回因团団园困囲図围固国图圆圈國圍圏園圓圖團土圣圧在圭地圳场圾址坂均坊"
    "坎坏坐坑块坚坛坝坞坟坠坡坦坪垂垃垄型垒垢垣垫埃埋城埔域執培基埼堀堂堅堆堕堡堤堪報"
    "場堵堺塀塁塊塌塑塔塗塘塚塞塢塩填塵塾境墊墓増墙墜增墟墨墮墳壁壇壊壌壓壘壞壟壤壩士"
    "壮壯声壱売壳壺壽处备変复夏夕外多夜够夠夢夥大天太夫央失头夷夸夹夺夾奄奇奈奉奋奏契"
    "奔奖套奠奢奥奧奨奪奮女奴奶奸她好如妃妄妆妇妈妊妓妖妙妝妥妨妬妮妳妹妻姆姉姊始姐姑"
    "姓委姜姦姨姪姫姻姿威娃娇娘娛娜娠娯娱娶娼婆婚婦婴媒媚媛媳媽嫁嫉嫌嫩嬉嬌嬢嬰子孔孕"
    "字存孙孝孟季孤学孩孫孵學宁它宅宇守安宋完宏宗官宙定宛宜宝实実宠审客宣室宪宫宮宰害"
    "宴宵家容宽宾宿寂寄寅密富寒寓寛寝寞察寡實寧寨審寫寬寮寵寶寸对寺寻导対寿封専射将將"
    "專尉尊尋對導小少尔尖尘尚尝尤尬就尴尷尸尺尻尼尽尾尿局屁层居屆屈届屋屍屎屏屑展属屠"
    "屡屢層履屬山屿岁岐岗岛岡岩岬岭岳岸峙峠峡峯峰島峻峽崇崎崖崗崛崩嵌嵐嶋嶺嶼嶽巖川州"
    "巡巢巣工左巧巨巩巫差己已巳巴巻巾币市布帅帆师希帐帕帖帜帝帥带師席帮帯帰帳帶常帽幅"
    "幌幕幟幡幣幫干平年并幸幹幻幼幽幾广庁広庄庆庇床序库应底店庙府庞废度座庫庭庵庶康庸"
    "廁廂廃廈廉廊廚廟廠廢廣廳延廷建廻开弁异弃弄弊式弓引弗弘弟张弥弦弯弱張強弹强弾彈彌"
    "彎归当录彗彙彡形彦彩彫彭彰影彷役彻彼彿往征径待很律後徐徑徒従得從御復循微徳徴徵德"
    "徹徽心必忆忌忍志忘忙応忠忧快念忽怀态怎怒怕怖怜思怠急性怨怪怯总恆恋恐恒恢恥恨恩恭"
    "息恰恵恶恼悄悅悉悔悟悠患悦您悩悪悬悲悶悼情惊惑惚惜惠惡惣惧惨惩惯惰惱想惹愁愈愉意"
    "愕愚愛感愤愧愿慄慈態慌慎慕慘慢慣慧慨慮慰慶憂憎憐憑憤憧憩憲憶憾懂懇應懐懒懲懶懷懸"
    "懼戀戈戏成我戒或战戚戦截戮戯戰戲戴戶户戸戻房所扁扇扉手才扎扑打扔払托扣执扩扫扬扭"
    "扮扯扰扱扶批找承技抄把抑抓投抖抗折抚抛抜択抢护报披抬抱抵抹押抽担拆拉拋拍拐拒拓拔"
    "拖拗拘拙招拜拝拟拠拡拥拦拨择括拭拯拳拶拷拼拾拿持挂指按挑挖挙挟挡挣挤挥挨挪挫振挺"
    "挽挿捉捍捏捐捕捗捜捞损捡换捧捨据捷捻掀掃授掉掌排掘掙掛掟掠採探接控推掩措掲掴掻揃"
    "揄揉描提插揚換握揭揮援揶揺損搏搖搜搞搬搭搶携搾摂摄摆摇摊摔摘摧摩摯摸撃撈撐撑撒撕"
    "撞撤撥撫播撮撰撲撿擁擅擇擊擋操擎擔據擠擦擬擴擺擾攀攔攜攝攣攤支收改攻放政故效敌敍"
    "敏救敗敘教敢散敦敬数敲整敵敷數斃文斉斎斐斑斗料斜斤斥斧斩斬断斯新斷方於施旁旅旋族"
    "旗无既日旦旧旨早旬旭旱时旺昂昆昇昌明昏易昔星映春昧昨昭是昼显時晃晉晋晒晓晕晚晦晨"
    "晩普景晰晴晶智暁暂暇暈暑暖暗暢暦暨暫暮暴曇曉曖曜曝曬曰曲更書曹曼曽曾替最會月有朋"
    "服朔朗望朝期木未末本札术朱朴朵机朽杀杂权杆杉李杏材村杖杜束条来杨杭杯杰東松板极构"
    "析枕林枚果枝枠枢枪枯架柄柊柏某染柔柚柜查柬柯柱柳柴柵査柿栃栄标栋栏树栓栖栗校株样"
    "核根格栽桁桂桃框案桌桐桑桜档桥桶梁梅梓梗條梦梨梯械梱梶检棄棉棋棍棒棚棟森棲棺椅植"
    "椎椒検椿楊楓楚楠業極楼楽概榎榜榮榴構槌槍様槻槽樂樋樓標樞模樣権横樫樱樸樹樽橋橘機"
    "橡橫檎檔檢檻櫃櫻欄權欠次欢欣欧欲欺款歇歉歌歐歓歡止正此步武歧歩歪歯歲歳歴歷歸死殆"
    "殊残殖殘殴段殺殻殼殿毀毁毅毆母毎每毒比毕毙毛毫氏民气気氛氢氣氧氫水氷永氾汁求汇汉"
    "汎汐汗汙汚汝江池污汤汪汰汲決汽沃沈沉沌沒沖沙沟没沢沦沪河沸油治沼沿況泄泉泊泌法泛"
    "泡波泣泥注泪泰泳泼泽洁洋洒洗洛洞津洩洪洲活派流浄浅浆测济浏浑浓浙浜浦浩浪浮浴海浸"
    "涂消涉涌涙涛润涨涯液涵涼淀淋淑淘淚淡淨淪淫淮深淳淵混淹淺添清渇済渉渋渐渓渔渕渗渚"
    "減渠渡渦温測港渴游渾湊湖湘湧湯湾湿満溃源準溜溝溢溪溫溶溺溼滅滋滑滚滝滞满滤滥滨滩"
    "滬滯滲滴滾滿漁漂漆漏演漕漠漢漫漬漲漸漿潑潔潘潛潜潟潤潮潰澄澡澤澪澳激濁濃濕濟濡濤"
    "濫濯濱濾瀏瀕瀧瀬灌灘灣火灭灯灰灵灼災灾炉炊炎炒炭炮炸点為炼烂烈烏烛烟烤烦烧热焉焚"
    "無焦然焼煉煌煎煙煤照煩煮煽熊熙熟熬熱燃燈燒燕營燥燭爆爐爛爪爬爭爱爲爵父爷爸爹爺爽"
    "爾牀牆片版牌牙牛牝牟牡牢牧物牲牵特牺牽犠犧犬犯状犹狀狂狐狗狙狠狩独狭狮狱狹狼猎猛"
    "猜猟猥猪猫献猴猶猿獄獅獎獣獨獲獵獸獻玄率玉王玛玩玫环现玲玻珈珊珍珠班現球理琉琥琲"
    "琳琴琵琶琼瑜瑞瑟瑠瑪瑰璃璧環瓊瓜瓦瓶瓷甘甚甜生產産甥用田由甲申电男甸町画畅界畏畑"
    "留畜畝畢略番畫異畳畴當畿疆疇疊疎疏疑疗疫疯疲疹疼疾病症痒痔痕痙痛痢痩痴痺瘋瘍瘤瘦"
    "瘾療癌癒癖癡癮発登發白百的皆皇皮皿盆盈益盐监盒盖盗盘盛盜盟盡監盤盧目盯盲直相盼盾"
    "省眉看県眞真眠眩眺眼眾着睛睡督睦睨瞄瞎瞑瞒瞞瞧瞬瞭瞳矛矢知矩短矮矯石矶矿码砂砍研"
    "砕砖砦砲破砸础硕硝硫硬确碁碍碎碑碗碧碩碰碳確碼磁磐磚磨磯礁礎礙礦示礼社祀祇祈祉祐"
    "祕祖祝神祥票祭祷祸禁禄禅禍福禮禱离禽禿秀私秋种科秒秘租秦秩积称移稀稅程稍税稚稣種"
    "稱稲稳稻稼稽稿穀穂穆穌積穏穩穫穴究穷空穿突窃窒窓窗窝窟窩窪窮窯竊立站竜竞竟章童竭"
    "端競竹竿笑笔笛笠符笨第笹笼筆筈等筋筐筑筒答策筹签简箇箋算管箭箱箸節範篇築篠篤篮簡"
    "簿籃籌籍籠籤籲米类粉粋粒粗粘粛粤粧粮粵粹精糊糕糖糞糟糧糸系糾紀約紅紋納紐純紗紘紙"
    "級紛素紡索紧紫累細紳紹紺終組絆経結絕絞絡絢給統絲絵絶絹綁經継続綜綠維綱網綴綺綻綾"
    "綿緊緋総緑緒線締緣編緩緬緯練縁縄縛縣縦縫縮縱總績繁繊繋織繕繞繩繪繰繳繼續纏纖纠红"
    "纤约级纪纯纱纲纳纵纷纸纹纺纽线练组细织终绍经绑结绕绘给络绝统继绩绪续绳维绵综绿缅"
    "缓缔编缘缝缠缩缴缶缺罐网罕罗罚罠罢罩罪置罰署罵罷羅羊美羞羣群羨義羽翁翌習翔翠翰翻"
    "翼耀老考者而耍耐耕耗耳耶耻聊职联聖聘聚聞聡聪聯聰聲聴職聽肃肅肆肉肌肖肘肚肛肝肠股"
    "肢肤肥肩肪肯育肺肾肿胀胁胃胆背胎胖胜胞胡胴胶胸能脂脅脆脇脈脉脊脏脑脖脚脣脫脱脳脸"
    "脹脾腊腎腐腔腕腥腦腫腰腳腸腹腺腾腿膀膏膚膜膝膠膣膨膳膽臂臆臉臓臘臣臥臨自臭至致臺"
    "臼舆與興舉舊舌舍舎舐舒舔舗舘舞舟航舫般舰舱舵舶船艇艘艙艦良艰艱色艳艶艺艾节芋芒芙"
    "芝芥芦芬芭芯花芳芸芹芽苍苏苑苔苗苛若苦英苹苺茂范茅茉茎茜茨茲茶茸茹草荐荒荘荡荣药"
    "荷荻莉莊莎莫莱莲获菅菊菌菓菜菩華菱菲萄萊萌萎萝营萧萨萩萬落葉著葛葡董葬葵蒂蒋蒙蒲"
    "蒸蒼蓄蓋蓝蓬蓮蔑蔓蔡蔣蔬蔵蔽蕎蕩蕭蕾薄薇薔薦薩薪薫薬藉藍藏藝藤藥藩藻蘇蘋蘭蘿虎虐"
    "虑處虚虛虜號虧虫虹虽虾蚀蚊蛇蛋蛍蛛蛮蜂蜘蜜蜡蝕蝦蝶融螺蟲蟹蟻蠟蠢蠣蠻血衆行衍術衔"
    "街衛衝衞衡衣补表衫衬衰衷袁袋袖袜被袭袴裁裂装裏裔裕裙補裝裡裤裸裹製裾複褐褒褲襟襪"
    "襯襲西要覆覇見規視覗覚覧親観覺覽觀见观规视览觉角解触觸言訂計訊討訓託記訝訟訣訪設"
    "許訳訴診証詐評詞詠詢詣試詩詫詭詮詰話該詳詹誇誉誌認誓誕誘語誠誤說説読誰課誹誼調談"
    "請諏諒論諜諦諧諭諮諷諸諾謀謂謊謎謗謙講謝謠謡謬謳謹證識譚譜警譯議譲譴護譽讀讃變讐"
    "讓计订认讨让训议讯记讲讶许论讼讽设访诀证评识诈诉诊词译试诗诚话诞诡询该详语误诱说"
    "请诸诺读课谁调谅谈谊谋谍谎谐谓谜谢谣谨谬谱谴谷豆豊豐豔豚象豪豫豬豹貌貓貝貞負財貢"
    "貧貨販貪貫責貯貰貴貶買貸費貼貿賀賂賃賄資賈賊賑賓賛賜賞賠賢賣賤賦質賬賭賴賺購賽贄"
    "贅贈贊贏贝负贡财责贤败账货质贩贪贫贬购贯贱贴贵贷贸费贺贼贾贿资赋赌赏赐赔赖赚赛赞"
    "赠赢赤赦赫走赴赵赶起趁超越趋趕趙趟趣趨足跃跌跑距跟跡跨跪路跳践踊踏踐踢踩踪蹈蹤蹴"
    "躇躊躍身躲躺車軌軍軒軟転軸軽較載輔輕輛輝輩輪輯輸輻輿轄轉轎轟轢车轨转轮软轰轴轻载"
    "轿较辅辆辈辉辐辑输辖辛辜辞辟辣辦辨辩辭辯辰辱農边辺辻込辽达辿迁迂迄迅过迈迎运近返"
    "还这进远违连迟迪迫述迷迹追退送适逃逆选逊透逐递途逗這通逛逝速造逢連逮週進逸逻逼逾"
    "遂遅遇遊運遍過道達違遗遙遜遞遠遡遣遥適遭遮遲遵遷選遺遼遽避邀邁還邊邏邓那邦邪邮邸"
    "邻郁郊郎郑郡部郭郵郷都鄉鄧鄭鄰配酎酒酔酢酬酱酵酷酸酿醇醉醒醜醤醫醬醸釀采釈释釋里"
    "重野量釐金釘釜針釣鈍鈎鈴鉄鉛鉢鉤鉱鉴銀銃銅銘銜銭銳銷鋒鋪鋭鋳鋼錄錆錠錢錦錫錬錯録"
    "鍋鍛鍵鍾鎊鎌鎖鎧鎮鏈鏡鐘鐵鑑鑰鑽针钉钓钟钢钥钩钱钻铁铃铜银铺链销锁锅锋锐错锡锦键"
    "锻镇镑镜長长門閃閉開閑閒間関閣閥閱閲闇闊闖闘關闡闢门闪闭问闯闲间闷闹闻阀阁阅阐阔"
    "阜队阪防阳阴阵阶阻阿陀附际陆陈陌降限陕陛陝院陣除陥险陪陰陳陵陶陷陸険陽隅隆隈隊階"
    "随隐隔隕隙際障隠隣隨險隱隶隷隸隻隼难雀雄雅集雇雌雑雕雖雙雛雜雞離難雨雪雫雰雲零雷"
    "電雾需震霉霊霍霜霞霧露霸靈青靖静靜非靠面革靭靴鞄鞋鞍鞏鞭韋韓韦韩音韵韻響頁頂頃項"
    "順須頌預頑頒頓頗領頬頭頸頻頼顆題額顎顏顔顕願顛類顧顯页顶顷项顺须顽顾顿颁颂预领颇"
    "颈频颗题颜额颠風飄风飘飛飞食飢飯飲飴飼飽飾餃餅養餌餐餓餘館饋饒饥饭饮饰饱饲饶饼饿"
    "馆馈首香馬馳馴駁駄駅駆駐駒駕駛駿騎騒験騙騰騷驅驕驗驚驟马驰驱驳驶驻驾骂骄验骑骗骚"
    "骤骨骸髄髒體高髙髪髭鬥鬧鬱鬼魁魂魅魏魔魚魯鮎鮑鮫鮭鮮鯉鯊鯖鯛鯨鱗鱼鲁鲍鲜鲨鳥鳩鳳"
    "鳴鴉鴨鴻鵜鵝鵬鶏鶴鷲鷹鸟鸡鸣鸦鸭鸿鹅鹰鹸鹹鹽鹿麓麗麥麦麺麻麼黃黄黎黑黒默黙點黨黴"
    "鼓鼠鼻齊齋齐齒齡齢齿龄龍龐龙龜龟"
)
