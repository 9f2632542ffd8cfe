"""Render one segment with Manim and publish it atomically under ``renders/<quality>/segments/``.

Manim writes into a media folder of the segment's own (so that segments render in parallel
without sharing a TeX cache); only a finished render is copied beside the target and renamed
onto it, so an interrupted render never leaves a file that make takes as done. Beside the
video go its subtitles (``.srt``), its timeline (``.timeline.json``) and a make dependency file
(``.d``) naming the sources, traces and narration files the render actually read. The published
video's sound is the segment's beats mixed and normalised over its picture (silence in a segment
without narration), see :mod:`scenes.build.soundtrack`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from scenes.build.manifest import REPO_ROOT, Segment
from scenes.build.quality import RENDERS, Quality
from scenes.build.soundtrack import add_soundtrack, placements


def segment_video(segment: Segment, q: Quality) -> Path:
    """The published video of ``segment`` at quality ``q``."""
    return q.directory / "segments" / f"{segment.name}.mp4"


def segment_timeline(segment: Segment, q: Quality) -> Path:
    """The published timeline of ``segment`` at quality ``q``."""
    return segment_video(segment, q).with_suffix(".timeline.json")


def publish(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` through a temporary name and an atomic rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f".{target.name}.part")
    try:
        shutil.copyfile(source, part)
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)


def manim_command(segment: Segment, q: Quality, media: Path) -> list[str]:
    """The Manim command line that renders ``segment`` at quality ``q`` into ``media``."""
    return [
        sys.executable, "-m", "manim", "render", *q.flags,
        "--media_dir", str(media), "--disable_caching", "--progress_bar", "none",
        "-v", "WARNING", segment.file, segment.scene,
    ]  # fmt: skip


def render_segment(segment: Segment, q: Quality) -> Path:
    """Render ``segment`` at quality ``q``; return the published video's path."""
    media = RENDERS / "media" / q.folder / segment.name
    started = time.time()
    # The build mixes the voice from the timeline (add_soundtrack): Manim's movie needs none.
    env = {**os.environ, "GD_SOUNDTRACK": "build"}
    subprocess.run(manim_command(segment, q, media), check=True, cwd=REPO_ROOT, env=env)
    rendered = [
        p
        for p in (media / "videos" / segment.path.stem).glob(f"*/{segment.scene}.mp4")
        if p.stat().st_mtime >= started - 1
    ]
    if len(rendered) != 1:
        raise RuntimeError(f"manim left {len(rendered)} fresh videos of {segment.scene} in {media}")
    movie = rendered[0]
    timeline = movie.with_suffix(".timeline.json")
    if not timeline.exists():
        raise RuntimeError(
            f"{segment.file}: {segment.scene} wrote no timeline; "
            "derive it from scenes.toolkit.timeline.TimelineScene"
        )
    video = segment_video(segment, q)
    subtitles = movie.with_suffix(".srt")
    if subtitles.exists():
        publish(subtitles, video.with_suffix(".srt"))
    else:
        video.with_suffix(".srt").write_text("", encoding="utf-8")
    recorded = json.loads(timeline.read_text(encoding="utf-8"))
    voiced = movie.with_name(f"{movie.stem}.voiced.mp4")
    add_soundtrack(movie, placements(recorded.get("beats", [])), voiced)
    publish(timeline, segment_timeline(segment, q))
    write_dependencies(video, recorded)
    publish(voiced, video)
    voiced.unlink()
    return video


def write_dependencies(video: Path, timeline: dict) -> None:
    """Write ``<video>.d``: make rules naming every file the render read.

    Like a compiler's ``-MD -MP`` output: one rule for the video, and an empty rule for each
    input, so that a deleted input makes the video stale instead of breaking make.
    """
    inputs = sorted({*timeline["sources"], *timeline.get("inputs", []),
                     *(_in_repo(p) for p in timeline["traces"])})  # fmt: skip
    target = _in_repo(str(video))
    lines = [f"{target}: {' '.join(inputs)}", *(f"{p}:" for p in inputs)]
    video.with_suffix(".d").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _in_repo(path: str) -> str:
    """``path`` relative to the repository when it lies inside, else absolute."""
    resolved = Path(path).resolve()
    try:
        return str(resolved.relative_to(REPO_ROOT))
    except ValueError:
        return str(resolved)
