"""`coeval meeting`: open a meeting (or the one set up ahead for today) and serve its screens
with Voila until it closes or the command is stopped."""

from __future__ import annotations

import secrets
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from coeval.config import ENV_DB, ENV_WORKBOOK, Workbook
from coeval.exceptions import CoevalError
from coeval.frameworks import load_frameworks
from coeval.meeting.meetings import Meeting, find_meeting, open_meeting, spoken_code
from coeval.meeting.planning import planned_meeting
from coeval.periods import parse_period, period_of
from coeval.practice.consultations import load_consultations
from coeval.server.address import (
    base_url,
    check_bindable,
    exposure_warning,
    public_path,
    ws_host,
)
from coeval.server.voila import Serving, run_server, voila_args, voila_environment
from coeval.store import Store

MEETING_NOTEBOOK = "meeting.ipynb"
#: Kernels kept started ahead of time, each waiting for the next visitor's link: enough for
#: a group arriving together to get their screens at once, while the pool refills.
READY_SCREENS = 3
#: How often the command looks whether the meeting has closed, and how long the screens
#: keep running after it has (so that every page can say so) before the server stops.
CLOSED_CHECK_SECONDS = 2.0
CLOSED_GRACE_SECONDS = 10.0


@dataclass(frozen=True)
class MeetingLinks:
    code: str
    facilitator: str
    join: str
    entry: str
    easy_read: str  # the join link that starts a person's screen in Easy Read


def meeting_command(notebook: Path, serving: Serving, workbook: Workbook) -> list[str]:
    """The Voila command line `coeval meeting` runs: one notebook, a few kernels started
    ahead of time (each opens the meeting, then waits for its visitor's link before drawing
    a screen), at most ``[meeting] max_screens`` kernels, and a kernel that no browser is
    connected to (a closed page) closed after ``unused_screen_seconds``. A page that is
    open keeps its kernel however quiet the meeting is (connected kernels are never culled)."""
    servers = workbook.settings.servers
    unused = servers.unused_screen_seconds
    ready = max(0, min(READY_SCREENS, servers.meeting_max_screens - 1))
    return voila_args(
        notebook,
        serving,
        servers.meeting_max_screens,
        f"--preheat_kernel={ready > 0}",
        f"--pool_size={ready}",
        "--VoilaKernelManager.fill_delay=0.2",
        f"--MappingKernelManager.cull_idle_timeout={unused}",
        f"--MappingKernelManager.cull_interval={max(1, min(60, unused // 3))}",
        "--MappingKernelManager.cull_connected=False",
        f"--Voila.base_url={public_path(serving)}",
        template="coeval-meeting",
    )


def _meeting_for(
    workbook: Workbook,
    store: Store,
    project: str,
    label: str,
    framework: str | None,
    consultation: str | None,
) -> Meeting:
    """The meeting set up ahead for today (when one is and no other questions were asked
    for), or a new one covering ``framework`` or ``consultation``."""
    used = store.project(project).frameworks
    chosen = framework or used[0]
    if chosen not in used:
        raise CoevalError(
            f"--framework {chosen}: project {project!r} does not use it; use one of: "
            f"{', '.join(used)}"
        )
    if consultation is None and framework is None:
        planned = planned_meeting(store, project, label, date.today())
        if planned is not None:
            return planned
    if consultation is not None:
        known = load_consultations(workbook.consultations_dir)
        if consultation not in known:
            listed = ", ".join(known) or "none; add a file to data/consultations/"
            raise CoevalError(f"--consultation {consultation}: unknown; known: {listed}")
        covers: dict[str, Any] = {"consultation": known[consultation]}
    else:
        covers = {"framework": load_frameworks(workbook.frameworks_dir)[chosen]}
    return open_meeting(store, project, label, date.today(), **covers)


def start_meeting(
    workbook: Workbook,
    project: str,
    period: str | None = None,
    framework: str | None = None,
    serving: Serving | None = None,
    consultation: str | None = None,
) -> tuple[Meeting, MeetingLinks, dict[str, str]]:
    """Open a meeting in the store; return it, its links and the environment to serve it in.

    The facilitator's screen and staff entry each have their own random key, carried by their
    link. The server's environment (which every kernel inherits) holds only the keys'
    SHA-256 digests, so no participant's kernel holds a key."""
    from coeval.widgets.app import (
        EASY_READ,
        ENV_DIGESTS,
        ENV_JOIN,
        ENV_MEETING,
        ENV_TRUSTED_HEADER,
        key_digest,
    )

    serving = serving or Serving(port=8867)
    base = base_url(serving)  # checked before anything is stored
    scheme = workbook.settings.period_scheme
    label = parse_period(period, scheme).label if period else period_of(date.today(), scheme).label
    with Store.open(workbook.db_url) as store:
        meeting = _meeting_for(workbook, store, project, label, framework, consultation)
    keys = {view: secrets.token_urlsafe(18) for view in ENV_DIGESTS}
    links = MeetingLinks(
        code=meeting.code,
        facilitator=f"{base}?view=facilitator&key={keys['facilitator']}",
        join=f"{base}?code={meeting.code}",
        easy_read=f"{base}?code={meeting.code}&read={EASY_READ}",
        entry=f"{base}?view=entry&key={keys['entry']}",
    )
    env = {
        **voila_environment(),
        ENV_WORKBOOK: str(workbook.root),
        ENV_DB: workbook.db_url,
        ENV_MEETING: str(meeting.id),
        ENV_JOIN: base,
        ENV_TRUSTED_HEADER: serving.trusted_header or "",
        # where a kernel started ahead of time asks Voila for its visitor's link
        "VOILA_APP_IP": ws_host(serving.host),
        **{ENV_DIGESTS[view]: key_digest(key) for view, key in keys.items()},
    }
    return meeting, links, env


def serve_meeting(
    workbook: Workbook,
    project: str,
    period: str | None = None,
    framework: str | None = None,
    serving: Serving | None = None,
    say: Callable[[str], object] = print,
    consultation: str | None = None,
) -> int:
    """Open a meeting and serve its app until it closes or the command is stopped; print the
    links people need."""
    from coeval.execute import notebook_path

    notebook = notebook_path(workbook, MEETING_NOTEBOOK)
    serving = serving or Serving(port=8867)
    check_bindable(serving)
    meeting, links, env = start_meeting(workbook, project, period, framework, serving, consultation)
    warning = exposure_warning(serving)
    if warning:
        print(f"Warning: {warning}", file=sys.stderr)
    about = meeting.consultation or meeting.framework
    when = "" if meeting.held_on == date.today() else f", set up for {meeting.held_on}"
    say(f"Meeting for {project}, quarter {meeting.period} ({about}{when}).")
    say(f"  Meeting code:     {spoken_code(links.code)}")
    say(f"  Facilitator link: {links.facilitator}  (keep this one to yourself)")
    say(f"  Join link:        {links.join}  (also shown as a QR code on your screen)")
    say(f"  Easy Read join:   {links.easy_read}  (each person can also turn Easy Read on)")
    say(f"  Staff entry link: {links.entry}  (type in paper forms, letters, calls)")
    say("Press Ctrl+C to stop. Answers are saved as they are given; the screens stop")
    say("on their own once you close the meeting.")
    return run_server(
        meeting_command(notebook, serving, workbook),
        env,
        until=lambda child: _until_closed(workbook, meeting.id, child, say),
    )


def _until_closed(
    workbook: Workbook,
    meeting_id: int,
    child: subprocess.Popen[bytes],
    say: Callable[[str], object],
) -> None:
    """Wait while the server runs; once the meeting has closed, give the screens a moment to
    say so, then stop the server and every kernel with it."""
    with Store.open(workbook.db_url) as store:
        while child.poll() is None:
            time.sleep(CLOSED_CHECK_SECONDS)
            try:
                closed = not find_meeting(store, meeting_id=meeting_id).open
            except CoevalError:
                continue  # a busy database: look again next time
            if closed:
                say("The meeting has closed; its screens stop in a few seconds.")
                time.sleep(CLOSED_GRACE_SECONDS)
                child.terminate()
                return
