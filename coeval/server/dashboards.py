"""`coeval serve`: the workbook's dashboards in Voila."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from coeval.config import Workbook
from coeval.exceptions import CoevalError
from coeval.files import others_can_change
from coeval.run import read_manifest
from coeval.server.voila import (
    CULL_IDLE_SECONDS,
    Serving,
    run_server,
    voila_args,
    voila_environment,
)


def voila_command(workbook: Workbook, serving: Serving, root: Path | None = None) -> list[str]:
    """The Voila command line `coeval serve` runs: preheated kernels (none for notebooks in
    hidden folders, such as failed runs), idle ones culled, and at most ``[serve]
    max_screens`` pages open beyond the kernels Voila starts ahead of time (one for each
    notebook it finds when it starts)."""
    folder = root or workbook.dashboards_dir
    preheated = len(served_notebooks(folder))
    return voila_args(
        folder,
        serving,
        workbook.settings.servers.serve_max_screens + preheated,
        "--preheat_kernel=True",
        "--VoilaKernelManager.preheat_denylist=['(^|.*/)[.].*']",
        "--pool_size=1",
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=True",
    )


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
    say("Open a quarter's folder, then a project's notebook.")
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
