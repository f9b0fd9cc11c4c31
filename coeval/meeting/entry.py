"""Typing in what people said on paper, in letters, on the phone or face to face.

Staff enter one person's answers at a time, as they would fill a spreadsheet row. The method
is recorded as each rating's source; the person is a pseudonymous reference (never a name).
A save is one transaction with an idempotency key, so pressing Save twice stores it once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time

from coeval.disclosure import personal_detail
from coeval.exceptions import EntryError
from coeval.frameworks import Framework
from coeval.i18n import N_
from coeval.store import Store
from coeval.text import clean
from coeval.vocabulary import DEFAULT_VOICES
from coeval.vocabulary import RATER_ID as RATER_PATTERN

#: How answers reached staff (stored as each rating's source and each evidence's method).
ENTRY_METHODS: dict[str, str] = {
    "paper": N_("A paper form"),
    "letter": N_("A letter"),
    "email": N_("An email"),
    "phone": N_("A phone call"),
    "conversation": N_("A one-to-one conversation"),
}
EVIDENCE_LIMIT = 5000


@dataclass(frozen=True)
class Entry:
    """One person's answers as typed in by staff."""

    project: str
    period: str
    reference: str  # the person's pseudonymous reference, such as L-014
    role: str
    method: str
    received_on: date
    answers: Mapping[str, int | None] = field(default_factory=dict)  # None: "Don't know"
    evidence: str = ""
    evidence_item: str | None = None
    consent_to_publish: bool = False
    key: str = ""
    meeting_id: int | None = None  # typed in on a meeting's staff screen: refused once closed


def check_entry(
    entry: Entry, framework: Framework, today: date | None = None, names: Sequence[str] = ()
) -> None:
    if entry.method not in ENTRY_METHODS:
        raise EntryError("choose how the answers reached you (paper, letter, email, phone...)")
    if entry.role not in DEFAULT_VOICES:
        raise EntryError("choose who the person is (carer, staff...)")
    if not RATER_PATTERN.match(entry.reference):
        raise EntryError(
            "the person's reference must be letters, digits, - or _ with no spaces, such as "
            "L-014; never their name"
        )
    detail = personal_detail(entry.reference, names)
    if detail:
        raise EntryError(
            f"the person's reference reads as {detail}; use a code such as L-014 instead, so "
            "nobody can be recognised from it"
        )
    if entry.received_on > (today or date.today()):
        raise EntryError("the date received is in the future; check it")
    for item, score in entry.answers.items():
        if not framework.has_item(item):
            raise EntryError(f"{item!r} is not a question in {framework.title}")
        if score is not None and (
            isinstance(score, bool) or not isinstance(score, int) or not framework.on_scale(score)
        ):
            raise EntryError(f"the answer to {framework.item(item).title!r} is not on the scale")
    if len(entry.evidence) > EVIDENCE_LIMIT:
        raise EntryError(f"what they said can be up to {EVIDENCE_LIMIT} characters; shorten it")
    if entry.evidence_item and not framework.has_item(entry.evidence_item):
        raise EntryError("the question the words are about is not in this framework")
    if not entry.answers and not entry.evidence.strip():
        raise EntryError("there is nothing to save: give at least one answer or what they said")
    if not entry.key:
        raise EntryError("this entry could not be saved; press Save again")


def save_entry(
    store: Store,
    framework: Framework,
    entry: Entry,
    actor: str | None = None,
    names: Sequence[str] = (),
) -> int:
    """Store one person's typed-in answers and words; returns how many answers were stored
    (0 if this exact entry, by its key, was saved already). ``names`` are the workbook's
    redacted names, which a reference must not read as. An entry typed in on a meeting's
    staff screen is refused once the meeting has closed."""
    if framework.id not in store.project(entry.project).frameworks:
        raise EntryError(f"{framework.title} is not used by this project")
    entry = replace(entry, reference=clean(entry.reference), evidence=clean(entry.evidence))
    check_entry(entry, framework, names=names)
    recorded = datetime.combine(entry.received_on, time(12), tzinfo=UTC)
    rows = [
        {
            "project_id": entry.project,
            "period": entry.period,
            "framework_id": framework.id,
            "item_id": item,
            "rater_id": entry.reference,
            "role": entry.role,
            "score": score,
            "dont_know": score is None,
            "recorded_at": recorded,
            "idempotency_key": f"{entry.key}:{item}",
        }
        for item, score in entry.answers.items()
    ]
    evidence = {
        "project_id": entry.project,
        "period": entry.period,
        "framework_id": framework.id if entry.evidence_item else None,
        "item_id": entry.evidence_item,
        "method": entry.method,
        "text": entry.evidence,
        "recorded_at": recorded,
        "consent_to_publish": entry.consent_to_publish,
        "rater_id": entry.reference if rows else None,
        "idempotency_key": f"{entry.key}:evidence",
    }
    return store.add_entry(
        rows, evidence if evidence["text"] else None, entry.method, actor, entry.meeting_id
    )
