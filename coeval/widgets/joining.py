"""How people join, as the facilitator's screen shows it: the join address and the meeting
code in large type, and a QR code of the join link (drawn here as SVG; nothing is fetched),
large enough to scan from the back of a room when the screen is projected. Scanning it opens
the join screen with the code filled in.

Also the links to the group's pre-meeting pack (see :mod:`coeval.pack`)."""

from __future__ import annotations

import base64
import sys
from collections.abc import Callable

import ipywidgets as w

from coeval.exceptions import CoevalError
from coeval.i18n import ENGLISH, Words
from coeval.meeting.meetings import Meeting, spoken_code
from coeval.text import escape, printable

JOIN_CSS = """
<style>
.coeval-app .coeval-join { display: flex; flex-wrap: wrap; gap: 1.5em; align-items: center;
  border: 3px solid #1a1a1a; padding: 0.8em 1em; margin: 0.5em 0 1em; background: #fff; }
.coeval-app .coeval-join-words { flex: 1 1 18em; }
.coeval-app .coeval-join-words p { margin: 0.2em 0; }
.coeval-app .coeval-join-address { font-size: 1.7em; font-weight: bold; word-break: break-all; }
.coeval-app .coeval-join-code { font-size: 3em; font-weight: bold; letter-spacing: 0.15em; }
.coeval-app .coeval-qr { flex: 0 0 auto; width: min(60vh, 22rem); }
.coeval-app .coeval-qr svg { display: block; width: 100%; height: auto; }
</style>
"""


def join_link(base: str, code: str) -> str:
    """The link that opens the join screen with the code filled in."""
    return f"{base}?code={code}" if base else ""


def _text(said: str) -> str:
    return f"<p>{escape(said, quote=False)}</p>"


def qr_svg(link: str, words: Words = ENGLISH) -> str:
    """A QR code of ``link`` as an inline SVG image with a text alternative: black on white,
    with the quiet border scanners need, scaled by the page rather than fixed in size."""
    import segno  # the facilitator's screen only

    code = segno.make(link, error="m")
    svg = code.svg_inline(dark="#000000", light="#ffffff", border=4, omitsize=True)
    label = escape(words.gettext("QR code: scan it to open {link}", link=link))
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def join_panel(meeting: Meeting, base: str, words: Words = ENGLISH) -> w.HTML:
    """The join address, the code and the QR code, for a projector or a shared screen."""
    _ = words.gettext
    link = join_link(base, meeting.code)
    where = f"<span class='coeval-join-address'>{escape(base)}</span>"
    opened = escape(_("Open {address}"), quote=False).replace("{address}", where)
    address = f"<p>{opened}</p>"
    address = address if base else ""
    qr = f"<div class='coeval-qr'>{qr_svg(link, words)}</div>" if link else ""
    scan = _text(_("or scan the QR code with a phone's camera.")) if link else ""
    how, then = _("How to join"), _text(_("and type the meeting code"))
    return w.HTML(
        JOIN_CSS + "<section class='coeval-join' aria-labelledby='coeval-join-heading'>"
        "<div class='coeval-join-words'>"
        f"<h2 id='coeval-join-heading'>{escape(how, quote=False)}</h2>"
        f"{address}"
        f"{then}"
        f"<p class='coeval-join-code'>{escape(spoken_code(meeting.code))}</p>"
        f"{scan}</div>{qr}</section>"
    )


def download_link(data: bytes, filename: str, mime: str, words: str) -> str:
    """A link that saves ``data`` as ``filename`` (the file travels inside the page)."""
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f'<a download="{escape(filename)}" href="data:{mime};base64,{encoded}">{escape(words)}</a>'
    )


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class PackLinks:
    """A button that makes the group's pack for this meeting, then links to save it as a
    web page or a Word document (in standard or large print)."""

    def __init__(
        self, make: Callable[[bool], tuple[str, bytes, str]], words: Words = ENGLISH
    ) -> None:
        _ = words.gettext
        self.words = words
        self.make = make  # large print? -> (html, docx, file stem)
        self.large = w.Checkbox(description=_("Large print"), indent=False)
        self.button = w.Button(
            description=_("Make the group's pack"), layout=w.Layout(width="auto")
        )
        self.button.on_click(self.build)
        self.links = w.HTML("")
        self.links.add_class("coeval-live")
        lead = _(
            "What the group should have before the meeting: the questions, last quarter's "
            "results in words, actions due and how to take part. Make it, then save it and "
            "send it out or print it."
        )
        title = _("The group's pack")
        self.widget = w.VBox(
            [
                w.HTML(f"<h2>{escape(title, quote=False)}</h2>" + _text(lead)),
                self.large,
                self.button,
                self.links,
            ]
        )

    def build(self, _button: object = None) -> None:
        _ = self.words.gettext
        self.links.value = _text(_("Making the pack…"))
        try:
            html, docx, stem = self.make(bool(self.large.value))
        except CoevalError as exc:
            self._problem(str(exc))
            return
        except Exception as exc:  # the meeting carries on; the reason goes to the log
            print(f"coeval: the pack could not be made: {printable(exc)}", file=sys.stderr)
            self._problem(_("the reason is in the meeting server's log"))
            return
        page = download_link(html.encode("utf-8"), f"{stem}.html", "text/html", _("web page"))
        word = download_link(docx, f"{stem}.docx", DOCX, _("Word document"))
        ready = escape(_("The pack is ready: save it as a {page} or a {word}."), quote=False)
        ready = ready.replace("{page}", page).replace("{word}", word)
        self.links.value = f"<p class='coeval-ok'>{ready}</p>"

    def _problem(self, why: str) -> None:
        said = self.words.gettext("The pack could not be made: {why}.", why=why)
        self.links.value = f"<p class='coeval-problem'>{escape(said)}</p>"
