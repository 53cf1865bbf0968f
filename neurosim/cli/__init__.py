"""The `neurosim` command line (`main`); the console script enters through `neurosim.__main__:main`,
which imports this inside its Ctrl-C handling."""

from .main import main

__all__ = ["main"]
