"""The network's outputs and loss for given samples, computed without changing any neuron:
the after-update values (out_o1+, E_total+) and the loss a source prints (E_report)."""

from __future__ import annotations

from collections.abc import Sequence

from .arithmetic import ERROR, LOSS, exact
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


def sample_loss(network: Network, samples: Sequence[Sample], conventions: Conventions) -> float:
    """E_total over `samples` with the current parameters: Σ_s Σ_j E_oj (batch-mean: / number of samples)."""
    keep, store = conventions.arithmetic.keeper(), conventions.arithmetic.storer()
    loss = get_loss(conventions.loss)
    total = 0.0
    for inputs, targets in samples:
        outputs = network.evaluate(inputs, keep, store)
        n = len(outputs)
        total += keep(add_up(keep(loss.term(t, o, n), ERROR) for t, o in zip(targets, outputs)), LOSS)
    if conventions.mode == "batch-mean":
        total = total / len(samples)
    return keep(total, LOSS)
