"""The pre-meeting pack and setting a meeting up ahead: the pack says what the meeting will
ask, last quarter's results with the scoring's own figures, the actions due and the
consultations open on the day, and how to take part; it is an accessible page that loads
nothing and a Word document with the same sections; a meeting set up ahead is recorded
without being served, and found on its day only."""

from __future__ import annotations

import io
import itertools
import re
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from coeval.cli.main import main
from coeval.config import Workbook
from coeval.demo.workbook import build_demo
from coeval.exceptions import CoevalError
from coeval.frameworks import load_frameworks
from coeval.meeting.facilitation import move_to
from coeval.meeting.meetings import close_meeting
from coeval.meeting.planning import planned_meeting, set_up_meeting
from coeval.pack import pack_documents, write_pack
from coeval.pack.content import ACTIONS, CONSULTATIONS, MEETING, QUESTIONS, TAKE_PART, gather
from coeval.pack.results import VOICE_GAP
from coeval.report import score_project
from coeval.store import Store
from coeval.vocabulary import FINISHED, LIVED_EXPERIENCE, WORKFORCE
from tests.browser import Visit, chromium, open_page, serious_violations
from tests.conftest import page_words

PROJECT, PERIOD, LAST, BEFORE = "discharge-workshops", "2026Q3", "2026Q2", "2026Q1"
TODAY = date.today()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("pack") / "demo"
    build_demo(root, seed=7)
    return root


@pytest.fixture
def demo(built: Path, tmp_path: Path) -> Workbook:
    """A fresh copy of the demo workbook (tests here change it)."""
    root = tmp_path / "demo"
    shutil.copytree(built, root)
    return Workbook.open(root)


@pytest.fixture
def store(demo: Workbook) -> Iterator[Store]:
    with Store.open(demo.db_url) as opened:
        yield opened


def _run(book: Workbook, *args: str) -> Result:
    return CliRunner().invoke(main, ["--workbook", str(book.root), *args], catch_exceptions=False)


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    return "\n".join(
        "".join(t.text or "" for t in p.iter(qn("w:t"))) for p in doc.element.body.iter(qn("w:p"))
    )


def _words(book: Workbook, store: Store, period: str = PERIOD, **kw: Any) -> tuple[str, str]:
    """A pack's words, as the page shows them and as the Word document holds them."""
    documents = pack_documents(book, store, PROJECT, period, **kw)
    return page_words(documents.html), " ".join(_docx_text(documents.docx).split())


def _in_order(text: str, words: list[str]) -> None:
    at = 0
    for word in words:
        found = text.find(word, at)
        assert found >= 0, f"{word!r} is missing or out of order"
        at = found + len(word)


# -- last quarter's results -----------------------------------------------------------------


def _expected_results(book: Workbook, framework: str) -> list[str]:
    """What the pack must say of one framework, worked out from the scoring's own document."""
    doc = score_project(book, PROJECT, LAST, framework)
    items = [i for s in doc["sections"] for i in s["items"] if i["score"] is not None]
    high = max(items, key=lambda i: i["score"])
    low = min(items, key=lambda i: i["score"])
    said = [
        f"The overall score was {doc['score']:.0f}%",
        f"Rated highest: “{high['title']}”",
        f"({high['score']:.1f} on a scale from 0 to 4)",
        f"Rated lowest: “{low['title']}”",
        f"({low['score']:.1f} on a scale from 0 to 4)",
    ]
    moved = [s for s in doc["sections"] if s["change_since_previous"] is not None]
    if moved:
        most = max(moved, key=lambda s: abs(s["change_since_previous"]))
        now, change = most["score"], most["change_since_previous"]
        said.append(
            f"The biggest change since {BEFORE} was in “{most['title']}”: "
            f"{'up' if change > 0 else 'down'} "
        )
        said.append(f"from {now - change:.0f}% to {now:.0f}%.")
    apart = [
        i
        for i in items
        if i["gap"] is not None
        and abs(i["gap"]) >= VOICE_GAP
        and min(i["voices"][LIVED_EXPERIENCE]["n"], i["voices"][WORKFORCE]["n"]) >= 3
    ]
    if apart:
        widest = max(apart, key=lambda i: abs(i["gap"]))
        lived, work = (widest["voices"][v]["mean"] for v in (LIVED_EXPERIENCE, WORKFORCE))
        said.append(
            f"“{widest['title']}”: people with lived experience gave it {lived:.1f} on average, "
            f"the workforce {work:.1f}."
        )
    return said


def test_the_pack_gives_last_quarters_results_with_the_scoring_figures(demo, store) -> None:
    page, word = _words(demo, store)
    frameworks = store.project(PROJECT).frameworks
    checked = 0
    for framework in frameworks:
        for text in (page, word):
            for said in _expected_results(demo, framework):
                assert said in text, said
                checked += 1
    assert checked > 20
    assert f"What you told us last quarter ({LAST})" in page


def test_a_quarter_with_no_results_before_it_says_so_plainly(demo, store) -> None:
    content = gather(demo, store, PROJECT, "2025Q4")
    assert content.results.empty and content.results.period == "2025Q3"
    page, word = _words(demo, store, "2025Q4")
    for text in (page, word):
        assert "There are no results for 2025Q3" in text and "Rated highest" not in text


# -- the meeting and its questions ----------------------------------------------------------


def test_without_a_meeting_set_up_the_pack_asks_the_first_frameworks_questions(demo, store) -> None:
    framework = load_frameworks(demo.frameworks_dir)[store.project(PROJECT).frameworks[0]]
    page, word = _words(demo, store)
    asked = [w for item in framework.items for w in (item.question, item.help)]
    for text in (page, word):
        _in_order(text, [MEETING, "No date has been set", QUESTIONS, *asked])
        assert "No meeting has been set up ahead yet" in text and framework.title in text
        assert "Bring this paper to the meeting" in text
        assert "meeting code" not in text.lower()
        assert "coeval form --project discharge-workshops --framework healthwatch-six" in text


def _set_up(book: Workbook, day: date, *extra: str) -> Result:
    return _run(
        book, "meeting", "--project", PROJECT, "--period", PERIOD, "--date", f"{day}", *extra
    )


def test_a_meeting_set_up_ahead_is_recorded_not_served_and_shown_in_the_pack(
    demo, store, monkeypatch
) -> None:
    import coeval.server.meeting as server

    def refuse(*_args: Any, **_kw: Any) -> int:
        raise AssertionError("a meeting set up ahead must not be served")

    monkeypatch.setattr(server, "serve_meeting", refuse)
    day = TODAY + timedelta(days=9)
    done = _set_up(demo, day, "--theme", "Leaving hospital", "--cover", "transparency,built-in")
    assert done.exit_code == 0, done.output
    meeting = planned_meeting(store, PROJECT, PERIOD, day)
    assert meeting is not None and not meeting.started and meeting.open
    assert meeting.items == ("built-in", "transparency") and meeting.theme == "Leaving hospital"
    code = f"{meeting.code[:3]} {meeting.code[3:]}"
    assert code in done.output and "coeval --workbook" in done.output
    assert f"pack --project {PROJECT} --period {PERIOD}" in done.output
    framework = load_frameworks(demo.frameworks_dir)["healthwatch-six"]
    page, word = _words(demo, store)
    for text in (page, word):
        assert f"The meeting is on {day:%A %-d %B %Y}." in text
        assert "Its theme is: Leaving hospital." in text
        assert f"The meeting code is {code}" in text
        assert "scan the QR code on the screen or open the link the facilitator sends" in text
        assert "These are the questions chosen for the meeting" in text
        for item in framework.items:
            assert (item.question in text) == (item.id in meeting.items), item.id
        assert "No meeting has been set up ahead" not in text


def test_planned_meeting_is_found_on_its_day_only_and_until_it_starts(demo, store) -> None:
    frameworks = load_frameworks(demo.frameworks_dir)
    day = TODAY + timedelta(days=20)
    meeting = set_up_meeting(store, frameworks, PROJECT, PERIOD, day, "Theme")
    assert planned_meeting(store, PROJECT, PERIOD, day) == meeting
    assert planned_meeting(store, PROJECT, None, day) == meeting
    for other in (day - timedelta(days=1), day + timedelta(days=1)):
        assert planned_meeting(store, PROJECT, PERIOD, other) is None
    assert planned_meeting(store, PROJECT, "2026Q4", day) is None
    assert planned_meeting(store, "carers-network", PERIOD, day) is None
    move_to(store, meeting, 0)  # started: no longer waiting to be served
    assert planned_meeting(store, PROJECT, PERIOD, day) is None
    later = set_up_meeting(store, frameworks, PROJECT, PERIOD, day + timedelta(days=7))
    close_meeting(store, later)
    assert planned_meeting(store, PROJECT, PERIOD, later.held_on) is None


def test_setting_up_twice_for_a_day_is_refused_naming_the_code(demo, store) -> None:
    day = TODAY + timedelta(days=5)
    assert _set_up(demo, day).exit_code == 0
    first = planned_meeting(store, PROJECT, None, day)
    assert first is not None
    again = _run(demo, "meeting", "--project", PROJECT, "--date", f"{day}", "--theme", "Other")
    assert again.exit_code == 1 and again.stderr.count("\n") == 1
    assert f"{first.code[:3]} {first.code[3:]}" in again.stderr
    assert len(store.meetings(PROJECT)) == 24 // 6 + 1


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (("--cover", "transparency,nope"), "--cover nope: not a question or theme of"),
        (("--period", "2026Q9"), "--period: period '2026Q9' is not a quarter label"),
        (("--framework", "ladder"), "--framework ladder: project"),
        (("--theme", "x" * 201), "--theme is 201 characters"),
    ],
)
def test_a_bad_set_up_is_one_line_naming_the_option_and_changes_nothing(
    demo, store, extra: tuple[str, ...], says: str
) -> None:
    before = len(store.meetings())
    done = _set_up(demo, TODAY + timedelta(days=3), *extra)
    assert done.exit_code == 1 and done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"coeval: {says}"), done.stderr
    assert len(store.meetings()) == before
    if "--cover" in extra:  # the valid ids are listed
        assert "built-in" in done.stderr and "better-outcomes" in done.stderr


def test_an_unknown_project_or_a_past_date_with_a_theme_is_refused(demo, store) -> None:
    before = len(store.meetings())
    nobody = _run(demo, "meeting", "--project", "nobody", "--date", f"{TODAY + timedelta(3)}")
    assert nobody.exit_code == 1 and nobody.stderr.startswith("coeval: --project 'nobody'")
    past = _run(demo, "meeting", "--project", PROJECT, "--date", f"{TODAY}", "--theme", "T")
    assert past.exit_code == 1 and "give --date with a day after today" in past.stderr
    assert len(store.meetings()) == before


# -- actions and consultations --------------------------------------------------------------


def _due(store: Store, by: date) -> tuple[set[str], set[str]]:
    """What people said, of the actions unfinished at their latest review and due by ``by``;
    and of every other action."""
    actions = store.actions(PROJECT)
    updates = store.action_updates(actions["id"]).sort_values(["at", "id"])
    latest = dict(zip(updates["action_id"], updates["status"], strict=True))
    due, other = set(), set()
    for row in actions.to_dict("records"):
        unfinished = latest.get(row["id"], "open") not in FINISHED
        (due if unfinished and row["due_on"] and row["due_on"] <= by else other).add(row["said"])
    return due, other


def test_the_pack_lists_the_actions_due_by_the_meeting_with_their_status(demo, store) -> None:
    day = TODAY + timedelta(days=12)
    store.add_actions(
        [
            {
                "project_id": PROJECT,
                "period": PERIOD,
                "said": f"Said {n}",
                "action": f"Do {n}",
                "owner_role": "staff",
                "due_on": due,
                "status": "open",
            }
            for n, due in enumerate((TODAY + timedelta(days=4), day + timedelta(days=1)))
        ]
    )
    assert _set_up(demo, day).exit_code == 0
    due, other = _due(store, day)
    assert "Said 0" in due and "Said 1" in other and len(due) >= 2
    content = gather(demo, store, PROJECT, PERIOD)
    assert {a.said for a in content.actions} == due
    assert all(a.overdue == (a.due_on < TODAY) for a in content.actions)
    page, word = _words(demo, store)
    for text in (page, word):
        _in_order(text, [ACTIONS, f"Actions due by {day:%-d %B %Y}", "How it stands"])
        for said in due:
            assert said in text
        for said in other:
            assert said not in text
        assert "Said 0 Do 0 Staff" in text and "Open" in text
    assert any(a.overdue for a in content.actions) and "overdue" in page


def _consultation(book: Workbook, name: str, closes: date) -> None:
    (book.consultations_dir / f"{name}.yaml").write_text(
        f"id: {name}\ntitle: Title of {name}\nconsulting: NHS England (example)\n"
        f"closes: {closes}\nquestions:\n  - id: q1\n    text: Question of {name}?\n"
    )


def test_the_pack_lists_the_consultations_open_on_the_meeting_day(demo, store) -> None:
    day = TODAY + timedelta(days=10)
    _consultation(demo, "stays-open", day + timedelta(days=1))
    _consultation(demo, "closes-first", day - timedelta(days=1))
    page, word = _words(demo, store)
    for text in (page, word):  # no meeting yet: open today
        assert "Title of stays-open" in text and "Title of closes-first" in text
    assert _set_up(demo, day).exit_code == 0
    page, word = _words(demo, store)
    for text in (page, word):
        _in_order(text, [CONSULTATIONS, "Title of stays-open", "Question of stays-open?"])
        assert f"until {day + timedelta(days=1):%-d %B %Y}" in text
        assert "closes-first" not in text


# -- the documents ----------------------------------------------------------------------------

HEADINGS = [MEETING, QUESTIONS, f"What you told us last quarter ({LAST})", ACTIONS]


@pytest.mark.parametrize("large_print", [False, True])
def test_the_page_runs_nothing_loads_nothing_and_is_structured(demo, store, large_print) -> None:
    html = pack_documents(demo, store, PROJECT, PERIOD, large_print).html
    lower = html.lower()
    for banned in ("<script", "http:", "https:", "@import", "url(", " src=", "<link", "<img"):
        assert banned not in lower, banned
    assert '<html lang="en-GB">' in html and "@media print" in html
    assert html.count("<h1>") == 1
    levels = [int(n) for n in re.findall(r"<h([1-6])[ >]", html)]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    h2 = [page_words(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html)]
    assert h2 == [*HEADINGS, CONSULTATIONS, TAKE_PART]
    tables = re.findall(r"<table>.*?</table>", html, flags=re.S)
    assert len(tables) >= 2
    for table in tables:
        assert "<caption>" in table and '<th scope="col">' in table
        assert '<th scope="row">' in table and "<th>" not in table


def _font_sizes(html: str) -> dict[str, float]:
    """The last font size (in pt) each selector of the page's style sets."""
    sizes: dict[str, float] = {}
    style = html[html.index("<style>") : html.index("</style>")]
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", style):
        size = re.search(r"font-size:\s*([\d.]+)(\w+)", body)
        if size:
            assert size.group(2) == "pt", f"{selectors.strip()}: sizes are in points"
            for selector in selectors.split(","):
                sizes[selector.strip()] = float(size.group(1))
    return sizes


def _size(paragraph: Any, run: Any) -> Any:
    if run.font.size is not None:
        return run.font.size
    style = paragraph.style
    while style is not None and style.font.size is None:
        style = style.base_style
    return None if style is None else style.font.size


def test_large_print_is_16pt_and_more_on_the_page_and_in_word(demo, store) -> None:
    large = pack_documents(demo, store, PROJECT, PERIOD, large_print=True)
    normal = pack_documents(demo, store, PROJECT, PERIOD)
    assert large.stem == f"{PROJECT}-{PERIOD}-pack-large-print"
    assert normal.stem == f"{PROJECT}-{PERIOD}-pack"
    sizes = _font_sizes(large.html)
    assert min(sizes.values()) >= 16 and all(sizes[h] >= 18 for h in ("h1", "h2", "h3"))
    assert _font_sizes(normal.html)["body"] < 16
    doc = Document(io.BytesIO(large.docx))
    cells = [p for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    runs = [(p, r) for p in [*doc.paragraphs, *cells] for r in p.runs if r.text.strip()]
    assert len(runs) > 40 and all(_size(p, r) >= Pt(16) for p, r in runs)
    headings = [(p, r) for p, r in runs if p.style.name.startswith("Heading")]
    assert len(headings) >= 8 and all(_size(p, r) >= Pt(18) for p, r in headings)
    assert Document(io.BytesIO(normal.docx)).styles["Normal"].font.size < Pt(16)


def test_the_word_document_holds_the_same_sections_in_order(demo, store) -> None:
    documents = pack_documents(demo, store, PROJECT, PERIOD)
    doc = Document(io.BytesIO(documents.docx))
    h2 = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert h2 == re.findall(r"<h2[^>]*>(.*?)</h2>", documents.html)
    assert h2 == [*HEADINGS, CONSULTATIONS, TAKE_PART]
    h3 = [p.text for p in doc.paragraphs if p.style.name == "Heading 3"]
    assert h3 == [page_words(h) for h in re.findall(r"<h3>(.*?)</h3>", documents.html)]


# -- writing ----------------------------------------------------------------------------------


def test_the_command_writes_both_files_and_replaces_only_its_own(demo, tmp_path) -> None:
    out = tmp_path / "packs"
    args = ("pack", "--project", PROJECT, "--period", PERIOD, "--out", str(out))
    done = _run(demo, *args)
    assert done.exit_code == 0, done.output
    names = [f"{PROJECT}-{PERIOD}-pack.html", f"{PROJECT}-{PERIOD}-pack.docx"]
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    assert all(str(out / name) in done.output for name in names)
    Document(str(out / names[1]))  # opens
    assert _run(demo, *args).exit_code == 0  # its own earlier pack is replaced
    (out / names[0]).write_text("my notes")
    (out / names[1]).unlink()
    refused = _run(demo, *args)
    assert refused.exit_code == 1 and refused.stderr.count("\n") == 1
    assert "coeval did not write it" in refused.stderr and refused.stderr.startswith(
        "coeval: --out"
    )
    assert (out / names[0]).read_text() == "my notes" and not (out / names[1]).exists()
    large = _run(demo, *args, "--large-print")
    assert large.exit_code == 0 and (out / f"{PROJECT}-{PERIOD}-pack-large-print.docx").is_file()


def test_a_word_file_of_someone_elses_is_not_replaced(demo, store, tmp_path) -> None:
    documents = pack_documents(demo, store, PROJECT, PERIOD)
    theirs = Document()
    theirs.add_paragraph("Someone's own document")
    theirs.save(str(tmp_path / f"{documents.stem}.docx"))
    with pytest.raises(CoevalError, match="coeval did not write it"):
        write_pack(documents, tmp_path)
    assert not (tmp_path / f"{documents.stem}.html").exists()
    with pytest.raises(CoevalError, match="is a file; give a folder"):
        write_pack(documents, Path(__file__))


@pytest.mark.parametrize(
    ("project", "period", "says"),
    [
        ("nobody", PERIOD, "coeval: --project 'nobody': no such project"),
        (PROJECT, "2026Q5", "coeval: --period: period '2026Q5' is not a quarter label"),
        (PROJECT, "last", "coeval: --period: period 'last' is not a quarter label"),
    ],
)
def test_bad_input_is_one_line_naming_the_option_and_writes_nothing(
    demo, tmp_path, project: str, period: str, says: str
) -> None:
    out = tmp_path / "packs"
    done = _run(demo, "pack", "--project", project, "--period", period, "--out", str(out))
    assert done.exit_code == 1 and done.stderr.count("\n") == 1
    assert done.stderr.startswith(says), done.stderr
    assert not out.exists()


# -- in a real browser ------------------------------------------------------------------------

LARGE_SIZES = """() => {
  const px = (e) => parseFloat(getComputedStyle(e).fontSize);
  const text = [...document.querySelectorAll('p, li, td, th, caption, code, strong')];
  const heads = [...document.querySelectorAll('h1, h2, h3')];
  return [Math.min(...text.map(px)), Math.min(...heads.map(px))];
}"""


@pytest.mark.slow
def test_the_pack_passes_axe_in_normal_and_large_print(demo, store, tmp_path) -> None:
    assert _set_up(demo, TODAY + timedelta(days=7), "--theme", "Planning ahead").exit_code == 0
    with chromium() as browser:
        for large_print in (False, True):
            documents = pack_documents(demo, store, PROJECT, PERIOD, large_print)
            html, _ = write_pack(documents, tmp_path)
            visit = Visit()
            page: Any = open_page(browser, html.as_uri(), visit)
            page.wait_for_load_state("load")
            assert page.evaluate("document.documentElement.lang") == "en-GB"
            assert page.locator("script").count() == 0
            assert serious_violations(page) == []
            smallest_text, smallest_heading = page.evaluate(LARGE_SIZES)  # 16pt is 21.33px
            if large_print:
                assert smallest_text >= 21.3 and smallest_heading >= 23.9
            else:
                assert smallest_text < 21.3
            assert visit.blocked == [] and visit.errors == []
            page.close()


# -- the disclosure rules, and what docs/pack.md shows -------------------------------------


def test_for_the_public_too_few_people_and_personal_details_are_not_shown(demo, store) -> None:
    config = demo.root / "coeval.toml"
    config.write_text(config.read_text().replace("public_min_people = 8", "public_min_people = 50"))
    book = Workbook.open(demo.root)
    store.add_actions(
        [
            {
                "project_id": PROJECT,
                "period": PERIOD,
                "said": "Jean Bloggs (07700 900123) cannot get a lift home",
                "action": "Ask the transport team",
                "owner_role": "staff",
                "due_on": TODAY,
                "status": "open",
            }
        ]
    )
    internal, _ = _words(book, store)
    assert "Jean Bloggs" in internal and "Rated highest" in internal
    for text in _words(book, store, audience="public"):
        assert "Fewer than 50 people answered, so these results are not shown." in text
        assert "Rated highest" not in text and "The overall score" not in text
        assert "Bloggs" not in text and "07700" not in text
        assert "cannot get a lift home" in text


def test_the_worked_example_in_the_docs_is_what_the_demo_says(tmp_path) -> None:
    docs = (Path(__file__).parents[1] / "docs" / "pack.md").read_text()
    quoted = re.search(r'Its results read, for example: "([^"]+)"', " ".join(docs.split()))
    assert quoted
    build_demo(tmp_path / "demo")  # the demo as `coeval demo` builds it (its default seed)
    book = Workbook.open(tmp_path / "demo")
    with Store.open(book.db_url) as opened:
        page, word = _words(book, opened)
    assert quoted.group(1) in page and quoted.group(1) in word
