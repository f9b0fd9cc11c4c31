"""The interface's own words in other languages: one message catalogue for the meeting
screens, the printable forms, the feedback and the pack.

English is the source language and needs no file. Each other language is one gettext file,
``coeval/locale/<code>/LC_MESSAGES/coeval.po``, read when first asked for (with Babel) and
kept for the life of the process, so adding a language is adding a file. The template every
translation starts from, ``coeval/locale/coeval.pot``, is made from the code by
``make messages`` (and a test fails when it is out of date).

A translation says who checked it in its header (``X-Checked-By:`` and ``X-Checked-On:``).
One nobody has checked is a draft, and every screen and page that shows it says so
(:attr:`Words.draft_label`). The framework's own words (questions, help, the scale) are
translated in the framework's file instead (see :meth:`coeval.frameworks.Framework.worded`).
"""

from __future__ import annotations

import functools
import gettext as _gettext
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ENGLISH_CODE = "en"
DOMAIN = "coeval"
LOCALE_DIR = Path(__file__).parent / "locale"
#: The header fields a translation records who checked it in (Babel does not keep them, so
#: they are read from the file directly).
CHECKED_BY, CHECKED_ON, LANGUAGE_NAME = "X-Checked-By", "X-Checked-On", "X-Language-Name"
_CODE = re.compile(r"^[a-z]{2,3}(?:_[A-Z]{2})?$")


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it (for constants, which are
    translated where they are shown)."""
    return message


@dataclass(frozen=True)
class Words:
    """The interface's words in one language. ``gettext`` (also ``_``) and ``ngettext``
    translate a message, then fill in its ``{named}`` values; a message the translation does
    not have stays English."""

    language: str = ENGLISH_CODE
    name: str = "English"  # in the language itself: "Cymraeg"
    english_name: str = "English"  # in English: "Welsh"
    checked_by: str | None = None
    checked_on: str | None = None
    catalogue: _gettext.NullTranslations = field(
        default_factory=_gettext.NullTranslations, compare=False, repr=False
    )

    @property
    def english(self) -> bool:
        return self.language == ENGLISH_CODE

    @property
    def draft(self) -> bool:
        """A translation nobody has checked yet (English never is one)."""
        return not self.english and not self.checked_by

    @property
    def html_lang(self) -> str:
        """The page's ``lang`` attribute."""
        return "en-GB" if self.english else self.language.replace("_", "-")

    def gettext(self, message: str, **values: Any) -> str:
        return _fill(self.catalogue.gettext(message), message, values)

    _ = gettext

    def ngettext(self, one: str, many: str, n: Any, **values: Any) -> str:
        """``one`` or ``many`` for ``n`` (filled in as ``{n}``). A count that is not a whole
        number (a suppressed ``*``) takes the plural, as :func:`coeval.text.plural` does."""
        count = n if isinstance(n, int) and not isinstance(n, bool) else 2
        english = one if count == 1 else many
        return _fill(self.catalogue.ngettext(one, many, count), english, {"n": n, **values})

    def date(self, when: date, weekday: bool = False) -> str:
        """A date as people write it: "4 March 2026" ("Wednesday 4 March 2026")."""
        if self.english:
            return f"{when:%A %-d %B %Y}" if weekday else f"{when:%-d %B %Y}"
        from babel.dates import format_date

        return format_date(when, "EEEE d MMMM y" if weekday else "d MMMM y", locale=self.language)

    @property
    def draft_label(self) -> str:
        """What a screen or page says while it shows a draft translation ("" otherwise)."""
        return self.draft_named(self.english_name) if self.draft else ""

    def draft_named(self, language: str) -> str:
        """The draft label, in these words, for a draft translation into ``language`` (also
        for a framework's words, when the interface has none in that language)."""
        return self.gettext(
            "Draft translation: not yet checked by a {language} speaker", language=language
        )


ENGLISH = Words()


def _fill(translated: str, english: str, values: dict[str, Any]) -> str:
    """A message with its values filled in; a translation that names a value wrongly falls
    back to the English message rather than failing in front of someone."""
    if not values:
        return translated
    try:
        return translated.format(**values)
    except (KeyError, IndexError, ValueError):
        return english.format(**values)


def languages(folder: Path = LOCALE_DIR) -> tuple[str, ...]:
    """The codes of the languages the interface has a file for, besides English."""
    if not folder.is_dir():
        return ()
    found = (p.parent.parent.name for p in folder.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return tuple(sorted(code for code in found if _CODE.match(code)))


def words(language: str | None = None) -> Words:
    """The interface's words in ``language``: English for ``None``, ``"en"`` or a language
    with no file (the framework may still have its own words in it)."""
    if not language or language.split("_")[0] == ENGLISH_CODE or not _CODE.match(language):
        return ENGLISH
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.is_file():
        return ENGLISH
    return _cached(path)


@functools.cache
def about(language: str) -> tuple[str, bool]:
    """A language's name in itself and whether its file is a draft, read from the file's
    header alone (cheap: listing the languages on a screen loads no catalogue)."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    header = po_header(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return header.get(LANGUAGE_NAME) or language, not header.get(CHECKED_BY)


@functools.cache
def _cached(path: Path) -> Words:
    return load_words(path)


def load_words(path: Path, language: str | None = None) -> Words:
    """Read one ``.po`` file (compiled in memory; fuzzy entries are left out, so they show
    in English until someone confirms them)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    text = path.read_text(encoding="utf-8")
    code = language or path.parent.parent.name
    catalogue = read_po(io.StringIO(text), locale=None, domain=DOMAIN)
    # A plural not (wholly) translated is left out: compiled, its empty forms would be
    # filled from English in the wrong places ("1 points"); left out, it stays English.
    for message in list(catalogue):
        if message.id and isinstance(message.string, tuple) and not all(message.string):
            del catalogue[message.id]
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    header = po_header(text)
    own, english = code, code
    if catalogue.locale is not None:
        own = catalogue.locale.get_display_name() or code
        english = catalogue.locale.english_name or code
    return Words(
        language=code,
        name=header.get(LANGUAGE_NAME) or own,
        english_name=english,
        checked_by=header.get(CHECKED_BY) or None,
        checked_on=header.get(CHECKED_ON) or None,
        catalogue=_gettext.GNUTranslations(compiled),
    )


def po_header(text: str) -> dict[str, str]:
    """The fields of a ``.po`` file's header (the translation of the empty message)."""
    found: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if line.strip() == 'msgid ""' and next(lines, "").strip() == 'msgstr ""':
            break
    for line in lines:
        line = line.strip()
        if not line.startswith('"'):
            break
        key, sep, value = line.strip('"').replace("\\n", "").partition(":")
        if sep:
            found[key.strip()] = value.strip().replace('\\"', '"')
    return found


# -- keeping the catalogue in step with the code (`make messages`) --------------------------

TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
#: The calls whose first (and, for plurals, second) argument is a message to translate.
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
TEMPLATE_HEADER = """\
# coeval's interface words, to translate. Made from the code by `make messages`: do not edit.
# To add a language, copy this file to coeval/locale/<code>/LC_MESSAGES/coeval.po, fill in
# the header and the translations, and see docs/languages.md.
msgid ""
msgstr ""
"Project-Id-Version: coeval\\n"
"Language: \\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"X-Language-Name: \\n"
"X-Checked-By: \\n"
"X-Checked-On: \\n"

"""


def template_text(package: Path = LOCALE_DIR.parent) -> str:
    """The catalogue's template as the code makes it now: every message marked in coeval's
    modules, sorted, without where it came from (so moving a line changes nothing)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import write_po

    catalogue = Catalog(project="coeval", fuzzy=False)
    found = extract_from_dir(str(package), [("**.py", "python")], keywords=KEYWORDS)
    for _file, _line, message, comments, context in found:
        catalogue.add(message, None, auto_comments=comments, context=context)
    from coeval.vocabulary import ROLE_WORDS  # defined where nothing may import this module

    for message in ROLE_WORDS.values():
        catalogue.add(message, None)
    out = io.BytesIO()
    write_po(out, catalogue, omit_header=True, no_location=True, sort_output=True, width=96)
    return TEMPLATE_HEADER + out.getvalue().decode("utf-8").lstrip("\n")


def update_file(path: Path, template: Path = TEMPLATE) -> None:
    """Bring one language's file into step with the template: new messages added (to
    translate), messages the code no longer has dropped, and its header kept (who checked
    it, which Babel does not keep itself)."""
    from babel.messages.pofile import read_po, write_po

    text = path.read_text(encoding="utf-8")
    kept = [f'"{key}: {value}\\n"' for key, value in po_header(text).items() if key[:2] == "X-"]
    catalogue = read_po(io.StringIO(text), domain=DOMAIN)
    with template.open("rb") as file:
        catalogue.update(read_po(file), no_fuzzy_matching=True)
    out = io.BytesIO()
    write_po(out, catalogue, no_location=True, ignore_obsolete=True, sort_output=True, width=96)
    unset = ("EMAIL@ADDRESS", "YEAR-MO-DA", '"POT-Creation-Date:', '"Generated-By:')
    written = out.getvalue().decode("utf-8").replace("Version:  ", "Version: ").split("\n")
    lines = [line for line in written if not any(u in line for u in unset)]
    start = lines.index('msgstr ""') + 1
    end = next(n for n in range(start, len(lines)) if not lines[n].startswith('"'))
    path.write_text("\n".join([*lines[:end], *kept, *lines[end:]]), encoding="utf-8")


def main() -> None:
    """``python -m coeval.i18n``: write the template, then update every language's file."""
    TEMPLATE.write_text(template_text(), encoding="utf-8")
    for code in languages():
        update_file(LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po")


if __name__ == "__main__":
    main()
