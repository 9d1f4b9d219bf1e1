"""site_builder.fingerprints: pickles that depend on values, not on object identity."""

from __future__ import annotations

from site_builder.fingerprints import value_digest, value_pickle
from site_builder.model import TopicMember


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
