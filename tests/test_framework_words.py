"""A framework as each reader chooses to read it (Easy Read, another language, drafts
labelled), and a renamed framework whose old id still works: in files, on the command line, in
imports and in a database made before the rename."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import DBAPIError

from coeval.frameworks import builtin_frameworks, load_frameworks
from coeval.frameworks.loader import build, parse_file
from coeval.store import Store, schema
from tests.conftest import write

FIXTURES = Path(__file__).parent / "fixtures"

TRANSLATED = """\
id: ours
title: Our principles
version: "1"
source: https://example.org/ours
translations:
  cy:
    name: Cymraeg
    title: Ein hegwyddorion
    scale: {0: Dim eto, 4: Wedi'i wreiddio}
    dont_know: Ddim yn gwybod
  fr:
    name: Français
    checked_by: A. Translator, Example Group
    checked_on: "2026-10-01"
sections:
  - id: together
    title: Together
    translations: {cy: {title: Gyda'n gilydd}}
    items:
      - id: heard
        kind: principle
        title: People are heard
        question: Are people listened to?
        help: Listening means acting on what people say.
        status: confirmed
        source: https://example.org/ours#heard
        easy_read: {question: Do we listen to you?, help: We do what you tell us.}
        translations:
          cy:
            title: Mae pobl yn cael eu clywed
            question: Ydy pobl yn cael eu clywed?
          fr: {question: Les gens sont-ils écoutés ?}
      - id: paid
        kind: principle
        title: People are paid
        question: Are people paid for their time?
        help: Payment includes travel.
        status: provisional
        why_provisional: The wording could not be checked.
"""


@pytest.fixture
def ours():
    return build(parse_file(TRANSLATED, "ours.yaml"), "test")


def test_each_reader_gets_the_words_they_chose_and_english_where_none(ours) -> None:
    assert ours.languages == ("cy", "fr") and ours.has_easy_read
    assert ours.translation("cy").draft and not ours.translation("fr").draft
    assert ours.worded() is ours  # English, as written
    easy = ours.worded(easy_read=True)
    assert [i.question for i in easy.items] == ["Do we listen to you?", ours.items[1].question]
    welsh = ours.worded("cy")
    assert welsh.title == "Ein hegwyddorion" and welsh.sections[0].title == "Gyda'n gilydd"
    assert welsh.items[0].question == "Ydy pobl yn cael eu clywed?"
    assert welsh.items[0].help == ours.items[0].help  # not translated: English
    assert welsh.items[1].question == ours.items[1].question
    assert [lv.label for lv in welsh.scale][:2] == ["Dim eto", "Starting"]
    assert welsh.dont_know("cy") == "Ddim yn gwybod" and ours.dont_know("fr") == "Don't know"
    # A reader who chose Welsh and Easy Read keeps Welsh where Welsh has no Easy Read.
    both = ours.worded("cy", easy_read=True)
    assert both.items[0].question == "Ydy pobl yn cael eu clywed?"
    assert both.items[1].question == ours.items[1].question
    assert [i.id for i in both.items] == ["heard", "paid"]  # answers are stored the same
    assert ours.worded("de").items[0].question == ours.items[0].question  # unknown: English


def test_a_translation_file_with_a_bad_language_or_date_is_refused_by_line() -> None:
    from coeval.exceptions import ValidationError

    bad = TRANSLATED.replace("  fr:\n", "  French:\n").replace('"2026-10-01"', '"1 Oct"')
    with pytest.raises(ValidationError) as caught:
        parse_file(bad, "ours.yaml")
    text = str(caught.value)
    assert "line 6: translations: 'French' should be a language code like 'cy'" in text
    assert "line 14: translations.French.checked_on: '1 Oct' should be a date" in text


def test_the_renamed_framework_answers_to_its_old_id(workbook, cli, store) -> None:
    known = builtin_frameworks()
    assert "our-voice" not in list(known) and known["our-voice"].id == "carers-space-notts"
    assert "our-voice" in known and known.get("our-voice") is known["carers-space-notts"]
    assert known.canonical("our-voice") == "carers-space-notts"
    write(
        workbook.frameworks_dir / "wording.yaml",
        "patch: our-voice\nitems:\n  honest-and-open: {title: We are honest}\n",
    )
    patched = load_frameworks(workbook.frameworks_dir)["carers-space-notts"]
    assert patched.item("honest-and-open").title == "We are honest"
    added = cli("project", "add", "carers", "--name", "Carers", "--frameworks", "our-voice")
    assert added.exit_code == 0 and "using carers-space-notts" in added.output
    csv = write(
        workbook.root / "r.csv",
        "project,period,framework,item,rater,role,score\n"
        "carers,2026Q3,our-voice,honest-and-open,C001,carer,3\n",
    )
    assert cli("import", "ratings", str(csv)).exit_code == 0
    assert store.ratings()["framework"].tolist() == ["carers-space-notts"]


def test_a_database_from_before_the_rename_moves_to_the_new_id(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = (FIXTURES / "schema_v1.sql").read_text() + (
        "INSERT INTO project_frameworks VALUES('p1','our-voice');\n"
        "INSERT INTO ratings VALUES(2,'p1','2026Q3','our-voice','honest-and-open','C001',"
        "'carer',2,0,NULL,'2026-07-02 10:00:00.000000',NULL,NULL,'cli',NULL,"
        "'2026-11-22 08:18:55.064799');\n"
    )
    with sqlite3.connect(path) as conn:
        conn.executescript(old)
    with Store.open(f"sqlite:///{path}") as store:
        assert store.schema_version() == schema.SCHEMA_VERSION
        assert set(store.ratings()["framework"]) == {"healthwatch-six", "carers-space-notts"}
        assert store.project("p1").frameworks == ("carers-space-notts", "healthwatch-six")
        with store.engine.begin() as conn, pytest.raises(DBAPIError, match="append-only"):
            conn.exec_driver_sql("UPDATE ratings SET score = 0")  # still guarded
