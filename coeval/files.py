"""Files, safely: written whole or not at all, never through a link someone left in the way,
and code run only from files no one else can change.

Every file coeval writes (pages, manifests, feedback, responses, exports, kept imports) goes
through :func:`write_atomic`: the content is written to a new hidden file beside the target,
created exclusively and without following links, then moved over the target in one step. A
reader never sees half a file, an interrupted write leaves the old file in place, and a link
planted where the temporary file goes cannot redirect the write to another file.
"""

from __future__ import annotations

import grp
import os
import pwd
import stat
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Unsafe:
    """Why someone else could change a file, and what to do about it."""

    why: str
    fix: str

    def __str__(self) -> str:
        return self.why


def others_can_change(path: Path, root: Path | None = None) -> Unsafe | None:
    """Why someone other than this user could change ``path`` (or a folder from it up to
    ``root``), or None when only this user can: code coeval runs must be one's own alone."""
    folders = [p for p in path.parents if root is not None and p.is_relative_to(root)]
    for target in (path, *folders):
        info = target.stat()
        if info.st_uid != os.geteuid():
            return Unsafe(f"{target} belongs to another user", "use a copy of your own")
        if writable_by_others(info):
            return Unsafe(
                f"other people can change {target}",
                f"make it yours alone with `chmod go-w {target}`",
            )
    return None


def writable_by_others(info: os.stat_result) -> bool:
    """Can someone other than the owner write to a file or folder with this status? Anyone
    can when others may write; the group can, unless it is the owner's own private group (a
    group no other user belongs to, as many systems make for each user)."""
    if info.st_mode & stat.S_IWOTH:
        return True
    if not info.st_mode & stat.S_IWGRP:
        return False
    try:
        members = set(grp.getgrgid(info.st_gid).gr_mem)
    except KeyError:
        return True
    members |= {user.pw_name for user in pwd.getpwall() if user.pw_gid == info.st_gid}
    return bool(members - {pwd.getpwuid(info.st_uid).pw_name})


def private_folder(path: Path) -> Path:
    """A folder only its owner can open (0700), made if it is missing. An existing folder's
    permissions are left as they are (a deployment may share it on purpose)."""
    if not path.is_dir():
        path.mkdir(mode=0o700, parents=True)
        path.chmod(0o700)
    return path
