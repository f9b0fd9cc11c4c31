"""Action plans: "You said, we did".

An action records what people said, what will be done, who will do it (a role, never a
person), by when, and how it stands: open, in progress, done, or not possible (with the reason,
which is fed back to the group). Each quarter's review of an action is kept, so a plan can be
read as it stood at the end of any quarter; an action stays on the plan, quarter after quarter,
until it is done or found not possible.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from coeval.exceptions import ActionError
from coeval.frames import rows_where
from coeval.frameworks import Framework
from coeval.i18n import N_
from coeval.periods import Period, parse_period
from coeval.store import Store
from coeval.text import clean, one_line, plural
from coeval.vocabulary import DEFAULT_VOICES, DONE, FINISHED, IN_PROGRESS, NOT_POSSIBLE, OPEN

if TYPE_CHECKING:
    import pandas as pd
else:
    from coeval.lazy import pandas as pd

STATUS_WORDS = {
    OPEN: N_("Open"),
    IN_PROGRESS: N_("In progress"),
    DONE: N_("Done"),
    NOT_POSSIBLE: N_("Not possible"),
}
TEXT_LIMIT = 2000
#: How the group was told an outcome, as a sentence ends: "told at a meeting on 3 Oct 2026".
TOLD_WORDS = {
    "meeting": N_("at a meeting"),
    "newsletter": N_("in a newsletter"),
    "email": N_("by email to the distribution list"),
    "letter": N_("by letter"),
}
#: Where what people said came from.
ORIGIN_WORDS = {
    "meeting": N_("a meeting"),
    "survey": N_("a survey"),
    "letter": N_("a letter"),
    "conversation": N_("a conversation"),
    "complaint": N_("a complaint"),
}


@dataclass(frozen=True)
class NewAction:
    """An action raised outside a meeting, before it is checked."""

    said: str
    action: str
    owner_role: str
    due_on: date | None
    origin: str
    framework: str | None = None
    item: str | None = None


def add_action(
    store: Store,
    frameworks: Mapping[str, Framework],
    project: str,
    period: str,
    new: NewAction,
    actor: str | None = None,
    scheme: str = "calendar",
) -> int:
    """Check and store an action that came from a survey, a letter, a conversation or a
    complaint (or a meeting recorded afterwards); returns its id. Nothing is stored when a
    check fails."""
    label = parse_period(period, scheme).label
    proj = store.project(project)
    said, action = clean(new.said), clean(new.action)
    for option, text in (("--said", said), ("--action", action)):
        if not text:
            raise ActionError(f"{option} is empty; write what people said and what will be done")
        if len(text) > TEXT_LIMIT:
            raise ActionError(f"{option} is {len(text)} characters; keep it to {TEXT_LIMIT}")
    if new.owner_role not in DEFAULT_VOICES:
        raise ActionError(
            f"--who {new.owner_role!r}; use a role (never a person's name): "
            f"{', '.join(DEFAULT_VOICES)}"
        )
    if new.origin not in ORIGIN_WORDS:
        raise ActionError(f"--from {new.origin!r}; use one of: {', '.join(ORIGIN_WORDS)}")
    framework = None
    if new.item or new.framework:
        framework = frameworks.get(new.framework or "")
        if framework is None or framework.id not in proj.frameworks:
            raise ActionError(
                f"--framework {new.framework!r}; with --item give one of the project's "
                f"frameworks: {', '.join(proj.frameworks)}"
            )
        framework.item(new.item or "")  # an unknown item is refused with its fix
    row = {
        "project_id": proj.id,
        "period": label,
        "framework_id": framework.id if framework else None,
        "item_id": new.item if framework else None,
        "said": said,
        "action": action,
        "owner_role": new.owner_role,
        "due_on": new.due_on,
        "status": OPEN,
        "origin": new.origin,
    }
    (action_id,) = store.add_actions([row], actor)
    return action_id


def tell_action(
    store: Store,
    action_id: int,
    how: str,
    told_on: date,
    actor: str | None = None,
    today: date | None = None,
) -> bool:
    """Record that the group was told action ``action_id``'s outcome ("we told you"), ``how``
    (one of :data:`TOLD_WORDS`) and on ``told_on``. Returns False when that telling was
    already recorded. Refused for a date in the future or an action not yet done or found
    not possible."""
    if how not in TOLD_WORDS:
        raise ActionError(f"--how {how!r}; use one of: {', '.join(TOLD_WORDS)}")
    if told_on > (today or date.today()):
        raise ActionError(
            f"--date {told_on:%Y-%m-%d} is in the future; record a telling once it has happened"
        )
    return store.tell_action(action_id, how, told_on, actor)


def told_words(how: str, told_on: date) -> str:
    """A telling in words: "at a meeting on 3 Oct 2026"."""
    return f"{TOLD_WORDS[how]} on {told_on:%-d %b %Y}"


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
    ids = actions["id"]
    return plan_as_of(
        actions, store.action_updates(ids), period, today, told=store.action_told(ids)
    )


def plan_as_of(
    actions: pd.DataFrame,
    updates: pd.DataFrame,
    period: Period,
    today: date | None = None,
    told: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every action raised up to the end of ``period``, as it stood then: its status, reason
    and outcome at the latest review in or before the quarter, whether it is overdue, and
    whether it was carried over from an earlier quarter. ``actions`` and ``updates`` are the
    store's rows (:meth:`Store.actions`, :meth:`Store.action_updates`). An action is overdue
    when its due date is before the quarter's end, or before ``today`` if that comes first
    (a quarter still under way). With ``told`` (:meth:`Store.action_told`), each finished
    action also says how the group was told its outcome by the end of the quarter
    (``told``, a list of (how, date) pairs, earliest first; ``told_back``)."""
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
    actions["told"] = pd.Series(_told_by(actions, told, cutoff), index=actions.index, dtype=object)
    actions["told_back"] = [
        status in FINISHED and bool(words)
        for status, words in zip(actions["status"], actions["told"], strict=True)
    ]
    order = [(starts[p], i) for p, i in zip(actions["period"], actions["id"], strict=True)]
    return actions.iloc[sorted(range(len(actions)), key=order.__getitem__)].reset_index(drop=True)


def _told_by(
    actions: pd.DataFrame, told: pd.DataFrame | None, cutoff: date
) -> list[list[tuple[str, date]]]:
    """For each action, how and when its outcome was told on or before ``cutoff``."""
    said: dict[int, list[tuple[str, date]]] = {}
    if told is not None:
        for row in told.to_dict("records"):
            if row["told_on"] <= cutoff:
                said.setdefault(row["action_id"], []).append((row["how"], row["told_on"]))
    return [said.get(action_id, []) for action_id in actions["id"]]


def told_back_share(plan: pd.DataFrame) -> tuple[int, int]:
    """(done actions whose outcome the group was told, done actions) in a plan."""
    done = plan[plan["status"] == DONE]
    return int(done["told_back"].sum()), len(done)


def told_cell(status: str, told: list[tuple[str, date]]) -> str:
    """How the group was told an action's outcome, for a table cell."""
    if status not in FINISHED:
        return "Not finished yet"
    said = (told_words(how, day) for how, day in told)
    return "; ".join(words[:1].upper() + words[1:] for words in said) or "Not yet told"


def told_back_sentences(plan: pd.DataFrame) -> list[str]:
    """Sentences on which finished actions' outcomes the group has been told, and which not."""
    finished = plan[plan["status"].isin(FINISHED)]
    if finished.empty:
        return []
    told, count = int(finished["told_back"].sum()), plural(len(finished), "finished action")
    sentences = [f"The group has been told the outcome of {told} of {count}."]
    untold = finished[~finished["told_back"].astype(bool)]
    if len(untold):
        which = "; ".join(f"“{one_line(did).rstrip('.')}”" for did in untold["action"])
        sentences.append(f"Outcomes not yet told back to the group: {which}.")
    return sentences


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
