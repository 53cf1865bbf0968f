"""Gradient check: every analytic dE/dp of the first step beside a finite-difference estimate.

Numeric gradient (check/numeric.py, on the matrix engine): central differences with one Richardson step,
    D(h) = (E(p + h) - E(p - h)) / 2h,     dE/dp ≈ (4·D(h/2) - D(h)) / 3,
whose truncation error is O(h⁴) (≈1e-12 at h = 1e-3) while the rounding noise stays about
ε·|E|/h ≈ 1e-13·|E| (plain central differences with h ≈ 1e-6 have ~1e-10·|E| of noise).
A parameter passes when |analytic - numeric| ≤ ATOL or ≤ RTOL·max(|analytic|, |numeric|).
The check runs in float64 without hand rounding, whatever the scenario's arithmetic, and checks the
gradient of the loss: a sequential order, a flat spot or a tolerance, which change a step's dE/dp on
purpose, are set aside (`loss_gradient`; the command says so).
Near the kink of relu / leaky_relu (a net input within 2h of 0) a derivative is one-sided, so
such parameters are shown but not counted.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ..core.arithmetic import exact
from ..core.conventions import Conventions
from ..core.network import Network
from ..core.step import layer_values, sample_loss, trace_step
from ..messages import say
from ..views.elide import ELIDED_AT_SIZE, RowGroup, Shown, join_terms, select_rows
from ..views.numbers import DEFAULT_DIGITS, fmt, fmt_operand
from ..views.tables import Table
from .numeric import numeric_gradients

STEP = 1e-3
RTOL = 1e-6
ATOL = 1e-9
KINKED = ("relu", "leaky_relu")


@attrs.frozen
class GradientCheck:
    """One parameter: the chain-rule factors and analytic gradient, the numeric one, the errors."""

    name: str
    chain: str
    factors: str
    analytic: float
    numeric: float
    abs_error: float
    rel_error: float
    at_kink: bool

    @property
    def ok(self) -> bool:
        return self.at_kink or self.abs_error <= ATOL or self.rel_error <= RTOL


def numeric_gradient(network: Network, samples, conventions: Conventions, name: str, h: float = STEP) -> float:
    """(4·D(h/2) - D(h))/3 with D the central difference in parameter `name`, on the network's objects
    (one parameter at a time; check/numeric.py computes every one at once on the matrix engine)."""
    def central(step: float) -> float:
        value = network.parameters()[name]
        plus, minus = network.copy(), network.copy()
        plus.set_parameters({name: value + step})
        minus.set_parameters({name: value - step})
        return (sample_loss(plus, samples, conventions) - sample_loss(minus, samples, conventions)) / (2 * step)
    return (4 * central(h / 2) - central(h)) / 3


def _at_kink(network: Network, samples, h: float) -> bool:
    for inputs, _ in samples:
        for layer, values in zip(network.layers[1:], layer_values(network, inputs, exact)):
            if layer.activation.name in KINKED and any(abs(net) < 2 * h for net, _ in values):
                return True
    return False


def loss_gradient(conventions: Conventions) -> tuple[Conventions, tuple[str, ...]]:
    """The conventions under which a step's dE/dp is the gradient of the loss at the parameters
    before the step — float64 without hand rounding, every gradient from the old weights
    (simultaneous), dout/dnet and dE/dout as the formulas give them (no flat spot, no tolerance)
    — and, in words, the exercise's conventions that were set aside for it."""
    aside = []
    if conventions.order == "sequential":
        aside.append(say("the sequential order (its hidden deltas use the updated weights above)"))
    if conventions.flat_spot:
        aside.append(say("the flat spot ({c} added to dout/dnet)", c=f"{conventions.flat_spot:g}"))
    if conventions.tolerance:
        aside.append(say("the tolerance (an output within {dmax} of its target sends back 0)",
                          dmax=f"{conventions.tolerance:g}"))
    if conventions.bptt:
        aside.append(say("the truncation of BPTT after {k} steps (a truncated gradient is not the loss's)",
                         k=conventions.bptt))
    if conventions.time_update == "per_step":
        aside.append(say("the update after every time step (real-time BPTT: checked here as the whole sequence's "
                         "loss, one update)"))
    arithmetic = attrs.evolve(conventions.arithmetic, dtype="float64", round_to=None)
    return attrs.evolve(conventions, arithmetic=arithmetic, order="simultaneous", flat_spot=0.0, tolerance=0.0,
                        bptt=0, time_update="sequence"), tuple(aside)


def check_gradients(network: Network, samples: Sequence, conventions: Conventions) -> list[GradientCheck]:
    """Every weight and bias of `network` (unchanged) for one step on `samples`: the gradient of the
    loss (`loss_gradient`), whatever the exercise's conventions."""
    conventions = loss_gradient(conventions)[0]
    reference = network.copy()
    trace = trace_step(network.copy(), samples, conventions)
    kink = _at_kink(reference, samples, STEP)
    if getattr(reference, "architecture", None) is not None:  # shared weights: on the objects, one at a time
        numeric = {name: numeric_gradient(reference, samples, conventions, name)
                   for name in reference.parameter_names()}
    else:
        numeric = numeric_gradients(reference, samples, conventions, STEP)  # all at once, on the matrix engine
    results = []
    for update in trace.updates:
        if len(update.parts) == 1:
            chain = "·".join(f.name for f in update.parts[0].factors)
            factors = "·".join(fmt_operand(f.value, DEFAULT_DIGITS) for f in update.parts[0].factors)
        elif update.reduction == "single":  # shared: a bias's deltas, a weight's delta·dnet/dw per use
            chain = join_terms([f"delta_{p.neuron}" + (f"·{p.factors[-1].name}" if update.kind == "weight" else "")
                                for p in update.parts], count="terms")
            factors = join_terms([fmt_operand(p.value, DEFAULT_DIGITS) for p in update.parts])
        else:
            reduce = "Σ" if update.reduction != "mean" else f"(1/{len(samples)})·Σ"
            first = update.parts[0]
            chain = say("{sum} over {count} parts of {factors}", sum=reduce, count=len(update.parts),
                        factors="·".join(f.name for f in first.factors))
            factors = " + ".join(fmt_operand(p.value, DEFAULT_DIGITS) for p in update.parts[:4]) + (
                " + …" if len(update.parts) > 4 else "")
        analytic = float(update.gradient)
        estimate = numeric[update.name]
        abs_error = abs(analytic - estimate)
        scale = max(abs(analytic), abs(estimate))
        rel_error = abs_error / scale if scale > 0 else 0.0
        results.append(GradientCheck(update.name, chain, factors, analytic, estimate, abs_error, rel_error, kink))
    return results


def gradcheck_table(results: Sequence[GradientCheck], digits: int = DEFAULT_DIGITS,
                    shown: Shown = ELIDED_AT_SIZE) -> Table:
    """One row per parameter; at size the first and last rows and a summary of the errors (elide.py)."""
    def row(r: GradientCheck) -> tuple[str, ...]:
        return (r.name, r.chain, r.factors, fmt(r.analytic, digits), fmt(r.numeric, digits), f"{r.abs_error:.2e}",
                f"{r.rel_error:.2e}", say("at a kink (not counted)") if r.at_kink else (say("ok") if r.ok else
                                                                                       say("EXCEEDS")))
    groups = [RowGroup(r.name, (r.name, f"dE/d{r.name}"), (("abs error", r.name, r.abs_error),
                                                           ("rel error", r.name, r.rel_error)), 1,
                       lambda r=r: [row(r)]) for r in results]
    headers = (say("parameter"), say("dE/dp = chain rule"), say("factors"), say("analytic"),
               say("numeric (central, Richardson)"), say("abs error"), say("rel error"), say("verdict"))
    rows, note = select_rows(groups, shown, len(headers), "parameters", largest="rel error")
    return Table(say("Gradient check: analytic against numeric dE/dp, first step"), headers, rows, note)


def tolerance_text() -> str:
    return say("tolerance: |analytic - numeric| ≤ {atol} or relative error ≤ {rtol}; numeric gradient: central "
               "differences at h = {h} and h/2 combined by one Richardson step (error O(h⁴))", atol=f"{ATOL:g}",
               rtol=f"{RTOL:g}", h=f"{STEP:g}")
