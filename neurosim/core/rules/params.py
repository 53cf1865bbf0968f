"""The parameters of the learning rules: each a name as its source spells it (PyTorch, SNNS), a
default, and a check that returns the value or raises a one-line NeurosimError naming it.

The checks take the parameter's name as messages write it (`momentum`, `betas`); the caller puts
`training.rule.` in front.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import attrs

from ...errors import NeurosimError
from ...messages import N_, say, say_unknown

Check = Callable[[str, Any], Any]


@attrs.frozen
class Param:
    """A rule's parameter: its name, default, check, and what it is (one line, for --help and docs)."""

    name: str
    default: Any
    check: Check = attrs.field(repr=False)
    doc: str = ""


def number(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                raise NeurosimError(say("{name}: {value!r} is not a number", name=name, value=value)) from None
        else:
            raise NeurosimError(say("{name}: expected a number, got {value!r}", name=name, value=value))
    value = float(value)
    if not math.isfinite(value):
        raise NeurosimError(say("{name}: {value} is not a finite number", name=name, value=value))
    return value


def fraction(name: str, value) -> float:
    """A number in [0, 1): a momentum, a β, RMSprop's α."""
    value = number(name, value)
    if not 0 <= value < 1:
        raise NeurosimError(say("{name}: must be in [0, 1), got {value:g}", name=name, value=value))
    return value


def unit_interval(name: str, value) -> float:
    """A number in [0, 1]: dampening."""
    value = number(name, value)
    if not 0 <= value <= 1:
        raise NeurosimError(say("{name}: must be in [0, 1], got {value:g}", name=name, value=value))
    return value


def non_negative(name: str, value) -> float:
    """A number ≥ 0: ε, a weight decay, an accumulator's start."""
    value = number(name, value)
    if value < 0:
        raise NeurosimError(say("{name}: must not be negative, got {value:g}", name=name, value=value))
    return value


def positive(name: str, value) -> float:
    value = number(name, value)
    if value <= 0:
        raise NeurosimError(say("{name}: must be positive, got {value:g}", name=name, value=value))
    return value


def flag(name: str, value) -> bool:
    if not isinstance(value, bool):
        raise NeurosimError(say("{name}: expected true or false, got {value!r}", name=name, value=value))
    return value


def pair(name: str, value) -> tuple[float, float]:
    """Two numbers, as a list [a, b] (or the text 'a,b' from the command line)."""
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",")]
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise NeurosimError(say("{name}: expected two numbers such as [0.9, 0.999], got {value!r}", name=name,
                                 value=value))
    return number(name, value[0]), number(name, value[1])


def fraction_pair(name: str, value) -> tuple[float, float]:
    """Adam's betas: two numbers in [0, 1)."""
    first, second = pair(name, value)
    for which, beta in (("β1", first), ("β2", second)):
        if not 0 <= beta < 1:
            raise NeurosimError(say("{name}: {which} must be in [0, 1), got {beta:g}", name=name, which=which,
                                     beta=beta))
    return first, second


def choice(*choices: str) -> Check:
    def check(name: str, value) -> str:
        if not isinstance(value, str):
            raise NeurosimError(say("{name}: expected a string, got {value!r}", name=name, value=value))
        if value not in choices:
            raise NeurosimError(say_unknown(N_("{name}: unknown value '{value}' (did you mean '{hint}'?)"),
                                             N_("{name}: unknown value '{value}' (choose from {choices})"),
                                             value, choices, name=name, value=value))
        return value
    return check


# The weight decay every rule but Rprop's and Quickprop's own takes the same way.
WEIGHT_DECAY = Param("weight_decay", 0.0, non_negative, "weight decay λ (0: none)")
DECAY = Param("decay", "coupled", choice("coupled", "decoupled"),
              "coupled: λ·w added to dE/dw (L2, PyTorch weight_decay); decoupled: taken off the weight "
              "(SNNS BackpropWeightDecay w −= λ·w; AdamW w −= η·λ·w)")
DECAY_BIASES = Param("decay_biases", True, flag,
                     "whether the biases decay too (PyTorch and SNNS: yes; Nielsen, Keras' exclude list: no)")
