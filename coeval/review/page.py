"""The quarterly review of one project: each dashboard section, ready to display.

A section is a heading, a plain-language summary worked out from the data, a chart and the
same data as a table. Every number passes through the audience's disclosure rules
(coeval.disclosure) before it is shown, charted or summarised. Which framework sections a page
has follows from how each framework's file says it is presented.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from coeval.config import Workbook
from coeval.disclosure import SUPPRESSED
from coeval.frameworks.model import PLACEMENT, PRINCIPLES, STATEMENTS
from coeval.html import Header
from coeval.review.about import AboutSections
from coeval.review.cqc import CqcSections
from coeval.review.data import LOW_CONFIDENCE, ReviewData
from coeval.review.frameworks import (
    FrameworkSections,
    plan_heading,
    plan_id,
    section_heading,
    section_id,
)
from coeval.review.headline import HeadlineSections
from coeval.review.inputs import TREND_QUARTERS, ReviewInputs
from coeval.review.practice import PracticeSections
from coeval.review.voices import VoiceSections
from coeval.store import Store
from coeval.vocabulary import INTERNAL

__all__ = ["LOW_CONFIDENCE", "TREND_QUARTERS", "QuarterlyReview", "ReviewData"]


class QuarterlyReview(
    HeadlineSections, FrameworkSections, VoiceSections, PracticeSections, CqcSections, AboutSections
):
    """The sections of a project's quarterly review, ready to display."""

    @classmethod
    def load(
        cls,
        workbook: str | Workbook,
        project: str,
        period: str,
        frameworks: list[str] | None = None,
        audience: str = INTERNAL,
    ) -> QuarterlyReview:
        book = workbook if isinstance(workbook, Workbook) else Workbook.open(workbook)
        with Store.open(book.db_url) as store:
            inputs = ReviewInputs.read(book, store, project, period, frameworks)
        return cls(ReviewData.build(inputs, audience))

    @property
    def title(self) -> str:
        return f"Quarterly review: {self.data.project.name}, {self.data.period.label}"

    def sections(self) -> list[Any]:
        """Every part of the page, in order."""
        return [
            self.header(),
            self.headline(),
            *self.principles(),
            *self.statements(),
            *self.placements(),
            self.voices(),
            self.trend(),
            self.actions(),
            *self.plans(),
            self.reach(),
            self.evidence(),
            *self.cqc(),
            self.consultations(),
            self.method(),
            self.glossary(),
        ]

    # -- sections -----------------------------------------------------------------------------

    def header(self) -> Header:
        d = self.data
        lines = [
            f"Project: {d.project.name}. Quarter: {d.period.label} "
            f"({d.period.start:%-d %B %Y} to {d.period.end:%-d %B %Y}).",
            f"Made on {datetime.now(UTC):%-d %B %Y}.",
        ]
        note = ""
        if self.audience.public:
            rules = self.audience.rules
            note = (
                f"Public version: figures based on fewer than {rules.public_min_people} "
                f"people are shown as {SUPPRESSED}, counts of people are rounded to the "
                f"nearest {rules.public_round_to}, and only comments people agreed to "
                "publish appear, with personal details removed."
            )
        return Header(self.title, lines, note, self.contents(), self.index_summary())

    def contents(self) -> list[tuple[str, str]]:
        """The page's sections, as (id, heading), in the order :meth:`sections` gives them."""
        fws = self.data.frameworks
        own = [
            (section_id(fw, fws), section_heading(fw))
            for kind in (PRINCIPLES, STATEMENTS, PLACEMENT)
            for fw in fws
            if fw.presentation == kind
        ]
        plans = [(plan_id(fw), plan_heading(fw)) for fw in fws if fw.presentation == STATEMENTS]
        return [
            ("headline", "Headline scores"),
            *own,
            ("voices", "Lived experience and workforce"),
            ("trend", "Over the last four quarters"),
            ("actions", "You said, we did"),
            *plans,
            ("reach", "Who we reached"),
            ("evidence", "What people told us"),
            *self.cqc_contents(),
            ("consultations", "Consultations"),
            ("method", "How the scores are worked out"),
            ("glossary", "Words used on this page"),
        ]
