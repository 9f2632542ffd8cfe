"""The base class of every segment: it records what is on screen, when, and which line did it.

While a scene renders, :class:`TimelineScene` keeps a timeline: for each ``play``/``wait`` its
start and end time, the ``file:line`` in the scene that called it, its subcaption, and the
on-screen strings it showed. Mobjects marked with :meth:`TimelineScene.anchor` are measured
at every frame, so a label that should stay put and drifts is caught. The timeline is written
beside the rendered video as ``<Scene>.timeline.json``; the build publishes it with the
segment, and ``make where`` and ``make review`` read it.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import manim
import numpy as np
from manim import (
    DL,
    ORIGIN,
    UR,
    DecimalNumber,
    MarkupText,
    MathTex,
    Mobject,
    Paragraph,
    Scene,
    SingleStringMathTex,
    Tex,
    Text,
    ThreeDScene,
    Wait,
    config,
)

from nn import traces
from nn.atomic_files import write_text_atomically
from nn.data import REPO_ROOT
from nn.errors import UserError, debugging, one_line
from scenes.toolkit.counters import reading_point

__all__ = [
    "ANCHOR_TOLERANCE",
    "TIMELINE_VERSION",
    "Anchor",
    "OffScreen",
    "PlayRecord",
    "ShownText",
    "TimelineScene",
    "TimelineThreeDScene",
    "anchored_point",
    "call_site",
    "repo_path",
    "shown_strings",
    "without_frames",
]

TIMELINE_VERSION = 1
ANCHOR_TOLERANCE = 1e-3
"""Largest movement of an anchored point, in scene units, that counts as staying put."""

_MANIM_DIR = str(Path(manim.__file__).parent)
_THIS_FILE = str(Path(__file__).resolve())


@dataclass
class PlayRecord:
    """One ``play`` or ``wait`` of a scene."""

    index: int
    kind: str
    animations: list[str]
    start: float
    end: float
    site: str
    subcaption: str | None = None
    beat: str | None = None


@dataclass
class ShownText:
    """A string that appeared on screen, first seen during play ``index``."""

    kind: str
    text: str
    index: int
    time: float
    site: str


@dataclass
class OffScreen:
    """A text that reaches past the edge of the frame, first seen during play ``index``."""

    kind: str
    text: str
    index: int
    time: float
    site: str
    overflow: float


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

    def measure(self, time: float, index: int) -> None:
        """Compare the anchored point now with where it was when anchored."""
        if self.mobject is None:
            return
        point = anchored_point(self.mobject, np.array(self.edge))
        delta = point - np.array(self.reference)
        drift = float(max(abs(delta[i]) for i in _axis_indices(self.axes)))
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


def _animation_name(animation: Any) -> str:
    """A readable name of what ``play`` was given: ``mob.animate`` shows as ``animate``."""
    name = type(animation).__name__
    return "animate" if name == "_AnimationBuilder" else name


def _axis_indices(axes: str) -> list[int]:
    return ["xyz".index(a) for a in axes]


def call_site(scene_file: str | None) -> str:
    """``file:line`` of the scene code that called into Manim, relative to the repository.

    The innermost frame in the scene's own file wins; else the innermost frame that is
    neither Manim nor this module.
    """
    fallback = None
    for frame in inspect.stack(context=0)[1:]:
        name = str(Path(frame.filename).resolve())
        if name == _THIS_FILE or name.startswith(_MANIM_DIR):
            continue
        if scene_file and name == scene_file:
            return _relative(name, frame.lineno)
        fallback = fallback or _relative(name, frame.lineno)
    return fallback or "?"


def _relative(filename: str, line: int) -> str:
    return f"{repo_path(filename)}:{line}"


def repo_path(filename: str | Path) -> str:
    """``filename`` relative to the repository when it lies inside, else as it is."""
    path = Path(filename)
    with contextlib.suppress(ValueError):
        path = path.relative_to(REPO_ROOT)
    return str(path)


def shown_strings(mobject: Mobject) -> list[tuple[str, str]]:
    """``(kind, string)`` for every text mobject in ``mobject``, outermost first.

    A text's own parts (glyphs, the pieces of a formula) are not listed again.
    """
    found: list[tuple[str, str]] = []

    def visit(member: Mobject) -> None:
        if isinstance(member, (Text, MarkupText)) and not isinstance(member, Paragraph):
            found.append((type(member).__name__, str(member.original_text)))
        elif isinstance(member, Tex):
            found.append(("Tex", member.tex_string))
        elif isinstance(member, (MathTex, SingleStringMathTex)):
            found.append(("MathTex", member.tex_string))
        else:
            for sub in member.submobjects:
                visit(sub)

    visit(mobject)
    return found


class TimelineScene(Scene):
    """A Manim scene that records its timeline; every segment of the video derives from it."""

    def setup(self) -> None:
        """Start an empty timeline."""
        super().setup()
        self.timeline: list[PlayRecord] = []
        self.shown_texts: list[ShownText] = []
        self.anchors: list[Anchor] = []
        self.off_screen: list[OffScreen] = []
        self._seen: set[tuple[str, str]] = set()
        self._seen_off_screen: set[tuple[str, str]] = set()
        self._play_start = 0.0
        self.current_beat: str | None = None
        self._scene_file = str(Path(inspect.getfile(type(self))).resolve())

    def render(self, preview: bool = False) -> None:
        """Render as Manim does; an error the user can fix ends it with one line, not a traceback.

        A missing trace, a bad take or lexicon entry print what went wrong and the fix; a
        scene's own error keeps its traceback, and so does every error under ``DEBUG=1``.
        """
        try:
            super().render(preview)
        except UserError as error:
            if debugging():
                raise
            print(f"error: {one_line(error)}", file=sys.stderr)
            raise SystemExit(1) from None

    def play(
        self,
        *args: Any,
        subcaption: str | None = None,
        subcaption_duration: float | None = None,
        subcaption_offset: float = 0,
        **kwargs: Any,
    ) -> None:
        """Play as Manim does, and record the call on the timeline."""
        index = len(self.timeline)
        site = call_site(self._scene_file)
        self._play_start = self.renderer.time
        self._note_texts(args, index, site)
        super().play(
            *args,
            subcaption=subcaption,
            subcaption_duration=subcaption_duration,
            subcaption_offset=subcaption_offset,
            **kwargs,
        )
        end = self.renderer.time
        names = [_animation_name(a) for a in args]
        kind = "wait" if args and all(isinstance(a, Wait) for a in args) else "play"
        record = PlayRecord(index, kind, names, self._play_start, end, site, subcaption)
        record.beat = self.current_beat
        self.timeline.append(record)
        self._note_texts(self.mobjects, index, site)
        self._note_off_screen(index, site)
        for anchor in self.anchors:
            anchor.measure(end, index)

    def update_to_time(self, t: float) -> None:
        """Advance the animations to ``t``, then measure every anchored mobject."""
        super().update_to_time(t)
        for anchor in self.anchors:
            anchor.measure(self._play_start + t, len(self.timeline))

    def anchor(
        self, mobject: Mobject, *, name: str, edge: np.ndarray = ORIGIN, axes: str = "xy"
    ) -> Mobject:
        """Mark ``mobject`` as anchored: its ``edge`` point must not move along ``axes``.

        Parameters
        ----------
        mobject
            A label, a counter, a tag: anything whose position the viewer reads.
        name
            How ``make review`` names it.
        edge
            The point that stays put: ``LEFT`` for a left-aligned label, ``ORIGIN`` for its centre.
        axes
            ``"xy"`` pins both coordinates; ``"x"`` lets it move only up and down.
        """
        if not axes or set(axes) - set("xy"):
            raise ValueError(f"axes must be 'x', 'y' or 'xy', got {axes!r}")
        point = anchored_point(mobject, np.array(edge))
        self.anchors.append(
            Anchor(
                name,
                call_site(self._scene_file),
                axes,
                [float(v) for v in edge],
                [float(v) for v in point],
                mobject=mobject,
            )
        )
        return mobject

    def _note_texts(self, items: Any, index: int, site: str) -> None:
        for item in items:
            candidates = (
                [item]
                if isinstance(item, Mobject)
                else [getattr(item, "mobject", None), getattr(item, "target_mobject", None)]
            )
            for mobject in candidates:
                if not isinstance(mobject, Mobject):
                    continue
                for kind, text in shown_strings(mobject):
                    if (kind, text) not in self._seen:
                        self._seen.add((kind, text))
                        self.shown_texts.append(
                            ShownText(kind, text, index, float(self.renderer.time), site)
                        )

    def _frame_mobjects(self) -> list[Mobject]:
        """The mobjects drawn in frame coordinates, whose text must stay inside the frame."""
        return list(self.mobjects)

    def _note_off_screen(self, index: int, site: str) -> None:
        half_width, half_height = config.frame_width / 2, config.frame_height / 2
        for mobject in self._frame_mobjects():
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
                if overflow > ANCHOR_TOLERANCE and (kind, text) not in self._seen_off_screen:
                    self._seen_off_screen.add((kind, text))
                    self.off_screen.append(OffScreen(kind, text, index, float(self.renderer.time),
                                                     site, float(overflow)))  # fmt: skip

    def timeline_data(self) -> dict[str, Any]:
        """Everything recorded, as JSON-ready data."""
        anchors = []
        for anchor in self.anchors:
            entry = asdict(anchor)
            entry.pop("mobject")
            anchors.append(entry)
        return {
            "version": TIMELINE_VERSION,
            "scene": type(self).__name__,
            "file": repo_path(self._scene_file),
            "duration": float(self.renderer.time),
            "plays": [asdict(p) for p in self.timeline],
            "texts": [asdict(t) for t in self.shown_texts],
            "anchors": anchors,
            "off_screen": [asdict(o) for o in self.off_screen],
            "sources": sorted(_project_sources()),
            "traces": sorted(str(p) for p in traces.files_read()),
        }

    def tear_down(self) -> None:
        """Write the timeline beside the video Manim is writing, whole (never half a file)."""
        super().tear_down()
        try:
            movie = Path(self.renderer.file_writer.movie_file_path)
        except AttributeError:
            return  # no video (dry run, still image): the timeline stays in memory
        timeline = json.dumps(self.timeline_data(), indent=1) + "\n"
        write_text_atomically(movie.with_suffix(".timeline.json"), timeline)


class TimelineThreeDScene(TimelineScene, ThreeDScene):
    """A 3-D scene that records its timeline like :class:`TimelineScene`.

    Only the mobjects fixed in the frame (titles, legends, counters) are checked for text
    off screen: the others live in 3-D and move with the camera.
    """

    def _frame_mobjects(self) -> list[Mobject]:
        return list(self.renderer.camera.fixed_in_frame_mobjects)


def _project_sources() -> set[str]:
    """Repository files of every loaded module of ``scenes`` and ``nn``: the render's inputs."""
    found = set()
    for module in list(sys.modules.values()):
        filename = getattr(module, "__file__", None)
        if not filename:
            continue
        path = Path(filename).resolve()
        if re.match(r"(scenes|nn)/", str(_relative(str(path), 0))):
            found.add(str(path.relative_to(REPO_ROOT)))
    return found


def without_frames(scene: Scene) -> Scene:
    """``scene``, set to play through to its end without drawing any frame.

    For builds that check a scene rather than render it (the tests): every animation still runs
    to its end state and the timeline records it, but Manim's renderer draws no still frames,
    which are most of a skipped scene's time.
    """
    scene.renderer.update_frame = lambda *args, **kwargs: None
    scene.renderer.save_static_frame_data = lambda *args, **kwargs: None
    return scene
