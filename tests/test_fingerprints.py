"""site_builder.fingerprints: pickles that depend on values, not on object identity."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from site_builder.fingerprints import fields_of_record, value_digest, value_pickle
from site_builder.model import Topic, TopicMember


def test_equal_values_give_equal_pickles_whichever_objects_they_share() -> None:
    shared = "pt" * 3
    one = (shared, shared, TopicMember("a.md", (shared,), (1,), "x"))
    other = ("ptptpt", "".join(["pt"] * 3), TopicMember("a.md", ("ptptpt",), (1,), "x"))
    assert one[0] is one[1] and other[0] is not other[1]
    assert value_pickle(one) == value_pickle(other)
    assert value_digest(one) != value_digest((*one[:2], TopicMember("a.md", (), (1,), "x")))


def test_many_frozensets_are_fingerprinted() -> None:
    """CPython 3.11's fast pickling fails (KeyError) after 49 frozensets."""
    value = [frozenset({n}) for n in range(60)]
    assert value_pickle(value) == value_pickle([frozenset({n}) for n in range(60)])
    assert value_digest(value) != value_digest(value[:-1])


@dataclass(frozen=True, slots=True)
class _Point:
    x: int
    y: int


@dataclass(frozen=True, slots=True)
class _Pair:
    x: int
    y: int


@dataclass(frozen=True)
class _Loose:  # no slots: may carry attributes that are not fields
    x: int


def test_frozen_records_are_told_apart_by_class_and_every_field() -> None:
    assert value_pickle(_Point(1, 2)) == value_pickle(_Point(1, 2))
    assert value_digest(_Point(1, 2)) != value_digest(_Point(2, 1))
    assert value_digest(_Point(1, 2)) != value_digest(_Pair(1, 2))
    assert value_digest(_Point(1, 2)) != value_digest((1, 2))
    # A record inside a record, and one field that is a record
    assert value_digest((_Point(1, _Point(2, 3)),)) != value_digest((_Point(1, _Point(2, 4)),))


def test_records_that_pickle_their_own_way_keep_it() -> None:
    topic = Topic("k", "K", "theme", (("pt", ("k",)),), (TopicMember("a.md", ("k",), (0,), "r"),))
    assert b"topic_from_columns" in value_pickle(topic)
    loose = _Loose(1)
    object.__setattr__(loose, "extra", 2)
    assert value_digest(loose) != value_digest(_Loose(1))  # its __dict__, as pickle has it


def test_fields_of_record_are_its_fields_in_order_and_only_for_records() -> None:
    @dataclass(frozen=True, slots=True)
    class Pair:
        left: str
        right: tuple[int, ...]

    @dataclass(frozen=True)
    class Unslotted:
        value: str

    assert fields_of_record(Pair)(Pair("a", (1, 2))) == ("a", (1, 2))
    member = TopicMember("articles/a.txt", ("DeepSeek",), (0, 2), "same Latin name")
    assert fields_of_record(TopicMember)(member) == (
        "articles/a.txt",
        ("DeepSeek",),
        (0, 2),
        "same Latin name",
    )
    with pytest.raises(TypeError, match="Unslotted must be a slotted record"):
        fields_of_record(Unslotted)
    with pytest.raises(TypeError):
        fields_of_record(Topic)  # pickles itself its own way
