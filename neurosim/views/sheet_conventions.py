"""The conventions of an exercise said in words for a question sheet (views/sheet.py): what a
student needs to work the step by hand — the network, the net input and activations, the error,
the update rule, the biases, the order, the samples, hand rounding — and nothing of the answer
(no chain rule written out, no numbers computed).
"""

from __future__ import annotations

from ..core.activations import get_activation
from ..core.exercise import Spec
from ..core.losses import get_loss
from ..core.names import neuron_names
from ..messages import say, say_count
from .document import Block, Bullets, Heading, Inline, T, sentence
from .explain_setup import layer_label
from .numbers import fmt


def conventions_blocks(spec: Spec) -> list[Block]:
    """The 'Conventions' heading and one bullet per convention."""
    items = [_network(spec), _net_input(spec), *_activations(spec), _loss(spec), _update(spec), _biases(spec),
             _order(spec), _samples(spec), _delta_sign()]
    rounding = spec.conventions.arithmetic.round_to
    if rounding is not None:
        items.append((T(say_count("Round every value you compute to 1 decimal (half up) and go on with the "
                                  "rounded value.",
                                  "Round every value you compute to {count} decimals (half up) and go on with the "
                                  "rounded value.", rounding)),))
    if spec.conventions.arithmetic.dtype != "float64":
        items.append((T(say("Arithmetic: {dtype}.", dtype=spec.conventions.arithmetic.dtype)),))
    return [Heading(2, say("Conventions")), Bullets(tuple(items))]


def _network(spec: Spec) -> Inline:
    layers = " → ".join(", ".join(names) for names in neuron_names(spec.layers))
    return (T(say("Network {shape}, neurons {layers}. The weights are numbered layer by layer, for each neuron "
                  "its incoming connections in order.", shape="-".join(map(str, spec.layers)), layers=layers)),)


def _net_input(spec: Spec) -> Inline:
    """How a neuron's net input and output are computed, with the first hidden (or output) neuron's
    own formula as the example: net_h1 = w1·i1 + w2·i2 + b1, out_h1 = f(net_h1)."""
    network = spec.build_network()
    neuron = network.layers[1].neurons[0]
    terms = [f"{c.name}·{c.source.name}" for c in network.connections if c.target is neuron]
    if neuron.bias is not None:
        terms.append(neuron.bias.name)
    net, out = f"net_{neuron.name} = {' + '.join(terms)}", f"out_{neuron.name} = f(net_{neuron.name})"
    if spec.bias == "none":
        return sentence(say("A neuron's net input is the weighted sum of its inputs, as {net}; its output is the "
                            "activation of that, {out}."), net=net, out=out)
    return sentence(say("A neuron's net input is the weighted sum of its inputs plus its bias, as {net}; its output "
                        "is the activation of that, {out}."), net=net, out=out)


def _activations(spec: Spec) -> list[Inline]:
    """One item per activation, naming the layers that use it."""
    top = len(spec.activations)
    items = []
    for name in dict.fromkeys(spec.activations):
        layers = say(", ").join(layer_label(i, top) for i, a in enumerate(spec.activations, start=1) if a == name)
        act = get_activation(name)
        formula = "out_j = e^net_j / Σ_k e^net_k" if act.layer_level else "out = " + act.formula.format(net="net")
        items.append(sentence(say("Activation {name} ({layers}): {{formula}}.", name=name, layers=layers),
                              formula=formula))
    return items


def _loss(spec: Spec) -> Inline:
    loss = get_loss(spec.conventions.loss)
    return sentence(say("Error ({name}): {{formula}}.", name=loss.name), formula=loss.formula)


def _update(spec: Spec) -> Inline:
    rate = fmt(spec.conventions.learning_rate)
    return sentence(say("Gradient descent: {rule} with learning rate {rate}."), rule="w+ = w - η·dE/dw",
                    rate=f"η = {rate}")


def _biases(spec: Spec) -> Inline:
    updated = spec.conventions.update_biases
    if spec.bias == "none":
        return (T(say("The network has no biases.")),)
    if spec.bias == "shared":
        text = (say("One bias per layer, shared by its neurons; the biases are updated like the weights.") if updated
                else say("One bias per layer, shared by its neurons; the biases are not updated."))
    else:
        text = (say("Each neuron has its own bias; the biases are updated like the weights.") if updated
                else say("Each neuron has its own bias; the biases are not updated."))
    return (T(text),)


def _order(spec: Spec) -> Inline:
    if spec.conventions.order == "sequential":
        return (T(say("Sequential update: update a layer's weights before computing the deltas of the layer below, "
                      "which then uses the new weights.")),)
    return (T(say("Compute every gradient with the weights before the update; the new values are used from the "
                  "next step on.")),)


def _delta_sign() -> Inline:
    """The sign the answer key gives the deltas (the notation's: delta = dE/dnet, or Err = -dE/dI in
    hkp, renamed with the rest of the sheet), so a student who writes the other sign is told the
    sign convention rather than wrong."""
    return (T(say("Write the {deltas} with this sign throughout.", deltas=say("deltas (delta = dE/dnet)"))),)


def _samples(spec: Spec) -> Inline:
    n = len(spec.inputs)
    mode = spec.conventions.mode
    if mode == "online":
        return (T(say_count("One sample a step.", "One sample a step, taken in turn ({count} samples).", n)),)
    if mode == "batch-sum":
        return (T(say("Each step takes all {count} samples at once and sums their gradients.", count=n)),)
    return (T(say("Each step takes all {count} samples at once and averages their gradients.", count=n)),)
