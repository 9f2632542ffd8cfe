"""The video's look in one place: fonts, text sizes and colours."""

from __future__ import annotations

FONT = "DejaVu Sans"
"""Every on-screen text uses this font (Debian package ``fonts-dejavu-core``)."""

BACKGROUND = "#0e1116"
TEXT = "#e6edf3"
MUTED = "#8b949e"
ACCENT = "#58a6ff"

TITLE_SIZE = 72
HEADING_SIZE = 44
BODY_SIZE = 34
CAPTION_SIZE = 26
