"""The order in which a step goes through the parameters: which parameters feed a layer (each
updated once a step, a shared one too), and the order a person works them in, output layer first."""

from __future__ import annotations

from .network import Network


def layer_parameters(layer, updated: set[str]):
    """The parameters feeding `layer` as (name, kind, object), in groups: per neuron its incoming
    weights and its bias (a bias shared by the layer: once); a SharedNetwork's layer lists its
    parameters itself, and one shared by several layers (W_hh) is given once a step (`updated`)."""
    shared = getattr(layer, "parameters", None)
    if shared is not None:
        fresh = [p for p in shared if p[0] not in updated]
        updated.update(p[0] for p in fresh)
        yield fresh
        return
    done_biases: list[str] = []
    for neuron in layer.neurons:
        params = [(conn.name, "weight", conn) for conn in neuron.incoming]
        if neuron.bias is not None and neuron.bias.name not in done_biases:
            done_biases.append(neuron.bias.name)
            params.append((neuron.bias.name, "bias", neuron.bias))
        yield params


def update_order(network: Network) -> list[str]:
    """Parameters in the order Mazur works them: output layer first, then down to the first
    hidden layer; within a layer, weights in naming order, then the layer's biases."""
    if hasattr(network, "update_order"):  # a SharedNetwork: each shared parameter once
        return network.update_order()
    names, biases = [], set()  # (a set: a list to search is quadratic on a 784-input network)
    for layer in reversed(network.layers[1:]):
        names += [c.name for n in layer.neurons for c in n.incoming]
        for n in layer.neurons:
            if n.bias is not None and n.bias.name not in biases:
                biases.add(n.bias.name)
                names.append(n.bias.name)
    return names
