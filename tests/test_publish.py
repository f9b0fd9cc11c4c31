"""`coeval publish --out DIR` deletes nothing it did not make: it refuses the workbook, any
folder holding it and anything inside data/ or dashboards/, and a folder holding files it did
not write; into its own site folder it replaces only the pages it wrote there."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from coeval.cli.main import main
from coeval.config import Workbook
from coeval.publish import SITE_MARKER


def publish(book: Workbook, out: Path | str, cwd: Path | None = None) -> object:
    before = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(
            main, ["--workbook", str(book.root), "publish", "--period", "2026Q3", "--out", str(out)]
        )
    finally:
        os.chdir(before)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(("-wal", "-shm"))
    }


@pytest.mark.parametrize(
    ("where", "message"),
    [
        (".", "that is the workbook itself"),
        ("..", "a folder that holds the workbook"),
        ("/", "a folder that holds the workbook"),
        ("data", "inside"),
        ("data/imports", "inside"),
        ("dashboards", "inside"),
        ("dashboards/2026Q3/public", "inside"),
    ],
)
def test_publishing_over_the_workbook_or_its_data_is_refused_and_changes_nothing(
    tiny: Workbook, where: str, message: str
) -> None:
    (tiny.root / "data" / "imports" / "kept.csv").write_text("as received")
    before = snapshot(tiny.root)
    result = publish(tiny, where, cwd=tiny.root)
    assert result.exit_code == 1 and message in result.output, result.output
    assert "Traceback" not in result.output
    assert snapshot(tiny.root) == before  # not even a review was run


def test_a_folder_holding_other_files_is_refused(tiny: Workbook, tmp_path: Path) -> None:
    mine = tmp_path / "my documents"
    (mine / "letters").mkdir(parents=True)
    (mine / "letters" / "mum.docx").write_text("private")
    (mine / "notes.txt").write_text("mine")
    before = snapshot(mine)
    result = publish(tiny, mine)
    assert result.exit_code == 1 and "did not write" in result.output
    assert snapshot(mine) == before


def test_a_file_is_refused(tiny: Workbook, tmp_path: Path) -> None:
    target = tmp_path / "site.html"
    target.write_text("mine")
    result = publish(tiny, target)
    assert result.exit_code != 0 and "is a file" in result.output
    assert target.read_text() == "mine"


@pytest.mark.slow
def test_a_site_is_replaced_only_where_coeval_wrote_it(tiny: Workbook, tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = publish(tiny, out)
    assert first.exit_code == 0, first.output
    marker = json.loads((out / SITE_MARKER).read_text())
    assert sorted(marker["files"]) == ["007.html", "index.html", "portfolio.html"]
    assert sorted(p.name for p in out.iterdir() if p.name != SITE_MARKER) == marker["files"]
    assert "Public version" in (out / "007.html").read_text()

    # Someone adds their own files to the site folder, and a page coeval wrote goes stale.
    (out / "our-notes.txt").write_text("ours")
    (out / "extra").mkdir()
    (out / "extra" / "logo.png").write_bytes(b"png")
    (out / "old-project.html").write_text("a page coeval never wrote")
    marker["files"].append("gone.html")
    (out / "gone.html").write_text("a page coeval wrote before")
    (out / SITE_MARKER).write_text(json.dumps(marker))
    (out / "007.html").write_text("stale")
    victim = tmp_path / "victim.txt"  # a link planted where coeval writes its temporary file
    victim.write_text("keep")
    (out / ".index.html.partial").symlink_to(victim)
    (out / "..coeval-site.json.partial").symlink_to(victim)

    again = publish(tiny, out)
    assert again.exit_code == 0, again.output
    assert "Public version" in (out / "007.html").read_text()  # its own page, replaced
    assert not (out / "gone.html").exists()  # its own stale page, removed
    assert (out / "our-notes.txt").read_text() == "ours"  # everything else left alone
    assert (out / "extra" / "logo.png").read_bytes() == b"png"
    assert (out / "old-project.html").read_text() == "a page coeval never wrote"
    assert victim.read_text() == "keep" and "Quarterly reviews" in (out / "index.html").read_text()
    assert not list(out.glob(".*.partial"))


def test_a_marker_cannot_point_outside_the_site(tiny: Workbook, tmp_path: Path) -> None:
    """A marker edited to name files elsewhere is read as names in the site folder only."""
    from coeval.publish import _marked_files

    out = tmp_path / "site"
    out.mkdir()
    victim = tmp_path / "victim.html"
    victim.write_text("keep")
    (out / SITE_MARKER).write_text(
        json.dumps({"files": ["../victim.html", "/etc/passwd", "ok.html", ".hidden.html", 7]})
    )
    assert _marked_files(out / SITE_MARKER) == ["ok.html"]
    (out / SITE_MARKER).write_text("{not json")
    result = publish(tiny, out)
    assert result.exit_code == 1 and "damaged" in result.output
    assert victim.read_text() == "keep"
