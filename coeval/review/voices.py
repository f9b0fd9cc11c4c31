"""The voices section of a quarterly review: lived experience against workforce, per item."""

from __future__ import annotations

import pandas as pd

from coeval import charts
from coeval.disclosure import SUPPRESSED
from coeval.html import Section, fmt, table_html
from coeval.review.data import ReviewBase
from coeval.text import plural
from coeval.vocabulary import LIVED_EXPERIENCE, WORKFORCE


class VoiceSections(ReviewBase):
    def voices(self) -> Section:
        frame = self._voice_rows()
        frame = frame.sort_values("_abs", ascending=False, kind="stable")
        summary = []
        compared = frame[frame["_abs"] >= 0]
        if len(compared):
            first = compared.iloc[0]
            summary.append(_gap_sentence(first["Item"], first["Gap"]))
            lower = int((compared["Gap"] < 0).sum())
            summary.append(
                f"On {lower} of the {len(compared)} items both voices rated, people with "
                "lived experience gave lower scores than the workforce."
            )
        else:
            summary.append("No item has enough raters from both voices to compare them.")
        hidden = int((frame["_abs"] < 0).sum())
        if hidden:
            least = (
                self.audience.rules.public_min_people
                if self.audience.public
                else self.audience.rules.internal_min_raters
            )
            summary.append(
                f"{plural(hidden, 'item')} {'is' if hidden == 1 else 'are'} shown as "
                f"{SUPPRESSED}: one voice had fewer "
                f"than {least} raters."
            )
        svg = self._voices_chart(compared)
        table = frame.drop(columns=["_scale", "_abs"])
        table["Gap"] = [fmt(g, sign=True) if isinstance(g, float) else g for g in table["Gap"]]
        return Section(
            "voices",
            "Lived experience and workforce",
            summary,
            svg,
            "Circles show the lived-experience average, squares the workforce "
            "average; the largest gaps come first.",
            [
                table_html(
                    table,
                    "Each voice's average per item, largest gaps first "
                    "(gap = lived experience minus workforce)",
                    numeric=["Lived experience", "Workforce", "Gap"],
                )
            ],
        )

    def _voice_rows(self) -> pd.DataFrame:
        """Each item both voices rated: each voice's average (or * under the rules) and the
        gap, on its framework's own scale."""
        rows = []
        for fw in self.data.frameworks:
            doc = self.data.docs[fw.id]
            for section in doc["sections"]:
                for item in section["items"]:
                    lived, work = self._voice(item, LIVED_EXPERIENCE), self._voice(item, WORKFORCE)
                    if item["gap"] is None:
                        continue
                    shown = isinstance(lived, float) and isinstance(work, float)
                    rows.append(
                        {
                            "Item": item["title"],
                            "Framework": fw.short,
                            "Lived experience": lived,
                            "Workforce": work,
                            "Gap": item["gap"] if shown else SUPPRESSED,
                            "_scale": (fw.scale_min, fw.scale_max),
                            "_abs": abs(item["gap"]) if shown else -1.0,
                        }
                    )
        frame = pd.DataFrame(
            rows,
            columns=["Item", "Framework", "Lived experience", "Workforce", "Gap", "_scale", "_abs"],
        )
        return frame

    def _voices_chart(self, compared: pd.DataFrame) -> str:
        """The largest gaps, drawn on one scale: the scale of the framework with the largest
        gap (items on other scales are in the table, never on the same axis)."""
        if not len(compared):
            return ""
        scale = compared.iloc[0]["_scale"]
        top_rows = compared[[s == scale for s in compared["_scale"]]].head(10)
        long = pd.concat(
            [
                top_rows[["Item"]].assign(
                    voice=LIVED_EXPERIENCE, mean=top_rows["Lived experience"]
                ),
                top_rows[["Item"]].assign(voice=WORKFORCE, mean=top_rows["Workforce"]),
            ]
        )
        chart = charts.voices(
            long, "Item", scale[0], scale[1], "Lived experience and workforce averages per item"
        )
        return charts.to_svg(chart, "Chart: lived experience against workforce, largest gaps first")


def _gap_sentence(item: str, gap: float) -> str:
    size = abs(gap)
    if size >= 0.95:
        amount = "a full level" if size < 1.5 else f"{size:.1f} levels"
    elif size >= 0.45:
        amount = "about half a level"
    else:
        amount = "a little"
    if gap < 0:
        return (
            f"People with lived experience rated \u201c{item}\u201d {amount} lower than "
            "the workforce did."
        )
    if gap > 0:
        return (
            f"People with lived experience rated \u201c{item}\u201d {amount} higher than "
            "the workforce did."
        )
    return f"Both voices gave \u201c{item}\u201d the same average score."
