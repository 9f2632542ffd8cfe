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

__all__ = ["ShownText", "TextHarvest", "shown_strings", "text_mobjects", "words_in"]


@dataclass
class ShownText:
    """A string that appeared on screen, first seen during play ``index``."""

    kind: str
    text: str
    index: int
    time: float
    site: str


def text_mobjects(mobject: Mobject) -> list[Mobject]:
    """Every text mobject in ``mobject``, outermost first; a text's own parts are not entered.

    A number's digits are a value, not words: decimal numbers are left out.
    """
    if isinstance(mobject, (Text, MarkupText)) and not isinstance(mobject, Paragraph):
        return [mobject]
    if isinstance(mobject, (Tex, MathTex, SingleStringMathTex)):
        return [mobject]
    if isinstance(mobject, DecimalNumber):
        return []
    return [text for sub in mobject.submobjects for text in text_mobjects(sub)]


def words_in(text: Mobject) -> str:
    """The string a text mobject shows: its text, or its TeX source."""
    if isinstance(text, (Text, MarkupText)):
        return str(text.original_text)
    return str(text.tex_string)


def shown_strings(mobject: Mobject) -> list[tuple[str, str]]:
    """``(kind, string)`` for every text mobject in ``mobject``, outermost first.

    A text's own parts (glyphs, the pieces of a formula) are not listed again, and nor is a
    number's: its digits are a value, not words.
    """
    return [(_kind(text), words_in(text)) for text in text_mobjects(mobject)]


def _kind(text: Mobject) -> str:
    if isinstance(text, (Text, MarkupText)):
        return type(text).__name__
    return "Tex" if isinstance(text, Tex) else "MathTex"


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
