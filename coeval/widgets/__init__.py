"""The meeting app's screens (ipywidgets), shown by ``notebooks/meeting.ipynb`` in Voila.
Each screen's module is imported only by the visitor who needs it (see app.py)."""
