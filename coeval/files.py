"""Writing files safely: whole or not at all, never through a link someone left in the way.

Every file coeval writes (pages, manifests, feedback, responses, exports, kept imports) goes
through :func:`write_atomic`: the content is written to a new hidden file beside the target,
created exclusively and without following links, then moved over the target in one step. A
reader never sees half a file, an interrupted write leaves the old file in place, and a link
planted where the temporary file goes cannot redirect the write to another file.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Files only their owner may read (the database's folder and what is kept in it).
PRIVATE = 0o600
#: Pages and documents meant to be shared (subject to the process's umask).
SHARED = 0o666


def write_atomic(path: Path, data: bytes | str, mode: int = SHARED) -> Path:
    """Write ``data`` to ``path`` whole, or leave ``path`` as it was."""
    content = data.encode("utf-8") if isinstance(data, str) else data
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)  # a file or a link left behind: removed, never followed
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        with os.fdopen(os.open(partial, flags, mode), "wb") as out:
            out.write(content)
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path


def private_folder(path: Path) -> Path:
    """A folder only its owner can open (0700), made if it is missing. An existing folder's
    permissions are left as they are (a deployment may share it on purpose)."""
    if not path.is_dir():
        path.mkdir(mode=0o700, parents=True)
        path.chmod(0o700)
    return path
