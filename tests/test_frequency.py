"""Word frequencies (languages.frequency): wordfreq's lookups, without jieba's warning
and without touching the process's warning filters once jieba is imported."""

from __future__ import annotations

import subprocess
import sys
import warnings

import pytest

from site_builder.languages.frequency import phrase_zipf


def test_phrase_lookups_leave_the_warning_filters_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    assert phrase_zipf("美国", "zh") > 0  # imports jieba, quietly, if nothing has yet

    def changed(*args: object, **kwargs: object) -> None:
        raise AssertionError("a lookup changed the process's warning filters")

    monkeypatch.setattr(warnings, "catch_warnings", changed)
    assert phrase_zipf("美国总统", "zh") > 0
    assert phrase_zipf("United States", "en") > 0
    assert phrase_zipf("xqzvk", "en") == 0.0


def test_the_first_chinese_lookup_of_a_process_prints_no_warning() -> None:
    code = (
        "from site_builder.languages.frequency import phrase_zipf\n"
        "print(phrase_zipf('美国', 'zh') > 0)"
    )
    run = subprocess.run(
        [sys.executable, "-W", "default", "-c", code], capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "True"
    assert "pkg_resources" not in run.stderr
