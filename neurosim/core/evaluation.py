"""The network's outputs and loss for given samples, computed without changing any neuron:
the after-update values (out_o1+, E_total+) and the loss a source prints (E_report)."""

from __future__ import annotations

from collections.abc import Sequence

from .arithmetic import LOSS, exact
from .combined import loss_terms
from .conventions import Conventions
from .losses import get_loss
from .network import Network
from .neuron import Keep, add_up

Sample = tuple[Sequence[float], Sequence[float]]


def layer_values(network: Network, inputs: Sequence[float], keep: Keep,
                 store: Keep | None = None) -> list[list[tuple[float, float]]]:
    """(net, out) of every neuron of every non-input layer (Network.layer_values)."""
    return network.layer_values(inputs, keep, store)


def evaluate(network: Network, inputs: Sequence[float], keep: Keep = exact, store: Keep | None = None) -> list[float]:
    """The network's outputs for `inputs`, computed without changing any neuron's state."""
    return network.evaluate(inputs, keep, store)


def sample_loss(network: Network, samples: Sequence[Sample], conventions: Conventions,
                values: Sequence[list[list[tuple[float, float]]]] | None = None) -> float:
    """E_total over `samples` with the current parameters: Σ_s Σ_j E_oj (batch-mean: / number of samples);
    E_oj from net where the output activation and the loss have a combined form (core/combined.py).
    `values`: every sample's `layer_values` for these parameters, if computed already."""
    return loss_and_outputs(network, samples, conventions, outputs=False, values=values)[0]


def loss_and_outputs(network: Network, samples: Sequence[Sample], conventions: Conventions,
                     outputs: bool = True, values: Sequence[list[list[tuple[float, float]]]] | None = None,
                     ) -> tuple[float, tuple[tuple[float, ...], ...]]:
    """(E_total over `samples`, as `sample_loss`, and — if `outputs` — every sample's outputs), in one
    forward pass per sample (none where `values` has the sample's layer values already)."""
    keep, store = conventions.arithmetic.keeper(), conventions.arithmetic.storer()
    loss = network.step_loss(get_loss(conventions.loss), conventions)
    activation = network.output_layer.activation
    by_hand = conventions.arithmetic.round_to is not None  # E from the written outputs (core/combined.py)
    total, rows = 0.0, []
    for index, (inputs, targets) in enumerate(samples):
        last = (network.layer_values(inputs, keep, store) if values is None else values[index])[-1]
        nets, outs = [net for net, _ in last], [out for _, out in last]
        total += keep(add_up(loss_terms(activation, loss, targets, nets, outs, keep, by_hand)), LOSS)
        if outputs:
            rows.append(tuple(outs))
    if conventions.mode == "batch-mean":
        total = total / len(samples)
    return keep(total, LOSS), tuple(rows)
