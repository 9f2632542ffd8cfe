"""The manifest: the video's segments in order, read from ``scenes/manifest.toml``."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from nn.errors import UserError

__all__ = [
    "REPO_ROOT",
    "ManifestError",
    "Segment",
    "find_segment",
    "manifest_path",
    "read_manifest",
]

REPO_ROOT = Path(__file__).resolve().parents[1]


def manifest_path() -> Path:
    """The manifest: ``$GD_MANIFEST`` (tests use their own), by default ``scenes/manifest.toml``.

    Read when called, so a test or a command that sets the variable later is followed.
    """
    return Path(os.environ.get("GD_MANIFEST", REPO_ROOT / "scenes" / "manifest.toml"))


class ManifestError(UserError, ValueError):
    """A manifest that does not describe a list of existing scenes."""


@dataclass(frozen=True)
class Segment:
    """One segment of the video: a name, the scene file (relative to the root) and the class.

    ``taught``: the segment is written to the teaching rules, so the review holds it to them
    (every new text still for its time to read). ``chapter``: its title as a chapter of the video.
    """

    name: str
    file: str
    scene: str
    taught: bool = False
    chapter: str = ""

    @property
    def chapter_title(self) -> str:
        """The chapter's title: ``chapter``, or the name in words (cost_surface: Cost surface)."""
        return self.chapter or self.name.replace("_", " ").capitalize()

    @property
    def path(self) -> Path:
        """Absolute path of the scene file."""
        return REPO_ROOT / self.file


def read_manifest(path: Path | None = None) -> list[Segment]:
    """The segments listed in ``path`` (by default :func:`manifest_path`), in order, checked."""
    path = path or manifest_path()
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ManifestError(f"{path}: {error}") from error
    segments = []
    for number, entry in enumerate(table.get("segment", []), start=1):
        taught = entry.get("taught", False)
        if not isinstance(taught, bool):
            raise ManifestError(f"{path}: segment {number}: taught must be true or false")
        try:
            segment = Segment(str(entry["name"]), str(entry["file"]), str(entry["scene"]), taught,
                              str(entry.get("chapter", "")))  # fmt: skip
        except KeyError as error:
            raise ManifestError(f"{path}: segment {number} lacks {error}") from error
        if not segment.name.replace("_", "").replace("-", "").isalnum():
            raise ManifestError(f"{path}: segment name {segment.name!r} must be a plain word")
        if not segment.path.is_file():  # relative to the repository root
            raise ManifestError(f"{path}: segment {segment.name!r}: no file {segment.file}")
        segments.append(segment)
    names = [s.name for s in segments]
    if len(set(names)) != len(names):
        raise ManifestError(f"{path}: segment names repeat: {names}")
    if not segments:
        raise ManifestError(f"{path}: lists no segment")
    return segments


def find_segment(name: str) -> Segment:
    """The segment called ``name``."""
    segments = read_manifest()
    for segment in segments:
        if segment.name == name:
            return segment
    known = ", ".join(s.name for s in segments)
    raise ManifestError(f"no segment {name!r}; the manifest lists: {known}")
