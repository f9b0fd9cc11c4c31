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
from dataclasses import dataclass

from coeval.config import Disclosure
from coeval.exceptions import CoevalError

INTERNAL = "internal"
PUBLIC = "public"
AUDIENCES = (INTERNAL, PUBLIC)
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


# -- redaction ----------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"[\w.+'-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\s*(?:\.|\(dot\)|\[dot\])\s*[\w-]+)+"
    # written out, as people do to dodge spam: "jean at example dot org"
    r"|\b[\w.+'-]+\s+at\s+[\w-]+(?:\s+dot\s+[\w-]+)+\b",
    re.I,
)
# UK numbers: 07xxx xxxxxx, 01xx / 02x landlines, +44 forms, with spaces, dots or dashes
_PHONE = re.compile(r"(?<![\w])(?:\+\s*44\s*\(?0?\)?|\(?0)\s*\d(?:[\s().-]*\d){8,9}(?![\w])")
# postcodes: full (BS21 7XY) and outward-only districts followed by a space and inward part
_POSTCODE = re.compile(r"\b(?:GIR\s*0AA|[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})\b", re.I)
# NHS numbers: ten digits, commonly written 3-3-4
_NHS = re.compile(r"(?<!\d)\d{3}[\s-]?\d{3}[\s-]?\d{4}(?!\d)")


_TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Rev|Cllr)\.?"
_POSSESSIVE = r"(?:['’]s\b|s['’]|s\b|\b)"  # Jean's, the Smiths', the Smiths
NAME_REMOVED = "[name removed]"


def _part(word: str) -> str:
    """One part of a name; a hyphenated part may also be written with a space."""
    return r"[\s-]+".join(re.escape(piece) for piece in word.split("-") if piece)


def name_patterns(name: str) -> list[re.Pattern[str]]:
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
            (rf"\b{_TITLE}\s+(?:{first}\s+)?{last}{_POSSESSIVE}", re.I),
            (rf"\b{first}(?:[\s.]+[A-Za-z][\w-]*\.?){{0,2}}[\s.]+{last}{_POSSESSIVE}", re.I),
            (rf"\b{last}\s*,\s*{first}\b", re.I),
            (rf"\b{initial}\.?\s*{last}{_POSSESSIVE}", re.I),
            (rf"\b{first}\s+{last_initial}\b\.?", re.I),
            (rf"\b{last.upper()}{_POSSESSIVE}", 0),
            (rf"\b{_capitalised(parts[-1])}{_POSSESSIVE}", 0),
        ]
    forms += [
        (rf"\b{first.upper()}{_POSSESSIVE}", 0),
        (rf"\b{_capitalised(parts[0])}{_POSSESSIVE}", 0),
    ]
    return [re.compile(pattern, flags) for pattern, flags in forms]


def _capitalised(word: str) -> str:
    return _part(word[:1].upper() + word[1:].lower())


def redact(text: str, names: Iterable[str] = ()) -> str:
    """Remove contact details, NHS numbers and the listed names from free text."""
    out = _EMAIL.sub("[email removed]", text)
    out = _PHONE.sub("[phone removed]", out)
    out = _NHS.sub("[number removed]", out)
    out = _POSTCODE.sub("[postcode removed]", out)
    listed = sorted({" ".join(n.split()) for n in names if n.strip()}, key=len, reverse=True)
    for name in listed:
        for pattern in name_patterns(name):
            out = pattern.sub(NAME_REMOVED, out)
    return out
