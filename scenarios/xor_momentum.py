"""The xor_momentum scenario: `python scenarios/xor_momentum.py [--steps 10000 …]`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without installing

from neurosim.cli import main  # noqa: E402

raise SystemExit(main(["run", "xor_momentum", *sys.argv[1:]]))
