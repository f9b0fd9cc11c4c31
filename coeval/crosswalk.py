"""Crosswalks: which framework items give evidence for an inspection framework's statements.

The CQC crosswalk (``coeval/crosswalks/cqc.yaml``, package data) says which items of coeval's
frameworks relate to which of the Care Quality Commission's quality statements, grouped by
CQC's five key questions, with the version of CQC's pages it follows and the date they were
checked. The file is checked strictly (:func:`read_crosswalk`): every problem names the file,
the line or entry, and the fix.

:func:`evidence_view` is pure: from a project's score documents and evidence for a quarter it
builds, per quality statement, the related items with their scores, the voices' gap and the
evidence people agreed to publish (personal details removed), under the audience's rules; and
it lists the project's items with no quality statement and the statements with no item.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coeval import yamlfile
from coeval.disclosure import SUPPRESSED, Audience, redact
from coeval.exceptions import CrosswalkError, YamlProblem
from coeval.frameworks import Framework
from coeval.report import level_word
from coeval.text import printable
from coeval.vocabulary import LIVED_EXPERIENCE, WORKFORCE
from coeval.yamlschema import explain, line_of

if TYPE_CHECKING:
    import jsonschema
    import pandas as pd

CQC = "cqc"
#: How each link was found (the ``basis`` of a link in the file), in words.
BASIS_WORDS = {
    "cqc-i-statement": "listed by CQC",
    "cqc-local-authority": "listed by CQC for local authorities",
    "judgement": "our reading",
}
VOICES_COMPARED = (LIVED_EXPERIENCE, WORKFORCE)


@dataclass(frozen=True)
class KeyQuestion:
    id: str
    title: str


@dataclass(frozen=True)
class QualityStatement:
    key_question: str
    id: str
    title: str
    url: str
    checked: bool  # was the statement's own page read in the check?


@dataclass(frozen=True)
class Link:
    framework: str
    item: str
    statement: str
    basis: str


@dataclass(frozen=True)
class Crosswalk:
    """One crosswalk file: what it follows, when it was checked, and its links."""

    name: str
    source: str
    source_url: str
    checked: date
    version: str
    key_questions: tuple[KeyQuestion, ...]
    statements: tuple[QualityStatement, ...]
    links: tuple[Link, ...]

    @property
    def checked_words(self) -> str:
        return f"{self.checked:%-d %B %Y}"

    def in_key_question(self, key_question: str) -> list[QualityStatement]:
        return [s for s in self.statements if s.key_question == key_question]

    def mapped(self, frameworks: Sequence[Framework]) -> list[Link]:
        """The links to items the given frameworks have."""
        known = {fw.id: fw for fw in frameworks}
        return [
            link
            for link in self.links
            if link.framework in known and known[link.framework].has_item(link.item)
        ]

    def missing(self, frameworks: Mapping[str, Framework]) -> list[str]:
        """The links to a framework or item that does not exist, as "framework/item"."""
        return sorted(
            {
                f"{link.framework}/{link.item}"
                for link in self.links
                if link.framework not in frameworks
                or not frameworks[link.framework].has_item(link.item)
            }
        )


# -- reading the file ---------------------------------------------------------------------------


@cache
def _validator() -> jsonschema.protocols.Validator:
    import jsonschema  # imported when first needed: it is slow to import

    text = resources.files("coeval").joinpath("crosswalks", "cqc.schema.json").read_text("utf-8")
    schema = json.loads(text)
    validator: jsonschema.protocols.Validator = jsonschema.validators.validator_for(schema)(schema)
    return validator


@cache
def load_crosswalk(name: str = CQC) -> Crosswalk:
    """A crosswalk shipped with coeval (read once per process)."""
    found = resources.files("coeval").joinpath("crosswalks", f"{name}.yaml")
    return parse_crosswalk(found.read_text("utf-8"), f"coeval/crosswalks/{name}.yaml")


def read_crosswalk(path: Path) -> Crosswalk:
    """A crosswalk file, checked strictly (see :func:`parse_crosswalk`)."""
    try:
        text = yamlfile.read_text(path)
    except YamlProblem as exc:
        raise CrosswalkError(f"{path} {exc.message}") from None
    return parse_crosswalk(text, str(path))


def parse_crosswalk(text: str, source: str) -> Crosswalk:
    """A crosswalk from its YAML text; ``source`` names the file in every message."""
    try:
        loaded = yamlfile.load(text)
    except YamlProblem as exc:
        raise CrosswalkError(_problem(source, exc.line, exc.message)) from None
    root, data = loaded.root, loaded.data
    if not isinstance(data, dict):
        raise CrosswalkError(f"{source}: should be a set of fields (name, source, statements...)")
    problems = []
    for error in sorted(_validator().iter_errors(data), key=lambda e: list(e.path)):
        message, field = explain(error)
        problems.append(_problem(source, line_of(root, error.absolute_path, field), message))
    if not problems:
        problems = [
            _problem(source, line_of(root, path), message)
            for path, message in _entry_problems(data)
        ]
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise CrosswalkError("; ".join(problems[:3]) + more)
    return Crosswalk(
        name=data["name"],
        source=" ".join(data["source"].split()),
        source_url=data["source_url"],
        checked=date.fromisoformat(data["checked"]),
        version=data["version"],
        key_questions=tuple(KeyQuestion(**k) for k in data["key_questions"]),
        statements=tuple(QualityStatement(**s) for s in data["statements"]),
        links=tuple(Link(**link) for link in data["links"]),
    )


def _problem(source: str, line: int | None, message: str) -> str:
    return f"{source}, line {line}: {message}" if line else f"{source}: {message}"


def _entry_problems(data: dict[str, Any]) -> list[tuple[list[Any], str]]:
    """What the schema cannot say: a real date, unique ids, and links to known statements."""
    problems: list[tuple[list[Any], str]] = []
    try:
        date.fromisoformat(data["checked"])
    except ValueError:
        problems.append(
            (["checked"], f"{data['checked']!r} is not a date; write it like 2026-11-23")
        )
    questions = [k["id"] for k in data["key_questions"]]
    ids: set[str] = set()
    for n, statement in enumerate(data["statements"]):
        where = f"statements[{n}] ({statement['id']})"
        if statement["id"] in ids:
            problems.append((["statements", n, "id"], f"{where}: the id is used twice"))
        ids.add(statement["id"])
        if statement["key_question"] not in questions:
            problems.append(
                (
                    ["statements", n, "key_question"],
                    f"{where}: key question {statement['key_question']!r} is not one of: "
                    f"{', '.join(questions)}",
                )
            )
    seen = set()
    for n, link in enumerate(data["links"]):
        where = f"links[{n}] ({link['framework']}/{link['item']})"
        if link["statement"] not in ids:
            problems.append(
                (
                    ["links", n, "statement"],
                    f"{where}: no quality statement {link['statement']!r}; use an id from "
                    "statements",
                )
            )
        key = (link["framework"], link["item"], link["statement"])
        if key in seen:
            problems.append((["links", n], f"{where}: this link is listed twice; delete one"))
        seen.add(key)
    return problems


# -- evidence for each statement ------------------------------------------------------------------


@dataclass(frozen=True)
class RelatedItem:
    """One framework item related to a quality statement, as the audience may see it."""

    framework: str  # the framework's id
    framework_title: str  # its short title
    item: str
    title: str
    score: float | str | None  # on the framework's own scale; "*" where it may not be shown
    scale: str  # "0 to 4"
    level: str  # the scale's word for the score ("" where there is none)
    gap: float | str | None  # lived experience minus workforce; "*" where it may not be shown
    raters: int | str
    evidence: tuple[str, ...]  # consented, personal details removed
    basis: str


@dataclass(frozen=True)
class StatementEvidence:
    statement: QualityStatement
    items: tuple[RelatedItem, ...]


@dataclass(frozen=True)
class UnmappedItem:
    framework: str
    framework_title: str
    item: str
    title: str


@dataclass(frozen=True)
class CrosswalkView:
    """Every quality statement with its related items, and what the crosswalk does not cover."""

    crosswalk: Crosswalk
    statements: tuple[StatementEvidence, ...]
    unmapped: tuple[UnmappedItem, ...]  # the project's items with no quality statement
    withheld: int  # evidence about related items given without consent to publish

    @property
    def related(self) -> bool:
        """Does any of the project's items relate to a quality statement?"""
        return any(s.items for s in self.statements)

    @property
    def without_items(self) -> list[QualityStatement]:
        return [s.statement for s in self.statements if not s.items]


def evidence_view(
    crosswalk: Crosswalk,
    frameworks: Sequence[Framework],
    docs: Mapping[str, dict[str, Any]],
    evidence: pd.DataFrame,
    audience: Audience,
    names: Sequence[str] = (),
) -> CrosswalkView:
    """The evidence a project's quarter gives for each quality statement (pure).

    ``docs`` are the quarter's score documents by framework id (coeval.report), ``evidence``
    the quarter's evidence (columns framework_id, item_id, text, consent_to_publish). Only
    evidence with consent to publish is included, always with personal details removed."""
    fws = [fw for fw in frameworks if not fw.is_placement]
    links = crosswalk.mapped(fws)
    quotes, withheld = _quotes(evidence, {(lk.framework, lk.item) for lk in links}, names)
    known = {fw.id: fw for fw in fws}
    found = []
    for statement in crosswalk.statements:
        related = []
        for link in links:
            if link.statement == statement.id:
                fw = known[link.framework]
                item = _item(docs.get(fw.id), link.item)
                related.append(_related(fw, link, item, audience, quotes))
        found.append(StatementEvidence(statement, tuple(related)))
    linked = {(lk.framework, lk.item) for lk in links}
    unmapped = [
        UnmappedItem(fw.id, fw.short, item.id, item.title)
        for fw in fws
        for item in fw.items
        if (fw.id, item.id) not in linked
    ]
    return CrosswalkView(crosswalk, tuple(found), tuple(unmapped), withheld)


def _item(doc: dict[str, Any] | None, item_id: str) -> dict[str, Any] | None:
    if doc is None:
        return None
    return next(
        (i for s in doc["sections"] for i in s["items"] if i["id"] == item_id),
        None,
    )


def _related(
    fw: Framework,
    link: Link,
    item: dict[str, Any] | None,
    audience: Audience,
    quotes: Mapping[tuple[str, str], list[str]],
) -> RelatedItem:
    score: float | str | None = None
    gap: float | str | None = None
    raters: int | str = 0
    if item is not None:
        score = audience.figure(item["score"], item["n_raters"])
        raters = audience.count(int(item["n_raters"]))
        if item["gap"] is not None:
            both = all(audience.shows_voice(item["voices"][v]["n"]) for v in VOICES_COMPARED)
            gap = item["gap"] if both else SUPPRESSED
    scale = [{"value": lv.value, "label": lv.label} for lv in fw.scale]
    return RelatedItem(
        framework=fw.id,
        framework_title=fw.short,
        item=link.item,
        title=fw.item(link.item).title,
        score=score,
        scale=f"{fw.scale_min} to {fw.scale_max}",
        level=level_word(scale, score) if isinstance(score, float) else "",
        gap=gap,
        raters=raters,
        evidence=tuple(quotes.get((fw.id, link.item), [])),
        basis=link.basis,
    )


def _quotes(
    evidence: pd.DataFrame, items: set[tuple[str, str]], names: Sequence[str]
) -> tuple[dict[tuple[str, str], list[str]], int]:
    """The consented evidence about each of ``items`` with personal details removed, and how
    much evidence about them was given without consent (never shown)."""
    quotes: dict[tuple[str, str], list[str]] = {}
    withheld = 0
    for row in evidence.to_dict("records"):
        key = (row.get("framework_id"), row.get("item_id"))
        if key not in items:
            continue
        if not bool(row.get("consent_to_publish")):
            withheld += 1
            continue
        quotes.setdefault((str(key[0]), str(key[1])), []).append(
            redact(printable(str(row["text"])), names)
        )
    return quotes, withheld
