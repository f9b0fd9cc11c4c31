"""`coeval meeting`: open a meeting and serve its screens with Voila."""

from __future__ import annotations

import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from coeval.config import ENV_DB, ENV_WORKBOOK, Workbook
from coeval.exceptions import CoevalError
from coeval.frameworks import load_frameworks
from coeval.meeting.meetings import Meeting, open_meeting
from coeval.periods import parse_period, period_of
from coeval.practice.consultations import load_consultations
from coeval.server.voila import Serving, run_server, voila_args, voila_environment
from coeval.store import Store

MEETING_NOTEBOOK = "meeting.ipynb"


@dataclass(frozen=True)
class MeetingLinks:
    code: str
    facilitator: str
    join: str
    entry: str


def meeting_command(notebook: Path, serving: Serving, workbook: Workbook) -> list[str]:
    """The Voila command line `coeval meeting` runs: one notebook, no preheated kernels (each
    screen depends on its link), at most ``[meeting] max_screens`` kernels, and a kernel that
    no browser is connected to closed after ``unused_screen_seconds``. A page that is open
    keeps its kernel however quiet the meeting is (connected kernels are never culled)."""
    servers = workbook.settings.servers
    unused = servers.unused_screen_seconds
    return voila_args(
        notebook,
        serving,
        servers.meeting_max_screens,
        f"--MappingKernelManager.cull_idle_timeout={unused}",
        f"--MappingKernelManager.cull_interval={max(1, min(60, unused // 3))}",
        "--MappingKernelManager.cull_connected=False",
        template="coeval-meeting",
    )


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
    from coeval.widgets.app import ENV_DIGESTS, ENV_JOIN, ENV_MEETING, key_digest

    scheme = workbook.settings.period_scheme
    label = parse_period(period, scheme).label if period else period_of(date.today(), scheme).label
    frameworks = load_frameworks(workbook.frameworks_dir)
    with Store.open(workbook.db_url) as store:
        used = store.project(project).frameworks
        chosen = framework or used[0]
        if chosen not in used:
            raise CoevalError(
                f"--framework {chosen}: project {project!r} does not use it; use one of: "
                f"{', '.join(used)}"
            )
        if consultation is not None:
            known = load_consultations(workbook.consultations_dir)
            if consultation not in known:
                listed = ", ".join(known) or "none; add a file to data/consultations/"
                raise CoevalError(f"--consultation {consultation}: unknown; known: {listed}")
            covers: dict[str, Any] = {"consultation": known[consultation]}
        else:
            covers = {"framework": frameworks[chosen]}
        meeting = open_meeting(store, project, label, date.today(), **covers)
    keys = {view: secrets.token_urlsafe(18) for view in ENV_DIGESTS}
    serving = serving or Serving(port=8867)
    base = serving.public_url or f"http://{serving.host}:{serving.port}/"
    links = MeetingLinks(
        code=meeting.code,
        facilitator=f"{base}?view=facilitator&key={keys['facilitator']}",
        join=f"{base}?code={meeting.code}",
        entry=f"{base}?view=entry&key={keys['entry']}",
    )
    env = {
        **voila_environment(),
        ENV_WORKBOOK: str(workbook.root),
        ENV_DB: workbook.db_url,
        ENV_MEETING: str(meeting.id),
        ENV_JOIN: base,
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
    """Open a meeting and serve its app until stopped; print the links people need."""
    from coeval.execute import notebook_path

    notebook = notebook_path(workbook, MEETING_NOTEBOOK)
    serving = serving or Serving(port=8867)
    port = serving.port
    with socket.socket() as probe:
        try:
            probe.bind((serving.host, port))
        except OSError:
            raise CoevalError(
                f"--port {port}: another program is using it (perhaps another meeting); "
                "choose another port with --port"
            ) from None
    meeting, links, env = start_meeting(workbook, project, period, framework, serving, consultation)
    about = meeting.consultation or meeting.framework
    say(f"Meeting for {project}, quarter {meeting.period} ({about}).")
    say(f"  Meeting code:     {links.code[:3]} {links.code[3:]}")
    say(f"  Facilitator link: {links.facilitator}  (keep this one to yourself)")
    say(f"  Join link:        {links.join}")
    say(f"  Staff entry link: {links.entry}  (type in paper forms, letters, calls)")
    say("Press Ctrl+C to stop. Answers are saved as they are given.")
    return run_server(meeting_command(notebook, serving, workbook), env)
