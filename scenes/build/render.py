"""Render one segment with Manim and publish it atomically under ``renders/<quality>/segments/``.

Manim writes into its own media folder; only a finished render is copied next to the target
and renamed onto it, so an interrupted render never leaves a file that make takes as done.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from scenes.build.manifest import REPO_ROOT, Segment
from scenes.build.quality import RENDERS, Quality


def segment_video(segment: Segment, q: Quality) -> Path:
    """The published video of ``segment`` at quality ``q``."""
    return q.directory / "segments" / f"{segment.name}.mp4"


def publish(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` through a temporary name and an atomic rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f".{target.name}.part")
    try:
        shutil.copyfile(source, part)
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)


def render_segment(segment: Segment, q: Quality) -> Path:
    """Render ``segment`` at quality ``q``; return the published video's path."""
    media = RENDERS / "media" / q.folder
    command = [
        sys.executable,
        "-m",
        "manim",
        "render",
        *q.flags,
        "--media_dir",
        str(media),
        "--progress_bar",
        "none",
        "-v",
        "WARNING",
        segment.file,
        segment.scene,
    ]
    started = time.time()
    subprocess.run(command, check=True, cwd=REPO_ROOT)
    rendered = [
        p
        for p in (media / "videos" / segment.path.stem).glob(f"*/{segment.scene}.mp4")
        if p.stat().st_mtime >= started - 1
    ]
    if len(rendered) != 1:
        raise RuntimeError(f"manim left {len(rendered)} fresh videos of {segment.scene} in {media}")
    video = segment_video(segment, q)
    subtitles = rendered[0].with_suffix(".srt")
    srt_target = video.with_suffix(".srt")
    if subtitles.exists():
        publish(subtitles, srt_target)
    else:
        srt_target.parent.mkdir(parents=True, exist_ok=True)
        srt_target.write_text("", encoding="utf-8")
    publish(rendered[0], video)
    return video
