"""Publishing a quarter's dashboards as a static site."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from coeval.config import Workbook
from coeval.exceptions import CoevalError
from coeval.files import write_atomic
from coeval.periods import parse_period
from coeval.run import period_folder, run_reviews
from coeval.vocabulary import PUBLIC


def publish(
    workbook: Workbook,
    period: str,
    out: Path,
    audience: str = PUBLIC,
    say: Callable[[str], object] = print,
) -> Path:
    """Write the period's static site (its index and every page) to ``out``.

    Reviews are (re)made first where their inputs changed, so the site is never stale. ``out``
    must be new, empty, or a site published before (see :func:`site_folder`); only the files
    coeval wrote there are replaced or removed.
    """
    this = parse_period(period, workbook.settings.period_scheme)
    folder, before = site_folder(workbook, out)  # checked before any work is done
    report = run_reviews(workbook, this.label, audience=audience, say=say)
    if report.failed:
        failed = ", ".join(o.name for o in report.failed)
        raise CoevalError(
            f"not published: the reviews of {failed} failed; see {report.folder / '.failed'}"
        )
    source = period_folder(workbook, this, audience)
    pages = sorted(source.glob("*.html"))
    names = [page.name for page in pages]
    theirs = [n for n in names if n not in before and (folder / n).exists()]
    if theirs:
        raise CoevalError(
            f"--out {out}: {theirs[0]} is already there and coeval did not write it; move it "
            "away or choose another folder (nothing was published)"
        )
    folder.mkdir(parents=True, exist_ok=True)
    # Record every file this run may write before writing any, so an interrupted run still
    # leaves the marker naming them all; the final marker names only this site's pages.
    _write_marker(folder, this.label, audience, sorted({*before, *names}))
    for page in pages:
        write_atomic(folder / page.name, page.read_bytes())
    for name in sorted(set(before) - set(names)):
        stale = folder / name
        if stale.is_file() and not stale.is_symlink():
            stale.unlink()
    _write_marker(folder, this.label, audience, names)
    return folder


#: The file `coeval publish` leaves in a site folder, naming the files it wrote there. Only a
#: folder with this file (or an empty or new one) is published into, and only those files are
#: ever replaced or removed.
SITE_MARKER = ".coeval-site.json"
_PAGE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}\.html$")


def site_folder(workbook: Workbook, out: Path) -> tuple[Path, list[str]]:
    """Where a site may be published, and the files coeval wrote there before.

    Refused: the workbook itself, any folder that holds it, anything inside its data/ or
    dashboards/, a file, and a folder holding anything coeval did not write."""
    given = out.expanduser()
    folder = given.resolve()
    root = workbook.root.resolve()
    if root.is_relative_to(folder):
        what = "the workbook itself" if folder == root else "a folder that holds the workbook"
        raise CoevalError(
            f"--out {given}: that is {what}, so publishing there could replace your data; "
            "choose a new folder, for example --out site"
        )
    for inside, why in (
        (workbook.data_dir, "the workbook's data"),
        (workbook.dashboards_dir, "the dashboards coeval run makes"),
    ):
        if folder.is_relative_to(inside.resolve()):
            raise CoevalError(
                f"--out {given}: that is inside {inside}, which holds {why}; choose a folder "
                "outside it, for example --out site"
            )
    if folder.exists() and not folder.is_dir():
        raise CoevalError(f"--out {given} is a file; give a folder")
    if not folder.exists():
        return folder, []
    marker = folder / SITE_MARKER
    if marker.is_file() and not marker.is_symlink():
        return folder, _marked_files(marker)
    if any(folder.iterdir()):
        raise CoevalError(
            f"--out {given} already holds files that coeval publish did not write; choose an "
            "empty or new folder (publish never replaces or removes anything it did not make)"
        )
    return folder, []


def _marked_files(marker: Path) -> list[str]:
    """The page names a site marker lists: plain file names only, whatever the file says."""
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise CoevalError(
            f"{marker} is damaged, so coeval cannot tell which files it wrote there; choose an "
            "empty or new folder for --out"
        ) from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list):
        files = []
    return [name for name in files if isinstance(name, str) and _PAGE_NAME.match(name)]


def _write_marker(folder: Path, period: str, audience: str, files: list[str]) -> None:
    record = {
        "written_by": "coeval publish",
        "period": period,
        "audience": audience,
        "files": files,
    }
    write_atomic(folder / SITE_MARKER, json.dumps(record, indent=2) + "\n")
