"""Quarterly reviews: the real notebooks run by papermill, and what `coeval run` promises."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from html import escape
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from coeval.cli.main import main
from coeval.config import Workbook
from coeval.exceptions import ReviewError
from coeval.execute import FAILED, check_parameters, notebook_path
from coeval.report import score_project
from coeval.run import due_periods, run_lock, run_reviews
from coeval.store import Store
from tests.conftest import page_words

pytestmark = pytest.mark.slow
SECTIONS = [
    "headline",
    "principles",
    "making-it-real",
    "voices",
    "trend",
    "actions",
    "reach",
    "evidence",
    "method",
    "glossary",
]


def test_each_project_gets_a_notebook_a_page_and_a_manifest_entry(reviewed) -> None:
    book, report = reviewed
    folder = book.dashboards_dir / "2026Q3"
    assert report.folder == folder
    for name in ("discharge-workshops", "oakfield-mir", "portfolio"):
        assert (folder / f"{name}.ipynb").is_file() and (folder / f"{name}.html").is_file()
    manifest = json.loads((folder / "manifest.json").read_text())
    entry = manifest["projects"]["discharge-workshops"]
    assert entry["status"] == "ok" and len(entry["digest"]) == 64 and entry["duration_s"] > 0
    assert {"started", "coeval_version", "notebook", "html"} <= set(entry)
    assert manifest["portfolio"]["status"] == "ok" and manifest["kernel"] == "python3"
    index = (folder / "index.html").read_text()
    assert 'href="discharge-workshops.html"' in index and 'href="portfolio.html"' in index


def test_every_section_is_on_the_page(reviewed) -> None:
    book, _ = reviewed
    html = (book.dashboards_dir / "2026Q3" / "discharge-workshops.html").read_text()
    for section in SECTIONS:
        assert f'<section class="coeval-section" id="{section}"' in html, section
    assert html.count("<h1>") == 1 and '<html lang="en-GB">' in html
    assert html.count("<figure>") == html.count('<svg role="img"') >= 6
    for external in ("<script", "<link", "cdn.", "https://"):
        assert external not in html


def test_the_numbers_are_those_of_coeval_score(reviewed) -> None:
    book, _ = reviewed
    html = (book.dashboards_dir / "2026Q3" / "discharge-workshops.html").read_text()
    for framework in ("healthwatch-six", "making-it-real"):
        doc = score_project(book, "discharge-workshops", "2026Q3", framework)
        title = re.escape(escape(doc["framework_title"]))
        row = re.search(
            rf"<td>{title}</td><td>Whole framework</td><td class=\"num\">([\d.]+)</td>"
            r"<td class=\"num\">([−\d.]+)</td>",
            html,
        )
        assert row, framework
        assert float(row[1]) == round(doc["score"], 1)
        assert float(row[2].replace("−", "-")) == round(doc["change_since_previous"], 1)
        for section in doc["sections"]:
            if section["score"] is not None:
                title, score = escape(section["title"]), f"{section['score']:.1f}"
                cell = f'<td>{title}</td><td class="num">{score}</td>'
                assert cell in html, section["id"]


def test_the_public_version_applies_the_disclosure_rules(reviewed) -> None:
    book, _ = reviewed
    report = run_reviews(book, "2026Q3", ["discharge-workshops"], audience="public")
    assert not report.failed
    html = (book.dashboards_dir / "2026Q3" / "public" / "discharge-workshops.html").read_text()
    assert "Public version" in html
    voices = html.split('id="voices"', 1)[1].split("</section>", 1)[0]
    assert ">*<" in voices  # fewer than 8 raters in one voice
    reach = html.split('id="reach"', 1)[1].split("</section>", 1)[0]
    for count in re.findall(r'<td class="num">(\d+)</td>', reach.split("Reach by method")[1]):
        assert int(count) % 5 == 0 or count in ("1", "2", "3")  # activities are not people
    with Store.open(book.db_url) as store:
        evidence = store.table("evidence")
    mine = evidence[
        (evidence["project_id"] == "discharge-workshops") & (evidence["period"] == "2026Q3")
    ]
    for text in mine.loc[~mine["consent_to_publish"], "text"]:
        if text not in set(mine.loc[mine["consent_to_publish"], "text"]):
            assert text not in html
    for private in ("07700", "@example.org", "BS21 7XY"):
        assert private not in html


def test_ids_stay_text_and_unchanged_inputs_are_skipped(tiny: Workbook) -> None:
    first = run_reviews(tiny, "2026Q3", jobs=1)
    assert [o.status for o in first.outcomes] == ["ok", "ok"]  # 007 and the portfolio
    executed = nbformat.read(first.folder / "007.ipynb", as_version=4)
    assert 'project = "007"' in "".join(c.source for c in executed.cells)
    again = run_reviews(tiny, "2026Q3")
    assert [o.status for o in again.outcomes] == ["skipped"]
    with Store.open(tiny.db_url) as store:
        store.add_ratings(
            [
                {
                    "project_id": "007",
                    "period": "2026Q3",
                    "framework_id": "healthwatch-six",
                    "item_id": "built-in",
                    "rater_id": "R9",
                    "role": "carer",
                    "score": 4,
                    "dont_know": False,
                    "recorded_at": datetime(2026, 8, 2),
                }
            ],
            source="cli",
        )
    changed = run_reviews(tiny, "2026Q3")
    assert sorted(o.status for o in changed.outcomes) == ["ok", "ok"]
    assert [o.status for o in run_reviews(tiny, "2026Q3", force=True).outcomes] == ["ok", "ok"]


def _local_notebook(book: Workbook, edit) -> tuple[Path, Workbook]:
    """The workbook's own review notebook, edited, and the workbook with it named in
    [notebooks] (a notebook that merely sits in the workbook is never run)."""
    folder = book.root / "notebooks"
    folder.mkdir(exist_ok=True)
    folder.chmod(0o755)
    for name in ("quarterly_review.ipynb", "portfolio.ipynb"):
        source = notebook_path(book, name) if not (folder / name).exists() else folder / name
        nb = nbformat.read(source, as_version=4)
        if name == "quarterly_review.ipynb":
            edit(nb)
        nbformat.write(nb, folder / name)
        (folder / name).chmod(0o644)
    config = book.config_path.read_text()
    if "\nquarterly_review = " not in config:
        book.config_path.write_text(
            config.replace(
                "# quarterly_review = ", 'quarterly_review = "notebooks/quarterly_review.ipynb"\n#'
            )
        )
    return folder / "quarterly_review.ipynb", Workbook.open(book.root)


def test_a_broken_review_is_never_published_and_the_run_fails(tiny: Workbook) -> None:
    def break_it(nb) -> None:
        nb.cells.insert(3, nbformat.v4.new_code_cell("raise RuntimeError('the data is odd')"))

    _path, tiny = _local_notebook(tiny, break_it)
    result = CliRunner().invoke(main, ["--workbook", str(tiny.root), "run", "--period", "2026Q3"])
    assert result.exit_code == 1
    folder = tiny.dashboards_dir / "2026Q3"
    assert (
        f"2026Q3 007 failed (RuntimeError: the data is odd); see {folder / FAILED / '007.ipynb'}"
        in result.output
    )
    assert not (folder / "007.html").exists() and not (folder / "007.ipynb").exists()
    assert (folder / FAILED / "007.ipynb").is_file()
    assert (folder / "portfolio.html").is_file()  # the others still run
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["projects"]["007"]["status"] == "failed"
    assert "could not be made" in (folder / "index.html").read_text()


def test_unknown_or_missing_parameters_are_refused(tiny: Workbook) -> None:
    def extra(nb) -> None:
        nb.cells[0].source += '\ncolour = "blue"  # str: not a coeval parameter'

    path, tiny = _local_notebook(tiny, extra)
    with pytest.raises(ReviewError, match="declares parameters coeval does not pass: colour"):
        run_reviews(tiny, "2026Q3")
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source = 'project = "x"  # str: only one'
    nbformat.write(nb, path)
    with pytest.raises(
        ReviewError, match="does not declare period, frameworks, audience, workbook"
    ):
        check_parameters(path, ("project", "period", "frameworks", "audience", "workbook"))


def test_a_second_run_while_one_is_going_does_nothing_and_exits_0(tiny: Workbook) -> None:
    with run_lock(tiny):
        result = CliRunner().invoke(main, ["--workbook", str(tiny.root), "run", "--due"])
    assert result.exit_code == 0
    assert "a review run is already in progress (started " in result.output
    assert not (tiny.dashboards_dir / "2026Q3").exists()


def test_due_finds_closed_quarters_with_data_and_no_review(tiny: Workbook) -> None:
    with Store.open(tiny.db_url) as store:  # the current quarter is not closed yet
        store.add_ratings(
            [
                {
                    "project_id": "007",
                    "period": "2026Q4",
                    "framework_id": "healthwatch-six",
                    "item_id": "built-in",
                    "rater_id": "R1",
                    "role": "carer",
                    "score": 2,
                    "dont_know": False,
                    "recorded_at": datetime(2026, 11, 2),
                }
            ],
            source="cli",
        )
    today = date(2026, 11, 22)
    assert due_periods(tiny, today) == ["2026Q2", "2026Q3"]
    run_reviews(tiny, "2026Q2")
    assert due_periods(tiny, today) == ["2026Q3"]
    assert due_periods(tiny, date(2027, 1, 5)) == ["2026Q3", "2026Q4"]


def test_publish_writes_a_static_site_of_public_pages(tiny: Workbook, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = CliRunner().invoke(
        main, ["--workbook", str(tiny.root), "publish", "--period", "2026Q3", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    pages = sorted(p.name for p in out.iterdir() if p.name != ".coeval-site.json")
    assert pages == ["007.html", "index.html", "portfolio.html"]
    assert "Public version" in (out / "007.html").read_text()
    assert not list(out.glob("*.ipynb"))
    assert (tiny.dashboards_dir / "2026Q3" / "public" / "manifest.json").is_file()


def test_serve_needs_dashboards_first(tiny: Workbook) -> None:
    result = CliRunner().invoke(main, ["--workbook", str(tiny.root), "serve"])
    assert result.exit_code == 1
    assert "there are no dashboards" in result.output and "coeval run --period" in result.output


def test_run_needs_a_period_or_due(tiny: Workbook) -> None:
    result = CliRunner().invoke(main, ["--workbook", str(tiny.root), "run"])
    assert result.exit_code == 1 and "give --period QUARTER or --due" in result.output
    bad = CliRunner().invoke(
        main, ["--workbook", str(tiny.root), "run", "--period", "2026Q3", "--project", "nope"]
    )
    assert bad.exit_code == 1 and "--project: no project 'nope'" in bad.output


def test_a_kernel_that_cannot_start_is_tried_again_then_reported(tmp_path: Path) -> None:
    from coeval.execute import execute

    source = tmp_path / "n.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    nbformat.write(nb, source)
    ok, error, _ = execute(
        str(source), str(tmp_path / "out.ipynb"), {}, str(tmp_path), kernel="no-such-kernel"
    )
    assert not ok and "no-such-kernel" in error


def test_the_index_shows_each_projects_headlines_actions_and_review(reviewed) -> None:
    book, _ = reviewed
    folder = book.dashboards_dir / "2026Q3"
    index = (folder / "index.html").read_text()
    words = page_words(index)
    for project in ("discharge-workshops", "oakfield-mir"):
        with Store.open(book.db_url) as store:
            frameworks = store.project(project).frameworks
        for framework in frameworks:
            doc = score_project(book, project, "2026Q3", framework)
            if doc["presentation"] == "placement":
                assert f"{doc['framework_title']}: " in words and "step " in words
            else:
                assert f"{doc['framework_title']}: {doc['score']:.0f}%" in words, framework
    row = index.split('href="oakfield-mir.html"', 1)[1].split("</tr>", 1)[0]
    assert re.search(r'<td class="num">\d+</td><td class="num">\d+</td><td>Made</td>', row)
    assert "since last quarter" in words and "people" in words
    for missing in ("nan", "None", "NaT"):
        assert not re.search(rf"\b{missing}\b", words)
