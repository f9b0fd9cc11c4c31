"""Consultations: question files checked, answers imported strictly, and a draft joint
response (Markdown and Word) with the group's position, the spread and no personal details."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from coeval.consultations import (
    ConsultationError,
    answers,
    draft_response,
    import_answers,
    load_consultations,
)
from coeval.exceptions import ImportError_
from tests.conftest import write

QUESTIONS = """\
id: breaks-2026
title: Breaks for carers
consulting: The council
closes: 2026-10-31
questions:
  - id: right
    text: Every carer should have a right to a break.
  - id: online
    text: Support should move online.
"""
HEADER = "consultation,question,project,rater,role,answer,comment,recorded_at\n"


@pytest.fixture
def consultation(workbook, store) -> Path:
    store.add_project("p1", "Carers' network", ["healthwatch-six"])
    folder = workbook.consultations_dir
    folder.mkdir(parents=True, exist_ok=True)
    return write(folder / "breaks.yaml", QUESTIONS)


def _answers(workbook, lines: list[str]) -> Path:
    return write(workbook.root / "answers.csv", HEADER + "\n".join(lines) + "\n")


def test_a_draft_response_says_where_the_group_stands(workbook, store, consultation) -> None:
    lines = [f"breaks-2026,right,p1,C{n},carer,agree,,2026-09-01" for n in range(5)]
    lines += ["breaks-2026,right,p1,S1,staff,disagree,,2026-09-01"]
    lines += [f"breaks-2026,online,p1,C{n},carer,agree,,2026-09-01" for n in range(3)]
    lines += [f"breaks-2026,online,p1,S{n},staff,disagree_strongly,,2026-09-01" for n in range(3)]
    lines += [
        'breaks-2026,online,p1,C9,carer,,"Call Jean Smith on 07700 900123, she has no internet",'
    ]
    assert import_answers(workbook, store, _answers(workbook, lines)).stored == 13
    md, docx = draft_response(workbook, store, "breaks-2026", workbook.root / "out", "p1")
    text = md.read_text()
    assert "We agree: 5 of the 6 people who gave a view agreed." in text
    assert "Our views were divided: 3 agreed, 3 disagreed" in text
    assert "| Disagree strongly | 3 |" in text
    assert "07700" not in text and "[phone removed]" in text
    for rater in ("C1", "S1", "C9"):
        assert rater not in text  # no one is named or identified
    words = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "Draft joint response: Breaks for carers" in words and "07700" not in words


def test_a_later_answer_supersedes(workbook, store, consultation) -> None:
    first = ["breaks-2026,right,,C1,carer,agree,,2026-09-01"]
    import_answers(workbook, store, _answers(workbook, first))
    later = ["breaks-2026,right,,C1,carer,disagree,,2026-09-20"]
    import_answers(workbook, store, _answers(workbook, later))
    assert answers(store, "breaks-2026")["answer"].tolist() == ["disagree"]


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        ("nope,right,,C1,carer,agree,,", "consultation", "unknown consultation 'nope'"),
        ("breaks-2026,why,,C1,carer,agree,,", "question", "no question 'why'"),
        ("breaks-2026,right,,Jean Smith,carer,agree,,", "rater", "never a name"),
        ("breaks-2026,right,,C1,boss,agree,,", "role", "use one of"),
        ("breaks-2026,right,,C1,carer,yes please,,", "answer", "use one of: agree_strongly"),
        ("breaks-2026,right,,C1,carer,,,", "answer", "give a view, a comment or both"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_stored(
    workbook, store, consultation, line, column, message
) -> None:
    path = _answers(workbook, ["breaks-2026,right,,C2,carer,agree,,", line])
    with pytest.raises(ImportError_) as caught:
        import_answers(workbook, store, path)
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (3, column) and message in problem.message
    assert store.count("consultation_answers") == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id: x\ntitle: t\n", "missing consulting, closes, questions"),
        (QUESTIONS.replace("2026-10-31", "soon"), "closes must be a date"),
        (QUESTIONS.replace("id: online", "id: right"), "two questions share an id"),
        (QUESTIONS + "colour: blue\n", "unknown key 'colour'"),
    ],
)
def test_bad_question_files_are_refused_by_name(workbook, text, message) -> None:
    folder = workbook.consultations_dir
    folder.mkdir(parents=True, exist_ok=True)
    write(folder / "bad.yaml", text)
    with pytest.raises(ConsultationError, match=message) as caught:
        load_consultations(folder)
    assert "bad.yaml" in str(caught.value)


def test_responding_to_an_unknown_or_unanswered_consultation_is_explained(
    workbook, store, consultation
) -> None:
    with pytest.raises(ConsultationError, match="unknown consultation; known: breaks-2026"):
        draft_response(workbook, store, "nope", workbook.root / "out")
    with pytest.raises(ConsultationError, match="nobody has answered"):
        draft_response(workbook, store, "breaks-2026", workbook.root / "out")
