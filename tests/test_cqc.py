"""The CQC crosswalk: the data file is valid and complete, every item it maps exists, a review
of a Making It Real project shows the evidence for each quality statement (scores, the voices'
gap and only consented comments, with personal details removed), and `coeval export cqc`
writes the same rows, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from coeval.config import Workbook
from coeval.crosswalk import load_crosswalk, parse_crosswalk, read_crosswalk
from coeval.exceptions import CrosswalkError
from coeval.frameworks import builtin_frameworks
from coeval.review import QuarterlyReview
from coeval.store import Store
from coeval.vocabulary import PUBLIC
from tests.conftest import page_words

ROOT = Path(__file__).parents[1]
FILE = ROOT / "coeval" / "crosswalks" / "cqc.yaml"
PROJECT, PERIOD = "oak", "2026Q3"
CONSENTED = "=HYPERLINK(staff listened) ring me on 07700 900123"
WITHHELD = "Please do not share: the night staff ignore the call bell"


def test_the_data_file_has_34_statements_under_5_key_questions() -> None:
    cw = read_crosswalk(FILE)
    assert cw == load_crosswalk()
    assert cw.checked == date(2026, 11, 23) and cw.version
    assert "https://www.cqc.org.uk/assessment/quality-statements" in cw.source
    assert [k.id for k in cw.key_questions] == [
        "safe",
        "effective",
        "caring",
        "responsive",
        "well-led",
    ]
    assert len(cw.statements) == 34
    per_question = Counter(s.key_question for s in cw.statements)
    assert per_question == {"safe": 8, "effective": 6, "caring": 5, "responsive": 7, "well-led": 8}
    for s in cw.statements:
        assert s.title and s.url.startswith("https://www.cqc.org.uk/"), s
        assert s.url.endswith(f"/{s.key_question}/{s.id}"), s
    assert len({s.id for s in cw.statements}) == 34


def test_every_mapped_item_exists_in_the_shipped_frameworks() -> None:
    cw = load_crosswalk()
    shipped = dict(builtin_frameworks())
    assert cw.missing(shipped) == []
    # Making It Real's I statements carry the links CQC lists; the principles are linked too
    linked = {link.framework for link in cw.links}
    assert {"making-it-real", "healthwatch-six", "scie-four"} <= linked


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("statement: learning-culture, basis: cqc", "statement: nope, basis: cqc"), "links[0]"),
        (
            (
                "{key_question: safe, id: learning-culture",
                "{key_question: safer, id: learning-culture",
            ),
            "'safer'",
        ),
        (('checked: "2026-11-23"', 'checked: "2026-13-40"'), "not a date"),
        (("version:", "colour: red\nversion:"), "unknown field 'colour'"),
        (("basis: judgement}", "basis: hunch}"), "hunch"),
    ],
)
def test_a_broken_file_is_refused_naming_the_file_and_entry(
    change: tuple[str, str], expected: str
) -> None:
    text = FILE.read_text(encoding="utf-8")
    old, new = change
    assert old in text
    with pytest.raises(CrosswalkError) as caught:
        parse_crosswalk(text.replace(old, new, 1), "my-cqc.yaml")
    assert str(caught.value).startswith("my-cqc.yaml") and expected in str(caught.value)


def _rate(workbook: Workbook, frameworks: list[str]) -> None:
    """A project rated this quarter by three carers and three staff, with evidence about one
    mapped item: one comment people agreed to publish, one they did not."""
    with Store.open(workbook.db_url) as store:
        store.add_project(PROJECT, "Oakfield House", frameworks)
        rows = [
            {
                "project_id": PROJECT,
                "period": PERIOD,
                "framework_id": "making-it-real",
                "item_id": item,
                "rater_id": f"R{n}",
                "role": role,
                "score": score,
                "dont_know": False,
                "recorded_at": datetime(2026, 8, 1, 10, n),
            }
            for item in ("wellbeing-i3", "workforce-we4")
            for n, (role, score) in enumerate(
                [("carer", 2), ("carer", 2), ("carer", 2), ("staff", 4), ("staff", 4), ("staff", 4)]
            )
        ]
        store.add_ratings(rows, source="cli")
        store.add_evidence(
            [
                {
                    "project_id": PROJECT,
                    "period": PERIOD,
                    "framework_id": "making-it-real",
                    "item_id": "wellbeing-i3",
                    "method": "quote",
                    "text": text,
                    "recorded_at": datetime(2026, 8, 2),
                    "consent_to_publish": consent,
                }
                for text, consent in ((CONSENTED, True), (WITHHELD, False))
            ]
        )


def _section(review: QuarterlyReview) -> str:
    found = [s for s in review.sections() if getattr(s, "id", "") == "cqc"]
    return found[0].html() if found else ""


def test_a_making_it_real_review_shows_the_evidence_for_each_quality_statement(
    workbook: Workbook,
) -> None:
    _rate(workbook, ["making-it-real"])
    review = QuarterlyReview.load(workbook, PROJECT, PERIOD)
    assert ("cqc", "Evidence for the CQC quality statements") in review.contents()
    words = page_words(_section(review))
    assert "CQC quality statements as checked on 23 November 2026" in words
    assert "Safe: quality statements and the related items" in words
    assert "Well-led: quality statements and the related items" in words
    # the score (carers 2, staff 4: 3.0), its word, and the voices' gap (2 - 4)
    assert (
        "Safeguarding I feel safe and can manage risks (Making It Real) 3.0 Established −2.0 6"
        in words
    )
    assert "ring me on [phone removed]" in words and "07700" not in words
    assert WITHHELD not in words and "1 further comment about these items was given" in words
    # what the crosswalk does not cover, as lists a reader can see
    assert "Quality statements with no related item" in words
    assert "Infection prevention and control" in words.split("no related item")[-1]
    assert "Items not mapped to a quality statement" in words
    assert "We take a “can do” approach" in words.split("Items not mapped")[-1] or (
        'We take a "can do" approach' in words.split("Items not mapped")[-1]
    )


def test_the_public_version_hides_small_numbers_and_still_removes_personal_details(
    workbook: Workbook,
) -> None:
    _rate(workbook, ["making-it-real"])
    words = page_words(_section(QuarterlyReview.load(workbook, PROJECT, PERIOD, audience=PUBLIC)))
    assert "Safeguarding I feel safe and can manage risks (Making It Real) * not rated * *" in words
    assert "[phone removed]" in words and WITHHELD not in words


def test_a_project_with_no_mapped_framework_has_no_cqc_section(workbook: Workbook) -> None:
    with Store.open(workbook.db_url) as store:
        store.add_project(PROJECT, "Oakfield House", ["ladder"])
    review = QuarterlyReview.load(workbook, PROJECT, PERIOD)
    assert _section(review) == "" and "cqc" not in dict(review.contents())


def test_export_cqc_writes_xlsx_and_csv_with_no_formulas(
    workbook: Workbook, cli, tmp_path: Path
) -> None:
    _rate(workbook, ["making-it-real"])
    out = cli(
        "export", "cqc", "--project", PROJECT, "--period", PERIOD, "--out", str(tmp_path / "c.xlsx")
    )
    assert out.exit_code == 0, out.output
    assert "for 34 quality statements (CQC pages checked 23 November 2026)" in out.output
    sheet = load_workbook(tmp_path / "c.xlsx").active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    evidence = [row[header.index("Evidence")] for row in sheet.iter_rows(min_row=2)]
    quoted = [cell for cell in evidence if cell.value]
    assert quoted and all(cell.data_type == "s" for cell in quoted)
    assert all(str(cell.value).startswith("'=HYPERLINK") for cell in quoted)
    assert all("[phone removed]" in str(cell.value) for cell in quoted)

    assert (
        cli(
            "export",
            "cqc",
            "--project",
            PROJECT,
            "--period",
            PERIOD,
            "--out",
            str(tmp_path / "c.csv"),
        ).exit_code
        == 0
    )
    with (tmp_path / "c.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    statuses = Counter(r["Status"] for r in rows)
    assert set(statuses) == {"related item", "no related item", "not mapped"}
    assert len({r["Quality statement"] for r in rows if r["Quality statement"]}) == 34
    safeguarding = [r for r in rows if r["Quality statement"] == "Safeguarding"]
    assert safeguarding[0]["Score"] == "3.0" and safeguarding[0]["Voices' gap"] == "-2.0"
    assert safeguarding[0]["Evidence"].startswith("'=") and WITHHELD not in (
        tmp_path / "c.csv"
    ).read_text("utf-8-sig")
    assert {r["CQC pages checked"] for r in rows} == {"2026-11-23"}


def test_export_cqc_errors_name_the_option_and_the_fix(
    workbook: Workbook, cli, tmp_path: Path
) -> None:
    _rate(workbook, ["making-it-real"])
    wrong = cli(
        "export", "cqc", "--project", PROJECT, "--period", PERIOD, "--out", str(tmp_path / "c.txt")
    )
    assert wrong.exit_code == 1 and "--out" in wrong.output and ".csv or .xlsx" in wrong.output
    missing = cli(
        "export", "cqc", "--project", "nope", "--period", PERIOD, "--out", str(tmp_path / "c.csv")
    )
    assert missing.exit_code == 1 and "--project 'nope'" in missing.output
    assert "coeval project list" in missing.output
    period = cli(
        "export", "cqc", "--project", PROJECT, "--period", "Q3", "--out", str(tmp_path / "c.csv")
    )
    assert period.exit_code == 1 and "--period" in period.output and "2026Q3" in period.output
    assert not (tmp_path / "c.txt").exists() and not (tmp_path / "c.csv").exists()


def test_the_published_page_shows_every_section_its_contents_list(reviewed) -> None:
    """The notebook draws the sections one cell each: a section in the contents list but in no
    cell would be a dead link on the page."""
    import re

    book, _report = reviewed
    shown = {}
    for name in ("oakfield-mir", "discharge-workshops"):
        html = (book.dashboards_dir / "2026Q3" / f"{name}.html").read_text()
        ids = set(re.findall(r'id="([^"]+)"', html))
        links = set(re.findall(r'href="#([^"]+)"', html))
        assert links and links <= ids, (name, links - ids)
        shown[name] = ids
    assert "cqc" in shown["oakfield-mir"]  # Making It Real: the CQC section
