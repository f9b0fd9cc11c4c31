"""Serving dashboards with Voila, and publishing them as a static site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from coeval.config import Workbook
from coeval.exceptions import CoevalError
from coeval.periods import parse_period
from coeval.reviews import period_folder, run_reviews

#: Idle kernels are shut down after this many seconds: closing a Voila page does not always
#: shut its kernel down, and each one holds about 145 MiB.
CULL_IDLE_SECONDS = 600
CELL_TIMEOUT_SECONDS = 120


def voila_command(workbook: Workbook, port: int, root: Path | None = None) -> list[str]:
    """The Voila command line `coeval serve` runs."""
    folder = root or workbook.dashboards_dir
    return [
        sys.executable,
        "-m",
        "voila",
        str(folder),
        "--no-browser",
        "--template=coeval",
        "--Voila.ip=127.0.0.1",
        f"--Voila.port={port}",
        "--Voila.port_retries=0",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--VoilaExecutor.show_tracebacks=False",
        "--preheat_kernel=True",
        "--pool_size=1",
        f"--VoilaExecutor.timeout={CELL_TIMEOUT_SECONDS}",
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=True",
    ]


def voila_environment() -> dict[str, str]:
    """Voila's environment: coeval's template folder on JUPYTER_PATH."""
    here = str(Path(__file__).parent)
    paths = [here, *[p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]]
    return {**os.environ, "JUPYTER_PATH": os.pathsep.join(paths)}


def serve(workbook: Workbook, port: int, say: Callable[[str], object] = print) -> int:
    """Serve the workbook's dashboards on this computer only, until stopped."""
    if not workbook.dashboards_dir.is_dir() or not any(workbook.dashboards_dir.glob("*/*.ipynb")):
        raise CoevalError(
            f"there are no dashboards in {workbook.dashboards_dir} yet; make them with "
            "`coeval run --period QUARTER`"
        )
    say(f"Serving the dashboards at http://127.0.0.1:{port}/ (press Ctrl+C to stop)")
    say("Open a quarter's folder, then a project's notebook.")
    try:
        return subprocess.call(voila_command(workbook, port), env=voila_environment())
    except KeyboardInterrupt:
        return 0


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
