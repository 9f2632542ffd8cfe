"""Render times of the build's jobs, recorded at each build, and what they predict.

Each job (a segment, later a chunk of one) leaves ``renders/<quality>/job-times/<job>.json``
after a successful render: its wall seconds and the commit. One file per job, written whole,
so renders side by side never share a file. A scheduler starts the longest jobs first
(:func:`longest_first`); :func:`makespan` is the wall time of such a schedule on a number of
workers, for the benchmark's simulations.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterable
from pathlib import Path

from nn.atomic_files import write_text_atomically
from pipeline.quality import Quality

__all__ = ["job_times_dir", "longest_first", "makespan", "record_job_time", "recorded_job_times"]


def job_times_dir(q: Quality) -> Path:
    """The folder of the recorded job times at quality ``q``."""
    return q.directory / "job-times"


def record_job_time(q: Quality, job: str, seconds: float) -> None:
    """Record that ``job`` took ``seconds`` of wall time at quality ``q``."""
    record = {"job": job, "seconds": round(seconds, 3)}
    write_text_atomically(job_times_dir(q) / f"{job}.json", json.dumps(record) + "\n")


def recorded_job_times(q: Quality, renders: Path | None = None) -> dict[str, float]:
    """Every job's last recorded wall seconds at quality ``q``; unreadable records are left out.

    ``renders`` is another build's renders folder (by default this one's).
    """
    folder = job_times_dir(q) if renders is None else renders / q.folder / job_times_dir(q).name
    times = {}
    for path in sorted(folder.glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            times[str(record["job"])] = float(record["seconds"])
        except (OSError, ValueError, KeyError, TypeError):
            continue  # a record is a hint for the scheduler, never a reason to stop a build
    return times


def longest_first(jobs: Iterable[str], times: dict[str, float]) -> list[str]:
    """``jobs`` in starting order: never measured first (they may be long), then longest."""
    return sorted(jobs, key=lambda job: (job in times, -times.get(job, 0.0)))


def makespan(seconds: Iterable[float], workers: int) -> float:
    """Wall time of jobs of ``seconds``, longest first, each to the first free of ``workers``."""
    if workers < 1:
        raise ValueError(f"a schedule needs at least one worker, not {workers}")
    free_at = [0.0] * workers
    for duration in sorted(seconds, reverse=True):
        heapq.heappush(free_at, heapq.heappop(free_at) + duration)
    return max(free_at)
