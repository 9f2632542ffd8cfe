"""Scenes build from the real traces, and the video pipeline renders and joins segments."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys

import pytest
from manim import tempconfig

from scenes.build.manifest import ManifestError, read_manifest


@pytest.mark.parametrize("segment", read_manifest(), ids=lambda s: s.name)
def test_every_segment_builds_from_real_traces(segment, traces_env, tmp_path):
    module = importlib.import_module(segment.file.removesuffix(".py").replace("/", "."))
    with tempconfig({"dry_run": True, "media_dir": str(tmp_path), "quality": "low_quality"}):
        scene = getattr(module, segment.scene)()
        scene.render()
    assert scene.renderer.num_plays > 0


def test_title_shows_the_traces_figures(traces_env):
    from nn.traces import load_run
    from scenes.title import TitleAndPlan

    scene = TitleAndPlan()
    scene.main_run = load_run("main")
    text = " ".join(scene.source_lines())
    assert "784-16-16-10" in text and "13,002" in text and "4,000" in text


def test_manifest_refuses_unknown_files(tmp_path):
    bad = tmp_path / "manifest.toml"
    bad.write_text('[[segment]]\nname = "x"\nfile = "scenes/none.py"\nscene = "X"\n')
    with pytest.raises(ManifestError, match="no file"):
        read_manifest(bad)


def test_render_and_join_at_tiny_quality(traces_env, tmp_path):
    env = {**os.environ, "GD_RENDERS_DIR": str(tmp_path), "GD_TRACES_DIR": str(traces_env)}
    build = [sys.executable, "-m", "scenes.build"]
    for segment in read_manifest():
        subprocess.run([*build, "render", segment.name, "--quality", "t"], env=env, check=True)
        video = tmp_path / "tiny" / "segments" / f"{segment.name}.mp4"
        assert video.exists() and video.with_suffix(".srt").exists()
    assert not list(tmp_path.rglob("*.part"))
    subprocess.run([*build, "join", "--quality", "t"], env=env, check=True)
    probe = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-show_entries",
            "format=duration:stream=width,height",
            "-of",
            "json",
            str(tmp_path / "tiny" / "gradient-descent.mp4"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    info = json.loads(probe.stdout)
    assert (info["streams"][0]["width"], info["streams"][0]["height"]) == (192, 108)
    assert float(info["format"]["duration"]) > 5
