"""The rows of each stage of one step, in the order a person works the example by hand: forward
pass, errors, output-layer deltas, hidden-layer deltas, gradients and updates, and the values after
the update. Each row shows a quantity, its formula, the formula with the numbers substituted, and
the value. report.py makes the stage tables of them; explain.py its worked solutions.

At size, `Shown` (elide.py) decides what a table shows: long sums are elided to their first and last
terms with the count, long tables to their first and last rows and a summary; only the rows shown
are built (each neuron's or parameter's rows are a RowGroup).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..core.activations import get_activation
from ..core.combined import COMBINED, log_sum_exp
from ..core.losses import get_loss
from ..core.neuron import add_up
from ..core.trace import ParameterUpdate, SampleTrace, StepTrace
from .elide import ELIDED_AT_SIZE, MAX_TERMS, RowGroup, Shown, join_terms, select_rows
from .numbers import fmt, fmt_operand
from .tables import Table

_STAGE_HEADERS = ("quantity", "formula", "with the numbers", "value")


def _source_symbol(name: str) -> str:
    """Inputs are written as they are (i1); other sources by their output (out_h1)."""
    return name if name.startswith("i") else f"out_{name}"


def unused_note(b, f, digits: int) -> str:
    """For an output whose delta is in combined form and whose dE/dout is not finite: why that is
    harmless (a note for its dE/dout row); '' otherwise."""
    if not b.combined or math.isfinite(b.dE_dout):
        return ""
    return f"out_{b.neuron} = {fmt(f.out, digits)}: not finite, and not used: delta_{b.neuron} is taken directly"


class Stages:
    """Builds the stage tables of one step (explain.py builds its worked solutions from the same rows);
    `shown` says what they show at size (elide.py)."""

    def __init__(self, trace: StepTrace, digits: int, shown: Shown = ELIDED_AT_SIZE):
        self.trace = trace
        self.d = digits
        self.shown = shown
        self.batch = len(trace.samples) > 1

    def join(self, terms: Sequence[str], joiner: str = " + ", count: str = "", limit: int = MAX_TERMS) -> str:
        """Terms joined, elided beyond `limit` unless everything is shown (`count`: with the count)."""
        return join_terms(terms, joiner, self.shown.full, count, limit)

    def sum_text(self, values: Sequence[float]) -> str:
        """v1 + v2 + … with the numbers as operands (negative ones in parentheses)."""
        if not values:
            return "0"
        return self.join([self.n(values[0])] + [self.o(v) for v in values[1:]])

    def names(self, sample: SampleTrace | None, *names: str) -> tuple[str, ...]:
        """Quantity names of a row group, also with the sample tag of a batch step (net_h1, net_h1[2])."""
        tag = self.tag(sample) if sample is not None else ""
        return names + tuple(f"{n}{tag}" for n in names) if tag else names

    def table(self, title: str, headers: tuple[str, ...], groups: list[RowGroup], what: str,
              largest: str | None = None) -> Table | None:
        """A stage table of the groups shown (None when --only leaves none of them)."""
        rows, note = select_rows(groups, self.shown, len(headers), what, largest)
        return Table(title, headers, rows, note) if rows else None

    def n(self, value: float) -> str:
        return fmt(value, self.d)

    def o(self, value: float) -> str:
        return fmt_operand(value, self.d)

    def tag(self, sample: SampleTrace) -> str:
        return f"[{sample.index}]" if self.batch else ""

    def suffix(self, sample: SampleTrace) -> str:
        return f" — sample {sample.index} of {len(self.trace.samples)}" if self.batch else ""

    # -- per sample ---------------------------------------------------------------------------
    def forward(self, sample: SampleTrace) -> Table | None:
        inputs_text = self.join([f"i{k} = {self.n(v)}" for k, v in enumerate(sample.inputs, start=1)], ", ",
                                "inputs")
        groups = [RowGroup(f.neuron, self.names(sample, f"net_{f.neuron}", f"out_{f.neuron}"),
                           (("net", f"net_{f.neuron}", f.net), ("out", f"out_{f.neuron}", f.out)), 2,
                           lambda f=f: self.forward_rows(f))
                  for f in sample.forward]
        return self.table(f"Forward pass{self.suffix(sample)} (inputs {inputs_text})", _STAGE_HEADERS, groups,
                          "neurons")

    def forward_rows(self, f) -> list[tuple[str, ...]]:
        """net and out of one neuron (a NeuronForward record)."""
        symbols = [f"{t.weight}·{_source_symbol(t.source)}" for t in f.terms]
        numbers = [f"{self.o(t.weight_value)}·{self.o(t.source_value)}" for t in f.terms]
        if f.bias is not None:
            symbols.append(f.bias)
            numbers.append(self.o(f.bias_value))
        rows = [(f"net_{f.neuron}", self.join(symbols, count="terms"), self.join(numbers), self.n(f.net))]
        act = get_activation(f.activation)
        if act.layer_level:
            formula = f"e^net_{f.neuron} / Σ_k e^net_k"
            numbers_text = f"e^{self.o(f.net)} / Σ_k e^net_k"
        else:
            formula = act.formula.format(net=f"net_{f.neuron}")
            numbers_text = act.formula.format(net=self.o(f.net))
        rows.append((f"out_{f.neuron}", formula, numbers_text, self.n(f.out)))
        return rows

    def errors(self, sample: SampleTrace) -> Table | None:
        loss = get_loss(self.trace.conventions.loss)
        groups = [RowGroup(e.neuron, self.names(sample, f"E_{e.neuron}"), (("E", f"E_{e.neuron}", e.value),), 1,
                           lambda e=e: [self.error_row(sample, e)])
                  for e in sample.errors]
        total = ("E_total", self.join([f"E_{e.neuron}" for e in sample.errors], count="terms"),
                 self.sum_text([e.value for e in sample.errors]), self.n(sample.E_total))
        groups.append(RowGroup("E_total", ("E_total", f"E_total{self.tag(sample)}"), (), 1, lambda: [total]))
        return self.table(f"Errors ({loss.formula}){self.suffix(sample)}", _STAGE_HEADERS, groups, "rows")

    def error_row(self, sample: SampleTrace, e) -> tuple[str, ...]:
        """E_o of one output (an OutputError record): the loss term, with the numbers."""
        loss = get_loss(self.trace.conventions.loss)
        n_out = len(sample.errors)
        formula = loss.term_formula.format(t=f"target_{e.neuron}", o=f"out_{e.neuron}", n=n_out)
        numbers = loss.term_formula.format(t=self.o(e.target), o=self.o(e.out), n=n_out)
        combined = any(b.combined for b in sample.backward if b.neuron == e.neuron)
        if combined and e.out in (0.0, 1.0):  # ln(0) in the textbook form: E is taken from net
            nets = {f.neuron: f.net for f in sample.forward}
            pair = COMBINED[(sample.forward[-1].activation, loss.name)]
            lse = log_sum_exp([nets[o.neuron] for o in sample.errors])
            formula += " = " + pair.term_text(f"net_{e.neuron}", f"target_{e.neuron}", n_out, "ln Σ_k e^net_k")
            numbers = pair.term_text(self.o(nets[e.neuron]), self.o(e.target), n_out, self.o(lse))
        return (f"E_{e.neuron}", formula, numbers, self.n(e.value))

    def deltas(self, sample: SampleTrace) -> list[Table]:
        layers: dict[int, list] = {}
        for b in sample.backward:
            layers.setdefault(b.layer, []).append(b)
        top = max(layers)
        tables = []
        for index in sorted(layers, reverse=True):
            groups = [self._delta_group(sample, b, index == top) for b in layers[index]]
            label = "Output layer" if index == top else (
                "Hidden layer" if top == 2 else f"Hidden layer {index}")
            table = self.table(f"{label}: deltas (delta = dE/dnet){self.suffix(sample)}", _STAGE_HEADERS, groups,
                               "neurons")
            if table is not None:
                tables.append(table)
        return tables

    def _delta_group(self, sample: SampleTrace, b, output: bool) -> RowGroup:
        """The rows of one neuron's dE/dout, dout/dnet and delta (a NeuronBackward record)."""
        name = b.neuron
        names = [f"dE_{c.neuron}/dout_{name}" for c in b.contributions] + [
            f"dE/dout_{name}", f"dout_{name}/dnet_{name}", f"delta_{name}"]
        values = (("dE/dout", f"dE/dout_{name}", b.dE_dout), ("delta", f"delta_{name}", b.delta))

        def build() -> list[tuple[str, ...]]:
            forward = next(f for f in sample.forward if f.neuron == name)
            target = sample.targets[[e.neuron for e in sample.errors].index(name)] if output else None
            rows = self.backward_rows(b, forward, target, len(sample.errors), add_up(sample.targets))
            note = unused_note(b, forward, self.d)
            if note:  # the dE/dout row: a value the combined delta does not use
                quantity, formula, numbers, value = rows[0]
                rows[0] = (quantity, formula, f"{numbers}  ({note})", value)
            return rows
        n_rows = len(b.contributions) + (2 if b.jacobian_row is not None and not b.combined else 3)
        return RowGroup(name, self.names(sample, *names), values, n_rows, build)

    def backward_rows(self, b, f, target: float | None, n_out: int,
                      target_total: float = 1.0) -> list[tuple[str, ...]]:
        """dE/dout (an output's from the loss with its `target`; a hidden neuron's as the sum of what
        the layer above sends back), dout/dnet and delta of one neuron (a NeuronBackward record);
        `target_total` is Σ_k target_k of the sample (a combined softmax delta uses it)."""
        name = b.neuron
        rows = []
        if target is not None:
            loss = get_loss(self.trace.conventions.loss)
            rows.append((f"dE/dout_{name}",
                         loss.derivative_formula.format(t=f"target_{name}", o=f"out_{name}", n=n_out),
                         loss.derivative_formula.format(t=self.o(target), o=self.o(f.out), n=n_out),
                         self.n(b.dE_dout)))
        else:
            for c in b.contributions:
                rows.append((f"dE_{c.neuron}/dout_{name}", f"delta_{c.neuron}·{c.weight}",
                             f"{self.o(c.delta)}·{self.o(c.weight_value)}", self.n(c.value)))
            rows.append((f"dE/dout_{name}",
                         self.join([f"dE_{c.neuron}/dout_{name}" for c in b.contributions], count="terms"),
                         self.sum_text([c.value for c in b.contributions]), self.n(b.dE_dout)))
        if b.combined:
            return rows + self._combined_delta_rows(b, f, target, n_out, target_total)
        return rows + self._delta_rows(b, f)

    def _combined_delta_rows(self, b, f, target: float, n_out: int, total: float) -> list[tuple[str, ...]]:
        """dout/dnet (the diagonal entry for softmax), and delta in the combined form of the output
        activation and the loss (core/combined.py): the factor form = its simplification = value,
        with the factor form's numbers where they are finite."""
        name = b.neuron
        pair = COMBINED[(f.activation, get_loss(self.trace.conventions.loss).name)]
        rows = []
        if b.jacobian_row is None:
            rows.append(self._delta_rows(b, f)[0])
            factors = f"dE/dout_{name}·dout_{name}/dnet_{name}"
            product = f"{self.o(b.dE_dout)}·{self.o(b.dout_dnet)}"
            finite = math.isfinite(b.dE_dout * b.dout_dnet)
        else:
            factors = f"Σ_k dE/dout_k·dout_k/dnet_{name}"  # (softmax: the Jacobian sum, simplified)
            rows.append((f"dout_{name}/dnet_{name}", f"out_{name}·(1-out_{name})",
                         f"{self.o(f.out)}·(1-{self.o(f.out)})", self.n(b.dout_dnet)))
            product, finite = "", False
        simple = pair.delta_text(f"out_{name}", f"target_{name}", n_out, total, "Σ_k target_k")
        numbers = pair.delta_text(self.o(f.out), self.o(target), n_out, total, self.o(total))
        return rows + [(f"delta_{name}", f"{factors} = {simple}", f"{product} = {numbers}" if finite else numbers,
                        self.n(b.delta))]

    def _delta_rows(self, b, f) -> list[tuple[str, ...]]:
        name = b.neuron
        act = get_activation(f.activation)
        if b.jacobian_row is not None:
            return [(f"delta_{name}", f"Σ_k dE/dout_k · dout_k/dnet_{name}  (softmax Jacobian)",
                     self.join([f"{self.o(j)}" for j in b.jacobian_row], " , ") + "  (dout_k/dnet)",
                     self.n(b.delta))]
        return [
            (f"dout_{name}/dnet_{name}", act.derivative_formula.format(out=f"out_{name}", net=f"net_{name}"),
             act.derivative_formula.format(out=self.o(f.out), net=self.o(f.net)), self.n(b.dout_dnet)),
            (f"delta_{name}", f"dE/dout_{name}·dout_{name}/dnet_{name}",
             f"{self.o(b.dE_dout)}·{self.o(b.dout_dnet)}", self.n(b.delta)),
        ]

    # -- per step -----------------------------------------------------------------------------
    def updates(self) -> list[Table]:
        conv = self.trace.conventions
        lr = fmt(conv.learning_rate, self.d)
        by_layer: dict[str, list[ParameterUpdate]] = {}
        layer_of = {}
        for sample in self.trace.samples[:1]:
            for f in sample.forward:
                layer_of[f.neuron] = f.layer
        top = max(layer_of.values())
        for u in self.trace.updates:
            index = layer_of[u.parts[0].neuron]
            label = "output layer" if index == top else ("hidden layer" if top == 2 else f"hidden layer {index}")
            by_layer.setdefault(label, []).append(u)
        headers = ("parameter", "dE/dp = chain rule", "with the numbers", "dE/dp", "p", f"p+ = p - {lr}·dE/dp")
        tables = []
        for label, updates in by_layer.items():
            groups = [RowGroup(u.name, (u.name, f"dE/d{u.name}", f"{u.name}+"), (("dE/dp", u.name, u.gradient),),
                               1, lambda u=u: [self.update_row(u)]) for u in updates]
            table = self.table(f"Gradients and updates: {label} (η = {lr})", headers, groups, "parameters",
                               largest="dE/dp")
            if table is not None:
                tables.append(table)
        return tables

    def update_row(self, u: ParameterUpdate) -> tuple[str, ...]:
        new = self.n(u.new) if u.updated else f"{self.n(u.new)} (frozen)"
        if u.reduction == "single" and len(u.parts) == 1:
            factors = u.parts[0].factors
            chain = "·".join(f.name for f in factors)
            numbers = "·".join(self.o(f.value) for f in factors)
        elif u.reduction == "single":  # a shared bias: one part per neuron
            chain = self.join([f"delta_{p.neuron}" for p in u.parts], count="terms")
            numbers = self.sum_text([p.value for p in u.parts])
        else:
            what = "Σ_s" if u.reduction == "sum" else f"(1/{len(self.trace.samples)})·Σ_s"
            first = u.parts[0].factors
            chain = f"{what} " + "·".join(f.name for f in first) + "[s]"
            numbers = self.sum_text([p.value for p in u.parts])
            if u.reduction == "mean":
                numbers = f"({numbers})/{len(self.trace.samples)}"
        return (u.name, chain, numbers, self.n(u.gradient), self.n(u.old), new)

    def after(self) -> Table | None:
        groups = []
        for sample, outputs in zip(self.trace.samples, self.trace.outputs_after):
            for name, value in outputs:
                row = (f"out_{name}+{self.tag(sample)}", "forward pass with the updated parameters", "", self.n(value))
                groups.append(RowGroup(row[0], (row[0],), (("out+", row[0], value),), 1, lambda row=row: [row]))
        trace = self.trace
        groups.append(RowGroup("E_total+", ("E_total+",), (), 1, lambda: [
            ("E_total+", "E_total recomputed with the updated parameters", "", self.n(trace.E_total_after))]))
        change = trace.E_total_after - trace.E_total
        groups.append(RowGroup("change", ("change",), (), 1, lambda: [
            ("change", "E_total+ - E_total", f"{self.n(trace.E_total_after)} - {self.o(trace.E_total)}",
             self.n(change))]))
        return self.table("After the update", _STAGE_HEADERS, groups, "rows")
