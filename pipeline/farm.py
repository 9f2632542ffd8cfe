"""Renders on a Dask cluster: ``make video RENDER=dask`` (``DASK_SCHEDULER=tcp://host:8786``).

Without a scheduler address, a local cluster of this machine's cores. Workers are machines set
up with the README's commands at the same commit: before any work, each worker's environment
fingerprint (:mod:`pipeline.fingerprint`) is compared with this machine's, and a difference is
refused by name; each worker checks its own again at its first job of each build (one that
joined later, or changed since). Jobs (whole segments, or chunks of long ones,
:mod:`pipeline.chunks`) start longest first by their recorded times. A worker renders into a
scratch folder of its own and sends back bytes and text only (:mod:`pipeline.farm_worker`):
the movie, the timeline, the subtitles and the beats' voice files. This machine publishes each
segment as a local render does (:func:`pipeline.render.publish_segment`, atomic), so make's
own join follows. Dask runs a dead worker's jobs again elsewhere (up to its
``allowed-failures``, 3 by default); a Manim process dies with its worker. A job that fails is
reported at the end, by name, with Manim's last line; the other segments are published.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from nn.atomic_files import write_bytes_atomically
from nn.errors import UserError
from pipeline.chunks import ChunkMismatchError, RenderJob, check_chunk_timelines, plan_jobs
from pipeline.farm_worker import (
    FingerprintMismatchError,
    RenderedJob,
    from_portable,
    render_on_worker,
)
from pipeline.fingerprint import differences, environment_fingerprint
from pipeline.job_times import longest_first, record_job_time, recorded_job_times
from pipeline.join import concatenate_pictures
from pipeline.manifest import REPO_ROOT, Segment, find_segment
from pipeline.quality import Quality, renders_dir
from pipeline.render import publish_segment

if TYPE_CHECKING:
    from distributed import Client, Future, LocalCluster

__all__ = ["BUILD_SETTINGS", "CONNECT_TIMEOUT", "FingerprintMismatchError", "farm",
           "segments_in_dry_run"]  # fmt: skip

BUILD_SETTINGS = ("GD_VOICE", "GD_SURFACE_MESH", "MNIST")
"""Environment variables of this build that a worker's render must see as they are here."""


def _render_settings() -> dict[str, str | None]:
    """What a worker's Manim must see of this environment, as it is here (``None``: unset).

    The build's settings, and the variables a Dask nanny sets in its own process and its
    worker's (one BLAS thread, eager malloc trimming, a fixed hash seed): a render on a worker
    runs as a render of plain make does. (Under eager trimming Manim spends most of its time
    in the kernel: a draft segment took 3.6 times as long.) Taken before any cluster starts.
    """
    import dask

    names = [*BUILD_SETTINGS, *dask.config.get("distributed.nanny.pre-spawn-environ", {}),
             "PYTHONHASHSEED"]  # fmt: skip
    return {name: os.environ.get(name) for name in names}


CONNECT_TIMEOUT = "20s"
"""How long to try to reach a scheduler before giving up."""

_DRY_RUN_RENDER = re.compile(r"-m pipeline render (\S+) --quality")


def segments_in_dry_run(text: str) -> list[str]:
    """The segments that ``make --dry-run`` of the segment videos would render, in its order."""
    return list(dict.fromkeys(_DRY_RUN_RENDER.findall(text)))


def farm(
    q: Quality,
    names: Sequence[str],
    scheduler: str | None = None,
    chunking: str = "auto",
    workers: int | None = None,
) -> list[Path]:
    """Render the segments ``names`` at quality ``q`` on a Dask cluster; publish them here.

    ``scheduler`` is the address of a running scheduler; ``None`` starts a local cluster of
    ``workers`` processes (this machine's cores by default). Returns the published videos.
    """
    segments = [find_segment(name) for name in dict.fromkeys(names)]  # each once
    if not segments:
        print("farm: every segment is up to date")
        return []
    expected, settings = environment_fingerprint(), _render_settings()
    with _connected(scheduler, workers) as client:
        _refuse_different_workers(client, expected)
        slots = sum(client.nthreads().values())
        times = recorded_job_times(q)
        jobs = plan_jobs(segments, times, slots, chunking)
        return _run(client, q, segments, jobs, times, expected, settings)


@contextmanager
def _connected(scheduler: str | None, workers: int | None) -> Iterator[Client]:
    """A Dask client of the scheduler at ``scheduler``, or of a local cluster."""
    from distributed import Client

    with _quiet_scheduler():
        if scheduler:
            try:
                client = Client(scheduler, timeout=CONNECT_TIMEOUT)
            except OSError as error:
                raise UserError(
                    f"no Dask scheduler answers at {scheduler} ({error}); "
                    "start one with `.venv/bin/dask scheduler`, or unset DASK_SCHEDULER"
                ) from None
            with client:
                yield client
            return
        with _local_cluster(workers or os.cpu_count() or 2) as cluster, Client(cluster) as client:
            yield client


@contextmanager
def _local_cluster(workers: int) -> Iterator[LocalCluster]:
    """A cluster of ``workers`` processes of this machine that leaves this process's environment.

    A nanny sets its worker's variables in its own process, here, before starting the worker
    (``distributed.nanny.pre-spawn-environ``); this machine's ffmpeg, which mixes the soundtracks,
    would run with them. The local workers start without them.
    """
    import dask
    from distributed import LocalCluster

    before = dict(os.environ)
    with dask.config.set({"distributed.nanny.pre-spawn-environ": {}}):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None,
                               silence_logs=logging.ERROR)  # fmt: skip
    for name in set(os.environ) - set(before):  # the nanny's hash seed, set whatever it is told
        del os.environ[name]
    os.environ.update(before)
    with cluster:
        yield cluster


@contextmanager
def _quiet_scheduler() -> Iterator[None]:
    """Dask's own messages below errors left out of the build's output (a local scheduler's)."""
    logger = logging.getLogger("distributed")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _refuse_different_workers(client: Client, expected: dict[str, object]) -> None:
    """Refuse the build if any worker's fingerprint differs from ``expected``, naming how."""
    found = client.run(environment_fingerprint)
    if not found:
        raise UserError("the Dask cluster has no workers; start some with `.venv/bin/dask worker`")
    refused = []
    for worker, fingerprint in sorted(found.items()):
        refused += [f"worker {worker}: {line}" for line in differences(expected, fingerprint)]
    if refused:
        raise FingerprintMismatchError(
            "workers differ from this machine (set them up with the README's commands, at the "
            "same commit):\n  " + "\n  ".join(refused)
        )


def _run(
    client: Client,
    q: Quality,
    segments: list[Segment],
    jobs: list[RenderJob],
    times: dict[str, float],
    expected: dict[str, object],
    settings: dict[str, str | None],
) -> list[Path]:
    """Submit ``jobs`` longest first; publish each segment once all its jobs are back."""
    from distributed import as_completed
    from tqdm import tqdm

    def submit(job: RenderJob, priority: int) -> Future:
        key = f"render-{job.key}-{os.urandom(4).hex()}"  # each submission a job of its own
        return client.submit(render_on_worker, job, q.key, settings, expected, key=key,
                             pure=False, priority=priority)  # fmt: skip

    order = longest_first([job.key for job in jobs], times)
    by_key = {job.key: job for job in jobs}
    futures = as_completed([submit(by_key[key], len(order) - rank)
                            for rank, key in enumerate(order)])  # fmt: skip
    pending = {s.name: [job for job in jobs if job.segment == s.name] for s in segments}
    back: dict[str, list[RenderedJob]] = {name: [] for name in pending}
    published: list[Path] = []
    failed: list[str] = []

    def render_whole(name: str, why: Exception) -> None:
        bar.write(f"{name}: {why}; rendering it whole")
        pending[name], back[name] = [RenderJob(name)], []
        bar.total += 1
        futures.add(submit(RenderJob(name), len(order) + 1))

    with tqdm(total=len(jobs), unit="job", desc=f"rendering {q.folder}") as bar:
        bar.set_postfix_str(f"0/{len(segments)} segments")
        for future in futures:
            bar.update(1)
            try:
                rendered: RenderedJob = future.result()
            except ChunkMismatchError as mismatch:  # the scene has changed since it was planned
                if not pending[mismatch.segment][0].whole:
                    render_whole(mismatch.segment, mismatch)
                continue
            except Exception as error:  # every failure is reported at the end
                failed.append(_failure_line(error))
                continue
            record_job_time(q, rendered.job.key, rendered.seconds)
            name = rendered.job.segment
            if rendered.job not in pending[name]:
                continue  # a chunk of a segment now rendered whole
            back[name].append(rendered)
            if len(back[name]) < len(pending[name]):
                continue
            try:
                published.append(_publish(find_segment(name), q, pending[name], back[name]))
            except ChunkMismatchError as mismatch:
                render_whole(name, mismatch)
                continue
            except Exception as error:  # the others are still published
                failed.append(f"{name}: could not publish it: {_failure_line(error)}")
                continue
            bar.set_postfix_str(f"{len(published)}/{len(segments)} segments")
    if failed:
        raise UserError(f"{len(failed)} render job(s) failed:\n  " + "\n  ".join(failed))
    return published


def _failure_line(error: BaseException) -> str:
    """The last line of what a failed job said, or the kind of its failure."""
    said = [line.strip() for line in str(error).splitlines() if line.strip()]
    return said[-1] if said else type(error).__name__


def _publish(
    segment: Segment, q: Quality, jobs: list[RenderJob], rendered: list[RenderedJob]
) -> Path:
    """Publish ``segment`` from its rendered jobs: one movie, or chunks joined in play order."""
    by_key = {r.job.key: r for r in rendered}
    ordered = [by_key[job.key] for job in sorted(jobs, key=lambda j: j.first)]
    timelines = [json.loads(r.timeline) for r in ordered]
    whole = check_chunk_timelines([r.job for r in ordered], timelines)
    _keep_voices(ordered[-1])
    parent = renders_dir() / "media" / q.folder
    parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=parent, prefix=f"{segment.name}.farm.") as scratch:
        movies = []
        for number, part in enumerate(ordered):
            movies.append(Path(scratch, f"part{number:03}.mp4"))
            movies[-1].write_bytes(part.movie)
        movie = movies[0] if len(movies) == 1 else Path(scratch, f"{segment.scene}.mp4")
        if len(movies) > 1:
            concatenate_pictures(movies, movie)
        timeline = json.dumps(from_portable(whole), indent=1) + "\n"
        movie.with_suffix(".timeline.json").write_text(timeline, encoding="utf-8")
        if ordered[-1].subtitles:
            movie.with_suffix(".srt").write_text(ordered[-1].subtitles, encoding="utf-8")
        return publish_segment(segment, q, movie)


def _keep_voices(rendered: RenderedJob) -> None:
    """Put the beats' voice files a worker made into this machine's cache, where missing."""
    for name, data in rendered.voices.items():
        target = REPO_ROOT / from_portable({"beats": [{"audio": name}]})["beats"][0]["audio"]
        if not target.exists():
            write_bytes_atomically(target, data)
