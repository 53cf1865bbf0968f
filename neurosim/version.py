"""The version of neurosim (one place: setup.cfg reads it, the package and `neurosim --version` show it)."""

__version__ = "0.1.0"
