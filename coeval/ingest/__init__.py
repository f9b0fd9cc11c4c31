"""Data in and out: the one strict import pipeline, its importers, exports and retention."""
