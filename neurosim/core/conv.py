"""Convolution and pooling layers as neurons and connections (built into a SharedNetwork).

A conv layer's neuron at output position p of kernel m is an ordinary neuron: its incoming
connections are the kernel's entries laid over the window of p, so

    net_c1_23 = Σ_ch Σ_(a,b) k1_ch_ab · x_ch(s·2 + a - pad, s·3 + b - pad) + b_k1      (cross-correlation)

and a true convolution lays the kernel turned by 180° (k_(K-1-a)(K-1-b)), the convention
`kernel = "convolution"` (SharedNetwork.prepare). Zero padding contributes nothing, so its terms
are left out. A pooling neuron's connections carry no parameter (core/shared.py: 1/n, or the max's
routing).

Names: kernel m's feature map c{m}_{position}, its entries k{m}_{entry} (k{m}_{channel}_{entry}
with several input channels), its bias b_k{m}; pooling p{m}_{position}; a 2-D position or entry is
written row then column (c1_23: row 2, column 3; with an index of 10 or more, c1_2_13). With several
conv (pool) layers each name starts with the layer's number among them: c2_1_11.
"""

from __future__ import annotations

import itertools
import math

from .activations import Activation, get_activation
from .architecture import LayerSpec
from .neuron import Bias, Neuron
from .shared import MaxPoolNeuron, PoolConnection, SparseNeuron, TiedConnection, Weight


def index_text(index: tuple[int, ...]) -> str:
    """1-based indices written together (23), or with '_' when one has two digits (2_13)."""
    return "".join(map(str, index)) if all(i < 10 for i in index) else "_".join(map(str, index))


def grid(shape: tuple[int, ...]) -> list[tuple[int, ...]]:
    """Every position of a grid of `shape`, row by row (0-based)."""
    return list(itertools.product(*(range(n) for n in shape)))


def flat(index: tuple[int, ...], shape: tuple[int, ...]) -> int:
    """The place of a (channel, position…) index in the row-by-row list of a `shape` block."""
    place = 0
    for i, n in zip(index, shape):
        place = place * n + i
    return place


class Block:
    """The neurons of a layer with their shape (channels, positions…) and the place of the first of
    them in the network's list of every neuron's output."""

    def __init__(self, neurons: list[Neuron], shape: tuple[int, ...], base: int):
        self.neurons, self.shape, self.base = neurons, shape, base

    def at(self, index: tuple[int, ...]) -> tuple[Neuron, int]:
        place = flat(index, self.shape)
        return self.neurons[place], self.base + place


def conv_layer(spec: LayerSpec, below: Block, shape: tuple[int, ...], prefix: str, activation: Activation,
               weights: list, biases: list) -> list[SparseNeuron]:
    """The neurons of a conv layer over `below`, with their kernels (appended to `weights`, in naming
    order: kernel by kernel, channel by channel, entry by entry) and biases (to `biases`)."""
    channels = below.shape[0]
    entries = grid(spec.kernel)
    neurons = []
    for m in range(1, spec.size + 1):
        kernel = {}
        for ch in range(channels):
            for entry in entries:
                channel = f"{ch + 1}_" if channels > 1 else ""
                name = f"k{prefix}{m}_{channel}{index_text(tuple(a + 1 for a in entry))}"
                kernel[(ch, entry)] = Weight(name, math.nan)
                weights.append(kernel[(ch, entry)])
        bias = Bias(f"b_k{prefix}{m}", math.nan) if spec.bias else None
        if bias is not None:
            biases.append(bias)
        for position in grid(shape[1:]):
            neuron = SparseNeuron(f"c{prefix}{m}_{index_text(tuple(p + 1 for p in position))}", activation, bias)
            for ch in range(channels):
                for entry in entries:
                    where = tuple(p * s + a - pad for p, s, a, pad in zip(position, spec.stride, entry, spec.padding))
                    if not all(0 <= w < n for w, n in zip(where, below.shape[1:])):
                        continue  # zero padding: a term 0
                    source, place = below.at((ch, *where))
                    turned = tuple(k - 1 - a for k, a in zip(spec.kernel, entry))
                    _join(TiedConnection(source, neuron, kernel[(ch, entry)], kernel[(ch, turned)]), place)
            neurons.append(neuron)
    return neurons


def pool_layer(spec: LayerSpec, below: Block, shape: tuple[int, ...], prefix: str) -> list[SparseNeuron]:
    """The neurons of a max or average pool over `below`, channel by channel (no parameters)."""
    kind = "max" if spec.kind == "maxpool" else "avg"
    entries = grid(spec.kernel)
    linear = get_activation("linear")
    neurons = []
    for ch in range(below.shape[0]):
        for position in grid(shape[1:]):
            name = f"p{prefix}{ch + 1}_{index_text(tuple(p + 1 for p in position))}"
            neuron = (MaxPoolNeuron if kind == "max" else SparseNeuron)(name, linear)
            for entry in entries:
                source, place = below.at((ch, *(p * s + a for p, s, a in zip(position, spec.stride, entry))))
                _join(PoolConnection(source, neuron, kind, len(entries)), place)
            neurons.append(neuron)
    return neurons


def _join(connection, place: int) -> None:
    connection.source.outgoing.append(connection)
    connection.target.incoming.append(connection)
    connection.target.positions.append(place)
