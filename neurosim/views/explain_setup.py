"""The opening of a worked solution (explain.py): the conventions of the step, said with this
network's own names (net input, activations, loss, chain rule, update rule, biases, order, mode,
arithmetic), and the given values (every parameter with what it connects, every sample).
"""

from __future__ import annotations

import re

from ..core.activations import get_activation
from ..core.combined import COMBINED
from ..core.losses import get_loss
from ..core.trace import SampleTrace, StepTrace
from .document import Block, Bullets, Grid, Heading, Inline, M, Paragraph, T
from .elide import ELIDED, ELIDED_AT_SIZE, MAX_TERMS, Shown, join_terms, kept
from .numbers import fmt
from .stages import Stages


def layer_label(index: int, top: int) -> str:
    """'output layer', 'hidden layer' (one hidden layer) or 'hidden layer 2'."""
    if index == top:
        return "output layer"
    return "hidden layer" if top == 2 else f"hidden layer {index}"


def top_layer(sample: SampleTrace) -> int:
    """The index of the output layer (the input layer is 0)."""
    return max(f.layer for f in sample.forward)


def natural(name: str) -> tuple:
    """Sort key: w2 before w10."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name))


# -- the conventions ------------------------------------------------------------------------------
def conventions_section(trace: StepTrace, stages: Stages, digits: int) -> list[Block]:
    """The 'Conventions' heading and its bullets."""
    items = [_network_item(trace, stages), *_activation_items(trace), _loss_item(trace),
             chain_rule_item(trace.samples[0]), *_combined_items(trace), *_update_items(trace, digits),
             *_procedure_items(trace, digits)]
    return [Heading(2, "Conventions"), Bullets(tuple(items))]


def _network_item(trace: StepTrace, stages: Stages) -> Inline:
    first = trace.samples[0].forward[0]
    net_row = stages.forward_rows(first)[0]
    return (T(f"Network {trace.network_shape}. A neuron's net input is its weighted inputs plus its "
              "bias, its output the activation of that: "),
            M(f"{net_row[0]} = {net_row[1]}"), T(", "), M(f"out_{first.neuron} = f(net_{first.neuron})"),
            T(". Weights are numbered layer by layer, for each neuron its incoming connections in order "
              "(see the table below)."))


def _activation_items(trace: StepTrace) -> list[Inline]:
    """One item per activation used, naming the layers that use it."""
    top = top_layer(trace.samples[0])
    items = []
    seen = []
    for name in trace.activations:
        if name in seen:
            continue
        seen.append(name)
        act = get_activation(name)
        layers = [layer_label(i, top) for i, a in enumerate(trace.activations, start=1) if a == name]
        if act.layer_level:
            items.append((T(f"Activation {name} ({', '.join(layers)}): "),
                          M("out_j = e^net_j / Σ_k e^net_k"), T(", and "),
                          M("delta_j = Σ_k dE/dout_k·dout_k/dnet_j"),
                          T(" with dout_k/dnet_j = out_k·(δ_kj − out_j).")))
        else:
            items.append((T(f"Activation {name} ({', '.join(layers)}): "),
                          M("out = " + act.formula.format(net="net")), T(", with derivative "),
                          M("dout/dnet = " + act.derivative_formula.format(net="net", out="out")), T(".")))
    return items


def _loss_item(trace: StepTrace) -> Inline:
    conv = trace.conventions
    loss = get_loss(conv.loss)
    outputs = [e.neuron for e in trace.samples[0].errors]
    shares = [T(" (each output's share: ")] + [p for k, name in enumerate(outputs)
                                               for p in ([T(", ")] if k else []) + [M(f"E_{name}")]] + [T(")")]
    batch = {"batch-sum": "; summed over the batch.", "batch-mean": "; averaged over the batch."}
    if not loss.defined:
        return (T("No loss (loss none): the backward pass starts from "), M("dE/dout = 1"),
                T(" at every output, the gradients of the outputs themselves (micrograd's o.backward())."))
    return (T(f"Loss {loss.name}: "), M(loss.formula), *(shares if len(outputs) > 1 else []),
            T(batch.get(conv.mode, ".")))


def chain_rule_item(first: SampleTrace) -> Inline:
    """The chain rule, said with this network's own names (an output neuron's first weight, and
    the first hidden neuron when there is one)."""
    top = top_layer(first)
    o = next(f for f in first.forward if f.layer == top)
    term = o.terms[0]
    source = term.source if term.source.startswith("i") else f"out_{term.source}"
    w, name = term.weight, o.neuron
    parts = [T("Chain rule: "), M(f"dE/d{w} = dE/dout_{name}·dout_{name}/dnet_{name}·dnet_{name}/d{w}"),
             T(" where "), M(f"dnet_{name}/d{w} = {source}"), T("; with "),
             M(f"delta_{name} = dE/dout_{name}·dout_{name}/dnet_{name}"), T(" (that is, "),
             M(f"dE/dnet_{name}"), T("), "),
             M(f"dE/d{w} = delta_{name}·{source}"), T(".")]
    hidden = [b for b in first.backward if b.layer == top - 1]
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


def _combined_items(trace: StepTrace) -> list[Inline]:
    """The output delta in the combined form of the output activation and the loss, if it is."""
    first = trace.samples[0]
    record = next((b for b in first.backward if b.combined), None)
    if record is None:
        return []
    name = record.neuron
    pair = COMBINED[(trace.activations[-1], get_loss(trace.conventions.loss).name)]
    simple = pair.delta_text(f"out_{name}", f"target_{name}", len(first.errors), sum(first.targets),
                             "Σ_k target_k")
    return [(T(f"Output delta ({pair.label}): the factors cancel, "), M(f"delta_{name} = {simple}"),
             T(". It is computed in that form, as PyTorch and TensorFlow do, and the loss from net: both stay "
               "finite when an output saturates (rounds to exactly 0 or 1), where dE/dout would not."))]


def _update_items(trace: StepTrace, digits: int) -> list[Inline]:
    """The update rule with its learning rate, and what the biases are and whether they learn."""
    conv = trace.conventions
    items = [(T("Update: "), M("w+ = w - η·dE/dw"), T(" with learning rate "),
              M(f"η = {fmt(conv.learning_rate, digits)}"), T("."))]
    if not conv.rule.plain:  # the learning rule, its form and its formulas
        formulas = [p for k, f in enumerate(conv.rule.formulas()) for p in ([T("; ")] if k else []) + [M(f)]]
        items = [(T(f"Learning rule: {conv.rule.describe()}, with learning rate "),
                  M(f"η = {fmt(conv.learning_rate, digits)}"), T(". Per parameter: "), *formulas,
                  T(". A quantity at step k is written with @k (v_w5@1); @0 is the state given before step 1."))]
    if conv.flat_spot:
        items.append((T("Flat-spot elimination: "), M(f"c = {fmt(conv.flat_spot, digits)}"),
                      T(" is added to every dout/dnet (SNNS, Fahlman), so a saturated neuron still learns."),))
    if conv.tolerance:
        dmax = fmt(conv.tolerance, digits)
        items.append((T("Error tolerance: an output with "), M(f"|target - out| ≤ dmax = {dmax}"),
                      T(" sends back dE/dout = 0 (SNNS)."),))
    if trace.bias_mode == "none":
        items.append((T("No biases."),))
    else:
        kind = ("one bias per layer, shared by its neurons (b1, b2, …)" if trace.bias_mode == "shared"
                else "one bias per neuron (b_h1, …, b_o1, …)")
        state = "updated like the weights" if conv.update_biases else "frozen (not updated), as in Mazur's post"
        items.append((T(f"Biases: {kind}; {state}."),))
    return items


def _procedure_items(trace: StepTrace, digits: int) -> list[Inline]:
    """The update order, online or batch, and the arithmetic (or hand rounding)."""
    conv = trace.conventions
    items = []
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
    if arithmetic.round_to is not None and arithmetic.habit != "round":
        items.append((T(f"Hand rounding ({arithmetic.rounding_id}): "
                        f"{arithmetic.rounding.description.format(k=arithmetic.round_to)}."),))
    elif arithmetic.round_to is not None:
        items.append((T(f"Hand rounding: every named quantity is written down rounded half-up to "
                        f"{arithmetic.round_to} decimals, and that rounded value is used from then on; "
                        f"a single formula (a weighted sum, a product of factors) is evaluated in one go."),))
    else:
        items.append((T(f"Arithmetic: {arithmetic.dtype}; numbers are shown to {digits} decimals with "
                        "trailing zeros dropped, and carried at full precision."),))
    return items


# -- the given values -----------------------------------------------------------------------------
def parameter_grid(headers: tuple[str, ...], trace: StepTrace, shown: Shown, cells) -> Grid:
    """A grid of the step's parameters (weights, then biases, in natural order) that `shown` wants:
    `cells(update)` makes a row; at size the first and last rows, with a row of … between."""
    items = [u for u in sorted(trace.updates, key=lambda u: (u.kind != "weight", natural(u.name)))
             if shown.wants((u.name, f"{u.name}+", f"dE/d{u.name}"))]
    rows = tuple(cells(items[i]) if i is not None else tuple((T(ELIDED),) for _ in headers)
                 for i in kept(len(items), shown.row_limit, shown))
    return Grid(headers, rows)


def given_section(trace: StepTrace, digits: int, shown: Shown = ELIDED_AT_SIZE) -> list[Block]:
    """The parameters at the start of the step (what each connects, its value), then each sample's
    inputs and targets."""
    first = trace.samples[0]
    title = "Given" if trace.step == 1 else f"Given (the values at the start of step {trace.step})"
    sources = {t.weight: (t.source, f.neuron) for f in first.forward for t in f.terms}
    users: dict[str, list[str]] = {}
    for f in first.forward:
        if f.bias is not None:
            users.setdefault(f.bias, []).append(f.neuron)
    def cells(u) -> tuple[Inline, ...]:
        if u.kind == "weight":
            source, target = sources[u.name]
            what = f"{source} → {target}"
        else:
            neurons = users.get(u.name, [])
            what = ("bias of " if len(neurons) == 1 else "bias shared by ") + join_terms(neurons, ", ", shown.full,
                                                                                          "neurons")
        return ((M(u.name),), (T(what),), (T(fmt(u.old, digits)),))
    blocks: list[Block] = [Heading(2, title), parameter_grid(("parameter", "connects", "value"), trace, shown, cells)]
    batch = len(trace.samples) > 1
    for sample in trace.samples:
        which = f"Sample {sample.index}: " if batch else ""
        parts = [T(which + "inputs ")]
        parts += _listing([(f"i{k}", v) for k, v in enumerate(sample.inputs, start=1)], digits, shown)
        parts.append(T("; targets "))
        parts += _listing([(f"target_{e.neuron}", e.target) for e in sample.errors], digits, shown)
        parts.append(T("."))
        blocks.append(Paragraph(tuple(parts)))
    return blocks


def _listing(pairs, digits: int, shown: Shown = ELIDED_AT_SIZE) -> list[tuple[str, str]]:
    """name = value, … (at size the first and last two, and how many there are)."""
    shown_pairs = list(pairs)
    count = len(shown_pairs)
    if not shown.full and count > MAX_TERMS:
        shown_pairs = [*shown_pairs[:2], None, *shown_pairs[-2:]]
    parts = []
    for k, pair in enumerate(shown_pairs):
        if k:
            parts.append(T(", "))
        parts.append(T(ELIDED) if pair is None else M(f"{pair[0]} = {fmt(pair[1], digits)}"))
    if len(shown_pairs) < count:
        parts.append(T(f" ({count:,} in all)"))
    return parts
