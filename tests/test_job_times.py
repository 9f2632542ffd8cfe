"""Job times: recorded whole per job, read back, ordered longest first, and simulated."""

import pytest

from pipeline.job_times import (
    job_times_dir,
    longest_first,
    makespan,
    record_job_time,
    recorded_job_times,
)
from pipeline.quality import quality


def test_recorded_times_are_read_back_and_a_broken_record_is_skipped(tmp_path, monkeypatch):
    monkeypatch.setenv("GD_RENDERS_DIR", str(tmp_path))
    tiny = quality("t")
    record_job_time(tiny, "title", 12.3456)
    record_job_time(tiny, "cost_surface", 70.0)
    (job_times_dir(tiny) / "broken.json").write_text("{not json")
    assert recorded_job_times(tiny) == {"title": 12.346, "cost_surface": 70.0}


def test_never_measured_jobs_start_first_then_the_longest():
    times = {"short": 1.0, "long": 9.0, "median": 4.0}
    assert longest_first(["short", "new", "median", "long"], times) == [
        "new",
        "long",
        "median",
        "short",
    ]


def test_makespan_of_longest_first_schedules():
    assert makespan([5, 4, 3, 3, 3], 1) == 18
    assert makespan([5, 4, 3, 3, 3], 2) == 10  # 5+3+3 against 4+3: longest first, not optimal
    assert makespan([9, 1, 1], 2) == 9  # the longest job bounds it
    assert makespan([], 4) == 0
    with pytest.raises(ValueError, match="at least one worker"):
        makespan([1.0], 0)
