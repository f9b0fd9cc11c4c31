"""Consultations: question files checked, answers imported strictly, and a draft joint
response (Markdown and Word) with the group's position, the spread and no personal details."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from coeval.config import Workbook
from coeval.exceptions import ConsultationError, ImportError_
from coeval.practice.consultations import answers, import_answers, load_consultations
from coeval.practice.response import draft_response
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
CONSENT_HEADER = (
    "consultation,question,project,rater,role,answer,comment,consent_to_publish,recorded_at\n"
)


@pytest.fixture
def consultation(workbook, store) -> Path:
    store.add_project("p1", "Carers' network", ["healthwatch-six"])
    folder = workbook.consultations_dir
    folder.mkdir(parents=True, exist_ok=True)
    return write(folder / "breaks.yaml", QUESTIONS)


def _answers(workbook, lines: list[str], header: str = HEADER) -> Path:
    return write(workbook.root / "answers.csv", header + "\n".join(lines) + "\n")


def test_a_draft_response_says_where_the_group_stands(workbook, store, consultation) -> None:
    # 11 people on the first question (9 agree); only 6 on the second, too few to show
    lines = [f"breaks-2026,right,p1,C{n},carer,agree,,yes,2026-09-01" for n in range(9)]
    lines += [f"breaks-2026,right,p1,S{n},staff,disagree,,yes,2026-09-01" for n in range(2)]
    lines += [f"breaks-2026,online,p1,C{n},carer,agree,,yes,2026-09-01" for n in range(3)]
    lines += [
        f"breaks-2026,online,p1,S{n},staff,disagree_strongly,,yes,2026-09-01" for n in range(3)
    ]
    lines += [
        'breaks-2026,right,p1,C9,carer,,"Call Jean Smith on 07700 900123, she has no internet",'
        "yes,",
        'breaks-2026,right,p1,C10,carer,,"My husband Raj needs a break too",no,',
    ]
    path = _answers(workbook, lines, CONSENT_HEADER)
    assert import_answers(workbook, store, path).stored == 19
    md, docx = draft_response(workbook, store, "breaks-2026", workbook.root / "out", "p1")
    text = md.read_text()
    assert "We agree. At least two in three of those who gave a view said so." in text
    assert "| Agree | 10 |" in text  # 9, rounded to the nearest 5
    assert "| Disagree | \\* |" in text  # 2 people: not shown
    assert "Fewer than 8 people gave a view on this question" in text
    assert "about 15 people" in text  # 13 people in all, rounded
    assert "07700" not in text and "\\[phone removed\\]" in text
    assert "Raj" not in text and "did not agree to their words being used" in text
    for rater in ("C1", "S1", "C9"):
        assert rater not in text  # no one is named or identified
    words = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "Draft joint response: Breaks for carers" in words and "07700" not in words
    assert "[phone removed]" in words and "Raj" not in words


def test_words_without_a_consent_column_are_counted_but_never_quoted(
    workbook, store, consultation
) -> None:
    lines = [
        f"breaks-2026,right,p1,C{n},carer,agree,I need a break {n},2026-09-01" for n in range(9)
    ]
    import_answers(workbook, store, _answers(workbook, lines))
    assert not answers(store, "breaks-2026")["consent"].any()
    md, _docx = draft_response(workbook, store, "breaks-2026", workbook.root / "out", "p1")
    text = md.read_text()
    assert "I need a break" not in text and "| Agree | 10 |" in text


def test_a_consent_column_may_be_headed_consent_and_say_true_or_false(
    workbook, store, consultation
) -> None:
    header = "consultation,question,project,rater,role,answer,comment,Consent\n"
    lines = [f"breaks-2026,right,p1,C{n},carer,agree,Point {n},TRUE" for n in range(8)]
    lines.append("breaks-2026,right,p1,C9,carer,agree,Not to be quoted,FALSE")
    import_answers(workbook, store, _answers(workbook, lines, header))
    md, _docx = draft_response(workbook, store, "breaks-2026", workbook.root / "out", "p1")
    text = md.read_text()
    assert "Point 3" in text and "Not to be quoted" not in text


ATTACKS = [
    "[click me](javascript:alert(1))",
    "![tracker](https://evil.example/pixel.png)",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "see https://evil.example/x or www.evil.example or write to a@b.example",
    "visit evil.com, bit.ly/abc or phish.example.org/login",
    "# Not a heading\n## nor this\n- nor a list",
    "**loud** _quiet_ `code` ~~gone~~ | pipe | $maths$",
    "&lt;b&gt; &amp; <https://evil.example>",
    "[ref]: https://evil.example\n[ref]",
]


def test_nothing_a_person_or_a_file_writes_becomes_a_link_an_image_or_markup(
    workbook, store, consultation
) -> None:
    import cmarkgfm
    from cmarkgfm.cmark import Options
    from markdown_it import MarkdownIt

    hostile = QUESTIONS.replace(
        "text: Every carer should have a right to a break.",
        'text: "Every carer should have a break.\\n# Injected heading\\n[x](https://evil.example)"',
    )
    write(consultation, hostile)
    lines = [
        f'breaks-2026,right,p1,C{n},carer,agree,"{attack.replace(chr(34), chr(34) * 2)}",yes,'
        for n, attack in enumerate(ATTACKS)
    ]
    lines.append("breaks-2026,right,p1,C99,carer,agree,a control \x01 character,yes,")
    with pytest.raises(ImportError_, match="control character"):
        import_answers(workbook, store, _answers(workbook, lines, CONSENT_HEADER))
    assert import_answers(workbook, store, _answers(workbook, lines[:-1], CONSENT_HEADER))
    md, docx = draft_response(workbook, store, "breaks-2026", workbook.root / "out", "p1")
    text = md.read_text()
    renderers = {
        "cmark-gfm": lambda t: cmarkgfm.github_flavored_markdown_to_html(
            t, options=Options.CMARK_OPT_UNSAFE
        ),
        "markdown-it": MarkdownIt("gfm-like").render,
    }
    for name, render in renderers.items():
        page = render(text)
        for tag in ("<a ", "<img", "<script", "<strong", "<em>", "<code", "<del", "<h3"):
            assert tag not in page, (name, tag)
        assert page.count("<h1>") == 1 and "Injected heading</h2>" not in page, name
        assert page.count("<h2>") == 2 and page.count("<table>") == 1, name
        assert "evil.example/pixel.png" in page and "bit.ly/abc" in page  # kept, as text
    doc = Document(str(docx))
    assert not any(rel.reltype.endswith("/hyperlink") for rel in doc.part.rels.values())
    assert not any(rel.reltype.endswith("/image") for rel in doc.part.rels.values())


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


def test_a_rater_id_that_reads_as_a_listed_name_is_refused(workbook, store, consultation) -> None:
    config = workbook.config_path
    config.write_text(
        config.read_text().replace("redact_names = []", 'redact_names = ["Jean Smith"]')
    )
    book = Workbook.open(workbook.root)
    for rater in ("Jean-Smith", "jean_smith", "JSmith", "07700900123"):
        path = _answers(book, [f"breaks-2026,right,,{rater},carer,agree,,"])
        with pytest.raises(ImportError_, match="reads as") as caught:
            import_answers(book, store, path)
        assert caught.value.problems[0].column == "rater"
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
