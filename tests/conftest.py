"""Shared fixtures: the embedded data set and one full set of traces built for the session."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from nn.build import build_traces
from nn.data import Dataset, load_embedded
from nn.network import Parameters, init_parameters
from nn.training import TrainingConfig


@dataclass(frozen=True)
class BuiltTraces:
    directory: Path
    summary: str


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


@pytest.fixture
def small_network() -> Parameters:
    return init_parameters((784, 16, 16, 10), np.random.default_rng(7))
