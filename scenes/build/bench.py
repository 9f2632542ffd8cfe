"""Render-speed benchmarks (``make bench``): wall time per second of video, side by side.

Renders the cost-surface segment at draft quality with the surface mesh it uses and with a
finer one, in one run, and prints wall seconds per video second for each. The segment's
budget is 3 s of wall time per second of video on 2 cores.

Renders the title segment twice with an empty voice cache: cold (every phrase synthesised)
and warm (every phrase reused). The difference is the synthesis; the voice's seconds over it
is the synthesis speed in times real time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scenes.build.manifest import find_segment
from scenes.build.quality import quality
from scenes.build.soundtrack import video_duration

SEGMENT = "cost_surface"
BUDGET = 3.0
VOICED_SEGMENT = "title"


def time_render(mesh: int, renders: Path) -> tuple[float, float]:
    """Wall seconds and video seconds of one draft render of the surface segment."""
    env = {**os.environ, "GD_SURFACE_MESH": str(mesh), "GD_RENDERS_DIR": str(renders)}
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "scenes.build", "render", SEGMENT, "--quality", "l"],
                   env=env, check=True, capture_output=True)  # fmt: skip
    wall = time.perf_counter() - began
    video = renders / quality("l").folder / "segments" / f"{SEGMENT}.mp4"
    return wall, video_duration(video)


def run_render_benchmark(meshes: tuple[int, ...] = (16, 24)) -> None:
    """Print the surface segment's render speed for each mesh resolution."""
    find_segment(SEGMENT)  # fails early with the manifest's list if the segment is gone
    print(f"{SEGMENT} at draft quality (480p15), wall seconds per second of video:")
    for mesh in meshes:
        with tempfile.TemporaryDirectory() as scratch:
            wall, video = time_render(mesh, Path(scratch))
        verdict = "within" if wall / video <= BUDGET else "over"
        print(
            f"  mesh {mesh:>2} x {mesh:<2}  {wall:6.1f} s for {video:5.1f} s of video: "
            f"{wall / video:4.2f} s/s ({verdict} the {BUDGET:.0f} s/s budget)"
        )


def time_voiced_render(renders: Path, voice_cache: Path) -> tuple[float, dict]:
    """Wall seconds of one draft render of the title segment, and its timeline."""
    env = {**os.environ, "GD_RENDERS_DIR": str(renders), "GD_VOICE_CACHE": str(voice_cache),
           "GD_VOICE": "piper"}  # fmt: skip
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "scenes.build", "render", VOICED_SEGMENT,
                    "--quality", "l"], env=env, check=True, capture_output=True)  # fmt: skip
    wall = time.perf_counter() - began
    timeline = renders / quality("l").folder / "segments" / f"{VOICED_SEGMENT}.timeline.json"
    return wall, json.loads(timeline.read_text(encoding="utf-8"))


def run_voice_benchmark() -> None:
    """Print the synthesis speed: a cold and a warm render of the title, side by side."""
    find_segment(VOICED_SEGMENT)
    with tempfile.TemporaryDirectory() as scratch:
        cache = Path(scratch) / "voice"
        cold, timeline = time_voiced_render(Path(scratch) / "cold", cache)
        warm, again = time_voiced_render(Path(scratch) / "warm", cache)
    voiced = sum(b["voice_end"] - b["start"] for b in timeline["beats"])
    print(f"{VOICED_SEGMENT} at draft quality, {voiced:.1f} s of voice in "
          f"{timeline['duration']:.1f} s of video:")  # fmt: skip
    print(f"  cold voice cache  {cold:6.1f} s  ({timeline['voice']['synthesised']} phrases "
          "synthesised)")  # fmt: skip
    print(f"  warm voice cache  {warm:6.1f} s  ({again['voice']['synthesised']} synthesised, "
          f"{again['voice']['reused']} reused)")  # fmt: skip
    synthesis = max(cold - warm, 1e-9)
    print(f"  synthesis: {synthesis:.1f} s for {voiced:.1f} s of voice, "
          f"{voiced / synthesis:.1f} times real time")  # fmt: skip
