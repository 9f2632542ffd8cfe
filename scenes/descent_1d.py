"""Segment 6, descent in one dimension, built up: one knob first, then a slice with two valleys.

First the simplest real cost of one input: the average training cost as one bias of the trained
network moves, every other weight and bias fixed (the landscape trace's knob slice). The slope
says which way is down; a ball takes the trace's real steps ``t <- t - rate * dC/dt``, big
where it is steep and shrinking near the bottom, each step marked; a step size eight times
larger overshoots the bottom, as the trace's second descent really does. Then the real cost
along the straight line between two networks trained from different random starts: balls from
several starts land in different valleys, each valley named in the colour of the ball that
found it. Between two steps a ball follows the curve, interpolated through the trace's costs
and exact slopes; an overshooting step jumps. Sentences about the data are checked.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    BackgroundRectangle,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    GrowArrow,
    Line,
    UpdateFromAlphaFunc,
    VGroup,
    Write,
)
from scipy.interpolate import CubicHermiteSpline

from nn.parameter_address import ParameterAddress
from nn.traces import load_landscape
from scenes.toolkit.claims import checks_the_data, refuse
from scenes.toolkit.narration import Beat, NarratedScene
from scenes.toolkit.plots import plot_axes
from scenes.toolkit.style import (
    ACCENT,
    BACKGROUND,
    EDGE_BUFF,
    LABEL_SIZE,
    MUTED,
    TEXT,
    caption,
    label,
)

__all__ = [
    "BALL_COLOURS",
    "JUMP_HEIGHT",
    "ROLL_BEATS",
    "SILENT_ROLL",
    "STEP_MARK",
    "TAG_HEIGHT",
    "DescentOneDimension",
    "downhill_sentence",
    "minima_labels",
    "overshoot_sentence",
    "shrinking_sentence",
    "step_starts",
]

BALL_COLOURS = ("#ff9e64", "#bb9af7", "#ff79c6", "#e0af68")
"""One colour per ball, none the guess's, good's or bad's; a valley's name takes its ball's."""
TAG_HEIGHT = 0.5
"""Cost at which the names of the minima stand, above the valleys."""
ROLL_BEATS = (
    ("start-anywhere", "Start anywhere on this line, and step downhill."),
    ("another-valley", "Start somewhere else, and you may land in another valley."),
)
"""The beat (name, words) said while each ball rolls; the balls past these roll without words."""
SILENT_ROLL = 3.0
"""Seconds a ball rolls when nothing is said over it."""
STEP_MARK = 0.06
"""Radius of the dot left where each step starts."""
JUMP_HEIGHT = 0.5
"""Most height, in scene units, of an overshooting step's arc (a quarter of a shorter jump)."""


@checks_the_data
def downhill_sentence(slope: float) -> tuple[str, str]:
    """Which way is down at the start, from the sign of the real slope there."""
    rises, down = ("right", "left") if slope > 0 else ("left", "right")
    sentence = f"Here the cost rises to the {rises}, so downhill is to the {down}."
    return sentence, f"slope {slope:+.4f} at the start"


@checks_the_data
def shrinking_sentence(ts: np.ndarray) -> tuple[str, str]:
    """Steps in proportion to the slope that shrink near the bottom, as the real steps do."""
    sentence = "Step in proportion to the slope: big where it is steep, smaller near the bottom."
    steps = np.abs(np.diff(ts))
    evidence = "steps " + ", ".join(f"{step:.2f}" for step in steps)
    if np.any(np.diff(steps) > 0):
        raise refuse(sentence, evidence, "Use a smaller knob_rate in nn/landscape.py.")
    return sentence, evidence


@checks_the_data
def overshoot_sentence(ts: np.ndarray, bottom: float, factor: float) -> tuple[str, str]:
    """A step size ``factor`` times larger whose first step lands past the bottom."""
    sentence = (
        f"Make the step size {factor:g} times larger, and the first step jumps over the bottom."
    )
    evidence = f"from {ts[0]:.2f} to {ts[1]:.2f}; the bottom is at {bottom:.2f}"
    if (ts[0] - bottom) * (ts[1] - bottom) >= 0:
        raise refuse(sentence, evidence, "Raise OVERSHOOT_FACTOR in nn/landscape.py.")
    return sentence, evidence


def minima_labels(costs: np.ndarray) -> list[str]:
    """Name where each descent ended: the lowest end is the lowest point of this slice."""
    lowest = float(costs.min())
    return ["lowest on this line" if c == lowest else "local minimum" for c in costs]


def step_starts(count: int) -> np.ndarray:
    """Where each of ``count`` steps starts within a roll (from 0 to 1), and 1 at the end.

    The steps take shares of the roll that shrink, each a little quicker than the last, as
    the real steps do near the bottom; the big first steps take the most time.
    """
    shares = np.maximum(0.06, 0.3 * 0.9 ** np.arange(count))
    return np.concatenate([[0.0], np.cumsum(shares) / shares.sum()])


class DescentOneDimension(NarratedScene):
    """A cost of one input, and balls rolling down it by gradient descent."""

    segment = "descent_1d"

    def construct(self) -> None:
        """One knob's cost and descent on it first, then a slice with two valleys."""
        self.land = load_landscape()
        self.turn_one_knob()
        self.find_which_way_is_down()
        self.step_in_proportion_to_the_slope()
        self.overshoot_with_too_large_a_step()
        self.clear_the_knob()
        pair = [self.land[name].astype(float) for name in ("pair_t", "pair_cost", "pair_slope")]
        self.follow(CubicHermiteSpline(*pair), offset=0.0)
        self.draw_slice()
        self.roll_balls()
        self.name_the_minima()

    def follow(self, curve: CubicHermiteSpline, offset: float) -> None:
        """Balls from now on ride ``curve`` of ``t``, drawn at ``x = offset + t``."""
        self.curve_of_t, self.x_offset = curve, offset

    def turn_one_knob(self) -> None:
        """The real cost as one bias moves, every other weight and bias as trained."""
        land = self.land
        knob = ParameterAddress.parse(land.knob, land.layer_sizes)
        self.knob_value = land.knob_value
        t, c = land["knob_t"].astype(float), land["knob_cost"].astype(float)
        self.follow(CubicHermiteSpline(t, c, land["knob_slope"].astype(float)), self.knob_value)
        x = t + self.knob_value
        low, high = float(np.floor(x[0])), float(np.ceil(x[-1]))
        top = float(np.ceil(c.max() * 10) / 10)
        self.axes = plot_axes((low, high, 2), (0, top, 0.1), 11, 5.0, font_size=LABEL_SIZE,
                              at_corner=True).shift(0.1 * UP)  # fmt: skip
        y_label = self.place_label(label("cost", color=TEXT), self.axes.y_axis, UP, buff=0.15)
        x_label = label(f"{knob.screen_words}; every other weight and bias as trained")
        self.place_label(x_label, self.axes.x_axis, DOWN, buff=0.45)
        self.graph = self.axes.plot_line_graph(
            x, c, add_vertex_dots=False, line_color=ACCENT, stroke_width=4
        )
        self.say(
            "single-input",
            "Picture a cost with a single input.",
            Create(self.axes),
            FadeIn(y_label),
        )
        with self.beat(
            "one-knob",
            f"Here is a real one: turn one knob, {knob.spoken_words}, "
            "and keep every other weight and bias where training left it.",
        ) as beat:
            self.play(Create(self.graph), run_time=beat.phrase_start(1))
            self.play(FadeIn(x_label), run_time=beat.remaining(leave=0.5))
        self.pause_to_read("the viewer reads which knob turns")
        self.knob_picture = VGroup(self.axes, self.graph, y_label, x_label)

    def find_which_way_is_down(self) -> None:
        """A ball at the start, the slope there, and an arrow pointing downhill."""
        t0 = float(self.land["knob_descent_t"][0])
        slope = float(self.curve_of_t.derivative()(t0))
        self.ball = Dot(self.ball_at(t0), radius=0.11, color=BALL_COLOURS[0])
        height = float(self.curve_of_t(t0))
        x0 = t0 + self.x_offset
        tangent = Line(*(self.axes.c2p(x0 + d, height + d * slope) for d in (-1.2, 1.2)),
                       color=MUTED, stroke_width=3)  # fmt: skip
        down = LEFT if slope > 0 else RIGHT
        arrow = Arrow(self.ball.get_center(), self.ball.get_center() + 1.3 * down,
                      color=BALL_COLOURS[0], buff=0.15)  # fmt: skip
        downhill = label("downhill", color=BALL_COLOURS[0])
        self.place_label(downhill, arrow, UP, buff=0.1)
        self.say("which-way", "Which way is down?", FadeIn(self.ball, scale=1.5))
        with self.beat("slope", downhill_sentence(slope)) as beat:
            self.play(Create(tangent), run_time=1)
            self.play(GrowArrow(arrow), FadeIn(downhill), run_time=beat.remaining(leave=0.5))
        self.pause_to_read("the viewer sees the slope and the way down")
        self.play(FadeOut(VGroup(tangent, arrow, downhill)), run_time=0.5)

    def step_in_proportion_to_the_slope(self) -> None:
        """The real descent with steps that shrink near the bottom, each step marked."""
        ts = self.land["knob_descent_t"].astype(float)
        self.knob_trail = VGroup()
        self.key = VGroup(self.key_line("steps in proportion to the slope", BALL_COLOURS[0]))
        self.key.move_to(self.axes.c2p(self.axes.x_range[0], self.axes.y_range[1]), UP + LEFT)
        self.key.shift(0.4 * RIGHT)
        with self.beat("proportional-steps", shrinking_sentence(ts)) as beat:
            self.play(FadeIn(self.key), run_time=0.5)
            self.roll(self.ball, ts, self.knob_trail, beat.remaining(leave=0.5))
        self.pause_to_read("the viewer sees the steps shrink", at_least=1)

    def overshoot_with_too_large_a_step(self) -> None:
        """The same start with a step size eight times larger: the first step overshoots."""
        ts = self.land["knob_overshoot_t"].astype(float)
        factor = self.land.overshoot_factor
        knob_t = self.land["knob_t"].astype(float)
        bottom = float(knob_t[np.argmin(self.land["knob_cost"])])
        ball = Dot(self.ball_at(float(ts[0])), radius=0.11, color=BALL_COLOURS[1])
        self.overshoot_trail = VGroup()
        line = self.key_line(f"the same, step size {round(factor)} times larger", BALL_COLOURS[1])
        line.next_to(self.key, DOWN, buff=0.15, aligned_edge=LEFT)
        self.key.add(line)
        with self.beat("overshoot", overshoot_sentence(ts, bottom, round(factor))) as beat:
            self.play(FadeIn(ball, scale=1.5), FadeIn(line), run_time=0.5)
            self.roll(ball, ts, self.overshoot_trail, beat.remaining(leave=0.5), jump=True)
        self.pause_to_read("the viewer sees the overshoot", at_least=1)
        self.knob_balls = VGroup(self.ball, ball)

    @staticmethod
    def key_line(words: str, colour: str) -> VGroup:
        """A line of the balls' key: a dot in the ball's colour and what its steps are."""
        return VGroup(
            Dot(radius=STEP_MARK * 1.5, color=colour), label(words, color=colour)
        ).arrange(RIGHT, buff=0.15)

    def clear_the_knob(self) -> None:
        """Everything of the knob leaves, for the next slice."""
        drawn = VGroup(
            self.knob_picture, self.knob_balls, self.knob_trail, self.overshoot_trail, self.key
        )
        self.play(FadeOut(drawn), run_time=0.8)

    def draw_slice(self) -> None:
        """Axes and the real cost along the line between two trained networks."""
        t, c = self.land["pair_t"], self.land["pair_cost"]
        top = float(np.ceil(c.max() * 10) / 10)
        span = (float(t[0]), float(t[-1]), 0.5)
        self.axes = plot_axes(span, (0, top, 0.2), 11, 5.0, font_size=LABEL_SIZE, at_corner=True)
        self.axes.shift(0.1 * UP)
        y_label = self.place_label(label("cost", color=TEXT), self.axes.y_axis, UP, buff=0.15)
        x_label = label("t: from one trained network (t = 0) to another (t = 1)")
        self.place_label(x_label, self.axes.x_axis, DOWN, buff=0.45)
        self.graph = self.axes.plot_line_graph(
            t, c, add_vertex_dots=False, line_color=ACCENT, stroke_width=4
        )
        with self.beat(
            "real-slice",
            "Real costs can have more than one valley. This is the network's cost along a "
            "straight line, between two networks trained from different random starts.",
        ) as beat:  # the line's description appears as the voice names the two networks
            self.play(Create(self.axes), FadeIn(y_label), run_time=1)
            self.play(Create(self.graph), run_time=max(beat.phrase_start(1) - 1, 0.5))
            self.play(FadeIn(x_label), run_time=beat.remaining(leave=0.5))
        self.labels = VGroup(y_label, x_label)

    def ball_at(self, t: float) -> np.ndarray:
        """Where the ball sits on the curve at ``t``."""
        return self.axes.c2p(t + self.x_offset, float(self.curve_of_t(t)))

    def roll(
        self, ball: Dot, ts: np.ndarray, trail: VGroup, run_time: float, *, jump: bool = False
    ) -> None:
        """Take the descent's real steps in ``run_time``, one after another, each quicker.

        One animation for the whole roll, so it lasts ``run_time`` at any frame rate; a mark
        appears where each step starts. The ball rides the curve between steps, or with
        ``jump`` arcs over it in a straight hop, as a step too large does.
        """
        starts = step_starts(len(ts) - 1)
        for t in ts[:-1]:
            mark = Dot(self.ball_at(float(t)), radius=STEP_MARK, color=ball.get_color())
            trail.add(mark.set_opacity(0))
        self.add(trail)

        def move(_: VGroup, alpha: float) -> None:
            k = min(int(np.searchsorted(starts, alpha, side="right")) - 1, len(ts) - 2)
            within = float(np.clip((alpha - starts[k]) / (starts[k + 1] - starts[k]), 0, 1))
            if jump:
                here, there = self.ball_at(float(ts[k])), self.ball_at(float(ts[k + 1]))
                height = min(JUMP_HEIGHT, 0.25 * float(np.linalg.norm(there - here)))
                lift = 4 * height * within * (1 - within) * UP  # a hop as high as it is long
                ball.move_to(here + within * (there - here) + lift)
            else:
                ball.move_to(self.ball_at(float(ts[k] + within * (ts[k + 1] - ts[k]))))
            for j, mark in enumerate(trail):
                mark.set_opacity(1.0 if j <= k else 0.0)

        self.play(UpdateFromAlphaFunc(VGroup(ball, trail), move), run_time=run_time)

    def roll_balls(self) -> None:
        """One ball per starting point, each ending in the valley below it, said as it rolls."""
        self.balls = VGroup()
        self.trails = VGroup()
        for i, ts in enumerate(self.land["descent_t"]):
            if i < len(ROLL_BEATS):
                with self.beat(*ROLL_BEATS[i]) as beat:
                    self.roll_one_ball(i, ts, beat)
            else:
                with self.silence("one more ball rolls; the viewer sees which valley it finds"):
                    self.roll_one_ball(i, ts, None)

    def roll_one_ball(self, i: int, ts: np.ndarray, beat: Beat | None) -> None:
        """Ball ``i`` appears at its start, then rolls until just before ``beat``'s words end."""
        colour = BALL_COLOURS[i % len(BALL_COLOURS)]
        ball = Dot(self.ball_at(float(ts[0])), radius=0.11, color=colour)
        self.play(FadeIn(ball, scale=1.5), run_time=0.5)
        trail = VGroup()
        self.roll(ball, ts, trail, beat.remaining(leave=0.5) if beat else SILENT_ROLL)
        self.balls.add(ball)
        self.trails.add(trail)

    def name_the_minima(self) -> None:
        """Which valley is lower, told from the real costs where the balls stopped."""
        ends = self.land["descent_t"][:, -1]
        costs = self.land["descent_cost"][:, -1]
        names = minima_labels(costs)
        lowest, others = VGroup(), VGroup()
        for place in sorted(set(np.round(ends, 1))):
            members = [i for i, e in enumerate(ends) if round(float(e), 1) == place]
            i = members[0]
            colour = BALL_COLOURS[i % len(BALL_COLOURS)]  # the ball that found this valley
            tag = VGroup(caption(names[i], color=colour), label(f"cost {float(costs[i]):.4f}"))
            tag.arrange(DOWN, buff=0.1)
            tag.move_to(self.axes.c2p(float(ends[i]), TAG_HEIGHT))
            tag.add_to_back(BackgroundRectangle(tag, color=BACKGROUND, fill_opacity=1, buff=0.08))
            bottom = self.axes.c2p(float(ends[i]), float(costs[i]))
            pointer = Arrow(tag.get_bottom(), bottom, buff=0.12, color=colour, stroke_width=3)
            self.link_label(tag, Dot(bottom, radius=0.01), pointer)
            group = lowest if names[i] == "lowest on this line" else others
            group.add(VGroup(tag, pointer))
        with self.beat(
            "two-valleys",
            "Both valleys are trained networks. "
            "One is a little lower: the lowest point on this line. "
            "The other is a local minimum.",
        ) as beat:  # each name appears as the voice says it
            self.wait_for_phrase(beat, 1)
            self.play(FadeIn(lowest), run_time=beat.until_phrase(2))
            self.play(FadeIn(others), run_time=beat.remaining(leave=0.5))
        tags = VGroup(lowest, others)
        dimensions = f"{self.land.parameter_count:,}"
        note = caption(f"Lowest on this line is not lowest in all {dimensions} dimensions.")
        note.to_edge(UP, buff=EDGE_BUFF)
        self.say(
            "hopeless",
            f"In all {dimensions} dimensions, finding the very lowest point is hopeless; "
            "a good local minimum is what we can hope for.",
            Write(note),
        )
        self.pause_to_read(
            "the viewer reads that the lowest on this line is not the lowest overall"
        )
        drawn = VGroup(self.axes, self.graph, self.labels, self.balls, self.trails, tags, note)
        self.play(FadeOut(drawn))
