"""Text as people give it, made safe for every place coeval writes it.

People's words reach coeval from files, from meeting screens and from the command line. A few
characters in them cannot be shown or stored everywhere: control characters (other than tab
and newline) and a few non-characters crash spreadsheet and Word writers, are invalid in XML,
and can move the cursor or change colours when printed to a terminal. Imports refuse them
with the row named (:func:`control_characters`); what is typed on a screen is cleaned
(:func:`clean`); and every writer passes text through the function for its format here
(:func:`escape` for HTML, :func:`markdown` for Markdown, :func:`printable` for plain text,
Word, spreadsheets and terminals), so nothing a person typed can break a file or turn into a
link, an image or markup.
"""

from __future__ import annotations

import html
import re
import reprlib
from typing import Any

#: Characters no text needs and some writers cannot hold: the C0 control characters other than
#: tab and newline (carriage returns are turned into newlines first, so Windows line ends are
#: never refused), DEL and the C1 controls (a terminal can read some as commands), lone
#: surrogates, and U+FFFE and U+FFFF (which XML, so Word and spreadsheet files, cannot hold).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_ENDS = re.compile(r"\r\n?")
#: Characters that make links, images, emphasis, code, raw HTML, tables or maths in Markdown
#: (CommonMark and GitHub's dialect) anywhere in a line; each is written with a backslash,
#: which CommonMark guarantees shows it as itself.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<&|~$])")
#: What makes a bare web or email address into a link (a scheme's "://", and a dot inside a
#: word, as in a bare domain: some renderers link "example.com"), and what starts a block.
#: An escaped @ is still linked by GitHub's renderer, so an invisible word joiner (U+2060)
#: follows it.
_AT = "\\@\u2060"
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<=\w)(\.)(?=\w)")
_BLOCK_START = re.compile(r"^(?:([-+#>=])|(\d+)([.)]))")
MESSAGE_LIMIT = 80


def control_characters(text: str) -> list[str]:
    """The control characters in ``text`` that coeval refuses, written as U+0001 and so on."""
    found = _CONTROL.findall(_LINE_ENDS.sub("\n", text))
    return [f"U+{ord(ch):04X}" for ch in dict.fromkeys(found)]


def printable(text: Any) -> str:
    """Text with its line ends made ``\\n`` and every refused control character removed: safe
    to print, to put in a spreadsheet cell or a Word document."""
    return _CONTROL.sub("", _LINE_ENDS.sub("\n", str(text)))


def clean(text: Any) -> str:
    """What a person typed on a screen or the command line, as it is stored: control
    characters removed and surrounding spaces trimmed."""
    return printable("" if text is None else text).strip()


def escape(text: Any, quote: bool = True) -> str:
    """Text for an HTML page: control characters removed, then escaped."""
    return html.escape(printable(text), quote=quote)


def one_line(text: Any) -> str:
    """Text on one line: every run of spaces and line breaks becomes one space."""
    return " ".join(printable(text).split())


def markdown(text: Any) -> str:
    """Text for a Markdown document, shown exactly as written: on one line (so it cannot start
    a heading, a list or a quote), with every character that means something in Markdown
    escaped (so it cannot make a link, an image, emphasis or raw HTML)."""
    out = _MARKDOWN_SPECIAL.sub(r"\\\1", one_line(text)).replace("@", _AT)
    out = _AUTOLINK.sub(lambda m: "\\" + (m.group(1) or m.group(2)), out)
    return _BLOCK_START.sub(
        lambda m: "\\" + m.group(1) if m.group(1) else f"{m.group(2)}\\{m.group(3)}", out
    )


def shorten(value: Any, limit: int = MESSAGE_LIMIT) -> str:
    """A value as an error message shows it: its repr, cut to ``limit`` characters."""
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]!r}… ({len(value)} characters)"
    return _SHORT.repr(value)


_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = MESSAGE_LIMIT
_SHORT.maxlist = _SHORT.maxdict = _SHORT.maxset = _SHORT.maxtuple = 6
_SHORT.maxlevel = 2


def plural(n: Any, one: str, many: str | None = None) -> str:
    """``3 actions``, ``1 action``; a suppressed count keeps the plural (``* comments``)."""
    return f"{n} {one if n == 1 else (many or one + 's')}"
