"""When each survey response was given, from the time column of a survey tool's export.

Tools write times in the form owner's locale: ISO (``2026-07-27T19:06:23``), an Excel date,
Google Forms' ``2026/09/27 3:00:00 PM GMT+1``, or day and month in either order
(``27/07/2026 19:06`` or ``7/27/26 19:06:23``). With no ``format`` in the mapping, the order
of day and month is worked out from the whole column (a value over 12 shows which is which);
a date that could be read either way (01/02/2026) in a column that never shows the order is
refused, with the fix: give the format.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from coeval.exceptions import TimeProblem

_YMD = re.compile(
    r"(\d{4})/(\d{1,2})/(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?"
    r"\s*(?:(?:GMT|UTC)\s*(?:([+-])(\d{1,2})(?::?(\d{2}))?)?)?"
)
_DMY = re.compile(
    r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"\s*([AaPp][Mm])?)?"
)
DAY_FIRST, MONTH_FIRST = "day first", "month first"
ASK_FORMAT = (
    'add its format to the mapping, like recorded_at: {column: ..., format: "%d/%m/%Y %H:%M"}'
)


def column_order(values: Iterable[str]) -> str | None:
    """Whether the column writes the day or the month first, if any value shows it."""
    orders = set()
    for text in values:
        match = _DMY.fullmatch(text.strip())
        if match:
            first, second = int(match[1]), int(match[2])
            if first > 12 >= second:
                orders.add(DAY_FIRST)
            elif second > 12 >= first:
                orders.add(MONTH_FIRST)
    if len(orders) > 1:
        raise TimeProblem(
            "the column has dates written day first and others month first; " + ASK_FORMAT
        )
    return orders.pop() if orders else None


def _hour(hour: int, half: str | None) -> int:
    if half is None:
        return hour
    return hour % 12 + (12 if half.lower() == "pm" else 0)


def _aware(value: datetime, tz: ZoneInfo) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=tz)


def read_time(text: str, tz: ZoneInfo, order: str | None, fmt: str | None = None) -> datetime:
    """A response's time as naive UTC (a time with no zone is read in ``tz``)."""
    text = text.strip()
    if fmt:
        try:
            value = datetime.strptime(text, fmt)
        except ValueError:
            raise TimeProblem(f"{text!r} does not match the format {fmt!r}") from None
        return _aware(value, tz).astimezone(UTC).replace(tzinfo=None)
    try:
        value = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        value = _read_local(text, tz, order)
    return _aware(value, tz).astimezone(UTC).replace(tzinfo=None)


def _read_local(text: str, tz: ZoneInfo, order: str | None) -> datetime:
    match = _YMD.fullmatch(text)
    if match:
        year, month, day = int(match[1]), int(match[2]), int(match[3])
        zone: timezone | ZoneInfo = tz
        if match[8]:
            offset = timedelta(hours=int(match[9]), minutes=int(match[10] or 0))
            zone = timezone(offset if match[8] == "+" else -offset)
        elif "GMT" in text.upper() or "UTC" in text.upper():
            zone = UTC
        return _made(text, year, month, day, match[4], match[5], match[6], match[7], zone)
    match = _DMY.fullmatch(text)
    if not match:
        raise TimeProblem(f"{text!r} is not a date and time coeval can read; " + ASK_FORMAT)
    first, second = int(match[1]), int(match[2])
    year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
    if order is None and first != second and first <= 12 and second <= 12:
        raise TimeProblem(f"{text!r} could be read day first or month first; " + ASK_FORMAT)
    day, month = (second, first) if order == MONTH_FIRST else (first, second)
    return _made(text, year, month, day, match[4], match[5], match[6], match[7], tz)


def _made(
    text: str,
    year: int,
    month: int,
    day: int,
    hour: str | None,
    minute: str | None,
    second: str | None,
    half: str | None,
    zone: timezone | ZoneInfo,
) -> datetime:
    try:
        return datetime(
            year,
            month,
            day,
            _hour(int(hour or 0), half),
            int(minute or 0),
            int(second or 0),
            tzinfo=zone,
        )
    except ValueError:
        raise TimeProblem(f"{text!r} is not a real date; check it") from None
