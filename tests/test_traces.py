"""The trace files: contents as specified, reproducible, and a reader that refuses bad ones."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from nn.eigendigits import RANKS, class_bases
from nn.landscape import grid_axis, principal_plane, snapshot_vectors
from nn.network import cost, cost_and_gradient, forward, one_hot, parameter_count, unflatten
from nn.npz_io import read_npz, write_npz
from nn.schedule import MAX_SNAPSHOTS, MIN_SNAPSHOTS
from nn.slices import stable_rate
from nn.traces import (
    TRACE_NAMES,
    TraceError,
    load_digits,
    load_landscape,
    load_run,
    load_trace,
)


def test_run_traces_hold_what_the_storyboard_needs(built_traces, dataset):
    main, config = load_run("main", built_traces.directory), built_traces.config
    meta = main.meta
    assert meta["layer_sizes"] == list(config.layer_sizes)
    assert meta["parameter_count"] == parameter_count(config.layer_sizes)
    assert (meta["learning_rate"], meta["batch_size"], meta["epochs"]) == (
        config.learning_rate,
        config.batch_size,
        config.epochs,
    )
    assert meta["data"]["n_train"] == dataset.train_index.size
    assert meta["data"]["n_test"] == dataset.test_index.size
    steps = main.total_steps
    per_epoch, rest = divmod(steps, config.epochs)
    assert rest == 0  # each epoch is one pass through the training digits, in mini-batches
    assert (per_epoch - 1) * config.batch_size < meta["data"]["n_train"]
    assert per_epoch * config.batch_size >= meta["data"]["n_train"]
    s = main["snapshot_step"]
    assert main["step"].shape == main["step_cost"].shape == (steps,)
    assert s[0] == 0 and s[-1] == steps and MIN_SNAPSHOTS <= s.size <= MAX_SNAPSHOTS
    for layer, (n_in, n_out) in enumerate(itertools.pairwise(config.layer_sizes), start=1):
        for kind in ("W", "gW"):  # the weights and their gradient at every snapshot
            assert main[f"{kind}{layer}"].shape == (s.size, n_out, n_in)
        for kind in ("b", "gb"):
            assert main[f"{kind}{layer}"].shape == (s.size, n_out)
    assert main["W1"].dtype == np.float32 and main["step"].dtype == np.int32
    assert set(main["train_index"]).isdisjoint(main["test_index"])


def test_recorded_figures_can_be_recomputed_from_the_trace(built_traces, dataset):
    main = load_run("main", built_traces.directory)
    last = main.parameters(-1)
    x_test = dataset.inputs(main["test_index"])
    labels = dataset.labels[main["test_index"]]
    guesses = np.argmax(forward(last, x_test)[-1], axis=1)
    assert np.mean(guesses == labels) == pytest.approx(main["test_accuracy"][-1], abs=2e-3)
    y = one_hot(labels, main.layer_sizes[-1])
    assert cost(last, x_test, y) == pytest.approx(main["test_cost"][-1], rel=1e-3)


def test_stored_gradient_is_the_full_training_split_gradient(built_traces, dataset):
    main = load_run("main", built_traces.directory)
    snapshot = 10
    x = dataset.inputs(main["train_index"])
    y = one_hot(main["train_labels"], main.layer_sizes[-1])
    _, grad = cost_and_gradient(main.parameters(snapshot), x, y)
    np.testing.assert_allclose(
        main.gradient(snapshot).flatten(), grad.flatten(), rtol=1e-3, atol=1e-6
    )


def test_landscape_covers_the_path_and_matches_direct_costs(built_traces, dataset):
    main = load_run("main", built_traces.directory)
    land = load_landscape(built_traces.directory)
    alpha, beta, surface = land["alpha"], land["beta"], land["surface_cost"]
    assert surface.shape == (beta.size, alpha.size) and min(surface.shape) >= 41
    path = land["path"]
    assert alpha[0] < path[:, 0].min() and alpha[-1] > path[:, 0].max()
    assert beta[0] < path[:, 1].min() and beta[-1] > path[:, 1].max()
    np.testing.assert_allclose(path[-1], [0, 0], atol=1e-6)
    ev = land["explained_variance"]
    assert 0 < ev[1] <= ev[0] <= 1

    x = dataset.inputs(main["train_index"])
    y = one_hot(main["train_labels"], main.layer_sizes[-1])
    final = main.parameters(-1).flatten()
    d1, d2 = land["directions"].astype(np.float64)
    for row, col in [(0, 0), (17, 40), (beta.size - 1, alpha.size // 2)]:
        theta = final + float(alpha[col]) * d1 + float(beta[row]) * d2
        assert cost(unflatten(theta, main.layer_sizes), x, y) == pytest.approx(
            float(surface[row, col]), rel=1e-4
        )
    for snapshot in (0, 5, -1):
        assert float(land["path_cost"][snapshot]) == pytest.approx(
            cost(main.parameters(snapshot), x, y), rel=1e-5
        )
    t = land["line_t"]
    assert t[0] < 0 < 1 < t[-1]
    start = main.parameters(0).flatten()
    i = int(np.argmin(np.abs(t - 1.0)))
    theta = start + float(t[i]) * (final - start)
    assert float(land["line_cost"][i]) == pytest.approx(
        cost(unflatten(theta, main.layer_sizes), x, y), rel=1e-4
    )


def test_the_svds_give_the_same_bits_on_two_blas_threads(built_traces, dataset):
    """The principal plane and the singular images do not depend on the machine's cores: a set
    built on a laptop and on CI is the same set (unpinned, 2 threads changed their last bits).

    The stored set was built on one thread (the test session's); here BLAS runs on two.
    """
    main = load_run("main", built_traces.directory)
    thetas = snapshot_vectors(main.arrays, len(main.layer_sizes) - 1)
    train = dataset.train_index
    with threadpool_limits(limits=2, user_api="blas"):
        assert {pool["num_threads"] for pool in threadpool_info()} == {2}
        directions, _ = principal_plane(thetas - thetas[-1])
        bases, _ = class_bases(dataset.inputs(train), dataset.labels[train], basis_size=max(RANKS))
    stored = load_trace("eigendigits", built_traces.directory)["basis"]
    assert np.array_equal(
        directions.astype(np.float32), load_landscape(built_traces.directory)["directions"]
    )
    assert np.array_equal(bases.astype(np.float32), stored)


def test_the_landscape_rates_are_recomputed_from_the_stored_slopes(built_traces):
    land = load_landscape(built_traces.directory)

    def rate(t: str, slope: str) -> float:  # from the stored float32 values, in float64
        return stable_rate(land[t].astype(np.float64), land[slope].astype(np.float64))

    assert land.meta["descent_rate"] == rate("pair_t", "pair_slope")
    assert land.meta["knob_rate"] == rate("knob_t", "knob_slope")
    assert land.meta["minimum_surface_cost"] == float(land["surface_cost"].min())


def test_digits_trace_holds_the_split_images(built_traces, dataset):
    digits = load_digits(built_traces.directory)
    main = load_run("main", built_traces.directory)
    np.testing.assert_array_equal(digits["test_rows"], main["test_index"])
    np.testing.assert_array_equal(digits["test_images"], dataset.images[main["test_index"]])
    np.testing.assert_array_equal(digits["train_labels"], dataset.labels[digits["train_rows"]])
    assert set(digits["train_rows"].tolist()) <= set(main["train_index"].tolist())
    assert len(set(digits["train_labels"].tolist())) == 10


def test_grid_axis_reaches_its_margin_past_both_ends():
    axis = grid_axis(np.array([3.0, 0.0, 10.0]), 41, 2.5)
    assert axis.size == 41 and axis[0] == -2.5 and axis[-1] == 12.5


def test_npz_files_load_without_pickle(built_traces):
    for name in TRACE_NAMES:
        with np.load(built_traces.directory / f"{name}.npz", allow_pickle=False) as archive:
            assert all(archive[k].dtype != object for k in archive.files)


# The reader's checks: every bad trace gives an error that names the command that rebuilds it.


@pytest.fixture
def trace_copy(built_traces, tmp_path) -> Path:
    for path in built_traces.directory.iterdir():
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def _expect_rebuild_error(directory: Path, match: str, name: str = "main") -> None:
    with pytest.raises(TraceError, match=match) as caught:
        load_trace(name, directory)
    assert "make traces" in str(caught.value)


def test_missing_trace(trace_copy):
    (trace_copy / "landscape.npz").unlink()
    _expect_rebuild_error(trace_copy, "missing", "landscape")


def test_truncated_arrays(trace_copy):
    path = trace_copy / "main.npz"
    path.write_bytes(path.read_bytes()[:1000])
    _expect_rebuild_error(trace_copy, "do not match")


def test_unreadable_metadata(trace_copy):
    (trace_copy / "main.json").write_text("{ not json")
    _expect_rebuild_error(trace_copy, "not readable JSON")


def test_stale_schema_version(trace_copy):
    meta_path = trace_copy / "main.json"
    meta = json.loads(meta_path.read_text())
    meta["schema_version"] = 0
    meta_path.write_text(json.dumps(meta))
    _expect_rebuild_error(trace_copy, "stale")


def test_stale_data_digest(trace_copy):
    meta_path = trace_copy / "random_labels.json"
    meta = json.loads(meta_path.read_text())
    meta["data"]["sha256"] = "0" * 64
    meta_path.write_text(json.dumps(meta))
    _expect_rebuild_error(trace_copy, "changed since", "random_labels")


def test_wrong_shape_even_with_a_matching_digest_and_set(trace_copy):
    from nn.npz_io import sha256_file
    from nn.traces import TRACE_NAMES, trace_set_id

    arrays = read_npz(trace_copy / "main.npz")
    arrays["W2"] = arrays["W2"][:, :, :15]
    write_npz(trace_copy / "main.npz", arrays)
    metas = {name: json.loads((trace_copy / f"{name}.json").read_text()) for name in TRACE_NAMES}
    metas["main"]["npz_sha256"] = sha256_file(trace_copy / "main.npz")
    members = {name: meta["npz_sha256"] for name, meta in metas.items()}
    for name, meta in metas.items():  # a forged set, consistent in every digest
        meta["trace_set"] = {"id": trace_set_id(members), "members": members}
        (trace_copy / f"{name}.json").write_text(json.dumps(meta))
    _expect_rebuild_error(trace_copy, "'W2' is float32 .* expected")


def test_a_good_trace_loads_read_only(trace_copy):
    trace = load_trace("main", trace_copy)
    with pytest.raises(ValueError):
        trace["W1"][0, 0, 0] = 1.0


def test_sweep_costs_are_the_examples_costs(built_traces):
    from scipy.special import expit

    from nn.sweep import costs_along_sweep, heaviside

    sweep = load_trace("sweep", built_traces.directory)
    main = load_run("main", built_traces.directory)
    digits = load_digits(built_traces.directory)
    example = int(sweep["sweep_example"][0])
    x = digits["train_images"][example].reshape(-1) / 255.0
    y = one_hot(digits["train_labels"][example : example + 1], main.layer_sizes[-1])[0]
    params = main.parameters(-1)
    a = forward(params, x[None, :])[-1][0]
    middle = sweep["sweep_value"].size // 2
    assert float(sweep["sweep_sigmoid_cost"][middle]) == pytest.approx(np.sum((a - y) ** 2),
                                                                       rel=1e-5)  # fmt: skip
    layer, row, column = (int(v) for v in sweep["sweep_weight"])
    values = sweep["sweep_value"].astype(np.float64)
    np.testing.assert_allclose(
        costs_along_sweep(params, x, y, layer, row, column, values, expit),
        sweep["sweep_sigmoid_cost"], rtol=1e-5)  # fmt: skip
    step = sweep["sweep_step_cost"]
    assert np.all(step == np.round(step))  # on/off neurons: whole numbers only
    assert 1 <= np.count_nonzero(np.diff(step)) <= 2  # flat, with a jump
    assert np.max(np.abs(np.diff(sweep["sweep_sigmoid_cost"]))) < 0.1  # smooth
    np.testing.assert_array_equal(
        costs_along_sweep(params, x, y, layer, row, column, values, heaviside), step
    )


def test_typed_readers_give_the_runs_settings_and_figures(built_traces, dataset):
    from nn.traces import DataSplit, RunTrace

    main, config = load_run("main", built_traces.directory), built_traces.config
    assert isinstance(main, RunTrace)
    assert main.layer_sizes == config.layer_sizes
    assert main.parameter_count == main.parameters(0).flatten().size
    assert (main.learning_rate, main.batch_size, main.epochs, main.seed) == (
        config.learning_rate,
        config.batch_size,
        config.epochs,
        config.seed,
    )
    n_train, n_test = dataset.train_index.size, dataset.test_index.size
    assert main.total_steps == main["step"].size
    assert main.data == DataSplit("embedded", n_train, n_test)
    assert main.final.test_accuracy == pytest.approx(float(main["test_accuracy"][-1]))
    assert main.final.train_cost == pytest.approx(float(main["train_cost"][-1]))
    assert load_landscape(built_traces.directory).parameter_count == main.parameter_count


def test_a_trace_of_another_kind_is_not_read_as_a_run(trace_copy):
    for suffix in (".npz", ".json"):
        shutil.copy(trace_copy / f"digits{suffix}", trace_copy / f"main{suffix}")
    with pytest.raises(TraceError, match="is of 'digits' trace 'digits', not of 'run' trace"):
        load_run("main", trace_copy)


def test_a_trace_lacking_a_field_of_its_kind_is_refused_by_name(trace_copy):
    meta_path = trace_copy / "landscape.json"
    meta = json.loads(meta_path.read_text())
    del meta["grid_size"]
    meta_path.write_text(json.dumps(meta))
    _expect_rebuild_error(trace_copy, "lacks the field 'grid_size'", "landscape")


def test_a_trace_lacking_a_field_of_its_kind_is_not_written(built_traces):
    from nn.traces import trace_metadata

    sweep = load_trace("sweep", built_traces.directory)
    meta = {k: v for k, v in sweep.meta.items() if k not in ("sweep_points", "kind", "name")}
    with pytest.raises(ValueError, match="lacks the field 'sweep_points'"):
        trace_metadata("sweep", dict(sweep.arrays), meta)


def test_every_trace_of_the_catalog_has_one_builder_and_every_builder_a_trace():
    from nn.compute_traces import BUILDERS
    from nn.traces import TRACE_NAMES

    assert sorted(BUILDERS) == sorted(TRACE_NAMES)


def test_the_catalogs_sources_come_before_what_is_made_from_them():
    from nn.traces import TRACE_NAMES, TRACES

    for entry in TRACES:
        for source in entry.made_from:
            assert TRACE_NAMES.index(source) < TRACE_NAMES.index(entry.name), entry.name


def test_scenes_read_trace_metadata_through_typed_readers_only():
    from nn.data import REPO_ROOT

    reads = [
        f"{path.name}:{number}"
        for path in sorted((REPO_ROOT / "scenes").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if ".meta[" in line or ".meta.get(" in line
    ]
    assert reads == []
