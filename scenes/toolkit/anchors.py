"""Anchors: points of labels, counters and tags that must not move, measured at every frame."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
from manim import DecimalNumber, Mobject

from scenes.toolkit.counters import reading_point

__all__ = ["ANCHOR_TOLERANCE", "Anchor", "anchored_point"]

ANCHOR_TOLERANCE = 1e-3
"""Largest movement of an anchored point, in scene units, that counts as staying put."""


@dataclass
class Anchor:
    """A point of a mobject that must not move, and the worst movement measured."""

    name: str
    site: str
    axes: str
    edge: list[float]
    reference: list[float]
    max_drift: float = 0.0
    first_drift_time: float | None = None
    first_drift_index: int | None = None
    samples: int = 0
    mobject: Mobject | None = field(default=None, repr=False)

    @classmethod
    def on(cls, mobject: Mobject, *, name: str, site: str, edge: np.ndarray, axes: str) -> Anchor:
        """An anchor on ``mobject``'s ``edge`` point as it is now, pinned along ``axes``."""
        if not axes or set(axes) - set("xy"):
            raise ValueError(f"axes must be 'x', 'y' or 'xy', got {axes!r}")
        point = anchored_point(mobject, np.array(edge))
        return cls(name, site, axes, [float(v) for v in edge], [float(v) for v in point],
                   mobject=mobject)  # fmt: skip

    def as_json(self) -> dict[str, Any]:
        """The anchor as the timeline records it (without its mobject)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "mobject"}

    def measure(self, time: float, index: int) -> None:
        """Compare the anchored point now with where it was when anchored."""
        if self.mobject is None:
            return
        point = anchored_point(self.mobject, np.array(self.edge))
        delta = point - np.array(self.reference)
        drift = float(max(abs(delta["xyz".index(axis)]) for axis in self.axes))
        self.samples += 1
        if drift > ANCHOR_TOLERANCE and self.first_drift_time is None:
            self.first_drift_time, self.first_drift_index = time, index
        self.max_drift = max(self.max_drift, drift)


def anchored_point(mobject: Mobject, edge: np.ndarray) -> np.ndarray:
    """The point of ``mobject`` an anchor watches at ``edge``.

    For a number, the digits' baseline at ``edge``'s horizontal place (a comma hanging below
    the baseline must not hide a jump of the digits); for anything else, its critical point.
    """
    if isinstance(mobject, DecimalNumber):
        return reading_point(mobject, edge)
    return mobject.get_critical_point(edge)
