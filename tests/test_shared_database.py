"""A workbook on a shared PostgreSQL server: set up once with `coeval init --db`, remembered in
coeval.toml (never its password) and used by every later command; moved from SQLite with
`coeval database copy`, every row or none; and many writers and two machines at once."""

from __future__ import annotations

import importlib.util
import multiprocessing
import os
import stat
import subprocess
import sys
import time
import tomllib
import uuid
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from coeval.config import CONFIG_NAME, PASSWORD_FILE, Workbook, init_workbook
from coeval.exceptions import ConfigError, StoreError
from coeval.frameworks import builtin_frameworks
from coeval.meeting.meetings import Answer, open_meeting, save_answer
from coeval.meeting.people import join_meeting
from coeval.practice.importers import IMPORTERS
from coeval.store import Store, schema
from coeval.store.address import remember_database, same_database, with_database

if TYPE_CHECKING:
    from click.testing import Result

COEVAL = str(Path(sys.executable).parent / "coeval")
HEADER = "project,period,framework,item,rater,role,score,note\n"


@pytest.fixture(autouse=True)
def _no_database_from_the_environment(monkeypatch) -> None:
    monkeypatch.delenv("COEVAL_DB", raising=False)
    monkeypatch.delenv("COEVAL_WORKBOOK", raising=False)


def coeval(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    """`coeval ARGS` in this process (imported here: a forked writer never needs the CLI)."""
    from click.testing import CliRunner

    from coeval.cli.main import main

    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def write(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8")
    return path


def ok(*args: str | Path) -> str:
    result = coeval(*args)
    assert result.exit_code == 0, result.output
    return result.output


def refused(result: Result) -> str:
    """The one plain line a refused command prints (after any progress)."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    said = [line for line in lines if line.startswith("coeval: ")]
    assert said == lines[-1:] and "Traceback" not in result.stderr, result.stderr
    return said[0]


def setting(root: Path) -> str:
    raw = tomllib.loads((root / CONFIG_NAME).read_text())
    return str(raw.get("database", {}).get("url", ""))


def counts(url: str) -> dict[str, int]:
    with Store.open(url) as store, store.read() as conn:
        names = inspect(conn).get_table_names()
        return {n: conn.execute(text(f"SELECT COUNT(*) FROM {n}")).scalar_one() for n in names}


# -- init: the workbook remembers its database ------------------------------------------------


def test_init_on_postgres_is_remembered_by_every_later_command(tmp_path, pg_url) -> None:
    root = tmp_path / "group"
    shown = ok("--db", pg_url, "init", root)
    assert "database: postgresql+psycopg://postgres@" in shown
    assert setting(root) == pg_url
    ok("--workbook", root, "project", "add", "p1", "--name", "Discharge")  # no --db
    assert ok("--workbook", root, "project", "list").startswith("p1 ")
    assert Workbook.open(root).db_url == pg_url  # as the notebooks' kernels open it
    with Store.open(pg_url) as store:
        assert [p.id for p in store.projects()] == ["p1"]
    assert not (root / "data" / "coeval.db").exists()
    ok("--db", pg_url, "init", root)  # again, the same database: nothing changes


def test_coeval_db_works_for_init(tmp_path, pg_url) -> None:
    root = tmp_path / "group"
    made = coeval("init", root, env={"COEVAL_DB": pg_url})
    assert made.exit_code == 0, made.output
    ok("--workbook", root, "project", "add", "p1", "--name", "One")
    with Store.open(pg_url) as store:
        assert [p.id for p in store.projects()] == ["p1"]
    assert not (root / "data" / "coeval.db").exists()


def test_the_password_is_kept_out_of_the_settings_file(tmp_path, pg_url) -> None:
    # the test server trusts every connection, so this password is carried but never checked
    root = tmp_path / "group"
    shown = ok("--db", pg_url.replace("postgres@", "postgres:hunter2@"), "init", root)
    assert "hunter2" not in shown and "postgres:***@" in shown and "data/pgpass" in shown
    assert "hunter2" not in (root / CONFIG_NAME).read_text()
    assert setting(root) == pg_url  # the address as written, less its password
    kept = root / "data" / PASSWORD_FILE
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    name = make_url(pg_url).database
    assert kept.read_text().splitlines()[-1].endswith(f":{name}:postgres:hunter2")
    book = Workbook.open(root)
    assert "hunter2" not in book.db_url and f"passfile={kept}" in book.db_url
    with Store.open(book.db_url) as store, store.read() as conn:
        libpq = conn.connection.driver_connection.info
        assert libpq.password == "hunter2"  # read back from data/pgpass by libpq itself
    ok("--workbook", root, "project", "add", "p1", "--name", "One")


def test_init_does_not_move_a_workbook_that_keeps_data_elsewhere(tmp_path, pg_url) -> None:
    root = tmp_path / "group"
    ok("init", root)
    ok("--workbook", root, "project", "add", "p1", "--name", "One")
    before = (root / CONFIG_NAME).read_text()
    line = refused(coeval("--db", pg_url, "init", root))
    assert "will not switch it" in line and "database copy --to URL" in line
    assert (root / CONFIG_NAME).read_text() == before
    assert inspect(create_engine(pg_url)).get_table_names() == []


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("postgresql+psycopg://coeval:hunter2@127.0.0.1:1/coeval", "cannot reach the server"),
        ("postgresql+psycopg://coeval:hunter2@127.0.0.1:port/coeval", "not a database address"),
        ("nosuch://coeval:hunter2@db.example.org/coeval", "not a database address"),
        ("postgresql+nosuchdriver://coeval:hunter2@db/coeval", "not a database address"),
    ],
)
def test_a_bad_database_is_one_plain_line_and_makes_nothing(tmp_path, url, words) -> None:
    line = refused(coeval("--db", url, "init", tmp_path / "group"))
    assert words in line and "--db" in line and "hunter2" not in line
    assert not (tmp_path / "group").exists()


def test_a_missing_driver_says_how_to_install_it(tmp_path) -> None:
    if importlib.util.find_spec("pg8000"):
        pytest.skip("pg8000 is installed here")
    line = refused(coeval("--db", "postgresql+pg8000://u:hunter2@db/c", "init", tmp_path / "g"))
    assert "not installed" in line and "pip install" in line and "hunter2" not in line
    assert not (tmp_path / "g").exists()


def test_the_database_setting_is_checked_and_edited_in_place(tmp_path) -> None:
    root = init_workbook(tmp_path / "group")
    config = root / CONFIG_NAME
    config.write_text(config.read_text() + '\n[database]\nhost = "db"\n')
    with pytest.raises(ConfigError, match=r"\[database\] unknown setting 'host'; use one of: url"):
        Workbook.open(root)
    text = '# mine\n[database]\n# keep this\nurl = "sqlite:///a.db"\n\n[serve]\nmax_screens = 3\n'
    edited = with_database(text, "postgresql://c@db/c")
    assert edited == text.replace("sqlite:///a.db", "postgresql://c@db/c")
    removed = with_database(text, "")
    assert "url" not in tomllib.loads(removed)["database"] and "# keep this" in removed
    assert tomllib.loads(with_database("", "postgresql://c@db/c"))["database"]["url"]


def test_a_password_libpq_cannot_read_is_never_kept(tmp_path) -> None:
    root = init_workbook(tmp_path / "group")
    before = (root / CONFIG_NAME).read_text()
    with pytest.raises(StoreError, match="only for PostgreSQL through psycopg"):
        remember_database(root, "mysql+pymysql://coeval:hunter2@db.example.org/coeval")
    assert (root / CONFIG_NAME).read_text() == before
    assert not (root / "data" / PASSWORD_FILE).exists()


def test_a_database_is_the_same_whoever_connects_to_it() -> None:
    # so `coeval init` lets a workbook move from the owner's role to an everyday one
    assert same_database("postgresql+psycopg://owner@db/coeval", "postgresql://coeval:pw@db:5432/"
                         "coeval?sslmode=verify-full")  # fmt: skip
    assert not same_database("postgresql://c@db/coeval", "postgresql://c@db2/coeval")
    assert not same_database("postgresql://c@db/coeval", "postgresql://c@db/other")
    assert not same_database("sqlite:////w/data/coeval.db", "sqlite:////w/data/copy.db")


# -- coeval database copy ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "demo"
    ok("demo", root)
    return root


def _scores(root: Path) -> str:
    return ok("--workbook", root, "score", "--project", "discharge-workshops", "--period",
              "2026Q3", "--framework", "healthwatch-six", "--format", "json")  # fmt: skip


def _fill_what_the_demo_leaves_empty(root: Path, url: str, folder: Path) -> None:
    """An imported file and a person who joined a meeting: rows the demo does not make."""
    row = "discharge-workshops,2026Q3,healthwatch-six,transparency,Z1,carer,2,\n"
    ok("--workbook", root, "import", "ratings", write(folder / "late.csv", HEADER + row))
    with Store.open(url) as store:
        meeting = open_meeting(store, "discharge-workshops", "2026Q3", date(2026, 9, 30))
        join_meeting(store, meeting.code, "carer")


@pytest.mark.slow
def test_the_demo_moves_to_postgres_with_every_row(demo, tmp_path, pg_url) -> None:
    import shutil

    root = tmp_path / "demo"
    shutil.copytree(demo, root)
    sqlite_url = Workbook.open(root).db_url
    _fill_what_the_demo_leaves_empty(root, sqlite_url, tmp_path)
    before, scores = counts(sqlite_url), _scores(root)
    assert set(before) == set(schema.metadata.tables)
    empty = [table for table, rows in before.items() if not rows]
    assert empty == [], "give these tables a row here, so that their copy is checked"
    result = coeval("--workbook", root, "database", "copy", "--to", pg_url)
    assert result.exit_code == 0, result.output
    reported = dict(
        (line.split()[0], int(line.split()[1].replace(",", "")))
        for line in result.stdout.splitlines()
        if line.startswith("  ") and line.split()[0] in before
    )
    assert reported == before  # every table of the database, counted
    assert counts(pg_url) == before and counts(sqlite_url) == before
    assert "Copying ratings" in result.stderr  # progress, table by table
    assert "delete the [database] section" in result.stdout  # the way back
    assert setting(root) == pg_url and Workbook.open(root).db_url == pg_url
    assert _scores(root) == scores
    ok("--workbook", root, "project", "add", "after", "--name", "After")  # ids go on
    now = counts(pg_url)
    assert now["projects"] == before["projects"] + 1 and now["audit"] == before["audit"] + 1
    back = tmp_path / "back.db"  # and back again, from PostgreSQL to a new SQLite file
    ok("--workbook", root, "database", "copy", "--to", back, "--keep-settings")
    assert counts(f"sqlite:///{back}") == now and setting(root) == pg_url


def test_copy_refuses_a_target_holding_coeval_data(tmp_path, pg_url) -> None:
    root = tmp_path / "group"
    ok("init", root)
    ok("--workbook", root, "project", "add", "p1", "--name", "One")
    with Store.open(pg_url) as other:
        other.add_project("theirs", "Someone else's", ["healthwatch-six"])
    there = counts(pg_url)
    line = refused(coeval("--workbook", root, "database", "copy", "--to", pg_url))
    assert "already holds coeval data" in line and "nothing was changed" in line
    assert "--to" in line
    assert counts(pg_url) == there and setting(root) == ""


def test_a_failed_copy_leaves_the_target_empty(tmp_path, pg_url) -> None:
    root = tmp_path / "group"
    ok("init", root)
    ok("--workbook", root, "project", "add", "p1", "--name", "One")
    sqlite = create_engine(Workbook.open(root).db_url)
    with sqlite.begin() as conn:  # SQLite keeps a value PostgreSQL's column is too short for
        conn.execute(
            text("INSERT INTO participants VALUES (:id, 'carer', '2026-07-01 10:00:00')"),
            {"id": "x" * 65},
        )
    sqlite.dispose()
    line = refused(coeval("--workbook", root, "database", "copy", "--to", pg_url))
    assert "copying participants to --to failed, so nothing was copied" in line
    assert inspect(create_engine(pg_url)).get_table_names() == []  # not even the schema
    assert setting(root) == ""


def test_copy_leaves_no_table_behind(tmp_path) -> None:
    root = tmp_path / "group"
    ok("init", root)
    sqlite = create_engine(Workbook.open(root).db_url)
    with sqlite.begin() as conn:
        conn.execute(text("CREATE TABLE notes_added_by_hand (id INTEGER PRIMARY KEY)"))
    sqlite.dispose()
    target = tmp_path / "copy.db"
    line = refused(coeval("--workbook", root, "database", "copy", "--to", target))
    assert "notes_added_by_hand" in line and "nothing was copied" in line
    assert not target.exists()


def test_copy_to_sqlite_keeps_the_settings_when_asked(tmp_path) -> None:
    root = tmp_path / "group"
    ok("init", root)
    ok("--workbook", root, "project", "add", "p1", "--name", "One")
    target = tmp_path / "copy.db"
    Store.open(f"sqlite:///{target}").close()  # a coeval database with empty tables will do
    shown = ok("--workbook", root, "database", "copy", "--to", target, "--keep-settings")
    assert "still uses" in shown and setting(root) == ""
    assert counts(f"sqlite:///{target}") == counts(Workbook.open(root).db_url)


# -- many writers, and two machines ----------------------------------------------------------


def _meeting_writer(root: str, code: str, person: int, items: list[str], go: Any) -> None:
    mir = builtin_frameworks()["making-it-real"]
    role = "carer" if person % 2 else "staff"
    with Store.open(Workbook.open(root).db_url) as store:  # the workbook names the database
        rater = join_meeting(store, code, role).rater
        go.wait()
        for n, item in enumerate(items):
            given = Answer(code, "making-it-real", item, rater, role, n % 5, "", uuid.uuid4().hex)
            save_answer(store, given, mir)
            save_answer(store, given, mir)  # the same answer sent again


def _importer(root: str, path: str, go: Any) -> None:
    ratings = next(importer for importer in IMPORTERS if importer.name == "ratings")
    book = Workbook.open(root)
    with Store.open(book.db_url) as store:
        go.wait()
        ratings.run(book, store, Path(path))  # what `coeval import ratings PATH` runs


def _forms(folder: Path, count: int, rows: int) -> list[Path]:
    """``count`` distinct files of paper forms for project p2, ``rows`` people in each."""
    items = [item.id for item in builtin_frameworks()["healthwatch-six"].items]
    return [
        write(
            folder / f"forms-{n}.csv",
            HEADER
            + "".join(
                f"p2,2026Q3,healthwatch-six,{items[r % 6]},I{n}-{r},carer,{r % 5},\n"
                for r in range(rows)
            ),
        )
        for n in range(count)
    ]


@pytest.mark.slow
def test_twenty_meeting_writers_and_eight_importers_at_once_lose_nothing(tmp_path, pg_url):
    root = tmp_path / "group"
    ok("--db", pg_url, "init", root)
    ok("--workbook", root, "project", "add", "p1", "--name", "Meeting")
    ok("--workbook", root, "project", "add", "p2", "--name", "Imports")
    with Store.open(pg_url) as store:
        meeting = open_meeting(store, "p1", "2026Q3", date(2026, 9, 1))
    items = [item.id for item in builtin_frameworks()["making-it-real"].items][:10]
    files = _forms(tmp_path, 8, 12)
    # forked, so the processes start without importing coeval 28 times over; each opens its
    # own connections, as each meeting screen's kernel does, and all write at the same moment
    methods = multiprocessing.get_all_start_methods()
    start = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    go = start.Barrier(28, timeout=120)
    processes = [
        start.Process(target=_meeting_writer, args=(str(root), meeting.code, p, items, go))
        for p in range(20)
    ] + [start.Process(target=_importer, args=(str(root), str(path), go)) for path in files]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=300)
        assert process.exitcode == 0
    with Store.open(pg_url) as store:
        by_meeting = store.ratings(project="p1")
        imported = store.ratings(project="p2")
        assert len(by_meeting) == 20 * 10 and not by_meeting.duplicated(["rater", "item"]).any()
        assert len(imported) == 8 * 12 and imported["rater"].nunique() == 8 * 12
        assert store.count("imports") == 8 and store.count("meeting_people") == 20
        assert store.count("participants") == 20 + 8 * 12
    assert not (root / "data" / "coeval.db").exists()


def _advisory_locks(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        held = conn.execute(
            text(
                "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
        ).scalar_one()
    engine.dispose()
    return int(held)


@pytest.mark.slow
def test_two_machines_running_the_same_quarter_run_it_once(tmp_path, pg_url) -> None:
    first, second = tmp_path / "machine-a" / "group", tmp_path / "machine-b" / "group"
    for root in (first, second):  # two workbook folders, one database
        ok("--db", pg_url, "init", root)
    ok("--workbook", first, "project", "add", "p1", "--name", "One", "--frameworks",
       "healthwatch-six")  # fmt: skip
    rows = "".join(
        f"p1,2026Q3,healthwatch-six,transparency,C{n},carer,{n % 5},\n" for n in range(6)
    )
    ok("--workbook", first, "import", "ratings", write(tmp_path / "r.csv", HEADER + rows))
    env = {**os.environ, "COEVAL_DB": "", "COEVAL_WORKBOOK": ""}
    command = ["run", "--period", "2026Q3", "--jobs", "1"]
    running = subprocess.Popen(
        [COEVAL, "--workbook", str(first), *command],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while _advisory_locks(pg_url) == 0:  # wait until the first run holds the quarter
        assert running.poll() is None and time.monotonic() < deadline, running.communicate()
        time.sleep(0.05)
    other = subprocess.run(
        [COEVAL, "--workbook", str(second), *command],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    out, err = running.communicate(timeout=600)
    assert running.returncode == 0, out + err
    assert other.returncode == 0, other.stdout + other.stderr
    assert "in progress on another machine" in other.stdout
    assert " made, " in out and not list((second / "dashboards").rglob("*.html"))


def test_workers_elsewhere_are_sent_the_address_without_this_machines_password_file() -> None:
    from coeval.store.address import for_elsewhere

    here = "postgresql+psycopg://coeval@db.example.org/coeval?passfile=%2Fwb%2Fdata%2Fpgpass"
    assert for_elsewhere(here) == "postgresql+psycopg://coeval@db.example.org/coeval"
    mixed = "postgresql+psycopg://c@h/d?sslmode=verify-full&passfile=%2Fp"
    assert for_elsewhere(mixed) == "postgresql+psycopg://c@h/d?sslmode=verify-full"
