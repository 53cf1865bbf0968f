"""The records of a traced step (core/trace.py), made from the objects' values as the step goes
(core/step.py): the forward and backward records of each neuron, the inputs' dE/dout, the factors
of a gradient share. With `wanted` (core/wanted.py) only the records of some neurons are made; of
those, the per-weight ones (the terms of a weighted sum, the contributions sent back) are made
when read (core/lazy.py), so a large step costs what is read of it."""

from __future__ import annotations

from .conventions import Conventions
from .lazy import Lazy
from .network import Network
from .trace import Contribution, Factor, InputGradient, NeuronBackward, NeuronForward, Term
from .wanted import Wanted


def forward_records(network: Network, wanted: Wanted | None = None) -> tuple[NeuronForward, ...]:
    """The forward record of every (wanted) neuron; a recurrent network updated per time step
    (core/time_steps.py) gives those of the steps before as they were made at their own steps."""
    records = [r for r in getattr(network, "earlier_records", ()) if wanted is None or r.neuron in wanted.neurons]
    for layer in getattr(network, "recorded", network.layers[1:]):  # a time step's view: its own layers
        for n in layer.neurons:
            if wanted is None or n.name in wanted.neurons:
                records.append(neuron_forward(n, layer))
    return tuple(records)


def neuron_forward(n, layer) -> NeuronForward:
    """net = Σ w·out_source + b, out = f(net) of neuron `n` of `layer`, with the weights as they are now."""
    bias = n.bias
    return NeuronForward(n.name, layer.index, Lazy([(c.name, c.weight, c.source.name, c.source.out)
                                                    for c in n.incoming], Term),
                         None if bias is None else bias.name, None if bias is None else bias.value, n.net,
                         layer.activation.name, n.out)


def backward_records(layer, parts_per_neuron, flat_spot: float = 0.0, tolerated=(),
                      wanted: Wanted | None = None) -> list[NeuronBackward]:
    jac = layer.jacobian if layer.activation.layer_level else None
    combined = layer.combined is not None
    records = []
    for j, (n, parts) in enumerate(zip(layer.neurons, parts_per_neuron)):
        if wanted is not None and n.name not in wanted.neurons:
            continue
        contributions = Lazy([(c.target.name, c.name, c.weight, c.target.delta, v)
                              for c, v in zip(n.outgoing, parts)], Contribution)
        row = tuple(r[j] for r in jac) if jac else None
        records.append(NeuronBackward(n.name, layer.index, n.dE_dout, contributions, n.dout_dnet, n.delta, row,
                                      flat_spot, bool(tolerated) and tolerated[j], combined))
    return records


def input_gradients(layer, keep, wanted: Wanted | None = None) -> tuple[InputGradient, ...]:
    """dE/dout of every input (dL/dx): Σ_k delta_k·w(i→k) over the first hidden layer, as a hidden
    neuron's dE/dout is formed (recorded only: no formula of the step uses it)."""
    records = []
    for n in layer.neurons:
        if wanted is not None and n.name not in wanted.neurons:
            continue
        parts = n.calculate_dE_dout_parts(keep)
        n.dE_dout = n.calculate_dE_dout_from_parts(parts, keep)
        out = n.outgoing
        records.append(InputGradient(n.name, n.dE_dout, tuple(c.target.name for c in out), tuple(c.name for c in out),
                                     tuple(c.weight for c in out), tuple(c.target.delta for c in out), tuple(parts)))
    return tuple(records)


def head_factors(neuron, from_delta: bool = False) -> tuple[Factor, ...]:
    """The chain-rule factors of a gradient share before dnet/dp (GradientPart.of adds it), named as
    the trace names them: (dE/dout, dout/dnet), or (delta,) for a softmax neuron, a delta in combined
    form (core/combined.py), or when the gradient is keyed in from the written delta."""
    if from_delta or neuron.delta_combined or neuron.activation.layer_level:
        return (Factor(f"delta_{neuron.name}", neuron.delta),)
    return (Factor(f"dE/dout_{neuron.name}", neuron.dE_dout),
            Factor(f"dout_{neuron.name}/dnet_{neuron.name}", neuron.dout_dnet))


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
