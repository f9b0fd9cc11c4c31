"""Serving dashboards and meetings with Voila, and publishing dashboards as a static site."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from coeval.config import ENV_DB, ENV_WORKBOOK, Workbook
from coeval.exceptions import CoevalError
from coeval.meetings import Meeting, open_meeting
from coeval.periods import parse_period, period_of
from coeval.reviews import kernel_pythonpath, period_folder, run_reviews

#: Idle kernels are shut down after this many seconds: closing a Voila page does not always
#: shut its kernel down, and each one holds about 145 MiB.
CULL_IDLE_SECONDS = 600
CELL_TIMEOUT_SECONDS = 120


def _voila(target: Path, port: int, *options: str) -> list[str]:
    """Voila on this computer only, through coeval's template, never showing code or
    tracebacks; ``options`` add what the dashboards or a meeting need."""
    return [
        sys.executable,
        "-m",
        "voila",
        str(target),
        "--no-browser",
        "--template=coeval",
        "--Voila.ip=127.0.0.1",
        f"--Voila.port={port}",
        "--Voila.port_retries=0",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--VoilaExecutor.show_tracebacks=False",
        f"--VoilaExecutor.timeout={CELL_TIMEOUT_SECONDS}",
        *options,
    ]


def voila_command(workbook: Workbook, port: int, root: Path | None = None) -> list[str]:
    """The Voila command line `coeval serve` runs: preheated kernels, idle ones culled."""
    return _voila(
        root or workbook.dashboards_dir,
        port,
        "--preheat_kernel=True",
        "--pool_size=1",
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=True",
    )


def voila_environment() -> dict[str, str]:
    """Voila's environment: coeval's template folder on JUPYTER_PATH, and coeval/_kernel on
    its kernels' PYTHONPATH (as for the review kernels; see coeval/_kernel)."""
    here = str(Path(__file__).parent)
    paths = [here, *[p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]]
    return {
        **os.environ,
        "JUPYTER_PATH": os.pathsep.join(paths),
        "PYTHONPATH": kernel_pythonpath(os.environ.get("PYTHONPATH", "")),
    }


def serve(workbook: Workbook, port: int, say: Callable[[str], object] = print) -> int:
    """Serve the workbook's dashboards on this computer only, until stopped."""
    if not workbook.dashboards_dir.is_dir() or not any(workbook.dashboards_dir.glob("*/*.ipynb")):
        raise CoevalError(
            f"there are no dashboards in {workbook.dashboards_dir} yet; make them with "
            "`coeval run --period QUARTER`"
        )
    say(f"Serving the dashboards at http://127.0.0.1:{port}/ (press Ctrl+C to stop)")
    say("Open a quarter's folder, then a project's notebook.")
    return run_server(voila_command(workbook, port), voila_environment())


def run_server(command: list[str], env: dict[str, str]) -> int:
    """Run a server until it stops, or until coeval is stopped (Ctrl+C, or a SIGTERM from a
    service manager), which stops the server and its kernels too."""
    child = subprocess.Popen(command, env=env)

    def stop(_signum: int, _frame: object) -> None:
        child.terminate()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return child.wait()
    except KeyboardInterrupt:
        child.terminate()
        child.wait()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


def publish(
    workbook: Workbook,
    period: str,
    out: Path,
    audience: str = "public",
    say: Callable[[str], object] = print,
) -> Path:
    """Write the period's static site (its index and every page) to ``out``.

    Reviews are (re)made first where their inputs changed, so the site is never stale.
    """
    this = parse_period(period, workbook.settings.period_scheme)
    report = run_reviews(workbook, this.label, audience=audience, say=say)
    if report.failed:
        names = ", ".join(o.name for o in report.failed)
        raise CoevalError(
            f"not published: the reviews of {names} failed; see {report.folder / '.failed'}"
        )
    source = period_folder(workbook, this, audience)
    out = out.expanduser().resolve()
    if out.exists() and not out.is_dir():
        raise CoevalError(f"--out {out} is a file; give a folder")
    staging = out.with_name(out.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for page in sorted(source.glob("*.html")):
        shutil.copy2(page, staging / page.name)
    if out.exists():
        shutil.rmtree(out)
    staging.replace(out)
    return out


# -- meetings --------------------------------------------------------------------------------

#: A meeting runs for hours and people keep their page open while the group talks, so a
#: participant's kernel is kept however quiet it is, up to this long.
MEETING_IDLE_SECONDS = 6 * 3600
MEETING_NOTEBOOK = "meeting.ipynb"


@dataclass(frozen=True)
class MeetingLinks:
    code: str
    facilitator: str
    join: str
    entry: str


def meeting_command(notebook: Path, port: int) -> list[str]:
    """The Voila command line `coeval meeting` runs: one notebook, no preheated kernels (each
    screen depends on its link), and kernels kept while people's pages are open."""
    return _voila(
        notebook,
        port,
        f"--MappingKernelManager.cull_idle_timeout={MEETING_IDLE_SECONDS}",
        "--MappingKernelManager.cull_interval=300",
        "--MappingKernelManager.cull_connected=False",
    )


def start_meeting(
    workbook: Workbook,
    project: str,
    period: str | None = None,
    framework: str | None = None,
    port: int = 8867,
    consultation: str | None = None,
) -> tuple[Meeting, MeetingLinks, dict[str, str]]:
    """Open a meeting in the store; return it, its links and the environment to serve it in."""
    from coeval.widgets.app import ENV_JOIN, ENV_KEY, ENV_MEETING

    scheme = workbook.settings.period_scheme
    label = parse_period(period, scheme).label if period else period_of(date.today(), scheme).label
    frameworks = workbook.frameworks()
    with workbook.store() as store:
        used = store.project(project).frameworks
        chosen = framework or used[0]
        if chosen not in used:
            raise CoevalError(
                f"--framework {chosen}: project {project!r} does not use it; use one of: "
                f"{', '.join(used)}"
            )
        if consultation is not None:
            known = workbook.consultations()
            if consultation not in known:
                listed = ", ".join(known) or "none; add a file to data/consultations/"
                raise CoevalError(f"--consultation {consultation}: unknown; known: {listed}")
            covers: dict[str, Any] = {"consultation": known[consultation]}
        else:
            covers = {"framework": frameworks[chosen]}
        meeting = open_meeting(store, project, label, date.today(), **covers)
    key = secrets.token_urlsafe(18)
    base = f"http://127.0.0.1:{port}/"
    links = MeetingLinks(
        code=meeting.code,
        facilitator=f"{base}?view=facilitator&key={key}",
        join=f"{base}?code={meeting.code}",
        entry=f"{base}?view=entry&key={key}",
    )
    env = {
        **voila_environment(),
        ENV_WORKBOOK: str(workbook.root),
        ENV_DB: workbook.db_url,
        ENV_MEETING: str(meeting.id),
        ENV_KEY: key,
        ENV_JOIN: base,
    }
    return meeting, links, env


def serve_meeting(
    workbook: Workbook,
    project: str,
    period: str | None = None,
    framework: str | None = None,
    port: int = 8867,
    say: Callable[[str], object] = print,
    consultation: str | None = None,
) -> int:
    """Open a meeting and serve its app until stopped; print the links people need."""
    from coeval.reviews import notebook_path

    notebook = notebook_path(workbook, MEETING_NOTEBOOK)
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise CoevalError(
                f"--port {port}: another program is using it (perhaps another meeting); "
                "choose another port with --port"
            ) from None
    meeting, links, env = start_meeting(workbook, project, period, framework, port, consultation)
    about = meeting.consultation or meeting.framework
    say(f"Meeting for {project}, quarter {meeting.period} ({about}).")
    say(f"  Meeting code:     {links.code[:3]} {links.code[3:]}")
    say(f"  Facilitator link: {links.facilitator}  (keep this one to yourself)")
    say(f"  Join link:        {links.join}")
    say(f"  Staff entry link: {links.entry}  (type in paper forms, letters, calls)")
    say("Press Ctrl+C to stop. Answers are saved as they are given.")
    return run_server(meeting_command(notebook, port), env)
