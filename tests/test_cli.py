"""The command lines: ``python -m nn`` and ``python -m pipeline``."""

from __future__ import annotations

import subprocess
import sys

from nn.cli import main


def test_nn_help_lists_the_commands():
    out = subprocess.run(
        [sys.executable, "-m", "nn", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in ("traces", "list", "check", "asset", "bench"):
        assert command in out


def test_the_readme_lists_the_traces_of_the_catalog():
    from nn.cli import trace_tables
    from nn.data import REPO_ROOT
    from nn.traces import TRACES

    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    tables = trace_tables(markdown=True)
    assert tables in readme, "README's trace tables differ: paste `python -m nn list --markdown`"
    for entry in TRACES:
        assert f"| `{entry.name}` | {entry.kind.name} |" in tables


def test_list_names_every_trace_and_kind(capsys):
    from nn.trace_kinds import KINDS
    from nn.traces import TRACE_NAMES

    assert main(["list"]) == 0
    rows = [line.split()[0] for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert rows == ["trace", *TRACE_NAMES, "kind", *KINDS]


def test_check_names_the_rebuild_command_when_traces_are_missing(tmp_path, capsys):
    assert main(["check", "--dir", str(tmp_path)]) == 1
    assert "make traces" in capsys.readouterr().err


def test_check_accepts_good_traces(built_traces, capsys):
    from nn.traces import TRACE_NAMES

    assert main(["check", "--dir", str(built_traces.directory)]) == 0
    checked = [line.split(":")[0] for line in capsys.readouterr().out.splitlines()]
    assert checked == list(TRACE_NAMES)
