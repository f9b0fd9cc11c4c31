from pathlib import Path

import pytest

from coeval.config import Disclosure
from coeval.disclosure import SUPPRESSED, Audience, redact
from coeval.exceptions import CoevalError

RULES = Disclosure()
INTERNAL = Audience.of("internal", RULES)
PUBLIC = Audience.of("public", RULES)


def test_internal_shows_every_figure_but_needs_three_raters_per_voice() -> None:
    assert INTERNAL.figure(62.5, 1) == 62.5 and INTERNAL.count(3) == 3
    assert not INTERNAL.shows_voice(2) and INTERNAL.shows_voice(3)


@pytest.mark.parametrize(("people", "shown"), [(1, False), (7, False), (8, True), (40, True)])
def test_public_hides_figures_based_on_one_to_seven_people(people: int, shown: bool) -> None:
    assert PUBLIC.shows(people) is shown
    assert PUBLIC.figure(50.0, people) == (50.0 if shown else SUPPRESSED)
    assert PUBLIC.shows_voice(people) is shown


@pytest.mark.parametrize(
    ("n", "shown"),
    [(0, 0), (3, SUPPRESSED), (7, SUPPRESSED), (8, 10), (12, 10), (13, 15), (101, 100)],
)
def test_public_counts_are_rounded_to_five(n: int, shown: object) -> None:
    assert PUBLIC.count(n) == shown


def test_thresholds_are_settings() -> None:
    strict = Audience.of("public", Disclosure(public_min_people=11, public_round_to=10))
    assert strict.count(10) == SUPPRESSED and strict.count(14) == 10
    assert not Audience.of("internal", Disclosure(internal_min_raters=5)).shows_voice(4)


def test_an_unknown_audience_is_refused() -> None:
    with pytest.raises(CoevalError, match="use one of: internal, public"):
        Audience.of("board", RULES)


@pytest.mark.parametrize(
    "text",
    [
        "Call me on 07700 900123 please",
        "ring 0117 496 0000",
        "+44 (0)117 496 0000",
        "07700-900-123",
        "mail jean.bloggs@example.org",
        "jean at example dot org",
        "I live at BS21 7XY",
        "postcode bs217xy",
        "NHS number 943 476 5919",
        "9434765919",
    ],
)
def test_contact_details_are_removed(text: str) -> None:
    out = redact(text)
    assert "removed]" in out
    for token in ("07700", "496", "example", "BS21", "bs217xy", "943", "9434765919"):
        assert token not in out


def test_listed_names_are_removed_in_their_forms() -> None:
    out = redact(
        "Jean Bloggs said so, and jean bloggs's husband agreed; Jean-Bloggs too", ["Jean Bloggs"]
    )
    assert "Jean" not in out and "jean" not in out and "Bloggs" not in out


def test_plain_text_is_left_alone() -> None:
    text = "The papers came late, 3 times in 2026, for 12 of us."
    assert redact(text, ["Jean"]) == text


CORPUS = Path(__file__).parent / "fixtures" / "redaction_corpus.txt"
CORPUS_NAMES = ["Jean Smith", "Ann-Marie Okafor", "Raj Patel"]


def _corpus() -> list[tuple[str, list[str]]]:
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    cases = []
    for line in lines:
        if line.strip() and not line.startswith("#"):
            text, secrets = line.split(" || ")
            cases.append((text, [s.strip() for s in secrets.split(" | ")]))
    return cases


def _squashed(text: str) -> str:
    return "".join(text.lower().split()).replace("-", "").replace(".", "").replace("(", "")


@pytest.mark.parametrize(("text", "secrets"), _corpus(), ids=lambda v: str(v)[:30])
def test_nothing_personal_survives_redaction(text: str, secrets: list[str]) -> None:
    out = redact(text, CORPUS_NAMES)
    for secret in secrets:
        assert _squashed(secret) not in _squashed(out), f"{secret!r} survived in {out!r}"
    assert "removed]" in out
