"""A pack as one accessible web page: no scripts, nothing loaded from anywhere, headings in
order, tables with captions and header scopes, and styles that print well on A4. Large
print sets every piece of text at 16 point or more (headings at 18 and more)."""

from __future__ import annotations

from collections.abc import Sequence

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
from coeval.text import escape

#: Marks a page as a pack coeval wrote, so a later pack may replace it (and nothing else).
GENERATOR = "coeval pack"

PACK_CSS = """
@page { size: A4; margin: 16mm 15mm 18mm; }
:root { color-scheme: light; }
body { font-family: Arial, Helvetica, sans-serif; font-size: 12pt; line-height: 1.45;
  color: #1a1a1a; background: #fff; margin: 0 auto; max-width: 48rem; padding: 1rem; }
h1 { font-size: 20pt; margin: 0 0 0.3em; }
h2 { font-size: 16pt; margin: 1.4em 0 0.4em; padding-top: 0.4em;
  border-top: 2px solid #08519c; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 13pt; margin: 1em 0 0.3em; break-after: avoid; page-break-after: avoid; }
p, li, td, th, dt, dd { font-size: 12pt; }
caption { font-size: 12pt; font-weight: bold; text-align: left; padding-bottom: 0.3em; }
code { font-family: "Courier New", Courier, monospace; font-size: 12pt; }
.made { color: #404040; }
.question { font-weight: bold; margin: 0.2em 0 0; }
.help { margin: 0 0 0.5em; }
ol.questions > li { margin-bottom: 0.3em; }
table { border-collapse: collapse; margin: 0.6em 0 1em; width: 100%; }
th, td { border: 1px solid #595959; padding: 0.3em 0.5em; text-align: left;
  vertical-align: top; }
thead th { background: #eef3f8; }
tr, li, .question-block { break-inside: avoid; page-break-inside: avoid; }
.code { font-size: 14pt; font-weight: bold; letter-spacing: 0.1em; }
@media print {
  body { max-width: none; padding: 0; }
  h2 { border-top-color: #1a1a1a; }
  thead { display: table-header-group; }
}
"""

#: Large print: every piece of text 16pt or more, headings 18pt and more.
LARGE_CSS = """
body { font-size: 16pt; line-height: 1.5; max-width: 54rem; }
h1 { font-size: 26pt; }
h2 { font-size: 22pt; }
h3 { font-size: 18pt; }
p, li, td, th, dt, dd, caption, code { font-size: 16pt; }
.code { font-size: 20pt; }
"""


def pack_html(content: PackContent) -> str:
    """The pack as a self-contained page that runs nothing and loads nothing."""
    css = PACK_CSS + (LARGE_CSS if content.large_print else "")
    _ = content.words.gettext
    made = _("Made on {date}.", date=content.day(content.made_on))
    draft = f'<p class="draft"><strong>{escape(content.draft)}</strong></p>'
    body = "\n".join(
        [
            "<header>",
            *([draft] if content.draft else []),
            f"<h1>{escape(content.title)}</h1>",
            f'<p class="made">{escape(made)}</p>',
            f"<p>{escape(content.intro)}</p>",
            "</header>",
            _section("meeting", _(MEETING), _paragraphs(content.meeting_lines())),
            _section("questions", _(QUESTIONS), _questions(content)),
            _section(
                "results",
                results_heading(content.results.period, content.words),
                _results(content),
            ),
            _section("actions", _(ACTIONS), _actions(content)),
            _section("consultations", _(CONSULTATIONS), _consultations(content)),
            _section("take-part", _(TAKE_PART), _take_part(content)),
        ]
    )
    large = " large-print" if content.large_print else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{content.lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="{GENERATOR}">\n'
        f"<title>{escape(content.title)}</title>\n<style>{css}</style>\n</head>\n"
        f'<body class="pack{large}">\n<main>\n{body}\n</main>\n</body>\n</html>\n'
    )


def _section(anchor: str, heading: str, inner: str) -> str:
    return (
        f'<section aria-labelledby="{anchor}">\n<h2 id="{anchor}">{escape(heading)}</h2>\n'
        f"{inner}\n</section>"
    )


def _paragraphs(lines: Sequence[str]) -> str:
    return "\n".join(f"<p>{escape(line)}</p>" for line in lines)


def _bullets(lines: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>" if lines else ""


def _questions(content: PackContent) -> str:
    out = [f"<p>{escape(content.questions_note)}</p>"]
    for theme, asked in content.themes():
        if theme:
            out.append(f"<h3>{escape(theme)}</h3>")
        items = "".join(
            f'<li><div class="question-block"><p class="question">{escape(q.text)}</p>'
            + (f'<p class="help">{escape(q.help)}</p>' if q.help else "")
            + "</div></li>"
            for q in asked
        )
        out.append(f'<ol class="questions" start="{asked[0].number}">{items}</ol>')
    if content.scale:
        _ = content.words.gettext
        out.append(_table(_(SCALE_CAPTION), [_(c) for c in SCALE_COLUMNS], content.scale))
    return "\n".join(out)


def _results(content: PackContent) -> str:
    out = [f"<p>{escape(content.results.intro)}</p>"]
    for part in content.results.parts:
        out.append(f"<h3>{escape(part.heading)}</h3>")
        out.append(_paragraphs(part.paragraphs))
        out.append(_bullets(part.bullets))
    return "\n".join(x for x in out if x)


def _actions(content: PackContent) -> str:
    lead = f"<p>{escape(content.actions_lead)}</p>"
    if not content.actions:
        return lead
    columns = [content.words.gettext(c) for c in ACTION_COLUMNS]
    return lead + _table(content.actions_caption, columns, content.action_rows())


def _table(caption: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A table with a caption and column headers; the first cell of each row heads it."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in header)
    body = "".join(
        f'<tr><th scope="row">{escape(row[0])}</th>'
        + "".join(f"<td>{escape(cell)}</td>" for cell in row[1:])
        + "</tr>"
        for row in rows
    )
    return (
        f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def _consultations(content: PackContent) -> str:
    _ = content.words.gettext
    if not content.consultations:
        return f"<p>{escape(_(NO_CONSULTATIONS))}</p>"
    out = [f"<p>{escape(_(CONSULTATIONS_LEAD))}</p>"]
    for c in content.consultations:
        out.append(f"<h3>{escape(c.title)}</h3>")
        out.append(f"<p>{escape(consultation_line(content, c.consulting, c.closes))}</p>")
        if c.summary:
            out.append(f"<p>{escape(c.summary)}</p>")
        out.append(
            "<ol>"
            + "".join(
                f"<li>{escape(text)}" + (f" {escape(help_text)}" if help_text else "") + "</li>"
                for text, help_text in c.questions
            )
            + "</ol>"
        )
    return "\n".join(out)


def _take_part(content: PackContent) -> str:
    _ = content.words.gettext
    lines = [f"<li>{escape(line)}</li>" for line in content.take_part]
    if content.meeting is not None:
        code = f'<strong class="code">{escape(content.meeting.spoken_code)}</strong>'
        said = escape(_("The meeting code is {code}."), quote=False).replace("{code}", code)
        lines.insert(0, f"<li>{said}</li>")
    paper = "".join(f"<li>{_with_code(line)}</li>" for line in content.on_paper)
    return f"<ul>{''.join(lines)}</ul>\n<h3>{escape(_(ON_PAPER))}</h3>\n<ul>{paper}</ul>"


def _with_code(line: str) -> str:
    """A line with `backticked` commands shown as code."""
    parts = line.split("`")
    return "".join(
        f"<code>{escape(part)}</code>" if n % 2 else escape(part) for n, part in enumerate(parts)
    )
