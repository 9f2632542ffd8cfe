"""``make where T=8:28``: which segment, animation and line of code is on screen at a time."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from nn.errors import UserError
from pipeline.join import index_path
from pipeline.quality import Quality

__all__ = [
    "Moment",
    "WhereError",
    "describe",
    "format_time",
    "load_index",
    "locate",
    "parse_time",
    "where",
]

_TIME = re.compile(r"^(?:(?:(\d+):)?(\d+):)?(\d+(?:\.\d*)?)$")


class WhereError(UserError, ValueError):
    """A time that cannot be read, or that lies outside the video."""


def parse_time(text: str) -> float:
    """Seconds from ``"508"``, ``"8:28"``, ``"8:28.5"`` or ``"1:08:28"``."""
    match = _TIME.match(text.strip())
    if not match:
        raise WhereError(f"cannot read the time {text!r}; write it as 508, 8:28 or 8:28.5")
    hours, minutes, seconds = match.groups()
    if (hours or minutes) and float(seconds) >= 60:
        raise WhereError(f"{text!r}: seconds must be below 60 after a colon")
    return int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds)


def format_time(seconds: float) -> str:
    """``m:ss.s`` (or ``h:mm:ss.s``) for a time in seconds."""
    minutes, rest = divmod(max(seconds, 0.0), 60)
    hours, minutes = divmod(int(minutes), 60)
    text = f"{minutes}:{rest:04.1f}"
    return f"{hours}:{minutes:02d}:{rest:04.1f}" if hours else text


@dataclass(frozen=True)
class Moment:
    """What is on screen at one time of the video."""

    time: float
    segment: dict
    play: dict


def load_index(q: Quality) -> dict:
    """The index of the last built video at quality ``q``."""
    path = index_path(q)
    if not path.exists():
        raise WhereError(f"{path} does not exist; build the video first with `make video`")
    return json.loads(path.read_text(encoding="utf-8"))


def locate(index: dict, seconds: float) -> Moment:
    """The segment and animation on screen at ``seconds`` into the video."""
    total = index["duration"]
    if not 0 <= seconds <= total:
        raise WhereError(
            f"{format_time(seconds)} is outside the video, which runs from 0:00.0 to "
            f"{format_time(total)}"
        )
    segments = index["segments"]
    segment = next(
        (s for s in segments if s["offset"] <= seconds < s["offset"] + s["duration"]),
        segments[-1],
    )
    plays = segment["plays"]
    play = next((p for p in plays if p["start"] <= seconds < p["end"]), None)
    if play is None:  # a frame's rounding at a boundary: take the nearest animation
        play = min(plays, key=lambda p: min(abs(p["start"] - seconds), abs(p["end"] - seconds)))
    return Moment(seconds, segment, play)


def describe(moment: Moment) -> str:
    """A few lines for a reviewer: where to look and which line to edit."""
    segment, play = moment.segment, moment.play
    number = next(i for i, p in enumerate(segment["plays"]) if p is play) + 1
    end = segment["offset"] + segment["duration"]
    lines = [
        f"{format_time(moment.time)} is in segment '{segment['name']}' "
        f"({segment['scene']} in {segment['file']}, "
        f"{format_time(segment['offset'])} to {format_time(end)})",
        f"  animation {number} of {len(segment['plays'])}: {', '.join(play['animations'])} "
        f"({play['kind']}), {format_time(play['start'])} to {format_time(play['end'])}",
        f"  subcaption: {play['subcaption'] or '(none)'}",
        f"  edit: {play['site']}",
    ]
    beat = next((b for b in segment.get("beats", []) if b["id"] == play.get("beat")), None)
    if beat:
        lines += [
            f"  beat {beat['id']} ({beat['source']} voice, {format_time(beat['start'])} to "
            f"{format_time(beat['end'])}), words at {beat['site']}:",
            f"    {beat['text']}",
        ]
    return "\n".join(lines)


def where(q: Quality, text: str) -> str:
    """The answer of ``make where T=<text>`` for the video at quality ``q``."""
    return describe(locate(load_index(q), parse_time(text)))
