"""Render one segment with Manim and publish it under ``renders/<quality>/segments/``.

Each render gets a scratch media folder of its own, ``renders/media/<quality>/<segment>.<random>/``,
removed when the render ends, whether it succeeded, failed or was interrupted (``DEBUG=1`` keeps
it and prints where): two builds of one segment at once never share a file of Manim's. Of
Manim's caches only the SVGs made from the segment's TeX outlive a render (without them a render
of a segment with formulas took 16 to 23 % longer), in ``renders/media/tex/<segment>/``: they are
copied into the scratch folder before the render, and the new ones added back after a successful
render, each under a unique temporary name renamed into place, so that renders side by side only
ever see whole files. Manim's own TeX folder cannot be shared: it takes an SVG that another render
may be writing, deletes the other render's LaTeX files, and parses each SVG through a copy under a
fixed name beside it.

A segment is four files, published together by :func:`publish_together`: the video, its subtitles
(``.srt``), its timeline (``.timeline.json``) and a make dependency file (``.d``) naming the
sources, traces and narration files the render actually read. All four are written in full
under unique temporary names beside their targets (the soundtrack mix included) before any is
renamed into place, the video last, with interrupts held back: a failed or interrupted build
leaves the previous segment as it was, and never a video that make takes as done beside older
or newer files. The published video's sound is the segment's beats mixed and normalised over
its picture (silence in a segment without narration), see :mod:`pipeline.soundtrack`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import BinaryIO

from nn.atomic_files import publish_together, write_atomically
from nn.errors import debugging, terminations_as_exit
from pipeline.job_times import record_job_time
from pipeline.manifest import REPO_ROOT, Segment
from pipeline.quality import Quality, renders_dir
from pipeline.soundtrack import add_soundtrack, placements

__all__ = [
    "TEX_FOLDER",
    "TEX_SVG",
    "dependency_rules",
    "in_repo",
    "manim_command",
    "manim_environment",
    "publish_segment",
    "render_segment",
    "run_manim",
    "save_tex",
    "scratch_media",
    "seed_tex",
    "segment_timeline",
    "segment_video",
    "tex_cache",
]

TEX_FOLDER = "Tex"
"""Manim's TeX folder inside its media folder (``tex_dir``, which manim.cfg leaves as it is)."""

TEX_SVG = re.compile(r"[0-9a-f]{16}\.svg")
"""The name of an SVG that Manim made from TeX: the hash of the TeX source."""


def segment_video(segment: Segment, q: Quality) -> Path:
    """The published video of ``segment`` at quality ``q``."""
    return q.directory / "segments" / f"{segment.name}.mp4"


def segment_timeline(segment: Segment, q: Quality) -> Path:
    """The published timeline of ``segment`` at quality ``q``."""
    return segment_video(segment, q).with_suffix(".timeline.json")


def tex_cache(segment: Segment) -> Path:
    """The folder of the SVGs made from ``segment``'s TeX, shared by its renders at any quality."""
    return renders_dir() / "media" / "tex" / segment.name


def manim_command(
    segment: Segment, q: Quality, media: Path, plays: Sequence[str] = ()
) -> list[str]:
    """The Manim command line that renders ``segment`` at quality ``q`` into ``media``.

    ``plays`` are Manim's flags for a range of its animations (``-n START,END``), for a chunk.
    """
    return [
        sys.executable, "-m", "manim", "render", *q.flags, *plays,
        "--media_dir", str(media), "--disable_caching", "--progress_bar", "none",
        "-v", "WARNING", segment.file, segment.scene,
    ]  # fmt: skip


def render_segment(segment: Segment, q: Quality) -> Path:
    """Render ``segment`` at quality ``q``; publish it; return the published video's path.

    The render's wall time is recorded as the segment's job time (:mod:`pipeline.job_times`).
    """
    started = time.monotonic()
    with terminations_as_exit(), scratch_media(segment, q) as media:
        seed_tex(tex_cache(segment), media / TEX_FOLDER)
        movie = run_manim(segment, q, media)
        save_tex(media / TEX_FOLDER, tex_cache(segment))
        video = publish_segment(segment, q, movie)
    record_job_time(q, segment.name, time.monotonic() - started)
    return video


@contextmanager
def scratch_media(segment: Segment, q: Quality) -> Iterator[Path]:
    """A media folder of one render of ``segment``, removed at the end unless ``DEBUG=1``."""
    parent = renders_dir() / "media" / q.folder
    parent.mkdir(parents=True, exist_ok=True)
    media = Path(tempfile.mkdtemp(dir=parent, prefix=f"{segment.name}."))
    try:
        yield media
    finally:
        if debugging():
            print(f"DEBUG: kept Manim's media folder {media}", file=sys.stderr)
        else:
            shutil.rmtree(media, ignore_errors=True)


def manim_environment(settings: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """The environment of a Manim render: this process's, with ``settings`` (``None``: unset)."""
    # The build mixes the voice from the timeline (add_soundtrack): Manim's movie needs none.
    merged = {**os.environ, **(settings or {}), "GD_SOUNDTRACK": "build"}
    return {name: value for name, value in merged.items() if value is not None}


def run_manim(
    segment: Segment,
    q: Quality,
    media: Path,
    plays: Sequence[str] = (),
    settings: Mapping[str, str | None] | None = None,
    preexec_fn: Callable[[], object] | None = None,
    log: BinaryIO | None = None,
) -> Path:
    """Render ``segment`` with Manim into the scratch folder ``media``; return Manim's movie.

    ``plays`` limits it to a range of animations (:func:`manim_command`); ``settings`` are
    environment variables the render sees besides this process's (``None``: unset);
    ``preexec_fn`` runs in Manim's process before it starts; ``log`` takes Manim's output
    instead of this terminal.
    """
    env = manim_environment(settings)
    subprocess.run(manim_command(segment, q, media, plays), check=True, cwd=REPO_ROOT, env=env,
                   preexec_fn=preexec_fn, stdout=log, stderr=log)  # fmt: skip
    movies = list((media / "videos" / segment.path.stem).glob(f"*/{segment.scene}.mp4"))
    if len(movies) != 1:
        raise RuntimeError(f"manim left {len(movies)} videos of {segment.scene} in {media}")
    return movies[0]


def publish_segment(segment: Segment, q: Quality, movie: Path) -> Path:
    """Publish Manim's ``movie`` of ``segment`` with its sound and files; return the video."""
    timeline = movie.with_suffix(".timeline.json")
    if not timeline.exists():
        raise RuntimeError(
            f"{segment.file}: {segment.scene} wrote no timeline; "
            "derive it from scenes.toolkit.timeline.TimelineScene"
        )
    recorded = json.loads(timeline.read_text(encoding="utf-8"))
    video = segment_video(segment, q)
    subtitles = movie.with_suffix(".srt")
    rules = dependency_rules(video, recorded)
    publish_together([
        (video.with_suffix(".srt"),
         partial(shutil.copyfile, subtitles) if subtitles.exists() else _empty),
        (segment_timeline(segment, q), partial(shutil.copyfile, timeline)),
        (video.with_suffix(".d"), lambda part: part.write_text(rules, encoding="utf-8")),
        (video, partial(add_soundtrack, movie, placements(recorded.get("beats", [])))),
    ])  # fmt: skip
    return video


def _empty(part: Path) -> None:
    """Leave ``part`` empty (a segment without subtitles)."""


def seed_tex(cache: Path, tex_dir: Path) -> None:
    """Copy the SVGs in ``cache`` into ``tex_dir``, the TeX folder of one render.

    The cache only ever gains whole files by renames (:func:`save_tex`), so a copy is whole.
    """
    tex_dir.mkdir(parents=True, exist_ok=True)
    for svg in cache.glob("*.svg"):
        if TEX_SVG.fullmatch(svg.name):
            shutil.copyfile(svg, tex_dir / svg.name)


def save_tex(tex_dir: Path, cache: Path) -> None:
    """Add to ``cache`` the SVGs of a finished render's ``tex_dir`` that it lacks.

    Each goes in whole, by a rename from a unique name: renders that save at once, or read
    while another saves, see either no file or a whole one (both renders made the same TeX).
    """
    for svg in sorted(tex_dir.glob("*.svg")):
        if TEX_SVG.fullmatch(svg.name) and not (cache / svg.name).exists():
            write_atomically(cache / svg.name, partial(shutil.copyfile, svg))


def dependency_rules(video: Path, timeline: dict) -> str:
    """The text of ``<video>.d``: make rules naming every file the render read.

    Like a compiler's ``-MD -MP`` output: one rule for the video, and an empty rule for each
    input, so that a deleted input makes the video stale instead of breaking make.
    """
    inputs = sorted({*timeline["sources"], *timeline.get("inputs", []),
                     *(in_repo(p) for p in timeline["traces"])})  # fmt: skip
    target = in_repo(str(video))
    lines = [f"{target}: {' '.join(inputs)}", *(f"{p}:" for p in inputs)]
    return "\n".join(lines) + "\n"


def in_repo(path: str) -> str:
    """``path`` relative to the repository when it lies inside, else absolute."""
    resolved = Path(path).resolve()
    try:
        return str(resolved.relative_to(REPO_ROOT))
    except ValueError:
        return str(resolved)
