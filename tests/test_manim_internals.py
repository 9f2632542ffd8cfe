"""Contracts of scenes/toolkit/manim_internals.py: each fails when Manim changes what we rely on.

One test per function there. After a Manim upgrade, a failure here names the function to
mend; nothing else in the project reaches into Manim's insides.
"""

from __future__ import annotations

import numpy as np
import pytest
from manim import (
    DEGREES,
    RIGHT,
    Circle,
    DecimalNumber,
    Dot,
    FadeIn,
    ImageMobject,
    Integer,
    Scene,
    Square,
    Surface,
    Text,
    ThreeDAxes,
    ThreeDCamera,
    ThreeDScene,
    UpdateFromAlphaFunc,
    ValueTracker,
    Wait,
    config,
    linear,
    tempconfig,
)

from scenes.toolkit.manim_internals import (
    CornerAxes,
    QuickThreeDAxes,
    QuickThreeDCamera,
    UnwrappedText,
    after_each_frame,
    flat_on_screen,
    is_animation_builder,
    keep_facing_the_camera,
    keep_flat_on_screen,
    lay_image_for_top_view,
    movie_path,
    number_text,
    played_to_the_end,
    step_plays_before_range,
    without_frames,
)

TINY = {"pixel_width": 64, "pixel_height": 36, "frame_rate": 5, "disable_caching": True,
        "progress_bar": "none", "verbosity": "WARNING"}  # fmt: skip
"""A render small and slow enough to be quick: frames five times a second."""


@pytest.mark.parametrize(
    "make, drawn",
    [  # made in the test, not at collection: workers collecting at once raced on Manim's TeX cache
        (lambda: DecimalNumber(-1234.5, num_decimal_places=2), "-1,234.50"),
        (lambda: DecimalNumber(0.25, num_decimal_places=3, include_sign=True), "+0.250"),
        (lambda: DecimalNumber(12000, num_decimal_places=0, group_with_commas=False), "12000"),
        (lambda: Integer(13002), "13,002"),
    ],
    ids=["-1,234.50", "+0.250", "12000", "13,002"],
)
def test_number_text_is_the_string_a_number_draws_one_glyph_per_character(make, drawn):
    number = make()
    assert number_text(number) == drawn
    assert "".join(glyph.tex_string for glyph in number.submobjects) == drawn
    number.set_value(-7)
    assert "".join(glyph.tex_string for glyph in number.submobjects) == number_text(number)
    assert number_text(number).lstrip("-").startswith("7")


def test_after_each_frame_is_called_at_every_frame_with_the_play_time_once_updated():
    calls: list[tuple[float, float, float]] = []

    class Count(Scene):
        def construct(self) -> None:
            tracker = ValueTracker(0)
            after_each_frame(self, lambda t: calls.append((t, self.time, tracker.get_value())))
            self.wait(0.4)  # a still frame: nothing to update
            self.play(tracker.animate(rate_func=linear).set_value(10), run_time=1)

    with tempconfig({**TINY, "dry_run": True}):
        Count().render()
    times = [t for t, _, _ in calls]
    np.testing.assert_allclose(times, [0, 0.2, 0.4, 0.6, 0.8])  # the play's frames
    for t, clock, value in calls:
        assert clock == pytest.approx(0.4 + t)  # Scene.time: the play began at 0.4
        assert value == pytest.approx(10 * t)  # the animation has reached t

    calls.clear()
    with tempconfig({**TINY, "dry_run": True}):
        Count(skip_animations=True).render()
    assert [t for t, _, _ in calls] == [1]  # skipping: once, at the play's end
    assert calls[0][1:] == pytest.approx((1.4, 10))


def test_movie_path_is_where_the_file_writer_writes_the_movie(tmp_path):
    seen: dict[str, object] = {}

    class Short(Scene):
        def construct(self) -> None:
            self.play(FadeIn(Square()), run_time=0.4)

        def tear_down(self) -> None:
            seen["path"] = movie_path(self)

    with tempconfig({**TINY, "media_dir": str(tmp_path)}):
        Short().render()
    path = seen["path"]
    assert path.suffix == ".mp4" and path.is_file() and path.stat().st_size > 0
    assert path.is_relative_to(tmp_path)

    with tempconfig({**TINY, "media_dir": str(tmp_path / "dry"), "dry_run": True}):
        Short().render()
    assert seen["path"] is None  # no movie written, no path


def test_flat_on_screen_lists_the_fixed_in_frame_and_keep_flat_on_screen_adds_new_parts():
    with tempconfig(TINY):
        scene = ThreeDScene()
    readout, other = DecimalNumber(1, num_decimal_places=0), Square()
    scene.add_fixed_in_frame_mobjects(readout)
    scene.add(other)
    assert set(readout.get_family()) <= set(flat_on_screen(scene))
    assert other not in flat_on_screen(scene)

    readout.set_value(1000)  # new glyphs, which Manim does not fix in the frame by itself
    assert not set(readout.get_family()) <= set(flat_on_screen(scene))
    keep_flat_on_screen(scene, readout)
    assert set(readout.get_family()) <= set(flat_on_screen(scene))
    assert scene.mobjects == [readout, other]  # not added again, nor moved on top


def test_keep_facing_the_camera_turns_a_label_to_the_camera_without_adding_it():
    with tempconfig(TINY):
        scene = ThreeDScene()
    name = Square()
    keep_facing_the_camera(scene, name)
    assert name in scene.renderer.camera.fixed_orientation_mobjects
    assert scene.mobjects == []  # a later play shows it


def _lit_centre(frame: np.ndarray) -> np.ndarray:
    """Column and row of the middle of the frame's lit pixels."""
    rows, columns = np.nonzero(frame[:, :, :3].max(axis=2) > 128)
    return np.array([columns.mean(), rows.mean()])


def test_lay_image_for_top_view_draws_an_image_where_a_square_of_its_place_is_drawn():
    place = np.array([1.0, 0.5, -1.0])
    centres = {}
    for kind in ("square", "image", "image unlaid"):
        with tempconfig({**TINY, "pixel_width": 160, "pixel_height": 90}):
            scene = ThreeDScene()
            scene.set_camera_orientation(phi=0, theta=-90 * DEGREES, zoom=2)
            scene.renderer.update_frame(scene, [Square()])  # a first frame, the frame centred
            scene.set_camera_orientation(frame_center=[0.7, -0.4, -1.0])  # as move_camera does
            if kind == "square":
                shape = Square(side_length=0.5, fill_opacity=1, stroke_width=0).move_to(place)
            else:
                shape = ImageMobject(np.full((8, 8, 3), 255, dtype=np.uint8))
                shape.height = 0.5
                shape.move_to(place)
                if kind == "image":
                    lay_image_for_top_view(scene, shape)
            scene.add(shape)
            scene.renderer.update_frame(scene)
            centres[kind] = _lit_centre(scene.renderer.get_frame())
    np.testing.assert_allclose(centres["image"], centres["square"], atol=1.0)
    assert np.abs(centres["image unlaid"] - centres["square"]).max() > 5  # Manim's quirk is real
    with tempconfig(TINY):
        tilted = ThreeDScene()
        tilted.set_camera_orientation(phi=60 * DEGREES)
        with pytest.raises(ValueError, match="straight down"):
            lay_image_for_top_view(tilted, ImageMobject(np.zeros((2, 2, 3), dtype=np.uint8)))


def test_corner_axes_meet_at_the_lower_left_corner_and_keep_ticks_on_round_values():
    axes = CornerAxes(x_range=[-21.5, 108.5, 20], y_range=[-6.5, 31.5, 10], x_length=9,
                      y_length=3, tips=False)  # fmt: skip
    corner = axes.c2p(-21.5, -6.5)
    assert np.allclose(corner, axes.x_axis.get_start())
    assert np.allclose(corner, axes.y_axis.get_start())
    far_corner = [axes.x_axis.get_end()[0], axes.y_axis.get_end()[1], 0]
    assert np.allclose(axes.c2p(108.5, 31.5), far_corner)
    assert np.allclose(axes.c2p(0, 0) - corner, [9 * 21.5 / 130, 3 * 6.5 / 38, 0])
    axes.add_coordinates()
    for axis in (axes.x_axis, axes.y_axis):
        assert 0 in [round(float(t)) for t in axis.get_tick_range()]
        assert 0 in [round(float(n.get_value())) for n in axis.numbers]


def test_unwrapped_text_keeps_a_long_line_whole_where_manims_text_wraps_it(tmp_path):
    long = "784 x 16 + 16 x 16 + 16 x 10 weights + 16 + 16 + 10 biases = 13,002"
    with tempconfig({"pixel_width": 192, "pixel_height": 108, "media_dir": str(tmp_path)}):
        wrapped, whole, one_line = Text(long), UnwrappedText(long), UnwrappedText("784 weights")
        assert (config.pixel_width, config.pixel_height) == (192, 108)  # given back
    assert wrapped.height > 1.8 * one_line.height  # Manim's own Text breaks it at 192 pixels
    assert whole.height == pytest.approx(one_line.height, rel=0.05)
    assert whole.width > 2 * wrapped.width


def test_is_animation_builder_knows_what_animate_returns():
    square = Square()
    assert is_animation_builder(square.animate)
    assert is_animation_builder(square.animate.shift(RIGHT).scale(2))
    assert not is_animation_builder(FadeIn(square))
    assert not is_animation_builder(square)


def _end_state_scene() -> type[Scene]:
    class EndState(Scene):
        def construct(self) -> None:
            self.square = Square(color="#ffffff", fill_opacity=1)
            self.number = DecimalNumber(0, num_decimal_places=0)
            self.play(FadeIn(self.square), FadeIn(self.number))
            count = UpdateFromAlphaFunc(self.number, lambda n, a: n.set_value(100 * a))
            self.play(self.square.animate.shift(2 * RIGHT), count)
            self.wait(0.5)

    return EndState


@pytest.mark.parametrize("frameless", [True, False])
def test_without_frames_runs_a_scene_to_its_end_state_and_draws_nothing(frameless):
    for method in ("update_frame", "save_static_frame_data"):  # what without_frames replaces
        assert callable(getattr(Scene().renderer, method))
    with tempconfig({**TINY, "dry_run": True}):
        scene = _end_state_scene()(skip_animations=True)
        if frameless:
            without_frames(scene)
        scene.render()
    np.testing.assert_allclose(scene.square.get_center(), [2, 0, 0])
    assert scene.number.get_value() == 100
    pixels = scene.renderer.camera.pixel_array
    drew = bool((pixels != pixels[0, 0]).any())  # anything but the background
    assert drew is not frameless  # Manim draws the still frames; without_frames stops it


def _three_d_frames(camera_class: type, axes_class: type) -> list[np.ndarray]:
    """A shaded surface, 3-D axes and a label facing the camera, seen from three places."""
    with tempconfig({**TINY, "pixel_width": 160, "pixel_height": 90}):
        camera = camera_class()
        axes = axes_class(x_range=[-2, 2, 1], y_range=[-2, 2, 1], z_range=[0, 2, 1])
        surface = Surface(lambda u, v: axes.c2p(u, v, 1 + 0.5 * np.sin(u) * np.cos(v)),
                          u_range=[-2, 2], v_range=[-2, 2], resolution=(6, 6))  # fmt: skip
        surface.set_fill_by_value(axes=axes, colorscale=["#1f3b73", "#e3b505"], axis=2)
        name = Text("height", font_size=24).move_to(axes.c2p(2, 0, 2))
        camera.add_fixed_orientation_mobjects(name)
        frames = []
        for phi, theta in [(60, 30), (70, 120), (45, 250)]:
            camera.set_phi(phi * DEGREES)
            camera.set_theta(theta * DEGREES)
            camera.reset()
            camera.capture_mobjects([axes, surface, name])
            frames.append(camera.pixel_array.copy())
        surface.shift(0.3 * RIGHT)  # a changed face is shaded and sorted anew
        camera.reset()
        camera.capture_mobjects([axes, surface, name])
        frames.append(camera.pixel_array.copy())
    return frames


def test_quick_three_d_camera_and_axes_draw_manims_pixels_and_shade_each_face_once(monkeypatch):
    shadings: list[str] = []
    shade = ThreeDCamera.modified_rgbas
    monkeypatch.setattr(ThreeDCamera, "modified_rgbas",
                        lambda self, *args: shadings.append(type(self).__name__)
                        or shade(self, *args))  # fmt: skip
    manims = _three_d_frames(ThreeDCamera, ThreeDAxes)
    quick = _three_d_frames(QuickThreeDCamera, QuickThreeDAxes)
    for before, after in zip(manims, quick, strict=True):
        np.testing.assert_array_equal(before, after)
    assert len({frame.tobytes() for frame in quick}) == 4  # the views differ
    # Manim shades every face at each of the 4 frames; the quick camera once per place of the
    # surface (2) and once for the axes, which stay put
    every_frame = shadings.count("ThreeDCamera")
    assert every_frame > 0
    assert shadings.count("QuickThreeDCamera") <= every_frame / 2


class Drift(Scene):
    """A dot that an updater moves by its time step, plays of every kind, and what they leave."""

    stepped = True

    def construct(self) -> None:
        if self.stepped:
            step_plays_before_range(self)
        self.seen: list[tuple[float, float]] = []
        after_each_frame(self, lambda t: self.seen.append((self.time, self.dot.get_x())))
        self.dot = Dot().add_updater(lambda dot, dt: dot.shift(0.37 * dt * RIGHT))
        self.add(self.dot)
        for seconds in (0.7, 0.55, 0.7):  # plays 0 to 2: run times off the frame grid
            self.play(Wait(run_time=seconds, frozen_frame=False))
        self.play(FadeIn(Circle()), run_time=0.45)  # play 3: an animation, the updater running
        self.dot.clear_updaters()
        self.wait(0.55)  # play 4, a still frame: Manim adds its whole frames to the clock at once
        self.play(FadeIn(Square()), run_time=0.5)  # play 5
        self.ended = (self.time, self.dot.get_x())


def test_step_plays_before_range_gives_a_chunk_the_whole_renders_clock_and_state(tmp_path):
    def render(first: int, stepped: bool = True) -> Drift:
        with tempconfig({**TINY, "media_dir": str(tmp_path), "from_animation_number": first}):
            scene = type("Chunk", (Drift,), {"stepped": stepped})()  # its camera at 5 fps
            scene.render()
            scene.whole = played_to_the_end(scene)  # read while Manim's settings are the render's
        return scene

    whole = render(0)
    for first in (3, 4, 5):  # stepped: waits; and an animation; and a still frame
        chunk = render(first)
        assert chunk.whole
        assert chunk.ended == whole.ended, first  # the same clock and place, to the last bit
        assert chunk.seen == whole.seen, first  # every frame of the stepped plays seen as drawn
    assert whole.ended[0] == pytest.approx(3.8)  # 0.8 + 0.6 + 0.8 + 0.6 + 0.4 + 0.6: whole frames
    skipped = render(5, stepped=False)  # Manim's own skipping: one step per play
    assert skipped.ended != whole.ended
    assert len(skipped.seen) < len(whole.seen)


def test_played_to_the_end_is_false_for_a_scene_stopped_at_its_range_end(tmp_path):
    with tempconfig({**TINY, "media_dir": str(tmp_path), "upto_animation_number": 1}):
        scene = Drift()
        scene.render()
        assert not played_to_the_end(scene)
    assert not hasattr(scene, "ended")  # it stopped before its last play
