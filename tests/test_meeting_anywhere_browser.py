"""A meeting reached the way an organisation deploys it: `coeval meeting` behind real nginx
and a sign-in proxy (docs/nginx-coeval.conf), with `--public-url` and `--trusted-header`.
The facilitator signs in and projects the QR code; three people join through nginx, two by
the QR code's link and one by typing the code; answers are saved over WebSockets; the
signed-in name is in the audit log and nowhere near the ratings; closing the meeting stops
the server and every kernel."""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from coeval.config import Workbook
from coeval.meeting.meetings import close_meeting, find_meeting
from coeval.store import Store
from tests.browser import Visit, chromium, open_page, serious_violations
from tests.meeting_server import start_meeting_server
from tests.nginx import Front, free_port, nginx  # noqa: F401 (nginx: a fixture)
from tests.test_servers import kernels

pytestmark = pytest.mark.slow
COEVAL = str(Path(sys.executable).parent / "coeval")
HEADER = "X-Forwarded-Email"
CHAIR = "chair@example.org"
SCREEN = 60_000


def decode_qr(png: bytes) -> list[str]:
    """What a phone's camera reads from a picture of the QR code."""
    import zxingcpp
    from PIL import Image

    return [found.text for found in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


@pytest.fixture
def served(workbook: Workbook, store: Store, nginx) -> Iterator[tuple[dict[str, str], Front, Any]]:  # noqa: F811
    store.add_project("p1", "Carers' hub", ["healthwatch-six"])
    port = free_port()
    front = nginx(port)
    process, links = start_meeting_server(
        workbook.root, port, "--public-url", front.url, "--trusted-header", HEADER
    )
    try:
        yield links, front, process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=60)


def join(page: Any, role: str, typed_code: str = "") -> None:
    if typed_code:
        page.get_by_label("Meeting code").fill(typed_code)
    page.get_by_label("I am taking part as").select_option(label=role)
    page.get_by_role("button", name="Join the meeting").click()
    page.get_by_text("Waiting for the facilitator").first.wait_for(timeout=SCREEN)


def test_three_people_join_through_nginx_by_qr_code_and_by_typing_the_code(
    served, workbook: Workbook
) -> None:
    links, front, process = served
    code = links["Meeting code"].replace(" ", "")
    # every printed link is the address people reach: nginx's
    assert all(links[name].startswith(front.url) for name in ("Join link", "Facilitator link"))
    assert links["Join link"] == f"{front.url}?code={code}"
    server = psutil.Process(process.pid)
    visits = [Visit() for _ in range(4)]
    with chromium() as browser:
        signed_in = browser.new_context()
        signed_in.add_cookies([front.cookie(CHAIR)])
        chair = signed_in.new_page()
        chair.goto(links["Facilitator link"])
        chair.get_by_text("How to join").wait_for(timeout=SCREEN)
        assert code[:3] in chair.locator(".coeval-join-code").inner_text()
        assert serious_violations(chair) == []
        scanned = decode_qr(chair.locator(".coeval-qr svg").screenshot())
        assert scanned == [links["Join link"]]

        # two people scan the code: the join screen opens with the code filled in
        ann = open_page(browser, scanned[0], visits[0])
        ann.get_by_text("Join the meeting").first.wait_for(timeout=SCREEN)
        assert ann.get_by_label("Meeting code").input_value() == code
        join(ann, "A carer")
        bob = open_page(browser, scanned[0], visits[1])
        bob.get_by_text("Join the meeting").first.wait_for(timeout=SCREEN)
        join(bob, "Staff")
        # one opens the address on the screen and types the code
        cat = open_page(browser, front.url, visits[2])
        cat.get_by_text("Join the meeting").first.wait_for(timeout=SCREEN)
        join(cat, "A volunteer", typed_code=links["Meeting code"].lower())

        chair.get_by_role("button", name="Start the meeting").click()
        chair.get_by_text("Question 1 of 6").first.wait_for(timeout=SCREEN)
        for page, answer in ((ann, "Developing"), (bob, "Established"), (cat, "Developing")):
            page.get_by_text("Question 1 of 6").first.wait_for(timeout=SCREEN)
            page.get_by_role("button", name=answer).click()
            page.get_by_text("is saved").first.wait_for(timeout=SCREEN)
        chair.get_by_text("3 people have answered this question").wait_for(timeout=SCREEN)
    assert all(visit.blocked == [] for visit in visits)

    with Store.open(workbook.db_url) as store:
        meeting = find_meeting(store, code=code)
        audit = store.audit_log()
        started = audit[(audit["entity"] == "meeting") & (audit["action"] == "update")]
        assert CHAIR in set(started["actor"])  # who ran the meeting
        ratings = store.meeting_ratings(meeting.id)
        assert len(ratings) == 3 and CHAIR not in ratings.to_string()
        joins = audit[audit["action"] == "join"]
        assert len(joins) == 3 and CHAIR not in set(joins["actor"])
        running = kernels(server)
        assert len(running) >= 4
        close_meeting(store, meeting, actor=CHAIR)
    # the meeting has closed: the server and every kernel stop on their own
    process.wait(timeout=60)
    deadline = time.monotonic() + 30
    while [k for k in running if _alive(k)]:
        assert time.monotonic() < deadline, "kernels still running after the meeting closed"
        time.sleep(1)
    assert process.returncode == 0


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False
