"""The `neurosim` command (console script `neurosim.cli:main`)."""

from .main import main

__all__ = ["main"]
