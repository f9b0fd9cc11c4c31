"""Pieces every meeting screen shares: words for roles, styles, messages, answer buttons,
the spread of answers, and the loop that keeps a screen in step with the store."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from coeval.frameworks import Framework
from coeval.i18n import ENGLISH, N_, Words
from coeval.text import escape
from coeval.vocabulary import (
    CARER,
    COMMISSIONER,
    FAMILY_MEMBER,
    PARTNER,
    PERSON_USING_SERVICES,
    STAFF,
    VOLUNTEER,
)

if TYPE_CHECKING:
    import pandas as pd
else:
    from coeval.lazy import pandas as pd

#: Who can own an action: a role, never a person's name.
OWNER_WORDS: dict[str, str] = {
    STAFF: N_("Staff"),
    COMMISSIONER: N_("Commissioners"),
    PARTNER: N_("A partner organisation"),
    VOLUNTEER: N_("Volunteers"),
    CARER: N_("Carers in the group"),
    PERSON_USING_SERVICES: N_("People who use services in the group"),
    FAMILY_MEMBER: N_("Family members in the group"),
}

DONT_KNOW = N_("Don't know")
REFRESH_SECONDS = 1.5

# Large targets, a focus ring that is always visible, a large-text option, and choices
# marked by a tick and a border as well as colour.
STYLE = """
<style>
.coeval-app { max-width: 52rem; font-size: 1.05rem; line-height: 1.5; color: #1a1a1a; }
.coeval-app.coeval-large { font-size: 1.45rem; }
.coeval-app .widget-label, .coeval-app label, .coeval-app input, .coeval-app select,
.coeval-app textarea, .coeval-app button { font-size: inherit; }
.coeval-app .widget-text, .coeval-app .widget-textarea, .coeval-app .widget-dropdown,
.coeval-app .widget-datepicker, .coeval-app .widget-inline-hbox { width: auto; max-width: 100%; }
.coeval-app .widget-inline-hbox { flex-wrap: wrap; row-gap: 0.2em; height: auto; }
.coeval-app .widget-label { width: 15em; min-width: 0; max-width: 100%; height: auto;
  white-space: normal; text-align: left; line-height: 1.4; color: #1a1a1a; }
.coeval-app .widget-textarea { width: auto; max-width: 100%; }
.coeval-app .widget-textarea textarea { flex: none; width: 32em; max-width: 100%;
  min-height: 4.5em; box-sizing: border-box; }
.coeval-app input[type=text], .coeval-app input[type=number], .coeval-app input[type=date],
.coeval-app select { height: auto; min-height: 2.2em; padding: 0.2em 0.4em; }
.coeval-app .widget-text input, .coeval-app .widget-dropdown select,
.coeval-app .widget-datepicker input { flex: none; width: 20em; max-width: 100%; }
.coeval-app .widget-radio-box { width: auto; height: auto; }
.coeval-app .widget-radio-box label { display: flex; align-items: center; gap: 0.5em;
  width: auto; white-space: normal; height: auto; line-height: 1.4; margin: 0.25em 0; }
.coeval-app .widget-radio-box input { order: -1; float: none; height: 1.1em; width: 1.1em;
  margin: 0; flex: none; }
.coeval-app .widget-checkbox { width: auto; height: auto; }
.coeval-app caption { text-align: left; font-weight: bold; }
.coeval-app .widget-button { height: auto; min-height: 2.75em; padding: 0.3em 1em;
  background: #f2f2f2; color: #1a1a1a; border: 2px solid #595959; border-radius: 6px; }
.coeval-app .coeval-main-button { background: #08519c; color: #fff; border-color: #08519c; }
.coeval-app .coeval-choice { min-width: 9em; min-height: 3.4em; margin: 0.25em; }
.coeval-app .coeval-chosen { background: #08519c; color: #fff; border: 4px solid #1a1a1a;
  font-weight: bold; }
.coeval-app .widget-button:disabled { opacity: 1; background: #e6e6e6; color: #404040;
  border-style: dashed; }
.coeval-app :focus-visible, .coeval-app button:focus, .coeval-app input:focus,
.coeval-app select:focus, .coeval-app textarea:focus {
  outline: 4px solid #ffbf47; outline-offset: 1px; box-shadow: 0 0 0 6px #1a1a1a; }
.coeval-app h1 { font-size: 1.7em; margin: 0.3em 0; }
.coeval-app h2 { font-size: 1.3em; margin: 1.2em 0 0.3em; }
.coeval-app .coeval-question { font-size: 1.3em; font-weight: bold; }
.coeval-app .coeval-code { font-size: 1.6em; letter-spacing: 0.15em; font-weight: bold; }
.coeval-app .coeval-ok { border-left: 6px solid #006d2c; background: #edf8e9;
  padding: 0.4em 0.8em; }
.coeval-app .coeval-problem { border-left: 6px solid #a50f15; background: #fee5d9;
  padding: 0.4em 0.8em; }
.coeval-app .coeval-info { border-left: 6px solid #08519c; background: #eef3f8;
  padding: 0.4em 0.8em; }
.coeval-app table { border-collapse: collapse; margin: 0.5em 0; }
.coeval-app th, .coeval-app td { border: 1px solid #8c8c8c; padding: 0.25em 0.6em;
  text-align: left; }
.coeval-app td.num { text-align: right; }
.coeval-app .coeval-bar { display: inline-block; height: 0.9em; background: #08519c;
  border: 1px solid #1a1a1a; vertical-align: middle; }
</style>
"""


def in_language(frameworks: Mapping[str, Framework], language: str) -> dict[str, Framework]:
    """The frameworks in the words of ``language`` (English wherever a file has none): how
    the staff's screens show a meeting, in the workbook's language."""
    chosen = None if language == ENGLISH.language else language
    return {fid: fw.worded(chosen) for fid, fw in frameworks.items()}


def heading(text: str, level: int = 2) -> w.HTML:
    return w.HTML(f"<h{level}>{escape(text)}</h{level}>")


def text_block(text: str, css: str = "") -> str:
    """Plain text as HTML paragraphs, always escaped: comments are shown as typed."""
    paragraphs = [p for p in text.splitlines() if p.strip()]
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f'<div class="{css}">{body}</div>' if css else body


class Notice:
    """A message area for what just happened. Each message starts with a word that says
    what kind it is ("Saved", "Not saved"), so colour is never the only cue; the template
    makes the area a polite live region for screen readers."""

    def __init__(self, words: Words = ENGLISH) -> None:
        self.widget = w.HTML("")
        self.widget.add_class("coeval-live")
        self.kind = ""
        self.text = ""
        self.words = words  # the language of the prefixes; the text comes translated

    def show(self, kind: str, text: str) -> None:
        self.kind, self.text = kind, text
        _ = self.words.gettext
        prefix = {"ok": _("Saved. "), "problem": _("Not saved: "), "info": ""}[kind]
        css = f"coeval-{kind}"
        self.widget.value = f'<p class="{css}">{escape(prefix + text)}</p>'

    def clear(self) -> None:
        self.kind = self.text = ""
        self.widget.value = ""


def app_root() -> w.VBox:
    """The box a whole screen sits in; the large-text option styles everything inside it."""
    root = w.VBox([])
    root.add_class("coeval-app")
    return root


def large_text_option(root: w.Box, words: Words = ENGLISH) -> w.Checkbox:
    """A tick box that makes every word and button on the screen larger."""
    option = w.Checkbox(description=words.gettext("Large text"), indent=False)

    def switch(change: Mapping[str, Any]) -> None:
        if change["new"]:
            root.add_class("coeval-large")
        else:
            root.remove_class("coeval-large")

    option.observe(switch, "value")
    return option


def button(label: str, on_click: Callable[[Any], None], main: bool = False) -> w.Button:
    made = w.Button(description=label, layout=w.Layout(width="auto"))
    if main:
        made.add_class("coeval-main-button")
    made.on_click(on_click)
    return made


def labelled(widget: w.DOMWidget, label: str) -> w.DOMWidget:
    """Give a widget a visible label that is also its accessible name. Typed text reaches
    the kernel when the person leaves the box, so a Save pressed straight after typing
    always sees the whole of it."""
    widget.description = label
    widget.style.description_width = "15em"
    if hasattr(widget, "continuous_update"):
        widget.continuous_update = False
    return widget


def choice_buttons(
    options: Sequence[tuple[str, int | None, str]], on_choose: Callable[[int | None], None]
) -> w.Box:
    """A large button for each choice (its words, with any help as a tooltip)."""
    buttons = []
    for label, value, help_text in options:
        made = w.Button(description=label, tooltip=help_text, layout=w.Layout(width="auto"))
        made.add_class("coeval-choice")
        made.on_click(lambda _b, v=value: on_choose(v))
        made.coeval_value = value
        made.coeval_label = label
        buttons.append(made)
    return w.Box(buttons, layout=w.Layout(flex_flow="row wrap"))


def mark_choice(box: w.Box, chosen: int | None, answered: bool) -> None:
    """Show which answer is chosen by a tick and a heavy border, not colour alone."""
    for made in box.children:
        picked = answered and made.coeval_value == chosen
        made.description = ("✓ " if picked else "") + made.coeval_label
        if picked:
            made.add_class("coeval-chosen")
        else:
            made.remove_class("coeval-chosen")


def set_enabled(widgets: Sequence[w.Widget], enabled: bool) -> None:
    for widget in widgets:
        if isinstance(widget, w.Box):
            set_enabled(widget.children, enabled)
        elif hasattr(widget, "disabled"):
            widget.disabled = not enabled


def spread_html(table: Sequence[Mapping[str, Any]], title: str, words: Words = ENGLISH) -> str:
    """The spread of answers (rows of ``answer`` and ``people``) as a sentence, a text bar
    chart and a table with the numbers."""
    _ = words.gettext
    total = sum(int(row["people"]) for row in table)
    if not total:
        nobody = _("Nobody has answered this question yet.")
        return f"<p>{escape(nobody)}</p>"
    top = max(int(row["people"]) for row in table)
    most = [row["answer"] for row in table if row["people"] == top]
    said = _(" and ").join(f"“{m}”" for m in most)
    sentence = words.ngettext("{n} person answered.", "{n} people answered.", total)
    sentence += " " + _("The most common answer was {said}.", said=said)
    rows = []
    for answer, people in ((row["answer"], row["people"]) for row in table):
        width = 0 if not top else round(12 * people / top, 1)
        bar = f'<span class="coeval-bar" style="width:{width}em" aria-hidden="true"></span>'
        rows.append(
            f"<tr><th scope='row'>{escape(answer)}</th><td class='num'>{people}</td>"
            f"<td>{bar if people else ''}</td></tr>"
        )
    columns = (N_("Answer"), N_("People"), N_("Bar"))
    head = "".join(f"<th scope='col'>{escape(_(h))}</th>" for h in columns)
    head = f"<tr>{head}</tr>"
    chart = (
        f"<table><caption>{escape(title)}</caption><thead>{head}</thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return f"<p>{escape(sentence)}</p>{chart}"


def actions_html(frame: pd.DataFrame, framework: Framework | None, words: Words = ENGLISH) -> str:
    _ = words.gettext
    if frame.empty:
        none_yet = _("No actions yet.")
        return f"<p>{escape(none_yet)}</p>"
    shown = pd.DataFrame(
        {
            _("Question"): [
                framework.item(i).title if framework and i and framework.has_item(i) else "–"
                for i in frame["item"]
            ],
            _("You said"): frame["said"],
            _("We will"): frame["action"],
            _("Who"): [_(OWNER_WORDS[r]) if r in OWNER_WORDS else r for r in frame["owner_role"]],
            _("By"): [d.strftime("%-d %B %Y") if d else "–" for d in frame["due_on"]],
        }
    )
    from coeval.html import table_html  # the facilitator's screen only: it loads nbformat

    return table_html(shown, _("Actions agreed in this meeting"))


class Live:
    """Keeps a screen in step with the store while it is open, in the kernel's own event
    loop (so widgets are only ever changed from one thread). Every few seconds it reads the
    screen's ``marks`` (one small query: the meeting's change counters) and re-reads the
    meeting (``refresh``) only when they have moved."""

    def __init__(
        self, refresh: Callable[[], bool], marks: Callable[[], object] | None = None
    ) -> None:
        self.refresh = refresh  # returns False when there is nothing more to follow
        self.marks = marks
        self.seen: object = None
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self.marks is not None:
            with contextlib.suppress(Exception):
                self.seen = self.marks()
        with contextlib.suppress(RuntimeError):  # no running loop: tests call refresh()
            self.task = asyncio.get_running_loop().create_task(self._run())

    def tick(self) -> bool:
        """One look at the store; False once there is nothing more to follow."""
        if self.marks is not None:
            now = self.marks()
            if now == self.seen:
                return True
            self.seen = now
        return self.refresh()

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(REFRESH_SECONDS)
            try:
                if not self.tick():
                    return
            except Exception:  # a busy or briefly unreachable database: try again next time
                continue
