"""Running Voila for coeval: its command line, the environment its kernels start in, and
running it until stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from coeval.execute import kernel_pythonpath

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class Serving:
    """Where and how a server listens: its port and address, the address people reach it
    at (a reverse proxy's, when there is one), and the header a sign-in proxy sets."""

    port: int
    host: str = LOOPBACK
    public_url: str | None = None
    trusted_header: str | None = None


#: Idle kernels are shut down after this many seconds: closing a Voila page does not always
#: shut its kernel down, and each one holds about 145 MiB.
CULL_IDLE_SECONDS = 600
CELL_TIMEOUT_SECONDS = 120


def voila_args(
    target: Path,
    serving: Serving,
    max_screens: int,
    *options: str,
    template: str = "coeval",
) -> list[str]:
    """Voila through coeval's application and template, never showing code or tracebacks,
    holding at most ``max_screens`` kernels (see coeval.kernels); ``options`` add what the
    dashboards or a meeting need. With a trusted header, that header (and only it) reaches
    the kernels, and coeval's application refuses staff pages without it."""
    signin = []
    if serving.trusted_header:
        signin = [
            f"--VoilaConfiguration.http_header_envs={serving.trusted_header}",
            f"--CoevalVoila.trusted_header={serving.trusted_header}",
        ]
    return [
        sys.executable,
        "-m",
        "coeval.server.app",
        str(target),
        "--no-browser",
        f"--template={template}",
        "--VoilaConfiguration.multi_kernel_manager_class=coeval.kernels.CappedKernelManager",
        f"--CappedKernelManager.max_kernels={max_screens}",
        f"--Voila.ip={serving.host}",
        f"--Voila.port={serving.port}",
        "--Voila.port_retries=0",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--VoilaExecutor.show_tracebacks=False",
        f"--VoilaExecutor.timeout={CELL_TIMEOUT_SECONDS}",
        *signin,
        *options,
    ]


def voila_environment() -> dict[str, str]:
    """Voila's environment: coeval's template folder on JUPYTER_PATH, and coeval/_kernel on
    its kernels' PYTHONPATH (as for the review kernels; see coeval/_kernel)."""
    here = str(Path(__file__).parent.parent)  # coeval/, which holds voila/templates/
    paths = [here, *[p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]]
    return {
        **os.environ,
        "JUPYTER_PATH": os.pathsep.join(paths),
        "PYTHONPATH": kernel_pythonpath(os.environ.get("PYTHONPATH", "")),
        "PYTHONSAFEPATH": "1",  # never import code from the folder a kernel starts in
    }


def run_server(
    command: list[str],
    env: dict[str, str],
    until: Callable[[subprocess.Popen[bytes]], None] | None = None,
) -> int:
    """Run a server until it stops, until ``until`` (watching it) stops it, or until coeval
    is stopped (Ctrl+C, or a SIGTERM from a service manager), which stops the server and its
    kernels too."""
    child = subprocess.Popen(command, env=env)

    def stop(_signum: int, _frame: object) -> None:
        child.terminate()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        if until is not None:
            until(child)
        code = child.wait()
        return 0 if until is not None and code in (0, -signal.SIGTERM) else code
    except KeyboardInterrupt:
        child.terminate()
        child.wait()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
