"""The pre-meeting pack: what a group should have a week before a meeting, as an accessible
web page and a Word document (see docs/pack.md)."""

from coeval.pack.write import PackDocuments, pack_documents, write_pack

__all__ = ["PackDocuments", "pack_documents", "write_pack"]
