"""``make storyboard``: one contact sheet of the whole video, a row of frames per segment.

Each frame is labelled with its timecode and segment name, so a reviewer can look instead of
read, then ask ``make where T=<timecode>`` for the line to edit.
"""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from nn.atomic_files import write_bytes_atomically
from pipeline.join import VIDEO_NAME, joined_video
from pipeline.quality import Quality
from pipeline.where import format_time, load_index
from scenes.toolkit.style import BACKGROUND, MUTED, TEXT

__all__ = [
    "CELL_WIDTH",
    "FONT_FILE",
    "FRAMES_PER_SEGMENT",
    "GAP",
    "LABEL_HEIGHT",
    "extract_frame",
    "frame_times",
    "make_storyboard",
]

FRAMES_PER_SEGMENT = 4
CELL_WIDTH = 320
LABEL_HEIGHT = 26
GAP = 8
FONT_FILE = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def frame_times(offset: float, duration: float, count: int = FRAMES_PER_SEGMENT) -> list[float]:
    """``count`` evenly spread times inside a segment, none at its very edges."""
    return [offset + duration * (i + 0.5) / count for i in range(count)]


def extract_frame(video: Path, seconds: float, target: Path, width: int) -> None:
    """Save the frame of ``video`` at ``seconds`` as a PNG ``width`` pixels wide."""
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-ss", f"{seconds:.3f}", "-i", str(video),
         "-frames:v", "1", "-vf", f"scale={width}:-2", str(target)],
        check=True,
    )  # fmt: skip


def make_storyboard(q: Quality) -> Path:
    """Draw the contact sheet of the video at quality ``q``; return its path."""
    index = load_index(q)
    video = joined_video(q)
    font = ImageFont.truetype(str(FONT_FILE), 15) if FONT_FILE.exists() else None
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for number, segment in enumerate(index["segments"]):
            cells = []
            for i, t in enumerate(frame_times(segment["offset"], segment["duration"])):
                png = Path(scratch) / f"{number}-{i}.png"
                extract_frame(video, t, png, CELL_WIDTH)
                with Image.open(png) as image:
                    cell = Image.new("RGB", (CELL_WIDTH, image.height + LABEL_HEIGHT), BACKGROUND)
                    cell.paste(image.convert("RGB"), (0, 0))
                draw = ImageDraw.Draw(cell)
                y = cell.height - LABEL_HEIGHT + 4
                draw.text((6, y), format_time(t), fill=TEXT, font=font)
                draw.text((80, y), segment["name"], fill=MUTED, font=font)
                cells.append(cell)
            rows.append(cells)
    cell_h = rows[0][0].height
    sheet = Image.new(
        "RGB",
        (FRAMES_PER_SEGMENT * (CELL_WIDTH + GAP) + GAP, len(rows) * (cell_h + GAP) + GAP),
        "#000000",
    )
    for r, cells in enumerate(rows):
        for c, cell in enumerate(cells):
            sheet.paste(cell, (GAP + c * (CELL_WIDTH + GAP), GAP + r * (cell_h + GAP)))
    target = q.directory / f"{VIDEO_NAME}.storyboard.png"
    png = io.BytesIO()
    sheet.save(png, format="PNG")
    write_bytes_atomically(target, png.getvalue())
    return target
