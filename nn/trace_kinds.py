"""What each kind of trace holds: its metadata fields and the dtype and shape of every array.

A kind's array schema is computed from its metadata (a run with ``S`` snapshots holds ``S``
copies of each weight matrix), so that the reader can check a trace against its own promises.
The catalog of the traces themselves, and their readers, is in :mod:`nn.traces`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from nn.network import Parameters

__all__ = [
    "COMMON_FIELDS",
    "KINDS",
    "ArraySchema",
    "TraceKind",
    "as_stored",
    "metadata_problems",
    "shape_problems",
]

_Stored = TypeVar("_Stored", Parameters, np.ndarray)

ArraySchema = dict[str, tuple[str, tuple[int, ...]]]
"""Each array's name, with its dtype and shape."""

COMMON_FIELDS = ("schema_version", "kind", "name", "data", "versions")
"""Metadata fields every trace has, besides those its set adds (digests, set identity)."""


@dataclass(frozen=True)
class TraceKind:
    """A kind of trace: the metadata it must have and the arrays that metadata promises."""

    name: str
    about: str
    """What a trace of this kind holds, in a few words."""
    fields: tuple[str, ...]
    """Metadata fields of this kind, besides :data:`COMMON_FIELDS`."""
    arrays: Callable[[Mapping[str, Any]], ArraySchema]
    """The array schema, from the trace's metadata."""
    summary: Callable[[Mapping[str, Any], Mapping[str, np.ndarray]], str]
    """One line on what a trace of this kind holds, from its metadata and arrays."""


def _run_arrays(meta: Mapping[str, Any]) -> ArraySchema:
    sizes = meta["layer_sizes"]
    t, s = meta["total_steps"], meta["n_snapshots"]
    n_train, n_test = meta["data"]["n_train"], meta["data"]["n_test"]
    shapes: ArraySchema = {
        "step": ("int32", (t,)),
        "step_cost": ("float32", (t,)),
        "snapshot_step": ("int32", (s,)),
    }
    for layer, (n_in, n_out) in enumerate(itertools.pairwise(sizes), start=1):
        for prefix in ("", "g"):
            shapes[f"{prefix}W{layer}"] = ("float32", (s, n_out, n_in))
            shapes[f"{prefix}b{layer}"] = ("float32", (s, n_out))
    for name in ("train_cost", "train_accuracy", "test_cost", "test_accuracy"):
        shapes[name] = ("float32", (s,))
    shapes["train_index"] = ("int32", (n_train,))
    shapes["test_index"] = ("int32", (n_test,))
    shapes["train_labels"] = ("uint8", (n_train,))
    return shapes


def _landscape_arrays(meta: Mapping[str, Any]) -> ArraySchema:
    m, n = meta["grid_size"]
    s, p, line = meta["n_snapshots"], meta["parameter_count"], meta["line_points"]
    k, steps, knob_steps = meta["n_descents"], meta["descent_steps"], meta["knob_steps"]
    plane_steps = meta["plane_steps"]
    return {
        "knob_t": ("float32", (line,)),
        "knob_cost": ("float32", (line,)),
        "knob_slope": ("float32", (line,)),
        "knob_descent_t": ("float32", (knob_steps + 1,)),
        "knob_descent_cost": ("float32", (knob_steps + 1,)),
        "knob_overshoot_t": ("float32", (knob_steps + 1,)),
        "knob_overshoot_cost": ("float32", (knob_steps + 1,)),
        "alpha": ("float32", (n,)),
        "beta": ("float32", (m,)),
        "surface_cost": ("float32", (m, n)),
        "path": ("float32", (s, 2)),
        "plane_descent_point": ("float32", (plane_steps + 1, 2)),
        "plane_descent_cost": ("float32", (plane_steps + 1,)),
        "plane_descent_gradient": ("float32", (plane_steps + 1, 2)),
        "path_cost": ("float32", (s,)),
        "path_step": ("int32", (s,)),
        "explained_variance": ("float32", (2,)),
        "directions": ("float32", (2, p)),
        "line_t": ("float32", (line,)),
        "line_cost": ("float32", (line,)),
        "line_slope": ("float32", (line,)),
        "partner": ("float32", (p,)),
        "pair_t": ("float32", (line,)),
        "pair_cost": ("float32", (line,)),
        "pair_slope": ("float32", (line,)),
        "descent_start": ("float32", (k,)),
        "descent_t": ("float32", (k, steps + 1)),
        "descent_cost": ("float32", (k, steps + 1)),
    }


def _digits_arrays(meta: Mapping[str, Any]) -> ArraySchema:
    k, n = meta["train_sample"], meta["data"]["n_test"]
    return {
        "train_rows": ("int32", (k,)),
        "train_images": ("uint8", (k, 28, 28)),
        "train_labels": ("uint8", (k,)),
        "test_rows": ("int32", (n,)),
        "test_images": ("uint8", (n, 28, 28)),
        "test_labels": ("uint8", (n,)),
        "noise_image": ("uint8", (28, 28)),
    }


def _sweep_arrays(meta: Mapping[str, Any]) -> ArraySchema:
    n = meta["sweep_points"]
    return {
        "sweep_example": ("int32", (1,)),
        "sweep_weight": ("int32", (3,)),
        "sweep_value": ("float32", (n,)),
        "sweep_start": ("float32", (1,)),
        "sweep_sigmoid_cost": ("float32", (n,)),
        "sweep_step_cost": ("float32", (n,)),
    }


def _eigendigits_arrays(meta: Mapping[str, Any]) -> ArraySchema:
    c, k, r, n = meta["n_classes"], meta["basis_size"], len(meta["ranks"]), meta["data"]["n_test"]
    return {
        "basis": ("float32", (c, k, 784)),
        "singular_value": ("float32", (c, k)),
        "rank": ("int32", (r,)),
        "test_residual": ("float32", (r, n, c)),
        "test_accuracy": ("float32", (r,)),
    }


def _run_summary(meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> str:
    return f"{meta['label_mode']} labels, test accuracy {meta['final']['test_accuracy']:.1%}"


def _landscape_summary(meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> str:
    return f"grid {meta['grid_size'][0]} x {meta['grid_size'][1]}"


def _digits_summary(meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> str:
    return f"{meta['train_sample']} training and {meta['data']['n_test']} test digits"


def _sweep_summary(meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> str:
    return f"{meta['sweep_points']} values of one weight"


def _eigendigits_summary(meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> str:
    best = float(arrays["test_accuracy"].max())
    return f"{meta['basis_size']} singular images per digit, best test accuracy {best:.1%}"


_RUN_FIELDS = ("layer_sizes", "parameter_count", "learning_rate", "batch_size", "epochs", "seed")
_LANDSCAPE_FIELDS = ("run", "layer_sizes", "parameter_count", "n_snapshots", "line_points")
_LANDSCAPE_FIELDS += ("grid_size", "n_descents", "descent_steps", "descent_rate", "partner_seed")
_LANDSCAPE_FIELDS += ("knob", "knob_value", "knob_rate", "overshoot_rate", "knob_steps")
_LANDSCAPE_FIELDS += ("plane_rate", "plane_steps")

KINDS: dict[str, TraceKind] = {
    kind.name: kind
    for kind in (
        TraceKind(
            name="run",
            about="a training run: every SGD step's cost; snapshots of the weights, biases, "
            "full gradient, and accuracy and cost on both splits",
            fields=(*_RUN_FIELDS, "label_mode", "total_steps", "n_snapshots", "final"),
            arrays=_run_arrays,
            summary=_run_summary,
        ),
        TraceKind(
            name="landscape",
            about="the cost around a trained network: a surface over the plane of the "
            "training path with a descent on it, slices along two lines and one knob, "
            "descents along them",
            fields=_LANDSCAPE_FIELDS,
            arrays=_landscape_arrays,
            summary=_landscape_summary,
        ),
        TraceKind(
            name="digits",
            about="digit images and their labels: every test digit, a sample of training digits",
            fields=("train_sample",),
            arrays=_digits_arrays,
            summary=_digits_summary,
        ),
        TraceKind(
            name="sweep",
            about="the cost of one example as one weight moves, with sigmoid and step neurons",
            fields=("sweep_points",),
            arrays=_sweep_arrays,
            summary=_sweep_summary,
        ),
        TraceKind(
            name="eigendigits",
            about="each digit's singular images and the nearest-subspace classifier's results",
            fields=("n_classes", "basis_size", "ranks"),
            arrays=_eigendigits_arrays,
            summary=_eigendigits_summary,
        ),
    )
}
"""Every kind of trace, by name."""


def as_stored(values: _Stored) -> _Stored:
    """``values`` exactly as a trace stores them (float32), back in float64.

    What is computed from a trace's numbers must start from these, not from the float64 values
    they were rounded from, so that a scene or test can compute it again from the trace alone.
    """
    if isinstance(values, Parameters):
        return values.astype(np.float32).astype(np.float64)
    return np.asarray(values).astype(np.float32).astype(np.float64)


def metadata_problems(kind: TraceKind, meta: Mapping[str, Any]) -> list[str]:
    """Every field a trace of ``kind`` must have that ``meta`` lacks."""
    return [f"metadata lacks the field {field!r}"
            for field in (*COMMON_FIELDS, *kind.fields) if field not in meta]  # fmt: skip


def shape_problems(
    kind: TraceKind, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]
) -> list[str]:
    """Every way ``arrays`` differ from what a trace of ``kind`` with ``meta`` must hold."""
    expected = kind.arrays(meta)
    problems = [f"array {name!r} is missing" for name in expected if name not in arrays]
    problems += [f"array {name!r} is not part of a {kind.name} trace"
                 for name in arrays if name not in expected]  # fmt: skip
    for name, (dtype, shape) in expected.items():
        if name in arrays:
            array = arrays[name]
            if str(array.dtype) != dtype or array.shape != shape:
                problems.append(
                    f"array {name!r} is {array.dtype} {array.shape}, expected {dtype} {shape}"
                )
            elif array.dtype.kind == "f" and not np.isfinite(array).all():
                problems.append(f"array {name!r} holds NaN or infinite values")
    return problems
