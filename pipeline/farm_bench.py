"""How renders scale on a cluster (``make bench BENCH=farm``): simulated from measured job times.

For each quality it prints the total render work, the longest job, and the wall time (makespan)
of 1, 2, 4, 8 and 16 workers starting the longest jobs first, with whole segments and with long
segments cut into chunks as the farm plans them (:func:`pipeline.chunks.plan_jobs`).

First a real build of the whole draft in two copies of the working tree, one after the other
with the voice cached: ``make video`` (make -j2) against ``make video RENDER=dask`` (a local
cluster of 2 workers), and whether the two videos are the same frame for frame. Then:

- 480p15: every segment's time as the make -j2 build recorded it (two renders at once on 2
  cores); the chunks' times from a render of the longest segment cut at every split point on 2
  workers, in the same copy after its build.
- 1080p60 and 4K: three sample segments measured (the longest, the median and the shortest at
  480p), one at a time, when their time at that quality is not recorded already; every other
  segment extrapolated from its 480p time by the samples' mean ratio, and labelled so. A chunk
  keeps its 480p share of its segment.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from pipeline.bench import copy_of_repository, time_make_video
from pipeline.chunks import RenderJob, plan_jobs
from pipeline.job_times import makespan, recorded_job_times
from pipeline.manifest import Segment, read_manifest
from pipeline.quality import Quality, quality
from scenes.toolkit.voice import default_voice_cache

__all__ = ["WORKERS", "chunk_costs", "run_farm_benchmark", "sample_segments", "simulate"]

WORKERS = (1, 2, 4, 8, 16)
"""The cluster sizes simulated."""


def sample_segments(draft_times: dict[str, float]) -> list[str]:
    """The longest, the median and the shortest segment by their draft times."""
    ordered = sorted(draft_times, key=lambda name: -draft_times[name])
    return list(dict.fromkeys([ordered[0], ordered[len(ordered) // 2], ordered[-1]]))


def chunk_costs(jobs: list[RenderJob], segment_cost: float, all_cuts: dict[str, float]) -> list:
    """Estimated seconds of each of a segment's planned ``jobs`` at a quality.

    ``all_cuts`` are the draft times of the segment cut at every split point, by job key: a
    planned chunk costs the draft chunks it spans, as a share of their sum, of
    ``segment_cost`` (Manim's start and the stepped plays before a chunk are in those times).
    """
    whole = sum(all_cuts.values())
    costs = []
    for job in jobs:
        last = float("inf") if job.last is None else job.last
        spanned = [seconds for key, seconds in all_cuts.items()
                   if job.first <= _first_play(key) <= last]  # fmt: skip
        costs.append(segment_cost * sum(spanned) / whole)
    return costs


def _first_play(key: str) -> int:
    return int(key.split("@", 1)[1].split("-", 1)[0])


def simulate(
    segments: list[Segment], costs: dict[str, float], all_cuts: dict[str, dict[str, float]]
) -> dict[int, tuple[float, float]]:
    """Makespans on each of :data:`WORKERS`: whole segments, and with chunks where planned."""
    spans = {}
    for workers in WORKERS:
        chunked: list[float] = []
        for job_group in _planned(segments, costs, workers):
            name = job_group[0].segment
            if len(job_group) == 1 or name not in all_cuts:
                chunked.append(costs[name])
            else:
                chunked += chunk_costs(job_group, costs[name], all_cuts[name])
        spans[workers] = (makespan(costs.values(), workers), makespan(chunked, workers))
    return spans


def _planned(segments: list[Segment], costs: dict[str, float], workers: int) -> list:
    """The farm's plan on ``workers``, grouped by segment."""
    groups: dict[str, list[RenderJob]] = {}
    for job in plan_jobs(segments, costs, workers):
        groups.setdefault(job.segment, []).append(job)
    return list(groups.values())


def run_farm_benchmark() -> None:
    """Print the real draft build on 2 workers against make -j2, then simulated makespans."""
    segments = read_manifest()
    draft = quality("l")
    with tempfile.TemporaryDirectory() as scratch:
        build = _real_draft_builds(Path(scratch))
        draft_times = _whole_times(draft, segments, build / "renders")
        longest = max(draft_times, key=draft_times.get)
        cuts = _all_cut_times(build, draft, longest)
    all_cuts = {longest: cuts} if cuts else {}
    if not cuts:
        print(f"  {longest} declares no split points: no chunks simulated")
    _report(draft, segments, draft_times, all_cuts, measured=set(draft_times))
    samples = sample_segments(draft_times)
    for final in (quality("h"), quality("k")):
        measured = {name: _measured(final, name) for name in samples}
        ratio = statistics.mean(measured[name] / draft_times[name] for name in samples)
        costs = {name: measured.get(name, ratio * seconds) for name, seconds in draft_times.items()}
        print(f"  samples at {final.folder}: " + ", ".join(
            f"{name} {measured[name]:.0f} s ({measured[name] / draft_times[name]:.1f} x draft)"
            for name in samples) + f"; the other {len(costs) - len(samples)} segments "
            f"extrapolated at {ratio:.1f} x their draft time")  # fmt: skip
        _report(final, segments, costs, all_cuts, measured=set(samples))


def _whole_times(q: Quality, segments: list[Segment], renders: Path) -> dict[str, float]:
    """Every segment's whole-render seconds that the build in ``renders`` recorded at ``q``."""
    recorded = recorded_job_times(q, renders)
    missing = [s.name for s in segments if s.name not in recorded]
    if missing:
        raise RuntimeError(f"the draft build recorded no time for {', '.join(missing)}")
    return {s.name: recorded[s.name] for s in segments}


def _all_cut_times(repo: Path, q: Quality, name: str) -> dict[str, float]:
    """The times of ``name``'s chunks cut at every split point, rendered in the copy ``repo``.

    On a local cluster of 2 workers, after the copy's own build (whose timeline gives the cuts).
    """
    print(f"rendering {name} at {q.folder} cut at every split point, for its chunks' times")
    env = {**os.environ, "PYTHONPATH": str(repo), "GD_VOICE_CACHE": str(default_voice_cache())}
    env.pop("GD_RENDERS_DIR", None)
    subprocess.run([sys.executable, "-m", "pipeline", "farm", "--quality", q.key, "--chunks",
                    "all", "--workers", "2", name], cwd=repo, env=env, check=True,
                   capture_output=True)  # fmt: skip
    recorded = recorded_job_times(q, repo / "renders")
    return {key: seconds for key, seconds in recorded.items() if key.startswith(f"{name}@")}


def _measured(q: Quality, name: str) -> float:
    """``name``'s recorded time at ``q``; rendered now (and recorded) when there is none."""
    if name not in recorded_job_times(q):
        print(f"rendering {name} at {q.folder} to measure it")
        subprocess.run([sys.executable, "-m", "pipeline", "render", name, "--quality", q.key],
                       check=True, capture_output=True)  # fmt: skip
    return recorded_job_times(q)[name]


def _report(
    q: Quality,
    segments: list[Segment],
    costs: dict[str, float],
    all_cuts: dict[str, dict[str, float]],
    measured: set[str],
) -> None:
    """Print one quality's total work, longest job and simulated makespans."""
    longest = max(costs, key=costs.get)
    label = "all measured" if measured >= set(costs) else (
        f"{len(measured)} measured, {len(costs) - len(measured)} extrapolated")  # fmt: skip
    print(f"{q.folder}: total render work {sum(costs.values()):.0f} s ({label}); "
          f"longest job {longest} {costs[longest]:.0f} s")  # fmt: skip
    print("  workers   whole segments   with chunks")
    for workers, (whole, chunked) in simulate(segments, costs, all_cuts).items():
        print(f"  {workers:7d}   {whole:12.0f} s   {chunked:9.0f} s")


def _real_draft_builds(scratch: Path) -> Path:
    """Time the whole draft with make -j2 and on a 2-worker local cluster; compare the videos.

    Returns the copy of the working tree that make -j2 built.
    """
    made = copy_of_repository(scratch / "make")
    farmed = copy_of_repository(scratch / "dask")
    cache = default_voice_cache()
    plain = time_make_video(made, cache, "JOBS=2")
    dask = time_make_video(farmed, cache, "RENDER=dask", "DASK_WORKERS=2")
    video = Path("renders") / quality("l").folder / "gradient-descent.mp4"
    same = _decoded(made / video) == _decoded(farmed / video)
    verdict = "the same" if same else "NOT the same"
    print(f"whole draft built from nothing (voice cached), {os.cpu_count()} cores, one after the "
          f"other: make -j2 {plain:.0f} s; RENDER=dask on a local cluster of 2 workers "
          f"{dask:.0f} s ({dask / plain:.2f} x); the two videos are {verdict} frame for frame, "
          "picture and sound")  # fmt: skip
    return made


def _decoded(video: Path) -> str:
    """The per-frame digests of ``video``'s picture and sound (ffmpeg's framemd5)."""
    digests = ["ffmpeg", "-v", "error", "-i", str(video), "-f", "framemd5", "-"]
    return subprocess.run(digests, check=True, capture_output=True, text=True).stdout
