"""What the reviews, the portfolio and feedback read from the store, one query each.

Callers ask for what they need (a project's activities in a quarter, the updates of some
actions) and get a frame with the table's columns; nothing above the store filters whole
tables in pandas.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, Table, select

from coeval.store import schema as s
from coeval.store.base import Among, StoreBase, where_among

if TYPE_CHECKING:
    import pandas as pd
else:
    from coeval.lazy import pandas as pd


def _ids(values: Iterable[Any]) -> list[int]:
    return sorted({int(v) for v in values})


class Reads(StoreBase):
    """What reviews read; part of :class:`coeval.store.Store`."""

    def _frame(self, table: Table, query: Select[Any]) -> pd.DataFrame:
        with self.read() as conn:
            rows = conn.execute(query).mappings().all()
        return pd.DataFrame(rows, columns=list(table.c.keys()))

    def _where(self, table: Table, project: Among, period: Among) -> Select[Any]:
        query = where_among(select(table).order_by(table.c.id), table.c.project_id, project)
        return where_among(query, table.c.period, period)

    def activities(self, project: Among = None, period: Among = None) -> pd.DataFrame:
        """Engagement activities, of one project and quarter (or quarters) when given."""
        return self._frame(s.activities, self._where(s.activities, project, period))

    def activity_reach(self, activity_ids: Iterable[Any]) -> pd.DataFrame:
        """How many people of each role the given activities reached."""
        r = s.activity_reach.c
        query = select(s.activity_reach).where(r.activity_id.in_(_ids(activity_ids)))
        return self._frame(s.activity_reach, query.order_by(r.activity_id, r.role))

    def activity_groups(self, activity_ids: Iterable[Any]) -> pd.DataFrame:
        """Which seldom-heard groups the given activities reached."""
        g = s.activity_groups.c
        query = select(s.activity_groups).where(g.activity_id.in_(_ids(activity_ids)))
        return self._frame(s.activity_groups, query.order_by(g.activity_id, g.group_name))

    def evidence(self, project: Among = None, period: Among = None) -> pd.DataFrame:
        """Evidence (quotes, letters, notes), of one project and quarter when given."""
        return self._frame(s.evidence, self._where(s.evidence, project, period))

    def actions(self, project: Among = None, meeting: int | None = None) -> pd.DataFrame:
        """Every action raised, for one project (or agreed in one meeting) when given; each
        quarter's review of them is in :meth:`action_updates`."""
        query = self._where(s.actions, project, None)
        if meeting is not None:
            query = query.where(s.actions.c.meeting_id == meeting)
        return self._frame(s.actions, query)

    def action_updates(self, action_ids: Iterable[Any]) -> pd.DataFrame:
        """Each review of the given actions, oldest first."""
        u = s.action_updates.c
        query = select(s.action_updates).where(u.action_id.in_(_ids(action_ids)))
        return self._frame(s.action_updates, query.order_by(u.at, u.id))

    def action_told(self, action_ids: Iterable[Any]) -> pd.DataFrame:
        """Each time the group was told one of the given actions' outcomes, earliest first."""
        t = s.action_told.c
        query = select(s.action_told).where(t.action_id.in_(_ids(action_ids)))
        return self._frame(s.action_told, query.order_by(t.told_on, t.id))

    def meetings(self, project: Among = None, period: Among = None) -> pd.DataFrame:
        """Meetings, of one project and quarter when given."""
        return self._frame(s.meetings, self._where(s.meetings, project, period))

    def attendance(self, meeting_ids: Iterable[Any]) -> pd.DataFrame:
        """How many people of each role came to the given meetings."""
        a = s.attendance.c
        query = select(s.attendance).where(a.meeting_id.in_(_ids(meeting_ids)))
        return self._frame(s.attendance, query.order_by(a.meeting_id, a.role))

    def consultation_answers(
        self, project: Among = None, consultation: str | None = None
    ) -> pd.DataFrame:
        """Every answer given to a consultation's questions (history included), oldest
        first; of one project and one consultation when given."""
        c = s.consultation_answers.c
        query = select(s.consultation_answers).order_by(c.recorded_at, c.id)
        query = where_among(query, c.project_id, project)
        query = where_among(query, c.consultation_id, consultation)
        return self._frame(s.consultation_answers, query)
