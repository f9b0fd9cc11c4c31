"""What ``coeval import survey`` says: what was stored (or, with ``--dry-run``, what would
be), in counts a person can check against the survey tool."""

from __future__ import annotations

from coeval.ingest.survey import SurveyResult
from coeval.text import plural as _plural


def survey_report(result: SurveyResult) -> list[str]:
    """The lines the command prints."""
    if result.already_imported_at is not None:
        when = f"{result.already_imported_at:%Y-%m-%d at %H:%M}"
        return [f"{result.source} was already imported on {when} UTC; nothing changed."]
    with_consent, without = result.comments
    dont_knows = _plural(result.dont_knows, "don’t know", "don’t knows")
    lines = [
        ("Would import" if result.dry_run else "Read")
        + f" {_plural(len(result.responses), 'response')} from {result.source}: "
        f"{_plural(result.ratings, 'rating')} ({dont_knows}), "
        f"{_plural(with_consent + without, 'comment')} ({with_consent} may be shared, "
        f"{without} not).",
        "Ratings by item and role:",
    ]
    for (item, role), n in sorted(result.by_item_and_role().items()):
        lines.append(f"  {item}, {role}: {n}")
    if result.removed:
        lines.append(
            "Never stored (they identify people): " + ", ".join(repr(h) for h in result.removed)
        )
    if result.dry_run:
        lines.append("Nothing was stored (--dry-run).")
        return lines
    lines.append(
        f"Stored {_plural(result.stored_ratings, 'new or changed rating')} and "
        f"{_plural(result.stored_comments, 'new comment')}; what was stored already was left "
        "as it was."
    )
    lines.append(
        f"The file is kept at {result.kept_as}, without the columns that identify people "
        "(so, unlike other imports, it is not the file as received)."
    )
    return lines
