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
from ..messages import N_, said, say
from .document import Block, Bullets, Grid, Heading, Inline, M, Paragraph, T, sentence
from .elide import ELIDED, ELIDED_AT_SIZE, MAX_TERMS, Shown, join_terms, kept
from .numbers import fmt
from .stage_tables import time_step
from .stages import Stages


def layer_label(index: int, top: int, layer_of: dict | None = None) -> str:
    """'output layer', 'hidden layer' (one hidden layer) or 'hidden layer 2'; with `layer_of` (neuron →
    layer), an unrolled recurrent network's layers by time step ('time step 2', and a Jordan layer's
    'time step 2, the output fed back')."""
    if index == top:
        return say("output layer")
    name = next((n for n, i in (layer_of or {}).items() if i == index), "")
    if time_step(name):
        return say("time step {t}, the output fed back", t=time_step(name)) if name.startswith("s") else \
            say("time step {t}", t=time_step(name))
    return say("hidden layer") if top == 2 else say("hidden layer {index}", index=index)


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
    return [Heading(2, say("Conventions")), Bullets(tuple(items))]


def _network_item(trace: StepTrace, stages: Stages) -> Inline:
    first = trace.samples[0].forward[0]
    net_row = stages.forward_rows(first)[0]
    return sentence(say("Network {shape}. A neuron's net input is its weighted inputs plus its bias, its output "
                        "the activation of that: {{net}}, {{out}}. Weights are numbered layer by layer, for each "
                        "neuron its incoming connections in order (see the table below).", shape=trace.network_shape),
                    net=f"{net_row[0]} = {net_row[1]}", out=f"out_{first.neuron} = f(net_{first.neuron})")


def _activation_items(trace: StepTrace) -> list[Inline]:
    """One item per activation used, naming the layers that use it (an unrolled recurrent network's
    as given: its recurrent layer, then the output layer)."""
    top = len(trace.activations) if "recurrent" in trace.layer_kinds else top_layer(trace.samples[0])
    items = []
    seen = []
    for name in trace.activations:
        if name in seen:
            continue
        seen.append(name)
        act = get_activation(name)
        layers = [layer_label(i, top) for i, a in enumerate(trace.activations, start=1) if a == name]
        if act.layer_level:
            items.append(sentence(say("Activation {name} ({layers}): {{out}}, and {{delta}} with dout_k/dnet_j = "
                                      "out_k·(δ_kj − out_j).", name=name, layers=say(", ").join(layers)),
                                  out="out_j = e^net_j / Σ_k e^net_k", delta="delta_j = Σ_k dE/dout_k·dout_k/dnet_j"))
        else:
            items.append(sentence(say("Activation {name} ({layers}): {{out}}, with derivative {{derivative}}.",
                                      name=name, layers=say(", ").join(layers)),
                                  out="out = " + act.formula.format(net="net"),
                                  derivative="dout/dnet = " + act.derivative_formula.format(net="net", out="out")))
    return items


def _loss_item(trace: StepTrace) -> Inline:
    conv = trace.conventions
    loss = get_loss(conv.loss)
    outputs = [e.neuron for e in trace.samples[0].errors]
    shares = tuple(p for k, name in enumerate(outputs) for p in ([T(", ")] if k else []) + [M(f"E_{name}")])
    batch = {"batch-sum": say("; summed over the batch."), "batch-mean": say("; averaged over the batch.")}
    if not loss.defined:
        return sentence(say("No loss (loss none): the backward pass starts from {one} at every output, the gradients "
                            "of the outputs themselves (micrograd's o.backward())."), one="dE/dout = 1")
    each = sentence(say(" (each output's share: {shares})"), shares=shares) if len(outputs) > 1 else ()
    return (*sentence(say("Loss {name}: {{formula}}", name=loss.name), formula=loss.formula), *each,
            T(batch.get(conv.mode, say("."))))


def chain_rule_item(first: SampleTrace) -> Inline:
    """The chain rule, said with this network's own names (an output neuron's first weight, and
    the first hidden neuron when there is one)."""
    top = top_layer(first)
    o = next(f for f in first.forward if f.layer == top)
    term = o.terms[0]
    source = term.source if term.source.startswith("i") else f"out_{term.source}"
    w, name = term.weight, o.neuron
    parts = list(sentence(say("Chain rule: {chain} where {dnet_dw}; with {delta} (that is, {dE_dnet}), {gradient}."),
                          chain=f"dE/d{w} = dE/dout_{name}·dout_{name}/dnet_{name}·dnet_{name}/d{w}",
                          dnet_dw=f"dnet_{name}/d{w} = {source}",
                          delta=f"delta_{name} = dE/dout_{name}·dout_{name}/dnet_{name}", dE_dnet=f"dE/dnet_{name}",
                          gradient=f"dE/d{w} = delta_{name}·{source}"))
    hidden = [b for b in first.backward if b.layer == top - 1]
    if hidden and hidden[0].contributions:
        h = hidden[0]
        sends = " + ".join(f"dE_{c.neuron}/dout_{h.neuron}" for c in h.contributions[:3])
        if len(h.contributions) > 3:
            sends += " + …"
        c = h.contributions[0]
        parts += sentence(say(" A hidden neuron's output reaches the error through every neuron it feeds: {sum}, "
                              "with {sent}."), sum=f"dE/dout_{h.neuron} = {sends}",
                          sent=f"dE_{c.neuron}/dout_{h.neuron} = delta_{c.neuron}·{c.weight}")
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
    return [sentence(say("Output delta ({label}): the factors cancel, {{delta}}. It is computed in that form, as "
                         "PyTorch and TensorFlow do, and the loss from net: both stay finite when an output saturates "
                         "(rounds to exactly 0 or 1), where dE/dout would not.", label=pair.label),
                     delta=f"delta_{name} = {simple}")]


def _update_items(trace: StepTrace, digits: int) -> list[Inline]:
    """The update rule with its learning rate, and what the biases are and whether they learn."""
    conv = trace.conventions
    rate = f"η = {fmt(conv.learning_rate, digits)}"
    items = [sentence(say("Update: {rule} with learning rate {rate}."), rule="w+ = w - η·dE/dw", rate=rate)]
    if not conv.rule.plain:  # the learning rule, its form and its formulas
        formulas = tuple(p for k, f in enumerate(conv.rule.formulas()) for p in ([T("; ")] if k else []) + [M(f)])
        items = [sentence(say("Learning rule: {rule}, with learning rate {{rate}}. Per parameter: {{formulas}}. A "
                              "quantity at step k is written with @k (v_w5@1); @0 is the state given before step 1.",
                              rule=conv.rule.describe()), rate=rate, formulas=formulas)]
    if conv.flat_spot:
        items.append(sentence(say("Flat-spot elimination: {c} is added to every dout/dnet (SNNS, Fahlman), so a "
                                  "saturated neuron still learns."), c=f"c = {fmt(conv.flat_spot, digits)}"))
    if conv.tolerance:
        dmax = fmt(conv.tolerance, digits)
        items.append(sentence(say("Error tolerance: an output with {within} sends back dE/dout = 0 (SNNS)."),
                              within=f"|target - out| ≤ dmax = {dmax}"))
    if trace.bias_mode == "none":
        items.append((T(say("No biases.")),))
    else:
        kind = (say("one bias per layer, shared by its neurons (b1, b2, …)") if trace.bias_mode == "shared"
                else say("one bias per neuron (b_h1, …, b_o1, …)"))
        state = (say("updated like the weights") if conv.update_biases
                 else say("frozen (not updated), as in Mazur's post"))
        items.append((T(say("Biases: {kind}; {state}.", kind=kind, state=state)),))
    return items


def _procedure_items(trace: StepTrace, digits: int) -> list[Inline]:
    """The update order, online or batch, and the arithmetic (or hand rounding)."""
    conv = trace.conventions
    items = []
    if conv.order == "simultaneous":
        items.append((T(say("Simultaneous update: every gradient is computed from the weights before the update; the "
                            "new values are used from the next step on.")),))
    else:
        items.append((T(say("Sequential update: a layer's weights are updated before the layer below computes its "
                            "deltas, so the hidden layers see the new weights of the layer above.")),))
    n = len(trace.samples)
    mode = {"online": say("Online: one sample a step."),
            "batch-sum": say("Batch: all {count} samples in one step, gradients summed.", count=n),
            "batch-mean": say("Batch: all {count} samples in one step, gradients averaged.", count=n)}
    items.append((T(mode[conv.mode]),))
    arithmetic = conv.arithmetic
    if arithmetic.round_to is not None and arithmetic.habit != "round":
        items.append((T(say("Hand rounding ({id}): {habit}.", id=arithmetic.rounding_id,
                            habit=arithmetic.rounding.describe(arithmetic.round_to))),))
    elif arithmetic.round_to is not None:
        items.append((T(say("Hand rounding: every named quantity is written down rounded half-up to {k} decimals, and "
                            "that rounded value is used from then on; a single formula (a weighted sum, a product of "
                            "factors) is evaluated in one go.", k=arithmetic.round_to)),))
    else:
        items.append((T(say("Arithmetic: {dtype}; numbers are shown to {digits} decimals with trailing zeros dropped, "
                            "and carried at full precision.", dtype=arithmetic.dtype, digits=digits)),))
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
    title = say("Given") if trace.step == 1 else say("Given (the values at the start of step {step})", step=trace.step)
    sources, uses = {}, {}  # a shared weight (a kernel entry, W_hh): its first connection, and how many
    for f in first.forward:
        for t in f.terms:
            sources.setdefault(t.weight, (t.source, f.neuron))
            uses[t.weight] = uses.get(t.weight, 0) + 1
    users: dict[str, list[str]] = {}
    for f in first.forward:
        if f.bias is not None:
            users.setdefault(f.bias, []).append(f.neuron)
    def cells(u) -> tuple[Inline, ...]:
        if u.kind == "weight":
            source, target = sources[u.name]
            what = f"{source} → {target}" if uses[u.name] == 1 else say(
                "{first}, … (shared by {count} connections)", first=f"{source} → {target}", count=uses[u.name])
        else:
            neurons = users.get(u.name, [])
            listed = join_terms(neurons, ", ", shown.full, "neurons")
            what = say("bias of {neurons}", neurons=listed) if len(neurons) == 1 else say("bias shared by {neurons}",
                                                                                              neurons=listed)
        return ((M(u.name),), (T(what),), (T(fmt(u.old, digits)),))
    headers = said((N_("parameter"), N_("connects"), N_("value")))
    blocks: list[Block] = [Heading(2, title), parameter_grid(headers, trace, shown, cells)]
    batch = len(trace.samples) > 1
    for sample in trace.samples:
        template = (say("Sample {index}: inputs {{inputs}}; targets {{targets}}.", index=sample.index) if batch
                    else say("inputs {inputs}; targets {targets}."))
        names = trace.input_names or [f"i{k}" for k in range(1, len(sample.inputs) + 1)]
        inputs = _listing(list(zip(names, sample.inputs)), digits, shown)
        targets = _listing([(f"target_{e.neuron}", e.target) for e in sample.errors], digits, shown)
        blocks.append(Paragraph(sentence(template, inputs=tuple(inputs), targets=tuple(targets))))
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
        parts.append(T(say(" ({count} in all)", count=f"{count:,}")))
    return parts
