"""The trace set is one transaction: all or nothing, never mixed, and repaired by the command
every error names.
"""

from __future__ import annotations

import errno
import json
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from nn import trace_set
from nn.cli import main as nn_main
from nn.compute_traces import trace_recipe
from nn.data import REPO_ROOT
from nn.trace_set import (
    PendingTrace,
    clear_leftovers,
    set_problems,
    write_trace_set,
)
from nn.traces import TRACE_NAMES, TraceError, load_trace

#: Keys the writer adds to a trace's metadata; a pending trace carries the rest.
WRITTEN_KEYS = {"schema_version", "kind", "name", "arrays", "rebuild", "npz_sha256", "trace_set",
                "made_from"}  # fmt: skip


def pending_from(directory: Path, change: dict[str, dict] | None = None) -> list[PendingTrace]:
    """The set in ``directory`` as pending traces, with ``change[name]`` arrays replaced."""
    pending = []
    for name in TRACE_NAMES:
        trace = load_trace(name, directory)
        arrays = {**trace.arrays, **(change or {}).get(name, {})}
        meta = {k: v for k, v in trace.meta.items() if k not in WRITTEN_KEYS}
        pending.append(PendingTrace(name, arrays, meta))
    return pending


def snapshot(directory: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of ``directory`` with its bytes and modification time."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(directory.iterdir())}


def leftovers(directory: Path) -> list[str]:
    """Staging or retired folders left beside ``directory``."""
    return sorted(p.name for p in directory.parent.glob(f".{directory.name}.*") if p.is_dir())


@pytest.fixture
def good_set(built_traces, tmp_path: Path) -> Path:
    """A copy of the session's good set, with its recipe."""
    directory = tmp_path / "traces"
    shutil.copytree(built_traces.directory, directory)
    return directory


@pytest.fixture
def recipe(built_traces) -> dict:
    return trace_recipe(built_traces.config, "embedded")


def test_the_session_set_is_whole_and_of_its_recipe(good_set, recipe):
    assert set_problems(good_set, recipe) == []
    landscape = load_trace("landscape", good_set)
    main = json.loads((good_set / "main.json").read_text())
    assert landscape.meta["made_from"] == {"main": main["npz_sha256"]}
    assert load_trace("sweep", good_set).meta["made_from"].keys() == {"main", "digits"}


def test_a_trace_that_fails_its_check_leaves_the_previous_set_byte_for_byte(good_set, recipe):
    before = snapshot(good_set)
    bad = {"eigendigits": {"test_accuracy": np.zeros(3, dtype=np.float32)}}  # wrong shape
    with pytest.raises(ValueError, match="test_accuracy"):
        write_trace_set(good_set, pending_from(good_set, bad), recipe)
    assert snapshot(good_set) == before
    assert leftovers(good_set) == []


def test_an_interrupt_while_writing_leaves_the_previous_set_byte_for_byte(
    good_set, recipe, monkeypatch
):
    before = snapshot(good_set)
    written = []
    real_write = trace_set.write_npz

    def write_then_interrupt(path: Path, arrays: dict) -> None:
        if len(written) == 3:
            raise KeyboardInterrupt
        written.append(path)
        real_write(path, arrays)

    monkeypatch.setattr(trace_set, "write_npz", write_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_trace_set(good_set, pending_from(good_set), recipe)
    assert len(written) == 3
    assert snapshot(good_set) == before
    assert leftovers(good_set) == []


def test_a_failed_swap_puts_the_previous_set_back(good_set, recipe, monkeypatch):
    before = snapshot(good_set)
    real_rename = trace_set.os.rename

    def rename(source, target):
        if str(source).endswith(".part"):
            raise OSError(28, "No space left on device", str(target))
        real_rename(source, target)

    monkeypatch.setattr(trace_set.os, "rename", rename)
    with pytest.raises(OSError):
        write_trace_set(good_set, pending_from(good_set), recipe)
    assert snapshot(good_set) == before
    assert leftovers(good_set) == []


def test_rewriting_the_same_set_keeps_every_timestamp(good_set, recipe):
    before = snapshot(good_set)
    write_trace_set(good_set, pending_from(good_set), recipe)
    assert snapshot(good_set) == before


def test_a_changed_trace_gets_new_files_and_the_rest_keep_theirs(good_set, recipe):
    before = snapshot(good_set)
    cost = load_trace("main", good_set)["step_cost"] * np.float32(1.01)
    write_trace_set(good_set, pending_from(good_set, {"main": {"step_cost": cost}}), recipe)
    after = snapshot(good_set)
    changed = {name for name in after if after[name] != before[name]}
    # The new main changes the set's identity, which every trace's metadata names.
    assert changed == {"main.npz", "recipe.json", *(f"{name}.json" for name in TRACE_NAMES)}
    assert set_problems(good_set, recipe) == []


def test_a_mixed_set_is_refused_naming_the_rebuild(good_set, recipe, tmp_path):
    other = tmp_path / "other"
    cost = load_trace("main", good_set)["step_cost"] * np.float32(1.01)
    write_trace_set(other, pending_from(good_set, {"main": {"step_cost": cost}}), recipe)
    for name in ("main", "random_labels"):  # the hostile case: two runs copied over a good set
        for suffix in (".npz", ".json"):
            shutil.copy2(other / f"{name}{suffix}", good_set / f"{name}{suffix}")
    with pytest.raises(TraceError, match=r"made from another main trace than this.*make traces"):
        load_trace("landscape", good_set)
    with pytest.raises(TraceError, match=r"mixed set: main and \w+ come from .*make traces"):
        load_trace("main", good_set)
    assert set_problems(good_set)


def test_an_old_set_without_a_set_identity_is_stale(good_set):
    meta = json.loads((good_set / "digits.json").read_text())
    del meta["trace_set"]
    (good_set / "digits.json").write_text(json.dumps(meta))
    with pytest.raises(TraceError, match="does not name a whole trace set"):
        load_trace("digits", good_set)


def test_another_recipe_or_changed_code_makes_the_set_stale(good_set, recipe):
    file = f"{good_set / 'recipe.json'}: "

    def only_problem(asked: dict) -> str:
        """The one problem of the set against ``asked``, after the file it names."""
        [problem] = set_problems(good_set, asked)
        assert problem.startswith(file)
        return problem.removeprefix(file)

    built, asked = recipe["split_seed"], recipe["split_seed"] + 1
    problem = only_problem({**recipe, "split_seed": asked})
    assert re.search(rf"\bsplit_seed\b.*\b{built}\b.*\b{asked}\b", problem)  # key, built, asked
    epochs = recipe["training"]["epochs"] + 1
    problem = only_problem({**recipe, "training": {**recipe["training"], "epochs": epochs}})
    assert re.search(rf"\bepochs\b.*\b{epochs}\b", problem)  # the setting as a user names it
    assert "training" not in problem
    problem = only_problem({**recipe, "nn_code": "0" * 64})
    assert "code" in problem and "nn/" in problem and "0" * 64 not in problem


def test_a_folder_of_other_files_is_never_replaced(good_set, recipe, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    with pytest.raises(trace_set.UserError, match=r"notes\.txt, which are not traces"):
        write_trace_set(folder, pending_from(good_set), recipe)
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_a_set_a_kill_left_aside_is_put_back(good_set):
    before = snapshot(good_set)
    retired = good_set.with_name(f".{good_set.name}.abc.old")
    good_set.rename(retired)  # killed between the two renames of a swap
    staging = good_set.with_name(f".{good_set.name}.xyz.part")
    staging.mkdir()
    clear_leftovers(good_set)
    assert snapshot(good_set) == before
    assert leftovers(good_set) == []


def nn_traces(*args: str, **kwargs) -> subprocess.Popen:
    """``python -m nn traces`` in a subprocess of its own process group."""
    return subprocess.Popen([sys.executable, "-m", "nn", "traces", "--quiet", *args],
                            cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True, **kwargs)  # fmt: skip


@pytest.mark.slow
def test_ctrl_c_during_a_build_leaves_the_previous_set(good_set):
    before = snapshot(good_set)
    build = nn_traces("--out", str(good_set), "--epochs", "10")
    lock = good_set.with_name(f".{good_set.name}.lock")
    deadline = time.monotonic() + 120
    while not lock.exists() and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)  # started (the lock is taken once the command runs), however busy
    time.sleep(1)  # training its first run of three: nothing could be written yet
    assert build.poll() is None, build.communicate()
    build.send_signal(signal.SIGINT)
    _, err = build.communicate(timeout=60)
    assert build.returncode == 130
    [line] = err.strip().splitlines()  # no traceback
    assert line.startswith("interrupted") and "whole set" in line
    assert snapshot(good_set) == before
    assert leftovers(good_set) == []


@pytest.mark.slow
def test_a_network_that_does_not_learn_is_refused_and_nothing_is_written(good_set):
    before = snapshot(good_set)
    build = nn_traces("--out", str(good_set), "--learning-rate", "1e6", "--epochs", "1")
    _, err = build.communicate(timeout=120)
    assert build.returncode == 1
    [line] = err.strip().splitlines()
    assert line.startswith("error: the main run does not learn") and "--learning-rate" in line
    assert snapshot(good_set) == before


def test_check_and_traces_commands_answer_in_one_line(tmp_path, capsys, monkeypatch):
    assert nn_main(["check", "--dir", str(tmp_path)]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"error: {tmp_path}/") and "missing" in line
    assert "`make traces`" in line

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / "traces" / "main.npz"))

    monkeypatch.setattr("nn.compute_traces.ensure_traces", refuse)
    assert nn_main(["traces", "--out", str(tmp_path / "traces")]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"error: {tmp_path}/traces/main.npz: ")  # the file
    assert "Permission denied" in line  # what went wrong
    assert f"chmod -R u+w {tmp_path}/traces" in line  # the fix, for the folder


def test_debug_shows_the_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("DEBUG", "1")
    with pytest.raises(TraceError):
        nn_main(["check", "--dir", str(tmp_path)])


def test_a_read_only_folder_is_named_with_its_fix():
    from nn.errors import one_line

    error = OSError(errno.EROFS, "Read-only file system", "/mnt/renders/.traces.x.probe")
    line = one_line(error)
    assert "\n" not in line and line.startswith("/mnt/renders/.traces.x.probe: ")
    assert "Read-only file system" in line
    assert "GD_RENDERS_DIR" in line and "GD_TRACES_DIR" in line  # write elsewhere,
    assert re.search(r"mount /mnt/renders\b(?!/)", line)  # or make that folder writable


def test_a_second_build_waits_for_the_first_then_finds_the_set_good(good_set, built_traces):
    from nn.trace_set import trace_lock

    with trace_lock(good_set):  # a build under way
        flags = built_traces.settings_flags()
        second = nn_traces("--out", str(good_set), "--if-needed", *flags)
        time.sleep(3)
        assert second.poll() is None  # waiting its turn, not checking a set being replaced
    out, _ = second.communicate(timeout=60)
    assert second.returncode == 0 and "whole and up to date" in out
