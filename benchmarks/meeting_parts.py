"""The pieces benchmarks/meeting.py measures with: browsers joining, timed saves from
several processes at once, kernels' memory, and the floors (plain Voila, a bare kernel)."""

from __future__ import annotations

import contextlib
import multiprocessing
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import psutil
from nbformat.v4 import new_code_cell, new_notebook

from coeval.frameworks import builtin_frameworks
from coeval.meeting.meetings import Answer, find_meeting, save_answer
from coeval.meeting.people import join_meeting
from coeval.store import Store

MIB = 1024 * 1024


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def kernels(pid: int) -> list[psutil.Process]:
    """The kernel processes a Voila server (process ``pid``) has started."""
    found = []
    for child in psutil.Process(pid).children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if any("ipykernel_launcher" in part for part in child.cmdline()):
                found.append(child)
    return found


def kernel_rss(pid: int) -> list[float]:
    """Each kernel's resident memory, in MiB."""
    sizes = []
    for kernel in kernels(pid):
        with contextlib.suppress(psutil.Error):
            sizes.append(kernel.memory_info().rss / MIB)
    return sizes


def wait_for_pool(pid: int, ready: int, limit: float = 120.0) -> None:
    """Wait until the server has ``ready`` kernels and they have finished starting."""
    deadline = time.monotonic() + limit
    while len(kernels(pid)) < ready and time.monotonic() < deadline:
        time.sleep(0.5)
    while time.monotonic() < deadline:
        busy = 0.0
        for kernel in kernels(pid):
            with contextlib.suppress(psutil.Error):
                busy += kernel.cpu_percent(interval=0.5)
        if busy < 5:
            return


def bare_kernel_rss() -> float:
    """The resident memory of a Python kernel that has imported nothing, in MiB."""
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3")
    try:
        client.execute_interactive("1 + 1", timeout=60, output_hook=lambda _message: None)
        pid = manager.provisioner.pid  # type: ignore[union-attr]
        return float(psutil.Process(pid).memory_info().rss / MIB)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def join_screen_seconds(
    browser: Any, url: str, times: int, pause: float, button: str = "Join the meeting"
) -> list[float]:
    """Open ``url`` ``times`` times, each in a fresh browser context (nothing cached, as on
    a phone opening the link for the first time), timing until ``button`` is on screen."""
    found = []
    for _ in range(times):
        context = browser.new_context()
        page = context.new_page()
        began = time.perf_counter()
        page.goto(url)
        page.get_by_role("button", name=button).wait_for(timeout=60_000)
        found.append(time.perf_counter() - began)
        context.close()
        time.sleep(pause)
    return found


def joined_pages(browser: Any, url: str, people: int) -> list[Any]:
    """``people`` participants who have joined and keep their screens open."""
    pages = []
    for n in range(people):
        page = browser.new_context().new_page()
        page.goto(url)
        try:
            page.get_by_label("I am taking part as").wait_for(timeout=60_000)
        except Exception:
            page.screenshot(path=f"/tmp/failed-{n}.png")
            raise
        page.get_by_label("I am taking part as").select_option(index=1 + n % 3)
        page.get_by_role("button", name="Join the meeting").click()
        page.get_by_text("You have joined").wait_for(timeout=60_000)
        pages.append(page)
    return pages


def _person(url: str, code: str, person: int, answers: int, start: Any, out: Any) -> None:
    frameworks = builtin_frameworks()
    role = "carer" if person % 2 else "staff"
    times = []
    with Store.open(url) as store:
        meeting = find_meeting(store, code=code)
        framework = frameworks[meeting.framework or ""]
        rater = join_meeting(store, code, role).rater
        start.wait()
        for n in range(answers):
            item = meeting.items[n % len(meeting.items)]
            score = framework.scale_min + n % 2
            given = Answer(code, framework.id, item, rater, role, score, "", f"{rater}-{n}")
            began = time.perf_counter()
            save_answer(store, given, framework)
            times.append((time.perf_counter() - began) * 1000)
            time.sleep(0.05)  # people do not answer back to back
    out.put(times)


def save_times(url: str, code: str, people: int, answers: int) -> list[float]:
    """Milliseconds per saved answer, ``people`` answering at once from their own
    processes (as each screen's kernel is its own process)."""
    context = multiprocessing.get_context("spawn")
    start, out = context.Event(), context.Queue()
    workers = [
        context.Process(target=_person, args=(url, code, n, answers, start, out))
        for n in range(people)
    ]
    for worker in workers:
        worker.start()
    time.sleep(4)  # every process has imported coeval and joined
    start.set()
    found = [t for _ in workers for t in out.get(timeout=600)]
    for worker in workers:
        worker.join()
    return found


@contextlib.contextmanager
def plain_voila(folder: Path) -> Iterator[str]:
    """Plain Voila serving a notebook that shows one button, from three kernels started
    ahead of time: the floor for opening a page."""
    notebook = folder / "floor.ipynb"
    cells = [new_code_cell("import ipywidgets as w\nw.Button(description='Floor')")]
    nbformat.write(new_notebook(cells=cells), notebook)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "voila",
            str(notebook),
            "--no-browser",
            "--Voila.ip=127.0.0.1",
            f"--Voila.port={port}",
            "--preheat_kernel=True",
            "--pool_size=3",
            "--VoilaKernelManager.fill_delay=0.2",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for_pool(server.pid, ready=3)
        yield f"http://127.0.0.1:{port}/"
    finally:
        for child in psutil.Process(server.pid).children(recursive=True):
            child.terminate()
        server.terminate()
        server.wait(timeout=60)
