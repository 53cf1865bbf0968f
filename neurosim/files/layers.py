"""A [network] given layer by layer, with the layers that share weights (core/architecture.py):

    [network]
    input = [1, 4, 4]            # the input's shape: channels, height, width (conv2d); channels,
                                 # length (conv1d); values per time step (recurrent)
    seed = 1                     # (init, weights, biases as for a dense network)
    [[network.layer]]            # one table per layer, from the input up
    kind = "conv2d"              # dense | conv1d | conv2d | maxpool | avgpool | flatten | recurrent
    kernels = 1                  # conv: how many kernels (feature maps)
    kernel = 2                   # conv, pool: the window (one number, or one per axis)
    stride = 1                   # conv: default 1; pool: default the window (the windows tile)
    padding = 0                  # conv: zeros added on each side
    activation = "relu"          # conv, dense, recurrent
    bias = true                  # conv: one per kernel (b_k1); dense, recurrent: one per unit
    size = 2                     # dense, recurrent: units
    h0 = [0.0]                   # recurrent: the initial hidden state (default zeros)
    feedback = "hidden"          # recurrent: h_(t-1) fed back (Elman), or "output": y_(t-1) (Jordan)
    y0 = [0.0]                   # recurrent with feedback = "output": the initial output (default zeros)

The checks name the key (network.layer[2].stride: …); the data of such a network are read by
`sequence_data` / `shaped_data`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from ..core.architecture import KINDS, POOLS, SPATIAL, Architecture, LayerSizes, LayerSpec
from ..core.network import as_number
from ..errors import NeurosimError
from ..messages import N_, say, say_unknown
from .fields import boolean, check_keys, string, whole

LAYER_KEYS = {
    "dense": ("kind", "size", "activation", "bias"),
    "conv1d": ("kind", "kernels", "kernel", "stride", "padding", "activation", "bias"),
    "conv2d": ("kind", "kernels", "kernel", "stride", "padding", "activation", "bias"),
    "maxpool": ("kind", "kernel", "stride"),
    "avgpool": ("kind", "kernel", "stride"),
    "flatten": ("kind",),
    "recurrent": ("kind", "size", "activation", "bias", "h0", "feedback", "y0"),
}


def architecture_from(network: Mapping) -> Architecture:
    """The input's shape and the [[network.layer]] tables, checked (each layer fits the one below)."""
    if "layers" in network:
        raise NeurosimError("network.layers: give either layers = [sizes] or input and [[network.layer]] tables")
    if "input" not in network:
        raise NeurosimError("network.input: missing (the input's shape, e.g. input = [1, 4, 4])")
    shape = _shape(network["input"])
    tables = network.get("layer")
    if not isinstance(tables, list) or not tables or not all(isinstance(t, Mapping) for t in tables):
        raise NeurosimError("network.layer: expected [[network.layer]] tables, one per layer")
    first = SPATIAL.get(tables[0].get("kind"))
    if first is not None and len(shape) == first:  # one channel: input = [4, 4] is [1, 4, 4]
        shape = (1, *shape)
    dims, specs = len(shape) - 1, []
    for i, t in enumerate(tables, start=1):
        specs.append(_layer(t, f"network.layer[{i}]", dims))
        dims = SPATIAL.get(specs[-1].kind, dims)
    specs = tuple(specs)
    architecture = Architecture(shape, specs, h0=_initial(tables, specs))
    _check_order(architecture)
    architecture.shapes()
    return architecture


def _initial(tables: list, specs: tuple[LayerSpec, ...]) -> tuple[float, ...] | None:
    """A recurrent layer's initial value of what it is fed back: h0 (Elman), y0 (Jordan: one value
    per output); None: zeros."""
    for i, (t, spec) in enumerate(zip(tables, specs), start=1):
        if spec.kind != "recurrent":
            continue
        key, wrong = ("y0", "h0") if spec.feedback == "output" else ("h0", "y0")
        if wrong in t:
            raise NeurosimError(say("network.layer[{i}].{key}: not for this layer (feedback = \"{feedback}\" "
                                    "starts from {right})", i=i, key=wrong, feedback=spec.feedback, right=key))
        if key not in t:
            return None
        size = specs[-1].size if key == "y0" else spec.size
        values = t[key] if isinstance(t[key], list) else [t[key]]
        initial = tuple(as_number(f"network.layer[{i}].{key}", v) for v in values)
        if len(initial) != size:
            sentence = N_("network.layer[{i}].y0: expected one value per output ({size}), got {count}") \
                if key == "y0" else N_("network.layer[{i}].h0: expected one value per unit ({size}), got {count}")
            raise NeurosimError(say(sentence, i=i, count=len(initial), size=size))
        return initial
    return None


def _shape(value) -> tuple[int, ...]:
    values = value if isinstance(value, list) else [value]
    if not values or len(values) > 3:
        raise NeurosimError(say("network.input: expected the input's shape, e.g. [1, 4, 4], got {value!r}",
                                value=value))
    return tuple(whole("network.input", v, 1) for v in values)


def _layer(table: Mapping, where: str, spatial: int) -> LayerSpec:
    kind = string(f"{where}.kind", table.get("kind", "dense"))
    if kind not in KINDS:
        raise NeurosimError(say_unknown(N_("{where}.kind: unknown layer kind '{kind}' (did you mean '{hint}'?)"),
                                        N_("{where}.kind: unknown layer kind '{kind}' (choose from {choices})"),
                                        kind, KINDS, where=where, kind=kind))
    check_keys(table, LAYER_KEYS[kind], where)
    dims = SPATIAL.get(kind, spatial)
    if kind in SPATIAL or kind in POOLS:
        if "kernel" not in table:
            raise NeurosimError(say("{where}.kernel: missing (the window, e.g. kernel = 2)", where=where))
        kernel = _per_axis(table["kernel"], f"{where}.kernel", dims, 1)
        stride = _per_axis(table.get("stride", 1 if kind in SPATIAL else list(kernel)), f"{where}.stride", dims, 1)
        padding = _per_axis(table.get("padding", 0), f"{where}.padding", dims, 0)
        size = whole(f"{where}.kernels", table.get("kernels", 1), 1) if kind in SPATIAL else 0
        if kind in POOLS:
            return LayerSpec(kind, size, kernel, stride, padding, "linear", False)
        return LayerSpec(kind, size, kernel, stride, padding, _activation(table, where),
                         boolean(f"{where}.bias", table.get("bias", True)))
    if kind == "flatten":
        return LayerSpec(kind)
    if "size" not in table:
        raise NeurosimError(say("{where}.size: missing (the number of units, e.g. size = 2)", where=where))
    feedback = string(f"{where}.feedback", table.get("feedback", "hidden"))
    if feedback not in ("hidden", "output"):
        raise NeurosimError(say("{where}.feedback: expected \"hidden\" (Elman: h_(t-1) fed back) or \"output\" "
                                "(Jordan: y_(t-1) fed back), got {value!r}", where=where, value=feedback))
    return LayerSpec(kind, whole(f"{where}.size", table["size"], 1), activation=_activation(table, where),
                     bias=boolean(f"{where}.bias", table.get("bias", True)), feedback=feedback)


def _activation(table: Mapping, where: str) -> str:
    from ..core.activations import get_activation
    name = string(f"{where}.activation", table.get("activation", "sigmoid"))
    try:
        get_activation(name)
    except NeurosimError as error:
        raise NeurosimError(f"{where}.{error}") from None
    return name


def _per_axis(value, field: str, dims: int, minimum: int) -> tuple[int, ...]:
    """One whole number for every axis, or a list of one per axis."""
    values = value if isinstance(value, list) else [value] * dims
    if len(values) != dims:
        raise NeurosimError(say("{field}: expected {dims} values (one per axis), got {value!r}", field=field, dims=dims,
                                value=value))
    return tuple(whole(field, v, minimum) for v in values)


def _check_order(architecture: Architecture) -> None:
    """Layers that need a grid come before the first flatten, dense or recurrent layer; a recurrent
    layer reads the input itself and may only be followed by dense layers."""
    flat = False
    layers = architecture.layers
    for i, layer in enumerate(layers, start=1):
        where = f"network.layer[{i}]"
        if (layer.kind in SPATIAL or layer.kind in POOLS) and flat:
            raise NeurosimError(say("{where}: a {kind} layer needs a grid, but the layer below is flat", where=where,
                                    kind=layer.kind))
        if layer.kind == "recurrent" and (i != 1 or len(architecture.input) != 1):
            raise NeurosimError(say("{where}: a recurrent layer must be the first layer, over an input of values "
                                    "per time step (input = N)", where=where))
        if architecture.recurrent and (i > 2 or (i == 2 and layer.kind != "dense")):
            raise NeurosimError(say("{where}: a recurrent network takes one dense output layer above its recurrent "
                                    "layer", where=where))
        if architecture.recurrent and len(layers) == 1:
            raise NeurosimError(say("{where}: a recurrent network takes one dense output layer above its recurrent "
                                    "layer", where="network.layer[2]"))
        flat = flat or layer.kind in ("flatten", "dense", "recurrent") or len(architecture.input) == 1


def layered(network: Mapping, data: Mapping, no_loss: bool = False) -> tuple[dict, tuple, tuple]:
    """The Spec fields of a [network] given layer by layer, and its samples from [data]: (network
    fields, inputs, targets), each sample a flat list (an image row by row, channel by channel)."""
    from ..core.memory import check_network
    from ..core.shared_network import assemble
    from .fields import optional_whole, parameters
    architecture = architecture_from(network)
    check_network(architecture.sizes())  # before anything is built
    if architecture.recurrent:
        from .sequences import sequence_data
        architecture, inputs, targets = sequence_data(architecture, data, no_loss)
    else:
        inputs, targets = shaped_data(architecture, data, no_loss)
    activations = tuple(layer.activation for layer in architecture.layers if layer.kind != "flatten")
    structure = assemble(architecture, activations)
    fields = {
        "layers": LayerSizes(structure.sizes, len(structure.connections)),
        "activations": activations,
        "seed": optional_whole("network.seed", network.get("seed")),
        "bias": structure.bias_mode,
        "init": string("network.init", network.get("init", "uniform")),
        "weights": parameters("network.weights", network.get("weights")),
        "biases": parameters("network.biases", network.get("biases")),
        "architecture": architecture,
    }
    return fields, inputs, targets


def shaped_data(architecture: Architecture, data: Mapping, no_loss: bool) -> tuple[tuple, tuple]:
    """[data] inputs and targets of a network over a grid: each sample a flat list of the input's
    values, or nested rows ([[1, 2], [3, 4]]) that flatten to them."""
    n_in = math.prod(architecture.shapes()[0])
    n_out = math.prod(architecture.shapes()[-1])
    if "inputs" not in data:
        raise NeurosimError(say("data.{key}: missing", key="inputs"))
    from .arraydata import grid_samples  # a file's samples, shape checked (start-up: only then)
    inputs = grid_samples("data.inputs", data["inputs"], architecture.shapes()[0], "input") \
        if isinstance(data["inputs"], str) else \
        _flat_samples("data.inputs", data["inputs"], n_in, N_("data.{key}[{i}]: has {count} values, the network has "
                                                              "{size} inputs"))
    if no_loss and "targets" not in data:
        return inputs, tuple((0.0,) * n_out for _ in inputs)
    if "targets" not in data:
        raise NeurosimError(say("data.{key}: missing", key="targets"))
    targets = grid_samples("data.targets", data["targets"], architecture.shapes()[-1], "output") \
        if isinstance(data["targets"], str) else \
        _flat_samples("data.targets", data["targets"], n_out, N_("data.{key}[{i}]: has {count} values, the network "
                                                                 "has {size} outputs"))
    if len(inputs) != len(targets):
        raise NeurosimError(say("data: {inputs} input samples but {targets} target samples", inputs=len(inputs),
                                targets=len(targets)))
    return inputs, targets


def _flat_samples(field: str, value, size: int, sentence: str) -> tuple[tuple[float, ...], ...]:
    """Samples of `size` values each: a list of samples (each flat or nested), or one flat sample."""
    if not isinstance(value, list) or not value:
        raise NeurosimError(say("{field}: expected a list of samples such as [[0.05, 0.10]], got {value!r}",
                                field=field, value=value))
    nested = all(isinstance(v, list) for v in value)
    if nested and all(len(_flatten(v)) == size for v in value):
        rows = value
    elif len(_flatten(value)) == size:
        rows = [value]  # one sample (flat, or an image's rows)
    elif size == 1 and not any(isinstance(v, list) for v in value):
        rows = [[v] for v in value]  # one value per sample, written as a flat list
    else:
        rows = value if nested else [value]
    key = field.split(".", 1)[1]
    samples = []
    for i, row in enumerate(rows, start=1):
        values = _flatten(row)
        if len(values) != size:
            raise NeurosimError(say(sentence, key=key, i=i, count=len(values), size=size))
        samples.append(tuple(as_number(f"{field}[{i}]", v) for v in values))
    return tuple(samples)


def _flatten(value) -> list:
    if not isinstance(value, list):
        return [value]
    return [x for v in value for x in _flatten(v)]


def check_shared(spec) -> None:
    """The notation (hkp, nielsen and matrix number a dense network's units; a network with shared
    weights is written in mazur or course), and what a recurrent layer cannot take: the sequential
    order (W_hh is shared by every step, so it cannot be updated step by step within one backward
    pass) and a softmax output (it would normalise over every step's outputs at once)."""
    from ..core.notation.tables import SHARED_NOTATIONS
    architecture, conventions = spec.architecture, spec.conventions
    if conventions.time_update == "per_step" and (architecture is None or not architecture.recurrent
                                                  or architecture.last_target_only):
        raise NeurosimError(say("training.time_update: 'per_step' updates after each time step's loss: it needs a "
                                "recurrent layer and a target at every time step"))
    if architecture is None:
        return
    if spec.notation not in SHARED_NOTATIONS:
        raise NeurosimError(say("notation: '{notation}' names the units of a dense network; a network with {kinds} "
                                "layers is written in {choices}", notation=spec.notation,
                                kinds=", ".join(architecture.kinds), choices=", ".join(SHARED_NOTATIONS)))
    if not architecture.recurrent:
        return
    if conventions.order == "sequential":
        raise NeurosimError("training.order: 'sequential' updates a layer before the one below; a recurrent "
                            "layer's W_hh is shared by every time step (use simultaneous)")
    if architecture.layers[-1].activation == "softmax":
        raise NeurosimError("network.layer[2].activation: softmax is not available above a recurrent layer yet "
                            "(it would normalise over every time step's outputs at once)")
