"""A network with shared weights (core/shared_network.py) as a network file: the format of
core/netfile.py, version 2, with the network given layer by layer as an exercise file gives it.

    {"format": "neurosim-network", "version": 2,
     "input": [1, 3, 3],
     "layers": [{"kind": "conv2d", "kernels": 1, "kernel": [2, 2], "stride": [1, 1], "padding": [0, 0],
                 "activation": "linear", "bias": false}, {"kind": "maxpool", …}, {"kind": "flatten"}, …],
     "weights": {"k1_11": 0.1, …}, "biases": {"b_k1": 0.0, …}}

A recurrent network's file also has "steps" (T, the sequence length it was unrolled over) and
"last_target_only"; its recurrent layer's table has "h0" when the initial state was given (a Jordan
layer: "feedback": "output", and "y0"). The weights do not depend on T: an exercise with sequences
of another length starts from them as well (files/trained.py). Version 2 because a reader of
version 1 takes "layers" for a list of sizes; dense networks are still written as version 1.
"""

from __future__ import annotations

import attrs

from ..errors import NeurosimError
from ..messages import say
from .architecture import KINDS, POOLS, SPATIAL, Architecture, LayerSpec

SHARED_VERSION = 2
_GRID = ("kernel", "stride", "padding")
_ARCHITECTURE_KEYS = ("input", "layers", "steps", "last_target_only", "h0")
_LAYER_KEYS = ("kind", "size", *_GRID, "activation", "bias", "feedback")


def shared_dict(network) -> dict:
    """The JSON-ready description of a SharedNetwork: its architecture as layer tables, then every
    weight and bias by name (float64). A field the architecture gains later is written under its
    own name when it is not its default, so that no layout is lost silently."""
    architecture = network.architecture
    data = {"format": "neurosim-network", "version": SHARED_VERSION, "input": list(architecture.input),
            "layers": [layer_table(layer, architecture.h0) for layer in architecture.layers]}
    if architecture.recurrent:
        data["steps"] = architecture.steps
        data["last_target_only"] = architecture.last_target_only
    data.update(_extras(architecture, _ARCHITECTURE_KEYS))
    data["weights"] = {p.name: float(p.weight) for p in network.weight_params}
    data["biases"] = {b.name: float(b.value) for b in network.biases}
    return data


def layer_table(layer: LayerSpec, h0=None) -> dict:
    """One layer as a [[network.layer]] table of an exercise file, every value written out."""
    table: dict = {"kind": layer.kind}
    if layer.kind in SPATIAL:
        table["kernels"] = layer.size
    elif _sized(layer.kind):
        table["size"] = layer.size
    if layer.kind in SPATIAL or layer.kind in POOLS:
        table.update((key, list(getattr(layer, key))) for key in _GRID)
    if layer.parameters:
        table["activation"] = layer.activation
        table["bias"] = layer.bias
    if layer.kind == "recurrent" and layer.feedback == "output":
        table["feedback"] = "output"  # a Jordan layer (core/recurrent.py); its start is y0
    if _sized(layer.kind) and layer.kind != "dense" and h0 is not None:  # a recurrent layer's initial state
        table["y0" if layer.feedback == "output" else "h0"] = [float(v) for v in h0]
    table.update(_extras(layer, _LAYER_KEYS))
    return table


def _sized(kind: str) -> bool:
    return kind not in SPATIAL and kind not in POOLS and kind != "flatten"


def _extras(record, known: tuple[str, ...]) -> dict:
    """The fields of an attrs record beyond `known` that differ from their default, JSON-ready."""
    extras = {}
    for field in attrs.fields(type(record)):
        value = getattr(record, field.name)
        if field.name in known or value == field.default:
            continue
        value = list(value) if isinstance(value, tuple) else value
        if not isinstance(value, (str, int, float, bool, list)):
            raise NeurosimError(say("cannot save: {field} = {value!r} is not written in a network file yet",
                                    field=field.name, value=value))
        extras[field.name] = value
    return extras


def _read_extras(table: dict, cls) -> dict:
    """The fields beyond the known ones that a file gives for an attrs class (`_extras` read back)."""
    names = [f.name for f in attrs.fields(cls)]
    return {k: tuple(v) if isinstance(v, list) else v for k, v in table.items() if k in names}


def shared_architecture(data: dict, where: str) -> tuple[Architecture, list[str]]:
    """The Architecture and the activations (one per layer of neurons) of a `shared_dict`, checked;
    errors name `where` and the field (layers[2].kernel: …)."""
    try:
        shape = tuple(_whole("input", v) for v in _listed(data, "input"))
        layers, h0 = [], None
        for index, table in enumerate(_listed(data, "layers"), start=1):
            layer, given = _layer(table, f"layers[{index}]")
            layers.append(layer)
            h0 = given if given is not None else h0
        last = data.get("last_target_only", False)
        if not isinstance(last, bool):
            raise NeurosimError(say("{field}: expected true or false, got {value!r}", field="last_target_only",
                                    value=last))
        extra = _read_extras({k: v for k, v in data.items() if k not in _ARCHITECTURE_KEYS}, Architecture)
        architecture = Architecture(shape, tuple(layers), _whole("steps", data.get("steps", 0), 0), last, h0, **extra)
        if architecture.recurrent and architecture.steps < 1:
            raise NeurosimError(say("steps: a recurrent network's sequence length is missing"))
        architecture.shapes()
    except NeurosimError as error:
        raise NeurosimError(f"{where}: {error}") from None
    if architecture.jordan and architecture.h0 is not None and len(architecture.h0) != architecture.fed_back:
        raise NeurosimError(say("{where}: y0 has {count} values for {size} outputs", where=where,
                                count=len(architecture.h0), size=architecture.fed_back))
    return architecture, [layer.activation for layer in architecture.layers if layer.kind != "flatten"]


def _layer(table: dict, where: str) -> tuple[LayerSpec, tuple | None]:
    kind = table.get("kind")
    if kind not in KINDS:
        raise NeurosimError(say("{where}.kind: unknown layer kind '{kind}' (choose from {choices})", where=where,
                                kind=kind, choices=", ".join(KINDS)))
    size_key = "kernels" if kind in SPATIAL else "size"
    extras = _read_extras({k: v for k, v in table.items() if k not in _LAYER_KEYS}, LayerSpec)
    feedback = table.get("feedback", "hidden") if kind == "recurrent" else "hidden"
    if feedback not in ("hidden", "output"):
        raise NeurosimError(say("{where}.feedback: expected \"hidden\" (Elman: h_(t-1) fed back) or \"output\" "
                                "(Jordan: y_(t-1) fed back), got {value!r}", where=where, value=feedback))
    start = "y0" if feedback == "output" else "h0"
    known = ("kind", size_key, *_GRID, "activation", "bias", *extras) + (("feedback", start) if kind == "recurrent"
                                                                          else ())
    extra = [key for key in table if key not in known]
    if extra:
        raise NeurosimError(say("{where}.{key}: not a key of a layer neurosim writes", where=where, key=extra[0]))
    fields = {"kind": kind, **extras, **({"feedback": "output"} if feedback == "output" else {})}
    if kind in SPATIAL or _sized(kind):
        fields["size"] = _whole(f"{where}.{size_key}", _given(table, where, size_key), 1)
    if kind in SPATIAL or kind in POOLS:
        for key in _GRID:
            fields[key] = tuple(_whole(f"{where}.{key}", v, 0 if key == "padding" else 1)
                                for v in _listed(table, key, where))
    if kind in POOLS:
        fields.update(activation="linear", bias=False)
    elif kind != "flatten":
        fields["activation"] = str(_given(table, where, "activation"))
        fields["bias"] = _given(table, where, "bias")
        if not isinstance(fields["bias"], bool):
            raise NeurosimError(say("{field}: expected true or false, got {value!r}", field=f"{where}.bias",
                                    value=fields["bias"]))
    layer = LayerSpec(**fields)
    h0 = None
    if start in table:
        h0 = tuple(_number(f"{where}.{start}", v) for v in _listed(table, start, where))
        if start == "h0" and len(h0) != layer.size:  # y0: one per output, checked with the whole network
            raise NeurosimError(say("{where}.h0: expected one value per unit ({size}), got {count}", where=where,
                                    size=layer.size, count=len(h0)))
    return layer, h0


def _given(table: dict, where: str, key: str):
    if key not in table:
        raise NeurosimError(say("{where}.{key}: missing", where=where, key=key))
    return table[key]


def _listed(table: dict, key: str, where: str = "") -> list:
    value = _given(table, where, key) if where else table.get(key)
    if not isinstance(value, list):
        field = f"{where}.{key}" if where else key
        raise NeurosimError(say("{field}: expected a list, got {value!r}", field=field, value=value))
    return value


def _whole(field: str, value, minimum: int = 1) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise NeurosimError(say("{field}: expected a whole number ≥ {minimum}, got {value!r}", field=field,
                                minimum=minimum, value=value))
    return value


def _number(field: str, value) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise NeurosimError(say("{field}: {value!r} is not a number", field=field, value=value))
    return float(value)


def shape_text(architecture: Architecture) -> str:
    """The layers of an architecture without its sequence length: what --from compares."""
    return architecture.describe() if not architecture.recurrent else \
        architecture.describe().rsplit(" (T = ", 1)[0]

