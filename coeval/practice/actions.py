"""Action plans: "You said, we did".

An action records what people said, what will be done, who will do it (a role, never a
person), by when, and how it stands: open, in progress, done, or not possible (with the reason,
which is fed back to the group). Each quarter's review of an action is kept, so a plan can be
read as it stood at the end of any quarter; an action stays on the plan, quarter after quarter,
until it is done or found not possible.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from coeval.exceptions import ActionError
from coeval.frames import rows_where
from coeval.frameworks import Framework
from coeval.periods import Period, parse_period
from coeval.store import Store
from coeval.text import clean
from coeval.vocabulary import DONE, FINISHED, IN_PROGRESS, NOT_POSSIBLE, OPEN

if TYPE_CHECKING:
    import pandas as pd
else:
    from coeval.lazy import pandas as pd

STATUS_WORDS = {
    OPEN: "Open",
    IN_PROGRESS: "In progress",
    DONE: "Done",
    NOT_POSSIBLE: "Not possible",
}
TEXT_LIMIT = 2000


def review_action(
    store: Store,
    action_id: int,
    period: str,
    status: str,
    reason: str | None = None,
    outcome: str | None = None,
    actor: str | None = None,
    scheme: str = "calendar",
) -> None:
    """Record how an action stands at a quarter's review; the history is kept."""
    label = parse_period(period, scheme).label
    if status not in STATUS_WORDS:
        raise ActionError(f"--status {status!r}; use one of: {', '.join(STATUS_WORDS)}")
    reason, outcome = clean(reason) or None, clean(outcome) or None
    if status == NOT_POSSIBLE and not reason:
        raise ActionError(
            "--reason is needed when an action is not possible: the group is told why"
        )
    for option, text in (("--reason", reason), ("--outcome", outcome)):
        if text and len(text) > TEXT_LIMIT:
            raise ActionError(f"{option} is {len(text)} characters; keep it to {TEXT_LIMIT}")
    store.review_action(action_id, label, status, reason, outcome, actor, scheme)


def action_plan(
    store: Store, project: str, period: Period, today: date | None = None
) -> pd.DataFrame:
    """Every action raised up to the end of ``period``, as it stood then (see
    :func:`plan_as_of`)."""
    actions = store.actions(project)
    return plan_as_of(actions, store.action_updates(actions["id"]), period, today)


def plan_as_of(
    actions: pd.DataFrame, updates: pd.DataFrame, period: Period, today: date | None = None
) -> pd.DataFrame:
    """Every action raised up to the end of ``period``, as it stood then: its status, reason
    and outcome at the latest review in or before the quarter, whether it is overdue, and
    whether it was carried over from an earlier quarter. ``actions`` and ``updates`` are the
    store's rows (:meth:`Store.actions`, :meth:`Store.action_updates`). An action is overdue
    when its due date is before the quarter's end, or before ``today`` if that comes first
    (a quarter still under way)."""
    cutoff = min(period.end, today) if today else period.end
    scheme = period.scheme
    starts = {label: parse_period(label, scheme).start for label in set(actions["period"])}
    starts |= {label: parse_period(label, scheme).start for label in set(updates["period"])}
    actions = rows_where(actions, (starts[p] <= period.start for p in actions["period"])).copy()
    updates = rows_where(updates, (starts[p] <= period.start for p in updates["period"]))
    # As it stood: its latest review in or before the quarter; never reviewed by then, open.
    state = updates.drop_duplicates("action_id", keep="last").set_index("action_id")
    state = state.reindex(actions["id"])
    for column in ("status", "reason", "outcome"):  # text or None, never NaN
        values = [v if isinstance(v, str) else None for v in state[column]]
        actions[column] = pd.Series(values, index=actions.index, dtype=object)
    actions["status"] = actions["status"].fillna(OPEN)
    actions["reviewed"] = [p if isinstance(p, str) else None for p in state["period"]]
    actions["carried"] = [starts[p] < period.start for p in actions["period"]]
    actions["overdue"] = [
        status not in FINISHED and isinstance(due, date) and due < cutoff
        for status, due in zip(actions["status"], actions["due_on"], strict=True)
    ]
    order = [(starts[p], i) for p, i in zip(actions["period"], actions["id"], strict=True)]
    return actions.iloc[sorted(range(len(actions)), key=order.__getitem__)].reset_index(drop=True)


def theme_plan(plan: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """An I and We statements framework's action plan (Making It Real's, for one): each
    theme, then what people said (the insight), the action and how it stands, for the
    actions linked to that theme's statements."""
    rows = []
    linked = plan[plan["framework_id"] == framework.id]
    for section in framework.sections:
        ids = {item.id for item in section.items}
        mine = linked[linked["item_id"].isin(ids)]
        if mine.empty:
            rows.append(
                {"theme": section.title, "insight": "", "action": "No action yet", "status": ""}
            )
        for record in mine.to_dict("records"):
            rows.append(
                {
                    "theme": section.title,
                    "insight": record["said"],
                    "action": record["action"],
                    "status": STATUS_WORDS[record["status"]]
                    + (" (overdue)" if record["overdue"] else ""),
                }
            )
    return pd.DataFrame(rows, columns=["theme", "insight", "action", "status"])
