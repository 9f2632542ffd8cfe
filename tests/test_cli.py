"""The command lines: ``python -m nn`` and ``python -m pipeline``."""

from __future__ import annotations

import subprocess
import sys

from nn.cli import main


def test_nn_help_lists_the_commands():
    out = subprocess.run(
        [sys.executable, "-m", "nn", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in ("traces", "asset", "check", "bench"):
        assert command in out


def test_check_names_the_rebuild_command_when_traces_are_missing(tmp_path, capsys):
    assert main(["check", "--dir", str(tmp_path)]) == 1
    assert "make traces" in capsys.readouterr().err


def test_check_accepts_good_traces(built_traces, capsys):
    assert main(["check", "--dir", str(built_traces.directory)]) == 0
    assert "main: ok" in capsys.readouterr().out
