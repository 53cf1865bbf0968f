"""`neurosim check` (verdicts on the user's values, and the diagnosis) and `neurosim mistakes`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # the checking machinery is imported when a command needs it (fast start-up)
    from ..check.checker import CheckResult
    from ..check.diagnose import Diagnosis
from ..messages import say, say_count
from ..views.tables import TABLE_FORMATS, render_tables
from .common import add_notation_option, add_training_options, apply_notation, apply_training_options, resolve


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
    p.add_argument("--format", choices=tuple(TABLE_FORMATS), default="plain", help="table format (default plain)")
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
    from ..check.checker import check_table, check_values, expected_from_options, merge_expected, summary_line
    from ..check.diagnose import diagnose

    expected = merge_expected(spec.expect, expected_from_options(args.expect))
    if not expected and spec.published:
        return cmd_check_published(args.base, spec, args.format, out)
    result = check_values(spec, expected)
    out.write(render_tables([check_table(result)], args.format) + "\n\n")
    out.write(summary_line(result) + "\n")
    if args.diagnose or (args.diagnose is None and (result.wrong or result.unexact)):
        if not result.wrong and not result.unexact:
            out.write("\n" + say("Nothing to diagnose: every value is right, to its last digit.") + "\n")
        else:
            out.write("\n" + diagnosis_text(diagnose(spec, result.internal), result) + "\n")
    return result.exit_code


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


def diagnosis_text(diagnosis: Diagnosis, result: CheckResult) -> str:
    """The explanations, simplest first, with the values they give, named as the user named them."""
    pairs = diagnosis.tried > diagnosis.applicable or diagnosis.skipped > diagnosis.applicable
    scope = (say("the {count} catalog entries that apply to this exercise, alone and in pairs",
                 count=diagnosis.applicable) if pairs else
             say("the {count} catalog entries that apply to this exercise, alone", count=diagnosis.applicable))
    if diagnosis.skipped:
        scope += say("; {count} of these could not change the values in question and were not run",
                     count=diagnosis.skipped)
    if diagnosis.target == "wrong":
        what = say("every value you wrote, at the precision you wrote it")
    else:
        what = say_count("every value you wrote, to the last digit ({names} is right but for the rounding of the "
                         "last digit)",
                         "every value you wrote, to the last digit ({names} are right but for the rounding of the "
                         "last digit)", len(result.unexact),
                         names=", ".join(r.expected.quantity for r in result.unexact))
    if not diagnosis.explanations:
        return say("Diagnosis: none of the {tried} candidates tried ({scope}) reproduces {what}.\n"
                   "`neurosim mistakes` lists the catalog.", tried=diagnosis.tried, scope=scope, what=what)
    n = len(diagnosis.explanations)
    lines = [say_count("Diagnosis: 1 explanation reproduces {what}\n({tried} candidates tried: {scope}):",
                       "Diagnosis: {count} explanations reproduce {what}\n({tried} candidates tried: {scope}), "
                       "the simplest first:", n, what=what, tried=diagnosis.tried, scope=scope), ""]
    shown_rows = result.wrong or result.unexact
    width = max(len(m.id) for ex in diagnosis.explanations for m in ex.mistakes)
    for ex in diagnosis.explanations:
        for i, m in enumerate(ex.mistakes):
            lines.append(f"  {'+ ' if i else '  '}{m.id.ljust(width)}  {m.describe()}")
        shown = ", ".join(f"{row.expected.quantity} = {row.sign * value!r}"
                          for row, (_, value) in zip(result.rows, ex.values) if row in shown_rows)
        lines.append(f"    {' ' * width}  " + say("gives {values}", values=shown))
    return "\n".join(lines)


def cmd_mistakes(args: argparse.Namespace, out: TextIO) -> int:
    from ..check.mistakes import catalog_lines

    lines = catalog_lines()
    width = max(len(entry) for entry, _ in lines)
    out.write(say("Conventions and mistakes `neurosim check` tries, alone and in pairs, to explain wrong values\n"
                  "(each rounding habit for every K from 0 to 15: round-0 … round-15, round-written-3, chop-4 …):")
              + "\n\n")
    for entry, explanation in lines:
        out.write(f"{entry.ljust(width)}  {explanation}\n")
    return 0
