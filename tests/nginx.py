"""A real, throwaway nginx in front of coeval, configured with the very file docs/deploy.md
shows (docs/nginx-coeval.conf), and a stand-in for oauth2-proxy.

nginx runs as an ordinary process (``daemon off``) on 127.0.0.1 on a free port, with its pid,
logs and temporary files in a temporary folder; it is stopped at the end. There is no
internet and no Microsoft Entra ID here, so :class:`SignInStandIn` answers oauth2-proxy's
``/oauth2/auth`` the way oauth2-proxy does: 202 with ``X-Auth-Request-Email`` for a signed-in
browser (one carrying the cookie :data:`COOKIE`, whose value is the email), 401 otherwise.

Use the ``nginx`` fixture: ``front = nginx(upstream_port)`` returns a :class:`Front` whose
``url`` reaches coeval through nginx; ``front.signed_in(email)`` is the cookie header for a
signed-in person (``front.cookie(email)`` as a Playwright cookie).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CONFIG = Path(__file__).parents[1] / "docs" / "nginx-coeval.conf"
COOKIE = "coeval_test_signin"
#: What the shared config says, and what a test run puts in its place.
COEVAL_UPSTREAM = "http://127.0.0.1:8867;"
SIGNIN_UPSTREAM = "http://127.0.0.1:4180;"
START_SECONDS = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def nginx_binary() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else ""
    )
    if not found:
        raise RuntimeError(
            "nginx was not found: run scripts/system-deps (it installs the Debian nginx "
            "package), or `make test`, which runs it"
        )
    return found


def _replace_once(text: str, old: str, new: str, count: int = 1) -> str:
    if text.count(old) != count:
        raise AssertionError(f"docs/nginx-coeval.conf should hold {old!r} {count} times")
    return text.replace(old, new)


def site_config(port: int, upstream: int, signin: int, folder: Path) -> str:
    """docs/nginx-coeval.conf as a test runs it: on 127.0.0.1:``port`` over plain HTTP (no
    certificate here), in front of coeval on ``upstream`` and the stand-in on ``signin``,
    logging into ``folder``. Everything else is the file as written."""
    text = CONFIG.read_text()
    text = _replace_once(text, "listen 443 ssl;", f"listen 127.0.0.1:{port};")
    lines = [line for line in text.splitlines() if not line.strip().startswith("ssl_")]
    text = "\n".join(lines) + "\n"
    text = _replace_once(text, "/var/log/nginx/coeval.log", str(folder / "coeval.log"))
    text = _replace_once(text, COEVAL_UPSTREAM, f"http://127.0.0.1:{upstream};", 2)
    return _replace_once(text, SIGNIN_UPSTREAM, f"http://127.0.0.1:{signin};", 2)


def main_config(site: Path, folder: Path) -> str:
    """nginx's own settings around the site: everything in ``folder``, in the foreground."""
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""
    temp = "".join(
        f"    {kind}_temp_path {folder / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes 1;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} info;\nevents {{ worker_connections 256; }}\n"
        f"http {{\n    access_log off;\n{temp}    include {site};\n}}\n"
    )


class _SignInHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.split("?")[0] != "/oauth2/auth":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.end_headers()
            self.wfile.write(b"Stand-in sign-in page")
            return
        cookie = SimpleCookie(self.headers.get("Cookie", ""))
        email = cookie[COOKIE].value if COOKIE in cookie else ""
        self.send_response(202 if email else 401)
        if email:
            self.send_header("X-Auth-Request-Email", email)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


class SignInStandIn:
    """oauth2-proxy's ``/oauth2/auth``, as far as nginx can tell, on 127.0.0.1."""

    def __init__(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _SignInHandler)
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


@dataclass
class Front:
    """nginx in front of coeval: its address, and how a signed-in browser looks."""

    port: int
    folder: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def signed_in(self, email: str) -> dict[str, str]:
        """Request headers for someone signed in as ``email``."""
        return {"Cookie": f"{COOKIE}={email}"}

    def cookie(self, email: str) -> dict[str, str]:
        """The same, as a Playwright cookie (``context.add_cookies([front.cookie(...)])``)."""
        return {"name": COOKIE, "value": email, "url": self.url}

    def through(self, url: str) -> str:
        """``url`` (a link coeval printed, on 127.0.0.1) as reached through nginx."""
        path = url.split("://", 1)[-1].split("/", 1)
        return self.url + (path[1] if len(path) > 1 else "")

    def log(self) -> str:
        return "".join(
            p.read_text()
            for p in (self.folder / "error.log", self.folder / "coeval.log")
            if p.exists()
        )


def _wait_until_listening(port: int, process: subprocess.Popen[bytes], folder: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx stopped: {(folder / 'error.log').read_text()[-2000:]}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nginx did not start within {START_SECONDS} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()  # nginx's fast shutdown
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[Callable[[int], Front]]:
    """``nginx(upstream_port)``: start nginx (docs/nginx-coeval.conf) and the sign-in
    stand-in in front of coeval on ``upstream_port``; both are stopped after the test."""
    started: list[subprocess.Popen[bytes]] = []
    stand_ins: list[SignInStandIn] = []
    binary = nginx_binary()

    def start(upstream: int) -> Front:
        stand_in = SignInStandIn()
        stand_ins.append(stand_in)
        folder = tmp_path / f"nginx-{len(started)}"
        folder.mkdir()
        port = free_port()
        site = folder / "coeval.conf"
        site.write_text(site_config(port, upstream, stand_in.port, folder))
        main = folder / "nginx.conf"
        main.write_text(main_config(site, folder))
        command = [binary, "-c", str(main), "-p", str(folder), "-e", str(folder / "error.log")]
        process = subprocess.Popen(
            [*command, "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        _wait_until_listening(port, process, folder)
        return Front(port, folder)

    try:
        yield start
    finally:
        for process in started:
            _stop(process)
        for stand_in in stand_ins:
            stand_in.stop()
