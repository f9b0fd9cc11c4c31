"""Warm kernels (coeval/warm.py): review after review in one kernel, each in a clean
namespace, through papermill; a failure or a dead kernel gets a fresh kernel; worn kernels are
replaced; and a warm run makes the same page as a cold one."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from coeval import warm
from coeval.execute import execute, notebook_path
from coeval.html import publish_notebook


@pytest.fixture(autouse=True)
def fresh_kernel():
    warm.discard()
    yield
    warm.discard()


def _notebook(folder: Path, name: str, *cells: str) -> str:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return str(path)


def _run(folder: Path, source: str, name: str) -> tuple[bool, str]:
    ok, error, _seconds = execute(source, str(folder / f"{name}-out.ipynb"), {}, str(folder))
    return ok, error


def test_nothing_one_review_defines_is_seen_by_the_next(tmp_path: Path) -> None:
    first = _notebook(tmp_path, "first", "LEFT_BEHIND = 42", "import json as renamed")
    second = _notebook(
        tmp_path,
        "second",
        "assert 'LEFT_BEHIND' not in globals(), 'a global leaked from the last review'",
        "assert 'renamed' not in globals()",
        "import os; print(os.getcwd())",
    )
    assert _run(tmp_path, first, "first") == (True, "")
    kernel = warm.current()
    assert _run(tmp_path, second, "second") == (True, "")
    assert warm.current() is kernel  # the same warm kernel ran both
    out = nbformat.read(tmp_path / "second-out.ipynb", as_version=4)
    counts = [c.execution_count for c in out.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1))  # numbered as in a cold run
    assert str(tmp_path) in out.cells[-1].outputs[0]["text"]


def test_a_failed_review_gets_a_fresh_kernel_and_the_next_is_unharmed(tmp_path: Path) -> None:
    good = _notebook(tmp_path, "good", "x = 1")
    assert _run(tmp_path, good, "warmup")[0]
    before = warm.current()
    failing = _notebook(tmp_path, "failing", "STATE = 'bad'", "raise ValueError('broken')")
    ok, error = _run(tmp_path, failing, "failing")
    assert not ok and error == "ValueError: broken"
    check = _notebook(tmp_path, "after", "assert 'STATE' not in globals()")
    assert _run(tmp_path, check, "after") == (True, "")
    assert warm.current() is not before


def test_a_review_that_kills_the_kernel_does_not_affect_the_next(tmp_path: Path) -> None:
    killer = _notebook(tmp_path, "killer", "import os; os._exit(1)")
    ok, error = _run(tmp_path, killer, "killer")
    assert not ok and error
    good = _notebook(tmp_path, "good", "print('fine')")
    assert _run(tmp_path, good, "good") == (True, "")


def test_a_kernel_is_replaced_after_its_bounded_number_of_reviews(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(warm, "MAX_REVIEWS", 2)
    nb = _notebook(tmp_path, "n", "y = 2")
    pids = []
    for n in range(3):
        assert _run(tmp_path, nb, f"n{n}")[0]
        pids.append(warm.current().km.provisioner.pid)
    assert pids[0] == pids[1] != pids[2]


def test_a_kernel_holding_too_much_memory_is_replaced(tmp_path: Path, monkeypatch) -> None:
    nb = _notebook(tmp_path, "n", "y = 2")
    assert _run(tmp_path, nb, "a")[0]
    first = warm.current()
    monkeypatch.setattr(warm, "MAX_RSS_MIB", 1)  # any kernel is over this
    assert _run(tmp_path, nb, "b")[0]
    assert warm.current() is not first


def _page_without_times(path: Path, title: str) -> str:
    html, _summary = publish_notebook(path, title)
    html = re.sub(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?", "TIME", html)
    return html


def test_warm_and_cold_runs_make_the_same_page(reviewed, tmp_path: Path) -> None:
    workbook, _report = reviewed
    source = str(notebook_path(workbook, "quarterly_review.ipynb"))
    project = "discharge-workshops"
    parameters = {
        "project": project,
        "period": "2026Q3",
        "frameworks": [],
        "audience": "internal",
        "workbook": str(workbook.root),
    }
    pages = []
    for mode in (True, False, True):
        target = tmp_path / f"{mode}-{len(pages)}.ipynb"
        ok, error, _s = execute(source, str(target), parameters, str(workbook.root), warm=mode)
        assert ok, error
        pages.append(_page_without_times(target, project))
    assert pages[0] == pages[1] == pages[2]
