"""Safe by default: each test reproduces an attack or a careless use from the security review
and checks that coeval refuses it plainly, changes nothing, and shows no traceback."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import event

from coeval.cli.main import main
from coeval.config import ConfigError, Workbook, find_workbook, init_workbook
from coeval.exceptions import (
    PROBLEMS_SHOWN,
    CoevalError,
    IdError,
    ImportError_,
    StoreError,
    ValidationError,
)
from coeval.ingest.ratings import import_ratings
from coeval.store import Store
from tests.conftest import write

COEVAL = str(Path(sys.executable).parent / "coeval")
NOBODY = 65534


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None):
    return subprocess.run(
        [COEVAL, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "COEVAL_WORKBOOK": "", "COEVAL_DB": "", **(env or {})},
        timeout=300,
    )


def one_plain_line(result) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and result.stderr.startswith("coeval: ")
    return result.stderr


# -- files: YAML bombs, types, long values ----------------------------------------------------

BOMB = "a: &a ['x','x','x','x','x','x','x','x','x']\n" + "".join(
    f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)},*{chr(97 + n)},*{chr(97 + n)},*{chr(97 + n)},"
    f"*{chr(97 + n)},*{chr(97 + n)},*{chr(97 + n)},*{chr(97 + n)},*{chr(97 + n)}]\n"
    for n in range(8)
)


def _peak_rss_mb(*args: str, cwd: Path | None = None) -> tuple[subprocess.CompletedProcess, float]:
    code = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "sys.stdout.write(f'{done.returncode}\\n{peak}\\n' + done.stderr)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, COEVAL, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env={**os.environ, "COEVAL_WORKBOOK": ""},
    )
    status, peak, stderr = out.stdout.split("\n", 2)
    return subprocess.CompletedProcess(args, int(status), "", stderr), float(peak)


@pytest.mark.slow
def test_a_billion_laughs_framework_or_consultation_is_refused_in_little_memory(
    workbook: Workbook,
) -> None:
    bomb = write(workbook.frameworks_dir / "bomb.yaml", BOMB)
    result, peak = _peak_rss_mb("--workbook", str(workbook.root), "frameworks", "list")
    assert "anchor or alias" in one_plain_line(result) and "bomb.yaml, line 1" in result.stderr
    assert peak < 400, f"{peak:.0f} MB"
    bomb.unlink()
    workbook.consultations_dir.mkdir()
    write(workbook.consultations_dir / "bomb.yaml", BOMB)
    result, peak = _peak_rss_mb("--workbook", str(workbook.root), "consultation", "list")
    assert "anchor or alias" in one_plain_line(result) and peak < 400


def test_file_values_are_checked_for_their_type_and_shortened_in_messages(
    workbook: Workbook,
) -> None:
    from coeval.exceptions import ConsultationError
    from coeval.frameworks import load_frameworks
    from coeval.practice.consultations import load_consultations

    workbook.consultations_dir.mkdir()
    write(
        workbook.consultations_dir / "c.yaml",
        "id: c\ntitle: [not, text]\nconsulting: x\ncloses: 2026-12-01\n"
        "questions: [{id: q, text: 'Q?'}]\n",
    )
    with pytest.raises(ConsultationError, match="title should be text, not"):
        load_consultations(workbook.consultations_dir)
    huge = "x" * 1_000_000
    write(workbook.frameworks_dir / "long.yaml", f"id: {huge}\n")
    with pytest.raises(ValidationError) as caught:
        load_frameworks(workbook.frameworks_dir)
    lines = caught.value.lines()
    assert any("1000000 characters" in line for line in lines)
    assert all(len(line) < 400 for line in lines)


# -- imports: control characters, many bad rows, rater ids ------------------------------------

HEADER = "project,period,framework,item,rater,role,score,note\n"


def test_a_control_character_in_an_import_is_refused_with_its_row(workbook, store) -> None:
    store.add_project("p1", "P", ["healthwatch-six"])
    path = write(
        workbook.root / "r.csv",
        HEADER + "p1,2026Q3,healthwatch-six,transparency,C1,carer,2,fine\r\n"
        "p1,2026Q3,healthwatch-six,transparency,C2,carer,2,bad\x01note\n",
    )
    with pytest.raises(ImportError_) as caught:
        import_ratings(workbook, store, {"healthwatch-six": _hw6()}, path)
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (3, "note") and "U+0001" in problem.message
    assert store.count("ratings") == 0


def _hw6():
    from coeval.frameworks import builtin_frameworks

    return builtin_frameworks()["healthwatch-six"]


@pytest.mark.slow
def test_two_hundred_thousand_bad_rows_give_a_short_list_in_bounded_memory(workbook, store) -> None:
    store.add_project("p1", "P", ["healthwatch-six"])
    rows = "".join(f"p1,2026Q3,healthwatch-six,nope,C{n},carer,9,\n" for n in range(200_000))
    write(workbook.root / "bad.csv", HEADER + rows)
    result, peak = _peak_rss_mb(
        "--workbook", str(workbook.root), "import", "ratings", "bad.csv", cwd=workbook.root
    )
    lines = one_plain_line(result).splitlines()
    assert len(lines) <= PROBLEMS_SHOWN + 2
    assert "more problems are not listed" in result.stderr and "(400000 problems)" in lines[-1]
    assert peak < 700, f"{peak:.0f} MB"
    assert store.count("ratings") == 0


def test_a_rater_id_that_reads_as_a_listed_name_is_refused(workbook) -> None:
    config = workbook.config_path
    config.write_text(
        config.read_text().replace("redact_names = []", 'redact_names = ["Jean Bloggs"]')
    )
    book = Workbook.open(workbook.root)
    with Store.open(book.db_url) as store:
        store.add_project("p1", "P", ["healthwatch-six"])
        for rater in (
            "Jean-Bloggs",
            "jean_bloggs",
            "JeanBloggs",
            "BloggsJean",
            "JBloggs",
            "bloggs7",
        ):
            path = write(
                book.root / "r.csv",
                HEADER + f"p1,2026Q3,healthwatch-six,transparency,{rater},carer,2,\n",
            )
            with pytest.raises(ImportError_, match="reads as a name listed in redact_names"):
                import_ratings(book, store, {"healthwatch-six": _hw6()}, path)


# -- outputs that crashed on a control character -----------------------------------------------


def test_exports_and_the_word_response_survive_control_characters(
    workbook, store, tmp_path
) -> None:
    """Text stored without coeval's import checks (the library, an older version) still
    writes: the characters a spreadsheet or Word file cannot hold are left out."""
    from coeval.practice.response import draft_response

    store.add_project("p1", "P", ["healthwatch-six"])
    store.add_ratings(
        [
            {
                "project_id": "p1",
                "period": "2026Q3",
                "framework_id": "healthwatch-six",
                "item_id": "transparency",
                "rater_id": "C1",
                "role": "carer",
                "score": 2,
                "dont_know": False,
                "note": "late\x01 papers\x1b[31m\ufffe",
                "recorded_at": datetime(2026, 8, 1),
            }
        ],
        source="cli",
    )
    result = CliRunner().invoke(
        main,
        ["--workbook", str(workbook.root), "export", "ratings", "--out", str(tmp_path / "r.xlsx")],
    )
    assert result.exit_code == 0, result.output
    sheet = load_workbook(tmp_path / "r.xlsx").active
    assert sheet["H2"].value == "late papers[31m"
    workbook.consultations_dir.mkdir()
    write(
        workbook.consultations_dir / "c.yaml",
        "id: c\ntitle: T\nconsulting: X\ncloses: 2026-12-01\nquestions: [{id: q, text: 'Q?'}]\n",
    )
    with store.write() as conn:
        from coeval.store import schema as s

        conn.execute(
            s.consultation_answers.insert(),
            [
                {
                    "consultation_id": "c",
                    "question_id": "q",
                    "project_id": "p1",
                    "rater_id": "C1",
                    "role": "carer",
                    "answer": "agree",
                    "comment": "a\x01b\x0bc\uffff",
                    "consent_to_publish": True,
                    "recorded_at": datetime(2026, 8, 1),
                    "created_at": datetime(2026, 8, 1),
                }
            ],
        )
    md, docx = draft_response(workbook, store, "c", tmp_path / "out")
    assert docx.is_file() and "\x01" not in md.read_text()


# -- the database: locked, full, unreachable; passwords --------------------------------------


def test_a_locked_database_is_one_plain_line_without_row_contents(workbook, store) -> None:
    store.add_project("p1", "P", ["healthwatch-six"])
    path = write(
        workbook.root / "r.csv",
        HEADER + "p1,2026Q3,healthwatch-six,transparency,C1,carer,2,my secret worry\n",
    )
    holder = sqlite3.connect(workbook.db_url.split("///", 1)[1])
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = run(
            "--workbook",
            str(workbook.root),
            "import",
            "ratings",
            str(path),
            env={"COEVAL_BUSY_TIMEOUT": "0.2"},
        )
    finally:
        holder.rollback()
        holder.close()
    line = one_plain_line(result)
    assert "is busy" in line and "my secret worry" not in line and "INSERT" not in line
    assert len(line.strip().splitlines()) == 1
    assert store.count("ratings") == 0


def test_a_full_disk_is_one_plain_line_and_changes_nothing(workbook, store) -> None:
    store.add_project("p1", "P", ["healthwatch-six"])
    rows = "".join(
        f"p1,2026Q3,healthwatch-six,transparency,C{n},carer,2,{'words ' * 200}\n"
        for n in range(500)
    )
    path = write(workbook.root / "r.csv", HEADER + rows)
    pages = sqlite3.connect(workbook.db_url.split("///", 1)[1]).execute("PRAGMA page_count")
    limit = pages.fetchone()[0] + 20
    with Store.open(workbook.db_url) as small:

        @event.listens_for(small.engine, "connect")
        def _cap(dbapi, _record) -> None:  # a disk with room for 20 more pages
            dbapi.execute(f"PRAGMA max_page_count = {limit}")

        small.engine.dispose()  # every connection from now on has the cap
        with pytest.raises(StoreError, match="no space left") as caught:
            import_ratings(workbook, small, {"healthwatch-six": _hw6()}, path)
    assert "words" not in str(caught.value)
    assert store.count("ratings") == 0 and store.count("imports") == 0
    assert list(workbook.imports_dir.iterdir()) == []  # the kept copy is not left behind


def test_an_unreachable_server_and_its_password_are_never_shown(tmp_path: Path) -> None:
    init_workbook(tmp_path / "wb")
    url = "postgresql+psycopg://carer_db:hunter2@127.0.0.1:1/coeval"
    result = run("--workbook", str(tmp_path / "wb"), "--db", url, "project", "list")
    line = one_plain_line(result)
    assert "cannot reach the server" in line and "hunter2" not in line and "***" in line
    from coeval.store.database import display_url

    assert "hunter2" not in display_url("postgresql://carer_db@db/coeval?password=hunter2")


@pytest.mark.slow
def test_init_hides_the_password_it_prints(tmp_path: Path, pg_url: str) -> None:
    with_password = pg_url.replace("postgres@", "postgres:hunter2@")
    result = run("--db", with_password, "init", str(tmp_path / "wb"))
    assert result.returncode == 0, result.stderr
    assert "hunter2" not in result.stdout and "postgres:***@" in result.stdout


# -- files on disk: private data, purging kept imports -----------------------------------------


def test_the_data_folder_and_its_files_are_private(workbook, store) -> None:
    store.add_project("p1", "P", ["healthwatch-six"])
    path = write(
        workbook.root / "r.csv", HEADER + "p1,2026Q3,healthwatch-six,transparency,C1,carer,2,\n"
    )
    result = import_ratings(workbook, store, {"healthwatch-six": _hw6()}, path)
    for folder in (workbook.data_dir, workbook.imports_dir, workbook.frameworks_dir):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    for file in (Path(workbook.db_url.split("///", 1)[1]), Path(result.kept_as)):
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file


def test_kept_imports_are_purged_by_date_and_the_audit_log_says_so(workbook, store) -> None:
    from coeval.store import schema as s

    store.add_project("p1", "P", ["healthwatch-six"])
    kept = []
    for n in range(3):
        path = write(
            workbook.root / f"r{n}.csv",
            HEADER + f"p1,2026Q3,healthwatch-six,transparency,C{n},carer,2,said without consent\n",
        )
        kept.append(
            Path(import_ratings(workbook, store, {"healthwatch-six": _hw6()}, path).kept_as)
        )
    mine = write(workbook.imports_dir / "not-from-coeval.csv", "keep me")
    kept[0].unlink()  # someone swaps a kept file for a link to one that is not due
    kept[0].symlink_to(kept[2])
    with store.write() as conn:  # the first two were imported long ago
        for n, days in ((1, 400), (2, 200)):
            conn.execute(
                s.imports.update()
                .where(s.imports.c.id == n)
                .values(imported_at=datetime.now() - timedelta(days=days))
            )
    cli = ["--workbook", str(workbook.root), "imports", "purge"]
    refused = CliRunner().invoke(main, cli)
    assert refused.exit_code == 1 and "give --before DATE" in refused.output
    bad = CliRunner().invoke(main, [*cli, "--before", "last year"])
    assert bad.exit_code == 1 and "write a date like" in bad.output
    cutoff = (date.today() - timedelta(days=300)).isoformat()
    done = CliRunner().invoke(main, [*cli, "--before", cutoff])
    assert done.exit_code == 0 and "Removed 0 kept import files" in done.output
    assert "1 were already gone" in done.output  # the link is never followed nor removed
    assert kept[0].is_symlink() and kept[1].exists() and kept[2].exists()
    kept[0].unlink()
    assert mine.read_text() == "keep me"  # never a file coeval did not keep
    log = store.audit_log()
    purge = log[log["action"] == "purge"].iloc[-1]
    assert '"gone": 1' in purge["detail"]
    assert store.count("ratings") == 3  # what was imported stays
    again = import_ratings(workbook, store, {"healthwatch-six": _hw6()}, workbook.root / "r0.csv")
    assert again.already_imported_at is not None  # and the file is still recognised

    config = workbook.config_path  # a retention period: the daily run applies it
    config.write_text(config.read_text().replace("keep_days = 0", "keep_days = 100"))
    rerun = CliRunner().invoke(main, [*cli])
    assert rerun.exit_code == 0 and not kept[1].exists() and kept[2].exists()


# -- project ids -------------------------------------------------------------------------------


def test_a_project_id_can_never_become_a_path_outside_dashboards(tiny: Workbook, tmp_path) -> None:
    from coeval.run import run_reviews
    from coeval.store import schema as s

    with Store.open(tiny.db_url) as store:
        for bad in ("../../x", "a/b", ".hidden", "", "x" * 65):
            with pytest.raises(IdError, match="cannot be used"):
                store.add_project(bad, "Sneaky", ["healthwatch-six"])
        with store.write() as conn:  # as if written by another program
            conn.execute(
                s.projects.insert().values(
                    id="../../escape", name="Sneaky", active=True, created_at=datetime(2026, 1, 1)
                )
            )
            conn.execute(
                s.project_frameworks.insert().values(
                    project_id="../../escape", framework_id="healthwatch-six"
                )
            )
    report = run_reviews(tiny, "2026Q3", jobs=1)
    failed = {o.name: o.error for o in report.failed}
    assert "cannot be used" in failed["../../escape"]
    assert [o.status for o in report.outcomes if o.name == "007"] == ["ok"]
    assert not list(tiny.root.parent.glob("escape*")) and not list(tiny.root.glob("escape*"))
    result = CliRunner().invoke(
        main,
        [
            "--workbook",
            str(tiny.root),
            "feedback",
            "--project",
            "../../escape",
            "--period",
            "2026Q3",
            "--out",
            str(tmp_path / "f"),
        ],
    )
    assert result.exit_code == 1 and "cannot be used" in result.output


# -- the workbook's own code and settings -----------------------------------------------------


def test_a_notebook_in_the_workbook_runs_only_when_named_owned_and_private(tiny: Workbook) -> None:
    from coeval.exceptions import ReviewError
    from coeval.execute import notebook_path

    own = tiny.root / "notebooks"
    own.mkdir()
    write(own / "quarterly_review.ipynb", "{}")
    coevals = notebook_path(tiny, "quarterly_review.ipynb")
    assert coevals.parent != own  # sitting there, it is never run
    config = tiny.config_path
    config.write_text(
        config.read_text().replace(
            "# quarterly_review = ", 'quarterly_review = "notebooks/quarterly_review.ipynb"\n#'
        )
    )
    book = Workbook.open(tiny.root)
    (own / "quarterly_review.ipynb").chmod(0o666)
    with pytest.raises(ReviewError, match="other people can change"):
        notebook_path(book, "quarterly_review.ipynb")
    (own / "quarterly_review.ipynb").chmod(0o644)
    own.chmod(0o777)
    with pytest.raises(ReviewError, match="chmod go-w"):
        notebook_path(book, "quarterly_review.ipynb")
    own.chmod(0o755)
    assert notebook_path(book, "quarterly_review.ipynb") == own / "quarterly_review.ipynb"
    os.chown(own / "quarterly_review.ipynb", NOBODY, NOBODY)
    with pytest.raises(ReviewError, match="belongs to another user"):
        notebook_path(book, "quarterly_review.ipynb")


def test_discovery_stops_at_someone_elses_folder_and_at_home(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("COEVAL_WORKBOOK", raising=False)
    shared = tmp_path / "shared"
    mine = shared / "mine" / "work"
    mine.mkdir(parents=True)
    write(shared / "coeval.toml", "[workbook]\n")  # planted in a shared parent
    os.chown(shared, NOBODY, NOBODY)
    with pytest.raises(ConfigError, match="owned by someone else"):
        find_workbook(mine)
    os.chown(shared, os.geteuid(), os.getegid())
    assert find_workbook(mine) == shared  # the same folder, when it is one's own
    monkeypatch.setenv("HOME", str(shared / "mine"))
    with pytest.raises(ConfigError, match="stops at your home folder"):
        find_workbook(mine)
    result = run("project", "list", cwd=mine, env={"HOME": str(shared / "mine")})
    assert "stops at your home folder" in one_plain_line(result)


def test_an_unexpected_failure_is_one_line_with_no_traceback(tmp_path, monkeypatch) -> None:
    import coeval.cli.context as context

    def broken(_self):
        raise ZeroDivisionError("row 7: Jean Bloggs 07700 900123")

    init_workbook(tmp_path / "wb")
    monkeypatch.setattr(context.Context, "frameworks", broken)
    result = CliRunner().invoke(main, ["--workbook", str(tmp_path / "wb"), "frameworks", "list"])
    assert result.exit_code == 1 and "ZeroDivisionError" in result.output
    assert "Jean" not in result.output and "COEVAL_DEBUG=1" in result.output


@pytest.mark.slow
def test_code_left_in_the_workbook_is_never_imported_by_a_review(tiny: Workbook) -> None:
    from coeval.run import run_reviews

    for name in ("pandas.py", "coeval.py", "ipykernel_launcher.py"):
        write(tiny.root / name, "raise SystemExit('workbook code ran')\n")
    report = run_reviews(tiny, "2026Q3", jobs=1)
    assert not report.failed, [(o.name, o.error) for o in report.failed]


def test_serve_runs_only_the_notebooks_coeval_made(tiny: Workbook) -> None:
    from coeval.server.dashboards import check_served

    folder = tiny.dashboards_dir / "2026Q3"
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(
        '{"projects": {"007": {"notebook": "007.ipynb"}}, "portfolio": null}'
    )
    write(folder / "007.ipynb", "{}")
    check_served(tiny.dashboards_dir)
    (folder / "007.ipynb").chmod(0o666)
    with pytest.raises(CoevalError, match="can be changed by someone else"):
        check_served(tiny.dashboards_dir)
    (folder / "007.ipynb").chmod(0o644)
    write(folder / "planted.ipynb", "{}")
    with pytest.raises(CoevalError, match="was not made by `coeval run`"):
        check_served(tiny.dashboards_dir)
    result = CliRunner().invoke(main, ["--workbook", str(tiny.root), "serve"])
    assert result.exit_code == 1 and "planted.ipynb was not made" in result.output


def test_the_meeting_page_tells_visitors_nothing_about_the_server(workbook, capsys) -> None:
    from coeval.widgets.app import meeting_app

    env = {
        "COEVAL_WORKBOOK": str(workbook.root),
        "COEVAL_DB": "postgresql+psycopg://carer_db:hunter2@127.0.0.1:1/private_db",
        "COEVAL_MEETING": "1",
        "QUERY_STRING": "code=ABC234",
    }
    screen = meeting_app(env)
    shown = "".join(getattr(child, "value", "") for child in screen.children)
    assert "could not be opened just now" in shown and "tell the facilitator" in shown
    assert "private_db" not in shown and "127.0.0.1" not in shown and "hunter2" not in shown
    logged = capsys.readouterr().err
    assert "cannot reach the server" in logged and "hunter2" not in logged
