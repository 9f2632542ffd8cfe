"""Segment 17, outro: what comes next, then credits for the data, the papers, the voice and tools.

Each block of the credits appears as the voice names it.

The line on how the numbers were made reads the ``main`` trace's metadata; the tool versions
are the ones that computed the traces and the Manim that renders this scene.
"""

from __future__ import annotations

import manim
from manim import DOWN, ORIGIN, UP, FadeIn, FadeOut, Group, Indicate, VGroup, Write

from nn.traces import load_run
from scenes.toolkit.narration import NarratedScene
from scenes.toolkit.style import ACCENT, TEXT, caption, heading, label
from scenes.toolkit.voice import voice_credits

__all__ = ["DATA_CREDIT", "REFERENCES", "Outro"]

DATA_CREDIT = (
    "MNIST handwritten digits by Yann LeCun, Corinna Cortes and Christopher J. C. Burges",
    "licence CC BY-SA 3.0",
)
REFERENCES = (
    'Li et al. 2018, "Visualizing the Loss Landscape of Neural Nets"',
    'Zhang et al. 2017, "Understanding deep learning requires rethinking generalization"',
    'Arpit et al. 2017, "A closer look at memorization in deep networks"',
    'Choromanska et al. 2015, "The loss surfaces of multilayer networks"',
)


class Outro(NarratedScene):
    """Backpropagation next; then the credits."""

    segment = "outro"

    def construct(self) -> None:
        """Say what comes next, then roll the credits."""
        self.main = load_run("main")
        self.a_starting_point()
        self.whats_next()
        self.credits()

    def a_starting_point(self) -> None:
        """What the viewer saw is old and simple: a starting point, not the state of the art."""
        sizes = "-".join(str(n) for n in self.main.layer_sizes)
        card = VGroup(
            heading("A starting point"),
            caption(f"a {sizes} network of sigmoid neurons, trained by gradient descent"),
            caption("ideas decades old; today's networks build on them"),
        ).arrange(DOWN, buff=0.35)
        self.say(
            "starting-point",
            "Everything you saw today is decades-old technology: sigmoid neurons, a few small "
            "layers, plain gradient descent. It is a starting point; today's networks build on it.",
            FadeIn(card, lag_ratio=0.3),
        )
        self.pause_to_read("the viewer reads what the chapter's network is", 1)
        self.play(FadeOut(card))

    def whats_next(self) -> None:
        """The next chapter: how the gradient is actually computed."""
        up_next = heading("Next: backpropagation", color=ACCENT)
        count = self.main.parameter_count
        detail = caption(
            f"how to compute the gradient of all {count:,} weights and biases at once", color=TEXT
        )
        card = VGroup(up_next, detail).arrange(DOWN, buff=0.45)
        self.say(
            "gradient",
            "All of it leaned on the gradient.",
            Write(up_next),
        )
        with self.beat(
            "backpropagation",
            "Next time: backpropagation, the algorithm that computes it, "
            f"for all {count:,} weights and biases in one sweep.",
        ) as beat:  # the title is named first, then what it computes
            named = Indicate(up_next, color=TEXT, scale_factor=1.1)
            self.play(named, run_time=max(beat.phrase_start(1) - 0.3, 1))
            self.wait_for_phrase(beat, 1)
            self.play(FadeIn(detail, shift=0.2 * UP), run_time=beat.remaining(leave=0.5))
        self.pause_to_read("the viewer reads what backpropagation will compute", 1.5)
        self.play(FadeOut(card))

    def credits(self) -> None:
        """Data, references, and how every number in the video was made."""
        run = self.main
        sizes = "-".join(str(n) for n in run.layer_sizes)
        versions, steps, seed = run.versions, run.total_steps, run.seed
        tools = f"Manim Community {manim.__version__}, NumPy {versions['numpy']}"
        every_number = (
            f"a {sizes} sigmoid network trained for this video,",
            f"{steps:,} steps of stochastic gradient descent from seed {seed};",
            f"made with {tools} and SciPy {versions['scipy']}",
        )
        sections = (
            ("Data", DATA_CREDIT),
            ("References", REFERENCES),
            ("Voice", voice_credits()),
            ("Every number", every_number),
        )
        blocks = VGroup()
        for title, lines in sections:
            self.credit(title, lines)
            block = VGroup(
                caption(title, color=ACCENT, weight="BOLD"),
                *(label(line, color=TEXT) for line in lines),
            )
            blocks.add(block.arrange(DOWN, buff=0.14))
        blocks.arrange(DOWN, buff=0.4).move_to(ORIGIN)
        said = (
            ("data", "The digits are MNIST, by Yann LeCun, Corinna Cortes and Christopher Burges."),
            (
                "references",
                "The cost surface, the memorization and the two valleys follow these papers.",
            ),
            ("voice", "The voice is Piper, an offline text to speech system."),
            (
                "every-number",
                "And every number you saw came from a real network, trained for this video.",
            ),
        )
        for block, (slug, words) in zip(blocks, said, strict=True):
            self.say(
                slug,
                words,
                FadeIn(block, lag_ratio=0.15),
            )
        self.pause_to_read("the viewer reads the credits", 4)
        self.say(
            "thanks",
            "Thanks for watching.",
            FadeOut(Group(*self.mobjects)),
            leave=0.2,
        )
