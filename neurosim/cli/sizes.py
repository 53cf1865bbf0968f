"""The options that say what a command shows of a large step (views/elide.py): --full, --only; and
the width plain text is written to fit."""

from __future__ import annotations

import argparse

from ..core.notation import NameMap
from ..core.notation.prefixes import could_match
from ..views.elide import Shown, parse_only
from ..views.tables import WIDTH


def add_size_options(parser: argparse.ArgumentParser) -> None:
    """--full and --only NAMES|PATTERN."""
    group = parser.add_argument_group("at size (long sums and tables are elided, large steps summarised)")
    group.add_argument("--full", action="store_true",
                       help="print every row and every term, however large the step")
    group.add_argument("--only", metavar="NAMES|PATTERN",
                       help="print only these quantities, e.g. --only w5,w1 or --only 'dE/dw*' (any size)")


def shown_from(args: argparse.Namespace, names: NameMap | None = None) -> Shown:
    """What to show, from --full and --only (both: every term of the rows named). With the names of
    a notation, --only may name quantities in it too (and by the exercise's [names] aliases)."""
    only = parse_only(getattr(args, "only", None))
    full = bool(getattr(args, "full", False))
    if names is None or (names.identity and not names.aliases):
        return Shown(full=full, only=only)
    only = tuple(names.aliases.get(pattern, pattern) for pattern in only)
    may_match = could_match(names, only)  # rename only what may match: 50,000 weights cost what matches
    return Shown(full=full, only=only, rename=lambda name: names.name(name) if may_match(name) else None)


def terminal_width(stream) -> int:
    """The terminal's width when `stream` is one (at least 60 columns), else WIDTH (100)."""
    try:
        if stream.isatty():
            import shutil  # (start-up: not for a file or a pipe)

            return max(60, shutil.get_terminal_size((WIDTH, 24)).columns)
    except (AttributeError, ValueError):
        pass
    return WIDTH
