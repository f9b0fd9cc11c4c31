"""Imports, meetings, evidence, actions and activities as they are recorded."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from coeval.exceptions import ActionError, NotFoundError, StoreError
from coeval.periods import parse_period
from coeval.store import schema as s
from coeval.store.base import _new_id, default_actor, utcnow
from coeval.store.ratings import Ratings
from coeval.vocabulary import ACTION_STATUSES, FINISHED, OPEN

if TYPE_CHECKING:
    import pandas as pd
else:
    from coeval.lazy import pandas as pd


def _rating_key(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return (row["project_id"], row["period"], row["framework_id"], row["item_id"], row["rater_id"])


def _answer(row: Mapping[str, Any]) -> tuple[Any, bool]:
    return (row["score"], bool(row["dont_know"]))


class Records(Ratings):
    """Imports, evidence, actions and activities (and surveys, which bring ratings too); part
    of :class:`coeval.store.Store`."""

    def find_import(self, kind: str, digest: str) -> Mapping[str, Any] | None:
        with self.read() as conn:
            row = conn.execute(
                select(s.imports).where(s.imports.c.kind == kind, s.imports.c.digest == digest)
            )
            found = row.mappings().first()
        return dict(found) if found else None

    def record_import(
        self,
        conn: Connection,
        kind: str,
        digest: str,
        filename: str,
        stored_path: str,
        row_count: int,
        actor: str | None = None,
    ) -> int:
        result = conn.execute(
            s.imports.insert().values(
                kind=kind,
                digest=digest,
                filename=filename,
                stored_path=stored_path,
                row_count=row_count,
                imported_at=utcnow(),
                actor=actor or default_actor(),
            )
        )
        import_id = _new_id(result)
        self.audit(
            conn, "import", kind, str(import_id), {"file": filename, "rows": row_count}, actor
        )
        return import_id

    def mark_imports_purged(
        self,
        before: datetime,
        judge: Callable[[list[str]], Mapping[str, Any]],
        actor: str | None = None,
    ) -> list[str]:
        """Mark every import made before ``before`` (not purged yet) as purged, and log it
        with ``judge``'s account of their kept files, in one transaction; returns their
        stored paths. The files are the caller's to remove, once this has returned."""
        i = s.imports.c
        with self.write() as conn:
            query = select(i.id, i.stored_path).where(i.imported_at < before, i.purged_at.is_(None))
            rows = conn.execute(query.order_by(i.id)).all()
            if not rows:
                return []
            ids = [row.id for row in rows]
            conn.execute(s.imports.update().where(i.id.in_(ids)).values(purged_at=utcnow()))
            paths = [str(row.stored_path) for row in rows]
            logged = ",".join(map(str, ids[:20]))
            self.audit(conn, "purge", "imports", logged, judge(paths), actor)
        return paths

    def add_survey(
        self,
        conn: Connection,
        ratings: Sequence[Mapping[str, Any]],
        comments: Sequence[Mapping[str, Any]],
        import_id: int,
        actor: str | None = None,
    ) -> tuple[int, int]:
        """Store a survey export's ratings and comments inside the caller's transaction,
        leaving out what is stored already: a rating equal to the person's latest for that
        item and quarter, and a comment whose key is stored. Returns (ratings, comments)."""
        latest = self._latest_scores(conn, ratings)
        new = [r for r in ratings if latest.get(_rating_key(r)) != _answer(r)]
        keys = [c["idempotency_key"] for c in comments]
        taken: set[str] = set()
        for start in range(0, len(keys), 500):
            query = select(s.evidence.c.idempotency_key).where(
                s.evidence.c.idempotency_key.in_(keys[start : start + 500])
            )
            taken.update(conn.execute(query).scalars())
        fresh = [
            {**c, "import_id": import_id} for c in comments if c["idempotency_key"] not in taken
        ]
        stored = (
            self.add_ratings(new, source="survey", actor=actor, conn=conn, import_id=import_id)
            if new
            else 0
        )
        if fresh:
            self.add_evidence(fresh, actor, conn)
        return stored, len(fresh)

    def _latest_scores(
        self, conn: Connection, ratings: Sequence[Mapping[str, Any]]
    ) -> dict[tuple[Any, ...], tuple[Any, bool]]:
        """Each (project, period, framework, item, rater)'s latest stored answer, for the
        raters in ``ratings``."""
        r = s.ratings.c
        raters = sorted({row["rater_id"] for row in ratings})
        latest: dict[tuple[Any, ...], tuple[Any, bool]] = {}
        for start in range(0, len(raters), 500):
            query = (
                select(
                    r.project_id,
                    r.period,
                    r.framework_id,
                    r.item_id,
                    r.rater_id,
                    r.score,
                    r.dont_know,
                )
                .where(r.rater_id.in_(raters[start : start + 500]))
                .order_by(r.recorded_at, r.id)
            )
            for row in conn.execute(query):
                latest[tuple(row[:5])] = (row[5], bool(row[6]))
        return latest

    # -- evidence, actions, activities -----------------------------------------

    def _insert(
        self,
        table: str,
        rows: Sequence[Mapping[str, Any]],
        actor: str | None,
        conn: Connection | None,
    ) -> list[int]:
        if conn is None:
            with self.write() as own:
                return self._insert(table, rows, actor, own)
        ids = []
        now = utcnow()
        target = s.metadata.tables[table]
        stamps = {"created_at": now, **({"updated_at": now} if "updated_at" in target.c else {})}
        for row in rows:
            result = conn.execute(target.insert().values(**stamps, **row))
            ids.append(_new_id(result))
        self.audit(conn, "add", table, ",".join(map(str, ids[:20])), {"count": len(ids)}, actor)
        return ids

    def add_evidence(
        self,
        rows: Sequence[Mapping[str, Any]],
        actor: str | None = None,
        conn: Connection | None = None,
    ) -> list[int]:
        return self._insert("evidence", rows, actor, conn)

    def add_actions(
        self,
        rows: Sequence[Mapping[str, Any]],
        actor: str | None = None,
        conn: Connection | None = None,
    ) -> list[int]:
        """Store actions. One recorded as already under way (not open) gets that as its
        first review, in the quarter it was raised, so its history starts there."""
        if conn is None:
            with self.write() as own:
                return self.add_actions(rows, actor, own)
        for row in rows:
            if row.get("status", OPEN) not in ACTION_STATUSES:
                raise StoreError(
                    f"action status {row['status']!r}; use one of: {', '.join(ACTION_STATUSES)}"
                )
        ids = self._insert("actions", rows, actor, conn)
        reviews = [
            {
                "action_id": action_id,
                "period": row["period"],
                "status": row["status"],
                "reason": row.get("reason"),
                "outcome": row.get("outcome"),
                "at": utcnow(),
                "actor": actor or default_actor(),
            }
            for action_id, row in zip(ids, rows, strict=True)
            if row.get("status", OPEN) != OPEN
        ]
        if reviews:
            conn.execute(s.action_updates.insert(), reviews)
        return ids

    def add_activity(
        self,
        row: Mapping[str, Any],
        reach: Mapping[str, int],
        actor: str | None = None,
        conn: Connection | None = None,
        groups: Sequence[str] = (),
    ) -> int:
        """Store an engagement activity, how many took part by role, and which of the
        workbook's seldom-heard groups it reached."""
        if conn is None:
            with self.write() as own:
                return self.add_activity(row, reach, actor, own, groups)
        (activity_id,) = self._insert("activities", [row], actor, conn)
        counted = [{"activity_id": activity_id, "role": r, "count": n} for r, n in reach.items()]
        if counted:
            conn.execute(s.activity_reach.insert(), counted)
        if groups:
            conn.execute(
                s.activity_groups.insert(),
                [{"activity_id": activity_id, "group_name": g} for g in dict.fromkeys(groups)],
            )
        return activity_id

    def table(self, name: str) -> pd.DataFrame:
        """A whole table as a frame (for reports and tests)."""
        target = s.metadata.tables[name]
        with self.read() as conn:
            rows = conn.execute(select(target)).mappings().all()
        return pd.DataFrame(rows, columns=list(target.c.keys()))

    def review_action(
        self,
        action_id: int,
        period: str,
        status: str,
        reason: str | None,
        outcome: str | None,
        actor: str | None = None,
        scheme: str = "calendar",
    ) -> None:
        """Record an action's review in ``period`` (its status then, and why), keeping the
        history; refused for an unknown action or a quarter before it was raised."""
        now = utcnow()
        with self.write() as conn:
            row = conn.execute(select(s.actions).where(s.actions.c.id == action_id)).mappings()
            found = row.first()
            if found is None:
                raise NotFoundError(f"there is no action {action_id}; see `coeval actions list`")
            raised = parse_period(found["period"], scheme)
            if parse_period(period, scheme).start < raised.start:
                raise ActionError(
                    f"--period {period} is before the action was raised ({raised.label})"
                )
            conn.execute(
                s.actions.update()
                .where(s.actions.c.id == action_id)
                .values(status=status, reason=reason, outcome=outcome, updated_at=now)
            )
            conn.execute(
                s.action_updates.insert().values(
                    action_id=action_id,
                    period=period,
                    status=status,
                    reason=reason,
                    outcome=outcome,
                    at=now,
                    actor=actor or default_actor(),
                )
            )
            detail = {"status": status, "period": period}
            self.audit(conn, "review", "action", str(action_id), detail, actor)

    def tell_action(
        self, action_id: int, how: str, told_on: date, actor: str | None = None
    ) -> bool:
        """Record that the group was told action ``action_id``'s outcome, ``how`` and on
        ``told_on``; False when that was already recorded (telling twice stores it once).
        Refused for an unknown action or one still open or in progress."""
        with self.write() as conn:
            found = conn.execute(
                select(s.actions.c.status).where(s.actions.c.id == action_id)
            ).first()
            if found is None:
                raise NotFoundError(f"there is no action {action_id}; see `coeval actions list`")
            if found.status not in FINISHED:
                raise ActionError(
                    f"action {action_id} is still {found.status.replace('_', ' ')}: record its "
                    f"outcome first (coeval actions review {action_id} --status done ...)"
                )
            t = s.action_told.c
            seen = select(t.id).where(t.action_id == action_id, t.how == how, t.told_on == told_on)
            if conn.execute(seen).first() is not None:
                return False
            conn.execute(
                s.action_told.insert().values(
                    action_id=action_id,
                    how=how,
                    told_on=told_on,
                    at=utcnow(),
                    actor=actor or default_actor(),
                )
            )
            detail = {"how": how, "told_on": told_on.isoformat()}
            self.audit(conn, "told", "action", str(action_id), detail, actor)
        return True

    def add_consultation_answers(
        self, conn: Connection, rows: Sequence[Mapping[str, Any]], import_id: int | None
    ) -> int:
        """Store checked consultation answers inside the caller's transaction; new raters
        become participants."""
        now = utcnow()
        self.ensure_participants(conn, rows)
        conn.execute(
            s.consultation_answers.insert(),
            [{"meeting_id": None, **r, "import_id": import_id, "created_at": now} for r in rows],
        )
        return len(rows)
