"""Dependency discovery: the files a render read, for the make rules of its segment (``.d``).

Two kinds: the project's own source files (every loaded module of ``scenes`` and ``nn``) and
the trace files the render loaded, which :func:`nn.traces.recording_files_read` records while
the render runs. ``pipeline/render.py`` writes both into the segment's ``.d`` file, so a segment
renders again when a source or a trace it read changes.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from nn import traces
from nn.data import REPO_ROOT
from scenes.toolkit.play_log import repo_path

__all__ = ["InputsRead", "project_sources", "recording_inputs"]


def project_sources() -> set[str]:
    """Repository files of every loaded module of ``scenes`` and ``nn``: the render's inputs."""
    found = set()
    for module in list(sys.modules.values()):
        filename = getattr(module, "__file__", None)
        if not filename:
            continue
        path = Path(filename).resolve()
        if re.match(r"(scenes|nn)/", repo_path(path)):
            found.add(str(path.relative_to(REPO_ROOT)))
    return found


@dataclass
class InputsRead:
    """What a render read: the trace files it loaded (filled while it runs) and its sources."""

    traces: set[Path] = field(default_factory=set)

    def as_json(self) -> dict[str, list[str]]:
        """``sources`` and ``traces`` as the timeline records them (sorted, for a stable file)."""
        return {
            "sources": sorted(project_sources()),
            "traces": sorted(str(path) for path in self.traces),
        }


@contextmanager
def recording_inputs() -> Iterator[InputsRead]:
    """Record the trace files loaded within the ``with`` block; its sources are read at the end."""
    with traces.recording_files_read() as files:
        yield InputsRead(files)
