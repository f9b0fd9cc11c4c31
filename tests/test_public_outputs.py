"""Every public word is redacted and every public count rounded: the demo workbook with the
redaction corpus planted in every free-text field coeval stores (with consent given wherever
consent is asked, so nothing is held back for that reason), then every public output it makes
(the dashboards and their notebooks, the portfolio and index, the published site, feedback to
the group and the draft consultation response) is searched for every personal detail."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from sqlalchemy import Text, select, update

from coeval.cli.main import main
from coeval.config import Workbook
from coeval.demo.practice import DEMO_NAMES
from coeval.demo.workbook import build_demo
from coeval.store import Store
from coeval.store import schema as s
from tests.test_disclosure import CORPUS_NAMES, _corpus, _squashed

pytestmark = pytest.mark.slow

#: Text columns that hold no one's words: file names, paths, who ran a command, JSON.
TECHNICAL = {
    ("meta", "value"),
    ("imports", "filename"),
    ("imports", "stored_path"),
    ("imports", "actor"),
    ("meetings", "items"),
    ("action_updates", "actor"),
    ("audit", "actor"),
    ("audit", "entity_id"),
    ("audit", "detail"),
}


def free_text_columns() -> list[tuple[str, str]]:
    """Every column of the schema that holds free text (derived from the schema, so a new
    one is planted too)."""
    return [
        (table.name, column.name)
        for table in s.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, Text) and (table.name, column.name) not in TECHNICAL
    ]


def plant(book: Workbook) -> None:
    """The corpus, line after line, in every free-text field of every row (and consent to
    publish given everywhere), and one more rating per project whose note is a corpus line."""
    lines = itertools.cycle([text for text, _secrets in _corpus()])
    with Store.open(book.db_url) as store, store.write() as conn:
        for table_name, column in free_text_columns():
            if table_name == "ratings":
                continue  # append-only: a new rating carries the note instead
            table = s.metadata.tables[table_name]
            key = next(iter(table.primary_key.columns))
            for (row_id,) in conn.execute(select(key)).all():
                conn.execute(update(table).where(key == row_id).values({column: next(lines)}))
        conn.execute(update(s.evidence).values(consent_to_publish=True))
        conn.execute(update(s.consultation_answers).values(consent_to_publish=True))
        latest = store.ratings().drop_duplicates("project", keep="last")
        rows = [
            {
                "project_id": r["project"],
                "period": r["period"],
                "framework_id": r["framework"],
                "item_id": r["item"],
                "rater_id": r["rater"],
                "role": r["role"],
                "score": None if r["dont_know"] else int(r["score"]),
                "dont_know": bool(r["dont_know"]),
                "note": next(lines),
                "recorded_at": r["recorded_at"].to_pydatetime(),
            }
            for r in latest.to_dict("records")
        ]
        store.add_ratings(rows, source="import", conn=conn)


def words(path: Path) -> str:
    if path.suffix == ".docx":
        doc = Document(str(path))
        cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in doc.paragraphs] + cells)
    return path.read_text(encoding="utf-8")


def test_no_public_output_holds_a_planted_personal_detail_or_an_unrounded_count(
    tmp_path: Path,
) -> None:
    root = tmp_path / "demo"
    build_demo(root, seed=5)
    config = root / "coeval.toml"
    names = ", ".join(f'"{n}"' for n in [*CORPUS_NAMES, *DEMO_NAMES])
    text = re.sub(r"redact_names = \[[^\]]*\]", f"redact_names = [{names}]", config.read_text())
    config.write_text(text)
    book = Workbook.open(root)
    plant(book)
    with Store.open(book.db_url) as store:
        projects = [p.id for p in store.projects()]

    def coeval(*args: str) -> None:
        result = CliRunner().invoke(main, ["--workbook", str(root), *args])
        assert result.exit_code == 0, result.output

    coeval("publish", "--period", "2026Q3", "--out", str(tmp_path / "site"))
    for project in projects:
        coeval(
            *("feedback", "--project", project, "--period", "2026Q3", "--audience", "public"),
            *("--out", str(tmp_path / "feedback")),
        )
    coeval(
        *("consultation", "respond", "--id", "carers-strategy-2026"),
        *("--out", str(tmp_path / "responses")),
    )

    outputs = [
        *sorted((tmp_path / "site").glob("*.html")),
        *sorted((book.dashboards_dir / "2026Q3" / "public").glob("*.ipynb")),
        *sorted((book.dashboards_dir / "2026Q3" / "public").glob("*.html")),
        *sorted((tmp_path / "feedback").iterdir()),
        *sorted((tmp_path / "responses").iterdir()),
    ]
    assert len(outputs) >= 2 * len(projects) + 2 * len(projects) + 2
    secrets = {secret for _text, found in _corpus() for secret in found}
    secrets |= {part for name in DEMO_NAMES for part in name.split()}
    for path in outputs:
        shown = words(path)
        squashed = _squashed(shown)
        for secret in secrets:
            assert _squashed(secret) not in squashed, f"{secret!r} is in {path.name}"
        assert re.search(r"removed\\?\]", shown), f"{path.name} shows none of the planted text"
        for match in re.finditer(r"(?<!fewer than )(?<!least )\b(\d+) (?:people|person)\b", shown):
            assert int(match.group(1)) % 5 == 0, f"{match.group(0)!r} in {path.name}"
