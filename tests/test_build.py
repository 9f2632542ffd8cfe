"""The whole-video build: render, join, index, subtitles, where, storyboard, review."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import srt

from nn.data import REPO_ROOT
from nn.errors import UserError
from pipeline.where import WhereError, format_time, locate, parse_time
from scenes.toolkit.phrasing import READING_RATE
from tests.fixtures import write_manifest

PLANTED = "tests/fixtures/planted.py"


def line_of(marker: str) -> int:
    """The line of the fixture scene file that ends in the comment ``# <marker>``."""
    lines = Path(PLANTED).read_text().splitlines()
    return next(n for n, text in enumerate(lines, 1) if text.endswith(f"# {marker}"))


SLOGAN, FIRST_WAIT, ANCHOR = line_of("SLOGAN"), line_of("FIRST_WAIT"), line_of("ANCHOR")
COUNT, STEADY_COUNT, LAST_WAIT = line_of("COUNT"), line_of("STEADY"), line_of("LAST_WAIT")


@pytest.fixture(scope="module")
def built_video(tmp_path_factory) -> dict:
    """Two test segments rendered at tiny quality and joined, as `make video` does."""
    root = tmp_path_factory.mktemp("video")
    segments = {"planted": "PlantedErrors", "steady": "SteadyCount"}
    manifest = write_manifest(root / "manifest.toml", PLANTED, segments)
    env = {**os.environ, "GD_MANIFEST": str(manifest), "GD_RENDERS_DIR": str(root)}
    build = [sys.executable, "-m", "pipeline"]
    for name in ("planted", "steady"):
        subprocess.run([*build, "render", name, "--quality", "t"], env=env, check=True)
    subprocess.run([*build, "join", "--quality", "t"], env=env, check=True)
    review = subprocess.run([*build, "review", "--quality", "t"], env=env, capture_output=True,
                            text=True)  # fmt: skip
    where = subprocess.run([*build, "where", "--quality", "t", "0:05.2"], env=env,
                           capture_output=True, text=True)  # fmt: skip
    outside = subprocess.run([*build, "where", "--quality", "t", "9:00"], env=env,
                             capture_output=True, text=True)  # fmt: skip
    subprocess.run([*build, "storyboard", "--quality", "t"], env=env, check=True)
    tiny = root / "tiny"
    return {
        "dir": tiny,
        "index": json.loads((tiny / "gradient-descent.index.json").read_text()),
        "review": review,
        "where": where,
        "outside": outside,
    }


def probe_duration(path: Path) -> float:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
         str(path)], capture_output=True, text=True, check=True).stdout  # fmt: skip
    return float(out)


def test_segment_durations_add_up_to_the_joined_video(built_video):
    tiny = built_video["dir"]
    parts = [probe_duration(tiny / "segments" / f"{n}.mp4") for n in ("planted", "steady")]
    assert parts[0] == pytest.approx(4.5, abs=0.21) and parts[1] == pytest.approx(2, abs=0.21)
    assert probe_duration(tiny / "gradient-descent.mp4") == pytest.approx(sum(parts), abs=0.1)
    assert built_video["index"]["duration"] == pytest.approx(sum(parts), abs=1e-6)


def test_index_maps_times_to_the_right_animation(built_video):
    index = built_video["index"]
    expectations = {
        0.5: ("planted", 0, "FadeIn", SLOGAN),  # two FadeIns: the slogan, the wide text
        2.0: ("planted", 1, "Wait", FIRST_WAIT),
        3.9: ("planted", 2, "animate", COUNT),
        4.8: ("steady", 0, "animate", STEADY_COUNT),
        6.2: ("steady", 1, "Wait", LAST_WAIT),
    }
    for seconds, (segment, number, animation, line) in expectations.items():
        moment = locate(index, seconds)
        assert moment.segment["name"] == segment, seconds
        assert moment.segment["plays"].index(moment.play) == number, seconds
        assert moment.play["animations"][0] == animation
        assert moment.play["site"] == f"{PLANTED}:{line}"
    with pytest.raises(WhereError, match="outside the video"):
        locate(index, index["duration"] + 1)


def test_where_command_names_the_line_to_edit(built_video):
    out = built_video["where"].stdout
    assert "segment 'steady'" in out and f"edit: {PLANTED}:{STEADY_COUNT}" in out
    assert "subcaption: Counting up." in out
    assert built_video["outside"].returncode != 0
    assert "outside the video" in built_video["outside"].stderr


def test_the_index_records_each_number_shown_in_video_time(built_video):
    for segment, line in zip(built_video["index"]["segments"], (COUNT, STEADY_COUNT), strict=True):
        [count] = [p for p in segment["plays"] if p["site"] == f"{PLANTED}:{line}"]
        [counter] = segment["numbers"]  # shown by the play that counts it up with .animate
        assert (counter["value"], counter["text"], counter["site"]) == (1, "1", count["site"])
        assert counter["time"] == count["start"]
        # .animate morphs the digits; the number takes its new value as the play ends
        assert counter["changes"] == [{"time": count["end"], "value": 10000, "text": "10,000"}]
    assert count["start"] == built_video["index"]["segments"][1]["offset"]  # in video time


def test_the_index_shifts_each_segments_numbers_and_layout_to_video_time(tmp_path, monkeypatch):
    from pipeline.join import build_index
    from pipeline.manifest import Segment
    from pipeline.quality import quality
    from pipeline.render import segment_timeline

    monkeypatch.setenv("GD_RENDERS_DIR", str(tmp_path))
    segments, tiny = [Segment(name, PLANTED, "SteadyCount") for name in ("a", "b")], quality("t")
    count = {"kind": "SteadyNumber", "value": 1, "text": "1", "index": 0, "time": 0.5,
             "site": f"{PLANTED}:{STEADY_COUNT}",
             "changes": [{"time": 1.5, "value": 10000, "text": "10,000"}]}  # fmt: skip
    fault = {"kind": "too small", "what": "'x'", "detail": "capitals 5.0 px tall", "index": 0,
             "time": 0.25, "site": f"{PLANTED}:{STEADY_COUNT}", "made_at": []}  # fmt: skip
    allowed = {"kind": "overlap", "what": "x", "reason": "why", "site": f"{PLANTED}:1"}
    for segment, numbers in zip(segments, ([], [count]), strict=True):
        timeline = {"plays": [], "texts": [], "numbers": numbers, "off_screen": [], "anchors": [],
                    "layout": [fault], "layout_exceptions": [allowed]}  # fmt: skip
        segment_timeline(segment, tiny).parent.mkdir(parents=True, exist_ok=True)
        segment_timeline(segment, tiny).write_text(json.dumps(timeline))
    first, second = build_index(segments, tiny, [4.0, 2.0])["segments"]
    assert first["numbers"] == []
    assert second["numbers"] == [
        {**count, "time": 4.5, "changes": [{"time": 5.5, "value": 10000, "text": "10,000"}]}
    ]
    assert [f["time"] for f in (first["layout"] + second["layout"])] == [0.25, 4.25]
    assert second["layout_exceptions"] == [allowed]
    del timeline["layout"]  # a timeline rendered before the layout check
    segment_timeline(segments[1], tiny).write_text(json.dumps(timeline))
    with pytest.raises(UserError, match=r"older render.*make video QUALITY=t"):
        build_index(segments, tiny, [4.0, 2.0])


def test_a_render_names_as_inputs_the_traces_it_read_and_no_others(traces_env):
    from manim import tempconfig

    from nn.traces import load_digits, load_run, recording_files_read
    from pipeline.render import dependency_rules
    from scenes.toolkit.timeline import TimelineScene

    class ReadsDigits(TimelineScene):
        def construct(self) -> None:
            load_digits()
            self.wait(0.1)

    class ReadsNothing(TimelineScene):
        def construct(self) -> None:
            self.wait(0.1)

    load_run("main")  # read outside any render: no render's input
    with tempconfig({"dry_run": True, "pixel_width": 64, "pixel_height": 36}):
        reads, reads_nothing = ReadsDigits(), ReadsNothing()
        reads.render()
        reads_nothing.render()
    digits = [traces_env.resolve() / f"digits{suffix}" for suffix in (".json", ".npz")]
    assert reads.timeline_data()["traces"] == [str(path) for path in digits]
    assert reads_nothing.timeline_data()["traces"] == []
    rules = dependency_rules(Path("renders/tiny/segments/reads.mp4"), reads.timeline_data())
    assert {f"{path.relative_to(REPO_ROOT)}:" for path in digits} <= set(rules.splitlines())
    with recording_files_read() as outer:  # blocks nest: the outer one records the inner's too
        load_digits()
        with recording_files_read() as inner:
            load_run("main")
    assert {p.name for p in inner} == {"main.json", "main.npz"}
    assert {p.stem for p in outer} == {"digits", "main"}


def test_subtitles_are_shifted_by_each_segments_offset(built_video):
    cues = list(srt.parse((built_video["dir"] / "gradient-descent.srt").read_text()))
    assert [c.content for c in cues] == [
        "But we can do better!",
        "This output is crappy.",
        "Counting up.",
    ]
    assert [c.index for c in cues] == [1, 2, 3]
    offset = built_video["index"]["segments"][1]["offset"]
    assert cues[0].start.total_seconds() == pytest.approx(0)
    assert cues[1].start.total_seconds() == pytest.approx(3.0, abs=1e-6)
    assert cues[2].start.total_seconds() == pytest.approx(offset, abs=1e-6)


FINDING = re.compile(
    r"^\s*(?P<time>\S+)  (?P<file>\S+):(?P<line>\d+)  (?P<check>[^:]+): (?P<message>.*)$"
)
"""A finding as the review prints it: time, the file:line to edit, the check, what is wrong."""


def test_review_catches_the_planted_errors(built_video):
    result = built_video["review"]
    assert result.returncode == 1
    findings = [m for m in map(FINDING.match, result.stdout.splitlines()) if m]
    planted = {("spelling", SLOGAN), ("off screen", SLOGAN), ("fast cue", SLOGAN),
               ("silence", FIRST_WAIT), ("anchor", ANCHOR), ("classroom", COUNT)}  # fmt: skip
    assert STEADY_COUNT not in {int(f["line"]) for f in findings}  # the steady segment has none
    assert sorted((f["check"], int(f["line"])) for f in findings) == sorted(planted)
    assert f"review: {len(findings)} finding(s)" in result.stdout
    found = {f["check"]: f for f in findings}
    assert found["spelling"]["message"].startswith("'midset' ")  # not 'Growth', not 'correct'
    assert found["spelling"]["time"] == format_time(0)  # the slogan shows from the start
    assert found["classroom"]["message"].startswith("'crappy' ")
    assert found["anchor"]["message"].startswith("'counter' ")  # not the steady counter
    assert found["off screen"]["message"].startswith("Text 'Too wide to fit'")  # not the slogan
    [rushed] = [c for c in srt.parse((built_video["dir"] / "gradient-descent.srt").read_text())
                if (c.end - c.start).total_seconds() * READING_RATE < len(c.content)]  # fmt: skip
    speed = len(rushed.content) / (rushed.end - rushed.start).total_seconds()
    assert found["fast cue"]["message"].startswith(f"{speed:.1f} characters per second")


def test_storyboard_is_a_picture_with_a_row_per_segment(built_video):
    from PIL import Image

    with Image.open(built_video["dir"] / "gradient-descent.storyboard.png") as sheet:
        assert sheet.width > 1000 and sheet.height > 2 * 100


def test_times_parse_in_every_form():
    assert parse_time("508") == 508
    assert parse_time("8:28") == 508
    assert parse_time("8:28.5") == 508.5
    assert parse_time("1:00:01") == 3601
    for bad in ("8:75", "abc", "-3", ""):
        with pytest.raises(WhereError):
            parse_time(bad)
    assert format_time(508.5) == "8:28.5"


def test_a_failed_render_publishes_nothing(tmp_path):
    manifest = write_manifest(tmp_path / "manifest.toml", PLANTED, {"broken": "BrokenHalfway"})
    env = {**os.environ, "GD_MANIFEST": str(manifest), "GD_RENDERS_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "render", "broken", "--quality", "t"],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode != 0
    segments = tmp_path / "tiny" / "segments"
    assert not segments.exists() or not any(segments.iterdir())
