"""Making a pack's two documents, and writing them to a folder without touching anything
coeval did not write there."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from coeval.config import Workbook
from coeval.exceptions import CoevalError
from coeval.files import write_atomic
from coeval.ids import path_part
from coeval.pack.content import gather
from coeval.pack.page import GENERATOR, pack_html
from coeval.pack.word import pack_docx
from coeval.store import Store
from coeval.vocabulary import INTERNAL


@dataclass(frozen=True)
class PackDocuments:
    """A pack as a web page and a Word document, and the name both files share (without
    the suffix): ``<project>-<period>-pack``, with ``-large-print`` for large print."""

    html: str
    docx: bytes
    stem: str


def pack_documents(
    workbook: Workbook,
    store: Store,
    project: str,
    period: str,
    large_print: bool = False,
    *,
    audience: str = INTERNAL,
    today: date | None = None,
    language: str = "en",
) -> PackDocuments:
    """The pack for ``project``'s meeting in quarter ``period``: what the group should have
    a week before it (see docs/pack.md), in ``language`` where there are words for it."""
    content = gather(workbook, store, project, period, audience, large_print, today, language)
    label = content.period.replace("/", "-").replace(" ", "-")
    stem = f"{path_part(content.project_id)}-{label}-pack" + ("-large-print" if large_print else "")
    stem += f"-{path_part(language)}" if language != "en" else ""
    return PackDocuments(pack_html(content), pack_docx(content), stem)


def write_pack(documents: PackDocuments, out: Path) -> tuple[Path, Path]:
    """Write ``<stem>.html`` and ``<stem>.docx`` into the folder ``out`` (made if missing).
    A file already there under either name is replaced only if it is an earlier pack coeval
    wrote; anything else is refused before either file is written."""
    out = out.expanduser()
    if out.exists() and not out.is_dir():
        raise CoevalError(f"--out {out} is a file; give a folder")
    targets = (out / f"{documents.stem}.html", out / f"{documents.stem}.docx")
    for target in targets:
        if (target.exists() or target.is_symlink()) and not _ours(target):
            raise CoevalError(
                f"--out {out}: {target.name} is already there and coeval did not write it; "
                "move it away or choose another folder (nothing was written)"
            )
    out.mkdir(parents=True, exist_ok=True)
    html = write_atomic(targets[0], documents.html)
    docx = write_atomic(targets[1], documents.docx)
    return html, docx


def _ours(path: Path) -> bool:
    """Is ``path`` a pack coeval wrote: an ordinary file marked as one?"""
    if path.is_symlink() or not path.is_file():
        return False
    data = path.read_bytes()
    if path.suffix == ".html":
        return f'<meta name="generator" content="{GENERATOR}">'.encode() in data[:2000]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as word:
            core = word.read("docProps/core.xml")
    except (zipfile.BadZipFile, KeyError):
        return False
    return f"<dc:description>{GENERATOR}</dc:description>".encode() in core
