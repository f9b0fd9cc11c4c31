"""The durable store: every rating, piece of evidence, action and activity.

SQLite by default, PostgreSQL for shared deployments, through SQLAlchemy Core. On SQLite each
connection uses WAL, foreign keys and a busy timeout, and every write runs in a short
``BEGIN IMMEDIATE`` transaction: a deferred transaction that reads and then writes fails at
once when another process got there first, while an immediate one waits its turn.
"""

from __future__ import annotations

import getpass
import json
import os
import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, create_engine, event, func, inspect, select
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from coeval.exceptions import NotFoundError, StoreError
from coeval.ids import check_project_id
from coeval.store import schema as s
from coeval.store.database import busy_timeout, database_problem, display_url
from coeval.store.reads import Reads
from coeval.text import clean
from coeval.vocabulary import ACTION_STATUSES, MEETING_CLOSED, MEETING_OPEN, OPEN
from coeval.vocabulary import RATING_COLUMNS as INPUT_COLUMNS

#: The ratings frame: what scoring reads, and where each rating came from.
RATING_COLUMNS = (*INPUT_COLUMNS, "note", "source", "meeting_id")


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


def _private_database(path: Path) -> None:
    """Make sure a SQLite file's folder exists and that the file is readable by its owner
    only (SQLite gives its -wal and -shm files the same permissions as the database)."""
    folder = path.parent
    if not folder.is_dir():
        raise StoreError(
            f"the folder for the database ({folder}) does not exist; run `coeval init` or "
            "check --db"
        )
    if not path.exists():
        try:
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        except OSError as exc:
            raise StoreError(
                f"cannot create the database {path} ({exc.strerror}); check that you may "
                "write in its folder"
            ) from None


def _sqlite_events(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below decide how each transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout() * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("coeval_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


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


class Store(Reads):
    """Reads and writes one coeval database. Open with :meth:`Store.open`.

    Every database failure (busy, disk full, server unreachable...) comes out of a read or a
    write as a :class:`StoreError` of one plain line (see :func:`database_problem`)."""

    def __init__(self, url: str):
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        kwargs: dict[str, Any] = {"hide_parameters": True}
        if self.is_sqlite:
            path = url.split("///", 1)[-1]
            if path and path != ":memory:":
                _private_database(Path(path))
            kwargs["connect_args"] = {"timeout": busy_timeout()}
        try:
            self.engine = create_engine(url, **kwargs)
        except (SQLAlchemyError, ImportError, ValueError) as exc:
            reason = str(exc) if isinstance(exc, ImportError) else type(exc).__name__
            raise StoreError(
                f"cannot use database {display_url(url)} ({reason}); check --db or COEVAL_DB"
            ) from None
        if self.is_sqlite:
            _sqlite_events(self.engine)

    # -- opening and schema -------------------------------------------------------------

    @classmethod
    def open(cls, url: str) -> Store:
        """Open the database, creating it or migrating it to the current schema."""
        store = cls(url)
        try:
            store._prepare()
        except DBAPIError as exc:
            store.close()
            raise StoreError(database_problem(exc, url)) from None
        except BaseException:
            store.close()
            raise
        return store

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A short write transaction (``BEGIN IMMEDIATE`` on SQLite)."""
        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(coeval_begin="IMMEDIATE")
                with conn.begin():
                    yield conn
        except DBAPIError as exc:
            raise StoreError(database_problem(exc, self.url)) from None

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A consistent read snapshot."""
        try:
            with self.engine.connect() as conn, conn.begin():
                yield conn
        except DBAPIError as exc:
            raise StoreError(database_problem(exc, self.url)) from None

    def schema_version(self) -> int:
        with self.read() as conn:
            value = conn.execute(select(s.meta.c.value).where(s.meta.c.key == "schema_version"))
            return int(value.scalar_one())

    def _prepare(self) -> None:
        existing = set(inspect(self.engine).get_table_names())
        if not existing:
            with self.write() as conn:
                if conn.dialect.name == "postgresql":  # one creator when several start at once
                    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(20261122)")
                if "meta" not in inspect(conn).get_table_names():
                    self._create(conn)
            return
        if "meta" not in existing:
            raise StoreError(
                f"{display_url(self.url)} is a database, but not a coeval one (it has no meta "
                "table); "
                "point --db at a coeval database or a new file"
            )
        version = self.schema_version()
        if version > s.SCHEMA_VERSION:
            raise StoreError(
                f"{display_url(self.url)} uses schema version {version}, made by a newer "
                "coeval; this "
                f"coeval knows version {s.SCHEMA_VERSION}: upgrade coeval"
            )
        if version < s.SCHEMA_VERSION:
            self._migrate(version)

    def _create(self, conn: Connection) -> None:
        s.metadata.create_all(conn)
        for ddl in s.APPEND_ONLY.get(conn.dialect.name, ()):
            conn.exec_driver_sql(ddl)
        conn.execute(s.meta.insert().values(key="schema_version", value=str(s.SCHEMA_VERSION)))

    def _migrate(self, version: int) -> None:
        if self.is_sqlite:
            path = Path(self.url.split("///", 1)[-1])
            copy = path.with_name(f"{path.name}.before-v{s.SCHEMA_VERSION}")
            shutil.copy2(path, copy)
            copy.chmod(0o600)
        with self.write() as conn:
            for step in range(version + 1, s.SCHEMA_VERSION + 1):
                s.MIGRATIONS[step](conn)
            conn.execute(
                s.meta.update()
                .where(s.meta.c.key == "schema_version")
                .values(value=str(s.SCHEMA_VERSION))
            )
            self.audit(conn, "migrate", "schema", str(s.SCHEMA_VERSION), {"from": version})

    # -- audit -----------------------------------------------------------------------------

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

    # -- projects --------------------------------------------------------------------------

    def add_project(
        self, project_id: str, name: str, frameworks: Sequence[str], actor: str | None = None
    ) -> Project:
        """Add a project. Its id must be a safe id (see coeval.ids): it becomes part of file
        names and links."""
        check_project_id(project_id)
        name = clean(name)
        if not name:
            raise StoreError("a project needs a name; give it with --name")
        with self.write() as conn:
            found = conn.execute(select(s.projects.c.id).where(s.projects.c.id == project_id))
            if found.first() is not None:
                raise StoreError(
                    f"project {project_id!r} already exists; see `coeval project list`"
                )
            conn.execute(
                s.projects.insert().values(
                    id=project_id, name=name, active=True, created_at=utcnow()
                )
            )
            conn.execute(
                s.project_frameworks.insert(),
                [{"project_id": project_id, "framework_id": f} for f in frameworks],
            )
            self.audit(
                conn,
                "add",
                "project",
                project_id,
                {"name": name, "frameworks": list(frameworks)},
                actor,
            )
        return Project(project_id, name, tuple(frameworks), True)

    def projects(self) -> list[Project]:
        with self.read() as conn:
            rows = conn.execute(select(s.projects).order_by(s.projects.c.id)).all()
            links = conn.execute(select(s.project_frameworks)).all()
        frameworks: dict[str, list[str]] = {}
        for project_id, framework_id in links:
            frameworks.setdefault(project_id, []).append(framework_id)
        return [
            Project(r.id, r.name, tuple(sorted(frameworks.get(r.id, []))), bool(r.active))
            for r in rows
        ]

    def project(self, project_id: str) -> Project:
        for project in self.projects():
            if project.id == project_id:
                return project
        raise NotFoundError(
            f"no project {project_id!r}; see `coeval project list`, or add it with "
            f"`coeval project add {project_id} --name NAME`"
        )

    # -- ratings ---------------------------------------------------------------------------

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
        project: str | None = None,
        period: str | Sequence[str] | None = None,
        framework: str | None = None,
    ) -> pd.DataFrame:
        """Every stored rating (history included) in the frame shape scoring reads."""
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
        if project is not None:
            query = query.where(r.project_id == project)
        if isinstance(period, str):
            query = query.where(r.period == period)
        elif period is not None:
            query = query.where(r.period.in_(list(period)))
        if framework is not None:
            query = query.where(r.framework_id == framework)
        with self.read() as conn:
            rows = conn.execute(query).all()
        frame = pd.DataFrame.from_records(rows, columns=list(RATING_COLUMNS))
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

    # -- imports ---------------------------------------------------------------------------

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

    # -- meetings, evidence, actions, activities -----------------------------------------

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
    ) -> int:
        if conn is None:
            with self.write() as own:
                return self.add_meeting(project_id, period, held_on, theme, mode, code, actor, own)
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
            )
        )
        meeting_id = _new_id(result)
        self.audit(conn, "add", "meeting", str(meeting_id), {"project": project_id}, actor)
        return meeting_id

    def close_meeting(self, meeting_id: int, actor: str | None = None) -> None:
        with self.write() as conn:
            done = conn.execute(
                s.meetings.update()
                .where(s.meetings.c.id == meeting_id)
                .values(status=MEETING_CLOSED, closed_at=utcnow())
            )
            if done.rowcount != 1:
                raise NotFoundError(f"no meeting {meeting_id}")
            self.audit(conn, "close", "meeting", str(meeting_id), None, actor)

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
