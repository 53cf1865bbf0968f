"""`python -m neurosim` is the same as the `neurosim` command."""

from .cli import main

raise SystemExit(main())
