"""A whole meeting in a real browser: `coeval meeting` serves the app, a facilitator and two
participants (one on the keyboard alone, one with a mouse) take part, and the store and
`coeval score` show the result. The network beyond this machine is blocked throughout."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coeval.config import Workbook
from coeval.store import Store
from tests.browser import Visit, chromium, open_page, serious_violations
from tests.test_browser import _free_port

pytestmark = pytest.mark.slow
SCREEN = 60_000  # ms: a new kernel per screen, on a busy two-core machine
COEVAL = str(Path(sys.executable).parent / "coeval")


@pytest.fixture
def server(workbook: Workbook, store: Store) -> Iterator[dict[str, str]]:
    store.add_project("p1", "Carers' hub", ["healthwatch-six"])
    # Unused screens close after 5 s: the open pages below must keep theirs all the same.
    config = workbook.config_path
    config.write_text(
        config.read_text().replace("unused_screen_seconds = 180", "unused_screen_seconds = 5")
    )
    port = _free_port()
    process = subprocess.Popen(
        [
            *(COEVAL, "--workbook", str(workbook.root), "meeting", "--project", "p1"),
            *("--period", "2026Q3", "--port", str(port)),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "COEVAL_WORKBOOK": ""},
    )
    assert process.stdout is not None
    printed: list[str] = []
    for line in process.stdout:
        printed.append(line)
        if line.startswith("Press Ctrl+C"):
            break
    text = "".join(printed)
    links = dict(
        re.findall(
            r"^\s+(Meeting code|Facilitator link|Join link|Staff entry link):\s+(\S+(?: \S{3})?)",
            text,
            re.M,
        )
    )
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/static/", timeout=1)
            except urllib.error.HTTPError:
                break  # the server answers
            except OSError:
                assert process.poll() is None, text
                time.sleep(0.5)
        yield links
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_text(page: Any, text: str) -> None:
    page.get_by_text(text, exact=False).first.wait_for(timeout=SCREEN)


def test_a_meeting_in_the_browser(server, workbook: Workbook, store: Store) -> None:
    code = server["Meeting code"].replace(" ", "")
    assert len(code) == 6 and server["Join link"].endswith(f"?code={code}")
    visits = {name: Visit() for name in ("chair", "kim", "lee")}
    with chromium() as browser:
        chair = open_page(browser, server["Facilitator link"], visits["chair"])
        kim = open_page(browser, server["Join link"].split("?")[0], visits["kim"])
        lee = open_page(browser, server["Join link"], visits["lee"])
        wait_text(chair, "Set up the meeting")
        assert serious_violations(chair) == []

        # Kim joins with the keyboard alone: type the code, choose a role, press Enter.
        wait_text(kim, "Join the meeting")
        kim.get_by_label("Meeting code").focus()
        kim.keyboard.type(code.lower())
        kim.keyboard.press("Tab")
        kim.keyboard.press("ArrowDown")  # the first role: a carer
        kim.get_by_role("button", name="Join the meeting").focus()
        kim.keyboard.press("Enter")
        wait_text(kim, "Waiting for the facilitator")
        # Easy Read is reached and ticked from the keyboard, and the page stays axe-clean.
        kim.get_by_label("Easy Read").focus()
        kim.keyboard.press("Space")
        kim.get_by_label("Easy Read").wait_for(state="visible", timeout=SCREEN)
        assert kim.get_by_label("Easy Read").is_checked()
        assert serious_violations(kim) == []
        kim.keyboard.press("Space")

        # Lee joins with the mouse; the code is already in the join link.
        wait_text(lee, "Join the meeting")
        assert lee.get_by_label("Meeting code").input_value() == code
        lee.get_by_label("I am taking part as").select_option(label="Staff")
        lee.get_by_role("button", name="Join the meeting").click()
        wait_text(lee, "Waiting for the facilitator")

        chair.get_by_text("Everyone answers, then the group agrees one answer").click()
        chair.get_by_role("button", name="Start the meeting").click()
        wait_text(chair, "Question 1 of 6")

        # Each participant's screen follows the facilitator by itself.
        wait_text(kim, "Question 1 of 6")
        kim.get_by_role("button", name="Developing").focus()
        kim.keyboard.press("Enter")
        wait_text(kim, "is saved")
        assert kim.locator(".coeval-live[aria-live=polite][role=status]").count() >= 1
        kim.get_by_label(re.compile("Your comment")).focus()
        kim.keyboard.type("<script>alert(1)</script> Papers arrive late")
        kim.get_by_role("button", name="Save my comment").focus()
        kim.keyboard.press("Space")
        wait_text(lee, "Question 1 of 6")
        lee.get_by_role("button", name="Established").click()
        wait_text(lee, "is saved")
        assert lee.get_by_role("button", name="✓ Established").count() == 1
        assert serious_violations(lee) == []

        # Lee's page is reloaded: only the rejoin code the screen gave brings Lee back.
        rejoin = lee.locator(".coeval-code").last.inner_text()
        assert re.fullmatch(r"[A-Z2-9]{4} [A-Z2-9]{4}", rejoin)
        lee.reload()
        wait_text(lee, "Join the meeting")
        # Voila's page asks, as it closes, for its kernel to be shut down; the server refuses
        # that unsigned request (403), and the kernel is closed as unused instead.
        assert all("403" in error for error in visits["lee"].errors)
        visits["lee"].errors.clear()
        lee.get_by_label(re.compile("Rejoin code")).fill(rejoin.lower())
        lee.get_by_role("button", name="Join the meeting").click()
        wait_text(lee, "rejoined as staff")
        assert lee.get_by_role("button", name="✓ Established").count() == 1
        time.sleep(8)  # longer than unused screens are kept: open pages keep theirs

        wait_text(chair, "2 people have answered")
        chair.get_by_role("button", name="Show everyone's answers").click()
        wait_text(chair, "The most common answer")
        wait_text(kim, "Everyone's answers")

        chair.get_by_label("The group's answer").select_option(label="Developing")
        chair.get_by_label("Note").fill("We agreed after hearing from carers")
        chair.get_by_role("button", name="Record the group's answer").click()
        wait_text(chair, "is recorded")
        chair.get_by_label(re.compile("You said")).fill("Papers come the night before")
        chair.get_by_label(re.compile("We will")).fill("Send papers a week before")
        chair.get_by_label("Who will do it").select_option(label="Staff")
        chair.get_by_role("button", name="Add the action").click()
        wait_text(chair, "The action is added")
        chair.get_by_label("A carer").fill("5")
        chair.get_by_label("Staff", exact=True).fill("2")
        chair.get_by_role("button", name="Save attendance").click()
        wait_text(chair, "7 people in all")
        chair.get_by_text("Large text").click()
        chair.locator(".coeval-app.coeval-large").wait_for(timeout=SCREEN)
        assert serious_violations(chair) == []

        chair.get_by_role("button", name="Close the meeting").click()
        chair.get_by_role("button", name="Yes, close the meeting").click()
        wait_text(chair, "The meeting has closed")
        wait_text(kim, "The meeting has closed")
        wait_text(lee, "The meeting has closed")
        assert kim.locator("script", has_text="alert(1)").count() == 0

    for name, visit in visits.items():
        assert visit.blocked == [], f"{name}'s page tried to load from another host"
        assert visit.errors == [], f"{name}'s page: {visit.errors}"

    ratings = store.ratings(project="p1")
    people = ratings[ratings["role"] != "group"]
    assert sorted(people.drop_duplicates("rater", keep="last")["role"]) == ["carer", "staff"]
    assert "<script>alert(1)</script> Papers arrive late" in people["note"].tolist()
    assert store.table("meetings")["status"].tolist() == ["closed"]
    assert len(store.table("actions")) == 1 and len(store.table("attendance")) == 2

    scored = subprocess.run(
        [
            *(COEVAL, "--workbook", str(workbook.root), "score", "--project", "p1"),
            *("--period", "2026Q3", "--framework", "healthwatch-six", "--format", "json"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    doc = json.loads(scored.stdout)
    first = next(i for s in doc["sections"] for i in s["items"] if i["n_raters"])
    assert first["method"] == "consensus" and first["score"] == 2 and first["n_raters"] == 2
