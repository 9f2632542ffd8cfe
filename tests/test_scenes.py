"""Scenes build from the real traces, and the video pipeline renders and joins segments."""

from __future__ import annotations

import json
import subprocess

import pytest
import srt

from pipeline.manifest import ManifestError, read_manifest


@pytest.mark.parametrize("segment", read_manifest(), ids=lambda s: s.name)
def test_every_segment_builds_from_real_traces_and_speaks_in_beats(segment, built_scene, edit_loop):
    scene = built_scene(segment.name)
    voice = "none" if edit_loop else "synthesised"
    assert len(scene.timeline) > 0
    assert all(p.end >= p.start for p in scene.timeline)
    assert scene.segment == segment.name  # its recorded takes live in assets/narration/<name>/
    assert scene.beats and all(b.source == voice for b in scene.beats)
    assert all(b.id.startswith(f"{segment.name}/") for b in scene.beats)
    assert not any(p.subcaption for p in scene.timeline)  # the beats carry all the words


def test_the_whole_video_has_one_voice_track_in_sync_at_web_loudness(tiny_video):
    from pipeline.soundtrack import loudness, stream_durations

    video = tiny_video.directory / "gradient-descent.mp4"
    durations = stream_durations(video)
    assert abs(durations["audio"] - durations["video"]) <= 1 / 5  # one frame at 5 fps
    level = loudness(video)
    assert abs(level["integrated"] - -16) <= 1 and level["true_peak"] <= -1
    for segment in tiny_video.index["segments"]:
        for beat in segment["beats"]:
            assert beat["end"] >= beat["voice_end"] - 1e-6


def test_every_subtitle_of_the_joined_video_can_be_read(tiny_video):
    subtitles = tiny_video.directory / "gradient-descent.srt"
    cues = list(srt.parse(subtitles.read_text(encoding="utf-8")))
    spoken = sum(b["voice_end"] - b["start"] for s in tiny_video.index["segments"]
                 for b in s["beats"])  # fmt: skip
    # every word is on screen while it is said: a beat's cues run from its first phrase to
    # past its voice's end, less up to 2 ms a cue where subtitle times are cut to milliseconds
    assert sum((c.end - c.start).total_seconds() for c in cues) >= spoken - 0.002 * len(cues)
    for cue in cues:
        lines = cue.content.split("\n")
        seconds = (cue.end - cue.start).total_seconds()
        assert len(lines) <= 2 and all(len(line) <= 42 for line in lines), cue
        assert seconds >= 1 - 1e-3, cue
        assert len(" ".join(lines)) / (seconds + 1e-3) <= 17, cue  # times are whole ms


def test_title_shows_the_traces_figures(traces_env):
    from nn.traces import load_run
    from scenes.title import TitleAndPlan

    scene = TitleAndPlan()
    scene.main_run = load_run("main")
    text = " ".join(scene.source_lines())
    assert "784-16-16-10" in text and "13,002" in text and "4,000" in text


STORYBOARD_ORDER = (
    "title", "recap", "training_data", "cost_of_one_example", "cost_as_function", "descent_1d",
    "cost_surface", "gradient_vector", "gradient_meaning", "smooth_activations", "training",
    "test_performance", "weight_heatmaps", "random_input", "memorization", "eigendigits", "outro",
)  # fmt: skip
"""The storyboard's seventeen segments, in the video's order."""


def test_manifest_holds_every_storyboard_segment_in_order():
    assert tuple(segment.name for segment in read_manifest()) == STORYBOARD_ORDER


def test_manifest_refuses_unknown_files(tmp_path):
    bad = tmp_path / "manifest.toml"
    bad.write_text('[[segment]]\nname = "x"\nfile = "scenes/none.py"\nscene = "X"\n')
    with pytest.raises(ManifestError, match="no file"):
        read_manifest(bad)


def test_every_segment_renders_and_joins_at_tiny_quality(tiny_video):
    for segment in read_manifest():
        video = tiny_video.directory / "segments" / f"{segment.name}.mp4"
        assert video.exists() and video.with_suffix(".srt").exists()
        assert video.with_suffix(".timeline.json").exists() and video.with_suffix(".d").exists()
    assert not list(tiny_video.directory.rglob("*.part"))
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration:stream=width,height",
         "-of", "json", str(tiny_video.directory / "gradient-descent.mp4")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    info = json.loads(probe.stdout)
    assert (info["streams"][0]["width"], info["streams"][0]["height"]) == (192, 108)
    assert float(info["format"]["duration"]) == pytest.approx(tiny_video.index["duration"], abs=0.2)
    assert [s["name"] for s in tiny_video.index["segments"]] == [s.name for s in read_manifest()]


def test_the_review_finds_nothing_in_the_whole_video_pace_included(tiny_video):
    assert tiny_video.review_status == 0, tiny_video.review_output
    assert "review: 0 finding(s)" in tiny_video.review_output


def test_segments_read_their_traces(tiny_video):
    dependencies = (tiny_video.directory / "segments" / "recap.d").read_text()
    assert "renders/traces/main.npz" in dependencies or "main.npz" in dependencies
    assert "scenes/toolkit/network_diagram.py" in dependencies
