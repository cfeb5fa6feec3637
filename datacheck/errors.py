"""Errors that mean "datacheck could not run". The CLI turns each into a message and exit code 2.

Bad *data* is never an exception: it is a finding in a report. These are for inputs we cannot read
at all (a missing file, malformed CSV, a schema file that is not valid JSON) and for misuse.
"""

from __future__ import annotations


class DatacheckError(Exception):
    """Base class: something stopped datacheck from running. The message says what and how to fix it."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 column: int | None = None, hint: str | None = None) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.hint = hint
        self.reason = message
        super().__init__(self._render())

    def _render(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        text = f"{where}{self.reason}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class InputError(DatacheckError):
    """A data file could not be found, opened, decoded or parsed."""


class SchemaFileError(DatacheckError):
    """A schema or statistics file is not valid JSON, breaks its JSON Schema, or has an unknown version."""


class UsageError(DatacheckError):
    """Options that contradict each other or do not apply (for example a drift method unfit for a column kind)."""
