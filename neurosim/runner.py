"""Run a Spec for many steps: full traces for the steps asked for, a summary row at a cadence.

`iterate_run` yields `StepTrace` and `StepSummary` records as they are produced, so a caller can
print as it goes (and keep what was printed if training diverges). Nothing here prints.
"""

from __future__ import annotations

from typing import Callable, Iterator

import attrs
import numpy as np

from .arithmetic import round_half_up, unrounded
from .conventions import Conventions
from .network import Network
from .spec import Published, Spec
from .trace import StepSummary, StepTrace
from .trainer import evaluate, fast_step, sample_loss, trace_step
from .verdict import CORRECT, Verdict, judge


def nice_every(steps: int, rows: int = 10) -> int:
    """A round cadence (1, 2, 5, 10, 20, 50, …) giving about `rows` summary rows."""
    if steps <= rows:
        return 1
    target = steps / rows
    scale = 1
    while True:
        for m in (1, 2, 5):
            if m * scale >= target:
                return m * scale
        scale *= 10


def default_trace_steps(steps: int) -> tuple[int, ...]:
    return (1, steps) if steps > 1 else (1,)


@attrs.frozen
class RunPlan:
    steps: int
    trace_steps: frozenset[int]
    every: int


def plan_for(spec: Spec, steps: int | None = None, trace_steps=None, every: int | None = None) -> RunPlan:
    steps = spec.steps if steps is None else steps
    traced = trace_steps if trace_steps is not None else (spec.trace_steps or default_trace_steps(steps))
    every = every or spec.every or nice_every(steps)
    return RunPlan(steps, frozenset(s for s in traced if 1 <= s <= steps), every)


def reported_loss(spec: Spec, network: Network) -> float | None:
    """E_report (spec report.loss) over all samples with the network's current parameters."""
    if spec.report_loss is None:
        return None
    conv = Conventions(loss=spec.report_loss.loss, mode=f"batch-{spec.report_loss.samples}",
                       arithmetic=spec.conventions.arithmetic)
    return sample_loss(network, spec.samples, conv)


StepCallback = Callable[[int, float, Network], None]


def iterate_run(spec: Spec, plan: RunPlan, network: Network | None = None, *, conventions=None,
                hooks=None, on_step: StepCallback | None = None) -> Iterator[StepTrace | StepSummary]:
    """Train `network` (built from `spec` if not given) for plan.steps steps, yielding records.

    `conventions` and `hooks` replace the spec's conventions and the engine's default hooks
    (the diagnosis runs the exercise under named mistakes this way). `on_step(step, E_total,
    network)`, if given, is called after every step, once the network holds the step's updated
    parameters (for progress displays, per-step files, stopping cleanly).
    """
    network = network if network is not None else spec.build_network()
    conv = conventions or spec.conventions
    samples = spec.samples
    online = conv.mode == "online"
    rng = np.random.default_rng(spec.sampling_seed)
    keep, store = conv.arithmetic.keeper(), conv.arithmetic.storer()
    for step in range(1, plan.steps + 1):
        if online:
            index = int(rng.integers(len(samples))) if spec.sampling == "random" else (step - 1) % len(samples)
            batch = [samples[index]]
        else:
            batch = samples
        summary = step == 1 or step % plan.every == 0 or step == plan.steps
        traced = step in plan.trace_steps
        reported = reported_loss(spec, network) if summary or traced else None
        if traced:
            trace = trace_step(network, batch, conv, step=step, title=spec.title, hooks=hooks)
            if reported is not None:
                trace = attrs.evolve(trace, reported=reported)
            e_total = trace.E_total
            yield trace
        else:
            e_total = fast_step(network, batch, conv, step=step, hooks=hooks)
        if on_step is not None:
            on_step(step, e_total, network)
        if summary:
            all_after = sample_loss(network, samples, conv)
            outputs = tuple(tuple(evaluate(network, x, keep, store)) for x, _ in samples)
            yield StepSummary(step, e_total, all_after, outputs, reported)


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
    groups: dict[tuple, list[tuple[int, Published]]] = {}
    for i, entry in enumerate(spec.published):
        groups.setdefault(entry.overrides, []).append((i, entry))
    for overrides, entries in groups.items():
        variant = spec.with_training(**dict(overrides)) if overrides else spec
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
