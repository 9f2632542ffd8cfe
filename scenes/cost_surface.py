"""Segment 7, the cost surface: the network's real cost over a plane, as a 3-D surface.

This file is also the answer to a viewer's question, "how do you animate the 3-D graphs?":

1. The heights come from ``renders/traces/landscape.npz``: the average training cost on a grid
   over the plane of the first two principal directions of the training path (Li et al. 2018).
2. A smooth function of two variables is made from the grid with
   :class:`scipy.interpolate.RectBivariateSpline` (it passes through every grid value;
   ``scenes/toolkit/landscape_surface.py``).
3. :class:`manim.ThreeDAxes` map plane coordinates and heights to scene points (``c2p``); the
   height is the log of the cost, so that the valley floor, a hundred times lower than the
   walls, is visible. :class:`manim.Surface` samples the function on a coarser mesh
   (:func:`surface_mesh`), and ``set_fill_by_value`` colours it by height.
4. The camera moves with ``move_camera`` and an ambient rotation; text that must stay flat on
   the screen is pinned to it with ``pin_to_screen``, labels on the axes turn to face it with
   ``face_the_camera``.
5. To show the gradient in the plane of the inputs, the surface is squashed flat
   (``stretch`` along the height) and the camera looks straight down: a map, coloured by
   height, on which arrows lie. ``Restore`` lifts it back into a surface.
6. Nothing here is about speed: the 3-D camera and axes of the toolkit
   (:class:`~scenes.toolkit.manim_internals.QuickThreeDCamera`, drawn by every
   :class:`TimelineThreeDScene`, and :class:`QuickThreeDAxes`) are Manim's, keeping each face's
   shading and depth while it stays put, so the segment renders at 1080p60 in about twice real
   time. The ball's updater moves things only when the snapshot changes.
7. The scene is narrated (:class:`NarratedScene`): each ``with self.beat(...)`` block plays its
   animations while the voice says its words, and ``run_time=beat.remaining(...)`` makes an
   animation end with them.
"""

from __future__ import annotations

import os

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    DR,
    LEFT,
    OUT,
    RIGHT,
    UL,
    UP,
    Arrow,
    BackgroundRectangle,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    GrowArrow,
    ImageMobject,
    Indicate,
    LaggedStart,
    Restore,
    Sphere,
    Surface,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
)

from nn.errors import SettingError
from nn.traces import load_landscape
from scenes.descent_1d import BALL_COLOURS
from scenes.toolkit.claims import checks_the_data, refuse
from scenes.toolkit.counters import SteadyNumber
from scenes.toolkit.digit_image import pixel_image
from scenes.toolkit.landscape_surface import level_rgb, surface_function
from scenes.toolkit.manim_internals import QuickThreeDAxes
from scenes.toolkit.narration import NarratedScene
from scenes.toolkit.style import (
    BACKGROUND,
    BAD,
    EDGE_BUFF,
    GOOD,
    HEIGHT_COLOURS,
    MUTED,
    NUMBER_SIZE,
    TEXT,
    caption,
    label,
)
from scenes.toolkit.timeline import TimelineThreeDScene

__all__ = [
    "DEFAULT_MESH",
    "CostSurface",
    "PathReadout",
    "downhill_steps_sentence",
    "off_plane_sentence",
    "shrinking_steps_sentence",
    "surface_mesh",
    "valley_sentence",
]

DEFAULT_MESH = 16
"""Faces of the drawn surface along each direction: smooth enough at the sizes it is seen at."""
STEP_BALL = BALL_COLOURS[0]
"""The ball that takes the discrete steps: the colour of the first ball of the 1-D descent."""
PATH_BALL = BALL_COLOURS[2]
"""The ball that follows the real training run."""
FIRST_VIEW = {"phi": 65 * DEGREES, "theta": 245 * DEGREES, "zoom": 0.75}
"""The camera as the axes are drawn: from the corner where they meet."""
SIDE_VIEW = {"phi": 65 * DEGREES, "theta": 215 * DEGREES, "zoom": 0.75}
"""The camera looking into the valley, the training path's slope behind it."""
MAP_VIEW = {"phi": 0.0, "theta": 270 * DEGREES, "zoom": 2.2}
"""The camera looking straight down, close: direction 1 to the right, direction 2 up."""
MAP_DETAIL = 5
"""The smooth map has this many pixels for each cell of the trace's grid."""


def surface_mesh() -> int:
    """Faces of the drawn surface along each direction: ``$GD_SURFACE_MESH``, by default 16.

    Read when called (``make bench`` renders with other meshes); a value that is not a
    positive whole number is a :class:`SettingError` naming the variable.
    """
    text = os.environ.get("GD_SURFACE_MESH", str(DEFAULT_MESH))
    try:
        mesh = int(text)
    except ValueError:
        mesh = 0
    if mesh < 1:
        raise SettingError(
            f"GD_SURFACE_MESH={text!r} is not a positive whole number of faces; "
            f"unset it for the default {DEFAULT_MESH}"
        )
    return mesh


@checks_the_data
def valley_sentence(surface: np.ndarray) -> tuple[str, str]:
    """A valley: across the lowest point, the cost rises at least twice as high on both sides."""
    sentence = "A valley runs through it: the cost rises on both sides of its floor."
    row, column = np.unravel_index(int(surface.argmin()), surface.shape)
    across = surface[:, column]  # along direction 2, through the lowest point
    before, after = across[:row], across[row + 1 :]
    floor = float(surface[row, column])
    walls = [float(side.max()) if side.size else floor for side in (before, after)]
    evidence = f"floor {floor:.3f}; across it the cost rises to {walls[0]:.3f} and {walls[1]:.3f}"
    if min(walls) < 2 * floor:
        raise refuse(sentence, evidence, "Widen MARGIN in nn/landscape.py to take in the walls.")
    return sentence, evidence


@checks_the_data
def shrinking_steps_sentence(points: np.ndarray) -> tuple[str, str]:
    """Steps that end at least five times shorter than the first, as the ground flattens."""
    sentence = (
        "Near the valley floor the ground is nearly flat, so the arrows, and the steps, shrink."
    )
    steps = np.linalg.norm(np.diff(points, axis=0), axis=1)
    evidence = "step lengths " + ", ".join(f"{step:.1f}" for step in steps)
    if steps[-1] > steps[0] / 5:
        raise refuse(sentence, evidence, "Give the plane's descent more PLANE_STEPS.")
    return sentence, evidence


@checks_the_data
def downhill_steps_sentence(costs: np.ndarray) -> tuple[str, str]:
    """Every step of the plane's descent lowered the real cost."""
    sentence = (
        "Lift the map back into a surface: every step went downhill, "
        f"from a cost of {costs[0]:.2f} to {costs[-1]:.3f}."
    )
    evidence = "costs " + ", ".join(f"{cost:.3f}" for cost in costs)
    if np.any(np.diff(costs) >= 0):
        raise refuse(sentence, evidence, "Add a smaller step size to nn/landscape.py PLANE_RATES.")
    return sentence, evidence


@checks_the_data
def off_plane_sentence(true_costs: np.ndarray, surface_costs: np.ndarray) -> tuple[str, str]:
    """The random start far above the plane's surface, the rest of the run close to it."""
    start, below = float(true_costs[0]), float(surface_costs[0])
    sentence = (
        f"The random start lies off this plane: its true cost, {start:.2f}, "
        f"is far above the surface's {below:.2f} below it."
    )
    ratios = true_costs / surface_costs
    later = float(np.abs(np.log10(ratios[1:])).max())
    evidence = f"start {start:.3f} over {below:.3f}; later within {10**later:.2f} times"
    if start < 2 * below or later > np.log10(2):
        raise refuse(sentence, evidence, "Check the landscape's plane and path: make traces.")
    return sentence, evidence


class CostSurface(NarratedScene, TimelineThreeDScene):
    """The real cost of two inputs, the gradient on a map of it, and the real path downhill.

    A narrated scene with a 3-D camera: the beats come from :class:`NarratedScene`, the camera
    and the text fixed in the frame from :class:`TimelineThreeDScene`.
    """

    segment = "cost_surface"
    split_before = ("valley", "map", "a-point", "lift", "training-path", "rides")

    def construct(self) -> None:
        """Axes, surface, a map with the gradient and a few steps, then the real training run."""
        self.land = load_landscape()
        self.height = surface_function(self.land)
        self.draw_the_plane()
        self.raise_the_cost_above_it()
        self.flatten_into_a_map()
        self.show_the_gradient()
        self.take_a_few_steps()
        self.state_the_rule()
        self.lift_the_map()
        self.roll_down_the_training_path()

    # --- where things are -------------------------------------------------------------------

    def cost_at(self, a: float, b: float) -> float:
        """The surface's cost at plane coordinates ``(a, b)``."""
        return float(self.height(a, b)[0, 0])

    def point(self, a: float, b: float, cost: float | None = None) -> np.ndarray:
        """Scene point above ``(a, b)`` at the height of ``cost`` (by default the surface's)."""
        cost = self.cost_at(a, b) if cost is None else cost
        alpha, beta = self.land["alpha"], self.land["beta"]
        return self.axes.c2p(a - float(alpha[0]), b - float(beta[0]),
                             np.log10(cost) - self.log_floor)  # fmt: skip

    def on_the_map(self, a: float, b: float) -> np.ndarray:
        """Scene point of ``(a, b)`` on the flattened map, just above it."""
        return self.point(a, b, 10**self.log_floor) + 0.02 * OUT

    # --- the plane and the surface ------------------------------------------------------------

    def draw_the_plane(self) -> None:
        """Axes along the floor of the plane, each named, the same scale in both directions."""
        alpha, beta = self.land["alpha"], self.land["beta"]
        surface = self.land["surface_cost"]
        self.log_floor = float(np.floor(np.log10(surface.min())))
        decades = float(np.ceil(np.log10(surface.max()))) - self.log_floor
        across, depth = float(alpha[-1] - alpha[0]), float(beta[-1] - beta[0])
        self.axes = QuickThreeDAxes(
            x_range=[0, across, across],
            y_range=[0, depth, depth],
            z_range=[0, decades, 1],
            x_length=8,
            y_length=8 * depth / across,  # equal units: a step along either direction is as long
            z_length=4 / 3 * decades,  # the height is its own quantity: its ticks say its scale
            axis_config={"color": MUTED, "stroke_width": 2, "include_ticks": False},
            z_axis_config={"include_ticks": True},
        )
        # the axes meet at the corner nearest the camera; the height's scale stands at the far
        # end of direction 1, clear of the surface (the axes keep their own for c2p)
        self.floor_axes = VGroup(self.axes.x_axis, self.axes.y_axis)
        self.height_scale = self.axes.z_axis.copy().shift(self.axes.c2p(across, 0, 0)
                                                          - self.axes.c2p(0, 0, 0))  # fmt: skip
        beside = 0.45  # between an axis and its name
        along_1, along_2 = self.axes.c2p(0.7 * across, 0, 0), self.axes.c2p(0, 0.75 * depth, 0)
        top = self.height_scale.get_end()
        names = VGroup(
            label("direction 1", color=TEXT).next_to(along_1, DOWN, buff=beside),
            label("direction 2", color=TEXT).next_to(along_2, LEFT, buff=beside),
            label("cost (log scale)", color=TEXT).next_to(top, OUT, buff=beside),
        )
        self.face_the_camera(*names)
        self.centre = self.axes.c2p(across / 2, depth / 2, 1.25)  # the surface clears the legend
        self.set_camera_orientation(**FIRST_VIEW, frame_center=self.centre)
        first, second = self.land["explained_variance"][:2]
        legend = VGroup(
            caption("The network's real cost over a plane", color=TEXT),
            label(f"direction 1: {first:.0%} of the training path's spread"),
            label(f"direction 2: {second:.0%} of it"),
            label("both directions drawn to the same scale"),
        )
        legend.arrange(DOWN, aligned_edge=LEFT, buff=0.12).to_corner(UL, buff=EDGE_BUFF)
        # the axes pass behind the legend as the camera turns: a panel of the background keeps
        # the words clear of them
        self.legend_panel = BackgroundRectangle(legend, color=BACKGROUND, fill_opacity=1, buff=0.04)
        self.pin_to_screen(self.legend_panel, legend)
        dimensions = f"{self.land.parameter_count:,}"
        with self.beat(
            "two-inputs",
            "Now a cost of two inputs. "
            f"Picture a flat plane through the network's {dimensions}-dimensional space: "
            "each point on it is one setting of every weight and bias.",
        ) as beat:
            self.play(Create(self.floor_axes), run_time=0.4 * beat.duration)
            self.play(FadeIn(names[:2]), FadeIn(self.legend_panel), FadeIn(legend[0]),
                      run_time=beat.remaining(leave=0.5))  # fmt: skip
        with self.beat(
            "principal-plane",
            "We take the plane the real training run moved in most: "
            "its two main directions, found by principal component analysis.",
        ) as beat:
            lines = LaggedStart(*(FadeIn(line) for line in legend[1:]), lag_ratio=0.6)
            self.play(lines, run_time=beat.remaining(leave=0.5))
        self.legend, self.axis_names = legend, names

    def cost_ticks(self) -> VGroup:
        """The cost at each whole power of ten up the height axis, facing the camera."""
        decades = round(self.axes.z_range[1])
        ticks = VGroup()
        for step in range(decades + 1):
            cost = 10 ** (self.log_floor + step)
            text = label(f"{cost:g}", color=TEXT)
            at = self.axes.c2p(self.axes.x_range[1], 0, step)
            ticks.add(text.next_to(at, RIGHT + DOWN, buff=0.15))  # away from the surface
        self.face_the_camera(*ticks)
        return ticks

    def raise_the_cost_above_it(self) -> None:
        """The surface of the log of the cost, coloured by height; the camera shows its valley."""
        alpha, beta = self.land["alpha"], self.land["beta"]
        mesh = surface_mesh()
        self.surface = Surface(
            lambda u, v: self.point(u, v),
            u_range=[float(alpha[0]), float(alpha[-1])],
            v_range=[float(beta[0]), float(beta[-1])],
            resolution=(mesh, mesh),
            fill_opacity=0.9,
            stroke_width=0.3,
            stroke_color=MUTED,
        )
        costs = self.land["surface_cost"]
        lowest, highest = np.log10([costs.min(), costs.max()]) - self.log_floor
        self.levels = np.linspace(lowest, highest, len(HEIGHT_COLOURS))
        scale = list(zip(HEIGHT_COLOURS, self.levels, strict=True))
        self.surface.set_fill_by_value(axes=self.axes, colorscale=scale, axis=2)
        self.ticks = ticks = self.cost_ticks()
        with self.beat(
            "log-height",
            "Above each point, the height is the network's real cost there, on a log scale: "
            "each step up the axis is ten times the cost.",
        ) as beat:
            self.height_axis = VGroup(self.height_scale, ticks, self.axis_names[2])
            self.play(Create(self.height_axis), run_time=0.3 * beat.duration)
            self.play(Create(self.surface), run_time=beat.remaining(leave=0.5))
        with self.beat("valley", valley_sentence(self.land["surface_cost"])) as beat:
            self.move_camera(
                **SIDE_VIEW,
                frame_center=self.centre,
                run_time=beat.remaining(leave=0.3),
            )
        self.pause_to_read("the viewer takes in the valley and the axes", at_least=1.5)

    # --- the map and the gradient -------------------------------------------------------------

    def flatten_into_a_map(self) -> None:
        """The surface squashed onto the plane, seen from straight above: a map of the cost."""
        self.surface.save_state()
        floor = self.axes.c2p(0, 0, 0)
        points = self.land["plane_descent_point"].astype(float)
        steps_centre = self.on_the_map(*(points.min(axis=0) + points.max(axis=0)) / 2)
        self.smooth_map = self.map_picture()
        with self.beat(
            "map",
            "Now flatten it into a map, seen from straight above. "
            "The colours keep the heights: dark is low.",
        ) as beat:
            self.move_camera(
                **MAP_VIEW,
                frame_center=steps_centre,
                added_anims=[
                    self.surface.animate.stretch(1e-3, 2, about_point=floor),
                    FadeOut(self.height_axis),
                ],
                run_time=beat.remaining(leave=1.0),
            )
            self.lay_for_top_view(self.smooth_map)
            self.play(FadeIn(self.smooth_map), run_time=beat.remaining(leave=0.3))
            self.bring_to_front(self.legend_panel, self.legend)

    def map_picture(self) -> ImageMobject:
        """The flattened surface's colours as a smooth picture, lying on the map.

        The surface's faces are coarse for speed; seen from above, close, they would show as
        blocks. The picture samples the same spline and colours finely.
        """
        alpha, beta = self.land["alpha"].astype(float), self.land["beta"].astype(float)
        fine_a = np.linspace(alpha[0], alpha[-1], MAP_DETAIL * alpha.size)
        fine_b = np.linspace(beta[0], beta[-1], MAP_DETAIL * beta.size)
        costs = self.height(fine_a, fine_b).T[::-1].clip(10**self.log_floor)  # top row: highest b
        picture = pixel_image(level_rgb(np.log10(costs) - self.log_floor, self.levels),
                              height=self.axes.y_length)  # fmt: skip
        picture.stretch_to_fit_width(self.axes.x_length)
        centre = self.axes.c2p(self.axes.x_range[1] / 2, self.axes.y_range[1] / 2, 0)
        return picture.move_to(centre + 0.01 * OUT)

    def plane_arrow(self, a: float, b: float, vector: np.ndarray, colour: str) -> Arrow:
        """An arrow on the map from ``(a, b)`` along ``vector``, in the plane's own units."""
        start = self.on_the_map(a, b)
        end = self.on_the_map(a + float(vector[0]), b + float(vector[1]))
        return Arrow(start, end, buff=0, color=colour, stroke_width=7,
                     max_tip_length_to_length_ratio=0.2)  # fmt: skip

    @staticmethod
    def panel_label(words: str, colour: str, zoom: float = MAP_VIEW["zoom"]) -> VGroup:
        """A label over the map or surface, on a panel of the background that keeps its colours out.

        Scaled by one over the camera's ``zoom``, so that it shows at its usual size.
        """
        text = label(words, color=colour).scale(1 / zoom)
        panel = BackgroundRectangle(text, color=BACKGROUND, fill_opacity=0.85, buff=0.06)
        return VGroup(panel, text)

    def show_the_gradient(self) -> None:
        """At one point: the gradient, steepest ascent, its length the steepness; then minus it."""
        points = self.land["plane_descent_point"].astype(float)
        gradients = self.land["plane_descent_gradient"].astype(float)
        rate = self.land.plane_rate
        a, b = points[0]
        # flat dots, drawn over the map's picture (a sphere would be drawn under it)
        self.step_ball = Dot(self.on_the_map(a, b), radius=0.06, color=STEP_BALL)
        self.up_arrow = up = self.plane_arrow(a, b, rate * gradients[0], BAD)
        down = self.plane_arrow(a, b, -rate * gradients[0], GOOD)
        up_name = self.panel_label("∇C: steepest ascent", BAD).next_to(up.get_end(), RIGHT)
        down_name = self.panel_label("\u2212∇C: downhill", GOOD).next_to(down.get_end(), RIGHT)
        scale_note = self.panel_label(f"each arrow: {rate:g} \u00d7 the gradient, one step long",
                                      MUTED, zoom=1.0)  # fmt: skip
        scale_note.next_to(self.legend_panel, DOWN, aligned_edge=LEFT, buff=0.15)
        self.pin_to_screen(scale_note)
        self.say("a-point", "Take a point on the slope.", FadeIn(self.step_ball))
        with self.beat(
            "steepest-ascent",
            "The gradient is an arrow in this plane. "
            "It points the way the cost rises fastest, and its length says how steep that is.",
        ) as beat:
            self.play(GrowArrow(up), run_time=beat.phrase_start(1))
            self.play(FadeIn(up_name), FadeIn(scale_note), run_time=beat.remaining(leave=0.5))
        self.scale_note = scale_note
        with self.beat(
            "downhill", "Its negative points downhill, the way the cost falls fastest."
        ) as beat:
            self.play(GrowArrow(down), FadeIn(down_name), run_time=beat.remaining(leave=0.5))
        self.pause_to_read("the viewer compares the two arrows", at_least=1.5)
        self.play(FadeOut(VGroup(up, up_name)))
        self.first_step = VGroup(down, down_name)

    def take_a_few_steps(self) -> None:
        """Step along the downhill arrow, again and again: the arrows shrink near the floor."""
        points = self.land["plane_descent_point"].astype(float)
        gradients = self.land["plane_descent_gradient"].astype(float)
        rate = self.land.plane_rate
        self.marks = VGroup()
        self.arrows = VGroup(self.first_step[0])

        def step(k: int, run_time: float) -> None:
            if k > 0:
                arrow = self.plane_arrow(*points[k], -rate * gradients[k], GOOD)
                self.arrows.add(arrow)
                self.play(GrowArrow(arrow), run_time=0.4 * run_time)
            mark = Dot(self.step_ball.get_center(), radius=0.035, color=STEP_BALL)
            self.marks.add(mark)
            self.add(mark)
            self.bring_to_front(self.step_ball)
            self.play(self.step_ball.animate.move_to(self.on_the_map(*points[k + 1])),
                      run_time=(0.6 if k > 0 else 1.0) * run_time)  # fmt: skip

        steps = len(points) - 1
        with self.beat(
            "steps",
            "Step along the downhill arrow. "
            "At the new point, compute the gradient again, and step again.",
        ) as beat:
            self.play(FadeOut(self.first_step[1]), run_time=0.3)
            step(0, 0.45 * beat.remaining(leave=0.5))
            step(1, beat.remaining(leave=0.5))
        with self.beat("shrinking", shrinking_steps_sentence(points)) as beat:
            each = beat.remaining(leave=0.5) / (steps - 2)
            for k in range(2, steps):
                step(k, each)

    def state_the_rule(self) -> None:
        """Compute the gradient, take a small step downhill, repeat."""
        words = "Compute the gradient, take a small step downhill, repeat."
        rule = caption(words, color=TEXT)
        rule = VGroup(BackgroundRectangle(rule, color=BACKGROUND, fill_opacity=1, buff=0.1), rule)
        rule.to_edge(DOWN, buff=EDGE_BUFF)
        self.pin_to_screen(rule)
        with self.beat("rule", words) as beat:  # the rule, then each arrow again: each a step
            self.play(FadeIn(rule), run_time=0.8)
            again = LaggedStart(*(Indicate(arrow, color=GOOD) for arrow in self.arrows),
                                lag_ratio=0.6)  # fmt: skip
            self.play(again, run_time=beat.remaining(leave=0.5))
        self.pause_to_read("the viewer reads the rule", at_least=1.0)
        self.rule = rule

    def lift_the_map(self) -> None:
        """The map lifted back into a surface; the steps' marks rise onto it, each lower."""
        points = self.land["plane_descent_point"].astype(float)
        costs = self.land["plane_descent_cost"].astype(float)
        with self.beat("lift", downhill_steps_sentence(costs)) as beat:
            map_things = VGroup(self.arrows, self.rule, self.scale_note)
            self.play(FadeOut(map_things), FadeOut(self.smooth_map), run_time=0.6)
            grow = MAP_VIEW["zoom"] / SIDE_VIEW["zoom"]  # the dots keep their size on screen
            rise = [mark.animate.move_to(self.point(*p, c)).scale(grow)
                    for mark, p, c in zip(self.marks, points, costs, strict=False)]  # fmt: skip
            self.move_camera(
                **SIDE_VIEW,
                frame_center=self.centre,
                added_anims=[
                    Restore(self.surface),
                    FadeIn(self.height_axis),
                    self.step_ball.animate.move_to(self.point(*points[-1], costs[-1])).scale(grow),
                    *rise,
                ],
                run_time=beat.remaining(leave=0.5),
            )
        self.pause_to_read("the viewer follows the steps down the surface", at_least=1.0)
        self.play(FadeOut(VGroup(self.marks, self.step_ball)))

    # --- the real run ---------------------------------------------------------------------

    def roll_down_the_training_path(self) -> None:
        """A ball on the surface along the real path; the true cost beside the surface's."""
        path, steps = self.land["path"].astype(float), self.land["path_step"]
        true_cost = self.land["path_cost"].astype(float)
        on_plane = np.array([self.cost_at(a, b) for a, b in path])
        corners = [self.point(a, b) for a, b in path]
        self.ball = ball = Sphere(corners[0], radius=0.13, resolution=(10, 10)).set_color(PATH_BALL)
        trail = VMobject(stroke_color=PATH_BALL, stroke_width=3)
        trail.set_points_as_corners([corners[0], corners[0]])
        self.readout = readout = PathReadout().to_corner(DR, buff=EDGE_BUFF)
        readout.shift(0.5 * LEFT)  # room for the step count to grow
        # the first snapshot's numbers before fixing it in the frame: set_value makes new digits
        readout.show(int(steps[0]), true_cost[0], on_plane[0])
        self.pin_to_screen(readout)
        self.anchor(readout, name="path readout", edge=LEFT)
        for value, name in zip(readout.values, ("step", "true cost", "surface cost"), strict=True):
            self.anchor(value, name=f"readout {name}", edge=LEFT)
        self.say(
            "training-path",
            "Here is the path the real training run took, seen in this plane, "
            "from its random start to the trained network.",
            FadeIn(ball),
            FadeIn(readout),
        )
        start_up = Sphere(self.point(*path[0], true_cost[0]), radius=0.1, resolution=(8, 8))
        start_up.set_color(PATH_BALL)
        drop = DashedLine(corners[0], start_up.get_center(), color=PATH_BALL)
        start_name = self.panel_label(f"random start, true cost {true_cost[0]:.2f}", PATH_BALL,
                                    zoom=1.0)  # fmt: skip
        start_name.next_to(start_up, LEFT + UP + 0.5 * OUT, buff=0.6)  # up and left on screen
        self.face_the_camera(start_name)
        self.say(
            "off-the-plane",
            off_plane_sentence(true_cost, on_plane),
            Create(drop),
            FadeIn(start_up),
            FadeIn(start_name),
        )
        self.pause_to_read("the viewer compares the true cost and the surface", at_least=1.0)

        shown = [0]  # the snapshot on screen: the frames between two snapshots change nothing

        def follow(mob: Sphere, alpha: float) -> None:
            i = min(int(alpha * (len(path) - 1)), len(path) - 1)
            if i == shown[0]:
                return
            shown[0] = i
            mob.move_to(corners[i])
            trail.set_points_as_corners([*corners[: i + 1], corners[i]])
            readout.show(int(steps[i]), true_cost[i], on_plane[i])
            self.pin_to_screen(readout)  # its new digits, flat on the screen too

        self.add(trail)
        self.begin_ambient_camera_rotation(rate=0.04)  # the camera turns slowly from here on
        self.say(
            "rides",
            "From its first step on, the run stays close to the plane. "
            "The ball rides on the surface, and the readout keeps the true cost.",
            FadeOut(VGroup(drop, start_up, start_name)),
            UpdateFromAlphaFunc(ball, follow),
        )
        self.pause_to_read("the viewer reads the last snapshot's true and surface costs", 1.5)
        self.stop_ambient_camera_rotation()
        everything = [self.floor_axes, self.surface, ball, trail, readout, self.height_axis]
        everything += [*self.axis_names[:2], self.legend, self.legend_panel]
        self.play(FadeOut(VGroup(*everything)))


class PathReadout(VGroup):
    """Step, true cost and surface cost of the current snapshot, in fixed columns."""

    def __init__(self) -> None:
        rows = []
        self.values = []
        for name, places in (("step", 0), ("true cost", 3), ("surface below", 3)):
            value = SteadyNumber(
                0,
                num_decimal_places=places,
                font_size=NUMBER_SIZE,
                color=TEXT,
                group_with_commas=True,
                edge_to_fix=LEFT,
            )
            rows.append(VGroup(label(name), value))
            self.values.append(value)
        super().__init__(*rows)
        for i, (name, value) in enumerate(rows):
            name.move_to([0, -0.45 * i, 0], aligned_edge=LEFT)
            value.move_to([2.4, -0.45 * i, 0], aligned_edge=LEFT)

    def show(self, step: int, true_cost: float, surface_cost: float) -> None:
        """Set the three numbers; their left edges stay where they are."""
        for value, number in zip(self.values, (step, true_cost, surface_cost), strict=True):
            value.set_value(number)
