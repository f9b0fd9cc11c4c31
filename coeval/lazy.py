"""Libraries imported when first used, not when coeval is imported.

A meeting participant's screen needs none of pandas (about 60 MiB in every kernel); the
modules it shares with reviews name pandas as ``pd`` through :data:`pandas`, which imports
it on first use::

    if TYPE_CHECKING:
        import pandas as pd
    else:
        from coeval.lazy import pandas as pd
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule:
    """Stands in for a module until one of its names is first used."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attribute)

    def __repr__(self) -> str:
        return f"<{self._name}, imported when first used>"


pandas = LazyModule("pandas")
