"""Render jobs and chunks: keys, Manim's flags, the planner's cuts, and the chunks' consistency."""

from __future__ import annotations

import json
import os

import pytest

from pipeline import chunks
from pipeline.chunks import ChunkMismatchError, RenderJob, check_chunk_timelines, plan_jobs
from pipeline.farm import segments_in_dry_run
from pipeline.manifest import Segment


def segment(name: str) -> Segment:
    return Segment(name=name, file=f"scenes/{name}.py", scene=name.title(), taught=True)


def timeline(starts: list[float], duration: float, split_at: list[int]) -> dict:
    ends = [*starts[1:], duration]
    pairs = enumerate(zip(starts, ends, strict=True))
    plays = [{"index": i, "start": s, "end": e} for i, (s, e) in pairs]
    points = [{"beat": f"x/b{p}", "play": p} for p in split_at]
    return {"plays": plays, "duration": duration, "split_points": points}


def test_a_job_is_named_and_flagged_by_its_range_of_plays() -> None:
    assert (RenderJob("title").key, RenderJob("title").manim_flags) == ("title", ())
    assert RenderJob("title", 0, 3).key == "title@0-3"
    assert RenderJob("title", 0, 3).manim_flags == ("-n", "0,3")
    last = RenderJob("title", 4)
    assert (last.key, last.manim_flags) == ("title@4-end", ("-n", "4"))


def test_the_planner_cuts_only_the_segment_longer_than_a_workers_share(monkeypatch) -> None:
    long = timeline([0, 10, 20, 30, 40, 50], 60, split_at=[1, 2, 3, 4, 5])
    monkeypatch.setattr(chunks, "newest_timeline", lambda s: long if s.name == "long" else None)
    segments = [segment("long"), segment("short")]
    times = {"long": 60.0, "short": 20.0}
    jobs = plan_jobs(segments, times, workers=4)  # a share is 20 s: chunks of a third
    assert [job.key for job in jobs] == ["long@0-1", "long@2-3", "long@4-end", "short"]
    assert [job.key for job in plan_jobs(segments, times, workers=1)] == ["long", "short"]
    assert len(plan_jobs(segments, times, workers=1, chunking="all")) == 7
    assert len(plan_jobs(segments, times, workers=4, chunking="none")) == 2


def test_a_segment_never_rendered_or_without_split_points_is_rendered_whole(monkeypatch) -> None:
    bare = timeline([0, 10], 20, split_at=[])
    monkeypatch.setattr(chunks, "newest_timeline", lambda s: bare if s.name == "bare" else None)
    jobs = plan_jobs([segment("bare"), segment("new")], {"bare": 100.0}, 8, chunking="all")
    assert [job.key for job in jobs] == ["bare", "new"]
    with pytest.raises(ValueError, match="chunking 'some'"):
        plan_jobs([segment("bare")], {}, 2, chunking="some")


def test_the_newest_timeline_of_a_segment_is_read_at_any_quality(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("GD_RENDERS_DIR", str(tmp_path))
    assert chunks.newest_timeline(segment("title")) is None
    for age, (folder, plays) in enumerate((("480p15", 3), ("tiny", 5))):
        path = tmp_path / folder / "segments" / "title.timeline.json"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps({"plays": [{}] * plays}))
        os.utime(path, (1_000_000 + age, 1_000_000 + age))  # the tiny one is newer
    assert len(chunks.newest_timeline(segment("title"))["plays"]) == 5


def test_chunks_make_up_the_whole_only_when_their_plays_agree_and_cuts_are_split_points() -> None:
    whole = timeline([0, 1, 2, 3], 4, split_at=[2])
    first = {**whole, "plays": whole["plays"][:2]}
    jobs = [RenderJob("s", 0, 1), RenderJob("s", 2)]
    assert check_chunk_timelines(jobs, [first, whole]) is whole
    moved = {**first, "plays": [whole["plays"][0], {**whole["plays"][1], "end": 2.2}]}
    with pytest.raises(ChunkMismatchError, match="differ from the whole"):
        check_chunk_timelines(jobs, [moved, whole])
    with pytest.raises(ChunkMismatchError, match="played 1 animations, not 2"):
        check_chunk_timelines(jobs, [{**first, "plays": first["plays"][:1]}, whole])
    elsewhere = [RenderJob("s", 0, 0), RenderJob("s", 1)]
    with pytest.raises(ChunkMismatchError, match="play 1 is no longer a split point"):
        check_chunk_timelines(elsewhere, [{**first, "plays": first["plays"][:1]}, whole])


def test_the_stale_segments_are_read_off_makes_dry_run() -> None:
    dry_run = (".venv/bin/python -m pipeline render title --quality h\n"
               "mkdir -p renders/1080p60\n"
               ".venv/bin/python -m pipeline render cost_surface --quality h\n"
               ".venv/bin/python -m pipeline join --quality h\n")  # fmt: skip
    assert segments_in_dry_run(dry_run) == ["title", "cost_surface"]
    assert segments_in_dry_run("make: Nothing to be done\n") == []


def test_a_scene_records_where_its_declared_split_points_begin(built_scene) -> None:
    scene = built_scene("cost_surface")
    data = scene.timeline_data()
    declared = [f"cost_surface/{slug}" for slug in type(scene).split_before]
    assert [point["beat"] for point in data["split_points"]] == declared
    for point in data["split_points"]:  # the play where the beat begins: the chunk's first
        first = next(p for p in data["plays"] if p["beat"] == point["beat"])
        assert first["index"] == point["play"]


def test_a_split_point_naming_no_beat_is_refused_by_name(build_altered, monkeypatch) -> None:
    from scenes.title import TitleAndPlan

    monkeypatch.setattr(TitleAndPlan, "split_before", ("real-network", "no-such-beat"))
    said = build_altered("title")
    assert "split_before names no beat called no-such-beat" in said
