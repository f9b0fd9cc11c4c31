"""The same code on a real PostgreSQL server, for shared deployments."""

from __future__ import annotations

import json
import multiprocessing

import pytest
from click.testing import CliRunner
from sqlalchemy import inspect

from coeval.cli.main import main
from coeval.store import Store, schema
from tests.conftest import write
from tests.test_report import worked_example
from tests.test_store import rating

pytestmark = pytest.mark.slow


def test_schema_and_append_only_on_postgres(pg_url: str) -> None:
    with Store.open(pg_url) as store:
        assert store.schema_version() == schema.SCHEMA_VERSION
        assert set(schema.metadata.tables) <= set(inspect(store.engine).get_table_names())
        store.add_project("p1", "One", ["healthwatch-six"])
        store.add_ratings([rating("C1", 2), rating("C1", None)], source="cli")
        for statement in ("UPDATE ratings SET score = 4", "DELETE FROM ratings"):
            with store.engine.begin() as conn, pytest.raises(Exception, match="append-only"):
                conn.exec_driver_sql(statement)
        frame = store.ratings()
        assert frame["score"].isna().tolist() == [False, True]
        assert frame["dont_know"].tolist() == [False, True]
        assert str(frame["recorded_at"].dtype).startswith("datetime64")
    with Store.open(pg_url) as again:  # opening an existing database changes nothing
        assert len(again.ratings()) == 2


def _score_json(workbook_root, db: str, tmp_path) -> dict:
    runner = CliRunner()

    def run(*args: str):
        result = runner.invoke(main, ["--workbook", str(workbook_root), "--db", db, *args])
        assert result.exit_code == 0, result.output
        return result

    rows, _ = worked_example()
    tmp_path.mkdir()
    run("project", "add", "discharge", "--name", "D", "--frameworks", "healthwatch-six")
    run("import", "ratings", str(write(tmp_path / "example.csv", rows)))
    out = run("score", "--project", "discharge", "--period", "2026Q3", "--framework",
              "healthwatch-six", "--format", "json")  # fmt: skip
    return json.loads(out.output)


def test_postgres_and_sqlite_give_the_same_score_document(workbook, pg_url, tmp_path) -> None:
    on_postgres = _score_json(workbook.root, pg_url, tmp_path / "a")
    on_sqlite = _score_json(workbook.root, str(tmp_path / "b.db"), tmp_path / "b")
    assert on_postgres == on_sqlite
    assert on_postgres["score"] == pytest.approx(73.4375, abs=1e-3)


def test_a_refused_import_stores_nothing_on_postgres(workbook, pg_url, tmp_path) -> None:
    runner = CliRunner()
    base = ["--workbook", str(workbook.root), "--db", pg_url]
    runner.invoke(main, [*base, "project", "add", "p1", "--name", "One"])
    bad = ("project,period,framework,item,rater,role,score\n"
           "p1,2026Q3,healthwatch-six,transparency,C1,carer,3\n"
           "p1,2026Q3,healthwatch-six,transparency,C2,carer,9\n")  # fmt: skip
    result = runner.invoke(main, [*base, "import", "ratings", str(write(tmp_path / "b.csv", bad))])
    assert result.exit_code == 1 and "row 3, column score" in result.output
    with Store.open(pg_url) as store:
        assert store.count("ratings") == 0 and store.count("imports") == 0


def _writer(url: str, worker: int, count: int) -> None:
    with Store.open(url) as store:
        store.add_ratings([rating("SHARED")], source="cli")  # every worker meets this rater
        for n in range(count):
            store.add_ratings([rating(f"W{worker}-{n:03d}", n % 5)], source="cli")


def test_eight_processes_on_postgres_lose_and_duplicate_nothing(pg_url: str) -> None:
    spawn = multiprocessing.get_context("spawn")
    workers = [spawn.Process(target=_writer, args=(pg_url, w, 50)) for w in range(8)]
    with Store.open(pg_url) as store:
        store.add_project("p1", "Busy", ["healthwatch-six"])
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=240)
        assert process.exitcode == 0
    with Store.open(pg_url) as store:
        frame = store.ratings()
        assert len(frame) == 8 * 51
        assert frame["rater"].nunique() == 8 * 50 + 1
        assert store.count("participants") == 8 * 50 + 1


def test_the_run_lock_is_in_the_database(pg_url: str) -> None:
    """Two processes (or machines) sharing a PostgreSQL workbook: one holds a quarter's run
    lock, the other cannot take it until it is released; other quarters are free."""
    with Store.open(pg_url) as first, Store.open(pg_url) as second:
        with first.exclusive("coeval run 2026Q3") as held:
            assert held
            with second.exclusive("coeval run 2026Q3") as also:
                assert not also
            with second.exclusive("coeval run 2026Q4") as other:
                assert other
        with second.exclusive("coeval run 2026Q3") as now:
            assert now


def test_a_second_run_of_a_quarter_on_another_machine_says_so(workbook, pg_url) -> None:
    runner = CliRunner()
    with Store.open(pg_url) as elsewhere, elsewhere.exclusive("coeval run 2026Q3") as held:
        assert held
        done = runner.invoke(
            main, ["--workbook", str(workbook.root), "--db", pg_url, "run", "--period", "2026Q3"]
        )
    assert done.exit_code == 0, done.output
    assert "already in progress on another machine" in done.output
