"""Training: it learns, it is reproducible, and a diverging run stops cleanly."""

from __future__ import annotations

import numpy as np
import pytest

from nn.compute_traces import build_traces
from nn.schedule import MAX_SNAPSHOTS, MIN_SNAPSHOTS, snapshot_steps
from nn.traces import load_run
from nn.training import DivergenceError, TrainingConfig, train, training_labels


def test_training_lowers_the_cost(built_traces):
    main = load_run("main", built_traces.directory)
    cost = main["train_cost"]
    assert cost[-1] < 0.5 * cost[0]
    first, last = main["step_cost"][:50].mean(), main["step_cost"][-50:].mean()
    assert last < first


def test_main_run_reaches_85_percent_on_the_test_split(built_traces):
    main = load_run("main", built_traces.directory)
    assert main["test_accuracy"][-1] >= 0.85
    assert main["test_accuracy"][0] < 0.3  # the random start is no good


def test_shuffled_labels_are_one_fixed_permutation_of_the_true_ones(dataset):
    true = training_labels(dataset, TrainingConfig())
    shuffled = training_labels(dataset, TrainingConfig(label_mode="shuffled"))
    np.testing.assert_array_equal(np.sort(true), np.sort(shuffled))
    assert np.mean(true == shuffled) < 0.2
    np.testing.assert_array_equal(
        shuffled, training_labels(dataset, TrainingConfig(label_mode="shuffled"))
    )


def test_both_runs_start_from_the_same_network(built_traces):
    main, shuffled = (load_run(n, built_traces.directory) for n in ("main", "random_labels"))
    for name in ("W1", "b1", "W3"):
        np.testing.assert_array_equal(main[name][0], shuffled[name][0])
    assert not np.array_equal(main["W1"][-1], shuffled["W1"][-1])
    assert shuffled.meta["label_mode"] == "shuffled" and main.meta["label_mode"] == "true"


def test_a_diverging_run_raises_and_writes_nothing(dataset, tmp_path, monkeypatch):
    # A sigmoid network saturates rather than overflowing, so make step 30 blow up.
    import nn.training

    real = nn.training.cost_and_gradient
    calls = {"n": 0}

    def blows_up_at_step_30(params, x, y):
        calls["n"] += 1
        cost, grad = real(params, x, y)
        if x.shape[0] == 10 and calls["n"] >= 30:
            grad.weights[1][0, 0] = np.inf
        return cost, grad

    monkeypatch.setattr(nn.training, "cost_and_gradient", blows_up_at_step_30)
    config = TrainingConfig(epochs=1)
    with pytest.raises(DivergenceError, match="diverged at step"):
        train(dataset, config)
    with pytest.raises(DivergenceError):
        build_traces(tmp_path, config, source="embedded", progress=False)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("total,per_epoch", [(12000, 400), (180000, 6000), (60, 2), (10**6, 1)])
def test_snapshot_schedule_is_dense_early_and_sparse_late(total, per_epoch):
    steps = snapshot_steps(total, per_epoch)
    assert steps[0] == 0 and steps[-1] == total
    assert MIN_SNAPSHOTS <= steps.size <= MAX_SNAPSHOTS
    assert np.all(np.diff(steps) > 0)
    gaps = np.diff(steps)
    assert gaps[: gaps.size // 4].mean() < gaps[-(gaps.size // 4) :].mean()


def test_short_runs_keep_every_step():
    np.testing.assert_array_equal(snapshot_steps(20, 5), np.arange(21))


def test_bad_hyper_parameters_are_refused():
    with pytest.raises(ValueError):
        TrainingConfig(learning_rate=0)
    with pytest.raises(ValueError):
        TrainingConfig(label_mode="random")
    with pytest.raises(ValueError):
        TrainingConfig(layer_sizes=(10, 16, 10))
