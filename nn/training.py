"""Stochastic gradient descent that records a trace of the whole run.

Every SGD step's mini-batch cost is kept; at each snapshot step (see :mod:`nn.schedule`)
the parameters, the gradient of the average cost over the whole training split, and the
costs and accuracies over both splits are kept too.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
from tqdm.auto import tqdm

from nn.data import Dataset
from nn.errors import SettingError, UserError
from nn.network import (
    DEFAULT_LAYER_SIZES,
    Parameters,
    cost,
    cost_and_gradient,
    init_parameters,
    one_hot,
    predict,
    tensor_names,
)
from nn.schedule import snapshot_steps

__all__ = [
    "LABEL_MODES",
    "DivergenceError",
    "TrainingConfig",
    "TrainingResult",
    "accuracy",
    "train",
    "training_labels",
]

LABEL_MODES = ("true", "shuffled")


class DivergenceError(UserError, RuntimeError):
    """The cost or a parameter became NaN or infinite."""


@dataclass(frozen=True)
class TrainingConfig:
    """Hyper-parameters of one run."""

    layer_sizes: tuple[int, ...] = DEFAULT_LAYER_SIZES
    learning_rate: float = 3.0
    batch_size: int = 10
    epochs: int = 30
    seed: int = 0
    label_mode: str = "true"
    """``"true"``: the real labels; ``"shuffled"``: one fixed permutation of the training labels."""

    def __post_init__(self) -> None:
        if self.label_mode not in LABEL_MODES:
            raise SettingError(f"label_mode must be one of {LABEL_MODES}, got {self.label_mode!r}")
        if self.learning_rate <= 0 or self.batch_size < 1 or self.epochs < 1:
            raise SettingError("--learning-rate, --batch-size and --epochs must be positive")
        if self.layer_sizes[0] != 784 or self.layer_sizes[-1] != 10:
            raise SettingError(
                "a digit network has 784 inputs and 10 outputs (--hidden sets the rest)"
            )

    def as_dict(self) -> dict:
        """Plain JSON-ready values."""
        values = asdict(self)
        values["layer_sizes"] = list(self.layer_sizes)
        return values


@dataclass
class TrainingResult:
    """The recorded arrays of a run, named as in the trace, and the final parameters."""

    arrays: dict[str, np.ndarray]
    final: Parameters
    summary: dict[str, float] = field(default_factory=dict)


def training_labels(dataset: Dataset, config: TrainingConfig) -> np.ndarray:
    """The labels the run learns, one per training row: true, or one seeded shuffle of them."""
    labels = dataset.labels[dataset.train_index]
    if config.label_mode == "shuffled":
        label_rng = np.random.default_rng(np.random.SeedSequence(config.seed).spawn(3)[2])
        labels = label_rng.permutation(labels)
    return labels.astype(np.uint8)


def train(dataset: Dataset, config: TrainingConfig, *, progress: bool = False) -> TrainingResult:
    """Train a network on the training split with mini-batch SGD and record the run.

    Raises
    ------
    DivergenceError
        If the cost or a parameter stops being finite; nothing is returned or written then.

    """
    init_seed, order_seed, _ = np.random.SeedSequence(config.seed).spawn(3)
    params = init_parameters(config.layer_sizes, np.random.default_rng(init_seed))
    order_rng = np.random.default_rng(order_seed)

    x_train = dataset.inputs(dataset.train_index)
    labels = training_labels(dataset, config)
    y_train = one_hot(labels, config.layer_sizes[-1])
    x_test = dataset.inputs(dataset.test_index)
    test_labels = dataset.labels[dataset.test_index]
    y_test = one_hot(test_labels, config.layer_sizes[-1])

    n_train = x_train.shape[0]
    steps_per_epoch = -(-n_train // config.batch_size)
    total_steps = steps_per_epoch * config.epochs
    snapshots = snapshot_steps(total_steps, steps_per_epoch)
    recorder = _SnapshotRecorder(len(snapshots), len(config.layer_sizes) - 1)

    step_cost = np.empty(total_steps, dtype=np.float64)
    next_snapshot = 0
    step = 0
    with tqdm(
        total=total_steps,
        disable=None if progress else True,
        unit="step",
        leave=False,
        desc=f"training ({config.label_mode} labels)",
    ) as bar:
        for _epoch in range(config.epochs):
            order = order_rng.permutation(n_train)
            for start in range(0, n_train, config.batch_size):
                if step == snapshots[next_snapshot]:
                    recorder.record(
                        next_snapshot, params, x_train, y_train, labels, x_test, y_test, test_labels
                    )
                    next_snapshot += 1
                batch = order[start : start + config.batch_size]
                batch_cost, grad = cost_and_gradient(params, x_train[batch], y_train[batch])
                for tensor, g in zip(params.tensors(), grad.tensors(), strict=True):
                    tensor -= config.learning_rate * g
                if not (np.isfinite(batch_cost) and params.all_finite()):
                    raise DivergenceError(
                        f"training diverged at step {step + 1} (cost {batch_cost}); try a smaller "
                        f"learning rate (--learning-rate, now {config.learning_rate:g})"
                    )
                step_cost[step] = batch_cost
                step += 1
            bar.update(steps_per_epoch)
    recorder.record(next_snapshot, params, x_train, y_train, labels, x_test, y_test, test_labels)

    arrays: dict[str, np.ndarray] = {
        "step": np.arange(1, total_steps + 1, dtype=np.int32),
        "step_cost": step_cost.astype(np.float32),
        "snapshot_step": snapshots,
        **recorder.arrays(),
        "train_index": dataset.train_index.astype(np.int32),
        "test_index": dataset.test_index.astype(np.int32),
        "train_labels": labels,
    }
    summary = {
        "test_accuracy": float(arrays["test_accuracy"][-1]),
        "test_cost": float(arrays["test_cost"][-1]),
        "train_cost": float(arrays["train_cost"][-1]),
        "train_accuracy": float(arrays["train_accuracy"][-1]),
    }
    return TrainingResult(arrays, params, summary)


def accuracy(params: Parameters, x: np.ndarray, labels: np.ndarray) -> float:
    """Fraction of examples whose brightest output neuron is their label."""
    return float(np.mean(predict(params, x) == labels))


class _SnapshotRecorder:
    """Fills the per-snapshot arrays of a run."""

    def __init__(self, n_snapshots: int, n_layers: int) -> None:
        self.n = n_snapshots
        self.names = tensor_names(n_layers)
        self.params: dict[str, list[np.ndarray]] = {name: [] for name in self.names}
        self.grads: dict[str, list[np.ndarray]] = {name: [] for name in self.names}
        self.metrics: dict[str, list[float]] = {
            "train_cost": [],
            "train_accuracy": [],
            "test_cost": [],
            "test_accuracy": [],
        }

    def record(
        self,
        index: int,
        params: Parameters,
        x_train: np.ndarray,
        y_train: np.ndarray,
        train_labels: np.ndarray,
        x_test: np.ndarray,
        y_test: np.ndarray,
        test_labels: np.ndarray,
    ) -> None:
        if index >= self.n or len(self.metrics["train_cost"]) != index:
            raise RuntimeError(f"snapshot {index} recorded out of order")
        train_cost, grad = cost_and_gradient(params, x_train, y_train)
        for name, tensor, g in zip(self.names, params.tensors(), grad.tensors(), strict=True):
            self.params[name].append(tensor.astype(np.float32))
            self.grads[name].append(g.astype(np.float32))
        self.metrics["train_cost"].append(train_cost)
        self.metrics["train_accuracy"].append(accuracy(params, x_train, train_labels))
        self.metrics["test_cost"].append(cost(params, x_test, y_test))
        self.metrics["test_accuracy"].append(accuracy(params, x_test, test_labels))

    def arrays(self) -> dict[str, np.ndarray]:
        if len(self.metrics["train_cost"]) != self.n:
            raise RuntimeError("not every snapshot was recorded")
        out = {name: np.stack(values) for name, values in self.params.items()}
        out |= {f"g{name}": np.stack(values) for name, values in self.grads.items()}
        out |= {name: np.asarray(values, dtype=np.float32) for name, values in self.metrics.items()}
        return out
