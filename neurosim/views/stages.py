"""The rows of each stage of one step, in the order a person works the example by hand: forward
pass, errors, output-layer deltas, hidden-layer deltas, gradients and updates, and the values after
the update. Each row shows a quantity, its formula, the formula with the numbers substituted, and
the value. report.py makes the stage tables of them; explain.py its worked solutions.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..core.activations import get_activation
from ..core.losses import get_loss
from ..core.trace import ParameterUpdate, SampleTrace, StepTrace
from .numbers import fmt, fmt_operand
from .rule_rows import rule_tables
from .tables import Table

MAX_TERMS = 8  # longer weighted sums are shortened with "…" in the formula columns

_STAGE_HEADERS = ("quantity", "formula", "with the numbers", "value")


def _source_symbol(name: str) -> str:
    """Inputs are written as they are (i1); other sources by their output (out_h1)."""
    return name if name.startswith("i") else f"out_{name}"


def _join_terms(terms: Sequence[str], joiner: str = " + ") -> str:
    if len(terms) > MAX_TERMS:
        terms = [*terms[:3], "…", *terms[-2:]]
    return joiner.join(terms)


def _sum_text(values: Sequence[float], digits: int) -> str:
    if not values:
        return "0"
    return _join_terms([fmt(values[0], digits)] + [fmt_operand(v, digits) for v in values[1:]])


class Stages:
    """Builds the stage tables of one step (explain.py builds its worked solutions from the same rows)."""

    def __init__(self, trace: StepTrace, digits: int):
        self.trace = trace
        self.d = digits
        self.batch = len(trace.samples) > 1

    def n(self, value: float) -> str:
        return fmt(value, self.d)

    def o(self, value: float) -> str:
        return fmt_operand(value, self.d)

    def tag(self, sample: SampleTrace) -> str:
        return f"[{sample.index}]" if self.batch else ""

    def suffix(self, sample: SampleTrace) -> str:
        return f" — sample {sample.index} of {len(self.trace.samples)}" if self.batch else ""

    # -- per sample ---------------------------------------------------------------------------
    def forward(self, sample: SampleTrace) -> Table:
        rows = []
        inputs = {f"i{k}": v for k, v in enumerate(sample.inputs, start=1)}
        inputs_text = ", ".join(f"{k} = {self.n(v)}" for k, v in inputs.items())
        for f in sample.forward:
            rows += self.forward_rows(f)
        return Table(f"Forward pass{self.suffix(sample)} (inputs {inputs_text})", _STAGE_HEADERS, tuple(rows))

    def forward_rows(self, f) -> list[tuple[str, ...]]:
        """net and out of one neuron (a NeuronForward record)."""
        symbols = [f"{t.weight}·{_source_symbol(t.source)}" for t in f.terms]
        numbers = [f"{self.o(t.weight_value)}·{self.o(t.source_value)}" for t in f.terms]
        if f.bias is not None:
            symbols.append(f.bias)
            numbers.append(self.o(f.bias_value))
        rows = [(f"net_{f.neuron}", _join_terms(symbols), _join_terms(numbers), self.n(f.net))]
        act = get_activation(f.activation)
        if act.layer_level:
            formula = f"e^net_{f.neuron} / Σ_k e^net_k"
            numbers_text = f"e^{self.o(f.net)} / Σ_k e^net_k"
        else:
            formula = act.formula.format(net=f"net_{f.neuron}")
            numbers_text = act.formula.format(net=self.o(f.net))
        rows.append((f"out_{f.neuron}", formula, numbers_text, self.n(f.out)))
        return rows

    def errors(self, sample: SampleTrace) -> Table:
        loss = get_loss(self.trace.conventions.loss)
        if not loss.defined:
            return Table(f"No loss (loss = \"none\"): E is not defined; the backward pass starts from "
                         f"dE/dout = 1 at every output{self.suffix(sample)}", (), ())
        n_out = len(sample.errors)
        rows = []
        for e in sample.errors:
            formula = loss.term_formula.format(t=f"target_{e.neuron}", o=f"out_{e.neuron}", n=n_out)
            numbers = loss.term_formula.format(t=self.o(e.target), o=self.o(e.out), n=n_out)
            rows.append((f"E_{e.neuron}", formula, numbers, self.n(e.value)))
        rows.append(("E_total", " + ".join(f"E_{e.neuron}" for e in sample.errors),
                     _sum_text([e.value for e in sample.errors], self.d), self.n(sample.E_total)))
        if self.trace.E_decay is not None and sample is self.trace.samples[-1]:
            rows.append(self.decay_row())
        return Table(f"Errors ({loss.formula}){self.suffix(sample)}", _STAGE_HEADERS, tuple(rows))

    def decay_row(self) -> tuple[str, ...]:
        """E_decay = λ/2·Σp²: the L2 term coupled weight decay descends (shown, not added to E_total)."""
        rule = self.trace.conventions.rule
        decayed = sorted((u for u in self.trace.updates if any(r.name == f"grad_{u.name}" for r in u.rule)),
                         key=lambda u: (u.kind != "weight", len(u.name), u.name))  # w1 … w8, then the biases
        symbols = _join_terms([f"{u.name}²" for u in decayed])
        numbers = _join_terms([f"{self.o(u.old)}²" for u in decayed])
        lam = self.o(rule.get("weight_decay"))
        return ("E_decay", f"λ/2·({symbols})   (weight decay; not in E_total)", f"{lam}/2·({numbers})",
                self.n(self.trace.E_decay))

    def deltas(self, sample: SampleTrace) -> list[Table]:
        layers: dict[int, list] = {}
        for b in sample.backward:
            layers.setdefault(b.layer, []).append(b)
        forward = {f.neuron: f for f in sample.forward}
        targets = dict(zip([e.neuron for e in sample.errors], sample.targets))
        n_out = len(sample.errors)
        top = max(layers)
        tables = []
        for index in sorted(layers, reverse=True):
            rows = []
            for b in layers[index]:
                rows += self.backward_rows(b, forward[b.neuron], targets.get(b.neuron) if index == top else None,
                                           n_out)
            label = "Output layer" if index == top else (
                "Hidden layer" if top == 2 else f"Hidden layer {index}")
            tables.append(Table(f"{label}: deltas (delta = dE/dnet){self.suffix(sample)}",
                                _STAGE_HEADERS, tuple(rows)))
        return tables

    def backward_rows(self, b, f, target: float | None, n_out: int) -> list[tuple[str, ...]]:
        """dE/dout (an output's from the loss with its `target`; a hidden neuron's as the sum of what
        the layer above sends back), dout/dnet and delta of one neuron (a NeuronBackward record)."""
        name = b.neuron
        rows = []
        if target is not None and b.tolerated:
            tolerance = self.trace.conventions.tolerance
            rows.append((f"dE/dout_{name}", f"0   (|target_{name} - out_{name}| ≤ dmax: within the tolerance)",
                         f"|{self.o(target)} - {self.o(f.out)}| = {self.n(abs(target - f.out))} ≤ {self.n(tolerance)}",
                         self.n(b.dE_dout)))
        elif target is not None:
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
                         _join_terms([f"dE_{c.neuron}/dout_{name}" for c in b.contributions]),
                         _sum_text([c.value for c in b.contributions], self.d), self.n(b.dE_dout)))
        return rows + self._delta_rows(b, f)

    def _delta_rows(self, b, f) -> list[tuple[str, ...]]:
        name = b.neuron
        act = get_activation(f.activation)
        if b.jacobian_row is not None:
            return [(f"delta_{name}", f"Σ_k dE/dout_k · dout_k/dnet_{name}  (softmax Jacobian)",
                     _join_terms([f"{self.o(j)}" for j in b.jacobian_row], " , ") + "  (dout_k/dnet)",
                     self.n(b.delta))]
        flat = (" + c", f" + {self.o(b.flat_spot)}") if b.flat_spot else ("", "")  # flat-spot elimination
        return [
            (f"dout_{name}/dnet_{name}", act.derivative_formula.format(out=f"out_{name}", net=f"net_{name}") + flat[0],
             act.derivative_formula.format(out=self.o(f.out), net=self.o(f.net)) + flat[1], self.n(b.dout_dnet)),
            (f"delta_{name}", f"dE/dout_{name}·dout_{name}/dnet_{name}",
             f"{self.o(b.dE_dout)}·{self.o(b.dout_dnet)}", self.n(b.delta)),
        ]

    def input_gradients(self, sample: SampleTrace) -> Table | None:
        """dE/dout of every input (dL/dx): the sum of what the first hidden layer sends back."""
        rows = []
        for g in sample.input_gradients:
            for c in g.contributions:
                rows.append((f"dE_{c.neuron}/dout_{g.neuron}", f"delta_{c.neuron}·{c.weight}",
                             f"{self.o(c.delta)}·{self.o(c.weight_value)}", self.n(c.value)))
            terms = [f"dE_{c.neuron}/dout_{g.neuron}" for c in g.contributions]
            rows.append((f"dE/dout_{g.neuron}", _join_terms(terms),
                         _sum_text([c.value for c in g.contributions], self.d), self.n(g.dE_dout)))
        if not rows:
            return None
        return Table(f"Inputs: dE/dout (the gradient with respect to each input){self.suffix(sample)}",
                     _STAGE_HEADERS, tuple(rows))

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
        plain = conv.rule.plain
        last = f"p+ = p - {lr}·dE/dp" if plain else "p+ = p + Δp (the learning rule's rows below)"
        headers = ("parameter", "dE/dp = chain rule", "with the numbers", "dE/dp", "p", last)
        tables = []
        for label, updates in by_layer.items():
            rows = [self.update_row(u) for u in updates]
            tables.append(Table(f"Gradients and updates: {label} (η = {lr})", headers, tuple(rows)))
        labels = {u.name: label for label, updates in by_layer.items() for u in updates}
        return tables + rule_tables(self.trace, self.d, labels)

    def update_row(self, u: ParameterUpdate) -> tuple[str, ...]:
        new = self.n(u.new) if u.updated else f"{self.n(u.new)} (frozen)"
        if u.reduction == "single" and len(u.parts) == 1:
            factors = u.parts[0].factors
            chain = "·".join(f.name for f in factors)
            numbers = "·".join(self.o(f.value) for f in factors)
        elif u.reduction == "single":  # a shared bias: one part per neuron
            chain = " + ".join(f"delta_{p.neuron}" for p in u.parts)
            numbers = _sum_text([p.value for p in u.parts], self.d)
        else:
            what = "Σ_s" if u.reduction == "sum" else f"(1/{len(self.trace.samples)})·Σ_s"
            first = u.parts[0].factors
            chain = f"{what} " + "·".join(f.name for f in first) + "[s]"
            numbers = _sum_text([p.value for p in u.parts], self.d)
            if u.reduction == "mean":
                numbers = f"({numbers})/{len(self.trace.samples)}"
        return (u.name, chain, numbers, self.n(u.gradient), self.n(u.old), new)

    def after(self) -> Table:
        rows = []
        for sample, outputs in zip(self.trace.samples, self.trace.outputs_after):
            for name, value in outputs:
                rows.append((f"out_{name}+{self.tag(sample)}", "forward pass with the updated parameters",
                             "", self.n(value)))
        if not self.trace.has_loss:
            return Table("After the update", _STAGE_HEADERS, tuple(rows))
        rows.append(("E_total+", "E_total recomputed with the updated parameters", "",
                     self.n(self.trace.E_total_after)))
        change = self.trace.E_total_after - self.trace.E_total
        rows.append(("change", "E_total+ - E_total",
                     f"{self.n(self.trace.E_total_after)} - {self.o(self.trace.E_total)}", self.n(change)))
        return Table("After the update", _STAGE_HEADERS, tuple(rows))
