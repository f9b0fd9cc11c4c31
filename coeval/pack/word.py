"""A pack as a Word document: the same sections, words and tables as the web page, on A4,
in Arial; large print sets every piece of text at 16 point or more (headings 18 and more).
Word shows text as text, so nothing in it can become a link; control characters, which Word
files cannot hold, are left out (:func:`coeval.text.printable`)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from coeval.pack.content import (
    ACTION_COLUMNS,
    ACTIONS,
    CONSULTATIONS,
    CONSULTATIONS_LEAD,
    MEETING,
    NO_CONSULTATIONS,
    ON_PAPER,
    QUESTIONS,
    SCALE_CAPTION,
    SCALE_COLUMNS,
    TAKE_PART,
    PackContent,
    consultation_line,
    results_heading,
)
from coeval.pack.page import GENERATOR
from coeval.practice.paper import LARGE_PT, NORMAL_PT
from coeval.text import printable

#: Font sizes in points: body, then headings 1, 2 and 3, for normal and large print.
SIZES = {False: (NORMAL_PT, 20, 16, 13), True: (LARGE_PT, 26, 22, 18)}


def pack_docx(content: PackContent) -> bytes:
    """The pack as a Word document staff can change before sending it."""
    from docx import Document

    _ = content.words.gettext
    doc = Document()
    _styles(doc, content.large_print)
    doc.core_properties.title = printable(content.title)
    doc.core_properties.comments = GENERATOR
    if content.draft:
        doc.add_paragraph().add_run(printable(content.draft)).bold = True
    doc.add_heading(printable(content.title), level=1)
    doc.add_paragraph(_("Made on {date}.", date=content.day(content.made_on)))
    doc.add_paragraph(printable(content.intro))
    doc.add_heading(_(MEETING), level=2)
    _paragraphs(doc, content.meeting_lines())
    _questions(doc, content)
    _results(doc, content)
    _actions(doc, content)
    _consultations(doc, content)
    doc.add_heading(_(TAKE_PART), level=2)
    if content.code_line:
        doc.add_paragraph(style="List Bullet").add_run(printable(content.code_line)).bold = True
    _bullets(doc, content.take_part)
    doc.add_heading(_(ON_PAPER), level=3)
    _bullets(doc, [line.replace("`", "") for line in content.on_paper])
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _styles(doc: Any, large: bool) -> None:
    """A4 pages, Arial, black text, and the sizes for normal or large print (lists and
    tables take the body size)."""
    from docx.shared import Mm, Pt, RGBColor

    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(18)
        section.top_margin = section.bottom_margin = Mm(16)
    body, *headings = SIZES[large]
    sizes = dict(zip(("Heading 1", "Heading 2", "Heading 3"), headings, strict=True))
    for name in ("Normal", "List Bullet", "List Number", *sizes):
        style = doc.styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(sizes.get(name, body))
        style.font.color.rgb = RGBColor(0x1A, 0x1A, 0x1A)
        style.paragraph_format.keep_with_next = name in sizes


def _paragraphs(doc: Any, lines: Sequence[str]) -> None:
    for line in lines:
        doc.add_paragraph(printable(line))


def _bullets(doc: Any, lines: Sequence[str]) -> None:
    for line in lines:
        doc.add_paragraph(printable(line), style="List Bullet")


def _table(doc: Any, caption: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A captioned table whose first row repeats on each page as its header."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    label = doc.add_paragraph()
    label.add_run(printable(caption)).bold = True
    label.paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(printable(text)).bold = True
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = printable(text)
    doc.add_paragraph()


def _questions(doc: Any, content: PackContent) -> None:
    _ = content.words.gettext
    doc.add_heading(_(QUESTIONS), level=2)
    doc.add_paragraph(printable(content.questions_note))
    for theme, asked in content.themes():
        if theme:
            doc.add_heading(printable(theme), level=3)
        for q in asked:
            ask = doc.add_paragraph()
            ask.add_run(f"{q.number}. {printable(q.text)}").bold = True
            ask.paragraph_format.keep_with_next = bool(q.help)
            if q.help:
                doc.add_paragraph(printable(q.help))
    if content.scale:
        _table(doc, _(SCALE_CAPTION), [_(c) for c in SCALE_COLUMNS], content.scale)


def _results(doc: Any, content: PackContent) -> None:
    results = content.results
    doc.add_heading(results_heading(results.period, content.words), level=2)
    doc.add_paragraph(printable(results.intro))
    for part in results.parts:
        doc.add_heading(printable(part.heading), level=3)
        _paragraphs(doc, part.paragraphs)
        _bullets(doc, part.bullets)


def _actions(doc: Any, content: PackContent) -> None:
    _ = content.words.gettext
    doc.add_heading(_(ACTIONS), level=2)
    doc.add_paragraph(printable(content.actions_lead))
    if content.actions:
        columns = [_(c) for c in ACTION_COLUMNS]
        _table(doc, content.actions_caption, columns, content.action_rows())


def _consultations(doc: Any, content: PackContent) -> None:
    _ = content.words.gettext
    doc.add_heading(_(CONSULTATIONS), level=2)
    if not content.consultations:
        doc.add_paragraph(_(NO_CONSULTATIONS))
        return
    doc.add_paragraph(_(CONSULTATIONS_LEAD))
    for c in content.consultations:
        doc.add_heading(printable(c.title), level=3)
        doc.add_paragraph(printable(consultation_line(content, c.consulting, c.closes)))
        if c.summary:
            doc.add_paragraph(printable(c.summary))
        for n, (text, help_text) in enumerate(c.questions, start=1):
            doc.add_paragraph(printable(f"{n}. {text}" + (f" {help_text}" if help_text else "")))
