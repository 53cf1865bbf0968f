"""Command-line wiring of the commands that write documents: export, new, explain.

The work is done elsewhere: a built-in scenario's exercise file is shipped as it is exported
(scenarios.export_text), the template is files/template.py, worked solutions are views/explain.py;
files are written with textfiles.write_atomic.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from ..core.notation import name_map
from ..errors import NeurosimError
from ..messages import say
from ..textfiles import write_atomic
from .common import add_notation_option, add_training_options, apply_notation, apply_training_options, resolve
from .formats import add_format_option
from .sizes import add_size_options, shown_from

EXPLAIN_FORMATS = ("markdown", "latex", "html")  # views/explain.py's renderers, imported when asked for


def _emit(text: str, output: str | None, out: TextIO, overwrite: bool = True) -> None:
    if output is None or output == "-":
        out.write(text)
    else:
        write_atomic(output, text, overwrite=overwrite)


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    from ..scenarios import export_text

    _emit(export_text(args.name), args.output, out)
    return 0


def cmd_new(args: argparse.Namespace, out: TextIO) -> int:
    from ..files.template import new_template

    write_atomic(args.path, new_template(), overwrite=args.force)
    print(say("wrote {path}: Mazur's network with every key explained; try `neurosim run {path}`", path=args.path),
          file=out)
    return 0


def cmd_explain(args: argparse.Namespace, out: TextIO) -> int:
    from ..views.explain import explain_document

    if args.steps is not None:
        raise NeurosimError("--steps: explain writes out one step; choose it with --step N")
    spec = apply_notation(apply_training_options(resolve(args.target), args), args)  # --round K among them
    if args.step < 1:
        raise NeurosimError(say("--step: must be at least 1, got {value}", value=args.step))
    _emit(explain_document(spec, args.format, step=args.step, shown=shown_from(args, name_map(spec))), args.output, out)
    return 0


def add_parser(sub) -> None:
    """Add `export`, `new` and `explain` to the `neurosim` sub-command parsers."""
    p = sub.add_parser("export", help="write a built-in scenario as an exercise file (TOML)")
    p.add_argument("name", metavar="NAME", help="a scenario name (see `neurosim list`)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("new", help="write a commented exercise-file template (Mazur's network)")
    p.add_argument("path", metavar="FILE", help="the file to create, e.g. exercise.toml")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    p.set_defaults(handler=cmd_new)

    p = sub.add_parser("explain", help="write a worked solution of one step (Markdown, LaTeX or HTML)")
    p.add_argument("target", metavar="NAME|FILE", help="a scenario name or an exercise file")
    add_format_option(p, {name: name for name in EXPLAIN_FORMATS}, "markdown", "the worked solution's format")
    p.add_argument("--step", type=int, default=1, metavar="N", help="the step to explain (default 1)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
    add_size_options(p)
    add_training_options(p)
    add_notation_option(p)
    p.set_defaults(handler=cmd_explain)
