"""Co-production frameworks, defined as data (YAML) and validated against a schema."""

from coeval.frameworks.loader import builtin_frameworks, load_frameworks, validate_file
from coeval.frameworks.model import (
    DEFAULT_SCALE,
    DONT_KNOW_LABEL,
    KINDS,
    STATUSES,
    Framework,
    Item,
    Level,
    Section,
)

__all__ = [
    "DEFAULT_SCALE",
    "DONT_KNOW_LABEL",
    "KINDS",
    "STATUSES",
    "Framework",
    "Item",
    "Level",
    "Section",
    "builtin_frameworks",
    "load_frameworks",
    "validate_file",
]
