"""A realistic, seeded demo workbook, shared by newcomers, docs and tests.

Six projects echo real co-production practice. Behind each is a hidden "true" level per item
that drifts upward over four quarters; workforce raters tend to rate a little higher than
people with lived experience (more so on "We" statements), some people answer "Don't know",
a few correct an answer later, and some meetings agree a consensus rating.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np

from coeval.config import CONFIG_NAME, Workbook, init_workbook
from coeval.demo.practice import (
    DEMO_NAMES,
    DemoAction,
    add_consultation,
    add_practice,
    review_actions,
)
from coeval.demo.ratings import PERIODS, DemoProject, attendance_of, quarter_ratings
from coeval.demo.surveys import write_survey_examples
from coeval.exceptions import ConfigError
from coeval.frameworks import Framework, builtin_frameworks, load_frameworks
from coeval.meeting.facilitation import record_attendance
from coeval.meeting.meetings import find_meeting
from coeval.periods import parse_period
from coeval.store import Store
from coeval.vocabulary import CONSENSUS, VOTES

MARKER = ".coeval-demo"
#: What a rebuild removes from an old demo: only what the demo and coeval's commands made.
DEMO_PARTS = ("data", "dashboards", CONFIG_NAME, MARKER)


PROJECTS = (
    DemoProject(
        "discharge-workshops",
        "Carers' hospital discharge workshops",
        ("healthwatch-six", "making-it-real"),
        "DW",
        {
            "carer": 11,
            "family_member": 2,
            "person_using_services": 2,
            "staff": 4,
            "partner": 2,
            "commissioner": 1,
        },
        ("Leaving hospital", "Who to call after discharge", "Medicines at home", "Planning ahead"),
        1.6,
    ),
    DemoProject(
        "carers-network",
        "Monthly online carers' network",
        ("healthwatch-six", "carers-space-notts"),
        "CN",
        {"carer": 16, "family_member": 2, "volunteer": 3, "staff": 3, "partner": 1},
        (
            "Carers' breaks",
            "Young carers in school",
            "Getting a carer's assessment",
            "Money worries",
        ),
        2.1,
    ),
    DemoProject(
        "oakfield-mir",
        "Oakfield House: our Making It Real plan",
        ("making-it-real", "ladder"),
        "OH",
        {"person_using_services": 8, "family_member": 5, "staff": 6, "volunteer": 1},
        ("Life in the home", "Keeping in touch", "Activities and outings", "Moving in"),
        1.9,
        consensus_share=0.5,
    ),
    DemoProject(
        "dementia-groups",
        "Memory café and dementia support groups",
        ("healthwatch-six", "making-it-real"),
        "DG",
        {"carer": 9, "person_using_services": 5, "family_member": 3, "volunteer": 4, "staff": 3},
        ("After diagnosis", "Staying connected", "Respite", "Planning for the future"),
        2.0,
        consensus_share=0.25,
    ),
    DemoProject(
        "consultation-voice",
        "Carers' joint consultation responses",
        ("healthwatch-six", "scie-four"),
        "CV",
        {"carer": 8, "family_member": 1, "staff": 2, "partner": 2, "commissioner": 1},
        (
            "Adult social care reform",
            "Carers' strategy refresh",
            "NHS long-term plan",
            "Charging for care",
        ),
        1.4,
    ),
    DemoProject(
        "research-together",
        "Co-produced research: carers' breaks",
        ("healthwatch-six", "scie-four", "ladder"),
        "RT",
        {"carer": 6, "person_using_services": 1, "staff": 2, "partner": 3},
        (
            "Research questions",
            "Interview guide",
            "Making sense of findings",
            "Sharing what we found",
        ),
        2.3,
    ),
)


def _remove_old_demo(root: Path) -> None:
    """Remove the parts of an old demo that the demo (and coeval's commands) made; anything
    else in the folder is left where it is."""
    for name in DEMO_PARTS:
        part = root / name
        if part.is_dir() and not part.is_symlink():
            shutil.rmtree(part)
        elif part.exists() or part.is_symlink():
            part.unlink()


def build_demo(
    directory: Path | str,
    seed: int = 2026,
    progress: Callable[[str], Any] | None = None,
    scale: int = 1,
) -> str:
    """Build (or rebuild) the demo workbook in ``directory``; returns a summary to print.

    ``scale`` repeats the six projects that many times (for load tests and benchmarks)."""
    say = progress or (lambda _message: None)
    root = Path(directory).expanduser().resolve()
    if root.exists() and any(root.iterdir()) and not (root / MARKER).exists():
        raise ConfigError(
            f"{root} already exists and is not a demo workbook; choose an empty or new folder "
            "so nothing of yours is replaced"
        )
    _remove_old_demo(root)
    init_workbook(root)
    _list_names(root)
    (root / MARKER).write_text("Built by `coeval demo`; rebuilt each time it runs.\n")
    book = Workbook.open(root)
    frameworks = load_frameworks(book.frameworks_dir)
    rng = np.random.default_rng(seed)
    total = 0
    with Store.open(book.db_url) as store:
        specs = [
            spec
            if copy == 1
            else replace(
                spec,
                id=f"{spec.id}-{copy}",
                code=f"{spec.code}{copy}",
                name=f"{spec.name} ({copy})",
            )
            for copy in range(1, scale + 1)
            for spec in PROJECTS
        ]
        for number, spec in enumerate(specs, start=1):
            say(f"[{number}/{len(specs)}] {spec.name}")
            store.add_project(spec.id, spec.name, list(spec.frameworks), actor="demo")
            total += _project(store, spec, frameworks, rng)
        network = next(s for s in specs if s.id == "carers-network")
        add_consultation(book.consultations_dir, store, network.id, _people(network), rng)
    _example_import(root)
    surveys = root / "examples" / "surveys"
    write_survey_examples(surveys)
    return (
        f"\nDemo workbook ready in {root}\n"
        f"  {len(PROJECTS) * scale} projects, quarters {PERIODS[0]} to {PERIODS[-1]}, "
        f"{total} ratings\n\n"
        "Try (after `source .venv/bin/activate` in the coeval folder):\n"
        f"  coeval --workbook {root} project list\n"
        f"  coeval --workbook {root} score --project discharge-workshops --period {PERIODS[-1]} "
        "--framework healthwatch-six\n"
        f"  coeval --workbook {root} import ratings {root / 'examples' / 'paper-ratings.csv'}\n"
        f"  coeval --workbook {root} import survey {surveys / 'msforms-export.xlsx'} "
        f"--mapping {surveys / 'msforms-mapping.yaml'}\n"
        f"  coeval --workbook {root} run --period {PERIODS[-1]}     (the quarterly reviews)\n"
        f"  coeval --workbook {root} serve     (the dashboards in Voila, on this computer)\n"
    )


def _people(spec: DemoProject) -> list[tuple[str, str]]:
    people = []
    for role, count in spec.roles.items():
        letter = {"person_using_services": "P", "family_member": "F"}.get(role, role[0].upper())
        people += [(f"{spec.code}-{letter}{n:02d}", role) for n in range(1, count + 1)]
    return people


def _project(
    store: Store, spec: DemoProject, frameworks: dict[str, Framework], rng: np.random.Generator
) -> int:
    people = _people(spec)
    truth = {  # organisations tend to rate their "We" statements above what people report
        (fw, item.id): spec.start_level
        + rng.normal(0, 0.5)
        + (0.4 if item.kind == "we_statement" else 0.0)
        for fw in spec.frameworks
        for item in frameworks[fw].items
    }
    stored = 0
    raised: list[tuple[int, int, DemoAction]] = []
    for quarter, label in enumerate(PERIODS):
        period = parse_period(label)
        consensus = rng.random() < spec.consensus_share
        held = period.start + timedelta(days=int(rng.integers(20, 75)))
        theme = spec.themes[quarter % len(spec.themes)]
        meeting = store.add_meeting(
            spec.id, label, held, theme, CONSENSUS if consensus else VOTES, actor="demo"
        )
        present = attendance_of(people, rng)
        rows = quarter_ratings(
            spec, frameworks, truth, quarter, consensus, present, meeting, held, rng
        )
        for row in rows:
            row["project_id"] = spec.id
        stored += store.add_ratings(rows, source="demo", actor="demo")
        linked = frameworks[
            "making-it-real" if "making-it-real" in spec.frameworks else spec.frameworks[0]
        ]
        turn = quarter + len(spec.code) + len(spec.id)
        action = add_practice(store, spec.id, linked, label, held, meeting, present, rng, turn)
        raised.append((action[0], quarter, action[1]))
        came = Counter(role for _rater, role in present)
        record_attendance(store, find_meeting(store, meeting_id=meeting), dict(came), "demo")
        store.close_meeting(meeting, actor="demo")
    review_actions(store, raised, PERIODS)
    return stored


def _list_names(root: Path) -> None:
    """The names that appear in the demo's evidence, listed for redaction."""
    config = root / CONFIG_NAME
    listed = ", ".join(f'"{name}"' for name in DEMO_NAMES)
    text = config.read_text(encoding="utf-8").replace(
        "redact_names = []", f"redact_names = [{listed}]"
    )
    config.write_text(text, encoding="utf-8")


def _example_import(root: Path) -> None:
    """A small file of paper ratings to try `coeval import ratings` on."""
    folder = root / "examples"
    folder.mkdir(exist_ok=True)
    lines = ["project,period,framework,item,rater,role,score,note,recorded_at"]
    answers = ["3", "2", "dont_know", "3", "4", "2"]
    items = [item.id for item in builtin_frameworks()["healthwatch-six"].items]
    for n, (item, answer) in enumerate(zip(items, answers, strict=True)):
        lines.append(
            f"carers-network,{PERIODS[-1]},healthwatch-six,{item},CN-L{n % 2 + 1:02d},"
            f"carer,{answer},Sent by letter,2026-09-{20 + n}"
        )
    (folder / "paper-ratings.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
