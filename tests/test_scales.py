"""Frameworks are data: a workbook's own framework, on any run of whole numbers, gets exactly
the sections the built-in ones get; a placement is shown as its step, never a percentage;
percentages run from the bottom of a scale to its top; scale words with apostrophes, quotes,
ampersands and accented letters are drawn; nothing in coeval/ names a framework."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from coeval.cli.main import main
from coeval.config import Workbook
from coeval.exceptions import CoevalError
from coeval.frameworks import load_frameworks
from coeval.report import score_project
from coeval.run import run_reviews
from coeval.store import Store
from tests.conftest import page_words, write

ROOT = Path(__file__).parents[1]
OURS = """\
id: our-six
title: Our group's six ways of working
version: "1"
source: https://example.org/our-six
scale:
  levels:
    - {value: 1, label: "Isn't happening", help: Not at all.}
    - {value: 2, label: "Now & then", help: Sometimes.}
    - {value: 3, label: "Half \\"the\\" time", help: About half the time.}
    - {value: 4, label: "Mostly", help: Most of the time.}
    - {value: 5, label: "Toujours, déjà", help: Every time.}
sections:
""" + "".join(
    f"""  - id: way-{n}
    title: Way number {n}
    items:
      - {{id: way-{n}, kind: principle, title: Way {n}, question: Q?, help: H., status: confirmed}}
"""
    for n in range(1, 7)
)
STEPS = """\
id: our-steps
title: Our own four steps
version: "1"
source: https://example.org/steps
presentation: placement
scale:
  levels:
    - {value: 1, label: Told, help: We are told.}
    - {value: 2, label: Asked, help: We are asked.}
    - {value: 3, label: Involved, help: We help decide.}
    - {value: 4, label: Leading, help: We lead.}
sections:
  - id: where
    title: Where we are
    items:
      - id: our-step
        kind: placement
        title: Our step
        question: Where?
        help: H.
        status: confirmed
"""


def _ratings(project: str, framework: str, items: list[str], scores: list[int]) -> list[dict]:
    roles = ["carer", "carer", "carer", "staff", "staff", "staff"]
    return [
        {
            "project_id": project,
            "period": "2026Q3",
            "framework_id": framework,
            "item_id": item,
            "rater_id": f"{project[:3].upper()}{n}",
            "role": role,
            "score": score,
            "dont_know": False,
            "recorded_at": datetime(2026, 8, 1),
        }
        for item in items
        for n, (role, score) in enumerate(zip(roles, scores, strict=True))
    ]


@pytest.fixture
def own(workbook: Workbook, store: Store) -> Workbook:
    write(workbook.frameworks_dir / "our-six.yaml", OURS)
    write(workbook.frameworks_dir / "our-steps.yaml", STEPS)
    store.add_project("ours", "Our project", ["our-six"])
    store.add_project("six", "Built-in six", ["healthwatch-six"])
    store.add_project("steps", "Our steps", ["our-steps"])
    rows = _ratings("ours", "our-six", [f"way-{n}" for n in range(1, 7)], [5, 5, 5, 5, 5, 5])
    rows += _ratings("six", "healthwatch-six", ["transparency"], [4, 4, 4, 4, 4, 4])
    rows += _ratings("steps", "our-steps", ["our-step"], [3, 3, 3, 4, 4, 4])
    store.add_ratings(rows, source="cli")
    return Workbook.open(workbook.root)


def test_a_scale_from_one_is_loaded_and_its_percentages_start_at_its_bottom(own) -> None:
    fw = load_frameworks(own.frameworks_dir)["our-six"]
    assert (fw.scale_min, fw.scale_max, fw.presentation) == (1, 5, "principles")
    assert fw.percent(1) == 0 and fw.percent(4) == 75 and fw.percent(5) == 100
    doc = score_project(own, "ours", "2026Q3", "our-six")
    assert doc["score"] == 100.0 and (doc["scale_min"], doc["scale_max"]) == (1, 5)
    built_in = score_project(own, "six", "2026Q3", "healthwatch-six")
    assert set(built_in) <= set(doc)  # the JSON keeps every field it had


def test_a_scale_that_skips_a_number_is_refused_with_the_fix(workbook) -> None:
    write(workbook.frameworks_dir / "gappy.yaml", OURS.replace("value: 2,", "value: 7,"))
    with pytest.raises(CoevalError, match="whole numbers going up by one"):
        load_frameworks(workbook.frameworks_dir)


def test_scores_outside_a_scale_that_starts_at_one_are_refused(own, tmp_path) -> None:
    text = "project,period,framework,item,rater,role,score,note,recorded_at\n"
    text += "ours,2026Q3,our-six,way-1,OUR9,carer,0,,2026-08-02\n"
    result = CliRunner().invoke(
        main,
        ["--workbook", str(own.root), "import", "ratings", str(write(tmp_path / "r.csv", text))],
    )
    assert result.exit_code == 1
    assert "0 is below the bottom of the scale; use a whole number from 1 to 5" in result.output


def _score(own: Workbook, fmt: str) -> str:
    result = CliRunner().invoke(
        main,
        [
            "--workbook",
            str(own.root),
            "score",
            "--project",
            "steps",
            "--period",
            "2026Q3",
            "--framework",
            "our-steps",
            "--format",
            fmt,
        ],
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_a_placement_reads_as_its_step_in_the_score_table(own) -> None:
    table = _score(own, "table")
    assert "Where the project is: Involved, step 3 of 4" in table  # 3.5 is nearest 3
    assert "Framework score" not in table
    assert not re.search(r"\d\.\d%", table)  # no percentage for a placement
    doc = json.loads(_score(own, "json"))
    assert doc["presentation"] == "placement" and doc["scale_max"] == 4


@pytest.mark.slow
def test_own_frameworks_get_the_sections_the_built_in_ones_get(own) -> None:
    report = run_reviews(own, "2026Q3")
    assert not report.failed, report.failed
    folder = own.dashboards_dir / "2026Q3"

    def sections(name: str) -> list[str]:
        return re.findall(
            r'<section class="coeval-section" id="([^"]+)"', (folder / name).read_text()
        )

    # principles on the scale, and the rest (the CQC section follows the crosswalk's links,
    # which name shipped items only)
    assert sections("ours.html") == [s for s in sections("six.html") if s != "cqc"]
    ours = (folder / "ours.html").read_text()
    drawn = page_words(ours)
    for word in ("Isn't happening", "Now & then", 'Half "the" time', "Toujours, déjà"):
        assert word in drawn, word  # on the principles chart's axis
    assert "100.0" in ours  # all at the top of a 1-to-5 scale
    steps = (folder / "steps.html").read_text()
    assert "Our own four steps: Involved, step 3 of 4" in page_words(steps)
    assert 'id="our-steps"' in steps
    headline = steps.split('id="headline"', 1)[1].split("</section>", 1)[0]
    assert "%" not in page_words(headline)  # a placement is never a percentage
    portfolio = page_words((folder / "portfolio.html").read_text())
    assert "Involved, step 3 of 4" in portfolio
    voices = portfolio.split("Where the voices disagree most", 1)[1]
    assert "1 to 4" in voices and "0 to 4" in voices  # each gap on its own framework's scale


def test_no_code_in_coeval_names_a_framework() -> None:
    ids = [p.stem for p in (ROOT / "coeval" / "frameworks" / "data").glob("*.yaml")]
    found = subprocess.run(
        [
            "git",
            "grep",
            "-n",
            "-E",
            "|".join(ids),
            "--",
            "coeval",
            ":!coeval/frameworks/data",
            ":!coeval/demo",
            ":!coeval/crosswalks",  # data: which framework items speak to CQC's statements
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert found.stdout == "", found.stdout
