"""What every part of the store shares: the clock, who is acting, a project, and the
connections and audit log each part of :class:`coeval.store.Store` uses."""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from coeval.store import schema as s

if TYPE_CHECKING:
    import pandas as pd
else:
    from coeval.lazy import pandas as pd


def utcnow() -> datetime:
    """Now, as the naive UTC time the database stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def default_actor() -> str:
    """Who is making a change, for the audit log: ``COEVAL_ACTOR`` or the login name."""
    try:
        return os.environ.get("COEVAL_ACTOR") or getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


@dataclass(frozen=True)
class Project:
    id: str
    name: str
    frameworks: tuple[str, ...]
    active: bool


def _new_id(result: Any) -> int:
    """The primary key an INSERT just made."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def insert_or_ignore(conn: Connection, table: Any, *unique: str) -> Any:
    """An INSERT that skips rows clashing with an existing key (by ``unique`` columns if
    given), in the SQL of the database at hand (SQLite and PostgreSQL)."""
    insert: Any
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table).on_conflict_do_nothing(index_elements=list(unique) or None)


#: One value, several (any of them), or None (no condition): how reads are narrowed.
Among = str | Sequence[str] | None


def where_among(query: Any, column: Any, value: Among) -> Any:
    """``query`` narrowed to rows whose ``column`` is ``value`` (or one of its values)."""
    if isinstance(value, str):
        return query.where(column == value)
    if value is not None:
        return query.where(column.in_(list(value)))
    return query


class StoreBase:
    """The connections and audit log, provided by :class:`coeval.store.Store`; the parts of
    the store (projects, ratings, records, reads) are written against these."""

    def read(self) -> AbstractContextManager[Connection]:  # pragma: no cover - the Store's
        raise NotImplementedError

    def write(self) -> AbstractContextManager[Connection]:  # pragma: no cover - the Store's
        raise NotImplementedError

    def audit(
        self,
        conn: Connection,
        action: str,
        entity: str,
        entity_id: str,
        detail: Mapping[str, Any] | None = None,
        actor: str | None = None,
    ) -> None:
        """Record a change in the audit log, inside the caller's write transaction."""
        conn.execute(
            s.audit.insert().values(
                at=utcnow(),
                actor=actor or default_actor(),
                action=action,
                entity=entity,
                entity_id=entity_id,
                detail=json.dumps(detail or {}, default=str, sort_keys=True),
            )
        )

    def audit_log(self) -> pd.DataFrame:
        with self.read() as conn:
            rows = conn.execute(select(s.audit).order_by(s.audit.c.id)).mappings().all()
        return pd.DataFrame(rows, columns=list(s.audit.c.keys()))

    def ensure_participants(self, conn: Connection, rows: Iterable[Mapping[str, Any]]) -> None:
        """Record each new rater id with the role they first rated in; never a name."""
        first_role: dict[str, str] = {}
        for row in rows:
            if row["rater_id"] is not None:
                first_role.setdefault(row["rater_id"], row.get("role") or "unknown")
        if not first_role:
            return
        now = utcnow()
        values = [
            {"id": rater, "role": role, "created_at": now} for rater, role in first_role.items()
        ]
        # another writer may add the same new rater at the same moment: the first one wins
        conn.execute(insert_or_ignore(conn, s.participants), values)
