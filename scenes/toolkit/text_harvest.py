"""The text harvest: each string a scene shows, the first time it is on screen.

Text, MarkupText, Tex and MathTex are harvested whole (not glyph by glyph), for the review's
spelling and classroom checks. A number drawn as digits is not text: :mod:`number_log` records
it by value.
"""

from __future__ import annotations

from dataclasses import dataclass

from manim import (
    DecimalNumber,
    MarkupText,
    MathTex,
    Mobject,
    Paragraph,
    SingleStringMathTex,
    Tex,
    Text,
)

__all__ = ["ShownText", "TextHarvest", "shown_strings"]


@dataclass
class ShownText:
    """A string that appeared on screen, first seen during play ``index``."""

    kind: str
    text: str
    index: int
    time: float
    site: str


def shown_strings(mobject: Mobject) -> list[tuple[str, str]]:
    """``(kind, string)`` for every text mobject in ``mobject``, outermost first.

    A text's own parts (glyphs, the pieces of a formula) are not listed again, and nor is a
    number's: its digits are a value, not words.
    """
    found: list[tuple[str, str]] = []

    def visit(member: Mobject) -> None:
        if isinstance(member, (Text, MarkupText)) and not isinstance(member, Paragraph):
            found.append((type(member).__name__, str(member.original_text)))
        elif isinstance(member, Tex):
            found.append(("Tex", member.tex_string))
        elif isinstance(member, (MathTex, SingleStringMathTex)):
            found.append(("MathTex", member.tex_string))
        elif not isinstance(member, DecimalNumber):
            for sub in member.submobjects:
                visit(sub)

    visit(mobject)
    return found


class TextHarvest:
    """The strings shown so far, each once, in the order they first appeared."""

    def __init__(self) -> None:
        self.shown: list[ShownText] = []
        self._seen: set[tuple[str, str]] = set()

    def note(self, mobjects: list[Mobject], index: int, time: float, site: str) -> None:
        """Record the strings of ``mobjects`` not seen before, as shown at ``time``."""
        for mobject in mobjects:
            for kind, text in shown_strings(mobject):
                if (kind, text) not in self._seen:
                    self._seen.add((kind, text))
                    self.shown.append(ShownText(kind, text, index, time, site))
