"""The project keeps its promises: packaging in step, docs true to the code."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from coeval.cli import doc as clidoc
from coeval.config import _SETTINGS
from coeval.frameworks import builtin_frameworks

ROOT = Path(__file__).parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!\[ ]", requirement, maxsplit=1)[0].lower()


def test_environment_yml_names_the_same_packages_as_pyproject() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wanted = {_name(r) for r in pyproject["project"]["dependencies"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert listed == wanted
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert python.endswith(pyproject["project"]["requires-python"].lstrip(">="))


def test_voila_is_new_enough() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "voila>=0.5.6" in pyproject["project"]["dependencies"]


def test_the_cli_reference_is_generated_from_the_real_help() -> None:
    assert (ROOT / "docs" / "cli.md").read_text() == clidoc.render(), "run `make docs`"


def test_every_framework_and_setting_is_documented() -> None:
    frameworks = (ROOT / "docs" / "frameworks.md").read_text()
    for framework_id in builtin_frameworks():
        assert f"`{framework_id}`" in frameworks
    settings = (ROOT / "docs" / "settings.md").read_text()
    for section, keys in _SETTINGS.items():
        assert f"`[{section}]`" in settings
        for key in keys:
            assert f"`{key}`" in settings, key


def test_the_readme_gives_the_two_commands_and_links_that_exist() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme
    for link in re.findall(r"\]\(([^)#]+\.md)\)", readme):
        assert (ROOT / link).is_file(), link


def test_ci_runs_make_test_and_the_makefile_has_its_targets() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    makefile = (ROOT / "Makefile").read_text()
    for target in ("demo:", "test:", "lint:"):
        assert re.search(rf"^{target}", makefile, re.M), target


def test_the_changelog_has_an_unreleased_section() -> None:
    assert "## Unreleased" in (ROOT / "CHANGELOG.md").read_text()


def test_the_repository_folder_is_a_workbook_with_default_settings() -> None:
    from coeval.config import DEFAULT_CONFIG

    assert (ROOT / "coeval.toml").read_text() == DEFAULT_CONFIG


def test_the_scoring_benchmark_runs_and_prints_its_ratio() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "scoring.py"),
            "--ratings",
            "20000",
            "--repeat",
            "1",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert re.fullmatch(r"ratio=\d+\.\d\d target=5", done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_the_meeting_benchmark_runs_and_prints_its_figures() -> None:
    small = ("--connected", "2", "--joins", "3", "--crowd", "3")
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "meeting.py"), *small],
        capture_output=True,
        text=True,
        check=True,
        timeout=900,
    )
    lines = done.stdout.strip().splitlines()
    assert re.fullmatch(
        r"join_p95_s=\d+\.\d\d save_p95_ms=\d+\.\d participant_rss_mib=\d+\.\d", lines[-1]
    )
    # each figure is printed against its floor, measured in the same run
    assert sum("floor" in line and "ratio" in line for line in lines) == 3


def test_the_safety_benchmark_runs_and_prints_its_figures() -> None:
    done = subprocess.run(
        [
            *(sys.executable, str(ROOT / "benchmarks" / "safety.py")),
            *("--chars", "2000", "--items", "200", "--repeat", "1"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    last = done.stdout.strip().splitlines()[-1]
    figures = dict(pair.split("=") for pair in last.split())
    assert set(figures) == {
        "redact_s",
        "redact_ratio",
        "redact_growth",
        "redact_target",
        "framework_s",
        "framework_ratio",
        "framework_target",
    }
    assert all(float(value) >= 0 for value in figures.values())
