"""Time to read: a new text stays on screen, still, long enough to be read before it changes.

A text that appears (Text, MarkupText, Tex, MathTex; a counter's digits are watched, not read)
must then stay unchanged at least its characters / :data:`READING_SPEED` + :data:`READ_MARGIN`
seconds before it fades, is transformed, recoloured, resized or taken off the screen. Moving it
whole (a label riding on a ball, a panel sliding aside) keeps it readable and is not a change.

Measured at the end of every play and wait: a text is still from the end of the play that
finished drawing it until the start of the first play after which it differs, or the end of
the scene. Only a text's first still stretch is judged: that is when it is new. A fault is a
layout finding of kind ``"too short to read"``, reported and allowed like the others
(:mod:`~scenes.toolkit.layout_check`).
"""

from __future__ import annotations

from dataclasses import dataclass

from manim import Mobject, VMobject

from scenes.toolkit.layout_check import LayoutCheck
from scenes.toolkit.text_harvest import text_mobjects, words_in

__all__ = ["READING_SPEED", "READ_MARGIN", "TOO_SHORT", "ReadTimeCheck", "time_to_read"]

READING_SPEED = 15.0
"""Characters a viewer reads per second."""
READ_MARGIN = 1.0
"""Seconds a viewer needs to find a new text, on top of reading it."""
TOO_SHORT = "too short to read"


def time_to_read(words: str) -> float:
    """Seconds a text of ``words`` must stay still once it appears."""
    return len(words.strip()) / READING_SPEED + READ_MARGIN


def _look(text: Mobject) -> tuple:
    """What a viewer reads of ``text``, wherever it is: its glyphs, their colour, size, opacity."""
    glyphs = [m for m in text.get_family() if isinstance(m, VMobject) and m.has_points()]
    opacity = max((m.get_fill_opacity() for m in glyphs), default=0.0)
    colour = glyphs[0].get_fill_color().to_hex() if glyphs else ""
    return (
        len(glyphs),
        round(float(opacity), 2),
        colour,
        round(text.width, 2),
        round(text.height, 2),
    )


@dataclass
class _Still:
    text: Mobject
    words: str
    look: tuple
    since: float
    site: str
    index: int


class ReadTimeCheck:
    """Follows every text from the play that shows it to the play that first changes it."""

    def __init__(self, layout_check: LayoutCheck) -> None:
        self.layout_check = layout_check
        self._still: dict[int, _Still] = {}
        self._judged: set[int] = set()

    def note(
        self, mobjects: list[Mobject], index: int, start: float, end: float, site: str
    ) -> None:
        """After play ``index`` (from ``start`` to ``end``, at ``site``): judge what it changed."""
        shown = {id(t): t for m in mobjects for t in text_mobjects(m) if _look(t)[1] > 0}
        for key, still in list(self._still.items()):
            text = shown.get(key)
            if text is None or _look(text) != still.look:
                self._judge(still, start, site)
                del self._still[key]
        for key, text in shown.items():
            if key not in self._still and key not in self._judged:
                self._still[key] = _Still(text, words_in(text), _look(text), end, site, index)

    def still_needed(self, now: float) -> float:
        """Seconds from ``now`` until every new text on screen has been still long enough."""
        due = [s.since + time_to_read(s.words) - now for s in self._still.values()]
        return max([0.0, *due])

    def finish(self, time: float, site: str) -> None:
        """The scene ends at ``time``: judge every text still on screen."""
        for still in self._still.values():
            self._judge(still, time, site)
        self._still.clear()

    def _judge(self, still: _Still, changed_at: float, site: str) -> None:
        self._judged.add(id(still.text))
        shown_for, needs = changed_at - still.since, time_to_read(still.words)
        if shown_for < needs - 1e-6:
            detail = (
                f"still for {shown_for:.1f} s, needs {needs:.1f} s "
                f"({len(still.words.strip())} characters / {READING_SPEED:g} + {READ_MARGIN:g} s); "
                f"changed by the play at {site}"
            )
            where = (still.index, still.since, still.site)
            self.layout_check.report(TOO_SHORT, still.words, detail, where, still.text)
