"""What goes in a pre-meeting pack, gathered once as plain data (:class:`PackContent`) and
written as a web page (:mod:`coeval.pack.page`) and a Word document (:mod:`coeval.pack.word`).

Every word that came from a person or a file is kept as it may be shown to the pack's
audience (see :mod:`coeval.disclosure`); each writer escapes it for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from coeval.config import Workbook
from coeval.disclosure import Audience
from coeval.exceptions import NotFoundError, PeriodError
from coeval.frameworks import Framework, FrameworkLanguage, Item, load_frameworks
from coeval.i18n import ENGLISH, N_, Words, words
from coeval.meeting.meetings import Meeting, spoken_code
from coeval.meeting.planning import upcoming_meeting
from coeval.pack.results import Results, last_quarter
from coeval.pack.todo import PackAction, PackConsultation, due_actions, open_consultations
from coeval.periods import Period, parse_period
from coeval.practice.consultations import load_consultations
from coeval.store import Project, Store
from coeval.vocabulary import INTERNAL

MEETING = N_("The meeting")
QUESTIONS = N_("The questions we will ask")
ACTIONS = N_("Actions due by the meeting")
CONSULTATIONS = N_("Consultations open for your views")
TAKE_PART = N_("How to take part")
ON_PAPER = N_("Answering on paper")
SCALE_CAPTION = N_("The answers you can give")
SCALE_COLUMNS = (N_("Answer"), N_("What it means"))
ACTION_COLUMNS = (
    N_("What people said"),
    N_("What we will do"),
    N_("Who will do it"),
    N_("Due"),
    N_("How it stands"),
)
CONSULTATIONS_LEAD = N_(
    "You can give your views on these at the meeting, or tell staff before they close."
)
NO_CONSULTATIONS = N_("No consultations are open for views at the moment.")


def results_heading(period: str, said: Words = ENGLISH) -> str:
    return said.gettext("What you told us last quarter ({period})", period=period)


def consultation_line(content: PackContent, consulting: str, closes: date) -> str:
    return content.words.gettext(
        "From {consulting}. Open for views until {date}.",
        consulting=consulting,
        date=content.day(closes),
    )


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
    words: Words = field(default=ENGLISH, compare=False)  # the pack's own words
    language: str = "en"  # the framework's words, and the page's language
    draft: str = ""  # the draft translation label, when the pack shows one

    @property
    def lang(self) -> str:
        return "en-GB" if self.language == "en" else self.language.replace("_", "-")

    def _(self, message: str, **values: object) -> str:
        return self.words.gettext(message, **values)

    def day(self, when: date, weekday: bool = False) -> str:
        return self.words.date(when, weekday)

    @property
    def title(self) -> str:
        return self._(
            "Before the meeting: {project}, {period}", project=self.project, period=self.period
        )

    @property
    def intro(self) -> str:
        return self._(
            "These papers are sent before the meeting so that you have time to read them "
            "first. They say what the meeting will ask, what people told us last quarter, "
            "what we promised to do by now and how to take part."
        )

    @property
    def code_line(self) -> str | None:
        """The meeting code, said first under "How to take part" when the meeting is set up."""
        if self.meeting is None:
            return None
        return self._("The meeting code is {code}.", code=self.meeting.spoken_code)

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
        return self._("Actions due by {date}", date=self.day(self.actions_by))

    @property
    def actions_lead(self) -> str:
        by = self.day(self.actions_by)
        if not self.actions:
            return self._("No unfinished actions are due by {date}.", date=by)
        return self._(
            "These actions are not finished and were due by {date}. Staff will say at the "
            "meeting how each one is going.",
            date=by,
        )

    def action_rows(self) -> list[tuple[str, ...]]:
        """The actions as the rows of a table with :data:`ACTION_COLUMNS`."""
        _ = self._
        return [
            (
                a.said,
                a.action,
                _(a.who),
                self.day(a.due_on),
                _("{status}, overdue", status=_(a.status)) if a.overdue else _(a.status),
            )
            for a in self.actions
        ]

    def meeting_lines(self) -> list[str]:
        if self.meeting is None:
            return [
                self._(
                    "No date has been set for this meeting in coeval yet. Staff will tell you "
                    "when and where it is."
                )
            ]
        lines = [self._("The meeting is on {date}.", date=self.day(self.meeting.held_on, True))]
        if self.meeting.theme:
            lines.append(self._("Its theme is: {theme}.", theme=self.meeting.theme))
        return lines


def gather(
    workbook: Workbook,
    store: Store,
    project: str,
    period: str,
    audience: str = INTERNAL,
    large_print: bool = False,
    today: date | None = None,
    language: str = "en",
) -> PackContent:
    """Everything the pack for ``project``'s meeting in quarter ``period`` says, with the
    pack's own words and the framework's in ``language`` (English where either has none)."""
    today = today or date.today()
    said = words(language)
    this = _period(workbook, period)
    found = _project(store, project)
    shown = Audience.of(audience, workbook.settings.disclosure)
    meeting = upcoming_meeting(store, found.id, this.label, today)
    day = meeting.held_on if meeting is not None else today
    note, questions, scale, own = _questions(workbook, found, meeting, said, language)
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
        results=last_quarter(workbook, store, found.id, this, shown, said),
        actions_by=day,
        actions=due_actions(store, found.id, this, day, today, shown),
        consultations=open_consultations(workbook, day),
        take_part=_take_part(meeting, said),
        on_paper=_on_paper(found.id, framework, said),
        large_print=large_print,
        words=said,
        language=language,
        draft=said.draft_label or (said.draft_named(own.name) if own and own.draft else ""),
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
    workbook: Workbook, project: Project, meeting: Meeting | None, said: Words, language: str
) -> tuple[str, tuple[PackQuestion, ...], tuple[tuple[str, str], ...], FrameworkLanguage | None]:
    """What the meeting will ask: its chosen questions when it is set up, otherwise every
    question of the project's first framework (what `coeval meeting` covers unless told);
    and the framework's translation into ``language``, when it has one."""
    _ = said.gettext
    if meeting is not None and meeting.consultation:
        known = load_consultations(workbook.consultations_dir)
        if meeting.consultation in known:
            consultation = known[meeting.consultation]
            asked = tuple(
                PackQuestion(n, q.text, q.help)
                for n, q in enumerate(consultation.questions, start=1)
            )
            note = _("The meeting asks for your views on {title}.", title=consultation.title)
            return note, asked, (), None
    frameworks = load_frameworks(workbook.frameworks_dir)
    planned = meeting.framework if meeting is not None else None
    planned = planned if planned and planned in frameworks else None
    fw = frameworks[planned or project.frameworks[0]]
    own = fw.translation(language)
    fw = fw.worded(None if language == "en" else language)
    if planned and meeting is not None:
        chosen = [fw.item(i) for i in meeting.items if fw.has_item(i)] or list(fw.items)
        note = _("These are the questions chosen for the meeting, from {title}.", title=fw.title)
    else:
        chosen = list(fw.items)
        note = _(
            "No meeting has been set up ahead yet, so these are all the questions of "
            "{title}: the ones a meeting of this project asks unless the facilitator "
            "chooses fewer.",
            title=fw.title,
        )
    dont_know = (own.dont_know if own else "") or _("Don't know")
    return note, _numbered(fw, chosen), _scale(fw, dont_know, said), own


def _numbered(fw: Framework, chosen: list[Item]) -> tuple[PackQuestion, ...]:
    themed = any(len(section.items) > 1 for section in fw.sections)
    out, seen = [], set()
    for n, item in enumerate(chosen, start=1):
        title = fw.section(item.section).title if themed else ""
        out.append(PackQuestion(n, item.question, item.help, "" if title in seen else title))
        seen.add(title)
    return tuple(out)


def _scale(fw: Framework, dont_know: str, said: Words) -> tuple[tuple[str, str], ...]:
    levels = tuple((level.label, level.help) for level in fw.scale)
    return (*levels, (dont_know, said.gettext("You are not sure, or it does not apply to you.")))


def _take_part(meeting: Meeting | None, said: Words) -> tuple[str, ...]:
    _ = said.gettext
    if meeting is None:
        return (
            _("Bring this paper to the meeting: it has the questions and last quarter's results."),
            _("On the day, the facilitator will show everyone how to answer."),
        )
    return (
        _(
            "On the day, scan the QR code on the screen or open the link the facilitator "
            "sends, and type the code."
        ),
        _(
            "You answer on your own phone, tablet or laptop. You do not give your name: you "
            "only say how you take part, for example as a carer or as staff."
        ),
        _("Bring this paper too, if it helps: it has the questions and last quarter's results."),
    )


def _on_paper(project: str, framework: str, said: Words) -> tuple[str, ...]:
    _ = said.gettext
    return (
        _(
            "If you would rather answer on paper, ask staff for a paper form. There is a "
            "large-print form too."
        ),
        _(
            "Tick one box for each question, then give or post the form back. Staff type the "
            "answers in, without your name."
        ),
        _(
            "For staff: print the form with `coeval form --project {project} --framework "
            "{framework} --out forms` (add --large-print for large print).",
            project=project,
            framework=framework,
        ),
    )
