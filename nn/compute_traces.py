"""Build every trace: train the ``main`` and ``random_labels`` runs, check them, derive the rest.

Nothing is written until everything is computed and checked; the set is then written as one
transaction (:mod:`nn.trace_set`), so a run that diverges or does not learn leaves the previous
traces as they were.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
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
from nn.trace_kinds import as_stored
from nn.trace_set import (
    PendingTrace,
    check_writable,
    clear_leftovers,
    code_digest,
    set_problems,
    trace_lock,
    write_trace_set,
)
from nn.traces import TRACE_NAMES, TRACES
from nn.training import TrainingConfig, TrainingResult, train

__all__ = [
    "BUILDERS",
    "SetInputs",
    "build_traces",
    "builds",
    "ensure_traces",
    "trace_recipe",
]

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


def run_meta(config: TrainingConfig, result: TrainingResult) -> dict:
    """Metadata of one training run's trace, besides its data and versions."""
    return {
        **config.as_dict(),
        "parameter_count": parameter_count(config.layer_sizes),
        "total_steps": int(result.arrays["step"].size),
        "n_snapshots": int(result.arrays["snapshot_step"].size),
        "final": result.summary,
    }


def trace_recipe(base: TrainingConfig, source: str, split_seed: int = 0) -> dict:
    """What a set is built from: settings, data, code and libraries. Another recipe, another set."""
    training = base.as_dict()
    training.pop("label_mode")
    return {"training": training, "data": source, "split_seed": split_seed,
            "nn_code": code_digest(), "libraries": library_versions()}  # fmt: skip


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


@dataclass
class SetInputs:
    """What the builders of a set read: its settings and digits, and what earlier builders made."""

    base: TrainingConfig
    dataset: Dataset
    data: dict
    """The data-source part of every trace's metadata (:func:`data_meta`)."""
    progress: bool
    runs: dict[str, TrainingResult] = field(default_factory=dict)
    """The training runs trained so far, by trace name."""
    arrays: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    """The arrays of the traces built so far, by trace name."""

    def train_inputs(self) -> tuple[np.ndarray, np.ndarray]:
        """The training digits as network inputs, and the main run's desired outputs for them."""
        x = self.dataset.inputs(self.dataset.train_index)
        return x, one_hot(self.runs["main"].arrays["train_labels"], self.base.layer_sizes[-1])


Builder = Callable[[SetInputs], tuple[dict[str, np.ndarray], dict]]
"""Computes one trace from the set's inputs: its arrays and its own metadata."""

BUILDERS: dict[str, Builder] = {}
"""The builder of each trace of :data:`nn.traces.TRACES`, by trace name."""


def builds(name: str) -> Callable[[Builder], Builder]:
    """Register the decorated function as the builder of trace ``name``."""

    def register(builder: Builder) -> Builder:
        if name not in TRACE_NAMES or name in BUILDERS:
            problem = "has a builder already" if name in BUILDERS else "is not in TRACES"
            raise ValueError(f"@builds({name!r}): trace {name!r} {problem} (nn/traces.py)")
        BUILDERS[name] = builder
        return builder

    return register


def _trained_run(
    inputs: SetInputs, name: str, label_mode: str
) -> tuple[dict[str, np.ndarray], dict]:
    """Train run ``name`` on labels of ``label_mode``, check it, and keep it for later builders."""
    config = replace(inputs.base, label_mode=label_mode)
    result = train(inputs.dataset, config, progress=inputs.progress)
    check_run(name, result, config)
    inputs.runs[name] = result
    return result.arrays, run_meta(config, result)


@builds("main")
def main_run(inputs: SetInputs) -> tuple[dict[str, np.ndarray], dict]:
    """The network the video follows, trained on the true labels and checked to learn."""
    return _trained_run(inputs, "main", "true")


@builds("random_labels")
def random_labels_run(inputs: SetInputs) -> tuple[dict[str, np.ndarray], dict]:
    """The same network and batches on shuffled labels, checked to stay at chance on test."""
    return _trained_run(inputs, "random_labels", "shuffled")


@builds("landscape")
def landscape_trace(inputs: SetInputs) -> tuple[dict[str, np.ndarray], dict]:
    """The cost around the main network, with a partner network trained from another start."""
    base, main = inputs.base, inputs.runs["main"]
    partner_config = replace(base, seed=base.seed + PARTNER_SEED_OFFSET)
    partner = train(inputs.dataset, partner_config, progress=inputs.progress)
    check_run("partner", partner, partner_config)
    x_train, y_train = inputs.train_inputs()
    surface = compute_landscape(main.arrays, base.layer_sizes, x_train, y_train,
                                partner.final.flatten(), progress=inputs.progress)  # fmt: skip
    meta = {
        "run": "main",
        "layer_sizes": list(base.layer_sizes),
        "parameter_count": parameter_count(base.layer_sizes),
        "n_snapshots": int(main.arrays["snapshot_step"].size),
        "line_points": LINE_POINTS,
        **surface.facts,
        "partner_seed": partner_config.seed,
        "partner_final": partner.summary,
    }
    return surface.arrays, meta


@builds("digits")
def digits_trace(inputs: SetInputs) -> tuple[dict[str, np.ndarray], dict]:
    """Every test digit and a sample of training digits, as images with their labels."""
    return digit_arrays(inputs.dataset), {"train_sample": TRAIN_SAMPLE}


@builds("sweep")
def sweep_trace(inputs: SetInputs) -> tuple[dict[str, np.ndarray], dict]:
    """One digit's cost as one weight of the trained main network moves."""
    images, labels = (
        inputs.arrays["digits"]["train_images"],
        inputs.arrays["digits"]["train_labels"],
    )
    trained = as_stored(inputs.runs["main"].final)
    hardest = hardest_example(trained, images, labels)
    example = network_input(images[hardest])[0]
    target = one_hot(labels[hardest : hardest + 1], inputs.base.layer_sizes[-1])[0]
    arrays = {**weight_sweep(trained, example, target),
              "sweep_example": np.array([hardest], dtype=np.int32)}  # fmt: skip
    meta = {
        "sweep_points": SWEEP_POINTS,
        "example": "the hardest digit of digits.train_images for the main run's final network",
        "activations": "sigmoid, and a step (1 if the weighted sum > 0 else 0) in its place",
        "weight": "sweep_weight = (layer from 0, row, column) of W; jumpiest step cost wins",
    }
    return arrays, meta


@builds("eigendigits")
def eigendigits_trace(inputs: SetInputs) -> tuple[dict[str, np.ndarray], dict]:
    """Each digit's singular images and the nearest-subspace classifier's test results."""
    dataset = inputs.dataset
    arrays = eigendigit_arrays(
        dataset.inputs(dataset.train_index),
        dataset.labels[dataset.train_index],
        dataset.inputs(dataset.test_index),
        dataset.labels[dataset.test_index],
    )
    meta = {
        "n_classes": inputs.base.layer_sizes[-1],
        "basis_size": int(arrays["basis"].shape[1]),
        "ranks": list(RANKS),
        "method": "per class: SVD of its training images (columns, no centring); a test digit "
        "goes to the class with the smallest ||x - U_k U_k^T x||",
    }
    return arrays, meta


def build_traces(
    out_dir: Path,
    base: TrainingConfig,
    *,
    source: str | None = None,
    split_seed: int = 0,
    progress: bool = True,
) -> str:
    """Compute and check every trace of :data:`nn.traces.TRACES`, then write them as one set.

    Returns a one-line summary. A run that fails its checks (:mod:`nn.run_checks`), an error
    or an interrupt leaves ``out_dir`` as it was.
    """
    started = time.perf_counter()
    check_writable(out_dir)  # before minutes of training, not after
    dataset = load_dataset(source, split_seed=split_seed)
    inputs = SetInputs(base, dataset, data_meta(dataset, split_seed), progress)
    pending = []
    for entry in TRACES:
        if entry.name not in BUILDERS:
            raise NotImplementedError(f"trace {entry.name!r} has no builder in {__name__}")
        arrays, meta = BUILDERS[entry.name](inputs)
        inputs.arrays[entry.name] = arrays
        meta = {**meta, "data": inputs.data, "versions": library_versions()}
        pending.append(PendingTrace(entry.name, arrays, meta))
    paths = write_trace_set(out_dir, pending, trace_recipe(base, dataset.source, split_seed))

    elapsed = time.perf_counter() - started
    size_mb = sum(p.stat().st_size for p in paths) / 1e6
    main, shuffled = inputs.runs["main"].summary, inputs.runs["random_labels"].summary
    return (
        f"main: test accuracy {main['test_accuracy']:.1%}, "
        f"test cost {main['test_cost']:.4f}, train cost {main['train_cost']:.4f}; "
        f"random_labels: train accuracy {shuffled['train_accuracy']:.1%}, "
        f"train cost {shuffled['train_cost']:.4f}; "
        f"{dataset.source} data, {inputs.data['n_train']:,}/{inputs.data['n_test']:,}; "
        f"{elapsed:.1f} s; {len(paths)} files, {size_mb:.1f} MB in {out_dir}"
    )
