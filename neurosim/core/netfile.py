"""A network as a JSON file: shape, activations, bias scheme and every weight and bias by name.

    {"format": "neurosim-network", "version": 1,
     "layers": [2, 2, 2], "activations": ["sigmoid", "sigmoid"], "bias": "shared",
     "weights": {"w1": 0.15, …}, "biases": {"b1": 0.35, …}}

A network with shared weights (conv, pool, recurrent layers) is written as version 2, its layers
as tables (core/sharedfile.py). Values are written with Python's shortest round-trip form (`repr`),
so a float64 reads back bit for bit. A file that is not JSON, is not a neurosim network, or comes
from a newer format version is a one-line `NeurosimError` naming the file and what is wrong. Saving
goes through a temporary file renamed over the target, so an interrupted save never leaves a broken
file.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from ..errors import NeurosimError
from ..messages import say
from ..textfiles import atomic_text, read_text
from .memory import check_file

FORMAT = "neurosim-network"
VERSION = 2  # the newest version read; a dense network is still written as version 1


def network_dict(network) -> dict:
    """The JSON-ready description of a `Network` (parameters as float64)."""
    for name, value in network.parameters().items():
        if not math.isfinite(value):
            raise NeurosimError(f"cannot save: {name} = {value} is not a finite number")
    if getattr(network, "architecture", None) is not None:
        from .sharedfile import shared_dict  # (start-up: only a network with shared weights)
        return shared_dict(network)
    return {
        "format": FORMAT,
        "version": 1,
        "layers": list(network.sizes),
        "activations": list(network.activations),
        "bias": network.bias_mode,
        "weights": {c.name: float(c.weight) for c in network.connections},
        "biases": {b.name: float(b.value) for b in network.biases},
    }


def network_arguments(data, where: str = "network file") -> dict:
    """The `build_network` arguments of a `network_dict` output, checked; errors name `where` and
    the bad field (`build_network` checks the values themselves). A network with shared weights'
    (layers given as tables): {"architecture", "activations", "weights", "biases"}, the arguments
    of `build_shared` (core/sharedfile.py)."""
    check_format(data, where)
    for key in ("layers", "weights"):
        if key not in data:
            raise NeurosimError(f"{where}: {key}: missing")
    for key in ("weights", "biases"):
        if not isinstance(data.get(key, {}), dict):
            raise NeurosimError(f"{where}: {key}: expected an object of names and values")
    if is_shared_file(data):
        from .sharedfile import shared_architecture  # (start-up: only a network with shared weights)
        architecture, activations = shared_architecture(data, where)
        return {"architecture": architecture, "activations": activations, "weights": data["weights"],
                "biases": data.get("biases") or None}
    for key in ("activations", "bias"):
        if key not in data:
            raise NeurosimError(f"{where}: {key}: missing")
    return {"sizes": data["layers"], "activations": data["activations"], "weights": data["weights"],
            "biases": data.get("biases") or None, "bias_mode": data["bias"]}


def check_format(data, where: str) -> None:
    """A neurosim network file of a version this neurosim reads, or a one-line error."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise NeurosimError(f"{where}: not a neurosim network file (no \"format\": \"{FORMAT}\")")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise NeurosimError(f"{where}: version: expected a whole number ≥ 1, got {version!r}")
    if version > VERSION:
        raise NeurosimError(f"{where}: format version {version} is newer than this neurosim reads "
                            f"(up to {VERSION}); upgrade neurosim")


def is_shared_file(data) -> bool:
    """Whether a network file gives its layers as tables (a network with shared weights)."""
    layers = data.get("layers") if isinstance(data, dict) else None
    return isinstance(layers, list) and bool(layers) and all(isinstance(t, dict) for t in layers)


def write_network_json(data: dict, path: str | Path) -> None:
    """Write a `network_dict` to `path` as JSON (temporary file + rename)."""
    text = _layout(data)
    with atomic_text(path) as handle:
        handle.write(text)


def _layout(data: dict) -> str:
    """JSON with one line per top-level key, and one line per weight or bias."""
    lines = []
    for key, value in data.items():
        if isinstance(value, dict) and value:
            inner = ",\n".join(f"    {json.dumps(k)}: {json.dumps(v, allow_nan=False)}" for k, v in value.items())
            lines.append(f"  {json.dumps(key)}: {{\n{inner}\n  }}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, allow_nan=False)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def read_network_json(path: str | Path):
    """The parsed JSON of a network file (whatever it holds; `network_arguments` checks it)."""
    path = Path(path)
    if path.is_file():
        check_file(path, path.stat().st_size)  # before reading it all
    text = read_text(path)
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise NeurosimError(f"{path}: damaged or not JSON ({error.msg} at line {error.lineno}, "
                            f"column {error.colno})") from None
    except ValueError as error:
        raise NeurosimError(f"{path}: {error}") from None
    except RecursionError:
        raise NeurosimError(say("{path}: nested too deeply to read (arrays or tables within each other)",
                                path=path)) from None
    return data


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a finite number")
