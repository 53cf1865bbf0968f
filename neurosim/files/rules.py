"""The [training.rule] table of an exercise file: the learning rule, its parameters under the names
its sources use, and [training.rule.state], the state before step 1 (core/rules):

    [training.rule]
    name = "momentum"           # sgd | momentum | nesterov | quickprop | rprop | adagrad | rmsprop | adam | adamw
    momentum = 0.9
    form = "after-lr"           # after-lr | before-lr | normalized | gradient-only

    [training.rule.state]       # e.g. "assume the previous weight change was 0.08"
    v_w5 = 0.08

`rule = "adam"` in [training] is short for a table with only a name. Errors name the key:
`training.rule.betas: momentum takes no parameter 'betas' …`.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..core.rules import RULE_NAMES, RuleConfig, rule_config
from ..errors import NeurosimError


def rule_from(training: Mapping) -> RuleConfig:
    """The RuleConfig of a [training] table (plain gradient descent when it has no `rule`)."""
    value = training.get("rule")
    if value is None:
        return RuleConfig()
    try:
        if isinstance(value, str):
            return rule_config(value)
        if not isinstance(value, Mapping):
            raise NeurosimError(f"expected a rule name or a [training.rule] table, got {value!r}")
        if "name" not in value:
            raise NeurosimError(f"name: missing (the rule: {' | '.join(RULE_NAMES)})")
        state = value.get("state", {})
        if not isinstance(state, Mapping):
            raise NeurosimError(f"state: expected a table of quantities such as v_w5 = 0.08, got {state!r}")
        params = {k: v for k, v in value.items() if k not in ("name", "state")}
        return rule_config(value["name"], params, state)
    except NeurosimError as error:
        raise NeurosimError(f"rule.{error}" if not str(error).startswith("expected") else f"rule: {error}") from None


def rule_table(config: RuleConfig) -> dict:
    """The [training.rule] table of a RuleConfig (what an exercise file would say)."""
    table = {"name": config.name}
    table.update({k: list(v) if isinstance(v, tuple) else v for k, v in config.params})
    if config.state:
        table["state"] = dict(config.state)
    return table


def rule_json(conventions) -> dict:
    """The learning rule, flat spot and tolerance as JSON keys of the conventions (none of them for
    plain gradient descent without either, so such files read as before)."""
    result = {} if conventions.rule.plain else {"rule": rule_table(conventions.rule)}
    for key in ("flat_spot", "tolerance"):
        if getattr(conventions, key):
            result[key] = getattr(conventions, key)
    return result


def sharing_json(conventions, kinds: tuple[str, ...]) -> dict:
    """The conventions of shared weights as JSON keys, for the kinds of layer a network has: kernel
    (conv1d, conv2d), bptt and time_loss (recurrent); none for a dense network, so its files read
    as before."""
    result: dict = {}
    if "conv1d" in kinds or "conv2d" in kinds:
        result["kernel"] = conventions.kernel
    if "recurrent" in kinds:
        result.update(bptt=conventions.bptt, time_loss=conventions.time_loss)
        if conventions.time_update != "sequence":  # files of the default read as before
            result["time_update"] = conventions.time_update
    return result
