"""Every kind of file `coeval import` takes, in one list. Each kind is an
:class:`coeval.ingest.importer.Importer` described next to its checks; the command line builds
its `coeval import` subcommands from this list, so an importer added here is a command."""

from coeval.ingest.importer import Importer
from coeval.ingest.ratings import RATINGS
from coeval.practice.consultations import CONSULTATION
from coeval.practice.engagement import ACTIVITIES
from coeval.practice.evidence import EVIDENCE

IMPORTERS: tuple[Importer, ...] = (RATINGS, ACTIVITIES, EVIDENCE, CONSULTATION)

__all__ = ["IMPORTERS", "Importer"]
