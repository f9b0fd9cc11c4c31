"""Steps that bring a database made by an older coeval up to ``SCHEMA_VERSION``, one version
at a time (see coeval/store/core.py, which runs them on open)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Table, delete, inspect, literal, select, update

from coeval.frameworks import builtin_frameworks
from coeval.store.schema import (
    APPEND_ONLY,
    action_told,
    action_updates,
    actions,
    activity_groups,
    attendance,
    consultation_answers,
    evidence,
    imports,
    meeting_people,
    meetings,
    metadata,
    project_frameworks,
    ratings,
)
from coeval.vocabulary import OPEN


def _add_columns(conn: Connection, table: Table, *names: str) -> None:
    """Add columns an older database lacks. A table an earlier step created from today's
    definition already has them, so those are left alone."""
    present = {column["name"] for column in inspect(conn).get_columns(table.name)}
    for name in names:
        if name in present:
            continue
        column = table.c[name]
        ddl = f"ALTER TABLE {table.name} ADD COLUMN {name} {column.type.compile(conn.dialect)}"
        if column.server_default is not None:
            default = column.server_default.arg  # type: ignore[attr-defined]
            ddl += f" NOT NULL DEFAULT {default.compile(dialect=conn.dialect)}"
        conn.exec_driver_sql(ddl)


def _v2(conn: Connection) -> None:
    """Meeting mode: what a meeting covers and where it is, and attendance by role."""
    _add_columns(conn, meetings, "framework_id", "items", "position", "revealed")
    _add_columns(conn, evidence, "idempotency_key")
    for index in evidence.indexes:
        index.create(conn)
    attendance.create(conn)


def _v3(conn: Connection) -> None:
    """Groups reached by activities, reviews of actions, consultation answers, and meetings
    that take a consultation's questions."""
    for table in (activity_groups, action_updates, consultation_answers):
        table.create(conn)
    # An action already under way before reviews were kept: its status is its first review.
    a = actions.c
    conn.execute(
        action_updates.insert().from_select(
            ["action_id", "period", "status", "reason", "outcome", "at", "actor"],
            select(
                a.id, a.period, a.status, a.reason, a.outcome, a.updated_at, literal("migration")
            ).where(a.status != OPEN),
        )
    )
    _add_columns(conn, meetings, "consultation_id")


def _v4(conn: Connection) -> None:
    """Consent to quote consultation comments (earlier answers: not given), when a kept
    import file was removed, and who joined each meeting (by rejoin code)."""
    _add_columns(conn, consultation_answers, "consent_to_publish")
    _add_columns(conn, imports, "purged_at")
    meeting_people.create(conn)


def _v5(conn: Connection) -> None:
    """A built-in framework whose file says its scale was renumbered (one whose steps are now
    numbered from 1, as its authors number them, where coeval 0.1 stored them from 0): its stored
    scores move by the difference. Ratings are append-only, so the database's guard is
    lifted for these statements only (see :func:`_unguarded`)."""
    moves = [
        (fw.id, fw.scale_min - fw.renumbered_from)
        for fw in builtin_frameworks().values()
        if fw.renumbered_from is not None and fw.scale_min != fw.renumbered_from
    ]
    shifts = [
        ratings.update()
        .where(ratings.c.framework_id == framework, ratings.c.score.is_not(None))
        .values(score=ratings.c.score + by)
        for framework, by in moves
    ]
    _unguarded(conn, shifts)


def _v6(conn: Connection) -> None:
    """The counters meeting screens poll to learn of changes."""
    _add_columns(conn, meetings, "version", "answers_saved")


def _v7(conn: Connection) -> None:
    """Where each action came from and each time the group was told its outcome; and a
    renamed built-in framework (one whose file lists its old id among its ``aliases``) takes
    its stored records under its new id."""
    _add_columns(conn, actions, "origin")
    action_told.create(conn, checkfirst=True)
    renames = [(old, fw.id) for fw in builtin_frameworks().values() for old in fw.aliases]
    if not renames:
        return
    pf = project_frameworks.c
    for old, new in renames:  # a project that has both keeps one
        has_new = select(pf.project_id).where(pf.framework_id == new).scalar_subquery()
        conn.execute(
            delete(project_frameworks).where(pf.framework_id == old, pf.project_id.in_(has_new))
        )
    renaming = [
        update(table).where(table.c.framework_id == old).values(framework_id=new)
        for table in metadata.sorted_tables
        if "framework_id" in table.c
        for old, new in renames
    ]
    _unguarded(conn, renaming)


def _unguarded(conn: Connection, statements: list[Any]) -> None:
    """Run statements that change stored ratings: ratings are append-only, so the
    database's guard is lifted for these statements only."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ALTER TABLE ratings DISABLE TRIGGER ratings_append_only")
        for statement in statements:
            conn.execute(statement)
        conn.exec_driver_sql("ALTER TABLE ratings ENABLE TRIGGER ratings_append_only")
        return
    conn.exec_driver_sql("DROP TRIGGER IF EXISTS ratings_no_update")
    for statement in statements:
        conn.execute(statement)
    for ddl in APPEND_ONLY["sqlite"]:
        conn.exec_driver_sql(ddl)


#: Steps that bring a database from version N-1 to N, keyed by N.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    2: _v2,
    3: _v3,
    4: _v4,
    5: _v5,
    6: _v6,
    7: _v7,
}
