"""Serving dashboards and meetings with Voila, and publishing dashboards as a static site."""

from __future__ import annotations

import json
import os
import re
import secrets
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
from coeval.execute import kernel_pythonpath
from coeval.files import others_can_change, write_atomic
from coeval.frameworks import load_frameworks
from coeval.meeting.meetings import Meeting, open_meeting
from coeval.periods import parse_period, period_of
from coeval.practice.consultations import load_consultations
from coeval.run import period_folder, read_manifest, run_reviews
from coeval.store import Store
from coeval.vocabulary import PUBLIC

#: Idle kernels are shut down after this many seconds: closing a Voila page does not always
#: shut its kernel down, and each one holds about 145 MiB.
CULL_IDLE_SECONDS = 600
CELL_TIMEOUT_SECONDS = 120


def _voila(
    target: Path, port: int, max_screens: int, *options: str, template: str = "coeval"
) -> list[str]:
    """Voila on this computer only, through coeval's template, never showing code or
    tracebacks, holding at most ``max_screens`` kernels (see coeval.kernels); ``options``
    add what the dashboards or a meeting need."""
    return [
        sys.executable,
        "-m",
        "voila",
        str(target),
        "--no-browser",
        f"--template={template}",
        "--VoilaConfiguration.multi_kernel_manager_class=coeval.kernels.CappedKernelManager",
        f"--CappedKernelManager.max_kernels={max_screens}",
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
    """The Voila command line `coeval serve` runs: preheated kernels (none for notebooks in
    hidden folders, such as failed runs), idle ones culled, and at most ``[serve]
    max_screens`` pages open beyond the kernels Voila starts ahead of time (one for each
    notebook it finds when it starts)."""
    folder = root or workbook.dashboards_dir
    preheated = len(served_notebooks(folder))
    return _voila(
        folder,
        port,
        workbook.settings.servers.serve_max_screens + preheated,
        "--preheat_kernel=True",
        "--VoilaKernelManager.preheat_denylist=['(^|.*/)[.].*']",
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
        "PYTHONSAFEPATH": "1",  # never import code from the folder a kernel starts in
    }


def serve(workbook: Workbook, port: int, say: Callable[[str], object] = print) -> int:
    """Serve the workbook's dashboards on this computer only, until stopped."""
    if not workbook.dashboards_dir.is_dir() or not any(workbook.dashboards_dir.glob("*/*.ipynb")):
        raise CoevalError(
            f"there are no dashboards in {workbook.dashboards_dir} yet; make them with "
            "`coeval run --period QUARTER`"
        )
    check_served(workbook.dashboards_dir)
    say(f"Serving the dashboards at http://127.0.0.1:{port}/ (press Ctrl+C to stop)")
    say("Open a quarter's folder, then a project's notebook.")
    return run_server(voila_command(workbook, port), voila_environment())


def served_notebooks(folder: Path) -> list[Path]:
    """The notebooks Voila would serve and run from ``folder`` (none in hidden folders)."""
    return [
        p
        for p in sorted(folder.rglob("*.ipynb"))
        if not any(part.startswith(".") for part in p.relative_to(folder).parts)
    ]


def check_served(folder: Path) -> None:
    """`coeval serve` runs every notebook it serves, so each must be one `coeval run` made
    (listed in its quarter's manifest.json) and changeable by this user alone."""
    for notebook in served_notebooks(folder):
        manifest = read_manifest(notebook.parent)
        entries = [*manifest["projects"].values(), manifest.get("portfolio") or {}]
        if notebook.name not in {entry.get("notebook") for entry in entries}:
            raise CoevalError(
                f"{notebook} was not made by `coeval run`, and `coeval serve` runs every notebook "
                f"it serves; move it out of {folder}"
            )
        if others_can_change(notebook):
            raise CoevalError(
                f"{notebook} can be changed by someone else, and `coeval serve` runs every "
                f"notebook it serves; make it yours alone (`chmod go-w {notebook}`) or remake "
                "it with `coeval run --force`"
            )


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
    audience: str = PUBLIC,
    say: Callable[[str], object] = print,
) -> Path:
    """Write the period's static site (its index and every page) to ``out``.

    Reviews are (re)made first where their inputs changed, so the site is never stale. ``out``
    must be new, empty, or a site published before (see :func:`site_folder`); only the files
    coeval wrote there are replaced or removed.
    """
    this = parse_period(period, workbook.settings.period_scheme)
    folder, before = site_folder(workbook, out)  # checked before any work is done
    report = run_reviews(workbook, this.label, audience=audience, say=say)
    if report.failed:
        failed = ", ".join(o.name for o in report.failed)
        raise CoevalError(
            f"not published: the reviews of {failed} failed; see {report.folder / '.failed'}"
        )
    source = period_folder(workbook, this, audience)
    pages = sorted(source.glob("*.html"))
    names = [page.name for page in pages]
    theirs = [n for n in names if n not in before and (folder / n).exists()]
    if theirs:
        raise CoevalError(
            f"--out {out}: {theirs[0]} is already there and coeval did not write it; move it "
            "away or choose another folder (nothing was published)"
        )
    folder.mkdir(parents=True, exist_ok=True)
    # Record every file this run may write before writing any, so an interrupted run still
    # leaves the marker naming them all; the final marker names only this site's pages.
    _write_marker(folder, this.label, audience, sorted({*before, *names}))
    for page in pages:
        write_atomic(folder / page.name, page.read_bytes())
    for name in sorted(set(before) - set(names)):
        stale = folder / name
        if stale.is_file() and not stale.is_symlink():
            stale.unlink()
    _write_marker(folder, this.label, audience, names)
    return folder


#: The file `coeval publish` leaves in a site folder, naming the files it wrote there. Only a
#: folder with this file (or an empty or new one) is published into, and only those files are
#: ever replaced or removed.
SITE_MARKER = ".coeval-site.json"
_PAGE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}\.html$")


def site_folder(workbook: Workbook, out: Path) -> tuple[Path, list[str]]:
    """Where a site may be published, and the files coeval wrote there before.

    Refused: the workbook itself, any folder that holds it, anything inside its data/ or
    dashboards/, a file, and a folder holding anything coeval did not write."""
    given = out.expanduser()
    folder = given.resolve()
    root = workbook.root.resolve()
    if root.is_relative_to(folder):
        what = "the workbook itself" if folder == root else "a folder that holds the workbook"
        raise CoevalError(
            f"--out {given}: that is {what}, so publishing there could replace your data; "
            "choose a new folder, for example --out site"
        )
    for inside, why in (
        (workbook.data_dir, "the workbook's data"),
        (workbook.dashboards_dir, "the dashboards coeval run makes"),
    ):
        if folder.is_relative_to(inside.resolve()):
            raise CoevalError(
                f"--out {given}: that is inside {inside}, which holds {why}; choose a folder "
                "outside it, for example --out site"
            )
    if folder.exists() and not folder.is_dir():
        raise CoevalError(f"--out {given} is a file; give a folder")
    if not folder.exists():
        return folder, []
    marker = folder / SITE_MARKER
    if marker.is_file() and not marker.is_symlink():
        return folder, _marked_files(marker)
    if any(folder.iterdir()):
        raise CoevalError(
            f"--out {given} already holds files that coeval publish did not write; choose an "
            "empty or new folder (publish never replaces or removes anything it did not make)"
        )
    return folder, []


def _marked_files(marker: Path) -> list[str]:
    """The page names a site marker lists: plain file names only, whatever the file says."""
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise CoevalError(
            f"{marker} is damaged, so coeval cannot tell which files it wrote there; choose an "
            "empty or new folder for --out"
        ) from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list):
        files = []
    return [name for name in files if isinstance(name, str) and _PAGE_NAME.match(name)]


def _write_marker(folder: Path, period: str, audience: str, files: list[str]) -> None:
    record = {
        "written_by": "coeval publish",
        "period": period,
        "audience": audience,
        "files": files,
    }
    write_atomic(folder / SITE_MARKER, json.dumps(record, indent=2) + "\n")


# -- meetings --------------------------------------------------------------------------------

MEETING_NOTEBOOK = "meeting.ipynb"


@dataclass(frozen=True)
class MeetingLinks:
    code: str
    facilitator: str
    join: str
    entry: str


def meeting_command(notebook: Path, port: int, workbook: Workbook) -> list[str]:
    """The Voila command line `coeval meeting` runs: one notebook, no preheated kernels (each
    screen depends on its link), at most ``[meeting] max_screens`` kernels, and a kernel that
    no browser is connected to closed after ``unused_screen_seconds``. A page that is open
    keeps its kernel however quiet the meeting is (connected kernels are never culled)."""
    servers = workbook.settings.servers
    unused = servers.unused_screen_seconds
    return _voila(
        notebook,
        port,
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
    port: int = 8867,
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
    base = f"http://127.0.0.1:{port}/"
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
    port: int = 8867,
    say: Callable[[str], object] = print,
    consultation: str | None = None,
) -> int:
    """Open a meeting and serve its app until stopped; print the links people need."""
    from coeval.execute import notebook_path

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
    return run_server(meeting_command(notebook, port, workbook), env)
