"""The demo workbook is realistic: every feature the method handles appears in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from coeval.config import Workbook
from coeval.demo.ratings import PERIODS
from coeval.demo.workbook import PROJECTS, build_demo
from coeval.exceptions import ConfigError
from coeval.frameworks import load_frameworks
from coeval.report import score_document
from coeval.store import Store
from coeval.vocabulary import DEFAULT_VOICES


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "demo"
    build_demo(root, seed=7)
    return root


@pytest.fixture(scope="module")
def demo_store(demo: Path):
    with Store.open(Workbook.open(demo).db_url) as store:
        yield store


def test_six_projects_over_four_quarters(demo_store: Store) -> None:
    assert len(demo_store.projects()) == len(PROJECTS) == 6
    ratings = demo_store.ratings()
    assert sorted(ratings["period"].unique()) == list(PERIODS)
    for project in demo_store.projects():
        assert set(ratings.loc[ratings["project"] == project.id, "period"]) == set(PERIODS)


def test_the_ratings_hold_what_the_method_handles(demo_store: Store) -> None:
    ratings = demo_store.ratings()
    assert ratings["dont_know"].mean() > 0.02
    assert (ratings["role"] == "group").sum() > 0
    keys = ["project", "period", "framework", "item", "rater"]
    assert ratings.duplicated(keys).sum() > 0  # corrections, with history kept
    share = ratings.loc[ratings["role"] != "group", "role"].value_counts(normalize=True)
    assert share.index[0] == "carer" and share["carer"] > share["staff"]
    assert set(share.index) == set(DEFAULT_VOICES)  # every role takes part somewhere


def test_meetings_evidence_actions_and_activities(demo_store: Store) -> None:
    meetings = demo_store.table("meetings")
    assert len(meetings) == 24 and meetings["theme"].str.len().min() > 0
    assert set(meetings["mode"]) == {"votes", "consensus"}
    evidence = demo_store.table("evidence")
    assert set(evidence["consent_to_publish"]) == {True, False}
    assert evidence["text"].str.contains("@|07700", regex=True).any()  # details to redact
    assert set(demo_store.table("actions")["status"]) == {
        "open",
        "in_progress",
        "done",
        "not_possible",
    }
    assert len(demo_store.table("activities")) > 0 and len(demo_store.table("activity_reach")) > 0


def test_every_demo_project_scores(demo: Path, demo_store: Store) -> None:
    book = Workbook.open(demo)
    frameworks = load_frameworks(book.frameworks_dir)
    for project in demo_store.projects():
        for framework in project.frameworks:
            doc = score_document(
                demo_store, frameworks, book.settings.voices, project.id, PERIODS[-1], framework
            )
            assert doc["score"] is not None and 0 <= doc["score"] <= 100
            assert doc["change_since_previous"] is not None


def test_the_same_seed_builds_the_same_demo(tmp_path: Path, demo_store: Store) -> None:
    build_demo(tmp_path / "again", seed=7)
    with Store.open(Workbook.open(tmp_path / "again").db_url) as again:
        left, right = demo_store.ratings(), again.ratings()
    cols = ["project", "period", "item", "rater", "score"]
    assert left[cols].equals(right[cols])


def test_rebuilding_replaces_an_old_demo_but_never_a_real_workbook(tmp_path: Path) -> None:
    build_demo(tmp_path / "d", seed=1)
    build_demo(tmp_path / "d", seed=1)  # a demo may be rebuilt
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "precious.csv").write_text("x")
    with pytest.raises(ConfigError, match="not a demo workbook"):
        build_demo(tmp_path / "mine")
    assert (tmp_path / "mine" / "precious.csv").exists()


def test_the_example_import_file_imports(demo: Path, demo_store: Store, cli) -> None:
    from click.testing import CliRunner

    from coeval.cli.main import main

    out = CliRunner().invoke(
        main,
        [
            "--workbook",
            str(demo),
            "import",
            "ratings",
            str(demo / "examples" / "paper-ratings.csv"),
        ],
    )
    assert out.exit_code == 0, out.output
    assert "Imported 6 ratings" in out.output
