"""Every use of Manim's private or internal API: a Manim upgrade is this one file and its tests.

The toolkit needs a few things Manim does not offer as public API: the string a number draws, a
call at every frame of a play, where the movie goes, axes that meet at a corner, text that does
not wrap at the render's pixel width, which mobjects a 3-D camera draws flat on the screen, an
image the 3-D camera draws in its place, what ``mob.animate`` builds, a renderer that draws
nothing, and plays before a ``-n START,END`` range stepped as if drawn. Each is one small
function here; ``tests/test_manim_internals.py`` holds a contract test per function that fails
when Manim changes what the function relies on. Nothing else in the project reaches into Manim's
insides (the scene clock is Manim's public :attr:`~manim.scene.scene.Scene.time`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from manim import (
    Axes,
    DecimalNumber,
    ImageMobject,
    Mobject,
    Scene,
    Text,
    ThreeDAxes,
    ThreeDCamera,
    VMobject,
    config,
)
from manim.camera.camera import Camera

__all__ = [
    "LAYOUT_PIXELS",
    "CornerAxes",
    "QuickThreeDAxes",
    "QuickThreeDCamera",
    "UnwrappedText",
    "after_each_frame",
    "flat_on_screen",
    "is_animation_builder",
    "keep_facing_the_camera",
    "keep_flat_on_screen",
    "lay_image_for_top_view",
    "movie_path",
    "number_text",
    "played_to_the_end",
    "step_plays_before_range",
    "without_frames",
]


def number_text(number: DecimalNumber) -> str:
    """The characters ``number`` draws for its value, one glyph each (``"-1,234.50"``).

    Manim formats it with ``DecimalNumber._get_num_string`` and draws one glyph per character.
    """
    return number._get_num_string(number.number)


class CornerAxes(Axes):
    """Axes whose lines meet at the lower-left corner of their ranges, not at zero.

    For a map whose ranges hold zero inside (a plane centred on a network): Manim's
    :class:`~manim.Axes` draws its lines through zero, across the map. Its private
    ``_origin_shift`` decides where the lines meet, both for drawing and for ``coords_to_point``.
    Zero keeps its tick and its number, which plain axes drop (``_create_axis``) because their
    lines cross there.
    """

    def _create_axis(self, range_terms: Any, axis_config: dict[str, Any], length: float) -> Any:
        keep_zero = {"exclude_origin_tick": False, "numbers_to_exclude": []}
        return super()._create_axis(range_terms, {**axis_config, **keep_zero}, length)

    @staticmethod
    def _origin_shift(axis_range: Any) -> float:
        return float(axis_range[0])


LAYOUT_PIXELS = (16384, 9216)
"""The page Pango lays a text out on: wide enough that no line of the video wraps."""


class UnwrappedText(Text):
    """A :class:`~manim.Text` whose lines break only where its string does, at any quality.

    Manim's ``Text._text2svg`` has Pango wrap lines at ``config.pixel_width``: at the tests'
    192-pixel quality a caption breaks onto two lines that are one line at 480p, and since the
    SVG cache's key (``_text2hash``) leaves the width out, the first render's wrapping sticks.
    This lays every text out on :data:`LAYOUT_PIXELS`, under a key of its own.
    """

    def _text2hash(self, color: Any) -> str:
        return "unwrapped-" + super()._text2hash(color)

    def _text2svg(self, color: Any) -> str:
        width, height = config.pixel_width, config.pixel_height
        try:
            config.pixel_width, config.pixel_height = LAYOUT_PIXELS
            return super()._text2svg(color)
        finally:
            config.pixel_width, config.pixel_height = width, height


def after_each_frame(scene: Scene, callback: Callable[[float], None]) -> None:
    """Call ``callback(t)`` at every frame of ``scene``'s plays, once the frame is updated.

    ``t`` is the time since the play began; every animation and updater has been advanced to it.
    Manim advances a play with ``Scene.update_to_time(t)``: this wraps that hook of ``scene``
    (once per scene; a scene skipping its animations calls it once per play, at its end).
    """
    advance = scene.update_to_time

    def update_to_time(t: float) -> None:
        advance(t)
        callback(t)

    scene.update_to_time = update_to_time


def movie_path(scene: Scene) -> Path | None:
    """Where Manim writes ``scene``'s movie; ``None`` when it writes none (a dry run, an image)."""
    try:
        return Path(scene.renderer.file_writer.movie_file_path)
    except AttributeError:
        return None


def flat_on_screen(scene: Scene) -> list[Mobject]:
    """The mobjects a 3-D scene's camera draws flat on the screen, whatever the camera does."""
    return list(scene.renderer.camera.fixed_in_frame_mobjects)


def keep_flat_on_screen(scene: Scene, *mobjects: Mobject) -> None:
    """Draw ``mobjects`` and all their parts flat on the screen, without adding them to ``scene``.

    For a mobject already fixed in the frame whose parts were made anew (a number's
    ``set_value`` makes new glyphs): ``ThreeDScene.add_fixed_in_frame_mobjects`` would also add
    it to the scene again, on top of everything.
    """
    scene.renderer.camera.add_fixed_in_frame_mobjects(*mobjects)


def keep_facing_the_camera(scene: Scene, *mobjects: Mobject) -> None:
    """Draw ``mobjects`` where they stand in 3-D but always turned to face the camera.

    Like ``ThreeDScene.add_fixed_orientation_mobjects`` without adding them to ``scene``, so
    that a later play shows them.
    """
    scene.renderer.camera.add_fixed_orientation_mobjects(*mobjects)


def lay_image_for_top_view(scene: Scene, image: ImageMobject) -> ImageMobject:
    """Shift ``image``, lying flat in 3-D, so that a camera looking straight down draws it in place.

    Manim 0.22's Cairo camera takes the frame centre off every point twice: once when the 3-D
    camera projects it, once more when it turns it into pixels. For vector mobjects the second
    time uses the frame centre of the first frame drawn (it is kept in a cached Cairo context);
    for images, the frame centre of now. Once the camera has moved, an image shows shifted
    against the vector mobjects by the difference, over the zoom; this shift undoes it.
    """
    camera = scene.renderer.camera
    if abs(camera.get_phi()) > 1e-6:
        raise ValueError("lay_image_for_top_view needs the camera looking straight down (phi 0)")
    now = np.array(camera.frame_center, dtype=float)[:2]
    context = camera.get_cached_cairo_context(camera.pixel_array)
    if context is None:  # nothing drawn yet: the context will be made with today's centre
        return image
    matrix = context.get_matrix()
    x_scale = camera.pixel_width / camera.frame_width
    y_scale = camera.pixel_height / camera.frame_height
    drawn = np.array([(camera.pixel_width / 2 - matrix.x0) / x_scale,
                      (matrix.y0 - camera.pixel_height / 2) / y_scale])  # fmt: skip
    return image.shift(np.array([*(now - drawn), 0.0]) / camera.get_zoom())


def is_animation_builder(animation: Any) -> bool:
    """Whether ``animation`` is what ``mob.animate...`` returns (Manim's ``_AnimationBuilder``)."""
    return type(animation).__name__ == "_AnimationBuilder"


def without_frames(scene: Scene) -> Scene:
    """``scene``, set to play through to its end without drawing any frame.

    For builds that check a scene rather than render it (the tests): every animation still runs
    to its end state and the timeline records it, but Manim's renderer draws no still frames,
    which are most of a skipped scene's time.
    """
    scene.renderer.update_frame = lambda *args, **kwargs: None
    scene.renderer.save_static_frame_data = lambda *args, **kwargs: None
    return scene


def played_to_the_end(scene: Scene) -> bool:
    """Whether ``scene`` played all its animations, not stopped at a ``-n START,END`` range's end.

    Manim stops a scene by raising ``EndSceneEarlyException`` at the play after END, once its
    renderer has counted END + 1 plays.
    """
    return scene.renderer.num_plays <= config.upto_animation_number


def step_plays_before_range(scene: Scene) -> None:
    """Make the plays Manim skips before a ``-n START,END`` range advance ``scene`` as if drawn.

    Manim's ``CairoRenderer.play`` moves a play it skips in one step (``get_time_progression``
    gives ``[run_time]``), adds its whole run time to the clock where a drawn play adds a frame's
    time per frame written (``add_frame``; ``int(duration / dt)`` frames for a still wait), and
    leaves out the ``update_mobjects(0)`` that ends a drawn play. Updaters that integrate time,
    clocks read inside a play and the beats' times would then drift from the whole render's.
    Here such a play runs every frame of the whole render, with the same additions to the clock,
    and writes none. It draws what Manim draws of any skipped play (its still background), and
    a moving frame only until Cairo's context exists, which keeps the frame centre of the first
    frame drawn. A chunk rendered with ``-n`` then starts from the whole render's state at its
    first play, and a chunk that runs to the end writes the whole render's timeline and subtitles.
    """
    _PlayStepper(scene).install()


class _PlayStepper:
    """The hooks of :func:`step_plays_before_range`, around Manim's own methods of one scene."""

    RENDERER_HOOKS = ("play", "render", "freeze_current_frame")
    SCENE_HOOKS = ("begin_animations", "get_time_progression", "play_internal")

    def __init__(self, scene: Scene) -> None:
        self.scene, self.renderer = scene, scene.renderer
        self.stepping, self.start = False, 0.0
        self.manims = {name: getattr(self.renderer, name) for name in self.RENDERER_HOOKS}
        self.manims |= {name: getattr(scene, name) for name in self.SCENE_HOOKS}

    def install(self) -> None:
        """Put the hooks in place of Manim's methods on the scene and its renderer."""
        for owner, names in ((self.renderer, self.RENDERER_HOOKS), (self.scene, self.SCENE_HOOKS)):
            for name in names:
                setattr(owner, name, getattr(self, name))

    @property
    def frame_time(self) -> float:
        """Seconds of one frame."""
        return 1 / self.renderer.camera.frame_rate

    def play(self, scene: Scene, *args: Any, **kwargs: Any) -> None:
        """Manim's play; stepped when Manim skips it only because it lies before the range."""
        first = config.from_animation_number
        self.stepping = (first > 0 and self.renderer.num_plays < first
                         and not self.renderer._original_skipping_status)  # fmt: skip
        self.start = self.renderer.time
        try:
            self.manims["play"](scene, *args, **kwargs)
        finally:
            self.stepping = False

    def begin_animations(self) -> None:
        """Manim's; a stepped play's clock goes back to its start (Manim added its run time)."""
        self.manims["begin_animations"]()
        if self.stepping:
            self.renderer.time = self.start

    def get_time_progression(self, *args: Any, **kwargs: Any) -> Any:
        """Manim's; every frame's time for a stepped play, as for a drawn one."""
        if self.stepping:
            kwargs["override_skip_animations"] = True
        return self.manims["get_time_progression"](*args, **kwargs)

    def render(self, scene: Scene, time: float, moving: Any = None) -> None:
        """Manim's frame; for a stepped play, the clock of one frame written, and no frame."""
        if not self.stepping:
            self.manims["render"](scene, time, moving)
            return
        camera = self.renderer.camera
        if camera.get_cached_cairo_context(camera.pixel_array) is None:
            self.renderer.update_frame(scene, moving)
        self.renderer.time += 1 * self.frame_time

    def freeze_current_frame(self, duration: float) -> None:
        """Manim's still frame; for a stepped play, the clock of its whole frames only."""
        if not self.stepping:
            self.manims["freeze_current_frame"](duration)
            return
        self.renderer.time += int(duration / self.frame_time) * self.frame_time

    def play_internal(self, *args: Any, **kwargs: Any) -> None:
        """Manim's; a stepped play ends, as a drawn one does, with ``update_mobjects(0)``."""
        self.manims["play_internal"](*args, **kwargs)
        if self.stepping:
            self.scene.update_mobjects(0)


_CACHE_LIMIT = 50_000
"""Entries a :class:`QuickThreeDCamera` cache holds before it starts again (a few MB)."""


class QuickThreeDCamera(ThreeDCamera):
    """Manim's 3-D camera, drawing the same pixels with less work per frame.

    Manim's ``ThreeDCamera`` works out, at every frame and for every face of a surface, its
    shading (``modified_rgbas``: the face's normals and its light) and its depth point
    (``get_mobjects_to_display`` sorts faces far to near by ``get_z_index_reference_point``).
    Both depend only on the face's points and colours, which stay the same while the camera
    moves: this camera keeps them, keyed by the points' and colours' bytes, and works them out
    again only for a face that changed. A label turned to the camera asks for its centre once
    per frame instead of once per glyph. The sums are Manim's own, so the frames are the same
    bit for bit (``tests/test_manim_internals.py``).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shading: dict[tuple[bytes, bytes, bytes], np.ndarray] = {}
        self._depth_points: dict[bytes, np.ndarray] = {}
        self._frames = 0
        self._drawing = False

    def capture_mobjects(self, mobjects: Any, **kwargs: Any) -> None:
        """Draw a frame; what is kept for one frame is kept while it is drawn, and no longer."""
        self._frames += 1
        self._drawing = True
        try:
            super().capture_mobjects(mobjects, **kwargs)
        finally:
            self._drawing = False

    def modified_rgbas(self, vmobject: VMobject, rgbas: np.ndarray) -> np.ndarray:
        """Manim's shading of ``vmobject``'s colours, worked out once for its points and colours."""
        if not (self.should_apply_shading and vmobject.shade_in_3d and vmobject.has_points()):
            return rgbas
        key = (vmobject.points.tobytes(), np.asarray(rgbas).tobytes(),
               self.light_source.points[0].tobytes())  # fmt: skip
        shaded = self._shading.get(key)
        if shaded is None:
            shaded = super().modified_rgbas(vmobject, rgbas)
            _keep(self._shading, key, shaded)
        return shaded

    def get_mobjects_to_display(self, *args: Any, **kwargs: Any) -> list[Mobject]:
        """Manim's order, far to near, with each face's depth point kept while it stays put."""
        mobjects = Camera.get_mobjects_to_display(self, *args, **kwargs)
        rotation = self.get_rotation_matrix()

        def depth(mobject: Mobject) -> float:
            if not getattr(mobject, "shade_in_3d", False):
                return np.inf
            return float(np.dot(self._depth_point(mobject), rotation.T)[2])

        return sorted(mobjects, key=depth)

    def _depth_point(self, mobject: Mobject) -> np.ndarray:
        """``mobject.get_z_index_reference_point()``, kept for a lone face by its points."""
        if mobject.submobjects or hasattr(mobject, "z_index_group"):
            return mobject.get_z_index_reference_point()
        key = mobject.points.tobytes()
        point = self._depth_points.get(key)
        if point is None:
            point = mobject.get_z_index_reference_point()
            _keep(self._depth_points, key, point)
        return point

    def add_fixed_orientation_mobjects(
        self,
        *mobjects: Mobject,
        use_static_center_func: bool = False,
        center_func: Callable[[], np.ndarray] | None = None,
    ) -> None:
        """Manim's, with the centre each part turns about worked out once per frame."""
        if use_static_center_func:
            super().add_fixed_orientation_mobjects(*mobjects, use_static_center_func=True)
            return
        for mobject in mobjects:
            centre = center_func or mobject.get_center
            super().add_fixed_orientation_mobjects(mobject, center_func=self._once_a_frame(centre))

    def _once_a_frame(self, function: Callable[[], np.ndarray]) -> Callable[[], np.ndarray]:
        """``function``, called at most once while a frame is drawn (nothing moves meanwhile)."""
        kept: dict[int, np.ndarray] = {}

        def once() -> np.ndarray:
            if not self._drawing:
                return function()
            if self._frames not in kept:
                kept.clear()
                kept[self._frames] = function()
            return kept[self._frames]

        return once


def _keep(cache: dict, key: Any, value: Any) -> None:
    """Put ``value`` in ``cache``; a full cache is emptied first (a scene rarely fills one)."""
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = value


class QuickThreeDAxes(ThreeDAxes):
    """Manim's 3-D axes, whose pieces share the work of their shading.

    Each axis is drawn in pieces (``num_axis_pieces``), and Manim gives every piece a function
    that works out the whole axis's ends towards and away from the light
    (``ThreeDAxes._set_axis_shading``), at every frame: a fifth of the time of the cost
    surface's camera moves went there. Here the pieces of an axis share one answer, worked out
    again only when the axis's points change. The sums are Manim's own: the same pixels.
    """

    def _set_axis_shading(self) -> None:
        super()._set_axis_shading()
        for axis in self:
            ends = _ends_towards(axis, self.light_source)
            for piece in axis.family_members_with_points():
                piece.get_gradient_start_and_end_points = ends


def _ends_towards(axis: Mobject, light: np.ndarray) -> Callable[[], tuple]:
    """``axis``'s edge centres away from and towards ``light``, kept while its points stay."""
    kept: dict[bytes, tuple] = {}

    def ends() -> tuple:
        key = b"".join(part.points.tobytes() for part in axis.family_members_with_points())
        if key not in kept:
            kept.clear()
            kept[key] = (axis.get_edge_center(-light), axis.get_edge_center(light))
        return kept[key]

    return ends
