"""The score document, and docs/method.md's worked example recomputed end to end."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

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


@pytest.fixture
def example(cli, tmp_path) -> Any:
    """The worked example imported into a project rated on both main frameworks; returns a
    function that scores it: score(framework, fmt="json")."""
    rows, _ = worked_example()
    frameworks = "healthwatch-six,making-it-real"
    added = cli("project", "add", "discharge", "--name", "Discharge", "--frameworks", frameworks)
    assert added.exit_code == 0, added.output
    imported = cli("import", "ratings", str(write(tmp_path / "example.csv", rows)))
    assert imported.exit_code == 0, imported.output

    def score(framework: str = "healthwatch-six", fmt: str = "json") -> Any:
        args = ["score", "--project", "discharge", "--period", "2026Q3"]
        out = cli(*args, "--framework", framework, "--format", fmt)
        assert out.exit_code == 0, out.output
        return json.loads(out.output) if fmt == "json" else out.output

    return score


def test_the_worked_example_in_method_md_is_what_coeval_computes(example) -> None:
    _, stated = worked_example()
    doc = example()
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


def test_the_document_has_every_key_the_contract_names(example) -> None:
    doc = example("making-it-real")
    top = {"project", "period", "framework", "score", "coverage", "change_since_previous"}
    assert top | {"sections"} <= set(doc)
    assert doc["score"] is None and doc["coverage"] == 0.0 and doc["change_since_previous"] is None
    section = doc["sections"][0]
    assert {"id", "title", "score", "alpha", "i_minus_we", "items"} <= set(section)
    item = section["items"][0]
    keys = {"id", "title", "kind", "score", "method", "n_raters", "dont_know", "one_voice", "gap"}
    assert keys | {"voices"} <= set(item)
    assert item["voices"] == {
        "lived_experience": {"mean": None, "n": 0},
        "workforce": {"mean": None, "n": 0},
    }
    assert len(doc["sections"]) == 6


def test_voices_and_distribution_in_the_document(example) -> None:
    items = {i["id"]: i for s in example()["sections"] for i in s["items"]}
    transparency = items["transparency"]
    assert transparency["voices"] == {
        "lived_experience": {"mean": 2.0, "n": 2},
        "workforce": {"mean": 3.75, "n": 4},
    }
    assert transparency["distribution"] == {"0": 0, "1": 0, "2": 2, "3": 1, "4": 3, "dont_know": 1}
    assert items["better-outcomes"]["score"] is None and items["better-outcomes"]["n_raters"] == 0


def test_change_since_previous_uses_the_quarter_before(cli, tmp_path) -> None:
    rows = (
        "project,period,framework,item,rater,role,score\n"
        "d,2026Q2,healthwatch-six,transparency,C1,carer,2\n"
        "d,2026Q3,healthwatch-six,transparency,C1,carer,3\n"
    )
    cli("project", "add", "d", "--name", "D", "--frameworks", "healthwatch-six")
    cli("import", "ratings", str(write(tmp_path / "r.csv", rows)))
    out = cli("score", "--project", "d", "--period", "2026Q3", "--format", "json")
    (doc,) = json.loads(out.output)
    assert doc["change_since_previous"] == 25.0
    assert doc["sections"][4]["change_since_previous"] == 25.0


def test_the_table_reads_as_words(example) -> None:
    text = example(fmt="table")
    assert "Framework score: 73.4%" in text
    assert "Established" in text and "consensus" in text
    assert "Gap = lived experience minus workforce" in text
    for line in text.splitlines():
        assert len(line) <= 120


def test_a_document_takes_only_its_own_framework_and_project(cli, tmp_path) -> None:
    from coeval import scoring
    from coeval.frameworks import builtin_frameworks
    from coeval.report import build_document
    from coeval.store import Store

    rows = (
        "project,period,framework,item,rater,role,score\n"
        "a,2026Q3,healthwatch-six,transparency,C1,carer,1\n"
        "a,2026Q3,scie-four,equality,C1,carer,4\n"
        "b,2026Q3,healthwatch-six,transparency,C1,carer,3\n"
    )
    for project in ("a", "b"):
        cli(
            "project",
            "add",
            project,
            "--name",
            project,
            "--frameworks",
            "healthwatch-six,scie-four",
        )
    cli("import", "ratings", str(write(tmp_path / "r.csv", rows)))
    fws = builtin_frameworks()
    book_root = tmp_path / "wb"
    with Store.open(f"sqlite:///{book_root / 'data' / 'coeval.db'}") as store:
        ratings = store.ratings()
    both = scoring.score(ratings, scoring.catalogue([fws["healthwatch-six"], fws["scie-four"]]))
    doc = build_document(fws["scie-four"], "a", "2026Q3", ratings, both)
    assert doc["score"] == 100.0 and doc["sections"][0]["items"][0]["distribution"]["4"] == 1
    doc = build_document(fws["healthwatch-six"], "b", "2026Q3", ratings, both)
    assert doc["score"] == 75.0 and doc["raters_by_role"] == {"carer": 1}
