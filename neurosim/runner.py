"""Run a Spec for many steps: full traces for the steps asked for, a summary row at a cadence.

`iterate_run` yields `StepTrace` and `StepSummary` records as they are produced, so a caller can
print as it goes (and keep what was printed if training diverges). Nothing here prints.
"""

from __future__ import annotations

from typing import Callable, Iterator

import attrs
import numpy as np

from .network import Network
from .numbers import agrees_at_written_precision
from .spec import Published, Spec
from .trace import StepSummary, StepTrace
from .trainer import evaluate, fast_step, sample_loss, trace_step


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


StepCallback = Callable[[int, float, Network], None]


def iterate_run(spec: Spec, plan: RunPlan, network: Network | None = None,
                on_step: StepCallback | None = None) -> Iterator[StepTrace | StepSummary]:
    """Train `network` (built from `spec` if not given) for plan.steps steps, yielding records.

    `on_step(step, E_total, network)`, if given, is called after every step, once the network
    holds the step's updated parameters (for progress displays, per-step files, stopping cleanly).
    """
    network = network if network is not None else spec.build_network()
    conv = spec.conventions
    samples = spec.samples
    online = conv.mode == "online"
    rng = np.random.default_rng(spec.sampling_seed)
    keep = conv.arithmetic.keeper()
    for step in range(1, plan.steps + 1):
        if online:
            index = int(rng.integers(len(samples))) if spec.sampling == "random" else (step - 1) % len(samples)
            batch = [samples[index]]
        else:
            batch = samples
        if step in plan.trace_steps:
            trace = trace_step(network, batch, conv, step=step, title=spec.title)
            e_total = trace.E_total
            yield trace
        else:
            e_total = fast_step(network, batch, conv, step=step)
        if on_step is not None:
            on_step(step, e_total, network)
        if step == 1 or step % plan.every == 0 or step == plan.steps:
            all_after = sample_loss(network, samples, conv)
            outputs = tuple(tuple(evaluate(network, x, keep)) for x, _ in samples)
            yield StepSummary(step, e_total, all_after, outputs)


@attrs.frozen
class PublishedCheck:
    """A published figure next to the value computed under the convention its source used."""

    entry: Published
    computed: float | None  # None: the run was not long enough to reach the entry's step
    agrees: bool | None


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
            agrees = None if value is None else agrees_at_written_precision(entry.value, value)
            results[i] = PublishedCheck(entry, value, agrees)
    return [results[i] for i in range(len(spec.published))]
