"""Joint responses to consultations.

A consultation (a government or NHS body asking for views) is a workbook file,
``data/consultations/<id>.yaml``: its title, who is consulting, when it closes, where it is
published, and its questions. Group members give their view on each question (agree strongly
to disagree strongly, and what they want to say), in a meeting or on paper; the answers are
imported with ``coeval import consultation``. :func:`draft_response` turns them into a draft
joint response, as Markdown and as a Word document: for each question, where the group agreed,
how views were spread, and the points people made, with no names or personal details.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from sqlalchemy import Connection, select

from coeval import schema as s
from coeval.config import DEFAULT_VOICES, LIVED_EXPERIENCE, Workbook
from coeval.dashboard import plural
from coeval.disclosure import redact
from coeval.exceptions import CoevalError, NotFoundError
from coeval.io import RATER_PATTERN, Bad, ImportResult, RowChecks, import_file
from coeval.store import Project, Store, utcnow

#: The views a member can give (as stored), and how they are read.
ANSWER_WORDS = dict(
    zip(
        s.CONSULTATION_ANSWERS,
        ("Agree strongly", "Agree", "Neither agree nor disagree", "Disagree", "Disagree strongly"),
        strict=True,
    )
)
AGREE, DISAGREE = {"agree_strongly", "agree"}, {"disagree", "disagree_strongly"}
#: Share of those giving a view that makes a position "agreed by the group".
AGREED_SHARE = 2 / 3
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
ANSWER_COLUMNS = (
    "consultation",
    "question",
    "project",
    "rater",
    "role",
    "answer",
    "comment",
    "recorded_at",
)
OPTIONAL_ANSWER_COLUMNS = ("project", "comment", "recorded_at")
COMMENT_LIMIT = 2000


class ConsultationError(CoevalError):
    """A consultation file or answer was refused; the message names the place and the fix."""


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    help: str = ""


@dataclass(frozen=True)
class Consultation:
    id: str
    title: str
    consulting: str  # who is asking, e.g. "Department of Health and Social Care"
    closes: date
    source: str
    questions: tuple[Question, ...]
    summary: str = ""

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise NotFoundError(
            f"consultation {self.id!r} has no question {question_id!r}; its questions are: "
            f"{', '.join(q.id for q in self.questions)}"
        )


def load_consultations(folder: Path) -> dict[str, Consultation]:
    """The workbook's consultation files, checked; none if the folder does not exist."""
    found: dict[str, Consultation] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.yaml")):
        consultation = read_consultation(path)
        if consultation.id in found:
            raise ConsultationError(f"{path}: id {consultation.id!r} is used by another file")
        found[consultation.id] = consultation
    return found


def read_consultation(path: Path) -> Consultation:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConsultationError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(raw, dict):
        raise ConsultationError(f"{path}: expected keys id, title, consulting, closes, questions")
    missing = [k for k in ("id", "title", "consulting", "closes", "questions") if k not in raw]
    if missing:
        raise ConsultationError(f"{path}: missing {', '.join(missing)}; add them")
    unknown = set(raw) - {"id", "title", "consulting", "closes", "source", "summary", "questions"}
    if unknown:
        raise ConsultationError(f"{path}: unknown key {sorted(unknown)[0]!r}")
    if not isinstance(raw["id"], str) or not ID_PATTERN.match(raw["id"]):
        raise ConsultationError(f"{path}: id must be lower-case letters, digits and -")
    if not isinstance(raw["closes"], date):
        raise ConsultationError(f"{path}: closes must be a date like 2026-12-31")
    questions = raw["questions"]
    if not isinstance(questions, list) or not questions:
        raise ConsultationError(f"{path}: questions must be a list with at least one question")
    made = []
    for n, q in enumerate(questions, start=1):
        if not isinstance(q, dict) or not {"id", "text"} <= set(q):
            raise ConsultationError(f"{path}: question {n} needs an id and a text")
        if not ID_PATTERN.match(str(q["id"])):
            raise ConsultationError(
                f"{path}: question {n}: id must be lower-case letters, digits, -"
            )
        made.append(Question(str(q["id"]), str(q["text"]).strip(), str(q.get("help", "")).strip()))
    if len({q.id for q in made}) != len(made):
        raise ConsultationError(f"{path}: two questions share an id")
    return Consultation(
        raw["id"],
        str(raw["title"]).strip(),
        str(raw["consulting"]).strip(),
        raw["closes"],
        str(raw.get("source", "")),
        tuple(made),
        str(raw.get("summary", "")).strip(),
    )


# -- answers ------------------------------------------------------------------------------------


class _AnswerChecker(RowChecks):
    def __init__(
        self, workbook: Workbook, projects: Sequence[Project], known: Mapping[str, Consultation]
    ):
        super().__init__(workbook, projects)
        self.known = known

    required = ("consultation", "question", "rater", "role")
    needs = "every answer needs a {}"

    def value(self, row: Mapping[str, str], bad: Bad) -> Any:
        consultation = self.known.get(row["consultation"])
        if row["consultation"] and consultation is None:
            listed = ", ".join(self.known) or "none yet: add a file to data/consultations/"
            bad("consultation", f"unknown consultation {row['consultation']!r}; known: {listed}")
        if consultation and row["question"]:
            try:
                consultation.question(row["question"])
            except NotFoundError as exc:
                bad("question", str(exc))
        if row["project"]:
            self.project(row["project"], bad)
        if row["rater"] and not RATER_PATTERN.match(row["rater"]):
            bad("rater", "use a pseudonymous code of letters, digits, - and _ (never a name)")
        if row["role"] and row["role"] not in DEFAULT_VOICES:
            bad("role", f"{row['role']!r}; use one of: {', '.join(DEFAULT_VOICES)}")
        answer = row["answer"].strip().lower().replace(" ", "_") or None
        if answer is not None and answer not in ANSWER_WORDS:
            bad("answer", f"{row['answer']!r}; use one of: {', '.join(ANSWER_WORDS)} (or blank)")
        if answer is None and not row["comment"].strip():
            bad("answer", "is blank and there is no comment; give a view, a comment or both")
        if len(row["comment"]) > COMMENT_LIMIT:
            bad("comment", f"is {len(row['comment'])} characters; keep it to {COMMENT_LIMIT}")
        value = {
            "consultation_id": row["consultation"],
            "question_id": row["question"],
            "project_id": row["project"] or None,
            "rater_id": row["rater"],
            "role": row["role"],
            "answer": answer,
            "comment": row["comment"].strip() or None,
            "recorded_at": self.timestamp(row["recorded_at"], "recorded_at", bad),
        }
        return value


def import_answers(
    workbook: Workbook,
    store: Store,
    path: Path,
    actor: str | None = None,
) -> ImportResult:
    """Check a consultation answers CSV and store every row, or store nothing and raise."""
    known = workbook.consultations()
    checker = _AnswerChecker(workbook, store.projects(), known)

    def save(conn: Connection, values: list[Any], import_id: int) -> int:
        return add_answers(store, conn, values, import_id)

    return import_file(
        workbook,
        store,
        path,
        "consultation",
        ANSWER_COLUMNS,
        OPTIONAL_ANSWER_COLUMNS,
        checker.check,
        save,
        actor,
    )


def add_answers(
    store: Store, conn: Connection, rows: Sequence[Mapping[str, Any]], import_id: int | None
) -> int:
    """Store checked answers inside the caller's transaction; new raters become participants."""
    now = utcnow()
    store.ensure_participants(conn, rows)
    conn.execute(
        s.consultation_answers.insert(),
        [{"meeting_id": None, **r, "import_id": import_id, "created_at": now} for r in rows],
    )
    return len(rows)


def answers(store: Store, consultation: str, project: str | None = None) -> pd.DataFrame:
    """Each person's latest answer to each question (a later answer supersedes)."""
    c = s.consultation_answers.c
    query = (
        select(c.question_id, c.project_id, c.rater_id, c.role, c.answer, c.comment, c.recorded_at)
        .where(c.consultation_id == consultation)
        .order_by(c.recorded_at, c.id)
    )
    if project is not None:
        query = query.where(c.project_id == project)
    with store.read() as conn:
        rows = conn.execute(query).all()
    frame = pd.DataFrame(
        rows,
        columns=["question", "project", "rater", "role", "answer", "comment", "recorded_at"],
    )
    return frame.drop_duplicates(["question", "rater"], keep="last").reset_index(drop=True)


# -- the draft response ---------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionView:
    question: Question
    people: int
    lived_experience: int
    counts: dict[str, int]  # answer -> people
    position: str  # what the group agreed, in words
    points: list[str]  # comments, redacted


def views(
    consultation: Consultation,
    given: pd.DataFrame,
    names: Sequence[str],
    voices: Mapping[str, str] = DEFAULT_VOICES,
) -> list[QuestionView]:
    """Per question: how many answered, how views were spread, what the group agreed."""
    out = []
    for question in consultation.questions:
        mine = given[given["question"] == question.id]
        counts = {a: int((mine["answer"] == a).sum()) for a in ANSWER_WORDS}
        viewed = sum(counts.values())
        agree = sum(counts[a] for a in AGREE)
        disagree = sum(counts[a] for a in DISAGREE)
        if not viewed:
            position = "No views were given on this question."
        elif agree >= AGREED_SHARE * viewed:
            position = f"We agree: {_share(agree, viewed)} agreed."
        elif disagree >= AGREED_SHARE * viewed:
            position = f"We disagree: {_share(disagree, viewed)} disagreed."
        else:
            position = (
                f"Our views were divided: {agree} agreed, {disagree} disagreed and "
                f"{counts['neutral']} neither agreed nor disagreed."
            )
        said = Counter(
            redact(" ".join(str(text).split()), names)
            for text in mine["comment"].dropna()
            if str(text).strip()
        )
        points = [text if n == 1 else f"{text} ({n} people said this)" for text, n in said.items()]
        lived = int(sum(voices.get(r, "") == LIVED_EXPERIENCE for r in mine["role"]))
        out.append(QuestionView(question, len(mine), lived, counts, position, points))
    return out


def _share(n: int, viewed: int) -> str:
    if n == viewed:
        return f"everyone who gave a view ({plural(viewed, 'person', 'people')})"
    return f"{n} of the {viewed} people who gave a view"


def response_markdown(
    consultation: Consultation, seen: list[QuestionView], group: str, people: int
) -> str:
    """The draft joint response as Markdown: plain, with no names or personal details."""
    lines = [
        f"# Draft joint response: {consultation.title}",
        "",
        f"To: {consultation.consulting}. Closes: {consultation.closes:%-d %B %Y}.",
    ]
    if consultation.source:
        lines.append(f"Consultation: {consultation.source}")
    lines += [
        "",
        f"This response comes from {group}. It was drafted from the views of "
        f"{plural(people, 'person', 'people')}: carers, people who use services, family "
        "members, volunteers and staff. Where at least two in three of those who gave a view "
        "agreed (or disagreed), we say so; otherwise we say our views were divided. The points "
        "below are in members' own words, with names and contact details removed. This is a "
        "draft for the group to check before it is sent.",
    ]
    for n, view in enumerate(seen, start=1):
        lines += ["", f"## Question {n}: {view.question.text}", "", view.position, ""]
        lines += ["| View | People |", "| --- | ---: |"]
        lines += [f"| {ANSWER_WORDS[a]} | {view.counts[a]} |" for a in ANSWER_WORDS]
        if view.points:
            lines += ["", "What members said:", ""]
            lines += [f"- {_one_line(point)}" for point in view.points]
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split()).replace("|", "/")


def response_docx(
    consultation: Consultation, seen: list[QuestionView], group: str, people: int, path: Path
) -> Path:
    """The same draft as a Word document (headings, tables and lists, no images)."""
    from docx import Document

    markdown = response_markdown(consultation, seen, group, people)
    doc = Document()
    doc.core_properties.title = f"Draft joint response: {consultation.title}"
    doc.core_properties.author = group
    table_rows: list[list[str]] = []

    def flush_table() -> None:
        if not table_rows:
            return
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for cells in table_rows:
            row = table.add_row().cells
            row[0].text, row[1].text = cells
        table_rows.clear()

    for line in markdown.splitlines():
        if line.startswith("| ") and not line.startswith("| ---"):
            table_rows.append([c.strip() for c in line.strip("|").split("|")])
            continue
        if line.startswith("| ---"):
            continue
        flush_table()
        if line.startswith("# "):
            doc.add_heading(line[2:], level=1)
        elif line.startswith("## "):
            doc.add_heading(line[3:], level=2)
        elif line.startswith("- "):
            doc.add_paragraph(line[2:], style="List Bullet")
        elif line.strip():
            doc.add_paragraph(line)
    flush_table()
    partial = path.with_name(path.name + ".partial")
    doc.save(str(partial))
    partial.replace(path)
    return path


def draft_response(
    workbook: Workbook, store: Store, consultation_id: str, out: Path, project: str | None = None
) -> tuple[Path, Path]:
    """Write ``<id>-response.md`` and ``<id>-response.docx`` into ``out``."""
    known = workbook.consultations()
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
    names = workbook.settings.disclosure.redact_names
    seen = views(consultation, given, names, workbook.settings.voices)
    group = (store.project(project).name if project else workbook.settings.name) or "our group"
    people = int(given["rater"].nunique())
    out = out.expanduser()
    if out.exists() and not out.is_dir():
        raise ConsultationError(f"--out {out} is a file; give a folder")
    out.mkdir(parents=True, exist_ok=True)
    md = out / f"{consultation_id}-response.md"
    partial = md.with_name(md.name + ".partial")
    partial.write_text(response_markdown(consultation, seen, group, people), encoding="utf-8")
    partial.replace(md)
    docx = response_docx(
        consultation, seen, group, people, out / f"{consultation_id}-response.docx"
    )
    return md, docx
