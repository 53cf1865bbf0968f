"""Run a Spec for many steps: full traces for the steps asked for, a summary row at a cadence.

`iterate_run` yields `StepTrace` and `StepSummary` records as they are produced, so a caller can
print as it goes (and keep what was printed if training diverges). Nothing here prints.

Steps that are not traced run on a fast engine: the neuron-level loop (`trainer.NeuronLoop`) for
small networks, the matrix engine (`matrix.MatrixTrainer`) when a step has enough weights × samples
for NumPy to pay off (`choose_engine`). Both agree with the traced step to 1e-12 relative (the
neuron loop to the last bit), so the summary tables are the same either way.
"""

from __future__ import annotations

from typing import Iterator

import attrs
import numpy as np

from .errors import NeurosimError
from .network import Network
from .numbers import agrees_at_written_precision
from .spec import Published, Spec
from .trace import StepSummary, StepTrace
from .trainer import NeuronLoop, evaluate, fast_step, sample_loss, trace_step

ENGINES = ("auto", "neuron", "matrix")
# NumPy's per-call overhead (~1 µs) beats Python's per-multiply cost (~50 ns) from about this
# many weight·sample products per step on (measured with bench/run_all.py; see choose_engine).
MATRIX_MIN_PRODUCTS = 200


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


def step_batches(spec: Spec, steps: int) -> list[tuple[int, int]]:
    """The samples of every step as a slice (start, stop) of the data: online, the next sample
    (or one drawn at random, seeded); batch modes, all samples, or the next `batch_size` of them
    (the last mini-batch of an epoch may be shorter)."""
    n = len(spec.inputs)
    if spec.conventions.mode == "online":
        if spec.sampling == "random":
            rng = np.random.default_rng(spec.sampling_seed)
            return [(i, i + 1) for i in (int(rng.integers(n)) for _ in range(steps))]
        return [(k % n, k % n + 1) for k in range(steps)]
    if spec.batch_size is None:
        return [(0, n)] * steps
    starts = list(range(0, n, spec.batch_size))
    return [(a, min(a + spec.batch_size, n)) for a in (starts[k % len(starts)] for k in range(steps))]


def choose_engine(spec: Spec, engine: str = "auto") -> str:
    """'neuron' or 'matrix' for the untraced steps. Hand rounding needs the neuron engine."""
    if engine not in ENGINES:
        raise NeurosimError(f"engine: unknown value '{engine}' (choose from {', '.join(ENGINES)})")
    if spec.conventions.arithmetic.round_to is not None:
        return "neuron"
    if engine != "auto":
        return engine
    weights = sum(a * b for a, b in zip(spec.layers[:-1], spec.layers[1:]))
    batch = 1 if spec.conventions.mode == "online" else (spec.batch_size or len(spec.inputs))
    return "matrix" if weights * batch >= MATRIX_MIN_PRODUCTS else "neuron"


def iterate_run(spec: Spec, plan: RunPlan, network: Network | None = None, engine: str = "auto",
                view: str = "neuron") -> Iterator[StepTrace | StepSummary]:
    """Train `network` (built from `spec` if not given) for plan.steps steps, yielding records:
    for traced steps a `StepTrace` (view "neuron") or a `matrix.MatrixStep` (view "matrix")."""
    network = network if network is not None else spec.build_network()
    conv = spec.conventions
    samples = spec.samples
    keep = conv.arithmetic.keeper()
    batches = step_batches(spec, plan.steps)
    fast = _FastEngine(choose_engine(spec, engine), network, spec)
    step = 1
    while step <= plan.steps:
        if step in plan.trace_steps:
            fast.sync()
            a, b = batches[step - 1]
            if view == "matrix":
                from .matrix import matrix_step
                trace = matrix_step(network, samples[a:b], conv, step=step)
            else:
                trace = trace_step(network, samples[a:b], conv, step=step, title=spec.title)
            e_total = trace.E_total
            yield trace
        else:
            stop = step
            while stop < plan.steps and stop + 1 not in plan.trace_steps and not _summary_due(stop, plan):
                stop += 1
            e_total = fast.run(step, batches[step - 1:stop])
            step = stop
        if _summary_due(step, plan):
            all_after, outputs = fast.evaluate_all()
            if all_after is None:
                fast.sync()
                all_after = sample_loss(network, samples, conv)
                outputs = tuple(tuple(evaluate(network, x, keep)) for x, _ in samples)
            yield StepSummary(step, e_total, all_after, outputs)
        step += 1
    fast.sync()


def _summary_due(step: int, plan: RunPlan) -> bool:
    return step == 1 or step % plan.every == 0 or step == plan.steps


class _FastEngine:
    """Untraced steps on the neuron loop or the matrix engine, holding the parameters between
    traced steps; `sync` writes them back into the network's objects."""

    def __init__(self, kind: str, network: Network, spec: Spec):
        self.kind, self.network, self.conv = kind, network, spec.conventions
        self.samples = spec.samples
        self.engine = None
        if kind == "matrix":
            from .matrix import MatrixTrainer  # NumPy-heavy; not needed for small runs
            self._matrix = MatrixTrainer
            dtype = self.conv.arithmetic.dtype
            self.X = np.array(spec.inputs, dtype=dtype)
            self.T = np.array(spec.targets, dtype=dtype)

    def run(self, first_step: int, batches: list[tuple[int, int]]) -> float:
        """Run the steps first_step, first_step + 1, … on `batches`; E_total of the last."""
        if self.kind == "neuron":
            if self.engine is None:
                self.engine = NeuronLoop(self.network, self.conv) if self.conv.arithmetic.is_exact_float64 else None
            if self.engine is None:  # float32 or rounded: every quantity through keep
                for step, (a, b) in enumerate(batches, start=first_step):
                    e_total = fast_step(self.network, self.samples[a:b], self.conv, step=step)
                return e_total
            for step, (a, b) in enumerate(batches, start=first_step):
                e_total = self.engine.step(self.samples[a:b], step)
            return e_total
        if self.engine is None:
            self.engine = self._matrix(self.network, self.conv)
        before = self.engine.snapshot()
        e_total = self.engine.run(self.X, self.T, batches)
        if e_total is not None:
            return e_total
        # A value became non-finite: re-run these steps neuron by neuron, which names where.
        self.engine.store_into(self.network, before)
        self.engine = None
        for step, (a, b) in enumerate(batches, start=first_step):
            e_total = fast_step(self.network, self.samples[a:b], self.conv, step=step)
        return e_total

    def evaluate_all(self) -> tuple[float | None, tuple]:
        """(E_total+ over all samples, outputs) from the matrix engine; (None, ()) otherwise."""
        if self.kind != "matrix" or self.engine is None:
            return None, ()
        with np.errstate(all="ignore"):
            A = self.engine.forward(self.X)[-1][1]
            all_after = self.engine.total(self.engine.losses(A, self.T))
        keep = self.conv.arithmetic.keeper()
        rows = A.tolist() if keep is float else [[keep(v) for v in row] for row in A.tolist()]
        return keep(all_after), tuple(map(tuple, rows))

    def sync(self) -> None:
        if self.engine is not None:
            self.engine.store_into(self.network)
            self.engine = None


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
