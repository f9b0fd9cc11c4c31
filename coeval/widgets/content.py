"""What a meeting asks about, behind one interface for the screens: a framework's items
(rated on its scale, plus "Don't know") or a consultation's questions (agree to disagree)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from coeval.frameworks import Framework
from coeval.i18n import ENGLISH, N_, Words
from coeval.meeting import consultation as cm
from coeval.meeting.facilitation import spread_rows
from coeval.meeting.meetings import Answer, Meeting, latest_answer, save_answer, tally
from coeval.practice.consultations import ANSWER_WORDS, Consultation
from coeval.store import Store

if TYPE_CHECKING:
    import pandas as pd
else:
    from coeval.lazy import pandas as pd

DONT_KNOW = N_("Don't know")
DONT_KNOW_HELP = N_("You are not sure, or it does not apply to you")
NO_VIEW = N_("No view")
#: One choice offered to a participant: its words, its value, and a longer help text.
Option = tuple[str, int | None, str]


@dataclass(frozen=True)
class FrameworkContent:
    """A framework's items, in the words the reader chose (``framework`` already worded:
    see :meth:`coeval.frameworks.Framework.worded`; ``language`` names its language)."""

    framework: Framework
    words: Words = field(default=ENGLISH, compare=False)
    language: str | None = None
    consensus = True  # a group's agreed answer can replace the votes
    quotes_comments = False  # comments are for the group; nothing is quoted from them

    @property
    def id(self) -> str:
        return self.framework.id

    @property
    def title(self) -> str:
        return self.framework.title

    def items(self) -> list[tuple[str, str]]:
        """(id, label) for each item, as the facilitator picks them."""
        fw = self.framework
        return [(i.id, f"{i.title} ({fw.section(i.section).title})") for i in fw.items]

    def sections(self) -> list[tuple[str, str]]:
        return [(s.title, s.id) for s in self.framework.sections]

    def heading(self, item: str) -> tuple[str, str, str, str]:
        """Title, question, help text and section of an item."""
        found = self.framework.item(item)
        section = self.framework.section(found.section).title
        return found.title, found.question, found.help, section

    @property
    def dont_know(self) -> str:
        own = self.framework.translation(self.language)
        return (own.dont_know if own else "") or self.words.gettext(DONT_KNOW)

    def options(self) -> list[Option]:
        made: list[Option] = [(lv.label, lv.value, lv.help) for lv in self.framework.scale]
        made.append((self.dont_know, None, self.words.gettext(DONT_KNOW_HELP)))
        return made

    def answer_words(self, value: int | None) -> str:
        return self.dont_know if value is None else self.framework.label(value)

    def save(self, store: Store, answer: Answer) -> bool:
        return save_answer(store, answer, self.framework)

    def tally(self, store: Store, meeting: Meeting) -> pd.DataFrame:
        return tally(store, meeting)

    def spread(self, store: Store, meeting: Meeting, item: str) -> list[dict[str, Any]]:
        rows = spread_rows(store, meeting, self.framework, item)
        return [
            row if row["value"] is not None else {**row, "answer": self.dont_know} for row in rows
        ]

    def latest(
        self, store: Store, meeting: Meeting, rater: str, item: str
    ) -> tuple[int | None, str, bool] | None:
        return latest_answer(store, meeting, rater, item)


@dataclass(frozen=True)
class ConsultationContent:
    consultation: Consultation
    words: Words = field(default=ENGLISH, compare=False)
    consensus = False  # a consultation's response shows the spread; there is no group vote
    quotes_comments = True  # the response quotes comments people agreed may be quoted

    @property
    def id(self) -> str:
        return self.consultation.id

    @property
    def title(self) -> str:
        return self.words.gettext("Consultation: {title}", title=self.consultation.title)

    def items(self) -> list[tuple[str, str]]:
        return [(q.id, q.text) for q in self.consultation.questions]

    def sections(self) -> list[tuple[str, str]]:
        return []

    def heading(self, item: str) -> tuple[str, str, str, str]:
        _ = self.words.gettext
        question = self.consultation.question(item)
        c = self.consultation
        title = _("{title}, for {consulting}", title=c.title, consulting=c.consulting)
        return title, question.text, question.help, _("Consultation")

    def options(self) -> list[Option]:
        return [(self.words.gettext(said), n, "") for n, said in enumerate(ANSWER_WORDS.values())]

    def answer_words(self, value: int | None) -> str:
        said = NO_VIEW if value is None else list(ANSWER_WORDS.values())[value]
        return self.words.gettext(said)

    def save(self, store: Store, answer: Answer) -> bool:
        return cm.save_view(store, answer, self.consultation)

    def tally(self, store: Store, meeting: Meeting) -> pd.DataFrame:
        return cm.view_tally(store, meeting)

    def spread(self, store: Store, meeting: Meeting, item: str) -> list[dict[str, Any]]:
        return cm.view_spread_rows(store, meeting, item)

    def latest(
        self, store: Store, meeting: Meeting, rater: str, item: str
    ) -> tuple[int | None, str, bool] | None:
        return cm.latest_view(store, meeting, rater, item)


Content = FrameworkContent | ConsultationContent


def content_for(
    meeting: Meeting,
    frameworks: Mapping[str, Framework],
    consultations: Mapping[str, Consultation],
    words: Words = ENGLISH,
    language: str | None = None,
) -> Content:
    """What this meeting asks about (in ``frameworks`` as given: worded in ``language``)."""
    if meeting.consultation is not None:
        return ConsultationContent(consultations[meeting.consultation], words)
    assert meeting.framework is not None
    return FrameworkContent(frameworks[meeting.framework], words, language)
