"""The durable store: every rating, piece of evidence, action and activity.

SQLite by default, PostgreSQL for shared deployments, through SQLAlchemy Core. On SQLite each
connection uses WAL, foreign keys and a busy timeout, and every write runs in a short
``BEGIN IMMEDIATE`` transaction: a deferred transaction that reads and then writes fails at
once when another process got there first, while an immediate one waits its turn.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, func, inspect, select
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from coeval.exceptions import StoreError
from coeval.store import schema as s
from coeval.store.database import (
    NAMED_BY,
    busy_timeout,
    connect_timeout,
    database_problem,
    display_url,
    unusable_address,
)
from coeval.store.meetings import Meetings
from coeval.store.migrations import MIGRATIONS
from coeval.store.projects import Projects
from coeval.store.reads import Reads


def _private_database(path: Path, named_by: str) -> None:
    """Make sure a SQLite file's folder exists and that the file is readable by its owner
    only (SQLite gives its -wal and -shm files the same permissions as the database)."""
    folder = path.parent
    if not folder.is_dir():
        raise StoreError(
            f"the folder for the database ({folder}) does not exist; run `coeval init` or "
            f"check {named_by}"
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


#: The advisory lock taken by whoever creates the schema on PostgreSQL (one creator at once).
CREATE_LOCK = 20261122


def create_schema(conn: Connection) -> None:
    """Make every table of the current schema, the append-only guard and the version mark,
    inside the caller's transaction (on PostgreSQL, holding :data:`CREATE_LOCK`)."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(CREATE_LOCK)))
    s.metadata.create_all(conn)
    for ddl in s.APPEND_ONLY.get(conn.dialect.name, ()):
        conn.exec_driver_sql(ddl)
    conn.execute(s.meta.insert().values(key="schema_version", value=str(s.SCHEMA_VERSION)))


class Store(Projects, Meetings, Reads):
    """Reads and writes one coeval database. Open with :meth:`Store.open`.

    Every database failure (busy, disk full, server unreachable...) comes out of a read or a
    write as a :class:`StoreError` of one plain line (see :func:`database_problem`)."""

    def __init__(self, url: str, named_by: str = NAMED_BY):
        """``named_by`` says where the address was given, for messages (an option or file)."""
        self.url = url
        self.named_by = named_by
        self.is_sqlite = url.startswith("sqlite")
        kwargs: dict[str, Any] = {"hide_parameters": True}
        if self.is_sqlite:
            path = url.split("///", 1)[-1]
            if path and path != ":memory:":
                _private_database(Path(path), named_by)
            kwargs["connect_args"] = {"timeout": busy_timeout()}
        elif timeout := connect_timeout(url):  # an unreachable server is reported, not awaited
            kwargs["connect_args"] = {"connect_timeout": timeout}
        try:
            self.engine = create_engine(url, **kwargs)
        except (SQLAlchemyError, ImportError, ValueError) as exc:
            raise StoreError(unusable_address(exc, url, named_by)) from None
        if self.is_sqlite:
            _sqlite_events(self.engine)

    # -- opening and schema -------------------------------------------------------------

    @classmethod
    def open(cls, url: str, named_by: str = NAMED_BY) -> Store:
        """Open the database, creating it or migrating it to the current schema."""
        store = cls(url, named_by)
        try:
            store._prepare()
        except DBAPIError as exc:
            store.close()
            raise StoreError(database_problem(exc, url, named_by)) from None
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
            raise StoreError(database_problem(exc, self.url, self.named_by)) from None

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A consistent read snapshot."""
        try:
            with self.engine.connect() as conn, conn.begin():
                yield conn
        except DBAPIError as exc:
            raise StoreError(database_problem(exc, self.url, self.named_by)) from None

    @contextmanager
    def exclusive(self, name: str) -> Iterator[bool]:
        """Hold the lock called ``name`` in the database while the block runs, so that no
        other process, on any machine sharing this database, holds it at the same time.
        Yields False (holding nothing) when another holds it. On PostgreSQL a session
        advisory lock, released when the block ends or the connection is lost; on SQLite,
        whose database is on this machine, the caller's file lock does this, and this yields
        True."""
        if self.is_sqlite:
            yield True
            return
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
        try:
            conn = self.engine.connect()
        except DBAPIError as exc:
            raise StoreError(database_problem(exc, self.url, self.named_by)) from None
        try:
            taken = conn.exec_driver_sql(f"SELECT pg_try_advisory_lock({key})").scalar()
            conn.commit()
            if not taken:
                yield False
                return
            try:
                yield True
            finally:
                conn.exec_driver_sql(f"SELECT pg_advisory_unlock({key})")
                conn.commit()
        finally:
            conn.close()

    def schema_version(self) -> int:
        with self.read() as conn:
            value = conn.execute(select(s.meta.c.value).where(s.meta.c.key == "schema_version"))
            return int(value.scalar_one())

    def _prepare(self) -> None:
        existing = set(inspect(self.engine).get_table_names())
        if not existing:
            with self.write() as conn:
                if conn.dialect.name == "postgresql":  # one creator when several start at once
                    conn.execute(select(func.pg_advisory_xact_lock(CREATE_LOCK)))
                if "meta" not in inspect(conn).get_table_names():
                    create_schema(conn)
            return
        if "meta" not in existing:
            raise StoreError(
                f"{display_url(self.url)} is a database, but not a coeval one (it has no meta "
                f"table); check that {self.named_by} names a coeval database or a new file"
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

    def _migrate(self, version: int) -> None:
        if self.is_sqlite:
            path = Path(self.url.split("///", 1)[-1])
            copy = path.with_name(f"{path.name}.before-v{s.SCHEMA_VERSION}")
            shutil.copy2(path, copy)
            copy.chmod(0o600)
        with self.write() as conn:
            for step in range(version + 1, s.SCHEMA_VERSION + 1):
                MIGRATIONS[step](conn)
            conn.execute(
                s.meta.update()
                .where(s.meta.c.key == "schema_version")
                .values(value=str(s.SCHEMA_VERSION))
            )
            self.audit(conn, "migrate", "schema", str(s.SCHEMA_VERSION), {"from": version})
