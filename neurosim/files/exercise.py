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
    [report]    trace_steps, every,
                loss, loss_samples   a loss printed beside the training loss, as E_report: the loss
                                     a source prints when it differs from the one whose gradient it
                                     uses (e.g. loss = "mse", loss_samples = "mean" for a program
                                     that prints np.mean((a2 - Y)**2) but descends Σ½(a2 - Y)²);
                                     computed over all samples with the parameters before the step
                extra                names of extra tables (neurosim.views.extras), e.g. ["layouts"]
                samples              in a batch step, show the tables of the first N samples only
    [[published]] quantity, value (a string, as printed by the source), source, digits (compare
                  at this many decimals instead of all the printed ones, when the source's own
                  inputs were printed rounded), and any [training] keys under which the source
                  computed it
    [expect]    the user's values by quantity name: "w5+" = "0.3589", "dE/dw1@2" = "0.00043"
                (strings keep the digits as written, trailing zeros included; `@k` is step k,
                default the last step run)
"""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path
from typing import Mapping


from ..core.arithmetic import Arithmetic
from ..core.conventions import Conventions
from ..errors import NeurosimError
from ..textfiles import read_text
from ..core.losses import get_loss
from ..core.exercise import Expected, Published, ReportedLoss, Spec
from ..core.network import as_number
from ..core.written import parse_written

SAMPLING = ("cycle", "random")
EXTRA_TABLES = ("layouts", "finite_differences")  # [report] extra: tables neurosim.views.extras makes
TRAINING_KEYS = ("loss", "learning_rate", "steps", "mode", "order", "update_biases", "dtype", "round",
                 "sampling", "seed", "batch_size")
SECTIONS = {
    "": ("title", "description", "network", "data", "training", "report", "published", "expect"),
    "network": ("layers", "activations", "bias", "init", "seed", "weights", "biases"),
    "data": ("inputs", "targets"),
    "training": TRAINING_KEYS,
    "report": ("trace_steps", "every", "loss", "loss_samples", "extra", "samples"),
    "published": ("quantity", "value", "source", "digits") + TRAINING_KEYS,
}


def parse_expected(key: str, value, where: str = "expect.") -> Expected:
    """One `[expect]` entry (or `--expect NAME=VALUE`): 'w5+@2' → name 'w5+', step 2."""
    quoted = where == "expect." and any(c in key for c in '/+@[]. ')  # as the key is written in TOML
    label = f'{where}"{key}"' if quoted else f"{where}{key}"
    if not isinstance(key, str) or not key.strip():
        raise NeurosimError(f"{where}: an empty quantity name")
    name, at, step_text = key.strip().partition("@")
    step = None
    if at:
        if not step_text.isdigit() or int(step_text) < 1:
            raise NeurosimError(f"{label}: '@{step_text}' is not a step number (write e.g. {name}@2)")
        step = int(step_text)
    if isinstance(value, Mapping):
        raise NeurosimError(f"{label}: expected a number, got a table (quote names with dots or "
                            f"slashes: \"dE/dw5\" = \"0.0822\")")
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        shown = str(value).lower() if isinstance(value, bool) else repr(value)
        raise NeurosimError(f"{label}: expected a number, got {shown}")
    try:
        written = parse_written(value)
    except NeurosimError:
        raise NeurosimError(f"{label}: {value!r} is not a number") from None
    return Expected(name.strip(), step, written.text)


def _check_extra(name: str) -> None:
    if name not in EXTRA_TABLES:
        hint = difflib.get_close_matches(name, EXTRA_TABLES, n=1)
        tip = f" (did you mean '{hint[0]}'?)" if hint else f" (choose from {', '.join(EXTRA_TABLES)})"
        raise NeurosimError(f"report.extra: unknown table '{name}'{tip}")


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
    report_loss = None
    if "loss" in report:
        name = _str("report.loss", report["loss"])
        try:
            get_loss(name)
        except NeurosimError as error:
            raise NeurosimError(f"report.{error}") from None
        samples = _str("report.loss_samples", report.get("loss_samples", "mean"))
        if samples not in ("mean", "sum"):
            raise NeurosimError(f"report.loss_samples: unknown value '{samples}' (choose from mean, sum)")
        report_loss = ReportedLoss(name, samples)
    elif "loss_samples" in report:
        raise NeurosimError("report.loss_samples: given without report.loss")
    extra = report.get("extra", [])
    if not isinstance(extra, list) or not all(isinstance(e, str) for e in extra):
        raise NeurosimError(f"report.extra: expected a list of table names, got {extra!r}")
    for name in extra:
        _check_extra(name)
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
        digits = entry.get("digits")
        if digits is not None:
            digits = _int(f"published[{i}].digits", digits)
        published.append(Published(_str(f"published[{i}].quantity", entry.get("quantity")), value,
                                   str(entry.get("source", "")), overrides, digits))
    expect_table = _table(data, "expect", "")
    expect = tuple(parse_expected(str(key), value) for key, value in expect_table.items())
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
        report_loss=report_loss,
        extra=tuple(extra),
        samples_shown=None if "samples" not in report else _int("report.samples", report["samples"], 1),
        expect=expect,
        raw=data,
        batch_size=batch_size,
    )
    spec.build_network()  # every network error (sizes, names, counts) shows up now, not mid-run
    return spec


def with_training(spec: Spec, **changes) -> Spec:
    """The same setup with some [training] keys changed (validated like a file's)."""
    training = dict(spec.raw.get("training", {}))
    training.update({k: v for k, v in changes.items() if v is not None})
    raw = dict(spec.raw)
    raw["training"] = training
    return spec_from_dict(raw)


def load_spec(path: str | Path) -> Spec:
    """Read an exercise file (TOML; never executed). Errors name the file, and the line if known."""
    path = Path(path)
    text = read_text(path)
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
    field = message.split(":", 1)[0]
    if field.startswith("expect."):
        key = field[len("expect."):].strip('"')
        for number, line in enumerate(text.splitlines(), start=1):
            stripped = line.strip()
            if stripped.startswith((f'"{key}"', f"'{key}'", f"{key} ", f"{key}=", f"{key}.")):
                return f" (line {number})"
        return ""
    key = field.split(".")[-1].split("[")[0].strip()
    if not key:
        return ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith(f"{key} ") or stripped.startswith(f"{key}=") or stripped.startswith(f"[{key}]") \
                or stripped.startswith(f"[network.{key}]"):
            return f" (line {number})"
    return ""
