"""Paper forms for people who would rather answer on paper: an A4 page to print and a Word
document staff can change, both made from one :class:`PaperForm`.

The form asks in the order the staff entry screen (``coeval/widgets/entry.py``) is filled in,
so whoever types a returned form in goes from top to bottom: how the person takes part, the
office box (a reference, never a name, and the date received), each question of the framework
on its scale with "Don't know", then the person's own words and whether they may be shared.

The page loads nothing and runs nothing: its styles are inline, every tick box is a labelled
form control grouped by question, and every word from a file or a person is escaped with
:func:`coeval.text.escape` (and passed through :func:`coeval.text.printable` for Word).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coeval.exceptions import CoevalError, FrameworkError, NotFoundError
from coeval.files import write_atomic
from coeval.frameworks import Framework
from coeval.i18n import ENGLISH, N_, Words, words
from coeval.ids import path_part
from coeval.store import Project, Store
from coeval.text import escape, printable
from coeval.vocabulary import (
    ROLE_WORDS,
)

#: How a person says how they take part: in the words and order of the entry screen's "The
#: person is" (both use ``coeval.vocabulary.ROLE_WORDS``).
ROLE_QUESTION = N_("How do you take part? Tick the one box that fits you best.")
OFFICE_HEADING = N_("For office use")
OFFICE_FIELDS = (N_("Reference (never a name)"), N_("Date received"))
COMMENTS = N_("Anything else you want to tell us?")
COMMENTS_HELP = N_("Write as much or as little as you like. Please leave out names.")
CONSENT = N_("You may share my words in reports about this work, without my name.")
INSTRUCTIONS = (
    N_("Tick one box for each question. If you are not sure, tick \u201cDon't know\u201d."),
    N_("You can leave out any question you would rather not answer."),
    N_("Please do not write your name on this form. Your answers are kept without your name."),
    N_("When you have finished, give or post the form back to the person who gave it to you."),
)
ABOUT_YOU, YOUR_ANSWERS = N_("About you"), N_("Your answers")
SCALE_LEAD = N_("What the answers mean:")
BOX = "\u2610"  # a ballot box, the tick box in Word
NORMAL_PT, LARGE_PT = 12, 16  # body text; headings are larger (see _SIZES)


@dataclass(frozen=True)
class Question:
    """One question as the form asks it: numbered, in plain words, with its tick boxes."""

    number: int
    text: str
    help: str
    choices: tuple[str, ...]  # the scale's words, lowest first, then "Don't know"
    theme: str = ""  # the section's title, on the first question of a section when shown


@dataclass(frozen=True)
class PaperForm:
    """Everything a paper form says, in order, built once and written as HTML and Word."""

    project: str  # the project's name
    framework: str  # the framework's title
    roles: tuple[str, ...]
    scale: tuple[tuple[str, str], ...]  # (word, what it means)
    questions: tuple[Question, ...]
    large_print: bool = False
    instructions: tuple[str, ...] = INSTRUCTIONS
    words: Words = field(default=ENGLISH, compare=False)  # the form's own words
    language: str = "en"  # the framework's words, and the page's language
    draft: str = ""  # the draft translation label, when the form shows one

    @property
    def title(self) -> str:
        return f"{self.project}: {self.framework}"

    @property
    def lang(self) -> str:
        return "en-GB" if self.language == "en" else self.language.replace("_", "-")

    def html(self) -> str:
        """The form as one A4 print-ready page (see :func:`form_html`)."""
        return form_html(self)

    def docx(self) -> bytes:
        """The form as a Word document (see :func:`form_docx`)."""
        return form_docx(self)


def build_form(
    project: Project, framework: Framework, large_print: bool = False, language: str = "en"
) -> PaperForm:
    """The form for ``project`` on ``framework``: the questions in ``framework.items`` order,
    each on the framework's scale plus "Don't know". A section's title is shown above its
    questions only when some section holds more than one question. In another ``language``,
    the framework's words come from its file and the form's own from the catalogue."""
    said = words(language)
    own = framework.translation(language)
    draft = said.draft_label or (said.draft_named(own.name) if own and own.draft else "")
    framework = framework.worded(None if language == "en" else language)
    dont_know = (own.dont_know if own else "") or said.gettext("Don't know")
    choices = (*(level.label for level in framework.scale), dont_know)
    themed = any(len(section.items) > 1 for section in framework.sections)
    first = {section.items[0].id: section.title for section in framework.sections if section.items}
    questions = tuple(
        Question(n, item.question, item.help, choices, first.get(item.id, "") if themed else "")
        for n, item in enumerate(framework.items, start=1)
    )
    scale = tuple((level.label, level.help) for level in framework.scale)
    roles = tuple(said.gettext(role) for role in ROLE_WORDS.values())
    instructions = tuple(said.gettext(line) for line in INSTRUCTIONS)
    return PaperForm(
        project.name,
        framework.title,
        roles,
        scale,
        questions,
        large_print,
        instructions,
        said,
        language,
        draft,
    )


def write_form(
    store: Store,
    frameworks: Mapping[str, Framework],
    project_id: str,
    framework_id: str,
    out: Path,
    large_print: bool = False,
    language: str = "en",
) -> tuple[Path, Path]:
    """Write ``<project>-<framework>-form.html`` and ``.docx`` (``-form-large-print`` with
    ``large_print``, ``-<language>`` in another language) into the folder ``out``; returns
    the two paths."""
    project = next((p for p in store.projects() if p.id == project_id), None)
    if project is None:
        raise NotFoundError(f"--project {project_id!r}: no such project; see `coeval project list`")
    if framework_id not in frameworks:
        raise FrameworkError(
            f"--framework {framework_id!r}: unknown framework; use one of: "
            f"{', '.join(sorted(frameworks))}"
        )
    if framework_id not in project.frameworks:
        raise FrameworkError(
            f"--framework {framework_id!r}: project {project_id} is not rated against it; "
            f"use one of: {', '.join(project.frameworks) or '(none)'}"
        )
    out = out.expanduser()
    if out.exists() and not out.is_dir():
        raise CoevalError(f"--out {out} is a file; give a folder")
    form = build_form(project, frameworks[framework_id], large_print, language)
    stem = f"{path_part(project.id)}-{path_part(framework_id)}-form"
    stem += "-large-print" if large_print else ""
    stem += f"-{path_part(language)}" if language != "en" else ""
    out.mkdir(parents=True, exist_ok=True)
    html = write_atomic(out / f"{stem}.html", form.html())
    docx = write_atomic(out / f"{stem}.docx", form.docx())
    return html, docx


# -- HTML -------------------------------------------------------------------------------------

FORM_CSS = """
@page { size: A4; margin: 16mm 15mm 18mm; }
:root { color-scheme: light; }
body { font-family: Arial, Helvetica, sans-serif; font-size: 12pt; line-height: 1.4;
  color: #1a1a1a; background: #fff; margin: 0 auto; max-width: 46rem; padding: 1rem; }
h1 { font-size: 20pt; margin: 0 0 0.2em; }
h2 { font-size: 15pt; margin: 1.2em 0 0.4em; break-after: avoid; }
h3 { font-size: 13pt; margin: 1em 0 0.4em; break-after: avoid; }
.framework { font-size: 13pt; font-weight: bold; margin: 0 0 0.6em; }
.instructions { margin: 0.4em 0 0.8em; padding-left: 1.3em; }
.question, .office, .consent, .key { break-inside: avoid; page-break-inside: avoid; }
fieldset { border: 1px solid #595959; border-radius: 4px; margin: 0 0 0.7em;
  padding: 0.2em 0.8em 0.6em; }
input, textarea { font: inherit; color: inherit; }
legend { float: left; width: 100%; padding: 0.3em 0 0; font-weight: bold; }
.help { clear: both; margin: 0.1em 0 0.5em; padding-top: 0.2em; }
.choices { clear: both; display: flex; flex-wrap: wrap; gap: 0.35em 1.4em; }
label { display: inline-flex; align-items: center; gap: 0.45em; }
.office { border: 2px dashed #1a1a1a; padding: 0.4em 0.8em 0.8em; margin: 0.8em 0; }
.office h2 { margin-top: 0.3em; }
.office label { display: flex; margin: 0.4em 0; }
.office input { width: 14em; border: none; border-bottom: 1px solid #1a1a1a; }
.key { margin: 0 0 0.8em; }
.key dt { font-weight: bold; float: left; clear: left; margin-right: 0.4em; }
.key dd { margin: 0 0 0.2em; }
textarea { display: block; box-sizing: border-box; width: 100%; height: 11em;
  margin-top: 0.4em; border: 1px solid #1a1a1a; resize: vertical; }
input[type=checkbox] { appearance: none; -webkit-appearance: none; flex: none;
  width: 1.15em; height: 1.15em; margin: 0; border: 2px solid #1a1a1a; background: #fff; }
input[type=checkbox]:checked { background: #1a1a1a; box-shadow: inset 0 0 0 0.18em #fff; }
input:focus, textarea:focus { outline: 3px solid #08519c; outline-offset: 2px; }
@media print { body { max-width: none; padding: 0; } }
"""

#: Large print: body text 16pt, headings 18pt and more, one choice to a line.
LARGE_CSS = """
body { font-size: 16pt; line-height: 1.5; max-width: 52rem; }
h1 { font-size: 26pt; }
h2 { font-size: 22pt; }
h3, .framework { font-size: 18pt; }
legend { font-size: 18pt; }
.choices { display: block; }
.choices label { display: flex; margin: 0.35em 0; }
input[type=checkbox] { width: 1.3em; height: 1.3em; }
fieldset { margin-bottom: 1em; }
"""


def form_html(form: PaperForm) -> str:
    """The form as a self-contained A4 page: no scripts, nothing loaded from anywhere."""
    css = FORM_CSS + (LARGE_CSS if form.large_print else "")
    _ = form.words.gettext
    draft = f'<p class="draft"><strong>{escape(form.draft)}</strong></p>' if form.draft else ""
    body = "\n".join(
        [
            "<header>",
            *([draft] if draft else []),
            f"<h1>{escape(form.project)}</h1>",
            f'<p class="framework">{escape(form.framework)}</p>',
            _list("instructions", form.instructions),
            "</header>",
            f"<h2>{escape(_(ABOUT_YOU))}</h2>",
            _choices("role", _(ROLE_QUESTION), form.roles),
            _office(form.words),
            f"<h2>{escape(_(YOUR_ANSWERS))}</h2>",
            f"<p>{escape(_(SCALE_LEAD))}</p>",
            '<dl class="key">'
            + "".join(f"<dt>{escape(w)}:</dt><dd>{escape(m)}</dd>" for w, m in form.scale)
            + "</dl>",
            *(_question(q) for q in form.questions),
            _comments(form.words),
        ]
    )
    large = " large-print" if form.large_print else ""
    title = _("Form: {title}", title=form.title)
    return (
        f'<!DOCTYPE html>\n<html lang="{form.lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{css}</style>\n</head>\n"
        f'<body class="paper-form{large}">\n<main>\n{body}\n</main>\n</body>\n</html>\n'
    )


def _list(css_class: str, lines: Sequence[str]) -> str:
    return f'<ul class="{css_class}">' + "".join(f"<li>{escape(x)}</li>" for x in lines) + "</ul>"


def _boxes(name: str, words: Sequence[str]) -> str:
    """A labelled tick box for each word (the box inside its label)."""
    return "".join(
        f'<label><input type="checkbox" name="{name}" value="{escape(word)}"> '
        f"{escape(word)}</label>"
        for word in words
    )


def _choices(name: str, legend: str, words: Sequence[str]) -> str:
    return (
        f'<fieldset class="question"><legend>{escape(legend)}</legend>'
        f'<div class="choices">{_boxes(name, words)}</div></fieldset>'
    )


def _office(said: Words) -> str:
    fields = "".join(
        f'<label>{escape(said.gettext(name))}: <input type="text" name="office-{n}"></label>'
        for n, name in enumerate(OFFICE_FIELDS, start=1)
    )
    return (
        f'<section class="office" aria-labelledby="office">'
        f'<h2 id="office">{escape(said.gettext(OFFICE_HEADING))}</h2>{fields}</section>'
    )


def _question(q: Question) -> str:
    theme = f"<h3>{escape(q.theme)}</h3>\n" if q.theme else ""
    return (
        f'{theme}<fieldset class="question" aria-describedby="q{q.number}-help">'
        f"<legend>{q.number}. {escape(q.text)}</legend>"
        f'<p class="help" id="q{q.number}-help">{escape(q.help)}</p>'
        f'<div class="choices">{_boxes(f"q{q.number}", q.choices)}</div></fieldset>'
    )


def _comments(said: Words) -> str:
    _ = said.gettext
    return (
        f'<h2><label for="comments">{escape(_(COMMENTS))}</label></h2>'
        f'<p id="comments-help">{escape(_(COMMENTS_HELP))}</p>'
        '<textarea id="comments" name="comments" rows="8" aria-describedby="comments-help">'
        "</textarea>"
        f'<p class="consent"><label><input type="checkbox" name="consent" value="yes"> '
        f"{escape(_(CONSENT))}</label></p>"
    )


# -- Word -------------------------------------------------------------------------------------

#: Font sizes in points: body, then headings 1, 2 and 3, for normal and large print.
_SIZES = {False: (NORMAL_PT, 20, 15, 13), True: (LARGE_PT, 26, 22, 18)}


def form_docx(form: PaperForm) -> bytes:
    """The form as a Word document staff can change: the same words in the same order, tick
    boxes as ☐, and each question's lines kept together on one page."""
    from docx import Document

    _ = form.words.gettext
    doc = Document()
    _docx_page(doc, form.large_print)
    doc.core_properties.title = printable(form.title)
    if form.draft:
        doc.add_paragraph().add_run(printable(form.draft)).bold = True
    doc.add_heading(printable(form.project), level=1)
    doc.add_paragraph().add_run(printable(form.framework)).bold = True
    for line in form.instructions:
        doc.add_paragraph(printable(line), style="List Bullet")
    doc.add_heading(_(ABOUT_YOU), level=2)
    _docx_block(doc, _(ROLE_QUESTION), "", form.roles, inline=False)
    doc.add_heading(_(OFFICE_HEADING), level=2)
    _docx_boxes(doc, [f"{_(name)}:" for name in OFFICE_FIELDS], lines=2)
    doc.add_heading(_(YOUR_ANSWERS), level=2)
    doc.add_paragraph(_(SCALE_LEAD)).paragraph_format.keep_with_next = True
    for word, meaning in form.scale:
        key = doc.add_paragraph()
        key.add_run(f"{printable(word)}: ").bold = True
        key.add_run(printable(meaning))
    for q in form.questions:
        if q.theme:
            doc.add_heading(printable(q.theme), level=3)
        _docx_block(doc, f"{q.number}. {q.text}", q.help, q.choices, not form.large_print)
    doc.add_heading(_(COMMENTS), level=2)
    doc.add_paragraph(_(COMMENTS_HELP)).paragraph_format.keep_with_next = True
    _docx_boxes(doc, [""], lines=9)
    doc.add_paragraph(f"{BOX} {_(CONSENT)}")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _docx_page(doc: Any, large: bool) -> None:
    """A4 pages, Arial, black text, and the sizes for normal or large print."""
    from docx.shared import Mm, Pt, RGBColor

    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(18)
        section.top_margin = section.bottom_margin = Mm(16)
    names = ("Normal", "Heading 1", "Heading 2", "Heading 3")
    for name, size in zip(names, _SIZES[large], strict=True):
        style = doc.styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0x1A, 0x1A, 0x1A)
        style.paragraph_format.keep_with_next = name != "Normal"


def _docx_block(doc: Any, text: str, help_text: str, choices: Sequence[str], inline: bool) -> None:
    """One question: its words, its help and its tick boxes, never split across pages."""
    paragraphs = [doc.add_paragraph()]
    paragraphs[0].add_run(printable(text)).bold = True
    if help_text:
        paragraphs.append(doc.add_paragraph(printable(help_text)))
    boxes = [f"{BOX}\u00a0{printable(word)}" for word in choices]
    if inline:
        paragraphs.append(doc.add_paragraph("\u2003 ".join(boxes)))
    else:
        paragraphs += [doc.add_paragraph(box) for box in boxes]
    for paragraph in paragraphs:
        paragraph.paragraph_format.keep_together = True
        paragraph.paragraph_format.keep_with_next = paragraph is not paragraphs[-1]
        paragraph.paragraph_format.space_after = 0
    paragraphs[-1].paragraph_format.space_after = None
    doc.add_paragraph()


def _docx_boxes(doc: Any, labels: Sequence[str], lines: int) -> None:
    """Boxes to write in: a bordered table, one row per label (the label, then a blank
    cell), each ``lines`` high."""
    table = doc.add_table(rows=len(labels), cols=2 if any(labels) else 1)
    table.style = "Table Grid"
    for row, label in zip(table.rows, labels, strict=True):
        row.cells[0].text = label
        for _ in range(lines - 1):
            row.cells[-1].add_paragraph()
        for paragraph in (p for cell in row.cells for p in cell.paragraphs):
            paragraph.paragraph_format.keep_together = True
            paragraph.paragraph_format.keep_with_next = True
    doc.add_paragraph()
