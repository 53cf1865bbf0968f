"""Published figures checked: each figure a source prints, computed under the convention the source
used (its `[[published]]` entry's training keys), judged at the precision printed."""

from __future__ import annotations

import attrs

from ..core.arithmetic import round_half_up, unrounded
from ..core.exercise import Published, Spec
from ..core.trace import StepTrace
from ..engines.runner import RunPlan, iterate_run
from ..files.exercise import with_training
from .verdict import CORRECT, Verdict, judge


@attrs.frozen
class PublishedCheck:
    """A published figure next to the value computed under the convention its source used."""

    entry: Published
    computed: float | None  # None: the run was not long enough to reach the entry's step
    agrees: bool | None  # correct at the precision the source printed
    verdict: Verdict | None = None


def check_published(spec: Spec, max_steps: int) -> list[PublishedCheck]:
    """Compute every published figure of `spec` whose step is at most `max_steps`."""
    results: dict[int, PublishedCheck] = {}
    groups: dict[str, list[tuple[int, Published]]] = {}
    for i, entry in enumerate(spec.published):  # by repr: an override may be a table ([training.rule])
        groups.setdefault(repr(entry.overrides), []).append((i, entry))
    for entries in groups.values():
        overrides = entries[0][1].overrides
        variant = with_training(spec, **dict(overrides)) if overrides else spec
        wanted = {e.step for _, e in entries if e.step <= max_steps}
        quantities: dict[int, dict[str, float]] = {}
        if wanted:
            plan = RunPlan(max(wanted), frozenset(wanted), max(wanted) + 1)
            for record in iterate_run(variant, plan):
                if isinstance(record, StepTrace):
                    quantities[record.step] = record.quantities()
        for i, entry in entries:
            value = quantities.get(entry.step, {}).get(entry.name)
            verdict = None if value is None else judge_published(entry, value)
            results[i] = PublishedCheck(entry, value, None if verdict is None else verdict.kind == CORRECT, verdict)
    return [results[i] for i in range(len(spec.published))]


def judge_published(entry: Published, value: float):
    """The verdict on a published figure, at the precision printed (or at entry.digits decimals,
    when the source's own inputs were printed rounded)."""
    if entry.digits is None:
        return judge(entry.value, unrounded(value))
    return judge(f"{round_half_up(float(entry.value), entry.digits):.{entry.digits}f}", unrounded(value))
