"""When to take snapshots of a training run: densely early, sparsely late."""

from __future__ import annotations

import numpy as np

__all__ = ["MAX_SNAPSHOTS", "MIN_SNAPSHOTS", "snapshot_steps"]

MIN_SNAPSHOTS = 50
MAX_SNAPSHOTS = 400


def snapshot_steps(total_steps: int, steps_per_epoch: int, n_geometric: int = 160) -> np.ndarray:
    """Steps (0 = the initialisation) at which the parameters are recorded.

    The union of geometrically spaced steps (dense early, where the network changes fastest),
    every epoch's end, and the final step. Between :data:`MIN_SNAPSHOTS` and
    :data:`MAX_SNAPSHOTS` steps, or every step of a run shorter than that.
    """
    if total_steps < 1 or steps_per_epoch < 1:
        raise ValueError("a run needs at least one step")
    if total_steps + 1 <= MIN_SNAPSHOTS:
        return np.arange(total_steps + 1, dtype=np.int32)
    epoch_ends = np.arange(steps_per_epoch, total_steps + 1, steps_per_epoch)
    if epoch_ends.size > MAX_SNAPSHOTS // 2:
        epoch_ends = epoch_ends[:0]  # too many epochs to mark each one
    n = min(n_geometric, MAX_SNAPSHOTS // 2 - 2)
    while True:
        geometric = np.rint(np.geomspace(1, total_steps, n)).astype(np.int64)
        steps = np.unique(np.concatenate([[0, total_steps], geometric, epoch_ends]))
        # Rounding merges the earliest geometric steps; ask for more until there are enough.
        if steps.size >= MIN_SNAPSHOTS or n >= MAX_SNAPSHOTS // 2 - 2:
            return steps.astype(np.int32)
        n += 10
