"""What a framework is once loaded: sections of items, rated on a scale."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from coeval.exceptions import FrameworkError

KINDS = ("principle", "i_statement", "we_statement", "placement")
STATUSES = ("confirmed", "provisional")

#: How a framework is presented (its file's ``presentation``):
#: ``principles``, each item shown on the scale's words; ``statements``, I and We statement
#: pairs per theme; ``placement``, one step of several (a single question: where are we
#: now?), shown as the step and its word.
PRINCIPLES, STATEMENTS, PLACEMENT = "principles", "statements", "placement"
PRESENTATIONS = (PRINCIPLES, STATEMENTS, PLACEMENT)
DEFAULT_ORDER = 100


def presentation_of(kinds: set[str]) -> str:
    """A file that does not say how it is presented: a placement if every item is one, I
    and We statements if it has any, principles otherwise."""
    if kinds == {"placement"}:
        return PLACEMENT
    if kinds & {"i_statement", "we_statement"}:
        return STATEMENTS
    return PRINCIPLES


def step_words(levels: Sequence[tuple[int, str]], score: float) -> str:
    """A placement in words, from a scale's (value, word) pairs: "Co-design, step 6 of 7"
    (the step nearest ``score``, counted from 1 at the bottom of the scale)."""
    ordered = sorted(levels)
    nearest = min(range(len(ordered)), key=lambda i: abs(ordered[i][0] - score))
    return f"{ordered[nearest][1]}, step {nearest + 1} of {len(ordered)}"


@dataclass(frozen=True)
class Level:
    value: int
    label: str
    help: str


#: The co-production scale every scored framework uses unless its file gives another.
DEFAULT_SCALE: tuple[Level, ...] = (
    Level(0, "Not yet", "This is not happening yet."),
    Level(1, "Starting", "There are first steps, but they are small or one-off."),
    Level(2, "Developing", "It happens some of the time, or for some people."),
    Level(3, "Established", "It happens most of the time and people can see it."),
    Level(4, "Embedded", "It is simply how things are done here, every time."),
)
DONT_KNOW_LABEL = "Don't know"


@dataclass(frozen=True)
class Item:
    id: str
    section: str
    kind: str
    title: str
    question: str
    help: str
    status: str = "confirmed"
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "question": self.question,
            "help": self.help,
            "status": self.status,
        }


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    items: tuple[Item, ...]
    summary: str = ""
    short_title: str = ""  # for charts, where the whole title would not fit

    @property
    def short(self) -> str:
        return self.short_title or self.title


@dataclass(frozen=True)
class Framework:
    id: str
    title: str
    version: str
    source: str
    sections: tuple[Section, ...]
    scale: tuple[Level, ...] = DEFAULT_SCALE
    description: str = ""
    notes: str = ""
    origin: str = "built-in"
    presentation: str = PRINCIPLES
    order: int = DEFAULT_ORDER  # pages show frameworks by order, then id
    short_title: str = ""  # for charts and legends
    default: bool = False  # a new project uses it unless told otherwise
    renumbered_from: int | None = None  # the scale's bottom as an older coeval stored it
    _index: dict[str, Item] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({item.id: item for item in self.items})

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)

    @property
    def scale_min(self) -> int:
        return min(level.value for level in self.scale)

    @property
    def scale_max(self) -> int:
        return max(level.value for level in self.scale)

    @property
    def short(self) -> str:
        return self.short_title or self.title

    @property
    def is_placement(self) -> bool:
        return self.presentation == PLACEMENT

    @property
    def order_key(self) -> tuple[int, str]:
        return self.order, self.id

    def on_scale(self, score: float) -> bool:
        return self.scale_min <= score <= self.scale_max

    def percent(self, score: float) -> float:
        """A score as a percentage of the way from the bottom of the scale to the top."""
        return (score - self.scale_min) / (self.scale_max - self.scale_min) * 100

    def step(self, score: float) -> str:
        """A placement in words: "Co-design, step 6 of 7" (the nearest step)."""
        return step_words([(level.value, level.label) for level in self.scale], score)

    def item(self, item_id: str) -> Item:
        try:
            return self._index[item_id]
        except KeyError:
            raise FrameworkError(
                f"framework {self.id!r} has no item {item_id!r}; "
                f"see `coeval frameworks show {self.id}` for its item ids"
            ) from None

    def has_item(self, item_id: str) -> bool:
        return item_id in self._index

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise FrameworkError(f"framework {self.id!r} has no section {section_id!r}")

    def label(self, value: int) -> str:
        for level in self.scale:
            if level.value == value:
                return level.label
        raise FrameworkError(f"framework {self.id!r} has no scale level {value}")

    @property
    def provisional(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.status == "provisional")

    def to_dict(self) -> dict[str, Any]:
        """The shape `coeval frameworks show --format json` prints."""
        return {
            "id": self.id,
            "title": self.title,
            "version": self.version,
            "source": self.source,
            "presentation": self.presentation,
            "scale": [{"value": lv.value, "label": lv.label} for lv in self.scale],
            "sections": [
                {
                    "id": section.id,
                    "title": section.title,
                    "items": [item.to_dict() for item in section.items],
                }
                for section in self.sections
            ],
        }
