"""Shared fixtures: the embedded data set and one full set of traces built for the session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from nn.compute_traces import build_traces
from nn.data import Dataset, load_embedded
from nn.network import Parameters, init_parameters
from nn.training import TrainingConfig


@dataclass(frozen=True)
class BuiltTraces:
    directory: Path
    summary: str


RENDER_FIXTURES = {"tiny_video", "built_video", "built_scene", "narrated_video"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that renders or builds scenes as ``render`` (``make check`` skips them).

    The tests of the tiny video go last: the video renders in the background meanwhile.
    """
    for item in items:
        if RENDER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.render)
    items.sort(key=lambda item: "tiny_video" in getattr(item, "fixturenames", ()))


@pytest.fixture(scope="session")
def voice_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One voice cache for the whole test session: each phrase is synthesised once."""
    return tmp_path_factory.mktemp("voice")


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return load_embedded()


@pytest.fixture(scope="session")
def built_traces(tmp_path_factory: pytest.TempPathFactory) -> BuiltTraces:
    """The real traces, exactly as `make traces` writes them, in a folder of the session's."""
    directory = tmp_path_factory.mktemp("traces")
    summary = build_traces(directory, TrainingConfig(), source="embedded", progress=False)
    return BuiltTraces(directory, summary)


@pytest.fixture
def traces_env(built_traces: BuiltTraces, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the trace reader at the session's traces."""
    monkeypatch.setenv("GD_TRACES_DIR", str(built_traces.directory))
    return built_traces.directory


@pytest.fixture(scope="session")
def built_scene(
    built_traces: BuiltTraces, voice_cache: Path, tmp_path_factory: pytest.TempPathFactory
):
    """Build a manifest segment's scene without video (each at most once); return the scene.

    Scenes play through at low quality with no file written and no frame drawn: every
    ``play`` runs to its end state, reading the session's traces, and the timeline records it
    (its times stay 0). Frame by frame rendering is what ``tiny_video`` tests.
    """
    import importlib

    from manim import tempconfig

    from pipeline.manifest import find_segment

    cache: dict[str, object] = {}
    media = tmp_path_factory.mktemp("media")

    def build(name: str):
        if name not in cache:
            segment = find_segment(name)
            module = importlib.import_module(segment.file.removesuffix(".py").replace("/", "."))
            settings = {"dry_run": True, "save_last_frame": True, "quality": "low_quality",
                        "media_dir": str(media)}  # fmt: skip
            with pytest.MonkeyPatch.context() as patch, tempconfig(settings):
                patch.setenv("GD_TRACES_DIR", str(built_traces.directory))
                patch.setenv("GD_VOICE_CACHE", str(voice_cache))
                scene = getattr(module, segment.scene)(skip_animations=True)
                scene.render()
            cache[name] = scene
        return cache[name]

    return build


@pytest.fixture
def small_network() -> Parameters:
    return init_parameters((784, 16, 16, 10), np.random.default_rng(7))


@dataclass(frozen=True)
class TinyVideo:
    directory: Path
    index: dict
    review_output: str
    review_status: int


def render_tiny_video(renders: Path, env: dict[str, str]) -> TinyVideo:
    """Render every segment of the manifest at the tiny test quality, join and review them."""
    import json
    import subprocess
    import sys

    from pipeline.manifest import read_manifest

    build = [sys.executable, "-m", "pipeline"]

    def render(name: str) -> None:
        subprocess.run([*build, "render", name, "--quality", "t"], env=env, check=True)

    # In parallel, as `make video` renders them; list() re-raises the first failure.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(render, [segment.name for segment in read_manifest()]))
    subprocess.run([*build, "join", "--quality", "t"], env=env, check=True)
    review = subprocess.run([*build, "review", "--quality", "t"], env=env, capture_output=True,
                            text=True)  # fmt: skip
    directory = renders / "tiny"
    index = json.loads((directory / "gradient-descent.index.json").read_text())
    return TinyVideo(directory, index, review.stdout, review.returncode)


@pytest.fixture(scope="session", autouse=True)
def tiny_video_in_background(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Future[TinyVideo] | None]:
    """Start the tiny video as the session starts, when a selected test needs it.

    Its renders then overlap the tests that run before it (those tests go last), instead of
    starting when the first of them asks. A failure is kept for the tests of the video; the
    session's end cancels what has not started and waits for the render under way.
    """
    if not any("tiny_video" in getattr(item, "fixturenames", ()) for item in request.session.items):
        yield None
        return
    try:
        traces: BuiltTraces = request.getfixturevalue("built_traces")
        voice_cache: Path = request.getfixturevalue("voice_cache")
    except Exception as error:  # the tests of the video report it; the others run on
        failed: Future[TinyVideo] = Future()
        failed.set_exception(error)
        yield failed
        return
    renders = tmp_path_factory.mktemp("renders")
    env = {
        **os.environ,
        "GD_RENDERS_DIR": str(renders),
        "GD_TRACES_DIR": str(traces.directory),
        "GD_VOICE_CACHE": str(voice_cache),
    }
    background = ThreadPoolExecutor(max_workers=1)
    try:
        yield background.submit(render_tiny_video, renders, env)
    finally:
        background.shutdown(wait=True, cancel_futures=True)


@pytest.fixture(scope="session")
def tiny_video(tiny_video_in_background: Future[TinyVideo] | None) -> TinyVideo:
    """Every segment of the manifest rendered at the tiny test quality, joined and reviewed."""
    if tiny_video_in_background is None:
        raise RuntimeError("tiny_video was not started: is the test selected?")
    return tiny_video_in_background.result()
