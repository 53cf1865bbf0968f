"""The d2l_conv scenario: `python scenarios/d2l_conv.py [--steps 10000 …]`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without installing

from neurosim.cli import main  # noqa: E402

raise SystemExit(main(["run", "d2l_conv", *sys.argv[1:]]))
