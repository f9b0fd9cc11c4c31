"""One tree of errors. The CLI turns any :class:`CoevalError` into one line.

Every message says what was wrong and how to fix it, in plain English, and names the file,
row, column or option involved where there is one.
"""

from __future__ import annotations

from dataclasses import dataclass


class CoevalError(Exception):
    """Base class for every error coeval raises on purpose."""


class ConfigError(CoevalError):
    """The workbook or one of its settings is missing or wrong."""


class FrameworkError(CoevalError):
    """A framework file is invalid, or an unknown framework or item was named."""


class PeriodError(CoevalError):
    """A period label could not be understood."""


class StoreError(CoevalError):
    """The database could not be opened, migrated or written."""


class NotFoundError(StoreError):
    """A project, meeting or other record does not exist."""


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file: where it is and what is wrong."""

    row: int | None
    column: str | None
    message: str

    def describe(self, source: str) -> str:
        where = [source]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


class ImportError_(CoevalError):
    """An input file was refused. Nothing was stored.

    Named with a trailing underscore so it never shadows Python's own ``ImportError``.
    """

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        count = len(problems)
        head = problems[0].describe(source) if problems else source
        more = f" (and {count - 1} more problems)" if count > 1 else ""
        super().__init__(f"{head}{more}")

    def lines(self) -> list[str]:
        """Every problem as its own line, ready to print."""
        return [p.describe(self.source) for p in self.problems]


class ValidationError(FrameworkError):
    """A framework file broke the schema; carries every problem with its line."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        super().__init__("; ".join(self.lines()))

    def lines(self) -> list[str]:
        return [
            f"{self.source}, line {p.row}: {p.message}" if p.row else f"{self.source}: {p.message}"
            for p in self.problems
        ]
