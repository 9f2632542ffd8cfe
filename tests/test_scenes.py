"""Scenes build from the real traces, and the video pipeline renders and joins segments."""

from __future__ import annotations

import importlib
import json
import re
import subprocess
from types import ModuleType

import pytest
import srt

from pipeline.manifest import REPO_ROOT, ManifestError, read_manifest


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


@pytest.mark.parametrize("segment", read_manifest(), ids=lambda s: s.name)
def test_every_segment_lays_out_its_text_clean(segment, built_scene):
    """Segments written to the teaching rules also give every new text its time to read."""
    from pipeline.review import TOO_SHORT

    scene = built_scene(segment.name)
    found = [f for f in scene.layout_check.found if segment.taught or f.kind != TOO_SHORT]
    assert not found, "\n".join(f"{f.kind}: {f.what}: {f.detail} at {f.site}" for f in found)
    assert len(scene.layout_check.exceptions) <= 1  # the whole video holds at most 5


def test_the_whole_video_has_one_voice_track_in_sync_at_web_loudness(tiny_video):
    from pipeline.soundtrack import TARGET_LUFS, TARGET_TRUE_PEAK, loudness, stream_durations

    video = tiny_video.directory / "gradient-descent.mp4"
    durations = stream_durations(video)
    assert abs(durations["audio"] - durations["video"]) <= 1 / 5  # one frame at 5 fps
    level = loudness(video)
    assert abs(level["integrated"] - TARGET_LUFS) <= 1
    assert level["true_peak"] <= TARGET_TRUE_PEAK + 0.5  # room for the AAC encoder's overshoot
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
    from nn.network import parameter_count
    from nn.traces import RunTrace, load_run
    from scenes.title import TitleAndPlan

    main = load_run("main")
    sizes = (784, 32, 10)  # another network, so that no typed-in figure passes for the trace's
    data = {**main.meta["data"], "n_train": 1234}
    meta = {**main.meta, "layer_sizes": list(sizes), "parameter_count": parameter_count(sizes)}
    other = RunTrace("main", {**meta, "data": data}, main.arrays)
    for run in (main, other):
        scene = TitleAndPlan()
        scene.main_run = run
        text = " ".join(scene.source_lines())
        assert "-".join(str(size) for size in run.layer_sizes) in text
        assert f"{run.parameter_count:,} weights and biases" in text
        assert f"{run.data.n_train:,} MNIST training digits" in text


def scene_modules() -> dict[str, ModuleType]:
    """Every module of ``scenes/*.py``, by its file as the manifest names it."""
    return {
        f"scenes/{path.name}": importlib.import_module(f"scenes.{path.stem}")
        for path in sorted((REPO_ROOT / "scenes").glob("*.py"))
        if path.stem != "__init__"
    }


def narrated_scenes(module: ModuleType) -> list[type]:
    """The narrated scenes ``module`` defines (not those it imports)."""
    from scenes.toolkit.narration import NarratedScene

    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, NarratedScene)
        and value.__module__ == module.__name__
    ]


def test_every_narrated_scene_is_in_the_manifest_once_under_its_segment_name():
    modules, segments = scene_modules(), read_manifest()
    listed = [(segment.file, segment.scene) for segment in segments]
    for file, module in modules.items():
        for scene in narrated_scenes(module):
            assert listed.count((file, scene.__name__)) == 1, (file, scene.__name__)
    for segment in segments:
        assert [s.file for s in segments].count(segment.file) == 1, segment.file
        scene = getattr(modules[segment.file], segment.scene)
        assert scene in narrated_scenes(modules[segment.file]), segment.name
        assert scene.segment == segment.name  # its takes live in assets/narration/<name>/


def test_scene_docstrings_number_the_segments_in_manifest_order():
    modules = scene_modules()
    numbers = []
    for segment in read_manifest():
        found = re.match(r"Segment (\d+)\b", modules[segment.file].__doc__ or "")
        assert found, f"{segment.file}: its docstring does not start with 'Segment N'"
        numbers.append(int(found.group(1)))
    assert numbers == list(range(1, len(numbers) + 1))


def test_manifest_refuses_unknown_files(tmp_path):
    bad = tmp_path / "manifest.toml"
    bad.write_text('[[segment]]\nname = "x"\nfile = "scenes/none.py"\nscene = "X"\n')
    with pytest.raises(ManifestError, match="no file"):
        read_manifest(bad)


def test_manifest_reads_taught_as_a_boolean_and_refuses_anything_else(tmp_path):
    manifest = tmp_path / "manifest.toml"
    entry = '[[segment]]\nname = "title"\nfile = "scenes/title.py"\nscene = "TitleAndPlan"\n'
    manifest.write_text(entry + "taught = true\n")
    assert read_manifest(manifest)[0].taught
    manifest.write_text(entry)
    assert not read_manifest(manifest)[0].taught
    manifest.write_text(entry + 'taught = "yes"\n')
    with pytest.raises(ManifestError, match="taught must be true or false"):
        read_manifest(manifest)


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
