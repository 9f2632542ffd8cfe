"""Renders on a local Dask cluster: the same segments as the plain build, chunks joined without a
seam, a worker killed mid-job, and a worker whose traces differ refused by name."""

from __future__ import annotations

import json
import os
import shutil
import signal
import threading
import time
from pathlib import Path

import psutil
import pytest
from conftest import decoded_md5s, without_voice_counts
from distributed import Client, LocalCluster

import pipeline.farm
from nn.errors import UserError
from pipeline.chunks import split_plays
from pipeline.farm import FingerprintMismatchError, farm
from pipeline.job_times import recorded_job_times
from pipeline.quality import quality
from tests.fixtures import write_manifest

pytestmark = pytest.mark.render

TINY = quality("t")


@pytest.fixture
def farm_env(tmp_path: Path, built_traces, voice_cache, monkeypatch) -> Path:
    """The tiny video's settings, with renders of its own; returns the renders folder."""
    renders = tmp_path / "renders"
    monkeypatch.setenv("GD_RENDERS_DIR", str(renders))
    monkeypatch.setenv("GD_TRACES_DIR", str(built_traces.directory))
    monkeypatch.setenv("GD_VOICE_CACHE", str(voice_cache))
    monkeypatch.delenv("DEBUG", raising=False)
    return renders


def assert_same_segment(name: str, farmed: Path, plain: Path) -> None:
    """The farm's segment is the plain build's: picture and sound frame for frame, and files."""
    assert decoded_md5s(farmed / f"{name}.mp4") == decoded_md5s(plain / f"{name}.mp4"), name
    assert (farmed / f"{name}.srt").read_text() == (plain / f"{name}.srt").read_text()
    timelines = [json.loads((d / f"{name}.timeline.json").read_text()) for d in (farmed, plain)]
    assert without_voice_counts(timelines[0]) == without_voice_counts(timelines[1])


def test_two_workers_render_segments_whole_and_in_chunks_as_the_plain_build(tiny_video, farm_env):
    plain = tiny_video.directory / "segments"
    farmed = farm_env / "tiny" / "segments"
    farmed.mkdir(parents=True)
    names = ["title", "cost_surface", "recap"]
    for name in names[:2]:  # an earlier build's timelines: where the scenes may be cut
        shutil.copy(plain / f"{name}.timeline.json", farmed)
    cuts = {name: split_plays(json.loads((plain / f"{name}.timeline.json").read_text()))
            for name in names}  # fmt: skip
    assert len(cuts["cost_surface"]) >= 5 and cuts["title"] and not cuts["recap"]

    published = farm(TINY, names, chunking="all", workers=2)

    assert sorted(published) == sorted(farmed / f"{name}.mp4" for name in names)
    for name in names:  # every seam: a chunk's first frames follow the last chunk's last ones
        assert_same_segment(name, farmed, plain)
    times = recorded_job_times(TINY)
    assert {"title@0-3", "title@4-end", "recap"} <= set(times)
    assert sum(key.startswith("cost_surface@") for key in times) == len(cuts["cost_surface"]) + 1


def test_a_worker_killed_mid_job_does_not_stop_the_build(tiny_video, farm_env):
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, \
            Client(cluster) as client:  # fmt: skip
        build: dict[str, object] = {}

        def run() -> None:
            try:
                build["videos"] = farm(TINY, ["title"], cluster.scheduler_address, "none")
            except Exception as error:  # the test reports it below
                build["error"] = error

        thread = threading.Thread(target=run)
        thread.start()
        worker, manim = busy_worker_and_manim(client)
        os.kill(worker, signal.SIGKILL)
        manim.wait(timeout=30)  # Manim dies with its worker (PR_SET_PDEATHSIG)
        thread.join(timeout=600)

    assert "error" not in build, build.get("error")
    assert build["videos"] == [farm_env / "tiny" / "segments" / "title.mp4"]
    assert_same_segment("title", farm_env / "tiny" / "segments", tiny_video.directory / "segments")


def busy_worker_and_manim(client: Client) -> tuple[int, psutil.Process]:
    """The process of a worker that is rendering, once its Manim process has started."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        for address, tasks in client.processing().items():
            if not tasks:
                continue
            pid = client.run(os.getpid, workers=[address])[address]
            children = psutil.Process(pid).children(recursive=True)
            manims = [c for c in children if "manim" in " ".join(command_line(c))]
            if manims:
                return pid, manims[0]
        time.sleep(0.1)
    raise AssertionError("no worker started Manim within two minutes")


def command_line(process: psutil.Process) -> list[str]:
    """The command line of ``process``; none for one that has just ended (a fingerprint's)."""
    try:
        return process.cmdline()
    except psutil.Error:
        return []


def test_a_worker_with_other_traces_is_refused_by_name_before_any_render(farm_env, tmp_path):
    other = tmp_path / "other-traces"
    other.mkdir()
    cluster = LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=None,
                           env={"GD_TRACES_DIR": str(other)})  # fmt: skip
    with cluster, pytest.raises(FingerprintMismatchError) as refused:
        farm(TINY, ["title"], cluster.scheduler_address)
    message = str(refused.value)
    assert "traces:" in message and "README" in message
    assert "manim:" not in message and "commit:" not in message  # only what differs
    assert not (farm_env / "tiny" / "segments").exists()  # nothing rendered, nothing published


def test_an_unreachable_scheduler_is_one_line_naming_the_fix(farm_env, monkeypatch):
    monkeypatch.setattr(pipeline.farm, "CONNECT_TIMEOUT", "2s")
    with pytest.raises(UserError) as error:
        farm(TINY, ["title"], "tcp://127.0.0.1:9")
    assert str(error.value).startswith("no Dask scheduler answers at tcp://127.0.0.1:9")
    assert "DASK_SCHEDULER" in str(error.value)


def test_a_failing_job_is_named_with_manims_last_line_and_the_others_are_published(
    farm_env, tmp_path, monkeypatch
):
    manifest = write_manifest(tmp_path / "manifest.toml", "tests/fixtures/planted.py",
                              {"steady": "SteadyCount", "broken": "BrokenHalfway"})  # fmt: skip
    monkeypatch.setenv("GD_MANIFEST", str(manifest))
    with pytest.raises(UserError) as failed:
        farm(TINY, ["broken", "steady"], chunking="none", workers=2)
    [headline, line] = str(failed.value).splitlines()
    assert headline == "1 render job(s) failed:"
    assert line.strip().startswith("broken on ") and "interrupted on purpose" in line
    segments = farm_env / "tiny" / "segments"
    assert (segments / "steady.mp4").exists() and not (segments / "broken.mp4").exists()
