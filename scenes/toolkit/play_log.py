"""The play log: each ``play`` and ``wait`` of a scene, its times, subcaption and calling line.

Every other record of the timeline points into it by the play's ``index``, and names the
``file:line`` of the scene code that called into Manim (:func:`call_site`).
"""

from __future__ import annotations

import contextlib
import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import manim
from manim import Mobject, Wait

from nn.data import REPO_ROOT
from scenes.toolkit.manim_internals import is_animation_builder

__all__ = [
    "PlayRecord",
    "animation_name",
    "call_site",
    "made_at",
    "play_kind",
    "repo_path",
    "shown_by",
    "stamp_made_at",
]

_MANIM_DIR = str(Path(manim.__file__).parent)
_HERE = Path(__file__).resolve()
_TOOLKIT_DIR = str(_HERE.parent)
_RECORDERS = {str(_HERE), str(_HERE.with_name("timeline.py"))}
"""This module and the timeline's: between a scene and Manim's ``play``, never a call site."""


@dataclass
class PlayRecord:
    """One ``play`` or ``wait`` of a scene."""

    index: int
    kind: str
    animations: list[str]
    start: float
    end: float
    site: str
    subcaption: str | None = None
    beat: str | None = None


def animation_name(animation: Any) -> str:
    """A readable name of what ``play`` was given: ``mob.animate`` shows as ``animate``."""
    return "animate" if is_animation_builder(animation) else type(animation).__name__


def play_kind(animations: tuple[Any, ...]) -> str:
    """``"wait"`` for a play of nothing but waits, else ``"play"``."""
    return "wait" if animations and all(isinstance(a, Wait) for a in animations) else "play"


def shown_by(items: Any) -> list[Mobject]:
    """The mobjects that ``items`` (a play's arguments, or mobjects) put on screen.

    A mobject itself; for an animation, the mobject it animates and the one it becomes.
    """
    found: list[Mobject] = []
    for item in items:
        candidates = (
            [item]
            if isinstance(item, Mobject)
            else [getattr(item, "mobject", None), getattr(item, "target_mobject", None)]
        )
        found += [mobject for mobject in candidates if isinstance(mobject, Mobject)]
    return found


def call_site(scene_file: str | None) -> str:
    """``file:line`` of the scene code that called into Manim, relative to the repository.

    The innermost frame in the scene's own file wins; else the innermost frame that is
    neither Manim nor the timeline's own modules.
    """
    fallback = None
    for frame in inspect.stack(context=0)[1:]:
        name = str(Path(frame.filename).resolve())
        if name in _RECORDERS or name.startswith(_MANIM_DIR):
            continue
        if scene_file and name == scene_file:
            return _relative(name, frame.lineno)
        fallback = fallback or _relative(name, frame.lineno)
    return fallback or "?"


def made_at() -> str:
    """``file:line`` of the innermost caller outside the toolkit and Manim: who made a mobject."""
    frame = inspect.currentframe()
    while frame is not None:
        name = str(Path(frame.f_code.co_filename).resolve())
        if not name.startswith((_TOOLKIT_DIR, _MANIM_DIR)) and not name.startswith("<"):
            return _relative(name, frame.f_lineno)
        frame = frame.f_back
    return "?"


def stamp_made_at(mobject: Mobject) -> Mobject:
    """Record on ``mobject`` (as ``made_at``) the line that made it, for the layout check."""
    mobject.made_at = made_at()
    return mobject


def _relative(filename: str, line: int) -> str:
    return f"{repo_path(filename)}:{line}"


def repo_path(filename: str | Path) -> str:
    """``filename`` relative to the repository when it lies inside, else as it is."""
    path = Path(filename)
    with contextlib.suppress(ValueError):
        path = path.relative_to(REPO_ROOT)
    return str(path)
