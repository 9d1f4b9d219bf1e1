from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE_CONTENT = REPO / "content"


@pytest.fixture
def sample_content(tmp_path: Path) -> Path:
    """A private copy of the sample content folder, safe to modify."""
    target = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, target)
    return target
