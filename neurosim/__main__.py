"""`python -m neurosim` is the same as the `neurosim` command."""

from .cli.main import main

raise SystemExit(main())
