"""Trace files: what they hold, how they are written, and the one reader scenes and tests use.

A trace is a pair ``<name>.npz`` (arrays, read with ``allow_pickle=False``) and ``<name>.json``
(metadata: schema version, hyper-parameters, data source, shapes, the SHA-256 of the ``.npz``,
the set it was built with, and the digests of the traces it was made from). Traces are built
and replaced as a whole set (:mod:`nn.trace_set`). The reader checks all of it; a missing,
stale, corrupt or mixed trace raises :class:`TraceError` naming the command that rebuilds it.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from nn.data import EMBEDDED_ASSET, REPO_ROOT
from nn.errors import UserError
from nn.network import Parameters, parameter_count
from nn.npz_io import read_npz, sha256_file
from nn.trace_kinds import KINDS, TraceKind, metadata_problems, shape_problems

__all__ = [
    "REBUILD_COMMAND",
    "RUN_NAMES",
    "SCHEMA_VERSION",
    "TRACES",
    "TRACE_NAMES",
    "DataSplit",
    "LandscapeTrace",
    "NetworkTrace",
    "RunSummary",
    "RunTrace",
    "Trace",
    "TraceEntry",
    "TraceError",
    "load_digits",
    "load_eigendigits",
    "load_landscape",
    "load_run",
    "load_sweep",
    "load_trace",
    "recording_files_read",
    "trace_entry",
    "trace_metadata",
    "trace_set_id",
    "trace_summary",
    "traces_dir",
]

SCHEMA_VERSION = 2
REBUILD_COMMAND = "make traces"


class TraceError(UserError, RuntimeError):
    """A trace that is missing, stale or corrupt. The message names the command that rebuilds it."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}. Rebuild the traces with `{REBUILD_COMMAND}`.")
        self.path = path
        self.problem = problem


_RECORDINGS: ContextVar[tuple[set[Path], ...]] = ContextVar("trace_files_read", default=())
"""The sets of :func:`recording_files_read` blocks open here, innermost last."""


@contextmanager
def recording_files_read() -> Iterator[set[Path]]:
    """Record every trace file loaded within the ``with`` block: what a render read.

    The set it gives fills as traces load (both files of each, resolved); the build names them
    as the render's dependencies. Blocks nest: an outer block also records what an inner one did.
    """
    files: set[Path] = set()
    token = _RECORDINGS.set((*_RECORDINGS.get(), files))
    try:
        yield files
    finally:
        _RECORDINGS.reset(token)


def traces_dir() -> Path:
    """Where traces live: ``$GD_TRACES_DIR``, or ``renders/traces`` in the repository."""
    return Path(os.environ.get("GD_TRACES_DIR", REPO_ROOT / "renders" / "traces"))


def trace_metadata(
    name: str, arrays: dict[str, np.ndarray], meta: dict[str, Any]
) -> dict[str, Any]:
    """The metadata of trace ``name``: ``meta`` with its kind, schema and arrays; checked.

    Raises
    ------
    ValueError
        If the metadata lacks a field of the trace's kind, or the arrays are not what a trace
        of that kind with this metadata must hold.

    """
    kind = trace_entry(name).kind
    meta = {"schema_version": SCHEMA_VERSION, "kind": kind.name, "name": name, **meta}
    problems = metadata_problems(kind, meta) or shape_problems(kind, meta, arrays)
    if problems:
        raise ValueError(f"refusing to write trace {name!r}: " + "; ".join(problems))
    meta["arrays"] = {k: {"dtype": str(v.dtype), "shape": list(v.shape)} for k, v in arrays.items()}
    meta["rebuild"] = REBUILD_COMMAND
    return meta


def trace_set_id(members: dict[str, str]) -> str:
    """The identity of a set of traces: a digest of every member's name and arrays' digest."""
    listing = "".join(f"{name}:{digest}\n" for name, digest in sorted(members.items()))
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Trace:
    """A checked trace: its metadata and its arrays."""

    name: str
    meta: dict[str, Any]
    arrays: dict[str, np.ndarray]

    def __getitem__(self, key: str) -> np.ndarray:
        return self.arrays[key]


@dataclass(frozen=True)
class DataSplit:
    """The digits a trace was made from: where they came from and how many in each split."""

    source: str
    """``"embedded"`` or ``"full"``."""
    n_train: int
    n_test: int


@dataclass(frozen=True)
class RunSummary:
    """A run's figures at its last snapshot."""

    train_accuracy: float
    train_cost: float
    test_accuracy: float
    test_cost: float

    @classmethod
    def of(cls, figures: dict[str, Any]) -> RunSummary:
        """The summary a trace's metadata records (its ``final`` or ``partner_final``)."""
        return cls(*(float(figures[k]) for k in ("train_accuracy", "train_cost",
                                                 "test_accuracy", "test_cost")))  # fmt: skip


class NetworkTrace(Trace):
    """A trace about one network: its layer sizes and parameter count, and the data it saw."""

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        """Neurons per layer, input first: (784, 16, 16, 10)."""
        return tuple(self.meta["layer_sizes"])

    @property
    def parameter_count(self) -> int:
        """Weights and biases of the network: 13,002 for 784-16-16-10."""
        return parameter_count(self.layer_sizes)

    @property
    def data(self) -> DataSplit:
        """The digits the network was trained and tested on."""
        data = self.meta["data"]
        return DataSplit(data["source"], int(data["n_train"]), int(data["n_test"]))


class LandscapeTrace(NetworkTrace):
    """The cost around the trained network; its knob slice's settings, besides its arrays."""

    @property
    def knob(self) -> str:
        """The knob of the simplest slice, as a short label: ``"b3[6]"``."""
        return str(self.meta["knob"])

    @property
    def knob_value(self) -> float:
        """The knob's trained value: where the knob slice's ``t`` is 0."""
        return float(self.meta["knob_value"])

    @property
    def overshoot_factor(self) -> float:
        """How many times larger the overshooting descent's step size is than the steady one's."""
        return float(self.meta["overshoot_rate"]) / float(self.meta["knob_rate"])

    @property
    def partner_final(self) -> RunSummary:
        """The partner network's figures: trained like the main one, from another random start."""
        return RunSummary.of(self.meta["partner_final"])

    @property
    def plane_rate(self) -> float:
        """The step size of the descent on the plane: each step is this times the gradient."""
        return float(self.meta["plane_rate"])


class RunTrace(NetworkTrace):
    """A training run: its settings, its length and its final figures, besides its arrays."""

    @property
    def n_layers(self) -> int:
        """Number of weight layers (3 for 784-16-16-10)."""
        return len(self.meta["layer_sizes"]) - 1

    def parameters(self, snapshot: int) -> Parameters:
        """The network's weights and biases at snapshot index ``snapshot``, as float64."""
        return self._tensors(snapshot, "")

    def gradient(self, snapshot: int) -> Parameters:
        """The gradient of the average training cost at snapshot index ``snapshot``, as float64."""
        return self._tensors(snapshot, "g")

    def _tensors(self, snapshot: int, prefix: str) -> Parameters:
        layers = range(1, self.n_layers + 1)
        return Parameters(
            [self.arrays[f"{prefix}W{i}"][snapshot].astype(np.float64) for i in layers],
            [self.arrays[f"{prefix}b{i}"][snapshot].astype(np.float64) for i in layers],
        )

    @property
    def learning_rate(self) -> float:
        """The step size of SGD."""
        return float(self.meta["learning_rate"])

    @property
    def batch_size(self) -> int:
        """Digits per SGD step."""
        return int(self.meta["batch_size"])

    @property
    def epochs(self) -> int:
        """Passes through the training digits."""
        return int(self.meta["epochs"])

    @property
    def seed(self) -> int:
        """Seed of initialisation, batch order and label shuffle."""
        return int(self.meta["seed"])

    @property
    def total_steps(self) -> int:
        """SGD steps of the whole run."""
        return int(self.meta["total_steps"])

    @property
    def final(self) -> RunSummary:
        """Accuracy and cost on both splits at the end of the run."""
        return RunSummary.of(self.meta["final"])

    @property
    def versions(self) -> dict[str, str]:
        """Versions of Python and the libraries that computed the run."""
        return dict(self.meta["versions"])


_T = TypeVar("_T", bound=Trace)


@dataclass(frozen=True)
class TraceEntry:
    """One trace of the set: its name, kind and reader, what it holds, what it is made from."""

    name: str
    kind: TraceKind
    holds: str
    """What the video takes from it, in a few words."""
    reader: type[Trace] = Trace
    made_from: tuple[str, ...] = ()
    """The traces of the set it is computed from."""


TRACES: tuple[TraceEntry, ...] = (
    TraceEntry(
        name="main",
        kind=KINDS["run"],
        holds="the network the video follows, trained on the true labels",
        reader=RunTrace,
    ),
    TraceEntry(
        name="random_labels",
        kind=KINDS["run"],
        holds="the same network and batches, trained on shuffled labels: it memorises",
        reader=RunTrace,
    ),
    TraceEntry(
        name="landscape",
        kind=KINDS["landscape"],
        holds="the cost around the main run's trained network",
        reader=LandscapeTrace,
        made_from=("main",),
    ),
    TraceEntry(
        name="digits",
        kind=KINDS["digits"],
        holds="the test digits and a sample of training digits",
    ),
    TraceEntry(
        name="sweep",
        kind=KINDS["sweep"],
        holds="why neurons must be smooth: one digit's cost as one weight of main moves",
        made_from=("main", "digits"),
    ),
    TraceEntry(
        name="eigendigits",
        kind=KINDS["eigendigits"],
        holds="a classifier without a network, for comparison: nearest singular subspace",
    ),
)
"""Every trace of a set, in the order they are built: the one list the CLI, checks and docs read.

A new trace is one entry here and its builder in :mod:`nn.compute_traces`.
"""

TRACE_NAMES = tuple(entry.name for entry in TRACES)
RUN_NAMES = tuple(entry.name for entry in TRACES if entry.kind is KINDS["run"])


def trace_entry(name: str) -> TraceEntry:
    """The catalog's entry for trace ``name``.

    Raises
    ------
    ValueError
        If no trace has that name.

    """
    for entry in TRACES:
        if entry.name == name:
            return entry
    raise ValueError(f"there is no trace {name!r}; the traces are {', '.join(TRACE_NAMES)}")


def trace_summary(trace: Trace) -> str:
    """One line on what a trace holds."""
    return trace_entry(trace.name).kind.summary(trace.meta, trace.arrays)


def load_trace(name: str, directory: Path | None = None) -> Trace:
    """Load and check the trace ``name`` (one of :data:`TRACE_NAMES`), with its typed reader.

    Raises
    ------
    TraceError
        If either file is missing, unreadable, from another schema version or another data
        set, or its arrays are not what its metadata promises.

    """
    trace_entry(name)
    directory = directory or traces_dir()
    json_path, npz_path = directory / f"{name}.json", directory / f"{name}.npz"
    for path in (json_path, npz_path):
        if not path.exists():
            raise TraceError(path, "trace is missing")
    stat = npz_path.stat(), json_path.stat()
    for files in _RECORDINGS.get():
        files.update((json_path.resolve(), npz_path.resolve()))
    trace = _load_checked(json_path, npz_path, tuple((s.st_mtime_ns, s.st_size) for s in stat))
    _check_membership(json_path, trace.meta)
    return trace


def _check_membership(json_path: Path, meta: dict[str, Any]) -> None:
    """Refuse a trace whose set-mates, or the traces it was made from, come from another build."""
    identity, made_from = meta["trace_set"]["id"], meta.get("made_from", {})
    for member in sorted(meta["trace_set"]["members"], key=lambda m: m not in made_from):
        path = json_path.with_name(f"{member}.json")
        try:
            other = json.loads(path.read_text(encoding="utf-8"))
            other_digest, other_set = other["npz_sha256"], other["trace_set"]["id"]
        except FileNotFoundError:
            raise TraceError(path, "trace is missing") from None
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise TraceError(path, f"metadata is not readable ({error})") from error
        if member in made_from and other_digest != made_from[member]:
            raise TraceError(
                json_path, f"{meta['name']} was made from another {member} trace than this one"
            )
        if other_set != identity:
            raise TraceError(
                json_path,
                f"mixed set: {meta['name']} and {member} come from different trace builds",
            )


@lru_cache(maxsize=8)
def _load_checked(json_path: Path, npz_path: Path, _stamp: tuple) -> Trace:
    try:
        meta = json.loads(json_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TraceError(json_path, f"metadata is not readable JSON ({error})") from error
    if not isinstance(meta, dict) or "schema_version" not in meta:
        raise TraceError(json_path, "metadata has no schema version")
    if meta["schema_version"] != SCHEMA_VERSION:
        raise TraceError(
            json_path,
            f"trace is stale: schema version {meta['schema_version']}, "
            f"this code reads version {SCHEMA_VERSION}",
        )
    data = meta.get("data", {})
    if (
        data.get("source") == "embedded"
        and EMBEDDED_ASSET.exists()
        and data.get("sha256") != sha256_file(EMBEDDED_ASSET)
    ):
        raise TraceError(json_path, f"trace is stale: {EMBEDDED_ASSET.name} changed since")
    trace_set = meta.get("trace_set")
    members = trace_set.get("members") if isinstance(trace_set, dict) else None
    if not isinstance(members, dict) or trace_set.get("id") != trace_set_id(members):
        raise TraceError(json_path, "metadata does not name a whole trace set")
    if trace_set["members"].get(meta.get("name")) != meta.get("npz_sha256"):
        raise TraceError(json_path, "metadata disagrees with its own trace set")
    if sha256_file(npz_path) != meta.get("npz_sha256"):
        raise TraceError(npz_path, "arrays do not match their metadata (corrupt or out of sync)")
    try:
        arrays = read_npz(npz_path)
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as error:
        raise TraceError(npz_path, f"arrays are not readable ({error})") from error
    entry = trace_entry(json_path.stem)
    if meta.get("kind") != entry.kind.name or meta.get("name") != entry.name:
        found = f"{meta.get('kind')!r} trace {meta.get('name')!r}"
        raise TraceError(json_path, f"metadata is of {found}, not of {entry.kind.name!r} trace")
    problems = metadata_problems(entry.kind, meta)
    if problems:
        raise TraceError(json_path, "; ".join(problems))
    try:
        problems = shape_problems(entry.kind, meta, arrays)
    except (KeyError, TypeError, ValueError) as error:
        raise TraceError(json_path, f"metadata lacks a field ({error})") from error
    if problems:
        raise TraceError(npz_path, "; ".join(problems))
    for array in arrays.values():
        array.setflags(write=False)
    return entry.reader(entry.name, meta, arrays)


def load_run(name: str = "main", directory: Path | None = None) -> RunTrace:
    """A training run's trace (one of :data:`RUN_NAMES`: ``main`` or ``random_labels``)."""
    if name not in RUN_NAMES:
        raise ValueError(f"there is no run {name!r}; the runs are {', '.join(RUN_NAMES)}")
    return _load_as(name, directory, RunTrace)


def load_digits(directory: Path | None = None) -> Trace:
    """Every test digit and a sample of training digits, with their labels and rows."""
    return load_trace("digits", directory)


def load_sweep(directory: Path | None = None) -> Trace:
    """The cost of one example as one weight moves, with sigmoid and with step activations."""
    return load_trace("sweep", directory)


def load_landscape(directory: Path | None = None) -> LandscapeTrace:
    """The cost landscape around the trained ``main`` network."""
    return _load_as("landscape", directory, LandscapeTrace)


def _load_as(name: str, directory: Path | None, reader: type[_T]) -> _T:
    """Load ``name``, whose catalog entry gives it ``reader``."""
    trace = load_trace(name, directory)
    if not isinstance(trace, reader):  # the catalog and this module disagree: a bug, not data
        found, wanted = type(trace).__name__, reader.__name__
        raise TypeError(f"nn/traces.py TRACES reads {name!r} with {found}, not {wanted}")
    return trace


def load_eigendigits(directory: Path | None = None) -> Trace:
    """Each digit's singular images and the nearest-subspace classifier's test results."""
    return load_trace("eigendigits", directory)
