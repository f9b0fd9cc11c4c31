"""Which screen a visitor sees. ``coeval meeting`` starts Voila with the meeting, the
workbook and the digests of two separate keys in the environment (one for the facilitator's
screen, one for staff entry); Voila passes each visitor's query string to their own kernel.
Only a link carrying the right key opens the facilitator or staff screen. Kernels never hold
the keys themselves, only their SHA-256 digests.

Kernels are started ahead of time (Voila's preheated kernels): each opens the workbook, the
store and the meeting, then waits for a visitor's link before drawing their screen. Only the
screen a visitor needs is imported: a participant's kernel loads no pandas."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import ipywidgets as w

from coeval.config import ENV_DB, ENV_WORKBOOK, Workbook
from coeval.exceptions import CoevalError, MeetingError, NotFoundError
from coeval.frameworks import Framework, load_frameworks
from coeval.i18n import ENGLISH, words
from coeval.meeting.meetings import Meeting, find_meeting
from coeval.practice.consultations import Consultation, load_consultations
from coeval.store import Store
from coeval.text import clean, printable
from coeval.widgets.common import STYLE, Notice, app_root, heading, in_language

ENV_MEETING = "COEVAL_MEETING"
ENV_JOIN = "COEVAL_MEETING_JOIN"
#: ``read=easy`` on the join link starts a participant's screen in Easy Read.
EASY_READ = "easy"
#: The header a sign-in proxy sets (``--trusted-header``); Voila passes its value to the
#: kernel as HTTP_<NAME>, the way CGI names request headers.
ENV_TRUSTED_HEADER = "COEVAL_TRUSTED_HEADER"
#: How long a kernel started ahead of time waits for its visitor before giving up.
LINK_WAIT_SECONDS = 24 * 3600
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


@dataclass(frozen=True)
class Ready:
    """What every screen of the meeting needs, read before anyone's link arrives."""

    workbook: Workbook
    store: Store
    frameworks: Mapping[str, Framework]
    consultations: Mapping[str, Consultation]
    meeting: Meeting


def prepare(env: Mapping[str, str]) -> Ready:
    """Open the workbook, the store and the meeting (the slow part of drawing a screen)."""
    workbook = Workbook.open(env[ENV_WORKBOOK], env.get(ENV_DB) or None)
    store = Store.open(workbook.db_url)
    frameworks = load_frameworks(workbook.frameworks_dir)
    consultations = load_consultations(workbook.consultations_dir)
    meeting = find_meeting(store, meeting_id=int(env[ENV_MEETING]))
    return Ready(workbook, store, frameworks, consultations, meeting)


def wait_for_link(env: Any = None) -> None:
    """In a kernel started ahead of time, wait until Voila hands it a visitor's request,
    then put the request's details (its query string, and the sign-in header when there is
    one) into the environment, as Voila does for a kernel started on request."""
    env = os.environ if env is None else env
    if env.get("VOILA_PREHEAT") != "True":
        return
    from websockets.sync.client import connect

    host = env.get("VOILA_APP_IP", "127.0.0.1")
    port = env.get("VOILA_APP_PORT", "8866")
    base = env.get("VOILA_WS_BASE_URL", env.get("VOILA_SERVER_URL", "/"))
    address = f"ws://{host}:{port}{base}voila/query/{env.get('VOILA_KERNEL_ID', '')}"
    with connect(address, open_timeout=10) as link:
        received = link.recv(timeout=LINK_WAIT_SECONDS)
    for name, value in json.loads(received).items():
        env[str(name)] = str(value)


def meeting_app(environ: Mapping[str, str] | None = None) -> w.Widget:
    """The screen for this visitor: participant (the default), facilitator or staff entry.
    Without ``environ`` (in Voila), the meeting is read first and the screen drawn once the
    visitor's link has arrived."""
    env = os.environ if environ is None else environ
    try:
        ready = prepare(env)
    except (CoevalError, KeyError, ValueError) as exc:
        return _problem(exc)
    if environ is None:
        wait_for_link()
    try:
        return screen(ready, env)
    except (CoevalError, KeyError, ValueError) as exc:
        return _problem(exc)


def _problem(exc: Exception) -> w.Widget:
    root = app_root()
    notice = Notice()
    notice.show("info", _explain(exc))
    root.children = [w.HTML(STYLE), heading(ENGLISH.gettext("Meeting"), 1), notice.widget]
    return root


def _explain(exc: Exception) -> str:
    """What a visitor is told (before anyone chose a language, so in English). A problem
    with the workbook or the database is described to the server's log, not to the visitor
    (it can name folders and servers)."""
    _ = ENGLISH.gettext
    if isinstance(exc, KeyError | ValueError):
        return _(
            "This page is coeval's meeting app. Start a meeting with "
            "`coeval meeting --project PROJECT` and open the links it prints."
        )
    if isinstance(exc, MeetingError | NotFoundError):
        return _("The meeting could not be opened: {problem}.", problem=exc)
    print(f"coeval: the meeting app could not start: {printable(exc)}", file=sys.stderr)
    return _(
        "The meeting could not be opened just now. Please tell the facilitator; the reason "
        "is in the meeting server's log."
    )


def signed_in(env: Mapping[str, str]) -> str:
    """The name the sign-in proxy gave for this visitor ("" without a proxy)."""
    header = env.get(ENV_TRUSTED_HEADER, "")
    if not header:
        return ""
    return clean(env.get("HTTP_" + header.upper().replace("-", "_"), ""))[:200]


def _pack(ready: Ready, meeting: Meeting, large_print: bool) -> tuple[str, bytes, str]:
    """The group's pack for this meeting (made on the facilitator's request)."""
    from coeval.pack import pack_documents

    made = pack_documents(
        ready.workbook,
        ready.store,
        meeting.project,
        meeting.period,
        large_print,
        language=ready.workbook.language,
    )
    return made.html, made.docx, made.stem


def screen(ready: Ready, env: Mapping[str, str]) -> w.Widget:
    """Draw the screen this visitor's link asks for."""
    store, frameworks, meeting = ready.store, ready.frameworks, ready.meeting
    # the meeting as it is now: a kernel may have waited a while for its visitor
    meeting = find_meeting(store, meeting_id=meeting.id)
    query = parse_qs(env.get("QUERY_STRING", ""))
    view = query.get("view", ["join"])[0]
    key = query.get("key", [""])[0]
    if view in STAFF_VIEWS and _opens(view, key, env):
        # staff read the framework's words, and the answers, in the workbook's language
        language = ready.workbook.language
        frameworks = in_language(frameworks, language)
        name = signed_in(env)
        if view == "entry":
            from coeval.widgets.entry import EntryView

            names = ready.workbook.settings.disclosure.redact_names
            actor = name or "meeting-staff"
            staff = words(language)
            return EntryView(store, frameworks, meeting, actor, names, staff).root
        from coeval.widgets.facilitator import FacilitatorView

        facilitator = FacilitatorView(
            store,
            frameworks,
            meeting,
            env.get(ENV_JOIN, ""),
            actor=name or "meeting-facilitator",
            consultations=ready.consultations,
            pack=lambda large: _pack(ready, meeting, large),
            words=words(language),
        )
        facilitator.live.start()
        return facilitator.root
    from coeval.widgets.participant import ParticipantView

    code = query.get("code", [""])[0]
    easy = query.get("read", [""])[0] == EASY_READ
    participant = ParticipantView(store, frameworks, code, ready.consultations, easy)
    if view in STAFF_VIEWS:
        participant.notice.show(
            "info",
            participant.words.gettext(
                "That link is for the meeting's staff; ask them for it. You can join below."
            ),
        )
    return participant.root
