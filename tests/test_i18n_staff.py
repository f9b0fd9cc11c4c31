"""The staff's words in another language: the facilitator's screen in the workbook's
language, and `coeval feedback`, `coeval form` and `coeval pack` with --language (a
draft translation says so at the top of each)."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import pytest

from coeval.config import Workbook
from coeval.i18n import words
from coeval.meeting.meetings import open_meeting
from coeval.store import Store
from coeval.widgets.app import ENV_DIGESTS, ENV_JOIN, ENV_MEETING, key_digest, meeting_app
from coeval.widgets.common import in_language
from coeval.widgets.facilitator import FacilitatorView

DRAFT_CY = "Cyfieithiad drafft"
DRAFT_EN = "Draft translation"


def _texts(widget) -> str:
    """Every piece of text a screen shows, entities read as a person reads them."""
    parts = [getattr(widget, a) for a in ("value", "description") if hasattr(widget, a)]
    parts = [p for p in parts if isinstance(p, str)]
    parts += [_texts(child) for child in getattr(widget, "children", ())]
    return html.unescape("\n".join(parts))


@pytest.fixture
def room(store: Store, frameworks):
    store.add_project("p1", "Carers' hub", ["healthwatch-six", "making-it-real"])
    return open_meeting(
        store, "p1", "2026Q3", date(2026, 9, 1), framework=frameworks["healthwatch-six"]
    )


def _welsh_workbook(workbook: Workbook) -> None:
    config = workbook.config_path
    config.write_text(config.read_text().replace('language = "en"', 'language = "cy"'))


# -- the facilitator's screen -------------------------------------------------------------------


def test_the_facilitator_screen_in_welsh_says_it_is_a_draft(store, frameworks, room) -> None:
    cy = words("cy")
    chair = FacilitatorView(store, in_language(frameworks, "cy"), room, words=cy)
    shown = _texts(chair.root)
    assert DRAFT_CY in shown and "Trefnu'r cyfarfod" in shown  # "Set up the meeting"
    assert "Cyfarfod: Carers' hub" in shown and "Chwarter 2026Q3." in shown
    assert "Dyddiad y cyfarfod" in shown and "Set up the meeting" not in shown
    assert chair.notice.words is cy and chair.words is cy
    chair.start_button.click()
    assert chair.meeting.started
    shown = _texts(chair.running)
    assert "Cwestiwn 1 o 6:" in shown and "Cwestiwn nesaf" in shown
    assert "Ateb y grŵp" not in shown  # everyone answers for themselves (the default)


def test_the_facilitator_screen_in_english_has_no_draft_label(store, frameworks, room) -> None:
    shown = _texts(FacilitatorView(store, frameworks, room).root)
    assert "Set up the meeting" in shown and "Meeting: Carers' hub" in shown
    assert DRAFT_EN not in shown and DRAFT_CY not in shown


def test_the_app_opens_the_facilitator_screen_in_the_workbook_language(
    store, frameworks, room, workbook
) -> None:
    _welsh_workbook(workbook)
    env = {
        "COEVAL_WORKBOOK": str(workbook.root),
        "COEVAL_DB": workbook.db_url,
        ENV_MEETING: str(room.id),
        ENV_DIGESTS["facilitator"]: key_digest("chair-key"),
        ENV_JOIN: "http://127.0.0.1:8867/",
        "QUERY_STRING": "view=facilitator&key=chair-key",
    }
    shown = _texts(meeting_app(env))
    assert "Trefnu'r cyfarfod" in shown and DRAFT_CY in shown


# -- feedback, paper forms and packs --------------------------------------------------------------


def test_feedback_in_welsh_has_welsh_headings_and_the_draft_label(
    cli, raised_actions, tmp_path
) -> None:
    out = tmp_path / "out"
    result = cli(
        *("feedback", "--project", "p1", "--period", "2026Q3"),
        *("--out", str(out), "--language", "cy"),
    )
    assert result.exit_code == 0, result.output
    page = out / "p1-2026Q3-feedback-cy.html"
    assert sorted(p.name for p in out.iterdir()) == [page.name, "p1-2026Q3-feedback-cy.txt"]
    shown = html.unescape(page.read_text())
    assert '<html lang="cy">' in shown and DRAFT_CY in shown
    assert "<h2>Beth ddywedoch chi wrthym</h2>" in shown  # "What you told us"
    assert "<h1>Dywedoch chi, gwnaethom ni: Carers' hub, 2026Q3</h1>" in shown
    assert "Medi 2026" in shown  # dates in Welsh: September
    text = (out / "p1-2026Q3-feedback-cy.txt").read_text()
    assert text.startswith(DRAFT_CY) and "Beth sydd wedi newid ers y tro diwethaf" in text
    assert "Daeth 1 cam i ben y chwarter hwn." in " ".join(text.split())


def test_feedback_defaults_to_the_workbook_language(
    cli, workbook, raised_actions, tmp_path
) -> None:
    assert cli("feedback", "--project", "p1", "--period", "2026Q3", "--out", str(tmp_path))
    english = (tmp_path / "p1-2026Q3-feedback.html").read_text()
    assert '<html lang="en-GB">' in english and DRAFT_EN not in english
    assert "<h2>What you told us</h2>" in english
    _welsh_workbook(workbook)
    out = tmp_path / "cy"
    result = cli("feedback", "--project", "p1", "--period", "2026Q3", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert DRAFT_CY in (out / "p1-2026Q3-feedback-cy.html").read_text()
    result = cli(
        *("feedback", "--project", "p1", "--period", "2026Q3"),
        *("--out", str(tmp_path / "en"), "--language", "en"),
    )
    assert result.exit_code == 0 and (tmp_path / "en" / "p1-2026Q3-feedback.html").is_file()


@pytest.mark.parametrize(
    "command",
    [
        ("feedback", "--project", "p1", "--period", "2026Q3"),
        ("form", "--project", "p1", "--framework", "making-it-real"),
        ("pack", "--project", "p1", "--period", "2026Q3"),
    ],
    ids=["feedback", "paper", "pack"],
)
def test_an_unknown_language_is_one_plain_line(
    cli, raised_actions, tmp_path: Path, command
) -> None:
    out = tmp_path / "out"
    result = cli(*command, "--out", str(out), "--language", "xx")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("coeval: --language 'xx'")
    assert "en (English)" in lines[0] and "cy (Cymraeg)" in lines[0]
    assert not out.exists()


def test_paper_and_pack_take_a_language(cli, raised_actions, tmp_path: Path) -> None:
    result = cli(
        *("form", "--project", "p1", "--framework", "making-it-real"),
        *("--out", str(tmp_path), "--language", "cy"),
    )
    assert result.exit_code == 0, result.output
    form = (tmp_path / "p1-making-it-real-form-cy.html").read_text()
    assert 'lang="cy"' in form and DRAFT_CY in html.unescape(form)
    result = cli(
        *("pack", "--project", "p1", "--period", "2026Q4"),
        *("--out", str(tmp_path), "--language", "cy"),
    )
    assert result.exit_code == 0, result.output
    pack = next(tmp_path.glob("p1-*-pack-cy.html")).read_text()
    assert 'lang="cy"' in pack and DRAFT_CY in html.unescape(pack)
