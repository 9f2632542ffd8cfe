"""Segments 6 and 7: the balls and the surface show the landscape trace's real values."""

from __future__ import annotations

import numpy as np
import pytest

from nn.network import one_hot
from nn.slices import local_minima, slice_cost_and_slope
from nn.traces import load_landscape, load_run

SIZES = (784, 16, 16, 10)


def test_descent_steps_are_real_gradient_steps_on_the_slice(built_traces, dataset):
    land = load_landscape(built_traces.directory)
    main = load_run("main", built_traces.directory)
    start = main.parameters(-1).flatten()
    partner = land["partner"].astype(np.float64)
    x = dataset.inputs(main["train_index"])
    y = one_hot(main["train_labels"], 10)
    rate = land.meta["descent_rate"]
    ts = land["descent_t"].astype(np.float64)
    np.testing.assert_allclose(ts[:, 0], land["descent_start"], rtol=1e-6)
    for run in (0, -1):
        t0 = float(ts[run, 0])
        cost0, slope0 = slice_cost_and_slope(start, partner, t0, SIZES, x, y)
        assert float(land["descent_cost"][run, 0]) == pytest.approx(cost0, rel=1e-5)
        assert ts[run, 1] == pytest.approx(t0 - rate * slope0, abs=1e-5)
    costs = land["descent_cost"]
    assert np.all(np.diff(costs, axis=1) <= 1e-6)  # downhill all the way
    steps = np.abs(np.diff(ts, axis=1))
    assert np.all(steps[:, -1] < steps[:, 0])  # the steps shrink near the bottom


def test_the_pair_slice_has_a_valley_at_each_trained_network(built_traces):
    land = load_landscape(built_traces.directory)
    t, c = land["pair_t"], land["pair_cost"]
    minima = t[local_minima(c)]
    assert len(minima) >= 2
    assert min(abs(minima - 0)) < 0.05 and min(abs(minima - 1)) < 0.05
    ends = land["descent_t"][:, -1]
    assert min(abs(ends - 0)) < 0.05 and min(abs(ends - 1)) < 0.05


def test_the_ball_in_1d_steps_on_the_traces_values(built_scene, traces_env):
    scene = built_scene("descent_1d")
    land = load_landscape()
    # the curve passes through every sample of the trace
    np.testing.assert_allclose(scene.curve_of_t(land["pair_t"]), land["pair_cost"], atol=1e-6)
    for trail, ts in zip(scene.trails, land["descent_t"], strict=True):
        for dot, t in zip(trail, ts[:-1], strict=True):
            x = scene.axes.p2c(dot.get_center())[0]
            assert x == pytest.approx(float(t), abs=1e-6)
    last_ball_t = scene.axes.p2c(scene.balls[-1].get_center())[0]
    assert last_ball_t == pytest.approx(float(land["descent_t"][-1, -1]), abs=1e-6)


def test_the_minima_are_named_by_their_costs():
    from scenes.descent_1d import minima_labels

    assert minima_labels(np.array([0.05, 0.04])) == ["local minimum", "lowest on this line"]
    assert minima_labels(np.array([0.03, 0.04])) == ["lowest on this line", "local minimum"]


def test_the_surface_heights_are_the_grid(built_scene, traces_env):
    scene = built_scene("cost_surface")
    land = load_landscape()
    for row, col in [(0, 0), (10, 30), (60, 60), (45, 3)]:
        a, b = float(land["alpha"][col]), float(land["beta"][row])
        assert scene.cost_at(a, b) == pytest.approx(float(land["surface_cost"][row, col]),
                                                    abs=1e-5)  # fmt: skip


def test_the_ball_on_the_surface_follows_the_projected_path(built_scene, traces_env):
    scene = built_scene("cost_surface")
    land = load_landscape()
    readout = scene.readout
    assert readout.values[0].get_value() == int(land["path_step"][-1])
    assert readout.values[1].get_value() == pytest.approx(float(land["path_cost"][-1]))
    final = land["path"][-1].astype(float)
    assert readout.values[2].get_value() == pytest.approx(scene.cost_at(*final))
    np.testing.assert_allclose(scene.ball.get_center(), scene.point(*final), atol=1e-6)
