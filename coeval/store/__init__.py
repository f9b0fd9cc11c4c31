"""The store: the workbook's database, its schema and migrations, and every query against it."""

from coeval.store.core import Project, Store

__all__ = ["Project", "Store"]
