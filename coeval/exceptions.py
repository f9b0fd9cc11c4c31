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


#: How many problems an error lists; the rest are counted, not listed.
PROBLEMS_SHOWN = 100


class Problems:
    """Problems found in one input, kept up to :data:`PROBLEMS_SHOWN` and counted beyond, so
    a file with a million bad rows costs little memory and prints a short list."""

    def __init__(self) -> None:
        self.kept: list[Problem] = []
        self.total = 0

    def add(self, problem: Problem) -> None:
        self.total += 1
        if len(self.kept) < PROBLEMS_SHOWN:
            self.kept.append(problem)

    def extend(self, problems: list[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    def __bool__(self) -> bool:
        return self.total > 0


class ImportError_(CoevalError):
    """An input file was refused. Nothing was stored.

    Named with a trailing underscore so it never shadows Python's own ``ImportError``. It lists
    at most :data:`PROBLEMS_SHOWN` problems; ``total`` counts them all.
    """

    def __init__(self, source: str, problems: list[Problem] | Problems):
        if isinstance(problems, Problems):
            kept, total = problems.kept, problems.total
        else:
            kept, total = problems[:PROBLEMS_SHOWN], len(problems)
        self.source = source
        self.problems = kept
        self.total = total
        head = kept[0].describe(source) if kept else source
        more = f" (and {total - 1} more problems)" if total > 1 else ""
        super().__init__(f"{head}{more}")

    def lines(self) -> list[str]:
        """Every listed problem as its own line, then how many more were not listed."""
        lines = [p.describe(self.source) for p in self.problems]
        if self.total > len(self.problems):
            lines.append(
                f"{self.source}: {self.total - len(self.problems)} more problems are not "
                f"listed; fix the first {len(self.problems)} and import the file again"
            )
        return lines


class ValidationError(FrameworkError):
    """A framework file broke the schema; carries every problem with its line."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems[:PROBLEMS_SHOWN]
        self.total = len(problems)
        super().__init__("; ".join(self.lines()[:3]))

    def lines(self) -> list[str]:
        lines = [
            f"{self.source}, line {p.row}: {p.message}" if p.row else f"{self.source}: {p.message}"
            for p in self.problems
        ]
        if self.total > len(self.problems):
            lines.append(f"{self.source}: {self.total - len(self.problems)} more problems")
        return lines


class IdError(CoevalError):
    """An id that cannot be used; the message names it and the rule."""


class YamlProblem(Exception):
    """A file could not be read as YAML; ``line`` is 1-based where it is known."""

    def __init__(self, line: int | None, message: str):
        self.line = line
        self.message = message
        super().__init__(message)


class MeetingError(CoevalError):
    """An answer or change was refused; the message says why in plain words."""


class EntryError(CoevalError):
    """Typed-in answers were refused; the message says which box to fix."""


class ReviewError(CoevalError):
    """A review run could not start (bad notebook, bad option)."""


class RunInProgress(CoevalError):
    """Another review run holds the lock."""


class ActionError(CoevalError):
    """An action review was refused; the message names the option and the fix."""


class ConsultationError(CoevalError):
    """A consultation file or answer was refused; the message names the place and the fix."""


class TimeProblem(ValueError):
    """A survey response's time that cannot be read; its message says why and what to do
    (it becomes a problem of the row it is on)."""


class CrosswalkError(CoevalError):
    """A crosswalk file (coeval/crosswalks/) is invalid: the message names the file, the line
    or entry, and what to fix."""
