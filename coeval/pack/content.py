"""What goes in a pre-meeting pack, gathered once as plain data (:class:`PackContent`) and
written as a web page (:mod:`coeval.pack.page`) and a Word document (:mod:`coeval.pack.word`).

Every word that came from a person or a file is kept as it may be shown to the pack's
audience (see :mod:`coeval.disclosure`); each writer escapes it for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coeval.config import Workbook
from coeval.disclosure import Audience
from coeval.exceptions import NotFoundError, PeriodError
from coeval.frameworks import DONT_KNOW_LABEL, Framework, Item, load_frameworks
from coeval.meeting.meetings import Meeting, spoken_code
from coeval.meeting.planning import upcoming_meeting
from coeval.pack.results import Results, last_quarter
from coeval.pack.todo import PackAction, PackConsultation, due_actions, open_consultations
from coeval.periods import Period, parse_period
from coeval.practice.consultations import load_consultations
from coeval.store import Project, Store
from coeval.vocabulary import INTERNAL

MEETING = "The meeting"
QUESTIONS = "The questions we will ask"
ACTIONS = "Actions due by the meeting"
CONSULTATIONS = "Consultations open for your views"
TAKE_PART = "How to take part"
ON_PAPER = "Answering on paper"
SCALE_CAPTION = "The answers you can give"
SCALE_COLUMNS = ("Answer", "What it means")
ACTION_COLUMNS = ("What people said", "What we will do", "Who will do it", "Due", "How it stands")
CONSULTATIONS_LEAD = (
    "You can give your views on these at the meeting, or tell staff before they close."
)
NO_CONSULTATIONS = "No consultations are open for views at the moment."


def results_heading(period: str) -> str:
    return f"What you told us last quarter ({period})"


@dataclass(frozen=True)
class PackQuestion:
    """One question the meeting will ask, as the group will hear it."""

    number: int
    text: str
    help: str
    theme: str = ""  # the theme's title, on the first question of each theme


@dataclass(frozen=True)
class PackMeeting:
    held_on: date
    theme: str
    code: str

    @property
    def spoken_code(self) -> str:
        """The code as people read it: ``ABC 123``."""
        return spoken_code(self.code)


@dataclass(frozen=True)
class PackContent:
    """Everything a pack says, in the order it says it."""

    project_id: str
    project: str  # the project's name, as the audience may read it
    period: str
    made_on: date
    meeting: PackMeeting | None
    questions_note: str
    questions: tuple[PackQuestion, ...]
    scale: tuple[tuple[str, str], ...]  # the answers people can give, and what they mean
    results: Results
    actions_by: date
    actions: tuple[PackAction, ...]
    consultations: tuple[PackConsultation, ...]
    take_part: tuple[str, ...]
    on_paper: tuple[str, ...]
    large_print: bool = False

    @property
    def title(self) -> str:
        return f"Before the meeting: {self.project}, {self.period}"

    @property
    def intro(self) -> str:
        return (
            "These papers are sent before the meeting so that you have time to read them "
            "first. They say what the meeting will ask, what people told us last quarter, "
            "what we promised to do by now and how to take part."
        )

    @property
    def code_line(self) -> str | None:
        """The meeting code, said first under "How to take part" when the meeting is set up."""
        return None if self.meeting is None else f"The meeting code is {self.meeting.spoken_code}."

    def themes(self) -> list[tuple[str, list[PackQuestion]]]:
        """The questions in runs: each run starts at a theme's first question."""
        runs: list[tuple[str, list[PackQuestion]]] = []
        for q in self.questions:
            if q.theme or not runs:
                runs.append((q.theme, []))
            runs[-1][1].append(q)
        return runs

    @property
    def actions_caption(self) -> str:
        return f"Actions due by {self.actions_by:%-d %B %Y}"

    @property
    def actions_lead(self) -> str:
        by = f"{self.actions_by:%-d %B %Y}"
        if not self.actions:
            return f"No unfinished actions are due by {by}."
        return (
            f"These actions are not finished and were due by {by}. Staff will say at the "
            "meeting how each one is going."
        )

    def action_rows(self) -> list[tuple[str, ...]]:
        """The actions as the rows of a table with :data:`ACTION_COLUMNS`."""
        return [
            (a.said, a.action, a.who, f"{a.due_on:%-d %B %Y}", a.standing) for a in self.actions
        ]

    def meeting_lines(self) -> list[str]:
        if self.meeting is None:
            return [
                "No date has been set for this meeting in coeval yet. Staff will tell you "
                "when and where it is."
            ]
        lines = [f"The meeting is on {self.meeting.held_on:%A %-d %B %Y}."]
        if self.meeting.theme:
            lines.append(f"Its theme is: {self.meeting.theme}.")
        return lines


def gather(
    workbook: Workbook,
    store: Store,
    project: str,
    period: str,
    audience: str = INTERNAL,
    large_print: bool = False,
    today: date | None = None,
) -> PackContent:
    """Everything the pack for ``project``'s meeting in quarter ``period`` says."""
    today = today or date.today()
    this = _period(workbook, period)
    found = _project(store, project)
    shown = Audience.of(audience, workbook.settings.disclosure)
    meeting = upcoming_meeting(store, found.id, this.label, today)
    day = meeting.held_on if meeting is not None else today
    note, questions, scale = _questions(workbook, found, meeting)
    framework = meeting.framework if meeting and meeting.framework else found.frameworks[0]
    return PackContent(
        project_id=found.id,
        project=shown.project(found).name,
        period=this.label,
        made_on=today,
        meeting=_pack_meeting(meeting, shown),
        questions_note=note,
        questions=questions,
        scale=scale,
        results=last_quarter(workbook, store, found.id, this, shown),
        actions_by=day,
        actions=due_actions(store, found.id, this, day, today, shown),
        consultations=open_consultations(workbook, day),
        take_part=_take_part(meeting),
        on_paper=_on_paper(found.id, framework),
        large_print=large_print,
    )


def _period(workbook: Workbook, period: str) -> Period:
    try:
        return parse_period(period, workbook.settings.period_scheme)
    except PeriodError as exc:
        raise PeriodError(f"--period: {exc}") from None


def _project(store: Store, project: str) -> Project:
    found = next((p for p in store.projects() if p.id == project), None)
    if found is None:
        raise NotFoundError(f"--project {project!r}: no such project; see `coeval project list`")
    if not found.frameworks:
        raise NotFoundError(
            f"--project {project}: it is not rated against any framework, so its meeting has "
            "no questions to send; see `coeval project list`"
        )
    return found


def _pack_meeting(meeting: Meeting | None, shown: Audience) -> PackMeeting | None:
    if meeting is None:
        return None
    return PackMeeting(meeting.held_on, shown.text(meeting.theme), meeting.code)


def _questions(
    workbook: Workbook, project: Project, meeting: Meeting | None
) -> tuple[str, tuple[PackQuestion, ...], tuple[tuple[str, str], ...]]:
    """What the meeting will ask: its chosen questions when it is set up, otherwise every
    question of the project's first framework (what `coeval meeting` covers unless told)."""
    if meeting is not None and meeting.consultation:
        known = load_consultations(workbook.consultations_dir)
        if meeting.consultation in known:
            consultation = known[meeting.consultation]
            asked = tuple(
                PackQuestion(n, q.text, q.help)
                for n, q in enumerate(consultation.questions, start=1)
            )
            note = f"The meeting asks for your views on {consultation.title}."
            return note, asked, ()
    frameworks = load_frameworks(workbook.frameworks_dir)
    if meeting is not None and meeting.framework in frameworks:
        fw = frameworks[meeting.framework]
        chosen = [fw.item(i) for i in meeting.items if fw.has_item(i)] or list(fw.items)
        note = f"These are the questions chosen for the meeting, from {fw.title}."
    else:
        fw = frameworks[project.frameworks[0]]
        chosen = list(fw.items)
        note = (
            "No meeting has been set up ahead yet, so these are all the questions of "
            f"{fw.title}: the ones a meeting of this project asks unless the facilitator "
            "chooses fewer."
        )
    return note, _numbered(fw, chosen), _scale(fw)


def _numbered(fw: Framework, chosen: list[Item]) -> tuple[PackQuestion, ...]:
    themed = any(len(section.items) > 1 for section in fw.sections)
    out, seen = [], set()
    for n, item in enumerate(chosen, start=1):
        title = fw.section(item.section).title if themed else ""
        out.append(PackQuestion(n, item.question, item.help, "" if title in seen else title))
        seen.add(title)
    return tuple(out)


def _scale(fw: Framework) -> tuple[tuple[str, str], ...]:
    levels = tuple((level.label, level.help) for level in fw.scale)
    return (*levels, (DONT_KNOW_LABEL, "You are not sure, or it does not apply to you."))


def _take_part(meeting: Meeting | None) -> tuple[str, ...]:
    if meeting is None:
        return (
            "Bring this paper to the meeting: it has the questions and last quarter's results.",
            "On the day, the facilitator will show everyone how to answer.",
        )
    return (
        "On the day, scan the QR code on the screen or open the link the facilitator "
        "sends, and type the code.",
        "You answer on your own phone, tablet or laptop. You do not give your name: you "
        "only say how you take part, for example as a carer or as staff.",
        "Bring this paper too, if it helps: it has the questions and last quarter's results.",
    )


def _on_paper(project: str, framework: str) -> tuple[str, ...]:
    return (
        "If you would rather answer on paper, ask staff for a paper form. There is a "
        "large-print form too.",
        "Tick one box for each question, then give or post the form back. Staff type the "
        "answers in, without your name.",
        f"For staff: print the form with `coeval form --project {project} --framework "
        f"{framework} --out forms` (add --large-print for large print).",
    )
