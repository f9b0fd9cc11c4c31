"""The draft joint response to a consultation, as Markdown and as a Word document.

For each question: where the group stands, how views were spread, and the points people made
that they agreed may be quoted, with no names or personal details. The response goes to an
outside body, so it always follows the public disclosure rules, and everything that came from
a person or a file is written as plain text in both formats (see :mod:`coeval.text`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from coeval.config import Workbook
from coeval.disclosure import SUPPRESSED, Audience
from coeval.exceptions import ConsultationError
from coeval.files import write_atomic
from coeval.practice.consultations import (
    ANSWER_WORDS,
    STANCE_WORDS,
    Consultation,
    QuestionView,
    answers,
    load_consultations,
    views,
)
from coeval.store import Store
from coeval.text import markdown, plural, printable
from coeval.vocabulary import PUBLIC


@dataclass(frozen=True)
class ResponseQuestion:
    """One question of the draft as it is written: every number already under the public
    rules, every word as it may be shown (to be escaped by each format's writer)."""

    heading: str
    position: str
    spread: list[tuple[str, str]]  # (view in words, people as shown); empty when suppressed
    points: list[str]
    notes: list[str]


@dataclass(frozen=True)
class Response:
    """The draft joint response, built once and written as Markdown and as Word."""

    title: str
    lines: list[str]  # the addressee, closing date and source
    intro: str
    questions: list[ResponseQuestion]

    def markdown(self) -> str:
        out = [f"# {markdown(self.title)}", ""]
        out += [f"{markdown(line)}  " for line in self.lines]
        out += ["", markdown(self.intro)]
        for q in self.questions:
            out += ["", f"## {markdown(q.heading)}", "", markdown(q.position)]
            if q.spread:
                out += ["", "| View | People |", "| --- | ---: |"]
                out += [f"| {markdown(view)} | {markdown(n)} |" for view, n in q.spread]
            if q.points:
                out += ["", "What members said:", ""]
                out += [f"- {markdown(point)}" for point in q.points]
            out += [f"\n{markdown(note)}" for note in q.notes]
        return "\n".join(out) + "\n"

    def docx(self, path: Path, author: str) -> Path:
        """The same draft as a Word document (headings, tables and lists, no images). Word
        shows text as text, so nothing in it can become a link; control characters, which
        Word files cannot hold, are left out."""
        from docx import Document

        doc = Document()
        doc.core_properties.title = printable(self.title)
        doc.core_properties.author = printable(author)
        doc.add_heading(printable(self.title), level=1)
        for line in self.lines:
            doc.add_paragraph(printable(line))
        doc.add_paragraph(printable(self.intro))
        for q in self.questions:
            doc.add_heading(printable(q.heading), level=2)
            doc.add_paragraph(printable(q.position))
            if q.spread:
                table = doc.add_table(rows=1, cols=2)
                table.style = "Table Grid"
                table.rows[0].cells[0].text, table.rows[0].cells[1].text = "View", "People"
                for view, n in q.spread:
                    cells = table.add_row().cells
                    cells[0].text, cells[1].text = printable(view), printable(n)
            if q.points:
                doc.add_paragraph("What members said:")
                for point in q.points:
                    doc.add_paragraph(printable(point), style="List Bullet")
            for note in q.notes:
                doc.add_paragraph(printable(note))
        buffer = io.BytesIO()
        doc.save(buffer)
        return write_atomic(path, buffer.getvalue())


def build_response(
    consultation: Consultation,
    seen: list[QuestionView],
    group: str,
    people: int,
    audience: Audience,
) -> Response:
    """The draft joint response under ``audience``'s rules (a response goes to an outside
    body, so :func:`draft_response` always uses the public rules): counts rounded, figures
    about too few people left out, and only the words people agreed may be quoted."""
    lines = [f"To: {consultation.consulting}. Closes: {consultation.closes:%-d %B %Y}."]
    if consultation.source:
        lines.append(f"Consultation: {consultation.source}")
    least = audience.rules.public_min_people if audience.public else 1
    shown_people = audience.count(people)
    many = (
        f"about {plural(shown_people, 'person', 'people')}"
        if shown_people != SUPPRESSED
        else f"fewer than {least} people"
    )
    intro = (
        f"This response comes from {audience.text(group)}. It was drafted from the views of "
        f"{many}: carers, people who use services, family members, volunteers and staff. "
        "Where at least two in three of those who gave a view agreed (or disagreed), we say "
        "so; otherwise we say our views were divided. Numbers of people are rounded to the "
        f"nearest {audience.rules.public_round_to}"
        + (f", and not shown where fewer than {least} people answered" if audience.public else "")
        + ". The points below are in members' own words, used only where they agreed to that, "
        "with names and contact details removed. This is a draft for the group to check "
        "before it is sent."
    )
    questions = [_question(n, view, audience, least) for n, view in enumerate(seen, start=1)]
    return Response(f"Draft joint response: {consultation.title}", lines, intro, questions)


def _question(n: int, view: QuestionView, audience: Audience, least: int) -> ResponseQuestion:
    """One question of the response: where the group stands, the spread, and the points."""
    notes = []
    if not view.viewed:
        position, spread = STANCE_WORDS["none"] + ".", []
    elif audience.shows(view.viewed):
        position = f"{STANCE_WORDS[view.stance]}." + (
            " At least two in three of those who gave a view said so."
            if view.stance != "divided"
            else ""
        )
        spread = [(ANSWER_WORDS[a], str(audience.count(view.counts[a]))) for a in ANSWER_WORDS]
    else:
        position = (
            f"Fewer than {least} people gave a view on this question, so where the group "
            "stands and how views were spread are not shown."
        )
        spread = []
    points = []
    for words, times in view.points:
        text = audience.text(words)
        if times > 1:
            counted = audience.count(times)
            many_said = f"about {counted} people" if counted != SUPPRESSED else "several people"
            text += f" ({many_said} said this)"
        points.append(text)
    if view.withheld:
        notes.append(
            "Some members' comments on this question are not quoted, because they did not "
            "agree to their words being used."
        )
    return ResponseQuestion(f"Question {n}: {view.question.text}", position, spread, points, notes)


def draft_response(
    workbook: Workbook, store: Store, consultation_id: str, out: Path, project: str | None = None
) -> tuple[Path, Path]:
    """Write ``<id>-response.md`` and ``<id>-response.docx`` into ``out``, under the public
    disclosure rules (the response leaves the group)."""
    known = load_consultations(workbook.consultations_dir)
    if consultation_id not in known:
        listed = ", ".join(known) or "none; add a file to data/consultations/"
        raise ConsultationError(f"--id {consultation_id!r}: unknown consultation; known: {listed}")
    consultation = known[consultation_id]
    if project is not None:
        store.project(project)
    given = answers(store, consultation_id, project)
    if given.empty:
        raise ConsultationError(
            f"nobody has answered {consultation_id!r} yet; import answers with "
            "`coeval import consultation FILE.csv`"
        )
    out = out.expanduser()
    if out.exists() and not out.is_dir():
        raise ConsultationError(f"--out {out} is a file; give a folder")
    names = workbook.settings.disclosure.redact_names
    seen = views(consultation, given, names, workbook.settings.voices)
    group = (store.project(project).name if project else workbook.settings.name) or "our group"
    audience = Audience.of(PUBLIC, workbook.settings.disclosure)
    response = build_response(consultation, seen, group, int(given["rater"].nunique()), audience)
    out.mkdir(parents=True, exist_ok=True)
    md = write_atomic(out / f"{consultation_id}-response.md", response.markdown())
    docx = response.docx(out / f"{consultation_id}-response.docx", audience.text(group))
    return md, docx
