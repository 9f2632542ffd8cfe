"""Segment 14, random input: feed the trained network pure noise, and it answers anyway.

The noise image is the digits trace's seeded ``noise_image``; the outputs are the trained
network's real activations for it.
"""

from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    Create,
    FadeIn,
    FadeOut,
    Group,
    SurroundingRectangle,
    VGroup,
    Wiggle,
)

from nn.network import network_input, predict
from nn.traces import load_digits, load_run
from scenes.toolkit.decimal_column import DecimalColumn
from scenes.toolkit.digit_image import DigitImage
from scenes.toolkit.guess import GuessMarker
from scenes.toolkit.narration import NarratedScene
from scenes.toolkit.network_diagram import NetworkDiagram, activations_for
from scenes.toolkit.style import CAPTION_SIZE, EDGE_BUFF, HIGHLIGHT, LABEL_SIZE, body, caption

__all__ = ["CONFIDENT", "RandomInput", "answer_narration"]

CONFIDENT = 0.5
"""An output above this is a confident answer."""


def answer_narration(answer: int, output: float) -> str:
    """What to say about the network's answer to noise, as confident as its real output."""
    if output > CONFIDENT:
        return f"It answers anyway, and with confidence: {answer}."
    return (
        f"It still picks an answer, {answer}, though its brightest output is only {output:.2f}: "
        "a shrug, not a confident call."
    )


class RandomInput(NarratedScene):
    """Noise in, a confident digit out."""

    segment = "random_input"

    def construct(self) -> None:
        """Show the noise, run it through, read the outputs and the answer."""
        self.run = load_run("main")
        self.params = self.run.parameters(-1)
        self.noise = load_digits()["noise_image"]
        self.activations = activations_for(self.params, self.noise)
        self.outputs = self.activations[-1]
        self.answer = int(predict(self.params, network_input(self.noise))[0])
        self.feed_noise()
        self.read_the_answer()

    def feed_noise(self) -> None:
        """The noise image and the trained network lighting up for it."""
        self.network = NetworkDiagram(
            self.run.layer_sizes, layer_spacing=1.5, neuron_spacing=0.33, radius=0.11
        )
        self.network.show_weights(self.params).shift(0.6 * LEFT + 0.2 * DOWN)
        self.labels = self.network.output_labels(font_size=LABEL_SIZE)
        self.digit = DigitImage(self.noise, height=2.0).to_edge(LEFT, buff=0.7)
        self.caption = self.place_label(caption("random noise"), self.digit, DOWN, buff=0.2)
        self.say(
            "noise",
            "What if we feed the trained network pure noise?",
            FadeIn(self.network),
            FadeIn(self.labels),
            FadeIn(self.digit),
            FadeIn(self.caption),
        )
        with self.silence("the viewer watches the noise light up the layers"):
            self.play(self.network.forward_pass(self.activations), run_time=2)

    def read_the_answer(self) -> None:
        """Its ten real outputs, the guess marked, its brightest output framed, what it says."""
        outputs = self.network.neurons[-1]
        row_height = self.network.neuron_gap()  # each value level with its neuron
        column = DecimalColumn(
            self.outputs, edge_count=5, decimals=2, font_size=CAPTION_SIZE, row_height=row_height
        )
        column.next_to(self.labels, RIGHT, buff=0.4).match_y(outputs)
        for digit, neuron in enumerate(outputs):
            self.link_label(column.entry(digit), neuron, level=True)
        row = VGroup(self.network.neurons[-1][self.answer], self.labels[self.answer])
        marker = GuessMarker(row, font_size=CAPTION_SIZE).pointing_at(column.get_right()[0] + 0.3)
        self.anchor(marker, name="Guess", edge=LEFT, axes="x")
        top = float(self.outputs[self.answer])
        answer = body(f"It says {self.answer}, with output {top:.2f}", color=HIGHLIGHT)
        answer.to_edge(DOWN, buff=EDGE_BUFF)
        brightest = column.entry(self.answer)
        frame = SurroundingRectangle(brightest, color=HIGHLIGHT, buff=0.06)
        with self.beat("answer", answer_narration(self.answer, top)) as beat:
            self.play(FadeIn(column), FadeIn(marker), run_time=min(2, beat.duration / 3))
            self.play(Create(frame), run_time=min(2, beat.remaining(leave=0.5) / 2))
            self.play(Wiggle(VGroup(brightest, frame)), run_time=beat.remaining(leave=0.5))
        self.say(
            "never-taught",
            "It was never taught to say: I don't know.",
            FadeIn(answer),
        )
        self.pause(2, "the viewer looks at the answer the network gives to noise")
        noise = Group(self.network, self.labels, self.digit, self.caption)
        self.play(FadeOut(Group(noise, column, frame, marker, answer)))
