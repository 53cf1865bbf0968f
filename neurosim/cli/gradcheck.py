"""`neurosim gradcheck NAME|PATH`: every analytic dE/dp of the first step beside central differences
(check/gradcheck.py); exit 1 when one exceeds the tolerance."""

from __future__ import annotations

import argparse
from typing import TextIO

from ..errors import NeurosimError
from ..messages import say
from ..views.elide import NO_PARAMETER, join_terms, refuse_unmatched
from ..views.numbers import DEFAULT_DIGITS
from ..views.tables import render_tables
from .common import add_training_options, apply_training_options, resolve
from .sizes import add_size_options, shown_from


def add_parser(subparsers) -> None:
    """`neurosim gradcheck NAME|PATH`."""
    p = subparsers.add_parser("gradcheck", help="check every analytic gradient against finite differences")
    p.add_argument("target", metavar="NAME|PATH", help="a scenario name (see `neurosim list`) or a .toml file")
    p.add_argument("--digits", type=int, default=DEFAULT_DIGITS, help="decimals shown (default 9)")
    add_size_options(p)
    add_training_options(p)
    p.set_defaults(handler=cmd_gradcheck)


def cmd_gradcheck(args: argparse.Namespace, out: TextIO) -> int:
    """Print the table and the tolerance; exit 1 if any parameter exceeds it."""
    from ..check.gradcheck import check_gradients, gradcheck_table, loss_gradient, tolerance_text  # (start-up)
    from ..engines.runner import step_batches

    if args.steps is not None:
        raise NeurosimError(say("--steps: gradcheck checks the gradients of the first step, at the parameters as "
                                "given; it trains no steps"))
    spec = apply_training_options(resolve(args.target), args)
    a, b = step_batches(spec, 1)[0]
    results = check_gradients(spec.build_network(), spec.samples[a:b], spec.conventions)
    shown = shown_from(args)
    refuse_unmatched(shown, [r.name for r in results], NO_PARAMETER)
    out.write(f"{spec.title}\n{'=' * min(len(spec.title), 100)}\n\n")
    out.write(render_tables([gradcheck_table(results, args.digits, shown)]) + "\n\n")
    out.write(tolerance_text() + "\n")
    aside = loss_gradient(spec.conventions)[1]
    if aside:
        things = aside[0] if len(aside) == 1 else say("{items} and {last}", items=", ".join(aside[:-1]), last=aside[-1])
        out.write(say("checked: the gradient of the loss at the parameters before the step, so without {things}",
                      things=things) + "\n")
    failed = [r.name for r in results if not r.ok]
    if failed:
        out.write(say("FAILED: {count} of {total} gradients exceed the tolerance: {names}", count=f"{len(failed):,}",
                      total=f"{len(results):,}", names=join_terms(failed, ", ", args.full, "parameters", limit=20))
                  + "\n")
        return 1
    out.write(say("passed: all {count} gradients agree", count=f"{len(results):,}") + "\n")
    return 0
