"""What each training run must show before its trace is kept.

A run on the true labels must learn: after its first epoch it classifies its training digits
better than chance (a one-sided binomial test), it ends at least halfway from chance to perfect,
and no epoch's average mini-batch cost rises above the epoch before it beyond noise (a one-sided
Welch test, Bonferroni over the epochs) and visibly (half as much again as the lowest so far).
A run on shuffled labels is expected to sit near chance for a long time, so it is held only to
ending no worse than chance (a one-sided binomial test).
Every run must store as finite float32. A refusal names the setting to change.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from nn.errors import UserError
from nn.training import TrainingConfig, TrainingResult

__all__ = [
    "EPOCH_RISE_LEVEL",
    "FALSE_ALARM",
    "VISIBLE_RISE",
    "RunRefusedError",
    "chance_accuracy",
    "check_run",
    "epoch_accuracy",
    "rising_epochs",
    "stored_problems",
]

#: Probability of refusing a run that is fine: the chance a test may cry wolf.
FALSE_ALARM = 0.001
#: The whole-run family of epoch comparisons is tested at this level (Bonferroni-corrected).
EPOCH_RISE_LEVEL = 0.05
#: A rise counts when an epoch's mean cost is more than this times the lowest epoch mean before.
VISIBLE_RISE = 1.5


class RunRefusedError(UserError):
    """A run that does not show what its trace must show; nothing is written."""


def chance_accuracy(labels: np.ndarray) -> float:
    """Accuracy of always guessing the commonest label: what a network that learned nothing gets."""
    return float(np.bincount(labels).max() / labels.size)


def epoch_accuracy(result: TrainingResult, epoch: int, steps_per_epoch: int) -> float:
    """Training accuracy at the first snapshot at or after the end of ``epoch`` (1 is the first)."""
    rows = np.flatnonzero(result.arrays["snapshot_step"] >= epoch * steps_per_epoch)
    return float(result.arrays["train_accuracy"][rows[0]])


def stored_problems(result: TrainingResult) -> list[str]:
    """Arrays of the run that are not finite as stored (float32 overflow, NaN)."""
    return [
        f"array {name!r} is not finite as stored (float32 holds at most {np.finfo('f4').max:.2g})"
        for name, array in result.arrays.items()
        if array.dtype.kind == "f" and not np.isfinite(array).all()
    ]


def rising_epochs(step_cost: np.ndarray, steps_per_epoch: int) -> list[tuple[int, float, float]]:
    """Epochs whose mini-batch costs rise above the epoch's before, beyond noise and visibly.

    Beyond noise: a one-sided Welch test, Bonferroni over the run. Visibly: the epoch's mean is
    more than :data:`VISIBLE_RISE` times the lowest epoch mean before it, well above SGD's own
    wobble between epochs. Returns ``(epoch, mean before, mean during)`` for each, epochs
    counted from 1.
    """
    epochs = step_cost[: step_cost.size // steps_per_epoch * steps_per_epoch].astype(np.float64)
    epochs = epochs.reshape(-1, steps_per_epoch)
    level = EPOCH_RISE_LEVEL / max(len(epochs) - 1, 1)
    rising = []
    for k in range(1, len(epochs)):
        test = stats.ttest_ind(epochs[k], epochs[k - 1], equal_var=False, alternative="greater")
        lowest = epochs[:k].mean(axis=1).min()
        if test.pvalue < level and epochs[k].mean() > VISIBLE_RISE * lowest:
            rising.append((k + 1, float(epochs[k - 1].mean()), float(epochs[k].mean())))
    return rising


def check_run(name: str, result: TrainingResult, config: TrainingConfig) -> None:
    """Refuse a run that does not show what a run with its labels must show.

    Raises
    ------
    RunRefusedError
        Naming the run, what it showed, and the setting to change.

    """
    labels = result.arrays["train_labels"]
    chance = chance_accuracy(labels)
    final = float(result.arrays["train_accuracy"][-1])
    setting = (
        f"try a learning rate nearer the default {TrainingConfig.learning_rate} "
        f"(--learning-rate, now {config.learning_rate:g})"
    )
    problems = stored_problems(result)
    if problems:
        raise RunRefusedError(f"the {name} run blew up: {problems[0]}; {setting}")
    worse = stats.binomtest(round(final * labels.size), labels.size, chance, alternative="less")
    if worse.pvalue < FALSE_ALARM:
        raise RunRefusedError(
            f"the {name} run ends worse than chance ({final:.1%} of its training digits, "
            f"chance is {chance:.1%}); {setting}"
        )
    if config.label_mode != "true":
        return
    steps_per_epoch = -(-labels.size // config.batch_size)
    first = epoch_accuracy(result, 1, steps_per_epoch)
    if stats.binomtest(round(first * labels.size), labels.size, chance,
                       alternative="greater").pvalue >= FALSE_ALARM:  # fmt: skip
        raise RunRefusedError(
            f"the {name} run does not learn: after its first epoch it gets {first:.1%} of its "
            f"training digits right, no better than chance ({chance:.1%}); {setting}"
        )
    halfway = chance + (1 - chance) / 2
    if final < halfway:
        raise RunRefusedError(
            f"the {name} run learns too little: it ends at {final:.1%} of its training digits, "
            f"less than halfway from chance ({chance:.1%}) to all of them; {setting}, "
            f"or train longer (--epochs, now {config.epochs})"
        )
    rising = rising_epochs(result.arrays["step_cost"], steps_per_epoch)
    if rising:
        epoch, before, during = rising[0]
        raise RunRefusedError(
            f"the {name} run's cost rises for a whole epoch: epoch {epoch} averages {during:.4f} "
            f"against {before:.4f} the epoch before; {setting}"
        )
