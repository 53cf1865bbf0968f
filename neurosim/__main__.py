"""`python -m neurosim` is the same as the `neurosim` command, whose console script calls `main` here.

The commands (and numpy under them) are imported inside `main`, so that a Ctrl-C while they load is
the same one line and exit code 130 as a Ctrl-C later, not a traceback."""

from __future__ import annotations

import sys


def main() -> int:
    """Run the `neurosim` command line (cli/main.py); 130 after a Ctrl-C at any point."""
    try:
        from .cli.main import main as run_command
    except KeyboardInterrupt:
        print("neurosim: interrupted", file=sys.stderr)
        return 130
    return run_command()


if __name__ == "__main__":
    raise SystemExit(main())
