"""The local search (stage 4 of the diagnosis): at each root — a wrong value that does not follow
from the student's values before it — the slips of that one formula (slips.py), evaluated with the
student's own operands; and the slips of the written number itself: two digits transposed, or the
value of a neighbouring line copied.

Honest ranking. A slip "explains" a root when it gives the written value at the precision written.
With many slips tried, one may do so by chance, so each match is weighed: `chance` estimates how
likely it is that some slip of this root would match a *random* wrong value as far from the right
one as the written value is (each slip's value v contributes the chance that a deviation, spread
evenly on a log scale over a hundredfold range around the observed one, lands within the written
precision of v). A match is strong when that chance is small and the written value has at least
three significant digits; otherwise it is reported as weak. A typo, or an arbitrary number, stays
unexplained. The simplest slip comes first (one operand or one factor before rarer ones), then the
least likely by chance. Nothing here prints.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import attrs

from ..core.exercise import Spec
from ..core.formulas import StepFormulas, evaluate
from ..core.formulas.expr import Expr, Var, operands, round_half_up
from ..core.notation.quantity import parse
from ..core.written import Written, parse_written
from ..messages import N_
from .follow import READINGS, StudentValues
from .numberslips import number_slips
from .rule_local import rule_slips
from .slips import ROUNDED_BEYOND, ROUNDED_MOST, rounded_to, slips
from .verdict import agrees

STRONG_CHANCE = 0.05  # a match this unlikely by chance (or less) is an explanation (bench/slip_calibration.py)
STRONG_DIGITS = 3  # … given at least this many significant digits
_BAND = math.log(100.0)  # the log-range of deviations the chance is spread over (D/10 … 10·D)
BACKWARD_KINDS = ("contribution", "dE_dout", "dE_dnet", "delta", "gradient")
MAX_OPERANDS = 60  # a formula of more operands (a neuron of a wide layer) is not searched upstream
SOFTMAX_LOOK = 100_000  # lines looked through for a softmax layer's exponentials
UPSTREAM_DEPTH = 3  # the slip may be this many unwritten formulas back from a root …
UPSTREAM_WIDTH = 12  # … in at most this many of them


@attrs.frozen
class Explanation:
    """A slip that reproduces a root: what the student did (`kind`, the sentence and its
    arguments), the formula as they computed it (`expr`; None for a slip of the written number),
    the value it gives, the significant digits written, and the chance of a match as good."""

    key: tuple[int, str]
    kind: str
    sentence: str
    args: tuple[tuple[str, str], ...]
    expr: Expr | None
    value: float
    digits: int
    chance: float
    site: tuple[int, str]  # where the slip is: the root itself, or a value it is computed from
    reading: str = "exact"
    cost: int = 1
    also: tuple[tuple[int, str], ...] = ()  # other roots the same slip reproduces (group_shared)

    @property
    def strong(self) -> bool:
        return self.digits >= STRONG_DIGITS and self.chance <= STRONG_CHANCE

    @property
    def id(self) -> str:
        """A stable id: the kind of slip and what it names (operand:out_h1>out_h2, constant:η=0.65)."""
        args = dict(self.args)
        if self.kind == "operand":
            return f"operand:{args['right']}>{args['used']}"
        if self.kind == "constant":
            return f"constant:{args['symbol']}={args['used']}"
        detail = ",".join(f"{v}" for _, v in self.args)
        return f"{self.kind}:{detail}" if detail else self.kind


def significant_digits(written: Written) -> int:
    """The significant digits of a written number (0.0500: 3; 120: 3; 0: 1)."""
    digits = written.value.as_tuple().digits
    stripped = list(digits)
    while len(stripped) > 1 and stripped[0] == 0:
        stripped.pop(0)
    return len(stripped)


def chance_of(values: Sequence[float], written: float, right: float, unit: float) -> float:
    """The chance that some of `values` is within `unit` of a random wrong value whose distance
    from `right` is spread evenly on a log scale from a tenth to ten times |written − right|."""
    deviation = abs(written - right)
    if deviation == 0:
        return 1.0
    total = 0.0
    for v in values:
        d = abs(v - right)
        if math.isfinite(d) and deviation / 10 <= d <= deviation * 10:
            total += min(1.0, unit / (_BAND * d))
    return total


def explain_root(graph: StepFormulas, student: StudentValues, key: tuple[int, str], text: str,
                 spec: Spec | None = None) -> list[Explanation]:
    """Every slip that reproduces the root `key` written as `text` (neurosim's sign), ranked: the
    slips of its own formula, and of the formulas of the values it is computed from that the
    student did not write (`upstream`: the slip may be in a line they skipped)."""
    written = parse_written(text)
    unit = 0.5 * 10.0 ** written.exponent
    formula = graph.formula(*key)
    right, _ = student.recompute(key, text) if formula is not None else (None, False)
    if right is None or not math.isfinite(right):
        right = graph.value(*key)
    if right is None:
        return []
    found, values = [], []
    if formula is not None:
        for site in (key,) + upstream(graph, student, key):
            found += _site_slips(graph, student, key, site, written, values)
        found += _cone_slips(graph, student, key, written, values)
    found += rule_slips(graph, student, key, written, spec, values)
    found += number_slips(graph, student, key, written, right, values)
    digits = significant_digits(written)
    chance = chance_of(values, float(written.value), right, unit)
    explanations = [Explanation(key, kind, sentence, args, expr, value, digits, chance, site, reading, cost)
                    for kind, sentence, args, expr, value, site, reading, cost in found]
    unique: dict[tuple, Explanation] = {}
    for e in sorted(explanations, key=rank):
        unique.setdefault((e.id, e.site), e)
    return list(unique.values())


def _site_slips(graph: StepFormulas, student: StudentValues, key, site, written: Written,
                values: list[float]) -> list[tuple]:
    """The slips of `site`'s formula that give the root `key` as written (`values` gains the root's
    value under each slip, for the chance)."""
    found = []
    reach = student.reach(key, site) if site != key else None
    for slip in slips(graph, graph.formula(*site), written.decimals):
        if any((v.step, v.name) in (key, site) or key in student.sources((v.step, v.name))
               for v in operands(slip.expr)):
            continue  # a value computed from the root itself
        matched = None
        for reading in READINGS:  # the exact reading first: its value weighs the chance
            operand_values = student.operand_values(slip.expr, reading)
            if operand_values is None:
                continue
            value = evaluate(slip.expr, operand_values)
            if reach is not None:
                value = student.value_given(key, site, value, reading, reach)
            if reading == "exact":
                values.append(value)
            if agrees(written, value):
                matched = (value, reading)  # the numbers as written, where they match too, are the ones shown
        if matched is not None:
            found.append((slip.kind, slip.sentence, slip.args, slip.expr, matched[0], site, matched[1],
                          slip.cost + (site != key)))
    return found


def _cone_slips(graph: StepFormulas, student: StudentValues, key, written: Written, values: list[float]) -> list[tuple]:
    """Slips made alike in every line the root is computed from: the new weights used in place of
    the old ones in the backward pass (a sequential update), the old ones where the new belong,
    every exponential rounded to K decimals before it was used (softmax by hand)."""
    found = []
    for kind, sentence, args, change, enter in _cone_changes(graph, key, written.decimals):
        for reading in READINGS:
            value = student.value_mapped(key, change, reading, enter)
            if value is None:
                break
            if reading == "exact":
                values.append(value)
            if agrees(written, value):
                found.append((kind, sentence, args, None, value, key, reading, 1))
                break
    return found


def _cone_changes(graph: StepFormulas, key, decimals: int):
    """(kind, sentence, args, change) of each slip made alike in every line (StudentValues.value_mapped)."""
    def weights(plus: bool):
        def change(var: Var, at, value_of):
            q, line = parse(var.name), parse(at[1])
            if q is None or q.kind != "param" or q.plus != plus or var.step != key[0]:
                return None
            if not plus and (line is None or line.kind not in BACKWARD_KINDS):
                return None
            other = (var.step, var.name[:-1] if plus else var.name + "+")
            return value_of(other) if graph.value(*other) is not None else None
        return change

    def exponentials(k: int):
        def change(var: Var, at, value_of):
            q = parse(var.name)
            return round_half_up(value_of((var.step, var.name)), k) if q is not None and q.kind == "exp" else None
        return change
    def kinds(*names: str, plus: bool | None = None):
        def enter(name: str) -> bool:
            q = parse(name)
            return q is not None and q.kind in names and (plus is None or q.plus == plus)
        return enter
    yield ("new-for-old", N_("the updated weights (w+) used in place of the old ones in the backward pass"), (),
           weights(False), kinds(*BACKWARD_KINDS, "change", "rule_state", "param"))
    yield ("old-for-new", N_("the old weights used in place of the updated ones (w+)"), (), weights(True),
           kinds("net", "out", "error", "loss", plus=True))
    if any(parse(name) is not None and parse(name).kind == "exp" for _, name in graph.lines[:SOFTMAX_LOOK]):
        for k in range(min(decimals + ROUNDED_BEYOND, ROUNDED_MOST) + 1):
            yield ("rounded", rounded_to(N_("every {fn}(…) rounded to {k} decimals before it was used"), k),
                   (("fn", "e^"), ("k", str(k))), exponentials(k),
                   kinds("out", "exp_sum", "raw_error", "error", "loss", "dE_dout", "delta", "dE_dnet", "gradient",
                         "change", "param"))


def upstream(graph: StepFormulas, student: StudentValues, key: tuple[int, str]) -> tuple[tuple[int, str], ...]:
    """The values `key` is computed from that the student did not write and that have a formula,
    nearest first, up to UPSTREAM_DEPTH formulas back (never through a written value)."""
    found: list[tuple[int, str]] = []
    frontier = [key]
    for _ in range(UPSTREAM_DEPTH):
        following = []
        for k in frontier:
            for var in graph.formula(*k).operands:
                v = (var.step, var.name)
                formula = graph.formula(*v)
                if v not in student.written and v not in found and formula is not None \
                        and len(formula.operands) <= MAX_OPERANDS:
                    found.append(v)
                    following.append(v)
        frontier = following
    return tuple(found[:UPSTREAM_WIDTH])


def group_shared(found: dict[int, list[Explanation]]) -> None:
    """One slip that reproduces several roots — a constant (η = 0.65 for w5+ and w6+), a slip made
    alike in every line (every exponential rounded), or a slip in a value they are both computed
    from and the student did not write — is one explanation of them all: each such explanation
    names the others, and its chance is the product of theirs."""
    by_id: dict[tuple, list[tuple[int, int]]] = {}
    for k, explanations in found.items():
        for i, e in enumerate(explanations):
            by_id.setdefault((e.id, None if e.site == e.key else e.site), []).append((k, i))
    for places in by_id.values():
        if len(places) < 2:
            continue
        chance = 1.0
        for k, i in places:
            chance *= min(1.0, found[k][i].chance)
        keys = [found[k][i].key for k, i in places]
        for k, i in places:
            e = found[k][i]
            found[k][i] = attrs.evolve(e, chance=chance, also=tuple(key for key in keys if key != e.key))
    for explanations in found.values():
        explanations.sort(key=rank)


def rank(e: Explanation) -> tuple:
    """Strong explanations simplest first, then the least likely by chance; weak ones the other way."""
    return (not e.strong, e.cost, e.chance) if e.strong else (not e.strong, e.chance, e.cost)
