"""The base class of every segment: it records what is on screen, when, and which line did it.

While a scene renders, :class:`TimelineScene` keeps a timeline, each part the job of a module:
the plays with their times, ``file:line`` and subcaption (:mod:`~scenes.toolkit.play_log`),
the strings shown (:mod:`~scenes.toolkit.text_harvest`), the numbers shown, by value
(:mod:`~scenes.toolkit.number_log`), text past the frame's edge
(:mod:`~scenes.toolkit.off_screen`), layout faults a viewer would see: overlapping text, text
too small or at the edge, labels away from what they name (:mod:`~scenes.toolkit.layout_check`),
text that changes before it can be read (:mod:`~scenes.toolkit.read_time`),
the anchored mobjects measured at every frame (:mod:`~scenes.toolkit.anchors`), and the files
the render read
(:mod:`~scenes.toolkit.dependencies`). The timeline is written beside the rendered video as
``<Scene>.timeline.json``; the build publishes it with the segment, and ``make where`` and
``make review`` read it.
"""

from __future__ import annotations

import inspect
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
from manim import (
    DOWN,
    ORIGIN,
    DecimalNumber,
    ImageMobject,
    Mobject,
    Scene,
    ThreeDCamera,
    ThreeDScene,
)

from nn.atomic_files import write_text_atomically
from nn.errors import UserError, debugging, one_line
from scenes.toolkit.anchors import Anchor
from scenes.toolkit.dependencies import InputsRead, recording_inputs
from scenes.toolkit.layout_check import LayoutCheck, LinkedLabel
from scenes.toolkit.manim_internals import (
    QuickThreeDCamera,
    after_each_frame,
    flat_on_screen,
    keep_facing_the_camera,
    keep_flat_on_screen,
    lay_image_for_top_view,
    movie_path,
    step_plays_before_range,
)
from scenes.toolkit.number_log import NumberLog, ShownNumber, numbers_in
from scenes.toolkit.off_screen import OffScreenCheck
from scenes.toolkit.play_log import (
    PlayRecord,
    animation_name,
    call_site,
    play_kind,
    repo_path,
    shown_by,
)
from scenes.toolkit.read_time import ReadTimeCheck
from scenes.toolkit.text_harvest import ShownText, TextHarvest

__all__ = ["LAYOUT_SAMPLE_EVERY", "TIMELINE_VERSION", "TimelineScene", "TimelineThreeDScene"]

TIMELINE_VERSION = 3
"""Version 2 added ``numbers``: every number shown, by value; 3 the layout check's findings."""
LAYOUT_SAMPLE_EVERY = 1.0
"""Seconds between the layout check's looks inside a long play (besides the one at its end)."""


class TimelineScene(Scene):
    """A Manim scene that records its timeline; every segment of the video derives from it."""

    inputs_read: InputsRead = InputsRead()
    """What the render read (the trace files it loaded), filled while :meth:`render` runs."""

    def setup(self) -> None:
        """Start an empty timeline."""
        super().setup()
        self.timeline: list[PlayRecord] = []
        self.text_harvest = TextHarvest()
        self.number_log = NumberLog()
        self.off_screen_check = OffScreenCheck()
        self.layout_check = LayoutCheck()
        self.read_time_check = ReadTimeCheck(self.layout_check)
        self._next_layout_look = LAYOUT_SAMPLE_EVERY
        self.anchors: list[Anchor] = []
        self.credit_blocks: list[dict[str, Any]] = []
        self.current_beat: str | None = None
        self._play_start = 0.0
        self._numbers_playing: list[DecimalNumber] = []
        self._scene_file = str(Path(inspect.getfile(type(self))).resolve())
        after_each_frame(self, self._at_frame)
        step_plays_before_range(self)

    @property
    def shown_texts(self) -> list[ShownText]:
        """Every string shown so far, in the order they first appeared."""
        return self.text_harvest.shown

    @property
    def shown_numbers(self) -> list[ShownNumber]:
        """Every number shown so far, with the values it took, in the order they first appeared."""
        return self.number_log.shown

    def render(self, preview: bool = False) -> None:
        """Render as Manim does; an error the user can fix ends it with one line, not a traceback.

        A missing trace, a bad take or lexicon entry print what went wrong and the fix; a
        scene's own error keeps its traceback, and so does every error under ``DEBUG=1``.
        """
        try:
            with recording_inputs() as self.inputs_read:
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
        start = self._play_start = float(self.time)
        self._next_layout_look = LAYOUT_SAMPLE_EVERY
        shown = shown_by(args)
        self.text_harvest.note(shown, index, start, site)
        self._numbers_playing = numbers_in([*self.mobjects, *shown])  # read at every frame
        self.number_log.note(self._numbers_playing, index, start, site)
        super().play(
            *args,
            subcaption=subcaption,
            subcaption_duration=subcaption_duration,
            subcaption_offset=subcaption_offset,
            **kwargs,
        )
        end = float(self.time)
        names = [animation_name(a) for a in args]
        record = PlayRecord(index, play_kind(args), names, start, end, site, subcaption)
        record.beat = self.current_beat
        self.timeline.append(record)
        self.text_harvest.note(self.mobjects, index, end, site)
        self.number_log.note(numbers_in(self.mobjects), index, end, site)
        self.off_screen_check.note(self._frame_mobjects(), index, end, site)
        self.layout_check.note(self._frame_mobjects(), index, end, site)
        self.read_time_check.note(self._frame_mobjects(), index, start, end, site)
        for anchor in self.anchors:
            anchor.measure(end, index)

    def _at_frame(self, t: float) -> None:
        """At every frame of a play: measure the anchors, read the numbers on screen."""
        time = self._play_start + t
        for anchor in self.anchors:
            anchor.measure(time, len(self.timeline))
        self.number_log.read(self._numbers_playing, time)
        if t >= self._next_layout_look:  # a look inside a long play
            self._next_layout_look += LAYOUT_SAMPLE_EVERY
            site = call_site(self._scene_file)
            self.layout_check.note(
                self._frame_mobjects(), len(self.timeline), time, site, in_play=True
            )

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
        site = call_site(self._scene_file)
        self.anchors.append(Anchor.on(mobject, name=name, site=site, edge=edge, axes=axes))
        return mobject

    def place_label(
        self,
        label: Mobject,
        target: Mobject,
        direction: np.ndarray = DOWN,
        buff: float = 0.15,
    ) -> Mobject:
        """Put ``label`` beside ``target`` (towards ``direction``) and link it to what it names."""
        label.next_to(target, direction, buff=buff)
        return self.link_label(label, target)

    def link_label(
        self,
        label: Mobject,
        target: Mobject,
        pointer: Mobject | None = None,
        *,
        level: bool = False,
    ) -> Mobject:
        """Link ``label`` to the thing it names, and to the arrow or line pointing there.

        The layout check reports a linked label that sits away from its target with no
        pointer, or whose pointer does not reach from it to the target. A ``level`` label is a
        row that belongs to its target (an output neuron's value): it must stay level with it.
        """
        site = call_site(self._scene_file)
        self.layout_check.labels.append(LinkedLabel(label, target, pointer, site, level))
        return label

    def credit(self, title: str, lines: Sequence[str]) -> None:
        """Record a block of the video's credits as shown (the release's description lists it)."""
        self.credit_blocks.append({"title": title, "lines": list(lines)})

    def allow(self, kind: str, mobject: Mobject, reason: str) -> Mobject:
        """Allow a layout fault of ``kind`` that involves ``mobject``, and say why.

        ``kind`` is one of ``"overlap"``, ``"too small"``, ``"at the edge"`` or ``"far from its
        target"``. ``make review`` lists every allowance with its reason.
        """
        self.layout_check.allow(kind, mobject, reason, call_site(self._scene_file))
        return mobject

    def _frame_mobjects(self) -> list[Mobject]:
        """The top-level mobjects drawn flat in the frame: the off-screen and layout checks'."""
        return list(self.mobjects)

    def timeline_data(self) -> dict[str, Any]:
        """Everything recorded, as JSON-ready data."""
        return {
            "version": TIMELINE_VERSION,
            "scene": type(self).__name__,
            "file": repo_path(self._scene_file),
            "duration": float(self.time),
            "plays": [asdict(p) for p in self.timeline],
            "texts": [asdict(t) for t in self.shown_texts],
            "numbers": [n.as_json() for n in self.shown_numbers],
            "anchors": [a.as_json() for a in self.anchors],
            "off_screen": [asdict(o) for o in self.off_screen_check.found],
            "layout": [asdict(f) for f in self.layout_check.found],
            "layout_exceptions": [e.as_json() for e in self.layout_check.exceptions],
            "credits": self.credit_blocks,
            **self.inputs_read.as_json(),
        }

    def tear_down(self) -> None:
        """Write the timeline beside the video Manim is writing, whole (never half a file)."""
        super().tear_down()
        self.read_time_check.finish(float(self.time), "the end of the scene")
        movie = movie_path(self)
        if movie is None:
            return  # no video (dry run, still image): the timeline stays in memory
        timeline = json.dumps(self.timeline_data(), indent=1) + "\n"
        write_text_atomically(movie.with_suffix(".timeline.json"), timeline)


class TimelineThreeDScene(TimelineScene, ThreeDScene):
    """A 3-D scene that records its timeline like :class:`TimelineScene`.

    Only the mobjects fixed in the frame (titles, legends, counters) are checked for text
    off screen: the others live in 3-D and move with the camera. Its camera is Manim's, with
    less work per frame (:class:`QuickThreeDCamera`).
    """

    drawn_with: type[ThreeDCamera] = QuickThreeDCamera
    """The camera class that draws the frames."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(camera_class=self.drawn_with, **kwargs)

    def _frame_mobjects(self) -> list[Mobject]:
        flat = set(map(id, flat_on_screen(self)))
        return [mobject for mobject in self.mobjects if id(mobject) in flat]

    def pin_to_screen(self, *mobjects: Mobject) -> None:
        """Draw ``mobjects`` flat on the screen, still as the camera turns; a later play shows them.

        Call it again after a change that makes new parts (a number's new value makes new
        digits), so that they are drawn flat too.
        """
        keep_flat_on_screen(self, *mobjects)

    def face_the_camera(self, *mobjects: Mobject) -> None:
        """Keep ``mobjects`` at their place in 3-D, turned to the camera as it moves.

        For labels on axes; a later play shows them.
        """
        keep_facing_the_camera(self, *mobjects)

    def lay_for_top_view(self, image: ImageMobject) -> ImageMobject:
        """Place ``image``, lying flat, where the camera looking straight down draws it in place.

        Call it once the camera has stopped there.
        """
        return lay_image_for_top_view(self, image)
