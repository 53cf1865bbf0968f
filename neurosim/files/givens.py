"""The givens of an exercise file in neurosim's names: the keys of [network.weights],
[network.biases] and the parameters of [training.rule.state] are written in the file's notation
(or by its [names] aliases, or in neurosim's own names) and read by core/notation/givens.py:

    notation = "hkp"
    [network.weights]
    w14 = 0.2          # w1 (unit 1 → unit 4)
    [network.biases]
    theta4 = -0.4      # b_h1 (θ4 is read too)
    [training.rule.state]
    v_w46 = 0.08       # v_w7

The Spec holds neurosim's names; its `raw` keeps the file as written.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from ..core.exercise import Spec
from ..core.memory import check_network
from ..core.names import bias_names, weight_names
from ..core.notation import name_map
from ..core.notation.givens import GivenNames
from ..core.notation.namemap import structure_of
from ..core.rules import RULE_NAMES, RuleConfig, rule_class, split_state_name
from ..core.rules.base import CHANGE
from ..errors import NeurosimError
from ..messages import say


def given_in_our_names(spec: Spec) -> Spec:
    """`spec` with its named weights, biases and rule state under neurosim's names (checked: an
    unknown, ambiguous or repeated name is an error naming its table)."""
    tables = {kind: value for kind, value in (("weights", spec.weights), ("biases", spec.biases))
              if isinstance(value, Mapping) and value and not (kind == "biases" and spec.bias == "none")}
    config = spec.conventions.rule
    counters = config.rule_class.COUNTERS if config.state else ()
    state = [key for key, _ in config.state if key not in counters]
    if not tables and not state:
        return spec
    check_network(spec.layers, spec.max_memory)  # before the names of a network too large to build
    if not state and _already_ours(spec, tables):
        return spec
    given = GivenNames(name_map(spec))
    changes = {kind: dict(zip(given.read(list(table), kind, f"network.{kind}"), table.values()))
               for kind, table in tables.items()}
    if spec.seed is None:  # without random draws every given is needed: say which are missing, in the notation
        for kind, table in changes.items():
            _check_complete(kind, table, given)
    if state:
        rule = attrs.evolve(config, state=_state(spec, given, counters))
        changes["conventions"] = attrs.evolve(spec.conventions, rule=rule)
    return attrs.evolve(spec, **changes)


def _check_complete(kind: str, table: Mapping, given: GivenNames) -> None:
    """An error naming (in the notation) the parameters of `kind` that `table` leaves out."""
    missing = [given.written(n) for n in given.structure_names(kind) if n not in table]
    if missing:
        shown = ", ".join(missing[:6]) + (", …" if len(missing) > 6 else "")
        raise NeurosimError(say("{kind}: missing {names} (give all {count} values, or a seed for random ones)",
                                kind=kind, names=shown, count=len(given.structure_names(kind))))


def _already_ours(spec: Spec, tables: Mapping[str, Mapping]) -> bool:
    """Whether every name is neurosim's own in an exercise in neurosim's names (nothing to read)."""
    if spec.notation != "mazur" or spec.names:
        return False
    if spec.architecture is not None:
        structure = structure_of(spec)
        known = {"weights": frozenset(structure.weights), "biases": frozenset(structure.biases)}
    else:
        known = {"weights": frozenset(weight_names(spec.layers)),
                 "biases": frozenset(bias_names(spec.layers, spec.bias))}
    return all(name in known[kind] for kind, table in tables.items() for name in table)


def _state(spec: Spec, given: GivenNames, counters) -> tuple[tuple[str, float], ...]:
    """[training.rule.state] under neurosim's names (v_w46 → v_w7); a parameter that does not
    learn (a frozen bias) has no state to give."""
    config: RuleConfig = spec.conventions.rule
    keys = [key for key, _ in config.state if key not in counters]
    parts = [split_state_name(key) for key in keys]
    internals = iter(given.read([parameter for _, parameter in parts], "parameters",
                                [f"training.rule.state.{key}" for key in keys], slots=[prefix for prefix, _ in parts]))
    frozen = () if spec.conventions.update_biases else tuple(given.structure.biases)
    result = []
    for key, value in config.state:
        if key in counters:
            result.append((key, value))
            continue
        prefix, written = split_state_name(key)
        internal = next(internals)
        if internal in frozen:
            raise NeurosimError(say("training.rule.state.{key}: {parameter} is frozen (update_biases = false), so no "
                                    "rule state is kept for it", key=key, parameter=written))
        result.append((f"{CHANGE}{internal}" if prefix == CHANGE else f"{prefix}_{internal}", value))
    return tuple(result)


def state_in_notation(spec: Spec, keys: list[str], notation: str) -> list[str]:
    """Rule state names (`--state v_w46`) written in `notation`, as `spec`'s own notation writes
    them (v_w7 in neurosim's names); the rule's counters (t) are kept."""
    counters = {counter for rule in RULE_NAMES for counter in rule_class(rule).COUNTERS}
    ours = GivenNames(name_map(attrs.evolve(spec, notation=notation)))
    theirs = GivenNames(name_map(spec)) if spec.notation != notation else ours
    named = [key for key in keys if key not in counters]
    parts = [split_state_name(key) for key in named]
    internals = iter(ours.read([parameter for _, parameter in parts], "parameters",
                               [f"--state {key}" for key in named], slots=[prefix for prefix, _ in parts]))
    result = []
    for key in keys:
        if key in counters:
            result.append(key)
            continue
        prefix, _ = split_state_name(key)
        written = theirs.written(next(internals))
        result.append(f"{CHANGE}{written}" if prefix == CHANGE else f"{prefix}_{written}")
    return result
