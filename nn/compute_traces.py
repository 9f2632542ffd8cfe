"""Build every trace: train the ``main`` and ``random_labels`` runs, check them, derive the rest.

Nothing is written until everything is computed and checked; the set is then written as one
transaction (:mod:`nn.trace_set`), so a run that diverges or does not learn leaves the previous
traces as they were.
"""

from __future__ import annotations

import platform
import time
from dataclasses import replace
from importlib.metadata import version
from pathlib import Path

import numpy as np
import scipy

import nn
from nn.data import Dataset, load_dataset
from nn.digits import TRAIN_SAMPLE, digit_arrays
from nn.eigendigits import RANKS, eigendigit_arrays
from nn.landscape import LINE_POINTS, compute_landscape
from nn.network import network_input, one_hot, parameter_count
from nn.run_checks import check_run
from nn.sweep import SWEEP_POINTS, hardest_example, weight_sweep
from nn.trace_set import (
    PendingTrace,
    check_writable,
    clear_leftovers,
    code_digest,
    set_problems,
    trace_lock,
    write_trace_set,
)
from nn.traces import DIGITS_NAME, EIGENDIGITS_NAME, LANDSCAPE_NAME, SWEEP_NAME
from nn.training import TrainingConfig, TrainingResult, train

#: Each run's name and the labels it learns.
RUN_LABELS = {"main": "true", "random_labels": "shuffled"}

#: The partner network of the landscape's pair slice is trained with seed ``seed + 1``.
PARTNER_SEED_OFFSET = 1


def library_versions() -> dict[str, str]:
    """Versions of what computed the traces."""
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "nn": nn.__version__,
        "tqdm": version("tqdm"),
    }


def data_meta(dataset: Dataset, split_seed: int) -> dict:
    """The data-source part of a trace's metadata."""
    return {
        "source": dataset.source,
        "sha256": dataset.sha256,
        "n_train": int(dataset.train_index.size),
        "n_test": int(dataset.test_index.size),
        "split_seed": split_seed if dataset.source == "embedded" else None,
    }


def run_meta(config: TrainingConfig, result: TrainingResult, data: dict) -> dict:
    """Metadata of one training run's trace."""
    return {
        **config.as_dict(),
        "parameter_count": parameter_count(config.layer_sizes),
        "data": data,
        "total_steps": int(result.arrays["step"].size),
        "n_snapshots": int(result.arrays["snapshot_step"].size),
        "final": result.summary,
        "versions": library_versions(),
    }


def trace_recipe(base: TrainingConfig, source: str, split_seed: int = 0) -> dict:
    """What a trace set is built from: settings, data and code. Another recipe, another set."""
    training = base.as_dict()
    training.pop("label_mode")
    return {"training": training, "data": source, "split_seed": split_seed,
            "nn_code": code_digest()}  # fmt: skip


def ensure_traces(
    out_dir: Path,
    base: TrainingConfig,
    *,
    source: str,
    split_seed: int = 0,
    rebuild: bool = False,
    progress: bool = True,
) -> str:
    """Check the set in ``out_dir``; build it again if it is not whole, good and of this recipe.

    Builds when a trace is missing, corrupt, stale or mixed, when the recipe differs, or
    always with ``rebuild``. Returns a one-line summary. Holds the traces' lock throughout: a
    second build waits, then finds the set good.
    """
    with trace_lock(out_dir):
        clear_leftovers(out_dir)
        if not rebuild:
            problems = set_problems(out_dir, trace_recipe(base, source, split_seed))
            if not problems:
                return f"traces in {out_dir} are whole and up to date"
            print(f"building the traces: {problems[0]}", flush=True)
        return build_traces(out_dir, base, source=source, split_seed=split_seed,
                            progress=progress)  # fmt: skip


def build_traces(
    out_dir: Path,
    base: TrainingConfig,
    *,
    source: str | None = None,
    split_seed: int = 0,
    progress: bool = True,
) -> str:
    """Compute and check every trace, then write them as one set into ``out_dir``.

    Returns a one-line summary. A run that fails its checks (:mod:`nn.run_checks`), an error
    or an interrupt leaves ``out_dir`` as it was.
    """
    started = time.perf_counter()
    check_writable(out_dir)  # before minutes of training, not after
    dataset = load_dataset(source, split_seed=split_seed)
    data = data_meta(dataset, split_seed)
    results = {}
    for name, mode in RUN_LABELS.items():
        config = replace(base, label_mode=mode)
        results[name] = train(dataset, config, progress=progress)
        check_run(name, results[name], config)
    main = results["main"]
    partner_config = replace(base, seed=base.seed + PARTNER_SEED_OFFSET)
    partner = train(dataset, partner_config, progress=progress)
    check_run("partner", partner, partner_config)
    x_train = dataset.inputs(dataset.train_index)
    y_train = one_hot(main.arrays["train_labels"], base.layer_sizes[-1])
    landscape = compute_landscape(main.arrays, base.layer_sizes, x_train, y_train,
                                  partner.final.flatten(), progress=progress)  # fmt: skip

    pending = [
        PendingTrace(name, "run", results[name].arrays,
                     run_meta(replace(base, label_mode=mode), results[name], data))
        for name, mode in RUN_LABELS.items()
    ]  # fmt: skip
    landscape_meta = {
        "run": "main",
        "layer_sizes": list(base.layer_sizes),
        "parameter_count": parameter_count(base.layer_sizes),
        "n_snapshots": int(main.arrays["snapshot_step"].size),
        "line_points": LINE_POINTS,
        "data": data,
        **landscape.facts,
        "partner_seed": base.seed + PARTNER_SEED_OFFSET,
        "partner_final": partner.summary,
        "versions": library_versions(),
    }
    pending.append(PendingTrace(LANDSCAPE_NAME, "landscape", landscape.arrays, landscape_meta,
                                made_from=("main",)))  # fmt: skip
    digits = digit_arrays(dataset)
    digits_meta = {"train_sample": TRAIN_SAMPLE, "data": data, "versions": library_versions()}
    pending.append(PendingTrace(DIGITS_NAME, "digits", digits, digits_meta))
    sweep_meta = {
        "sweep_points": SWEEP_POINTS,
        "example": "the hardest digit of digits.train_images for the main run's final network",
        "activations": "sigmoid, and a step (1 if the weighted sum > 0 else 0) in its place",
        "weight": "sweep_weight = (layer from 0, row, column) of W; jumpiest step cost wins",
        "data": data,
        "versions": library_versions(),
    }
    trained = main.final.astype(np.float32).astype(np.float64)  # exactly as stored
    hardest = hardest_example(trained, digits["train_images"], digits["train_labels"])
    example = network_input(digits["train_images"][hardest])[0]
    target = one_hot(digits["train_labels"][hardest : hardest + 1], base.layer_sizes[-1])[0]
    sweep = {**weight_sweep(trained, example, target),
             "sweep_example": np.array([hardest], dtype=np.int32)}  # fmt: skip
    pending.append(PendingTrace(SWEEP_NAME, "sweep", sweep, sweep_meta,
                                made_from=("main", DIGITS_NAME)))  # fmt: skip
    eigen = eigendigit_arrays(
        x_train,
        dataset.labels[dataset.train_index],
        dataset.inputs(dataset.test_index),
        dataset.labels[dataset.test_index],
    )
    eigen_meta = {
        "n_classes": base.layer_sizes[-1],
        "basis_size": int(eigen["basis"].shape[1]),
        "ranks": list(RANKS),
        "method": "per class: SVD of its training images (columns, no centring); a test digit "
        "goes to the class with the smallest ||x - U_k U_k^T x||",
        "data": data,
        "versions": library_versions(),
    }
    pending.append(PendingTrace(EIGENDIGITS_NAME, "eigendigits", eigen, eigen_meta))
    paths = write_trace_set(out_dir, pending, trace_recipe(base, dataset.source, split_seed))

    elapsed = time.perf_counter() - started
    size_mb = sum(p.stat().st_size for p in paths) / 1e6
    shuffled = results["random_labels"].summary
    return (
        f"main: test accuracy {main.summary['test_accuracy']:.1%}, "
        f"test cost {main.summary['test_cost']:.4f}, train cost {main.summary['train_cost']:.4f}; "
        f"random_labels: train accuracy {shuffled['train_accuracy']:.1%}, "
        f"train cost {shuffled['train_cost']:.4f}; "
        f"{dataset.source} data, {data['n_train']:,}/{data['n_test']:,}; "
        f"{elapsed:.1f} s; {len(paths)} files, {size_mb:.1f} MB in {out_dir}"
    )
