"""Who has joined a meeting, and how they come back.

A person joins with the meeting code and a role. Their rater id is random (never made from
anything they typed), and they are shown a random rejoin code, of which only a slow, salted
digest is kept: typing it back is the one way to continue as the same person, in the role
they chose at first. :func:`coeval.meeting.meetings.check_member` refuses answers from anyone else.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from coeval.exceptions import MeetingError
from coeval.meeting.meetings import CODE_ALPHABET, Meeting, find_meeting, normalise_code
from coeval.store import Store
from coeval.vocabulary import DEFAULT_VOICES

REJOIN_LENGTH = 8


@dataclass(frozen=True)
class Member:
    """Someone who has joined a meeting: the rater id they answer under, the role they chose
    when they first joined (fixed from then on), and their rejoin code."""

    meeting: Meeting
    rater: str
    role: str
    rejoin_code: str

    @property
    def rejoin_words(self) -> str:
        """The rejoin code as people read and type it: two groups of four."""
        half = REJOIN_LENGTH // 2
        return f"{self.rejoin_code[:half]} {self.rejoin_code[half:]}"


def _rejoin_digest(meeting_id: int, rejoin_code: str) -> str:
    """What is kept of a rejoin code: a slow, salted digest (scrypt, a few hundredths of a
    second each), so a copy of the database cannot be searched for the codes that open it:
    trying every possible code for one meeting would take centuries of computer time."""
    return hashlib.scrypt(
        normalise_code(rejoin_code).encode(),
        salt=f"coeval-meeting-{meeting_id}".encode(),
        n=2**14,
        r=8,
        p=1,
        dklen=32,
    ).hex()


def join_meeting(store: Store, code: str, role: str, actor: str | None = None) -> Member:
    """Join an open meeting as someone new, in ``role``. Their rater id is random (never
    made from anything they typed) and they get a random rejoin code, kept only as a digest:
    it is the one way back to the same place, for example after a page is reloaded."""
    if role not in DEFAULT_VOICES:
        raise MeetingError("please choose who you are taking part as")
    meeting = find_meeting(store, code=code)
    rater = f"m{meeting.id}-{secrets.token_hex(6)}"
    rejoin = "".join(secrets.choice(CODE_ALPHABET) for _ in range(REJOIN_LENGTH))
    with store.meeting_write(meeting_id=meeting.id) as write:
        write.add_member(rater, role, _rejoin_digest(meeting.id, rejoin), actor)
    return Member(meeting, rater, role, rejoin)


def rejoin_meeting(store: Store, code: str, rejoin_code: str) -> Member:
    """Come back to a meeting as the same person, with the rejoin code given at first join;
    the role is the one chosen then. A wrong code is refused and reveals nothing."""
    meeting = find_meeting(store, code=code)
    if not meeting.open:
        raise MeetingError("this meeting has closed, so nothing more can be added or changed")
    found = store.meeting_member(meeting.id, _rejoin_digest(meeting.id, rejoin_code))
    if found is None:
        raise MeetingError(
            "that rejoin code is not right for this meeting; check it, or leave it blank to "
            "join as someone new"
        )
    return Member(meeting, found[0], found[1], normalise_code(rejoin_code))
