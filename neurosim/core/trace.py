"""Immutable records of every intermediate value of a training step. Nothing here prints.

A `StepTrace` holds, in the order a person works the example by hand: the forward pass of each
sample (net and out of every neuron), the per-output errors, the backward pass (dE/dout, dout/dnet
and delta of every neuron, hidden dE/dout as the sum of its contributions), and for every weight
and bias the chain-rule factors of its gradient, the gradient, the old and the new value, and the
loss recomputed with the new values ("after").

`StepTrace.quantities()` names every value as DESIGN.md §4 does (net_h1, dE/dw5, w5+, E_total+ …);
in a batch step, per-sample values carry the sample number: net_h1[2].
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import attrs

from ..messages import say
from .conventions import Conventions
from .display import html_of
from .error_summaries import error_summaries
from .lazy import Lazy
from .losses import get_loss
from .rules import RuleQuantity


@attrs.frozen
class Term:
    """One term w·out_source of a weighted sum."""

    weight: str
    weight_value: float
    source: str
    source_value: float


@attrs.frozen
class NeuronForward:
    """net = Σ terms + bias; out = activation(net)."""

    neuron: str
    layer: int
    terms: Sequence[Term]  # a tuple, or its Lazy stand-in
    bias: str | None
    bias_value: float | None
    net: float
    activation: str
    out: float


@attrs.frozen
class OutputError:
    """E_oj: the loss contribution of one output."""

    neuron: str
    target: float
    out: float
    value: float


@attrs.frozen
class Contribution:
    """dE_ok/dout_h = delta_ok · w(h→ok): what one downstream neuron sends back to h."""

    neuron: str
    weight: str
    weight_value: float
    delta: float
    value: float


@attrs.frozen
class NeuronBackward:
    """dE/dout (for hidden neurons the sum of `contributions`), dout/dnet and delta = dE/dnet.

    For a softmax layer, `jacobian_row` holds dout_k/dnet_j for every k, and
    delta_j = Σ_k dE/dout_k · dout_k/dnet_j (dout_dnet is then the diagonal entry).
    `flat_spot` c is included in dout_dnet (f'(net) + c); `tolerated`: an output whose
    |target - out| ≤ dmax, whose dE/dout is 0. `combined`: delta was computed in the combined form of
    the output activation and the loss (core/combined.py: out - target for sigmoid with bce); dE/dout
    may then be infinite.
    """

    neuron: str
    layer: int
    dE_dout: float
    contributions: Sequence[Contribution]  # a tuple, or its Lazy stand-in
    dout_dnet: float
    delta: float
    jacobian_row: tuple[float, ...] | None = None
    flat_spot: float = 0.0
    tolerated: bool = False
    combined: bool = False


@attrs.frozen
class InputGradient:
    """dE/dout of an input (the gradient with respect to the input, dL/dx): the sum of what the
    first layer above sends back, Σ_k delta_k·w(i→k). The terms are kept as parallel tuples (a
    784-input network has 50,000 of them); `contributions` gives them as records."""

    neuron: str
    dE_dout: float
    targets: tuple[str, ...]
    weights: tuple[str, ...]
    weight_values: tuple[float, ...]
    deltas: tuple[float, ...]
    values: tuple[float, ...]

    @property
    def contributions(self) -> tuple[Contribution, ...]:
        return tuple(Contribution(*c) for c in zip(self.targets, self.weights, self.weight_values, self.deltas,
                                                   self.values))


@attrs.frozen
class SampleTrace:
    """Forward pass, errors and backward pass of one sample (down to the inputs' dE/dout)."""

    index: int
    inputs: tuple[float, ...]
    targets: tuple[float, ...]
    forward: tuple[NeuronForward, ...]
    errors: tuple[OutputError, ...]
    E_total: float
    backward: tuple[NeuronBackward, ...]
    input_gradients: tuple[InputGradient, ...] = ()


@attrs.frozen
class Factor:
    """One factor of a chain-rule product, e.g. ('dE/dout_o1', 0.74136507)."""

    name: str
    value: float


@attrs.frozen
class GradientPart:
    """One sample's (and, for a shared bias, one neuron's) share of a gradient: Π factors."""

    sample: int
    neuron: str
    factors: tuple[Factor, ...]
    value: float

    @staticmethod
    def of(sample: int, neuron: str, head: tuple[tuple[str, float], ...], parameter: str, last_value: float,
           value: float) -> GradientPart:
        """The share of `parameter` through `neuron`: the factors `head` as (name, value) pairs (dE/dout,
        dout/dnet or delta), then dnet_neuron/dparameter = last_value (the raw values a Lazy of parts keeps)."""
        return GradientPart(sample, neuron, (*[Factor(name, v) for name, v in head],
                                             Factor(f"dnet_{neuron}/d{parameter}", last_value)), value)


def _last_factors(parts: Sequence[GradientPart]) -> Iterator[tuple[int, str, float, float]]:
    """(sample, name and value of the last chain-rule factor, share) of each part, read from the raw
    values of parts not made yet (GradientPart.of) without making them."""
    if isinstance(parts, Lazy) and parts.make is GradientPart.of and parts.made is None:
        for sample, neuron, _, parameter, last_value, value in parts.values:
            yield sample, f"dnet_{neuron}/d{parameter}", last_value, value
        return
    for part in parts:
        if part.factors:
            yield part.sample, part.factors[-1].name, part.factors[-1].value, part.value


@attrs.frozen
class ParameterUpdate:
    """dE/dp as the sum (or mean) of its parts, and p+ = p + Δp by the learning rule (plain gradient
    descent: Δp = -η·dE/dp); p+ = p when frozen. `rule` holds what the rule computed on the way
    (v_w5, m_w5 … and Δw5 itself; core/rules)."""

    name: str
    kind: str  # "weight" or "bias"
    parts: Sequence[GradientPart]  # a tuple, or its Lazy stand-in
    reduction: str  # "single", "sum" or "mean"
    gradient: float
    old: float
    new: float
    updated: bool
    change: float = 0.0  # Δp
    rule: tuple[RuleQuantity, ...] = ()


@attrs.frozen(repr=False)
class StepTrace:
    """Everything computed in one training step.

    `repr` is one short line; in Jupyter the step shows as its stage tables (`_repr_html_`).
    """

    step: int
    title: str
    network_shape: str
    activations: tuple[str, ...]
    bias_mode: str
    conventions: Conventions
    samples: tuple[SampleTrace, ...]
    E_total: float
    updates: tuple[ParameterUpdate, ...]
    E_total_after: float
    outputs_after: tuple[tuple[tuple[str, float], ...], ...]
    reported: float | None = None  # E_report: the loss a source prints, if it differs (spec report.loss)
    E_decay: float | None = None  # λ/2·Σp², the L2 term coupled weight decay descends (not in E_total)
    # per sample, (neuron, net+, out+) of every neuron after the update (outputs_after: the outputs')
    values_after: tuple[tuple[tuple[str, float, float], ...], ...] = ()
    layer_kinds: tuple[str, ...] = ()  # a network of shared weights: its kinds of layer (conv2d, recurrent …)
    input_names: tuple[str, ...] = ()  # the inputs' names where they are not i1, i2, … (a sequence's i1_t1 …)

    @property
    def header(self) -> str:
        values = dict(step=self.step, shape=self.network_shape, activations="/".join(self.activations))
        heading = (say("{title} — step {step}: {shape} network ({activations})", title=self.title, **values)
                   if self.title else say("Step {step}: {shape} network ({activations})", **values))
        return heading + say("; ") + self.conventions.describe(self.bias_mode, self.layer_kinds)

    def __repr__(self) -> str:
        samples = f", {len(self.samples)} samples" if len(self.samples) > 1 else ""
        return (f"StepTrace(step {self.step}: {self.network_shape} {'/'.join(self.activations)}{samples}, "
                f"E_total={float(self.E_total):.9g} -> E_total+={float(self.E_total_after):.9g}, "
                f"{sum(u.updated for u in self.updates)} of {len(self.updates)} parameters updated)")

    def _repr_html_(self) -> str | None:
        return html_of(self)

    @property
    def has_loss(self) -> bool:
        """False for loss "none" (backpropagation from the outputs themselves: E is not defined)."""
        return get_loss(self.conventions.loss).defined

    def quantities(self) -> dict[str, float]:
        """Every value of the step by its DESIGN.md §4 name, in the order a person computes them
        (loss "none": no E_… values, since there is no loss)."""
        q: dict[str, float] = {}
        batch = len(self.samples) > 1
        for sample in self.samples:
            tag = f"[{sample.index}]" if batch else ""
            for f in sample.forward:
                q[f"net_{f.neuron}{tag}"] = f.net
                q[f"out_{f.neuron}{tag}"] = f.out
            for e in sample.errors:
                q[f"E_{e.neuron}{tag}"] = e.value
            q[f"E_total{tag}" if batch else "E_total"] = sample.E_total
            for b in sample.backward:
                for c in b.contributions:
                    q[f"dE_{c.neuron}/dout_{b.neuron}{tag}"] = c.value
                q[f"dE/dout_{b.neuron}{tag}"] = b.dE_dout
                q[f"dout_{b.neuron}/dnet_{b.neuron}{tag}"] = b.dout_dnet
                q[f"delta_{b.neuron}{tag}"] = b.delta
            for g in sample.input_gradients:
                for target, value in zip(g.targets, g.values):
                    q[f"dE_{target}/dout_{g.neuron}{tag}"] = value
                q[f"dE/dout_{g.neuron}{tag}"] = g.dE_dout
        if batch:
            q["E_total"] = self.E_total
        if self.E_decay is not None:
            q["E_decay"] = self.E_decay
        for u in self.updates:
            if u.kind == "weight":
                for sample, last_name, last_value, value in _last_factors(u.parts):
                    tag = f"[{sample}]" if batch else ""
                    q[f"{last_name}{tag}"] = last_value
                    if batch:
                        q[f"dE/d{u.name}{tag}"] = value
            q[f"dE/d{u.name}"] = u.gradient
            q[u.name] = u.old
            for r in u.rule:  # the learning rule's quantities, Δw5 last
                q[r.name] = r.value
            q.setdefault(f"Δ{u.name}", u.change)
            q[f"{u.name}+"] = u.new
        q["E_total+"] = self.E_total_after
        if self.reported is not None:
            q["E_report"] = self.reported
        after = self.values_after or tuple(tuple((n, None, v) for n, v in outs) for outs in self.outputs_after)
        for index, values in enumerate(after, start=1):
            tag = f"[{index}]" if batch else ""
            for name, net, out in values:
                if net is not None:
                    q[f"net_{name}+{tag}"] = net
                q[f"out_{name}+{tag}"] = out
        if not self.has_loss:
            return {name: v for name, v in q.items() if not name.startswith("E_")}
        q.update(error_summaries(self))
        return q


@attrs.frozen
class StepSummary:
    """One row of the compact per-step table of a long run."""

    step: int
    E_total: float
    E_all_after: float
    outputs_after: tuple[tuple[float, ...], ...]  # a single-sample run's outputs after the step (else empty)
    reported: float | None = None  # E_report before the step (spec report.loss), if asked for
