"""A synthetic workbook of many projects, for the scale benchmark (benchmarks/scale.py).

It follows the demo's approach (coeval/demo/workbook.py): behind each project is a hidden
"true" level per item that drifts upward over four quarters, each quarter has a meeting
where people with lived experience and the workforce vote (workforce a little higher, some
"Don't know", the odd correction, sometimes a consensus answer), and each quarter brings
evidence, an action and engagement activities. Its size per project is smaller than the
demo's and closer to a typical group: about 8 to 30 ratings per project per quarter.

Everything is written through coeval's Store API. To stay quick at 1,000 projects, each
project's meetings, ratings, evidence, actions and activities go in one write transaction
(the store's methods take the caller's connection); adding the project, closing each meeting
with its attendance, and each later review of an action are a transaction each, as the
store provides them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np

from coeval.config import CONFIG_NAME, Workbook
from coeval.demo.practice import (
    ACTIONS,
    ACTIVITY_METHODS,
    DEMO_NAMES,
    EVIDENCE_METHODS,
    QUOTES,
    DemoAction,
)
from coeval.demo.practice import demo_time as at_minute
from coeval.demo.ratings import PERIODS, rating_row, votes
from coeval.frameworks import Framework, load_frameworks
from coeval.periods import parse_period
from coeval.store import Store
from coeval.vocabulary import (
    CARER,
    CONSENSUS,
    FAMILY_MEMBER,
    GROUP_ROLE,
    OPEN,
    PARTNER,
    PERSON_USING_SERVICES,
    STAFF,
    VOTES,
)

ACTOR = "scale-benchmark"
#: The built-in frameworks projects use, in the combinations the demo's projects use.
FRAMEWORK_SETS: tuple[tuple[str, ...], ...] = (
    ("healthwatch-six", "making-it-real"),
    ("healthwatch-six", "carers-space-notts"),
    ("making-it-real", "ladder"),
    ("healthwatch-six", "scie-four"),
    ("healthwatch-six", "scie-four", "ladder"),
    ("healthwatch-six",),
)
LIVED_ROLES = ("carer", "person_using_services", "family_member")
LIVED_WEIGHTS = (0.6, 0.25, 0.15)
WORKFORCE_ROLES = ("staff", "volunteer", "partner", "commissioner")
WORKFORCE_WEIGHTS = (0.5, 0.2, 0.2, 0.1)
LETTERS = {"person_using_services": "P", "family_member": "F"}
TOPICS = (
    "hospital discharge workshops",
    "carers' network",
    "care home Making It Real plan",
    "memory café",
    "consultation responses",
    "co-produced research",
    "young carers in school",
    "mental health crisis pathway",
    "home care commissioning",
    "learning disability day services",
)
PLACES = ("Weston", "Clevedon", "Portishead", "Nailsea", "Yatton", "Worle", "Banwell")
GROUPS = ("Young carers", "Carers from ethnic minority communities", "LGBTQ+ carers")


@dataclass(frozen=True)
class Built:
    """What was built: counts, for the benchmark to print."""

    projects: int
    ratings: int
    evidence: int
    actions: int
    activities: int
    meetings: int


def project_ids(count: int) -> list[str]:
    """The ids of the synthetic projects, in order (``s0001``, ``s0002``...)."""
    return [f"s{n:04d}" for n in range(1, count + 1)]


def list_names(book: Workbook) -> None:
    """List the names in the demo's quotes for redaction, as the demo workbook does."""
    listed = ", ".join(f'"{name}"' for name in DEMO_NAMES)
    config = book.root / CONFIG_NAME
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("redact_names = []", f"redact_names = [{listed}]"), "utf-8")


def build(
    book: Workbook,
    count: int,
    seed: int = 12,
    say: Callable[[str], Any] = print,
) -> Built:
    """Add ``count`` synthetic projects with four quarters of data to ``book``'s database."""
    list_names(book)
    frameworks = load_frameworks(book.frameworks_dir)
    rng = np.random.default_rng(seed)
    totals: Counter[str] = Counter()
    step = max(1, count // 10)
    with Store.open(book.db_url) as store:
        for number, project in enumerate(project_ids(count), start=1):
            _project(store, number, project, frameworks, rng, totals)
            if number % step == 0 or number == count:
                say(f"  built {number}/{count} projects ({totals['ratings']} ratings)")
    return Built(
        count,
        totals["ratings"],
        totals["evidence"],
        totals["actions"],
        totals["activities"],
        totals["meetings"],
    )


def _roster(code: str, rng: np.random.Generator) -> list[tuple[str, str]]:
    """The people who take part in a project over the year: 4 to 10 with lived experience
    and 2 to 5 of the workforce, each with a pseudonymous id."""
    roles = [
        *rng.choice(LIVED_ROLES, size=int(rng.integers(4, 11)), p=LIVED_WEIGHTS),
        *rng.choice(WORKFORCE_ROLES, size=int(rng.integers(2, 6)), p=WORKFORCE_WEIGHTS),
    ]
    seen: Counter[str] = Counter()
    people = []
    for role in map(str, roles):
        seen[role] += 1
        people.append((f"{code}-{LETTERS.get(role, role[0].upper())}{seen[role]:02d}", role))
    return people


def _present(people: list[tuple[str, str]], rng: np.random.Generator) -> list[tuple[str, str]]:
    """Who comes to a quarter's meeting: 2 to 5 with lived experience and 1 to 3 of the
    workforce (as many as the project has)."""
    present = []
    for lived, (low, high) in ((True, (2, 6)), (False, (1, 4))):
        pool = [p for p in people if (p[1] in LIVED_ROLES) == lived]
        size = min(len(pool), int(rng.integers(low, high)))
        present += [pool[i] for i in rng.choice(len(pool), size=size, replace=False)]
    return present


def _quarter_items(
    chosen: list[Framework], quarter: int, people: int, rng: np.random.Generator
) -> list[tuple[Framework, Any]]:
    """The items a quarter's meeting covers: enough for about 8 to 30 ratings from the
    ``people`` present, shared between the project's frameworks, moving on each quarter."""
    wanted = math.ceil(int(rng.integers(8, 31)) / people)
    each = max(1, round(wanted / len(chosen)))
    covered = []
    for fw in chosen:
        items = list(fw.items)
        start = (quarter * each) % len(items)
        covered += [(fw, items[(start + k) % len(items)]) for k in range(min(each, len(items)))]
    return covered


def _project(
    store: Store,
    number: int,
    project: str,
    frameworks: dict[str, Framework],
    rng: np.random.Generator,
    totals: Counter[str],
) -> None:
    chosen = [frameworks[f] for f in FRAMEWORK_SETS[number % len(FRAMEWORK_SETS)]]
    topic = TOPICS[number % len(TOPICS)]
    place = PLACES[(number // len(TOPICS)) % len(PLACES)]
    name = f"{place} {topic} ({number})"
    store.add_project(project, name, [fw.id for fw in chosen], actor=ACTOR)
    code = f"S{number:04d}"
    people = _roster(code, rng)
    start = float(rng.uniform(1.2, 2.4))
    truth = {  # organisations tend to rate their "We" statements above what people report
        (fw.id, item.id): start
        + float(rng.normal(0, 0.5))
        + (0.4 if item.kind == "we_statement" else 0.0)
        for fw in chosen
        for item in fw.items
    }
    consensus_share = 0.3 if number % 4 == 0 else 0.0
    meetings: list[tuple[int, str, date, list[tuple[str, str]]]] = []
    raised: list[tuple[int, int, DemoAction]] = []
    with store.write() as conn:
        rows: list[dict[str, Any]] = []
        for quarter, label in enumerate(PERIODS):
            held = parse_period(label).start + timedelta(days=int(rng.integers(20, 75)))
            consensus = bool(rng.random() < consensus_share)
            mode = CONSENSUS if consensus else VOTES
            meeting = store.add_meeting(
                project, label, held, f"Quarter {quarter + 1}", mode, actor=ACTOR, conn=conn
            )
            present = _present(people, rng)
            meetings.append((meeting, label, held, present))
            for fw, item in _quarter_items(chosen, quarter, len(present), rng):
                level = truth[(fw.id, item.id)] + 0.35 * quarter
                rows += votes(rng, present, fw, item.id, item.kind, level, label, meeting, held)
                if consensus and fw.scale_max == 4:
                    agreed = int(np.clip(round(level), 0, 4))
                    at = at_minute(held, 90)
                    group = f"{code}-GROUP"
                    rows.append(
                        rating_row(label, fw.id, item.id, group, GROUP_ROLE, agreed, meeting, at)
                    )
        for row in rows:
            row["project_id"] = project
        # the ratings first: they make the raters participants, whom evidence names
        totals["ratings"] += store.add_ratings(rows, source="synthetic", actor=ACTOR, conn=conn)
        for quarter, (meeting, label, held, present) in enumerate(meetings):
            totals["evidence"] += _evidence(store, conn, project, chosen, label, held, present, rng)
            plan = ACTIONS[(number + quarter) % len(ACTIONS)]
            action = _action(store, conn, project, chosen, label, held, meeting, plan, rng)
            raised.append((action, quarter, plan))
            totals["activities"] += _activities(store, conn, project, label, held, rng)
    for meeting, _label, _held, present in meetings:
        came = Counter(role for _rater, role in present)
        with store.meeting_write(meeting_id=meeting) as write:
            write.replace_attendance(dict(came), ACTOR)
        store.close_meeting(meeting, actor=ACTOR)
    _review_actions(store, raised)
    totals["projects"] += 1
    totals["meetings"] += len(meetings)
    totals["actions"] += len(raised)


def _evidence(
    store: Store,
    conn: Any,
    project: str,
    chosen: list[Framework],
    period: str,
    held: date,
    present: list[tuple[str, str]],
    rng: np.random.Generator,
) -> int:
    """Nought to three pieces of evidence, most linked to an item, most with consent."""
    rows = []
    for n in range(int(rng.integers(0, 4))):
        fw = chosen[int(rng.integers(len(chosen)))]
        linked = bool(rng.random() < 0.6)
        rows.append(
            {
                "project_id": project,
                "period": period,
                "framework_id": fw.id if linked else None,
                "item_id": fw.items[int(rng.integers(len(fw.items)))].id if linked else None,
                "method": EVIDENCE_METHODS[int(rng.integers(len(EVIDENCE_METHODS)))],
                "text": QUOTES[int(rng.integers(len(QUOTES)))],
                "recorded_at": at_minute(held, 120 + n),
                "consent_to_publish": bool(rng.random() < 0.7),
                "rater_id": present[int(rng.integers(len(present)))][0],
                "meeting_id": None,
            }
        )
    if rows:
        store.add_evidence(rows, ACTOR, conn)
    return len(rows)


def _action(
    store: Store,
    conn: Any,
    project: str,
    chosen: list[Framework],
    period: str,
    held: date,
    meeting: int,
    plan: DemoAction,
    rng: np.random.Generator,
) -> int:
    """One "You said, we will" action a quarter, open when raised."""
    fw = chosen[0]
    (action_id,) = store.add_actions(
        [
            {
                "project_id": project,
                "period": period,
                "framework_id": fw.id,
                "item_id": fw.items[int(rng.integers(len(fw.items)))].id,
                "said": plan.said,
                "action": plan.action,
                "owner_role": plan.owner,
                "due_on": held + timedelta(days=100),
                "status": OPEN,
                "meeting_id": meeting,
            }
        ],
        ACTOR,
        conn,
    )
    return action_id


def _activities(
    store: Store, conn: Any, project: str, period: str, held: date, rng: np.random.Generator
) -> int:
    """One or two engagement activities in the weeks before the meeting."""
    count = int(rng.integers(1, 3))
    for _ in range(count):
        reach = {role: int(rng.integers(0, 5)) for role in (CARER, FAMILY_MEMBER, STAFF, PARTNER)}
        reach[CARER] += 1
        reach[PERSON_USING_SERVICES] = int(rng.integers(0, 3))
        store.add_activity(
            {
                "project_id": project,
                "period": period,
                "held_on": held - timedelta(days=int(rng.integers(1, 20))),
                "method": ACTIVITY_METHODS[int(rng.integers(len(ACTIVITY_METHODS)))],
                "theme": "",
                "participants": sum(reach.values()),
                "new_participants": int(rng.integers(0, 3)),
            },
            {role: n for role, n in reach.items() if n},
            ACTOR,
            conn,
            groups=[g for g in GROUPS if rng.random() < 0.2],
        )
    return count


def _review_actions(store: Store, raised: list[tuple[int, int, DemoAction]]) -> None:
    """Move each action on as the demo does: in progress the quarter after it was raised,
    then (for some) done or not possible the quarter after that."""
    for action_id, quarter, plan in raised:
        steps: list[tuple[str, str | None, str | None]] = []
        if plan.ends in ("in_progress", "done"):
            steps.append(("in_progress", None, None))
        if plan.ends == "done":
            steps.append(("done", None, plan.outcome))
        if plan.ends == "not_possible":
            steps.append(("not_possible", plan.reason, None))
        for offset, (status, reason, outcome) in enumerate(steps, start=1):
            if quarter + offset < len(PERIODS):
                label = PERIODS[quarter + offset]
                store.review_action(action_id, label, status, reason, outcome, actor=ACTOR)
