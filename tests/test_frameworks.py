import json
from pathlib import Path

import pytest

from coeval.exceptions import FrameworkError, ValidationError
from coeval.frameworks import KINDS, builtin_frameworks, load_frameworks, validate_file

SHIPPED = {"healthwatch-six", "making-it-real", "scie-four", "carers-space-notts", "ladder"}

GOOD = """\
id: our-group
title: Our group's principles
version: "1"
source: https://example.org/ours
sections:
  - id: listening
    title: Listening
    items:
      - id: listened-to
        kind: principle
        title: We are listened to
        question: Do you feel listened to?
        help: Think about the last three meetings.
        status: confirmed
      - id: heard-back
        kind: principle
        title: We hear back
        question: Do you hear back about what happened?
        help: This is "You said, we did".
        status: provisional
"""


def test_the_shipped_frameworks_load_and_have_stable_ids() -> None:
    fws = builtin_frameworks()
    assert set(fws) == SHIPPED
    assert [s.id for s in fws["healthwatch-six"].sections] == [
        "better-outcomes",
        "built-in",
        "shaped-by-experience",
        "barriers-removed",
        "transparency",
        "valued-and-rewarded",
    ]
    assert len(fws["healthwatch-six"].items) == 6
    mir = fws["making-it-real"]
    assert [s.id for s in mir.sections] == [
        "wellbeing",
        "information",
        "communities",
        "flexible-care",
        "change",
        "workforce",
    ]
    assert mir.version == "2018"


def test_making_it_real_has_i_and_we_statements_in_every_theme() -> None:
    mir = builtin_frameworks()["making-it-real"]
    for section in mir.sections:
        kinds = {item.kind for item in section.items}
        assert kinds == {"i_statement", "we_statement"}, section.id
    counts = {s.id: sum(i.kind == "we_statement" for i in s.items) for s in mir.sections}
    assert counts["communities"] == 6 and counts["change"] == 5 and counts["workforce"] == 5
    # themes whose wording could not all be confirmed: their We statements stay provisional
    for theme in ("wellbeing", "information", "flexible-care"):
        we = [i for i in mir.section(theme).items if i.kind == "we_statement"]
        assert all(i.status == "provisional" for i in we)
    for theme in ("communities", "change", "workforce"):
        assert all(i.status == "confirmed" for i in mir.section(theme).items)


def test_every_item_is_complete() -> None:
    for fw in builtin_frameworks().values():
        assert fw.source.startswith("https://")
        for item in fw.items:
            assert item.kind in KINDS
            assert item.question.endswith("?"), item.id
            assert item.title and item.help and item.status in ("confirmed", "provisional")


def test_the_ladder_is_one_placement_on_seven_steps() -> None:
    ladder = builtin_frameworks()["ladder"]
    assert [i.kind for i in ladder.items] == ["placement"]
    assert [lv.label for lv in ladder.scale][::6] == ["Coercion", "Co-production"]
    assert (ladder.scale_min, ladder.scale_max) == (1, 7)  # its official steps, 1 to 7
    assert ladder.is_placement and ladder.step(6) == "Co-design, step 6 of 7"


def test_json_shape(frameworks) -> None:
    doc = frameworks["healthwatch-six"].to_dict()
    assert {"id", "title", "version", "source", "sections"} <= set(doc)
    item = doc["sections"][0]["items"][0]
    assert set(item) == {"id", "kind", "title", "question", "help", "status", "source", "easy_read"}
    json.dumps(doc)


def test_a_workbook_file_adds_a_framework(tmp_path: Path) -> None:
    (tmp_path / "ours.yaml").write_text(GOOD)
    fws = load_frameworks(tmp_path)
    assert set(fws) == SHIPPED | {"our-group"}
    assert fws["our-group"].origin.endswith("ours.yaml")
    assert [i.id for i in fws["our-group"].provisional] == ["heard-back"]


def test_a_workbook_file_replaces_a_shipped_framework(tmp_path: Path) -> None:
    (tmp_path / "hw.yaml").write_text(GOOD.replace("id: our-group", "id: healthwatch-six"))
    assert builtin_frameworks()["healthwatch-six"].title != "Our group's principles"
    assert load_frameworks(tmp_path)["healthwatch-six"].title == "Our group's principles"


def test_a_patch_loads_official_wording(tmp_path: Path) -> None:
    (tmp_path / "mir-wording.yaml").write_text(
        "patch: making-it-real\nversion: 2018 (our wording)\nitems:\n"
        "  wellbeing-we1:\n    title: Official title\n    status: confirmed\n"
    )
    mir = load_frameworks(tmp_path)["making-it-real"]
    item = mir.item("wellbeing-we1")
    assert (item.title, item.status, mir.version) == (
        "Official title",
        "confirmed",
        "2018 (our wording)",
    )
    assert item.question == builtin_frameworks()["making-it-real"].item("wellbeing-we1").question
    assert mir.item("wellbeing-i1").status == "provisional"


def test_a_patch_naming_an_unknown_item_is_refused(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text("patch: making-it-real\nitems:\n  nope:\n    title: X\n")
    with pytest.raises(ValidationError, match="has no item 'nope'"):
        load_frameworks(tmp_path)


def test_a_patch_of_an_unknown_framework_is_refused(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text("patch: nope\nitems:\n  a:\n    title: X\n")
    with pytest.raises(FrameworkError, match="patch names framework 'nope'"):
        load_frameworks(tmp_path)


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (
            ("kind: principle", "kind: statement"),
            10,
            "'statement' is not valid; use one of: principle, i_statement, we_statement, placement",
        ),
        (("status: provisional", "status: maybe"), 20, "use one of: confirmed, provisional"),
        (
            ("        question: Do you feel", "        questoin: Do you feel"),
            12,
            "unknown field 'questoin'; use one of: easy_read, help, id, kind, question, source, "
            "status, title, translations, why_provisional",
        ),
        (("id: our-group", "id: Our Group"), 1, "should be a short id"),
        (("source: https://example.org/ours", "source: example.org"), 4, "web address"),
        (("        help: Think about the last three meetings.\n", ""), 9, "missing field 'help'"),
        (("id: heard-back", "id: listened-to"), 15, "item id 'listened-to' is used twice"),
    ],
)
def test_validation_names_the_line_and_the_valid_values(
    tmp_path: Path, change: tuple[str, str], line: int, message: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD.replace(*change, 1))
    with pytest.raises(ValidationError) as caught:
        validate_file(path)
    lines = caught.value.lines()
    assert any(f"bad.yaml, line {line}: " in text and message in text for text in lines), lines


def test_yaml_syntax_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: x\ntitle: [unclosed\nversion: 1\n")
    with pytest.raises(ValidationError, match=r"line \d+: not valid YAML"):
        validate_file(path)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        GOOD.replace("kind: principle", "kind: x").replace("status: confirmed", "status: y")
    )
    with pytest.raises(ValidationError) as caught:
        validate_file(path)
    assert len(caught.value.problems) >= 3


def test_item_lookup_errors_say_where_to_look(frameworks) -> None:
    with pytest.raises(FrameworkError, match="coeval frameworks show healthwatch-six"):
        frameworks["healthwatch-six"].item("nope")
