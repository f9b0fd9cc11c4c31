"""Feedback to the group, and every public output: quotes only with consent, never a personal
detail, and the feedback page as accessible as the dashboards."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coeval.config import Workbook
from coeval.demo.workbook import build_demo
from coeval.review.feedback import write_feedback
from coeval.run import run_reviews
from coeval.store import Store
from tests.browser import Visit, chromium, open_page, serious_violations

#: Details in the demo's evidence and consultation comments that must never be published.
PERSONAL = ("07700", "900123", "0117 496", "jean.bloggs", "example.org", "BS21", "Bloggs", "Patel")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Workbook:
    root = tmp_path_factory.mktemp("feedback") / "demo"
    build_demo(root, seed=5)
    return Workbook.open(root)


def _unconsented(book: Workbook, project: str, period: str) -> list[str]:
    with Store.open(book.db_url) as store:
        ev = store.table("evidence")
    mine = ev[(ev["project_id"] == project) & (ev["period"] == period)]
    return [t for t, ok in zip(mine["text"], mine["consent_to_publish"], strict=True) if not ok]


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_feedback_says_what_was_said_changed_and_done(demo, tmp_path, audience) -> None:
    html, text = write_feedback(demo, "discharge-workshops", "2026Q3", tmp_path, audience)
    words = text.read_text()
    for heading in ("What you told us", "What has changed since last time", "You said, we did"):
        assert heading in words and f"<h2>{heading}</h2>" in html.read_text()
    assert re.search(r"You said: .+ We (did|will|could not):", words)
    for output in (html.read_text(), words):
        for secret in PERSONAL:
            assert secret not in output
        for withheld in _unconsented(demo, "discharge-workshops", "2026Q3"):
            assert withheld not in output


def test_the_feedback_command_writes_both_versions(demo, tmp_path) -> None:
    from click.testing import CliRunner

    from coeval.cli.main import main

    result = CliRunner().invoke(
        main,
        [
            *("--workbook", str(demo.root), "feedback", "--project", "oakfield-mir"),
            *("--period", "2026Q3", "--out", str(tmp_path), "--audience", "public"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "oakfield-mir-2026Q3-feedback.html",
        "oakfield-mir-2026Q3-feedback.txt",
    ]


@pytest.mark.slow
def test_public_dashboards_show_no_unconsented_or_personal_text(demo) -> None:
    projects = ["discharge-workshops", "carers-network"]
    report = run_reviews(demo, "2026Q3", projects, audience="public")
    assert not report.failed, [(o.name, o.error) for o in report.failed]
    for project in projects:
        page = (report.folder / f"{project}.html").read_text()
        for secret in PERSONAL:
            assert secret not in page
        for withheld in _unconsented(demo, project, "2026Q3"):
            assert withheld not in page


@pytest.mark.slow
def test_the_feedback_page_is_accessible_offline(demo, tmp_path) -> None:
    html, _ = write_feedback(demo, "carers-network", "2026Q3", tmp_path, "public")
    visit = Visit()
    with chromium() as browser:
        page = open_page(browser, Path(html).as_uri(), visit)
        page.wait_for_load_state("load")  # type: ignore[attr-defined]
        assert page.evaluate("document.documentElement.lang") == "en-GB"  # type: ignore[attr-defined]
        assert page.locator("h1").count() == 1  # type: ignore[attr-defined]
        assert page.locator("script").count() == 0  # type: ignore[attr-defined]
        assert serious_violations(page) == []
    assert visit.blocked == [] and visit.errors == []
