"""Exercise variants: from one template, N exercises with the same network and conventions and
new given numbers, each a clean exercise file (`neurosim variants`).

Variant k (v01, v02, …) of seed S is drawn by its own generator, numpy default_rng([S, k]), so it
is the same whatever the number of variants asked for: weights, biases, inputs, targets and the
learning rate, as the template's [variants] table says (variation.py), in that order. A draw that
gives a degenerate exercise (degeneracy.py) or the same numbers as an earlier variant is drawn
again from the same generator, up to MAX_DRAWS times.

A variant keeps the template's tables and comments, less what belongs to the template's own
numbers: its published figures, its [expect] values, its description (the [variants] table may
give the variants one) and the [variants] table itself; every weight and bias is written out by
name with what it connects.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from decimal import Decimal

import attrs
import numpy as np

from ..core.exercise import Spec
from ..core.names import neuron_names
from ..core.notation import name_map
from ..core.notation.givens import GivenNames
from ..errors import NeurosimError
from ..messages import say
from .degeneracy import degeneracy
from .exercise import spec_from_dict
from .toml_comments import template_comments
from .tomlwriter import dumps
from .variation import VariationRules, variation_rules

MAX_DRAWS = 1000
DROPPED = ("published", "expect", "variants", "description", "variant")  # the template's own, not a variant's


@attrs.frozen
class VariantFile:
    """One variant: its id, its exercise file's text, the exercise, and why earlier draws were refused."""

    id: str
    text: str
    spec: Spec = attrs.field(repr=False)
    refused: tuple[str, ...] = ()


def variant_ids(count: int) -> list[str]:
    """v01 … vNN (three digits from 100 variants on)."""
    width = max(2, len(str(count)))
    return [f"v{index:0{width}d}" for index in range(1, count + 1)]


def make_variants(template: Mapping, count: int, seed: int, *, source: str = "the template",
                  template_text: str = "") -> list[VariantFile]:
    """`count` variants of `template` (an exercise file as parsed) drawn with `seed`. `source`
    names the template in each file's header; `template_text` gives the comments to keep."""
    if count < 1:
        raise NeurosimError(say("--count: must be at least 1, got {count}", count=count))
    if seed < 0:
        raise NeurosimError(say("--seed: must be 0 or more, got {seed}", seed=seed))
    spec = spec_from_dict(template)
    rules = variation_rules(template.get("variants"))
    if not rules.ranges:
        raise NeurosimError("variants: nothing varies (every key of [variants] is false)")
    if not _draw(np.random.default_rng(0), rules, spec):
        raise NeurosimError(say("variants: nothing to vary (the network has no {names})",
                                names=", ".join(category for category, _ in rules.ranges)))
    base = _base_data(template, spec, rules)
    comments = {**template_comments(template_text), **_parameter_comments(spec)}
    seen: dict[tuple, str] = {}
    result = []
    for index, vid in enumerate(variant_ids(count), start=1):
        rng = np.random.default_rng([seed, index])
        refused: list[str] = []
        while True:
            drawn = _draw(rng, rules, spec)
            key = tuple(value for _, values in drawn for value in values)
            data = _variant_data(base, drawn, vid)
            reason = say("the same numbers as {other}", other=seen[key]) if key in seen else None
            variant_spec = spec_from_dict(data)
            reason = reason or degeneracy(variant_spec)
            if reason is None:
                break
            refused.append(reason)
            if len(refused) >= MAX_DRAWS:
                raise NeurosimError(say("variant {id}: {tries} draws in a row were refused (the last: {reason}); "
                                        "widen the ranges in [variants]", id=vid, tries=MAX_DRAWS, reason=reason))
        seen[key] = vid
        header = say("Variant {id} of {source}, drawn by `neurosim variants` (seed {seed}, variant {index}).\n"
                     "The network and the conventions are the template's; the given numbers are drawn afresh.\n"
                     "`neurosim sheet {id}.toml` writes its question sheet, `neurosim sheet {id}.toml --key` "
                     "its answer key.", id=vid, source=source, seed=seed, index=index)
        text = dumps(data, {**comments, ("variant",): say("this variant's id (its file name)")}, header=header)
        result.append(VariantFile(vid, text, variant_spec, tuple(refused)))
    return result


def _base_data(template: Mapping, spec: Spec, rules: VariationRules) -> dict:
    """The template less its own numbers' extras, with every parameter written out by name (seeded
    random ones too: a variant file gives every number it uses)."""
    data: dict = {"variant": ""}
    data.update((k, copy.deepcopy(v)) for k, v in template.items() if k not in DROPPED)
    if rules.description:
        data = {"variant": "", "title": data.pop("title", "exercise"), "description": rules.description, **data}
    network = data["network"]
    for key in ("seed", "init"):
        network.pop(key, None)
    built = spec.build_network()
    params, weights = built.parameters(), _weight_names(built)
    written = GivenNames(name_map(spec)).written  # by name, in the template's notation
    network["weights"] = {written(name): value for name, value in params.items() if name in weights}
    biases = {written(name): value for name, value in params.items() if name not in weights}
    network.pop("biases", None)
    if biases:
        network["biases"] = biases
    data["data"] = _samples_as_written(spec)
    return data


def _weight_names(network) -> frozenset[str]:
    """The weights' names (w1 …, a kernel's k1_11 …; the rest of the parameters are biases)."""
    return frozenset(c.name for c in network.connections)


def _samples_as_written(spec: Spec) -> dict:
    """[data] with every sample's numbers: a row each, or a recurrent network's sequences step by step
    (without h_0, which the network keeps)."""
    architecture = spec.architecture
    if architecture is None or not architecture.recurrent:
        return {"inputs": [list(row) for row in spec.inputs], "targets": [list(row) for row in spec.targets]}
    n, m, steps = architecture.input[0], architecture.layers[-1].size, architecture.steps
    return {"inputs": [[list(x[t * n:(t + 1) * n]) for t in range(steps)] for x in spec.inputs],
            "targets": [[list(y[k:k + m]) for k in range(0, len(y), m)] for y in spec.targets]}


def _leaves(value) -> int:
    return sum(_leaves(v) for v in value) if isinstance(value, list) else 1


def _fill(value, numbers):
    """`value` (nested lists) with its numbers replaced by the next ones of the iterator `numbers`."""
    return [_fill(v, numbers) for v in value] if isinstance(value, list) else next(numbers)


def _draw(rng, rules: VariationRules, spec: Spec) -> list[tuple[str, tuple[Decimal, ...]]]:
    """New values for each category that varies, in the order of the rules."""
    network = spec.build_network()
    names, weights = network.parameter_names(), _weight_names(network)
    samples = _samples_as_written(spec)
    sizes = {"weights": sum(n in weights for n in names), "biases": sum(n not in weights for n in names),
             "inputs": _leaves(samples["inputs"]), "targets": _leaves(samples["targets"]), "learning_rate": 1}
    return [(category, tuple(values.draw(rng) for _ in range(sizes[category]))) for category, values in rules.ranges
            if sizes[category]]  # a network without biases has none to draw


def _variant_data(base: dict, drawn, vid: str) -> dict:
    """The variant's exercise as a dict: `base` with the drawn values put in."""
    data = copy.deepcopy(base)
    data["variant"] = vid
    network, samples = data["network"], data["data"]
    for category, values in drawn:
        numbers = [float(v) for v in values]
        if category in ("weights", "biases"):
            table = network[category]
            table.update(zip(table, numbers))
        elif category in ("inputs", "targets"):
            samples[category] = _fill(samples[category], iter(numbers))
        else:
            data.setdefault("training", {})["learning_rate"] = numbers[0]
    return data


def _parameter_comments(spec: Spec) -> dict[tuple[str, ...], str]:
    """What each weight connects (i1 → h1; in hkp 1 → 4) and which neurons each bias belongs to."""
    network = spec.build_network()
    names = name_map(spec)
    written = GivenNames(names).written
    if spec.architecture is not None:
        return _shared_comments(network, names, written)
    comments = {("network", "weights", written(c.name)): f"{names.neuron(c.source.name)} → "
                f"{names.neuron(c.target.name)}" for c in network.connections}
    layers = [[names.neuron(n) for n in layer] for layer in neuron_names(spec.layers)[1:]]
    for bias in network.biases:
        users = [names.neuron(bias.name[2:])] if spec.bias == "per-neuron" else []
        if spec.bias == "shared":
            users = layers[int(bias.name[1:]) - 1]
        comments[("network", "biases", written(bias.name))] = (
            say("shared by {neurons}", neurons=", ".join(users)) if spec.bias == "shared"
            else say("bias of {neuron}", neuron=", ".join(users)))
    return comments


def _shared_comments(network, names, written) -> dict[tuple[str, ...], str]:
    """A network with shared weights: what each weight connects (where it is used more than once: its
    first use and how many), and the neurons each bias belongs to (first and last)."""
    uses: dict[str, list] = {}
    for c in network.connections:
        if c.name in network.parameters():
            uses.setdefault(c.name, []).append(c)
    comments = {}
    for name, connections in uses.items():
        first = f"{names.neuron(connections[0].source.name)} → {names.neuron(connections[0].target.name)}"
        comments[("network", "weights", written(name))] = first if len(connections) == 1 else say(
            "{first}, … (shared by {count} connections)", first=first, count=len(connections))
    owners: dict[str, list[str]] = {}
    for layer in network.layers[1:]:
        for neuron in layer.neurons:
            if neuron.bias is not None:
                owners.setdefault(neuron.bias.name, []).append(names.neuron(neuron.name))
    for bias, users in owners.items():
        shown = ", ".join(users) if len(users) <= 3 else f"{users[0]} … {users[-1]}"
        comments[("network", "biases", written(bias))] = say("bias of {neuron}", neuron=shown)
    return comments
