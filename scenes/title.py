"""Segment 1, title and plan: the chapter's title card and what the chapter will cover.

The card says what every number in the video comes from, read from the ``main`` trace.
"""

from __future__ import annotations

from manim import DOWN, LEFT, UP, FadeIn, FadeOut, LaggedStart, Text, VGroup, Write

from nn.traces import load_run
from scenes.toolkit.narration import NarratedScene
from scenes.toolkit.style import (
    ACCENT,
    BODY_SIZE,
    CAPTION_SIZE,
    FONT,
    HEADING_SIZE,
    MUTED,
    TITLE_SIZE,
)

__all__ = ["PLAN", "TitleAndPlan"]

PLAN = ("Recap", "Gradient descent", "Analysing the network", "Research corner")


class TitleAndPlan(NarratedScene):
    """Title card, then the plan of the chapter."""

    segment = "title"

    def construct(self) -> None:
        """Show the title, where the numbers come from, then the plan."""
        self.main_run = load_run("main")
        self.show_title()
        self.show_where_the_numbers_come_from()
        self.show_plan()

    def show_title(self) -> None:
        """The chapter's title."""
        series = Text("Deep learning, chapter 2", font=FONT, font_size=CAPTION_SIZE, color=MUTED)
        title = Text("Gradient descent", font=FONT, font_size=TITLE_SIZE, weight="BOLD")
        subtitle = Text("how neural networks learn", font=FONT, font_size=40, color=ACCENT)
        self.card = VGroup(series, title, subtitle).arrange(DOWN, buff=0.35).shift(0.5 * UP)
        with self.beat("title", "Gradient descent: how neural networks learn."):
            self.play(FadeIn(series), Write(title), run_time=1.5)
            self.play(FadeIn(subtitle, shift=0.2 * UP))

    def show_where_the_numbers_come_from(self) -> None:
        """A line on the network trained for this video, with its figures from the trace."""
        source = VGroup(
            *(
                Text(line, font=FONT, font_size=0.8 * CAPTION_SIZE, color=MUTED)
                for line in self.source_lines()
            )
        ).arrange(DOWN, buff=0.18)
        source.to_edge(DOWN, buff=0.6)
        self.say(
            "real-network",
            "Every number you will see comes from a real network trained for this video.",
            LaggedStart(*(FadeIn(line) for line in source), lag_ratio=0.6),
        )
        self.pause(1.5, "the viewer reads the network's figures on the card")
        self.play(FadeOut(self.card), FadeOut(source))

    def source_lines(self) -> tuple[str, str]:
        """Where the numbers come from: layer sizes, parameter count, data, from the trace."""
        run = self.main_run
        sizes = "-".join(str(n) for n in run.layer_sizes)
        return (
            f"Every number here comes from a {sizes} network trained for this video:",
            f"{run.parameter_count:,} weights and biases, "
            f"{run.data.n_train:,} MNIST training digits",
        )

    def show_plan(self) -> None:
        """The four parts of the chapter, as a numbered list, each said as it appears."""
        heading = Text("In this chapter", font=FONT, font_size=HEADING_SIZE).to_edge(UP, buff=0.8)
        items = VGroup(
            *(
                Text(f"{i}.  {part}", font=FONT, font_size=BODY_SIZE)
                for i, part in enumerate(PLAN, start=1)
            )
        )
        # Lines sit on evenly spaced baselines: align each numeral's bottom, not each box.
        left = heading.get_left()[0]
        top = heading.get_bottom()[1] - 1.2
        for row, item in enumerate(items):
            item.shift([left - item.get_left()[0], top - 0.8 * row - item[0].get_bottom()[1], 0])
        items.set_x(0)
        for number, (item, part) in enumerate(zip(items, PLAN, strict=True)):
            with self.beat(part.lower().replace(" ", "-"), part + "."):
                heading_first = [FadeIn(heading)] if number == 0 else []
                self.play(*heading_first, FadeIn(item, shift=0.3 * LEFT), run_time=0.6)
        self.pause(1.5, "the viewer takes in the whole plan")
        self.play(FadeOut(heading), FadeOut(items))
