"""The diagnosis of a check, stage by stage — what `neurosim check`, `neurosim grade` and the
practice page all run:

    1. parse           what was written: names, steps, the numbers as written      parse.py
    2. judge           right or wrong, at the precision written                    judge.py
    3. follow-through  does a wrong value follow from the student's values before it?  follow.py
    4. local search    at each root (a wrong value that does not follow), the slips of
                       that one formula, with the student's own operands           local.py, slips.py
    5. catalog         whole-exercise conventions and mistakes, also for part of the values
                                                                                   catalog.py

`diagnose_check(spec, result)` runs stages 3–5 on a judged check (stages 1–2: `judge.check_values`)
and returns `Findings`: per value its follow-through verdict, the explanations of each root, and
the catalog's. Nothing here prints (report.py and data.py write it).
"""

from __future__ import annotations

import attrs

from ..core.exercise import Spec
from ..core.formulas import StepFormulas
from ..messages import say
from .catalog import CatalogResult, diagnose
from .conventions_read import DELTA_SIGN, delta_sign_convention
from .follow import FOLLOWS, RIGHT, WRONG, Followed, StudentValues, follow_through, student_values
from .judge import CheckResult, CheckRow, hand_size, traces_at
from .local import STRONG_CHANCE, Explanation, explain_root, group_shared
from .parse import negated
from .reach import STAGE_TITLES, quantity_stage


@attrs.frozen
class ValueFindings:
    """One written value through the stages: its row (judge), its follow-through verdict, and —
    a root's — the explanations (strong ones, then the weak), the catalog entries that reproduce it."""

    row: CheckRow
    key: tuple[int, str]  # (step, neurosim's name)
    followed: Followed
    explanations: tuple[Explanation, ...] = ()
    weak: tuple[Explanation, ...] = ()
    catalog: tuple[str, ...] = ()
    convention: str = ""  # a reading that makes it right (conventions_read.py): "delta-sign"

    @property
    def verdict(self) -> str:
        """right, wrong (a root: a slip of its own) or follows."""
        return self.followed.verdict


@attrs.frozen
class Findings:
    """The whole diagnosis of a check: every value's findings in the user's order, the roots in
    the order a person computes them (the first is the first wrong line), the catalog's result."""

    result: CheckResult
    values: tuple[ValueFindings, ...]
    roots: tuple[int, ...]  # indexes into `values`, in computation order
    catalog: CatalogResult | None = None
    student: StudentValues | None = attrs.field(default=None, eq=False, repr=False)  # the student's values

    @property
    def first(self) -> ValueFindings | None:
        return self.values[self.roots[0]] if self.roots else None

    def following(self, root: ValueFindings) -> tuple[ValueFindings, ...]:
        """The values that follow from `root` (through other values that follow from it)."""
        return tuple(v for v in self.values if v.verdict == FOLLOWS and root.key in v.followed.roots)

    def stage_of(self, value: ValueFindings) -> str:
        """The stage of its step a value belongs to: forward, loss, output-backward … (reach.py)."""
        trace = self.result.traces[value.key[0]]
        outputs = tuple(e.neuron for e in trace.samples[0].errors)
        return STAGE_TITLES[quantity_stage(value.key[1], 1, outputs)]


def diagnose_check(spec: Spec, result: CheckResult, *, search: bool = True, progress=None) -> Findings:
    """Stages 3–5 on a judged check (see the module docstring); `search`: run stages 4 and 5 (the
    local search and the catalog), else follow-through only; `progress(stage, done, total)` hears
    of each root searched and each catalog candidate run (a progress line)."""
    if not result.traces:  # judged on partial records: the formulas need every record
        result = attrs.evolve(result, traces=traces_at(spec, {r.step for r in result.rows}))
    graph = StepFormulas(result.traces)
    keys = [(r.step, r.internal.name if r.internal else r.expected.name) for r in result.rows]
    texts = [(r.internal or r.expected).text for r in result.rows]
    right = [r.verdict.ok for r in result.rows]
    outputs = [e.neuron for e in next(iter(result.traces.values())).samples[0].errors]
    convention = delta_sign_convention(result.rows, [k[1] for k in keys], outputs)
    for k in convention:  # read in neurosim's sign, as right
        texts[k], right[k] = negated(texts[k]), True
    student = student_values(graph, keys, texts, right)
    followed = follow_through(student, keys, texts, right)
    found = {}
    roots = [k for k, f in enumerate(followed) if search and f.verdict == WRONG]
    for done, k in enumerate(roots, start=1):
        found[k] = explain_root(graph, student, followed[k].key, texts[k], spec)
        if progress is not None:
            progress(say("the slips of each first wrong line"), done, len(roots))
    group_shared(found)
    # pairs of whole-exercise mistakes are the last resort: not needed when each root has its slip;
    # beyond hand size (a traced step per entry) the catalog runs only for a root left unexplained
    explained = bool(roots) and all(any(e.strong for e in found[k]) for k in roots)
    catalog_result = diagnose(spec, result.internal, max_size=1 if explained else 2, progress=progress) \
        if search and (result.wrong or result.unexact) and not (explained and not hand_size(spec)) else None
    values = []
    for k, (row, key, f) in enumerate(zip(result.rows, keys, followed)):
        explanations = found.get(k, [])
        strong = tuple(e for e in explanations if e.strong)
        weak = tuple(e for e in explanations if not e.strong)
        must = not row.verdict.ok or (catalog_result is not None and catalog_result.target == "digits"
                                      and row in result.unexact)
        entries = catalog_result.explaining(k) if catalog_result is not None and must else ()
        values.append(ValueFindings(row, key, f, strong, weak, entries, DELTA_SIGN if k in convention else ""))
    order = graph.order
    roots = sorted((k for k, f in enumerate(followed) if f.verdict == WRONG), key=lambda k: order.get(keys[k], -1))
    return Findings(result, tuple(values), tuple(roots), catalog_result, student)


__all__ = ["FOLLOWS", "RIGHT", "STRONG_CHANCE", "WRONG", "Findings", "ValueFindings", "diagnose_check"]
