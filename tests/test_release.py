"""The release at the tiny test quality: its subtitle track, chapters and metadata read back with
ffprobe, the files beside it, and planted faults that refuse it and keep the previous release."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline.manifest import read_manifest
from pipeline.quality import quality
from pipeline.release import TITLE, ReleaseRefusedError, make_release, probe, release_dir

pytestmark = pytest.mark.render

TINY = quality("t")


@pytest.fixture
def renders(tiny_video, built_traces, voice_cache, tmp_path, monkeypatch) -> Path:
    """A copy of the tiny video's renders, which a test may spoil; the settings that made it."""
    copy = shutil.copytree(tiny_video.directory.parent, tmp_path / "renders", symlinks=True)
    monkeypatch.setenv("GD_RENDERS_DIR", str(copy))
    monkeypatch.setenv("GD_TRACES_DIR", str(built_traces.directory))
    monkeypatch.setenv("GD_VOICE_CACHE", str(voice_cache))
    return copy


def top_level_boxes(video: Path) -> list[str]:
    """The names of the mp4's top-level boxes, in file order."""
    data, boxes, at = video.read_bytes(), [], 0
    while at + 8 <= len(data):
        size, name = int.from_bytes(data[at : at + 4], "big"), data[at + 4 : at + 8].decode()
        if size == 1:
            size = int.from_bytes(data[at + 8 : at + 16], "big")
        boxes.append(name)
        at += size
    return boxes


def test_the_release_carries_its_tracks_and_files_and_planted_faults_refuse_the_next(renders):
    """One release built, then one refused: the previous one stays byte for byte."""
    video = make_release(TINY)
    assert_tracks_metadata_and_page_files(video, renders)
    assert_planted_faults_refuse_and_keep(renders)


def assert_tracks_metadata_and_page_files(video: Path, renders: Path) -> None:
    """The release ``video`` has its subtitle track, chapters, metadata and the files beside it."""
    index = json.loads((renders / "tiny" / "gradient-descent.index.json").read_text())
    found = probe(video)
    kinds = [s["codec_type"] for s in found["streams"]]
    assert kinds[:3] == ["video", "audio", "subtitle"]
    assert kinds[3:] in ([], ["data"])  # mp4's chapter track, which ffprobe shows as data
    subtitle = found["streams"][2]
    assert subtitle["codec_name"] == "mov_text" and subtitle["tags"]["language"] == "eng"
    titles = [c["tags"]["title"] for c in found["chapters"]]
    assert titles == [s.chapter_title for s in read_manifest()]
    starts = [float(c["start_time"]) for c in found["chapters"]]
    assert starts == pytest.approx([s["offset"] for s in index["segments"]], abs=1e-3)
    tags = found["format"]["tags"]
    assert tags["title"] == TITLE
    assert "MNIST" in tags["comment"] and "Piper" in tags["comment"]
    assert top_level_boxes(video).index("moov") < top_level_boxes(video).index("mdat")
    folder = release_dir(TINY)
    description = (folder / "gradient-descent.description.txt").read_text()
    assert "0:00 Title and plan" in description and "References:" in description
    assert all(title in description for title in titles)
    beside = {p.name for p in folder.iterdir()}
    assert {"gradient-descent.srt", "gradient-descent.vtt",
            "gradient-descent.poster.png"} <= beside  # fmt: skip
    poster = probe(folder / "gradient-descent.poster.png")["streams"][0]
    assert (poster["width"], poster["height"]) == (TINY.width, TINY.height)


def released_bytes(folder: Path) -> dict[str, bytes]:
    """Every released file's bytes, by name."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def assert_planted_faults_refuse_and_keep(renders: Path) -> None:
    """A silent segment and a missing cue, planted together: both named, the last release kept."""
    before = released_bytes(release_dir(TINY))
    joined = renders / "tiny" / "gradient-descent.mp4"
    recap = next(s for s in json.loads((renders / "tiny" / "gradient-descent.index.json")
                 .read_text())["segments"] if s["name"] == "recap")  # fmt: skip
    start, end = recap["offset"], recap["offset"] + recap["duration"]
    silenced = joined.with_name("silenced.mp4")
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(joined), "-map", "0", "-c:v", "copy",
                    "-af", f"volume=enable='between(t,{start},{end})':volume=0", "-c:a", "aac",
                    str(silenced)], check=True)  # fmt: skip
    silenced.replace(joined)
    subtitles = joined.with_suffix(".srt")
    cues = subtitles.read_text().split("\n\n")
    subtitles.write_text("\n\n".join(cues[:3] + cues[4:]))  # the fourth cue is gone
    with pytest.raises(ReleaseRefusedError) as refused:
        make_release(TINY)
    reasons = str(refused.value).splitlines()[1:]
    assert any("segment recap is silent" in reason for reason in reasons), reasons
    assert any("the subtitle track lacks the cue at" in reason for reason in reasons), reasons
    assert released_bytes(release_dir(TINY)) == before
