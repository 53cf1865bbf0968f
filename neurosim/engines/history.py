"""The course of a run, step by step: losses and every parameter, for loss curves and trajectories.

`record_run` trains a network from a `Spec` with the fast step and keeps, every `stride` steps (and
at step 0 and the last step), the step's E_total (its sample(s), before the update), E_total+ over
all samples after the update, and every weight and bias after the update. At most about
`max_points` rows are kept, however long the run.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import attrs
import numpy as np

from ..core.exercise import Spec
from ..core.memory import HISTORY_BYTES_PER_VALUE, check_growth
from ..core.network import Network
from ..core.step import sample_loss
from ..messages import say
from .runner import RunPlan, iterate_run


@attrs.frozen(repr=False)
class RunHistory:
    """Recorded rows of a run; row 0 is the initial network (step 0, E_total NaN)."""

    title: str
    unit: str  # "step" (online) or "epoch" (batch modes)
    steps: np.ndarray  # step numbers of the rows
    E_total: np.ndarray  # the step's own sample(s), before its update
    E_all: np.ndarray  # E_total+: all samples, after the update
    names: tuple[str, ...]  # parameter names, weights then biases
    parameters: np.ndarray  # shape (rows, len(names)), values after each step
    n_samples: int = 1  # samples in the data set

    @property
    def step_sees_all_samples(self) -> bool:
        """True when each step's E_total is over every sample (batch modes, or a single sample)."""
        return self.unit == "epoch" or self.n_samples == 1

    def __repr__(self) -> str:
        last = int(self.steps[-1]) if len(self.steps) else 0
        return (f"RunHistory({self.title!r}: {len(self.steps)} rows up to {self.unit} {last}, "
                f"{len(self.names)} parameters)")

    def parameter(self, name: str) -> np.ndarray:
        """The trajectory of one weight or bias."""
        return self.parameters[:, self.names.index(name)]


def record_run(spec: Spec, steps: int | None = None, *, network: Network | None = None,
               max_points: int = 5000, on_step: Callable | None = None,
               what: str = "the run's history") -> tuple[RunHistory, Network, Network]:
    """Train for `steps` (default: the spec's) and return (history, network before, network after).
    The history's rows are refused before step 1 if they would not fit (`what` names what asks for them)."""
    steps = spec.steps if steps is None else steps
    stride = max(1, math.ceil(steps / max_points))
    values = sum(a * b + b for a, b in zip(spec.layers, spec.layers[1:])) + 3
    check_growth(what, steps // stride + 2, values * HISTORY_BYTES_PER_VALUE,
                 say("record fewer rows (max_points) or train a smaller network"), spec.max_memory)
    network = network if network is not None else spec.build_network()
    before = network.copy()
    samples, conv = spec.samples, spec.conventions
    rows_step, rows_e, rows_all, rows_p = [0], [math.nan], [sample_loss(network, samples, conv)], [
        list(network.parameters().values())]

    def keep_row(step: int, e_total: float, net: Network) -> None:
        if step % stride == 0 or step == steps:
            rows_step.append(step)
            rows_e.append(float(e_total))
            rows_all.append(float(sample_loss(net, samples, conv)))
            rows_p.append([float(v) for v in net.parameters().values()])
        if on_step is not None:
            on_step(step, e_total, net)

    plan = RunPlan(steps, frozenset(), steps + 1)
    for _ in iterate_run(spec, plan, network, on_step=keep_row):
        pass
    history = RunHistory(spec.title, "step" if conv.mode == "online" else "epoch", np.array(rows_step),
                         np.array(rows_e, dtype=float), np.array(rows_all, dtype=float),
                         tuple(network.parameter_names()), np.array(rows_p, dtype=float),
                         len(samples))
    return history, before, network
