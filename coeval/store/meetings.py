"""Meetings as the store keeps them: opening one, every write to an open one, and what the
screens in the room read back.

Every change to a meeting runs through :meth:`Meetings.meeting_write`: one short write
transaction that reads the meeting's row first and refuses it once closed (or unknown), so a
closed meeting stays closed whichever screen, process or machine a write comes from. The
meeting rules (who may answer, which questions it covers) are checked by
:mod:`coeval.meeting` inside that same transaction, through :class:`MeetingWrite`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Select, func, select

from coeval.exceptions import MeetingError, NotFoundError
from coeval.store import schema as s
from coeval.store.base import _new_id, insert_or_ignore, utcnow
from coeval.store.records import Records
from coeval.vocabulary import MEETING_CLOSED, MEETING_OPEN

if TYPE_CHECKING:
    import pandas as pd
else:
    from coeval.lazy import pandas as pd

#: The columns of a meeting's answers, as :meth:`Meetings.meeting_ratings` returns them.
ANSWER_COLUMNS = ("framework_id", "item_id", "rater_id", "role", "score", "dont_know", "note")
#: The columns of a meeting's consultation views (:meth:`Meetings.meeting_views`).
VIEW_COLUMNS = ("question_id", "rater_id", "answer", "comment", "consent_to_publish")

UNKNOWN = "there is no meeting with that code; check it with the facilitator"
CLOSED = "this meeting has closed, so nothing more can be added or changed"


def _which(meeting_id: int | None, code: str | None) -> Select[Any]:
    query = select(s.meetings)
    if meeting_id is not None:
        return query.where(s.meetings.c.id == meeting_id)
    return query.where(s.meetings.c.code == (code or ""))


class MeetingWrite:
    """One write transaction on an open meeting (made by :meth:`Meetings.meeting_write`):
    its row as read inside the transaction, and the writes a meeting takes."""

    def __init__(self, store: Meetings, conn: Connection, row: Mapping[str, Any]):
        self._store = store
        self._conn = conn
        self.row = dict(row)
        self.id: int = self.row["id"]

    def member_role(self, rater: str) -> str | None:
        """The role ``rater`` joined this meeting in, or None if they have not joined."""
        p = s.meeting_people.c
        query = select(p.role).where(p.meeting_id == self.id, p.rater_id == rater)
        role = self._conn.execute(query).scalar()
        return None if role is None else str(role)

    def project_frameworks(self) -> set[str]:
        """The frameworks the meeting's project uses now."""
        f = s.project_frameworks.c
        query = select(f.framework_id).where(f.project_id == self.row["project_id"])
        return set(self._conn.execute(query).scalars())

    def update(self, values: Mapping[str, Any], actor: str | None, detail: Any = None) -> None:
        """Change the meeting's own fields (what it covers, where it is, its date...); every
        screen sees the change at its next poll (:meth:`Meetings.meeting_marks`)."""
        m = s.meetings.c
        changed = s.meetings.update().where(m.id == self.id)
        self._conn.execute(changed.values(**values, version=m.version + 1))
        logged = detail if detail is not None else _loggable(values)
        self._store.audit(self._conn, "update", "meeting", str(self.id), logged, actor)

    def _add_once(self, table: Any, values: Mapping[str, Any]) -> bool:
        now = utcnow()
        self._store.ensure_participants(self._conn, [values])
        row = {**values, "meeting_id": self.id, "import_id": None, "created_at": now}
        row.setdefault("recorded_at", now)
        done = self._conn.execute(insert_or_ignore(self._conn, table, "idempotency_key"), [row])
        if done.rowcount:
            m = s.meetings.c
            counted = s.meetings.update().where(m.id == self.id)
            self._conn.execute(counted.values(answers_saved=m.answers_saved + 1))
        return bool(done.rowcount)

    def add_rating(self, values: Mapping[str, Any]) -> bool:
        """Store one answer given in the meeting, in its project and quarter; False if an
        answer with the same idempotency key is stored already."""
        row = {
            "project_id": self.row["project_id"],
            "period": self.row["period"],
            "source": "meeting",
            **values,
        }
        return self._add_once(s.ratings, row)

    def add_view(self, values: Mapping[str, Any]) -> bool:
        """Store one view on a consultation question given in the meeting; False if one
        with the same idempotency key is stored already."""
        return self._add_once(
            s.consultation_answers, {"project_id": self.row["project_id"], **values}
        )

    def add_member(self, rater: str, role: str, rejoin_digest: str, actor: str | None) -> None:
        """Record someone joining: their random rater id, role and rejoin-code digest."""
        self._store.ensure_participants(self._conn, [{"rater_id": rater, "role": role}])
        self._conn.execute(
            s.meeting_people.insert().values(
                meeting_id=self.id,
                rater_id=rater,
                role=role,
                rejoin_digest=rejoin_digest,
                joined_at=utcnow(),
            )
        )
        self._store.audit(self._conn, "join", "meeting", str(self.id), {"role": role}, actor)

    def add_actions(self, rows: Sequence[Mapping[str, Any]], actor: str | None) -> list[int]:
        """Store actions agreed in the meeting."""
        return self._store.add_actions(rows, actor, self._conn)

    def replace_attendance(self, counts: Mapping[str, int], actor: str | None) -> None:
        """How many came, by role, replacing any counts recorded before."""
        a = s.attendance
        self._conn.execute(a.delete().where(a.c.meeting_id == self.id))
        now = utcnow()
        rows = [
            {"meeting_id": self.id, "role": role, "count": n, "updated_at": now}
            for role, n in counts.items()
            if n
        ]
        if rows:
            self._conn.execute(a.insert(), rows)
        self._store.audit(self._conn, "attendance", "meeting", str(self.id), dict(counts), actor)


def _loggable(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()}


class Meetings(Records):
    """Meetings; part of :class:`coeval.store.Store`. A meeting's writes are ratings,
    evidence and actions too, so this part builds on those."""

    def add_meeting(
        self,
        project_id: str,
        period: str,
        held_on: date,
        theme: str,
        mode: str,
        code: str | None = None,
        actor: str | None = None,
        conn: Connection | None = None,
        covers: Mapping[str, Any] | None = None,
    ) -> int:
        """Record a new, open meeting (covering ``covers``: a framework or consultation
        and its items, when given)."""
        if conn is None:
            with self.write() as own:
                return self.add_meeting(
                    project_id, period, held_on, theme, mode, code, actor, own, covers
                )
        result = conn.execute(
            s.meetings.insert().values(
                project_id=project_id,
                period=period,
                held_on=held_on,
                theme=theme,
                mode=mode,
                code=code,
                status=MEETING_OPEN,
                created_at=utcnow(),
                **(covers or {}),
            )
        )
        meeting_id = _new_id(result)
        self.audit(conn, "add", "meeting", str(meeting_id), {"project": project_id}, actor)
        return meeting_id

    def meeting_code_taken(self, conn: Connection, code: str) -> bool:
        """Does a meeting have this join code already (read in the caller's transaction)?"""
        taken = conn.execute(select(s.meetings.c.id).where(s.meetings.c.code == code))
        return taken.first() is not None

    def close_meeting(self, meeting_id: int, actor: str | None = None) -> None:
        with self.write() as conn:
            done = conn.execute(
                s.meetings.update()
                .where(s.meetings.c.id == meeting_id)
                .values(status=MEETING_CLOSED, closed_at=utcnow(), version=s.meetings.c.version + 1)
            )
            if done.rowcount != 1:
                raise NotFoundError(f"no meeting {meeting_id}")
            self.audit(conn, "close", "meeting", str(meeting_id), None, actor)

    def meeting_record(
        self, meeting_id: int | None = None, code: str | None = None
    ) -> dict[str, Any] | None:
        """A meeting's row, by id or join code; None if there is none."""
        with self.read() as conn:
            row = conn.execute(_which(meeting_id, code)).mappings().first()
        return None if row is None else dict(row)

    def meeting_marks(self, meeting_id: int) -> tuple[int, int] | None:
        """The meeting's two change counters, ``(version, answers_saved)``, in one small
        read: what a screen polls, re-reading the meeting only when one has moved. None if
        there is no such meeting."""
        m = s.meetings.c
        query = select(m.version, m.answers_saved).where(m.id == meeting_id)
        with self.read() as conn:
            row = conn.execute(query).first()
        return None if row is None else (int(row[0]), int(row[1]))

    @contextmanager
    def meeting_write(
        self, meeting_id: int | None = None, code: str | None = None
    ) -> Iterator[MeetingWrite]:
        """A write transaction on an open meeting (by id or join code); refused with
        :class:`MeetingError` if it is unknown or closed, read inside the transaction."""
        with self.write() as conn:
            row = conn.execute(_which(meeting_id, code)).mappings().first()
            if row is None:
                raise MeetingError(UNKNOWN)
            if row["status"] != MEETING_OPEN:
                raise MeetingError(CLOSED)
            yield MeetingWrite(self, conn, dict(row))

    def meeting_ratings(
        self,
        meeting_id: int,
        framework: str | None = None,
        item: str | None = None,
        rater: str | None = None,
    ) -> pd.DataFrame:
        """Every answer given in a meeting (history included), oldest first, of one
        framework, item and person when given; columns :data:`ANSWER_COLUMNS`."""
        rows = self.meeting_answers(meeting_id, framework, item, rater)
        return pd.DataFrame(rows, columns=list(ANSWER_COLUMNS))

    def meeting_answers(
        self,
        meeting_id: int,
        framework: str | None = None,
        item: str | None = None,
        rater: str | None = None,
    ) -> list[dict[str, Any]]:
        """As :meth:`meeting_ratings`, as plain rows (what a participant's screen reads,
        without loading pandas)."""
        r = s.ratings.c
        query = select(*(r[c] for c in ANSWER_COLUMNS)).where(r.meeting_id == meeting_id)
        for column, value in (("framework_id", framework), ("item_id", item), ("rater_id", rater)):
            if value is not None:
                query = query.where(r[column] == value)
        with self.read() as conn:
            return [
                dict(row) for row in conn.execute(query.order_by(r.recorded_at, r.id)).mappings()
            ]

    def meeting_rating_count(self, meeting_id: int) -> int:
        """How many answers (history included) a meeting has taken."""
        r = s.ratings.c
        query = select(func.count()).select_from(s.ratings).where(r.meeting_id == meeting_id)
        with self.read() as conn:
            return int(conn.execute(query).scalar_one())

    def meeting_views(self, meeting_id: int) -> pd.DataFrame:
        """Every consultation view given in a meeting (history included), oldest first;
        columns :data:`VIEW_COLUMNS`."""
        return pd.DataFrame(self.meeting_view_rows(meeting_id), columns=list(VIEW_COLUMNS))

    def meeting_view_rows(self, meeting_id: int) -> list[dict[str, Any]]:
        """As :meth:`meeting_views`, as plain rows (no pandas)."""
        c = s.consultation_answers.c
        query = select(*(c[name] for name in VIEW_COLUMNS)).where(c.meeting_id == meeting_id)
        with self.read() as conn:
            return [
                dict(row) for row in conn.execute(query.order_by(c.recorded_at, c.id)).mappings()
            ]

    def meeting_member(self, meeting_id: int, rejoin_digest: str) -> tuple[str, str] | None:
        """The rater id and role of whoever joined with this rejoin-code digest, if anyone."""
        p = s.meeting_people.c
        query = select(p.rater_id, p.role).where(
            p.meeting_id == meeting_id, p.rejoin_digest == rejoin_digest
        )
        with self.read() as conn:
            found = conn.execute(query).first()
        return None if found is None else (str(found[0]), str(found[1]))

    def add_entry(
        self,
        ratings: Sequence[Mapping[str, Any]],
        evidence: Mapping[str, Any] | None,
        source: str,
        actor: str | None = None,
        meeting_id: int | None = None,
    ) -> int:
        """Store one person's typed-in answers and words in one transaction; 0 if any of
        their idempotency keys is stored already. With a meeting, refused once it closed."""
        keys = [r["idempotency_key"] for r in ratings]
        if evidence is not None:
            keys.append(evidence["idempotency_key"])
        with self.write() as conn:
            if meeting_id is not None:
                found = conn.execute(_which(meeting_id, None)).mappings().first()
                if found is None or found["status"] != MEETING_OPEN:
                    raise MeetingError(CLOSED if found else UNKNOWN)
            for table in (s.ratings, s.evidence):
                taken = select(table.c.id).where(table.c.idempotency_key.in_(keys))
                if conn.execute(taken).first() is not None:
                    return 0
            stored = self.add_ratings(ratings, source=source, actor=actor, conn=conn)
            if evidence is not None:
                self.add_evidence([evidence], actor, conn)
            return stored

    def planned_meetings(
        self,
        project_id: str,
        period: str | None = None,
        on: date | None = None,
        since: date | None = None,
    ) -> list[dict[str, Any]]:
        """A project's open meetings that have not started (no position yet), soonest first:
        of one quarter, held on one day, or held on or after ``since``, when given."""
        m = s.meetings.c
        query = select(s.meetings).where(
            m.project_id == project_id, m.status == MEETING_OPEN, m.position.is_(None)
        )
        if period is not None:
            query = query.where(m.period == period)
        if on is not None:
            query = query.where(m.held_on == on)
        if since is not None:
            query = query.where(m.held_on >= since)
        with self.read() as conn:
            rows = conn.execute(query.order_by(m.held_on, m.id)).mappings().all()
        return [dict(row) for row in rows]
