"""The Voila application coeval's servers run (``python -m coeval.server.app``): Voila itself,
started through coeval so that coeval's own pages and checks sit in front of it: the home page
of `coeval serve` (coeval.server.home), and sign-in through the organisation's proxy for
staff pages (coeval.server.signin), checked before any kernel is started.

This module runs in the Voila server process, not in kernels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tornado import web
from traitlets import Unicode
from voila.app import Voila

from coeval.server.home import home_page
from coeval.server.signin import REPLACEMENTS, SETTING, SignInRequired


class CoevalVoila(Voila):
    """Voila as coeval runs it."""

    trusted_header = Unicode(
        "",
        config=True,
        help="The header a sign-in proxy sets on every signed-in request (empty: none).",
    )

    def init_settings(self) -> dict[str, Any]:
        settings: dict[str, Any] = super().init_settings()
        settings[SETTING] = self.trusted_header
        return settings

    def init_handlers(self) -> list[Any]:
        """Voila's handlers, with its page handlers replaced by coeval's (which check sign-in
        first) and, when serving the dashboards, coeval's home page at ``/``. Static files,
        the kernels' API and websockets (which need a kernel's random id) are Voila's own."""
        handlers = []
        for pattern, handler, *options in super().init_handlers():
            if not self.notebook_path and pattern == self.server_url:
                handlers.append((pattern, HomeHandler, {"root": self.root_dir}))
                continue
            handlers.append((pattern, REPLACEMENTS.get(handler, handler), *options))
        return handlers


class HomeHandler(SignInRequired):
    """``/`` in `coeval serve`: the home page (which needs sign-in, as every dashboard does)."""

    def initialize(self, root: str) -> None:
        self.root = Path(root)

    @web.authenticated
    def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-cache")
        self.finish(home_page(self.root, self.base_url))


def main() -> None:
    CoevalVoila.launch_instance()


if __name__ == "__main__":
    main()
