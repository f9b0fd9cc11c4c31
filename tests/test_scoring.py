"""The scoring method: one hand-worked fixture per rule, a reference check and properties."""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coeval import agreement, scoring, vocabulary
from coeval.vocabulary import DEFAULT_VOICES
from tests.conftest import ratings_frame, tiny_framework
from tests.reference import reference

CAT = scoring.catalogue([tiny_framework()])


def item(result: scoring.Scores, item_id: str, period: str = "2026Q3") -> pd.Series:
    rows = result.items[(result.items["item"] == item_id) & (result.items["period"] == period)]
    assert len(rows) == 1, f"expected one row for {item_id}"
    return rows.iloc[0]


def section(result: scoring.Scores, section_id: str, period: str = "2026Q3") -> pd.Series:
    rows = result.sections[
        (result.sections["section"] == section_id) & (result.sections["period"] == period)
    ]
    return rows.iloc[0]


def top(result: scoring.Scores, period: str = "2026Q3") -> pd.Series:
    return result.frameworks[result.frameworks["period"] == period].iloc[0]


# -- hand-worked fixtures, one rule each -------------------------------------------------------


def test_voices_weigh_equally_however_many_staff() -> None:
    # one carer says 2, four staff say 4: the item is 3.0, not the headcount mean 3.6
    rows = [("i1", "c1", "carer", 2, 0)] + [("i1", f"s{n}", "staff", 4, n) for n in range(4)]
    found = item(scoring.score(ratings_frame(rows), CAT), "i1")
    assert found["score"] == 3.0
    assert found["lived_experience_mean"] == 2.0 and found["workforce_mean"] == 4.0
    assert found["lived_experience_n"] == 1 and found["workforce_n"] == 4
    assert found["n_raters"] == 5 and found["gap"] == -2.0 and not found["one_voice"]
    assert found["method"] == "votes"


def test_dont_know_is_kept_but_never_scored() -> None:
    rows = [
        ("i1", "c1", "carer", 2, 0),
        ("i1", "c2", "carer", "dk", 1),
        ("i1", "s1", "staff", 4, 2),
    ]
    found = item(scoring.score(ratings_frame(rows), CAT), "i1")
    assert found["score"] == 3.0
    assert found["n_raters"] == 2
    assert found["dont_know"] == 1


def test_a_later_rating_by_the_same_rater_supersedes() -> None:
    rows = [("i1", "c1", "carer", 1, 0), ("i1", "c1", "carer", 3, 30)]
    found = item(scoring.score(ratings_frame(rows), CAT), "i1")
    assert found["score"] == 3.0 and found["n_raters"] == 1


def test_supersession_goes_by_time_then_entry_order() -> None:
    # recorded out of order: the earlier-entered row is the later one in time
    rows = [("i1", "c1", "carer", 4, 60), ("i1", "c1", "carer", 1, 0)]
    assert item(scoring.score(ratings_frame(rows), CAT), "i1")["score"] == 4.0
    # same time: the one entered last wins
    rows = [("i1", "c1", "carer", 4, 0), ("i1", "c1", "carer", 1, 0)]
    assert item(scoring.score(ratings_frame(rows), CAT), "i1")["score"] == 1.0


def test_a_later_dont_know_withdraws_the_score() -> None:
    rows = [
        ("i1", "c1", "carer", 3, 0),
        ("i1", "c1", "carer", "dk", 5),
        ("i1", "s1", "staff", 1, 1),
    ]
    found = item(scoring.score(ratings_frame(rows), CAT), "i1")
    assert found["score"] == 1.0
    assert found["dont_know"] == 1 and found["n_raters"] == 1 and found["one_voice"]


def test_consensus_replaces_votes_which_are_still_reported() -> None:
    rows = [("i1", "c1", "carer", 2, 0), ("i1", "s1", "staff", 3, 1), ("i1", "g", "group", 4, 9)]
    found = item(scoring.score(ratings_frame(rows), CAT), "i1")
    assert found["score"] == 4.0 and found["method"] == "consensus"
    assert found["votes_score"] == 2.5 and found["n_raters"] == 2
    assert found["lived_experience_mean"] == 2.0


def test_latest_consensus_wins_and_a_consensus_dont_know_falls_back_to_votes() -> None:
    rows = [("i1", "c1", "carer", 2, 0), ("i1", "g1", "group", 1, 5), ("i1", "g2", "group", 3, 9)]
    assert item(scoring.score(ratings_frame(rows), CAT), "i1")["score"] == 3.0
    rows = [("i1", "c1", "carer", 2, 0), ("i1", "g", "group", 3, 5), ("i1", "g", "group", "dk", 9)]
    found = item(scoring.score(ratings_frame(rows), CAT), "i1")
    assert found["score"] == 2.0 and found["method"] == "votes"


def test_one_voice_is_flagged() -> None:
    rows = [("i1", "s1", "staff", 3, 0), ("i1", "s2", "partner", 1, 1)]
    found = item(scoring.score(ratings_frame(rows), CAT), "i1")
    assert found["one_voice"] and found["score"] == 2.0 and math.isnan(found["gap"])


def test_section_is_mean_of_rated_items_as_percentage() -> None:
    rows = [
        ("i1", "c1", "carer", 2, 0),
        ("i2", "c1", "carer", 3, 1),
        ("i3", "c1", "carer", "dk", 2),
    ]
    result = scoring.score(ratings_frame(rows), CAT)
    assert section(result, "s1")["score"] == pytest.approx(62.5)  # (2 + 3) / 2 / 4 * 100
    assert section(result, "s1")["items_rated"] == 2


def test_framework_is_mean_of_sections_not_items() -> None:
    # s1 has three items at 4 (100%), s2 one item at 0 (0%): framework 50%, not 75%
    rows = [
        ("i1", "c", "carer", 4, 0),
        ("i2", "c", "carer", 4, 1),
        ("i3", "c", "carer", 4, 2),
        ("i4", "c", "carer", 0, 3),
    ]
    assert top(scoring.score(ratings_frame(rows), CAT))["score"] == pytest.approx(50.0)


def test_coverage_is_share_of_framework_items_scored() -> None:
    rows = [("i1", "c", "carer", 4, 0), ("i4", "c", "carer", "dk", 1)]
    assert top(scoring.score(ratings_frame(rows), CAT))["coverage"] == pytest.approx(0.25)


def test_i_minus_we_per_section() -> None:
    rows = [("i1", "c", "carer", 1, 0), ("i3", "c", "carer", 3, 1), ("i2", "c", "carer", 4, 2)]
    # I statements average 2 (50%), the We statement is 4 (100%): -50 points
    assert section(scoring.score(ratings_frame(rows), CAT), "s1")["i_minus_we"] == -50.0
    rows = [("i1", "c", "carer", 1, 0)]
    assert math.isnan(section(scoring.score(ratings_frame(rows), CAT), "s1")["i_minus_we"])


def test_change_since_previous_period() -> None:
    rows = [("i4", "c", "carer", 2, 0, "2026Q2"), ("i4", "c", "carer", 3, 1, "2026Q3")]
    result = scoring.score(ratings_frame(rows), CAT)
    assert top(result)["change"] == pytest.approx(25.0)
    assert math.isnan(top(result, "2026Q2")["change"])
    # a gap of a quarter means no previous period: no change is reported
    rows = [("i4", "c", "carer", 2, 0, "2026Q1"), ("i4", "c", "carer", 3, 1, "2026Q3")]
    assert math.isnan(top(scoring.score(ratings_frame(rows), CAT))["change"])


def test_a_workbook_may_remap_a_role_to_the_other_voice() -> None:
    rows = [("i1", "c", "carer", 0, 0), ("i1", "v", "volunteer", 2, 1), ("i1", "s", "staff", 4, 2)]
    assert item(scoring.score(ratings_frame(rows), CAT), "i1")["score"] == 1.5  # (0 + 3) / 2
    remapped = {**DEFAULT_VOICES, "volunteer": "lived_experience"}
    assert item(scoring.score(ratings_frame(rows), CAT, remapped), "i1")["score"] == 2.5  # (1+4)/2


def test_items_outside_the_catalogue_are_left_out() -> None:
    rows = [("i1", "c", "carer", 4, 0), ("gone", "c", "carer", 0, 1)]
    result = scoring.score(ratings_frame(rows), CAT)
    assert list(result.items["item"]) == ["i1"]


def test_an_unknown_role_is_an_error() -> None:
    with pytest.raises(ValueError, match="manager"):
        scoring.score(ratings_frame([("i1", "m", "manager", 2, 0)]), CAT)


def test_empty_input_gives_empty_frames() -> None:
    result = scoring.score(ratings_frame([]), CAT)
    assert result.items.empty and result.sections.empty and result.frameworks.empty


# -- agreement --------------------------------------------------------------------------------


def test_alpha_is_one_for_perfect_agreement_and_needs_two_raters_and_items() -> None:
    rows = [
        (i, r, "carer", s, n)
        for n, (i, s) in enumerate([("i1", 0), ("i2", 2), ("i3", 4)])
        for r in ("a", "b")
    ]
    assert section(scoring.score(ratings_frame(rows), CAT), "s1")["alpha"] == pytest.approx(1.0)
    one_rater = [row for row in rows if row[1] == "a"]
    assert math.isnan(section(scoring.score(ratings_frame(one_rater), CAT), "s1")["alpha"])
    one_item = [row for row in rows if row[0] == "i1"]
    assert math.isnan(section(scoring.score(ratings_frame(one_item), CAT), "s1")["alpha"])


def test_alpha_ignores_consensus_and_dont_know() -> None:
    rows = [
        ("i1", "a", "carer", 1, 0),
        ("i1", "b", "staff", 1, 1),
        ("i2", "a", "carer", 3, 2),
        ("i2", "b", "staff", 3, 3),
        ("i2", "g", "group", 0, 4),
        ("i3", "a", "carer", "dk", 5),
    ]
    assert section(scoring.score(ratings_frame(rows), CAT), "s1")["alpha"] == pytest.approx(1.0)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 7), st.integers(2, 9), st.integers(0, 2**32 - 1))
def test_alpha_matches_the_krippendorff_package(raters: int, units: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    data = rng.integers(0, 5, (raters, units)).astype(float)
    data[rng.random((raters, units)) < 0.3] = np.nan
    rows = [
        {"g": "x", "rater": r, "item": u, "score": int(data[r, u])}
        for r in range(raters)
        for u in range(units)
        if not np.isnan(data[r, u])
    ]
    mine = agreement.ordinal_alpha(
        pd.DataFrame(rows, columns=["g", "rater", "item", "score"]), ["g"], "item", 5
    )
    pairable = (~np.isnan(data)).sum(axis=0) >= 2
    values = data[:, pairable]
    values = values[~np.isnan(values)]
    if len(values) < 2 or len(set(values)) < 2:
        assert mine.empty or math.isnan(mine.iloc[0])
        return
    expected = krippendorff.alpha(
        reliability_data=data, level_of_measurement="ordinal", value_domain=[0, 1, 2, 3, 4]
    )
    assert mine.iloc[0] == pytest.approx(expected, abs=1e-9)


# -- the fast method equals the slow, literal reading ----------------------------------------

ROLES = list(vocabulary.ROLES)

rating_rows = st.lists(
    st.tuples(
        st.sampled_from(["i1", "i2", "i3", "i4"]),
        st.sampled_from([f"r{n}" for n in range(6)]),
        st.sampled_from(ROLES),
        st.one_of(st.integers(0, 4), st.just("dk")),
        st.integers(0, 6),  # few distinct times, so ties happen
        st.sampled_from(["2026Q2", "2026Q3"]),
    ),
    min_size=0,
    max_size=40,
)


def assert_matches_reference(result: scoring.Scores, frame: pd.DataFrame) -> None:
    expected = reference(frame, CAT)
    got_items = {tuple(r[c] for c in scoring.UNIT): r for _, r in result.items.iterrows()}
    assert set(got_items) == set(expected["items"])
    for key, want in expected["items"].items():
        got = got_items[key]
        for name in ("n_raters", "dont_know", "one_voice", "method"):
            if want[name] is None:
                assert pd.isna(got[name]), name
            else:
                assert got[name] == want[name], name
        for name in ("score", "gap"):
            if want[name] is None:
                assert pd.isna(got[name]), name
            else:
                assert got[name] == pytest.approx(want[name]), name
    got_sections = {
        tuple(r[c] for c in scoring.SECTION): r["score"] for _, r in result.sections.iterrows()
    }
    assert got_sections == pytest.approx(expected["sections"])
    for name in ("score", "coverage"):
        got_fw = {
            tuple(r[c] for c in scoring.SCOPE): r[name] for _, r in result.frameworks.iterrows()
        }
        want_fw = {k: v[name] for k, v in expected["frameworks"].items()}
        assert got_fw == pytest.approx(want_fw), name


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rating_rows)
def test_fast_scoring_equals_the_reference(rows: list[tuple]) -> None:
    frame = ratings_frame(rows)
    assert_matches_reference(scoring.score(frame, CAT), frame)


# -- properties -----------------------------------------------------------------------------


def comparable(result: scoring.Scores) -> tuple[dict, dict, dict]:
    items = {tuple(r[c] for c in scoring.UNIT): r["score"] for _, r in result.items.iterrows()}
    sections = {
        tuple(r[c] for c in scoring.SECTION): r["score"] for _, r in result.sections.iterrows()
    }
    frameworks = {
        tuple(r[c] for c in scoring.SCOPE): r["score"] for _, r in result.frameworks.iterrows()
    }
    return items, sections, frameworks


def same(a: tuple[dict, ...], b: tuple[dict, ...]) -> None:
    """Equal scores, where a missing row and a row with no score both mean "no score"."""
    for left, right in zip(a, b, strict=True):
        for key in set(left) | set(right):
            mine, theirs = left.get(key, np.nan), right.get(key, np.nan)
            if pd.isna(mine):
                assert pd.isna(theirs), key
            else:
                assert theirs == pytest.approx(mine), key


@settings(max_examples=50, deadline=None)
@given(rating_rows, st.randoms(use_true_random=False))
def test_row_order_does_not_matter(rows: list[tuple], rnd) -> None:
    frame = ratings_frame(rows)
    shuffled = frame.sample(frac=1.0, random_state=rnd.randint(0, 2**31))
    same(comparable(scoring.score(frame, CAT)), comparable(scoring.score(shuffled, CAT)))


@settings(max_examples=50, deadline=None)
@given(rating_rows, st.sampled_from(["i1", "i2", "i3", "i4"]), st.sampled_from(ROLES[:-1]))
def test_adding_a_dont_know_changes_no_score(rows: list[tuple], item_id: str, role: str) -> None:
    before = ratings_frame(rows)
    after = ratings_frame([*rows, (item_id, "newcomer", role, "dk", 3, "2026Q3")])
    same(comparable(scoring.score(before, CAT)), comparable(scoring.score(after, CAT)))


@settings(max_examples=50, deadline=None)
@given(rating_rows, st.integers(0, 10_000))
def test_raising_one_rating_never_lowers_any_score(rows: list[tuple], pick: int) -> None:
    frame = ratings_frame(rows)
    current = scoring.latest(frame)
    # One person's rating. A group's rating is not one: raised, an earlier consensus can
    # become the latest and replace the votes, as the method intends.
    raisable = current[
        (~current["dont_know"]) & (current["score"] < 4) & (current["role"] != "group")
    ]
    if raisable.empty:
        return
    row = raisable.iloc[pick % len(raisable)]
    raised = (row["item"], row["rater"], row["role"], int(row["score"]) + 1, 7, row["period"])
    before = comparable(scoring.score(frame, CAT))
    after = comparable(scoring.score(ratings_frame([*rows, raised]), CAT))
    for left, right in zip(before, after, strict=True):
        for key, value in left.items():
            if not pd.isna(value):
                assert right[key] >= value - 1e-9


@settings(max_examples=50, deadline=None)
@given(rating_rows, st.sampled_from(["carer", "staff"]), st.integers(1, 4))
def test_adding_raters_to_one_voice_keeps_that_voice_weight(
    rows: list[tuple], role: str, copies: int
) -> None:
    frame = ratings_frame(rows)
    voice = DEFAULT_VOICES[role]
    current = scoring.latest(frame)
    same_voice = current[current["role"].map(lambda r: DEFAULT_VOICES.get(r) == voice)]
    extra = [
        (
            r["item"],
            f"{r['rater']}-copy{n}",
            r["role"],
            "dk" if r["dont_know"] else int(r["score"]),
            7,
            r["period"],
        )
        for n in range(copies)
        for _, r in same_voice.iterrows()
    ]
    same(
        comparable(scoring.score(frame, CAT)),
        comparable(scoring.score(ratings_frame([*rows, *extra]), CAT)),
    )
