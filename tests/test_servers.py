"""coeval's Voila servers as an attacker would meet them: pages fetched without a browser start
no more kernels than the cap allows (one more gets a plain "full" page), kernels no browser
connects to are closed within the configured time, and no meeting kernel's environment holds
the facilitator's or the staff key."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from coeval.config import Workbook
from coeval.store import Store
from tests.meeting_server import start_meeting_server
from tests.test_browser import _free_port

pytestmark = pytest.mark.slow
COEVAL = str(Path(sys.executable).parent / "coeval")
CAP = 3
UNUSED_SECONDS = 6


@pytest.fixture
def server(workbook: Workbook, store: Store) -> Iterator[tuple[dict[str, str], psutil.Process]]:
    store.add_project("p1", "Carers' hub", ["healthwatch-six"])
    config = workbook.config_path
    text = config.read_text()
    text = text.replace("max_screens = 45", f"max_screens = {CAP}")
    text = text.replace("unused_screen_seconds = 180", f"unused_screen_seconds = {UNUSED_SECONDS}")
    config.write_text(text)
    port = _free_port()
    process, links = start_meeting_server(workbook.root, port)
    printed = [f"{name}: {link}" for name, link in links.items()]
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/static/", timeout=1)
            except urllib.error.HTTPError:
                break
            except OSError:
                assert process.poll() is None, printed
                time.sleep(0.5)
        yield links, psutil.Process(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=120) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def kernels(server: psutil.Process) -> list[psutil.Process]:
    """The server's live kernels (a closed kernel can linger as a zombie until reaped)."""
    found = []
    for process in server.children(recursive=True):
        try:
            if "ipykernel" in " ".join(process.cmdline()):
                found.append(process)
        except psutil.Error:  # gone, or a zombie: closed
            continue
    return found


def test_the_server_is_bounded_unused_pages_are_closed_and_kernels_hold_no_key(server) -> None:
    links, process = server
    keys = [
        re.search(r"key=([^&\s]+)", links[name]).group(1)
        for name in ("Facilitator link", "Staff entry link")
    ]
    assert keys[0] != keys[1]  # the facilitator's screen and staff entry have separate keys
    for _ in range(CAP):
        status, _page = fetch(links["Join link"])  # fetched, never connected by a browser
        assert status == 200
    assert len(kernels(process)) == CAP
    status, page = fetch(links["Join link"])
    assert status == 503 and "This meeting is full" in page and 'lang="en-GB"' in page
    assert len(kernels(process)) == CAP

    for kernel in kernels(process):  # no kernel holds a key, nor anything keyed by one
        environment = "\n".join(f"{k}={v}" for k, v in kernel.environ().items())
        assert all(key not in environment for key in keys)

    deadline = time.monotonic() + UNUSED_SECONDS + 60
    while kernels(process) and time.monotonic() < deadline:
        time.sleep(1)
    assert kernels(process) == []  # pages no browser connected to were closed
    status, _page = fetch(links["Join link"])
    assert status == 200  # and there is room again


def test_a_page_cannot_run_code_in_its_kernel(server, tmp_path: Path) -> None:
    """Anyone with the join link can talk to their page's kernel; they can use its widgets,
    but a request to run code is refused by the server."""
    import asyncio
    import json
    import uuid

    from tornado.websocket import websocket_connect

    links, _process = server
    status, page = fetch(links["Join link"])
    assert status == 200
    kernel = re.search(r'"kernelId":\s*"([0-9a-f-]+)"', page).group(1)
    port = re.search(r":(\d+)/", links["Join link"]).group(1)
    marker = tmp_path / "code-ran"
    request = {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "username": "visitor",
            "session": uuid.uuid4().hex,
            "msg_type": "execute_request",
            "version": "5.3",
            "date": "",
        },
        "parent_header": {},
        "metadata": {},
        "content": {
            "code": f"open({str(marker)!r}, 'w').write('x')",
            "silent": False,
            "store_history": False,
            "user_expressions": {},
            "allow_stdin": False,
        },
        "channel": "shell",
        "buffers": [],
    }

    async def send() -> None:
        socket = await websocket_connect(f"ws://127.0.0.1:{port}/api/kernels/{kernel}/channels")
        await socket.write_message(json.dumps(request))
        await asyncio.sleep(3)
        socket.close()

    asyncio.run(send())
    assert not marker.exists()


def test_the_dashboard_server_is_bounded_too(tiny: Workbook) -> None:
    from coeval.run import run_reviews

    assert not run_reviews(tiny, "2026Q3").failed  # two notebooks: 007 and the portfolio
    config = tiny.config_path
    config.write_text(config.read_text().replace("max_screens = 20", "max_screens = 1"))
    port = _free_port()
    process = subprocess.Popen(
        [COEVAL, "--workbook", str(tiny.root), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "COEVAL_WORKBOOK": ""},
    )
    try:
        server = psutil.Process(process.pid)
        page = f"http://127.0.0.1:{port}/voila/render/2026Q3/007.ipynb"
        for _ in range(120):
            if len(kernels(server)) >= 2:
                break
            time.sleep(0.5)
        statuses = []
        for _ in range(4):
            status, text = fetch(page)
            statuses.append(status)
            assert len(kernels(server)) <= 1 + 2  # one reader's page beyond the two preheated
            if status == 503:
                assert "Too many pages are open" in text
        assert statuses[0] == 200 and 503 in statuses
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_cap_counts_a_kernel_once_while_its_start_finishes(monkeypatch) -> None:
    """A kernel is listed by the manager before its start has returned; counting it both as
    listed and as starting refused a reader while the preheated kernels were still starting."""
    import asyncio

    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from tornado.web import HTTPError

    from coeval.kernels import CappedKernelManager

    release = asyncio.Event()

    async def start(self, *args, kernel_id=None, **kwargs):
        self._kernels[kernel_id] = object()  # listed at once, as jupyter_client does
        await release.wait()  # ... while the start goes on (waiting for the kernel to reply)
        return kernel_id

    monkeypatch.setattr(AsyncMappingKernelManager, "start_kernel", start)

    async def scenario() -> list[object]:
        manager = CappedKernelManager(max_kernels=3)
        first = [asyncio.create_task(manager.start_kernel()) for _ in range(2)]  # preheating
        await asyncio.sleep(0)
        reader = asyncio.create_task(manager.start_kernel())  # a reader's page meanwhile
        await asyncio.sleep(0)
        release.set()
        started = await asyncio.gather(*first, reader)
        with pytest.raises(HTTPError) as refused:
            await manager.start_kernel()  # one more than the cap
        return [len(set(started)), refused.value.status_code, len(manager.list_kernel_ids())]

    assert asyncio.run(scenario()) == [3, 503, 3]
