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

from collections.abc import Sequence

import attrs

from ..core.formulas import StepFormulas, evaluate
from ..core.formulas.expr import operands
from ..core.written import parse_written
from .verdict import agrees

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
        self._rounded: dict[tuple[int, str], tuple[tuple[int, str], ...]] = {}

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

    def reach(self, root: tuple[int, str], site: tuple[int, str], depth: int = 4) -> frozenset:
        """The values between `site` and `root` (root included) whose value depends on `site`,
        through values the student did not write, at most `depth` formulas below the root."""
        found: dict[tuple[int, str], bool] = {site: True}

        def depends(key, left: int) -> bool:
            if key in found:
                return found[key]
            found[key] = False
            formula = self.graph.formula(*key)
            if left and formula is not None and (key == root or key not in self.written):
                found[key] = any([depends((v.step, v.name), left - 1) for v in formula.operands])
            return found[key]
        depends(root, depth)
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
            memo[k] = evaluate(formula.expr, {(v.step, v.name): value((v.step, v.name)) for v in formula.operands})
            return memo[k]
        return value(key)

    def value_mapped(self, key: tuple[int, str], change, reading: str, enter=None) -> float | None:
        """`key` recomputed through the lines the student did not write (those `enter(name)` allows:
        the others are taken as they are), each operand `var` of the line `at` taken as
        `change(var, at, value_of)` where that gives a number (None: as it is; `value_of(key)` is a
        value so recomputed); None when nothing was changed."""
        memo: dict[tuple[int, str], float | None] = {}
        changed = [False]

        def value(k, top=False):
            if k in memo:
                return memo[k]
            formula = self.graph.formula(*k)
            if formula is None or (not top and (k in self.written or (enter is not None and not enter(k[1])))):
                memo[k] = self.value(k, reading)
                return memo[k]
            memo[k] = None  # a line reached again while it is computed (a change that depends on it): no value
            values = {}
            for v in formula.operands:
                other = change(v, k, value)
                changed[0] |= other is not None
                values[(v.step, v.name)] = other if other is not None else value((v.step, v.name))
            memo[k] = evaluate(formula.expr, values) if None not in values.values() else None
            return memo[k]
        result = value(key, top=True)
        return result if changed[0] else None

    def sources(self, key: tuple[int, str], rounded: bool = False) -> tuple[tuple[int, str], ...]:
        """The student's wrong written values that `key` is computed from (through values not
        written), in computation order; a right written value stops the search (`rounded`: the
        right ones that are not the exact value are the sources: a value carried rounded)."""
        memo = self._rounded if rounded else self._sources
        if key in memo:
            return memo[key]
        memo[key] = ()  # (no formula refers to itself; this guards a malformed one)
        if key in self.written:
            value, right = self.written[key]
            found = (key,) if right == rounded and (not rounded or value != self.computed(key)) else ()
        else:
            found = self.formula_sources(key, rounded)
        memo[key] = found
        return found

    def formula_sources(self, key: tuple[int, str], rounded: bool = False) -> tuple[tuple[int, str], ...]:
        """The sources of the operands of `key`'s formulas (every form)."""
        formula = self.graph.formula(*key)
        if formula is None:
            return ()
        found: dict[tuple[int, str], None] = {}
        for var in formula.all_operands:
            for source in self.sources((var.step, var.name), rounded):
                found.setdefault(source, None)
        order = self.graph.order
        return tuple(sorted(found, key=lambda k: order.get(k, -1)))

    def recompute(self, key: tuple[int, str], text: str, readings=READINGS) -> tuple[float | None, bool]:
        """(the value `key`'s formula gives from the student's operands, whether the written `text`
        is right against it), trying every form of the formula and each of `readings`."""
        formula = self.graph.formula(*key)
        if formula is None:
            return None, False
        written = parse_written(text)
        first = None
        for form in formula.forms:
            for reading in readings:
                values = self.operand_values(form, reading)
                if values is None:
                    continue
                value = evaluate(form, values)
                first = value if first is None else first
                if agrees(written, value):
                    return value, True
        return first, False


def student_values(graph: StepFormulas, keys: Sequence[tuple[int, str]], texts: Sequence[str],
                   right: Sequence[bool]) -> StudentValues:
    """The student's values: each written one (the first, if a quantity is written twice)."""
    written: dict[tuple[int, str], tuple[float, bool]] = {}
    for key, text, ok in zip(keys, texts, right):
        written.setdefault(key, (float(text), ok))
    return StudentValues(graph, written)


def follow_through(student: StudentValues, keys: Sequence[tuple[int, str]], texts: Sequence[str],
                   right: Sequence[bool]) -> tuple[Followed, ...]:
    """The follow-through verdict of each written value (`keys`: (step, neurosim's name); `texts`:
    the numbers as written, in neurosim's sign; `right`: the judge's verdicts), in that order."""
    order = student.graph.order
    results: list[Followed | None] = [None] * len(keys)
    first: dict[tuple[int, str], Followed] = {}
    for k in sorted(range(len(keys)), key=lambda k: order.get(keys[k], -1)):
        results[k] = _followed(student, keys[k], texts[k], right[k], first)
        first.setdefault(keys[k], results[k])
    return tuple(results)


def _followed(student: StudentValues, key: tuple[int, str], text: str, ok: bool,
              earlier: dict[tuple[int, str], Followed]) -> Followed:
    if ok:
        return Followed(key, RIGHT, None, ())
    sources = student.formula_sources(key)
    if not sources:  # computed from right values only: perhaps from their rounded digits
        sources = student.formula_sources(key, rounded=True)
        recomputed, follows = student.recompute(key, text, ("written",)) if sources else (None, False)
        return Followed(key, FOLLOWS, recomputed, sources, ()) if follows else Followed(key, WRONG, recomputed, (),
                                                                                        (key,))
    recomputed, follows = student.recompute(key, text)
    if not follows:
        return Followed(key, WRONG, recomputed, sources, (key,))
    roots: dict = {}
    for source in sources:
        for root in earlier[source].roots if source in earlier else (source,):
            roots.setdefault(root, None)
    return Followed(key, FOLLOWS, recomputed, sources, tuple(roots))
