"""Segment 17, outro: what comes next, then credits for the data, the papers, the voice and tools.

Each block of the credits appears as the voice names it.

The line on how the numbers were made reads the ``main`` trace's metadata; the tool versions
are the ones that computed the traces and the Manim that renders this scene.
"""

from __future__ import annotations

import manim
from manim import DOWN, UP, FadeIn, FadeOut, Group, Indicate, Text, VGroup, Write

from nn.traces import load_run
from scenes.toolkit.narration import NarratedScene
from scenes.toolkit.style import ACCENT, CAPTION_SIZE, FONT, HEADING_SIZE, TEXT
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
)


class Outro(NarratedScene):
    """Backpropagation next; then the credits."""

    segment = "outro"

    def construct(self) -> None:
        """Say what comes next, then roll the credits."""
        self.main = load_run("main")
        self.whats_next()
        self.credits()

    def whats_next(self) -> None:
        """The next chapter: how the gradient is actually computed."""
        up_next = Text("Next: backpropagation", font=FONT, font_size=HEADING_SIZE, color=ACCENT)
        count = self.main.parameter_count
        detail = Text(f"how to compute the gradient of all {count:,} weights and biases at once",
                      font=FONT, font_size=CAPTION_SIZE, color=TEXT)  # fmt: skip
        card = VGroup(up_next, detail).arrange(DOWN, buff=0.45)
        self.say(
            "gradient",
            "Everything today leaned on the gradient.",
            Write(up_next),
        )
        with self.beat(
            "backpropagation",
            "Next time: backpropagation, the algorithm that computes it, "
            f"for all {count:,} weights and biases in one sweep.",
        ) as beat:  # the title is named first, then what it computes
            self.play(Indicate(up_next, color=TEXT, scale_factor=1.1),
                      run_time=max(beat.phrase_start(1) - 0.3, 1))  # fmt: skip
            self.wait_for_phrase(beat, 1)
            self.play(FadeIn(detail, shift=0.2 * UP), run_time=beat.remaining(leave=0.5))
        self.pause(1.5, "the viewer reads what backpropagation will compute")
        self.play(FadeOut(card))

    def credits(self) -> None:
        """Data, references, and how every number in the video was made."""
        run = self.main
        sizes = "-".join(str(n) for n in run.layer_sizes)
        versions, steps, seed = run.versions, run.total_steps, run.seed
        sections = (
            ("Data", DATA_CREDIT),
            ("References", REFERENCES),
            ("Voice", voice_credits()),
            ("Every number", (
                f"a {sizes} sigmoid network trained for this video,",
                f"{steps:,} steps of stochastic gradient descent from seed {seed};",
                f"made with Manim Community {manim.__version__}, NumPy {versions['numpy']} "
                f"and SciPy {versions['scipy']}",
            )),
        )  # fmt: skip
        blocks = VGroup(*(
            VGroup(
                Text(title, font=FONT, font_size=CAPTION_SIZE, color=ACCENT, weight="BOLD"),
                *(Text(line, font=FONT, font_size=20, color=TEXT) for line in lines),
            ).arrange(DOWN, buff=0.14)
            for title, lines in sections
        )).arrange(DOWN, buff=0.5)  # fmt: skip
        blocks.move_to(0.1 * DOWN)
        said = (
            ("data", "The digits are MNIST, by Yann LeCun, Corinna Cortes and Christopher Burges."),
            ("references", "The cost surface and the memorization experiment follow these papers."),
            ("voice", "The voice is Piper, an offline text to speech system."),
            ("every-number",
             "And every number you saw came from a real network, trained for this video."),
        )  # fmt: skip
        for block, (slug, words) in zip(blocks, said, strict=True):
            self.say(
                slug,
                words,
                FadeIn(block, lag_ratio=0.15),
            )
        self.pause(4, "the viewer reads the credits")
        self.say(
            "thanks",
            "Thanks for watching.",
            FadeOut(Group(*self.mobjects)),
            leave=0.2,
        )
