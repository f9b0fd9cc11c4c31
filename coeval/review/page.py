"""The quarterly review of one project: each dashboard section, ready to display.

A section is a heading, a plain-language summary worked out from the data, a chart and the
same data as a table. Every number passes through the audience's disclosure rules
(coeval.disclosure) before it is shown, charted or summarised.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from coeval.config import Workbook
from coeval.disclosure import SUPPRESSED
from coeval.html import Header
from coeval.review.data import LOW_CONFIDENCE, TREND_QUARTERS, ReviewData
from coeval.review.practice import PracticeSections
from coeval.review.scores import ScoreSections

__all__ = ["LOW_CONFIDENCE", "TREND_QUARTERS", "QuarterlyReview", "ReviewData"]


class QuarterlyReview(ScoreSections, PracticeSections):
    """The sections of a project's quarterly review, ready to display."""

    @classmethod
    def load(
        cls,
        workbook: str | Workbook,
        project: str,
        period: str,
        frameworks: list[str] | None = None,
        audience: str = "internal",
    ) -> QuarterlyReview:
        book = workbook if isinstance(workbook, Workbook) else Workbook.open(workbook)
        with book.store() as store:
            return cls(ReviewData.load(book, store, project, period, frameworks, audience))

    @property
    def title(self) -> str:
        return f"Quarterly review: {self.data.project.name}, {self.data.period.label}"

    def sections(self) -> list[Any]:
        """Every part of the page, in order."""
        parts: list[Any] = [self.header(), self.headline()]
        parts += [
            self.principles(),
            self.making_it_real(),
            self.voices(),
            self.trend(),
            self.actions(),
            self.making_it_real_plan(),
            self.reach(),
            self.evidence(),
            self.consultations(),
            self.method(),
            self.glossary(),
        ]
        return [p for p in parts if p is not None]

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
        ids = {f.id for f in self.data.frameworks}
        contents = [("headline", "Headline scores")]
        if "healthwatch-six" in ids:
            contents.append(("principles", "The six co-production principles"))
        if "making-it-real" in ids:
            contents.append(("making-it-real", "Making It Real: I and We statements"))
        contents += [
            ("voices", "Lived experience and workforce"),
            ("trend", "Over the last four quarters"),
            ("actions", "You said, we did"),
        ]
        if "making-it-real" in ids:
            contents.append(("mir-plan", "Making It Real action plan"))
        contents += [
            ("reach", "Who we reached"),
            ("evidence", "What people told us"),
            ("consultations", "Consultations"),
            ("method", "How the scores are worked out"),
            ("glossary", "Words used on this page"),
        ]
        return Header(self.title, lines, note, contents)
