"""Follow-through (stage 3 of the diagnosis): does each wrong value follow from the values written
before it? A teacher's "error carried forward".

Each written value's formula (core/formulas) is recomputed from the student's own operands — their
value where they wrote one, and where they did not, the value that formula gives from *their*
values before it (out_o1 from their net_o1), down to the givens — and judged at the precision
written (verdict.py). A wrong value is then

    follows   right, given the student's wrong values it is computed from (`sources`, named), or
    a root    a slip of its own: wrong even from the student's operands (or with no formula).

Right values stay right, even when computed from a wrong one by luck. Two readings of the student's
right values are tried, since a person carries either: as written (rounded), or at full precision
(the computed value); a wrong value is always carried as written. Nothing here prints.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import attrs

from ..core.formulas import StepFormulas, evaluate
from ..core.formulas.expr import operands
from .verdict import judge

RIGHT, WRONG, FOLLOWS = "right", "wrong", "follows"
READINGS = ("exact", "written")  # the student's right values at full precision, or as written


@attrs.frozen
class Followed:
    """One written value after follow-through. `key` is (step, neurosim's name); `recomputed` the
    value its formula gives from the student's operands (None: no formula, or none of them is
    wrong); `sources` the keys of the student's wrong values it is computed from."""

    key: tuple[int, str]
    verdict: str  # RIGHT, WRONG (a root) or FOLLOWS
    recomputed: float | None
    sources: tuple[tuple[int, str], ...]
    roots: tuple[tuple[int, str], ...] = ()  # the roots it descends from (FOLLOWS), itself (a root)

    @property
    def root(self) -> bool:
        return self.verdict == WRONG


class StudentValues:
    """The values of a step as the student has them: written ones, and those computed from them."""

    def __init__(self, graph: StepFormulas, written: dict[tuple[int, str], tuple[float, bool]]):
        self.graph = graph
        self.written = written  # key -> (the value as written, in neurosim's sign; right?)
        self._memo: dict[str, dict[tuple[int, str], float]] = {reading: {} for reading in READINGS}
        self._sources: dict[tuple[int, str], tuple[tuple[int, str], ...]] = {}

    def computed(self, key: tuple[int, str]) -> float | None:
        return self.graph.value(*key)

    def value(self, key: tuple[int, str], reading: str = "exact") -> float | None:
        """The student's value of `key` under `reading` (READINGS)."""
        memo = self._memo[reading]
        if key in memo:
            return memo[key]
        if key in self.written:
            value, right = self.written[key]
            result = self.computed(key) if right and reading == "exact" else value
        else:
            result = self._from_formula(key, reading)
        memo[key] = result
        return result

    def _from_formula(self, key, reading: str) -> float | None:
        formula = self.graph.formula(*key)
        computed = self.computed(key)
        if formula is None:
            return computed
        values = self.operand_values(formula.expr, reading)
        if values is None:
            return computed
        if all(values[k] == self.computed(k) for k in values):
            return computed
        return evaluate(formula.expr, values)

    def operand_values(self, expr, reading: str) -> dict[tuple[int, str], float] | None:
        values = {}
        for var in operands(expr):
            v = self.value((var.step, var.name), reading)
            if v is None:
                return None
            values[(var.step, var.name)] = v
        return values

    def reach(self, root: tuple[int, str], site: tuple[int, str]) -> frozenset:
        """The values between `site` and `root` (root included) whose value depends on `site`,
        through values the student did not write."""
        found: dict[tuple[int, str], bool] = {site: True}

        def depends(key) -> bool:
            if key in found:
                return found[key]
            found[key] = False
            formula = self.graph.formula(*key)
            if formula is not None and (key == root or key not in self.written):
                found[key] = any([depends((v.step, v.name)) for v in operands(formula.expr)])
            return found[key]
        depends(root)
        return frozenset(k for k, yes in found.items() if yes and k != site)

    def value_given(self, key: tuple[int, str], site: tuple[int, str], site_value: float, reading: str,
                    reach: frozenset) -> float:
        """The value of `key` when the student's `site` is `site_value` (`reach`: `reach(key, site)`)."""
        memo: dict[tuple[int, str], float] = {site: site_value}

        def value(k):
            if k in memo:
                return memo[k]
            if k not in reach:
                return self.value(k, reading)
            formula = self.graph.formula(*k)
            memo[k] = evaluate(formula.expr, {(v.step, v.name): value((v.step, v.name))
                                              for v in operands(formula.expr)})
            return memo[k]
        return value(key)

    def sources(self, key: tuple[int, str]) -> tuple[tuple[int, str], ...]:
        """The student's wrong written values that `key` is computed from (through values not
        written), in computation order; a right written value stops the search."""
        if key in self._sources:
            return self._sources[key]
        self._sources[key] = ()  # (no formula refers to itself; this guards a malformed one)
        if key in self.written:
            found = () if self.written[key][1] else (key,)
        else:
            found = self.formula_sources(key)
        self._sources[key] = found
        return found

    def formula_sources(self, key: tuple[int, str]) -> tuple[tuple[int, str], ...]:
        """The sources of the operands of `key`'s formulas (every form)."""
        formula = self.graph.formula(*key)
        if formula is None:
            return ()
        found: dict[tuple[int, str], None] = {}
        for form in formula.forms:
            for var in operands(form):
                for source in self.sources((var.step, var.name)):
                    found.setdefault(source, None)
        order = self.graph.order
        return tuple(sorted(found, key=lambda k: order.get(k, -1)))

    def recompute(self, key: tuple[int, str], text: str) -> tuple[float | None, bool]:
        """(the value `key`'s formula gives from the student's operands, whether the written `text`
        is right against it), trying every form of the formula and both READINGS."""
        formula = self.graph.formula(*key)
        if formula is None:
            return None, False
        first = None
        for form in formula.forms:
            for reading in READINGS:
                values = self.operand_values(form, reading)
                if values is None:
                    continue
                value = evaluate(form, values)
                first = value if first is None else first
                if math.isfinite(value) and judge(text, value).ok:
                    return value, True
        return first, False


def follow_through(graph: StepFormulas, keys: Sequence[tuple[int, str]], texts: Sequence[str],
                   right: Sequence[bool]) -> tuple[Followed, ...]:
    """The follow-through verdict of each written value (`keys`: (step, neurosim's name); `texts`:
    the numbers as written, in neurosim's sign; `right`: the judge's verdicts)."""
    written = {}
    for key, text, ok in zip(keys, texts, right):
        written[key] = (float(text), ok)
    student = StudentValues(graph, written)
    results: dict[tuple[int, str], Followed] = {}
    order = graph.order
    for key, text, ok in sorted(zip(keys, texts, right), key=lambda item: order.get(item[0], -1)):
        if ok:
            results[key] = Followed(key, RIGHT, None, ())
            continue
        sources = student.formula_sources(key)
        recomputed, follows = student.recompute(key, text) if sources else (None, False)
        if follows:
            roots: dict = {}
            for source in sources:
                for root in results[source].roots if source in results else (source,):
                    roots.setdefault(root, None)
            results[key] = Followed(key, FOLLOWS, recomputed, sources, tuple(roots))
        else:
            results[key] = Followed(key, WRONG, recomputed, sources, (key,))
    return tuple(results[key] for key in keys)
