"""The object model: Neuron, Connection, Bias, Layer and Network (Mazur-style, neuron by neuron).

Names follow DESIGN.md §4. Inputs i1, i2, …; hidden neurons h1, h2, … (with more than one hidden
layer: h1_1, h1_2, … for hidden layer 1, h2_1, … for hidden layer 2); outputs o1, o2, ….
Weights w1, w2, … are numbered layer by layer, for each target neuron in order, its incoming
connections in source order (w1: i1→h1, w2: i2→h1, w3: i1→h2, …). Biases are b1, b2, … one per
layer when shared (Mazur's code), or b_h1, b_h2, …, b_o1, … one per neuron.
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

import attrs
import numpy as np

from .activations import Activation, get_activation
from .arithmetic import Arithmetic
from ..errors import NeurosimError
from .display import html_of
from .netfile import network_arguments, network_dict, read_network_json, write_network_json

BIAS_MODES = ("shared", "per-neuron", "none")
INIT_METHODS = ("uniform", "normal")

_NAN = float("nan")


@attrs.define(eq=False, repr=False)
class Bias:
    """A bias parameter; shared by every neuron of a layer, or owned by one neuron."""

    name: str
    value: float
    gradient: float = _NAN

    def __repr__(self) -> str:
        return f"Bias({self.name}={self.value:.9g})"


@attrs.define(eq=False, repr=False)
class Neuron:
    """One neuron: net = Σ w·out_source + b, out = f(net).

    After a step it holds the values of the last sample it saw: net, out, dE/dout, dout/dnet and
    delta = dE/dnet.
    """

    name: str
    activation: Activation | None
    bias: Bias | None = None
    incoming: list["Connection"] = attrs.Factory(list)
    outgoing: list["Connection"] = attrs.Factory(list)
    net: float = _NAN
    out: float = _NAN
    dE_dout: float = _NAN
    dout_dnet: float = _NAN
    delta: float = _NAN

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

    def __repr__(self) -> str:
        return f"Connection({self.name}: {self.source.name}->{self.target.name}, weight={self.weight:.9g})"


@attrs.define(eq=False, repr=False)
class Layer:
    """A layer of neurons sharing one activation (None for the input layer)."""

    index: int
    name: str
    neurons: list[Neuron]
    activation: Activation | None

    def __repr__(self) -> str:
        act = f", {self.activation.name}" if self.activation else ""
        return f"Layer({self.name}: {' '.join(n.name for n in self.neurons)}{act})"


@attrs.define(eq=False, repr=False)
class Network:
    """Layers of neurons, connections in weight-naming order, and biases in naming order."""

    layers: list[Layer]
    connections: list[Connection]
    biases: list[Bias]
    bias_mode: str

    @property
    def input_layer(self) -> Layer:
        return self.layers[0]

    @property
    def output_layer(self) -> Layer:
        return self.layers[-1]

    @property
    def sizes(self) -> tuple[int, ...]:
        return tuple(len(layer.neurons) for layer in self.layers)

    @property
    def activations(self) -> tuple[str, ...]:
        return tuple(layer.activation.name for layer in self.layers[1:])

    def neurons(self) -> list[Neuron]:
        return [n for layer in self.layers for n in layer.neurons]

    def parameters(self) -> dict[str, float]:
        """Every weight and bias by name, weights first, in naming order."""
        values = {c.name: c.weight for c in self.connections}
        values.update((b.name, b.value) for b in self.biases)
        return values

    def parameter_names(self) -> list[str]:
        return [c.name for c in self.connections] + [b.name for b in self.biases]

    def set_parameters(self, values: Mapping[str, float]) -> None:
        """Set weights and biases by name."""
        by_name = {c.name: c for c in self.connections}
        biases = {b.name: b for b in self.biases}
        for name, value in values.items():
            if name in by_name:
                by_name[name].weight = value
            elif name in biases:
                biases[name].value = value
            else:
                raise NeurosimError(f"no parameter named '{name}' in this {self.shape_text()} network")

    def shape_text(self) -> str:
        return "-".join(str(s) for s in self.sizes)

    def copy(self) -> "Network":
        """An independent network with the same shape, activations and parameter values."""
        return _assemble(self.sizes, [layer.activation for layer in self.layers[1:]],
                         [c.weight for c in self.connections], [b.value for b in self.biases], self.bias_mode)

    def save(self, path) -> None:
        """Write the network to `path` as JSON (see core/netfile.py; values round-trip exactly)."""
        write_network_json(network_dict(self), path)

    @staticmethod
    def load(path) -> "Network":
        """Read a network written by `Network.save`."""
        return Network.from_dict(read_network_json(path), str(path))

    @staticmethod
    def from_dict(data, where: str = "network file") -> "Network":
        """Rebuild a network from its `network_dict` form; errors name `where` and the bad field."""
        arguments = network_arguments(data, where)
        try:
            return build_network(**arguments)
        except NeurosimError as error:
            raise NeurosimError(f"{where}: {error}") from None

    def __repr__(self) -> str:
        n_bias = f", {len(self.biases)} {self.bias_mode} biases" if self.biases else ", no biases"
        return (f"Network({self.shape_text()}, {'/'.join(self.activations)}, "
                f"{len(self.connections)} weights{n_bias})")

    def _repr_html_(self) -> str | None:
        """Jupyter shows the network as a table of its neurons and parameters (views/report.py)."""
        return html_of(self)


def neuron_names(sizes: Sequence[int]) -> list[list[str]]:
    """Names per layer: i1.. for inputs, h1.. (or h1_1.. with several hidden layers), o1.. outputs."""
    names = [[f"i{k}" for k in range(1, sizes[0] + 1)]]
    hidden = sizes[1:-1]
    for layer, size in enumerate(hidden, start=1):
        prefix = "h" if len(hidden) == 1 else f"h{layer}_"
        names.append([f"{prefix}{k}" for k in range(1, size + 1)])
    names.append([f"o{k}" for k in range(1, sizes[-1] + 1)])
    return names


def weight_names(sizes: Sequence[int]) -> list[str]:
    count = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    return [f"w{k}" for k in range(1, count + 1)]


def bias_names(sizes: Sequence[int], bias_mode: str) -> list[str]:
    if bias_mode == "none":
        return []
    if bias_mode == "shared":
        return [f"b{k}" for k in range(1, len(sizes))]
    return [f"b_{name}" for layer in neuron_names(sizes)[1:] for name in layer]


def _check_sizes(sizes) -> tuple[int, ...]:
    try:
        sizes = tuple(sizes)
    except TypeError:
        raise NeurosimError(f"layers: expected a list of layer sizes such as [2, 2, 2], got {sizes!r}") from None
    if len(sizes) < 2:
        raise NeurosimError(f"layers: need at least an input and an output layer, got {list(sizes)}")
    for size in sizes:
        if not isinstance(size, int) or isinstance(size, bool) or size < 1:
            raise NeurosimError(f"layers: every layer size must be a whole number ≥ 1, got {size!r}")
    return sizes


def _check_activations(activations, n_layers: int) -> list[Activation]:
    if isinstance(activations, (str, Activation)):
        activations = [activations] * n_layers
    activations = list(activations)
    if len(activations) != n_layers:
        raise NeurosimError(
            f"activations: expected {n_layers} (one per layer after the input), got {len(activations)}")
    return [a if isinstance(a, Activation) else get_activation(a) for a in activations]


def as_number(field: str, value) -> float:
    """A finite float from a number (or a numeric string); a clear error naming `field` otherwise."""
    if isinstance(value, bool):
        raise NeurosimError(f"{field}: {value!r} is not a number")
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise NeurosimError(f"{field}: {value!r} is not a number") from None
    if not isinstance(value, (int, float, np.floating, np.integer)):
        raise NeurosimError(f"{field}: {value!r} is not a number")
    value = float(value)
    if not math.isfinite(value):
        raise NeurosimError(f"{field}: {value} is not a finite number")
    return value


def _resolve(kind: str, names: list[str], given, drawn: list[float] | None, shape: str) -> list[float]:
    """Values in naming order from a list (all of them) or a name→value mapping (+ random draws)."""
    if given is None:
        given = {}
    if not isinstance(given, Mapping):
        given = list(given)
        if len(given) != len(names):
            span = f"{names[0]}..{names[-1]}" if names else "none"
            raise NeurosimError(
                f"{kind}: expected {len(names)} values ({span}) for a {shape} network, got {len(given)}")
        return [as_number(f"{kind}: {n}", v) for n, v in zip(names, given)]
    known = set(names)
    for name in given:
        if name not in known:
            span = f"{names[0]}..{names[-1]}" if names else "none"
            raise NeurosimError(f"{kind}: no parameter named '{name}' (this {shape} network has {span})")
    missing = [n for n in names if n not in given]
    if missing and drawn is None:
        shown = ", ".join(missing[:6]) + (", …" if len(missing) > 6 else "")
        raise NeurosimError(
            f"{kind}: missing {shown} (give all {len(names)} values, or a seed for random ones)")
    return [as_number(f"{kind}: {n}", given[n]) if n in given else drawn[i] for i, n in enumerate(names)]


def build_network(
    sizes: Sequence[int],
    activations: str | Sequence[str] = "sigmoid",
    parameters: Mapping[str, float] | None = None,
    *,
    weights: Sequence[float] | Mapping[str, float] | None = None,
    biases: Sequence[float] | Mapping[str, float] | None = None,
    bias_mode: str = "shared",
    rng: np.random.Generator | None = None,
    init: str = "uniform",
    arithmetic: Arithmetic | None = None,
) -> Network:
    """Build a network from layer sizes, activations and named (or listed) weights and biases.

    `parameters` is one name→value mapping of weights and biases (w1.., b1..); alternatively give
    `weights` and `biases` separately, as lists in naming order or as mappings. Values not given
    are drawn from `rng` in naming order: uniform on [0, 1) as Mazur's code does, or standard
    normal (`init="normal"`) as the NumPy seeds do.
    """
    sizes = _check_sizes(sizes)
    shape = "-".join(map(str, sizes))
    if bias_mode not in BIAS_MODES:
        raise NeurosimError(f"bias: unknown value '{bias_mode}' (choose from {', '.join(BIAS_MODES)})")
    if init not in INIT_METHODS:
        raise NeurosimError(f"init: unknown value '{init}' (choose from {', '.join(INIT_METHODS)})")
    acts = _check_activations(activations, len(sizes) - 1)
    w_names, b_names = weight_names(sizes), bias_names(sizes, bias_mode)
    if parameters is not None:
        if weights is not None or biases is not None:
            raise NeurosimError("give either parameters or weights/biases, not both")
        if not isinstance(parameters, Mapping):
            raise NeurosimError("parameters: expected a mapping of names such as w1, b1 to values")
        unknown = [n for n in parameters if n not in w_names and n not in b_names]
        if unknown:
            kind = "biases" if unknown[0].startswith("b") else "weights"
            pool = b_names if kind == "biases" else w_names
            span = f"{pool[0]}..{pool[-1]}" if pool else "none"
            raise NeurosimError(f"{kind}: no parameter named '{unknown[0]}' (this {shape} network has {span})")
        weights = {n: v for n, v in parameters.items() if n in w_names}
        biases = {n: v for n, v in parameters.items() if n in b_names}
    if bias_mode == "none" and biases:
        raise NeurosimError("biases: given, but bias is 'none'")
    drawn_w = drawn_b = None
    if rng is not None:
        draw = rng.random if init == "uniform" else rng.standard_normal
        drawn_w = [float(v) for v in draw(len(w_names))]
        drawn_b = [float(v) for v in draw(len(b_names))]
    w_values = _resolve("weights", w_names, weights, drawn_w, shape)
    b_values = _resolve("biases", b_names, biases, drawn_b, shape)
    store = (arithmetic or Arithmetic()).store_param  # given values: the dtype, never rounded
    return _assemble(sizes, acts, [store(v) for v in w_values], [store(v) for v in b_values], bias_mode)


def _assemble(sizes, acts, w_values, b_values, bias_mode) -> Network:
    names = neuron_names(sizes)
    bias_objs = [Bias(n, v) for n, v in zip(bias_names(sizes, bias_mode), b_values)]
    layers: list[Layer] = [Layer(0, "input", [Neuron(n, None) for n in names[0]], None)]
    connections: list[Connection] = []
    weight_iter = iter(w_values)
    bias_iter = iter(bias_objs)
    for index in range(1, len(sizes)):
        act = acts[index - 1]
        label = "output" if index == len(sizes) - 1 else (
            "hidden" if len(sizes) == 3 else f"hidden {index}")
        shared = next(bias_iter) if bias_mode == "shared" else None
        neurons = []
        for name in names[index]:
            bias = shared if bias_mode == "shared" else (next(bias_iter) if bias_mode == "per-neuron" else None)
            neuron = Neuron(name, act, bias)
            for source in layers[-1].neurons:
                conn = Connection(f"w{len(connections) + 1}", source, neuron, next(weight_iter))
                source.outgoing.append(conn)
                neuron.incoming.append(conn)
                connections.append(conn)
            neurons.append(neuron)
        layers.append(Layer(index, label, neurons, act))
    return Network(layers, connections, bias_objs, bias_mode)

