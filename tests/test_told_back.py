""" "We told you": where each action came from, how and when the group was told its outcome,
and feedback, the review, the portfolio and the facilitator's screen showing what is told back
and what is not."""

from __future__ import annotations

import json
from datetime import date

import pytest

from coeval.config import Workbook
from coeval.exceptions import ActionError, NotFoundError
from coeval.meeting.meetings import open_meeting
from coeval.periods import parse_period
from coeval.portfolio.inputs import PortfolioInputs
from coeval.portfolio.practice import load_practice, practice_section
from coeval.practice.actions import (
    NewAction,
    action_plan,
    add_action,
    tell_action,
)
from coeval.review.data import ReviewData
from coeval.review.feedback import build_feedback
from coeval.review.inputs import ReviewInputs
from coeval.review.practice import PracticeSections
from coeval.store import Store
from coeval.vocabulary import ACTION_ORIGINS, TOLD_HOW
from coeval.widgets.facilitator import FacilitatorView
from tests.conftest import page_words

TODAY = date(2026, 11, 23)


def test_the_vocabularies_and_their_words_agree() -> None:
    from coeval.practice.actions import ORIGIN_WORDS, TOLD_WORDS

    assert tuple(TOLD_WORDS) == TOLD_HOW and tuple(ORIGIN_WORDS) == ACTION_ORIGINS


def test_a_telling_is_recorded_once_and_read_as_of_each_quarter(store, raised_actions) -> None:
    done, not_possible, _ = raised_actions
    assert tell_action(store, done, "meeting", date(2026, 8, 20), today=TODAY)
    assert not tell_action(store, done, "meeting", date(2026, 8, 20), today=TODAY)  # once
    tell_action(store, not_possible, "newsletter", date(2026, 10, 5), today=TODAY)
    assert len(store.table("action_told")) == 2
    q3 = action_plan(store, "p1", parse_period("2026Q3")).set_index("id")
    assert q3.loc[done, "told"] == [("meeting", date(2026, 8, 20))]
    assert q3.loc[done, "told_back"]
    assert q3.loc[not_possible, "told"] == [] and not q3.loc[not_possible, "told_back"]
    q4 = action_plan(store, "p1", parse_period("2026Q4")).set_index("id")
    assert q4.loc[not_possible, "told"] == [("newsletter", date(2026, 10, 5))]
    assert q4.loc[:, "origin"].tolist() == ["letter", "survey", "complaint"]
    audit = store.table("audit")
    assert (audit["action"] == "told").sum() == 2


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((2, "meeting", date(2026, 8, 1)), ActionError, "still open: record its outcome"),
        ((0, "pigeon", date(2026, 8, 1)), ActionError, "--how 'pigeon'; use one of: meeting"),
        ((0, "letter", date(2027, 1, 1)), ActionError, "in the future"),
        ((99, "letter", date(2026, 8, 1)), NotFoundError, "there is no action 99"),
    ],
)
def test_a_telling_that_cannot_be_is_refused_plainly(
    store, raised_actions, args, error, message
) -> None:
    which, how, day = args
    action_id = raised_actions[which] if which < len(raised_actions) else which
    with pytest.raises(error, match=message):
        tell_action(store, action_id, how, day, today=TODAY)
    assert store.table("action_told").empty


def test_an_action_from_outside_a_meeting_is_checked_before_it_is_stored(
    store, frameworks, raised_actions
) -> None:
    bad = [
        (NewAction("x", "y", "staff", None, "rumour"), "--from 'rumour'; use one of: meeting"),
        (NewAction("x", "y", "Jean", None, "letter"), "--who 'Jean'; use a role"),
        (NewAction(" ", "y", "staff", None, "letter"), "--said is empty"),
        (
            NewAction("x", "y", "staff", None, "letter", "making-it-real", "nope"),
            "has no item 'nope'",
        ),
        (
            NewAction("x", "y", "staff", None, "letter", "healthwatch-six", "transparency"),
            "--framework 'healthwatch-six'",
        ),
    ]
    for new, message in bad:
        with pytest.raises(Exception, match=message):
            add_action(store, frameworks, "p1", "2026Q3", new)
    assert len(store.table("actions")) == 3


def test_the_command_line_adds_tells_and_lists(cli, store, raised_actions) -> None:
    done = raised_actions[0]
    out = cli("actions", "told", str(done), "--how", "email", "--date", "2026-09-30")
    assert out.exit_code == 0, out.output
    assert "the group was told by email to the distribution list on 30 Sep 2026" in out.output
    again = cli("actions", "told", str(done), "--how", "email", "--date", "2026-09-30")
    assert "already recorded" in again.output
    refused = cli("actions", "told", str(raised_actions[2]), "--how", "email")
    assert refused.exit_code != 0 and "still open" in refused.output
    added = cli(
        "actions", "add", "--project", "p1", "--period", "2026Q3", "--said", "No parking",
        "--action", "Ask for two bays", "--who", "commissioner", "--from", "conversation",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    listed = cli("actions", "list", "--project", "p1", "--period", "2026Q3")
    assert "Told:     By email to the distribution list on 30 Sep 2026" in listed.output
    assert "Told:     Not yet told" in listed.output  # the one not possible
    rows = json.loads(
        cli("actions", "list", "--project", "p1", "--period", "2026Q3", "--format", "json").output
    )
    assert [r["origin"] for r in rows] == ["letter", "survey", "complaint", "conversation"]
    assert [r["told_back"] for r in rows] == [True, False, False, False]


def _review(workbook: Workbook, store: Store, period: str = "2026Q4") -> ReviewData:
    return ReviewData.build(ReviewInputs.read(workbook, store, "p1", period), "internal")


def test_feedback_the_review_and_the_portfolio_show_what_is_told_back(
    workbook, store, raised_actions
) -> None:
    tell_action(store, raised_actions[0], "meeting", date(2026, 10, 2), today=TODAY)
    data = _review(workbook, store)
    feedback = build_feedback(data).text()
    assert "We did: Send papers a week before. Papers now go a week early. We told you" in (
        " ".join(feedback.split())
    )
    assert "at a meeting on 2 Oct 2026" in " ".join(feedback.split())
    assert "We have not told the group this before." in " ".join(feedback.split())
    assert "We had already told the group the outcome of 1 of 2 finished actions" in (
        " ".join(feedback.split())
    )
    section = PracticeSections(data).actions()
    words = page_words(section.html())
    assert "The group has been told the outcome of 1 of 2 finished actions." in words
    assert "Outcomes not yet told back to the group: “Add a glossary to every report”." in words
    assert "Group told" in words and "At a meeting on 2 Oct 2026" in words
    assert "Came from" in words and "a complaint" in words
    inputs = PortfolioInputs.read(workbook, store, "2026Q4")
    rows = load_practice(inputs, inputs.projects)
    assert (rows[0].told_back, rows[0].done) == (1, 1)
    portfolio = page_words(practice_section(rows, (), data.audience, inputs.period).html())
    assert "Done actions told back" in portfolio and "1 of 1 (100%)" in portfolio
    assert "The groups have been told the outcome of 1 of 1 done action (100%)." in portfolio
    data.actions["told_back"] = False  # none told before: says so, without "0 of"
    none_told = " ".join(build_feedback(data).text().split())
    assert "We had not told the group the outcome of these 2 finished actions before" in none_told


def test_the_facilitator_ticks_off_outcomes_told_at_the_meeting(
    store, frameworks, raised_actions
) -> None:
    meeting = open_meeting(store, "p1", "2026Q4", date(2026, 10, 14), framework=None)
    chair = FacilitatorView(store, frameworks, meeting)
    ticks = chair.telling.ticks
    assert sorted(ticks) == raised_actions[:2]  # the open action has no outcome to tell yet
    assert ticks[raised_actions[0]].description == "We did: Send papers a week before"
    assert ticks[raised_actions[1]].description == "We could not: Add a glossary to every report"
    chair.telling.tell()
    assert "Tick the outcomes" in chair.notice.text and store.table("action_told").empty
    chair.held_on.value = date(2026, 10, 21)  # the date set when the meeting starts counts
    chair.start_button.click()
    ticks[raised_actions[1]].value = True
    chair.telling.tell()
    told = store.table("action_told")
    assert told[["action_id", "how"]].values.tolist() == [[raised_actions[1], "meeting"]]
    assert told["told_on"].tolist() == [date(2026, 10, 21)]
    assert list(chair.telling.ticks) == [raised_actions[0]]
