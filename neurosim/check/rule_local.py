"""The learning rule's slips for one parameter (the local search, local.py, tries them at a root
that is a rule's quantity or a new weight): each form and slip of the rules' catalog entries
(rule_mistakes.py — bias correction forgotten, ε in the other place, Nesterov's look-ahead left out,
the decay forgotten or coupled, the timestep off by one …) applied to this parameter alone, its
update recomputed from the student's own weight and gradient and the state the step started from.
Each found slip is a tuple (kind, sentence, args, expr, value, site, reading, cost), as local.py
makes them. Nothing here prints.
"""

from __future__ import annotations

import math

from ..core.arithmetic import exact
from ..core.exercise import Spec
from ..core.formulas import StepFormulas
from ..core.notation.quantity import parse
from ..core.rules.base import split_state_name
from ..core.written import Written
from ..errors import NeurosimError
from .follow import StudentValues
from .rule_mistakes import ENTRIES
from .variant import Variant
from .verdict import agrees

_KINDS = ("change", "rule_state")


def rule_slips(graph: StepFormulas, student: StudentValues, key: tuple[int, str], written: Written,
               spec: Spec | None, values: list[float]) -> list[tuple]:
    """The catalog's rule slips, for the parameter of `key` alone, that give the written value."""
    q = parse(key[1])
    if spec is None or q is None or not (q.kind in _KINDS or (q.kind == "param" and q.plus)):
        return []
    step, parameter = key[0], q.subject
    rec = graph.records[step]
    update = rec.updates.get(parameter)
    w, g = student.value((step, parameter)), student.value((step, f"dE/d{parameter}"))
    if update is None or not update.updated or w is None or g is None:
        return []
    before, t = _state_before(update, step)
    base = Variant.of(spec)
    found = []
    for ident, explanation, _, apply in ENTRIES:
        variant = apply(base, spec)
        if variant is None or variant.conventions.rule == base.conventions.rule:
            continue
        value = _value(variant, parameter, w, g, update.kind == "bias", before, t, rec.trace.E_total, step, key[1])
        if value is None or not math.isfinite(value):
            continue
        values.append(value)
        if agrees(written, value):
            found.append(("rule", explanation, (("entry", ident), ("parameter", parameter)), None, value, key, "exact",
                          1))
    return found


def _state_before(update, step: int) -> tuple[dict[str, float], int]:
    """The parameter's carried state before the step (its rule rows' operands of the step before)
    and the step count t the step's formulas use."""
    before, t = {}, step
    for row in update.rule:
        for symbol, value in row.operands:
            base, at, when = symbol.partition("@")
            if at and when.isdigit() and int(when) == step - 1:
                prefix, _ = split_state_name(base)
                before[prefix] = value
            elif symbol == "t":
                t = int(value)
    return before, t


def _value(variant: Variant, parameter: str, w: float, g: float, bias: bool, before: dict, t: int, loss: float,
           step: int, name: str) -> float | None:
    """The value of `name` when the variant's rule updates `parameter` from w and g."""
    try:
        rule = variant.conventions.make_rule()
        start = rule.start(parameter)
        rule.state[parameter] = {prefix: before.get(prefix, start[prefix]) for prefix in start}
        rule.t = t - 1
        rule.begin_step(loss)
        new, change, rows = rule.apply(parameter, w, g, exact, exact, bias, step, True)
    except (NeurosimError, ArithmeticError, ValueError, KeyError):
        return None
    if name.endswith("+"):
        return new
    return next((r.value for r in rows if r.name == name), change if name.startswith("Δ") else None)
