"""The meeting app's screens (ipywidgets), shown by ``notebooks/meeting.ipynb`` in Voila."""

from coeval.widgets.app import meeting_app
from coeval.widgets.entry import EntryView
from coeval.widgets.facilitator import FacilitatorView
from coeval.widgets.participant import ParticipantView

__all__ = ["EntryView", "FacilitatorView", "ParticipantView", "meeting_app"]
