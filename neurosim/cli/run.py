"""`neurosim run`: the trace tables of a scenario or exercise file (or its numbers as CSV / JSON /
JSON Lines), a summary table for long runs, and the published figures beside ours."""

from __future__ import annotations

import argparse
import contextlib
import sys
import textwrap
from pathlib import Path
from typing import TextIO

import attrs

from ..check.published import check_published
from ..core.exercise import Spec
from ..core.losses import get_loss
from ..core.memory import CSV_BYTES_PER_NUMBER, check_growth, check_traced_run, summary_row_bytes
from ..core.notation import name_map
from ..core.step import evaluate, sample_loss
from ..core.trace import StepSummary, StepTrace
from ..engines.runner import iterate_run, plan_for, reported_loss
from ..errors import NeurosimError, TrainingDiverged
from ..files.stream import WideCsvWriter
from ..messages import joined, say
from ..textfiles import atomic_text
from ..views.elide import NO_QUANTITY, Shown, refuse_unmatched
from ..views.extras import extra_tables
from ..views.notation_view import text_in_notation
from ..views.numbers import DEFAULT_DIGITS
from ..views.report import render_step, summary_table
from ..views.tables import Table, render_tables
from .common import (
    add_notation_option,
    add_training_options,
    apply_notation,
    apply_training_options,
    parse_trace_steps,
    resolve,
)
from .formats import add_format_option
from .notes import warn_saturated
from .progress import RunControl, RunInterrupted, say_interrupted
from .published import published_table
from .run_data import each, names_of, run_data
from .sizes import add_size_options, shown_from, terminal_width


def add_parser(sub) -> None:
    """Add `run` to the `neurosim` sub-command parsers."""
    p = sub.add_parser("run", help="run a scenario or exercise file and print its trace tables")
    p.add_argument("target", metavar="NAME|PATH", help="a scenario name (see `neurosim list`) or a .toml file")
    p.add_argument("--digits", type=int, default=DEFAULT_DIGITS, help="decimals shown (default 9)")
    add_format_option(p, {"plain": "plain", "markdown": "github", "latex": "latex", "html": "html", "csv": "csv",
                          "json": "json", "jsonl": "jsonl"}, "plain", "output format")
    p.add_argument("--trace", metavar="STEPS", help="steps to show in full, e.g. 1,100,last (default: first,last)")
    p.add_argument("--every", type=int, help="summary-table cadence in steps (default: about 10 rows)")
    p.add_argument("--save", metavar="NET.json",
                   help="save the trained network as JSON, with its exercise (Network.load reads it, "
                        "SharedNetwork.load one with shared weights; "
                        "`neurosim run NET.json` and --from NET.json go on from it)")
    p.add_argument("--wide-csv", metavar="FILE.csv",
                   help="write one row per step: loss and every weight and bias (every --every steps if given)")
    p.add_argument("--view", choices=("neuron", "matrix"), default="neuron",
                   help="traced steps neuron by neuron (default) or as NumPy matrices with their shapes")
    add_size_options(p)
    add_training_options(p)
    add_notation_option(p)
    p.set_defaults(handler=cmd_run)


def cmd_run(args: argparse.Namespace, out: TextIO) -> int:
    spec = resolve(args.target)
    base = spec
    spec = apply_notation(apply_training_options(spec, args), args)
    if spec.steps == 0:
        raise NeurosimError(say("training.steps: the exercise runs no steps, there is nothing to run (--steps N)"))
    if args.only and args.format in ("csv", "json", "jsonl"):
        raise NeurosimError(say("--only: picks rows of the tables; --format {format} writes every quantity",
                                format=args.format))
    plan = plan_for(spec, trace_steps=parse_trace_steps(args.trace, spec.steps), every=args.every)
    kept = {"jsonl": 1, "csv": 1, "json": len(plan.trace_steps)}.get(
        args.format, max(1, len(plan.trace_steps) - 1))  # the traced steps held in memory before printing
    check_traced_run(spec.layers, spec.batch_size or (1 if spec.conventions.mode == "online" else len(spec.inputs)),
                     kept, spec.max_memory)
    _check_growth(spec, plan, args)
    network = spec.build_network()
    warn_saturated(spec, network)
    unit = spec.unit
    if args.save and not Path(args.save).resolve().parent.is_dir():
        raise NeurosimError(say("--save: the directory {directory} does not exist", directory=Path(args.save).parent))
    with contextlib.ExitStack() as stack:
        writers = []
        if args.wide_csv:
            handle = stack.enter_context(atomic_text(args.wide_csv))
            writers.append(WideCsvWriter(handle, spec, network, every=args.every or 1))
        control = RunControl(plan.steps, unit, sys.stderr, extra=each(writers) if writers else None)
        stack.enter_context(control.catching_ctrl_c())
        if args.format in ("csv", "json", "jsonl"):
            code = run_data(spec, base, plan, args, out, network, control)
        elif args.format == "html":
            from ..views.render_html import PAGE_END, page_start  # (start-up: only for a page)

            out.write(page_start(spec.title))  # a whole page, as explain writes
            code = _run_tables(spec, base, plan, args, out, network, control, unit)
            out.write(PAGE_END)
        else:
            code = _run_tables(spec, base, plan, args, out, network, control, unit)
    if code == 0 and control.stop_requested:  # pressed after the last step was checked: not swallowed
        code = say_interrupted(control, plan.steps)
    if args.save:
        if code == 1:
            print(say("neurosim: {path} not saved: training diverged", path=args.save), file=sys.stderr)
        else:
            from ..files.trained import save_trained

            save_trained(network, spec, args.save)  # with the exercise: `neurosim run NET.json` goes on
            if code == 130:
                print(say("neurosim: saved the network after step {step} to {path}", step=control.last_step,
                          path=args.save), file=sys.stderr)
    return code


def _check_growth(spec: Spec, plan, args: argparse.Namespace) -> None:
    """Refuse, before step 1, the rows that grow with the step count beyond the memory limit: the
    summary rows kept for the table or the JSON document (many with --every or report.every) and the
    rows of --wide-csv (every step unless --every)."""
    rows = plan.steps // plan.every + 2
    if args.format not in ("csv", "jsonl") and (args.every or spec.every):
        option = getattr(args, "typed_options", {}).get("every", "--every") if args.every else "report.every"
        columns = 3 + (spec.layers[-1] if len(spec.samples) == 1 else 0) + (spec.report_loss is not None)
        check_growth(f"{option} {plan.every}", rows, summary_row_bytes(columns),
                     say("keep fewer rows with a larger --every, or stream every step with --format jsonl"),
                     spec.max_memory)
    if args.wide_csv:
        parameters = sum(a * b + b for a, b in zip(spec.layers, spec.layers[1:]))
        check_growth("--wide-csv", plan.steps // (args.every or 1) + 2, (parameters + 3) * CSV_BYTES_PER_NUMBER,
                     say("write every Nth step with --every N"), spec.max_memory)


def _run_tables(spec: Spec, base: Spec, plan, args, out: TextIO, network, control: RunControl, unit: str) -> int:
    fmt_name, digits = args.format, args.digits
    shown = shown_from(args, name_map(spec))
    if shown.only and args.view == "matrix":
        raise NeurosimError("--only: the matrix view prints whole matrices (elided at size, --full for all); "
                            "--only picks quantities of the neuron view")
    intro = f"{spec.title}\n" + "\n".join(textwrap.wrap(spec.description, 100)) if spec.description else spec.title
    out.write(_intro(intro, fmt_name))
    deferred: list[StepTrace] = []
    summaries: list[StepSummary] = []

    right_before = _right(spec, network, plan.steps)  # a classifier: its accuracy under the summary

    def summary() -> Table:
        return _summary_table(spec, summaries, unit, digits, network, (right_before, _right(spec, network, plan.steps)))

    def write_summary_and_deferred() -> None:
        if plan.steps > 1:
            out.write(render_tables([summary()], fmt_name) + "\n\n")
        for trace in deferred:
            out.write(_render(trace, fmt_name, digits, spec, shown) + "\n\n")

    try:
        for record in iterate_run(spec, plan, network, view=args.view, on_step=control,
                                  on_step_every=control.every):
            if isinstance(record, StepSummary):
                summaries.append(record)
                continue
            if shown.only:  # a pattern that matches nothing would print empty tables (a note: some did)
                control.clear()
                refuse_unmatched(shown, record.quantities(), NO_QUANTITY, note=record.step == min(plan.trace_steps),
                                 step=record.step)
            if not summaries or plan.steps == 1:
                control.clear()
                out.write(_render(record, fmt_name, digits, spec, shown) + "\n\n")
                out.flush()
            else:
                deferred.append(record)
    except TrainingDiverged as error:
        control.clear()
        if len(summaries) > 1:
            out.write(render_tables([summary()], fmt_name) + "\n\n")
        out.flush()
        print(f"neurosim: {error}", file=sys.stderr)
        return 1
    except RunInterrupted:
        control.clear()
        if control.last_step and (not summaries or summaries[-1].step != control.last_step):
            summaries.append(_summary_now(spec, network, control))
        write_summary_and_deferred()
        out.flush()
        return say_interrupted(control, plan.steps)
    control.clear()
    write_summary_and_deferred()
    if spec.extra:
        out.write(render_tables(extra_tables(spec, digits), fmt_name) + "\n\n")
    table = published_table(base, check_published(base, plan.steps), digits, spec)
    if table is not None:
        out.write(render_tables([table], fmt_name) + "\n")
    return 0


def _right(spec: Spec, network, steps: int) -> int | None:
    """How many samples the network puts in their class (None: not a classifier, or no summary: one step)."""
    classes = spec.classes if steps > 1 else None
    if classes is None:
        return None
    from ..engines.accuracy import correct  # (start-up: only for a classifier)

    return correct(network, spec.inputs, classes, spec.conventions)


def _summary_table(spec: Spec, summaries: list[StepSummary], unit: str, digits: int, network=None,
                   right: tuple[int | None, int | None] = (None, None)) -> Table:
    """The training summary, in the exercise's notation (a network with shared weights: its output
    neurons' own names, o1_t1 … of an unrolled sequence, c1_11 … of a feature map); a classifier's
    accuracy before and after (`right`: how many samples in their class) under it."""
    output_names = [f"o{k}" for k in range(1, spec.layers[-1] + 1)] if spec.architecture is None or network is None \
        else [neuron.name for neuron in network.layers[-1].neurons]
    reported = spec.report_loss.formula if spec.report_loss else ""
    table = summary_table(summaries, unit, digits, output_names, reported, get_loss(spec.conventions.loss).defined)
    if right[0] is not None:
        n = len(spec.inputs)
        table = attrs.evolve(table, note=joined(table.note, say(
            "Accuracy: {before} of {count} samples classified right before training ({before_share}), {after} after "
            "({after_share}); the class is that of the largest output (one output: 1 when out ≥ 0.5).", count=f"{n:,}",
            before=f"{right[0]:,}", after=f"{right[1]:,}", before_share=f"{right[0] / n:.0%}",
            after_share=f"{right[1] / n:.0%}")))
    names = name_map(spec)
    if names.identity:
        return table
    return attrs.evolve(table, headers=tuple(text_in_notation(h, names, title=True) for h in table.headers),
                        note=text_in_notation(table.note, names))


def _summary_now(spec: Spec, network, control: RunControl) -> StepSummary:
    """The summary row of the last completed step (for a run stopped between summary rows)."""
    conv = spec.conventions
    keep, store = conv.arithmetic.keeper(), conv.arithmetic.storer()
    outputs = tuple(tuple(evaluate(network, x, keep, store)) for x, _ in spec.samples)
    return StepSummary(control.last_step, control.last_loss, sample_loss(network, spec.samples, conv), outputs,
                       reported_loss(spec, network))


def _intro(text: str, fmt_name: str) -> str:
    if fmt_name == "html":
        return "<p>" + text.replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br>\n") + "</p>\n\n"
    if fmt_name == "latex":
        return "".join(f"% {line}\n" for line in text.splitlines()) + "\n"
    if fmt_name == "github":
        from ..views.render_markdown import md_escape  # (start-up: only for Markdown)

        title, _, rest = text.partition("\n")  # the exercise file's own text, shown as written
        return f"## {md_escape(title)}\n\n{md_escape(rest)}\n\n"
    return text + "\n\n"


def _render(record, fmt_name: str, digits: int, spec: Spec, shown: Shown) -> str:
    """A traced step as tables: neuron by neuron (StepTrace, in the exercise's notation) or as
    matrices (matrix view)."""
    width = terminal_width(sys.stdout)
    if isinstance(record, StepTrace):
        return render_step(record, fmt_name, digits, spec.samples_shown, width, shown, names_of(spec, record))
    from ..views.matrix_view import render_matrix_step
    return render_matrix_step(record, fmt_name, digits, spec.title, width, shown)
