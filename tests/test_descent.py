"""Segments 6 and 7: the balls and the surface show the landscape trace's real values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nn.landscape import KNOB_START, OVERSHOOT_FACTOR
from nn.network import cost, one_hot, unflatten
from nn.parameter_address import ParameterAddress
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


def test_the_knob_curve_is_the_real_cost_as_that_one_bias_moves(built_traces, dataset):
    land = load_landscape(built_traces.directory)
    main = load_run("main", built_traces.directory)
    trained = main.parameters(-1).flatten()
    x, y = dataset.inputs(main["train_index"]), one_hot(main["train_labels"], 10)
    knob = ParameterAddress.parse(land.meta["knob"], SIZES)
    assert knob.is_bias and knob.is_output
    assert land.meta["knob_value"] == pytest.approx(float(trained[knob.flat_index]))
    for i in (0, 57, 100, 200):
        moved = trained.copy()
        moved[knob.flat_index] += float(land["knob_t"][i])  # only this one knob turns
        expected = cost(unflatten(moved, SIZES), x, y)
        assert float(land["knob_cost"][i]) == pytest.approx(expected, rel=1e-5)


def test_the_knob_descents_shrink_and_overshoot_for_real(built_traces):
    land = load_landscape(built_traces.directory)
    t = land["knob_t"].astype(float)
    bottom = float(t[np.argmin(land["knob_cost"])])
    steady, wild = land["knob_descent_t"].astype(float), land["knob_overshoot_t"].astype(float)
    assert steady[0] == wild[0] == pytest.approx(KNOB_START)
    steps = np.abs(np.diff(steady))
    assert np.all(np.diff(steps) <= 0) and steps[-1] < steps[0] / 5  # shrinking near the bottom
    assert np.all(np.diff(land["knob_descent_cost"]) <= 1e-7)  # downhill all the way
    assert (wild[0] - bottom) * (wild[1] - bottom) < 0  # the first big step lands past the bottom
    rates = land.meta["overshoot_rate"] / land.meta["knob_rate"]
    assert rates == pytest.approx(OVERSHOOT_FACTOR)


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


def test_the_knob_sentences_follow_the_trace_or_refuse():
    from scenes.descent_1d import downhill_sentence, overshoot_sentence, shrinking_sentence
    from scenes.toolkit.claims import ClaimError

    assert "rises to the right, so downhill is to the left" in downhill_sentence(0.05).text
    assert "rises to the left, so downhill is to the right" in downhill_sentence(-0.05).text
    assert "smaller near the bottom" in shrinking_sentence(np.array([6.0, 4.0, 3.0, 2.5])).text
    with pytest.raises(ClaimError, match="smaller near the bottom"):
        shrinking_sentence(np.array([6.0, 5.5, 4.0]))  # a step that grows
    assert "jumps over the bottom" in overshoot_sentence(np.array([6.0, -7.0]), 0.0, 8).text
    with pytest.raises(ClaimError, match="jumps over the bottom"):
        overshoot_sentence(np.array([6.0, 2.0]), 0.0, 8)  # a big step that stops short


def test_the_1d_descent_says_its_facts_from_the_trace(built_scene, traces_env):
    scene = built_scene("descent_1d")
    land = load_landscape()
    facts = {b.id.split("/")[1]: b.fact for b in scene.beats if b.fact}
    assert set(facts) == {"slope", "proportional-steps", "overshoot"}
    wild = land["knob_overshoot_t"]
    assert facts["overshoot"]["evidence"].startswith(f"from {wild[0]:.2f} to {wild[1]:.2f}")
    knob_axes, value = scene.knob_picture[0], land.meta["knob_value"]
    for ball, ts in zip(scene.knob_balls, (land["knob_descent_t"], wild), strict=True):
        x = knob_axes.p2c(ball.get_center())[0]  # each ball ends where its real descent ends
        assert x == pytest.approx(value + float(ts[-1]), abs=1e-5)
    marks = [knob_axes.p2c(mark.get_center())[0] - value for mark in scene.knob_trail]
    np.testing.assert_allclose(marks, land["knob_descent_t"][:-1], atol=1e-5)


def test_each_valley_is_named_in_the_colour_of_a_ball_that_found_it(built_scene, traces_env):
    from scenes.descent_1d import BALL_COLOURS

    scene = built_scene("descent_1d")
    ends = load_landscape()["descent_t"][:, -1]
    tags = [link for link in scene.layout_check.labels if link.pointer is not None
            and scene.axes.p2c(link.target.get_center())[1] < 0.2]  # fmt: skip
    assert len(tags) == 2
    for tag in tags:
        where = scene.axes.p2c(tag.target.get_center())[0]
        finders = [BALL_COLOURS[i].lower() for i, end in enumerate(ends) if abs(end - where) < 0.05]
        assert tag.pointer.get_color().to_hex().lower() in finders
        name = tag.label[1]  # behind it, its background panel
        assert name.get_color().to_hex().lower() in finders


def test_a_knob_descent_that_stops_short_refuses_the_overshoot(built_traces, build_altered):
    import dataclasses

    land = load_landscape(built_traces.directory)
    arrays = {**land.arrays, "knob_overshoot_t": land["knob_descent_t"]}  # a tame "overshoot"
    tame = dataclasses.replace(land, arrays=arrays)
    error = build_altered("descent_1d", load_landscape=lambda: tame)
    assert error.count("\n") == 0
    assert error.startswith('error: the data does not back "Make the step size 8 times larger')


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


def test_the_plane_reaches_as_far_past_the_path_in_every_direction(built_traces):
    from nn.landscape import MARGIN

    land = load_landscape(built_traces.directory)
    alpha, beta, path = land["alpha"], land["beta"], land["path"]
    margins = [path[:, 0].min() - alpha[0], alpha[-1] - path[:, 0].max(),
               path[:, 1].min() - beta[0], beta[-1] - path[:, 1].max()]  # fmt: skip
    spans = np.ptp(path, axis=0)
    np.testing.assert_allclose(margins, MARGIN * spans.max(), rtol=1e-4)


def test_the_plane_descent_takes_real_gradient_steps(built_traces, dataset):
    land = load_landscape(built_traces.directory)
    main = load_run("main", built_traces.directory)
    final = main.parameters(-1).flatten()
    directions = land["directions"].astype(np.float64)
    x, y = dataset.inputs(main["train_index"]), one_hot(main["train_labels"], 10)
    points = land["plane_descent_point"].astype(np.float64)
    gradients = land["plane_descent_gradient"].astype(np.float64)

    def cost_at(theta: np.ndarray) -> float:
        return cost(unflatten(theta, SIZES), x, y)

    h = 1e-3  # along a unit direction of the plane
    for k in (0, 1, len(points) - 1):
        theta = final + points[k] @ directions
        assert float(land["plane_descent_cost"][k]) == pytest.approx(cost_at(theta), rel=1e-5)
        by_differences = [(cost_at(theta + h * d) - cost_at(theta - h * d)) / (2 * h)
                          for d in directions]  # fmt: skip
        np.testing.assert_allclose(gradients[k], by_differences, rtol=1e-3, atol=1e-7)
    steps = points[:-1] - land.plane_rate * gradients[:-1]
    np.testing.assert_allclose(points[1:], steps, atol=1e-3)


def test_the_surface_sentences_follow_the_data_or_refuse():
    from scenes.cost_surface import (
        downhill_steps_sentence,
        off_plane_sentence,
        shrinking_steps_sentence,
        valley_sentence,
    )
    from scenes.toolkit.claims import ClaimError

    a, b = np.meshgrid(np.linspace(-1, 1, 9), np.linspace(-1, 1, 7))
    assert "valley" in valley_sentence(0.1 + a**2 + b**2).text
    with pytest.raises(ClaimError, match="valley runs through it"):
        valley_sentence(0.1 + (a + 1) + 0.01 * b**2)  # a ramp: no walls across its low end

    shrinking = np.array([[0, 0], [10, 0], [15, 0], [16, 0]], dtype=float)
    assert "shrink" in shrinking_steps_sentence(shrinking).text
    with pytest.raises(ClaimError, match="shrink"):
        shrinking_steps_sentence(np.array([[0, 0], [10, 0], [20, 0]], dtype=float))

    fact = downhill_steps_sentence(np.array([0.698, 0.157, 0.065]))
    assert "from a cost of 0.70 to 0.065" in fact.text
    with pytest.raises(ClaimError, match="every step went downhill"):
        downhill_steps_sentence(np.array([0.698, 0.157, 0.2]))

    fact = off_plane_sentence(np.array([3.46, 0.95, 0.1]), np.array([0.9, 0.9, 0.11]))
    assert "its true cost, 3.46, is far above the surface's 0.90" in fact.text
    with pytest.raises(ClaimError, match="off this plane"):
        off_plane_sentence(np.array([1.0, 0.95]), np.array([0.9, 0.9]))  # the start on it
    with pytest.raises(ClaimError, match="off this plane"):
        off_plane_sentence(np.array([3.46, 0.95]), np.array([0.9, 0.2]))  # later far off


def test_the_surface_is_the_log_of_the_cost_in_equal_units(built_scene, traces_env):
    scene = built_scene("cost_surface")
    land = load_landscape()
    a, b = float(land["alpha"][0]), float(land["beta"][0])
    along_1 = scene.point(a + 10, b, 1.0) - scene.point(a, b, 1.0)
    along_2 = scene.point(a, b + 10, 1.0) - scene.point(a, b, 1.0)
    assert np.linalg.norm(along_1) == pytest.approx(np.linalg.norm(along_2))
    costs = land["surface_cost"]
    powers = range(int(np.floor(np.log10(costs.min()))), int(np.ceil(np.log10(costs.max()))) + 1)
    tenfold = [scene.point(a, b, 10.0**power)[2] for power in powers]
    np.testing.assert_allclose(np.diff(tenfold), np.diff(tenfold)[0])  # each tenfold one step
    assert [tick.text for tick in scene.height_axis[1]] == [f"{10.0**p:g}" for p in powers]
    for tick, z in zip(scene.height_axis[1], tenfold, strict=True):  # each at its height
        assert tick.get_center()[2] == pytest.approx(z, abs=0.3)


def test_the_map_arrows_are_the_real_gradient_and_the_marks_rise_to_the_real_cost(
    built_scene, traces_env
):
    scene = built_scene("cost_surface")
    land = load_landscape()
    points = land["plane_descent_point"].astype(float)
    gradients = land["plane_descent_gradient"].astype(float)
    rate = land.plane_rate
    up = scene.up_arrow  # steepest ascent: along the gradient at the first point
    np.testing.assert_allclose(up.get_start(), scene.on_the_map(*points[0]), atol=1e-6)
    np.testing.assert_allclose(up.get_end(), scene.on_the_map(*(points[0] + rate * gradients[0])),
                               atol=1e-6)  # fmt: skip
    assert len(scene.arrows) == len(points) - 1
    for k, arrow in enumerate(scene.arrows):  # each step's arrow is its step, downhill
        np.testing.assert_allclose(arrow.get_start(), scene.on_the_map(*points[k]), atol=1e-6)
        np.testing.assert_allclose(arrow.get_end(), scene.on_the_map(*points[k + 1]), atol=1e-3)
    costs = land["plane_descent_cost"].astype(float)
    for mark, point, value in zip(scene.marks, points, costs, strict=False):
        np.testing.assert_allclose(mark.get_center(), scene.point(*point, value), atol=1e-6)
    facts = {b.id.split("/")[1]: b.fact for b in scene.beats if b.fact}
    assert set(facts) == {"valley", "shrinking", "lift", "off-the-plane"}
    assert facts["off-the-plane"]["evidence"].startswith(f"start {land['path_cost'][0]:.3f}")


def test_a_start_on_the_plane_refuses_the_off_plane_sentence(built_traces, build_altered):
    import dataclasses

    land = load_landscape(built_traces.directory)
    on_plane = land["path_cost"].copy()
    on_plane[0] = on_plane[1]  # as if the random start lay on the plane
    altered = dataclasses.replace(land, arrays={**land.arrays, "path_cost": on_plane})
    error = build_altered("cost_surface", load_landscape=lambda: altered)
    assert error.count("\n") == 0
    assert error.startswith('error: the data does not back "The random start lies off this plane')


COMPARED_EVERY = 100
"""Frames of the surface's animations between two frames compared (20 s at 5 frames a second)."""


def _surface_frames(media: Path, manims_own: bool) -> list:
    """Frames of the whole surface segment, one every :data:`COMPARED_EVERY` animated frames.

    With ``manims_own``, drawn by Manim's own 3-D camera and axes, as before they were made
    fast. The frames in between are stepped through but not drawn; 192 by 108 pixels.
    """
    from manim import ThreeDAxes, ThreeDCamera, tempconfig

    import scenes.cost_surface as module
    from scenes.toolkit.manim_internals import after_each_frame
    from scenes.toolkit.timeline import TimelineThreeDScene

    settings = {"pixel_width": 192, "pixel_height": 108, "frame_rate": 5, "media_dir": str(media),
                "dry_run": True, "disable_caching": True, "verbosity": "WARNING",
                "progress_bar": "none"}  # fmt: skip
    frames: list = []
    animated = [0]
    with tempconfig(settings), pytest.MonkeyPatch.context() as patch:
        if manims_own:
            patch.setattr(TimelineThreeDScene, "drawn_with", ThreeDCamera)
            patch.setattr(module, "QuickThreeDAxes", ThreeDAxes)
        scene = module.CostSurface()
        renderer = scene.renderer

        def count(t: float) -> None:
            animated[0] += 1

        def render(scene_: object, time: float, moving: object = None) -> None:
            if animated[0] % COMPARED_EVERY == 1:
                renderer.update_frame(scene_, moving)
                frames.append(renderer.get_frame())

        after_each_frame(scene, count)
        renderer.render = render
        scene.render()
    return frames


def test_the_surface_looks_the_same_drawn_fast_as_by_manims_own_camera_and_axes(
    monkeypatch, traces_env, voice_cache, edit_loop, tmp_path
):
    from pipeline.frame_match import MATCHING_SHARE, share_within

    monkeypatch.setenv("GD_VOICE_CACHE", str(voice_cache))
    monkeypatch.setenv("GD_VOICE", "none" if edit_loop else "piper")
    before = _surface_frames(tmp_path / "before", manims_own=True)
    after = _surface_frames(tmp_path / "after", manims_own=False)
    assert len(before) == len(after) >= 5
    shares = [share_within(old, new) for old, new in zip(before, after, strict=True)]
    assert min(shares) >= MATCHING_SHARE, shares
    assert all(np.array_equal(old, new) for old, new in zip(before, after, strict=True))
    assert any(frame[..., :3].std() > 10 for frame in after)  # pictures, not blank frames
