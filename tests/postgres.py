"""A real, throwaway PostgreSQL server for the tests: initdb into a temporary folder, listening
only on a private Unix socket, stopped and removed at the end of the session."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _binary(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    if not found[-1]:
        raise RuntimeError(
            f"PostgreSQL's {name} was not found: run scripts/system-deps (it installs the "
            "Debian postgresql package), or `make test`, which runs it"
        )
    return found[-1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a server; yields a SQLAlchemy URL prefix ending in '/' (add a database name)."""
    folder = Path(tempfile.mkdtemp(prefix="coeval-pg-"))
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
        as_postgres = ["runuser", "-u", "postgres", "--"]
    data, port = folder / "data", _free_port()

    def run(*command: str) -> None:
        subprocess.run([*as_postgres, *command], check=True, capture_output=True, text=True)

    run(
        _binary("initdb"),
        "-D",
        str(data),
        "-U",
        "postgres",
        "--auth=trust",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
    )
    options = f"-k {folder} -p {port} -c listen_addresses='' -c fsync=off"
    log = str(folder / "server.log")
    run(_binary("pg_ctl"), "-D", str(data), "-o", options, "-w", "-l", log, "start")
    try:
        yield f"postgresql+psycopg://postgres@/{{}}?host={folder}&port={port}"
    finally:
        subprocess.run(
            [*as_postgres, _binary("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)
