"""The quarterly review's section "Evidence for the CQC quality statements", and the same rows
for a spreadsheet (`coeval export cqc`).

A care provider inspected by the Care Quality Commission can show its co-production ratings and
what people told it against CQC's quality statements: the crosswalk (coeval.crosswalk) says
which items relate to which statement. The section appears only when one of the project's
frameworks has items in the crosswalk; every figure and every comment follows the audience's
rules, as in the rest of the review.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import pandas as pd

from coeval.crosswalk import (
    BASIS_WORDS,
    CrosswalkView,
    RelatedItem,
    evidence_view,
    load_crosswalk,
)
from coeval.html import Section, fmt, table_html
from coeval.review.data import ReviewBase, ReviewData
from coeval.review.frameworks import Sections
from coeval.text import escape, plural

CQC_ID = "cqc"
CQC_HEADING = "Evidence for the CQC quality statements"
#: What a row of the export is.
RELATED, NO_ITEM, NOT_MAPPED = "related item", "no related item", "not mapped"
EXPORT_COLUMNS = (
    "Status",
    "Key question",
    "Quality statement",
    "CQC page",
    "Framework",
    "Item id",
    "Item",
    "Score",
    "Scale",
    "Level",
    "Voices' gap",
    "Raters",
    "Evidence",
    "How linked",
    "Crosswalk version",
    "CQC pages checked",
)


def cqc_view(data: ReviewData) -> CrosswalkView:
    """The CQC crosswalk applied to one project's quarter, under the review's audience."""
    return evidence_view(
        load_crosswalk(),
        data.frameworks,
        data.docs,
        data.evidence,
        data.audience,
        data.names,
    )


def export_rows(view: CrosswalkView) -> pd.DataFrame:
    """One row per related item of each statement, one per statement with no related item and
    one per item not mapped, in :data:`EXPORT_COLUMNS` (cells not yet made spreadsheet-safe)."""
    cw = view.crosswalk
    titles = {k.id: k.title for k in cw.key_questions}
    stamp = {"Crosswalk version": cw.version, "CQC pages checked": cw.checked.isoformat()}
    rows = []
    for found in view.statements:
        s = found.statement
        where = {"Key question": titles[s.key_question], "Quality statement": s.title}
        where["CQC page"] = s.url
        for item in found.items:
            rows.append({**where, **_item_cells(item), "Status": RELATED, **stamp})
        if not found.items:
            rows.append({**where, "Status": NO_ITEM, **stamp})
    for left in view.unmapped:
        rows.append(
            {
                "Status": NOT_MAPPED,
                "Framework": left.framework_title,
                "Item id": left.item,
                "Item": left.title,
                **stamp,
            }
        )
    return pd.DataFrame([{c: row.get(c, "") for c in EXPORT_COLUMNS} for row in rows])


def _item_cells(item: RelatedItem) -> dict[str, Any]:
    return {
        "Framework": item.framework_title,
        "Item id": item.item,
        "Item": item.title,
        "Score": "" if item.score is None else item.score,
        "Scale": item.scale,
        "Level": item.level,
        "Voices' gap": "" if item.gap is None else item.gap,
        "Raters": item.raters,
        "Evidence": " | ".join(item.evidence),
        "How linked": BASIS_WORDS[item.basis],
    }


class CqcSections(ReviewBase):
    @functools.cached_property
    def _cqc_view(self) -> CrosswalkView:
        """Worked out once per page: the contents list and the section both ask."""
        return cqc_view(self.data)

    def cqc(self) -> Sections:
        """The CQC section, when one of the project's frameworks has items in the crosswalk."""
        view = self._cqc_view
        return Sections([self._cqc(view)] if view.related else [])

    def cqc_contents(self) -> list[tuple[str, str]]:
        return [(CQC_ID, CQC_HEADING)] if self._cqc_view.related else []

    def _cqc(self, view: CrosswalkView) -> Section:
        cw = view.crosswalk
        statements = [s for s in view.statements if s.items]
        summary = [
            f"{cw.name} as checked on {cw.checked_words} (crosswalk version {cw.version}; "
            f"source: {_offline(cw.source)}).",
            f"{len(statements)} of the {len(cw.statements)} quality statements have an item "
            "this project rates. Each table shows, per key question, the related items, their "
            "score this quarter on the framework's own scale, the gap between lived experience "
            "and the workforce (lived experience minus workforce), and what people agreed to "
            "share, with personal details removed.",
        ]
        if view.withheld:
            shown = self._count(view.withheld)
            summary.append(
                f"{plural(shown, 'further comment')} about these items "
                f"{'was' if shown == 1 else 'were'} given without consent to publish, so "
                f"{'it is' if shown == 1 else 'they are'} not shown."
            )
        summary.append(
            "How each item was linked: “listed by CQC” where CQC's own page names the Making "
            "It Real statement, otherwise our reading. The command coeval export cqc writes "
            "the same rows, with each statement's page on CQC's site, for an inspection folder."
        )
        tables = [
            table_html(
                self._key_question_table(view, kq.id),
                f"{kq.title}: quality statements and the related items",
                numeric=["Score", "Voices' gap", "Raters"],
            )
            for kq in cw.key_questions
        ]
        return Section(CQC_ID, CQC_HEADING, summary, tables=tables, extra=_gaps_html(view))

    def _key_question_table(self, view: CrosswalkView, key_question: str) -> pd.DataFrame:
        rows: list[dict[str, Any]] = []
        for found in view.statements:
            if found.statement.key_question != key_question:
                continue
            if not found.items:
                rows.append({"Quality statement": found.statement.title, "Item": NO_ITEM})
            for item in found.items:
                rows.append(
                    {
                        "Quality statement": found.statement.title,
                        "Item": f"{item.title} ({item.framework_title})",
                        "Score": item.score,
                        "Level": item.level or "not rated",
                        "Voices' gap": fmt(item.gap, sign=True)
                        if isinstance(item.gap, float)
                        else item.gap,
                        "Raters": item.raters,
                        "What people told us": "; ".join(f"“{q}”" for q in item.evidence),
                        "How linked": BASIS_WORDS[item.basis],
                    }
                )
        columns = [
            "Quality statement",
            "Item",
            "Score",
            "Level",
            "Voices' gap",
            "Raters",
            "What people told us",
            "How linked",
        ]
        return pd.DataFrame(rows, columns=columns).astype(object).where(lambda f: f.notna(), "")


def _gaps_html(view: CrosswalkView) -> str:
    """What the crosswalk does not cover: statements with no related item, items not mapped."""
    parts = []
    if view.without_items:
        items = "".join(f"<li>{escape(s.title)}</li>" for s in view.without_items)
        parts.append(
            "<h3>Quality statements with no related item</h3>"
            "<p>Evidence for these has to come from elsewhere.</p>"
            f"<ul>{items}</ul>"
        )
    if view.unmapped:
        items = "".join(
            f"<li>{escape(u.title)} ({escape(u.framework_title)})</li>" for u in view.unmapped
        )
        parts.append(
            "<h3>Items not mapped to a quality statement</h3>"
            "<p>These are rated by the group but do not relate to one of CQC's quality "
            f"statements.</p><ul>{items}</ul>"
        )
    return "".join(parts)


def _offline(text: str) -> str:
    """Addresses as words ("www.cqc.org.uk/..."): a published page links to nothing outside."""
    return re.sub(r"https?://", "", text)
