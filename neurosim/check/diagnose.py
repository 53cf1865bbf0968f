"""Diagnosis: which named mistakes (mistakes.CATALOG), alone or in pairs, reproduce the user's values.

An explanation reproduces the values when, computed with it, every value the user gave is right at
the precision the user wrote it — the wrong ones become right and the right ones stay right. The
search tries every applicable entry alone, then (only if none alone explains) every pair of entries
that change different things, and reports all explanations of the smallest size, in catalog order.
Nothing here prints.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import attrs
import numpy as np

from ..core.arithmetic import as_checked
from ..core.exercise import Expected, Spec
from ..core.trace import StepTrace
from ..engines.runner import RunPlan, iterate_run
from ..errors import NeurosimError
from .checker import steps_of
from .mistakes import CATALOG, Mistake, Variant, apply_mistakes
from .verdict import judge, parse_written


@attrs.frozen
class Explanation:
    """Mistakes that together reproduce every value, and what they give for each value."""

    mistakes: tuple[Mistake, ...]
    values: tuple[tuple[str, float], ...]  # (quantity, computed with the mistakes), the user's order

    @property
    def ids(self) -> str:
        return " + ".join(m.id for m in self.mistakes)


@attrs.frozen
class Diagnosis:
    explanations: tuple[Explanation, ...]
    tried: int  # candidates computed (single entries and pairs)
    applicable: int  # catalog entries that apply to this exercise


def variant_quantities(spec: Spec, variant: Variant, steps) -> dict[int, dict[str, float]] | None:
    """`StepTrace.quantities()` at each of `steps` computed under `variant`, named as the exercise
    names them (b1+ for the variant's b_h1+ when it gives each neuron a copy of b1); None when
    the variant's training diverges."""
    network, aliases = variant.build(spec)
    wanted = frozenset(steps)
    last = max(wanted)
    hooks = variant.hooks() if variant.hooks else None
    computed = {}
    try:
        with np.errstate(all="ignore"):  # a mistake may overflow (float32, no learning rate …)
            for record in iterate_run(spec, RunPlan(last, wanted, last + 1), network,
                                      conventions=variant.conventions, hooks=hooks):
                if isinstance(record, StepTrace):
                    computed[record.step] = record.quantities()
    except (NeurosimError, ArithmeticError, ValueError):  # … and training diverge
        return None
    for values in computed.values():
        for old, new in aliases.items():
            for pattern in ("{}", "{}+", "dE/d{}"):
                if pattern.format(new) in values:
                    values[pattern.format(old)] = values[pattern.format(new)]
    return computed


def _variant_values(spec: Spec, variant: Variant, expected: Sequence[Expected],
                    steps: dict[str, int]) -> list[float | None] | None:
    """The variant's (unrounded) value of each expected quantity, None where it has none."""
    computed = variant_quantities(spec, variant, set(steps.values()))
    if computed is None:
        return None
    values = [computed[steps[e.quantity]].get(e.name) for e in expected]
    arithmetic = variant.conventions.arithmetic
    return [None if v is None else as_checked(v, parse_written(e.text).decimals, arithmetic)
            for v, e in zip(values, expected)]


def diagnose(spec: Spec, expected: Sequence[Expected], *, max_size: int = 2,
             catalog: Sequence[Mistake] = CATALOG) -> Diagnosis:
    """Search `catalog` for the simplest explanations of `expected` (see the module docstring)."""
    steps = steps_of(spec, expected)
    written = [parse_written(e.text) for e in expected]
    singles = [m for m in catalog if apply_mistakes(spec, (m,)) is not None]
    tried = 0
    for size in range(1, max_size + 1):
        found = []
        for combo in itertools.combinations(singles, size):
            variant = apply_mistakes(spec, combo)
            if variant is None:
                continue
            tried += 1
            values = _variant_values(spec, variant, expected, steps)
            if values is not None and all(v is not None and judge(w, v).ok for w, v in zip(written, values)):
                found.append(Explanation(combo, tuple((e.quantity, v) for e, v in zip(expected, values))))
        if found:
            return Diagnosis(tuple(found), tried, len(singles))
    return Diagnosis((), tried, len(singles))
