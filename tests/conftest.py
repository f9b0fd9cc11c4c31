"""Shared fixtures: a fresh workbook, its store, and small rating frames."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, text

from coeval.cli.main import main
from coeval.config import Workbook, init_workbook
from coeval.frameworks import Framework, Item, Section, builtin_frameworks
from coeval.practice.actions import NewAction, add_action, review_action
from coeval.store import Store
from coeval.vocabulary import RATING_COLUMNS as INPUT_COLUMNS

T0 = datetime(2026, 7, 1, 10, 0)
_databases = itertools.count()
_members: dict[tuple[str, int, str], str] = {}


def member(store: Store, meeting: Any, name: str = "C1", role: str = "carer") -> str:
    """The rater id of the person a test calls ``name``, joined to ``meeting`` in ``role``
    the first time they are named (only people who joined may answer)."""
    from coeval.meeting.people import join_meeting

    key = (store.url, meeting.id, name)
    if key not in _members:
        _members[key] = join_meeting(store, meeting.code, role).rater
    return _members[key]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    from tests.postgres import postgres_server

    with postgres_server() as template:
        yield template


@pytest.fixture
def pg_url(pg_server: str) -> str:
    """A new, empty PostgreSQL database on the test server."""
    name = f"coeval_{next(_databases)}"
    admin = create_engine(pg_server.format("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return pg_server.format(name)


@pytest.fixture
def workbook(tmp_path: Path) -> Workbook:
    root = init_workbook(tmp_path / "wb")
    return Workbook.open(root)


@pytest.fixture
def store(workbook: Workbook) -> Iterator[Store]:
    with Store.open(workbook.db_url) as opened:
        yield opened


@pytest.fixture
def frameworks() -> dict[str, Framework]:
    return dict(builtin_frameworks())


@pytest.fixture
def cli(workbook: Workbook) -> Any:
    """Run `coeval` in-process against the test workbook; returns the click Result."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        return runner.invoke(
            main, ["--workbook", str(workbook.root), *args], input=input, catch_exceptions=False
        )

    return run


def tiny_framework() -> Framework:
    """Two sections: s1 has two I statements and a We statement; s2 one principle."""
    return Framework(
        id="fw",
        title="Tiny",
        version="1",
        source="https://example.org/fw",
        sections=(
            Section(
                "s1",
                "Section one",
                (
                    Item("i1", "s1", "i_statement", "I one", "Q?", "H"),
                    Item("i2", "s1", "we_statement", "We two", "Q?", "H"),
                    Item("i3", "s1", "i_statement", "I three", "Q?", "H"),
                ),
            ),
            Section("s2", "Section two", (Item("i4", "s2", "principle", "P four", "Q?", "H"),)),
        ),
    )


def ratings_frame(
    rows: list[tuple[Any, ...]], project: str = "p", period: str = "2026Q3", framework: str = "fw"
) -> pd.DataFrame:
    """Rows of (item, rater, role, score or 'dk', minutes after T0[, period]) as a frame."""
    records = []
    for seq, row in enumerate(rows):
        item, rater, role, score, minutes = row[:5]
        records.append(
            {
                "seq": seq,
                "project": project,
                "period": row[5] if len(row) > 5 else period,
                "framework": framework,
                "item": item,
                "rater": rater,
                "role": role,
                "score": float("nan") if score == "dk" else float(score),
                "dont_know": score == "dk",
                "recorded_at": T0 + timedelta(minutes=minutes),
            }
        )
    columns = list(INPUT_COLUMNS)
    frame = pd.DataFrame.from_records(records, columns=columns)
    frame["recorded_at"] = pd.to_datetime(frame["recorded_at"])
    return frame


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def reviewed(tmp_path_factory):
    """The demo workbook with 2026Q3 reviews run for two projects (shared: do not change)."""
    from coeval.demo.workbook import build_demo
    from coeval.run import run_reviews

    root = tmp_path_factory.mktemp("reviewed") / "demo"
    build_demo(root, seed=11)
    book = Workbook.open(root)
    report = run_reviews(book, "2026Q3", ["discharge-workshops", "oakfield-mir"], jobs=2)
    assert not report.failed, [(o.name, o.error) for o in report.failed]
    return book, report


@pytest.fixture
def tiny(workbook: Workbook, store: Store) -> Workbook:
    """A workbook with one project, id 007, rated in two quarters."""
    store.add_project("007", "Project Seven", ["healthwatch-six"])
    rows = []
    for period, bump in (("2026Q2", 0), ("2026Q3", 1)):
        for n, role in enumerate(["carer", "carer", "carer", "staff", "staff", "staff"]):
            rows.append(
                {
                    "project_id": "007",
                    "period": period,
                    "framework_id": "healthwatch-six",
                    "item_id": "transparency",
                    "rater_id": f"R{n}",
                    "role": role,
                    "score": min(4, n % 3 + bump),
                    "dont_know": False,
                    "recorded_at": datetime(2026, 5 if period == "2026Q2" else 8, 1),
                }
            )
    store.add_ratings(rows, source="cli")
    return workbook


def page_words(html: str) -> str:
    """The words a person reads on a page (chart text included): styles, tags and entities
    gone, spaces collapsed."""
    import html as html_lib

    text = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)))


@pytest.fixture
def raised_actions(store: Store, frameworks: dict[str, Framework]) -> list[int]:
    """Project p1 (Making It Real) with three actions raised in 2026Q2 from outside a meeting:
    by 2026Q3 one done, one not possible, one still open."""
    store.add_project("p1", "Carers' hub", ["making-it-real"])
    ids = [
        add_action(
            store,
            frameworks,
            "p1",
            "2026Q2",
            NewAction(said, did, "staff", None, origin, "making-it-real", "information-i1"),
        )
        for said, did, origin in (
            ("Papers come too late", "Send papers a week before", "letter"),
            ("Too much jargon", "Add a glossary to every report", "survey"),
            ("Evening meetings exclude working carers", "Hold some online", "complaint"),
        )
    ]
    review_action(store, ids[0], "2026Q3", "done", outcome="Papers now go a week early.")
    review_action(store, ids[1], "2026Q3", "not_possible", reason="The budget was withdrawn.")
    return ids
