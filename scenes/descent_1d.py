"""Segment 6, descent in one dimension: a ball rolls down a real slice of the network's cost.

The curve is the real average training cost along the straight line from the trained network
(t = 0) to a second network trained from another random start (t = 1), from the landscape
trace. Each ball takes the trace's real gradient-descent steps, ``t <- t - rate * dC/dt``:
big where the slope is steep, shrinking near the bottom. Between two steps the ball follows
the curve, interpolated through the trace's costs and exact slopes. A descent lasts as long as
the words said over it, its steps keeping their proportions: the ball slows near the bottom.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    UP,
    Arrow,
    BackgroundRectangle,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    UpdateFromAlphaFunc,
    VGroup,
    Write,
)
from scipy.interpolate import CubicHermiteSpline

from nn.traces import load_landscape
from scenes.toolkit.narration import Beat, NarratedScene
from scenes.toolkit.plots import plot_axes
from scenes.toolkit.style import (
    ACCENT,
    BACKGROUND,
    EDGE_BUFF,
    GOOD,
    HIGHLIGHT,
    LABEL_SIZE,
    TEXT,
    caption,
    label,
)

__all__ = [
    "BALL_COLOURS",
    "ROLL_BEATS",
    "SILENT_ROLL",
    "TAG_HEIGHT",
    "DescentOneDimension",
    "minima_labels",
    "step_starts",
]

BALL_COLOURS = (HIGHLIGHT, "#ff9e64", "#bb9af7", "#7ee787")
TAG_HEIGHT = 0.5
"""Cost at which the names of the minima stand, above the valleys."""
ROLL_BEATS = (
    ("start-anywhere", "Start anywhere, and step in whichever direction lowers the cost."),
    (
        "proportional-steps",
        "Steps are proportional to the slope: big where it is steep, shrinking near the bottom.",
    ),
    ("another-valley", "Start somewhere else, and you may land in another valley."),
)
"""The beat (name, words) said while each ball rolls; the balls past these roll without words."""
SILENT_ROLL = 3.0
"""Seconds a ball rolls when nothing is said over it."""


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
        """Draw the real slice, roll balls from several starts, name the minima."""
        self.land = load_landscape()
        pair = [self.land[name].astype(float) for name in ("pair_t", "pair_cost", "pair_slope")]
        self.curve_of_t = CubicHermiteSpline(*pair)  # through the costs, with the exact slopes
        self.draw_slice()
        self.roll_balls()
        self.name_the_minima()

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
        self.say(
            "single-input",
            "Picture a cost with a single input.",
            Create(self.axes),
            FadeIn(y_label),
        )
        with self.beat(
            "real-slice",
            "This one is real: the network's cost along a straight line, "
            "between two networks trained from different random starts.",
        ) as beat:  # the line's description appears as the voice names the two networks
            self.play(Create(self.graph), run_time=beat.phrase_start(1))
            self.play(FadeIn(x_label), run_time=beat.remaining(leave=0.5))
        self.labels = VGroup(y_label, x_label)

    def ball_at(self, t: float) -> np.ndarray:
        """Where the ball sits on the curve at ``t``."""
        return self.axes.c2p(t, float(self.curve_of_t(t)))

    def roll(self, ball: Dot, ts: np.ndarray, trail: VGroup, run_time: float) -> None:
        """Take the descent's real steps in ``run_time``, one after another, each quicker.

        One animation for the whole roll, so it lasts ``run_time`` at any frame rate; a trail
        mark appears where each step starts.
        """
        starts = step_starts(len(ts) - 1)
        for t in ts[:-1]:
            mark = Dot(self.ball_at(float(t)), radius=0.03, color=ball.get_color())
            trail.add(mark.set_opacity(0))
        self.add(trail)

        def move(_: VGroup, alpha: float) -> None:
            k = min(int(np.searchsorted(starts, alpha, side="right")) - 1, len(ts) - 2)
            within = (alpha - starts[k]) / (starts[k + 1] - starts[k])
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
            colour = GOOD if names[i] == "lowest on this line" else TEXT
            tag = VGroup(caption(names[i], color=colour), label(f"cost {float(costs[i]):.4f}"))
            tag.arrange(DOWN, buff=0.1)
            tag.move_to(self.axes.c2p(float(ends[i]), TAG_HEIGHT))
            tag.add_to_back(BackgroundRectangle(tag, color=BACKGROUND, fill_opacity=1, buff=0.08))
            bottom = self.axes.c2p(float(ends[i]), float(costs[i]))
            pointer = Arrow(
                tag.get_bottom(), bottom, buff=0.12, color=BALL_COLOURS[i], stroke_width=3
            )
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
        self.pause(2, "the viewer reads that the lowest on this line is not the lowest overall")
        drawn = VGroup(self.axes, self.graph, self.labels, self.balls, self.trails, tags, note)
        self.play(FadeOut(drawn))
