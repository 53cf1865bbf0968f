"""The `neurosim` command line: one module per command (run, check, write: export/new/explain, plot,
gradcheck), wired here. Every user error is one line on stderr and exit code 2."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from ..core.memory import limit_in_force, parse_size
from ..errors import NeurosimError
from ..messages import LANGUAGES, set_language
from ..outputs import os_error
from ..scenarios import summaries
from ..version import __version__
from . import check, gradcheck, grade, notations, page, plot, run, sheet, variants, write
from .common import ArgumentParser, refuse_empty_paths, with_decimal_points
from .parser_language import parsing_in, requested_language


def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    rows = summaries()
    width = max(len(name) for name, _ in rows)
    for name, title in rows:
        out.write(f"{name.ljust(width)}  {title}\n")
    return 0


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog="neurosim",
        description="Neuron-level backpropagation traces for checking hand calculations.")
    parser.add_argument("--version", action="version", version=f"neurosim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)
    sub.required = True

    p = sub.add_parser("list", help="list the built-in scenarios")
    p.set_defaults(handler=cmd_list)
    for command in (run, check, write, page, plot, gradcheck, variants, sheet, grade, notations):
        command.add_parser(sub)
    # the language of the output, before the command or after it (neurosim --lang zh check … or check … --lang zh)
    languages = f"the language of the output: {' or '.join(LANGUAGES)} (default: $NEUROSIM_LANG, else en)"
    parser.add_argument("--lang", metavar="LANG", help=languages)
    for command_parser in dict.fromkeys(sub.choices.values()):
        command_parser.add_argument("--lang", metavar="LANG", default=argparse.SUPPRESS, help=languages)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    try:
        with parsing_in(requested_language(sys.argv[1:] if argv is None else argv)):  # --help, usage errors
            args = build_parser().parse_args(argv)
        if getattr(args, "expect", None):
            args.expect = with_decimal_points(args.expect)
        set_language(args.lang)
        refuse_empty_paths(args)
        if getattr(args, "digits", 1) is not None and not (0 <= getattr(args, "digits", 1) <= 17):
            raise NeurosimError(f"--digits: must be between 0 and 17, got {args.digits}")
        if getattr(args, "every", None) is not None and args.every < 1:
            raise NeurosimError(f"--every: must be at least 1, got {args.every}")
        limit = getattr(args, "max_memory", None)
        with limit_in_force(None if limit is None else parse_size(limit)):
            return args.handler(args, out)
    except NeurosimError as error:
        out.flush()
        print(f"neurosim: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("neurosim: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as error:  # a path the checks before did not foresee: still one line
        out.flush()
        print(f"neurosim: error: {os_error(error.filename or '', error)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
