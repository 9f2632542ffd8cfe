"""`make` in a copy of the repository, as a user drives it: traces that repair and survive
failures and interrupts, one-line errors, a set-up that notices a broken .venv.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.bench import copy_of_repository
from pipeline.manifest import REPO_ROOT, find_segment

pytestmark = pytest.mark.slow

SMALL_RECIPE = "--epochs 2 --quiet"
"""A set that builds in seconds: make tests rebuild traces, the session's set has 30 epochs."""


def clean_env(repo: Path, **extra: str) -> dict[str, str]:
    """The environment of a user in ``repo``: no test's overrides; the shared .venv imports it."""
    # Not the variables of a make that runs the tests: the user's make is a top-level one.
    prefixes = ("GD_", "MNIST", "DEBUG", "MAKE", "MFLAGS", "QUALITY")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    return {**env, "PYTHONPATH": str(repo), **extra}


def make(repo: Path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    """Run ``make args`` in ``repo``; capture its output."""
    return subprocess.run(["make", "--no-print-directory", *args], cwd=repo,
                          env=clean_env(repo, **extra), capture_output=True, text=True,
                          timeout=600)  # fmt: skip


def contents(directory: Path) -> dict[str, bytes]:
    """Every file of ``directory`` and its bytes."""
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


def error_line(stderr: str) -> str:
    """The one line a user reads on stderr, make's own closing line aside."""
    lines = [line for line in stderr.splitlines() if not line.startswith("make: ***")]
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the working tree with no traces."""
    return copy_of_repository(tmp_path / "repo", traces=None)


@pytest.fixture
def repo_with_traces(repo: Path, built_traces) -> Path:
    """The copy with the session's good set of traces."""
    shutil.copytree(built_traces.directory, repo / "renders" / "traces")
    return repo


@pytest.fixture
def trace_flags(built_traces) -> str:
    """``TRACE_FLAGS`` asking for the session's settings, so that its set is the one asked for."""
    return "TRACE_FLAGS=" + " ".join(built_traces.settings_flags())


def test_make_traces_checks_then_repairs_a_corrupt_file(repo_with_traces, trace_flags):
    traces = repo_with_traces / "renders" / "traces"
    good = contents(traces)
    checked = make(repo_with_traces, "traces", trace_flags)
    assert "whole and up to date" in checked.stdout and contents(traces) == good
    landscape = traces / "landscape.npz"
    landscape.write_bytes(landscape.read_bytes()[:1000])  # corrupt it, as a failed copy would
    repaired = make(repo_with_traces, "traces", f"{trace_flags} --quiet")
    assert repaired.returncode == 0, repaired.stderr
    assert "building the traces: " in repaired.stdout and "landscape.npz" in repaired.stdout
    # the same recipe gives the same bytes, for every file of the set (the determinism check)
    rebuilt = contents(traces)
    assert rebuilt == good, (
        f"rebuilt differently: {sorted(k for k in good if rebuilt.get(k) != good[k])}"
    )


def test_an_interrupted_make_traces_leaves_the_set_byte_for_byte(repo_with_traces, tmp_path):
    traces = repo_with_traces / "renders" / "traces"
    before = contents(traces)
    log = tmp_path / "make.log"
    with log.open("w") as out:
        build = subprocess.Popen(["make", "--no-print-directory", "traces",
                                  f"TRACE_FLAGS={SMALL_RECIPE}"], cwd=repo_with_traces,
                                 env=clean_env(repo_with_traces), stdout=out,
                                 stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        deadline = time.monotonic() + 120
        while "building the traces" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(2)  # training the first of three runs
        os.killpg(build.pid, signal.SIGINT)  # Ctrl-C reaches make and its children
        build.wait(timeout=60)
    output = log.read_text()
    assert build.returncode != 0 and "interrupted: the traces folder holds one whole set" in output
    assert "Deleting file" not in output
    assert contents(traces) == before
    assert not list(traces.parent.glob(".traces.*.part"))


def test_a_corrupt_asset_is_one_line_and_keeps_the_traces(repo_with_traces):
    traces = repo_with_traces / "renders" / "traces"
    before = contents(traces)
    asset = repo_with_traces / "assets" / "mnist_5k.npz"
    asset.write_bytes(asset.read_bytes()[:5000])
    result = make(repo_with_traces, "traces")
    assert result.returncode != 0
    line = error_line(result.stderr)
    assert line.startswith("error: assets/mnist_5k.npz is not a valid digit asset")
    assert "git checkout -- assets/mnist_5k.npz" in line and "make asset" in line
    assert contents(traces) == before


def test_an_unreachable_mirror_is_one_line_and_keeps_the_traces(repo_with_traces, tmp_path):
    traces = repo_with_traces / "renders" / "traces"
    before = contents(traces)
    result = make(repo_with_traces, "traces", "MNIST=full", MNIST_MIRROR="http://127.0.0.1:9/",
                  MNIST_CACHE=str(tmp_path / "cache"))  # fmt: skip
    assert result.returncode != 0
    line = error_line(result.stderr)
    assert line.startswith("error: could not download http://127.0.0.1:9/") and "MNIST=" in line
    assert contents(traces) == before


def test_bad_settings_are_one_line(repo):
    for setting, expected in [
        ("MNIST=bogus", "MNIST=bogus is not a data set here"),
        ("VOICE=bogus", "VOICE=bogus is not a voice here"),
        ("RENDER=bogus", "RENDER=bogus is not a way to render here"),
    ]:
        result = make(repo, "traces", setting)
        assert result.returncode != 0
        [line] = result.stderr.splitlines()
        assert expected in line


def test_plain_make_video_is_unchanged_and_render_dask_farms_the_stale_segments_first(repo):
    make(repo, "-n", "video")  # writes the segments' rules: the runs compared do not
    plain, explicit = make(repo, "-n", "video"), make(repo, "-n", "video", "RENDER=make")
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout == explicit.stdout
    assert "pipeline farm" not in plain.stdout
    assert "pipeline render title --quality l" in plain.stdout
    dask = make(repo, "-n", "video", "RENDER=dask", "QUALITY=t", "DASK_WORKERS=3")
    assert dask.returncode == 0, dask.stderr
    printed = " ".join(dask.stdout.replace("\\\n", " ").split())  # continued lines joined
    farm = "pipeline farm --quality t --chunks auto --stale-from-make --workers 3"
    assert farm in printed  # printed, not run: `make -n` renders nothing
    assert printed.index(farm) < printed.index("renders/tiny/gradient-descent.mp4")
    assert not (repo / "renders" / "tiny" / "segments").exists()


def test_make_release_renders_and_joins_at_1080p60_unless_told_otherwise(repo):
    make(repo, "-n", "video")  # writes the segments' rules
    for settings, key, folder in (((), "h", "1080p60"), (("QUALITY=k",), "k", "2160p60")):
        plan = make(repo, "-n", "release", *settings)
        assert plan.returncode == 0, plan.stderr
        assert f"pipeline render cost_surface --quality {key}" in plan.stdout
        assert f"pipeline join --quality {key}" in plan.stdout
        assert plan.stdout.rstrip().endswith(f"pipeline release --quality {key}")
        assert not (repo / "renders" / folder).exists()


def test_where_passes_the_time_to_no_shell(repo):
    video = repo / "renders" / "480p15" / "gradient-descent.mp4"
    video.parent.mkdir(parents=True)
    video.touch()
    result = make(repo, "where", "T=`touch pwned` $(touch pwned2)")
    assert not (repo / "pwned").exists() and not (repo / "pwned2").exists()
    line = error_line(result.stderr)
    assert line.startswith("error: ")


def venv_check(python: Path, checkout: Path, **env: str) -> subprocess.CompletedProcess:
    """The Makefile's .venv check, run as the Makefile runs it: from ``/``."""
    return subprocess.run([str(python), str(checkout / "tools" / "venv-check.py"), str(checkout)],
                          cwd="/", env={"PATH": os.environ["PATH"], **env}, capture_output=True,
                          text=True)  # fmt: skip


def test_a_venv_that_imports_another_checkout_is_found_broken(repo, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next(venv.glob("lib/python3*/site-packages"))
    shared = REPO_ROOT / ".venv"
    (site / "shared.pth").write_text(f"{next(shared.glob('lib/python3*/site-packages'))}\n")
    (site / "elsewhere.pth").write_text(f"{REPO_ROOT}\n")  # an editable install of another tree
    result = venv_check(venv / "bin" / "python", repo)
    assert result.returncode == 1
    [line] = result.stdout.splitlines()  # the first problem found, in one line
    assert re.match(r"nn\b", line)  # the package imported from elsewhere,
    assert str(REPO_ROOT / "nn") in line and str(repo) in line  # where it comes from and should
    assert venv_check(venv / "bin" / "python", repo, PYTHONPATH=str(repo)).returncode == 0


def test_a_good_venv_is_left_alone(repo):
    plan = make(repo, "-n", "setup")
    assert "venv --clear" not in plan.stdout and "pip install" not in plan.stdout


def test_a_linked_venv_of_another_checkout_is_refused_not_cleared(repo):
    env = clean_env(repo)
    env.pop("PYTHONPATH")
    result = subprocess.run(["make", "--no-print-directory", "traces"], cwd=repo, env=env,
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode != 0 and "remove the link" in result.stdout
    assert (REPO_ROOT / ".venv" / "bin" / "python").exists()


def test_a_scene_without_traces_stops_in_one_line(tmp_path):
    segment = find_segment("recap")
    media = str(tmp_path / "media")
    result = subprocess.run([sys.executable, "-m", "manim", "render", "-ql", "--media_dir", media,
                             segment.file, segment.scene], cwd=REPO_ROOT,
                            env={**os.environ, "GD_TRACES_DIR": str(tmp_path / "none")},
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    [line] = [line for line in result.stderr.splitlines() if line.strip()]
    assert line.startswith("error: ") and line.endswith("Rebuild the traces with `make traces`.")
