import multiprocessing
import sqlite3
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import inspect

from coeval.exceptions import NotFoundError, StoreError
from coeval.store import Store, schema

FIXTURES = Path(__file__).parent / "fixtures"


def rating(rater: str = "C001", score: int | None = 3, **extra) -> dict:
    return {
        "project_id": "p1",
        "period": "2026Q3",
        "framework_id": "healthwatch-six",
        "item_id": "transparency",
        "rater_id": rater,
        "role": "carer",
        "score": score,
        "dont_know": score is None,
        "recorded_at": datetime(2026, 7, 1, 10),
        **extra,
    }


@pytest.fixture
def project_store(store: Store) -> Store:
    store.add_project("p1", "Project one", ["healthwatch-six"])
    return store


def test_a_new_database_has_the_current_schema_and_sqlite_settings(store: Store) -> None:
    assert store.schema_version() == schema.SCHEMA_VERSION
    tables = set(inspect(store.engine).get_table_names())
    assert set(schema.metadata.tables) <= tables
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000


def test_ratings_are_append_only_and_keep_history(project_store: Store) -> None:
    project_store.add_ratings([rating(score=1)], source="cli")
    project_store.add_ratings([rating(score=3, recorded_at=datetime(2026, 7, 2))], source="cli")
    frame = project_store.ratings(project="p1")
    assert list(frame["score"]) == [1.0, 3.0]
    with project_store.engine.begin() as conn, pytest.raises(Exception, match="append-only"):
        conn.exec_driver_sql("UPDATE ratings SET score = 4")
    with project_store.engine.begin() as conn, pytest.raises(Exception, match="append-only"):
        conn.exec_driver_sql("DELETE FROM ratings")
    assert project_store.count("ratings") == 2


def test_a_score_must_be_a_score_or_dont_know(project_store: Store) -> None:
    with pytest.raises(StoreError):
        project_store.add_ratings([rating(score=3, dont_know=True)], source="cli")
    with pytest.raises(StoreError):
        project_store.add_ratings([rating(score=None, dont_know=False)], source="cli")
    with pytest.raises(StoreError):
        project_store.add_ratings([rating(score=11)], source="cli")
    assert project_store.count("ratings") == 0


def test_unknown_project_is_refused_by_the_database(store: Store) -> None:
    with pytest.raises(StoreError):
        store.add_ratings([rating()], source="cli")
    assert store.count("ratings") == 0 and store.count("participants") == 0


def test_projects_and_the_audit_log(project_store: Store) -> None:
    assert [p.id for p in project_store.projects()] == ["p1"]
    assert project_store.project("p1").frameworks == ("healthwatch-six",)
    with pytest.raises(StoreError, match="already exists"):
        project_store.add_project("p1", "Again", ["ladder"])
    with pytest.raises(NotFoundError, match="coeval project list"):
        project_store.project("p2")
    log = project_store.audit_log()
    assert list(log["action"]) == ["add"] and list(log["entity"]) == ["project"]


def test_participants_are_pseudonymous_ids_with_a_first_role(project_store: Store) -> None:
    project_store.add_ratings(
        [rating("C001"), rating("C001"), rating("S001", role="staff")], source="cli"
    )
    people = project_store.table("participants").set_index("id")["role"].to_dict()
    assert people == {"C001": "carer", "S001": "staff"}


def test_the_first_released_schema_is_migrated_on_open(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.executescript((FIXTURES / "schema_v1.sql").read_text())
    with Store.open(f"sqlite:///{path}") as store:
        assert store.schema_version() == schema.SCHEMA_VERSION
        columns = {
            t: {c["name"] for c in inspect(store.engine).get_columns(t)}
            for t in schema.metadata.tables
        }
        assert columns == {t: set(table.c.keys()) for t, table in schema.metadata.tables.items()}
        assert store.project("p1").name == "First project"
        assert len(store.ratings()) == 1
        store.add_ratings([rating("C002")], source="cli")  # still writable


def test_a_database_from_a_newer_coeval_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    with Store.open(url) as store, store.write() as conn:
        conn.execute(schema.meta.update().values(value="999"))
    with pytest.raises(StoreError, match="newer coeval"):
        Store.open(url)


def test_a_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE things (x)")
    with pytest.raises(StoreError, match="not a coeval one"):
        Store.open(f"sqlite:///{path}")


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(f"sqlite:///{tmp_path / 'nowhere' / 'x.db'}")


# -- many writers ---------------------------------------------------------------------------


def _writer(url: str, worker: int, count: int) -> None:
    with Store.open(url) as store:
        for n in range(count):
            store.add_ratings([rating(f"W{worker}-{n:03d}", score=n % 5)], source="cli")


@pytest.mark.slow
def test_eight_processes_writing_at_once_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    with Store.open(url) as store:
        store.add_project("p1", "Busy", ["healthwatch-six"])
    spawn = multiprocessing.get_context("spawn")
    workers = [spawn.Process(target=_writer, args=(url, w, 100)) for w in range(8)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=240)
        assert process.exitcode == 0
    with Store.open(url) as store:
        frame = store.ratings()
    assert len(frame) == 800
    assert frame["rater"].nunique() == 800
    assert frame["seq"].is_unique


KILLED_WRITER = textwrap.dedent(
    """
    import sys, time
    from datetime import datetime
    from coeval.store import Store
    store = Store.open(sys.argv[1])
    with store.write() as conn:
        store.add_ratings([{"project_id": "p1", "period": "2026Q3",
            "framework_id": "healthwatch-six", "item_id": "transparency", "rater_id": f"K{n}",
            "role": "carer", "score": 2, "dont_know": False,
            "recorded_at": datetime(2026, 7, 1)} for n in range(500)], source="cli", conn=conn)
        print("inserted", flush=True)
        time.sleep(120)
    """
)


@pytest.mark.slow
def test_a_writer_killed_mid_transaction_leaves_the_database_consistent(tmp_path: Path) -> None:
    path = tmp_path / "killed.db"
    url = f"sqlite:///{path}"
    with Store.open(url) as store:
        store.add_project("p1", "Killed", ["healthwatch-six"])
        store.add_ratings([rating("BEFORE")], source="cli")
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, url], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "inserted"
    finally:
        child.kill()
        child.wait()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    with Store.open(url) as store:
        assert list(store.ratings()["rater"]) == ["BEFORE"]
        assert store.count("participants") == 1
        # the dead writer's lock went with it: a stuck lock would fail here after the timeout
        store.add_ratings([rating("AFTER")], source="cli")
        assert len(store.ratings()) == 2


def test_a_write_takes_the_write_lock_when_it_begins(store: Store, tmp_path: Path) -> None:
    # BEGIN IMMEDIATE: a second writer is kept waiting from the start, rather than failing
    # later when it tries to write after reading (what a deferred transaction would do)
    other = sqlite3.connect(store.url.split("///", 1)[1], timeout=0, isolation_level=None)
    with store.write():
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.execute("SELECT count(*) FROM ratings").fetchone()  # readers are not blocked
    other.execute("BEGIN IMMEDIATE")
    other.execute("ROLLBACK")
    other.close()


def test_actions_under_way_before_reviews_were_kept_keep_their_status(tmp_path: Path) -> None:
    from coeval.periods import parse_period
    from coeval.practice.actions import action_plan

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.executescript((FIXTURES / "schema_v1.sql").read_text())
        conn.execute(
            "INSERT INTO actions (project_id, period, said, action, owner_role, status, outcome,"
            " created_at, updated_at) VALUES ('p1', '2026Q2', 'Too late', 'Send earlier',"
            " 'staff', 'done', 'Sent a week early', '2026-05-01', '2026-06-01')"
        )
    with Store.open(f"sqlite:///{path}") as store:
        plan = action_plan(store, "p1", parse_period("2026Q3"))
        assert plan["status"].tolist() == ["done"] and plan["reviewed"].tolist() == ["2026Q2"]
        assert plan["outcome"].tolist() == ["Sent a week early"]


def test_stored_ladder_steps_move_to_one_to_seven_and_ratings_stay_append_only(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'v4.db'}"
    with Store.open(url) as store:
        store.add_project("p1", "First project", ["healthwatch-six", "ladder"])
        ladder = {"framework_id": "ladder", "item_id": "ladder-step"}
        store.add_ratings(
            [
                rating("C001", 0, **ladder),
                rating("C002", 6, **ladder),
                rating("C003", None, **ladder),
                rating("C004", 2),
            ],
            source="cli",
        )
        with store.write() as conn:  # as a version 4 database left them: steps 0 to 6
            conn.execute(schema.meta.update().values(value="4"))
    with Store.open(url) as store:
        found = store.ratings().set_index("rater")["score"].to_dict()
        assert found["C001"] == 1 and found["C002"] == 7 and found["C004"] == 2
        assert pd.isna(found["C003"])  # don't know stays don't know
        with store.engine.begin() as conn, pytest.raises(Exception, match="append-only"):
            conn.execute(schema.ratings.update().values(score=4))
