"""`coeval meeting` started as people start it, for the tests that need a real one: the
command in its own process, and the links it prints (read up to "Press Ctrl+C")."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

COEVAL = str(Path(sys.executable).parent / "coeval")
LINK = re.compile(
    r"^\s+(Meeting code|Facilitator link|Join link|Staff entry link):\s+(\S+(?: \S{3}(?=\n))?)",
    re.M,
)


def start_meeting_server(
    root: Path, port: int, *options: str
) -> tuple[subprocess.Popen[str], dict[str, str]]:
    """Start `coeval meeting --project p1 --port PORT OPTIONS` on the workbook at ``root``;
    return the process and the printed links by name (and the meeting code, as printed)."""
    command = [COEVAL, "--workbook", str(root), "meeting", "--project", "p1"]
    process = subprocess.Popen(
        [*command, "--port", str(port), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "COEVAL_WORKBOOK": ""},
    )
    assert process.stdout is not None
    printed = []
    for line in process.stdout:
        printed.append(line)
        if line.startswith("Press Ctrl+C"):
            break
    return process, dict(LINK.findall("".join(printed)))
