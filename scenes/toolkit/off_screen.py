"""The off-screen check: text that reaches past the edge of the frame, the first time it does."""

from __future__ import annotations

from dataclasses import dataclass

from manim import DL, UR, MarkupText, MathTex, Mobject, SingleStringMathTex, Text, config

from scenes.toolkit.text_harvest import shown_strings

__all__ = ["OVERFLOW_TOLERANCE", "OffScreen", "OffScreenCheck"]

OVERFLOW_TOLERANCE = 1e-3
"""Largest reach past the frame's edge, in scene units, that still counts as inside."""


@dataclass
class OffScreen:
    """A text that reaches past the edge of the frame, first seen during play ``index``."""

    kind: str
    text: str
    index: int
    time: float
    site: str
    overflow: float


class OffScreenCheck:
    """The texts seen past the frame's edge so far, each once."""

    def __init__(self) -> None:
        self.found: list[OffScreen] = []
        self._seen: set[tuple[str, str]] = set()

    def note(self, mobjects: list[Mobject], index: int, time: float, site: str) -> None:
        """Record the visible texts of ``mobjects`` (frame coordinates) that reach past the edge."""
        half_width, half_height = config.frame_width / 2, config.frame_height / 2
        for mobject in mobjects:
            for member in mobject.get_family():
                if not isinstance(member, (Text, MarkupText, MathTex, SingleStringMathTex)):
                    continue
                if member.get_fill_opacity() == 0 and member.get_stroke_opacity() == 0:
                    continue
                low, high = member.get_corner(DL), member.get_corner(UR)
                overflow = max(-half_width - low[0], high[0] - half_width,
                               -half_height - low[1], high[1] - half_height)  # fmt: skip
                strings = shown_strings(member) or [(type(member).__name__, "")]
                kind, text = strings[0]
                if overflow > OVERFLOW_TOLERANCE and (kind, text) not in self._seen:
                    self._seen.add((kind, text))
                    self.found.append(OffScreen(kind, text, index, time, site, float(overflow)))
