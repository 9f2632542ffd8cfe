"""The layout check: what a viewer would see as wrong in a frame, measured while the scene renders.

At the end of every play and wait, the texts and numbers on screen (Text, MarkupText, Tex,
MathTex, decimal numbers) are measured, glyph by glyph; once a second inside long plays, so are
those standing on screen at full opacity (a text fading in or out is on its way, not placed):

- **overlap**: two texts whose glyphs intersect, or a text crossed by a drawn line (an axis, a
  tick, a curve, an arrow, a frame) that is not part of the same axes and not its own pointer.
  A text on a background panel is exempt: the panel hides what is behind it;
- **too small**: a text whose capital letters are under 12 px tall at 1080p;
- **at the edge**: a text closer to the frame's edge than 3 % of its width (title safe); one
  reaching past the edge is the off-screen check's;
- **far from its target**: a label linked to the thing it names (``TimelineScene.link_label``)
  that sits further from it than :data:`FAR_FROM_TARGET` with no pointer between them, or whose
  pointer does not reach from it to the target; a row linked to the thing it belongs to (an
  output neuron's value) that is not level with it, within :data:`LEVEL_TOLERANCE`.

The read-time check (:mod:`~scenes.toolkit.read_time`) reports its faults here too, as
``"too short to read"``. Each fault is recorded once, when first seen, with the time, the
play's ``file:line`` and the lines that made the texts. A scene declares a deliberate exception
with its reason (``TimelineScene.allow``); the review lists every one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

import numpy as np
from manim import (
    Axes,
    BackgroundRectangle,
    DecimalNumber,
    MarkupText,
    MathTex,
    Mobject,
    NumberLine,
    SingleStringMathTex,
    Tex,
    Text,
    VMobject,
    config,
)

from scenes.toolkit.manim_internals import number_text
from scenes.toolkit.style import FONT

__all__ = [
    "CAP_HEIGHT_PX",
    "EDGE_MARGIN",
    "FAR_FROM_TARGET",
    "LAYOUT_KINDS",
    "LEVEL_TOLERANCE",
    "NUMBER_CAP_HEIGHT",
    "POINTER_REACH",
    "TEX_CAP_HEIGHT",
    "LayoutCheck",
    "LayoutException",
    "LayoutFinding",
    "LinkedLabel",
    "box_of",
    "cap_height",
    "letter_runs",
    "point_gap",
    "stroke_samples",
    "words_of",
]

LAYOUT_KINDS = ("overlap", "too small", "at the edge", "far from its target", "too short to read")
CAP_HEIGHT_PX = 12
"""Smallest height of a text's capital letters, in pixels of a 1080p frame."""
EDGE_MARGIN = 0.03
"""Title-safe margin: the share of the frame's width a text keeps from every edge."""
FAR_FROM_TARGET = 0.6
"""Largest gap, in scene units (80 px at 1080p), between a label and what it names, unpointed."""
LEVEL_TOLERANCE = 0.08
"""How far a row may sit above or below the thing it belongs to, in scene units (11 px at 1080p)."""
POINTER_REACH = 0.35
"""How near a pointer's ends must come to its label and to its target, in scene units."""
TOUCH = 0.01
"""How far two drawn areas must run into each other, in scene units, to count as overlapping."""
WORD_GAP = 0.2
"""Largest gap between two glyphs of one run of letters, in scene units (a space is about 0.1)."""
SAMPLE_SPACING = 0.01
"""Distance between the points sampled along a drawn line, in scene units."""


@dataclass
class LayoutFinding:
    """A layout fault, first seen at ``time`` (during play ``index``, played at ``site``)."""

    kind: str
    what: str
    detail: str
    index: int
    time: float
    site: str
    made_at: list[str] = field(default_factory=list)


@dataclass
class LayoutException:
    """A fault of ``kind`` a scene allows for the mobject ``what``, and why."""

    kind: str
    what: str
    reason: str
    site: str
    mobject: Mobject | None = field(default=None, repr=False)

    def as_json(self) -> dict[str, Any]:
        """The exception as the timeline records it (without its mobject)."""
        return {"kind": self.kind, "what": self.what, "reason": self.reason, "site": self.site}


@dataclass
class LinkedLabel:
    """A label, the thing on screen it names, and the pointer between them (if any).

    A ``level`` label is a row that belongs to its target: it must sit level with it.
    """

    label: Mobject
    target: Mobject
    pointer: Mobject | None
    site: str
    level: bool = False


@dataclass
class _Text:
    mobject: Mobject
    what: str
    boxes: np.ndarray  # [n, 4]: left, bottom, right, top of each glyph
    path: tuple[Mobject, ...]  # its ancestors, from the top-level mobject down

    @cached_property
    def box(self) -> np.ndarray:
        return np.array([*self.boxes[:, :2].min(axis=0), *self.boxes[:, 2:].max(axis=0)])

    @cached_property
    def runs(self) -> np.ndarray:
        """Boxes of its runs of letters (a line between two letters strikes the word too)."""
        return letter_runs(self.boxes)


@dataclass
class _Stroke:
    mobject: VMobject
    half_width: float
    path: tuple[Mobject, ...]

    @cached_property
    def box(self) -> np.ndarray:
        points = self.mobject.points[:, :2]  # a Bézier curve lies inside its control points
        reach = self.half_width
        return np.array([*(points.min(axis=0) - reach), *(points.max(axis=0) + reach)])

    @cached_property
    def samples(self) -> np.ndarray:
        return stroke_samples(self.mobject.points)


def _is_text(mobject: Mobject) -> bool:
    return isinstance(mobject, (Text, MarkupText, Tex, MathTex, SingleStringMathTex, DecimalNumber))


def _words(mobject: Mobject) -> str:
    if isinstance(mobject, DecimalNumber):
        return number_text(mobject)
    if isinstance(mobject, (Text, MarkupText)):
        return str(mobject.original_text)
    return str(getattr(mobject, "tex_string", type(mobject).__name__))


def _visible(mobject: Mobject, opaque: bool = False) -> bool:
    """Whether any glyph of ``mobject`` is drawn; ``opaque``: at full opacity."""
    least = 0.99 if opaque else 0.0
    return any(
        isinstance(m, VMobject) and m.has_points() and m.get_fill_opacity() > least
        for m in mobject.get_family()
    )


def _glyph_boxes(mobject: Mobject) -> np.ndarray:
    boxes = [
        [*m.points[:, :2].min(axis=0), *m.points[:, :2].max(axis=0)]
        for m in mobject.get_family()
        if isinstance(m, VMobject) and m.has_points() and m.get_fill_opacity() > 0
    ]
    return np.array(boxes).reshape(-1, 4)


def letter_runs(boxes: np.ndarray, join: float = WORD_GAP) -> np.ndarray:
    """Glyph ``boxes`` [n, 4] in reading order, merged along each line where closer than ``join``.

    What comes out are the boxes of words, and of phrases with ordinary spaces.
    """
    runs = [boxes[0].copy()] if len(boxes) else []
    for box in boxes[1:]:
        run = runs[-1]
        shared = min(run[3], box[3]) - max(run[1], box[1])
        same_line = shared > 0.3 * min(run[3] - run[1], box[3] - box[1])
        if same_line and -join < box[0] - run[2] < join:
            run[:] = [run[0], min(run[1], box[1]), max(run[2], box[2]), max(run[3], box[3])]
        else:
            runs.append(box.copy())
    return np.array(runs).reshape(-1, 4)


def stroke_samples(points: np.ndarray, spacing: float = SAMPLE_SPACING) -> np.ndarray:
    """Points along the cubic Bézier curves of ``points``, at most ``spacing`` apart."""
    curves = points[: len(points) // 4 * 4, :2].reshape(-1, 4, 2)
    if not len(curves):
        return np.zeros((0, 2))
    polygon = np.linalg.norm(np.diff(curves, axis=1), axis=2).sum(axis=1)
    counts = np.maximum(2, np.ceil(polygon / spacing).astype(int) + 1)
    which = np.repeat(np.arange(len(curves)), counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    t = ((np.arange(counts.sum()) - first) / np.repeat(counts - 1, counts))[:, None]
    c = curves[which]
    u = 1 - t
    return u**3 * c[:, 0] + 3 * u * u * t * c[:, 1] + 3 * u * t * t * c[:, 2] + t**3 * c[:, 3]


def _walk(mobjects: Iterable[Mobject]) -> Iterator[tuple[Mobject, tuple[Mobject, ...]]]:
    """Every mobject under ``mobjects`` with its ancestors; a text's insides are not entered."""
    stack = [(m, ()) for m in reversed(list(mobjects))]
    while stack:
        mobject, path = stack.pop()
        yield mobject, path
        if not _is_text(mobject):
            stack.extend((sub, (*path, mobject)) for sub in reversed(mobject.submobjects))


TEX_CAP_HEIGHT = 0.00709
"""Height of TeX's capital H per unit of font size, in scene units (a test measures it)."""
NUMBER_CAP_HEIGHT = 0.00714
"""Height of a decimal number's digit 0 per unit of font size (a test measures it): constants,
so that the check compiles no formula of its own into the TeX cache."""


@cache
def _cap_height_per_font_size(kind: str) -> float:
    """Height of a capital letter (or a digit, for numbers) per unit of font size."""
    if kind == "text":
        return Text("H", font=FONT, font_size=100).height / 100
    return NUMBER_CAP_HEIGHT if kind == "number" else TEX_CAP_HEIGHT


def cap_height(mobject: Mobject) -> float:
    """Height of ``mobject``'s capital letters (digits, for a number), in scene units."""
    if isinstance(mobject, DecimalNumber):
        kind = "number"
    elif isinstance(mobject, (Text, MarkupText)):
        kind = "text"
    else:
        kind = "tex"
    return float(mobject.font_size) * _cap_height_per_font_size(kind)


def _boxes_overlap(a: np.ndarray, b: np.ndarray, touch: float = TOUCH) -> bool:
    """Whether any box of ``a`` runs more than ``touch`` into any box of ``b`` (both [n, 4])."""
    width = np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0])
    height = np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1])
    return bool(np.any((width > touch) & (height > touch)))


def _touching(box: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """For each of ``boxes`` [n, 4], whether it meets ``box``."""
    return (
        (boxes[:, 0] <= box[2])
        & (boxes[:, 2] >= box[0])
        & (boxes[:, 1] <= box[3])
        & (boxes[:, 3] >= box[1])
    )


def _gap(a: np.ndarray, b: np.ndarray) -> float:
    """Distance between two boxes ``[left, bottom, right, top]``; 0 when they touch."""
    dx = max(a[0] - b[2], b[0] - a[2], 0.0)
    dy = max(a[1] - b[3], b[1] - a[3], 0.0)
    return float(np.hypot(dx, dy))


def box_of(mobject: Mobject) -> np.ndarray:
    """``[left, bottom, right, top]`` of ``mobject``'s points."""
    points = mobject.get_all_points()
    if not len(points):
        return np.array([*mobject.get_center()[:2], *mobject.get_center()[:2]])
    return np.array([*points[:, :2].min(axis=0), *points[:, :2].max(axis=0)])


def _one_unit(a: tuple[Mobject, ...], b: tuple[Mobject, ...]) -> bool:
    """Whether two things lie inside one set of axes or one number line (ticks and numbers)."""
    shared = [x for x, y in zip(a, b, strict=False) if x is y]
    return any(isinstance(m, (NumberLine, Axes)) for m in shared)


class LayoutCheck:
    """The layout faults seen so far in one scene, each once, and the scene's exceptions."""

    def __init__(self) -> None:
        self.found: list[LayoutFinding] = []
        self.labels: list[LinkedLabel] = []
        self.exceptions: list[LayoutException] = []
        self._seen: set[tuple[str, str]] = set()

    def allow(self, kind: str, mobject: Mobject, reason: str, site: str) -> None:
        """Allow faults of ``kind`` that involve ``mobject`` (or its parts), for ``reason``."""
        if kind not in LAYOUT_KINDS:
            raise ValueError(f"kind must be one of {', '.join(LAYOUT_KINDS)}; got {kind!r}")
        if not reason.strip():
            raise ValueError("an allowed layout fault needs its reason")
        texts = [_words(m) for m, _ in _walk([mobject]) if _is_text(m)]
        what = " / ".join(texts) or type(mobject).__name__
        self.exceptions.append(LayoutException(kind, what, reason, site, mobject))

    def _allowed(self, kind: str, *mobjects: Mobject) -> bool:
        for exception in self.exceptions:
            if exception.kind == kind and exception.mobject is not None:
                family = set(map(id, exception.mobject.get_family()))
                if any(id(m) in family for m in mobjects):
                    return True
        return False

    def report(self, kind: str, what: str, detail: str, where: tuple, *mobjects: Mobject) -> None:
        """Record a fault of ``kind`` (once per text), unless a scene allowed it for ``mobjects``.

        ``where`` is the play's index, the time and the play's ``file:line``.
        """
        if (kind, what) in self._seen or self._allowed(kind, *mobjects):
            return
        self._seen.add((kind, what))
        index, time, site = where
        makers = [getattr(m, "made_at", None) for m in mobjects]
        self.found.append(
            LayoutFinding(
                kind, what, detail, index, time, site, [m for m in dict.fromkeys(makers) if m]
            )
        )

    def note(
        self, mobjects: list[Mobject], index: int, time: float, site: str, *, in_play: bool = False
    ) -> None:
        """Measure the texts among ``mobjects`` (in frame coordinates) as they are now.

        ``in_play``: a look inside a play. Only texts at full opacity count (one fading in or
        out is on its way), and sizes are not checked (a text may still be growing).
        """
        texts, strokes, panels = [], [], []
        for mobject, path in _walk(mobjects):
            if _is_text(mobject):
                if _visible(mobject, opaque=in_play):
                    boxes = _glyph_boxes(mobject)
                    if len(boxes):
                        texts.append(_Text(mobject, _words(mobject), boxes, path))
            elif isinstance(mobject, BackgroundRectangle):
                if mobject.get_fill_opacity() > 0.5:
                    panels.append(box_of(mobject))
            elif isinstance(mobject, VMobject) and mobject.has_points():
                width = mobject.get_stroke_width()
                if width > 0 and mobject.get_stroke_opacity() > 0:
                    strokes.append(_Stroke(mobject, 0.005 * width, path))
        where = (index, time, site)
        on_panel = [any(_inside(text.box, panel) for panel in panels) for text in texts]
        for text in texts:
            if not in_play:
                self._check_size(text, where)
            self._check_edge(text, where)
        for i, a in enumerate(texts):
            for j in range(i + 1, len(texts)):
                b = texts[j]
                if on_panel[i] != on_panel[j] or _gap(a.box, b.box) > 0:
                    continue
                if _boxes_overlap(a.boxes, b.boxes):
                    self.report(
                        "overlap",
                        f"{a.what!r} and {b.what!r}",
                        "their letters run into each other",
                        where,
                        a.mobject,
                        b.mobject,
                    )
        stroke_boxes = np.array([stroke.box for stroke in strokes]).reshape(-1, 4)
        for text, panelled in zip(texts, on_panel, strict=True):
            if not panelled:
                for k in np.flatnonzero(_touching(text.box, stroke_boxes)):
                    self._check_crossing(text, strokes[k], where)
        self._check_labels(where)

    def _check_size(self, text: _Text, where: tuple) -> None:
        pixels = cap_height(text.mobject) * 1080 / config.frame_height
        if pixels < CAP_HEIGHT_PX:
            self.report(
                "too small",
                repr(text.what),
                f"capitals {pixels:.1f} px tall at 1080p (at least {CAP_HEIGHT_PX})",
                where,
                text.mobject,
            )

    def _check_edge(self, text: _Text, where: tuple) -> None:
        margin = EDGE_MARGIN * config.frame_width
        half_width, half_height = config.frame_width / 2, config.frame_height / 2
        left, bottom, right, top = text.box
        room = min(left + half_width, half_width - right, bottom + half_height, half_height - top)
        if 0 <= room < margin - 1e-6:  # past the edge itself: the off-screen check reports it
            self.report(
                "at the edge",
                repr(text.what),
                f"{room:.2f} units from the frame's edge (title safe: {margin:.2f})",
                where,
                text.mobject,
            )

    def _check_crossing(self, text: _Text, stroke: _Stroke, where: tuple) -> None:
        own = (*stroke.path, stroke.mobject)
        if _one_unit(text.path, own) or self._is_pointer(text.mobject, stroke.mobject):
            return
        reach = stroke.half_width - TOUCH
        grow = np.array([-reach, -reach, reach, reach])
        near = stroke.samples[_in_boxes(stroke.samples, (text.box + grow)[None, :])]
        if len(near) and np.any(_in_boxes(near, text.runs + grow)):
            line = type(stroke.mobject).__name__
            if stroke.path:
                line += f" in a {type(stroke.path[-1]).__name__}"
            self.report(
                "overlap",
                f"{text.what!r} and a {line}",
                "a drawn line runs through its letters",
                where,
                text.mobject,
                stroke.mobject,
            )

    def _is_pointer(self, text: Mobject, line: Mobject) -> bool:
        for linked in self.labels:
            if linked.pointer is None:
                continue
            pointer = set(map(id, linked.pointer.get_family()))
            label = set(map(id, linked.label.get_family()))
            if id(line) in pointer and id(text) in label:
                return True
        return False

    def _check_labels(self, where: tuple) -> None:
        for linked in self.labels:
            if not (_visible(linked.label) and linked.target.get_all_points().size):
                continue
            label, target = box_of(linked.label), box_of(linked.target)
            gap = _gap(label, target)
            if linked.level:
                off = (label[1] + label[3]) / 2 - (target[1] + target[3]) / 2
                if abs(off) > LEVEL_TOLERANCE:
                    side = "above" if off > 0 else "below"
                    self.report(
                        "far from its target",
                        repr(words_of(linked.label)),
                        f"{abs(off):.2f} units {side} the thing it belongs to ({linked.site})",
                        where,
                        linked.label,
                    )
            elif linked.pointer is not None and linked.pointer.get_all_points().size:
                start, end = linked.pointer.get_start()[:2], linked.pointer.get_end()[:2]
                ends = [point_gap(start, label), point_gap(end, target)]
                if max(ends) > POINTER_REACH:
                    self.report(
                        "far from its target",
                        repr(words_of(linked.label)),
                        f"its pointer ends {max(ends):.2f} units from it or from its "
                        f"target ({linked.site})",
                        where,
                        linked.label,
                    )
            elif gap > FAR_FROM_TARGET:
                self.report(
                    "far from its target",
                    repr(words_of(linked.label)),
                    f"{gap:.2f} units from what it names, with no pointer ({linked.site})",
                    where,
                    linked.label,
                )


def words_of(mobject: Mobject) -> str:
    """The words of every text in ``mobject``, joined by `` / ``."""
    return " / ".join(_words(m) for m, _ in _walk([mobject]) if _is_text(m))


def _in_boxes(points: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """For each of ``points`` [n, 2], whether it lies inside any of ``boxes`` [m, 4]."""
    x, y = points[:, None, 0], points[:, None, 1]
    inside = (x > boxes[:, 0]) & (x < boxes[:, 2]) & (y > boxes[:, 1]) & (y < boxes[:, 3])
    return inside.any(axis=1)


def _inside(inner: np.ndarray, outer: np.ndarray) -> bool:
    return bool(
        inner[0] >= outer[0]
        and inner[1] >= outer[1]
        and inner[2] <= outer[2]
        and inner[3] <= outer[3]
    )


def point_gap(point: np.ndarray, box: np.ndarray) -> float:
    """Distance from ``point`` ``[x, y]`` to ``box`` ``[left, bottom, right, top]``."""
    return _gap(np.array([*point, *point]), box)
