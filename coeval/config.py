"""The workbook: where its files live and what its settings are.

A workbook is a folder with a ``coeval.toml`` settings file, ``data/`` (the SQLite database,
local frameworks, imported files kept as received) and ``dashboards/`` (generated output).
Every path coeval uses, and the database a workbook uses, is worked out here, so nothing else
hard-codes one.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from coeval.exceptions import ConfigError
from coeval.files import private_folder

# The settings file's contents are read and checked in coeval.settings; these names have
# always been imported from here.
from coeval.settings import _SETTINGS as _SETTINGS
from coeval.settings import DEFAULT_CONFIG as DEFAULT_CONFIG
from coeval.settings import DEFAULT_GROUPS as DEFAULT_GROUPS
from coeval.settings import NOTEBOOKS as NOTEBOOKS
from coeval.settings import Disclosure as Disclosure
from coeval.settings import Servers as Servers
from coeval.settings import Settings as Settings
from coeval.settings import read_settings as read_settings

CONFIG_NAME = "coeval.toml"
ENV_WORKBOOK = "COEVAL_WORKBOOK"
ENV_DB = "COEVAL_DB"
PASSWORD_FILE = "pgpass"  # in data/: the [database] url's password, in libpq's own format
LIBPQ_SCHEMES = ("postgresql", "postgresql+psycopg", "postgresql+psycopg2")


def find_workbook(start: Path | None = None) -> Path:
    """The workbook folder: ``COEVAL_WORKBOOK``, else ``start`` (this folder) or the nearest
    parent with a ``coeval.toml``. The search never goes above the home folder, nor into a
    folder owned by someone else: a settings file planted in a shared parent folder is never
    picked up."""
    env = os.environ.get(ENV_WORKBOOK)
    if env:
        root = Path(env).expanduser()
        if not (root / CONFIG_NAME).is_file():
            raise ConfigError(
                f"{ENV_WORKBOOK}={env} has no {CONFIG_NAME}; run `coeval init {env}` first"
            )
        return root.resolve()
    here = (start or Path.cwd()).resolve()
    home = None
    with contextlib.suppress(RuntimeError, KeyError, OSError):
        home = Path.home().resolve()
    me = os.geteuid()
    for folder in (here, *here.parents):
        try:
            owner = folder.stat().st_uid
        except OSError:
            break
        if owner != me:
            break
        config = folder / CONFIG_NAME
        if config.is_file():
            if config.stat().st_uid != me:
                raise ConfigError(
                    f"{config} belongs to another user, so coeval will not use it; pass "
                    "--workbook DIR to use it on purpose"
                )
            return folder
        if folder == home:
            break
    raise ConfigError(
        f"no coeval workbook here ({here} and its parents have no {CONFIG_NAME}; the search "
        "stops at your home folder and at folders owned by someone else); run `coeval init` "
        "to make one, or pass --workbook DIR"
    )


@dataclass(frozen=True)
class Workbook:
    """A workbook folder and its settings."""

    root: Path
    settings: Settings
    db_url: str

    @classmethod
    def open(cls, root: Path | str | None = None, db: str | None = None) -> Workbook:
        """Open the workbook at ``root`` (or find it), with the database from ``db``,
        ``COEVAL_DB``, the workbook's ``[database] url`` or its SQLite file, in that order."""
        folder = Path(root).expanduser().resolve() if root else find_workbook()
        config = folder / CONFIG_NAME
        if not config.is_file():
            raise ConfigError(
                f"{folder} is not a coeval workbook (no {CONFIG_NAME}); "
                f"run `coeval init {folder}` first"
            )
        settings = read_settings(config)
        url = db or os.environ.get(ENV_DB) or ""
        return cls(folder, settings, database_url(url, folder, settings.database_url))

    @property
    def language(self) -> str:
        """The language the staff's screens show the framework's words in ([workbook]
        language; "en" unless set)."""
        return self.settings.language

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def frameworks_dir(self) -> Path:
        return self.data_dir / "frameworks"

    @property
    def consultations_dir(self) -> Path:
        return self.data_dir / "consultations"

    @property
    def imports_dir(self) -> Path:
        return self.data_dir / "imports"

    @property
    def dashboards_dir(self) -> Path:
        return self.root / "dashboards"


def database_url(value: str, root: Path, own: str = "") -> str:
    """A SQLAlchemy URL from ``--db``: a URL as given, a bare path as a SQLite file. Without
    one, the workbook's ``own`` ([database] url, libpq told of the password kept for it in
    data/), else its SQLite file."""
    if not value:
        kept = root / "data" / PASSWORD_FILE
        if own.partition("://")[0] in LIBPQ_SCHEMES and kept.is_file() and "passfile=" not in own:
            return f"{own}{'&' if '?' in own else '?'}passfile={quote(str(kept))}"
        return own or f"sqlite:///{root / 'data' / 'coeval.db'}"
    if "://" in value:
        return value
    return f"sqlite:///{Path.cwd() / Path(value).expanduser()}"


def init_workbook(root: Path | str) -> Path:
    """Create the folders and settings file of a new workbook; keep whatever is there. The
    data folder (the database and the files imported, kept as received) is private to its
    owner."""
    folder = Path(root).expanduser().resolve()
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"{folder} is a file; give a folder for the new workbook")
    folder.mkdir(parents=True, exist_ok=True)
    for sub in ("data", "data/frameworks", "data/imports"):
        private_folder(folder / sub)
    (folder / "dashboards").mkdir(exist_ok=True)
    config = folder / CONFIG_NAME
    if not config.exists():
        config.write_text(DEFAULT_CONFIG, encoding="utf-8")
    else:
        read_settings(config)
    return folder
