"""`neurosim run`'s data formats (csv: one row per quantity of every traced step, streamed; json: traces,
summary and published checks; jsonl: one object per step, streamed) and what they share with the
tables: the exercise's notation of a traced step, the per-step callbacks run together."""

from __future__ import annotations

import json
import sys
from typing import TextIO

from ..check.published import check_published
from ..core.exercise import Spec
from ..core.notation import NameMap, name_map
from ..core.trace import StepSummary, StepTrace
from ..engines.runner import iterate_run
from ..errors import TrainingDiverged
from ..files.stream import JsonlWriter, step_json
from ..views.notation_view import quantities_in_notation
from .progress import RunControl, RunInterrupted, say_interrupted


def run_data(spec: Spec, base: Spec, plan, args, out: TextIO, network, control: RunControl) -> int:
    """csv: one row per quantity of every traced step, streamed; json: traces, summary and published
    checks; jsonl: one object per step, streamed (schema in neurosim.stream)."""
    traces, summaries = [], []
    stopped = None
    jsonl = JsonlWriter(out, spec, network, plan.steps) if args.format == "jsonl" else None
    if jsonl is not None:
        control.extra = each([c for c in (control.extra, jsonl) if c is not None])
    if args.format == "csv":
        out.write("step,quantity,value\n")
    try:
        for record in iterate_run(spec, plan, network, view=args.view, on_step=control,
                                  on_step_every=control.every):
            if jsonl is not None:
                if isinstance(record, StepTrace):
                    jsonl.trace(record)
            elif args.format == "csv":
                if not isinstance(record, StepSummary):
                    out.write("".join(f"{record.step},{name},{float(value)!r}\n"
                                      for name, value in quantities_of(record, spec).items()))
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
    elif args.format == "json":
        document = {
            "title": spec.title,
            "traces": [step_json(t) if isinstance(t, StepTrace) else matrix_json(t) for t in traces],
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
    return say_interrupted(control, plan.steps) if stopped else 0


def names_of(spec: Spec, trace: StepTrace) -> NameMap:
    """The exercise's notation; its [names] aliases must name quantities of the step."""
    names = name_map(spec)
    if spec.names:
        names.reverse(trace.quantities())
    return names


def quantities_of(record, spec: Spec) -> dict:
    if isinstance(record, StepTrace):
        return quantities_in_notation(record.quantities(), names_of(spec, record))
    from ..engines.matrix import named_values
    return named_values(record)


def matrix_json(record) -> dict:
    from ..views.matrix_view import matrix_json
    return matrix_json(record)


def each(callbacks):
    if not callbacks:
        return None

    def call(step, e_total, network):
        for callback in callbacks:
            callback(step, e_total, network)
    return call
