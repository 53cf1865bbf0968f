"""Run a Spec for many steps: full traces for the steps asked for, a summary row at a cadence.

`iterate_run` yields `StepTrace` and `StepSummary` records as they are produced, so a caller can
print as it goes (and keep what was printed if training diverges). Nothing here prints.

Steps that are not traced run on a fast engine: the neuron-level loop (`trainer.NeuronLoop`) for
small networks, the matrix engine (`matrix.MatrixTrainer`) when a step has enough weights × samples
for NumPy to pay off (`choose_engine`, from the crossovers bench/engine_crossover.py
measures). Both agree with the traced step to 1e-12 relative (the
neuron loop to the last bit), so the summary tables are the same either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import attrs
import numpy as np

from ..core.activations import ACTIVATIONS
from ..core.conventions import Conventions
from ..core.evaluation import loss_and_outputs
from ..core.exercise import Spec
from ..core.memory import check_traced_run
from ..core.network import Network
from ..core.step import Wanted, sample_loss, trace_step
from ..core.trace import StepSummary, StepTrace
from ..errors import NeurosimError
from .batches import step_batches
from .neuron_loop import NeuronLoop, fast_step, float_samples

ENGINES = ("auto", "neuron", "matrix")
# Measured by bench/engine_crossover.py (a shared 2-core machine, single-threaded BLAS): a step of the
# matrix engine costs a fixed ~30 µs of NumPy calls, the neuron loop's grows with weights × samples.
# One-sample steps run the step written out (engines/unrolled.py), which the matrix engine overtakes
# between 240 and 300 weights; steps on several samples run the loops, overtaken between 24 and 32
# weight·sample products (2-2-2: from 4 samples on, 4.7× faster at 16).
ONLINE_MIN_WEIGHTS = 280
MATRIX_MIN_PRODUCTS = 30


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


def choose_engine(spec: Spec, engine: str = "auto", conventions=None, hooks=None,
                  network: Network | None = None) -> str:
    """'neuron' or 'matrix' for the untraced steps. Hand rounding, float32-stored parameters and
    engine hooks, a changed learning rule, or a wrapped activation (in `network`) or loss (the
    mistakes catalog: check/variant.py) need the neuron engine, which computes with the objects."""
    if engine not in ENGINES:
        raise NeurosimError(f"engine: unknown value '{engine}' (choose from {', '.join(ENGINES)})")
    conv = conventions or spec.conventions
    if spec.architecture is not None:  # shared weights: NumPy where it is the same step (shared_engine.py)
        from .shared_engine import shared_engine_kind
        return shared_engine_kind(engine, conv, hooks, network or spec.build_network())
    arithmetic = conv.arithmetic
    if arithmetic.round_to is not None or arithmetic.dtype == "float32-params" or hooks is not None \
            or conv.rule.wraps or _wrapped(conv, network):
        return "neuron"
    if engine != "auto":
        return engine
    weights = sum(a * b for a, b in zip(spec.layers[:-1], spec.layers[1:]))
    batch = 1 if (conventions or spec.conventions).mode == "online" else (spec.batch_size or len(spec.inputs))
    if batch == 1:
        return "matrix" if weights >= ONLINE_MIN_WEIGHTS else "neuron"
    return "matrix" if weights * batch >= MATRIX_MIN_PRODUCTS else "neuron"


def _wrapped(conv: Conventions, network: Network | None) -> bool:
    """A loss or an activation that is not the registered one (a named mistake's wrapped derivative):
    the matrix engine computes its functions by name, so it would not see the change."""
    if not isinstance(conv.loss, str):
        return True
    return network is not None and any(layer.activation is not ACTIVATIONS.get(layer.activation.name)
                                       for layer in network.layers[1:])


StepCallback = Callable[[int, float, Network], None]


def iterate_run(spec: Spec, plan: RunPlan, network: Network | None = None, *, engine: str = "auto",
                view: str = "neuron", conventions=None, hooks=None, on_step: StepCallback | None = None,
                on_step_every: int = 1, wanted: Wanted | None = None) -> Iterator[StepTrace | StepSummary]:
    """Train `network` (built from `spec` if not given) for plan.steps steps, yielding records:
    for traced steps a `StepTrace` (view "neuron") or a `matrix.MatrixStep` (view "matrix").

    `conventions` and `hooks` replace the spec's conventions and the engine's default hooks
    (the diagnosis runs the exercise under named mistakes this way; `wanted` keeps only the records
    of the values it compares, core.step.Wanted). `on_step(step, E_total,
    network)`, if given, is called every `on_step_every` steps (and at traced and summary steps),
    once the network holds the step's updated parameters (for progress displays, per-step files,
    stopping cleanly).
    """
    network = network if network is not None else spec.build_network()
    conv = conventions or spec.conventions
    batches = step_batches(spec, plan.steps)
    if plan.trace_steps:  # each traced step's records must fit (core/memory.py)
        check_traced_run(spec.layers, batches.largest, 1, spec.max_memory)
    rule = conv.make_rule()  # the learning rule and its state, carried through every step and engine
    fast = _FastEngine(choose_engine(spec, engine, conv, hooks, network), network, spec, conv, hooks, rule)
    report_before = spec.report_loss is not None  # E_report is taken before its step

    def callback_due(k: int) -> bool:
        return on_step is not None and k % on_step_every == 0

    def alone(k: int) -> bool:
        """Step k runs by itself on the network's objects (traced, or E_report needed before it)."""
        return k in plan.trace_steps or (report_before and _summary_due(k, plan))

    step = 1
    while step <= plan.steps:
        reported = None
        if alone(step):
            fast.sync()
            reported = reported_loss(spec, network)
            if step in plan.trace_steps:
                trace = _traced_step(spec, network, batches[step - 1], conv, step, view, hooks, reported, rule,
                                     wanted)
                e_total = trace.E_total
                yield trace
            else:
                e_total = fast.run(step, [batches[step - 1]])
        else:
            stop = _chunk_end(step, plan, on_step_every if on_step is not None else None, report_before)
            e_total = fast.run(step, batches[step - 1:stop])
            step = stop
        if on_step is not None and (callback_due(step) or _summary_due(step, plan) or step in plan.trace_steps):
            fast.store()
            on_step(step, e_total, network)
        if _summary_due(step, plan):
            row = _summary_row(fast, network, fast.samples, conv, step, e_total, reported)
            fast.store()  # the network holds the step's parameters when its row is yielded
            yield row
        step += 1
    fast.sync()


def trace_one_step(spec: Spec, network: Network, step: int, conventions: Conventions, *,
                   wanted: Wanted | None = None, batches: list[tuple[int, int]] | None = None) -> StepTrace:
    """Step `step` of `spec` traced on `network`, which holds the parameters after the step before
    (the diagnosis trains the steps before on engines/candidates.py); `batches`: step_batches(spec, ≥ step)."""
    batches = batches if batches is not None else step_batches(spec, step)
    return _traced_step(spec, network, batches[step - 1], conventions, step, "neuron", None,
                        reported_loss(spec, network), wanted=wanted)


def _traced_step(spec: Spec, network: Network, batch: tuple[int, int], conv: Conventions, step: int, view: str,
                 hooks, reported: float | None, rule=None, wanted: Wanted | None = None):
    """Step `step` on the samples batch[0]:batch[1], with every record: a StepTrace (carrying
    E_report if there is one), or in the matrix view a MatrixStep."""
    a, b = batch
    if view == "matrix":
        from .matrix import matrix_step
        return matrix_step(network, list(zip(spec.inputs[a:b], spec.targets[a:b])), conv, step=step, rule=rule)
    trace = trace_step(network, list(zip(spec.inputs[a:b], spec.targets[a:b])), conv, step=step, title=spec.title,
                       hooks=hooks, rule=rule, wanted=wanted)
    return attrs.evolve(trace, reported=reported) if reported is not None else trace


def _summary_row(fast: _FastEngine, network: Network, samples, conv: Conventions, step: int, e_total: float,
                 reported: float | None) -> StepSummary:
    """The summary row of `step`: E_total+ over all samples after its update, and the outputs of a
    single-sample run (the summary table shows them only then), from the engine that holds the
    parameters (else from the network's objects)."""
    single = len(samples) == 1
    all_after, outputs = fast.evaluate_all(single)
    if all_after is None:
        fast.sync()
        all_after, outputs = loss_and_outputs(network, samples, conv, single)
    return StepSummary(step, e_total, all_after, outputs, reported)


def _summary_due(step: int, plan: RunPlan) -> bool:
    return step == 1 or step % plan.every == 0 or step == plan.steps


def _chunk_end(step: int, plan: RunPlan, callback_every: int | None, report_before: bool) -> int:
    """The last step of the untraced steps from `step` on that run in one go: the first at or after
    `step` with a summary row or a callback due, or before a step that runs alone (traced, or with
    E_report taken before it) — found by arithmetic, not step by step."""
    if step == 1:  # the first step always has its summary row
        return 1
    ends = [plan.steps, -(-step // plan.every) * plan.every]
    if callback_every is not None:
        ends.append(-(-step // callback_every) * callback_every)
    later = [k for k in plan.trace_steps if k > step]
    if later:
        ends.append(min(later) - 1)
    if report_before:  # E_report is taken before each summary step, which then runs alone
        following = -(-(step + 1) // plan.every) * plan.every
        ends.append(min(following, plan.steps) - 1)
    return max(step, min(ends))


class _FastEngine:
    """Untraced steps on the neuron loop or the matrix engine, holding the parameters between
    traced steps; `sync` writes them back into the network's objects."""

    def __init__(self, kind: str, network: Network, spec: Spec, conventions=None, hooks=None, rule=None):
        self.kind, self.network = kind, network
        self.conv = conventions or spec.conventions
        self.hooks = hooks
        self.rule = rule if rule is not None else self.conv.make_rule()
        self.samples = spec.samples
        self.engine = None
        self._stored = True  # the network's objects hold the engine's current parameters
        if kind == "neuron" and hooks is None and self.conv.arithmetic.is_exact_float64 and spec.architecture is None:
            self.data = float_samples(self.samples)  # once, not at every step (shared weights: on the objects)
        if kind in ("matrix", "shared"):
            from .matrix import trainer_class  # NumPy-heavy; not needed for small runs
            self._matrix = trainer_class(kind)
            dtype = self.conv.arithmetic.dtype
            self.X = np.array(spec.inputs, dtype=dtype)
            self.T = np.array(spec.targets, dtype=dtype)

    def run(self, first_step: int, batches: list[tuple[int, int]]) -> float:
        """Run the steps first_step, first_step + 1, … on `batches`; E_total of the last."""
        self._stored = False
        if self.kind == "neuron":
            if self.engine is None and hasattr(self, "data"):
                self.engine = NeuronLoop(self.network, self.conv, self.rule)
            if self.engine is None:  # float32, rounded or with hooks: every quantity through keep
                for step, (a, b) in enumerate(batches, start=first_step):
                    e_total = fast_step(self.network, self.samples[a:b], self.conv, step=step, hooks=self.hooks,
                                        rule=self.rule)
                return e_total
            return self.engine.run(self.data, batches, first_step)
        if self.engine is None:
            self.engine = self._matrix(self.network, self.conv, self.rule)
        before = self.engine.snapshot()
        e_total = self.engine.run(self.X, self.T, batches)
        if e_total is not None:
            return e_total
        # A value became non-finite: re-run these steps neuron by neuron, which names where.
        self.engine.store_into(self.network, before)
        self.engine = None
        for step, (a, b) in enumerate(batches, start=first_step):
            e_total = fast_step(self.network, self.samples[a:b], self.conv, step=step, rule=self.rule)
        return e_total

    def evaluate_all(self, outputs: bool) -> tuple[float | None, tuple]:
        """(E_total+ over all samples, and if `outputs` every sample's outputs) from the engine that
        holds the parameters; (None, ()) when the network's objects do."""
        if self.engine is None:
            return None, ()
        if self.kind == "neuron":
            return self.engine.evaluate(self.data, outputs)
        with np.errstate(all="ignore"):
            Z, A = self.engine.forward(self.X)[-1]
            all_after = self.engine.total(self.engine.losses(Z, A, self.T))
        keep = self.conv.arithmetic.keeper()
        if not outputs:
            return keep(all_after), ()
        exact = self.conv.arithmetic.is_exact_float64
        rows = A.tolist() if exact else [[keep(v) for v in row] for row in A.tolist()]
        return keep(all_after), tuple(map(tuple, rows))

    def store(self) -> None:
        """Write the current parameters into the network's objects (unless they hold them since the
        last run), and carry on."""
        if self.engine is not None and not self._stored:
            self.engine.store_into(self.network)
            self._stored = True

    def sync(self) -> None:
        """Write the parameters back and let go of the engine (the network's objects lead now)."""
        self.store()
        self.engine = None
