"""Which database a workbook keeps its data in, remembered in its settings: ``[database] url``
in ``coeval.toml`` (a file people share and copy, so never with a password), and the
password, when the address carried one, in ``data/pgpass`` (readable by its owner only, in
libpq's own format, so PostgreSQL's client library reads it and sends it to no other server).
A new workbook is made here with its database, and an existing one is never silently moved to
another (that would hide its data; ``coeval database copy`` moves it).
"""

from __future__ import annotations

import json
import re
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote_plus

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from coeval.config import (
    CONFIG_NAME,
    LIBPQ_SCHEMES,
    PASSWORD_FILE,
    Workbook,
    database_url,
    init_workbook,
    read_settings,
)
from coeval.exceptions import ConfigError, StoreError
from coeval.files import PRIVATE, write_atomic
from coeval.store.core import Store
from coeval.store.database import display_url

#: The password in an address's user part, as SQLAlchemy reads it (user:password@).
_USER_PASSWORD = re.compile(r"^([\w+]+://[^:/]*):[^@]*@")
_SECTION = re.compile(r"^\s*\[\s*database\s*\]\s*(#.*)?$")
_ANY_SECTION = re.compile(r"^\s*\[")
_URL = re.compile(r"^\s*url\s*=")
_PGPASS_NOTE = (
    "# The password of the [database] url in coeval.toml, kept here by coeval (libpq's format:\n"
    "# host:port:database:user:password). Only its owner may read this file.\n"
)


def _without_params(url: str, names: tuple[str, ...]) -> tuple[str, str]:
    """``url`` without the query options ``names``, and the value of the last one removed."""
    base, mark, query = url.partition("?")
    if not mark:
        return url, ""
    kept, found = [], ""
    for part in query.split("&"):
        key, _, value = part.partition("=")
        if unquote_plus(key) in names:
            found = unquote_plus(value)
        else:
            kept.append(part)
    return (f"{base}?{'&'.join(kept)}" if kept else base), found


def for_elsewhere(url: str) -> str:
    """``url`` as another machine should use it: without the workbook's own password file
    (``passfile=``), which is not there, so that machine's libpq finds its own (~/.pgpass,
    PGPASSWORD)."""
    return _without_params(url, ("passfile",))[0]


def split_password(url: str) -> tuple[str, str]:
    """``url`` without its password (in ``user:password@`` or ``?password=``), and the
    password ("" when it has none). The rest of the address is left as it was written."""
    try:
        given = make_url(url).password or ""
    except (ArgumentError, ValueError):
        return url, ""  # not an address SQLAlchemy reads: the store will say so
    bare, in_query = _without_params(_USER_PASSWORD.sub(r"\1@", url, count=1), ("password",))
    checked = make_url(bare)
    if checked.password or "password" in checked.query:
        raise StoreError(
            f"cannot take the password out of {display_url(url)}; leave it out of the address "
            "and give it with PGPASSWORD or ~/.pgpass"
        )
    return bare, str(given or in_query)


def same_database(one: str, other: str) -> bool:
    """Do two addresses name the same database (on the same server), whichever user, driver,
    password or connection options they give?"""
    return _identity(one) == _identity(other)


def _identity(url: str) -> tuple[str, ...]:
    try:
        address = make_url(url)
    except (ArgumentError, ValueError):
        return (url,)
    query = {key: value for key, value in address.query.items() if isinstance(value, str)}
    backend = address.get_backend_name()
    port = str(address.port or query.get("port") or ("5432" if backend == "postgresql" else ""))
    host = address.host or query.get("host") or ""
    return (backend, host, port, address.database or query.get("dbname") or "")


def pgpass_line(url: str, password: str) -> str:
    """The libpq password-file line that gives ``password`` to ``url``'s server, database and
    user only (``*`` for what the address leaves to libpq's defaults)."""
    address = make_url(url)
    query = {key: str(value) for key, value in address.query.items() if isinstance(value, str)}
    fields = [
        address.host or query.get("host") or "*",
        str(address.port or query.get("port") or "*"),
        address.database or query.get("dbname") or "*",
        address.username or query.get("user") or "*",
        password,
    ]
    return ":".join(f.replace("\\", "\\\\").replace(":", "\\:") for f in fields) + "\n"


def with_database(text: str, url: str) -> str:
    """The text of a ``coeval.toml`` with ``[database] url`` set to ``url`` (removed for
    ""), everything else in it as it was."""
    lines = text.splitlines(keepends=True)
    start = next((n for n, line in enumerate(lines) if _SECTION.match(line)), None)
    setting = [f"url = {json.dumps(url, ensure_ascii=False)}\n"] if url else []
    if start is None:
        if not url:
            return text
        gap = "\n" if text.endswith("\n") else "\n\n" if text else ""
        note = "# Set by `coeval init --db` or `coeval database copy`. Never put a password here.\n"
        return f"{text}{gap}[database]\n{note}{setting[0]}"
    end = next(
        (n for n in range(start + 1, len(lines)) if _ANY_SECTION.match(lines[n])), len(lines)
    )
    at = next((n for n in range(start + 1, end) if _URL.match(lines[n])), None)
    if at is None:
        lines[start + 1 : start + 1] = setting
    else:
        lines[at : at + 1] = setting
    return "".join(lines)


@dataclass(frozen=True)
class Remembered:
    """The database a workbook now keeps its data in: its address as written in
    ``coeval.toml``, and where its password is kept (None: it was given none)."""

    url: str
    password_file: Path | None


def remember_database(root: Path, url: str) -> Remembered:
    """Make ``url`` the workbook's own database: ``[database] url`` in ``coeval.toml``,
    without its password, which goes (if there is one) to ``data/pgpass``, written whole
    and readable by its owner only. The workbook's own SQLite file clears the setting."""
    bare, password = _keepable(url)
    config = root / CONFIG_NAME
    read_settings(config)  # a settings file with mistakes is not written over
    setting = "" if bare == database_url("", root) else bare
    text = config.read_text(encoding="utf-8")
    changed = with_database(text, setting)
    if tomllib.loads(changed).get("database", {}).get("url", "") != setting:
        raise ConfigError(
            f"{config}: coeval could not set [database] url in it (the section is written in "
            f"a way coeval does not edit); set url = {json.dumps(setting)} there by hand"
        )
    kept = root / "data" / PASSWORD_FILE
    if password:
        _keep_password(kept, bare, password)
    if changed != text:
        write_atomic(config, changed, stat.S_IMODE(config.stat().st_mode))
    return Remembered(setting, kept if password else None)


def _keepable(url: str) -> tuple[str, str]:
    """``url`` without its password, and the password, which must be one libpq can read."""
    bare, password = split_password(url)
    if password and bare.partition("://")[0] not in LIBPQ_SCHEMES:
        raise StoreError(
            "coeval keeps a password out of coeval.toml only for PostgreSQL through psycopg "
            "(postgresql+psycopg://...); use that, or leave the password out of the address "
            "and give it in the way your database's driver reads one"
        )
    return bare, password


def _keep_password(kept: Path, url: str, password: str) -> None:
    """Write ``url``'s password to the password file, in place of any earlier password for
    the same server, database and user; those for others stay (going back to one needs it)."""
    ours = pgpass_line(url, "").rstrip("\n")
    try:
        earlier = kept.read_text(encoding="utf-8").splitlines(keepends=True)
    except FileNotFoundError:
        earlier = []
    others = [line for line in earlier if not line.startswith(("#", ours)) and line.strip()]
    write_atomic(kept, "".join([_PGPASS_NOTE, *others, pgpass_line(url, password)]), PRIVATE)


def create_workbook(directory: Path | str, db: str | None = None) -> Workbook:
    """Make a workbook in ``directory`` (or check the one there) and its database: ``db``
    (``--db`` or ``COEVAL_DB``), remembered in its settings, else its own. A database that
    cannot be opened leaves nothing made; an existing workbook keeping its data elsewhere is
    refused (``coeval database copy`` moves data)."""
    folder = Path(directory).expanduser().resolve()
    wanted = database_url(db, folder) if db else ""
    if wanted:  # checked before anything is made
        _refuse_switch(folder, wanted)
        if not _inside(wanted, folder):
            Store.open(wanted, "--db or COEVAL_DB").close()
        _keepable(wanted)
    init_workbook(folder)
    book = Workbook.open(folder, db)
    Store.open(book.db_url).close()  # made, or brought up to date
    if wanted:
        remember_database(folder, wanted)
    return book


def _inside(url: str, folder: Path) -> bool:
    """Is ``url`` a SQLite file inside ``folder`` (so made with the workbook)?"""
    return url.startswith("sqlite:///") and Path(url[len("sqlite:///") :]).is_relative_to(folder)


def _refuse_switch(folder: Path, wanted: str) -> None:
    config = folder / CONFIG_NAME
    if not config.is_file():
        return
    own = read_settings(config).database_url
    current = database_url("", folder, own)
    unused = not own and not (folder / "data" / "coeval.db").exists()
    if unused or same_database(current, wanted):
        return
    raise ConfigError(
        f"{folder} already keeps its data in {display_url(current)}, so `coeval init` will not "
        f"switch it to {display_url(wanted)} (its data would drop out of sight). To move the "
        f"data there, run `coeval --workbook {folder} database copy --to URL`; to read another "
        "database once, give --db to that command"
    )
