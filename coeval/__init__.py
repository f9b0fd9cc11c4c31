"""coeval: co-production evaluation workbook for health and social care improvement groups.

The names below are imported when first used, so that a meeting screen, which needs only a
few of coeval's modules, does not load pandas and the scoring code with them."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from coeval.version import VERSION

if TYPE_CHECKING:
    from coeval.config import Workbook, init_workbook
    from coeval.exceptions import CoevalError
    from coeval.frameworks import load_frameworks
    from coeval.ingest.export import export_frame
    from coeval.ingest.ratings import import_ratings
    from coeval.report import format_table, score_document, score_project, score_tables
    from coeval.scoring import Scores, catalogue, score
    from coeval.store import Store

__version__ = VERSION

#: Where each public name lives.
_WHERE = {
    "CoevalError": "coeval.exceptions",
    "Scores": "coeval.scoring",
    "Store": "coeval.store",
    "Workbook": "coeval.config",
    "catalogue": "coeval.scoring",
    "export_frame": "coeval.ingest.export",
    "format_table": "coeval.report",
    "import_ratings": "coeval.ingest.ratings",
    "init_workbook": "coeval.config",
    "load_frameworks": "coeval.frameworks",
    "score": "coeval.scoring",
    "score_document": "coeval.report",
    "score_project": "coeval.report",
    "score_tables": "coeval.report",
}

__all__ = [
    "CoevalError",
    "Scores",
    "Store",
    "Workbook",
    "__version__",
    "catalogue",
    "export_frame",
    "format_table",
    "import_ratings",
    "init_workbook",
    "load_frameworks",
    "score",
    "score_document",
    "score_project",
    "score_tables",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'coeval' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value
