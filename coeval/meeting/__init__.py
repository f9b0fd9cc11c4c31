"""Meetings: joining, answering, facilitating, staff entry and consultation meetings."""
