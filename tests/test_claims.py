"""Sentences about the data are built by checks: with the real traces they hold and are recorded
with their evidence; with altered traces the build refuses, in one line naming the sentence."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from nn.traces import load_digits, load_run
from scenes.toolkit.claims import ClaimError, Fact, checks_the_data, refuse, words_of_beat


def with_arrays(trace, **changes):
    """``trace`` with some of its arrays replaced: an altered trace, as a reader returns it."""
    return dataclasses.replace(trace, arrays={**trace.arrays, **changes})


def untrained(run):
    """The run with every snapshot replaced by its first: the "trained" network is random."""
    arrays = {k: np.repeat(v[:1], len(v), axis=0) for k, v in run.arrays.items()
              if k[0] in "Wb" and v.ndim >= 2}  # fmt: skip
    return with_arrays(run, **arrays)


def trained_from_the_start(run):
    """The run with its first snapshot replaced by its last: the random start is trained."""
    arrays = {k: np.concatenate([v[-1:], v[1:]]) for k, v in run.arrays.items()
              if k[0] in "Wb" and v.ndim >= 2}  # fmt: skip
    return with_arrays(run, **arrays)


def test_a_check_builds_a_fact_with_its_name_and_evidence_or_refuses_in_one_line():
    @checks_the_data
    def positive_sentence(value: float) -> tuple[str, str]:
        sentence = "The value is positive."
        if value <= 0:
            raise refuse(sentence, f"value {value}", "Pick another value.")
        return sentence, f"value {value}"

    fact = positive_sentence(2.0)
    assert fact == Fact("The value is positive.", "positive_sentence", "value 2.0")
    assert words_of_beat(fact) == ("The value is positive.", {
        "check": "positive_sentence", "evidence": "value 2.0"})  # fmt: skip
    assert words_of_beat("A plain sentence.") == ("A plain sentence.", None)
    with pytest.raises(ClaimError) as refused:
        positive_sentence(-1.0)
    assert str(refused.value).splitlines() == [
        'the data does not back "The value is positive.": value -1.0. Pick another value.'
    ]


def test_the_cost_sentences_hold_on_the_real_traces_and_refuse_the_opposite(traces_env):
    from scenes.cost_of_one_example import (
        EXAMPLE,
        confident_sentence,
        contrast_sentence,
        example_cost_terms,
        first_confident_example,
        junk_sentence,
        worse_than_zero_sentence,
    )

    run, digits = load_run("main"), load_digits()
    label = int(digits["train_labels"][EXAMPLE])
    junk = example_cost_terms(run.parameters(0), digits["train_images"][EXAMPLE], label)
    found = first_confident_example(
        run.parameters(-1), digits["test_images"], digits["test_labels"], label
    )
    right = example_cost_terms(run.parameters(-1), digits["test_images"][found], label)
    assert digits["test_labels"][found] == label
    assert "utter trash" in junk_sentence(junk["output"], label).text
    assert "confident and right" in confident_sentence(right["output"], label).text
    assert "tiny" in contrast_sentence(right["cost"], junk["cost"], 1.0).text
    assert "Worse than" in worse_than_zero_sentence(float(run["train_cost"][0]), 1.0).text
    # the other way round, each refuses and names its sentence
    for refused, sentence in [
        (lambda: junk_sentence(right["output"], label), "utter trash"),
        (lambda: confident_sentence(junk["output"], label), "confident and right"),
        (lambda: contrast_sentence(junk["cost"], right["cost"], 1.0), "its cost is tiny"),
        (lambda: contrast_sentence(0.5, junk["cost"], 1.0), "its cost is tiny"),
        (lambda: worse_than_zero_sentence(0.9, 1.0), "Worse than a network"),
        (lambda: first_confident_example(
            run.parameters(0), digits["test_images"], digits["test_labels"], label),
         "a confident right answer"),
    ]:  # fmt: skip
        with pytest.raises(ClaimError, match=sentence):
            refused()


def test_the_cost_of_one_example_says_its_facts_with_their_evidence(built_scene, traces_env):
    scene = built_scene("cost_of_one_example")
    facts = {b.id.split("/")[1]: b.fact for b in scene.beats if b.fact}
    assert set(facts) == {"utter-trash", "confident", "small-and-large", "worse-than-zero"}
    assert facts["small-and-large"]["check"] == "contrast_sentence"
    assert f"{scene.trained_terms['cost']:.5f}" in facts["small-and-large"]["evidence"]
    from nn.network import forward, network_input

    digits, trained = load_digits(), load_run("main").parameters(-1)
    outputs = forward(trained, network_input(digits["test_images"]))[-1]
    others = np.delete(outputs, scene.label, axis=1).max(axis=1)
    sure = (digits["test_labels"] == scene.label) & (outputs[:, scene.label] >= 0.9)
    assert scene.test_example == np.flatnonzero(sure & (others <= 0.1))[0]


@pytest.mark.parametrize(("alter", "refused"), [
    (untrained, '"a confident right answer for a '),
    (trained_from_the_start, '"...and what comes out is utter trash."'),
], ids=["untrained-final-network", "trained-random-start"])  # fmt: skip
def test_altered_networks_refuse_the_sentence_they_contradict(
    alter, refused, built_traces, build_altered
):
    run = alter(load_run("main", built_traces.directory))
    error = build_altered(
        "cost_of_one_example",
        load_run=lambda name="main": run,
    )  # fmt: skip
    assert error.count("\n") == 0
    assert error.startswith(f"error: the data does not back {refused}")


def test_an_average_cost_under_1_refuses_worse_than_answering_0(built_traces, build_altered):
    run = load_run("main", built_traces.directory)
    costs = run["train_cost"].copy()
    costs[0] = 0.9
    error = build_altered(
        "cost_of_one_example",
        load_run=lambda name="main": with_arrays(run, train_cost=costs),
    )  # fmt: skip
    assert error.count("\n") == 0
    assert '"Worse than a network that answers 0 for every digit' in error
    assert "average cost 0.900" in error


def test_digits_of_equal_cost_refuse_they_differ(built_traces, build_altered):
    from scenes.cost_as_function import STRIP

    digits = load_digits(built_traces.directory)
    images = digits["train_images"].copy()
    images[:STRIP] = images[0]
    labels = digits["train_labels"].copy()
    labels[:STRIP] = labels[0]
    altered = with_arrays(digits, train_images=images, train_labels=labels)
    error = build_altered(
        "cost_as_function",
        load_digits=lambda: altered,
    )  # fmt: skip
    assert error.count("\n") == 0
    assert '"Why an average? Each training digit has a cost of its own, and they differ."' in error


def test_the_cost_as_a_function_shows_each_digits_real_cost(built_scene, traces_env):
    from scenes.cost_as_function import STRIP, costs_of

    scene = built_scene("cost_as_function")
    digits, run = load_digits(), load_run("main")
    costs = costs_of(run.parameters(0), digits["train_images"][:STRIP],
                     digits["train_labels"][:STRIP])  # fmt: skip
    shown = [t.text for t in scene.shown_texts]
    for value in costs:
        assert f"{value:.3f}" in shown
    (beat,) = [b for b in scene.beats if b.fact]
    assert beat.fact["check"] == "costs_differ_sentence"
    assert f"average over all {run.data.n_train:,}" in shown


def test_the_recaps_question_takes_working_weights_from_the_trace(built_scene, traces_env):
    from scenes.recap import question_sentence

    run = load_run("main")
    (beat,) = [b for b in built_scene("recap").beats if b.fact]
    assert beat.id == "recap/question"
    assert beat.fact["evidence"] == f"{run.final.test_accuracy:.1%} of the test digits right"
    with pytest.raises(ClaimError, match=r'"How did it find weights that work\?'):
        question_sentence(0.3)


def test_mistakes_that_are_not_close_calls_refuse_the_sentence(built_traces, build_altered):
    from nn.network import forward

    digits = load_digits(built_traces.directory)
    run = load_run("main", built_traces.directory)
    outputs = forward(run.parameters(-1), digits["test_images"].reshape(-1, 784) / 255.0)[-1]
    labels = np.argmin(outputs, axis=1).astype(digits["test_labels"].dtype)  # each its last
    altered = with_arrays(digits, test_labels=labels)
    error = build_altered("test_performance", load_digits=lambda: altered)
    assert error.count("\n") == 0
    assert error.startswith('error: the data does not back "Many are close calls: in 0 of its')
