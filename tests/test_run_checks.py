"""Each run's sanity checks fire on runs that did not learn, and pass the recipe's own runs."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from nn.run_checks import (
    RunRefusedError,
    chance_accuracy,
    check_run,
    epoch_accuracy,
    rising_epochs,
)
from nn.traces import load_run
from nn.training import TrainingConfig, TrainingResult, train


def steps_per_epoch(run: TrainingResult, config: TrainingConfig) -> int:
    """SGD steps in one pass through a run's training digits."""
    return run.arrays["step"].size // config.epochs


def recorded(name: str, directory) -> TrainingResult:
    """A run of the session's traces as a training result."""
    run = load_run(name, directory)
    return TrainingResult(dict(run.arrays), run.parameters(-1))


def test_the_sessions_runs_pass(built_traces):
    check_run("main", recorded("main", built_traces.directory), built_traces.config)
    shuffled = replace(built_traces.config, label_mode="shuffled")
    check_run("random_labels", recorded("random_labels", built_traces.directory), shuffled)


@pytest.mark.slow
def test_a_true_label_run_at_a_huge_learning_rate_is_refused(dataset):
    config = TrainingConfig(learning_rate=1e6, epochs=1)
    result = train(dataset, config)
    assert np.isfinite(result.arrays["step_cost"]).all()  # the old divergence check let it by
    with pytest.raises(RunRefusedError, match=r"does not learn.*--learning-rate, now 1e\+06"):
        check_run("main", result, config)


@pytest.mark.slow
def test_a_slow_run_that_learns_too_little_is_refused(dataset):
    config = TrainingConfig(learning_rate=0.3, epochs=3)
    result = train(dataset, config)
    with pytest.raises(RunRefusedError, match=r"learns too little.*--epochs, now 3"):
        check_run("main", result, config)


def test_the_shuffled_run_is_held_only_to_chance(built_traces):
    shuffled = recorded("random_labels", built_traces.directory)
    config = replace(built_traces.config, label_mode="shuffled")
    chance = chance_accuracy(shuffled.arrays["train_labels"])
    first_epoch = epoch_accuracy(shuffled, 1, steps_per_epoch(shuffled, config))
    assert first_epoch < chance + 0.02  # near chance after its first epoch
    check_run("random_labels", shuffled, config)

    def ending_at(accuracy: float) -> TrainingResult:
        accuracies = np.full_like(shuffled.arrays["train_accuracy"], accuracy)
        return replace(shuffled, arrays={**shuffled.arrays, "train_accuracy": accuracies})

    check_run("random_labels", ending_at(chance - 0.0005), config)  # a hair under: not worse
    with pytest.raises(RunRefusedError, match="ends worse than chance"):
        check_run("random_labels", ending_at(chance / 2), config)


def test_values_that_overflow_float32_when_stored_are_refused(built_traces):
    run = recorded("main", built_traces.directory)
    weights = run.arrays["W1"].astype(np.float64)
    weights[-1, 0, 0] = 1e39  # finite in float64, the precision training computes in
    with np.errstate(over="ignore"):
        stored = {**run.arrays, "W1": weights.astype(np.float32)}
    with pytest.raises(RunRefusedError, match=r"'W1' is not finite as stored.*--learning-rate"):
        check_run("main", replace(run, arrays=stored), built_traces.config)


def test_a_whole_epoch_of_rising_cost_is_found_and_noise_is_not():
    rng = np.random.default_rng(0)
    steady = rng.gamma(2.0, 0.05, size=(5, 400))
    assert rising_epochs(steady.ravel(), 400) == []
    wobble = steady.copy()
    wobble[3] *= 1.3  # beyond noise, but a wobble, not a rise
    assert rising_epochs(wobble.ravel(), 400) == []
    rising = steady.copy()
    rising[3] *= 2
    [(epoch, before, during)] = rising_epochs(rising.ravel(), 400)
    assert epoch == 4 and during > before


def test_a_rising_epoch_refuses_a_true_label_run(built_traces):
    run, config = recorded("main", built_traces.directory), built_traces.config
    epoch = steps_per_epoch(run, config)
    cost = run.arrays["step_cost"].copy()
    cost[-epoch:] += 0.5  # the last epoch: several times the cost of the one before
    with pytest.raises(
        RunRefusedError, match=f"cost rises for a whole epoch: epoch {config.epochs}"
    ):
        check_run("main", replace(run, arrays={**run.arrays, "step_cost": cost}), config)
