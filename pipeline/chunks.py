"""Render jobs: a whole segment, or a chunk of it (a range of its animations), and their joining.

A scene declares where it may be cut (``split_before``: beats at whose start the frames stay
the same, see :mod:`scenes.toolkit.narration`); each render's timeline records the play at which
each begins. A long segment is planned as chunks cut there, from the newest timeline of the
segment at any quality (play numbers do not depend on the quality), rendered with Manim's
``-n START,END`` and joined picture to picture. Plays before a chunk are stepped as if drawn,
so the chunk that runs to the end writes the whole render's timeline and subtitles, and the
segment's sound and subtitles are laid once over the joined picture when it is published.
A chunk's key is ``<segment>@<first>-<last>`` (``end`` for the last), its job time recorded
under that name.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.manifest import Segment
from pipeline.quality import QUALITIES

__all__ = [
    "CHUNKINGS",
    "ChunkMismatchError",
    "RenderJob",
    "check_chunk_timelines",
    "newest_timeline",
    "plan_jobs",
    "split_plays",
]

CHUNKINGS = ("auto", "all", "none")
"""How the planner cuts: long segments only, at every declared split point, or never."""


@dataclass(frozen=True)
class RenderJob:
    """One render: plays ``first`` to ``last`` (``None``: the end) of a segment."""

    segment: str
    first: int = 0
    last: int | None = None

    @property
    def whole(self) -> bool:
        """Whether the job renders the whole segment."""
        return self.first == 0 and self.last is None

    @property
    def key(self) -> str:
        """The job's name in job times and progress: ``title`` or ``title@12-end``."""
        if self.whole:
            return self.segment
        return f"{self.segment}@{self.first}-{'end' if self.last is None else self.last}"

    @property
    def manim_flags(self) -> tuple[str, ...]:
        """Manim's flags for the job's range of animations."""
        if self.whole:
            return ()
        return ("-n", f"{self.first}" if self.last is None else f"{self.first},{self.last}")


class ChunkMismatchError(RuntimeError):
    """The chunks of a segment do not make up its whole render (the scene changed since)."""

    def __init__(self, segment: str, reason: str) -> None:
        super().__init__(segment, reason)  # both, so that it crosses from a worker whole
        self.segment, self.reason = segment, reason

    def __str__(self) -> str:
        return self.reason


def split_plays(timeline: dict) -> list[int]:
    """The play numbers at which the scene of ``timeline`` may be cut, in order."""
    return sorted({int(point["play"]) for point in timeline.get("split_points", [])} - {0})


def newest_timeline(segment: Segment) -> dict | None:
    """The newest published timeline of ``segment`` at any quality, or ``None``."""
    found = [q.directory / "segments" / f"{segment.name}.timeline.json" for q in QUALITIES.values()]
    for path in sorted((p for p in found if p.exists()), key=lambda p: -p.stat().st_mtime):
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
    return None


def plan_jobs(
    segments: Sequence[Segment], times: dict[str, float], workers: int, chunking: str = "auto"
) -> list[RenderJob]:
    """The jobs that render ``segments`` on ``workers``: each whole, or cut into chunks.

    ``auto`` cuts a segment whose recorded time exceeds an equal share of all the work, into
    chunks of about that share, each chunk's cost estimated from its part of the segment's
    video time; ``all`` cuts at every split point (for tests); ``none`` never cuts. A segment
    never rendered, or rendered before it declared split points, is rendered whole.
    """
    if chunking not in CHUNKINGS:
        raise ValueError(f"chunking {chunking!r}: use one of {', '.join(CHUNKINGS)}")
    share = sum(times.get(s.name, 0.0) for s in segments) / max(workers, 1)
    jobs: list[RenderJob] = []
    for segment in segments:
        timeline = newest_timeline(segment) if chunking != "none" else None
        cost = times.get(segment.name, 0.0)
        if timeline is None or not split_plays(timeline) or (chunking == "auto" and cost <= share):
            jobs.append(RenderJob(segment.name))
            continue
        cuts = split_plays(timeline)
        if chunking == "auto":
            cuts = _cuts_for_share(timeline, cuts, share / cost)
        bounds = [0, *cuts, None]
        jobs += [RenderJob(segment.name, a, None if b is None else b - 1)
                 for a, b in itertools.pairwise(bounds)]  # fmt: skip
    return jobs


def _cuts_for_share(timeline: dict, cuts: list[int], fraction: float) -> list[int]:
    """The cuts among ``cuts`` that leave chunks of about ``fraction`` of the video time each."""
    plays = timeline["plays"]
    total = max(float(timeline["duration"]), 1e-9)

    def start(play: int) -> float:
        return float(plays[play]["start"]) if play < len(plays) else total

    kept, begun = [], 0.0
    for cut in cuts:
        if cut < len(plays) and (start(cut) - begun) / total >= fraction * 0.999:
            kept.append(cut)
            begun = start(cut)
    return kept


def check_chunk_timelines(jobs: Sequence[RenderJob], timelines: Sequence[dict]) -> dict:
    """The whole render's timeline, once the chunks' ``timelines`` are shown to make it up.

    The last chunk runs to the end and wrote the whole timeline; every chunk must start at one
    of its split points, and each earlier chunk's plays must be the same as its first plays.
    Raises :class:`ChunkMismatchError` otherwise (render the segment whole).
    """
    whole = timelines[-1]
    allowed = {0, *split_plays(whole)}
    for job, timeline in zip(jobs, timelines, strict=True):
        count = len(timeline["plays"])
        if job.first not in allowed:
            why = f"play {job.first} is no longer a split point"
        elif job.last is not None and count != job.last + 1:
            why = f"it played {count} animations, not {job.last + 1}"
        elif timeline["plays"] != whole["plays"][:count]:
            why = "its plays differ from the whole render's"
        else:
            continue
        raise ChunkMismatchError(job.segment, f"{job.key}: {why}")
    return whole
