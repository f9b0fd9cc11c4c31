"""Who may see what: small-number suppression and redaction for published outputs.

Two audiences (DESIGN, contract defaults; thresholds are workbook settings):

* ``internal`` (the group and staff): a breakdown by voice needs at least
  ``internal_min_raters`` distinct raters, otherwise it shows ``*``.
* ``public``: any figure based on fewer than ``public_min_people`` people shows ``*``; counts
  are rounded to the nearest ``public_round_to``; free text appears only with consent to
  publish and after redaction of emails, phone numbers, postcodes, NHS numbers and listed
  names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
else:
    from coeval.lazy import pandas as pd

from coeval.config import Disclosure
from coeval.exceptions import CoevalError
from coeval.store import Project
from coeval.text import printable
from coeval.vocabulary import AUDIENCES, PUBLIC

SUPPRESSED = "*"


@dataclass(frozen=True)
class Audience:
    name: str
    rules: Disclosure

    @classmethod
    def of(cls, name: str, rules: Disclosure) -> Audience:
        if name not in AUDIENCES:
            raise CoevalError(f"--audience {name!r}; use one of: {', '.join(AUDIENCES)}")
        return cls(name, rules)

    @property
    def public(self) -> bool:
        return self.name == PUBLIC

    def shows(self, people: int) -> bool:
        """May a figure based on ``people`` people be shown?"""
        return not self.public or people == 0 or people >= self.rules.public_min_people

    def shows_voice(self, raters: int) -> bool:
        """May a breakdown by voice based on ``raters`` distinct raters be shown?"""
        least = self.rules.public_min_people if self.public else self.rules.internal_min_raters
        return raters == 0 or raters >= least

    def count(self, n: int) -> int | str:
        """A count of people as it may be shown."""
        if not self.public or n == 0:
            return n
        if n < self.rules.public_min_people:
            return SUPPRESSED
        step = self.rules.public_round_to
        return int(step * round(n / step))

    def figure(self, value: float | None, people: int) -> float | str | None:
        """A figure based on ``people`` people, or ``*`` where it may not be shown."""
        if value is None:
            return None
        return value if self.shows(people) else SUPPRESSED

    def text(self, value: Any) -> str:
        """Free text as this audience may read it: for the public, with emails, phone
        numbers, postcodes, NHS numbers and the workbook's listed names removed. Every piece
        of free text coeval stores reaches a public page through here (see :meth:`texts`)."""
        if value is None or (isinstance(value, float) and value != value):
            return ""
        words = printable(value)
        return redact(words, self.rules.redact_names) if self.public else words

    def texts(self, frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
        """A copy of ``frame`` with its free-text ``columns`` as this audience may read them
        (missing values stay missing)."""
        out = frame.copy()
        for column in columns:
            out[column] = [None if v is None or v != v else self.text(v) for v in out[column]]
        return out

    def project(self, project: Project) -> Project:
        """A project as this audience may read it (its name is free text, too)."""
        return replace(project, name=self.text(project.name))


# -- redaction ----------------------------------------------------------------------------------

# Redaction takes time in proportion to the length of the text. Every repeat inside a pattern
# is bounded, or (the start of an address) may only begin where a run of address characters
# begins, so no pattern tries the same stretch of text again and again (an unbounded repeat
# that can fail late makes a long word cost the square of its length).
_LOCAL = r"(?<![\w.+'-])[\w.+'-]+"
_EMAIL = re.compile(
    _LOCAL + r"\s{0,3}(?:@|\(at\)|\[at\])\s{0,3}[\w-]{1,63}"
    r"(?:\s{0,3}(?:\.|\(dot\)|\[dot\])\s{0,3}[\w-]{1,63}){1,8}"
    # written out, as people do to dodge spam: "jean at example dot org"
    r"|" + _LOCAL + r"\s{1,3}at\s{1,3}[\w-]{1,63}(?:\s{1,3}dot\s{1,3}[\w-]{1,63}){1,8}\b",
    re.I,
)
# UK numbers: 07xxx xxxxxx, 01xx / 02x landlines, +44 forms, with spaces, dots or dashes
_PHONE = re.compile(
    r"(?<![\w])(?:\+\s{0,3}44\s{0,3}\(?0?\)?|\(?0)\s{0,3}\d(?:[\s().-]{0,3}\d){8,9}(?![\w])"
)
# postcodes: full (BS21 7XY) and outward-only districts followed by a space and inward part
_POSTCODE = re.compile(r"\b(?:GIR\s{0,3}0AA|[A-Z]{1,2}\d[A-Z\d]?\s{0,3}\d[A-Z]{2})\b", re.I)
# NHS numbers: ten digits, commonly written 3-3-4
_NHS = re.compile(r"(?<!\d)\d{3}[\s-]?\d{3}[\s-]?\d{4}(?!\d)")


_TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Rev|Cllr)\.?"
_POSSESSIVE = r"(?:['’]s\b|s['’]|s\b|\b)"  # Jean's, the Smiths', the Smiths
NAME_REMOVED = "[name removed]"


def _part(word: str) -> str:
    """One part of a name; a hyphenated part may also be written with a space."""
    return r"[\s-]{1,3}".join(re.escape(piece) for piece in word.split("-") if piece)


@lru_cache(maxsize=64)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """Every form of every listed name as one pattern (longest names first, each name's forms
    in order), so a text is searched once, however many names are listed."""
    forms = [
        f"(?{'i' if flags & re.I else '-i'}:{pattern})"
        for name in names
        for pattern, flags in name_forms(name)
    ]
    return re.compile("|".join(forms)) if forms else None


def name_forms(name: str) -> list[tuple[str, int]]:
    """The ways people write a listed name, longest first: Mrs (Jean) Smith, Jean Smith,
    Jean A. Smith, Smith, Jean, J. Smith, J Smith, Jean S., then Jean and Smith alone
    (alone, a name counts only when written with a capital or in capitals, so "may" is not
    taken for May)."""
    parts = name.split()
    if not parts:
        return []
    first, last = _part(parts[0]), _part(parts[-1])
    forms: list[tuple[str, int]] = []
    if len(parts) > 1:
        initial, last_initial = re.escape(parts[0][0]), re.escape(parts[-1][0])
        forms += [
            (rf"\b{_TITLE}\s{{1,3}}(?:{first}\s{{1,3}})?{last}{_POSSESSIVE}", re.I),
            (
                rf"\b{first}(?:[\s.]{{1,3}}[A-Za-z][\w-]{{0,30}}\.?){{0,2}}[\s.]{{1,3}}{last}"
                rf"{_POSSESSIVE}",
                re.I,
            ),
            (rf"\b{last}\s{{0,3}},\s{{0,3}}{first}\b", re.I),
            (rf"\b{initial}\.?\s{{0,3}}{last}{_POSSESSIVE}", re.I),
            (rf"\b{first}\s{{1,3}}{last_initial}\b\.?", re.I),
            (rf"\b{last.upper()}{_POSSESSIVE}", 0),
            (rf"\b{_capitalised(parts[-1])}{_POSSESSIVE}", 0),
        ]
    forms += [
        (rf"\b{first.upper()}{_POSSESSIVE}", 0),
        (rf"\b{_capitalised(parts[0])}{_POSSESSIVE}", 0),
    ]
    return forms


def _capitalised(word: str) -> str:
    return _part(word[:1].upper() + word[1:].lower())


def personal_detail(text: str, names: Iterable[str] = ()) -> str | None:
    """What personal detail ``text`` reads as (with - and _ read as spaces), or None: a listed
    name, an email address, a phone number, an NHS number or a postcode."""
    words = re.sub(r"[-_]", " ", text)
    for what, pattern in (
        ("an email address", _EMAIL),
        ("an NHS number", _NHS),
        ("a phone number", _PHONE),
        ("a postcode", _POSTCODE),
    ):
        if pattern.search(words):
            return what
    listed = tuple(_listed(names))
    forms = _names_pattern(listed)
    if forms is not None and forms.search(words):
        return "a name listed in redact_names"
    tokens = set(re.findall(r"[a-z]+", text.lower()))
    squashed = re.sub(r"[^a-z0-9]", "", text.lower())
    for name in listed:
        parts = [re.sub(r"[^a-z]", "", part.lower()) for part in re.split(r"[\s-]+", name)]
        parts = [part for part in parts if part]
        if parts and (
            "".join(parts) in squashed  # JeanBloggs
            or "".join(reversed(parts)) in squashed  # BloggsJean
            or tokens & set(parts)  # a part written as a word of its own: raj-01, RAJ2
            or any(len(part) >= 4 and part in squashed for part in parts)  # bloggs7
        ):
            return "a name listed in redact_names"
    return None


def _listed(names: Iterable[str]) -> list[str]:
    return sorted({" ".join(n.split()) for n in names if n.strip()}, key=len, reverse=True)


def redact(text: str, names: Iterable[str] = ()) -> str:
    """Remove contact details, NHS numbers and the listed names from free text."""
    out = _EMAIL.sub("[email removed]", text)
    out = _PHONE.sub("[phone removed]", out)
    out = _NHS.sub("[number removed]", out)
    out = _POSTCODE.sub("[postcode removed]", out)
    pattern = _names_pattern(tuple(_listed(names)))
    return pattern.sub(NAME_REMOVED, out) if pattern else out
