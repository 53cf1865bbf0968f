"""Naming where a step stopped being finite: the first value that is NaN or infinite, in the order
they are computed (the forward pass layer by layer, the backward pass from the output down, the
loss terms, then the updated parameters), and the cause the network's values point to (a step that
fails leaves the network and its learning rule as they were: `run_restoring`):

saturated activation   an output sits where the loss's factor form divides by zero or takes ln(0)
                       (bce's dE/dout = (out - t)/(out·(1-out)·n) at out = 0 or 1; cce's -t/out at
                       out = 0), or outside (0, 1) where ln is not defined
exploding weights      a weight or bias has grown past EXPLODING in size
learning rate          the update w+ = w - η·dE/dw itself overflowed
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import NoReturn

from ..errors import TrainingDiverged
from .losses import get_loss
from .network import Network

EXPLODING = 1e6  # a parameter this large (in absolute value) counts as exploding
_LOG_LOSSES = ("bce", "cce")


def largest_parameter(network: Network, earlier: Mapping[str, float] | None = None) -> tuple[float, str]:
    """(|p|, name) of the largest finite weight or bias in absolute value; `earlier`: the values some
    parameters had before the step in progress changed them (those are taken instead)."""
    values = network.parameters()
    values.update(earlier or {})
    return max(((abs(v), name) for name, v in values.items() if math.isfinite(v)), default=(0.0, ""))


def run_restoring(worker, samples):
    """`worker.run(samples)` (core/step.py's step in progress); if it fails, the network's weights and
    biases and the learning rule's state are put back as they were before the step (`worker.olds`:
    the value of every parameter it changed), then the error goes on."""
    saved = worker.rule.checkpoint()
    try:
        return worker.run(samples)
    except BaseException:
        worker.network.set_parameters(worker.olds)
        worker.rule.restore(saved)
        raise


def raise_diverged(network: Network, step: int, sample: int | None, terms: Sequence[float],
                   e_total: float, conventions=None, largest_before: tuple[float, str] | None = None) -> NoReturn:
    """Raise TrainingDiverged for the first non-finite value of the step (E_total if none is), with
    the cause the values point to (`conventions` gives the loss and the learning rate;
    `largest_before` the largest parameter at the start of the step, `largest_parameter`)."""
    quantity, value, neuron = _first_non_finite(network, terms, e_total)
    per_sample = neuron is not None and not quantity.endswith(")")  # the updated parameters are the step's
    cause = _cause(network, quantity, neuron, conventions, largest_before or largest_parameter(network))
    raise TrainingDiverged(step, quantity, float(value), None if neuron is None else neuron.name,
                           sample if per_sample else None, cause=cause)


def _first_non_finite(network: Network, terms: Sequence[float], e_total: float):
    """(quantity, value, neuron) of the first value that is not finite, in the order computed."""
    layers = network.layers[1:]
    for layer in layers:
        for neuron in layer.neurons:
            for label, value in (("net", neuron.net), ("out", neuron.out)):
                if not math.isfinite(value):
                    return f"{label}_{neuron.name}", value, neuron
    for layer in reversed(layers):
        for neuron in layer.neurons:
            pairs = (("delta_", neuron.delta),) if neuron.delta_combined else (
                ("dE/dout_", neuron.dE_dout), ("delta_", neuron.delta))
            for label, value in pairs:  # a combined delta does not use dE/dout (core/combined.py)
                if not math.isfinite(value):
                    return f"{label}{neuron.name}", value, neuron
    for neuron, term in zip(network.output_layer.neurons, terms):
        if not math.isfinite(term):
            return f"E_{neuron.name}", term, neuron
    for layer in reversed(layers):
        for neuron in layer.neurons:
            for conn in neuron.incoming:
                if not math.isfinite(conn.weight):
                    return f"{conn.name}+ (weight {conn.source.name}→{neuron.name})", conn.weight, neuron
            if neuron.bias is not None and not math.isfinite(neuron.bias.value):
                return f"{neuron.bias.name}+ (bias)", neuron.bias.value, neuron
    return "E_total", e_total, None


def _cause(network: Network, quantity: str, neuron, conventions, largest: tuple[float, str]) -> str:
    """The cause the network's values point to, as a phrase for the message."""
    saturated = _saturation(network, quantity, neuron, conventions)
    if saturated:
        return saturated
    rate = "" if conventions is None else f"learning rate {conventions.learning_rate:g}"
    if largest[0] >= EXPLODING:
        with_rate = f" ({rate})" if rate else ""
        return (f"exploding weights: |{largest[1]}| = {largest[0]:.3g} at the start of this step{with_rate}; "
                "a smaller learning rate keeps them bounded")
    if quantity.endswith(")") and rate:
        return f"learning rate: the update p+ = p - η·dE/dp overflowed; {rate} is too large for this gradient"
    if quantity.startswith(("net_", "out_")):
        return "the inputs are too large for these weights: the net input overflows the float range"
    return "values overflow the float range: the inputs or the learning rate may be too large"


def _saturation(network: Network, quantity: str, neuron, conventions) -> str:
    """The saturated-activation cause, if the non-finite value is an output's loss or dE/dout under
    a loss with ln or 1/out, and that output sits at 0 or 1 (or outside (0, 1)); else ''."""
    if conventions is None or neuron is None or neuron not in network.output_layer.neurons:
        return ""
    if not quantity.startswith(("dE/dout_", "E_", "delta_")):
        return ""
    loss = get_loss(conventions.loss)
    if not loss.name.startswith(_LOG_LOSSES):
        return ""
    act = neuron.activation.name
    outputs = network.output_layer.neurons  # this one first: a softmax delta mixes every output's
    for candidate in [neuron] + [n for n in outputs if n is not neuron]:
        out = candidate.out
        if not 0.0 <= out <= 1.0:
            return (f"out_{candidate.name} = {out:.6g} is outside (0, 1), where {loss.name} takes ln(out): "
                    f"{loss.name} needs a sigmoid or softmax output, not {act}")
        if out in (0.0, 1.0):
            return (f"saturated activation: out_{candidate.name} = {out:g} exactly, the {act} at "
                    f"net_{candidate.name} = {candidate.net:.6g}, where {loss.name}'s dE/dout divides by zero; "
                    "cce with a softmax output and bce with a sigmoid output are computed in the combined "
                    "form, delta = out - target, which stays finite")
    return ""
