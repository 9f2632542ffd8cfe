"""Numeric core of the video: a sigmoid network trained on MNIST, and the traces it records.

Data flows one way: ``assets/`` -> :mod:`nn` -> ``renders/traces/`` -> ``scenes/``.
Scenes read traces through :mod:`nn.traces` and never train.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
