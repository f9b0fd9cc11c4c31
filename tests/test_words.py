"""No placeholder a program leaves behind (nan, None, NaT) reaches anything a person reads: every
page of the demo's reviews, every feedback file and draft response, and the output of every
command that prints for people."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from coeval.cli.main import main
from coeval.store import Store
from tests.conftest import page_words

pytestmark = pytest.mark.slow
PLACEHOLDER = re.compile(r"\b(nan|NaN|None|NaT|null|undefined)\b")


def _placeholders(text: str) -> list[str]:
    return [m.group(0) for m in PLACEHOLDER.finditer(page_words(text))]


def test_no_page_feedback_or_command_output_shows_a_placeholder(reviewed, tmp_path: Path) -> None:
    book, _ = reviewed
    found: dict[str, list[str]] = {}
    for page in sorted((book.dashboards_dir / "2026Q3").glob("*.html")):
        found[page.name] = _placeholders(page.read_text())

    def cli(*args: str) -> str:
        result = CliRunner().invoke(main, ["--workbook", str(book.root), *args])
        assert result.exit_code == 0, (args, result.output)
        return result.output

    with Store.open(book.db_url) as store:
        projects = store.projects()
    commands = [["project", "list"], ["frameworks", "list"], ["consultation", "list"]]
    for project in projects:
        commands.append(["actions", "list", "--project", project.id])
        for framework in project.frameworks:
            commands.append(
                ["score", "--project", project.id, "--period", "2026Q3", "--framework", framework]
            )
        cli("feedback", "--project", project.id, "--period", "2026Q3", "--out", str(tmp_path))
    for framework in {f for p in projects for f in p.frameworks}:
        commands.append(["frameworks", "show", framework])
    for command in commands:
        found[" ".join(command)] = _placeholders(cli(*command))
    for consultation in ("carers-strategy-2026",):
        cli("consultation", "respond", "--id", consultation, "--out", str(tmp_path))
    for written in sorted(tmp_path.glob("*")):
        if written.suffix in (".html", ".txt", ".md"):
            found[written.name] = _placeholders(written.read_text())
    assert len(found) > 20
    assert {name: words for name, words in found.items() if words} == {}
