"""Segment 9, what the gradient means: a component's sign says which way, its size how much.

The components are the real gradient of the ``main`` run at its random start, each named in
words as the weight or bias it is; "typical" is the component of median size among all of them.
The 2-D example is the real cost surface of the landscape trace, at the steepest point of the
training path where its two slopes clearly differ.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    GrowArrow,
    LaggedStart,
    VGroup,
)

from nn.parameter_address import ParameterAddress
from nn.traces import load_landscape, load_run
from scenes.toolkit.claims import checks_the_data, refuse
from scenes.toolkit.function_map import FunctionMap
from scenes.toolkit.landscape_surface import point_along, surface_function
from scenes.toolkit.narration import NarratedScene
from scenes.toolkit.style import (
    EDGE_BUFF,
    GOOD,
    HIGHLIGHT,
    NEGATIVE,
    POSITIVE,
    TEXT,
    body,
    caption,
    label,
    sign_color,
)

__all__ = [
    "ARROW_LENGTH",
    "CANDIDATE_POINTS",
    "MAP_HEIGHT",
    "MAP_WIDTH",
    "NUMBER_RIGHT",
    "PARTIAL",
    "PER_SIGN",
    "SNAPSHOT",
    "UNEQUAL",
    "WhatTheGradientMeans",
    "component_row",
    "example_point",
    "format_component",
    "number_right",
    "ratio_sentence",
    "sensitivity_lines",
    "sensitivity_sentence",
    "slope_readout",
    "strongest_and_typical",
]

SNAPSHOT = 0
PER_SIGN = 3
PARTIAL = "\N{PARTIAL DIFFERENTIAL}"
NUMBER_RIGHT = 9.2
"""Where a component's number ends, from the left of its row: clear of the longest meanings."""
MAP_WIDTH = 9.6
"""Most width of the 2-D example's map; its height keeps the inputs' units equal across and up."""
MAP_HEIGHT = 3.0
"""Most height of the 2-D example's map, leaving room for its note above and slopes below."""
ARROW_LENGTH = 1.2
"""Length of the drawn negative gradient on the map (its direction is the real one)."""
CANDIDATE_POINTS = np.linspace(0.2, 0.8, 25)
"""Fractions of the way along the training path where the 2-D example may stand."""
UNEQUAL = 2.0
"""How many times larger one slope must be than the other for the 2-D example's point."""


def strongest_and_typical(gradient: np.ndarray) -> tuple[int, int]:
    """Index of the largest-magnitude component, and of a typical one.

    Typical: the median magnitude of all components (zeros included), half larger, half smaller.
    """
    magnitude = np.abs(gradient)
    strongest = int(np.argmax(magnitude))
    typical = int(np.argsort(magnitude, kind="stable")[magnitude.size // 2])
    return strongest, typical


def example_point(path: np.ndarray, slopes: Callable[[float, float], tuple[float, float]]) -> float:
    """The fraction along ``path`` of the steepest candidate whose slopes clearly differ.

    Clearly: one at least :data:`UNEQUAL` times the other. When no candidate qualifies, the
    steepest of all (and :func:`sensitivity_sentence` refuses).
    """

    def steepness(fraction: float) -> float:
        return float(np.hypot(*slopes(*point_along(path, fraction))))

    def unequal(fraction: float) -> bool:
        da, db = (abs(v) for v in slopes(*point_along(path, fraction)))
        return max(da, db) >= UNEQUAL * min(da, db)

    candidates = [f for f in CANDIDATE_POINTS if unequal(f)] or list(CANDIDATE_POINTS)
    return float(max(candidates, key=steepness))


def format_component(value: float) -> str:
    """A signed value with at least 4 decimals and at least 3 significant digits."""
    digits = 4 if value == 0 else max(4, 2 - int(np.floor(np.log10(abs(value)))))
    return f"{value:+.{digits}f}"


def number_right(parameters: list[ParameterAddress], values: list[float]) -> float:
    """Where the numbers of these rows end, one column for all: clear of the longest name."""
    needed = [caption(p.screen_words).width + 0.4 + caption(format_component(v)).width
              for p, v in zip(parameters, values, strict=True)]  # fmt: skip
    return max(NUMBER_RIGHT, *needed)


def component_row(parameter: ParameterAddress, value: float, right: float = NUMBER_RIGHT) -> VGroup:
    """A parameter named in words, its negative gradient ending at ``right``, and an arrow."""
    name = VGroup(caption(parameter.screen_words, color=TEXT))
    number = caption(format_component(value), color=sign_color(value))
    arrow = Arrow(
        DOWN * 0.25,
        UP * 0.25,
        buff=0,
        color=sign_color(value),
        stroke_width=5,
        max_tip_length_to_length_ratio=0.4,
    )
    if value < 0:
        arrow.rotate(np.pi)
    name.move_to(np.zeros(3), aligned_edge=LEFT)
    right = max(right, name.width + 0.4 + number.width)  # never over a long name
    number.move_to(right * RIGHT, aligned_edge=RIGHT)
    arrow.move_to((right + 0.6) * RIGHT)
    return VGroup(name, number, arrow)


def sensitivity_lines(factor: float, more: str, less: str) -> tuple[str, str]:
    """How many times more the cost cares about one input than the other, in words."""
    if factor < 1.5:
        return ("here C is about equally", f"sensitive to {more} and {less}")
    return (f"here C is {factor:,.1f} times", f"more sensitive to {more} than to {less}")


@checks_the_data
def sensitivity_sentence(da: float, db: float) -> tuple[str, str]:
    """How many times more the cost cares about one input here: a clear difference, or refused."""
    more, less = ("a", "b") if abs(da) >= abs(db) else ("b", "a")
    factor = max(abs(da), abs(db)) / max(min(abs(da), abs(db)), 1e-300)
    sentence = (
        "Its two components say how much each input matters here: "
        f"the cost is {factor:.1f} times more sensitive to {more} than to {less}."
    )
    evidence = f"dC/da {da:+.4f}, dC/db {db:+.4f}"
    if factor < UNEQUAL:
        raise refuse(sentence, evidence, "Widen CANDIDATE_POINTS in scenes/gradient_meaning.py.")
    return sentence, evidence


@checks_the_data
def ratio_sentence(
    first: ParameterAddress, second: ParameterAddress, big: float, small: float
) -> tuple[str, str]:
    """How many times more the cost cares about ``first`` than ``second``, each named in words.

    Each is named as the weight or bias it is; refused unless the first is at least twice the
    larger.
    """
    ratio = abs(big) / abs(small) if small else float("inf")
    sentence = (
        f"The cost cares {ratio:,.0f} times more about {first.spoken_words} "
        f"than about {second.spoken_words}."
    )
    evidence = f"{first.label} {big:+.3g}, {second.label} {small:+.3g}"
    if not 2 <= ratio < float("inf"):
        raise refuse(sentence, evidence, "Compare two components that differ and are not 0.")
    return sentence, evidence


def slope_readout(da: float, db: float) -> tuple[VGroup, VGroup]:
    """The two slopes as numbers, and how many times more the cost cares about one, in words."""
    sensitivity = abs(da) / abs(db) if db else float("inf")
    more, less = ("a", "b") if abs(da) >= abs(db) else ("b", "a")
    factor = sensitivity if abs(da) >= abs(db) else 1 / sensitivity
    slopes = VGroup(
        caption(f"{PARTIAL}C/{PARTIAL}a = {format_component(da)}", color=TEXT),
        caption(f"{PARTIAL}C/{PARTIAL}b = {format_component(db)}", color=TEXT),
    )
    comparison = VGroup(
        *(caption(line, color=HIGHLIGHT) for line in sensitivity_lines(factor, more, less))
    )
    for lines in (slopes, comparison):
        lines.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
    return slopes, comparison


class WhatTheGradientMeans(NarratedScene):
    """Signs and sizes of real gradient components, then a real function of two inputs."""

    segment = "gradient_meaning"

    def construct(self) -> None:
        """Read the gradient's components, compare two, then a 2-D example."""
        self.run = load_run("main")
        self.negative = -self.run.gradient(SNAPSHOT).flatten()
        self.sizes = self.run.layer_sizes
        self.show_signs()
        self.compare_sizes()
        self.two_dimensional_example()

    def show_signs(self) -> None:
        """The largest components of each sign of the real negative gradient, with directions."""
        order = np.argsort(self.negative)
        chosen = [*order[::-1][:PER_SIGN], *order[:PER_SIGN][::-1]]
        heading = VGroup(
            body("The negative gradient at the random start"),
            caption("its largest components of each sign"),
        )
        heading.arrange(DOWN, buff=0.12).to_edge(UP, buff=EDGE_BUFF)
        parameters = [ParameterAddress.from_flat_index(i, self.sizes) for i in chosen]
        values = [float(self.negative[i]) for i in chosen]
        right = number_right(parameters, values)
        rows = VGroup(
            *(component_row(p, v, right) for p, v in zip(parameters, values, strict=True))
        )
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.22).next_to(heading, DOWN, buff=0.4)
        key = VGroup(
            label("+  nudge this one up", color=POSITIVE),
            label("\N{MINUS SIGN}  nudge this one down", color=NEGATIVE),
        )
        key.arrange(RIGHT, buff=1.0).to_edge(DOWN, buff=EDGE_BUFF)
        with self.beat(
            "sign", "Each component's sign says whether to nudge its weight or bias up or down."
        ) as beat:
            self.play(FadeIn(heading), run_time=0.6)
            rows_in = [FadeIn(row, shift=0.2 * LEFT) for row in rows]
            entries = LaggedStart(*rows_in, FadeIn(key), lag_ratio=0.35)
            self.play(entries, run_time=beat.remaining(leave=0.5))
        self.pause_to_read("the viewer reads the six components and which way each arrow points",
                           at_least=2.5)  # fmt: skip
        self.play(FadeOut(VGroup(heading, rows, key)))

    def compare_sizes(self) -> None:
        """The largest component against a typical one, and their real ratio."""
        strongest, typical = strongest_and_typical(self.negative)
        big, small = float(self.negative[strongest]), float(self.negative[typical])
        first = ParameterAddress.from_flat_index(strongest, self.sizes)
        second = ParameterAddress.from_flat_index(typical, self.sizes)
        ratio = ratio_sentence(first, second, big, small)
        self.ratio = abs(big) / abs(small)
        pairs = ((first, big), (second, small))
        right = number_right([first, second], [big, small])
        rows = VGroup(*(component_row(p, v, right) for p, v in pairs))
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.5).shift(0.6 * UP)
        verdict = caption(
            f"The cost is {self.ratio:,.0f} times more sensitive to the first.", color=HIGHLIGHT
        )
        verdict.next_to(rows, DOWN, buff=0.7)
        count = f"{self.negative.size:,}"
        typical_note = label(
            f"(the second is typical: of all {count}, half are larger, half smaller)"
        )
        typical_note.next_to(verdict, DOWN)
        self.say(
            "size",
            "Its size says how much the cost cares about that weight or bias.",
            LaggedStart(*(FadeIn(row) for row in rows), lag_ratio=0.5),
        )
        with self.beat("ratio", ratio) as beat:
            self.play(FadeIn(verdict), run_time=0.6 * beat.duration)
            self.play(FadeIn(typical_note), run_time=beat.remaining(leave=0.5))
        self.pause_to_read("the viewer compares the two components and their sizes", at_least=2)
        self.play(FadeOut(VGroup(rows, verdict, typical_note)))

    def two_dimensional_example(self) -> None:
        """The real cost over the landscape plane, its gradient at a point, and the components."""
        land = load_landscape()
        f = surface_function(land)
        alpha, beta, surface = land["alpha"], land["beta"], land["surface_cost"]
        shape = float(beta[-1] - beta[0]) / float(alpha[-1] - alpha[0])  # height over width
        width = min(MAP_WIDTH, MAP_HEIGHT / shape)
        height = width * shape  # same units across and up
        top = float(np.ceil(surface.max()))
        cost_map = FunctionMap(
            alpha,
            beta,
            surface,
            width=width,
            height=height,
            steps=(20, 10),
            names=("a", "b"),
            scale=("cost", top, 1),
        )
        cost_map.move_to(0.5 * UP)
        path = land["path"].astype(float)

        def slopes(a: float, b: float) -> tuple[float, float]:
            return float(f(a, b, dx=1)[0, 0]), float(f(a, b, dy=1)[0, 0])

        a, b = point_along(path, example_point(path, slopes))
        da, db = slopes(a, b)
        start = cost_map.point(a, b)
        downhill = ARROW_LENGTH * cost_map.direction(-da, -db)
        arrow = Arrow(start, start + downhill, buff=0, color=GOOD, stroke_width=6)
        parts = VGroup(
            DashedLine(start, start + downhill * [1, 0, 0], color=TEXT),
            DashedLine(start + downhill * [1, 0, 0], start + downhill, color=TEXT),
        )
        axes_note = label("a real cost of two inputs, a and b: the cost landscape seen from above")
        axes_note.next_to(cost_map, UP, buff=0.25)
        slopes, comparison = slope_readout(da, db)
        VGroup(slopes, comparison).arrange(RIGHT, buff=1.2).next_to(cost_map, DOWN, buff=0.45)
        with self.beat("two-inputs", "For intuition, a real function of two inputs.") as beat:
            self.play(FadeIn(cost_map), run_time=0.5 * beat.duration)
            self.play(FadeIn(axes_note), run_time=beat.remaining(leave=0.5))
        with self.beat(
            "downhill", "At this point, the negative gradient points downhill."
        ) as beat:  # the point as it is named, then the arrow
            self.play(FadeIn(Dot(start, color=TEXT), scale=0.5), run_time=0.3 * beat.duration)
            self.play(GrowArrow(arrow), run_time=beat.remaining(leave=0.5))
        with self.beat("components", sensitivity_sentence(da, db)) as beat:
            self.play(FadeIn(parts), run_time=0.35 * beat.duration)
            readings = LaggedStart(FadeIn(slopes), FadeIn(comparison), lag_ratio=0.5)
            self.play(readings, run_time=beat.remaining(leave=0.5))
        self.pause_to_read("the viewer reads the two slopes and how much they differ", 2.5)
        self.play(FadeOut(*self.mobjects))
