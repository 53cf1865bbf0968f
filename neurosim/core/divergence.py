"""Naming where a step stopped being finite: the first value that is NaN or infinite, in the order
they are computed (the forward pass layer by layer, the backward pass from the output down, the
loss terms, then the updated parameters)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NoReturn

from ..errors import TrainingDiverged
from .network import Network


def raise_diverged(network: Network, step: int, sample: int | None, terms: Sequence[float],
                   e_total: float) -> NoReturn:
    """Raise TrainingDiverged for the first non-finite value of the step (E_total if none is)."""
    layers = network.layers[1:]
    for layer in layers:
        for neuron in layer.neurons:
            for label, value in (("net", neuron.net), ("out", neuron.out)):
                if not math.isfinite(value):
                    raise TrainingDiverged(step, f"{label}_{neuron.name}", float(value), neuron.name, sample)
    for layer in reversed(layers):
        for neuron in layer.neurons:
            for label, value in (("dE/dout_", neuron.dE_dout), ("delta_", neuron.delta)):
                if not math.isfinite(value):
                    raise TrainingDiverged(step, f"{label}{neuron.name}", float(value), neuron.name, sample)
    for neuron, term in zip(network.output_layer.neurons, terms):
        if not math.isfinite(term):
            raise TrainingDiverged(step, f"E_{neuron.name}", float(term), neuron.name, sample)
    for layer in reversed(layers):
        for neuron in layer.neurons:
            for conn in neuron.incoming:
                if not math.isfinite(conn.weight):
                    raise TrainingDiverged(step, f"{conn.name}+ (weight {conn.source.name}→{neuron.name})",
                                           float(conn.weight), neuron.name)
            if neuron.bias is not None and not math.isfinite(neuron.bias.value):
                raise TrainingDiverged(step, f"{neuron.bias.name}+ (bias)", float(neuron.bias.value), neuron.name)
    raise TrainingDiverged(step, "E_total", float(e_total))
