"""The score document, and docs/method.md's worked example recomputed end to end."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import write

METHOD = Path(__file__).parents[1] / "docs" / "method.md"


def worked_example() -> tuple[str, dict[str, str]]:
    text = METHOD.read_text(encoding="utf-8")
    csv_block = re.search(r"```csv\n(.*?)```", text, re.S)
    assert csv_block, "docs/method.md has no ```csv block"
    table = text.split("| result | value |\n| --- | --- |", 1)[1]
    results = dict(re.findall(r"^\| ([a-z'%\- ]+?) \| ([-\w.]+) \|$", table, re.M))
    return csv_block.group(1), results


def test_the_worked_example_in_method_md_is_what_coeval_computes(cli, tmp_path) -> None:
    rows, stated = worked_example()
    assert (
        cli(
            "project", "add", "discharge", "--name", "Discharge", "--frameworks", "healthwatch-six"
        ).exit_code
        == 0
    )
    assert cli("import", "ratings", str(write(tmp_path / "example.csv", rows))).exit_code == 0
    out = cli(
        "score",
        "--project",
        "discharge",
        "--period",
        "2026Q3",
        "--framework",
        "healthwatch-six",
        "--format",
        "json",
    )
    doc = json.loads(out.output)
    sections = {s["id"]: s for s in doc["sections"]}
    items = {i["id"]: i for s in doc["sections"] for i in s["items"]}
    computed = {
        "transparency score": items["transparency"]["score"],
        "transparency raters": items["transparency"]["n_raters"],
        "transparency don't know": items["transparency"]["dont_know"],
        "transparency gap": items["transparency"]["gap"],
        "transparency section %": sections["transparency"]["score"],
        "built-in score": items["built-in"]["score"],
        "built-in method": items["built-in"]["method"],
        "built-in section %": sections["built-in"]["score"],
        "framework %": doc["score"],
        "coverage": doc["coverage"],
    }
    assert set(stated) == set(computed), "the results table and this test disagree on rows"
    for label, value in computed.items():
        if isinstance(value, str):
            assert stated[label] == value, label
        else:
            assert float(stated[label]) == pytest.approx(value, abs=1e-3), label


def test_the_document_has_every_key_the_contract_names(cli, tmp_path) -> None:
    rows, _ = worked_example()
    cli(
        "project",
        "add",
        "discharge",
        "--name",
        "Discharge",
        "--frameworks",
        "healthwatch-six,making-it-real",
    )
    cli("import", "ratings", str(write(tmp_path / "example.csv", rows)))
    doc = json.loads(
        cli(
            "score",
            "--project",
            "discharge",
            "--period",
            "2026Q3",
            "--framework",
            "making-it-real",
            "--format",
            "json",
        ).output
    )
    assert {
        "project",
        "period",
        "framework",
        "score",
        "coverage",
        "change_since_previous",
        "sections",
    } <= set(doc)
    assert doc["score"] is None and doc["coverage"] == 0.0 and doc["change_since_previous"] is None
    section = doc["sections"][0]
    assert {"id", "title", "score", "alpha", "i_minus_we", "items"} <= set(section)
    item = section["items"][0]
    assert {
        "id",
        "title",
        "kind",
        "score",
        "method",
        "n_raters",
        "dont_know",
        "one_voice",
        "gap",
        "voices",
    } <= set(item)
    assert item["voices"] == {
        "lived_experience": {"mean": None, "n": 0},
        "workforce": {"mean": None, "n": 0},
    }
    assert len(doc["sections"]) == 6


def test_change_since_previous_uses_the_quarter_before(cli, tmp_path) -> None:
    rows = (
        "project,period,framework,item,rater,role,score\n"
        "d,2026Q2,healthwatch-six,transparency,C1,carer,2\n"
        "d,2026Q3,healthwatch-six,transparency,C1,carer,3\n"
    )
    cli("project", "add", "d", "--name", "D", "--frameworks", "healthwatch-six")
    cli("import", "ratings", str(write(tmp_path / "r.csv", rows)))
    doc = json.loads(
        cli(
            "score",
            "--project",
            "d",
            "--period",
            "2026Q3",
            "--framework",
            "healthwatch-six",
            "--format",
            "json",
        ).output
    )
    assert doc["change_since_previous"] == 25.0
    assert doc["sections"][4]["change_since_previous"] == 25.0


def test_the_table_reads_as_words(cli, tmp_path) -> None:
    rows, _ = worked_example()
    cli("project", "add", "discharge", "--name", "Discharge", "--frameworks", "healthwatch-six")
    cli("import", "ratings", str(write(tmp_path / "example.csv", rows)))
    text = cli("score", "--project", "discharge", "--period", "2026Q3").output
    assert "Framework score: 73.4%" in text
    assert "Established" in text and "consensus" in text
    assert "Gap = lived experience minus workforce" in text
    for line in text.splitlines():
        assert len(line) <= 120
