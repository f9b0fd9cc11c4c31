from pathlib import Path

import pytest

from coeval.config import (
    CONFIG_NAME,
    Workbook,
    database_url,
    find_workbook,
    init_workbook,
    read_settings,
)
from coeval.exceptions import ConfigError
from coeval.vocabulary import DEFAULT_VOICES


def test_init_makes_the_folders_and_default_settings(tmp_path: Path) -> None:
    root = init_workbook(tmp_path / "book")
    for sub in ("data/frameworks", "data/imports", "dashboards"):
        assert (root / sub).is_dir()
    settings = read_settings(root / CONFIG_NAME)
    assert settings.period_scheme == "calendar"
    assert settings.voices == DEFAULT_VOICES
    assert settings.disclosure.internal_min_raters == 3
    assert settings.disclosure.public_min_people == 8
    assert settings.disclosure.public_round_to == 5


def test_init_keeps_existing_settings(tmp_path: Path) -> None:
    root = init_workbook(tmp_path)
    (root / CONFIG_NAME).write_text('[workbook]\nperiod_scheme = "financial"\n')
    init_workbook(root)
    assert read_settings(root / CONFIG_NAME).period_scheme == "financial"


def test_workbook_is_found_from_a_subfolder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("COEVAL_WORKBOOK", raising=False)
    root = init_workbook(tmp_path / "book")
    assert find_workbook(root / "data" / "imports") == root


def test_no_workbook_says_how_to_make_one(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("COEVAL_WORKBOOK", raising=False)
    with pytest.raises(ConfigError, match="run `coeval init`"):
        find_workbook(tmp_path)


def test_environment_names_the_workbook_and_database(tmp_path: Path, monkeypatch) -> None:
    root = init_workbook(tmp_path / "book")
    monkeypatch.setenv("COEVAL_WORKBOOK", str(root))
    monkeypatch.setenv("COEVAL_DB", str(tmp_path / "other.db"))
    book = Workbook.open()
    assert book.root == root.resolve()
    assert book.db_url == f"sqlite:///{tmp_path / 'other.db'}"


def test_database_urls() -> None:
    root = Path("/w")
    assert database_url("", root) == "sqlite:////w/data/coeval.db"
    assert database_url("postgresql+psycopg://u@h/db", root) == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[workbook]\nperiod_scheme = "monthly"',
            "period_scheme = 'monthly'; use one of: calendar, financial",
        ),
        ("[workbok]\n", "unknown section \\[workbok\\]"),
        ('[workbook]\nperiod = "calendar"', "unknown setting 'period'"),
        ('[voices]\nstaff = "lived"', "use one of: lived_experience, workforce"),
        ('[voices]\nmanager = "workforce"', "manager: unknown role"),
        ('[disclosure]\npublic_min_people = "eight"', "should be a whole number"),
        ("[disclosure]\npublic_round_to = 0", "must be 1 or more"),
        ('[workbook]\ntimezone = "Mars/Base"', "is not a time zone"),
        ("[workbook\n", "not valid TOML"),
    ],
)
def test_bad_settings_name_the_setting_and_the_fix(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / CONFIG_NAME
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        read_settings(path)


def test_a_role_can_be_moved_to_the_other_voice(tmp_path: Path) -> None:
    path = tmp_path / CONFIG_NAME
    path.write_text('[voices]\nvolunteer = "lived_experience"\n')
    assert read_settings(path).voices["volunteer"] == "lived_experience"
    assert read_settings(path).voices["staff"] == "workforce"
