"""`neurosim grade ANSWERS.csv --variants DIR`: a class's answers graded (check/grading.py) and
reported (views/grade_report*.py) on standard output and, with -o DIR, as grades.csv,
grades-summary.csv, grades.md and grades.html. Exit 0 when the file was graded, whatever the
marks; 2 when the input had problems (each printed with its row and column; the rest is graded)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TextIO

from ..errors import NeurosimError
from ..messages import say
from ..outputs import write_together
from .formats import add_format_option
from .progress import RunControl

FORMATS = ("plain", "markdown", "csv", "html")


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "grade", help="grade a class's answers (CSV) against their variants, with the reason for each wrong value",
        description="Grade a CSV of answers (header student,variant, then one column per quantity such as w5+ or "
                    "w1+@1; one row per student) against the variant files in DIR, each value at the precision "
                    "written, and diagnose the students with wrong values. Exit 0 when the file was graded, 2 on "
                    "bad input (each problem is reported with its row and column; the rest is still graded).")
    p.add_argument("answers", metavar="ANSWERS.csv", help="the class's answers (comma or semicolon separated)")
    p.add_argument("--variants", required=True, metavar="DIR", help="the directory of the variant files (v01.toml …)")
    add_format_option(p, {name: name for name in FORMATS}, "plain", "what to print")
    p.add_argument("-o", "--output", metavar="DIR",
                   help="also write grades.csv, grades-summary.csv, grades.md and grades.html into DIR")
    p.add_argument("--force", action="store_true", help="overwrite the grade files already in DIR")
    p.set_defaults(handler=cmd_grade)


def cmd_grade(args: argparse.Namespace, out: TextIO) -> int:
    from ..check.grading import grade_class
    from ..files.answers import read_answers
    from ..views import grade_report, grade_report_html

    names = ("grades.csv", "grades-summary.csv", "grades.md", "grades.html")
    if args.output and not args.force:  # before grading: hand-edited grades are not overwritten
        for name in names:
            if os.path.lexists(os.path.join(args.output, name)):
                raise NeurosimError(say("{path}: already exists (use --force to overwrite it)",
                                        path=Path(args.output) / name))
    answers = read_answers(args.answers)
    control = RunControl(len(answers.rows), "student", sys.stderr)  # a progress line on a terminal
    try:
        report = grade_class(answers, args.variants, on_student=lambda k: control(k, float("nan"), None))
    finally:
        control.clear()
    documents = {"grades.csv": grade_report.render_csv(report),
                 "grades-summary.csv": grade_report.render_summary_csv(report),
                 "grades.md": grade_report.render_markdown(report),
                 "grades.html": grade_report_html.render_html(report)}
    shown = {"plain": grade_report.render_plain(report), "markdown": documents["grades.md"],
             "csv": documents["grades.csv"], "html": documents["grades.html"]}
    out.write(shown[args.format])
    if args.output:
        directory = Path(args.output)
        write_together(directory, documents, force=args.force)  # all four or none
        print(say("Wrote {names} to {directory}.", names=", ".join(documents), directory=directory),
              file=sys.stderr if args.format != "plain" else out)
    if report.problems:
        out.flush()
        for problem in report.problems:
            print(say("neurosim: error: {source} {problem}", source=report.source, problem=problem), file=sys.stderr)
        return 2
    return 0
