"""Layers that start saturated: every neuron's dout/dnet, on every sample of a step, below 1% of
the activation's largest (sigmoid 0.25, tanh 1, …), so that its deltas — dE/dout·dout/dnet — are
about 0 and its incoming weights hardly move. Wide layers with uniform [0, 1) starting weights do
this: a 784-64-10 sigmoid network's hidden nets are about 200, where the sigmoid is exactly 1.0 and
its derivative exactly 0. Found before the run on the forward pass of the neuron loop (plain
floats, the traced step's own operations) where the network and the samples looked at are small, as
in every classroom exercise, and of the matrix engine (float64) where they are large: NumPy's
matrix engine is a tenth of `neurosim run`'s start-up, and needs loading only where it pays.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np

from ..core.conventions import Conventions
from ..core.network import Network
from .list_forward import forward_lists

SATURATED = 0.01  # of the activation's largest derivative
LARGEST_DERIVATIVE = {"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0, "leaky_relu": 1.0, "softplus": 1.0}
SAMPLES = 1000  # the first samples looked at (a step's batch, or a data set's start)
SMALL = 20_000  # weights × samples up to which plain floats are quicker than loading the matrix engine


@attrs.frozen
class Saturation:
    """Layer `layer` (1 = the first after the inputs) of `neurons` `activation` neurons, all saturated."""

    layer: int
    neurons: int
    activation: str
    largest: float  # the largest |dout/dnet| of the layer over the samples looked at


def saturated_layers(network: Network, inputs: Sequence[Sequence[float]],
                     conventions: Conventions | None = None) -> tuple[Saturation, ...]:
    """The layers whose every neuron is saturated on every one of `inputs` (the first SAMPLES);
    `conventions` lay a network with shared weights as the run will (its kernel turned or not)."""
    inputs = inputs[:SAMPLES]
    if getattr(network, "architecture", None) is None and len(inputs) * len(network.connections) <= SMALL:
        layers = _small_layers(network, inputs)
    else:
        from .array_functions import ARRAY_ACTIVATIONS
        with np.errstate(all="ignore"):
            layers = [(Z.shape[1], name, float(np.max(np.abs(ARRAY_ACTIVATIONS[name][1](Z, A)))))
                      for Z, A, name in _layers(network, inputs, conventions or Conventions())
                      if name in LARGEST_DERIVATIVE]
    return tuple(Saturation(l, neurons, name, largest) for l, (neurons, name, largest) in enumerate(layers, start=1)
                 if name in LARGEST_DERIVATIVE and largest < SATURATED * LARGEST_DERIVATIVE[name])


def _small_layers(network: Network, inputs) -> list[tuple[int, str, float]]:
    """(neurons, activation, the largest |dout/dnet| over `inputs`) of every layer, on plain floats."""
    layers = network.layers[1:]
    W = [[[c.weight for c in n.incoming] for n in layer.neurons] for layer in layers]
    B = [None if network.bias_mode == "none" else [n.bias.value for n in layer.neurons] for layer in layers]
    acts = [layer.activation for layer in layers]
    largest = [0.0] * len(layers)
    for x in inputs:
        nets, outs = forward_lists(W, B, acts, [float(v) for v in x])
        for l, (act, net, out) in enumerate(zip(acts, nets, outs[1:])):
            if not act.layer_level:
                largest[l] = max([largest[l]] + [abs(act.derivative(z, o)) for z, o in zip(net, out)])
    return [(len(layer.neurons), layer.activation.name, big) for layer, big in zip(layers, largest)]


def _layers(network: Network, inputs, conventions: Conventions) -> list[tuple[np.ndarray, np.ndarray, str]]:
    """(Z, A, activation) of every layer with neurons: the matrix engine's, or for a network with
    shared weights its own engine's on a copy (an unrolled recurrent layer: every time step's z and
    h side by side, as one layer)."""
    if getattr(network, "architecture", None) is None:
        from .matrix import MatrixTrainer
        trainer = MatrixTrainer(network, Conventions())
        X = trainer.array(list(inputs))
        return [(Z, A, name) for (Z, A), name in zip(trainer.forward(X), trainer.activations)]
    from .shared_engine import shared_trainer
    trainer = shared_trainer(network.copy(), conventions)
    X = np.array(inputs, dtype=np.float64)
    if not network.architecture.recurrent:
        return [(Z, A, op.activation) for (Z, A), op in zip(trainer.forward(X), trainer.ops)]
    names = [layer.activation for layer in network.architecture.layers]
    return [(Z, A, name) for (Z, A), name in zip(trainer.layer_arrays(X), names)]
