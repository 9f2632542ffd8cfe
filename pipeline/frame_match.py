"""How alike two pictures of the same moment are: the share of pixels within a tolerance.

For changes that must not change what the viewer sees (a faster renderer): two frames match
when at least :data:`MATCHING_SHARE` of their pixels differ by at most :data:`TOLERANCE` in
every channel. Frames of a video are read by ffmpeg (:func:`frame_at`).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np

__all__ = ["MATCHING_SHARE", "TOLERANCE", "frame_at", "frames_match", "share_within"]

TOLERANCE = 8
"""Most difference per channel, out of 255, for a pixel to count as the same."""
MATCHING_SHARE = 0.99
"""Least share of the same pixels for two frames to match."""


def share_within(first: np.ndarray, second: np.ndarray, tolerance: int = TOLERANCE) -> float:
    """Share of pixels whose every colour channel differs by at most ``tolerance`` (0 to 255).

    Both are ``[height, width, channels]`` arrays of one size; an alpha channel is left out.
    """
    if first.shape != second.shape:
        raise ValueError(f"frames of different sizes: {first.shape} and {second.shape}")
    difference = np.abs(first[..., :3].astype(np.int16) - second[..., :3].astype(np.int16))
    return float((difference.max(axis=-1) <= tolerance).mean())


def frames_match(first: np.ndarray, second: np.ndarray) -> bool:
    """Whether the two frames show the same picture (:data:`MATCHING_SHARE` within tolerance)."""
    return share_within(first, second) >= MATCHING_SHARE


def frame_at(video: Path, seconds: float) -> np.ndarray:
    """The RGB frame ``[height, width, 3]`` of ``video`` shown at ``seconds``, decoded by ffmpeg."""
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height",
         "-of", "json", str(video)], capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    size = json.loads(probe)["streams"][0]
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-ss", f"{seconds:.3f}", "-i", str(video), "-frames:v", "1",
         "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"], capture_output=True, check=True,
    ).stdout  # fmt: skip
    return np.frombuffer(raw, dtype=np.uint8).reshape(size["height"], size["width"], 3)
