"""coeval's version (the package's ``__version__``), importable from anywhere in coeval."""

VERSION = "0.1.0"
