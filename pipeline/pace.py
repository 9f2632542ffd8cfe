"""The review hears the pace: readable subtitles, silences with reasons, pictures that move.

Three checks over the beats, the declared pauses and the subtitles of a built video (or of one
rendered segment), each finding with the ``file:line`` of the beat or animation to edit:

- a subtitle cue faster than the reading rate, longer than two lines of 42 characters, or on
  screen for less than a second;
- a stretch without voice in which more than :data:`MAX_SILENCE` have no declared reason
  (the declared pauses and silences within it are subtracted; what is left must stay short);
- a beat whose animations end more than :data:`STILL_LIMIT` before its voice does (the picture
  sits still while the voice goes on), or go on more than :data:`OUTRUN_LIMIT` after it (the
  voice stops and the next words wait for the picture).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable

import srt

from pipeline.findings import Finding
from pipeline.where import format_time, locate
from scenes.toolkit.phrasing import MAX_LINE, MAX_LINES, MIN_CUE, READING_RATE

__all__ = [
    "MAX_SILENCE",
    "OUTRUN_LIMIT",
    "SRT_PRECISION",
    "STILL_LIMIT",
    "Interval",
    "beat_findings",
    "cue_findings",
    "pace_findings",
    "pace_summary",
    "silence_findings",
]

MAX_SILENCE = 4.0
"""Seconds without voice that need a declared pause or silence."""
STILL_LIMIT = 2.0
"""Seconds a beat's picture may sit still before its voice ends."""
OUTRUN_LIMIT = 1.0
"""Seconds a beat's animations may go on after its voice ends, to let a movement settle."""
SRT_PRECISION = 0.001
"""Subtitle times are written in whole milliseconds; a cue may lose up to this much."""

Interval = tuple[float, float]


def pace_findings(index: dict, subtitles: list[srt.Subtitle]) -> list[Finding]:
    """Every pace finding of a video's ``index`` and its ``subtitles`` (video times)."""
    findings = [f for cue in subtitles for f in cue_findings(index, cue)]
    findings += silence_findings(index)
    for segment in index["segments"]:
        findings += beat_findings(segment)
    return sorted(findings)


def cue_findings(index: dict, cue: srt.Subtitle) -> list[Finding]:
    """What is wrong with one subtitle cue: too fast, too long, or too brief."""
    start, end = cue.start.total_seconds(), cue.end.total_seconds()
    site = _site_at(index, (start + end) / 2)  # subtitle times are cut to whole milliseconds
    shown = " / ".join(cue.content.splitlines())
    seconds = end - start
    findings = []
    if _too_fast(cue):
        speed = _characters(cue) / max(seconds, SRT_PRECISION)
        findings.append(Finding(start, site, "fast cue", (
            f"{speed:.1f} characters per second (at most {READING_RATE:g}) in "
            f"{shown!r}; a short clause is spoken fastest: join it to its neighbour, reword "
            "the beat, or record a take"
        )))  # fmt: skip
    lines = cue.content.splitlines()
    if len(lines) > MAX_LINES or any(len(line) > MAX_LINE for line in lines):
        findings.append(Finding(start, site, "long cue", (
            f"{len(lines)} line(s), the longest {max(map(len, lines))} characters "
            f"(at most {MAX_LINES} of {MAX_LINE}) in {shown!r}"
        )))  # fmt: skip
    if seconds + SRT_PRECISION < MIN_CUE:
        findings.append(Finding(start, site, "brief cue", (
            f"on screen {seconds:.2f} s (at least {MIN_CUE:g} s) in {shown!r}"
        )))  # fmt: skip
    return findings


def silence_findings(index: dict) -> list[Finding]:
    """Stretches longer than :data:`MAX_SILENCE` without voice and without a declared reason."""
    voiced = _voiced(index)
    declared = _merged(
        (pause["start"], pause["end"])
        for segment in index["segments"] for pause in segment.get("pauses", [])
    )  # fmt: skip
    findings = []
    for gap in _subtract([(0.0, index["duration"])], voiced):
        unexplained = _subtract([gap], declared)
        seconds = sum(end - start for start, end in unexplained)
        if seconds > MAX_SILENCE:
            start = unexplained[0][0]
            findings.append(Finding(start, _longest_play_in(index, unexplained), "silence", (
                f"{gap[1] - gap[0]:.1f} s without voice from {format_time(gap[0])}, "
                f"{seconds:.1f} s of it with no declared reason; narrate it, shorten it, or "
                "declare it with self.pause(seconds, reason) or `with self.silence(reason):`"
            )))  # fmt: skip
    return findings


def beat_findings(segment: dict) -> list[Finding]:
    """Beats whose picture sits still while the voice goes on, or outruns the voice."""
    findings = []
    for beat in segment.get("beats", []):
        moving = [p["end"] for p in segment["plays"] if p.get("beat") == beat["id"]
                  and p["kind"] == "play"]  # fmt: skip
        last_movement = max(moving, default=beat["start"])
        still = beat["voice_end"] - last_movement
        if still > STILL_LIMIT:
            findings.append(Finding(last_movement, beat["site"], "still picture", (
                f"beat {beat['id']}: the picture sits still for the last {still:.1f} s of its "
                f"voice (at most {STILL_LIMIT:g}); spread its animations over the words, e.g. "
                "run_time=beat.remaining(leave=0.5)"
            )))  # fmt: skip
        outrun = beat["animations_end"] - beat["voice_end"]
        if outrun > OUTRUN_LIMIT:
            findings.append(Finding(beat["voice_end"], beat["site"], "outruns voice", (
                f"beat {beat['id']}: its animations go on {outrun:.1f} s after its voice ends "
                f"(at most {OUTRUN_LIMIT:g}), so the next words wait; shorten them or move "
                "them into a declared silence"
            )))  # fmt: skip
    return findings


def _site_at(index: dict, seconds: float) -> str:
    """The ``file:line`` of the beat speaking at ``seconds``, else of the animation on screen."""
    for segment in index["segments"]:
        for beat in segment.get("beats", []):
            if beat["start"] <= seconds < beat["end"]:
                return beat["site"]
    return locate(index, min(max(seconds, 0.0), index["duration"])).play["site"]


def _too_fast(cue: srt.Subtitle) -> bool:
    """Whether ``cue`` is faster than the reading rate (allowing for whole-millisecond times)."""
    seconds = (cue.end - cue.start).total_seconds()
    return _characters(cue) > READING_RATE * (seconds + SRT_PRECISION)


def _characters(cue: srt.Subtitle) -> int:
    """Characters a viewer reads in ``cue``: its words and the spaces between them."""
    return len(" ".join(cue.content.split()))


def _voiced(index: dict) -> list[Interval]:
    """When the voice speaks: every phrase of every beat, in video times, merged."""
    return _merged(
        (beat["start"] + phrase["start"], beat["start"] + phrase["end"])
        for segment in index["segments"] for beat in segment.get("beats", [])
        for phrase in beat["phrases"]
    )  # fmt: skip


def _longest_play_in(index: dict, stretches: list[Interval]) -> str:
    """The ``file:line`` of the animation or wait that fills most of ``stretches``."""

    def overlap(play: dict) -> float:
        return sum(max(0.0, min(end, play["end"]) - max(start, play["start"]))
                   for start, end in stretches)  # fmt: skip

    plays = [p for segment in index["segments"] for p in segment["plays"]]
    return max(plays, key=overlap)["site"]


def _merged(intervals: Iterable[Interval]) -> list[Interval]:
    """``intervals`` sorted, with overlapping ones joined."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _subtract(intervals: list[Interval], removed: list[Interval]) -> list[Interval]:
    """The parts of sorted, disjoint ``intervals`` outside sorted, disjoint ``removed``."""
    left = []
    for start, end in intervals:
        for cut_start, cut_end in removed:
            if cut_end <= start or cut_start >= end:
                continue
            if cut_start > start:
                left.append((start, cut_start))
            start = max(start, cut_end)
        if end > start:
            left.append((start, end))
    return left


def pace_summary(index: dict, subtitles: list[srt.Subtitle]) -> list[str]:
    """Lines on the pace: subtitle speeds, and every silence over the limit with its reasons."""
    speeds = sorted(
        _characters(c) / max((c.end - c.start).total_seconds(), SRT_PRECISION) for c in subtitles
    )
    lines = []
    if speeds:
        median = statistics.median(speeds)
        above = sum(_too_fast(c) for c in subtitles) / len(speeds)
        lines.append(f"subtitles: {len(speeds)} cues, median {median:.1f} characters per second, "
                     f"maximum {speeds[-1]:.1f}, {above:.1%} above {READING_RATE:g}")  # fmt: skip
    voiced = _voiced(index)
    for start, end in _subtract([(0.0, index["duration"])], voiced):
        if end - start > MAX_SILENCE:
            reasons = [p["reason"] for s in index["segments"] for p in s.get("pauses", [])
                       if p["start"] < end and p["end"] > start]  # fmt: skip
            lines.append(f"silence {format_time(start)}-{format_time(end)} ({end - start:.1f} s): "
                         + ("; ".join(reasons) or "no declared reason"))  # fmt: skip
    return lines
