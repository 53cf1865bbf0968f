"""SharedNetwork: a network given layer by layer (core/architecture.py) whose kernels and recurrent
weights are shared parameters (core/shared.py), and how one is built.

Its neurons compute as every neuron does; what differs is where their inputs come from (some
neurons of any layer below: `SparseNeuron.positions`) and that one `Weight` stands behind many
connections. `parameters()` lists every parameter once, in naming order: the weights (kernel
entries k1_11 …, dense weights w1 …) then the biases (b_k1 …, b_h1 …).

The conventions that decide how the weights are laid (a true convolution turns the kernel by
180°; truncated BPTT stops dE/dh going back through W_hh) are applied by `prepare`, which every
step calls first, so one network serves every convention as the dense network does.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import attrs
import numpy as np

from ..errors import NeurosimError
from ..messages import say
from .activations import Activation, get_activation
from .architecture import POOLS, SPATIAL, Architecture
from .arithmetic import exact
from .conv import Block, conv_layer, pool_layer
from .layer import Layer
from .netfile import network_arguments, network_dict, read_network_json, write_network_json
from .network import Network
from .neuron import Bias, Connection, Keep
from .parameters import resolve_values
from .recurrent import assemble_recurrent, carry, over_time
from .shared import SparseNeuron, TiedConnection

BIAS_MODE = "per-unit"  # a conv layer's bias per kernel, a dense or recurrent layer's per unit


@attrs.define(eq=False, repr=False)
class SharedLayer(Layer):
    """A layer of a SharedNetwork: its kind, shape, and its parameters once each, in naming order
    (name, "weight" | "bias", the object holding the value)."""

    kind: str = "dense"
    shape: tuple[int, ...] = ()
    parameters: list = attrs.Factory(list)

    @property
    def trainable(self) -> bool:
        return bool(self.parameters)


@attrs.define(eq=False, repr=False)
class SharedNetwork(Network):
    """Layers of neurons some of whose weights are shared; `weight_params` holds every weight once
    (a Weight, or a dense layer's own Connection) in naming order."""

    architecture: Architecture = None
    weight_params: list = attrs.Factory(list)
    activation_objects: list = attrs.Factory(list)
    flipped: bool = False  # the kernels as laid now: turned by 180° (a true convolution) or not
    links: list = attrs.Factory(list)  # a recurrent network: the W_hh connections out of h_0, h_1, …
    bptt: int = 0  # the truncation laid now (0: full BPTT)
    history: dict = attrs.Factory(dict)  # updated per time step: the forward records of the steps so far

    @property
    def at_one_time_step(self) -> bool:
        """False for an unrolled recurrent network, which real-time BPTT sees one time step at a time
        (core/time_steps.py); a TimeStepView is such a view."""
        return not self.links

    @property
    def activations(self) -> tuple[str, ...]:
        """One activation per layer as given (an unrolled recurrent layer's once, not per time step)."""
        return tuple(a.name for a in self.activation_objects)

    def forward(self, inputs: Sequence[float], keep: Keep = exact, store: Keep | None = None) -> list[float]:
        """net and out of every neuron, layer by layer, each reading its sources from the outputs so
        far (inputs first); returns the outputs."""
        values = [(store or keep)(x) for x in inputs]
        for neuron, out in zip(self.input_layer.neurons, values):
            neuron.out = out
        outs = values
        for layer in self.layers[1:]:
            outs = layer.forward(values, keep)
            values.extend(outs)
        return outs

    def layer_values(self, inputs: Sequence[float], keep: Keep = exact,
                     store: Keep | None = None) -> list[list[tuple[float, float]]]:
        """(net, out) of every neuron of every non-input layer, without changing any neuron."""
        values = [(store or keep)(x) for x in inputs]
        result = []
        for layer in self.layers[1:]:
            nets, outs = layer.calculate_values(values, keep)
            values.extend(outs)
            result.append(list(zip(nets, outs)))
        return result

    def parameters(self) -> dict[str, float]:
        values = {p.name: p.weight for p in self.weight_params}
        values.update((b.name, b.value) for b in self.biases)
        return values

    def parameter_names(self) -> list[str]:
        return [p.name for p in self.weight_params] + [b.name for b in self.biases]

    def set_parameters(self, values: Mapping[str, float]) -> None:
        weights = {p.name: p for p in self.weight_params}
        biases = {b.name: b for b in self.biases}
        for name, value in values.items():
            if name in weights:
                weights[name].weight = value
            elif name in biases:
                biases[name].value = value
            else:
                raise NeurosimError(say("no parameter named '{name}' in this {shape} network", name=name,
                                        shape=self.shape_text()))

    def shape_text(self) -> str:
        return self.architecture.describe()

    def copy(self) -> SharedNetwork:
        network = build_shared(self.architecture, self.activation_objects, self.parameters())
        network.prepare_layout(self.flipped)
        if self.links and self.bptt:
            carry(network.links, self.architecture.steps, self.bptt)
            network.bptt = self.bptt
        return network

    def prepare(self, conventions) -> None:
        """Lay the kernels as the conventions say (turned for a true convolution), and cut the carry
        through W_hh where truncated BPTT stops (core/recurrent.py)."""
        self.prepare_layout(getattr(conventions, "kernel", "cross-correlation") == "convolution")
        bptt = getattr(conventions, "bptt", 0)
        if self.links and bptt != self.bptt:
            carry(self.links, self.architecture.steps, bptt)
            self.bptt = bptt

    def step_loss(self, loss, conventions):
        """The loss of one sample: a sequence's, summed or averaged over its time steps."""
        if not self.architecture.recurrent:
            return loss
        return over_time(loss, self.architecture.steps if not self.architecture.last_target_only else 1,
                         self.architecture.layers[-1].size, getattr(conventions, "time_loss", "sum") == "mean")

    def prepare_layout(self, flipped: bool) -> None:
        if flipped != self.flipped:
            for connection in self.connections:
                if type(connection) is TiedConnection:
                    connection.use_flipped(flipped)
            self.flipped = flipped

    def update_order(self) -> list[str]:
        """Parameters in the order a person works them: the output layer first, then down; within a
        layer, weights in naming order, then biases (a weight shared by several layers: once)."""
        names: list[str] = []
        seen: set[str] = set()
        for layer in reversed(self.layers[1:]):
            for name, _, _ in layer.parameters:
                if name not in seen:
                    seen.add(name)
                    names.append(name)
        return names

    def save(self, path) -> None:
        """Write the network to `path` as JSON: its layers as tables, its weights and biases by name
        (core/sharedfile.py; values round-trip exactly)."""
        write_network_json(network_dict(self), path)

    @staticmethod
    def load(path) -> SharedNetwork:
        """Read a network written by `SharedNetwork.save` (or `run --save`)."""
        return SharedNetwork.from_dict(read_network_json(path), str(path))

    @staticmethod
    def from_dict(data, where: str = "network file") -> SharedNetwork:
        """Rebuild a network with shared weights from its `network_dict` form; errors name `where`."""
        arguments = network_arguments(data, where)
        if "architecture" not in arguments:
            raise NeurosimError(say("{where}: a dense network: Network.load reads it", where=where))
        try:
            return build_shared(**arguments)
        except NeurosimError as error:
            raise NeurosimError(f"{where}: {error}") from None

    def __repr__(self) -> str:
        return (f"SharedNetwork({self.shape_text()}, {len(self.weight_params)} weights, "
                f"{len(self.biases)} biases, {len(self.connections)} connections)")


def build_shared(architecture: Architecture, activations: Sequence[Activation | str],
                 parameters: Mapping[str, float] | None = None, *, weights=None, biases=None,
                 rng: np.random.Generator | None = None, init: str = "uniform", store: Keep = exact) -> SharedNetwork:
    """Build the network of `architecture`, one activation per layer of neurons (pools: linear),
    with weights and biases by name (`parameters`, or `weights` and `biases`); values not given are
    drawn from `rng` in naming order (uniform on [0, 1) or standard normal), as build_network does."""
    acts = [a if isinstance(a, Activation) else get_activation(a) for a in activations]
    network = assemble(architecture, acts)
    w_names = [p.name for p in network.weight_params]
    b_names = [b.name for b in network.biases]
    if parameters is not None:
        known_w, known_b = frozenset(w_names), frozenset(b_names)
        weights = {n: v for n, v in parameters.items() if n in known_w or n not in known_b}
        biases = {n: v for n, v in parameters.items() if n in known_b}
    drawn_w = drawn_b = None
    if rng is not None:
        draw = rng.random if init == "uniform" else rng.standard_normal
        drawn_w = [float(v) for v in draw(len(w_names))]
        drawn_b = [float(v) for v in draw(len(b_names))]
    shape = architecture.describe()
    for p, value in zip(network.weight_params, resolve_values("weights", w_names, weights, drawn_w, shape)):
        p.weight = store(value)
    for b, value in zip(network.biases, resolve_values("biases", b_names, biases, drawn_b, shape)):
        b.value = store(value)
    return network


def assemble(architecture: Architecture, activations: Sequence[Activation | str]) -> SharedNetwork:
    """The neurons, connections and parameters of `architecture` (values NaN until given)."""
    acts = [a if isinstance(a, Activation) else get_activation(a) for a in activations]
    if architecture.recurrent:
        parts = assemble_recurrent(architecture, acts, SharedLayer)
        return SharedNetwork(bias_mode=BIAS_MODE if parts["biases"] else "none", architecture=architecture,
                             activation_objects=list(acts), **parts)
    shapes = architecture.shapes()
    inputs = [SparseNeuron(f"i{k}", None) for k in range(1, math.prod(shapes[0]) + 1)]
    layers: list[Layer] = [SharedLayer(0, "input", inputs, None, kind="input", shape=shapes[0])]
    below = Block(inputs, shapes[0], 0)
    weight_params, biases = [], []
    specs = architecture.layers
    counts = {group: sum(_group(s.kind) == group for s in specs) for group in ("conv", "pool", "dense")}
    counts["dense"] -= specs[-1].kind == "dense"  # hidden dense layers: h1 …, or h1_1 … with several
    seen = dict.fromkeys(counts, 0)
    act_iter = iter(acts)
    for index, (spec, shape) in enumerate(zip(specs, shapes[1:]), start=1):
        if spec.kind == "flatten":
            below = Block(below.neurons, shape, below.base)
            continue
        group = _group(spec.kind)
        seen[group] += 1
        prefix = f"{seen[group]}_" if counts[group] > 1 else ""
        act = next(act_iter)
        w_before, b_before = len(weight_params), len(biases)
        if group == "conv":
            neurons = conv_layer(spec, below, shape, prefix, act, weight_params, biases)
        elif group == "pool":
            neurons = pool_layer(spec, below, shape, prefix)
        else:
            last = index == len(specs)
            names = [f"o{j}" for j in range(1, spec.size + 1)] if last else (
                [f"h{prefix}{j}" for j in range(1, spec.size + 1)])
            neurons = _dense(names, spec.bias, below, act, weight_params, biases)
        params = [(p.name, "weight", p) for p in weight_params[w_before:]] + \
            [(b.name, "bias", b) for b in biases[b_before:]]
        label = "output" if index == len(specs) else spec.kind
        layers.append(SharedLayer(len(layers), label, neurons, act, kind=spec.kind, shape=shape, parameters=params))
        below = Block(neurons, shape, below.base + len(below.neurons))
    connections = [c for layer in layers[1:] for n in layer.neurons for c in n.incoming]
    return SharedNetwork(layers, connections, biases, BIAS_MODE if biases else "none", architecture=architecture,
                         weight_params=weight_params, activation_objects=list(acts))


def _group(kind: str) -> str:
    return "conv" if kind in SPATIAL else ("pool" if kind in POOLS else "dense")


def _dense(names: list[str], bias: bool, below: Block, act: Activation, weights: list, biases: list) -> list:
    """A dense layer: every neuron fed by every neuron of `below` (w1, w2, … in Mazur's order)."""
    neurons = []
    number = sum(type(p) is Connection for p in weights)
    for name in names:
        neuron = SparseNeuron(name, act, Bias(f"b_{name}", math.nan) if bias else None)
        for place, source in enumerate(below.neurons):
            number += 1
            connection = Connection(f"w{number}", source, neuron, math.nan)
            source.outgoing.append(connection)
            neuron.incoming.append(connection)
            neuron.positions.append(below.base + place)
            weights.append(connection)
        if neuron.bias is not None:
            biases.append(neuron.bias)
        neurons.append(neuron)
    return neurons
