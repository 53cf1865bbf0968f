"""A network given layer by layer, with the layer kinds that share weights: `Architecture`.

    dense      size units, every one fed by every value of the layer below (w1, w2, … as today)
    conv1d     `size` kernels of `kernel` (k) entries per input channel, sliding with `stride`
    conv2d     over an input padded with `padding` zeros on each side; one bias per kernel
    maxpool    a `kernel` window per position, moved by `stride` (default: the window, so the
    avgpool    windows tile the input), per channel; no parameter
    flatten    the channels and positions read as one list (channel by channel, row by row)
    recurrent  an Elman layer of `size` units unrolled over the sequence:
               h_t = f(W_xh·x_t + W_hh·h_(t-1) + b), h_0 given or zero; with feedback = "output"
               a Jordan layer: h_t = f(W_xh·x_t + W_yh·y_(t-1) + b), the network's output fed
               back (core/recurrent.py), y_0 given or zero

Shapes are (channels, positions…): (C, L) for conv1d, (C, H, W) for conv2d, (n,) for a list of
values. `shapes()` gives the shape after every layer; the sizes and names checked here are the
ones a file's errors name (files/layers.py).
"""

from __future__ import annotations

import math

import attrs

from ..errors import NeurosimError
from ..messages import say

KINDS = ("dense", "conv1d", "conv2d", "maxpool", "avgpool", "flatten", "recurrent")
SPATIAL = {"conv1d": 1, "conv2d": 2}
POOLS = ("maxpool", "avgpool")


@attrs.frozen
class LayerSpec:
    """One layer: its kind, units or kernels (`size`), window, stride, padding, activation, bias."""

    kind: str
    size: int = 0
    kernel: tuple[int, ...] = ()
    stride: tuple[int, ...] = ()
    padding: tuple[int, ...] = ()
    activation: str = ""
    bias: bool = True
    feedback: str = "hidden"  # a recurrent layer's: its own h_(t-1) (Elman) or the output y_(t-1) (Jordan)

    @property
    def parameters(self) -> bool:
        return self.kind not in (*POOLS, "flatten")

    def describe(self) -> str:
        """'conv2d 2@2x2/1', 'maxpool 2x2', 'dense 10', 'recurrent 8' (a network's shape text)."""
        window = "x".join(map(str, self.kernel))
        if self.kind in SPATIAL:
            extra = "" if set(self.stride) == {1} else f"/{'x'.join(map(str, self.stride))}"
            pad = "" if not any(self.padding) else f"+{'x'.join(map(str, self.padding))}"
            return f"{self.kind} {self.size}@{window}{extra}{pad}"
        if self.kind in POOLS:
            extra = "" if self.stride == self.kernel else f"/{'x'.join(map(str, self.stride))}"
            return f"{self.kind} {window}{extra}"
        if self.kind == "recurrent" and self.feedback == "output":
            return f"{self.kind} {self.size} (Jordan)"
        return self.kind if self.kind == "flatten" else f"{self.kind} {self.size}"


@attrs.frozen
class Architecture:
    """The input's shape and the layers above it; for a recurrent network also the sequence
    length `steps` (T), whether a target is given at every step or at the `last` one, and the
    initial value of what is fed back `h0` (h_0, or y_0 of a Jordan layer; None: zero)."""

    input: tuple[int, ...]
    layers: tuple[LayerSpec, ...]
    steps: int = 0
    last_target_only: bool = False
    h0: tuple[float, ...] | None = None

    @property
    def recurrent(self) -> bool:
        return any(layer.kind == "recurrent" for layer in self.layers)

    @property
    def jordan(self) -> bool:
        """A recurrent layer fed by the network's previous output (Jordan), not its own state."""
        return any(layer.kind == "recurrent" and layer.feedback == "output" for layer in self.layers)

    @property
    def fed_back(self) -> int:
        """How many values each time step feeds back: the hidden units (Elman), the outputs (Jordan)."""
        return self.layers[-1].size if self.jordan else self.layers[0].size

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds of layer it has, in order, each once."""
        seen: list[str] = []
        for layer in self.layers:
            if layer.kind not in seen:
                seen.append(layer.kind)
        return tuple(seen)

    def shapes(self) -> list[tuple[int, ...]]:
        """The shape after every layer (the input's first), checking that each layer fits."""
        shape = self.input
        shapes = [shape]
        for index, layer in enumerate(self.layers, start=1):
            shape = layer_output(layer, shape, f"network.layer[{index}]")
            shapes.append(shape)
        return shapes

    def sizes(self) -> LayerSizes:
        """The neurons of every layer (a flatten layer has none of its own) and the connections."""
        shapes = self.shapes()
        steps = max(self.steps, 1)
        sizes, connections = [math.prod(shapes[0]) * steps], 0
        below = shapes[0]
        for layer, shape in zip(self.layers, shapes[1:]):
            if layer.kind == "flatten":
                below = shape
                continue
            count = math.prod(shape)
            if layer.kind in SPATIAL:
                fan_in = below[0] * math.prod(layer.kernel)
            elif layer.kind in POOLS:
                fan_in = math.prod(layer.kernel)
            else:
                fan_in = math.prod(below) + (self.fed_back if layer.kind == "recurrent" else 0)
            if layer.kind == "recurrent":
                sizes[0] += self.fed_back  # h_0, or y_0
            sizes.append(count * steps)
            connections += count * fan_in * steps
            if layer.kind == "recurrent" and self.jordan:  # the outputs fed back, a copy per step (core/recurrent.py)
                sizes[-1] += self.fed_back * (steps - 1)
                connections += self.fed_back * layer.size * (steps - 1)
            below = shape
        return LayerSizes(sizes, connections)

    def describe(self) -> str:
        """'1x4x4 → conv2d 1@2x2 → maxpool 2x2 → flatten → dense 1' (with the sequence length)."""
        parts = ["x".join(map(str, self.input))] + [layer.describe() for layer in self.layers]
        text = " → ".join(parts)
        return f"{text} (T = {self.steps})" if self.recurrent else text


class LayerSizes(tuple):
    """The neurons per layer of a network with shared weights (a tuple, as a dense network's sizes
    are) and its number of `connections`, which the sizes alone do not give (core/memory.py)."""

    connections: int

    def __new__(cls, sizes, connections: int):
        self = super().__new__(cls, sizes)
        self.connections = connections
        return self

    def __getnewargs__(self):
        return tuple(self), self.connections


def layer_output(layer: LayerSpec, shape: tuple[int, ...], where: str) -> tuple[int, ...]:
    """The shape a layer gives for an input of `shape`, or a NeurosimError naming `where`."""
    if layer.kind in ("dense", "recurrent"):
        return (layer.size,)
    if layer.kind == "flatten":
        return (math.prod(shape),)
    dims = SPATIAL.get(layer.kind, len(shape) - 1)
    if len(shape) != dims + 1:
        raise NeurosimError(say("{where}: {kind} needs an input of {dims} dimensions, got {shape}", where=where,
                                kind=layer.kind, dims=dims + 1, shape="x".join(map(str, shape))))
    positions = []
    for axis, (n, k, s, p) in enumerate(zip(shape[1:], layer.kernel, layer.stride, layer.padding or (0,) * dims)):
        padded = n + 2 * p
        if k > padded:
            raise NeurosimError(say("{where}.kernel: {k} is larger than the (padded) input, {n} values along "
                                    "axis {axis}", where=where, k=k, n=padded, axis=axis + 1))
        if layer.kind in POOLS and (n - k) % s:
            raise NeurosimError(say("{where}.stride: a window of {k} moved by {s} does not tile {n} values "
                                    "(axis {axis})", where=where, k=k, s=s, n=n, axis=axis + 1))
        positions.append((padded - k) // s + 1)
    channels = layer.size if layer.kind in SPATIAL else shape[0]
    return (channels, *positions)
