"""Exit 0 when this Python imports the project's packages from the checkout named in argv[1].

The Makefile runs it with the .venv's Python from `/`, so that the current folder cannot stand
in for the install: a .venv copied or moved from another checkout, or whose editable install
points elsewhere, fails and is rebuilt.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

PACKAGES = ("nn", "scenes", "pipeline", "manim", "numpy", "scipy")
IMPORTED = "nn.network"
"""Imported, not only found: numpy and scipy must load, not merely be on the path."""


def main() -> int:
    """Check each package's origin; print the first problem and return 1, or return 0."""
    checkout = Path(sys.argv[1]).resolve()
    for name in PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            print(f"{name} is not installed")
            return 1
        if name in ("nn", "scenes", "pipeline") and not Path(spec.origin).resolve().is_relative_to(
            checkout
        ):
            print(f"{name} comes from {spec.origin}, not from {checkout}")
            return 1
    try:
        importlib.import_module(IMPORTED)
    except Exception as error:  # any failure to load means the .venv must be rebuilt
        print(f"{IMPORTED} does not import ({error})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
