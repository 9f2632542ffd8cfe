"""Entry point of ``python -m nn``."""

from __future__ import annotations

import sys

from nn.cli import main

__all__: list[str] = []

sys.exit(main())
