"""Stands in for rfc3987-syntax inside the review kernels coeval starts (see coeval.execute).

jsonschema imports rfc3987-syntax, when installed, only to check "iri" formats; building its
grammar costs one to two seconds per kernel, and no review uses that format.
"""

raise ImportError("rfc3987-syntax is not used in coeval review kernels")
