"""Sign-in through the organisation's proxy (``--trusted-header NAME``): staff pages are
refused, before any kernel starts, unless the request carries a non-empty header NAME.

A sign-in proxy in front of coeval (oauth2-proxy with nginx, see docs/deploy.md) sets that
header on every request from someone signed in, and removes it from every other request. In
a meeting, the participants' join screen needs no sign-in (only the meeting code); the
facilitator's screen and staff entry do. In `coeval serve`, every dashboard page does.

This module runs in the Voila server process, not in kernels.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from jupyter_server.base.handlers import JupyterHandler
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from coeval.text import escape

#: The tornado setting that holds the trusted header's name ("" or absent: no sign-in).
SETTING = "coeval_trusted_header"
#: The only meeting screen open without sign-in (also what a link with no ``view`` shows).
OPEN_VIEW = "join"
STATUS = 403

_STYLE = """
body { font-family: Arial, Helvetica, sans-serif; font-size: 1.15rem; line-height: 1.5;
  color: #1a1a1a; background: #fff; margin: 0 auto; max-width: 40rem; padding: 1rem 1.5rem; }
h1 { font-size: 1.8rem; }
"""


def staff_view(query: str) -> bool:
    """Does a meeting link's query ask for a staff screen? Every ``view`` it carries counts
    (a kernel reads the first, tornado the last), and only ``join`` is open to everyone."""
    views = parse_qs(query, keep_blank_values=True).get("view", [])
    return any(view != OPEN_VIEW for view in views)


def refusal_page(meeting: bool) -> str:
    """The plain page someone gets when they open a staff page without signing in."""
    if meeting:
        what = (
            "<p>This page is for the meeting's staff: the facilitator's screen and staff "
            "entry open only for people signed in with their organisation's account.</p>"
        )
        other = (
            "<p>Here to answer the meeting's questions? Use the join link or the meeting "
            "code you were given instead: you do not need to sign in for that.</p>"
        )
    else:
        what = (
            "<p>These dashboards are for staff: they open only for people signed in with "
            "their organisation's account.</p>"
        )
        other = ""
    body = (
        "<h1>Please sign in to open this page</h1>"
        f"{what}<h2>How to sign in</h2><ol>"
        "<li>Open this link through the address your organisation gave you for coeval "
        "(its sign-in page), not this computer's own address.</li>"
        "<li>Sign in with your work account when you are asked.</li>"
        "<li>Open the link again.</li></ol>"
        f"{other}<p>Still stuck? Ask the person who runs coeval for your organisation.</p>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape('Please sign in to open this page')}</title>\n"
        f"<style>{_STYLE}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


class SignInRequired(JupyterHandler):
    """A page handler that refuses, in ``prepare`` (before any kernel is started), a request
    that needs sign-in and does not carry the trusted header."""

    def needs_sign_in(self) -> bool:
        return True

    async def prepare(self, *args: Any, **kwargs: Any) -> None:
        await super().prepare(*args, **kwargs)
        header = self.settings.get(SETTING) or ""
        if header and self.needs_sign_in() and not self.request.headers.get(header, "").strip():
            self.log.info("Refused %s: no %s header (not signed in)", self.request.path, header)
            self.clear()
            self.set_status(STATUS)
            self.set_header("Content-Type", "text/html; charset=UTF-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(refusal_page(meeting=self.is_meeting()))

    def is_meeting(self) -> bool:
        return False


class SignedInVoilaHandler(SignInRequired, TornadoVoilaHandler):
    """Voila's page: a meeting's staff screens, or any dashboard, need sign-in."""

    def is_meeting(self) -> bool:
        return bool(self.notebook_path)

    def needs_sign_in(self) -> bool:
        return not self.is_meeting() or staff_view(self.request.query)


class SignedInTreeHandler(SignInRequired, TornadoVoilaTreeHandler):
    """Voila's list of the dashboards' folders and notebooks."""


class SignedInContentsHandler(SignInRequired, VoilaContentsHandler):
    """The contents API the tree page reads (it names every notebook)."""


#: Voila's handler classes and coeval's in their place.
REPLACEMENTS: dict[type, type] = {
    TornadoVoilaHandler: SignedInVoilaHandler,
    TornadoVoilaTreeHandler: SignedInTreeHandler,
    VoilaContentsHandler: SignedInContentsHandler,
}
