"""The ids people give projects, which become parts of file names and web addresses.

A project id is letters, digits, ``-`` and ``_`` (up to 64, starting with a letter or digit):
it can never name another folder (``..``, ``/``) or a hidden file. It is checked when a
project is stored, whoever stores it (the command line, the library, an importer), and again
whenever an id becomes part of a path, so a row that reached the database some other way still
cannot write outside ``dashboards/``.
"""

from __future__ import annotations

from coeval.exceptions import IdError
from coeval.vocabulary import PROJECT_ID

PROJECT_ID_RULE = "use letters, digits, - and _ (up to 64, starting with a letter or digit)"


def check_project_id(value: object) -> str:
    """``value`` if it is a valid project id; otherwise :class:`IdError` naming the rule."""
    if not isinstance(value, str) or not PROJECT_ID.match(value):
        shown = repr(value)[:80]
        raise IdError(f"project id {shown} cannot be used: {PROJECT_ID_RULE}")
    return value


def path_part(value: object) -> str:
    """An id about to become part of a file name, checked again at that point."""
    return check_project_id(value)
