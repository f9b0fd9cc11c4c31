"""Sign-in through the organisation's proxy (``--trusted-header``), tested through a real nginx
configured with docs/nginx-coeval.conf and a stand-in for oauth2-proxy (tests/nginx.py): staff
pages open only for people signed in, a header a visitor forges is not trusted, participants
join without signing in, and WebSockets work through nginx."""

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
from coeval.server.signin import refusal_page, staff_view
from coeval.store import Store
from tests.browser import Visit, chromium, open_page, serious_violations
from tests.meeting_server import start_meeting_server
from tests.nginx import CONFIG, free_port, nginx  # noqa: F401 (nginx: a fixture)
from tests.test_servers import kernels

COEVAL = str(Path(sys.executable).parent / "coeval")
HEADER = "X-Forwarded-Email"
REFUSED = "Please sign in to open this page"
SCREEN = 60_000  # ms


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=120) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_until_served(url: str, process: subprocess.Popen[str], limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            assert process.poll() is None, "the server stopped"
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {limit} s")


# -- without a server -------------------------------------------------------------------------


def test_the_docs_show_the_nginx_config_the_tests_run() -> None:
    deploy = (Path(__file__).parents[1] / "docs" / "deploy.md").read_text()
    blocks = re.findall(r"```nginx\n(.*?)```", deploy, re.S)
    assert CONFIG.read_text() in blocks
    config = CONFIG.read_text()
    # the header is always set by nginx: from the sign-in when signed in, removed otherwise
    assert config.count(f"proxy_set_header {HEADER} ") == 2
    assert f'proxy_set_header {HEADER} "";' in config and "error_page 401 = @anonymous;" in config


def test_only_the_join_screen_is_open_to_everyone() -> None:
    assert not staff_view("") and not staff_view("code=ABC123") and not staff_view("view=join")
    for query in (
        "view=facilitator&key=k",
        "view=entry&key=k",
        "view=join&view=facilitator&key=k",  # a kernel and tornado read different ones
        "view=facilitator&view=join&key=k",
        "view=&view=facilitator",
        "view=Facilitator",
    ):
        assert staff_view(query), query


def test_the_refusal_page_says_how_to_sign_in_in_plain_words() -> None:
    meeting, dashboards = refusal_page(meeting=True), refusal_page(meeting=False)
    assert 'lang="en-GB"' in meeting and "<script" not in meeting and "http" not in meeting
    assert "meeting's staff" in meeting and "join link or the meeting code" in meeting
    assert (
        "dashboards are for staff" in dashboards and "Sign in with your work account" in dashboards
    )


def settled(server: psutil.Process, limit: float = 120) -> set[int]:
    """The server's kernels once their number has stopped changing for a few seconds."""
    deadline, last, steady = time.monotonic() + limit, None, 0
    while time.monotonic() < deadline and steady < 4:
        now = {k.pid for k in kernels(server)}
        steady = steady + 1 if now == last else 0
        last = now
        time.sleep(1)
    return last or set()


# -- a meeting through nginx ------------------------------------------------------------------


@pytest.fixture
def meeting(workbook: Workbook, store: Store) -> Iterator[tuple[dict[str, str], int, int]]:
    """`coeval meeting --trusted-header X-Forwarded-Email`: its links, port and process id."""
    store.add_project("p1", "Carers' hub", ["healthwatch-six"])
    port = free_port()
    process, links = start_meeting_server(
        workbook.root, port, "--period", "2026Q3", "--trusted-header", HEADER
    )
    try:
        wait_until_served(f"http://127.0.0.1:{port}/voila/static/", process)
        yield links, port, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.slow
def test_staff_screens_need_sign_in_through_nginx(meeting, nginx) -> None:  # noqa: F811
    links, port, pid = meeting
    front = nginx(port)
    server = psutil.Process(pid)
    facilitator, entry = (
        front.through(links["Facilitator link"]),
        front.through(links["Staff entry link"]),
    )

    before = settled(server)  # the kernels the meeting starts ahead of time
    for url in (facilitator, entry):
        status, page = fetch(url)  # not signed in
        assert status == 403 and REFUSED in page and "Traceback" not in page
        status, page = fetch(url, {HEADER: "mallory@example.org"})  # a forged header
        assert status == 403 and REFUSED in page
    # the key alone is not enough, nor a second view slipped past the check
    status, _page = fetch(facilitator.replace("view=facilitator", "view=join&view=facilitator"))
    assert status == 403
    time.sleep(2)
    assert {k.pid for k in kernels(server)} == before  # nothing refused took or started one

    status, page = fetch(facilitator, front.signed_in("chair@example.org"))
    assert status == 200 and '"kernelId"' in page and REFUSED not in page

    status, page = fetch(front.through(links["Join link"]))  # participants: no sign-in
    assert status == 200 and REFUSED not in page
    assert "?" not in front.log()  # no query string (nor key) in nginx's log


@pytest.mark.slow
def test_participants_join_through_nginx_and_the_refusal_page_is_accessible(meeting, nginx) -> None:  # noqa: F811
    links, port, _pid = meeting
    front = nginx(port)
    visit = Visit()
    with chromium() as browser:
        refused = open_page(browser, front.through(links["Facilitator link"]), Visit())
        refused.get_by_text(REFUSED).wait_for(timeout=SCREEN)
        assert serious_violations(refused) == []

        participant = open_page(browser, front.through(links["Join link"]), visit)
        # the join screen is drawn by widgets, over the kernel's WebSocket through nginx
        participant.get_by_text("Join the meeting").first.wait_for(timeout=SCREEN)
        assert participant.get_by_label("Meeting code").input_value()
    assert visit.blocked == []


# -- dashboards -------------------------------------------------------------------------------


@pytest.mark.slow
def test_dashboards_need_sign_in(tiny: Workbook) -> None:
    from coeval.run import run_reviews

    assert not run_reviews(tiny, "2026Q3").failed
    port = free_port()
    process = subprocess.Popen(
        [
            COEVAL,
            "--workbook",
            str(tiny.root),
            "serve",
            "--port",
            str(port),
            "--trusted-header",
            HEADER,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "COEVAL_WORKBOOK": ""},
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        wait_until_served(base + "voila/static/", process)
        signed_in = {HEADER: "reader@example.org"}
        for path in ("", "voila/render/2026Q3/007.ipynb", "voila/tree", "voila/api/contents"):
            status, page = fetch(base + path)
            assert status == 403 and (REFUSED in page or path.startswith("voila/api")), path
            status, page = fetch(base + path, {HEADER: "  "})
            assert status == 403, path
        status, page = fetch(base, signed_in)
        assert status == 200 and "Project Seven" in page
        status, page = fetch(base + "voila/render/2026Q3/007.ipynb", signed_in)
        assert status == 200 and "Project Seven" in page
    finally:
        process.terminate()
        process.wait(timeout=30)
