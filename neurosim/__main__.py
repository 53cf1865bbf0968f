"""`python -m neurosim` is the same as the `neurosim` command, whose console script calls `main` here.

The commands (and numpy under them) are imported inside `main`, so that a Ctrl-C while they load is
the same one line and exit code 130 as a Ctrl-C later, not a traceback."""

from __future__ import annotations

import sys

REQUIRED = ("numpy", "attrs", "tabulate", "wcwidth")  # setup.cfg's install_requires, by import name


def main() -> int:
    """Run the `neurosim` command line (cli/main.py); 130 after a Ctrl-C at any point; one line
    and exit 2 when a package neurosim needs is not installed."""
    try:
        from .cli.main import main as run_command

        return run_command()
    except KeyboardInterrupt:
        print("neurosim: interrupted", file=sys.stderr)
        return 130
    except ModuleNotFoundError as missing:
        if missing.name not in REQUIRED:
            raise
        from .messages import say

        print("neurosim: error: " + say("the package '{name}' that neurosim needs is not installed in this Python "
                                         "(pip install . in the checkout installs everything it needs)",
                                         name=missing.name), file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
