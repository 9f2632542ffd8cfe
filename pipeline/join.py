"""Join the rendered segments, in manifest order, into one video, one subtitle file and an index.

The picture is concatenated without re-encoding (ffmpeg's concat demuxer); the sound is mixed
once over the joined picture from every beat's audio (see :mod:`pipeline.soundtrack`), so
audio and video stay in sync. Each segment's subtitles are shifted by the segment's offset into
``gradient-descent.srt``, with a WebVTT copy ``gradient-descent.vtt`` beside it. The index
``gradient-descent.index.json`` lists every segment's offset and duration and every animation's
start and end in video time with the ``file:line`` that played it, every string and number shown
(numbers by value, with each value they took), every beat and declared pause; ``make where``,
``make review`` and ``make script`` read it.

The four files are published together (:func:`nn.atomic_files.publish_together`): each is
written in full under a unique temporary name, then all are renamed into place, the video last,
so two joins at once or a failed one never leave a new index beside an old video.
"""

from __future__ import annotations

import datetime
import json
import subprocess
import tempfile
from functools import partial
from pathlib import Path

import srt

from nn.atomic_files import publish_together, stage
from nn.errors import UserError
from pipeline.manifest import Segment, read_manifest
from pipeline.quality import Quality
from pipeline.render import segment_timeline, segment_video
from pipeline.soundtrack import add_soundtrack, placements, video_duration

__all__ = [
    "INDEX_VERSION",
    "VIDEO_NAME",
    "build_index",
    "concatenate_pictures",
    "index_path",
    "join_segments",
    "joined_video",
    "shift_subtitles",
    "write_webvtt",
]

VIDEO_NAME = "gradient-descent"
INDEX_VERSION = 5
"""Version 3 added each segment's ``numbers``: every number shown, by value, in video time;
version 4 its ``layout`` findings and declared ``layout_exceptions``; version 5 its ``chapter``
title and ``credits``."""


def joined_video(q: Quality) -> Path:
    """The whole video at quality ``q``."""
    return q.directory / f"{VIDEO_NAME}.mp4"


def index_path(q: Quality) -> Path:
    """The index of the whole video at quality ``q``."""
    return q.directory / f"{VIDEO_NAME}.index.json"


def shift_subtitles(pieces: list[tuple[str, float]]) -> str:
    """One SRT document from ``(srt_text, offset_seconds)`` pieces, renumbered from 1."""
    subtitles = []
    for text, offset in pieces:
        shift = datetime.timedelta(seconds=offset)
        for subtitle in srt.parse(text):
            subtitle.start += shift
            subtitle.end += shift
            subtitles.append(subtitle)
    return srt.compose(subtitles, reindex=True, start_index=1)


def build_index(segments: list[Segment], q: Quality, durations: list[float]) -> dict:
    """The index of the joined video: segments with offsets, animations in video time."""
    entries, offset = [], 0.0
    for segment, duration in zip(segments, durations, strict=True):
        timeline = _read_timeline(segment, q)
        entries.append({
            "name": segment.name,
            "chapter": segment.chapter_title,
            "scene": segment.scene,
            "file": segment.file,
            "taught": segment.taught,
            "offset": offset,
            "duration": duration,
            "plays": [
                {**play, "start": offset + play["start"], "end": offset + play["end"]}
                for play in timeline["plays"]
            ],
            "texts": [{**t, "time": offset + t["time"]} for t in timeline["texts"]],
            "numbers": [_shifted_number(n, offset) for n in timeline["numbers"]],
            "off_screen": [{**o, "time": offset + o["time"]} for o in timeline["off_screen"]],
            "layout": [{**f, "time": offset + f["time"]} for f in timeline["layout"]],
            "layout_exceptions": timeline["layout_exceptions"],
            "anchors": [
                {**a, "first_drift_time": None if a["first_drift_time"] is None
                 else offset + a["first_drift_time"]}
                for a in timeline["anchors"]
            ],
            "beats": [_shifted(b, offset, "start", "voice_end", "animations_end", "end")
                      for b in timeline.get("beats", [])],
            "pauses": [_shifted(p, offset, "start", "end") for p in timeline.get("pauses", [])],
            "voice": timeline.get("voice"),
            "credits": timeline.get("credits", []),
        })  # fmt: skip
        offset += duration
    return {"version": INDEX_VERSION, "quality": q.folder, "video": f"{VIDEO_NAME}.mp4",
            "duration": offset, "segments": entries}  # fmt: skip


def _read_timeline(segment: Segment, q: Quality) -> dict:
    """The timeline of ``segment``'s last render; refused when it predates the layout check."""
    path = segment_timeline(segment, q)
    timeline = json.loads(path.read_text(encoding="utf-8"))
    if "layout" not in timeline:
        raise UserError(f"{path} comes from an older render, without the layout check: "
                        f"render the segments again with `make video QUALITY={q.key}`")  # fmt: skip
    return timeline


def _shifted(entry: dict, offset: float, *keys: str) -> dict:
    """``entry`` with the times under ``keys`` moved ``offset`` seconds later."""
    return {**entry, **{key: offset + entry[key] for key in keys}}


def _shifted_number(number: dict, offset: float) -> dict:
    """A number shown, and each of its changes, ``offset`` seconds later."""
    changes = [_shifted(change, offset, "time") for change in number["changes"]]
    return {**_shifted(number, offset, "time"), "changes": changes}


def write_webvtt(subtitles: str, target: Path) -> None:
    """Write ``target``: the SRT ``subtitles`` as WebVTT (for browsers), converted by ffmpeg."""
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "srt", "-i", "pipe:0", "-f", "webvtt",
                    str(target)], input=subtitles.encode("utf-8"), check=True)  # fmt: skip


def concatenate_pictures(videos: list[Path], picture: Path) -> None:
    """Write ``picture``: the video streams of ``videos`` one after the other, not re-encoded."""
    with tempfile.TemporaryDirectory(prefix="join-") as scratch:
        listing = Path(scratch) / "segments.txt"
        listing.write_text("".join(f"file '{v.resolve()}'\n" for v in videos), encoding="utf-8")
        subprocess.run(
            ["ffmpeg", "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", str(listing),
             "-map", "0:v:0", "-c", "copy", "-f", "mp4", str(picture)],
            check=True,
        )  # fmt: skip


def join_segments(q: Quality) -> Path:
    """Concatenate every segment's video, subtitles and timeline; return the video's path."""
    segments = read_manifest()
    videos = [segment_video(segment, q) for segment in segments]
    missing = [str(v) for v in videos if not v.exists()]
    if missing:
        raise FileNotFoundError(
            f"segments not rendered yet: {', '.join(missing)}; run `make video QUALITY={q.key}`"
        )
    durations = [video_duration(v) for v in videos]
    target = joined_video(q)
    picture = stage(target.with_name(f"{target.stem}.picture.mp4"),
                    partial(concatenate_pictures, videos))  # fmt: skip
    try:
        index = build_index(segments, q, durations)
        sounds = [p for s in index["segments"] for p in placements(s["beats"])]
        offsets = [sum(durations[:i]) for i in range(len(durations))]
        pieces = [
            (v.with_suffix(".srt").read_text(encoding="utf-8"), o)
            for v, o in zip(videos, offsets, strict=True)
        ]
        subtitles = shift_subtitles(pieces)
        index_text = json.dumps(index, indent=1) + "\n"
        publish_together([
            (target.with_suffix(".srt"), lambda part: part.write_text(subtitles, encoding="utf-8")),
            (target.with_suffix(".vtt"), partial(write_webvtt, subtitles)),
            (index_path(q), lambda part: part.write_text(index_text, encoding="utf-8")),
            (target, partial(add_soundtrack, picture, sounds)),
        ])  # fmt: skip
    finally:
        picture.unlink(missing_ok=True)
    return target
