"""The store: the workbook's database, its schema and migrations, and every query against it."""

from coeval.store.base import Project
from coeval.store.core import Store

__all__ = ["Project", "Store"]
