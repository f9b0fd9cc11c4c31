"""A workbook's settings: the ``coeval.toml`` file every workbook has, what it may say, and
reading and checking it (an unknown or mistyped setting is an error naming the fix).
:mod:`coeval.config` works out the workbook's paths and opens it with these settings."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coeval.exceptions import ConfigError
from coeval.periods import SCHEMES
from coeval.vocabulary import DEFAULT_VOICES, VOICES

#: A language code as the settings file and the message catalogue write it.
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:_[A-Z]{2})?$")

#: Seldom-heard groups whose reach is recorded, unless a workbook lists its own.
DEFAULT_GROUPS = (
    "Young carers",
    "Carers from minority ethnic communities",
    "LGBTQ+ carers",
    "Working carers",
    "Carers of people at the end of life",
    "Rural communities",
)


DEFAULT_CONFIG = (
    """\
# coeval workbook settings. Every setting is optional; these are the defaults.

[workbook]
# "calendar" quarters (2026Q3) or UK "financial" year quarters (2026/27 Q2, Q1 = April-June).
period_scheme = "calendar"
# Dates and times written without a time zone are read in this zone.
timezone = "Europe/London"
# The language of the staff's screens, the feedback, paper forms and packs ("en", or a
# language coeval has words for, like "cy"); each participant can choose their own.
language = "en"
# Frameworks a new project uses when `coeval project add` is not told, for example
# default_frameworks = ["our-principles"]. Unset: those whose files say `default: true`
# (`coeval frameworks list` marks them).

# Which voice each role speaks with. Uncomment a line to move a role to the other voice.
[voices]
# volunteer = "lived_experience"

[disclosure]
# Internal outputs: a voice breakdown needs at least this many distinct raters.
internal_min_raters = 3
# Public outputs: any figure based on fewer people than this shows "*".
public_min_people = 8
# Public outputs: counts are rounded to the nearest multiple of this.
public_round_to = 5
# Names to remove from free text before it is published (in addition to emails, phone
# numbers, postcodes and NHS numbers). Each is also caught written other ways: first name
# or surname alone, with a title (Mrs Smith), as initials (J. Smith), or Smith, Jean.
redact_names = []

[engagement]
# Groups of people that are seldom heard, whose reach engagement records (and whose gaps the
# dashboards show). Activities name them in the groups_reached column.
groups = [
"""
    + "".join(f'    "{group}",\n' for group in DEFAULT_GROUPS)
    + """]

[meeting]
# The most screens (open pages) `coeval meeting` holds at once: room for 40 people, the
# facilitator, staff entry and a few reloaded pages. Each takes about 120 MB of memory; one
# more is shown a page saying the meeting is full.
max_screens = 45
# A screen that no browser is connected to (a page fetched and never shown, or left behind)
# is closed after this many seconds.
unused_screen_seconds = 180

[serve]
# The most dashboard pages `coeval serve` holds open at once (each about 150 MB of memory).
max_screens = 20

[imports]
# Kept copies of imported files (in data/imports/) older than this many days are removed by
# `coeval imports purge` and at the start of each `coeval run`. 0 keeps them until you purge.
keep_days = 0

[notebooks]
# coeval runs its own notebooks. To run a workbook's own copy instead, name it here; it must
# be owned by you and not writable by anyone else. For example:
# quarterly_review = "notebooks/quarterly_review.ipynb"
"""
)

#: The notebooks a workbook may replace with its own (see [notebooks]).
NOTEBOOKS = ("quarterly_review", "portfolio", "meeting")

_SETTINGS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "workbook": {
        "period_scheme": str,
        "timezone": str,
        "default_frameworks": list,
        "name": str,
        "language": str,
    },
    "voices": {},
    "disclosure": {
        "internal_min_raters": int,
        "public_min_people": int,
        "public_round_to": int,
        "redact_names": list,
    },
    "engagement": {"groups": list},
    "meeting": {"max_screens": int, "unused_screen_seconds": int},
    "serve": {"max_screens": int},
    "imports": {"keep_days": int},
    "notebooks": dict.fromkeys(NOTEBOOKS, str),
    "database": {"url": str},
}
#: The smallest value each whole-number setting takes.
_LEAST = {
    ("disclosure", "internal_min_raters"): 1,
    ("disclosure", "public_min_people"): 1,
    ("disclosure", "public_round_to"): 1,
    ("meeting", "max_screens"): 2,
    ("meeting", "unused_screen_seconds"): 5,
    ("serve", "max_screens"): 1,
    ("imports", "keep_days"): 0,
}


@dataclass(frozen=True)
class Disclosure:
    internal_min_raters: int = 3
    public_min_people: int = 8
    public_round_to: int = 5
    redact_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Servers:
    """How many screens (kernels) Voila servers may hold, and how soon an unused one closes."""

    meeting_max_screens: int = 45
    unused_screen_seconds: int = 180
    serve_max_screens: int = 20


@dataclass(frozen=True)
class Settings:
    period_scheme: str = "calendar"
    timezone: str = "Europe/London"
    default_frameworks: tuple[str, ...] = ()  # none: those whose files say `default: true`
    voices: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_VOICES))
    disclosure: Disclosure = field(default_factory=Disclosure)
    name: str = ""
    groups: tuple[str, ...] = DEFAULT_GROUPS
    servers: Servers = field(default_factory=Servers)
    keep_days: int = 0  # kept imports older than this are purged; 0: kept until purged
    notebooks: Mapping[str, str] = field(default_factory=dict)  # a workbook's own notebooks
    database_url: str = ""  # [database] url, without a password; "": data/coeval.db
    language: str = "en"  # the staff's screens show the framework's words in this language

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _check_type(path: Path, section: str, key: str, value: Any, kind: Any) -> None:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        names = {str: "text in quotes", int: "a whole number", list: 'a list like ["a", "b"]'}
        raise ConfigError(f"{path}: [{section}] {key} should be {names.get(kind, kind)}")


def _check_sections(path: Path, raw: Mapping[str, Any]) -> None:
    """Every section and setting is known, and each value has the type it should."""
    for section, values in raw.items():
        if section not in _SETTINGS:
            raise ConfigError(
                f"{path}: unknown section [{section}]; use one of: {', '.join(_SETTINGS)}"
            )
        if not isinstance(values, dict):
            raise ConfigError(f"{path}: {section} should be a [{section}] section")
        for key, value in values.items():
            if section == "voices":
                if key not in DEFAULT_VOICES:
                    raise ConfigError(
                        f"{path}: [voices] {key}: unknown role; use one of: "
                        f"{', '.join(DEFAULT_VOICES)}"
                    )
                if value not in VOICES:
                    raise ConfigError(
                        f"{path}: [voices] {key} = {value!r}; use one of: {', '.join(VOICES)}"
                    )
                continue
            if key not in _SETTINGS[section]:
                raise ConfigError(
                    f"{path}: [{section}] unknown setting {key!r}; use one of: "
                    f"{', '.join(_SETTINGS[section])}"
                )
            _check_type(path, section, key, value, _SETTINGS[section][key])


def _checked_values(path: Path, raw: Mapping[str, Any]) -> tuple[str, str]:
    """The period scheme and time zone, checked, and every lower bound respected."""
    book = raw.get("workbook", {})
    scheme = book.get("period_scheme", "calendar")
    if scheme not in SCHEMES:
        raise ConfigError(
            f"{path}: [workbook] period_scheme = {scheme!r}; use one of: {', '.join(SCHEMES)}"
        )
    timezone = book.get("timezone", "Europe/London")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{path}: [workbook] timezone = {timezone!r} is not a time zone; "
            "use a name like 'Europe/London'"
        ) from None
    for (section, key), least in _LEAST.items():
        value = raw.get(section, {}).get(key)
        if value is not None and value < least:
            raise ConfigError(f"{path}: [{section}] {key} must be {least} or more")
    return scheme, timezone


def read_settings(path: Path) -> Settings:
    """Read and check a ``coeval.toml``; an unknown or mistyped setting is an error."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path} does not exist; run `coeval init` to create it") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML ({exc}); fix that line") from None
    _check_sections(path, raw)
    book = raw.get("workbook", {})
    scheme, timezone = _checked_values(path, raw)
    disclosure_raw = raw.get("disclosure", {})
    meeting, serve = raw.get("meeting", {}), raw.get("serve", {})
    voices = {**DEFAULT_VOICES, **raw.get("voices", {})}
    return Settings(
        period_scheme=scheme,
        timezone=timezone,
        default_frameworks=tuple(book.get("default_frameworks", Settings.default_frameworks)),
        voices=voices,
        disclosure=Disclosure(
            **{k: v for k, v in disclosure_raw.items() if k != "redact_names"},
            redact_names=tuple(disclosure_raw.get("redact_names", ())),
        ),
        name=book.get("name", ""),
        groups=_groups(path, raw.get("engagement", {}).get("groups", DEFAULT_GROUPS)),
        servers=Servers(
            meeting_max_screens=meeting.get("max_screens", Servers.meeting_max_screens),
            unused_screen_seconds=meeting.get(
                "unused_screen_seconds", Servers.unused_screen_seconds
            ),
            serve_max_screens=serve.get("max_screens", Servers.serve_max_screens),
        ),
        keep_days=raw.get("imports", {}).get("keep_days", 0),
        notebooks=dict(raw.get("notebooks", {})),
        database_url=raw.get("database", {}).get("url", ""),
        language=_language(path, book.get("language", "en")),
    )


def _language(path: Path, code: str) -> str:
    """A language code as gettext names them: "en", "cy", "pt_BR"."""
    if not LANGUAGE_CODE.match(code):
        raise ConfigError(
            f"{path}: [workbook] language = {code!r} is not a language code; use one like "
            '"en" (English) or "cy" (Welsh)'
        )
    return code


def _groups(path: Path, groups: Any) -> tuple[str, ...]:
    if any(not isinstance(g, str) or not g.strip() for g in groups):
        raise ConfigError(f"{path}: [engagement] groups must be names in quotes, none blank")
    cleaned = [" ".join(g.split()) for g in groups]
    folded = [g.casefold() for g in cleaned]
    if len(set(folded)) != len(folded):
        raise ConfigError(f"{path}: [engagement] groups lists a group twice; keep one")
    if any(";" in g for g in cleaned):
        raise ConfigError(f"{path}: [engagement] groups: a name cannot contain ';'")
    return tuple(cleaned)
