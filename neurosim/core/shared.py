"""Weights shared across positions and time: one parameter, many connections.

A convolution uses each kernel entry at every position of its feature map; a recurrent layer
unrolled through time uses each entry of W_xh, W_hh and W_hy at every time step. Each of those uses
is a connection that knows its weight, as a dense layer's connections do, so `Neuron` and
`Connection` compute as they always have (delta·w sent back, delta·out_source as the share of the
gradient); the weight itself is one `Weight` parameter that all of them read. The step adds the
shares of all its connections (dE/dk1_11 = Σ_p delta_p·x_p, dE/dw = Σ_t delta_h(t)·out_h(t-1)) and
updates it once (core/step.py).

Pooling connects too, with no parameter (`PoolConnection`): an average pool's connection weighs
1/n, a max pool's 1 for the input that won its window (the first largest, as PyTorch picks) and 0
for the others, which is the routing of dE back to the winner.

A neuron of such a network (`SparseNeuron`) is fed by some neurons of any layer below, not by every
neuron of the layer under it: `positions` says where each source sits in the network's list of
neuron outputs (inputs first, then layer by layer), which is what its net input reads.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import attrs

from .arithmetic import DE_DOUT_PART, NET, PARAMETER, exact
from .neuron import Connection, Keep, Neuron

_NAN = float("nan")


@attrs.define(eq=False, repr=False)
class Weight:
    """A weight parameter used by many connections (a kernel entry k1_11, a recurrent weight):
    its value `weight`, and `gradient`, dE/dw of the last step (the sum over its connections)."""

    name: str
    weight: float
    gradient: float = _NAN

    @property
    def value(self) -> float:
        return self.weight

    def calculate_update(self, gradient: float, learning_rate: float, keep: Keep = exact) -> float:
        """w+ = w - η·dE/dw, once for all its connections."""
        return keep(self.weight - learning_rate * gradient, PARAMETER)

    def __repr__(self) -> str:
        return f"Weight({self.name}={self.weight:.9g})"


@attrs.define(eq=False, repr=False)
class TiedConnection:
    """A connection source → target whose weight is a shared `Weight` (named as the weight is).

    `straight` is the weight it uses as written; `flipped` the one a true convolution puts here
    (the kernel turned by 180°), chosen by `use_flipped` (SharedNetwork.prepare)."""

    source: Neuron
    target: Neuron
    straight: Weight
    flipped: Weight | None = None
    parameter: Weight = attrs.field(default=None)

    def __attrs_post_init__(self) -> None:
        if self.parameter is None:
            self.parameter = self.straight

    @property
    def name(self) -> str:
        return self.parameter.name

    @property
    def weight(self) -> float:
        return self.parameter.weight

    def use_flipped(self, flipped: bool) -> None:
        self.parameter = self.flipped if flipped and self.flipped is not None else self.straight

    calculate_dnet_dw = Connection.calculate_dnet_dw
    calculate_dE_dout_source = Connection.calculate_dE_dout_source
    calculate_gradient = Connection.calculate_gradient

    def __repr__(self) -> str:
        return f"TiedConnection({self.name}: {self.source.name}->{self.target.name}, weight={self.weight:.9g})"


@attrs.define(eq=False, repr=False)
class PoolConnection:
    """A pooling connection, no parameter: weight 1/n in an average pool; in a max pool 1 when its
    source won the window (the first largest output), else 0. `name` is what the trace writes for
    the weight: "1/4", or "max"."""

    source: Neuron
    target: Neuron
    pool: str  # "avg" or "max"
    size: int

    @property
    def name(self) -> str:
        return "max" if self.pool == "max" else f"1/{self.size}"

    @property
    def weight(self) -> float:
        if self.pool == "avg":
            return 1.0 / self.size
        return 1.0 if self.target.winner() is self.source else 0.0

    def calculate_dE_dout_source(self, keep: Keep = exact) -> float:
        """dE_pool/dout_source = delta_pool·(1/n), or delta_pool·1 for the winner of a max pool and 0
        for the others."""
        return keep(self.target.delta * self.weight, DE_DOUT_PART)

    def __repr__(self) -> str:
        return f"PoolConnection({self.name}: {self.source.name}->{self.target.name})"


@attrs.define(eq=False, repr=False)
class SparseNeuron(Neuron):
    """A neuron fed by some neurons of the layers below: `positions[k]` is where the source of
    incoming[k] sits in the list of every neuron's output (inputs first, layer by layer)."""

    positions: list[int] = attrs.Factory(list)

    def calculate_net_input(self, values: Sequence[float], keep: Keep = exact) -> float:
        """net = Σ_k w_k·out_source(k) + b, the sources read from `values` (every output so far)."""
        total = 0.0
        for connection, position in zip(self.incoming, self.positions):
            total += connection.weight * values[position]
        if self.bias is not None:
            total += self.bias.value
        return keep(total, NET)


@attrs.define(eq=False, repr=False)
class MaxPoolNeuron(SparseNeuron):
    """A max-pooling neuron: net = max over its window of the sources' outputs (out = net)."""

    def calculate_net_input(self, values: Sequence[float], keep: Keep = exact) -> float:
        """net = max_k out_source(k): the first largest wins (NaN wins, as in PyTorch)."""
        best = -math.inf
        for position in self.positions:
            value = values[position]
            if value > best or value != value:
                best = value
                if value != value:
                    break
        return keep(best, NET)

    def winner(self) -> Neuron:
        """The source whose output is the max of the window (the first one of the largest)."""
        best, won = -math.inf, self.incoming[0].source
        for connection in self.incoming:
            value = connection.source.out
            if value > best or value != value:
                best, won = value, connection.source
                if value != value:
                    break
        return won
