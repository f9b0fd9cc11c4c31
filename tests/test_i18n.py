"""Easy Read and other languages: the interface's words come from one message catalogue (a
file per language, a draft until someone checks it), the framework's from its own file; a
participant chooses how to read the meeting, and answers are stored the same whatever they
read."""

from __future__ import annotations

import ast
import io
import shutil
from datetime import date
from pathlib import Path

import docx
import pytest

from coeval.config import Workbook
from coeval.exceptions import ConfigError
from coeval.frameworks import Framework, load_frameworks
from coeval.i18n import (
    ENGLISH,
    LOCALE_DIR,
    TEMPLATE,
    languages,
    load_words,
    template_text,
    update_file,
    words,
)
from coeval.meeting.facilitation import move_to
from coeval.meeting.meetings import open_meeting
from coeval.pack import pack_documents
from coeval.practice.paper import build_form
from coeval.store import Store
from coeval.widgets.common import in_language
from coeval.widgets.participant import ParticipantView

ROOT = Path(__file__).parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "frameworks"
WELSH_QUESTION = "Ydy pobl yn teimlo eu bod yn cael eu clywed yn y gwaith hwn?"
EASY_QUESTION = "Do people listen to you?"
DRAFT_CY = "Cyfieithiad drafft"
CHECKED_PO = """\
msgid ""
msgstr ""
"Project-Id-Version: coeval\\n"
"Language: cy\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 5);\\n"
"X-Language-Name: Cymraeg\\n"
"X-Checked-By: Test Checker\\n"
"X-Checked-On: 2026-09-01\\n"

msgid "Large text"
msgstr "Testun mawr"

msgid "{n} person answered."
msgid_plural "{n} people answered."
msgstr[0] "Atebodd {n} o bobl."
msgstr[1] "Atebodd {n} person."
msgstr[2] "Atebodd {n} berson."
msgstr[3] "Atebodd {n} pherson."
msgstr[4] "Atebodd {n} pherson."
msgstr[5] "Atebodd {n} o bobl."

msgid "Question {n} of {total}"
msgstr "Cwestiwn {oops} o {total}"
"""


@pytest.fixture
def welsh() -> dict[str, Framework]:
    """The built-in frameworks and a test framework with (unchecked) Welsh words."""
    return dict(load_frameworks(FIXTURES))


# -- the catalogue ----------------------------------------------------------------------------


def test_the_catalogue_has_welsh_and_translates_a_known_message() -> None:
    assert "cy" in languages()
    cy = words("cy")
    assert cy.name == "Cymraeg" and cy.english_name == "Welsh"
    assert cy.gettext("Large text") == "Testun mawr"
    assert cy.gettext("Question {n} of {total}", n=2, total=6) == "Cwestiwn 2 o 6"
    assert words("cy") is cy  # read once


def test_what_a_translation_lacks_stays_english() -> None:
    cy = words("cy")
    assert cy.gettext("No such message") == "No such message"
    assert cy.gettext("Nobody has answered this question yet.") == (
        "Nobody has answered this question yet."
    )
    assert words(None) is ENGLISH and words("en") is ENGLISH and words("fr") is ENGLISH
    assert ENGLISH.ngettext("{n} person", "{n} people", 1) == "1 person"
    assert ENGLISH.ngettext("{n} person", "{n} people", "*") == "* people"


def test_an_unchecked_translation_is_a_draft_and_says_so() -> None:
    header = (LOCALE_DIR / "cy" / "LC_MESSAGES" / "coeval.po").read_text()
    assert "NOT CHECKED" in header  # the file says plainly nobody has checked it
    cy = words("cy")
    assert cy.draft and cy.checked_by is None
    assert cy.draft_label.startswith(DRAFT_CY)
    assert not ENGLISH.draft and ENGLISH.draft_label == ""


def test_a_checked_translation_is_not_a_draft(tmp_path: Path) -> None:
    po = tmp_path / "cy" / "LC_MESSAGES" / "coeval.po"
    po.parent.mkdir(parents=True)
    po.write_text(CHECKED_PO)
    checked = load_words(po)
    assert not checked.draft and checked.draft_label == ""
    assert (checked.checked_by, checked.checked_on) == ("Test Checker", "2026-09-01")
    assert checked.ngettext("{n} person answered.", "{n} people answered.", 2) == (
        "Atebodd 2 berson."
    )
    # a translation that names a value wrongly shows the English, not an error
    assert checked.gettext("Question {n} of {total}", n=1, total=6) == "Question 1 of 6"


def test_bringing_a_file_up_to_date_keeps_who_checked_it(tmp_path: Path) -> None:
    po = tmp_path / "coeval.po"
    po.write_text(CHECKED_PO)
    update_file(po)
    kept = po.read_text()
    assert "X-Checked-By: Test Checker" in kept and 'msgstr "Testun mawr"' in kept
    assert 'msgid "Join the meeting"' in kept  # the template's new messages, to translate
    assert not load_words(po, "cy").draft


def test_the_template_has_every_message_in_the_code() -> None:
    """`make messages` writes coeval/locale/coeval.pot; run it when this fails."""
    assert TEMPLATE.read_text(encoding="utf-8") == template_text()


def test_no_message_is_hidden_inside_an_f_string() -> None:
    """The extractor cannot see a call inside an f-string, so its message would be missed."""
    hidden = []
    for path in sorted((ROOT / "coeval").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.JoinedStr):
                continue
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and (
                        (isinstance(inner.func, ast.Name) and inner.func.id in ("_", "N_"))
                        or (isinstance(inner.func, ast.Attribute) and inner.func.attr == "gettext")
                    )
                    and inner.args
                    and isinstance(inner.args[0], ast.Constant)
                ):
                    hidden.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    assert hidden == []


def test_the_workbook_language_is_a_setting(workbook: Workbook) -> None:
    assert workbook.language == "en"
    config = workbook.config_path
    config.write_text(config.read_text().replace('language = "en"', 'language = "cy"'))
    assert Workbook.open(workbook.root).language == "cy"
    config.write_text(config.read_text().replace('"cy"', '"Welsh"'))
    with pytest.raises(ConfigError, match="language"):
        Workbook.open(workbook.root)


# -- forms and packs ----------------------------------------------------------------------------


def test_a_paper_form_in_welsh(store: Store, welsh: dict[str, Framework]) -> None:
    store.add_project("p1", "Carers' hub", ["test-cy"])
    project = store.project("p1")
    english = build_form(project, welsh["test-cy"])
    assert build_form(project, welsh["test-cy"], language="en") == english
    assert DRAFT_CY not in english.html() and 'lang="en-GB"' in english.html()
    form = build_form(project, welsh["test-cy"], language="cy")
    page = form.html()
    assert 'lang="cy"' in page and DRAFT_CY in page
    assert "Amdanoch chi" in page and "Gofalwr" in page  # the form's own words
    assert WELSH_QUESTION.replace("'", "&#x27;") in page or WELSH_QUESTION in page
    assert "Datblygu" in page and "Ddim yn gwybod" in page  # the scale's words
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(form.docx())).paragraphs)
    assert DRAFT_CY in text and "Amdanoch chi" in text


def test_a_pack_in_welsh(workbook: Workbook, store: Store, welsh) -> None:
    shutil.copy(FIXTURES / "test-cy.yaml", workbook.frameworks_dir / "test-cy.yaml")
    store.add_project("p1", "Carers' hub", ["test-cy"])
    made = pack_documents(workbook, store, "p1", "2026Q3", today=date(2026, 7, 1), language="cy")
    assert made.stem.endswith("-cy")
    assert 'lang="cy"' in made.html and DRAFT_CY in made.html
    assert "Cyn y cyfarfod" in made.html and "Dim eto" in made.html
    assert WELSH_QUESTION in made.html.replace("&#x27;", "'")
    assert "Gorffennaf" in made.html  # dates in Welsh: July
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(made.docx)).paragraphs)
    assert DRAFT_CY in text and "Cyn y cyfarfod" in text
    english = pack_documents(workbook, store, "p1", "2026Q3", today=date(2026, 7, 1))
    assert DRAFT_CY not in english.html and "Before the meeting" in english.html


# -- the participant's screen ------------------------------------------------------------------


def _texts(widget) -> str:
    parts = [getattr(widget, a) for a in ("value", "description") if hasattr(widget, a)]
    parts = [p for p in parts if isinstance(p, str)]
    parts += [_texts(child) for child in getattr(widget, "children", ())]
    return "\n".join(parts)


def _choose(person: ParticipantView, label: str) -> None:
    next(b for b in person.choices.children if b.coeval_label == label).click()


def test_a_participant_reads_easy_read_or_welsh_and_answers_the_same(
    store: Store, welsh: dict[str, Framework]
) -> None:
    store.add_project("p1", "Carers' hub", ["test-cy"])
    meeting = open_meeting(store, "p1", "2026Q3", date(2026, 9, 1), framework=welsh["test-cy"])
    people = [ParticipantView(store, welsh, code=meeting.code) for _ in range(2)]
    ann, bryn = people
    languages_offered = dict((code, label) for label, code in ann.reading.choose.options)
    assert languages_offered["en"] == "English" and languages_offered["cy"] == "Cymraeg (draft)"
    for person in people:
        person.who.value = "carer"
        person.join_button.click()
    move_to(store, meeting, 0)
    for person in people:
        person.refresh()
    assert "Do people feel heard in this work?" in ann.question.value

    ann.reading.easy_read.value = True
    assert EASY_QUESTION in ann.question.value
    assert EASY_QUESTION not in bryn.question.value  # the choice is this screen's alone

    bryn.reading.choose.value = "cy"
    shown = _texts(bryn.root)
    assert WELSH_QUESTION in bryn.question.value.replace("&#x27;", "'")
    assert DRAFT_CY in shown and "Testun mawr" in shown and "Cwestiwn 1 o 2" in shown
    assert [b.coeval_label for b in bryn.choices.children][2] == "Datblygu"

    _choose(ann, "Developing")
    _choose(bryn, "Datblygu")
    assert "Datblygu" in bryn.notice.text and bryn.notice.text.startswith("Mae eich ateb")
    ratings = store.ratings(project="p1")
    assert sorted(ratings["item"]) == ["heard", "heard"]
    assert ratings["score"].tolist() == [2, 2]


def test_staff_screens_read_the_framework_in_the_workbook_language(welsh) -> None:
    shown = in_language(welsh, "cy")
    assert shown["test-cy"].items[0].question == WELSH_QUESTION
    assert in_language(welsh, "en")["test-cy"] is welsh["test-cy"]
