"""Worked solutions: one training step written out as Mazur's post does, in Markdown, LaTeX or HTML.

Order (Mazur's): the conventions and the given values; the forward pass, layer by layer; the total
error; then the backward pass, output layer first and down through every hidden layer — for each
layer its neurons' deltas, then each weight's and bias's gradient and update. Every value is
written as

    name = symbolic formula = the numbers substituted = result

using the same rows as the trace tables (stages.Stages) and the same formula templates
(activations.py, losses.py); mathtext.py turns the formula text into LaTeX or HTML.

The document is built once as a list of blocks (Heading, Paragraph, Bullets, Grid, Equations)
and then rendered; nothing here runs the network except `explain_document`, which traces the step.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Sequence

import attrs

from ..core.activations import get_activation
from ..errors import NeurosimError
from ..core.losses import get_loss
from .mathtext import to_html, to_latex
from .numbers import DEFAULT_DIGITS, fmt, fmt_operand
from .stages import Stages
from ..engines.runner import RunPlan, iterate_run
from ..core.exercise import Spec
from ..core.trace import NeuronBackward, ParameterUpdate, SampleTrace, StepTrace

EXPLAIN_FORMATS = ("markdown", "latex", "html")
WRAP = 72  # a formula wider than this (see _width) is written over several lines

# -- the document model ---------------------------------------------------------------------------
# Inline text is a tuple of (kind, text) parts: kind "text" (prose) or "math" (formula text).
Inline = tuple[tuple[str, str], ...]


def T(text: str) -> tuple[str, str]:
    return ("text", text)


def M(text: str) -> tuple[str, str]:
    return ("math", text)


@attrs.frozen
class Heading:
    level: int
    text: str


@attrs.frozen
class Paragraph:
    parts: Inline


@attrs.frozen
class Bullets:
    items: tuple[Inline, ...]


@attrs.frozen
class Grid:
    """A small table; every cell is inline text."""

    headers: tuple[str, ...]
    rows: tuple[tuple[Inline, ...], ...]


@attrs.frozen
class Equation:
    """lhs = formula = numbers = value (formula or numbers may be empty when they add nothing)."""

    lhs: str
    formula: str
    numbers: str
    value: str
    note: str = ""


@attrs.frozen
class Equations:
    items: tuple[Equation, ...]


Block = Heading | Paragraph | Bullets | Grid | Equations


@attrs.frozen
class Document:
    title: str
    blocks: tuple[Block, ...]


# -- building -------------------------------------------------------------------------------------
def _equation(row: Sequence[str], note: str = "") -> Equation:
    name, formula, numbers, value = row[:4]
    return Equation(name, formula, numbers, value, note)


def _layer_label(index: int, top: int) -> str:
    if index == top:
        return "output layer"
    return "hidden layer" if top == 2 else f"hidden layer {index}"


class _Builder:
    def __init__(self, spec: Spec, trace: StepTrace, digits: int):
        self.spec = spec
        self.trace = trace
        self.conv = trace.conventions
        self.stages = Stages(trace, digits)
        self.d = digits
        self.first = trace.samples[0]
        self.layer_of = {f.neuron: f.layer for f in self.first.forward}
        self.top = max(self.layer_of.values())
        self.batch = len(trace.samples) > 1
        self.blocks: list[Block] = []

    def add(self, block: Block) -> None:
        self.blocks.append(block)

    def n(self, value: float) -> str:
        return fmt(value, self.d)

    def o(self, value: float) -> str:
        return fmt_operand(value, self.d)

    # -- the parts --------------------------------------------------------------------------------
    def build(self) -> Document:
        trace = self.trace
        title = f"Worked solution: {trace.title} — step {trace.step}"
        if self.spec.description:
            self.add(Paragraph((T(self.spec.description),)))
        self.conventions()
        self.given()
        self.add(Heading(2, "1. The forward pass"))
        for sample in trace.samples:
            self.forward(sample)
        self.add(Heading(2, "2. The total error"))
        self.errors()
        for number, index in enumerate(range(self.top, 0, -1), start=3):
            label = _layer_label(index, self.top)
            self.add(Heading(2, f"{number}. The backward pass: {label}"))
            self.backward(index)
        self.add(Heading(2, f"{self.top + 3}. After the update"))
        self.after()
        return Document(title, tuple(self.blocks))

    def conventions(self) -> None:
        conv, trace = self.conv, self.trace
        loss = get_loss(conv.loss)
        self.add(Heading(2, "Conventions"))
        first = self.first.forward[0]
        net_row = self.stages.forward_rows(first)[0]
        items = [(T(f"Network {trace.network_shape}. A neuron's net input is its weighted inputs plus its "
                    "bias, its output the activation of that: "),
                  M(f"{net_row[0]} = {net_row[1]}"), T(", "), M(f"out_{first.neuron} = f(net_{first.neuron})"),
                  T(". Weights are numbered layer by layer, for each neuron its incoming connections in order "
                    "(see the table below)."))]
        seen = []
        for index, name in enumerate(trace.activations, start=1):
            if name in seen:
                continue
            seen.append(name)
            act = get_activation(name)
            layers = [_layer_label(i, self.top) for i, a in enumerate(trace.activations, start=1) if a == name]
            if act.layer_level:
                items.append((T(f"Activation {name} ({', '.join(layers)}): "),
                              M("out_j = e^net_j / Σ_k e^net_k"), T(", and "),
                              M("delta_j = Σ_k dE/dout_k·dout_k/dnet_j"),
                              T(" with dout_k/dnet_j = out_k·(δ_kj − out_j).")))
            else:
                items.append((T(f"Activation {name} ({', '.join(layers)}): "),
                              M("out = " + act.formula.format(net="net")), T(", with derivative "),
                              M("dout/dnet = " + act.derivative_formula.format(net="net", out="out")), T(".")))
        outputs = [e.neuron for e in self.first.errors]
        shares = [T(" (each output's share: ")] + [p for k, name in enumerate(outputs)
                                                   for p in ([T(", ")] if k else []) + [M(f"E_{name}")]] + [T(")")]
        batch = {"batch-sum": "; summed over the batch.", "batch-mean": "; averaged over the batch."}
        items.append((T(f"Loss {loss.name}: "), M(loss.formula), *(shares if len(outputs) > 1 else []),
                      T(batch.get(conv.mode, "."))))
        items.append(self.chain_rule_item())
        items.append((T("Update: "), M(f"w+ = w - η·dE/dw"), T(" with learning rate "),
                      M(f"η = {fmt(conv.learning_rate, self.d)}"), T(".")))
        if trace.bias_mode == "none":
            items.append((T("No biases."),))
        else:
            kind = ("one bias per layer, shared by its neurons (b1, b2, …)" if trace.bias_mode == "shared"
                    else "one bias per neuron (b_h1, …, b_o1, …)")
            state = "updated like the weights" if conv.update_biases else "frozen (not updated), as in Mazur's post"
            items.append((T(f"Biases: {kind}; {state}."),))
        if conv.order == "simultaneous":
            items.append((T("Simultaneous update: every gradient is computed from the weights before the "
                            "update; the new values are used from the next step on."),))
        else:
            items.append((T("Sequential update: a layer's weights are updated before the layer below computes "
                            "its deltas, so the hidden layers see the new weights of the layer above."),))
        mode = {"online": "Online: one sample a step.",
                "batch-sum": f"Batch: all {len(trace.samples)} samples in one step, gradients summed.",
                "batch-mean": f"Batch: all {len(trace.samples)} samples in one step, gradients averaged."}
        items.append((T(mode[conv.mode]),))
        arithmetic = conv.arithmetic
        if arithmetic.round_to is not None:
            items.append((T(f"Hand rounding: every named quantity is written down rounded half-up to "
                            f"{arithmetic.round_to} decimals, and that rounded value is used from then on; "
                            f"a single formula (a weighted sum, a product of factors) is evaluated in one go."),))
        else:
            items.append((T(f"Arithmetic: {arithmetic.dtype}; numbers are shown to {self.d} decimals with "
                            "trailing zeros dropped, and carried at full precision."),))
        self.add(Bullets(tuple(items)))

    def chain_rule_item(self) -> Inline:
        """The chain rule, said with this network's own names (an output neuron's first weight, and
        the first hidden neuron when there is one)."""
        o = next(f for f in self.first.forward if f.layer == self.top)
        term = o.terms[0]
        source = term.source if term.source.startswith("i") else f"out_{term.source}"
        w, name = term.weight, o.neuron
        parts = [T("Chain rule: "), M(f"dE/d{w} = dE/dout_{name}·dout_{name}/dnet_{name}·dnet_{name}/d{w}"),
                 T(" where "), M(f"dnet_{name}/d{w} = {source}"), T("; with "),
                 M(f"delta_{name} = dE/dout_{name}·dout_{name}/dnet_{name}"), T(" (that is, "),
                 M(f"dE/dnet_{name}"), T("), ")
                 , M(f"dE/d{w} = delta_{name}·{source}"), T(".")]
        hidden = [b for b in self.first.backward if b.layer == self.top - 1]
        if hidden and hidden[0].contributions:
            h = hidden[0]
            sends = " + ".join(f"dE_{c.neuron}/dout_{h.neuron}" for c in h.contributions[:3])
            if len(h.contributions) > 3:
                sends += " + …"
            c = h.contributions[0]
            parts += [T(" A hidden neuron's output reaches the error through every neuron it feeds: "),
                      M(f"dE/dout_{h.neuron} = {sends}"), T(", with "),
                      M(f"dE_{c.neuron}/dout_{h.neuron} = delta_{c.neuron}·{c.weight}"), T(".")]
        return tuple(parts)

    def given(self) -> None:
        trace = self.trace
        self.add(Heading(2, "Given" if trace.step == 1 else f"Given (the values at the start of step {trace.step})"))
        sources = {t.weight: (t.source, f.neuron) for f in self.first.forward for t in f.terms}
        users: dict[str, list[str]] = {}
        for f in self.first.forward:
            if f.bias is not None:
                users.setdefault(f.bias, []).append(f.neuron)
        rows = []
        for u in sorted(trace.updates, key=lambda u: (u.kind != "weight", _natural(u.name))):
            if u.kind == "weight":
                source, target = sources[u.name]
                what = f"{source} → {target}"
            else:
                neurons = users.get(u.name, [])
                what = ("bias of " if len(neurons) == 1 else "bias shared by ") + ", ".join(neurons)
            rows.append(((M(u.name),), (T(what),), (T(self.n(u.old)),)))
        self.add(Grid(("parameter", "connects", "value"), tuple(rows)))
        for sample in trace.samples:
            which = f"Sample {sample.index}: " if self.batch else ""
            parts = [T(which + "inputs ")]
            parts += _listing([(f"i{k}", v) for k, v in enumerate(sample.inputs, start=1)], self.n)
            parts.append(T("; targets "))
            parts += _listing([(f"target_{e.neuron}", e.target) for e in sample.errors], self.n)
            parts.append(T("."))
            self.add(Paragraph(tuple(parts)))

    def forward(self, sample: SampleTrace) -> None:
        if self.batch:
            self.add(Heading(3, f"Sample {sample.index}"))
        by_layer: dict[int, list] = {}
        for f in sample.forward:
            by_layer.setdefault(f.layer, []).append(f)
        level = 4 if self.batch else 3
        for index, records in by_layer.items():
            names = ", ".join(f.neuron for f in records)
            self.add(Heading(level, f"{_layer_label(index, self.top).capitalize()} ({names})"))
            if index == 1 and not self.batch:
                self.add(Paragraph((T("Each neuron adds up its weighted inputs and the bias, then applies "
                                      "its activation."),)))
            for f in records:
                self.add(Equations(tuple(_equation(row) for row in self.stages.forward_rows(f))))

    def errors(self) -> None:
        for sample in self.trace.samples:
            if self.batch:
                self.add(Heading(3, f"Sample {sample.index}"))
            rows = self.stages.errors(sample).rows
            self.add(Equations(tuple(_equation(row) for row in rows)))
        if self.batch:
            values = [s.E_total for s in self.trace.samples]
            total = " + ".join(f"E_total[{s.index}]" for s in self.trace.samples)
            numbers = " + ".join([self.n(values[0])] + [self.o(v) for v in values[1:]])
            if self.conv.mode == "batch-mean":
                total, numbers = f"({total})/{len(values)}", f"({numbers})/{len(values)}"
            self.add(Paragraph((T("Over the batch:"),)))
            self.add(Equations((Equation("E_total", total, numbers, self.n(self.trace.E_total)),)))

    def backward(self, index: int) -> None:
        trace = self.trace
        level = 3
        if index != self.top and self.conv.order == "sequential":
            self.add(Paragraph((T("Sequential update: the weights of the layer above were already updated, "
                                  "so the values sent back below use the new weights."),)))
        if index == self.top - 1 and not self.batch:
            self.add(Paragraph((T("A hidden neuron's output reaches the error through every neuron above "
                                  "it, so its "), M("dE/dout"), T(" is the sum of what each of them sends back."))))
        targets_n = len(self.first.errors)
        for sample in trace.samples:
            if self.batch:
                self.add(Heading(level, f"Deltas, sample {sample.index}"))
            forward = {f.neuron: f for f in sample.forward}
            targets = {e.neuron: e.target for e in sample.errors}
            for b in sample.backward:
                if b.layer != index:
                    continue
                if not self.batch:
                    self.add(Heading(level, f"Neuron {b.neuron}"))
                target = targets.get(b.neuron) if index == self.top else None
                rows = self.stages.backward_rows(b, forward[b.neuron], target, targets_n)
                equations = [_equation(row) for row in rows]
                if self.conv.order == "sequential":  # the layer above sends back through its new weights
                    equations = [attrs.evolve(eq, formula=f"{eq.formula}+") if eq.lhs.startswith("dE_") else eq
                                 for eq in equations]
                if b.jacobian_row is not None:  # softmax: write the Jacobian column and the sum out
                    layer = [r for r in sample.backward if r.layer == index]
                    equations[-1:] = self.softmax_delta(b, layer, forward)
                self.add(Equations(tuple(equations)))
        updates = [u for u in trace.updates if self.layer_of[u.parts[0].neuron] == index]
        self.add(Heading(level, "Weights and biases"))
        for u in updates:
            self.add(Equations(tuple(self.update_equations(u))))

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
        symbols = " + ".join(f"dE/dout_{o.neuron}·dout_{o.neuron}/dnet_{j}" for o in layer)
        numbers = " + ".join(f"{self.o(o.dE_dout)}·{self.o(v)}" for o, v in zip(layer, b.jacobian_row))
        equations.append(Equation(f"delta_{j}", symbols, numbers, self.n(b.delta)))
        return equations

    def update_equations(self, u: ParameterUpdate) -> list[Equation]:
        equations = []
        sources = {t.weight: t.source for f in self.first.forward for t in f.terms}
        if not self.batch and len(u.parts) == 1:
            last = u.parts[0].factors[-1]
            symbol = "1" if u.kind == "bias" else (
                sources[u.name] if sources[u.name].startswith("i") else f"out_{sources[u.name]}")
            equations.append(Equation(last.name, symbol, "", self.n(last.value)))
        row = self.stages.update_row(u)
        equations.append(Equation(f"dE/d{u.name}", row[1], row[2], row[3]))
        lr = fmt(self.conv.learning_rate, self.d)
        if u.updated:
            equations.append(Equation(f"{u.name}+", f"{u.name} - η·dE/d{u.name}",
                                      f"{self.o(u.old)} - {lr}·{self.o(u.gradient)}", self.n(u.new)))
        else:
            equations.append(Equation(f"{u.name}+", u.name, "", self.n(u.new), "frozen"))
        return equations

    def after(self) -> None:
        trace = self.trace
        self.add(Paragraph((T("The new values, and the error recomputed with them (a forward pass with the "
                              "updated parameters):"),)))
        rows = []
        for u in sorted(trace.updates, key=lambda u: (u.kind != "weight", _natural(u.name))):
            rows.append(((M(u.name),), (T(self.n(u.old)),), (T(self.n(u.new)),)))
        self.add(Grid(("parameter", "before", "after"), tuple(rows)))
        equations = []
        for sample, outputs in zip(trace.samples, trace.outputs_after):
            tag = f"[{sample.index}]" if self.batch else ""
            for name, value in outputs:
                equations.append(Equation(f"out_{name}+{tag}", "", "", self.n(value)))
        equations.append(Equation("E_total+", "", "", self.n(trace.E_total_after)))
        change = trace.E_total_after - trace.E_total
        equations.append(Equation("E_total+ - E_total", "", f"{self.n(trace.E_total_after)} - {self.o(trace.E_total)}",
                                  self.n(change)))
        self.add(Equations(tuple(equations)))
        direction = "fell" if change < 0 else "rose" if change > 0 else "did not change"
        self.add(Paragraph((T(f"The error {direction} by {fmt(abs(change), self.d)} in this step."),)))


def _natural(name: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name))


def _listing(pairs, number) -> list[tuple[str, str]]:
    parts = []
    for k, (name, value) in enumerate(pairs):
        if k:
            parts.append(T(", "))
        parts.append(M(f"{name} = {number(value)}"))
    return parts


def build_document(spec: Spec, trace: StepTrace, digits: int = DEFAULT_DIGITS) -> Document:
    """The worked solution of `trace` (a step of `spec`) as a format-neutral Document."""
    return _Builder(spec, trace, digits).build()


def trace_for(spec: Spec, step: int = 1) -> StepTrace:
    """The StepTrace of step `step` of `spec` (the steps before it are run without records)."""
    if step < 1:
        raise NeurosimError(f"step: must be at least 1, got {step}")
    for record in iterate_run(spec, RunPlan(step, frozenset({step}), step + 1)):
        if isinstance(record, StepTrace):
            return record
    raise AssertionError("iterate_run did not trace the requested step")


def explain_document(spec: Spec, fmt_name: str = "markdown", *, step: int = 1,
                     digits: int = DEFAULT_DIGITS) -> str:
    """The worked solution of step `step` of `spec` as Markdown, LaTeX or HTML text."""
    if fmt_name not in EXPLAIN_FORMATS:
        raise NeurosimError(f"format: unknown '{fmt_name}' (choose from {', '.join(EXPLAIN_FORMATS)})")
    document = build_document(spec, trace_for(spec, step), digits)
    return RENDERERS[fmt_name](document)


# -- splitting long formulas ----------------------------------------------------------------------
def split_terms(text: str) -> list[str]:
    """'a + b + (c + d)' → ['a', '+ b', '+ (c + d)']: cut before each top-level ' + '."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        char = text[i]
        depth += char == "("
        depth -= char == ")"
        if depth == 0 and text.startswith(" + ", i) and i > start:
            parts.append(text[start:i])
            start = i + 1
            i += 3
            continue
        i += 1
    parts.append(text[start:])
    return parts


_DERIVATIVE = re.compile(r"d(E|out|net)\w*/d\w+")


def _width(text: str) -> int:
    """Roughly how wide a formula is once typeset: a fraction dE/dout_o1 is about as wide as its
    longer half, subscripts are narrow."""
    return len(_DERIVATIVE.sub("dnet_xx_x", text).replace("_", ""))


def _chunk(side: str) -> list[str]:
    """A long side cut into lines at top-level ' + ' (a short one stays one line)."""
    if _width(side) <= WRAP:
        return [side]
    lines, chunk = [], ""
    for term in split_terms(side):
        if chunk and _width(chunk) + _width(term) > WRAP:
            lines.append(chunk)
            chunk = ""
        chunk = f"{chunk} {term}" if chunk else term
    lines.append(chunk)
    return lines


def _lines(equation: Equation) -> list[tuple[bool, str]]:
    """The right-hand side as (starts a new side, text) lines: one line when the equation is short,
    else each side (formula, numbers, value) on its own line(s)."""
    sides = [s for s in (equation.formula, equation.numbers) if s] + [equation.value]
    if _width(" = ".join([equation.lhs, *sides])) <= WRAP:
        return [(True, " = ".join(sides))]
    return [(k == 0, chunk) for side in sides for k, chunk in enumerate(_chunk(side))]


def _aligned(equations: Equations) -> list[str]:
    """LaTeX lines of an aligned environment: lhs &= rhs, then &= next side or &\\quad continuation."""
    out = []
    for eq in equations.items:
        for k, (new_side, line) in enumerate(_lines(eq)):
            body = to_latex(line)
            if k == 0:
                out.append(f"{to_latex(eq.lhs)} &= {body}")
            else:
                out.append(f"&= {body}" if new_side else rf"&\quad {body}")
        if eq.note:
            out[-1] += rf"\quad\text{{({latex_text(eq.note)})}}"
    return out


# -- Markdown -------------------------------------------------------------------------------------
def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", text)


def _md_inline(parts: Inline) -> str:
    out = []
    for kind, text in parts:
        out.append(_md_escape(text) if kind == "text" else f"$`{to_latex(text)}`$")
    return "".join(out)


def render_markdown(document: Document) -> str:
    """GitHub-flavoured Markdown; formulas as ```math blocks and $`…`$ inline math."""
    out = [f"# {_md_escape(document.title)}", ""]
    for block in document.blocks:
        if isinstance(block, Heading):
            out += [f"{'#' * block.level} {_md_escape(block.text)}", ""]
        elif isinstance(block, Paragraph):
            out += [_md_inline(block.parts), ""]
        elif isinstance(block, Bullets):
            out += [f"- {_md_inline(item)}" for item in block.items] + [""]
        elif isinstance(block, Grid):
            out.append("| " + " | ".join(block.headers) + " |")
            out.append("|" + "---|" * len(block.headers))
            out += ["| " + " | ".join(_md_inline(cell) for cell in row) + " |" for row in block.rows]
            out.append("")
        elif isinstance(block, Equations):
            out += ["```math", r"\begin{aligned}", " \\\\\n".join(_aligned(block)), r"\end{aligned}", "```", ""]
    return "\n".join(out)


# -- LaTeX ----------------------------------------------------------------------------------------
_TEXT_LATEX = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#", "%": r"\%",
    "_": r"\_", "^": r"\^{}", "~": r"\~{}", "<": r"\textless{}", ">": r"\textgreater{}",
    "|": r"\textbar{}", "½": r"$\frac{1}{2}$", "·": r"$\cdot$", "Σ": r"$\Sigma$", "η": r"$\eta$",
    "δ": r"$\delta$", "∂": r"$\partial$", "→": r"$\to$", "←": r"$\leftarrow$", "≥": r"$\geq$",
    "≤": r"$\leq$", "×": r"$\times$", "−": "-", "—": "---", "–": "--", "…": r"\dots{}", "²": r"$^2$",
    "³": r"$^3$", "‘": "`", "’": "'", "“": "``", "”": "''", "…": r"\dots{}", "≈": r"$\approx$",
    "'": "'", '"': "''",
}


def latex_text(text: str) -> str:
    """Prose as LaTeX: special characters escaped, Unicode symbols as commands; ASCII only."""
    out = []
    for index, char in enumerate(text):
        if char == "-" and text[index + 1:index + 2] == "-":
            out.append("-{}")  # keep -- and --steps from becoming dashes
        elif char in _TEXT_LATEX:
            out.append(_TEXT_LATEX[char])
        elif char.isascii():
            out.append(char)
        else:
            plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            out.append(plain if plain else f"[U+{ord(char):04X}]")
    return "".join(out)


def _latex_inline(parts: Inline) -> str:
    return "".join(latex_text(text) if kind == "text" else f"${to_latex(text)}$" for kind, text in parts)


def render_latex(document: Document) -> str:
    """A complete LaTeX document (article, amsmath) that compiles with pdflatex."""
    out = [
        r"\documentclass[11pt]{article}",
        r"\usepackage[T1]{fontenc}",
        r"\usepackage{amsmath}",
        r"\usepackage{longtable}",
        r"\allowdisplaybreaks",
        r"\setlength{\parindent}{0pt}",
        r"\sloppy",
        r"\setlength{\parskip}{0.5em}",
        r"\addtolength{\textwidth}{3cm}\addtolength{\oddsidemargin}{-1.5cm}",
        r"\title{" + latex_text(document.title) + "}",
        r"\author{neurosim}",
        r"\date{}",
        r"\begin{document}",
        r"\maketitle",
        "",
    ]
    commands = {2: r"\section*", 3: r"\subsection*", 4: r"\subsubsection*"}
    for block in document.blocks:
        if isinstance(block, Heading):
            command = commands.get(block.level, r"\paragraph*")
            out += [f"{command}{{{latex_text(block.text)}}}", ""]
        elif isinstance(block, Paragraph):
            out += [_latex_inline(block.parts), ""]
        elif isinstance(block, Bullets):
            out += [r"\begin{itemize}"] + [rf"\item {_latex_inline(item)}" for item in block.items]
            out += [r"\end{itemize}", ""]
        elif isinstance(block, Grid):
            out += [r"\begin{longtable}{" + "l" * len(block.headers) + "}",
                    " & ".join(rf"\textbf{{{latex_text(h)}}}" for h in block.headers) + r" \\ \hline"]
            out += [" & ".join(_latex_inline(cell) for cell in row) + r" \\" for row in block.rows]
            out += [r"\end{longtable}", ""]
        elif isinstance(block, Equations):
            out += [r"\begin{align*}", " \\\\\n".join(_aligned(block)), r"\end{align*}", ""]
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


# -- HTML -----------------------------------------------------------------------------------------
_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 52em; margin: 2em auto; padding: 0 1em;
       line-height: 1.5; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ccc; }
.eq { margin: 0.2em 0 0.2em 1.5em; }
.eq .value { font-weight: bold; }
.eq .note { color: #666; font-style: italic; }
table { border-collapse: collapse; margin: 0.5em 0; }
td, th { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; }
.group { margin: 0.6em 0; }
"""


def _html_inline(parts: Inline) -> str:
    return "".join(html.escape(text) if kind == "text" else to_html(text) for kind, text in parts)


def _html_equation(eq: Equation) -> str:
    sides = [to_html(s) for s in (eq.formula, eq.numbers) if s]
    sides.append(f'<span class="value">{to_html(eq.value)}</span>')
    note = f' <span class="note">({html.escape(eq.note)})</span>' if eq.note else ""
    return f'<div class="eq">{to_html(eq.lhs)} = {" = ".join(sides)}{note}</div>'


def render_html(document: Document) -> str:
    """A standalone HTML page (no scripts, no external files)."""
    title = html.escape(document.title)
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{title}</title>", f"<style>{_CSS}</style>", "</head>", "<body>", f"<h1>{title}</h1>"]
    for block in document.blocks:
        if isinstance(block, Heading):
            out.append(f"<h{block.level}>{html.escape(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            out.append(f"<p>{_html_inline(block.parts)}</p>")
        elif isinstance(block, Bullets):
            out.append("<ul>" + "".join(f"<li>{_html_inline(item)}</li>" for item in block.items) + "</ul>")
        elif isinstance(block, Grid):
            head = "".join(f"<th>{html.escape(h)}</th>" for h in block.headers)
            body = "".join("<tr>" + "".join(f"<td>{_html_inline(cell)}</td>" for cell in row) + "</tr>"
                           for row in block.rows)
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        elif isinstance(block, Equations):
            out.append('<div class="group">' + "".join(_html_equation(eq) for eq in block.items) + "</div>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


RENDERERS = {"markdown": render_markdown, "latex": render_latex, "html": render_html}
