"""The kernel manager coeval's Voila servers run with: a cap on how many kernels they hold.

Every page Voila serves starts a kernel (a Python process of about 120 MB), and anyone who can
reach the server can ask for pages. :class:`CappedKernelManager` refuses to start a kernel
beyond ``max_kernels``: the visitor gets coeval's plain "full" page (the template's 503.html)
instead, and nothing else is affected. Kernels that no browser connects to are closed by the
server's culling settings (see :func:`coeval.server.meeting.meeting_command`).

This module runs inside the Voila server process, not in kernels.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado.web import HTTPError
from traitlets import Int


class CappedKernelManager(AsyncMappingKernelManager):
    """A mapping kernel manager that holds at most ``max_kernels`` kernels at once."""

    max_kernels = Int(45, config=True, help="The most kernels (open pages) at once.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._starting: set[str] = set()

    def _held(self) -> int:
        """Kernels held or on their way: a kernel is listed before its start has finished,
        so the two are counted as one set of ids (counting both would refuse pages early)."""
        return len(self._starting.union(self.list_kernel_ids()))

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]
        kernel_id = kwargs.get("kernel_id")
        if kernel_id is None or kernel_id not in self:
            # The check and the claim happen with no await between them, so two requests
            # arriving together cannot both take the last place.
            if self._held() >= self.max_kernels:
                self.log.warning("Refused a page: %d kernels is the cap", self.max_kernels)
                raise HTTPError(503, reason="Full")
            if kernel_id is None:
                kernel_id = kwargs["kernel_id"] = self.new_kernel_id()
            self._starting.add(kernel_id)
            try:
                started: str = await super().start_kernel(*args, **kwargs)
                return started
            finally:
                self._starting.discard(kernel_id)
        existing: str = await super().start_kernel(*args, **kwargs)
        return existing
