"""Serving coeval's screens with Voila: the dashboards (`coeval serve`) and meetings
(`coeval meeting`)."""
