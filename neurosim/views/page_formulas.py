"""The formulas a practice page follows a student's values through (core/formulas), as JSON for its
script (page_follow.js, the follow-through of check/follow.py in JavaScript): every quantity the
student can write, and every quantity computed from one of those, with its forms as trees
(text.to_data); neurosim's value of every operand they use; the order a person computes them in.

A quantity that no writable one feeds is left without its formula: from the student's values it
always gives neurosim's value (follow.py's `_from_formula`), so a 784-64-10 page carries the trees
of the neurons it draws, not of all 74. The values after the update (out_o1+, E_total+) hang on
every new parameter: on a network of more than HAND_PARAMETERS they are judged but not followed
through (`x`; no value of the step is computed from them). A page whose formulas would still need
more than EXPLORED formulas or BUDGET operands (a later step of a large network, whose every value
hangs on the step before's 50,890 new weights) has no follow-through (None).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from ..core.formulas import StepFormulas
from ..core.formulas.expr import operands
from ..core.formulas.text import to_data
from ..core.notation import parse

BUDGET = 40_000  # operands a page's formulas may use, all told
EXPLORED = 20_000  # formulas looked at to find which values the student's feed
HAND_PARAMETERS = 1_000  # a network a person works by hand (check/judge.py's HAND_WEIGHTS)


def number_text(value: float) -> str:
    """A float as JSON text the script reads with Number(): its repr, NaN and ±Infinity spelled as JS does."""
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(value)


class _TooLarge(Exception):
    pass


def key_text(step: int, name: str) -> str:
    """A (step, name) key as the script writes it: '1|net_h1'."""
    return f"{step}|{name}"


def _after(name: str) -> bool:
    """A value recomputed with the updated parameters (out_o1+, E_total+, SSE+), not a new parameter."""
    q = parse(name)
    return q is not None and q.plus and q.kind != "param"


class _Feeding:
    """Which keys are writable or computed from a writable one, looking at most at EXPLORED formulas."""

    def __init__(self, graph: StepFormulas, writable: set):
        self.graph, self.writable = graph, writable
        self.fed: dict[tuple[int, str], bool] = {}
        self.explored = 0

    def feeds(self, key: tuple[int, str]) -> bool:
        if key in self.fed:
            return self.fed[key]
        self.fed[key] = key in self.writable
        formula = self.graph.formula(*key)
        if formula is not None:
            found = [(v.step, v.name) for form in formula.forms for v in operands(form)]
            self.explored += 1
            if self.explored > EXPLORED:
                raise _TooLarge
            self.fed[key] = any([self.feeds(k) for k in found]) or self.fed[key]
        return self.fed[key]



def formulas_data(graph: StepFormulas, writable: Iterable[tuple[int, str]], parameters: int) -> dict | None:
    """{"f": key → [trees], "v": key → value, "o": key → order, "x": [keys not followed]} for the
    `writable` keys and every key whose value depends on one of them, on a network of `parameters`
    weights and biases (see the module docstring)."""
    writable = set(writable)
    ordered = sorted(writable, key=lambda k: graph.order.get(k, -1))
    excluded = [k for k in ordered if _after(k[1])] if parameters > HAND_PARAMETERS else []
    feeding = _Feeding(graph, writable - set(excluded))
    try:
        for key in ordered:
            if key not in excluded:
                feeding.feeds(key)
    except _TooLarge:
        return None
    trees, values, order = {}, {}, {}
    pending, seen = [k for k in ordered if k not in excluded], set()
    while pending:
        key = pending.pop()
        if key in seen:
            continue
        seen.add(key)
        value = graph.value(*key)
        if value is not None:
            values[key_text(*key)] = number_text(value)
        if key in graph.order:
            order[key_text(*key)] = graph.order[key]
        formula = graph.formula(*key)
        if formula is None or not feeding.fed.get(key):
            continue
        used = [(v.step, v.name) for form in formula.forms for v in operands(form)]
        trees[key_text(*key)] = [to_data(form) for form in formula.forms]
        pending += used
        if len(values) + len(pending) > BUDGET:
            return None
    return {"f": trees, "v": values, "o": order, "x": [key_text(*k) for k in excluded]}
