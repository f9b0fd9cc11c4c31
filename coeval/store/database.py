"""The database as people are told about it: its address with any password hidden, how long
a write waits for a busy SQLite file and a connection for a silent server, and what each kind
of failure means, in one plain line.
"""

from __future__ import annotations

import os
import re

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from coeval.config import LIBPQ_SCHEMES

BUSY_TIMEOUT_S = 30
ENV_BUSY_TIMEOUT = "COEVAL_BUSY_TIMEOUT"
#: Where a workbook's database is named, for messages that say what to check.
NAMED_BY = "--db, COEVAL_DB or [database] url in coeval.toml"
CONNECT_TIMEOUT_S = 15


def busy_timeout() -> float:
    """How long (seconds) a write waits for another writer to finish on SQLite before it is
    refused as busy: ``COEVAL_BUSY_TIMEOUT``, else 30."""
    try:
        return max(0.0, float(os.environ.get(ENV_BUSY_TIMEOUT, BUSY_TIMEOUT_S)))
    except ValueError:
        return float(BUSY_TIMEOUT_S)


def connect_timeout(url: str) -> int | None:
    """How many seconds to wait for a PostgreSQL server to answer, unless the address or
    ``PGCONNECT_TIMEOUT`` says (libpq itself would wait as long as the network does)."""
    if url.partition("://")[0] not in LIBPQ_SCHEMES or "connect_timeout=" in url:
        return None
    return None if os.environ.get("PGCONNECT_TIMEOUT") else CONNECT_TIMEOUT_S


def unusable_address(exc: BaseException, url: str, named_by: str = NAMED_BY) -> str:
    """Why an address cannot be used at all: its driver is missing, or it is no address."""
    shown = display_url(url)
    if isinstance(exc, ImportError):
        module = exc.name or str(exc)
        extra = "`pip install 'coeval[postgres]'`"
        fix = f"install it with {extra}"
        if not module.startswith("psycopg"):
            fix = f"install it (`pip install {module}`), or use postgresql+psycopg:// after {extra}"
        return (
            f"the database driver for {shown} is not installed (no module {module}); {fix}; "
            f"or check {named_by}"
        )
    return (
        f"{shown} is not a database address coeval can use; check {named_by}: write it like "
        "postgresql+psycopg://USER@HOST:5432/DATABASE, or give a SQLite file's path"
    )


def display_url(url: str) -> str:
    """A database URL as it may be printed: any password, in the address or among its
    options (``?password=``), replaced by ***."""
    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        shown = re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)
    return re.sub(r"(?i)([?&](?:ssl)?pass(?:word|wd)?=)[^&]*", r"\1***", shown)


def database_problem(exc: BaseException, url: str, named_by: str = NAMED_BY) -> str:
    """One plain line for a database failure: what happened and what to do (``named_by``
    says where the database's address was given). It never repeats the database's own
    message, which can hold the SQL and the values of a row (a person's words), and never
    shows a password."""
    found = str(getattr(exc, "orig", None) or exc).lower()
    where = f" {display_url(url)}" if url else ""
    for words, message in _DATABASE_PROBLEMS:
        if any(word in found for word in words):
            return message.format(where=where, named_by=named_by)
    kind = type(getattr(exc, "orig", None) or exc).__name__
    return (
        f"the database{where} refused the change ({kind}); nothing was changed. Try again, "
        "and if it happens again check the database with your administrator"
    )


_DATABASE_PROBLEMS: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("database is locked", "database table is locked", "lock timeout"),
        "the database{where} is busy: another program kept it locked for longer than coeval "
        "waits. Nothing was changed; try again in a minute, and check that no other coeval "
        "command or database tool is holding it open",
    ),
    (
        ("disk is full", "no space left", "disk full", "could not extend file"),
        "there is no space left for the database{where}. Nothing was changed; free some disk "
        "space, then try again",
    ),
    (
        ("readonly", "read-only", "read only"),
        "the database{where} cannot be written (it is read-only). Nothing was changed; "
        "check the file's permissions, or that the disk is not mounted read-only",
    ),
    (
        ("permission denied for", "must be owner of"),
        "the database{where} does not allow this user that (its role lacks a right: see "
        '"What the database role needs" in docs/scale.md). Nothing was changed; ask its '
        "administrator to grant it, or check the user name in {named_by}",
    ),
    (
        ("unable to open database file", "permission denied"),
        "cannot open the database{where}: check that its folder exists and that you may "
        "read and write it",
    ),
    (
        ("password authentication failed", "authentication failed", 'role "'),
        "the server for the database{where} refused the user name or password; check "
        "{named_by} (a password can also come from PGPASSWORD or ~/.pgpass)",
    ),
    (
        ('database "',),
        "the server has no database{where}: create it first (`createdb NAME`, or CREATE "
        "DATABASE as a user allowed to), or check that {named_by} names the right one",
    ),
    (
        (
            "connection refused",
            "could not connect",
            "could not translate host name",
            "name or service not known",
            "timeout expired",
            "server closed the connection",
            "connection timed out",
            "no route to host",
            "is the server running",
        ),
        "cannot reach the server for the database{where}: check that it is running and that "
        "{named_by} gives the right address",
    ),
    (
        ("file is not a database", "malformed", "disk i/o error"),
        "the database{where} is damaged or could not be read. Nothing was changed; restore "
        "it from a backup (a copy is kept as coeval.db.before-vN when coeval upgrades it)",
    ),
)
