"""A finding of the draft checks: when, which line to edit, which check, and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.where import format_time

__all__ = ["Finding"]


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in the draft."""

    time: float
    site: str
    check: str
    message: str

    def __str__(self) -> str:
        return f"{format_time(self.time):>8}  {self.site}  {self.check}: {self.message}"
