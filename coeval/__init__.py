"""coeval: co-production evaluation workbook for health and social care improvement groups."""

from coeval.config import Workbook, init_workbook
from coeval.exceptions import CoevalError
from coeval.frameworks import load_frameworks
from coeval.ingest.export import export_frame
from coeval.ingest.ratings import import_ratings
from coeval.report import format_table, score_document, score_project, score_tables
from coeval.scoring import Scores, catalogue, score
from coeval.store import Store
from coeval.version import VERSION

__version__ = VERSION

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
