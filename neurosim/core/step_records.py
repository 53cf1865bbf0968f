"""The records of a traced step (core/trace.py), made from the objects' values as the step goes
(core/step.py): the forward and backward records of each neuron, the inputs' dE/dout, the factors
of a gradient share. With `wanted` (core/wanted.py) only the records of some neurons are made; of
those, the per-weight ones (the terms of a weighted sum, the contributions sent back) are made
when read (core/lazy.py), so a large step costs what is read of it. Every record of a step is kept
that way: its values are taken as the step goes (they change at the next step), the record object
is made from them when first read (the functions below named after the records make them)."""

from __future__ import annotations

from collections.abc import Sequence

from .conventions import Conventions
from .lazy import Lazy
from .network import Network
from .trace import (
    Contribution,
    GradientPart,
    InputGradient,
    NeuronBackward,
    NeuronForward,
    OutputError,
    ParameterUpdate,
    Term,
)
from .wanted import Wanted


def forward_values(n, layer) -> tuple:
    """The values of neuron `n`'s NeuronForward (made_forward makes it), with the weights as they are now."""
    bias = n.bias
    return (n.name, layer.index, [(c.name, c.weight, c.source.name, c.source.out) for c in n.incoming],
            None if bias is None else bias.name, None if bias is None else bias.value, n.net, layer.activation.name,
            n.out)


def made_forward(neuron: str, layer: int, terms: list[tuple], bias: str | None, bias_value: float | None,
                 net: float, activation: str, out: float) -> NeuronForward:
    return NeuronForward(neuron, layer, Lazy(terms, Term), bias, bias_value, net, activation, out)


def neuron_forward(n, layer) -> NeuronForward:
    """net = Σ w·out_source + b, out = f(net) of neuron `n` of `layer`, with the weights as they are now."""
    return made_forward(*forward_values(n, layer))


def forward_records(network: Network, wanted: Wanted | None = None) -> Sequence[NeuronForward]:
    """The forward record of every (wanted) neuron, made when read; a recurrent network updated per
    time step (core/time_steps.py) gives those of the steps before as they were made at their own steps."""
    values = []
    for layer in getattr(network, "recorded", network.layers[1:]):  # (a time step's view: its own layers)
        index, activation = layer.index, layer.activation.name
        for n in layer.neurons:  # (forward_values, written out: once per neuron of every traced step)
            if wanted is None or n.name in wanted.neurons:
                bias = n.bias
                values.append((n.name, index, [(c.name, c.weight, c.source.name, c.source.out) for c in n.incoming],
                               None if bias is None else bias.name, None if bias is None else bias.value, n.net,
                               activation, n.out))
    earlier = [r for r in getattr(network, "earlier_records", ()) if wanted is None or r.neuron in wanted.neurons]
    if earlier:
        return (*earlier, *[made_forward(*v) for v in values])
    return Lazy(values, made_forward)


def output_errors(outputs, targets, terms) -> Lazy:
    """E_oj of every output (OutputError), made when read."""
    return Lazy([(o.name, t, o.out, e) for o, t, e in zip(outputs, targets, terms)], OutputError)


def neuron_backward(neuron: str, layer: int, dE_dout: float, contributions: list[tuple], dout_dnet: float,
                    delta: float, jacobian_row, flat_spot: float, tolerated: bool, combined: bool) -> NeuronBackward:
    return NeuronBackward(neuron, layer, dE_dout, Lazy(contributions, Contribution), dout_dnet, delta, jacobian_row,
                          flat_spot, tolerated, combined)


def backward_records(layer, parts_per_neuron, flat_spot: float = 0.0, tolerated=(),
                      wanted: Wanted | None = None) -> list[tuple]:
    """The values of the NeuronBackward of every (wanted) neuron of `layer` (neuron_backward makes it)."""
    jac = layer.jacobian if layer.activation.layer_level else None
    combined = layer.combined is not None
    records = []
    for j, (n, parts) in enumerate(zip(layer.neurons, parts_per_neuron)):
        if wanted is not None and n.name not in wanted.neurons:
            continue
        contributions = [(c.target.name, c.name, c.weight, c.target.delta, v) for c, v in zip(n.outgoing, parts)]
        row = tuple(r[j] for r in jac) if jac else None
        records.append((n.name, layer.index, n.dE_dout, contributions, n.dout_dnet, n.delta, row, flat_spot,
                        bool(tolerated) and tolerated[j], combined))
    return records


def input_gradient(neuron: str, dE_dout: float, outgoing, weight_values: list[float], deltas: list[float],
                   values: list[float]) -> InputGradient:
    return InputGradient(neuron, dE_dout, tuple([c.target.name for c in outgoing]), tuple([c.name for c in outgoing]),
                         tuple(weight_values), tuple(deltas), tuple(values))


def input_gradients(layer, keep, wanted: Wanted | None = None) -> Lazy:
    """dE/dout of every input (dL/dx): Σ_k delta_k·w(i→k) over the first hidden layer, as a hidden
    neuron's dE/dout is formed (recorded only: no formula of the step uses it)."""
    records = []
    for n in layer.neurons:
        if wanted is not None and n.name not in wanted.neurons:
            continue
        parts = n.calculate_dE_dout_parts(keep)
        n.dE_dout = n.calculate_dE_dout_from_parts(parts, keep)
        out = n.outgoing  # (the connections' names are fixed; their values are taken now)
        records.append((n.name, n.dE_dout, out, [c.weight for c in out], [c.target.delta for c in out], parts))
    return Lazy(records, input_gradient)


_FACTOR_NAMES: dict[str, tuple[str, str, str]] = {}  # a neuron's (delta, dE/dout, dout/dnet) names, made once


def head_factors(neuron, from_delta: bool = False) -> tuple[tuple[str, float], ...]:
    """The chain-rule factors of a gradient share before dnet/dp (GradientPart.of adds it) as (name,
    value), named as the trace names them: (dE/dout, dout/dnet), or (delta,) for a softmax neuron, a
    delta in combined form (core/combined.py), or when the gradient is keyed in from the written delta."""
    name = neuron.name
    names = _FACTOR_NAMES.get(name)
    if names is None:
        names = _FACTOR_NAMES[name] = (f"delta_{name}", f"dE/dout_{name}", f"dout_{name}/dnet_{name}")
    if from_delta or neuron.delta_combined or neuron.activation.layer_level:
        return ((names[0], neuron.delta),)
    return ((names[1], neuron.dE_dout), (names[2], neuron.dout_dnet))


def parameter_update(name: str, kind: str, parts: list[tuple], reduction: str, gradient: float, old: float,
                     new: float, updated: bool, change: float, rule) -> ParameterUpdate:
    """The ParameterUpdate of a step's values, its parts made when read (GradientPart.of)."""
    return ParameterUpdate(name, kind, Lazy(parts, GradientPart.of), reduction, gradient, old, new, updated, change,
                           rule)


def decayed(network: Network, updates, before: dict | None, conventions: Conventions) -> tuple[dict, list]:
    """The parameters the L2 penalty is taken over (those updated, at their values before the step)
    and the biases' names: from the records, or (records of some parameters only) the network."""
    if before is None:
        return ({u.name: u.old for u in updates if u.updated}, [u.name for u in updates if u.kind == "bias"])
    biases = [b.name for b in network.biases]
    frozen = set() if conventions.update_biases else set(biases)
    return ({n: v for n, v in before.items() if n not in frozen}, biases)


def shared_fields(network: Network) -> dict:
    """A network of shared weights' layer kinds (named in the header) and input names (a
    recurrent network's inputs are named by time step); nothing for a dense network."""
    architecture = getattr(network, "architecture", None)
    if architecture is None:
        return {}
    inputs = tuple(n.name for n in network.input_layer.neurons)
    default = tuple(f"i{k}" for k in range(1, len(inputs) + 1))
    return {"layer_kinds": architecture.kinds, "input_names": () if inputs == default else inputs}
