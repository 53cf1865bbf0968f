"""Layers that start saturated: every neuron's dout/dnet, on every sample of a step, below 1% of
the activation's largest (sigmoid 0.25, tanh 1, …), so that its deltas — dE/dout·dout/dnet — are
about 0 and its incoming weights hardly move. Wide layers with uniform [0, 1) starting weights do
this: a 784-64-10 sigmoid network's hidden nets are about 200, where the sigmoid is exactly 1.0 and
its derivative exactly 0. Found on the matrix engine's forward pass (float64), before the run.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np

from ..core.conventions import Conventions
from ..core.network import Network
from .array_functions import ARRAY_ACTIVATIONS
from .matrix import MatrixTrainer

SATURATED = 0.01  # of the activation's largest derivative
LARGEST_DERIVATIVE = {"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0, "leaky_relu": 1.0, "softplus": 1.0}
SAMPLES = 1000  # the first samples looked at (a step's batch, or a data set's start)


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
    found = []
    with np.errstate(all="ignore"):
        for l, (Z, A, name) in enumerate(_layers(network, inputs[:SAMPLES], conventions or Conventions()), start=1):
            if name not in LARGEST_DERIVATIVE:
                continue
            largest = float(np.max(np.abs(ARRAY_ACTIVATIONS[name][1](Z, A))))
            if largest < SATURATED * LARGEST_DERIVATIVE[name]:
                found.append(Saturation(l, Z.shape[1], name, largest))
    return tuple(found)


def _layers(network: Network, inputs, conventions: Conventions) -> list[tuple[np.ndarray, np.ndarray, str]]:
    """(Z, A, activation) of every layer with neurons: the matrix engine's, or for a network with
    shared weights its own engine's on a copy (an unrolled recurrent layer: every time step's z and
    h side by side, as one layer)."""
    if getattr(network, "architecture", None) is None:
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
