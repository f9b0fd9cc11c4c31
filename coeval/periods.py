"""Reporting periods: calendar quarters (``2026Q3``) and UK financial-year quarters.

A financial year runs from April to March and is labelled by the two calendar years it spans:
``2026/27 Q1`` is April to June 2026, ``2026/27 Q4`` is January to March 2027.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from coeval.exceptions import PeriodError

CALENDAR = "calendar"
FINANCIAL = "financial"
SCHEMES = (CALENDAR, FINANCIAL)

_CALENDAR_RE = re.compile(r"^\s*(\d{4})\s*[- ]?\s*Q([1-4])\s*$", re.IGNORECASE)
_FINANCIAL_RE = re.compile(r"^\s*(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*[- ]?\s*Q([1-4])\s*$", re.I)


@dataclass(frozen=True, order=True)
class Period:
    """One quarter. Periods of the same scheme sort in time order."""

    scheme: str
    year: int  # calendar year, or the year in which the financial year starts
    quarter: int

    @property
    def label(self) -> str:
        if self.scheme == CALENDAR:
            return f"{self.year}Q{self.quarter}"
        return f"{self.year}/{(self.year + 1) % 100:02d} Q{self.quarter}"

    def __str__(self) -> str:
        return self.label

    @property
    def start(self) -> date:
        month = 3 * (self.quarter - 1) + 1
        year = self.year
        if self.scheme == FINANCIAL:
            month += 3
            if month > 12:
                month -= 12
                year += 1
        return date(year, month, 1)

    @property
    def end(self) -> date:
        """The last day of the quarter."""
        return self.next().start - timedelta(days=1)

    def next(self) -> Period:
        if self.quarter == 4:
            return Period(self.scheme, self.year + 1, 1)
        return Period(self.scheme, self.year, self.quarter + 1)

    def previous(self) -> Period:
        if self.quarter == 1:
            return Period(self.scheme, self.year - 1, 4)
        return Period(self.scheme, self.year, self.quarter - 1)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def is_closed(self, today: date) -> bool:
        """True once the quarter has ended (its last day is before ``today``)."""
        return self.end < today


def _example(scheme: str) -> str:
    return "2026Q3" if scheme == CALENDAR else "2026/27 Q2"


def parse_period(text: str, scheme: str | None = None) -> Period:
    """Read a period label; with ``scheme`` given, only that scheme's labels are accepted."""
    if scheme is not None and scheme not in SCHEMES:
        raise PeriodError(f"unknown period scheme {scheme!r}; use one of: {', '.join(SCHEMES)}")
    raw = str(text)
    match = _FINANCIAL_RE.match(raw)
    if match:
        start, end, quarter = int(match[1]), match[2], int(match[3])
        expected = start + 1
        if int(end) not in (expected % 100, expected):
            raise PeriodError(
                f"period {raw!r}: a financial year spans two years in a row; "
                f"did you mean '{start}/{expected % 100:02d} Q{quarter}'?"
            )
        period = Period(FINANCIAL, start, quarter)
    else:
        match = _CALENDAR_RE.match(raw)
        if not match:
            wanted = scheme or CALENDAR
            raise PeriodError(
                f"period {raw!r} is not a quarter label; write it like '{_example(wanted)}'"
            )
        period = Period(CALENDAR, int(match[1]), int(match[2]))
    if scheme is not None and period.scheme != scheme:
        raise PeriodError(
            f"period {raw!r} is a {period.scheme} quarter but this workbook uses {scheme} "
            f"quarters; write it like '{_example(scheme)}'"
        )
    return period


def period_of(day: date, scheme: str = CALENDAR) -> Period:
    """The quarter of ``scheme`` that contains ``day``."""
    calendar_quarter = (day.month - 1) // 3 + 1
    if scheme == CALENDAR:
        return Period(CALENDAR, day.year, calendar_quarter)
    if scheme == FINANCIAL:
        if day.month >= 4:
            return Period(FINANCIAL, day.year, calendar_quarter - 1)
        return Period(FINANCIAL, day.year - 1, 4)
    raise PeriodError(f"unknown period scheme {scheme!r}; use one of: {', '.join(SCHEMES)}")


@cache
def previous_label(label: str) -> str:
    """The label of the quarter before ``label`` (same scheme); cached, as scoring asks for
    it once per row."""
    return parse_period(label).previous().label


def sort_labels(labels: list[str]) -> list[str]:
    """Labels in time order."""
    return sorted(labels, key=lambda label: parse_period(label).start)
