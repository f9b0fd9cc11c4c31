"""The CLI passes through to the library and turns errors into one plain line."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from coeval.cli.main import main
from tests.conftest import write

COEVAL = Path(sys.executable).parent / "coeval"
RATINGS = (
    "project,period,framework,item,rater,role,score\n"
    "p1,2026Q3,healthwatch-six,transparency,C1,carer,3\n"
    "p1,2026Q3,healthwatch-six,transparency,S1,staff,4\n"
)


def test_version_and_help(cli) -> None:
    assert "coeval, version" in cli("--version").output
    text = cli("--help").output
    for command in ("init", "demo", "project", "import", "export", "frameworks", "score"):
        assert command in text


def test_init_creates_a_workbook_with_its_database(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["init", str(tmp_path / "group")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "group" / "coeval.toml").is_file()
    assert (tmp_path / "group" / "data" / "coeval.db").is_file()
    assert "coeval project add" in result.output


def test_project_add_and_list(cli) -> None:
    out = cli("project", "add", "p1", "--name", "Discharge workshops")
    assert out.exit_code == 0
    assert "using healthwatch-six, making-it-real" in out.output  # the workbook default
    cli("project", "add", "007", "--name", "Seven", "--frameworks", "ladder")
    listed = json.loads(cli("project", "list", "--format", "json").output)
    assert [(p["id"], p["frameworks"]) for p in listed] == [
        ("007", ["ladder"]),
        ("p1", ["healthwatch-six", "making-it-real"]),
    ]
    assert "Discharge workshops" in cli("project", "list").output


def test_project_add_errors_are_one_line(cli) -> None:
    out = cli("project", "add", "p1", "--name", "X", "--frameworks", "healthwatch-six,nope")
    assert out.exit_code == 1
    assert out.output.strip().splitlines() == [
        "coeval: --frameworks: unknown framework nope; use one or more of: carers-space-notts, "
        "healthwatch-six, ladder, making-it-real, scie-four"
    ]
    assert cli("project", "add", "has space", "--name", "X").exit_code == 2
    cli("project", "add", "p1", "--name", "X")
    again = cli("project", "add", "p1", "--name", "X")
    assert again.exit_code == 1 and "already exists" in again.output


def test_import_reports_and_refuses(cli, tmp_path: Path) -> None:
    cli("project", "add", "p1", "--name", "One")
    good = cli("import", "ratings", str(write(tmp_path / "r.csv", RATINGS)))
    assert good.exit_code == 0 and "Imported 2 ratings" in good.output
    assert "kept at" in good.output
    again = cli("import", "ratings", str(tmp_path / "r.csv"))
    assert again.exit_code == 0 and "already imported on" in again.output
    bad = cli(
        "import",
        "ratings",
        str(write(tmp_path / "bad.csv", RATINGS.replace(",3\n", ",NA\n").replace("staff", "boss"))),
    )
    assert bad.exit_code == 1
    lines = bad.output.strip().splitlines()
    assert lines[0].startswith("coeval: ") and "row 2, column score" in lines[0]
    assert "row 3, column role" in lines[1]
    assert lines[-1] == (
        f"coeval: nothing was imported from {tmp_path / 'bad.csv'} (2 problems); "
        "fix them and import the file again"
    )
    assert "Traceback" not in bad.output


def test_export(cli, tmp_path: Path) -> None:
    cli("project", "add", "p1", "--name", "One")
    cli("import", "ratings", str(write(tmp_path / "r.csv", RATINGS)))
    out = cli(
        "export",
        "ratings",
        "--project",
        "p1",
        "--period",
        "2026q3",
        "--out",
        str(tmp_path / "e.csv"),
    )
    assert out.exit_code == 0 and "Wrote 2 ratings" in out.output
    assert (tmp_path / "e.csv").read_text(encoding="utf-8-sig").startswith("project,period,")
    missing = cli("export", "ratings", "--project", "nope", "--out", str(tmp_path / "x.csv"))
    assert missing.exit_code == 1 and "no project 'nope'" in missing.output
    wrong = cli("export", "ratings", "--out", str(tmp_path / "x.txt"))
    assert wrong.exit_code == 1 and "--out" in wrong.output


def test_frameworks_commands(cli, tmp_path: Path) -> None:
    listed = cli("frameworks", "list").output
    assert "making-it-real" in listed and "provisional" in listed
    doc = json.loads(cli("frameworks", "show", "making-it-real", "--format", "json").output)
    assert doc["id"] == "making-it-real" and len(doc["sections"]) == 6
    assert "I live the life I choose" in cli("frameworks", "show", "making-it-real").output
    unknown = cli("frameworks", "show", "nope")
    assert unknown.exit_code == 1 and "use one of:" in unknown.output


def test_frameworks_validate(cli, tmp_path: Path) -> None:
    from tests.test_frameworks import GOOD

    ok = cli("frameworks", "validate", str(write(tmp_path / "ok.yaml", GOOD)))
    assert ok.exit_code == 0 and "valid framework 'our-group'" in ok.output
    assert "warning: item 'heard-back' is provisional" in ok.output
    bad = cli(
        "frameworks",
        "validate",
        str(write(tmp_path / "bad.yaml", GOOD.replace("kind: principle", "kind: x"))),
    )
    assert bad.exit_code == 1
    assert f"{tmp_path / 'bad.yaml'}, line 10: " in bad.output
    patch = cli(
        "frameworks",
        "validate",
        str(write(tmp_path / "p.yaml", "patch: ladder\nitems:\n  ladder-step: {title: T}\n")),
    )
    assert patch.exit_code == 0 and "wording patch" in patch.output


def test_a_local_framework_is_usable_everywhere(cli, workbook) -> None:
    from tests.test_frameworks import GOOD

    write(workbook.frameworks_dir / "ours.yaml", GOOD)
    assert "our-group" in cli("frameworks", "list").output
    assert cli("project", "add", "p1", "--name", "One", "--frameworks", "our-group").exit_code == 0


def test_score_errors(cli) -> None:
    missing = cli("score", "--project", "nope", "--period", "2026Q3")
    assert missing.exit_code == 1 and "no project 'nope'" in missing.output
    cli("project", "add", "p1", "--name", "One")
    period = cli("score", "--project", "p1", "--period", "2026Q9")
    assert period.exit_code == 1 and "write it like '2026Q3'" in period.output
    framework = cli("score", "--project", "p1", "--period", "2026Q3", "--framework", "ladder")
    assert framework.exit_code == 1 and "does not use 'ladder'" in framework.output


def test_score_without_a_framework_lists_every_framework(cli) -> None:
    cli("project", "add", "p1", "--name", "One")
    docs = json.loads(
        cli("score", "--project", "p1", "--period", "2026Q3", "--format", "json").output
    )
    assert [d["framework"] for d in docs] == ["healthwatch-six", "making-it-real"]


def test_a_bad_settings_file_is_one_line(cli, workbook) -> None:
    workbook.config_path.write_text("[workbook]\nperiod_scheme = 'weekly'\n")
    out = cli("project", "list")
    assert out.exit_code == 1
    assert out.output.strip() == (
        f"coeval: {workbook.config_path}: [workbook] period_scheme = "
        "'weekly'; use one of: calendar, financial"
    )


@pytest.mark.slow
def test_the_installed_command_runs_and_exits_non_zero_on_error(tmp_path: Path) -> None:
    env = {**os.environ, "COEVAL_WORKBOOK": ""}
    made = subprocess.run(
        [str(COEVAL), "init", str(tmp_path / "wb")], capture_output=True, text=True, env=env
    )
    assert made.returncode == 0, made.stderr
    failed = subprocess.run(
        [
            str(COEVAL),
            "--workbook",
            str(tmp_path / "wb"),
            "score",
            "--project",
            "nope",
            "--period",
            "2026Q3",
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert failed.returncode == 1
    assert failed.stderr.strip().splitlines() == [
        "coeval: no project 'nope'; see `coeval project list`, or add it with "
        "`coeval project add nope --name NAME`"
    ]
    assert failed.stdout == ""


@pytest.mark.slow
def test_db_option_and_environment(tmp_path: Path) -> None:
    env = {**os.environ, "COEVAL_WORKBOOK": ""}
    subprocess.run(
        [str(COEVAL), "init", str(tmp_path / "wb")], check=True, capture_output=True, env=env
    )
    other = tmp_path / "elsewhere.db"
    subprocess.run(
        [
            str(COEVAL),
            "--workbook",
            str(tmp_path / "wb"),
            "--db",
            str(other),
            "project",
            "add",
            "p",
            "--name",
            "P",
        ],
        check=True,
        capture_output=True,
        env=env,
    )
    assert other.is_file()
    listed = subprocess.run(
        [str(COEVAL), "project", "list"],
        capture_output=True,
        text=True,
        env={**env, "COEVAL_WORKBOOK": str(tmp_path / "wb"), "COEVAL_DB": str(other)},
    )
    assert listed.stdout.startswith("p ")


# -- meeting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--project", "nope"], "no project 'nope'"),
        (["--project", "p1", "--framework", "ladder"], "--framework ladder: project 'p1' does"),
        (["--project", "p1", "--period", "2026Q9"], "2026Q9"),
        (["--project", "bad id!"], "--project"),
    ],
)
def test_meeting_refuses_bad_options_and_opens_nothing(cli, store, args, message) -> None:
    store.add_project("p1", "Project one", ["healthwatch-six"])
    result = cli("meeting", *args, "--port", "1")
    assert result.exit_code != 0 and message in result.output
    assert store.count("meetings") == 0


def test_meeting_refuses_a_port_in_use_and_opens_nothing(cli, store) -> None:
    store.add_project("p1", "Project one", ["healthwatch-six"])
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        result = cli("meeting", "--project", "p1", "--port", str(port))
    assert result.exit_code == 1 and f"--port {port}: another program is using it" in result.output
    assert store.count("meetings") == 0
