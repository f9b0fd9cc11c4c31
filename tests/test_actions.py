"""Action plans: reviews kept as history, the plan as it stood each quarter, overdue and
carried actions, and the Making It Real plan view."""

from __future__ import annotations

from datetime import date

import pytest

from coeval.exceptions import ActionError, NotFoundError
from coeval.periods import parse_period
from coeval.practice.actions import action_plan, review_action, theme_plan


@pytest.fixture
def raised(store) -> list[int]:
    store.add_project("p1", "Project one", ["making-it-real"])
    return store.add_actions(
        [
            {
                "project_id": "p1",
                "period": "2026Q1",
                "framework_id": "making-it-real",
                "item_id": "wellbeing-i1",
                "said": "Papers come too late",
                "action": "Send papers a week before",
                "owner_role": "staff",
                "due_on": date(2026, 5, 1),
            },
            {
                "project_id": "p1",
                "period": "2026Q3",
                "said": "Evening meetings exclude working carers",
                "action": "Hold every third meeting online in the evening",
                "owner_role": "staff",
                "due_on": None,
            },
        ]
    )


def test_the_plan_reads_as_it_stood_each_quarter(store, raised) -> None:
    first, _ = raised
    review_action(store, first, "2026Q2", "in_progress")
    review_action(store, first, "2026Q3", "done", outcome="Papers now go out a week early")
    q1 = action_plan(store, "p1", parse_period("2026Q1"))
    assert q1["status"].tolist() == ["open"] and not q1["carried"].any()
    q2 = action_plan(store, "p1", parse_period("2026Q2"))
    assert q2["status"].tolist() == ["in_progress"]
    assert q2["overdue"].tolist() == [True] and q2["carried"].tolist() == [True]
    q3 = action_plan(store, "p1", parse_period("2026Q3"))
    assert q3["status"].tolist() == ["done", "open"]
    assert q3["outcome"].tolist()[0] == "Papers now go out a week early"
    assert q3["overdue"].tolist() == [False, False] and q3["reviewed"].tolist()[0] == "2026Q3"
    assert len(store.table("action_updates")) == 2  # the history is kept


def test_not_possible_needs_the_reason_fed_back(store, raised) -> None:
    with pytest.raises(ActionError, match="--reason is needed"):
        review_action(store, raised[0], "2026Q2", "not_possible")
    review_action(store, raised[0], "2026Q2", "not_possible", reason="No budget this year")
    plan = action_plan(store, "p1", parse_period("2026Q2"))
    assert plan["reason"].tolist() == ["No budget this year"] and not plan["overdue"].any()


@pytest.mark.parametrize(
    ("action_id", "period", "status", "error", "message"),
    [
        (99, "2026Q2", "done", NotFoundError, "no action 99"),
        (None, "2025Q4", "done", ActionError, "before the action was raised"),
        (None, "2026Q2", "finished", ActionError, "use one of: open, in_progress"),
    ],
)
def test_bad_reviews_are_refused_and_change_nothing(
    store, raised, action_id, period, status, error, message
) -> None:
    with pytest.raises(error, match=message):
        review_action(store, action_id or raised[0], period, status)
    assert store.count("action_updates") == 0
    assert store.table("actions")["status"].tolist() == ["open", "open"]


def test_the_making_it_real_plan_has_every_theme(store, raised, frameworks) -> None:
    mir = frameworks["making-it-real"]
    plan = theme_plan(action_plan(store, "p1", parse_period("2026Q3")), mir)
    assert plan["theme"].unique().tolist() == [s.title for s in mir.sections]
    wellbeing = plan[plan["insight"] == "Papers come too late"]
    assert len(wellbeing) == 1 and wellbeing["status"].tolist() == ["Open (overdue)"]
    assert (plan["action"] == "No action yet").sum() == len(mir.sections) - 1


def test_the_cli_lists_and_reviews_actions(cli, store, raised) -> None:
    result = cli("actions", "review", str(raised[0]), "--period", "2026Q2", "--status", "done")
    assert result.exit_code == 0 and "now done" in result.output
    listed = cli("actions", "list", "--project", "p1", "--period", "2026Q3")
    assert "[Done]" in listed.output and "[Open]" in listed.output
    refused = cli("actions", "review", "7", "--period", "2026Q2", "--status", "done")
    assert refused.exit_code == 1 and "no action 7" in refused.output


def test_an_action_recorded_as_under_way_starts_its_history_there(store, raised) -> None:
    (late,) = store.add_actions(
        [
            {
                "project_id": "p1",
                "period": "2026Q2",
                "said": "No parking",
                "action": "Ask for two spaces",
                "owner_role": "staff",
                "status": "not_possible",
                "reason": "The car park is full",
            }
        ]
    )
    q1 = action_plan(store, "p1", parse_period("2026Q1"))
    assert late not in q1["id"].tolist()
    q3 = action_plan(store, "p1", parse_period("2026Q3")).set_index("id")
    assert q3.loc[late, "status"] == "not_possible" and q3.loc[late, "reviewed"] == "2026Q2"
    assert q3.loc[late, "reason"] == "The car park is full"
