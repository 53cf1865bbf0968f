"""The learning rule an exercise chooses, as data (`RuleConfig`, part of the Conventions): its name,
the parameters that differ from the rule's defaults, and any state given before step 1. `make`
turns it into the stateful rule object the engines use. `rule_config` validates a choice and
names the bad key in one line (unknown rules and parameters with a did-you-mean).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ...errors import NeurosimError
from ...messages import N_, say, say_unknown
from .base import CHANGE, Rule, split_state_name
from .params import number

# Each rule's module and class; a module is imported when its rule is first used (start-up time).
_CLASSES = {"sgd": ("sgd", "SGD"), "momentum": ("momentum", "Momentum"), "nesterov": ("nesterov", "Nesterov"),
            "quickprop": ("quickprop", "Quickprop"), "rprop": ("rprop", "Rprop"), "adagrad": ("adagrad", "Adagrad"),
            "rmsprop": ("rmsprop", "RMSprop"), "adam": ("adam", "Adam"), "adamw": ("adam", "AdamW")}
RULE_NAMES = tuple(_CLASSES)


_LOADED: dict[str, type[Rule]] = {}


def rule_class(name: str) -> type[Rule]:
    """The class of the rule `name` (one of RULE_NAMES)."""
    cls = _LOADED.get(name)
    if cls is None:
        module, cls_name = _CLASSES[name]
        cls = _LOADED[name] = getattr(importlib.import_module(f"{__package__}.{module}"), cls_name)
    return cls


def _rule_name(instance, attribute, name) -> None:
    if not isinstance(name, str):
        raise NeurosimError(say("name: expected a rule name such as \"momentum\", got {name!r}", name=name))
    if name not in RULE_NAMES:
        raise NeurosimError(say_unknown(N_("name: unknown rule '{name}' (did you mean '{hint}'?)"),
                                        N_("name: unknown rule '{name}' (choose from {choices})"),
                                        name, RULE_NAMES, name=name))


def _pairs(instance, attribute, value) -> None:
    """params and state: a tuple of (name, value) pairs (rule_config makes them from mappings); the
    parameters' names the rule's own."""
    if not isinstance(value, tuple) or not all(isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str)
                                               for p in value):
        raise NeurosimError(say("{field}: expected (name, value) pairs, as rule_config makes them from a mapping, "
                                "got {value!r}", field=attribute.name, value=value))
    if attribute.name == "params" and value:
        known = [p.name for p in rule_class(instance.name).PARAMS]
        for key, _ in value:
            if key not in known:
                raise NeurosimError(say("{key}: {name} takes no parameter '{key}' (its parameters: {choices})",
                                        key=key, name=instance.name, choices=", ".join(known)) if known else
                                    say("{key}: {name} takes no parameter '{key}' (it has no parameters)",
                                        key=key, name=instance.name))


@attrs.frozen
class RuleConfig:
    """A learning rule by name, with the parameters that differ from its defaults (as (key, value)
    pairs in the rule's order) and the state given before step 1 ((quantity, value) pairs:
    ("v_w5", 0.08), ("t", 4)). Build one with `rule_config`, which checks everything."""

    name: str = attrs.field(default="sgd", validator=_rule_name)
    params: tuple[tuple[str, Any], ...] = attrs.field(default=(), validator=_pairs)
    state: tuple[tuple[str, float], ...] = attrs.field(default=(), validator=_pairs)
    # Changes to the rule's class, applied in order (the diagnosis reproduces slips with them,
    # check/rule_mistakes.py); none in an exercise.
    wraps: tuple[Callable[[type[Rule]], type[Rule]], ...] = attrs.field(default=(), repr=False)

    @property
    def rule_class(self) -> type[Rule]:
        cls = rule_class(self.name)
        for wrap in self.wraps:
            cls = wrap(cls)
        return cls

    def get_or(self, key: str, default: Any = None) -> Any:
        """The value of parameter `key`, or `default` for a rule without it."""
        try:
            return self.get(key)
        except KeyError:
            return default

    def get(self, key: str) -> Any:
        """The value of parameter `key` (its default unless given)."""
        for name, value in self.params:
            if name == key:
                return value
        for param in rule_class(self.name).PARAMS:
            if param.name == key:
                return param.default
        raise KeyError(key)

    @property
    def plain(self) -> bool:
        """Plain gradient descent w+ = w - η·dE/dw (no state, no decay)."""
        return self.name == "sgd" and self.get("weight_decay") == 0 and not self.wraps

    def make(self, learning_rate: float) -> Rule:
        """A fresh rule object with this configuration's state before step 1."""
        return self.rule_class(self, learning_rate)

    def describe(self) -> str:
        return self.make(1.0).describe()

    def formulas(self) -> tuple[str, ...]:
        return self.make(1.0).formulas()

    def with_params(self, **changes) -> RuleConfig:
        """The same rule with some parameters changed (validated; a value None: the default)."""
        params = dict(self.params)
        params.update(changes)
        params = {k: v for k, v in params.items() if v is not None}
        return attrs.evolve(rule_config(self.name, params, dict(self.state)), wraps=self.wraps)

    def __repr__(self) -> str:
        given = ", ".join(f"{k}={v!r}" for k, v in self.params + self.state)
        return f"RuleConfig({self.name}{', ' + given if given else ''})"


def rule_config(name: str = "sgd", params: Mapping[str, Any] | None = None,
                state: Mapping[str, Any] | None = None) -> RuleConfig:
    """A checked RuleConfig. Errors name the key as an exercise file does (`betas: …`,
    `state.v_w5: …`); the caller puts `training.rule.` in front."""
    _rule_name(None, None, name)
    for field, value in (("params", params), ("state", state)):
        if value is not None and not isinstance(value, Mapping):
            raise NeurosimError(say("{field}: expected a mapping of names to values, such as {{\"momentum\": 0.9}}, "
                                    "got {value!r}", field=field, value=value))
    cls = rule_class(name)
    known = {p.name: p for p in cls.PARAMS}
    given = dict(params or {})
    for key in given:
        if key not in known:
            if not known:
                raise NeurosimError(say("{key}: {name} takes no parameter '{key}' (it has no parameters)",
                                        key=key, name=name))
            raise NeurosimError(say_unknown(N_("{key}: {name} takes no parameter '{key}' (did you mean '{hint}'?)"),
                                            N_("{key}: {name} takes no parameter '{key}' (its parameters: {choices})"),
                                            key, known, key=key, name=name))
    filled = {p.name: (p.check(p.name, given[p.name]) if p.name in given else p.default) for p in cls.PARAMS}
    if hasattr(cls, "check_params"):
        cls.check_params(filled)
    chosen = tuple((p.name, filled[p.name]) for p in cls.PARAMS if filled[p.name] != p.default)
    return RuleConfig(name, chosen, _state(cls, state or {}))


def _state(cls: type[Rule], state: Mapping[str, Any]) -> tuple[tuple[str, float], ...]:
    """[training.rule.state]: the carried quantities of some parameters (v_w5 = 0.08) and the rule's
    counters (t = 4), checked against what the rule keeps (the parameter names are checked against
    the network by the caller: `state_parameters`)."""
    result = []
    kept = [f"{'Δ' if p == CHANGE else p + '_'}<parameter>" for p in cls.CARRIED] + list(cls.COUNTERS)
    for key, value in state.items():
        prefix, parameter = split_state_name(str(key))
        if key in cls.COUNTERS:
            if key == "t" and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise NeurosimError(say("state.t: expected a whole number of steps already taken, got {value!r}",
                                        value=value))
        elif prefix not in cls.CARRIED:
            if not kept:
                raise NeurosimError(say("state.{key}: {rule} keeps no such quantity (it keeps no state)",
                                        key=key, rule=cls.NAME))
            raise NeurosimError(say("state.{key}: {rule} keeps no such quantity (it keeps {kept})",
                                    key=key, rule=cls.NAME, kept=", ".join(kept)))
        result.append((str(key), number(f"state.{key}", value)))
    return tuple(result)


def state_parameters(config: RuleConfig) -> list[tuple[str, str]]:
    """(state key, parameter name) of every per-parameter entry of the given state."""
    result = []
    for key, _ in config.state:
        if key not in config.rule_class.COUNTERS:
            result.append((key, split_state_name(key)[1]))
    return result
