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


def qr_svg(link: str) -> str:
    """A QR code of ``link`` as an inline SVG image with a text alternative: black on white,
    with the quiet border scanners need, scaled by the page rather than fixed in size."""
    import segno  # the facilitator's screen only

    code = segno.make(link, error="m")
    svg = code.svg_inline(dark="#000000", light="#ffffff", border=4, omitsize=True)
    label = escape(f"QR code: scan it to open {link}")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def join_panel(meeting: Meeting, base: str) -> w.HTML:
    """The join address, the code and the QR code, for a projector or a shared screen."""
    link = join_link(base, meeting.code)
    address = f"<p>Open <span class='coeval-join-address'>{escape(base)}</span></p>" if base else ""
    qr = f"<div class='coeval-qr'>{qr_svg(link)}</div>" if link else ""
    scan = "<p>or scan the QR code with a phone's camera.</p>" if link else ""
    return w.HTML(
        JOIN_CSS + "<section class='coeval-join' aria-labelledby='coeval-join-heading'>"
        "<div class='coeval-join-words'>"
        "<h2 id='coeval-join-heading'>How to join</h2>"
        f"{address}"
        "<p>and type the meeting code</p>"
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

    def __init__(self, make: Callable[[bool], tuple[str, bytes, str]]) -> None:
        self.make = make  # large print? -> (html, docx, file stem)
        self.large = w.Checkbox(description="Large print", indent=False)
        self.button = w.Button(description="Make the group's pack", layout=w.Layout(width="auto"))
        self.button.on_click(self.build)
        self.links = w.HTML("")
        self.links.add_class("coeval-live")
        self.widget = w.VBox(
            [
                w.HTML(
                    "<h2>The group's pack</h2><p>What the group should have before the "
                    "meeting: the questions, last quarter's results in words, actions due "
                    "and how to take part. Make it, then save it and send it out or print "
                    "it.</p>"
                ),
                self.large,
                self.button,
                self.links,
            ]
        )

    def build(self, _button: object = None) -> None:
        self.links.value = "<p>Making the pack…</p>"
        try:
            html, docx, stem = self.make(bool(self.large.value))
        except CoevalError as exc:
            self._problem(str(exc))
            return
        except Exception as exc:  # the meeting carries on; the reason goes to the log
            print(f"coeval: the pack could not be made: {printable(exc)}", file=sys.stderr)
            self._problem("the reason is in the meeting server's log")
            return
        page = download_link(html.encode("utf-8"), f"{stem}.html", "text/html", "web page")
        word = download_link(docx, f"{stem}.docx", DOCX, "Word document")
        self.links.value = (
            f"<p class='coeval-ok'>The pack is ready: save it as a {page} or a {word}.</p>"
        )

    def _problem(self, why: str) -> None:
        self.links.value = (
            f"<p class='coeval-problem'>The pack could not be made: {escape(why)}.</p>"
        )
