"""Co-production frameworks, defined as data (YAML) and validated against a schema."""

from coeval.frameworks.loader import builtin_frameworks, load_frameworks, validate_file
from coeval.frameworks.model import (
    DEFAULT_SCALE,
    DONT_KNOW_LABEL,
    KINDS,
    STATUSES,
    EasyRead,
    Framework,
    FrameworkLanguage,
    Frameworks,
    Item,
    Level,
    Section,
    Wording,
)

__all__ = [
    "DEFAULT_SCALE",
    "DONT_KNOW_LABEL",
    "KINDS",
    "STATUSES",
    "EasyRead",
    "Framework",
    "FrameworkLanguage",
    "Frameworks",
    "Item",
    "Level",
    "Section",
    "Wording",
    "builtin_frameworks",
    "load_frameworks",
    "validate_file",
]
