"""Manim scenes of the video, one file per segment, reading the traces in ``renders/traces/``."""

__all__: list[str] = []
