"""One project's quarterly review: its data, read once, and the sections of its page."""

from coeval.review.page import QuarterlyReview

__all__ = ["QuarterlyReview"]
