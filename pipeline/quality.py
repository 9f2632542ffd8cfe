"""Render qualities: Manim's flags and the folder under ``renders/`` for each."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from nn.errors import SettingError
from pipeline.manifest import REPO_ROOT

__all__ = [
    "QUALITIES",
    "Quality",
    "quality",
    "renders_dir",
]


def renders_dir() -> Path:
    """Generated output: ``$GD_RENDERS_DIR``, by default ``renders/`` in the repository.

    Read when called, so a test or a command that sets the variable later is followed.
    """
    return Path(os.environ.get("GD_RENDERS_DIR", REPO_ROOT / "renders"))


@dataclass(frozen=True)
class Quality:
    """A render quality."""

    key: str
    folder: str
    flags: tuple[str, ...]
    width: int
    height: int
    fps: int

    @property
    def directory(self) -> Path:
        """Where this quality's segments and joined video go."""
        return renders_dir() / self.folder


QUALITIES = {
    "l": Quality("l", "480p15", ("-ql",), 854, 480, 15),  # draft, the default
    "h": Quality("h", "1080p60", ("-qh",), 1920, 1080, 60),  # final
    "k": Quality("k", "2160p60", ("-qk",), 3840, 2160, 60),  # 4K
    "t": Quality("t", "tiny", ("-r", "192,108", "--fps", "5"), 192, 108, 5),  # tests
}


def quality(key: str) -> Quality:
    """The quality called ``key`` (``l``, ``h``, ``k`` or ``t``)."""
    try:
        return QUALITIES[key]
    except KeyError:
        raise SettingError(f"unknown quality {key!r}; use one of {', '.join(QUALITIES)}") from None
