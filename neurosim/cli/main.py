"""The `neurosim` command line: one module per command (run, check, write: export/new/explain, page,
plot, gradcheck …), wired here. Every user error is one line on stderr and exit code 2.

Start-up: only the module of the command given is imported (COMMANDS); the others are listed by
name and help line, so `neurosim --help` and a mistyped command's did-you-mean still know them all.
`neurosim --version` imports no command at all.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import TextIO

from ..errors import NeurosimError
from ..messages import LANGUAGES, say, set_language
from ..version import __version__
from .parser import ArgumentParser
from .parser_language import parsing_in, requested_language

# Every command in listing order: its module (whose add_parser adds it, with its neighbours in this
# table that share the module) and its help line (tests/test_startup.py checks it is the module's own).
COMMANDS = {
    "list": ("main", "list the built-in scenarios"),
    "run": ("run", "run a scenario or exercise file and print its trace tables"),
    "check": ("check", "check your hand-computed values, digit by digit, and diagnose the wrong ones"),
    "mistakes": ("check", "list the conventions and mistakes `check` can diagnose"),
    "export": ("write", "write a built-in scenario as an exercise file (TOML)"),
    "new": ("write", "write a commented exercise-file template (Mazur's network)"),
    "explain": ("write", "write a worked solution of one step (Markdown, LaTeX or HTML)"),
    "page": ("page", "write a page to explore a step (click a weight, see its chain rule) or to practise it "
                     "(--practice)"),
    "plot": ("plot", "draw the network, a loss curve, weight trajectories or a decision surface"),
    "gradcheck": ("gradcheck", "check every analytic gradient against finite differences"),
    "variants": ("variants", "write N variants of an exercise: same network and conventions, new given numbers"),
    "sheet": ("sheet", "write question sheets and answer keys (Markdown, LaTeX or HTML)"),
    "grade": ("grade", "grade a class's answers (CSV) against their variants, with the reason for each wrong value"),
    "notations": ("notations", "list the notations (textbooks' names) exercises can be written in"),
}


def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    from ..scenarios import summaries

    rows = summaries()
    width = max(len(name) for name, _ in rows)
    for name, title in rows:
        out.write(f"{name.ljust(width)}  {title}\n")
    return 0


def command_of(argv: Sequence[str]) -> str | None:
    """The command named in `argv` (the first word that is not a top-level option), or None."""
    words = iter(argv)
    for word in words:
        if word == "--lang":
            next(words, None)
        elif not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def build_parser(command: str | None = "*") -> ArgumentParser:
    """The parser of every command ("*"), or with only `command`'s module imported and its options
    known (None: no command's; the others are there by name, for --help and errors)."""
    parser = ArgumentParser(
        prog="neurosim",
        description="Neuron-level backpropagation traces for checking hand calculations.")
    parser.add_argument("--version", action="version", version=f"neurosim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)
    sub.required = True

    wanted = COMMANDS[command][0] if command in COMMANDS else None
    done: list[str] = []
    for name, (module, help_line) in COMMANDS.items():
        if module == "main":
            sub.add_parser(name, help=help_line).set_defaults(handler=cmd_list)
        elif command == "*" or module == wanted:
            if module not in done:
                done.append(module)
                importlib.import_module(f"{__package__}.{module}").add_parser(sub)
        else:
            sub.add_parser(name, help=help_line)
    # the language of the output, before the command or after it (neurosim --lang zh check … or check … --lang zh)
    languages = f"the language of the output: {' or '.join(LANGUAGES)} (default: $NEUROSIM_LANG, else en)"
    parser.add_argument("--lang", metavar="LANG", help=languages)
    for command_parser in dict.fromkeys(sub.choices.values()):
        command_parser.add_argument("--lang", metavar="LANG", default=argparse.SUPPRESS, help=languages)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        with parsing_in(requested_language(argv)):  # --help, usage errors
            args = build_parser(command_of(argv)).parse_args(argv)
        from .common import refuse_empty_paths, with_decimal_points  # (not for --help and --version)

        if getattr(args, "expect", None):
            args.expect = with_decimal_points(args.expect)
        set_language(args.lang)
        refuse_empty_paths(args)
        if getattr(args, "digits", 1) is not None and not (0 <= getattr(args, "digits", 1) <= 17):
            raise NeurosimError(say("--digits: must be between 0 and 17, got {value}", value=args.digits))
        if getattr(args, "every", None) is not None and args.every < 1:
            raise NeurosimError(say("--every: must be at least 1, got {value}", value=args.every))
        from ..core.memory import limit_in_force, parse_size

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
        from ..outputs import os_error

        out.flush()
        print(f"neurosim: error: {os_error(error.filename or '', error)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
