"""Segment 7, the cost surface: the network's real cost over a plane, as a 3-D surface.

This file is also the answer to a viewer's question, "how do you animate the 3-D graphs?":

1. The heights come from ``renders/traces/landscape.npz``: the average training cost on a grid
   over the plane of the first two principal directions of the training path (Li et al. 2018).
2. A smooth function of two variables is made from the grid with
   :class:`scipy.interpolate.RectBivariateSpline` (it passes through every grid value;
   ``scenes/toolkit/landscape_surface.py``).
3. :class:`manim.Surface` samples that function on a coarser mesh (:func:`surface_mesh`), and
   ``set_fill_by_value`` colours it by height.
4. The camera moves with ``move_camera`` and an ambient rotation; text that must stay flat on
   the screen is pinned to it with ``pin_to_screen``.
5. A ball follows the real training path, projected onto the plane, with the true cost of each
   snapshot shown beside the surface's value where the two differ (the snapshots are not all
   exactly in the plane).
6. The scene is narrated (:class:`NarratedScene`): each ``with self.beat(...)`` block plays its
   animations while the voice says its words, and ``run_time=beat.remaining(...)`` makes an
   animation end with them.
"""

from __future__ import annotations

import os

import numpy as np
from manim import (
    DEGREES,
    DL,
    LEFT,
    OUT,
    UL,
    UP,
    Arrow3D,
    BackgroundRectangle,
    Create,
    FadeIn,
    FadeOut,
    LaggedStart,
    Sphere,
    Surface,
    ThreeDAxes,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
)

from nn.errors import SettingError
from nn.traces import load_landscape
from scenes.toolkit.counters import SteadyNumber
from scenes.toolkit.landscape_surface import height_levels, point_along, surface_function
from scenes.toolkit.narration import NarratedScene
from scenes.toolkit.style import (
    BACKGROUND,
    BAD,
    EDGE_BUFF,
    GOOD,
    HEIGHT_COLOURS,
    HIGHLIGHT,
    MUTED,
    NUMBER_SIZE,
    TEXT,
    caption,
    label,
)
from scenes.toolkit.timeline import TimelineThreeDScene

__all__ = [
    "DEFAULT_MESH",
    "GRADIENT_AT",
    "CostSurface",
    "PathReadout",
    "surface_mesh",
]

DEFAULT_MESH = 16
"""Faces of the drawn surface along each direction, chosen by measurement (``make bench``)."""
GRADIENT_AT = 0.45
"""Where the gradient arrows stand: this fraction of the way along the training path."""


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


class CostSurface(NarratedScene, TimelineThreeDScene):
    """The real cost of two inputs, the gradient at a point, and the real path downhill.

    A narrated scene with a 3-D camera: the beats come from :class:`NarratedScene`, the camera
    and the text fixed in the frame from :class:`TimelineThreeDScene`.
    """

    segment = "cost_surface"

    def construct(self) -> None:
        """Surface, gradient, the rule of gradient descent, then the training path."""
        self.land = load_landscape()
        self.height = surface_function(self.land)
        self.set_camera_orientation(
            phi=62 * DEGREES, theta=-115 * DEGREES, zoom=0.85, frame_center=1.3 * OUT
        )
        self.show_surface()
        self.show_gradient()
        self.state_the_rule()
        self.roll_down_the_training_path()

    def cost_at(self, a: float, b: float) -> float:
        """The surface's height at plane coordinates ``(a, b)``."""
        return float(self.height(a, b)[0, 0])

    def point(self, a: float, b: float) -> np.ndarray:
        """Scene point on the surface above ``(a, b)``."""
        return self.axes.c2p(a, b, self.cost_at(a, b))

    def show_surface(self) -> None:
        """Axes, the coloured surface, and a legend naming the plane's directions."""
        alpha, beta = self.land["alpha"], self.land["beta"]
        top = float(np.ceil(self.land["surface_cost"].max()))
        mesh = surface_mesh()
        self.axes = ThreeDAxes(
            x_range=[float(alpha[0]), float(alpha[-1]), 20],
            y_range=[float(beta[0]), float(beta[-1]), 10],
            z_range=[0, top, 1],
            x_length=8,
            y_length=5,
            z_length=3.5,
            axis_config={"color": MUTED, "stroke_width": 1.5},
        )
        self.surface = Surface(
            lambda u, v: self.point(u, v),
            u_range=[float(alpha[0]), float(alpha[-1])],
            v_range=[float(beta[0]), float(beta[-1])],
            resolution=(mesh, mesh),
            fill_opacity=0.85,
            stroke_width=0.3,
            stroke_color=MUTED,
        )
        scale = list(zip(HEIGHT_COLOURS, height_levels(top), strict=True))
        self.surface.set_fill_by_value(axes=self.axes, colorscale=scale, axis=2)
        first, second = self.land["explained_variance"][:2]
        legend = VGroup(
            caption("The network's real cost over a plane", color=TEXT),
            label(f"across: 1st principal direction of training ({first:.0%} of its variance)"),
            label(f"depth: 2nd principal direction ({second:.0%})"),
            label("height: average cost over the training split"),
        )
        legend.arrange(direction=np.array([0, -1, 0]), aligned_edge=LEFT, buff=0.12)
        legend.to_corner(UL, buff=EDGE_BUFF)
        # the axes pass behind the legend as the camera turns: a panel of the background keeps
        # the words clear of them
        self.legend_panel = BackgroundRectangle(legend, color=BACKGROUND, fill_opacity=1, buff=0.04)
        self.pin_to_screen(self.legend_panel, legend)
        dimensions = f"{self.land.parameter_count:,}"
        with self.beat(
            "two-inputs",
            "Now a cost of two inputs: the real cost of our network over a plane "
            f"through its {dimensions}-dimensional space.",
        ) as beat:  # the axes first, the legend as the voice says what they measure
            self.play(Create(self.axes), run_time=beat.phrase_start(1))
            self.add(self.legend_panel)
            lines = LaggedStart(*(FadeIn(line) for line in legend), lag_ratio=0.5)
            self.play(lines, run_time=beat.remaining(leave=0.5))
        with self.beat(
            "principal-plane",
            "The plane is the one the training path lies closest to: "
            "its two main directions, found by principal component analysis.",
        ) as beat:  # the surface is drawn, then the camera turns to show its valleys
            self.play(Create(self.surface), run_time=0.45 * beat.duration)
            self.move_camera(theta=-70 * DEGREES, run_time=beat.remaining(leave=0.5))
        self.legend = legend

    def gradient_at(self, a: float, b: float) -> np.ndarray:
        """The surface's gradient ``(dC/da, dC/db)`` at ``(a, b)``, from the spline."""
        return np.array([self.height(a, b, dx=1)[0, 0], self.height(a, b, dy=1)[0, 0]])

    def arrow_along(self, a: float, b: float, direction: np.ndarray, colour: str) -> Arrow3D:
        """A 3-D arrow lying on the surface from ``(a, b)`` along ``direction`` in the plane."""
        alpha, beta = self.land["alpha"], self.land["beta"]
        span = np.array([alpha[-1] - alpha[0], beta[-1] - beta[0]])
        step = direction / np.linalg.norm(direction / span) * 0.25  # a quarter of the plane
        lift = 0.06 * OUT  # just above the surface, so that it is not hidden in it
        start, end = self.point(a, b) + lift, self.point(a + step[0], b + step[1]) + lift
        return Arrow3D(start, end, color=colour, thickness=0.04, base_radius=0.1)

    def show_gradient(self) -> None:
        """At one point: the gradient (steepest ascent), then the negative gradient."""
        a, b = (float(v) for v in point_along(self.land["path"].astype(float), GRADIENT_AT))
        gradient = self.gradient_at(a, b)
        dot = Sphere(self.point(a, b), radius=0.07, resolution=(8, 8)).set_color(TEXT)
        up = self.arrow_along(a, b, gradient, BAD)
        down = self.arrow_along(a, b, -gradient, GOOD)
        self.say(
            "a-point",
            "Take a point on the surface.",
            FadeIn(dot),
        )
        self.say(
            "steepest-ascent",
            "The gradient points in the direction of steepest ascent: "
            "where the cost rises fastest.",
            Create(up),
        )
        self.say(
            "downhill",
            "Its negative points downhill, where the cost falls fastest.",
            Create(down),
        )
        self.pause(1, "the viewer compares the two arrows")
        self.play(FadeOut(VGroup(dot, up, down)))

    def state_the_rule(self) -> None:
        """Compute the gradient, take a small step downhill, repeat."""
        rule = caption("Compute the gradient, take a small step downhill, repeat.", color=HIGHLIGHT)
        rule.to_edge(np.array([0, -1, 0]), buff=EDGE_BUFF)
        self.pin_to_screen(rule)
        self.say(
            "rule",
            "Compute the gradient, take a small step downhill, repeat.",
            FadeIn(rule),
        )
        self.pause(1.5, "the viewer reads the rule")
        self.rule = rule

    def roll_down_the_training_path(self) -> None:
        """A ball along the real training path; true and surface costs side by side."""
        path, steps = self.land["path"], self.land["path_step"]
        true_cost = self.land["path_cost"]
        on_plane = np.array([self.cost_at(float(a), float(b)) for a, b in path])
        start = self.point(*map(float, path[0]))
        self.ball = ball = Sphere(start, radius=0.09, resolution=(10, 10)).set_color(HIGHLIGHT)
        trail = VMobject(stroke_color=HIGHLIGHT, stroke_width=3)
        trail.set_points_as_corners([start, start])
        self.readout = readout = PathReadout().to_corner(DL, buff=EDGE_BUFF).shift(0.7 * UP)
        # the first snapshot's numbers before fixing it in the frame: set_value makes new digits
        readout.show(int(steps[0]), float(true_cost[0]), float(on_plane[0]))
        self.pin_to_screen(readout)
        self.anchor(readout, name="path readout", edge=LEFT)
        for value, name in zip(readout.values, ("step", "true cost", "surface cost"), strict=True):
            self.anchor(value, name=f"readout {name}", edge=LEFT)
        self.begin_ambient_camera_rotation(rate=0.06)  # the camera turns slowly from here on
        self.say(
            "training-path",
            "Here is the path the real training run took, seen in this plane.",
            FadeOut(self.rule),
            FadeIn(ball),
            FadeIn(readout),
        )
        corners = [self.point(*map(float, p)) for p in path]

        def follow(mob: Sphere, alpha: float) -> None:
            i = min(int(alpha * (len(path) - 1)), len(path) - 1)
            mob.move_to(corners[i])
            trail.set_points_as_corners([*corners[: i + 1], corners[i]])
            readout.show(int(steps[i]), float(true_cost[i]), float(on_plane[i]))
            self.pin_to_screen(readout)  # its new digits, flat on the screen too

        self.add(trail)
        self.say(
            "off-the-plane",
            "Off the plane, the true cost of a snapshot can differ from the surface below it: "
            "the readout shows both.",
            UpdateFromAlphaFunc(ball, follow),
        )
        self.pause(1.5, "the viewer reads the last snapshot's true and surface costs")
        self.stop_ambient_camera_rotation()
        self.play(
            FadeOut(
                VGroup(
                    self.axes, self.surface, ball, trail, readout, self.legend, self.legend_panel
                )
            )
        )


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
