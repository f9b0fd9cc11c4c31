"""`coeval database`: the workbook's database, and moving it (from SQLite to a shared
PostgreSQL server, say) without losing a row. Registered on the main command in
coeval.cli.main."""

from __future__ import annotations

import os
from pathlib import Path

import click

from coeval.cli.context import Context, pass_context
from coeval.config import ENV_DB, Workbook, database_url
from coeval.store.address import Remembered, remember_database
from coeval.store.copy import Copied, copy_database
from coeval.store.database import display_url


@click.group("database")
def database() -> None:
    """The workbook's database: copy it to another, such as a shared PostgreSQL server."""


@database.command("copy")
@click.option(
    "--to",
    "target",
    required=True,
    metavar="URL",
    help="The database to copy to, new or empty: a URL such as "
    "postgresql+psycopg://coeval@db.example.org:5432/coeval, or a SQLite file.",
)
@click.option(
    "--keep-settings",
    is_flag=True,
    help="Only copy: the workbook goes on using the database it uses now.",
)
@pass_context
def copy(obj: Context, target: str, keep_settings: bool) -> None:
    """Copy every table of the workbook's database to another, then use that one.

    The target must hold no coeval data; its tables are made if it has none. Everything is
    copied in one transaction, ids and all, and kept only if every table's row count matches,
    so a failure leaves the target as it was. The workbook's database cannot be written while
    the copy runs, and is left as it was: stop meetings, imports and scheduled runs first, as
    what they write after the switch goes to the new database only. The new database is
    recorded in coeval.toml as [database] url, and a password in URL is kept in data/pgpass
    (readable by you only), never in coeval.toml.
    """
    book = obj.workbook
    to = database_url(target, Path.cwd())
    copied = copy_database(obj.store, to, say=lambda line: click.echo(line, err=True))
    click.echo(f"Copied {display_url(book.db_url)} to {display_url(to)}:")
    for line in _table(copied):
        click.echo(f"  {line}")
    click.echo("Every table holds the same number of rows in both.")
    if keep_settings:
        click.echo(
            f"The workbook still uses {display_url(book.db_url)} (--keep-settings); give "
            "--db URL to a command to use the copy."
        )
        return
    remembered = remember_database(book.root, to)
    _say_switched(book, to, remembered, obj.db_arg)


def _table(copied: list[Copied]) -> list[str]:
    width = max(len("table"), *(len(c.table) for c in copied))
    digits = max(len("rows"), *(len(f"{c.rows:,}") for c in copied))
    lines = [f"{'table':<{width}}  {'rows':>{digits}}"]
    lines += [f"{c.table:<{width}}  {c.rows:>{digits},}" for c in copied]
    return lines


def _say_switched(book: Workbook, to: str, remembered: Remembered, given: str | None) -> None:
    where = f"[database] url in {book.config_path}" if remembered.url else "its own file"
    click.echo(f"The workbook now uses {display_url(to)} ({where}).")
    if remembered.password_file is not None:
        click.echo(f"Its password is kept in {remembered.password_file}, not in coeval.toml.")
    click.echo(
        f"{display_url(book.db_url)} is unchanged, but what is written from now on goes to "
        "the new database only."
    )
    if given:
        where = ENV_DB if os.environ.get(ENV_DB) == given else "--db"
        click.echo(
            f"Note: {where} named the database copied from, and it comes before the "
            "workbook's setting: stop giving it, so that commands use the new database."
        )
    elif book.settings.database_url:
        click.echo(
            f'To go back to it, set url = "{book.settings.database_url}" under [database] in '
            "coeval.toml again."
        )
    else:
        click.echo("To go back to it, delete the [database] section of coeval.toml.")
