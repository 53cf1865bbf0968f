"""Exercise files read into a Spec: the network, data, conventions, run length, published figures
and expected values of one exercise, written in TOML (the built-in scenarios are such files,
neurosim/scenarios/NAME.toml). Validation names the bad key: `network.layers: …`,
`training.learning_rate: …`.

This module reads the tables in turn; the value checks are in fields.py, the [training] table in
training.py, [[published]] and [expect] in figures.py.

    title = "..."                 description = "..."
    notation = "NAME"             the names [expect] and the tables use: mazur (default), hkp,
                                  nielsen, matrix (`neurosim notations`)
    [network]   layers, activations, bias, init, seed, [network.weights], [network.biases]
    [data]      inputs, targets   (lists of samples, or a .csv/.npy file name: files/datafile.py;
                                  with loss = "none" targets may be left out)
    [training]  loss, learning_rate, steps, mode, order, update_biases, dtype, round, rounding,
                sampling ("cycle" | "random"), seed, flat_spot, tolerance,
                rule = "NAME" or a [training.rule] table and [training.rule.state] (files/rules.py),
                max_memory ("8G": the memory limit, core/memory.py),
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
                default the last step run), in the file's notation
    [names]     the user's own aliases: "a_delta_h1" = "Δw5" (alias = a name in the notation)
    variant, ask, [plot]   the classroom: a variant's id, the quantities its question sheet asks
                for, whether the sheet draws the network (sheet_keys.py)
    [variants]  which given numbers `neurosim variants` draws afresh, from which values (variation.py)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import attrs

from ..core.exercise import ReportedLoss, Spec
from ..core.losses import get_loss
from ..core.memory import check_file
from ..core.network import BIAS_MODES
from ..core.notation import get_notation
from ..errors import NeurosimError
from ..messages import N_, say, say_unknown
from ..textfiles import read_text
from .datafile import DATA_KEYS, read_samples, with_data_paths
from .fields import check_keys, choice, optional_whole, parameters, parse_toml, samples, string, table, whole
from .figures import expected_values, published_figures
from .givens import given_in_our_names
from .sheet_keys import sheet_request, variant_id
from .training import TRAINING_KEYS, conventions_from, run_options

EXTRA_TABLES = ("layouts", "finite_differences")  # [report] extra: tables neurosim.views.extras makes
SECTIONS = {
    "": ("title", "description", "notation", "network", "data", "training", "report", "published", "expect",
         "names", "variant", "ask", "plot", "variants"),
    "network": ("layers", "activations", "bias", "init", "seed", "weights", "biases", "input", "layer"),
    "data": ("inputs", "targets"),
    "training": TRAINING_KEYS,
    "report": ("trace_steps", "every", "loss", "loss_samples", "extra", "samples"),
}  # the keys of each table; those of a [[published]] entry: figures.PUBLISHED_KEYS


def spec_from_dict(data: Mapping, published_training: Mapping | None = None) -> Spec:
    """Validate an exercise (as parsed from TOML) and turn it into a Spec. The tables are read in
    turn ([network], [data], [training], [report], [[published]], [expect], then title and
    description); the first bad value raises a NeurosimError that names its key.

    A [[published]] entry's training keys must make valid conventions with `published_training`
    (default: the exercise's [training]): with_training gives the exercise's own, since a source's
    figures are computed under its conventions, not under those a run changes."""
    if not isinstance(data, Mapping):
        raise NeurosimError("expected a table at the top level")
    if published_training is not None and not isinstance(published_training, Mapping):
        raise NeurosimError(say("published_training: expected None or a [training] table, got {value!r}",
                                value=published_training))
    check_keys(data, SECTIONS[""])
    network_table, training = _section(data, "network"), _section(data, "training")
    if "input" in network_table or "layer" in network_table:  # layer by layer, shared weights (layers.py)
        from .layers import layered  # (start-up: a dense network's file needs none of it)

        network, inputs, targets = layered(network_table, _section(data, "data"), training.get("loss") == "none")
    else:
        network = _network(network_table)
        inputs, targets = _data(_section(data, "data"), network["layers"], training.get("loss") == "none")
    conventions = conventions_from(training)
    spec = Spec(
        **network,
        inputs=inputs,
        targets=targets,
        conventions=conventions,
        **run_options(training, conventions, len(inputs)),
        **_report(_section(data, "report")),
        published=published_figures(data.get("published", []),
                                    training if published_training is None else published_training),
        expect=expected_values(table(data, "expect")),
        title=string("title", data.get("title", "exercise")),
        description=string("description", data.get("description", "")),
        raw=data,
        variant=variant_id(data),
        sheet=sheet_request(data),
        **_notation(data),
    )
    spec = given_in_our_names(spec)  # the weights, biases and rule state named in the file's notation
    if data.get("variants") is not None:  # checked now; `neurosim variants` reads it again
        from .variation import variation_rules  # (start-up: only files with [variants] need it)
        variation_rules(data["variants"])
    spec.build_network()  # every network error (sizes, names, counts) shows up now, not mid-run
    if spec.architecture is not None:  # a network with shared weights: its notation and conventions
        from .layers import check_shared

        check_shared(spec)
    if conventions.time_update == "per_step" and "steps" not in training:  # a run step is a time step:
        spec = attrs.evolve(spec, steps=spec.architecture.steps * len(inputs))  # every sequence once
    if conventions.flat_spot and "softmax" in spec.activations:
        raise NeurosimError("training.flat_spot: not defined for a softmax layer (its derivative is a Jacobian)")
    return spec


def _notation(data: Mapping) -> dict:
    """notation = "NAME" (core/notation: mazur, hkp, nielsen, matrix) and the [names] aliases
    ("my name" = "a name in the notation")."""
    notation = string("notation", data.get("notation", "mazur"))
    get_notation(notation)
    names = table(data, "names")
    for alias, target in names.items():
        if not isinstance(target, str) or not target.strip():
            raise NeurosimError(say('names."{alias}": expected the name of a quantity in notation {notation}, '
                                    "got {target!r}", alias=alias, notation=notation, target=target))
    return {"notation": notation, "names": tuple((str(k), v.strip()) for k, v in names.items())}


def _section(data: Mapping, name: str) -> Mapping:
    """The table `name` of the exercise, with its keys checked."""
    section = table(data, name)
    check_keys(section, SECTIONS[name], name)
    return section


def _network(network: Mapping) -> dict:
    """The Spec fields of [network]: layers, activations, bias, init, seed, weights, biases."""
    if "layers" not in network:
        raise NeurosimError("network.layers: missing (e.g. layers = [2, 2, 2])")
    layers = network["layers"]
    if not isinstance(layers, list) or len(layers) < 2:
        raise NeurosimError(say("network.layers: expected a list of at least two layer sizes, got {layers!r}",
                                layers=layers))
    for size in layers:
        whole("network.layers", size, 1)
    activations = network.get("activations", "sigmoid")
    if isinstance(activations, str):
        activations = [activations] * (len(layers) - 1)
    if not isinstance(activations, list) or not all(isinstance(a, str) for a in activations):
        raise NeurosimError(say("network.activations: expected a name or a list of names, got {activations!r}",
                                activations=activations))
    return {
        "layers": tuple(layers),
        "activations": tuple(activations),
        "seed": optional_whole("network.seed", network.get("seed")),
        "bias": choice("network.bias", network.get("bias", "shared"), BIAS_MODES),
        "init": string("network.init", network.get("init", "uniform")),
        "weights": parameters("network.weights", network.get("weights")),
        "biases": parameters("network.biases", network.get("biases")),
    }


def _data(data: Mapping, layers: tuple[int, ...], no_loss: bool = False) -> tuple[tuple, tuple]:
    """[data]: the input and target samples, as many of each, sized like the network's ends. With
    loss "none" the targets are not used and may be left out (they are then taken as 0)."""
    data = {k: read_samples(f"data.{k}", v) if isinstance(v, str) and k in DATA_KEYS else v for k, v in data.items()}
    if no_loss and "targets" not in data and "inputs" in data:
        data = {**data, "targets": [[0.0] * layers[-1] for _ in samples("data.inputs", data["inputs"])]}
    for key in ("inputs", "targets"):
        if key not in data:
            raise NeurosimError(say("data.{key}: missing", key=key))
    inputs = data["inputs"] if isinstance(data["inputs"], tuple) else samples("data.inputs", data["inputs"])
    targets = data["targets"] if isinstance(data["targets"], tuple) else samples("data.targets", data["targets"])
    if len(inputs) != len(targets):
        raise NeurosimError(say("data: {inputs} input samples but {targets} target samples",
                                inputs=len(inputs), targets=len(targets)))
    for key, rows, size, sentence in (
            ("inputs", inputs, layers[0], N_("data.{key}[{i}]: has {count} values, the network has {size} inputs")),
            ("targets", targets, layers[-1],
             N_("data.{key}[{i}]: has {count} values, the network has {size} outputs"))):
        for i, row in enumerate(rows, start=1):
            if len(row) != size:
                raise NeurosimError(say(sentence, key=key, i=i, count=len(row), size=size))
    return inputs, targets


def _report(report: Mapping) -> dict:
    """The Spec fields of [report]: trace_steps, every, report_loss, extra, samples_shown."""
    trace_steps = report.get("trace_steps")
    if trace_steps is not None:
        if not isinstance(trace_steps, list):
            raise NeurosimError(say("report.trace_steps: expected a list of step numbers, got {trace_steps!r}",
                                    trace_steps=trace_steps))
        trace_steps = tuple(whole("report.trace_steps", s, 1) for s in trace_steps)
    return {
        "trace_steps": trace_steps,
        "every": optional_whole("report.every", report.get("every"), 1),
        "report_loss": _reported_loss(report),
        "extra": _extra_tables(report.get("extra", [])),
        "samples_shown": whole("report.samples", report["samples"], 1) if "samples" in report else None,
    }


def _reported_loss(report: Mapping) -> ReportedLoss | None:
    """[report] loss, loss_samples: the loss a source prints beside the one it descends."""
    if "loss" not in report:
        if "loss_samples" in report:
            raise NeurosimError("report.loss_samples: given without report.loss")
        return None
    name = string("report.loss", report["loss"])
    try:
        get_loss(name)
    except NeurosimError as error:
        raise NeurosimError(f"report.{error}") from None
    over = string("report.loss_samples", report.get("loss_samples", "mean"))
    if over not in ("mean", "sum"):
        raise NeurosimError(say("report.loss_samples: unknown value '{over}' (choose from mean, sum)", over=over))
    return ReportedLoss(name, over)


def _extra_tables(extra) -> tuple[str, ...]:
    if not isinstance(extra, list) or not all(isinstance(e, str) for e in extra):
        raise NeurosimError(say("report.extra: expected a list of table names, got {extra!r}", extra=extra))
    for name in extra:
        if name not in EXTRA_TABLES:
            raise NeurosimError(say_unknown(N_("report.extra: unknown table '{name}' (did you mean '{hint}'?)"),
                                            N_("report.extra: unknown table '{name}' (choose from {choices})"),
                                            name, EXTRA_TABLES, name=name))
    return tuple(extra)


def with_training(spec: Spec, **changes) -> Spec:
    """The same setup with some [training] keys changed (validated like a file's)."""
    own = spec.raw.get("training", {})
    training = dict(own)
    changes = {k: v for k, v in changes.items() if v is not None}
    for key, other in (("round", "rounding"), ("rounding", "round")):  # one replaces the other
        if key in changes:
            training.pop(other, None)
    training.update(changes)
    raw = dict(spec.raw)
    raw["training"] = training
    return spec_from_dict(raw, published_training=own)


def load_spec(path: str | Path) -> Spec:
    """Read an exercise file (TOML; never executed). Errors name the file, and the line if known."""
    if not isinstance(path, (str, os.PathLike)) or not str(path) or "\x00" in str(path):
        raise NeurosimError(say("path: expected a file name, got {value!r}", value=path))
    path = Path(path)
    if path.is_file():  # before parsing: a file of huge lists is refused
        check_file(path, path.stat().st_size, _numbers_in(path))
    text = read_text(path)
    data = parse_toml(text, path)
    try:
        return spec_from_dict(with_data_paths(data, path.parent))
    except NeurosimError as error:
        from .line_hint import line_hint  # (an error's line: start-up loads it only then)

        raise NeurosimError(f"{path}: {error}{line_hint(text, str(error))}") from None


def _numbers_in(path: Path) -> int:
    """At least the numbers in a file (each ends at a comma, a bracket or a line end), counted in
    1 MB pieces without parsing: the memory check bounds what parsing them takes."""
    count = 0
    try:
        with open(path, "rb") as handle:
            while piece := handle.read(1 << 20):
                count += piece.count(b",") + piece.count(b"]") + piece.count(b"\n")
    except OSError:
        return 0  # read_text says why
    return count
