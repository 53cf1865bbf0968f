"""`neurosim check` (verdicts on the user's values, and the diagnosis) and `neurosim mistakes`."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from ..messages import say, say_count
from ..views.tables import render_tables
from .common import add_notation_option, add_training_options, apply_notation, apply_training_options, resolve
from .formats import add_format_option
from .progress import StageProgress


def add_parser(subparsers) -> None:
    """Add `check` and `mistakes` to the `neurosim` sub-command parsers."""
    p = subparsers.add_parser(
        "check", help="check your hand-computed values, digit by digit, and diagnose the wrong ones",
        description="Judge each of your values at the precision you wrote it. Exit 0 when all are right, "
                    "1 when any is wrong, 2 on bad input.")
    p.add_argument("target", metavar="NAME|PATH",
                   help="a scenario name or an exercise file with an [expect] table (without values to "
                        "check: the exercise's published figures are checked)")
    p.add_argument("--expect", metavar="NAME=VALUE", action="append", default=[],
                   help="a value to check, e.g. --expect w5+=0.3589 --expect dE/dw1@2=0.00043 (repeatable)")
    diag = p.add_mutually_exclusive_group()
    diag.add_argument("--diagnose", action="store_true", default=None,
                      help="search the mistakes catalog even when every value is right")
    diag.add_argument("--no-diagnose", dest="diagnose", action="store_false",
                      help="do not search the mistakes catalog when a value is wrong")
    add_format_option(p, {"plain": "plain", "markdown": "github", "latex": "latex", "html": "html", "json": "json",
                          "csv": "csv"}, "plain", "table format; json and csv: every verdict and explanation as data")
    add_training_options(p)
    add_notation_option(p)

    def handler(args: argparse.Namespace, out: TextIO) -> int:
        args.base = resolve(args.target)
        spec = apply_notation(apply_training_options(args.base, args), args)
        return cmd_check(spec, args, out)

    p.set_defaults(handler=handler)

    p = subparsers.add_parser("mistakes", help="list the conventions and mistakes `check` can diagnose")
    p.set_defaults(handler=cmd_mistakes)


def cmd_check(spec, args: argparse.Namespace, out: TextIO) -> int:
    from ..check.judge import check_values
    from ..check.parse import expected_from_options, merge_expected
    from ..check.pipeline import diagnose_check

    expected = merge_expected(spec.expect, expected_from_options(args.expect))
    if not expected and spec.published:
        return cmd_check_published(args.base, spec, args.format, out)
    progress = StageProgress(sys.stderr)
    progress.total_steps = spec.steps
    try:
        result = check_values(spec, expected, on_step=progress.on_step)
        searched = args.diagnose or (args.diagnose is None and bool(result.wrong or result.unexact))
        findings = diagnose_check(spec, result, search=searched, progress=progress)
    finally:
        progress.clear()
    if args.format in ("json", "csv"):
        from ..check.data import findings_csv, findings_json

        out.write(findings_json(findings, spec) if args.format == "json" else findings_csv(findings, spec))
        return result.exit_code
    out.write(check_report(spec, findings, args.format, searched) + "\n")
    return result.exit_code


def check_report(spec, findings, fmt_name: str, searched: bool) -> str:
    """The check table and the diagnosis below it, as `neurosim check` prints them."""
    from ..check.report import Writer, check_table, diagnosis_text
    from ..core.notation import name_map

    writer = Writer(findings, name_map(spec), findings.student)
    text = render_tables([check_table(findings, writer)], fmt_name) + "\n\n" + diagnosis_text(findings, writer)
    if searched and not findings.result.wrong and not findings.result.unexact:
        text += "\n\n" + say("Nothing to diagnose: every value is right, to its last digit.")
    return text


def cmd_check_published(base, spec, fmt_name: str, out: TextIO) -> int:
    """`check` of an exercise that gives no values of the user's: its published figures, at every
    step they name, each computed under the convention its source used and judged at the precision
    printed. Exit 0 when all agree, 1 when any differs."""
    from ..check.published import check_published
    from ..views.numbers import DEFAULT_DIGITS
    from .published import published_table

    checks = check_published(base, max(entry.step for entry in base.published))
    out.write(render_tables([published_table(base, checks, DEFAULT_DIGITS, spec)], fmt_name) + "\n\n")
    differ = [check.entry.quantity for check in checks if not check.agrees]
    if differ:
        out.write(say("{agree} of {count} published figures agree; they differ in: {names}.",
                      agree=len(checks) - len(differ), count=len(checks), names=", ".join(differ)) + "\n")
        return 1
    out.write(say_count("The published figure agrees.", "All {count} published figures agree.", len(checks)) + "\n")
    out.write(say("To check your own values, give them with --expect NAME=VALUE or in an [expect] table.") + "\n")
    return 0


def cmd_mistakes(args: argparse.Namespace, out: TextIO) -> int:
    from ..check.mistakes import catalog_lines

    lines = catalog_lines()
    width = max(len(entry) for entry, _ in lines)
    out.write(say("Conventions and mistakes `neurosim check` tries, alone and in pairs, to explain wrong values\n"
                  "(each rounding habit for every K from 0 to 15: round-0 … round-15, round-written-3, chop-4 …):")
              + "\n\n")
    for entry, explanation in lines:
        out.write(f"{entry.ljust(width)}  {explanation}\n")
    from ..check.slips import SLIP_KINDS

    out.write("\n" + say("Slips of one formula `neurosim check` tries at each first wrong line (and in the lines "
                         "before it that you did not write), with your own numbers:") + "\n\n")
    width = max(len(kind) for kind, _ in SLIP_KINDS)
    for kind, explanation in SLIP_KINDS:
        out.write(f"{kind.ljust(width)}  {say(explanation)}\n")
    return 0
