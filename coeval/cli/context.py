"""What every `coeval` subcommand shares: the workbook and database (opened only when a
command needs them), and the options several commands take."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from coeval.config import Workbook
from coeval.exceptions import ConfigError
from coeval.frameworks import Frameworks, builtin_frameworks, load_frameworks
from coeval.ids import PROJECT_ID_RULE
from coeval.store import Store
from coeval.vocabulary import AUDIENCES, PROJECT_ID


class Context:
    """What the subcommands share: the workbook and database, opened only when needed."""

    def __init__(self, workbook: str | None, db: str | None):
        self.workbook_arg = workbook
        self.db_arg = db
        self._workbook: Workbook | None = None
        self._store: Store | None = None

    @property
    def workbook(self) -> Workbook:
        if self._workbook is None:
            self._workbook = Workbook.open(self.workbook_arg, self.db_arg)
        return self._workbook

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store.open(self.workbook.db_url)
        return self._store

    def frameworks(self) -> Frameworks:
        try:
            return load_frameworks(self.workbook.frameworks_dir)
        except ConfigError:
            if self.workbook_arg:
                raise
            return Frameworks(builtin_frameworks())  # outside a workbook: the shipped ones

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


pass_context = click.make_pass_decorator(Context)


def audience_option(default: str, text: str) -> Callable[[Callable[..., Any]], Any]:
    """The --audience option: who an output is for."""
    return click.option(
        "--audience",
        type=click.Choice(AUDIENCES),
        default=default,
        show_default=True,
        help=text,
    )


def language_option(what: str) -> Callable[[Callable[..., Any]], Any]:
    """The --language option: the language of an output's own words (see
    :func:`chosen_language`)."""
    return click.option(
        "--language",
        metavar="CODE",
        help=f"The language of {what}, like cy for Welsh (default: the workbook's "
        "[workbook] language). A draft translation says so at the top.",
    )


def chosen_language(obj: Context, language: str | None) -> str:
    """The language asked for with --language (checked: English or one the interface has a
    file for), or the workbook's."""
    from coeval.exceptions import CoevalError
    from coeval.i18n import ENGLISH_CODE, about, languages

    if language is None:
        return obj.workbook.language
    known = (ENGLISH_CODE, *languages())
    if language not in known:
        named = [f"{code} ({about(code)[0]})" for code in known[1:]]
        raise CoevalError(
            f"--language {language!r}: coeval has no words in that language; use one of: "
            f"{', '.join([f'{ENGLISH_CODE} (English)', *named])}"
        )
    return language


def check_id(value: str, option: str) -> str:
    if not PROJECT_ID.match(value):
        raise click.BadParameter(f"{value!r}: {PROJECT_ID_RULE}", param_hint=option)
    return value
