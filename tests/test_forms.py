"""Paper forms: the same questions as the staff entry screen, in its order, on an A4 page that
loads nothing and a screen reader can use, and in a Word document staff can change."""

from __future__ import annotations

import inspect
import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from coeval.config import Workbook
from coeval.frameworks import DONT_KNOW_LABEL, Framework, load_frameworks
from coeval.practice import paper
from coeval.practice.paper import (
    COMMENTS,
    CONSENT,
    OFFICE_FIELDS,
    OFFICE_HEADING,
    ROLE_QUESTION,
    build_form,
    write_form,
)
from coeval.store import Project, Store
from tests.browser import Visit, chromium, open_page, serious_violations
from tests.conftest import page_words

FRAMEWORKS = ["healthwatch-six", "making-it-real"]
MARKUP = '<b>x</b> & "q"'


@pytest.fixture
def project(store: Store) -> Project:
    return store.add_project("carers-hub", "Carers' hub", FRAMEWORKS)


def _form_words(framework: Framework) -> list[str]:
    """What the form must say, in the order it must say it."""
    words = [ROLE_QUESTION, *paper.ROLE_WORDS.values(), OFFICE_HEADING, *OFFICE_FIELDS]
    for item in framework.items:
        words += [item.question, item.help, *(lv.label for lv in framework.scale), DONT_KNOW_LABEL]
    return [*words, COMMENTS, CONSENT]


def _in_order(text: str, words: list[str]) -> None:
    """Every one of ``words`` appears in ``text``, each after the one before."""
    at = 0
    for word in words:
        found = text.find(word, at)
        assert found >= 0, f"{word!r} is missing or out of order"
        at = found + len(word)


@pytest.mark.parametrize("framework_id", FRAMEWORKS)
def test_the_page_asks_every_question_in_order_with_every_tick_box(
    project: Project, frameworks: dict[str, Framework], framework_id: str
) -> None:
    framework = frameworks[framework_id]
    html = build_form(project, framework).html()
    words = page_words(html)
    assert words.count(project.name) >= 1 and framework.title in words
    assert "kept without your name" in words and "Tick one box for each question" in words
    _in_order(words, _form_words(framework))
    controls = _Controls.of(html)
    choices = len(framework.scale) + 1
    assert controls.legends[1:] == [f"{n}. {i.question}" for n, i in enumerate(framework.items, 1)]
    assert controls.boxes == len(paper.ROLE_WORDS) + len(framework.items) * choices + 1
    for n in range(1, len(framework.items) + 1):
        assert controls.names.count(f"q{n}") == choices


def test_the_form_follows_the_staff_entry_screen() -> None:
    """The entry screen asks role, reference, date, answers, words, consent; so does the form,
    and its role words are the screen's, in the screen's order."""
    from coeval.vocabulary import ROLE_WORDS
    from coeval.widgets.entry import EntryView

    source = inspect.getsource(EntryView.__init__)
    screen = source[source.index("self.root.children") :]
    fields = ["self.role", "self.reference", "self.received", "self.answers", "self.evidence,"]
    fields.append("self.consent")
    places = [screen.index(field) for field in fields]
    assert places == sorted(places)
    assert list(paper.ROLE_WORDS.items()) == list(ROLE_WORDS.items())


class _Controls(HTMLParser):
    """The form controls of a page: each must have a label; tick boxes are counted."""

    def __init__(self) -> None:
        super().__init__()
        self.labels_for: set[str] = set()
        self.ids: list[str] = []
        self.in_label = self.in_legend = 0
        self.unlabelled: list[str] = []
        self.legends: list[str] = []
        self.names: list[str] = []
        self.boxes = 0
        self.fieldsets = 0

    @classmethod
    def of(cls, html: str) -> _Controls:
        parser = cls()
        parser.feed(html)
        missing = [i for i in parser.ids if i not in parser.labels_for]
        assert parser.unlabelled == missing == [], "every control needs a label"
        return parser

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.in_label += tag == "label"
        self.in_legend += tag == "legend"
        self.fieldsets += tag == "fieldset"
        if tag == "label" and found.get("for"):
            self.labels_for.add(found["for"] or "")
        if tag == "legend":
            self.legends.append("")
        if tag in ("input", "textarea", "select"):
            self.boxes += found.get("type") == "checkbox"
            self.names.append(found.get("name") or "")
            if not self.in_label and found.get("id"):
                self.ids.append(found["id"] or "")
            elif not self.in_label:
                self.unlabelled.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.in_label -= tag == "label"
        self.in_legend -= tag == "legend"

    def handle_data(self, data: str) -> None:
        if self.in_legend:
            self.legends[-1] += data


def test_every_control_has_a_label_and_every_question_its_own_group(
    project: Project, frameworks: dict[str, Framework]
) -> None:
    framework = frameworks["healthwatch-six"]
    html = build_form(project, framework).html()
    controls = _Controls.of(html)
    assert controls.fieldsets == len(framework.items) + 1  # the role, then each question
    assert controls.legends[0] == ROLE_QUESTION
    assert html.count('aria-describedby="q') == len(framework.items)  # the help, read out
    with pytest.raises(AssertionError):  # the check can fail
        _Controls.of('<input type="checkbox"> Yes')


def _marked(workbook: Workbook) -> dict[str, Framework]:
    """The workbook's frameworks, with markup planted in healthwatch-six's title and first
    question by a copy of its file in data/frameworks/."""
    path = Path(__file__).parents[1] / "coeval" / "frameworks" / "data" / "healthwatch-six.yaml"
    data = yaml.safe_load(path.read_text())
    data["title"] = f"Six {MARKUP}"
    data["sections"][0]["items"][0]["question"] = f"Better {MARKUP}?"
    workbook.frameworks_dir.mkdir(parents=True, exist_ok=True)
    (workbook.frameworks_dir / "healthwatch-six.yaml").write_text(yaml.safe_dump(data))
    return load_frameworks(workbook.frameworks_dir)


def test_words_from_files_and_people_are_escaped(workbook: Workbook, store: Store) -> None:
    store.add_project("p1", f"Hub {MARKUP}", ["healthwatch-six"])
    html_path, docx_path = write_form(
        store, _marked(workbook), "p1", "healthwatch-six", workbook.root / "forms"
    )
    html = html_path.read_text()
    assert "<b>" not in html
    assert html.count("&lt;b&gt;x&lt;/b&gt; &amp; &quot;q&quot;") >= 4  # title, h1, text, q1
    text = _docx_text(docx_path.read_bytes())
    assert f"Hub {MARKUP}" in text and f"Six {MARKUP}" in text and f"1. Better {MARKUP}?" in text


@pytest.mark.parametrize("large_print", [False, True])
def test_the_page_loads_nothing_and_runs_nothing(
    project: Project, frameworks: dict[str, Framework], large_print: bool
) -> None:
    html = build_form(project, frameworks["making-it-real"], large_print).html().lower()
    for banned in ("<script", "http://", "https://", "@import", "url(", " src=", "<link"):
        assert banned not in html, banned
    assert "href=" not in html and "<img" not in html and "<iframe" not in html
    assert re.search(r"@page\s*\{\s*size:\s*a4;\s*margin:", html)


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


def test_large_print_is_16pt_with_18pt_headings_and_no_block_splits(
    project: Project, frameworks: dict[str, Framework]
) -> None:
    framework = frameworks["healthwatch-six"]
    large, normal = (build_form(project, framework, lp).html() for lp in (True, False))
    sizes = _font_sizes(large)
    assert sizes["body"] >= 16 and min(sizes.values()) >= 16
    assert all(sizes[h] >= 18 for h in ("h1", "h2", "h3", "legend"))
    assert _font_sizes(normal)["body"] < 16  # normal print is smaller
    for html in (large, normal):
        assert html.count('<fieldset class="question"') == len(framework.items) + 1
        rule = re.search(r"\.question[^{]*\{([^}]*)\}", html)
        assert rule and "break-inside: avoid" in rule.group(1)


def _docx_text(data: bytes) -> str:
    """Every word of a Word document, tables included, in the order it is shown."""
    doc = Document(io.BytesIO(data))
    return "\n".join(
        "".join(t.text or "" for t in p.iter(qn("w:t"))) for p in doc.element.body.iter(qn("w:p"))
    )


def _size(paragraph: Any, run: Any) -> Any:
    """The size a run is shown at: its own, else its paragraph style's (or what it is based
    on)."""
    if run.font.size is not None:
        return run.font.size
    style = paragraph.style
    while style is not None and style.font.size is None:
        style = style.base_style
    return None if style is None else style.font.size


def _paragraphs(doc: Any) -> Iterator[Any]:
    yield from doc.paragraphs
    for table in doc.tables:
        for cell in (c for row in table.rows for c in row.cells):
            yield from cell.paragraphs


@pytest.mark.parametrize("framework_id", FRAMEWORKS)
def test_the_word_document_asks_the_same_questions_in_the_same_order(
    project: Project, frameworks: dict[str, Framework], framework_id: str
) -> None:
    framework = frameworks[framework_id]
    data = build_form(project, framework).docx()
    text = _docx_text(data)
    assert text.startswith(project.name) and framework.title in text
    _in_order(text, _form_words(framework))
    assert text.count("\u2610") == len(paper.ROLE_WORDS) + len(framework.items) * 6 + 1


def test_large_print_word_is_16pt_and_keeps_each_question_together(
    project: Project, frameworks: dict[str, Framework]
) -> None:
    framework = frameworks["healthwatch-six"]
    doc = Document(io.BytesIO(build_form(project, framework, large_print=True).docx()))
    runs = [(p, r) for p in _paragraphs(doc) for r in p.runs if r.text.strip()]
    assert runs and all(_size(p, r) >= Pt(16) for p, r in runs)
    headings = [(p, r) for p, r in runs if p.style.name.startswith("Heading")]
    assert len(headings) >= 4 and all(_size(p, r) >= Pt(18) for p, r in headings)
    paragraphs = list(doc.paragraphs)
    starts = [n for n, p in enumerate(paragraphs) if re.match(r"\d+\. ", p.text)]
    assert len(starts) == len(framework.items)
    for start in starts:  # the question, its help, then a line per tick box
        block = paragraphs[start : start + 2 + len(framework.scale) + 1]
        assert all(p.paragraph_format.keep_together for p in block)
        assert [p.paragraph_format.keep_with_next for p in block[:-1]] == [True] * (len(block) - 1)
        assert block[-1].text == f"\u2610\u00a0{DONT_KNOW_LABEL}"
    normal = Document(io.BytesIO(build_form(project, framework).docx()))
    assert normal.styles["Normal"].font.size < Pt(16)


def test_the_command_writes_both_files_and_prints_their_paths(
    cli: Any, project: Project, workbook: Workbook
) -> None:
    out = workbook.root / "forms"
    done = cli("form", "--project", project.id, "--framework", "healthwatch-six", "--out", str(out))
    assert done.exit_code == 0, done.output
    stem = out / "carers-hub-healthwatch-six-form"
    for path in (stem.with_suffix(".html"), stem.with_suffix(".docx")):
        assert path.is_file() and str(path) in done.output
    large = cli(
        *("form", "--project", project.id, "--framework", "making-it-real"),
        *("--large-print", "--out", str(out)),
    )
    assert large.exit_code == 0, large.output
    for suffix in (".html", ".docx"):
        path = out / f"carers-hub-making-it-real-form-large-print{suffix}"
        assert path.is_file() and str(path) in large.output
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{s}{x}"
        for s in ("carers-hub-healthwatch-six-form", "carers-hub-making-it-real-form-large-print")
        for x in (".html", ".docx")
    )


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("--project", "nobody", "--framework", "healthwatch-six"), "--project"),
        (("--project", "carers-hub", "--framework", "nope"), "--framework"),
        (("--project", "carers-hub", "--framework", "scie-four"), "--framework"),
    ],
)
def test_a_wrong_project_or_framework_is_one_line_naming_the_option(
    cli: Any, project: Project, workbook: Workbook, args: tuple[str, ...], option: str
) -> None:
    done = cli("form", *args, "--out", str(workbook.root / "forms"))
    assert done.exit_code == 1
    assert done.stderr.strip().count("\n") == 0 and f"coeval: {option} " in done.stderr
    assert not (workbook.root / "forms").exists()


def test_out_that_is_a_file_is_refused(cli: Any, project: Project, workbook: Workbook) -> None:
    done = cli("form", "--project", project.id, "--framework", "healthwatch-six", "--out", __file__)
    assert done.exit_code == 1 and done.stderr.startswith("coeval: --out ")
    assert done.stderr.strip().count("\n") == 0


# -- in a real browser ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as opened:
        yield opened


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def _open(browser: object, path: Path) -> Any:
    visit = Visit()
    page: Any = open_page(browser, path.as_uri(), visit)
    assert visit.blocked == [] and visit.errors == []
    return page


LARGE_SIZES = """() => {
  const px = (e) => parseFloat(getComputedStyle(e).fontSize);
  const text = [...document.querySelectorAll('p, li, label, dt, dd, textarea')];
  const heads = [...document.querySelectorAll('h1, h2, h3, legend')];
  return [Math.min(...text.map(px)), Math.min(...heads.map(px)), text.length, heads.length];
}"""
BREAKS = (
    "() => [...document.querySelectorAll('fieldset')].map(f => getComputedStyle(f).breakInside)"
)


def test_the_pages_pass_axe_and_print_on_sensible_a4_pages(
    browser: object, store: Store, project: Project, workbook: Workbook
) -> None:
    frameworks = load_frameworks(workbook.frameworks_dir)
    out = workbook.root / "forms"
    counts = {}
    for large_print in (False, True):
        html, _ = write_form(store, frameworks, project.id, "healthwatch-six", out, large_print)
        page = _open(browser, html)
        assert serious_violations(page) == []
        assert set(page.evaluate(BREAKS)) == {"avoid"}
        counts[large_print] = _pages(page.pdf(format="A4"))
        sizes = page.evaluate(LARGE_SIZES)  # in CSS pixels: 16pt is 21.33px, 18pt is 24px
        if large_print:
            assert sizes[0] >= 21.3 and sizes[1] >= 23.9 and sizes[2] > 20 and sizes[3] > 8
        else:
            assert sizes[0] < 21.3
        page.close()
    items = len(frameworks["healthwatch-six"].items)
    assert 1 <= counts[False] <= 4 and counts[False] < counts[True] <= items + 3
