"""Where the default theme is: its Jinja templates and static files (a module of its own,
so that finding it does not import the renderer)."""

from __future__ import annotations

from pathlib import Path


def default_templates_dir() -> Path:
    """The packaged site_builder/templates (wheel installs), else the repository's templates/."""
    packaged = Path(__file__).resolve().parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"
