"""A step too large to read as tables, said in a few: a summary per layer (how many of each
quantity, their range, the largest |dE/dp| and its name) and the matrix shapes, then the errors and
the values after the update, and how to get the full tables (`--full`) or some of them (`--only`).

`full_rows` counts the rows the full stage tables would have (without building them); a step above
SUMMARY_ROWS is summarised by default (report.render_step).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..core.trace import StepTrace
from ..messages import say, say_count
from .elide import Shown
from .numbers import fmt
from .stages import Stages
from .tables import Table

SUMMARY_ROWS = 5_000  # a step whose full tables have more rows is summarised by default


def full_rows(trace: StepTrace, max_samples: int | None = None) -> int:
    """The number of rows of the step's full stage tables (forward, errors, deltas, the inputs'
    dE/dout, updates, after), with the per-sample tables of the first `max_samples` samples (None: all)."""
    rows = 0
    for sample in trace.samples[:max_samples]:
        rows += 2 * len(sample.forward) + len(sample.errors) + 1
        rows += sum(len(b.contributions) + 3 for b in sample.backward)
        rows += sum(len(g.targets) + 1 for g in sample.input_gradients)
    return rows + len(trace.updates) + sum(len(o) for o in trace.outputs_after) + 2


def summary_tables(trace: StepTrace, digits: int, shown: Shown) -> list[Table]:
    """The per-layer summary, the matrix shapes, the errors and the output deltas (of the first sample),
    and the values after the update, of a large step."""
    stages = Stages(trace, digits, shown)
    tables = [layer_summary(trace, digits), matrix_shapes(trace)]
    for sample in trace.samples[:1]:
        tables.append(stages.errors(sample))
        tables += stages.deltas(sample)[:1]  # the output layer's
    tables.append(stages.after())
    return [t for t in tables if t is not None]


def _ranges(pairs: Sequence[tuple[str, float]], digits: int, largest: bool = False) -> tuple[str, ...]:
    """(count, min (name), max (name), largest |value| (name) or '')."""
    finite = [(v, n) for n, v in pairs if v == v]
    if not finite:
        return (f"{len(pairs):,}", "—", "—", "")
    low, high = min(finite), max(finite)
    big = max(finite, key=lambda p: abs(p[0]))
    return (f"{len(pairs):,}", f"{fmt(low[0], digits)} ({low[1]})", f"{fmt(high[0], digits)} ({high[1]})",
            f"{fmt(abs(big[0]), digits)} ({big[1]})" if largest else "")


def layer_summary(trace: StepTrace, digits: int) -> Table:
    """One row per layer and quantity: net, out, delta (over every sample) and dE/dp (the step's)."""
    layer_of = {f.neuron: f.layer for f in trace.samples[0].forward}
    top = max(layer_of.values())
    tag = (lambda s: f"[{s.index}]") if len(trace.samples) > 1 else (lambda s: "")
    rows = []
    for index in range(1, top + 1):
        neurons = [n for n, l in layer_of.items() if l == index]
        span = f"({neurons[0]} … {neurons[-1]})" if len(neurons) > 1 else f"({neurons[0]})"
        labels = [say("output") if index == top else say("hidden") if top == 2 else say("hidden {index}", index=index),
                  span]
        layer_rows = []
        for kind in ("net", "out"):  # named by neuron (and sample): (h1_13), (h11[22])
            pairs = [(f"{f.neuron}{tag(s)}", getattr(f, kind)) for s in trace.samples for f in s.forward
                     if f.layer == index]
            layer_rows.append((kind, *_ranges(pairs, digits)))
        pairs = [(f"{b.neuron}{tag(s)}", b.delta) for s in trace.samples for b in s.backward if b.layer == index]
        layer_rows.append(("delta", *_ranges(pairs, digits)))
        for kind in ("weight", "bias"):
            pairs = [(u.name, u.gradient) for u in trace.updates if u.kind == kind
                     and layer_of[u.parts[0].neuron] == index]
            if pairs:
                layer_rows.append(("dE/dw" if kind == "weight" else "dE/db", *_ranges(pairs, digits, True)))
        rows += [(row[0], labels[k] if k < 2 else "", *row[1:]) for k, row in enumerate(layer_rows)]
    headers = (say("quantity"), say("layer"), say("count"), say("min"), say("max"), say("largest |dE/dp|"))
    title = say_count("Per-layer summary of step {step} ({parameters} parameters, 1 sample)",
                      "Per-layer summary of step {step} ({parameters} parameters, {samples} samples)",
                      len(trace.samples), step=trace.step, parameters=f"{len(trace.updates):,}",
                      samples=f"{len(trace.samples):,}")
    return Table(title, headers, tuple(rows),
                 say("The full tables of this step have {rows} rows: --full prints them; --only NAMES|PATTERN prints "
                     "the quantities you name (e.g. --only w5,delta_o1 or --only 'dE/dw1*'); --format csv writes "
                     "every value; --view matrix shows the matrices.", rows=f"{full_rows(trace):,}"))


def matrix_shapes(trace: StepTrace) -> Table:
    """The shapes of the step's matrices in the row layout Y = X·W + B (views/matrix_view.py)."""
    first = trace.samples[0]
    sizes = [len(first.inputs)] + [sum(1 for f in first.forward if f.layer == l)
                                   for l in range(1, max(f.layer for f in first.forward) + 1)]
    m = len(trace.samples)
    rows = [("X", f"({m}, {sizes[0]})", say("inputs, one sample per row"))]
    offset = 0
    for l in range(1, len(sizes)):
        fan_in, fan_out = sizes[l - 1], sizes[l]
        rows.append((f"W{l}", f"({fan_in}, {fan_out})",
                     say("W{l}[i, j]: the weight from neuron i to neuron j (W{l}[0, 0] = w{first})", l=l,
                         first=offset + 1)))
        offset += fan_in * fan_out
        if trace.bias_mode != "none":
            shape = "()" if trace.bias_mode == "shared" else f"({fan_out},)"
            rows.append((f"B{l}", shape, say("the layer's bias, broadcast") if shape == "()"
                         else say("one bias per neuron")))
        rows.append((f"Z{l}, A{l}, dZ{l}", f"({m}, {fan_out})", say("net inputs, outputs, deltas")))
    rows.append(("T", f"({m}, {sizes[-1]})", say("targets")))
    return Table(say("Matrix shapes (Y = X·W + B; --view matrix prints the matrices)"),
                 (say("matrix"), say("shape"), say("what")), tuple(rows))
