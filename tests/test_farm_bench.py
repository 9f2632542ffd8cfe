"""The farm benchmark's sums: samples, chunk costs and simulated makespans, checked by hand."""

from __future__ import annotations

import pytest

from pipeline import chunks
from pipeline.chunks import RenderJob
from pipeline.farm_bench import chunk_costs, sample_segments, simulate
from pipeline.manifest import Segment


def test_the_samples_are_the_longest_the_median_and_the_shortest() -> None:
    times = {"a": 5.0, "b": 80.0, "c": 20.0, "d": 10.0, "e": 30.0}
    assert sample_segments(times) == ["b", "c", "a"]
    assert sample_segments({"only": 3.0}) == ["only"]


def test_a_planned_chunk_costs_its_share_of_the_draft_chunks_it_spans() -> None:
    all_cuts = {"s@0-3": 10.0, "s@4-7": 20.0, "s@8-end": 10.0}
    jobs = [RenderJob("s", 0, 7), RenderJob("s", 8)]
    assert chunk_costs(jobs, 400.0, all_cuts) == pytest.approx([300.0, 100.0])


def test_simulated_makespans_with_and_without_chunks(monkeypatch) -> None:
    plays = [{"index": i, "start": 10.0 * i, "end": 10.0 * (i + 1)} for i in range(4)]
    timeline = {"plays": plays, "duration": 40.0,
                "split_points": [{"beat": "s/b", "play": p} for p in (1, 2, 3)]}  # fmt: skip
    monkeypatch.setattr(chunks, "newest_timeline", lambda s: timeline if s.name == "s" else None)
    segments = [Segment("s", "scenes/s.py", "S"), Segment("t", "scenes/t.py", "T")]
    costs = {"s": 80.0, "t": 20.0}
    all_cuts = {"s": {"s@0-0": 25.0, "s@1-1": 25.0, "s@2-2": 25.0, "s@3-end": 25.0}}
    spans = simulate(segments, costs, all_cuts)
    assert spans[1] == (100.0, 100.0)
    assert spans[2] == (80.0, 60.0)  # a share is 50 s: s cut at 3/4 of it, 60 + 20 s; t: 20 s
    assert spans[4] == (80.0, 40.0)  # a share is 25 s: s cut in halves of 40 s
    assert spans[16][1] == 20.0
