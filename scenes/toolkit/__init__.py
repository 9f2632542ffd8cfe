"""Shared visual pieces of the video's scenes, each in a module of its own."""

__all__: list[str] = []
