"""The `neurosim` command line. Every user error is one line on stderr and exit code 2."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import textwrap
from pathlib import Path
from typing import Sequence, TextIO

from . import cli_check, cli_plot, examples, gradcheck
from .errors import NeurosimError, TrainingDiverged
from .extras import extra_tables
from .files import atomic_text
from .progress import RunControl, RunInterrupted
from .numbers import DEFAULT_DIGITS, fmt
from .report import FORMATS, TABLE_FORMATS, Table, render_step, render_tables, step_json, summary_table
from .runner import check_published, iterate_run, plan_for, reported_loss
from .spec import Spec, load_spec
from .stream import JsonlWriter, WideCsvWriter
from .trace import StepSummary, StepTrace
from .trainer import evaluate, sample_loss
from .verdict import parse_written


class ArgumentParser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line (and exit 2), not a usage block."""

    def error(self, message: str):
        self.exit(2, f"neurosim: error: {message} (see `{self.prog} --help`)\n")


def resolve(target: str) -> Spec:
    """A built-in scenario by name, or an exercise file by path."""
    path = Path(target)
    if target.endswith(".toml") or path.is_file():
        return load_spec(path)
    return examples.load_scenario(target)


def add_training_options(parser: argparse.ArgumentParser) -> None:
    """Options that override the scenario's [training] conventions."""
    group = parser.add_argument_group("conventions (override the scenario's)")
    group.add_argument("--steps", type=int, help="number of training steps (batch modes: epochs)")
    group.add_argument("--lr", "--learning-rate", dest="learning_rate", type=float, help="learning rate η")
    group.add_argument("--loss", help="half_sse, sse, mse, mae, bce or cce")
    group.add_argument("--order", help="simultaneous or sequential update")
    group.add_argument("--mode", help="online, batch-sum or batch-mean")
    group.add_argument("--dtype", help="float64, float32 or float32-params (float32 weights, float64 arithmetic)")
    group.add_argument("--round", type=int, metavar="K", help="hand rounding: every quantity rounded half-up to K decimals")
    biases = group.add_mutually_exclusive_group()
    biases.add_argument("--update-biases", dest="update_biases", action="store_const", const=True)
    biases.add_argument("--freeze-biases", dest="update_biases", action="store_const", const=False)


def apply_training_options(spec: Spec, args: argparse.Namespace) -> Spec:
    changes = {key: getattr(args, key, None) for key in
               ("steps", "learning_rate", "loss", "order", "mode", "dtype", "update_biases", "round")}
    if changes["steps"] is not None and changes["steps"] < 1:
        raise NeurosimError(f"--steps: must be at least 1, got {changes['steps']}")
    if changes["round"] is not None and not 0 <= changes["round"] <= 15:
        raise NeurosimError(f"--round: must be between 0 and 15 decimals, got {changes['round']}")
    if all(v is None for v in changes.values()):
        return spec
    return spec.with_training(**changes)


def parse_trace_steps(text: str | None, steps: int) -> tuple[int, ...] | None:
    """'1,100,last' → (1, 100, steps)."""
    if text is None:
        return None
    result = []
    for part in text.split(","):
        part = part.strip()
        if part in ("last", "-1"):
            result.append(steps)
        elif part == "first":
            result.append(1)
        elif part.isdigit() and int(part) >= 1:
            result.append(int(part))
        else:
            raise NeurosimError(f"--trace: '{part}' is not a step number (use e.g. 1,100,last)")
    return tuple(result)


# -- neurosim list -----------------------------------------------------------------------------
def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    rows = examples.summaries()
    width = max(len(name) for name, _ in rows)
    for name, title in rows:
        out.write(f"{name.ljust(width)}  {title}\n")
    return 0


# -- neurosim run ------------------------------------------------------------------------------
def published_table(spec: Spec, max_steps: int, digits: int) -> Table | None:
    if not spec.published:
        return None
    rows = []
    for check in check_published(spec, max_steps):
        entry = check.entry
        convention = ", ".join(f"{k} = {v}" for k, v in entry.overrides) or "the scenario's"
        if check.computed is None:
            computed, verdict = "—", f"needs --steps {entry.step}"
        else:
            computed = fmt(check.computed, max(digits, parse_written(entry.value).decimals))
            verdict = "agrees" if check.agrees else f"DIFFERS: {check.verdict.describe()}"
        rows.append((entry.quantity, entry.value, computed, convention, verdict, entry.source))
    headers = ("quantity", "published", "computed", "convention", "at the published precision", "source")
    return Table("Published figures, each computed under the convention its source used", headers, tuple(rows))


def cmd_run(args: argparse.Namespace, out: TextIO) -> int:
    spec = resolve(args.target)
    base = spec
    spec = apply_training_options(spec, args)
    plan = plan_for(spec, trace_steps=parse_trace_steps(args.trace, spec.steps), every=args.every)
    network = spec.build_network()
    unit = spec.unit
    if args.save and not Path(args.save).resolve().parent.is_dir():
        raise NeurosimError(f"--save: the directory {Path(args.save).parent} does not exist")
    with contextlib.ExitStack() as stack:
        writers = []
        if args.wide_csv:
            handle = stack.enter_context(atomic_text(args.wide_csv))
            writers.append(WideCsvWriter(handle, spec, network, every=args.every or 1))
        control = RunControl(plan.steps, unit, sys.stderr, extra=_each(writers) if writers else None)
        stack.enter_context(control.catching_ctrl_c())
        if args.format in ("csv", "json", "jsonl"):
            code = _run_data(spec, base, plan, args, out, network, control)
        else:
            code = _run_tables(spec, base, plan, args, out, network, control, unit)
    if args.save:
        if code == 1:
            print(f"neurosim: {args.save} not saved: training diverged", file=sys.stderr)
        else:
            network.save(args.save)
            if code == 130:
                print(f"neurosim: saved the network after step {control.last_step} to {args.save}",
                      file=sys.stderr)
    return code


def _each(callbacks):
    if not callbacks:
        return None

    def call(step, e_total, network):
        for callback in callbacks:
            callback(step, e_total, network)
    return call


def _interrupted(control: RunControl, plan) -> int:
    print(f"neurosim: interrupted after {control.unit} {control.last_step:,} of {plan.steps:,} "
          "(shown above: the run so far)", file=sys.stderr)
    return 130


def _run_tables(spec: Spec, base: Spec, plan, args, out: TextIO, network, control: RunControl, unit: str) -> int:
    fmt_name, digits = args.format, args.digits
    intro = f"{spec.title}\n" + "\n".join(textwrap.wrap(spec.description, 100)) if spec.description else spec.title
    out.write(_intro(intro, fmt_name))
    deferred: list[StepTrace] = []
    summaries: list[StepSummary] = []
    output_names = [f"o{k}" for k in range(1, spec.layers[-1] + 1)]
    reported = spec.report_loss.formula if spec.report_loss else ""

    def write_summary_and_deferred() -> None:
        if plan.steps > 1:
            out.write(render_tables([summary_table(summaries, unit, digits, output_names, reported)],
                                    fmt_name) + "\n\n")
        for trace in deferred:
            out.write(_render(trace, fmt_name, digits, spec) + "\n\n")

    try:
        for record in iterate_run(spec, plan, network, view=args.view, on_step=control,
                                  on_step_every=control.every):
            if isinstance(record, StepSummary):
                summaries.append(record)
            elif not summaries or plan.steps == 1:
                control.clear()
                out.write(_render(record, fmt_name, digits, spec) + "\n\n")
                out.flush()
            else:
                deferred.append(record)
    except TrainingDiverged as error:
        control.clear()
        if len(summaries) > 1:
            out.write(render_tables([summary_table(summaries, unit, digits, output_names, reported)], fmt_name) + "\n\n")
        out.flush()
        print(f"neurosim: {error}", file=sys.stderr)
        return 1
    except RunInterrupted:
        control.clear()
        if control.last_step and (not summaries or summaries[-1].step != control.last_step):
            summaries.append(_summary_now(spec, network, control))
        write_summary_and_deferred()
        out.flush()
        return _interrupted(control, plan)
    control.clear()
    write_summary_and_deferred()
    if spec.extra:
        out.write(render_tables(extra_tables(spec, digits), fmt_name) + "\n\n")
    table = published_table(base, plan.steps, digits)
    if table is not None:
        out.write(render_tables([table], fmt_name) + "\n")
    return 0


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
        title, _, rest = text.partition("\n")
        return f"## {title}\n\n{rest}\n\n"
    return text + "\n\n"


def _run_data(spec: Spec, base: Spec, plan, args, out: TextIO, network, control: RunControl) -> int:
    """csv: one row per quantity of every traced step; json: traces, summary and published checks;
    jsonl: one object per step, streamed (schema in neurosim.stream)."""
    traces, summaries = [], []
    stopped = None
    jsonl = JsonlWriter(out, spec, network, plan.steps) if args.format == "jsonl" else None
    if jsonl is not None:
        control.extra = _each([c for c in (control.extra, jsonl) if c is not None])
    try:
        for record in iterate_run(spec, plan, network, view=args.view, on_step=control,
                                  on_step_every=control.every):
            if jsonl is not None:
                if isinstance(record, StepTrace):
                    jsonl.trace(record)
            else:
                (summaries if isinstance(record, StepSummary) else traces).append(record)
    except TrainingDiverged as error:
        if jsonl is not None:
            jsonl.end(complete=False)
        out.flush()
        print(f"neurosim: {error}", file=sys.stderr)
        return 1
    except RunInterrupted:
        stopped = 130
    if jsonl is not None:
        jsonl.end(complete=stopped is None)
    elif args.format == "csv":
        out.write("step,quantity,value\n")
        for trace in traces:
            for name, value in _quantities(trace).items():
                out.write(f"{trace.step},{name},{float(value)!r}\n")
    else:
        document = {
            "title": spec.title,
            "traces": [step_json(t) if isinstance(t, StepTrace) else _matrix_json(t) for t in traces],
            "summary": [{"step": s.step, "E_total": float(s.E_total), "E_all_after": float(s.E_all_after)}
                        for s in summaries],
            "published": [] if stopped else [
                {"quantity": c.entry.quantity, "published": c.entry.value,
                 "computed": None if c.computed is None else float(c.computed), "agrees": c.agrees,
                 "conventions": dict(c.entry.overrides)}
                for c in check_published(base, plan.steps)
            ],
        }
        if stopped:
            document["interrupted_after_step"] = control.last_step
        out.write(json.dumps(document, indent=2) + "\n")
    out.flush()
    return _interrupted(control, plan) if stopped else 0


def _quantities(record) -> dict:
    if isinstance(record, StepTrace):
        return record.quantities()
    from .matrix import named_values
    return named_values(record)


def _render(record, fmt_name: str, digits: int, spec: Spec) -> str:
    """A traced step as tables: neuron by neuron (StepTrace) or as matrices (matrix view)."""
    if isinstance(record, StepTrace):
        return render_step(record, fmt_name, digits, spec.samples_shown)
    from .matrix_view import render_matrix_step
    return render_matrix_step(record, fmt_name, digits, spec.title)


def _matrix_json(record) -> dict:
    from .matrix_view import matrix_json
    return matrix_json(record)


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog="neurosim",
        description="Neuron-level backpropagation traces for checking hand calculations.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)
    sub.required = True

    p = sub.add_parser("list", help="list the built-in scenarios")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("run", help="run a scenario or exercise file and print its trace tables")
    p.add_argument("target", metavar="NAME|PATH", help="a scenario name (see `neurosim list`) or a .toml file")
    p.add_argument("--digits", type=int, default=DEFAULT_DIGITS, help="decimals shown (default 9)")
    p.add_argument("--format", choices=FORMATS, default="plain", help="output format (default plain)")
    p.add_argument("--trace", metavar="STEPS", help="steps to show in full, e.g. 1,100,last (default: first,last)")
    p.add_argument("--every", type=int, help="summary-table cadence in steps (default: about 10 rows)")
    p.add_argument("--save", metavar="NET.json", help="save the trained network as JSON (Network.load reads it)")
    p.add_argument("--wide-csv", metavar="FILE.csv",
                   help="write one row per step: loss and every weight and bias (every --every steps if given)")
    p.add_argument("--view", choices=("neuron", "matrix"), default="neuron",
                   help="traced steps neuron by neuron (default) or as NumPy matrices with their shapes")
    add_training_options(p)
    p.set_defaults(handler=cmd_run)

    cli_check.add_parser(sub, add_training_options, resolve, apply_training_options)
    from .cli_write import add_parsers  # export, new, explain (imported here: cli_write imports cli)
    add_parsers(sub)
    cli_plot.add_parser(sub)
    gradcheck.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if getattr(args, "digits", 1) is not None and not (0 <= getattr(args, "digits", 1) <= 17):
            raise NeurosimError(f"--digits: must be between 0 and 17, got {args.digits}")
        if getattr(args, "every", None) is not None and args.every < 1:
            raise NeurosimError(f"--every: must be at least 1, got {args.every}")
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


if __name__ == "__main__":
    raise SystemExit(main())
