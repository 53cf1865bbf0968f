"""The catalog (stage 5 of the diagnosis, pipeline.py): which named conventions and mistakes of the
whole exercise (mistakes.CATALOG), alone or in pairs, reproduce the user's values.

What is to be explained: the values that are wrong — an explanation makes every value right at the
precision the user wrote it (the wrong ones become right, the right ones stay right). An entry
alone that makes some of the wrong values right and none of the right ones wrong explains those
(`CatalogResult.partial`): a convention a student followed in part of the exercise. When none is
wrong but some are right only up to their last digit (truncated, rounded half-to-even), the
explanation must give exactly the digits written for those (a rounding habit usually does).

The search tries every applicable entry alone, then (only if none alone explains) every pair of
entries that change different things, and reports every explanation of the smallest size, ranked
by simplicity: the values reproduced digit for digit, then the entries' cost (truncating is less
usual than rounding), then catalog order.

At the speed of a run: a candidate is run only to the last step it must answer, keeping only the
records of the checked values (core.step.Wanted), on the fast engines in between, and is dropped
at the first traced step that gives a value it cannot explain. Candidates that cannot change a
value that must change are not run (reach.py: a learning rate cannot change a delta of the first
step), nor pairs whose outcome their members' single runs already decide; rounding habits (hand
calculation) are tried on exercises of hand size, at most one decimal beyond those written, and only
where a wrong value is near enough the right one for rounding at K decimals to reach it.
Nothing here prints.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import attrs
import numpy as np

from ..core.arithmetic import as_checked
from ..core.exercise import Expected, Spec
from ..core.step import Wanted
from ..core.trace import StepTrace
from ..core.written import parse_written
from ..core.written_names import checkable
from ..engines.candidates import CandidateBatch
from ..engines.runner import RunPlan, iterate_run, step_batches, trace_one_step
from ..errors import NeurosimError
from ..messages import say
from .judge import hand_size
from .mistakes import CATALOG, Mistake, Variant, apply_mistakes
from .parse import steps_of
from .partial import PartialMatch, partial_matches
from .reach import quantity_stage
from .verdict import CORRECT, ROUNDED, agrees, judge

ROUNDING_REACH = 1000  # units of its K-th decimal a rounding habit at K can move a value by, at most
HAND_STEPS = 100  # … checked within this many steps: a calculation a person does by hand


@attrs.frozen
class CatalogExplanation:
    """Mistakes that together reproduce every value, and what they give for each value."""

    mistakes: tuple[Mistake, ...]
    values: tuple[tuple[str, float], ...]  # (quantity, computed with the mistakes), the user's order
    exact: int = 0  # values it gives digit for digit (verdict "correct")

    @property
    def ids(self) -> str:
        return " + ".join(m.id for m in self.mistakes)

    @property
    def cost(self) -> int:
        return sum(m.cost for m in self.mistakes)


@attrs.frozen
class CatalogResult:
    explanations: tuple[CatalogExplanation, ...]  # the simplest first
    tried: int  # candidates computed (single entries and pairs)
    applicable: int  # catalog entries that apply to this exercise
    skipped: int = 0  # candidates not run: they cannot change a value that must change
    target: str = "wrong"  # "wrong": wrong values made right; "digits": last digits reproduced
    partial: tuple[PartialMatch, ...] = ()  # entries that explain part of the wrong values, most first

    def explaining(self, index: int) -> tuple[str, ...]:
        """The ids of the explanations (whole or partial, strong) that reproduce value `index`."""
        ids = [ex.ids for ex in self.explanations]
        ids += [m.mistake.id for m in self.partial if m.strong and index in m.explained]
        return tuple(dict.fromkeys(ids))


class _Search:
    """The values to explain and the runs of the candidates (see the module docstring)."""

    def __init__(self, spec: Spec, expected: Sequence[Expected], progress=None):
        self.spec = spec
        self.progress = progress
        self.expected = list(expected)
        self.steps = steps_of(spec, expected)
        self.at = [self.steps[e.quantity] for e in expected]
        self.written = [parse_written(e.text) for e in expected]
        self.wanted = Wanted.of(e.name for e in expected)
        self.base = spec.build_network()
        outputs = tuple(f"o{k}" for k in range(1, spec.layers[-1] + 1))
        self.stage = [quantity_stage(e.name, step, outputs) for e, step in zip(expected, self.at)]
        baseline = self.run(Variant.of(spec))
        if baseline is None:
            raise NeurosimError("the exercise itself does not run to the values to check")
        self.baseline = baseline
        verdicts = [judge(w, v) for w, v in zip(self.written, baseline)]
        self.wrong = [i for i, v in enumerate(verdicts) if not v.ok]
        self.unexact = [i for i, v in enumerate(verdicts) if v.kind == ROUNDED]
        self.target = "wrong" if self.wrong else "digits"
        self.must_change = self.wrong or self.unexact
        self.singles: dict[str, list[float | None] | None] = {}

    def explains(self, i: int, value: float) -> bool:
        """Value i is as an explanation must leave it, if the candidate gives `value`."""
        if self.target == "digits" and i in self.unexact:
            return judge(self.written[i], value).kind == CORRECT
        return agrees(self.written[i], value)

    def run(self, variant: Variant, stop_early: bool = False) -> list[float | None] | None:
        """The variant's value of each expected quantity (None where it has none); None when its
        training diverges, or (stop_early) at the first traced step with a value it cannot explain."""
        network, aliases = variant.build(self.spec, self.base)
        steps = sorted(set(self.at))
        hooks = variant.hooks() if variant.hooks else None
        values: list[float | None] = [None] * len(self.expected)
        try:
            with np.errstate(all="ignore"):  # a mistake may overflow (float32, no learning rate …)
                for record in iterate_run(self.spec, RunPlan(steps[-1], frozenset(steps), steps[-1] + 1), network,
                                          conventions=variant.engine_conventions, hooks=hooks,
                                          wanted=self._wanted(aliases)):
                    if isinstance(record, StepTrace) and not self._read(record, aliases, variant, values, stop_early):
                        return None
        except (NeurosimError, ArithmeticError, ValueError):  # … and training diverge
            return None
        return values

    def run_all(self, candidates: list[tuple[tuple[Mistake, ...], Variant]],
                stop_early: bool) -> list[list[float | None] | None]:
        """`run` for each candidate; those the candidate engine can train side by side are, when
        there are untraced steps before the checked ones (engines/candidates.py)."""
        steps = sorted(set(self.at))
        results: list = [None] * len(candidates)
        together = {}
        if steps[-1] > len(steps):
            for i, (_, variant) in enumerate(candidates):
                if variant.batchable:
                    together.setdefault(variant.conventions.arithmetic.dtype, []).append(i)
        for dtype, group in together.items():
            for i, values in zip(group, self._run_together([candidates[i][1] for i in group], dtype, stop_early)):
                results[i] = values
        done = {i for group in together.values() for i in group}
        for i, (_, variant) in enumerate(candidates):
            if i not in done:
                results[i] = self.run(variant, stop_early)
            if self.progress is not None:
                self.progress(say("the catalog's conventions and mistakes"), i + 1, len(candidates))
        return results

    def _run_together(self, variants: list[Variant], dtype: str, stop_early: bool) -> list:
        """Variants trained side by side between the checked steps, each checked step traced on its
        own network (core/step.py), as `run` does."""
        spec, steps = self.spec, sorted(set(self.at))
        built = [v.build(spec, self.base) for v in variants]
        batch = CandidateBatch([n for n, _ in built], [v.knobs(spec) for v in variants], spec.conventions.loss, dtype)
        X, T = np.array(spec.inputs, dtype=dtype), np.array(spec.targets, dtype=dtype)
        batches = step_batches(spec, steps[-1])
        results: list = [[None] * len(self.expected) for _ in variants]
        done = 0
        for step in steps:
            batch.run(X, T, batches[done:step - 1])
            for c, (variant, (network, aliases)) in enumerate(zip(variants, built)):
                if results[c] is None or not batch.alive[c]:
                    results[c] = None
                    continue
                batch.store_into(c, network, variant.conventions.arithmetic.keeper())
                try:
                    with np.errstate(all="ignore"):
                        trace = trace_one_step(spec, network, step, variant.engine_conventions,
                                               wanted=self._wanted(aliases), batches=batches)
                except (NeurosimError, ArithmeticError, ValueError):
                    results[c] = None
                    continue
                if not self._read(trace, aliases, variant, results[c], stop_early):
                    results[c] = None
                    continue
                batch.load_from(c, network)
            done = step
        return results

    def _wanted(self, aliases: dict[str, str]) -> Wanted:
        return Wanted(self.wanted.neurons, self.wanted.parameters | frozenset(aliases.values()))

    def _read(self, trace: StepTrace, aliases: dict[str, str], variant: Variant, values: list,
              stop_early: bool) -> bool:
        """Fill in `values` from a traced step; False (stop_early) when one of them cannot be explained."""
        q = _with_aliases(checkable(trace), aliases)
        arithmetic = variant.conventions.arithmetic
        for i, e in enumerate(self.expected):
            if self.at[i] == trace.step and e.name in q:
                values[i] = as_checked(q[e.name], self.written[i].decimals, arithmetic)
        return not stop_early or all(self.explains(i, values[i])
                                     for i in range(len(values)) if self.at[i] == trace.step and values[i] is not None)

    def can_move(self, mistake: Mistake) -> bool:
        """A rounding habit at K decimals moves a value by at most about ROUNDING_REACH units of
        its K-th decimal: it is not tried when every wrong value is further off than that."""
        k = mistake.id.rpartition("-")[2]
        if not (mistake.by_hand and mistake.group == "arithmetic" and k.isdigit()) or self.target != "wrong":
            return True
        reach = ROUNDING_REACH * 10.0 ** -int(k)
        return any(abs(self.written[i].as_float - self.baseline[i]) <= reach for i in self.wrong)

    def reaches(self, mistakes: tuple[Mistake, ...]) -> bool:
        """Every value that must change is at or after the stage where one of `mistakes` acts (a
        single entry: one of them, since it may explain part of the values)."""
        test = any if len(mistakes) == 1 and self.target == "wrong" else all
        return test(any(m.stage <= self.stage[i] for m in mistakes) for i in self.must_change)

    def decided(self, pair: tuple[Mistake, Mistake]) -> bool:
        """True if a value the pair cannot explain is already known from its members' runs: where
        only one member can change a value, the pair gives what that member alone gives."""
        for i in range(len(self.expected)):
            reach = [m for m in pair if m.stage <= self.stage[i]]
            if len(reach) != 1 or reach[0].id not in self.singles:
                continue
            alone = self.singles[reach[0].id]
            if alone is not None and (alone[i] is None or not self.explains(i, alone[i])):
                return True
        return False

    def explanation(self, mistakes: tuple[Mistake, ...],
                    values: list[float | None] | None) -> CatalogExplanation | None:
        if values is None or any(v is None for v in values):
            return None
        if not all(self.explains(i, v) for i, v in enumerate(values)):
            return None
        exact = sum(judge(w, v).kind == CORRECT for w, v in zip(self.written, values))
        return CatalogExplanation(mistakes, tuple((e.quantity, v) for e, v in zip(self.expected, values)), exact)


def _with_aliases(values: dict[str, float], aliases: dict[str, str]) -> dict[str, float]:
    """The variant's values named as the exercise names them (b1+ for the variant's b_h1+)."""
    for old, new in aliases.items():
        for pattern in ("{}", "{}+", "dE/d{}", "Δ{}"):
            if pattern.format(new) in values:
                values[pattern.format(old)] = values[pattern.format(new)]
    return values


def applies(mistake: Mistake, spec: Spec, expected: Sequence[Expected], last_step: int,
            finest: int | None = None) -> bool:
    """Whether the diagnosis tries `mistake` on this exercise: it applies (mistakes.py), and a hand
    habit only on an exercise of hand size, a rounding habit at most one decimal finer than the
    finest value written (`finest`: those decimals, if known)."""
    if mistake.by_hand and (not hand_size(spec) or last_step > HAND_STEPS):
        return False
    if mistake.group == "arithmetic" and mistake.by_hand:
        finest = max(parse_written(e.text).decimals for e in expected) if finest is None else finest
        if int(mistake.id.rpartition("-")[2]) > finest + 1:
            return False
    return apply_mistakes(spec, (mistake,)) is not None


def variant_quantities(spec: Spec, variant: Variant, steps) -> dict[int, dict[str, float]] | None:
    """`StepTrace.quantities()` at each of `steps` computed under `variant` (every record), named
    as the exercise names them; None when the variant's training diverges."""
    network, aliases = variant.build(spec)
    wanted = frozenset(steps)
    hooks = variant.hooks() if variant.hooks else None
    computed = {}
    try:
        with np.errstate(all="ignore"):
            for record in iterate_run(spec, RunPlan(max(wanted), wanted, max(wanted) + 1), network,
                                      conventions=variant.engine_conventions, hooks=hooks):
                if isinstance(record, StepTrace):
                    computed[record.step] = _with_aliases(checkable(record), aliases)
    except (NeurosimError, ArithmeticError, ValueError):
        return None
    return computed


def diagnose(spec: Spec, expected: Sequence[Expected], *, max_size: int = 2,
             catalog: Sequence[Mistake] = CATALOG, progress=None) -> CatalogResult:
    """Search `catalog` for the simplest explanations of `expected` (see the module docstring);
    `progress(stage, done, total)` hears of each candidate run."""
    search = _Search(spec, expected, progress)
    if not search.must_change:
        return CatalogResult((), 0, 0, target=search.target)
    last = max(search.at)
    finest = max(w.decimals for w in search.written)
    singles = [m for m in catalog if applies(m, spec, expected, last, finest) and search.can_move(m)]
    tried = skipped = 0
    partial: tuple[PartialMatch, ...] = ()
    for size in range(1, max_size + 1):
        candidates = []
        for combo in itertools.combinations(singles, size):
            variant = apply_mistakes(spec, combo)
            if variant is None:
                continue
            if not search.reaches(combo) or (size == 2 and search.decided(combo)):
                skipped += 1
                continue
            candidates.append((combo, variant))
        tried += len(candidates)
        found = []
        runs = search.run_all(candidates, stop_early=size > 1)
        if size == 1:
            partial = partial_matches(search, [(combo[0], values) for (combo, _), values in zip(candidates, runs)])
        for (combo, _), values in zip(candidates, runs):
            if size == 1:
                search.singles[combo[0].id] = values
            explanation = search.explanation(combo, values)
            if explanation is not None:
                found.append(explanation)
        if found:
            found.sort(key=lambda ex: (-ex.exact, ex.cost))  # stable: catalog order among equals
            return CatalogResult(tuple(found), tried, len(singles), skipped, search.target, partial)
    return CatalogResult((), tried, len(singles), skipped, search.target, partial)
