"""Joint responses to consultations.

A consultation (a government or NHS body asking for views) is a workbook file,
``data/consultations/<id>.yaml``: its title, who is consulting, when it closes, where it is
published, and its questions. Group members give their view on each question (agree strongly
to disagree strongly, and what they want to say), in a meeting or on paper; the answers are
imported with ``coeval import consultation``. :func:`views` works out, per question, where the
group stands, how views were spread and the points people agreed may be quoted; the draft
joint response is written from them by :mod:`coeval.practice.response`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from coeval import yamlfile
from coeval.config import Workbook
from coeval.disclosure import redact
from coeval.exceptions import ConsultationError, NotFoundError
from coeval.frames import rows_where
from coeval.i18n import N_
from coeval.ingest.importer import Importer
from coeval.ingest.pipeline import Bad, ImportResult, RowChecks
from coeval.periods import Period
from coeval.store import Project, Store
from coeval.text import one_line, shorten
from coeval.vocabulary import (
    AGREE,
    AGREE_STRONGLY,
    CONSULTATION_ANSWERS,
    DATA_ID,
    DEFAULT_VOICES,
    DISAGREE,
    DISAGREE_STRONGLY,
    LIVED_EXPERIENCE,
)

if TYPE_CHECKING:
    import pandas as pd
else:
    from coeval.lazy import pandas as pd

#: The views a member can give (as stored), and how they are read.
ANSWER_WORDS = dict(
    zip(
        CONSULTATION_ANSWERS,
        (
            N_("Agree strongly"),
            N_("Agree"),
            N_("Neither agree nor disagree"),
            N_("Disagree"),
            N_("Disagree strongly"),
        ),
        strict=True,
    )
)
AGREEING, DISAGREEING = {AGREE_STRONGLY, AGREE}, {DISAGREE, DISAGREE_STRONGLY}
#: Share of those giving a view that makes a position "agreed by the group".
AGREED_SHARE = 2 / 3
ANSWER_COLUMNS = (
    "consultation",
    "question",
    "project",
    "rater",
    "role",
    "answer",
    "comment",
    "consent_to_publish",
    "recorded_at",
)
OPTIONAL_ANSWER_COLUMNS = ("project", "comment", "consent_to_publish", "recorded_at")
COMMENT_LIMIT = 2000


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


_KEYS = ("id", "title", "consulting", "closes", "source", "summary", "questions")
_REQUIRED = ("id", "title", "consulting", "closes", "questions")
TEXT_LIMIT = 2000


def read_consultation(path: Path) -> Consultation:
    """One consultation file, checked; each file is read once per process while unchanged."""
    try:
        return yamlfile.read_once(path, _read_consultation)
    except FileNotFoundError:
        raise ConsultationError(f"{path} does not exist") from None


def _read_consultation(path: Path) -> Consultation:
    try:
        raw = yamlfile.load(yamlfile.read_text(path)).data
    except yamlfile.YamlProblem as exc:
        where = f", line {exc.line}" if exc.line else ""
        raise ConsultationError(f"{path}{where}: {exc.message}") from None
    if not isinstance(raw, dict):
        raise ConsultationError(f"{path}: expected keys {', '.join(_REQUIRED)}")
    missing = [k for k in _REQUIRED if k not in raw]
    if missing:
        raise ConsultationError(f"{path}: missing {', '.join(missing)}; add them")
    unknown = sorted(str(k) for k in set(raw) - set(_KEYS))
    if unknown:
        raise ConsultationError(
            f"{path}: unknown key {shorten(unknown[0])}; use one of: {', '.join(_KEYS)}"
        )
    if not isinstance(raw["id"], str) or not DATA_ID.match(raw["id"]):
        raise ConsultationError(f"{path}: id must be lower-case letters, digits and -")
    if not isinstance(raw["closes"], date):
        raise ConsultationError(f"{path}: closes must be a date like 2026-12-31")
    texts = {key: _text(path, key, raw.get(key, "")) for key in ("title", "consulting")}
    for key in ("title", "consulting"):
        if not texts[key]:
            raise ConsultationError(f"{path}: {key} is blank; write it in")
    questions = raw["questions"]
    if not isinstance(questions, list) or not questions:
        raise ConsultationError(f"{path}: questions must be a list with at least one question")
    made = []
    for n, q in enumerate(questions, start=1):
        if not isinstance(q, dict) or not {"id", "text"} <= set(q):
            raise ConsultationError(f"{path}: question {n} needs an id and a text")
        extra = sorted(str(k) for k in set(q) - {"id", "text", "help"})
        if extra:
            raise ConsultationError(
                f"{path}: question {n}: unknown key {shorten(extra[0])}; use id, text and help"
            )
        if not isinstance(q["id"], str) or not DATA_ID.match(q["id"]):
            raise ConsultationError(
                f"{path}: question {n}: id must be lower-case letters, digits, -"
            )
        text = _text(path, f"question {n}: text", q["text"])
        if not text:
            raise ConsultationError(f"{path}: question {n}: text is blank; write the question")
        made.append(Question(q["id"], text, _text(path, f"question {n}: help", q.get("help", ""))))
    if len({q.id for q in made}) != len(made):
        raise ConsultationError(f"{path}: two questions share an id")
    return Consultation(
        raw["id"],
        texts["title"],
        texts["consulting"],
        raw["closes"],
        _text(path, "source", raw.get("source", "")),
        tuple(made),
        _text(path, "summary", raw.get("summary", "")),
    )


def _text(path: Path, key: str, value: Any) -> str:
    """A text field of a consultation file: text (not a number or a list), within the limit,
    on one line with its spaces tidied (a file's line breaks are only its layout)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ConsultationError(
            f"{path}: {key} should be text, not {shorten(value)}; put it in quotes"
        )
    if len(value) > TEXT_LIMIT:
        raise ConsultationError(
            f"{path}: {key} is {len(value)} characters; keep it to {TEXT_LIMIT}"
        )
    return one_line(value)


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
            bad(
                "consultation",
                f"unknown consultation {shorten(row['consultation'])}; known: {listed}",
            )
        if consultation and row["question"]:
            try:
                consultation.question(row["question"])
            except NotFoundError as exc:
                bad("question", str(exc))
        if row["project"]:
            self.project(row["project"], bad)
        self.rater(row["rater"], bad)
        if row["role"] and row["role"] not in DEFAULT_VOICES:
            bad("role", f"{shorten(row['role'])}; use one of: {', '.join(DEFAULT_VOICES)}")
        answer = row["answer"].strip().lower().replace(" ", "_") or None
        if answer is not None and answer not in ANSWER_WORDS:
            bad(
                "answer",
                f"{shorten(row['answer'])}; use one of: {', '.join(ANSWER_WORDS)} (or blank)",
            )
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
            "consent_to_publish": self.yes_no(row["consent_to_publish"], "consent_to_publish", bad),
            "recorded_at": self.timestamp(row["recorded_at"], "recorded_at", bad),
        }
        return value


def _save_answers(
    store: Store, conn: Connection, values: list[Any], import_id: int, _actor: str | None
) -> int:
    return store.add_consultation_answers(conn, values, import_id)


CONSULTATION = Importer(
    "consultation",
    "answers",
    """Import views on a consultation's questions from FILE: CSV (UTF-8) or Excel
    (.xlsx; --sheet).

    Columns: consultation, question, project, rater, role, answer, comment, recorded_at
    (project, comment and recorded_at may be blank). answer is agree_strongly, agree,
    neutral, disagree or disagree_strongly, or blank when there is only a comment.
    """,
    ANSWER_COLUMNS,
    OPTIONAL_ANSWER_COLUMNS,
    lambda workbook, store, _frameworks: _AnswerChecker(
        workbook, store.projects(), load_consultations(workbook.consultations_dir)
    ),
    _save_answers,
)


def import_answers(
    workbook: Workbook,
    store: Store,
    path: Path,
    actor: str | None = None,
) -> ImportResult:
    """Check a consultation answers CSV and store every row, or store nothing and raise."""
    return CONSULTATION.run(workbook, store, path, actor)


def answers(store: Store, consultation: str, project: str | None = None) -> pd.DataFrame:
    """Each person's latest answer to each question (a later answer supersedes)."""
    rows = store.consultation_answers(project, consultation)
    return latest_answers(rows).drop(columns="consultation")


def latest_answers(rows: pd.DataFrame, period: Period | None = None) -> pd.DataFrame:
    """Each person's latest answer to each question of each consultation, from the store's
    rows (:meth:`Store.consultation_answers`, oldest first); with a period, only those
    latest answers given in it (a view changed later belongs to the later quarter)."""
    frame = rows.rename(columns=_ANSWER_NAMES)[list(_ANSWER_NAMES.values())]
    frame["consent"] = frame["consent"].astype(bool)
    latest = frame.drop_duplicates(["consultation", "question", "rater"], keep="last")
    if period is not None:
        latest = rows_where(latest, (period.contains(t.date()) for t in latest["recorded_at"]))
    return latest.reset_index(drop=True)


_ANSWER_NAMES = {
    "consultation_id": "consultation",
    "question_id": "question",
    "project_id": "project",
    "rater_id": "rater",
    "role": "role",
    "answer": "answer",
    "comment": "comment",
    "consent_to_publish": "consent",
    "recorded_at": "recorded_at",
}


# -- the draft response ---------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionView:
    question: Question
    people: int
    lived_experience: int
    counts: dict[str, int]  # answer -> people
    stance: str  # "agree", "disagree", "divided" or "none"
    points: list[tuple[str, int]]  # (words people agreed may be quoted, redacted; how many)
    withheld: int  # comments given without consent to quote them

    @property
    def viewed(self) -> int:
        """How many gave a view (agree strongly to disagree strongly)."""
        return sum(self.counts.values())


def views(
    consultation: Consultation,
    given: pd.DataFrame,
    names: Sequence[str],
    voices: Mapping[str, str] = DEFAULT_VOICES,
) -> list[QuestionView]:
    """Per question: how many answered, how views were spread, where the group stands, and
    the points people made that they agreed may be quoted (personal details removed)."""
    out = []
    for question in consultation.questions:
        mine = given[given["question"] == question.id]
        counts = {a: int((mine["answer"] == a).sum()) for a in ANSWER_WORDS}
        viewed = sum(counts.values())
        agree = sum(counts[a] for a in AGREEING)
        disagree = sum(counts[a] for a in DISAGREEING)
        if not viewed:
            stance = "none"
        elif agree >= AGREED_SHARE * viewed:
            stance = "agree"
        elif disagree >= AGREED_SHARE * viewed:
            stance = "disagree"
        else:
            stance = "divided"
        commented = [
            (str(text), bool(consent))
            for text, consent in zip(mine["comment"], mine["consent"], strict=True)
            if isinstance(text, str) and text.strip()
        ]
        said = Counter(redact(one_line(text), names) for text, ok in commented if ok)
        lived = int(sum(voices.get(r, "") == LIVED_EXPERIENCE for r in mine["role"]))
        withheld = sum(not ok for _text, ok in commented)
        out.append(
            QuestionView(question, len(mine), lived, counts, stance, list(said.items()), withheld)
        )
    return out


STANCE_WORDS = {
    "agree": "We agree",
    "disagree": "We disagree",
    "divided": "Our views were divided",
    "none": "No views were given on this question",
}
