"""A network with shared weights (core/shared_network.py) as a network file: the format of
core/netfile.py, version 2, with the network given layer by layer as an exercise file gives it.

    {"format": "neurosim-network", "version": 2,
     "input": [1, 3, 3],
     "layers": [{"kind": "conv2d", "kernels": 1, "kernel": [2, 2], "stride": [1, 1], "padding": [0, 0],
                 "activation": "linear", "bias": false}, {"kind": "maxpool", …}, {"kind": "flatten"}, …],
     "weights": {"k1_11": 0.1, …}, "biases": {"b_k1": 0.0, …}}

A recurrent network's file also has "steps" (T, the sequence length it was unrolled over) and
"last_target_only"; its recurrent layer's table has "h0" when the initial state was given (a Jordan
layer: "feedback": "output", and "y0"). The
weights do not depend on T: an exercise with sequences of another length starts from them as well
(files/trained.py). Version 2 because a reader of version 1 takes "layers" for a list of sizes;
dense networks are still written as version 1.
"""

from __future__ import annotations

from ..errors import NeurosimError
from ..messages import say
from .architecture import KINDS, POOLS, SPATIAL, Architecture, LayerSpec

SHARED_VERSION = 2
_GRID = ("kernel", "stride", "padding")


def shared_dict(network) -> dict:
    """The JSON-ready description of a SharedNetwork: its architecture as layer tables, then every
    weight and bias by name (float64)."""
    architecture = network.architecture
    data = {"format": "neurosim-network", "version": SHARED_VERSION, "input": list(architecture.input),
            "layers": [layer_table(layer, architecture.h0) for layer in architecture.layers]}
    if architecture.recurrent:
        data["steps"] = architecture.steps
        data["last_target_only"] = architecture.last_target_only
    data["weights"] = {p.name: float(p.weight) for p in network.weight_params}
    data["biases"] = {b.name: float(b.value) for b in network.biases}
    return data


def layer_table(layer: LayerSpec, h0=None) -> dict:
    """One layer as a [[network.layer]] table of an exercise file, every value written out."""
    table: dict = {"kind": layer.kind}
    if layer.kind in SPATIAL:
        table["kernels"] = layer.size
    elif layer.kind in ("dense", "recurrent"):
        table["size"] = layer.size
    if layer.kind in SPATIAL or layer.kind in POOLS:
        table.update((key, list(getattr(layer, key))) for key in _GRID)
    if layer.parameters:
        table["activation"] = layer.activation
        table["bias"] = layer.bias
    if layer.kind == "recurrent" and layer.feedback == "output":
        table["feedback"] = "output"  # a Jordan layer (core/jordan.py); its start is y0
    if layer.kind == "recurrent" and h0 is not None:
        table["y0" if layer.feedback == "output" else "h0"] = [float(v) for v in h0]
    return table


def shared_architecture(data: dict, where: str) -> tuple[Architecture, list[str]]:
    """The Architecture and the activations (one per layer of neurons) of a `shared_dict`, checked;
    errors name `where` and the field."""
    try:
        shape = tuple(_whole(v) for v in data["input"])
        layers, h0 = [], None
        for index, table in enumerate(data["layers"], start=1):
            layer, given = _layer(table, f"layers[{index}]")
            layers.append(layer)
            h0 = given if given is not None else h0
        steps = data.get("steps", 0)
        last = data.get("last_target_only", False)
        if not isinstance(last, bool):
            raise ValueError(f"last_target_only: expected true or false, got {last!r}")
        architecture = Architecture(shape, tuple(layers), _whole(steps, 0), last, h0)
    except (KeyError, TypeError, ValueError) as error:
        raise NeurosimError(say("{where}: not a network with shared weights as neurosim writes it ({error})",
                                where=where, error=error)) from None
    if architecture.jordan and architecture.h0 is not None and len(architecture.h0) != architecture.fed_back:
        raise NeurosimError(say("{where}: y0 has {count} values for {size} outputs", where=where,
                                count=len(architecture.h0), size=architecture.fed_back))
    if architecture.recurrent and architecture.steps < 1:
        raise NeurosimError(say("{where}: steps: a recurrent network's sequence length is missing", where=where))
    try:
        architecture.shapes()
    except NeurosimError as error:
        raise NeurosimError(f"{where}: {error}") from None
    return architecture, [layer.activation for layer in architecture.layers if layer.kind != "flatten"]


def _layer(table: dict, where: str) -> tuple[LayerSpec, tuple | None]:
    kind = table.get("kind")
    if kind not in KINDS:
        raise ValueError(f"{where}.kind: {kind!r}")
    fields = {"kind": kind}
    size_key = "kernels" if kind in SPATIAL else "size"
    if kind in (*SPATIAL, "dense", "recurrent"):
        fields["size"] = _whole(table[size_key], 1)
    if kind in SPATIAL or kind in POOLS:
        fields.update((key, tuple(_whole(v, 0 if key == "padding" else 1) for v in table[key])) for key in _GRID)
    if kind in POOLS:
        fields.update(activation="linear", bias=False)
    elif kind != "flatten":
        fields.update(activation=str(table["activation"]), bias=table["bias"])
        if not isinstance(fields["bias"], bool):
            raise ValueError(f"{where}.bias: {fields['bias']!r}")
    if kind == "recurrent" and table.get("feedback", "hidden") != "hidden":
        if table["feedback"] != "output":
            raise ValueError(f"{where}.feedback: {table['feedback']!r}")
        fields["feedback"] = "output"
    start = "y0" if fields.get("feedback") == "output" else "h0"
    known = {"kind", size_key, *_GRID, "activation", "bias", start, "feedback"}
    extra = [key for key in table if key not in known]
    if extra:
        raise ValueError(f"{where}: unknown key {extra[0]!r}")
    h0 = tuple(float(v) for v in table[start]) if start in table else None
    layer = LayerSpec(**fields)
    if h0 is not None and start == "h0" and len(h0) != layer.size:
        raise ValueError(f"{where}.h0: {len(h0)} values for {layer.size} units")
    return layer, h0


def _whole(value, minimum: int = 1) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"expected a whole number ≥ {minimum}, got {value!r}")
    return value


def shape_text(architecture: Architecture) -> str:
    """The layers of an architecture without its sequence length: what --from compares."""
    return architecture.describe() if not architecture.recurrent else \
        architecture.describe().rsplit(" (T = ", 1)[0]

