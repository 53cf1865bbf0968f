"""Layer: a layer of neurons that runs the forward and the backward pass over them (Mazur's NeuronLayer).

Elementwise activations are each neuron's own formula (Neuron.calculate_output, calculate_dout_dnet,
calculate_delta). Softmax is a layer-level activation: out_j = e^net_j / Σ_k e^net_k over the
layer, and delta_j = Σ_k dE/dout_k · dout_k/dnet_j with the Jacobian dout_k/dnet_j =
out_k·(δ_kj - out_j) (`jacobian` keeps it for the last sample).

An output layer whose activation and loss have a combined form (sigmoid with bce, softmax with
cce: core/combined.py) computes its deltas and its loss terms in that form, delta = out - target
and E from net, as the libraries do: both stay finite when an output saturates.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ..errors import NeurosimError
from ..messages import N_, say
from .activations import Activation, softmax_jacobian, softmax_values
from .arithmetic import DELTA, DOUT_DNET, OUT, exact
from .combined import CombinedOutput, combined_output, loss_terms
from .losses import Loss
from .neuron import Keep, Neuron, add_up
from .parameters import list_of


def _check(field: str, value, ok: bool, expected: str) -> None:
    if not ok:
        raise NeurosimError(say("{field}: expected {expected}, got {value!r}", field=field, expected=say(expected),
                                value=value))


# Validated when made; the step sets `jacobian` and `combined` every sample, without the validators
# (on_setattr: attrs' default would run them on every assignment: issue 19's traced step).
@attrs.define(eq=False, repr=False, on_setattr=attrs.setters.NO_OP)
class Layer:
    """A layer of neurons sharing one activation (None for the input layer)."""

    index: int = attrs.field(validator=lambda i, a, v: _check(a.name, v, type(v) is int and v >= 0,
                                                              N_("a whole number ≥ 0")))
    name: str = attrs.field(validator=lambda i, a, v: _check(a.name, v, isinstance(v, str), N_("a text")))
    neurons: list[Neuron] = attrs.field(validator=list_of(Neuron, N_("neurons"), 1))
    activation: Activation | None = attrs.field(validator=lambda i, a, v: _check(
        a.name, v, v is None or isinstance(v, Activation), N_("None (the input layer) or an Activation")))
    jacobian: list[list[float]] | None = None  # softmax: J[k][j] = dout_k/dnet_j of the last sample
    combined: CombinedOutput | None = None  # the combined form the last backward pass used, if any

    # -- forward ----------------------------------------------------------------------------
    def calculate_values(self, inputs: Sequence[float], keep: Keep = exact) -> tuple[list[float], list[float]]:
        """(net, out) of every neuron for the outputs `inputs` of the layer below; no neuron changes."""
        nets = [neuron.calculate_net_input(inputs, keep) for neuron in self.neurons]
        if self.activation.layer_level:
            outs = [keep(v, OUT) for v in softmax_values(nets)]
        else:
            outs = [neuron.calculate_output(net, keep) for neuron, net in zip(self.neurons, nets)]
        return nets, outs

    def forward(self, inputs: Sequence[float], keep: Keep = exact) -> list[float]:
        """Compute and store net and out of every neuron; returns the outputs."""
        nets, outs = self.calculate_values(inputs, keep)
        for neuron, net, out in zip(self.neurons, nets, outs):
            neuron.net, neuron.out = net, out
        return outs

    # -- the loss (output layer) ---------------------------------------------------------------
    def calculate_errors(self, targets: Sequence[float], loss: Loss, keep: Keep = exact,
                         by_hand: bool = False) -> list[float]:
        """E_oj of every output for `targets` (the combined form from net where there is one; `by_hand`:
        from the written outputs where that is finite, core/combined.loss_terms)."""
        neurons = self.neurons
        return loss_terms(self.activation, loss, targets, [n.net for n in neurons], [n.out for n in neurons], keep,
                          by_hand)

    # -- backward ---------------------------------------------------------------------------
    def backward(self, keep: Keep = exact, targets: Sequence[float] | None = None,
                 loss: Loss | None = None, flat_spot: float = 0.0, tolerance: float = 0.0) -> list[list[float]]:
        """Compute and store dE/dout, dout/dnet and delta of every neuron.

        The output layer takes dE/dout from the loss and the `targets` (0 where |target - out| ≤
        `tolerance`); a hidden layer sums what the layer above sends back (its deltas must be stored
        already). `flat_spot` c is added to every dout/dnet. Returns, per neuron, the terms dE_k/dout
        of that sum (empty lists for the output layer)."""
        parts_per_neuron = []
        if targets is not None:
            n = len(self.neurons)
            for neuron, target in zip(self.neurons, targets):
                neuron.dE_dout = neuron.calculate_dE_dout_from_loss(target, loss, n, keep)
                if tolerance:
                    neuron.dE_dout = neuron.apply_tolerance(target, tolerance)
                parts_per_neuron.append([])
        else:
            for neuron in self.neurons:
                parts = neuron.calculate_dE_dout_parts(keep)
                neuron.dE_dout = neuron.calculate_dE_dout_from_parts(parts, keep)
                parts_per_neuron.append(parts)
        # the combined form (core/combined.py) replaces the factors; SNNS's flat spot and tolerance
        # change the factors, so with either of them the factor form is kept
        combined = targets is not None and not flat_spot and not tolerance
        self.combined = combined_output(self.activation, loss) if combined else None
        if self.combined is not None:
            self._combined_deltas(targets, keep)
        elif self.activation.layer_level:
            if flat_spot:
                raise NeurosimError("flat_spot: not defined for a softmax layer (its derivative is a Jacobian)")
            self._softmax_deltas(keep)
        else:
            for neuron in self.neurons:
                neuron.dout_dnet = neuron.calculate_dout_dnet(keep)
                if flat_spot:
                    neuron.dout_dnet = neuron.add_flat_spot(flat_spot, keep)
                neuron.delta = neuron.calculate_delta(keep)
                neuron.delta_combined = False
        return parts_per_neuron

    def tolerated(self, targets: Sequence[float], tolerance: float) -> tuple[bool, ...]:
        """Which outputs are within the tolerance dmax (|target - out| ≤ dmax: dE/dout sent back as 0)."""
        if not tolerance:
            return ()
        return tuple(abs(t - neuron.out) <= tolerance for neuron, t in zip(self.neurons, targets))

    def _softmax_deltas(self, keep: Keep) -> None:
        """dout_j/dnet_j = J[j][j]; delta_j = Σ_k dE/dout_k·J[k][j] (running sum over k)."""
        neurons = self.neurons
        jac = softmax_jacobian([neuron.out for neuron in neurons])
        self.jacobian = jac
        for j, neuron in enumerate(neurons):
            neuron.dout_dnet = keep(jac[j][j], DOUT_DNET)
            neuron.delta = keep(add_up(neurons[k].dE_dout * jac[k][j] for k in range(len(neurons))), DELTA)
            neuron.delta_combined = False

    def _combined_deltas(self, targets: Sequence[float], keep: Keep) -> None:
        """delta = dE/dnet in the combined form (e.g. out - target); dout/dnet (softmax: the Jacobian)
        is still computed, for the trace."""
        neurons = self.neurons
        if self.activation.layer_level:
            self.jacobian = softmax_jacobian([neuron.out for neuron in neurons])
        for j, neuron in enumerate(neurons):
            neuron.dout_dnet = keep(self.jacobian[j][j], DOUT_DNET) if self.activation.layer_level \
                else neuron.calculate_dout_dnet(keep)
        deltas = self.combined.deltas(targets, [neuron.out for neuron in neurons], len(neurons))
        for neuron, delta in zip(neurons, deltas):
            neuron.delta = keep(delta, DELTA)
            neuron.delta_combined = True

    def biases(self) -> list:
        """The layer's distinct biases in neuron order (one if shared)."""
        seen = []
        for neuron in self.neurons:
            if neuron.bias is not None and all(neuron.bias is not b for b in seen):
                seen.append(neuron.bias)
        return seen

    def __repr__(self) -> str:
        act = f", {self.activation.name}" if self.activation else ""
        return f"Layer({self.name}: {' '.join(n.name for n in self.neurons)}{act})"
