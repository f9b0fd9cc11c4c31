"""How one participant reads the meeting: in Easy Read or not, and in which language. The
choice belongs to this screen alone (nothing about it is stored); answers are saved by item
id and value whatever is read, so the facilitator sees them in the workbook's language."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import ipywidgets as w

from coeval.frameworks import Framework
from coeval.i18n import ENGLISH, ENGLISH_CODE, Words, about, languages, words
from coeval.text import escape


def language_choices(frameworks: Iterable[Framework]) -> list[tuple[str, str, bool]]:
    """(code, name, draft) for English and each language the interface has a file for or
    one of ``frameworks`` has words in. A language is a draft if any of its words are."""
    shown = list(frameworks)
    codes = sorted({*languages(), *(code for fw in shown for code in fw.languages)})
    made = [(ENGLISH_CODE, ENGLISH.name, False)]
    interface = languages()
    for code in codes:
        own = [t for fw in shown if (t := fw.translation(code)) is not None]
        name, draft = about(code) if code in interface else (own[0].name, False)
        made.append((code, name, draft or any(t.draft for t in own)))
    return made


class Reading:
    """The Easy Read tick box and the language list, and the words they choose. Changing
    either calls ``on_change`` so the screen can draw itself again."""

    def __init__(
        self,
        frameworks: Mapping[str, Framework],
        on_change: Callable[[], None],
        easy_read: bool = False,
    ):
        self.frameworks = frameworks
        self.on_change = on_change
        self.language: str = ENGLISH_CODE
        self.words: Words = ENGLISH
        self._worded: dict[tuple[str, str, bool], Framework] = {}
        self._choices = language_choices(frameworks.values())
        self.easy_read = w.Checkbox(value=easy_read, description="Easy Read", indent=False)
        self.easy_read.observe(self._changed, "value")
        self.choose = w.Dropdown(options=self._options(), value=ENGLISH_CODE)
        self.choose.style.description_width = "initial"
        self.choose.observe(self._changed, "value")
        if len(self._choices) < 2:  # nothing but English: no list to choose from
            self.choose.layout.display = "none"
        self.draft = w.HTML("")
        self.widget = w.VBox([w.HBox([self.easy_read, self.choose]), self.draft])
        self.label()

    def _options(self) -> list[tuple[str, str]]:
        draft = self.words.gettext("(draft)")
        return [(f"{name} {draft}" if d else name, code) for code, name, d in self._choices]

    def label(self) -> None:
        """Put this screen's words on the controls (after the language changed)."""
        _ = self.words.gettext
        self.easy_read.description = _("Easy Read")
        self.choose.description = _("Language")
        chosen = self.choose.value
        self.choose.unobserve(self._changed, "value")
        self.choose.options = self._options()
        self.choose.value = chosen
        self.choose.observe(self._changed, "value")
        label = self.draft_label()
        self.draft.value = f"<p class='coeval-info'>{escape(label)}</p>" if label else ""

    def _changed(self, _change: Any) -> None:
        self.language = str(self.choose.value or ENGLISH_CODE)
        self.words = words(self.language)
        self.label()
        self.on_change()

    @property
    def english(self) -> bool:
        return self.language == ENGLISH_CODE

    def draft_label(self) -> str:
        """What the screen says while a draft translation is shown ("" otherwise)."""
        if self.english:
            return ""
        drafts = [self.words.draft] + [
            t.draft for fw in self.frameworks.values() if (t := fw.translation(self.language))
        ]
        if not any(drafts):
            return ""
        # the language's English name, or its own when only the framework has words in it
        own = next((n for c, n, _d in self._choices if c == self.language), self.language)
        name = own if self.words.english else self.words.english_name
        return self.words.draft_named(name)

    def framework(self, framework_id: str) -> Framework:
        """The framework in the words this person chose (made once per choice)."""
        easy = bool(self.easy_read.value)
        key = (framework_id, self.language, easy)
        if key not in self._worded:
            language = None if self.english else self.language
            self._worded[key] = self.frameworks[framework_id].worded(language, easy)
        return self._worded[key]
