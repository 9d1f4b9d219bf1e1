"""The one error type the pipeline raises for bad user input.

The CLI turns it into a one-line message naming file and line, with exit code 1;
anything else escaping the pipeline is a bug in site_builder.
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import Diagnostic


class SiteBuilderError(Exception):
    """Bad input: a file the user can fix. Carries one or more diagnostics."""

    def __init__(
        self,
        message: str,
        path: str | None = None,
        line: int | None = None,
        *,
        diagnostics: Sequence[Diagnostic] = (),
    ) -> None:
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics) or (
            Diagnostic("error", message, path, line),
        )
        super().__init__(self.diagnostics[0].format())

    @property
    def path(self) -> str | None:
        return self.diagnostics[0].path

    @property
    def line(self) -> int | None:
        return self.diagnostics[0].line

    def format(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)
