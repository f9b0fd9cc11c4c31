"""Ratings: stored append-only, read in the frame scoring reads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, select
from sqlalchemy.exc import IntegrityError

from coeval.exceptions import StoreError
from coeval.store import schema as s
from coeval.store.base import Among, StoreBase, utcnow, where_among
from coeval.vocabulary import RATING_COLUMNS

if TYPE_CHECKING:
    import pandas as pd
else:
    from coeval.lazy import pandas as pd

#: The ratings frame: what scoring reads, and where each rating came from.
STORED_COLUMNS = (*RATING_COLUMNS, "note", "source", "meeting_id")


class Ratings(StoreBase):
    def add_ratings(
        self,
        rows: Sequence[Mapping[str, Any]],
        *,
        source: str,
        actor: str | None = None,
        conn: Connection | None = None,
        import_id: int | None = None,
    ) -> int:
        """Append ratings (keys: project_id, period, framework_id, item_id, rater_id, role,
        score, dont_know, note, recorded_at, meeting_id); returns how many were stored."""
        if conn is None:
            with self.write() as own:
                return self.add_ratings(
                    rows, source=source, actor=actor, conn=own, import_id=import_id
                )
        now = utcnow()
        values = [
            {
                "note": None,
                "meeting_id": None,
                "idempotency_key": None,
                **row,
                "source": source,
                "import_id": import_id,
                "created_at": now,
            }
            for row in rows
        ]
        if not values:
            return 0
        self.ensure_participants(conn, values)
        try:
            conn.execute(s.ratings.insert(), values)
        except IntegrityError:
            raise StoreError(
                "the ratings could not be stored: one names a project, participant or import "
                "the database does not have, or was stored before; nothing was changed"
            ) from None
        self.audit(
            conn,
            "add",
            "ratings",
            str(import_id or ""),
            {"count": len(values), "source": source},
            actor,
        )
        return len(values)

    def ratings(
        self,
        project: Among = None,
        period: Among = None,
        framework: str | None = None,
    ) -> pd.DataFrame:
        """Every stored rating (history included) in the frame shape scoring reads, of the
        given project(s), quarter(s) and framework."""
        r = s.ratings.c
        query = select(
            r.id.label("seq"),
            r.project_id.label("project"),
            r.period,
            r.framework_id.label("framework"),
            r.item_id.label("item"),
            r.rater_id.label("rater"),
            r.role,
            r.score,
            r.dont_know,
            r.recorded_at,
            r.note,
            r.source,
            r.meeting_id,
        ).order_by(r.recorded_at, r.id)
        query = where_among(query, r.project_id, project)
        query = where_among(query, r.period, period)
        query = where_among(query, r.framework_id, framework)
        with self.read() as conn:
            rows = conn.execute(query).all()
        frame = pd.DataFrame.from_records(rows, columns=list(STORED_COLUMNS))
        frame["score"] = pd.to_numeric(frame["score"], errors="coerce").astype("float64")
        frame["dont_know"] = frame["dont_know"].astype(bool)
        frame["recorded_at"] = pd.to_datetime(frame["recorded_at"])
        frame["seq"] = frame["seq"].astype("int64")
        return frame

    def count(self, table: str) -> int:
        with self.read() as conn:
            return int(
                conn.execute(
                    select(func.count()).select_from(s.metadata.tables[table])
                ).scalar_one()
            )
