"""Notebooks are thin, committed without outputs, and run for real with papermill."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import papermill
import pytest

from coeval.config import Workbook
from coeval.demo.workbook import build_demo
from coeval.report import score_project

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs_and_with_a_parameters_cell(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path.name
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    if path.name == "meeting.ipynb":  # served by Voila; it reads the meeting from its setup
        assert tagged == [] and [c.source.splitlines()[-1] for c in nb.cells] == ["meeting_app()"]
        return
    assert len(tagged) == 1
    for line in tagged[0].source.splitlines():  # typed, with a help comment
        assert "  # " in line and ": " in line.split("  # ", 1)[1], line


@pytest.mark.slow
def test_explore_scores_runs_with_papermill_and_agrees_with_the_score(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    build_demo(root, seed=3)
    out = tmp_path / "explored.ipynb"
    parameters = {"workbook": str(root), "project": "carers-network", "period": "2026Q3",
                  "framework": "carers-space-notts"}  # fmt: skip
    papermill.execute_notebook(
        str(Path(__file__).parents[1] / "notebooks" / "explore_scores.ipynb"),
        str(out),
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(tmp_path),
    )
    doc = score_project(Workbook.open(root), "carers-network", "2026Q3", "carers-space-notts")
    executed = nbformat.read(out, as_version=4)
    text = json.dumps([c.get("outputs", []) for c in executed.cells])
    assert f"Framework score: {doc['score']:.1f}%" in text
    assert "Two-way conversation builds understanding" in text  # the items table
