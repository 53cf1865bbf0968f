"""Network: layers of neurons joined by weighted connections, and how one is built from sizes,
activations and named (or listed) weights and biases.

The objects that compute are in neuron.py (Neuron, Connection, Bias) and layer.py (Layer); names
follow DESIGN.md §4 (names.py): w1: i1→h1, w2: i2→h1, …; biases b1, b2 per layer when shared, b_h1,
b_o1 per neuron.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs
import numpy as np

from ..errors import NeurosimError
from ..messages import N_, say
from .arithmetic import Arithmetic, exact
from .display import html_of
from .initialisation import INIT_METHODS, draw_initial
from .layer import Layer
from .memory import check_network
from .names import bias_names, layer_label, neuron_names, weight_names
from .netfile import is_shared_file, network_arguments, network_dict, read_network_json, write_network_json
from .neuron import Bias, Connection, Keep, Neuron
from .parameters import as_number, check_activations, check_options, check_sizes, list_of, resolve_values

BIAS_MODES = ("shared", "per-neuron", "none")

__all__ = ["BIAS_MODES", "INIT_METHODS", "Bias", "Connection", "Layer", "Network", "Neuron", "as_number",
           "bias_names", "build_network", "neuron_names", "weight_names"]


def _bias_mode(instance, attribute, value) -> None:
    if not isinstance(value, str):
        raise NeurosimError(say("bias_mode: expected one of {choices}, got {value!r}", choices=", ".join(BIAS_MODES),
                                value=value))


@attrs.define(eq=False, repr=False, on_setattr=attrs.setters.NO_OP)  # (validated when made, not per assignment)
class Network:
    """Layers of neurons, connections in weight-naming order, and biases in naming order."""

    layers: list[Layer] = attrs.field(validator=list_of(Layer, N_("layers (an input and an output layer at least)"), 2))
    connections: list[Connection] = attrs.field(validator=list_of(object, N_("connections")))
    biases: list[Bias] = attrs.field(validator=list_of(object, N_("biases")))
    bias_mode: str = attrs.field(validator=_bias_mode)

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

    def forward(self, inputs: Sequence[float], keep: Keep = exact, store: Keep | None = None) -> list[float]:
        """Compute and store net and out of every neuron for `inputs`, layer by layer (Layer.forward);
        returns the outputs. `keep` keeps each computed value (Arithmetic.keeper); `store` converts
        the given inputs (Arithmetic.storer: the dtype, never rounded; default `keep`)."""
        outs = [(store or keep)(x) for x in inputs]
        for neuron, out in zip(self.input_layer.neurons, outs):
            neuron.out = out
        for layer in self.layers[1:]:
            outs = layer.forward(outs, keep)
        return outs

    def layer_values(self, inputs: Sequence[float], keep: Keep = exact,
                     store: Keep | None = None) -> list[list[tuple[float, float]]]:
        """(net, out) of every neuron of every non-input layer for `inputs`, without changing any
        neuron (the same formulas as `forward`)."""
        outs = [(store or keep)(x) for x in inputs]
        result = []
        for layer in self.layers[1:]:
            nets, outs = layer.calculate_values(outs, keep)
            result.append(list(zip(nets, outs)))
        return result

    def evaluate(self, inputs: Sequence[float], keep: Keep = exact, store: Keep | None = None) -> list[float]:
        """The outputs for `inputs`, computed without changing any neuron."""
        return [out for _, out in self.layer_values(inputs, keep, store)[-1]]

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
        return "-".join([str(len(layer.neurons)) for layer in self.layers])

    def prepare(self, conventions) -> None:
        """Lay the weights as the conventions say before a step: nothing to do in a dense network
        (a SharedNetwork turns its kernels for a true convolution, core/shared_network.py)."""

    def step_loss(self, loss, conventions):
        """The loss of one sample as the step takes it: the loss itself (a recurrent network's is a
        sequence's, summed or averaged over time: core/recurrent.py)."""
        return loss

    def copy(self) -> Network:
        """An independent network with the same shape, activations and parameter values."""
        return _assemble(self.sizes, [layer.activation for layer in self.layers[1:]],
                         [c.weight for c in self.connections], [b.value for b in self.biases], self.bias_mode)

    def save(self, path) -> None:
        """Write the network to `path` as JSON (see core/netfile.py; values round-trip exactly)."""
        write_network_json(network_dict(self), path)

    @staticmethod
    def load(path) -> Network:
        """Read a network written by `Network.save`."""
        return Network.from_dict(read_network_json(path), str(path))

    @staticmethod
    def from_dict(data, where: str = "network file") -> Network:
        """Rebuild a network from its `network_dict` form; errors name `where` and the bad field."""
        if is_shared_file(data):  # its class is built above this module (core/shared_network.py)
            raise NeurosimError(say("{where}: a network with shared weights: SharedNetwork.load "
                                    "(neurosim.core.shared_network) reads it", where=where))
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
    max_memory: int | None = None,
) -> Network:
    """Build a network from layer sizes, activations and named (or listed) weights and biases.

    `parameters` is one name→value mapping of weights and biases (w1.., b1..); alternatively give
    `weights` and `biases` separately, as lists in naming order or as mappings. Values not given
    are drawn from `rng` in naming order: uniform on [0, 1) as Mazur's code does, standard normal
    (`init="normal"`) as the NumPy seeds do, or scaled per layer as PyTorch's nn.init does
    (xavier_uniform, xavier_normal, kaiming_uniform, kaiming_normal: core/initialisation.py).
    A network whose estimated memory is beyond the limit in force (core/memory.py; `max_memory` an
    exercise's own) is refused before anything is allocated.
    """
    sizes = check_sizes(sizes)
    check_options(rng, arithmetic, max_memory)
    check_network(sizes, max_memory)
    shape = "-".join(map(str, sizes))
    if bias_mode not in BIAS_MODES:
        raise NeurosimError(f"bias: unknown value '{bias_mode}' (choose from {', '.join(BIAS_MODES)})")
    if init not in INIT_METHODS:
        raise NeurosimError(f"init: unknown value '{init}' (choose from {', '.join(INIT_METHODS)})")
    acts = check_activations(activations, len(sizes) - 1)
    w_names, b_names = weight_names(sizes), bias_names(sizes, bias_mode)
    if parameters is not None:
        if weights is not None or biases is not None:
            raise NeurosimError("give either parameters or weights/biases, not both")
        if not isinstance(parameters, Mapping):
            raise NeurosimError("parameters: expected a mapping of names such as w1, b1 to values")
        w_set, b_set = frozenset(w_names), frozenset(b_names)  # (lists: quadratic on a 784-input network)
        unknown = [n for n in parameters if n not in w_set and n not in b_set]
        if unknown:
            kind = "biases" if unknown[0].startswith("b") else "weights"
            pool = b_names if kind == "biases" else w_names
            span = f"{pool[0]}..{pool[-1]}" if pool else "none"
            raise NeurosimError(f"{kind}: no parameter named '{unknown[0]}' (this {shape} network has {span})")
        weights = {n: v for n, v in parameters.items() if n in w_set}
        biases = {n: v for n, v in parameters.items() if n in b_set}
    if bias_mode == "none" and biases:
        raise NeurosimError("biases: given, but bias is 'none'")
    drawn_w = drawn_b = None
    if rng is not None:
        drawn_w, drawn_b = draw_initial(rng, init, sizes, len(w_names), len(b_names))
    w_values = resolve_values("weights", w_names, weights, drawn_w, shape)
    b_values = resolve_values("biases", b_names, biases, drawn_b, shape)
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
        label = layer_label(index, len(sizes))
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
