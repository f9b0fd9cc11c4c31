"""The portfolio: every active project in one quarter, side by side."""

from coeval.portfolio.page import Portfolio

__all__ = ["Portfolio"]
