"""Which screen a visitor sees. ``coeval meeting`` starts Voila with the meeting, the
workbook and the digests of two separate keys in the environment (one for the facilitator's
screen, one for staff entry); Voila passes each visitor's query string to their own kernel.
Only a link carrying the right key opens the facilitator or staff screen. Kernels never hold
the keys themselves, only their SHA-256 digests."""

from __future__ import annotations

import hashlib
import hmac
import os
import sys
from collections.abc import Mapping
from urllib.parse import parse_qs

import ipywidgets as w

from coeval.config import ENV_DB, ENV_WORKBOOK, Workbook
from coeval.exceptions import CoevalError, MeetingError, NotFoundError
from coeval.frameworks import load_frameworks
from coeval.meeting.meetings import find_meeting
from coeval.practice.consultations import load_consultations
from coeval.store import Store
from coeval.text import printable
from coeval.widgets.common import STYLE, Notice, app_root
from coeval.widgets.entry import EntryView
from coeval.widgets.facilitator import FacilitatorView
from coeval.widgets.participant import ParticipantView

ENV_MEETING = "COEVAL_MEETING"
ENV_JOIN = "COEVAL_MEETING_JOIN"
#: Each staff screen's key digest, by the view its link names.
ENV_DIGESTS = {"facilitator": "COEVAL_FACILITATOR_DIGEST", "entry": "COEVAL_ENTRY_DIGEST"}
STAFF_VIEWS = tuple(ENV_DIGESTS)


def key_digest(key: str) -> str:
    """What a kernel is given of a staff screen's key."""
    return hashlib.sha256(key.encode()).hexdigest()


def _opens(view: str, key: str, env: Mapping[str, str]) -> bool:
    """Does ``key`` open the staff screen ``view``? (A constant-time comparison.)"""
    expected = env.get(ENV_DIGESTS[view], "")
    return bool(key and expected) and hmac.compare_digest(key_digest(key), expected)


def meeting_app(environ: Mapping[str, str] | None = None) -> w.Widget:
    """The screen for this visitor: participant (the default), facilitator or staff entry."""
    env = os.environ if environ is None else environ
    try:
        return _screen(env)
    except (CoevalError, KeyError, ValueError) as exc:
        root = app_root()
        notice = Notice()
        notice.show("info", _explain(exc))
        root.children = [w.HTML(STYLE), w.HTML("<h1>Meeting</h1>"), notice.widget]
        return root


def _explain(exc: Exception) -> str:
    """What a visitor is told. A problem with the workbook or the database is described to
    the server's log, not to the visitor (it can name folders and servers)."""
    if isinstance(exc, KeyError | ValueError):
        return (
            "This page is coeval's meeting app. Start a meeting with "
            "`coeval meeting --project PROJECT` and open the links it prints."
        )
    if isinstance(exc, MeetingError | NotFoundError):
        return f"The meeting could not be opened: {exc}."
    print(f"coeval: the meeting app could not start: {printable(exc)}", file=sys.stderr)
    return (
        "The meeting could not be opened just now. Please tell the facilitator; the reason "
        "is in the meeting server's log."
    )


def _screen(env: Mapping[str, str]) -> w.Widget:
    workbook = Workbook.open(env[ENV_WORKBOOK], env.get(ENV_DB) or None)
    store = Store.open(workbook.db_url)
    frameworks = load_frameworks(workbook.frameworks_dir)
    consultations = load_consultations(workbook.consultations_dir)
    meeting = find_meeting(store, meeting_id=int(env[ENV_MEETING]))
    query = parse_qs(env.get("QUERY_STRING", ""))
    view = query.get("view", ["join"])[0]
    key = query.get("key", [""])[0]
    if view in STAFF_VIEWS and _opens(view, key, env):
        if view == "entry":
            names = workbook.settings.disclosure.redact_names
            return EntryView(store, frameworks, meeting, actor="meeting-staff", names=names).root
        facilitator = FacilitatorView(
            store,
            frameworks,
            meeting,
            env.get(ENV_JOIN, ""),
            actor="meeting-facilitator",
            consultations=consultations,
        )
        facilitator.live.start()
        return facilitator.root
    code = query.get("code", [""])[0]
    participant = ParticipantView(store, frameworks, code, consultations)
    if view in STAFF_VIEWS:
        participant.notice.show(
            "info", "That link is for the meeting's staff; ask them for it. You can join below."
        )
    return participant.root
