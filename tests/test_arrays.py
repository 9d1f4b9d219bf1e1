"""The NumPy helpers give what np.unique, np.isin and Python sets give."""

from __future__ import annotations

from collections import Counter

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from site_builder.arrays import members, repeated, sorted_distinct

_VALUES = st.lists(st.integers(-(2**63), 2**63 - 1) | st.integers(-3, 3), max_size=60)


@given(values=_VALUES)
def test_sorted_distinct_is_numpys_unique(values: list[int]) -> None:
    array = np.array(values, dtype=np.int64)
    found = sorted_distinct(array)
    assert found.dtype == np.int64
    assert found.tolist() == sorted(set(values)) == np.unique(array).tolist()


@given(values=_VALUES)
def test_repeated_are_the_values_counted_twice_or_more(values: list[int]) -> None:
    found = repeated(np.array(values, dtype=np.int64))
    assert found.tolist() == sorted(v for v, count in Counter(values).items() if count >= 2)


@given(values=_VALUES, among=_VALUES)
def test_members_is_numpys_isin(values: list[int], among: list[int]) -> None:
    array = np.array(values, dtype=np.int64)
    ordered = sorted_distinct(np.array(among, dtype=np.int64))
    found = members(array, ordered)
    assert found.tolist() == np.isin(array, ordered).tolist() == [v in set(among) for v in values]
