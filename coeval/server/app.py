"""The Voila application coeval's servers run (``python -m coeval.server.app``): Voila itself,
started through coeval so that coeval's own pages and checks can sit in front of it.

This module runs in the Voila server process, not in kernels."""

from __future__ import annotations

from traitlets import Unicode
from voila.app import Voila


class CoevalVoila(Voila):
    """Voila as coeval runs it."""

    trusted_header = Unicode(
        "",
        config=True,
        help="The header a sign-in proxy sets on every signed-in request (empty: none).",
    )


def main() -> None:
    CoevalVoila.launch_instance()


if __name__ == "__main__":
    main()
