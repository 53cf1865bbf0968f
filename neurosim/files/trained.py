"""A trained network as the start of an exercise: `--from NET.json` (the exercise's data and
conventions, the network file's weights and biases) and NET.json in place of an exercise (the
exercise that `run --save` keeps inside the file, under "exercise", with the trained weights).

    neurosim run mazur --steps 10000 --save trained.json
    neurosim run trained.json --steps 1000          # 1,000 more steps from the trained weights
    neurosim explain mazur --from trained.json      # the worked step at the trained weights

The network file must have the exercise's shape, activations and bias layout (checked, naming what
differs). Steps are counted from 1 again; a learning rule's state (a momentum buffer, Adam's
moments) is not in the file and starts as the rule says. Published figures are about the
exercise's own starting weights and are not compared.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..core.exercise import Spec
from ..core.netfile import network_arguments, network_dict, read_network_json, write_network_json
from ..core.network import Network, build_network
from ..errors import NeurosimError
from ..messages import say
from .exercise import spec_from_dict

EXERCISE_KEY = "exercise"  # the exercise a saved network was trained on (optional; version 1 readers ignore it)
_NOT_KEPT = ("published", "expect", "variants", "ask", "plot", "variant")


def save_trained(network: Network, spec: Spec, path: str | Path) -> None:
    """Write `network` as a network file holding, besides its weights, the exercise it was trained
    on (without its starting weights, published figures and [expect]), so that the file alone
    can be run, explained and checked."""
    data = network_dict(network)
    exercise = {k: v for k, v in spec.raw.items() if k not in _NOT_KEPT}
    exercise["network"] = {k: v for k, v in spec.raw.get("network", {}).items() if k not in ("weights", "biases")}
    data[EXERCISE_KEY] = exercise
    write_network_json(data, path)


def spec_from_network_file(path: str | Path) -> Spec:
    """The exercise kept in a network file, starting from the file's weights."""
    data = read_network_json(path)
    network = _network(data, path)
    exercise = data.get(EXERCISE_KEY) if isinstance(data, Mapping) else None
    if not isinstance(exercise, Mapping):
        raise NeurosimError(say("{path}: a network file without the exercise it was trained on (saved by an older "
                                "neurosim, or by Network.save); give one for its data: neurosim run EXERCISE "
                                "--from {path}", path=path))
    try:
        spec = spec_from_dict(_with_values(exercise, network, path))
    except NeurosimError as error:
        raise NeurosimError(f"{path}: {EXERCISE_KEY}: {error}") from None
    _same_shape(spec, network, path)
    return spec


def with_trained_weights(spec: Spec, path: str | Path) -> Spec:
    """`spec` starting from the weights and biases of the network file at `path` (--from)."""
    return _started_from(spec, _network(read_network_json(path), path), path)


def _network(data, path) -> Network:
    try:
        arguments = network_arguments(data, str(path))
        if "architecture" in arguments:  # layers given as tables: shared weights (core/sharedfile.py)
            from ..core.shared_network import build_shared
            return build_shared(**arguments)
        return build_network(**arguments)
    except NeurosimError as error:
        message = str(error)
        raise NeurosimError(message if message.startswith(str(path)) else f"{path}: {message}") from None


def _started_from(spec: Spec, network: Network, path) -> Spec:
    _same_shape(spec, network, path)
    return spec_from_dict(_with_values(spec.raw, network, path))


def _same_shape(spec: Spec, network: Network, path) -> None:
    theirs_shape, ours_shape = _shape_texts(spec, network)
    for what, theirs, ours in (("layers", theirs_shape, ours_shape),
                               ("activations", "/".join(network.activations), "/".join(spec.activations)),
                               ("bias", network.bias_mode, spec.bias)):
        if theirs != ours:
            raise NeurosimError(say("--from {path}: {what}: the network file has {theirs}, the exercise {ours}",
                                    path=path, what=what, theirs=theirs, ours=ours))


def _shape_texts(spec: Spec, network: Network) -> tuple[str, str]:
    """The network file's layers and the exercise's, as --from compares them: sizes (2-2-2), or a
    network with shared weights' layers without its sequence length (their weights do not depend on it)."""
    theirs, ours = getattr(network, "architecture", None), spec.architecture
    if theirs is None and ours is None:
        return "-".join(map(str, network.sizes)), "-".join(map(str, spec.layers))
    from ..core.sharedfile import shape_text
    return (shape_text(theirs) if theirs is not None else "-".join(map(str, network.sizes)),
            shape_text(ours) if ours is not None else "-".join(map(str, spec.layers)))


def _with_values(raw: Mapping, network: Network, path) -> dict:
    """An exercise's dict with the network's values as its givens (lists in naming order, which
    every notation reads alike) and a title that says where they come from; published figures,
    being about the exercise's own starting values, left out."""
    raw = {k: v for k, v in raw.items() if k != "published"}
    weights = getattr(network, "weight_params", network.connections)  # a shared weight once
    given = {"weights": [float(c.weight) for c in weights]}
    if network.biases:
        given["biases"] = [float(b.value) for b in network.biases]
    network_keys = raw.get("network", {}) if isinstance(raw.get("network"), Mapping) else {}
    raw["network"] = {**{k: v for k, v in network_keys.items() if k not in ("weights", "biases")}, **given}
    title = raw.get("title", "exercise")
    raw["title"] = say("{title} (from {file})", title=title if isinstance(title, str) else "exercise",
                       file=Path(path).name)
    raw["description"] = say("The weights and biases are those of {file}, the rest the exercise's.",
                             file=Path(path).name)
    return raw
