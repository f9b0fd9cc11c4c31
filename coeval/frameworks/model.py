"""What a framework is once loaded: sections of items, rated on a scale."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
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
class EasyRead:
    """An item's question and help in Easy Read: short words, one idea a sentence."""

    question: str
    help: str


@dataclass(frozen=True)
class Wording:
    """An item's (or a section's) words in another language; what is missing stays English."""

    title: str = ""
    question: str = ""
    help: str = ""
    summary: str = ""
    easy_read: EasyRead | None = None


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
    why_provisional: str = ""
    easy_read: EasyRead | None = None
    translations: Mapping[str, Wording] = field(default_factory=dict, compare=False)

    def worded(self, language: str | None, easy_read: bool) -> Item:
        """This item in ``language`` (English where the translation has no word) and, with
        ``easy_read``, its Easy Read question and help where it has them."""
        english = (easy_read and self.easy_read) or EasyRead(self.question, self.help)
        words = self.translations.get(language or "")
        if words is None:
            return replace(self, question=english.question, help=english.help)
        # A reader who chose a language keeps it: its plain wording before English Easy Read.
        own = (easy_read and words.easy_read) or EasyRead(words.question, words.help)
        return replace(
            self,
            title=words.title or self.title,
            question=own.question or english.question,
            help=own.help or english.help,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "question": self.question,
            "help": self.help,
            "status": self.status,
            "source": self.source,
            **({"why_provisional": self.why_provisional} if self.why_provisional else {}),
            **(
                {"easy_read": {"question": self.easy_read.question, "help": self.easy_read.help}}
                if self.easy_read
                else {}
            ),
        }


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    items: tuple[Item, ...]
    summary: str = ""
    short_title: str = ""  # for charts, where the whole title would not fit
    translations: Mapping[str, Wording] = field(default_factory=dict, compare=False)

    @property
    def short(self) -> str:
        return self.short_title or self.title

    def worded(self, language: str | None, easy_read: bool) -> Section:
        words = self.translations.get(language or "") or Wording()
        return replace(
            self,
            title=words.title or self.title,
            summary=words.summary or self.summary,
            items=tuple(item.worded(language, easy_read) for item in self.items),
        )


@dataclass(frozen=True)
class FrameworkLanguage:
    """A framework's words in one language, and who checked them. A translation nobody has
    checked is a draft, and screens say so."""

    code: str
    name: str
    checked_by: str | None = None
    checked_on: str | None = None
    title: str = ""
    description: str = ""
    scale: Mapping[int, str] = field(default_factory=dict, compare=False)
    dont_know: str = ""

    @property
    def draft(self) -> bool:
        return not self.checked_by


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
    aliases: tuple[str, ...] = ()  # ids it had before, which still name it
    other_titles: tuple[str, ...] = ()  # other names its source goes by
    translations: Mapping[str, FrameworkLanguage] = field(default_factory=dict, compare=False)
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
    def languages(self) -> tuple[str, ...]:
        """The language codes this framework has words for, besides English."""
        return tuple(sorted(self.translations))

    def translation(self, language: str | None) -> FrameworkLanguage | None:
        return self.translations.get(language or "")

    @property
    def has_easy_read(self) -> bool:
        return any(item.easy_read for item in self.items)

    def worded(self, language: str | None = None, easy_read: bool = False) -> Framework:
        """This framework as a participant chose to read it: titles, questions, help and the
        scale's words in ``language`` (English wherever the translation has no word) and,
        with ``easy_read``, each item's Easy Read question and help where it has them. Ids,
        kinds and values are unchanged, so answers are stored the same whichever is read."""
        words = self.translation(language)
        if words is None and not easy_read:
            return self
        scale = words.scale if words else {}
        return replace(
            self,
            title=(words.title if words else "") or self.title,
            description=(words.description if words else "") or self.description,
            scale=tuple(replace(lv, label=scale.get(lv.value) or lv.label) for lv in self.scale),
            sections=tuple(section.worded(language, easy_read) for section in self.sections),
            _index={},
        )

    def dont_know(self, language: str | None = None) -> str:
        """The words for "Don't know" in ``language``."""
        words = self.translation(language)
        return (words.dont_know if words else "") or DONT_KNOW_LABEL

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
            "aliases": list(self.aliases),
            "other_titles": list(self.other_titles),
            "languages": list(self.languages),
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


class Frameworks(dict[str, Framework]):
    """Loaded frameworks by id. A framework's old ids (its ``aliases``) still find it, so a
    workbook or a script written before a rename keeps working; only current ids are listed."""

    def canonical(self, framework_id: str) -> str:
        """The current id for ``framework_id`` (itself when it is current or unknown)."""
        if dict.__contains__(self, framework_id):
            return framework_id
        for framework in self.values():
            if framework_id in framework.aliases:
                return framework.id
        return framework_id

    def __missing__(self, framework_id: str) -> Framework:
        current = self.canonical(framework_id)
        if current == framework_id:
            raise KeyError(framework_id)
        return dict.__getitem__(self, current)

    def __contains__(self, framework_id: object) -> bool:
        return isinstance(framework_id, str) and dict.__contains__(
            self, self.canonical(framework_id)
        )

    def get(self, framework_id: str, default: Any = None) -> Any:
        return self[framework_id] if framework_id in self else default  # noqa: SIM401
