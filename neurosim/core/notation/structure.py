"""Where each neuron, weight and bias sits in a network, in the coordinates notations number them by.

A neuron's `Place`: its layer (0 = the inputs), its index in the layer (1-based `j`, 0-based `j0`),
its unit number across the whole network (`u`, 1-based, inputs first: Han/Kamber/Pei's units
1..6), Nielsen's layer number `l` (the inputs are layer 1) and the matrix layer number `m` (hidden
layer m is h_m, the weights into layer m are W_m; the inputs are 0). A weight joins a source place
`s` to a target place `t`; a per-neuron bias belongs to the place `t`, a shared bias to a layer.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ..names import bias_names, neuron_names


@attrs.frozen
class Place:
    """A neuron's place: n (our name, h1), role (input | hidden | output), layer, j, j0, u, l, m."""

    n: str
    role: str
    layer: int
    j: int
    j0: int
    u: int
    l: int  # noqa: E741 (Nielsen's letter)
    m: int
    net_label: str = ""  # the course notation's names (course.py), for a network with shared weights
    out_label: str = ""


def join(a: int, b: int) -> str:
    """Two indices written together (w46, w^2_12), or with a comma when one has two digits (w9,12)."""
    return f"{a}{b}" if a < 10 and b < 10 else f"{a},{b}"


@attrs.frozen
class WeightPlace:
    """A weight from `s` to `t`; pair_u joins the units source first (w46), pair_j the layer
    indices target first (Nielsen's w^l_jk)."""

    name: str
    s: Place
    t: Place
    label: str = ""  # the course notation's name (W_hh, K1[1][2])

    @property
    def pair_u(self) -> str:
        return join(self.s.u, self.t.u)

    @property
    def pair_j(self) -> str:
        return join(self.t.j, self.s.j)


@attrs.frozen
class BiasPlace:
    """A bias: of the neuron at `t` (per-neuron), or shared by layer `m` (t None)."""

    name: str
    t: Place | None
    m: int
    label: str = ""  # the course notation's name (b_h, b_K1)

    @property
    def l(self) -> int:  # noqa: E743
        return self.m + 1


class Structure:
    """The places of every neuron, weight and bias of a network of `sizes` and `bias_mode`."""

    def __init__(self, sizes: Sequence[int], bias_mode: str):
        self.sizes = tuple(sizes)
        self.bias_mode = bias_mode
        names = neuron_names(self.sizes)
        last = len(self.sizes) - 1
        self.neurons: dict[str, Place] = {}
        self.layers: list[list[Place]] = []
        unit = 0
        for layer, layer_names in enumerate(names):
            role = "input" if layer == 0 else ("output" if layer == last else "hidden")
            places = []
            for j0, name in enumerate(layer_names):
                unit += 1
                j = j0 + 1  # the course notation's names (course.py): x[j], z1[j] and h1[j], o[j] and y[j]
                labels = (f"x[{j}]",) * 2 if role == "input" else (
                    (f"o[{j}]", f"y[{j}]") if role == "output" else (f"z{layer}[{j}]", f"h{layer}[{j}]"))
                places.append(Place(name, role, layer, j0 + 1, j0, unit, layer + 1, layer, *labels))
            self.layers.append(places)
            self.neurons.update((p.n, p) for p in places)
        self.weights: dict[str, WeightPlace] = {}
        for below, above in zip(self.layers, self.layers[1:]):
            for t in above:
                for s in below:
                    name = f"w{len(self.weights) + 1}"
                    self.weights[name] = WeightPlace(name, s, t, f"W{t.layer}[{t.j}][{s.j}]")
        self.pairs = None  # every (source, target) pair is its weight's own (NameMap indexes them)
        self.biases: dict[str, BiasPlace] = {}
        for name in bias_names(self.sizes, bias_mode):
            if name.startswith("b_"):
                t = self.neurons[name[2:]]
                self.biases[name] = BiasPlace(name, t, t.m, f"b{t.layer}[{t.j}]")
            else:
                self.biases[name] = BiasPlace(name, None, int(name[1:]), f"b{name[1:]}")

    @classmethod
    def of_network(cls, network) -> Structure:
        """The places of a network given layer by layer (core/shared_network.py): its layers as they
        are, each weight (a kernel entry, W_hh: one parameter, many connections) placed at its first
        connection, and every connection's pair in `pairs`; a bias of one neuron is that neuron's,
        a bias of several (a kernel's) its layer's."""
        from .course import course_labels
        self = cls.__new__(cls)
        self.sizes, self.bias_mode = tuple(network.sizes), network.bias_mode
        labels, weight_labels, bias_labels = course_labels(network)
        last = len(network.layers) - 1
        self.neurons, self.layers, unit = {}, [], 0
        for index, layer in enumerate(network.layers):
            role = "input" if index == 0 else ("output" if index == last else "hidden")
            places = []
            for j0, neuron in enumerate(layer.neurons):
                unit += 1
                places.append(Place(neuron.name, role, index, j0 + 1, j0, unit, index + 1, index,
                                    *labels.get(neuron.name, ("", ""))))
            self.layers.append(places)
            self.neurons.update((p.n, p) for p in places)
        self.weights, self.pairs = {}, {}
        for layer in network.layers[1:]:
            for neuron in layer.neurons:
                for connection in neuron.incoming:
                    if not _is_parameter(connection):
                        continue
                    place = WeightPlace(connection.name, self.neurons[connection.source.name],
                                        self.neurons[neuron.name], weight_labels.get(connection.name, ""))
                    self.weights.setdefault(connection.name, place)
                    self.pairs[connection.source.name, neuron.name] = place
        owners: dict[str, list] = {}
        for layer in network.layers[1:]:
            for neuron in layer.neurons:
                if neuron.bias is not None:
                    owners.setdefault(neuron.bias.name, []).append(self.neurons[neuron.name])
        self.biases = {name: BiasPlace(name, places[0] if len(places) == 1 else None, places[0].m,
                                       bias_labels.get(name, ""))
                       for name, places in owners.items()}
        return self

    @classmethod
    def of_shape(cls, shape: str, bias_mode: str) -> Structure:
        """From a network's shape text ('2-2-2', as a trace records it)."""
        return cls([int(s) for s in shape.split("-")], bias_mode)

    def __repr__(self) -> str:
        return f"Structure({'-'.join(map(str, self.sizes))}, {self.bias_mode})"


def _is_parameter(connection) -> bool:
    """A connection with a weight to learn (a pooling connection has none)."""
    return not hasattr(connection, "pool")
