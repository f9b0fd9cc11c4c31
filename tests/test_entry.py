"""Typed-in answers from paper, letters and calls: stored once, with the method, or refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from coeval.exceptions import EntryError
from coeval.meeting.entry import Entry, save_entry


@pytest.fixture
def letter(store) -> Entry:
    store.add_project("p1", "Project one", ["healthwatch-six"])
    return Entry(
        project="p1",
        period="2026Q3",
        reference="L-014",
        role="carer",
        method="letter",
        received_on=date(2026, 9, 3),
        answers={"transparency": 3, "barriers-removed": None},
        evidence="The papers came the night before.",
        evidence_item="transparency",
        consent_to_publish=True,
        key="entry-1",
    )


def test_an_entry_is_stored_once_with_its_method(store, frameworks, letter) -> None:
    hw6 = frameworks["healthwatch-six"]
    assert save_entry(store, hw6, letter) == 2
    assert save_entry(store, hw6, letter) == 0  # Save pressed twice
    ratings = store.ratings(project="p1")
    assert ratings["source"].tolist() == ["letter", "letter"]
    assert ratings["recorded_at"].dt.date.tolist() == [date(2026, 9, 3)] * 2
    evidence = store.table("evidence")
    assert len(evidence) == 1 and evidence["rater_id"][0] == "L-014"


def test_words_alone_can_be_typed_in(store, frameworks, letter) -> None:
    words = replace(letter, answers={}, key="entry-2")
    assert save_entry(store, frameworks["healthwatch-six"], words) == 0
    assert save_entry(store, frameworks["healthwatch-six"], words) == 0
    assert store.count("evidence") == 1 and store.count("ratings") == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"answers": {"transparency": 9}}, "not on the scale"),
        ({"answers": {"transparency": True}}, "not on the scale"),
        ({"answers": {"nope": 1}}, "'nope' is not a question"),
        ({"answers": {}, "evidence": " "}, "nothing to save"),
        ({"role": "group"}, "choose who the person is"),
        ({"method": "pigeon"}, "how the answers reached you"),
        ({"reference": "Mrs Jones"}, "never their name"),
        ({"evidence": "x" * 5001}, "up to 5000 characters"),
        ({"evidence_item": "nope"}, "not in this framework"),
        ({"framework": "ladder"}, "not used by this project"),
    ],
)
def test_bad_entries_are_refused_and_store_nothing(store, frameworks, letter, change, message):
    fw = frameworks[change.get("framework", "healthwatch-six")]
    bad = replace(letter, **{k: v for k, v in change.items() if k != "framework"})
    with pytest.raises(EntryError, match=message):
        save_entry(store, fw, bad)
    assert store.count("ratings") == store.count("evidence") == 0
