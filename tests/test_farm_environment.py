"""A farm's Manim runs in this machine's environment, not in the one a Dask nanny sets."""

from __future__ import annotations

import os

from distributed import Client, LocalCluster

import pipeline.farm
from pipeline.farm import _render_settings
from pipeline.render import manim_environment

NANNY_VARIABLES = ("MALLOC_TRIM_THRESHOLD_", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def test_a_local_cluster_leaves_this_machines_environment_as_it_was():
    before = dict(os.environ)
    with pipeline.farm._connected(None, 1) as client:
        during = dict(os.environ)
        assert client.submit(abs, -2).result() == 2  # the cluster works
    assert during == before


def test_manim_on_a_worker_of_a_default_nanny_sees_this_machines_environment():
    settings = _render_settings()  # as the farm takes them, before any cluster
    before = {name: os.environ.get(name) for name in NANNY_VARIABLES}
    with LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=None) as cluster, \
            Client(cluster) as client:  # fmt: skip
        worker = client.submit(lambda: dict(os.environ)).result()
        manim = client.submit(manim_environment, settings).result()
    assert worker["MALLOC_TRIM_THRESHOLD_"] == "65536"  # what a `dask worker` nanny sets
    assert {name: manim.get(name) for name in NANNY_VARIABLES} == before
    assert manim["GD_SOUNDTRACK"] == "build"
