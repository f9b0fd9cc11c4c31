"""`coeval serve`: the workbook's dashboards in Voila."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from coeval.config import Workbook
from coeval.exceptions import CoevalError
from coeval.files import others_can_change
from coeval.run import read_manifest
from coeval.server.home import quarters
from coeval.server.voila import (
    CULL_IDLE_SECONDS,
    Serving,
    run_server,
    voila_args,
    voila_environment,
)


def voila_command(workbook: Workbook, serving: Serving, root: Path | None = None) -> list[str]:
    """The Voila command line `coeval serve` runs: a kernel started ahead of time for each
    page of the latest quarter (older quarters' pages start when someone opens them), idle
    kernels culled, and at most ``[serve] max_screens`` pages open beyond those started
    ahead. The page's template is coeval's own, and a reader cannot choose another."""
    folder = root or workbook.dashboards_dir
    preheated = preheated_notebooks(folder)
    return voila_args(
        folder,
        serving,
        workbook.settings.servers.serve_max_screens + len(preheated),
        "--preheat_kernel=True",
        f"--VoilaKernelManager.preheat_denylist={[preheat_denylist(folder)]!r}",
        "--pool_size=1",
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=True",
    )


def latest_quarter(folder: Path) -> str | None:
    """The folder name of the newest quarter `coeval run` made under ``folder``."""
    found = quarters(folder)
    return found[0][0] if found else None


def preheated_notebooks(folder: Path) -> list[Path]:
    """The pages Voila starts a kernel for ahead of time: the latest quarter's (not its
    public version's, nor anything in a hidden folder)."""
    latest = latest_quarter(folder)
    return [p for p in served_notebooks(folder) if latest and p.parent == folder / latest]


def preheat_denylist(folder: Path) -> str:
    """Voila's preheat denylist, as one regular expression: every notebook except those
    directly in the latest quarter's folder. Voila matches it against each notebook's path
    under the folder it serves, as that folder's absolute path joined with the notebook's."""
    latest = latest_quarter(folder) or "\0"  # no quarter yet: nothing matches, all denied
    prefix = re.escape(os.path.join(os.path.abspath(folder), latest) + os.sep)
    return f"^(?!{prefix}[^/.][^/]*[.]ipynb$)"


def serve(
    workbook: Workbook,
    port: int,
    say: Callable[[str], object] = print,
    trusted_header: str | None = None,
) -> int:
    """Serve the workbook's dashboards on this computer only, until stopped."""
    if not workbook.dashboards_dir.is_dir() or not any(workbook.dashboards_dir.glob("*/*.ipynb")):
        raise CoevalError(
            f"there are no dashboards in {workbook.dashboards_dir} yet; make them with "
            "`coeval run --period QUARTER`"
        )
    check_served(workbook.dashboards_dir)
    say(f"Serving the dashboards at http://127.0.0.1:{port}/ (press Ctrl+C to stop)")
    say("It opens on each quarter's projects, newest quarter first; choose a project to see its")
    say("dashboard. The latest quarter's pages open quickest (they are started ahead).")
    serving = Serving(port=port, trusted_header=trusted_header)
    return run_server(voila_command(workbook, serving), voila_environment())


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
