from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coeval.exceptions import PeriodError
from coeval.periods import CALENDAR, FINANCIAL, Period, parse_period, period_of, sort_labels


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("2026Q3", "2026Q3"),
        ("2026q3", "2026Q3"),
        (" 2026 Q3 ", "2026Q3"),
        ("2026-Q3", "2026Q3"),
        ("2026/27 Q2", "2026/27 Q2"),
        ("2026-27 Q2", "2026/27 Q2"),
        ("2026/2027 q2", "2026/27 Q2"),
        ("2099/00 Q1", "2099/00 Q1"),
    ],
)
def test_labels_are_read_in_their_many_spellings(text: str, label: str) -> None:
    assert parse_period(text).label == label


def test_calendar_quarter_dates() -> None:
    q = parse_period("2026Q3")
    assert (q.start, q.end) == (date(2026, 7, 1), date(2026, 9, 30))
    assert parse_period("2026Q4").end == date(2026, 12, 31)
    assert parse_period("2024Q1").end == date(2024, 3, 31)


def test_financial_quarters_run_april_to_march() -> None:
    assert parse_period("2026/27 Q1").start == date(2026, 4, 1)
    assert parse_period("2026/27 Q2").end == date(2026, 9, 30)
    q4 = parse_period("2026/27 Q4")
    assert (q4.start, q4.end) == (date(2027, 1, 1), date(2027, 3, 31))


def test_previous_and_next_cross_years() -> None:
    assert parse_period("2026Q1").previous().label == "2025Q4"
    assert parse_period("2025Q4").next().label == "2026Q1"
    assert parse_period("2026/27 Q1").previous().label == "2025/26 Q4"
    assert parse_period("2026/27 Q4").next().label == "2027/28 Q1"


def test_which_period_contains_a_date() -> None:
    assert period_of(date(2026, 11, 22)).label == "2026Q4"
    assert period_of(date(2026, 11, 22), FINANCIAL).label == "2026/27 Q3"
    assert period_of(date(2027, 2, 1), FINANCIAL).label == "2026/27 Q4"
    assert period_of(date(2026, 4, 1), FINANCIAL).label == "2026/27 Q1"
    assert period_of(date(2026, 3, 31), FINANCIAL).label == "2025/26 Q4"


@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
    st.sampled_from([CALENDAR, FINANCIAL]),
)
def test_every_date_lies_in_its_period(day: date, scheme: str) -> None:
    period = period_of(day, scheme)
    assert period.contains(day)
    assert parse_period(period.label) == period
    assert period.next().start == period.end.fromordinal(period.end.toordinal() + 1)
    assert period.next().previous() == period


def test_closed_means_the_last_day_has_passed() -> None:
    q = parse_period("2026Q3")
    assert not q.is_closed(date(2026, 9, 30))
    assert q.is_closed(date(2026, 10, 1))


@pytest.mark.parametrize(
    ("text", "scheme", "message"),
    [
        ("2026Q5", None, "not a quarter label"),
        ("Q3 2026", None, "like '2026Q3'"),
        ("2026/28 Q1", None, "did you mean '2026/27 Q1'"),
        ("2026Q3", FINANCIAL, "this workbook uses financial quarters; write it like '2026/27 Q2'"),
        ("2026/27 Q1", CALENDAR, "write it like '2026Q3'"),
        ("", None, "not a quarter label"),
    ],
)
def test_bad_labels_say_how_to_write_them(text: str, scheme: str | None, message: str) -> None:
    with pytest.raises(PeriodError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_period(text, scheme)


def test_labels_sort_in_time_order() -> None:
    assert sort_labels(["2026Q1", "2025Q4", "2026Q3"]) == ["2025Q4", "2026Q1", "2026Q3"]
    assert Period(CALENDAR, 2025, 4) < Period(CALENDAR, 2026, 1)
