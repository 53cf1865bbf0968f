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

from ..core.activations import get_activation
from ..core.combined import COMBINED, log_sum_exp
from ..core.losses import get_loss
from ..core.neuron import add_up
from ..core.trace import SampleTrace
from ..messages import said, say
from .elide import RowGroup
from .numbers import fmt
from .stage_tables import STAGE_HEADERS, StageTables, layer_kind, time_step
from .tables import Table


def _source_symbol(name: str) -> str:
    """Inputs are written as they are (i1); other sources by their output (out_h1)."""
    return name if name.startswith("i") else f"out_{name}"


def _substituted(template: str, operand: str, plain: str) -> str:
    """An activation's formula with the number in place of {net}: the operand form ('(-0.61)')
    where the number meets other symbols, the plain one where it stands alone or is a function's
    whole argument already in parentheses (tanh(-0.61), not tanh((-0.61)))."""
    if template == "{net}":
        return plain
    return template.replace("({net})", "(" + plain + ")").format(net=operand)


def unused_note(b, f, digits: int) -> str:
    """For an output whose delta is in combined form and whose dE/dout is not finite: why that is
    harmless (a note for its dE/dout row); '' otherwise."""
    if not b.combined or math.isfinite(b.dE_dout):
        return ""
    return say("out_{name} = {value}: not finite, and not used: delta_{name} is taken directly", name=b.neuron,
               value=fmt(f.out, digits))


class Stages(StageTables):
    """Builds the stage tables of one step (explain.py builds its worked solutions from the same rows);
    `shown` says what they show at size (elide.py)."""

    # -- per sample ---------------------------------------------------------------------------
    def forward(self, sample: SampleTrace) -> Table | None:
        names = self.trace.input_names or [f"i{k}" for k in range(1, len(sample.inputs) + 1)]
        inputs_text = self.join([f"{_source_symbol(name)} = {self.n(v)}" for name, v in zip(names, sample.inputs)],
                                ", ", "inputs")  # h_0 of a recurrent network as out_h1_t0
        groups = [RowGroup(f.neuron, self.names(sample, f"net_{f.neuron}", f"out_{f.neuron}"),
                           (("net", f"net_{f.neuron}", f.net), ("out", f"out_{f.neuron}", f.out)), 2,
                           lambda f=f: self.forward_rows(f))
                  for f in sorted(sample.forward, key=lambda f: time_step(f.neuron))]  # by time step, if any
        return self.table(say("Forward pass{sample} (inputs {inputs})", sample=self.suffix(sample), inputs=inputs_text),
                          said(STAGE_HEADERS), groups, "neurons", sample=self.index(sample))

    def forward_rows(self, f) -> list[tuple[str, ...]]:
        """net and out of one neuron (a NeuronForward record)."""
        if f.terms and f.terms[0].weight == "max":  # a max-pooling neuron: the largest of its window
            rows = [(f"net_{f.neuron}", f"max({self.join([_source_symbol(t.source) for t in f.terms], ', ')})",
                     f"max({self.join([self.o(t.source_value) for t in f.terms], ', ')})", self.n(f.net))]
            return rows + [(f"out_{f.neuron}", f"net_{f.neuron}", self.o(f.net), self.n(f.out))]
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
            numbers_text = _substituted(act.formula, self.o(f.net), self.n(f.net))
        rows.append((f"out_{f.neuron}", formula, numbers_text, self.n(f.out)))
        return rows

    def errors(self, sample: SampleTrace) -> Table | None:
        loss = get_loss(self.trace.conventions.loss)
        if not loss.defined:
            return Table(say("No loss (loss = \"none\"): E is not defined; the backward pass starts from dE/dout = 1 "
                             "at every output{sample}", sample=self.suffix(sample)), (), (), sample=self.index(sample))
        groups = [RowGroup(e.neuron, self.names(sample, f"E_{e.neuron}"), (("E", f"E_{e.neuron}", e.value),), 1,
                           lambda e=e: [self.error_row(sample, e)])
                  for e in sample.errors]
        total = ("E_total", self.join([f"E_{e.neuron}" for e in sample.errors], count="terms"),
                 self.sum_text([e.value for e in sample.errors]), self.n(sample.E_total))
        groups.append(RowGroup("E_total", ("E_total", f"E_total{self.tag(sample)}"), (), 1, lambda: [total]))
        if self.trace.E_decay is not None and sample is self.trace.samples[-1]:
            groups.append(RowGroup("E_decay", ("E_decay",), (), 1, lambda: [self.decay_row()]))
        return self.table(say("Errors ({formula}){sample}", formula=loss.formula, sample=self.suffix(sample)),
                          said(STAGE_HEADERS), groups, "rows", sample=self.index(sample))

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
            suffix = self.suffix(sample)
            kind = layer_kind(layers[index][0].neuron)
            title = (say("Output layer: deltas (delta = dE/dnet){sample}", sample=suffix) if index == top else
                     say("Time step {t}: the output fed back (state units s_t = y_t): deltas (delta = dE/dnet){sample}",
                         t=time_step(layers[index][0].neuron), sample=suffix) if kind == "time" and
                     layers[index][0].neuron.startswith("s") else
                     say("Time step {t}: deltas (delta = dE/dnet){sample}", t=time_step(layers[index][0].neuron),
                         sample=suffix) if kind == "time" else
                     say("Conv layer: deltas (delta = dE/dnet){sample}", sample=suffix) if kind == "conv" else
                     say("Pooling layer: deltas (delta = dE/dnet){sample}", sample=suffix) if kind == "pool" else
                     say("Hidden layer: deltas (delta = dE/dnet){sample}", sample=suffix) if top == 2 else
                     say("Hidden layer {index}: deltas (delta = dE/dnet){sample}", index=index, sample=suffix))
            table = self.table(title, said(STAGE_HEADERS), groups, "neurons", sample=self.index(sample))
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
        if target is not None and b.tolerated:
            tolerance = self.trace.conventions.tolerance
            rows.append((f"dE/dout_{name}", "0   (" + say("|target_{name} - out_{name}| ≤ dmax: within the tolerance",
                                                     name=name) + ")",
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
                rows.append(self.contribution_row(name, c))
            rows.append((f"dE/dout_{name}",
                         self.join([f"dE_{c.neuron}/dout_{name}" for c in b.contributions], count="terms"),
                         self.sum_text([c.value for c in b.contributions]), self.n(b.dE_dout)))
        if b.combined:
            return rows + self._combined_delta_rows(b, f, target, n_out, target_total)
        return rows + self._delta_rows(b, f)

    def contribution_row(self, name: str, c) -> tuple[str, ...]:
        """dE_k/dout_name = delta_k·w: what neuron k above sends back (a max pool: delta_k to the
        input that won its window, 0 to the others)."""
        if c.weight == "max":
            formula = (say("delta_{pool}   (out_{name} is the max of its window)", pool=c.neuron, name=name)
                       if c.weight_value else say("0   (out_{name} is not the max of its window)", name=name))
            return (f"dE_{c.neuron}/dout_{name}", formula, self.o(c.delta) if c.weight_value else "0",
                    self.n(c.value))
        return (f"dE_{c.neuron}/dout_{name}", f"delta_{c.neuron}·{c.weight}",
                f"{self.o(c.delta)}·{self.o(c.weight_value)}", self.n(c.value))

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
            return [(f"delta_{name}", f"Σ_k dE/dout_k · dout_k/dnet_{name}  ({say('softmax Jacobian')})",
                     self.join([f"{self.o(j)}" for j in b.jacobian_row], " , ") + "  (dout_k/dnet)",
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
        groups = [self.input_group(sample, g) for g in sample.input_gradients]
        if not groups:
            return None
        return self.table(say("Inputs: dE/dout (the gradient with respect to each input){sample}",
                              sample=self.suffix(sample)), said(STAGE_HEADERS), groups, "inputs",
                          sample=self.index(sample))

    def input_group(self, sample: SampleTrace, g) -> RowGroup:
        """The rows of one input's dE/dout (an InputGradient record): what each neuron above sends
        back, and their sum."""
        name = g.neuron
        names = [f"dE_{t}/dout_{name}" for t in g.targets] + [f"dE/dout_{name}"]

        def build() -> list[tuple[str, ...]]:
            rows = [(f"dE_{c.neuron}/dout_{name}", f"delta_{c.neuron}·{c.weight}",
                     f"{self.o(c.delta)}·{self.o(c.weight_value)}", self.n(c.value)) for c in g.contributions]
            rows.append((f"dE/dout_{name}", self.join([f"dE_{t}/dout_{name}" for t in g.targets], count="terms"),
                         self.sum_text(g.values), self.n(g.dE_dout)))
            return rows
        return RowGroup(name, self.names(sample, *names), (("dE/dout", f"dE/dout_{name}", g.dE_dout),),
                        len(g.targets) + 1, build)
