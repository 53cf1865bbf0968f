"""The conv_backward scenario: `python scenarios/conv_backward.py [--steps 10000 …]`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without installing

from neurosim.cli import main  # noqa: E402

raise SystemExit(main(["run", "conv_backward", *sys.argv[1:]]))
