"""The catalog of named conventions and mistakes that the diagnosis tries (`neurosim mistakes`).

Each entry has a stable kebab-case id, a one-line explanation, and turns the exercise's `Variant`
(variant.py: conventions, bias layout, how dout/dnet is taken, a factor on dE/dout, hooks) into the
variant computed with that mistake — or says it does not apply (the learning rate is already 1,
there are no biases, …). Nothing is special-cased in the trainer: a mistake is a change of
conventions, a wrapped activation or loss, or the engine's one hook point (core.step.StepHooks).

Entries of the same `group` change the same thing and are never combined (round-3 with round-5).
Entries are applied in catalog order, so an entry can depend on one before it (a bias layout only
matters when the biases are updated: per-neuron-bias applies with biases-updated, or when the
exercise updates them). An entry that would change nothing does not apply.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from ..core.arithmetic import CHOP, HABITS, MAX_DECIMALS, Arithmetic
from ..core.exercise import Spec
from ..core.network import neuron_names
from ..core.step import StepHooks, layer_values
from ..engines.neuron_loop import fast_step
from ..messages import N_, say
from .reach import FORWARD, GRADIENT, HIDDEN_BACKWARD, LOSS, OUTPUT_BACKWARD, UPDATE
from .rule_mistakes import ENTRIES as RULE_ENTRIES
from .variant import Variant


@attrs.frozen
class Mistake:
    """A named convention or mistake: `apply` gives the variant computed with it, or None when it
    does not apply to this exercise (or would change nothing)."""

    id: str
    explanation: str
    group: str
    apply: Callable[[Variant, Spec], Variant | None] = attrs.field(repr=False)
    stage: int = FORWARD  # the first stage of a step it changes (reach.py)
    cost: int = 1  # how unusual an explanation it is (truncating: 2); ranks explanations of one size
    by_hand: bool = False  # a habit of hand calculation: tried on exercises of hand size only

    def describe(self) -> str:
        """The explanation in the active language (a rounding habit's with its K)."""
        habit, _, decimals = self.id.rpartition("-")
        if habit in HABITS and decimals.isdigit():
            return HABITS[habit].describe(int(decimals)).replace(" 1 decimals", " 1 decimal")
        return say(self.explanation)


class NewForwardValuesInDnetDw(StepHooks):
    """dnet_j/dw_ij = out_i taken from a forward pass with the step's updated weights.

    Before the step, the step is computed on a copy of the network; the outputs of every neuron
    with the updated parameters then stand in for out_i in each dnet_j/dw_ij.
    """

    def __init__(self) -> None:
        self.outs: dict[int, dict[str, float]] = {}

    def prepare(self, network, samples, conventions) -> None:
        updated = network.copy()
        fast_step(updated, samples, conventions, rule=None if self.rule is None else self.rule.copy())
        arithmetic = conventions.arithmetic
        self.outs = {}
        for index, (inputs, _) in enumerate(samples, start=1):
            values = layer_values(updated, inputs, arithmetic.keeper(), arithmetic.storer())
            self.outs[index] = {n.name: out for layer, vals in zip(updated.layers[1:], values)
                                for n, (_, out) in zip(layer.neurons, vals)}

    def dnet_dw(self, connection, sample: int) -> float:
        return self.outs[sample].get(connection.source.name, connection.source.out)


class LastTimeStepOnly(StepHooks):
    """A shared weight's gradient from the last time step alone: the share of every connection into
    a neuron of an earlier step (h1_t1, o1_t1 …) taken as 0 (dnet/dw = 0 there)."""

    def prepare(self, network, samples, conventions) -> None:
        self.last = network.architecture.steps

    def dnet_dw(self, connection, sample: int) -> float:
        head, _, t = connection.target.name.rpartition("_t")
        return 0.0 if head and t.isdigit() and int(t) < self.last else connection.calculate_dnet_dw()


# -- the catalog -------------------------------------------------------------------------------------
def _rounding(habit: str, k: int):
    def apply(v: Variant, spec: Spec):
        arithmetic = v.conventions.arithmetic
        if arithmetic.round_to == k and arithmetic.habit == habit:
            return None
        return v.with_conventions(arithmetic=Arithmetic(arithmetic.dtype, k, habit))
    return apply


def _habit_entries() -> tuple[Mistake, ...]:
    """round-K, round-written-K, round-forward-K and chop-K for K = 0..15 (core/arithmetic.py HABITS)."""
    return tuple(Mistake(habit.id(k), habit.description.format(k=k).replace(" 1 decimals", " 1 decimal"),
                         "arithmetic", _rounding(habit.name, k), FORWARD, 2 if habit.method == CHOP else 1,
                         by_hand=True)
                 for habit in HABITS.values() for k in range(MAX_DECIMALS + 1))


def _has_biases(spec: Spec) -> bool:
    return spec.bias != "none"


_LAST_EQUAL: list = [None, False]  # (spec, answer) of the last call: a diagnosis asks for each pair


def _equal_per_layer(spec: Spec) -> bool:
    if _LAST_EQUAL[0] is not spec:
        params = spec.build_network().parameters()
        _LAST_EQUAL[:] = [spec, all(len({params[f"b_{n}"] for n in names}) == 1
                                    for names in neuron_names(spec.layers)[1:])]
    return _LAST_EQUAL[1]


def _in_layers(v: Variant, spec: Spec, derivative: str, hidden: bool) -> Variant | None:
    """The derivative taken another way in the hidden layers only, or the output layer only (a
    network with hidden layers)."""
    depth = len(spec.layers) - 1
    if depth < 2:
        return None
    layers = tuple(range(1, depth)) if hidden else (depth,)
    return attrs.evolve(v, derivative=derivative, derivative_layers=layers)


def _outputs(spec: Spec) -> int:
    return spec.layers[-1]


def _recurrent(spec: Spec) -> bool:
    """A recurrent layer (its W_hh shared by every time step: no sequential order)."""
    return spec.architecture is not None and spec.architecture.recurrent


def _conv(spec: Spec) -> bool:
    return spec.architecture is not None and any(layer.kind in ("conv1d", "conv2d")
                                                 for layer in spec.architecture.layers)


def _truncated(change: int):
    """BPTT truncated `change` steps earlier (-1) or later (+1) than the exercise's k (full BPTT: as if
    k were T; a k of T or more is full BPTT)."""
    def apply(v: Variant, s: Spec):
        if not _recurrent(s) or s.architecture.steps < 2:
            return None
        steps = s.architecture.steps
        k = (v.conventions.bptt or steps) + change
        k = 0 if k >= steps else k
        return v.with_conventions(bptt=k) if k >= 1 or (k == 0 and v.conventions.bptt) else None
    return apply


CATALOG: tuple[Mistake, ...] = (
    Mistake("sequential-update",
            N_("a layer's new weights used by the layer below (w5+ in place of w5 when backpropagating to w1)"),
            "order", lambda v, s: v.with_conventions(order="sequential")
            if v.conventions.order == "simultaneous" and v.conventions.mode == "online" and not _recurrent(s) else None,
            HIDDEN_BACKWARD),
    *_habit_entries(),
    Mistake("no-activation-derivative",
            N_("the activation derivative dout/dnet left out of the chain rule (taken as 1)"),
            "derivative", lambda v, s: attrs.evolve(v, derivative="omitted"), OUTPUT_BACKWARD),
    Mistake("derivative-of-net",
            N_("the derivative formula applied to net instead of out: net·(1-net) for the sigmoid "
               "(as the NeuralNet of the Chinese blog “Zen and the Art of Computer Programming” does)"),
            "derivative", lambda v, s: attrs.evolve(v, derivative="of-net"), OUTPUT_BACKWARD),
    # the layer-wide entries in one layer only
    Mistake("no-activation-derivative-hidden",
            N_("the activation derivative dout/dnet left out in the hidden layers only (taken as 1)"),
            "derivative", lambda v, s: _in_layers(v, s, "omitted", hidden=True), HIDDEN_BACKWARD),
    Mistake("no-activation-derivative-output",
            N_("the activation derivative dout/dnet left out in the output layer only (taken as 1)"),
            "derivative", lambda v, s: _in_layers(v, s, "omitted", hidden=False), OUTPUT_BACKWARD),
    Mistake("derivative-of-net-hidden",
            N_("the derivative formula applied to net instead of out in the hidden layers only"),
            "derivative", lambda v, s: _in_layers(v, s, "of-net", hidden=True), HIDDEN_BACKWARD),
    Mistake("sign-flipped",
            N_("the error's sign flipped: dE/dout = (target - out) instead of -(target - out)"),
            "sign", lambda v, s: attrs.evolve(v, loss_scale=-v.loss_scale), OUTPUT_BACKWARD),
    Mistake("no-learning-rate",
            N_("the learning rate left out: w+ = w - dE/dw"),
            "learning-rate", lambda v, s: v.with_conventions(learning_rate=1.0)
            if v.conventions.learning_rate != 1 else None, UPDATE),
    Mistake("factor-2-kept",
            N_("the factor 2 of the square kept instead of cancelled by the ½: dE/dout = -2(target - out)"),
            "factor-2", lambda v, s: attrs.evolve(v, loss_scale=2 * v.loss_scale) if s.conventions.loss == "half_sse"
            else None,
            OUTPUT_BACKWARD),
    Mistake("mean-over-outputs",
            N_("the error averaged over the outputs instead of summed (E and dE/dout divided by their number)"),
            "mean-outputs", lambda v, s: attrs.evolve(v, per_output=True)
            if s.conventions.loss in ("half_sse", "sse") and _outputs(s) > 1 else None, LOSS),
    Mistake("mean-over-batch",
            N_("the gradients of a batch averaged instead of summed"),
            "batch", lambda v, s: v.with_conventions(mode="batch-mean")
            if v.conventions.mode == "batch-sum" and len(s.inputs) > 1 else None, LOSS),
    Mistake("sum-over-batch",
            N_("the gradients of a batch summed instead of averaged"),
            "batch", lambda v, s: v.with_conventions(mode="batch-sum")
            if v.conventions.mode == "batch-mean" and len(s.inputs) > 1 else None, LOSS),
    Mistake("biases-updated",
            N_("the biases updated, where the exercise keeps them frozen"),
            "bias-update", lambda v, s: v.with_conventions(update_biases=True)
            if _has_biases(s) and not v.conventions.update_biases else None, UPDATE),
    Mistake("biases-frozen",
            N_("the biases left unchanged, where the exercise updates them"),
            "bias-update", lambda v, s: v.with_conventions(update_biases=False)
            if _has_biases(s) and v.conventions.update_biases else None, UPDATE),
    Mistake("per-neuron-bias",
            N_("each neuron given its own copy of the layer's shared bias (b1+ from delta_h1 alone, not the sum "
               "over the layer)"),
            "bias-mode", lambda v, s: attrs.evolve(v, bias_mode="per-neuron")
            if s.bias == "shared" and v.conventions.update_biases else None, GRADIENT),
    Mistake("shared-bias",
            N_("one bias per layer shared by its neurons (dE/db the sum of the layer's deltas), where each neuron "
               "has its own"),
            "bias-mode", lambda v, s: attrs.evolve(v, bias_mode="shared")
            if s.bias == "per-neuron" and v.conventions.update_biases and _equal_per_layer(s) else None, GRADIENT),
    Mistake("new-weight-in-dnet-dw",
            N_("dnet/dw = out of the neuron below taken with the updated weights (out_h1 recomputed with w1+..w4+ "
               "in dE/dw5), where the old ones belong"),
            "dnet-dw", lambda v, s: attrs.evolve(v, hooks=NewForwardValuesInDnetDw) if len(s.layers) > 2 else None,
            GRADIENT, by_hand=True),
    Mistake("kernel-flipped",
            N_("the kernel turned by 180° (a true convolution) where the exercise slides it as written "
               "(cross-correlation)"),
            "kernel", lambda v, s: v.with_conventions(kernel="convolution")
            if _conv(s) and v.conventions.kernel == "cross-correlation" else None, FORWARD),
    Mistake("kernel-not-flipped",
            N_("the kernel slid as written (cross-correlation) where the exercise turns it by 180° (a true "
               "convolution)"),
            "kernel", lambda v, s: v.with_conventions(kernel="cross-correlation")
            if _conv(s) and v.conventions.kernel == "convolution" else None, FORWARD),
    Mistake("bptt-truncated-early",
            N_("BPTT truncated one step too early: dE/dh carried back through the recurrent weights "
               "(W_hh; a Jordan layer's W_yh) one step less"),
            "bptt", _truncated(-1), HIDDEN_BACKWARD),
    Mistake("bptt-truncated-late",
            N_("BPTT truncated one step too late: dE/dh carried back through the recurrent weights "
               "(W_hh; a Jordan layer's W_yh) one step more"),
            "bptt", _truncated(+1), HIDDEN_BACKWARD),
    Mistake("last-time-step-only",
            N_("a shared weight's gradient from the last time step alone (the shares of the earlier steps left "
               "out of the sum)"),
            "time-sum", lambda v, s: attrs.evolve(v, hooks=LastTimeStepOnly) if _recurrent(s) else None, GRADIENT),
    Mistake("updated-once-per-sequence",
            N_("the gradient summed over the whole sequence and applied once, where each time step's gradient is "
               "applied at that step (real-time BPTT)"),
            "time-update", lambda v, s: v.with_conventions(time_update="sequence")
            if _recurrent(s) and v.conventions.time_update == "per_step" else None, LOSS),
    Mistake("float32",
            N_("float32 arithmetic (NumPy/PyTorch float32 arrays) instead of float64"),
            "arithmetic", lambda v, s: v.with_conventions(arithmetic=Arithmetic("float32"))
            if v.conventions.arithmetic.is_exact_float64 else None),
    # the learning rules' forms and slips (rule_mistakes.py): they change the update, except the two
    # that change the output layer's dE/dout (tolerance) and dout/dnet (flat spot)
    *(Mistake(*entry, stage=OUTPUT_BACKWARD if entry[2] in ("tolerance", "flat-spot") else UPDATE)
      for entry in RULE_ENTRIES),
)

BY_ID: dict[str, Mistake] = {m.id: m for m in CATALOG}


def catalog_lines() -> list[tuple[str, str]]:
    """(id, explanation) of every entry in the active language, a rounding habit once for all K
    (round-written-K …)."""
    lines, done = [], []
    for m in CATALOG:
        habit = m.id.rpartition("-")[0]
        if habit in HABITS:
            if habit not in done:
                done.append(habit)
                lines.append((f"{habit}-K", HABITS[habit].describe("K")))
        else:
            lines.append((m.id, m.describe()))
    return lines


def apply_mistakes(spec: Spec, mistakes: tuple[Mistake, ...]) -> Variant | None:
    """The exercise's variant with every one of `mistakes` in it, or None if one does not apply or
    two of them change the same thing."""
    groups = [m.group for m in mistakes]
    if len(set(groups)) != len(groups):
        return None
    variant = Variant.of(spec)
    for m in mistakes:
        variant = m.apply(variant, spec)
        if variant is None:
            return None
    return variant
