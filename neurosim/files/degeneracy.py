"""Degenerate exercises: given numbers that make a poor exercise to work by hand. `neurosim
variants` redraws a variant for which `degeneracy` gives a reason:

- a saturated neuron: dout/dnet below SATURATION times the activation's largest slope (sigmoid:
  out above 0.987 or below 0.013), where every gradient through it all but vanishes — a dead ReLU
  (dout/dnet = 0) included;
- a zero gradient: an updated parameter that the step moves by less than MIN_CHANGE (|η·dE/dp| <
  1e-6: the same value to 6 decimals before and after);
- training that fails (a value overflows) in any step of the exercise.

Neurons and updates are examined in the first step — the one the given numbers set up, and the
one a student works first; later steps follow from it (and a long run of a deep network always
has some weight that has stopped moving).
"""

from __future__ import annotations

import functools

from ..core.activations import get_activation
from ..core.exercise import Spec
from ..core.trace import StepTrace
from ..engines.runner import RunPlan, iterate_run
from ..errors import NeurosimError
from ..messages import say

SATURATION = 0.05
MIN_CHANGE = 1e-6


def degeneracy(spec: Spec) -> str | None:
    """Why `spec` is a degenerate exercise (one sentence), or None when it is not."""
    last = max(1, spec.steps)
    try:
        for record in iterate_run(spec, RunPlan(last, frozenset({1}), last + 1)):
            if isinstance(record, StepTrace):
                reason = step_degeneracy(record)
                if reason is not None:
                    return reason
    except NeurosimError as error:
        return say("training fails: {error}", error=error)
    return None


def step_degeneracy(trace: StepTrace) -> str | None:
    """A saturated neuron or a vanishing update in one step, or None."""
    batch = len(trace.samples) > 1
    for sample in trace.samples:
        activation = {f.neuron: (f.activation, f.out) for f in sample.forward}
        for b in sample.backward:
            name, out = activation[b.neuron]
            peak = _largest_slope(name)
            if peak and abs(b.dout_dnet) < SATURATION * peak:
                values = {"neuron": b.neuron, "out": out, "slope": b.dout_dnet, "index": sample.index}
                if batch:
                    return say("{neuron} is saturated in sample {index}: out_{neuron} = {out:.6g}, "
                               "dout/dnet = {slope:.3g}", **values)
                return say("{neuron} is saturated: out_{neuron} = {out:.6g}, dout/dnet = {slope:.3g}", **values)
    rate = trace.conventions.learning_rate
    for u in trace.updates:
        if u.updated and abs(rate * u.gradient) < MIN_CHANGE:
            return say("{name} hardly changes in step {step}: η·dE/d{name} = {change:.3g}, under {limit:g}",
                       name=u.name, step=trace.step, change=rate * u.gradient, limit=MIN_CHANGE)
    return None


@functools.cache
def _largest_slope(name: str) -> float:
    """The activation's largest dout/dnet near net = 0 (0 for a layer-level one such as softmax,
    which is not examined)."""
    act = get_activation(name)
    if act.layer_level:
        return 0.0
    return max(float(act.derivative(net, act.value(net))) for net in (-1.0, 0.0, 1.0))
