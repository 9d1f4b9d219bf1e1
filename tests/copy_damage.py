"""Ways a kept copy of language data (site_builder.languages.kept_copies) can be damaged
or made unsafe; each must make the next load ignore the copy and make it again."""

from __future__ import annotations

from pathlib import Path


def cut_short(copy: Path) -> None:
    copy.write_bytes(copy.read_bytes()[:-5])


def writable_by_others(copy: Path) -> None:
    copy.chmod(0o666)


# --- word tables (kept_copies.write_word_table) -------------------------------------


def other_layout(copy: Path) -> None:
    """The layout line of another table (or of another version of this one)."""
    data = copy.read_bytes()
    copy.write_bytes(b"S" + data[1:] if data[:1] == b"s" else b"s" + data[1:])


def one_word_less(copy: Path) -> None:
    layout, counts, rest = copy.read_bytes().split(b"\n", 2)
    count, number, size = counts.split(b" ")
    copy.write_bytes(b"%s\n%d %s %s\n%s" % (layout, int(count) - 1, number, size, rest))


def bad_utf8(copy: Path) -> None:
    layout, counts, rest = copy.read_bytes().split(b"\n", 2)
    copy.write_bytes(b"%s\n%s\n\xff%s" % (layout, counts, rest[1:]))


WORD_TABLE_DAMAGES = [cut_short, other_layout, one_word_less, bad_utf8, writable_by_others]
