from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE_CONTENT = REPO / "content"


@pytest.fixture
def sample_content(tmp_path: Path) -> Path:
    """A private copy of the sample content folder, safe to modify."""
    target = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, target)
    return target


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the whole session (see tests/browser.py)."""
    from .browser import launch_chromium

    with launch_chromium() as browser:
        yield browser
