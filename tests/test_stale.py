"""A re-run never leaves a page stale: each kind of input, changed through the commands and
library calls people use, makes the next `coeval run` remake exactly the pages it affects
(and the portfolio), and the page then shows the change; with nothing changed, nothing is
remade.

One workbook is shared by the cases, in order: project ``a`` (the six principles) is changed,
project ``b`` (SCIE's four principles) never is, so ``b`` must stay skipped unless the change
is one every page reads (the settings)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from click.testing import CliRunner

from coeval.cli.main import main
from coeval.config import Workbook, init_workbook
from coeval.frameworks import load_frameworks
from coeval.meeting.facilitation import record_attendance
from coeval.meeting.meetings import Answer, find_meeting, open_meeting, save_answer
from coeval.run import run_reviews
from coeval.store import Store
from tests.conftest import member, page_words, write
from tests.test_consultations import QUESTIONS

pytestmark = pytest.mark.slow
PERIOD = "2026Q3"
MEETING: dict[str, str] = {}  # the join code of project a's meeting this quarter


def cli(book: Workbook, *args: str) -> None:
    result = CliRunner().invoke(main, ["--workbook", str(book.root), *args])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Iterator[Workbook]:
    root = init_workbook(tmp_path_factory.mktemp("stale") / "wb")
    book = Workbook.open(root)
    book.consultations_dir.mkdir()
    write(book.consultations_dir / "breaks.yaml", QUESTIONS)
    with Store.open(book.db_url) as store:
        store.add_project("a", "Project A", ["healthwatch-six"])
        store.add_project("b", "Project B", ["scie-four"])
        rows = []
        for project, framework, item in (
            ("a", "healthwatch-six", "transparency"),
            ("b", "scie-four", "equality"),
        ):
            for n, role in enumerate(["carer"] * 3 + ["staff"] * 3):
                rows.append(
                    {
                        "project_id": project,
                        "period": PERIOD,
                        "framework_id": framework,
                        "item_id": item,
                        "rater_id": f"{project.upper()}{n}",
                        "role": role,
                        "score": n % 4,
                        "dont_know": False,
                        "recorded_at": datetime(2026, 8, 1),
                    }
                )
        store.add_ratings(rows, source="cli")
        store.add_actions(
            [
                {
                    "project_id": "a",
                    "period": PERIOD,
                    "said": "The front door is hard to open",
                    "action": "Fit an automatic door",
                    "owner_role": "staff",
                }
            ]
        )
        meeting = open_meeting(
            store,
            "a",
            PERIOD,
            date(2026, 9, 2),
            framework=load_frameworks(book.frameworks_dir)["healthwatch-six"],
        )
    first = run_reviews(book, PERIOD, jobs=2)
    assert not first.failed and len(first.outcomes) == 3
    MEETING["code"] = meeting.code
    yield book


@dataclass(frozen=True)
class Change:
    name: str
    apply: Callable[[Workbook], None]
    shows: str  # what project a's page says once the change is made
    remade: frozenset[str] = frozenset({"a", "portfolio"})


def _import(kind: str, text: str, *extra: str) -> Callable[[Workbook], None]:
    def apply(book: Workbook) -> None:
        path = write(book.root / f"{kind}.csv", text)
        cli(book, "import", kind, str(path), *extra)

    return apply


SURVEY_MAPPING = """preset: generic
project: a
framework: healthwatch-six
respondent: ID
rater_prefix: S-
recorded_at: {column: When}
role: {column: Role, values: {carer: carer}}
items: {transparency: Open and honest}
answers: {Embedded: 4}
comments:
  - {column: Anything else, item: null, consent: {column: Share, yes: ["Yes"]}}
"""


def _survey(book: Workbook) -> None:
    mapping = write(book.root / "survey-mapping.yaml", SURVEY_MAPPING)
    export = write(
        book.root / "survey.csv",
        "ID,When,Role,Open and honest,Anything else,Share\n"
        "1,2026-08-24,carer,Embedded,The café at the centre is too noisy,Yes\n",
    )
    cli(book, "import", "survey", str(export), "--mapping", str(mapping))


def _answer(book: Workbook) -> None:
    with Store.open(book.db_url) as store:
        meeting = find_meeting(store, MEETING["code"])
        framework = load_frameworks(book.frameworks_dir)["healthwatch-six"]
        rater = member(store, meeting, "newcomer", "carer")
        answer = Answer(meeting.code, "healthwatch-six", "built-in", rater, "carer", 4, key="k1")
        assert save_answer(store, answer, framework)


def _attendance(book: Workbook) -> None:
    with Store.open(book.db_url) as store:
        meeting = find_meeting(store, MEETING["code"])
        record_attendance(store, meeting, {"carer": 9, "staff": 4})


def _action_review(book: Workbook) -> None:
    with Store.open(book.db_url) as store:
        (action_id,) = store.actions("a")["id"]
    cli(
        book,
        "actions",
        "review",
        str(action_id),
        "--period",
        PERIOD,
        "--status",
        "done",
        "--outcome",
        "An automatic door was fitted in September",
    )


def _edit(relative: str, old: str, new: str) -> Callable[[Workbook], None]:
    def apply(book: Workbook) -> None:
        path = book.root / relative
        text = path.read_text() if path.exists() else ""
        assert old in text
        path.write_text(text.replace(old, new, 1))

    return apply


def _new_file(relative: str, text: str) -> Callable[[Workbook], None]:
    def apply(book: Workbook) -> None:
        write(book.root / relative, text)

    return apply


CHANGES = [
    Change(
        "ratings import",
        _import(
            "ratings",
            "project,period,framework,item,rater,role,score,note,recorded_at\n"
            "a,2026Q3,healthwatch-six,transparency,A9,carer,4,,2026-08-20\n",
        ),
        "from 7 people",
    ),
    Change(
        "evidence import",
        _import(
            "evidence",
            "project,period,item,method,text,consent_to_publish,recorded_at\n"
            "a,2026Q3,,letter,The new drop-in has made a real difference,yes,2026-08-21\n",
        ),
        "The new drop-in has made a real difference",
    ),
    Change(
        "activities import",
        _import(
            "activities",
            "project,date,method,theme,carer,staff,new_participants,groups_reached,notes\n"
            "a,2026-08-22,Group visit,Respite,9,3,4,,\n",
        ),
        "1 engagement activity this quarter reached 12 people",
    ),
    Change(
        "consultation import",
        _import(
            "consultation",
            "consultation,question,project,rater,role,answer,comment,recorded_at\n"
            + "".join(f"breaks-2026,right,a,V{n},carer,agree,,2026-08-23\n" for n in range(9)),
        ),
        "Breaks for carers for The council (9 people)",
    ),
    Change("action review", _action_review, "An automatic door was fitted in September"),
    Change("meeting answer", _answer, "from 8 people"),
    Change("attendance", _attendance, "The group met once this quarter"),
    Change(
        "consultation file edit",
        _edit(
            "data/consultations/breaks.yaml",
            "Every carer should have a right to a break.",
            "Every carer should have a legal right to a break.",
        ),
        "Every carer should have a legal right to a break.",
    ),
    Change(
        "framework file edit",
        _new_file(
            "data/frameworks/our-words.yaml",
            "patch: healthwatch-six\nitems:\n  transparency: {title: Open books from day one}\n",
        ),
        "Open books from day one",
    ),
    Change("survey import", _survey, "The café at the centre is too noisy"),
    Change(
        "settings edit",
        _edit("coeval.toml", "groups = [\n", 'groups = [\n    "Carers who work nights",\n'),
        "Carers who work nights",
        frozenset({"a", "b", "portfolio"}),
    ),
]


@pytest.mark.parametrize("change", CHANGES, ids=[c.name for c in CHANGES])
def test_each_change_remakes_exactly_the_pages_it_affects(book: Workbook, change: Change) -> None:
    page = book.dashboards_dir / PERIOD / "a.html"
    assert change.shows not in page_words(page.read_text())
    change.apply(book)
    report = run_reviews(Workbook.open(book.root), PERIOD)  # as `coeval run` opens it
    made = {o.name for o in report.outcomes if o.status == "ok"}
    assert not report.failed
    assert made == change.remade, change.name
    assert change.shows in page_words(page.read_text()), change.name


def test_with_nothing_changed_nothing_is_remade(book: Workbook) -> None:
    report = run_reviews(Workbook.open(book.root), PERIOD)
    assert [(o.name, o.status) for o in report.outcomes] == [("a", "skipped"), ("b", "skipped")]


def test_the_cases_cover_every_importer() -> None:
    from coeval.cli.data import import_

    imported = {c.name.removesuffix(" import") for c in CHANGES if c.name.endswith(" import")}
    assert imported == set(import_.commands), "add a case for each new importer"
