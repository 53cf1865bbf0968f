"""Checking what a user gives for a network: layer sizes, activations, and weights and biases given
as a list in naming order or by name (with random draws for the rest); `list_of`, the validator of
the Network's and Layer's own fields (their objects built by hand). Errors name the field."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from ..errors import NeurosimError
from ..messages import say
from .activations import Activation, get_activation


def check_sizes(sizes) -> tuple[int, ...]:
    try:
        sizes = tuple(sizes)
    except TypeError:
        raise NeurosimError(say("layers: expected a list of layer sizes such as [2, 2, 2], got {sizes!r}",
                                 sizes=sizes)) from None
    if len(sizes) < 2:
        raise NeurosimError(say("layers: need at least an input and an output layer, got {sizes}", sizes=list(sizes)))
    for size in sizes:
        if not isinstance(size, int) or isinstance(size, bool) or size < 1:
            raise NeurosimError(say("layers: every layer size must be a whole number ≥ 1, got {size!r}", size=size))
    return sizes


def list_of(cls: type, what: str, at_least: int = 0):
    """An attrs validator: a list of at least `at_least` `cls` objects (`what`: them in words)."""
    def check(instance, attribute, value):
        if not isinstance(value, list) or len(value) < at_least or not all(isinstance(v, cls) for v in value):
            raise NeurosimError(say("{field}: expected a list of {what}, got {value!r}", field=attribute.name,
                                    what=say(what), value=value))
    return check


def check_options(rng, arithmetic, max_memory) -> None:
    """build_network's rng, arithmetic and max_memory, each None or of the type it takes."""
    from .arithmetic import Arithmetic  # (loaded with the network already)

    if rng is not None and not isinstance(rng, np.random.Generator):
        raise NeurosimError(say("rng: expected None or a NumPy Generator such as numpy.random.default_rng(1), got "
                                "{value!r}", value=rng))
    if arithmetic is not None and not isinstance(arithmetic, Arithmetic):
        raise NeurosimError(say("arithmetic: expected None or an Arithmetic such as Arithmetic(\"float32\"), got "
                                "{value!r}", value=arithmetic))
    if max_memory is not None and (type(max_memory) is not int or max_memory < 1):
        raise NeurosimError(say("max_memory: expected None or a number of bytes ≥ 1, got {value!r}", value=max_memory))


def check_activations(activations, n_layers: int) -> list[Activation]:
    if isinstance(activations, (str, Activation)):
        activations = [activations] * n_layers
    if isinstance(activations, (bytes, dict)) or not hasattr(activations, "__iter__"):
        raise NeurosimError(say("activations: expected a name such as \"sigmoid\" or one per layer after the input, "
                                "got {value!r}", value=activations))
    activations = list(activations)
    if len(activations) != n_layers:
        raise NeurosimError(say("activations: expected {expected} (one per layer after the input), got {got}",
                                expected=n_layers, got=len(activations)))
    return [a if isinstance(a, Activation) else get_activation(a) for a in activations]


def as_number(field: str, value) -> float:
    """A finite float from a number (or a numeric string); a clear error naming `field` otherwise."""
    if isinstance(value, bool):
        raise NeurosimError(say("{field}: {value!r} is not a number", field=field, value=value))
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise NeurosimError(say("{field}: {value!r} is not a number", field=field, value=value)) from None
    if not isinstance(value, (int, float, np.floating, np.integer)):
        raise NeurosimError(say("{field}: {value!r} is not a number", field=field, value=value))
    value = float(value)
    if not math.isfinite(value):
        raise NeurosimError(say("{field}: {value} is not a finite number", field=field, value=value))
    return value


def resolve_values(kind: str, names: list[str], given, drawn: list[float] | None, shape: str) -> list[float]:
    """Values in naming order from a list (all of them) or a name→value mapping (+ random draws)."""
    if given is None:
        given = {}
    if not isinstance(given, Mapping):
        given = list(given)
        if len(given) != len(names):
            span = f"{names[0]}..{names[-1]}" if names else "none"
            raise NeurosimError(say("{kind}: expected {count} values ({span}) for a {shape} network, got {got}",
                                    kind=kind, count=len(names), span=span, shape=shape, got=len(given)))
        return [as_number(f"{kind}: {n}", v) for n, v in zip(names, given)]
    known = set(names)
    for name in given:
        if name not in known:
            span = f"{names[0]}..{names[-1]}" if names else "none"
            raise NeurosimError(say("{kind}: no parameter named '{name}' (this {shape} network has {span})",
                                    kind=kind, name=name, shape=shape, span=span))
    missing = [n for n in names if n not in given]
    if missing and drawn is None:
        shown = ", ".join(missing[:6]) + (", …" if len(missing) > 6 else "")
        raise NeurosimError(say("{kind}: missing {names} (give all {count} values, or a seed for random ones)",
                                kind=kind, names=shown, count=len(names)))
    return [as_number(f"{kind}: {n}", given[n]) if n in given else drawn[i] for i, n in enumerate(names)]
