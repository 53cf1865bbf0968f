"""Neuron, Connection and Bias: the objects that compute, one formula per method (Mazur's `Neuron`).

A neuron holds the values of the last sample it saw (net, out, dE/dout, dout/dnet, delta); each
`calculate_*` method evaluates one formula from the values already there and returns the result,
which the caller stores (Layer.forward / Layer.backward) and records (core/step.py). Mazur's code
names the same methods calculate_total_net_input, squash, calculate_error,
calculate_pd_error_wrt_output, calculate_pd_total_net_input_wrt_input (dout/dnet),
calculate_pd_error_wrt_total_net_input (delta) and calculate_pd_total_net_input_wrt_weight (dnet/dw).

`keep` is how a computed value is written down (core/arithmetic.py: float64, float32, or rounded by
hand to K decimals); every method passes its result through it once, so the conventions'
arithmetic reaches the formulas as one argument. Sums are running sums from 0.0 in source order,
so every engine adds in the same order and agrees to the last bit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import attrs

from .activations import Activation
from .arithmetic import (
    DE_DOUT,
    DE_DOUT_PART,
    DELTA,
    DOUT_DNET,
    ERROR,
    GRADIENT_PART,
    NET,
    OUT,
    PARAMETER,
    exact,
)
from .losses import Loss

Keep = Callable[..., float]  # keep(value, kind=None): see core/arithmetic.py
_NAN = float("nan")


def add_up(values) -> float:
    """Σ values as a running sum from 0.0 in the given order (the one order every engine uses)."""
    total = 0.0
    for v in values:
        total += v
    return total


@attrs.define(eq=False, repr=False)
class Bias:
    """A bias parameter b; shared by every neuron of a layer, or owned by one neuron."""

    name: str
    value: float
    gradient: float = _NAN

    def calculate_update(self, gradient: float, learning_rate: float, keep: Keep = exact) -> float:
        """b+ = b - η·dE/db."""
        return keep(self.value - learning_rate * gradient, PARAMETER)

    def __repr__(self) -> str:
        return f"Bias({self.name}={self.value:.9g})"


@attrs.define(eq=False, repr=False)
class Neuron:
    """One neuron: net = Σ w·out_source + b, out = f(net), and its partial derivatives.

    After a step it holds the values of the last sample it saw: net, out, dE/dout, dout/dnet and
    delta = dE/dnet (`delta_combined`: computed in the combined form of its layer's activation and
    the loss, core/combined.py, so that dE/dout may be infinite where delta is not).
    """

    name: str
    activation: Activation | None
    bias: Bias | None = None
    incoming: list[Connection] = attrs.Factory(list)
    outgoing: list[Connection] = attrs.Factory(list)
    net: float = _NAN
    out: float = _NAN
    dE_dout: float = _NAN
    dout_dnet: float = _NAN
    delta: float = _NAN
    delta_combined: bool = False  # delta written directly (softmax, or core/combined.py), not dE/dout·dout/dnet

    # -- forward ----------------------------------------------------------------------------
    def calculate_net_input(self, inputs: Sequence[float], keep: Keep = exact) -> float:
        """net = Σ_i w_i·in_i + b: `inputs` are the outputs of the sources of `incoming`, in order."""
        total = 0.0
        for connection, source_out in zip(self.incoming, inputs):
            total += connection.weight * source_out
        if self.bias is not None:
            total += self.bias.value
        return keep(total, NET)

    def calculate_output(self, net: float, keep: Keep = exact) -> float:
        """out = f(net) (an elementwise activation; softmax is computed by the Layer)."""
        return keep(self.activation.value(net), OUT)

    # -- the loss (output neurons) -----------------------------------------------------------
    def calculate_error(self, target: float, loss: Loss, n_outputs: int, keep: Keep = exact) -> float:
        """E_o = the loss term of this output, e.g. ½(target - out)²."""
        return keep(loss.term(target, self.out, n_outputs), ERROR)

    def calculate_dE_dout_from_loss(self, target: float, loss: Loss, n_outputs: int, keep: Keep = exact) -> float:
        """dE/dout = dE_o/dout for an output neuron, e.g. -(target - out); x/0 gives inf."""
        try:
            return keep(loss.derivative(target, self.out, n_outputs), DE_DOUT)
        except ZeroDivisionError:
            return math.inf

    # -- backward ---------------------------------------------------------------------------
    def calculate_dE_dout_parts(self, keep: Keep = exact) -> list[float]:
        """dE_k/dout = delta_k·w(this→k) for every neuron k this one feeds (Connection)."""
        return [connection.calculate_dE_dout_source(keep) for connection in self.outgoing]

    def calculate_dE_dout_from_parts(self, parts: Sequence[float], keep: Keep = exact) -> float:
        """dE/dout = Σ_k dE_k/dout for a hidden neuron: what every neuron above sends back."""
        return keep(add_up(parts), DE_DOUT)

    def calculate_dout_dnet(self, keep: Keep = exact) -> float:
        """dout/dnet = f'(net), written from out where the textbook does (sigmoid: out·(1-out))."""
        return keep(self.activation.derivative(self.net, self.out), DOUT_DNET)

    def apply_tolerance(self, target: float, tolerance: float) -> float:
        """dE/dout = 0 when |target - out| ≤ dmax (SNNS's error tolerance dmax), else dE/dout as it is."""
        return 0.0 if abs(target - self.out) <= tolerance else self.dE_dout

    def add_flat_spot(self, c: float, keep: Keep = exact) -> float:
        """dout/dnet + c: flat-spot elimination (SNNS's c; Fahlman's sigmoid-prime offset), so a saturated
        neuron (out near 0 or 1, f' near 0) still learns."""
        return keep(self.dout_dnet + c, DOUT_DNET)

    def calculate_delta(self, keep: Keep = exact) -> float:
        """delta = dE/dnet = dE/dout·dout/dnet."""
        return keep(self.dE_dout * self.dout_dnet, DELTA)

    def calculate_dE_db(self) -> float:
        """This neuron's share of dE/db for its bias: delta·dnet/db = delta·1."""
        return self.delta

    def __repr__(self) -> str:
        parts = [self.name]
        if self.activation is not None:
            parts.append(self.activation.name)
        if self.bias is not None:
            parts.append(f"bias {self.bias.name}")
        if not math.isnan(self.out):
            parts.append(f"out={self.out:.9g}")
        return f"Neuron({', '.join(parts)})"


@attrs.define(eq=False, repr=False)
class Connection:
    """A weighted connection source → target; `gradient` is dE/dw of the last step."""

    name: str
    source: Neuron
    target: Neuron
    weight: float
    gradient: float = _NAN

    def calculate_dnet_dw(self) -> float:
        """dnet_target/dw = out_source."""
        return self.source.out

    def calculate_dE_dout_source(self, keep: Keep = exact) -> float:
        """dE_target/dout_source = delta_target·w: what the target sends back along this connection."""
        return keep(self.target.delta * self.weight, DE_DOUT_PART)

    def calculate_gradient(self, dnet_dw: float, keep: Keep = exact, from_delta: bool = False) -> float:
        """One sample's dE/dw = dE/dout·dout/dnet·dnet/dw of the target (a softmax target, or a delta in
        combined form: delta·dnet/dw; `from_delta`: keyed in from the written delta, delta·dnet/dw);
        `dnet_dw` is normally `calculate_dnet_dw()`."""
        target = self.target
        if from_delta or target.delta_combined or target.activation.layer_level:
            return keep(target.delta * dnet_dw, GRADIENT_PART)
        return keep(target.dE_dout * target.dout_dnet * dnet_dw, GRADIENT_PART)

    def calculate_update(self, gradient: float, learning_rate: float, keep: Keep = exact) -> float:
        """w+ = w - η·dE/dw."""
        return keep(self.weight - learning_rate * gradient, PARAMETER)

    def __repr__(self) -> str:
        return f"Connection({self.name}: {self.source.name}->{self.target.name}, weight={self.weight:.9g})"
