"""Meetings people can join from anywhere: the address everyone is given (`--host`,
`--public-url`) and the warnings that go with it, the meeting set up ahead being the one
served on the day, participant screens that load no pandas, and screens that learn of
changes from the meeting's change counters instead of re-reading it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date

import pytest

from coeval.config import Workbook
from coeval.frameworks import Framework, builtin_frameworks
from coeval.meeting.facilitation import move_to, set_revealed
from coeval.meeting.meetings import Answer, close_meeting, open_meeting, save_answer
from coeval.meeting.planning import set_up_meeting
from coeval.server.address import (
    base_url,
    check_public_url,
    exposure_warning,
    network_address,
)
from coeval.server.meeting import meeting_command, start_meeting
from coeval.server.voila import Serving
from coeval.store import Store
from coeval.widgets.common import Live
from tests.conftest import member


def test_links_use_the_public_url_when_given() -> None:
    assert base_url(Serving(8867)) == "http://127.0.0.1:8867/"
    proxy = Serving(8867, public_url="https://meet.example.org/carers")
    assert base_url(proxy) == "https://meet.example.org/carers/"
    lan = Serving(8867, host="0.0.0.0")
    assert base_url(lan) == f"http://{network_address()}:8867/"
    assert "0.0.0.0" not in base_url(lan)


@pytest.mark.parametrize(
    "url", ["ftp://example.org/", "meet.example.org", "https://", "https://x.org/?a=1"]
)
def test_a_public_url_that_is_not_a_web_address_is_refused_plainly(url: str) -> None:
    with pytest.raises(Exception, match=r"--public-url .*(http://|without \?)"):
        check_public_url(url)


def test_a_meeting_open_to_a_network_without_https_is_warned_about() -> None:
    assert exposure_warning(Serving(8867)) == ""
    warned = exposure_warning(Serving(8867, host="0.0.0.0"))
    assert "without HTTPS" in warned and "every network" in warned
    behind = Serving(8867, host="0.0.0.0", public_url="https://meet.example.org/")
    assert exposure_warning(behind) == ""
    signed = Serving(8867, host="192.168.1.20", trusted_header="X-Forwarded-Email")
    assert "X-Forwarded-Email" in exposure_warning(signed)


def test_a_public_url_path_is_where_the_server_answers(workbook: Workbook) -> None:
    proxied = Serving(8867, public_url="https://meet.example.org/carers/")
    command = meeting_command(workbook.root / "meeting.ipynb", proxied, workbook)
    assert "--Voila.base_url=/carers/" in command
    assert "--preheat_kernel=True" in command and "--Voila.ip=127.0.0.1" in command


def _meetings(store: Store) -> int:
    return len(store.planned_meetings("p1", since=date(2000, 1, 1)))


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (["--public-url", "ftp://example.org/"], "--public-url"),
        (["--host", "203.0.113.77"], "--host"),
        (["--host", "no-such-host.invalid"], "--host"),
    ],
)
def test_bad_addresses_are_refused_before_a_meeting_is_opened(
    cli, store: Store, options: list[str], named: str
) -> None:
    store.add_project("p1", "Carers' hub", ["healthwatch-six"])
    result = cli("meeting", "--project", "p1", "--port", "18867", *options)
    assert result.exit_code == 1
    assert named in result.output and "Traceback" not in result.output
    assert _meetings(store) == 0


def test_the_meeting_set_up_ahead_is_the_one_served_on_the_day(
    workbook: Workbook, store: Store, frameworks: dict[str, Framework]
) -> None:
    store.add_project("p1", "Carers' hub", ["healthwatch-six"])
    today = date.today()
    planned = set_up_meeting(store, frameworks, "p1", "2026Q4", today, theme="Being heard")
    meeting, links, env = start_meeting(workbook, "p1", "2026Q4")
    assert meeting.id == planned.id and meeting.theme == "Being heard"
    assert links.join.endswith(f"?code={planned.code}")
    assert env["COEVAL_MEETING"] == str(planned.id)
    # another framework asked for: a new meeting, not the one set up
    other, _links, _env = start_meeting(workbook, "p1", "2026Q4", framework="healthwatch-six")
    assert other.id != planned.id


def test_a_participant_screen_loads_no_pandas_nor_charts(workbook: Workbook, store: Store) -> None:
    """From opening the join screen to seeing everyone's answers to a question."""
    store.add_project("p1", "Carers' hub", ["healthwatch-six"])
    script = textwrap.dedent(
        f"""
        import sys
        from coeval.widgets.app import prepare, screen
        from coeval.meeting.facilitation import move_to, set_revealed
        env = {{"COEVAL_WORKBOOK": {str(workbook.root)!r}, "COEVAL_MEETING": sys.argv[1],
               "QUERY_STRING": "code=" + sys.argv[2]}}
        ready = prepare(env)
        screen(ready, env)  # what Voila shows: imports only the participant's screen
        from coeval.widgets.participant import ParticipantView
        view = ParticipantView(ready.store, ready.frameworks, sys.argv[2])
        view.who.value = "carer"
        view.join()
        meeting = move_to(ready.store, ready.meeting, 0)
        view.refresh()
        view.choices.children[0].click()
        set_revealed(ready.store, meeting, True)
        view.refresh()
        assert "Everyone's answers" in view.revealed.value, view.revealed.value
        loaded = [m for m in ("pandas", "numpy", "altair", "vl_convert") if m in sys.modules]
        print("loaded:", loaded)
        """
    )
    with Store.open(workbook.db_url) as own:
        hw6 = builtin_frameworks()["healthwatch-six"]
        meeting = open_meeting(own, "p1", "2026Q4", date.today(), framework=hw6)
    done = subprocess.run(
        [sys.executable, "-c", script, str(meeting.id), meeting.code],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "loaded: []" in done.stdout


def test_screens_re_read_the_meeting_only_when_it_has_changed(
    store: Store, frameworks: dict[str, Framework]
) -> None:
    store.add_project("p1", "Carers' hub", ["healthwatch-six"])
    hw6 = frameworks["healthwatch-six"]
    meeting = open_meeting(store, "p1", "2026Q4", date.today(), framework=hw6)
    marks = store.meeting_marks(meeting.id)
    assert marks == (0, 0)
    refreshed = []
    live = Live(lambda: refreshed.append(1) or True, lambda: store.meeting_marks(meeting.id))
    live.start()
    live.tick()
    live.tick()
    assert refreshed == []  # nothing changed: the meeting was not re-read

    meeting = move_to(store, meeting, 0)
    live.tick()
    assert len(refreshed) == 1
    rater = member(store, meeting, "C1", "carer")
    item = meeting.items[0]
    save_answer(store, Answer(meeting.code, hw6.id, item, rater, "carer", 3, "", "k1"), hw6)
    live.tick()
    assert len(refreshed) == 2 and store.meeting_marks(meeting.id) == (1, 1)
    # the same answer again (same key) is stored once and moves nothing
    save_answer(store, Answer(meeting.code, hw6.id, item, rater, "carer", 3, "", "k1"), hw6)
    live.tick()
    assert len(refreshed) == 2

    meeting = set_revealed(store, meeting, True)
    close_meeting(store, meeting)
    assert store.meeting_marks(meeting.id) == (3, 1)
    assert store.meeting_marks(meeting.id + 100) is None


def test_the_facilitator_screen_offers_the_groups_pack() -> None:
    import base64

    from coeval.exceptions import CoevalError
    from coeval.widgets.joining import PackLinks

    asked = []

    def make(large: bool) -> tuple[str, bytes, str]:
        asked.append(large)
        return "<html lang='en-GB'>pack</html>", b"PK-docx", "p1-2026Q4-pack"

    links = PackLinks(make)
    links.large.value = True
    links.button.click()
    assert asked == [True]
    shown = links.links.value
    assert 'download="p1-2026Q4-pack.html"' in shown and 'download="p1-2026Q4-pack.docx"' in shown
    page = base64.b64encode(b"<html lang='en-GB'>pack</html>").decode()
    assert f"data:text/html;base64,{page}" in shown

    def refused(_large: bool) -> tuple[str, bytes, str]:
        raise CoevalError("--project p9: unknown")

    failing = PackLinks(refused)
    failing.button.click()
    assert "could not be made: --project p9: unknown." in failing.links.value
