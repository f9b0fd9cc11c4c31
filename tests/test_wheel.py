"""coeval installs as a wheel and runs: the wheel holds every package, the notebooks and the
data files, and a fresh virtual environment outside the source tree (not an editable install)
can make the demo and run a review with it."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def test_every_package_is_listed_for_the_wheel() -> None:
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "coeval").rglob("__init__.py")
        if "_kernel" not in p.parts
    }
    assert found | {"coeval.notebooks"} == listed


@pytest.mark.slow
def test_a_wheel_installed_in_a_fresh_environment_makes_the_demo_and_runs_a_review(
    tmp_path: Path,
) -> None:
    def run(*args: str | Path, **kwargs) -> str:
        done = subprocess.run(
            [str(a) for a in args], capture_output=True, text=True, timeout=600, **kwargs
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    dist = tmp_path / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, ROOT)
    (wheel,) = dist.glob("coeval-*.whl")
    fresh = tmp_path / "fresh"
    run(sys.executable, "-m", "venv", "--without-pip", fresh)
    python = fresh / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q", wheel)
    # coeval's dependencies come from the test environment (no network needed); coeval itself
    # only from the wheel: a .pth file adds a folder but not the editable install's finder
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip()
    Path(site, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "COEVAL_WORKBOOK")}
    work = tmp_path / "elsewhere"
    work.mkdir()
    where = run(python, "-c", "import coeval; print(coeval.__file__)", cwd=work, env=env)
    assert where.startswith(site), where  # the wheel's coeval, not the source tree's
    coeval = fresh / "bin" / "coeval"
    run(coeval, "demo", "demo", cwd=work, env=env)
    run(
        coeval,
        "--workbook",
        "demo",
        "run",
        "--period",
        "2026Q3",
        "--project",
        "discharge-workshops",
        cwd=work,
        env=env,
    )
    page = work / "demo" / "dashboards" / "2026Q3" / "discharge-workshops.html"
    assert page.is_file() and 'id="headline"' in page.read_text()
    assert (work / "demo" / "dashboards" / "2026Q3" / "portfolio.html").is_file()
