"""A training setup as plain data: network, data, conventions, run length, published figures.

The same structure is read from an exercise file (TOML) and written by the built-in scenarios, so
every scenario can be exported as a file and read back to the same trace. Validation names the
bad key: `network.layers: …`, `training.learning_rate: …`.

    title = "..."                 description = "..."
    [network]   layers, activations, bias, init, seed, [network.weights], [network.biases]
    [data]      inputs, targets   (lists of samples)
    [training]  loss, learning_rate, steps, mode, order, update_biases, dtype, round,
                sampling ("cycle" | "random"), seed,
                batch_size (batch modes: a step takes the next batch_size samples in order,
                the last mini-batch of an epoch may be shorter; default: all samples)
    [report]    trace_steps, every
    [[published]] quantity, value (a string, as printed by the source), source, and any
                  [training] keys under which the source computed it
"""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path
from typing import Any, Mapping

import attrs
import numpy as np

from .arithmetic import Arithmetic
from .conventions import Conventions
from .errors import NeurosimError
from .network import Network, as_number, build_network

SAMPLING = ("cycle", "random")
TRAINING_KEYS = ("loss", "learning_rate", "steps", "mode", "order", "update_biases", "dtype", "round",
                 "sampling", "seed", "batch_size")
SECTIONS = {
    "": ("title", "description", "network", "data", "training", "report", "published", "expect"),
    "network": ("layers", "activations", "bias", "init", "seed", "weights", "biases"),
    "data": ("inputs", "targets"),
    "training": TRAINING_KEYS,
    "report": ("trace_steps", "every"),
    "published": ("quantity", "value", "source") + TRAINING_KEYS,
}


@attrs.frozen
class Published:
    """A figure a source prints, and the training keys under which the source computed it."""

    quantity: str
    value: str
    source: str = ""
    overrides: tuple[tuple[str, Any], ...] = ()

    @property
    def step(self) -> int:
        return int(self.quantity.rsplit("@", 1)[1]) if "@" in self.quantity else 1

    @property
    def name(self) -> str:
        return self.quantity.rsplit("@", 1)[0]


@attrs.frozen
class Spec:
    """Everything needed to build a network and train it (the parsed form of an exercise file)."""

    title: str
    description: str
    layers: tuple[int, ...]
    activations: tuple[str, ...]
    bias: str
    init: str
    seed: int | None
    weights: Any  # mapping name→value, or list in naming order, or None
    biases: Any
    inputs: tuple[tuple[float, ...], ...]
    targets: tuple[tuple[float, ...], ...]
    conventions: Conventions
    steps: int
    sampling: str
    sampling_seed: int
    trace_steps: tuple[int, ...] | None
    every: int | None
    published: tuple[Published, ...]
    raw: Mapping = attrs.field(eq=False, repr=False, factory=dict)
    batch_size: int | None = None

    @property
    def unit(self) -> str:
        """What one training step is called: an epoch when it takes every sample at once."""
        return "epoch" if self.conventions.mode != "online" and self.batch_size is None else "step"

    def build_network(self) -> Network:
        rng = np.random.default_rng(self.seed) if self.seed is not None else None
        return build_network(self.layers, self.activations, weights=self.weights, biases=self.biases,
                             bias_mode=self.bias, rng=rng, init=self.init, arithmetic=self.conventions.arithmetic)

    @property
    def samples(self) -> list[tuple[tuple[float, ...], tuple[float, ...]]]:
        return list(zip(self.inputs, self.targets))

    def with_training(self, **changes) -> "Spec":
        """The same setup with some [training] keys changed (validated like a file's)."""
        training = dict(self.raw.get("training", {}))
        training.update({k: v for k, v in changes.items() if v is not None})
        raw = dict(self.raw)
        raw["training"] = training
        return spec_from_dict(raw)


def _table(data: Mapping, key: str, where: str) -> Mapping:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise NeurosimError(f"{where}{key}: expected a table, got {type(value).__name__}")
    return value


def _check_keys(data: Mapping, section: str) -> None:
    known = SECTIONS[section]
    for key in data:
        if key not in known:
            where = f"{section}." if section else ""
            hint = difflib.get_close_matches(key, known, n=1)
            tip = f" (did you mean '{hint[0]}'?)" if hint else f" (known keys: {', '.join(known)})"
            raise NeurosimError(f"{where}{key}: unknown key{tip}")


def _int(field: str, value, minimum: int = 0) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise NeurosimError(f"{field}: expected a whole number ≥ {minimum}, got {value!r}")
    return value


def _str(field: str, value) -> str:
    if not isinstance(value, str):
        raise NeurosimError(f"{field}: expected a string, got {value!r}")
    return value


def _bool(field: str, value) -> bool:
    if not isinstance(value, bool):
        raise NeurosimError(f"{field}: expected true or false, got {value!r}")
    return value


def _vectors(field: str, value) -> tuple[tuple[float, ...], ...]:
    if not isinstance(value, list) or not value:
        raise NeurosimError(f"{field}: expected a list of samples such as [[0.05, 0.10]], got {value!r}")
    rows = value if all(isinstance(v, list) for v in value) else [value]
    return tuple(tuple(as_number(f"{field}[{i}]", x) for x in row) for i, row in enumerate(rows, start=1))


def _parameters(field: str, value):
    if value is None:
        return None
    if isinstance(value, Mapping):
        return {name: as_number(f"{field}.{name}", v) for name, v in value.items()}
    if isinstance(value, list):
        return [as_number(f"{field}[{i}]", v) for i, v in enumerate(value, start=1)]
    raise NeurosimError(f"{field}: expected a table of named values (w1 = 0.15) or a list, got {value!r}")


def conventions_from(training: Mapping, where: str = "training.") -> Conventions:
    """Conventions from a [training] table (defaults for missing keys)."""
    try:
        round_to = training.get("round")
        if round_to is not None:
            round_to = _int(f"{where}round", round_to)
        arithmetic = Arithmetic(_str(f"{where}dtype", training.get("dtype", "float64")), round_to)
        lr = training.get("learning_rate", 0.5)
        if isinstance(lr, str):
            lr = as_number(f"{where}learning_rate", lr)
        return Conventions(
            loss=_str(f"{where}loss", training.get("loss", "half_sse")),
            learning_rate=lr,
            update_biases=_bool(f"{where}update_biases", training.get("update_biases", True)),
            order=_str(f"{where}order", training.get("order", "simultaneous")),
            mode=_str(f"{where}mode", training.get("mode", "online")),
            arithmetic=arithmetic,
        )
    except NeurosimError as error:
        text = str(error)
        raise NeurosimError(text if text.startswith(where) else f"{where}{text}") from None


def spec_from_dict(data: Mapping) -> Spec:
    """Validate an exercise (as parsed from TOML) and turn it into a Spec."""
    if not isinstance(data, Mapping):
        raise NeurosimError("expected a table at the top level")
    _check_keys(data, "")
    network = _table(data, "network", "")
    _check_keys(network, "network")
    if "layers" not in network:
        raise NeurosimError("network.layers: missing (e.g. layers = [2, 2, 2])")
    layers = network["layers"]
    if not isinstance(layers, list) or len(layers) < 2:
        raise NeurosimError(f"network.layers: expected a list of at least two layer sizes, got {layers!r}")
    for size in layers:
        _int("network.layers", size, 1)
    activations = network.get("activations", "sigmoid")
    if isinstance(activations, str):
        activations = [activations] * (len(layers) - 1)
    if not isinstance(activations, list) or not all(isinstance(a, str) for a in activations):
        raise NeurosimError(f"network.activations: expected a name or a list of names, got {activations!r}")
    seed = network.get("seed")
    if seed is not None:
        seed = _int("network.seed", seed)
    data_table = _table(data, "data", "")
    _check_keys(data_table, "data")
    for key in ("inputs", "targets"):
        if key not in data_table:
            raise NeurosimError(f"data.{key}: missing")
    inputs = _vectors("data.inputs", data_table["inputs"])
    targets = _vectors("data.targets", data_table["targets"])
    if len(inputs) != len(targets):
        raise NeurosimError(f"data: {len(inputs)} input samples but {len(targets)} target samples")
    if any(len(row) != layers[0] for row in inputs):
        bad = next(i for i, row in enumerate(inputs, 1) if len(row) != layers[0])
        raise NeurosimError(f"data.inputs[{bad}]: has {len(inputs[bad - 1])} values, the network has "
                            f"{layers[0]} inputs")
    if any(len(row) != layers[-1] for row in targets):
        bad = next(i for i, row in enumerate(targets, 1) if len(row) != layers[-1])
        raise NeurosimError(f"data.targets[{bad}]: has {len(targets[bad - 1])} values, the network has "
                            f"{layers[-1]} outputs")
    training = _table(data, "training", "")
    _check_keys(training, "training")
    conventions = conventions_from(training)
    sampling = _str("training.sampling", training.get("sampling", "cycle"))
    if sampling not in SAMPLING:
        raise NeurosimError(f"training.sampling: unknown value '{sampling}' (choose from {', '.join(SAMPLING)})")
    batch_size = training.get("batch_size")
    if batch_size is not None:
        batch_size = _int("training.batch_size", batch_size, 1)
        if conventions.mode == "online":
            raise NeurosimError("training.batch_size: mini-batches need mode 'batch-sum' or 'batch-mean'")
        if batch_size >= len(inputs):
            batch_size = None  # one batch of every sample: an epoch a step
    report = _table(data, "report", "")
    _check_keys(report, "report")
    trace_steps = report.get("trace_steps")
    if trace_steps is not None:
        if not isinstance(trace_steps, list):
            raise NeurosimError(f"report.trace_steps: expected a list of step numbers, got {trace_steps!r}")
        trace_steps = tuple(_int("report.trace_steps", s, 1) for s in trace_steps)
    every = report.get("every")
    if every is not None:
        every = _int("report.every", every, 1)
    published = []
    entries = data.get("published", [])
    if not isinstance(entries, list):
        raise NeurosimError("published: expected an array of tables ([[published]])")
    for i, entry in enumerate(entries, start=1):
        if not isinstance(entry, Mapping):
            raise NeurosimError(f"published[{i}]: expected a table")
        _check_keys(entry, "published")
        value = entry.get("value")
        if not isinstance(value, str):
            raise NeurosimError(f"published[{i}].value: write the number as a string, as the source prints it")
        as_number(f"published[{i}].value", value)
        overrides = tuple((k, v) for k, v in entry.items() if k in TRAINING_KEYS)
        if overrides:
            conventions_from({**training, **dict(overrides)}, f"published[{i}].")
        published.append(Published(_str(f"published[{i}].quantity", entry.get("quantity")), value,
                                   str(entry.get("source", "")), overrides))
    spec = Spec(
        title=_str("title", data.get("title", "exercise")),
        description=_str("description", data.get("description", "")),
        layers=tuple(layers),
        activations=tuple(activations),
        bias=_str("network.bias", network.get("bias", "shared")),
        init=_str("network.init", network.get("init", "uniform")),
        seed=seed,
        weights=_parameters("network.weights", network.get("weights")),
        biases=_parameters("network.biases", network.get("biases")),
        inputs=inputs,
        targets=targets,
        conventions=conventions,
        steps=_int("training.steps", training.get("steps", 1), 0),
        sampling=sampling,
        sampling_seed=_int("training.seed", training.get("seed", 0)),
        trace_steps=trace_steps,
        every=every,
        published=tuple(published),
        raw=data,
        batch_size=batch_size,
    )
    spec.build_network()  # every network error (sizes, names, counts) shows up now, not mid-run
    return spec


def load_spec(path: str | Path) -> Spec:
    """Read an exercise file (TOML; never executed). Errors name the file, and the line if known."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NeurosimError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise NeurosimError(f"{path}: cannot be read ({error})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise NeurosimError(f"{path}: not valid TOML: {error}") from None
    try:
        return spec_from_dict(data)
    except NeurosimError as error:
        raise NeurosimError(f"{path}: {error}{_line_hint(text, str(error))}") from None


def _line_hint(text: str, message: str) -> str:
    """' (line N)' for the first line that sets the key the message names, if one does."""
    key = message.split(":", 1)[0].split(".")[-1].split("[")[0].strip()
    if not key:
        return ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith(f"{key} ") or stripped.startswith(f"{key}=") or stripped.startswith(f"[{key}]") \
                or stripped.startswith(f"[network.{key}]"):
            return f" (line {number})"
    return ""
