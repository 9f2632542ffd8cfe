"""Segment 1, title and plan: the chapter's title card and what the chapter will cover.

The card says what every number in the video comes from, read from the ``main`` trace.
"""

from __future__ import annotations

from manim import DOWN, LEFT, UP, FadeIn, FadeOut, LaggedStart, VGroup, Write

from nn.traces import load_run
from scenes.toolkit.narration import NarratedScene
from scenes.toolkit.style import ACCENT, body, caption, heading, label, title

__all__ = ["PLAN", "TitleAndPlan"]

PLAN = ("Recap", "Gradient descent", "Analysing the network", "Research corner")


class TitleAndPlan(NarratedScene):
    """Title card, then the plan of the chapter."""

    segment = "title"
    split_before = ("real-network",)

    def construct(self) -> None:
        """Show the title, where the numbers come from, then the plan."""
        self.main_run = load_run("main")
        self.show_title()
        self.show_where_the_numbers_come_from()
        self.show_plan()

    def show_title(self) -> None:
        """The chapter's title."""
        series = caption("Deep learning, chapter 2")
        chapter_title = title("Gradient descent")
        subtitle = heading("how neural networks learn", color=ACCENT)
        self.card = VGroup(series, chapter_title, subtitle).arrange(DOWN, buff=0.35).shift(0.5 * UP)
        with self.beat("title", "Gradient descent: how neural networks learn."):
            self.play(FadeIn(series), Write(chapter_title), run_time=1.5)
            self.play(FadeIn(subtitle, shift=0.2 * UP))

    def show_where_the_numbers_come_from(self) -> None:
        """A line on the network trained for this video, with its figures from the trace."""
        source = VGroup(*(label(line) for line in self.source_lines()))
        source.arrange(DOWN, buff=0.18)
        source.to_edge(DOWN, buff=0.6)
        self.say(
            "real-network",
            "Every number you will see comes from a real network trained for this video.",
            LaggedStart(*(FadeIn(line) for line in source), lag_ratio=0.6),
            leave=1.9,  # the lines stand still for the last words: reading time
        )
        self.pause_to_read("the viewer reads the network's figures on the card")
        self.play(FadeOut(self.card), FadeOut(source))

    def source_lines(self) -> tuple[str, str]:
        """Where the numbers come from: layer sizes, parameter count, data, from the trace."""
        run = self.main_run
        sizes = "-".join(str(n) for n in run.layer_sizes)
        count, digits = run.parameter_count, run.data.n_train
        return (
            f"Every number here comes from a {sizes} network trained for this video:",
            f"{count:,} weights and biases, {digits:,} MNIST training digits",
        )

    def show_plan(self) -> None:
        """The four parts of the chapter, as a numbered list, each said as it appears."""
        plan_heading = heading("In this chapter").to_edge(UP, buff=0.8)
        items = VGroup(*(body(f"{i}.  {part}") for i, part in enumerate(PLAN, start=1)))
        # Lines sit on evenly spaced baselines: align each numeral's bottom, not each box.
        left = plan_heading.get_left()[0]
        top = plan_heading.get_bottom()[1] - 1.2
        for row, item in enumerate(items):
            item.shift([left - item.get_left()[0], top - 0.8 * row - item[0].get_bottom()[1], 0])
        items.set_x(0)
        for number, (item, part) in enumerate(zip(items, PLAN, strict=True)):
            with self.beat(part.lower().replace(" ", "-"), part + "."):
                heading_first = [FadeIn(plan_heading)] if number == 0 else []
                self.play(*heading_first, FadeIn(item, shift=0.3 * LEFT), run_time=0.6)
        self.pause_to_read("the viewer takes in the whole plan", at_least=1.5)
        self.play(FadeOut(plan_heading), FadeOut(items))
