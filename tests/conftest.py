"""Shared fixtures: the embedded data set, one set of traces, scenes built from them, the video.

``make test`` builds the traces of the default recipe; ``make check`` (``--edit-loop``) a short
one (3 epochs), builds scenes with ``VOICE=none`` (no synthesis) and renders nothing. Either set
is kept in ``renders/tests/`` and built again only when it is not whole and of this code
(:func:`nn.compute_traces.ensure_traces`), so no session trains what the last one trained.
"""

from __future__ import annotations

import copy
import hashlib
import inspect
import json
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from nn.compute_traces import ensure_traces, trace_recipe
from nn.data import REPO_ROOT, Dataset, load_embedded
from nn.network import Parameters, init_parameters
from nn.training import TrainingConfig


@dataclass(frozen=True)
class BuiltTraces:
    directory: Path
    summary: str
    config: TrainingConfig
    """The settings the traces were trained with."""

    def settings_flags(self) -> list[str]:
        """The options of ``python -m nn traces`` (``TRACE_FLAGS``) that ask for these settings."""
        c = self.config
        return ["--learning-rate", str(c.learning_rate), "--batch-size", str(c.batch_size),
                "--epochs", str(c.epochs), "--seed", str(c.seed),
                "--hidden", *(str(n) for n in c.layer_sizes[1:-1])]  # fmt: skip


RENDER_FIXTURES = {"tiny_video", "built_video", "narrated_video"}
TEST_TRACES = REPO_ROOT / "renders" / "tests"
"""The test sessions' trace sets, one folder per recipe."""
SHORT_TRAINING = TrainingConfig(epochs=3)
"""The edit loop's training: long enough for every run check and every scene, 6 s not 25 s."""
_BUILT_SCENE = re.compile(r"built_scene\(\"(\w+)\"\)")


def pytest_configure(config: pytest.Config) -> None:
    """Let Ctrl-C reach the tests that send it to builds, even from a pytest started with it
    ignored (under nohup or as a background job, whose children would inherit the ignoring).

    BLAS runs on one thread, here and in every build a test starts: the session renders the
    tiny video beside its tests, and OpenBLAS threads that wait for a busy core doubled each
    trace build (61 s against 33 s with one thread); the traces' bits do not depend on it.
    """
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    threadpool_limits(limits=1, user_api="blas")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--edit-loop",
        action="store_true",
        help="make check: short training, scenes built with VOICE=none, nothing rendered",
    )


def pytest_itemcollected(item: pytest.Item) -> None:
    """Mark a test that renders as ``render``; put a test that builds a scene in its group.

    Under pytest-xdist (``make check``), the tests that build one segment's scene form one
    group (``--dist loadgroup``) and so run in one worker, which builds the scene once.
    """
    fixtures = getattr(item, "fixturenames", ())
    if RENDER_FIXTURES.intersection(fixtures):
        item.add_marker(pytest.mark.render)
    if "built_scene" in fixtures:
        item.add_marker(pytest.mark.xdist_group(_segment_built(item)))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests of the tiny video go last: the video renders in the background meanwhile."""
    items.sort(key=lambda item: "tiny_video" in getattr(item, "fixturenames", ()))


@pytest.hookimpl(tryfirst=True)  # before an xdist worker sends its collection
def pytest_collection_finish(session: pytest.Session) -> None:
    """Refuse to run ``--dist loadgroup`` when pytest-xdist could not group the scenes' tests."""
    if not getattr(session.config.option, "loadgroup", False):  # set in xdist's workers
        return
    ungrouped = [item.nodeid for item in session.items
                 if item.get_closest_marker("xdist_group") and "@" not in item.nodeid]  # fmt: skip
    if ungrouped:
        raise pytest.UsageError(
            f"pytest-xdist did not group {ungrouped[0]} (pytest-xdist#1386, pytest 9.2): "
            "every scene would be built in both workers; install pytest<9.2 (make setup)"
        )


def _segment_built(item: pytest.Item) -> str:
    """The segment whose scene a test builds: its ``segment`` parameter (a segment or its name)
    or its first call."""
    segment = getattr(getattr(item, "callspec", None), "params", {}).get("segment")
    if segment is not None:
        return getattr(segment, "name", segment)
    found = _BUILT_SCENE.search(inspect.getsource(item.function))
    return found.group(1) if found else "scenes"


@pytest.fixture(scope="session")
def edit_loop(request: pytest.FixtureRequest) -> bool:
    """Whether this is ``make check``'s quick run (``--edit-loop``)."""
    return bool(request.config.getoption("--edit-loop"))


@pytest.fixture(scope="session")
def voice_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One voice cache for the whole test session and all its workers: each phrase is
    synthesised once (the cache writes each file whole, by a rename, so workers can share it).
    """
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # each worker's folder sits in the session's
        shared = shared.parent
    cache = shared / "voice"
    cache.mkdir(exist_ok=True)
    return cache


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return load_embedded()


@pytest.fixture(scope="session")
def built_traces(edit_loop: bool) -> BuiltTraces:
    """Real traces, exactly as `make traces` writes them: the default recipe, or the short one.

    They live in ``renders/tests/``, in a folder named after their recipe (settings, data, the
    code in ``nn/``, libraries), and are built only when that set is not whole: test workers
    running at once wait for one build (the traces' lock), and a session running other code
    has a folder of its own. Tests copy the set before they change anything in it.
    """
    config = SHORT_TRAINING if edit_loop else TrainingConfig()
    recipe = json.dumps(trace_recipe(config, "embedded"), sort_keys=True).encode()
    kind = "short" if edit_loop else "default"
    directory = TEST_TRACES / f"{kind}-{hashlib.sha256(recipe).hexdigest()[:12]}"
    _forget_old_sets(kind, keep=directory)
    summary = ensure_traces(directory, config, source="embedded", progress=False)
    return BuiltTraces(directory, summary, config)


def _forget_old_sets(kind: str, keep: Path) -> None:
    """Remove the sets of ``kind`` built for other recipes more than a day ago."""
    for folder in TEST_TRACES.glob(f"{kind}-*"):
        recipe = folder / "recipe.json"
        if folder != keep and recipe.exists() and time.time() - recipe.stat().st_mtime > 86400:
            shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def traces_env(built_traces: BuiltTraces, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the trace reader at the session's traces."""
    monkeypatch.setenv("GD_TRACES_DIR", str(built_traces.directory))
    return built_traces.directory


@pytest.fixture(scope="session")
def built_scene(
    built_traces: BuiltTraces,
    voice_cache: Path,
    edit_loop: bool,
    tmp_path_factory: pytest.TempPathFactory,
):
    """Build a manifest segment's scene without video (each at most once); return the scene.

    Scenes play through at low quality with no file written and no frame drawn: every
    ``play`` runs to its end state, reading the session's traces, and the timeline records it
    (its times stay 0). The voice is Piper, or none in the edit loop (the beats then last as
    long as their subtitles take to read). Frame by frame rendering is what ``tiny_video`` tests.
    """
    import importlib

    from manim import tempconfig

    from pipeline.manifest import find_segment
    from scenes.toolkit.manim_internals import without_frames

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
                patch.setenv("GD_VOICE", "none" if edit_loop else "piper")
                scene = without_frames(getattr(module, segment.scene)(skip_animations=True))
                scene.render()
            cache[name] = scene
        return cache[name]

    return build


@pytest.fixture
def build_altered(built_traces: BuiltTraces, monkeypatch: pytest.MonkeyPatch, capsys):
    """A builder of a segment whose trace readers are replaced; it returns the build's stderr.

    ``build_altered(name, load_run=lambda name="main": altered_run)``: the scene reads the
    altered trace, must refuse (it exits), and the one line it printed comes back.
    """
    import importlib

    from manim import tempconfig

    from pipeline.manifest import find_segment
    from scenes.toolkit.manim_internals import without_frames

    def build(name: str, **readers) -> str:
        segment = find_segment(name)
        module = importlib.import_module(segment.file.removesuffix(".py").replace("/", "."))
        monkeypatch.setenv("GD_TRACES_DIR", str(built_traces.directory))
        monkeypatch.setenv("GD_VOICE", "none")
        for reader, replacement in readers.items():
            monkeypatch.setattr(module, reader, replacement)
        settings = {"dry_run": True, "quality": "low_quality", "progress_bar": "none"}
        with tempconfig(settings):
            scene = without_frames(getattr(module, segment.scene)(skip_animations=True))
            with pytest.raises(SystemExit):
                scene.render()
        return capsys.readouterr().err.strip()

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


def lengthened(index: dict, beat_id: str, seconds: float) -> dict:
    """``index`` re-timed as if the beat ``beat_id`` took ``seconds`` longer to say.

    Everything from the beat's end on moves ``seconds`` later; its segment grows by as much.
    """
    index = copy.deepcopy(index)
    beats = [b for s in index["segments"] for b in s["beats"]]
    end = next(beat["end"] for beat in beats if beat["id"] == beat_id)

    def moved(time: float) -> float:
        return time + seconds if time >= end else time

    for segment in index["segments"]:
        if any(beat["id"] == beat_id for beat in segment["beats"]):
            segment["duration"] += seconds
        elif segment["offset"] >= end:
            segment["offset"] += seconds
        for entry in [*segment["beats"], *segment["plays"]]:
            entry["start"], entry["end"] = moved(entry["start"]), moved(entry["end"])
    index["duration"] += seconds
    return index


def decoded_md5s(video: Path) -> tuple[str, str]:
    """Per-frame MD5s of the decoded picture and sound of ``video`` (ffmpeg's framemd5)."""
    return tuple(
        subprocess.run(["ffmpeg", "-v", "error", "-i", str(video), "-map", f"0:{stream}",
                        "-f", "framemd5", "-"], capture_output=True, text=True, check=True).stdout
        for stream in ("v", "a")
    )  # fmt: skip


def without_voice_counts(timeline: dict) -> dict:
    """``timeline`` without how many phrases its render synthesised or reused (that varies)."""
    voice = timeline["voice"]
    return {**timeline, "voice": {**voice, "synthesised": None, "reused": None}}
