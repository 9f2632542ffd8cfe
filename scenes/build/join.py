"""Join the rendered segments, in manifest order, into one video without re-encoding."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from scenes.build.manifest import read_manifest
from scenes.build.quality import Quality
from scenes.build.render import segment_video

VIDEO_NAME = "gradient-descent"


def joined_video(q: Quality) -> Path:
    """The whole video at quality ``q``."""
    return q.directory / f"{VIDEO_NAME}.mp4"


def join_segments(q: Quality) -> Path:
    """Concatenate every segment's video (ffmpeg concat demuxer, stream copy); return the path."""
    videos = [segment_video(segment, q) for segment in read_manifest()]
    missing = [str(v) for v in videos if not v.exists()]
    if missing:
        raise FileNotFoundError(
            f"segments not rendered yet: {', '.join(missing)}; run `make video QUALITY={q.key}`"
        )
    target = joined_video(q)
    part = target.with_name(f".{target.name}.part")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        for video in videos:
            listing.write(f"file '{video.resolve()}'\n")
    try:
        subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "concat",
                "-safe",
                "0",
                "-i",
                listing.name,
                "-c",
                "copy",
                "-movflags",
                "+faststart",
                "-f",
                "mp4",
                str(part),
            ],
            check=True,
        )
        os.replace(part, target)
    finally:
        Path(listing.name).unlink(missing_ok=True)
        part.unlink(missing_ok=True)
    return target
