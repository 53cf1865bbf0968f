"""`neurosim page NAME|FILE [-o PAGE.html]`: one self-contained HTML page to explore a traced step
(click a weight, see its chain rule) or, with --practice, to work it out and have each value judged
(views/page.py). Written whole or not at all (textfiles.write_atomic); the views are imported when
the command runs (start-up time)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ..errors import NeurosimError
from ..messages import language, say
from ..textfiles import write_atomic
from .common import (
    add_notation_option,
    add_training_options,
    apply_notation,
    apply_training_options,
    parse_trace_steps,
    resolve,
)

DEFAULT_DIGITS = 9  # views/numbers.py's, without importing the views at start-up


def add_parser(sub) -> None:
    """Add `page` to the `neurosim` sub-command parsers."""
    p = sub.add_parser("page", help="write a page to explore a step (click a weight, see its chain rule) or to "
                                    "practise it (--practice)")
    p.add_argument("target", metavar="NAME|FILE", help="a scenario name or an exercise file")
    p.add_argument("-o", "--output", metavar="PAGE.html",
                   help="the page to write (default: NAME.html, or NAME-practice.html, here; - for standard output)")
    p.add_argument("--practice", action="store_true",
                   help="hide the computed values: the student writes them in and each is judged as `check` does")
    p.add_argument("--trace", metavar="STEPS", help="the steps the page shows, e.g. 1,2,last (default: first,last)")
    p.add_argument("--digits", type=int, default=DEFAULT_DIGITS, help="decimals shown (default 9)")
    add_training_options(p)
    add_notation_option(p)
    p.set_defaults(handler=cmd_page)


def cmd_page(args: argparse.Namespace, out: TextIO) -> int:
    from ..core.memory import check_traced_run
    from ..core.notation import name_map
    from ..core.trace import StepTrace
    from ..engines.runner import iterate_run, plan_for
    from ..views.page import render_page

    spec = apply_notation(apply_training_options(resolve(args.target), args), args)
    plan = plan_for(spec, trace_steps=parse_trace_steps(args.trace, spec.steps))
    if not plan.trace_steps:
        raise NeurosimError(say("--trace: no step of the {steps} this exercise runs (set --steps)", steps=spec.steps))
    samples = spec.batch_size or (1 if spec.conventions.mode == "online" else len(spec.inputs))
    check_traced_run(spec.layers, samples, len(plan.trace_steps), spec.max_memory)
    output = args.output or _default_output(args.target, args.practice)
    if output != "-":
        _check_directory(output)
    traces = [record for record in iterate_run(spec, plan) if isinstance(record, StepTrace)]
    names = name_map(spec)
    if spec.names:
        names.reverse(traces[0].quantities())
    variant = spec.variant or Path(args.target).stem
    text = render_page(spec, traces, names, args.digits, practice=args.practice, language=language(),
                       variant=variant)
    if output == "-":
        out.write(text)
        return 0
    write_atomic(output, text)
    print(say("Wrote {path} ({size} kB): open it in a browser, no server needed.", path=output,
              size=f"{len(text.encode()) / 1000:,.0f}"), file=out)
    return 0


def _default_output(target: str, practice: bool) -> str:
    return f"{Path(target).stem}{'-practice' if practice else ''}.html"


def _check_directory(output: str) -> None:
    """Refuse a page whose folder is missing before the step is traced (the write says the rest)."""
    directory = Path(output).parent
    if not directory.is_dir():
        raise NeurosimError(say("{path}: the directory {directory} does not exist", path=output, directory=directory))
