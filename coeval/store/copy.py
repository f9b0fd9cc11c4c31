"""Copying a workbook's database to another: from SQLite to a shared PostgreSQL server, or from
any database coeval uses to any other.

Every table of the schema (:data:`coeval.store.schema.metadata`, so a new table is copied
without being listed here) is copied with its keys, in batches, inside one transaction on the
target, which is committed only when every table's row count matches: a failure anywhere
leaves the target as it was. The target must hold no coeval data. The source is held still
while it is read (on SQLite by its write lock, on PostgreSQL by SHARE locks), so nothing
written during the copy is left behind in it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, func, inspect, select
from sqlalchemy.exc import DBAPIError

from coeval.exceptions import StoreError
from coeval.store import schema as s
from coeval.store.address import same_database
from coeval.store.core import Store, create_schema
from coeval.store.database import database_problem, display_url

#: How many rows are read and written at a time.
BATCH = 2000
#: Where the target is named, for messages.
TARGET = "--to"

Say = Callable[[str], object]


@dataclass(frozen=True)
class Copied:
    """One table copied, and how many rows it holds in both databases."""

    table: str
    rows: int


def copy_database(
    source: Store, target_url: str, say: Say | None = None, batch: int = BATCH
) -> list[Copied]:
    """Copy every table of ``source`` to the database at ``target_url`` (which must hold no
    coeval data; its schema is made if it has none), in one transaction, and check that each
    table holds as many rows in both. ``say`` hears the progress, table by table."""
    tell = say or (lambda _line: None)
    if same_database(source.url, target_url):
        raise StoreError(
            f"{TARGET} {display_url(target_url)} is the database this workbook already uses; "
            "give another"
        )
    tables = _tables(source)
    made = _new_file(target_url)
    target = Store(target_url, TARGET)
    try:
        fresh = _empty_target(target)
        with _held_still(source, tables) as src, target.write() as dst:
            copied = _copy_tables(src, dst, tables, fresh, tell, batch, source)
    except BaseException:
        target.close()
        for path in made:  # a SQLite file made for the copy goes with it
            path.unlink(missing_ok=True)
        raise
    target.close()
    return copied


def _tables(source: Store) -> list[Table]:
    """The schema's tables, each after those its rows refer to. A table in the source that the
    schema does not know would be left behind, so the copy is refused."""
    with source.read() as conn:
        present = set(inspect(conn).get_table_names())
    unknown = sorted(present - set(s.metadata.tables))
    if unknown:
        raise StoreError(
            f"the workbook's database holds tables this coeval does not know "
            f"({', '.join(unknown)}), which a copy would leave behind; nothing was copied. "
            "Upgrade coeval, then copy again"
        )
    return list(s.metadata.sorted_tables)


def _new_file(url: str) -> list[Path]:
    """A SQLite target that does not exist yet: its files, to remove if the copy fails."""
    path = Path(url.split("///", 1)[-1])
    if not url.startswith("sqlite") or path.exists():
        return []
    return [path, *(path.with_name(path.name + end) for end in ("-wal", "-shm", "-journal"))]


def _count(conn: Connection, table: Table, store: Store) -> int:
    try:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())
    except DBAPIError as exc:
        raise StoreError(database_problem(exc, store.url, store.named_by)) from None


def _empty_target(target: Store) -> bool:
    """True when the target has no tables yet. One holding coeval data, or tables of
    something else, is refused before anything is written to it; an empty coeval schema is
    brought up to date."""
    shown = f"{TARGET} {display_url(target.url)}"
    try:
        present = set(inspect(target.engine).get_table_names())
        if not present:
            return True
        if "meta" not in present:
            raise StoreError(
                f"{shown} holds tables that are not coeval's ({', '.join(sorted(present)[:3])}"
                "); nothing was changed. Give a new, empty database"
            )
        with target.read() as conn:
            held = [
                (table.name, rows)
                for table in s.metadata.sorted_tables
                if table.name in present - {"meta"} and (rows := _count(conn, table, target))
            ]
        if held:
            more = f" and {len(held) - 1} other tables" if len(held) > 1 else ""
            raise StoreError(
                f"{shown} already holds coeval data ({held[0][1]} rows in {held[0][0]}{more}); "
                "nothing was changed. Copy into a new, empty database"
            )
        target._prepare()
    except DBAPIError as exc:
        raise StoreError(database_problem(exc, target.url, TARGET)) from None
    return False


@contextmanager
def _held_still(source: Store, tables: list[Table]) -> Iterator[Connection]:
    """A transaction on the source that no one else may write to while it lasts: SQLite's
    write lock, or SHARE locks on every table of PostgreSQL (writers wait for the end)."""
    with source.write() as conn:
        if conn.dialect.name == "postgresql":
            quote = conn.dialect.identifier_preparer.quote
            names = ", ".join(quote(table.name) for table in tables)
            conn.exec_driver_sql(f"LOCK TABLE {names} IN SHARE MODE")
        yield conn


def _batches(
    src: Connection, table: Table, batch: int, source: Store
) -> Iterator[list[dict[str, Any]]]:
    """The rows of ``table`` in key order, ``batch`` at a time."""
    query = select(table).order_by(*table.primary_key.columns).execution_options(yield_per=batch)
    try:
        for rows in src.execute(query).mappings().partitions():
            yield [dict(row) for row in rows]
    except DBAPIError as exc:
        raise StoreError(database_problem(exc, source.url, source.named_by)) from None


def _copy_tables(
    src: Connection,
    dst: Connection,
    tables: list[Table],
    fresh: bool,
    tell: Say,
    batch: int,
    source: Store,
) -> list[Copied]:
    if fresh:
        create_schema(dst)
    dst.execute(s.meta.delete())  # the source's own (same schema version) replaces it
    copied = []
    for table in tables:
        total = _count(src, table, source)
        tell(f"Copying {table.name}: {total:,} row{'' if total == 1 else 's'}")
        done = 0
        for rows in _batches(src, table, batch, source):
            try:
                dst.execute(table.insert(), rows)
            except DBAPIError as exc:
                raise StoreError(
                    f"copying {table.name} to {TARGET} failed, so nothing was copied: "
                    + database_problem(exc, "", TARGET)
                ) from None
            done += len(rows)
            if total > batch:
                tell(f"  {table.name}: {done:,} of {total:,} rows")
        copied.append(Copied(table.name, total))
    if dst.dialect.name == "postgresql":
        _restart_sequences(dst, tables)
    for done_table in copied:
        table = s.metadata.tables[done_table.table]
        found = dst.execute(select(func.count()).select_from(table)).scalar_one()
        if found != done_table.rows:
            raise StoreError(
                f"after copying, {done_table.table} holds {found} rows in the target against "
                f"{done_table.rows} in the workbook's database; nothing was copied. Check that "
                "nothing else writes to the target, and copy again"
            )
    return copied


def _restart_sequences(dst: Connection, tables: list[Table]) -> None:
    """Rows keep their ids, which PostgreSQL's sequences do not see: each sequence is set to
    go on after the largest id copied (or to start at 1 for an empty table)."""
    for table in tables:
        column = table.autoincrement_column
        if column is None:
            continue
        top = select(func.max(column)).scalar_subquery()
        sequence = func.pg_get_serial_sequence(table.name, column.name)
        dst.execute(select(func.setval(sequence, func.coalesce(top, 1), top.is_not(None))))
