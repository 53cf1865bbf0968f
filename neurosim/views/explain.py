"""Worked solutions: one training step written out as Mazur's post does, in Markdown, LaTeX or HTML.

Order (Mazur's): the conventions and the given values (explain_setup.py); the forward pass, layer
by layer; the total error; then the backward pass, output layer first and down through every
hidden layer — for each layer its neurons' deltas, then each weight's and bias's gradient and
update. Every value is written as

    name = symbolic formula = the numbers substituted = result

using the same rows as the trace tables (stages.Stages) and the same formula templates
(activations.py, losses.py); mathtext.py turns the formula text into LaTeX or HTML.

The document is built once as a list of blocks (document.py) and then rendered (render_markdown.py,
render_latex.py, render_html.py); nothing here runs the network except `explain_document`, which
traces the step.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from ..core.exercise import Spec
from ..core.notation import name_map
from ..core.trace import NeuronBackward, ParameterUpdate, SampleTrace, StepTrace
from ..engines.runner import RunPlan, iterate_run
from ..errors import NeurosimError
from ..messages import say
from .document import Block, Document, Equation, Equations, Heading, M, Paragraph, T, sentence
from .elide import ELIDED, ELIDED_AT_SIZE, NO_QUANTITY, RowGroup, Shown, choose, refuse_unmatched, summary_note
from .equation_lines import split_terms
from .explain_setup import conventions_section, given_section, layer_label, parameter_grid, top_layer
from .notation_view import NotationView
from .numbers import DEFAULT_DIGITS, fmt, fmt_operand
from .render_html import render_html
from .render_latex import render_latex
from .render_markdown import render_markdown
from .rule_rows import parameter_rows, shows_rule
from .stages import Stages, unused_note

EXPLAIN_FORMATS = ("markdown", "latex", "html")
HEADING_NAMES = 20  # a heading lists up to this many neuron names, else the first and last ones
_COUNT = re.compile(r"  \(([\d,]+ [^\s()]+)\)$")  # the count of an elided sum (elide.join_terms: '(785 terms)')
RENDERERS = {"markdown": render_markdown, "latex": render_latex, "html": render_html}

__all__ = ["EXPLAIN_FORMATS", "RENDERERS", "build_document", "explain_document", "split_terms", "trace_for"]


def _equation(row: Sequence[str], note: str = "") -> Equation:
    """An equation of a stage-table row; an elided sum's term count goes to the note."""
    name, formula, numbers, value = row[:4]
    counted = _COUNT.search(formula)
    if counted:
        formula, note = formula[:counted.start()], note or counted.group(1)
    return Equation(name, formula, numbers, value, note)


class _Builder:
    """Collects the blocks of one step's worked solution, section by section."""

    def __init__(self, spec: Spec, trace: StepTrace, digits: int, shown: Shown = ELIDED_AT_SIZE):
        self.spec = spec
        self.trace = trace
        self.conv = trace.conventions
        self.shown = shown
        self.stages = Stages(trace, digits, shown)
        self.d = digits
        self.sources = {t.weight: t.source for f in trace.samples[0].forward for t in f.terms}
        self.first = trace.samples[0]
        self.layer_of = {f.neuron: f.layer for f in self.first.forward}
        self.top = top_layer(self.first)
        self.batch = len(trace.samples) > 1
        self.blocks: list[Block] = []

    def add(self, block: Block) -> None:
        self.blocks.append(block)

    def add_groups(self, groups: list[RowGroup], what: str, largest: str | None = None) -> None:
        """The blocks of the groups `shown` wants; at size the first and last ones, and a paragraph
        summarising the ones left out (elide.py)."""
        groups = [g for g in groups if self.shown.wants(g.names)]
        head, hidden, tail = choose(groups, self.shown)
        for group in head:
            self.blocks += group.build()
        if hidden:
            self.add(Paragraph((T(f"{ELIDED} {summary_note(groups, hidden, what, largest)}"),)))
        for group in tail:
            self.blocks += group.build()

    def n(self, value: float) -> str:
        return fmt(value, self.d)

    def o(self, value: float) -> str:
        return fmt_operand(value, self.d)

    def build(self) -> Document:
        trace = self.trace
        title = say("Worked solution: {title} — step {step}", title=trace.title, step=trace.step)
        if self.spec.description:
            self.add(Paragraph((T(self.spec.description),)))
        self.blocks += conventions_section(trace, self.stages, self.d)
        self.blocks += given_section(trace, self.d, self.shown)
        self.add(Heading(2, say("1. The forward pass")))
        for sample in trace.samples:
            self.forward(sample)
        if trace.has_loss:
            self.add(Heading(2, say("2. The total error")))
            self.errors()
        else:
            self.add(Heading(2, say("2. No loss")))
            self.add(Paragraph(sentence(say("With loss none there is no error E: the backward pass starts from "
                                            "{one} at every output."), one="dE/dout = 1")))
        for number, index in enumerate(range(self.top, 0, -1), start=3):
            label = layer_label(index, self.top, self.layer_of)
            self.add(Heading(2, say("{number}. The backward pass: {layer}", number=number, layer=label)))
            self.backward(index)
        self.add(Heading(2, say("{number}. After the update", number=self.top + 3)))
        self.after()
        return Document(title, tuple(self.blocks))

    def forward(self, sample: SampleTrace) -> None:
        """net and out of every neuron of `sample`, layer by layer."""
        if self.batch:
            self.add(Heading(3, say("Sample {index}", index=sample.index), sample.index))
        by_layer: dict[int, list] = {}
        for f in sample.forward:
            by_layer.setdefault(f.layer, []).append(f)
        level = 4 if self.batch else 3
        for index, records in by_layer.items():
            names = self.stages.join([f.neuron for f in records], ", ", "neurons", limit=HEADING_NAMES)
            self.add(Heading(level, say("{layer} ({neurons})", layer=layer_label(index, self.top).capitalize(),
                                        neurons=names)))
            if index == 1 and not self.batch:
                self.add(Paragraph((T(say("Each neuron adds up its weighted inputs and the bias, then applies its "
                                          "activation.")),)))
            self.add_groups([RowGroup(f.neuron, self.stages.names(sample, f"net_{f.neuron}", f"out_{f.neuron}"),
                                      (("net", f"net_{f.neuron}", f.net), ("out", f"out_{f.neuron}", f.out)), 1,
                                      lambda f=f: [Equations(tuple(map(_equation, self.stages.forward_rows(f))))])
                             for f in records], "neurons")

    def errors(self) -> None:
        """Each output's error and E_total (per sample, then over the batch)."""
        for sample in self.trace.samples:
            if self.batch:
                self.add(Heading(3, say("Sample {index}", index=sample.index), sample.index))
            rows = self.stages.errors(sample).rows if self.stages.errors(sample) is not None else ()
            self.add(Equations(tuple(_equation(row) for row in rows if row[0] != ELIDED)))
        if self.batch:
            values = [s.E_total for s in self.trace.samples]
            total = self.stages.join([f"E_total[{s.index}]" for s in self.trace.samples], count="terms")
            numbers = self.stages.sum_text(values)
            if self.conv.mode == "batch-mean":
                total, numbers = f"({total})/{len(values)}", f"({numbers})/{len(values)}"
            self.add(Paragraph((T(say("Over the batch:")),)))
            self.add(Equations((Equation("E_total", total, numbers, self.n(self.trace.E_total)),)))

    def backward(self, index: int) -> None:
        """One layer of the backward pass: each neuron's delta (sample by sample in a batch), then the
        gradient and update of every weight and bias that feeds the layer."""
        level = 3
        if index != self.top and self.conv.order == "sequential":
            self.add(Paragraph((T(say("Sequential update: the weights of the layer above were already updated, so the "
                                      "values sent back below use the new weights.")),)))
        if index == self.top - 1 and not self.batch:
            self.add(Paragraph(sentence(say("A hidden neuron's output reaches the error through every neuron above it, "
                                            "so its {dE_dout} is the sum of what each of them sends back."),
                                        dE_dout="dE/dout")))
        for sample in self.trace.samples:
            if self.batch:
                self.add(Heading(level, say("Deltas, sample {index}", index=sample.index), sample.index))
            self.add_groups([self.delta_group(sample, b) for b in sample.backward if b.layer == index], "neurons")
            if index == 1:
                self.inputs(sample, level)
        self.add(Heading(level, say("Weights and biases")))
        self.add_groups([RowGroup(u.name, (u.name, f"dE/d{u.name}", f"{u.name}+"), (("dE/dp", u.name, u.gradient),),
                                  1, lambda u=u: [Equations(tuple(self.update_equations(u)))])
                         for u in self.trace.updates if self.layer_of[u.parts[0].neuron] == index],
                        "parameters", largest="dE/dp")

    def delta_group(self, sample: SampleTrace, b: NeuronBackward) -> RowGroup:
        """The blocks of one neuron's delta (a heading online, its equations)."""
        name = b.neuron
        names = [f"dE_{c.neuron}/dout_{name}" for c in b.contributions] + [
            f"dE/dout_{name}", f"dout_{name}/dnet_{name}", f"delta_{name}"]

        def build() -> list[Block]:
            heading = [] if self.batch else [Heading(3, say("Neuron {name}", name=name))]
            return heading + [Equations(tuple(self.delta_equations(sample, b)))]
        return RowGroup(name, self.stages.names(sample, *names),
                        (("dE/dout", f"dE/dout_{name}", b.dE_dout), ("delta", f"delta_{name}", b.delta)),
                        1, build)

    def inputs(self, sample: SampleTrace, level: int) -> None:
        """dE/dout of every input (dL/dx), when the layer above the inputs is done: one block of
        equations; at size the first and last inputs' and a paragraph summarising the others."""
        groups = [self.stages.input_group(sample, g) for g in sample.input_gradients]
        groups = [g for g in groups if self.shown.wants(g.names)]
        if not groups:
            return
        self.add(Heading(level, say("The inputs (the gradient with respect to each input)")))
        head, hidden, tail = choose(groups, self.shown)
        self.add(Equations(tuple(_equation(row) for g in head for row in g.build())))
        if hidden:
            self.add(Paragraph((T(f"{ELIDED} {summary_note(groups, hidden, 'inputs', None)}"),)))
            self.add(Equations(tuple(_equation(row) for g in tail for row in g.build())))

    def delta_equations(self, sample: SampleTrace, b: NeuronBackward) -> list[Equation]:
        """dE/dout, dout/dnet and delta of one neuron in `sample` (the rows of its stage table)."""
        forward = {f.neuron: f for f in sample.forward}
        target = {e.neuron: e.target for e in sample.errors}.get(b.neuron) if b.layer == self.top else None
        rows = self.stages.backward_rows(b, forward[b.neuron], target, len(self.first.errors),
                                         sum(sample.targets))
        equations = [_equation(row) for row in rows]
        note = unused_note(b, forward[b.neuron], self.d)
        if note:
            equations[0] = attrs.evolve(equations[0], note=note)
        if self.conv.order == "sequential":  # the layer above sends back through its new weights
            equations = [attrs.evolve(eq, formula=f"{eq.formula}+") if eq.lhs.startswith("dE_") else eq
                         for eq in equations]
        if b.jacobian_row is not None and not b.combined:  # softmax: write the Jacobian column and the sum out
            layer = [r for r in sample.backward if r.layer == b.layer]
            equations[-1:] = self.softmax_delta(b, layer, forward)
        return equations

    def softmax_delta(self, b: NeuronBackward, layer: list[NeuronBackward], forward: dict) -> list[Equation]:
        """delta_j = Σ_k dE/dout_k·dout_k/dnet_j with dout_k/dnet_j = out_k·(δ_kj - out_j)."""
        j = b.neuron
        equations = []
        for other, value in zip(layer, b.jacobian_row):
            k = other.neuron
            if k == j:
                formula, numbers = f"out_{j}·(1-out_{j})", f"{self.o(forward[j].out)}·(1-{self.o(forward[j].out)})"
            else:
                formula, numbers = f"-out_{k}·out_{j}", f"-{self.o(forward[k].out)}·{self.o(forward[j].out)}"
            equations.append(Equation(f"dout_{k}/dnet_{j}", formula, numbers, self.n(value)))
        symbols = self.stages.join([f"dE/dout_{o.neuron}·dout_{o.neuron}/dnet_{j}" for o in layer], count="terms")
        numbers = self.stages.join([f"{self.o(o.dE_dout)}·{self.o(v)}" for o, v in zip(layer, b.jacobian_row)])
        equations.append(Equation(f"delta_{j}", symbols, numbers, self.n(b.delta)))
        return equations

    def update_equations(self, u: ParameterUpdate) -> list[Equation]:
        """The last chain-rule factor (online), dE/dp as its chain-rule product, and p+ = p - η·dE/dp."""
        equations = []
        sources = self.sources
        if not self.batch and len(u.parts) == 1:
            last = u.parts[0].factors[-1]
            symbol = "1" if u.kind == "bias" else (
                sources[u.name] if sources[u.name].startswith("i") else f"out_{sources[u.name]}")
            equations.append(Equation(last.name, symbol, "", self.n(last.value)))
        row = self.stages.update_row(u)
        equations.append(Equation(f"dE/d{u.name}", row[1], row[2], row[3]))
        lr = fmt(self.conv.learning_rate, self.d)
        if shows_rule(self.trace):  # the learning rule's quantities, then p+ = p + Δp
            for name, formula, numbers, value in parameter_rows(u, self.d):
                formula, _, note = formula.partition("   (")
                equations.append(Equation(name, formula, numbers, value, note.rstrip(")")))
        elif u.updated:
            equations.append(Equation(f"{u.name}+", f"{u.name} - η·dE/d{u.name}",
                                      f"{self.o(u.old)} - {lr}·{self.o(u.gradient)}", self.n(u.new)))
        else:
            equations.append(Equation(f"{u.name}+", u.name, "", self.n(u.new), say("frozen")))
        return equations

    def after(self) -> None:
        """The parameters before and after, the outputs and E_total recomputed with the new ones."""
        trace = self.trace
        self.add(Paragraph((T(say("The new values, and the outputs and the error recomputed with them (a forward pass "
                                  "with the updated parameters):")),)))
        self.add(parameter_grid((say("parameter"), say("before"), say("after")), trace, self.shown,
                                lambda u: ((M(u.name),), (T(self.n(u.old)),), (T(self.n(u.new)),))))
        equations = [Equation(f"out_{name}+" + (f"[{sample.index}]" if self.batch else ""), "", "", self.n(value))
                     for sample, outputs in zip(trace.samples, trace.outputs_after) for name, value in outputs]
        if not trace.has_loss:
            self.add(Equations(tuple(equations)))
            return
        equations.append(Equation("E_total+", "", "", self.n(trace.E_total_after)))
        change = trace.E_total_after - trace.E_total
        equations.append(Equation("E_total+ - E_total", "", f"{self.n(trace.E_total_after)} - {self.o(trace.E_total)}",
                                  self.n(change)))
        self.add(Equations(tuple(equations)))
        by = fmt(abs(change), self.d)
        text = (say("The error fell by {value} in this step.", value=by) if change < 0 else
                say("The error rose by {value} in this step.", value=by) if change > 0 else
                say("The error did not change by {value} in this step.", value=by))
        self.add(Paragraph((T(text),)))


def build_document(spec: Spec, trace: StepTrace, digits: int = DEFAULT_DIGITS,
                   shown: Shown = ELIDED_AT_SIZE) -> Document:
    """The worked solution of `trace` (a step of `spec`) as a format-neutral Document; `shown` says
    what it writes out at size (elide.py: long sums and lists elided, --full, --only)."""
    return _Builder(spec, trace, digits, shown).build()


def trace_for(spec: Spec, step: int = 1) -> StepTrace:
    """The StepTrace of step `step` of `spec` (the steps before it are run without records)."""
    if step < 1:
        raise NeurosimError(f"step: must be at least 1, got {step}")
    for record in iterate_run(spec, RunPlan(step, frozenset({step}), step + 1)):
        if isinstance(record, StepTrace):
            return record
    raise AssertionError("iterate_run did not trace the requested step")


def explain_document(spec: Spec, fmt_name: str = "markdown", *, step: int = 1,
                     digits: int = DEFAULT_DIGITS, shown: Shown = ELIDED_AT_SIZE) -> str:
    """The worked solution of step `step` of `spec` as Markdown, LaTeX or HTML text."""
    if fmt_name not in EXPLAIN_FORMATS:
        raise NeurosimError(f"format: unknown '{fmt_name}' (choose from {', '.join(EXPLAIN_FORMATS)})")
    trace = trace_for(spec, step)
    refuse_unmatched(shown, trace.quantities() if shown.only else (), NO_QUANTITY, step=step)  # not empty
    document = build_document(spec, trace, digits, shown)
    names = name_map(spec)
    if spec.names:
        names.reverse(trace.quantities())  # the [names] aliases must name quantities of the step
    if not names.identity:
        document = NotationView(names, trace, digits, (spec.description,)).document(document)
    return RENDERERS[fmt_name](document)
