"""Exceptions raised by ``verify``.

::

    VerifyError                 base of everything this package raises
    ├── RulesError              the rules file is not valid TOML or breaks the schema
    │                           (message names the bad key and its line in the file)
    └── InputError              a case or policy record cannot be parsed
        └── PolicyFileError     a policy JSON/CSV file: names the row and column

Only ``intake/`` turns these into HTTP responses or exit codes.
"""

from __future__ import annotations

__all__ = ["VerifyError", "RulesError", "InputError", "PolicyFileError"]


class VerifyError(Exception):
    """Base class of the verify package's errors."""


class RulesError(VerifyError):
    """The requirement matrix is malformed; ``key`` and ``line`` locate the problem."""

    def __init__(self, message: str, *, key: str | None = None, line: int | None = None,
                 path: str | None = None) -> None:
        self.key = key
        self.line = line
        self.path = path
        where = path or "rules.toml"
        if line is not None:
            where = f"{where}, line {line}"
        if key:
            where = f"{where}, key {key!r}"
        super().__init__(f"{where}: {message}")


class InputError(VerifyError, ValueError):
    """A case file or policy record is not valid."""


class PolicyFileError(InputError):
    """A policy file row could not be read; ``row`` is 1-based (header = row 1 in CSV)."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        self.row = row
        self.column = column
        parts = []
        if row is not None:
            parts.append(f"row {row}")
        if column:
            parts.append(f"column {column!r}")
        prefix = ", ".join(parts)
        super().__init__(f"{prefix}: {message}" if prefix else message)
