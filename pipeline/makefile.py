"""Make rules for the segments, generated from the manifest (included by the Makefile)."""

from __future__ import annotations

from pipeline.manifest import Segment, read_manifest
from pipeline.quality import QUALITIES

__all__ = ["main", "segment_rules"]


def segment_rules(segments: list[Segment]) -> str:
    """A make fragment: one rule per segment and the list of all segment videos.

    It sets ``$(QDIR)``, the folder of ``$(QUALITY)``; its rules use the Makefile's ``$(PY)``
    and ``$(VENV_READY)`` (the Makefile checks the traces before it looks at a segment). A
    segment's other inputs (the toolkit modules and the traces it really read) come from the
    ``.d`` file its last render wrote.
    """
    lines = [
        "# Generated from scenes/manifest.toml by `python -m pipeline makefile`. Do not edit.",
        *(f"QDIR_{q.key} := renders/{q.folder}" for q in QUALITIES.values()),
        "QDIR := $(QDIR_$(QUALITY))",
        "ifeq ($(QDIR),)",
        "$(error QUALITY=$(QUALITY) is not one of " + " ".join(QUALITIES) + ")",
        "endif",
        "SEGMENT_NAMES := " + " ".join(s.name for s in segments),
        "SEGMENT_VIDEOS := " + " ".join(f"$(QDIR)/segments/{s.name}.mp4" for s in segments),
        "-include $(wildcard $(QDIR)/segments/*.d)",
        "# Remembers the voice the segments were rendered with: switching VOICE renders again.",
        "VOICE_STAMP := $(QDIR)/.voice-$(VOICE)",
        "$(VOICE_STAMP):",
        "\t@mkdir -p $(@D) && rm -f $(QDIR)/.voice-* && touch $@",
        "",
    ]
    for s in segments:
        lines += [
            f"$(QDIR)/segments/{s.name}.mp4: {s.file} manim.cfg $(VOICE_STAMP) | $(VENV_READY)",
            f"\t$(PY) -m pipeline render {s.name} --quality $(QUALITY)",
            "",
        ]
    return "\n".join(lines)


def main() -> str:
    """The fragment for the current manifest."""
    return segment_rules(read_manifest())
