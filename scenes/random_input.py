"""Segment 14, random input: feed the trained network pure noise, and it answers anyway.

The noise image is the digits trace's seeded ``noise_image``; the outputs are the trained
network's real activations for it, each written level with its output neuron. How sure the
answer is, is said against the data: the brightest output for the noise beside the median
brightest output for the real test digits.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    FadeIn,
    FadeOut,
    Group,
    Succession,
    VGroup,
    Wiggle,
)

from nn.network import forward, network_input
from nn.traces import load_digits, load_run
from scenes.toolkit.claims import checks_the_data, refuse
from scenes.toolkit.digit_image import DigitImage
from scenes.toolkit.guess import GuessMarker
from scenes.toolkit.narration import NarratedScene
from scenes.toolkit.network_diagram import NetworkDiagram, activations_for
from scenes.toolkit.style import (
    CAPTION_SIZE,
    EDGE_BUFF,
    LABEL_SIZE,
    TEXT,
    body,
    caption,
    label,
    sign_color,
)

__all__ = ["CONFIDENT", "RandomInput", "answer_sentence"]

CONFIDENT = 0.5
"""An output above this is a confident answer."""


@checks_the_data
def answer_sentence(answer: int, output: float, typical: float) -> tuple[str, str]:
    """What to say about the network's answer to noise, as sure as its real output is."""
    evidence = f"brightest output {output:.3f} for noise, median {typical:.3f} for test digits"
    if output > CONFIDENT:
        sentence = f"It answers anyway, and with confidence: {answer}, at {output:.2f}."
    elif typical <= output:
        raise refuse(
            f"its brightest output is only {output:.2f}, where a real test digit typically gets "
            f"{typical:.2f}",
            evidence,
            "Compare the noise's output with something it is below.",
        )
    else:
        sentence = (
            f"It still picks an answer, {answer}, though its brightest output is only "
            f"{output:.2f}, where a real test digit typically gets {typical:.2f}."
        )
    return sentence, evidence


class RandomInput(NarratedScene):
    """Noise in, an answer out; and why the network could never draw a digit."""

    segment = "random_input"

    def construct(self) -> None:
        """Show the noise, run it through, read the outputs and the answer, then the limits."""
        self.run = load_run("main")
        self.params = self.run.parameters(-1)
        digits = load_digits()
        self.noise = digits["noise_image"]
        self.activations = activations_for(self.params, self.noise)
        self.outputs = self.activations[-1]
        self.answer = int(np.argmax(self.outputs))
        test_outputs = forward(self.params, network_input(digits["test_images"]))[-1]
        self.typical = float(np.median(test_outputs.max(axis=1)))
        self.feed_noise()
        self.read_the_answer()
        self.say_what_it_cannot_do()

    def feed_noise(self) -> None:
        """The noise image and the trained network lighting up for it."""
        self.network = NetworkDiagram(
            self.run.layer_sizes, layer_spacing=1.5, neuron_spacing=0.33, radius=0.11
        )
        self.network.show_weights(self.params).shift(1.2 * LEFT + 0.2 * DOWN)
        self.labels = self.network.output_labels(font_size=LABEL_SIZE)
        self.digit = DigitImage(self.noise, height=2.0).to_edge(LEFT, buff=0.8)
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

    def output_values(self) -> VGroup:
        """Each real output, level with its neuron, right-aligned in one column."""
        values = VGroup()
        for digit, (neuron, name) in enumerate(zip(self.network.neurons[-1], self.labels,
                                                   strict=True)):  # fmt: skip
            value = label(f"{self.outputs[digit]:.2f}", color=sign_color(self.outputs[digit]))
            values.add(value.next_to(name, RIGHT, buff=0.35).set_y(neuron.get_y()))
        right = max(value.get_right()[0] for value in values)
        for value in values:
            value.shift((right - value.get_right()[0]) * RIGHT)
        return values

    def read_the_answer(self) -> None:
        """Its ten real outputs, the guess boxed as in the recap, and how sure it is."""
        values = self.output_values()
        for value, neuron in zip(values, self.network.neurons[-1], strict=True):
            self.link_label(value, neuron, level=True)
        heading = self.place_label(label("output", color=TEXT), values, UP, buff=0.25)
        row = VGroup(self.network.neurons[-1][self.answer], self.labels[self.answer],
                     values[self.answer])  # fmt: skip
        marker = GuessMarker(row, font_size=CAPTION_SIZE)
        self.anchor(marker, name="Guess", edge=LEFT, axes="x")
        sentence = answer_sentence(self.answer, float(self.outputs[self.answer]), self.typical)
        with self.beat("answer", sentence) as beat:
            self.play(FadeIn(values), FadeIn(heading), run_time=min(2, beat.duration / 3))
            self.play(FadeIn(marker), run_time=min(2, beat.remaining(leave=0.5) / 2))
            self.play(Wiggle(values[self.answer]), run_time=beat.remaining(leave=0.5))
        self.shown = Group(values, heading, marker)
        self.answer_sentence = sentence

    def say_what_it_cannot_do(self) -> None:
        """It cannot say "I don't know", and it could never draw a digit."""
        never = body("It was never taught to say: I don't know.", color=TEXT)
        never.to_edge(DOWN, buff=EDGE_BUFF)
        self.say("never-taught", "It was never taught to say: I don't know.", FadeIn(never))
        self.hold_to_read()
        draw = body("It reads pictures; it could never draw one.", color=TEXT)
        draw.move_to(never)
        self.say(
            "never-draw",
            "And it only ever reads pictures. Ask it to draw a 5, and it has no way to: "
            "everything it knows runs one way, from pixels to answers.",
            Succession(FadeOut(never), FadeIn(draw)),
        )
        self.pause_to_read("the viewer looks at the answer the network gives to noise", 2)
        noise = Group(self.network, self.labels, self.digit, self.caption)
        self.play(FadeOut(Group(noise, self.shown, draw)))
