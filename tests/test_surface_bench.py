"""The surface benchmark's profile: its shares add up and it counts what a frame draws."""

from __future__ import annotations

import cProfile
import pstats

import pytest

from pipeline.surface_bench import profile_shares


def test_the_profile_splits_a_3d_render_and_counts_the_faces_drawn_per_frame():
    from manim import Surface, tempconfig

    from scenes.toolkit.manim_internals import QuickThreeDAxes, QuickThreeDCamera

    with tempconfig({"pixel_width": 160, "pixel_height": 90, "disable_caching": True}):
        camera = QuickThreeDCamera()
        axes = QuickThreeDAxes(x_range=[-2, 2, 1], y_range=[-2, 2, 1], z_range=[0, 2, 1])
        surface = Surface(lambda u, v: axes.c2p(u, v, 1 + 0.2 * u * v), u_range=[-2, 2],
                          v_range=[-2, 2], resolution=(5, 7))  # fmt: skip
        profiler = cProfile.Profile()
        profiler.enable()
        for theta in range(0, 90, 10):  # 9 frames
            camera.set_theta(theta * 3.14159 / 180)
            camera.reset()
            camera.capture_mobjects([axes, surface])
        profiler.disable()
    shares, total, shapes, faces, frames = profile_shares(pstats.Stats(profiler))
    drawn = [*axes.family_members_with_points(), *surface.family_members_with_points()]
    shaded = [m for m in drawn if m.shade_in_3d]  # the surface's faces, the axes and their pieces
    assert frames == 9
    assert shapes == pytest.approx(len(drawn))
    assert faces == pytest.approx(len(shaded))
    assert len(surface) == 35 and faces >= 35
    seconds = dict(shares)
    assert sum(seconds.values()) == pytest.approx(total)
    assert seconds["Cairo filling and stroking shapes"] > 0
    assert seconds["colours, gradients and 3-D shading"] > 0
    assert seconds["outlines: projecting points to the screen"] > 0
