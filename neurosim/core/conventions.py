"""The conventions that published backprop examples differ on (DESIGN.md §5), named in every trace."""

from __future__ import annotations

import math

import attrs

from ..errors import NeurosimError
from ..messages import N_, say
from .arithmetic import Arithmetic
from .losses import Loss, get_loss
from .rules import RuleConfig

ORDERS = ("simultaneous", "sequential")
MODES = ("online", "batch-sum", "batch-mean")
KERNELS = ("cross-correlation", "convolution")
TIME_LOSSES = ("sum", "mean")
TIME_UPDATES = ("sequence", "per_step")
ORDER_TEXT = {"simultaneous": N_("simultaneous update"), "sequential": N_("sequential update")}
MODE_TEXT = {"online": N_("online"), "batch-sum": N_("batch-sum"), "batch-mean": N_("batch-mean")}


def _one_of(field_name: str, choices: tuple[str, ...]):
    def check(instance, attribute, value):
        if value not in choices:
            raise NeurosimError(say("{field}: unknown value {value!r} (choose from {choices})", field=field_name,
                                    value=value, choices=", ".join(choices)))
    return check


def _check_learning_rate(instance, attribute, value):
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value) or value <= 0:
        raise NeurosimError(say("learning_rate: must be a positive finite number, got {value!r}", value=value))


def _check_loss(instance, attribute, value):
    if not isinstance(value, (str, Loss)):  # (a Loss: the diagnosis's changed losses, check/mistakes.py)
        raise NeurosimError(say("loss: expected a loss name such as \"half_sse\", got {value!r}", value=value))
    get_loss(value)


def _not_negative(instance, attribute, value):
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value) or value < 0:
        raise NeurosimError(say("{field}: must be a finite number ≥ 0, got {value!r}", field=attribute.name,
                                value=value))


def _boolean(instance, attribute, value):
    if not isinstance(value, bool):
        raise NeurosimError(say("{field}: expected true or false, got {value!r}", field=attribute.name, value=value))


def _instance_of(cls: type, example: str):
    def check(instance, attribute, value):
        if not isinstance(value, cls):
            raise NeurosimError(say("{field}: expected {example}, got {value!r}", field=attribute.name,
                                    example=example, value=value))
    return check


def _whole(instance, attribute, value):
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise NeurosimError(say("{field}: must be a whole number ≥ 0, got {value!r}", field=attribute.name,
                                value=value))


@attrs.frozen
class Conventions:
    """Everything that decides how one training step is computed.

    loss            half_sse (Mazur's ½Σ(t-o)²), sse, mse, mae, bce or cce
    learning_rate   η in w+ = w - η·dE/dw
    update_biases   False freezes the biases, as Mazur's blog does
    order           simultaneous: every gradient from the pre-update weights (standard);
                    sequential: a layer's weights are updated before the layer below
                    computes its deltas, so it sees the new downstream weights
    mode            online (one sample a step), batch-sum or batch-mean (one step per epoch,
                    per-sample gradients summed or averaged)
    arithmetic      float64, float32, or hand rounding to K decimals
    rule            the learning rule and its form (core/rules: sgd, momentum, adam …)
    flat_spot       c added to every dout/dnet (SNNS, Fahlman's flat-spot elimination; 0: none)
    tolerance       dmax: an output with |target - out| ≤ dmax sends back dE/dout = 0 (SNNS; 0: none)
    kernel          cross-correlation (the kernel as written, as every framework computes) or
                    convolution (the kernel turned by 180°, as signal-processing textbooks define it)
    bptt            0: full backpropagation through time; k: truncated, dE/dh carried back through
                    W_hh within blocks of k time steps counted back from the last (detaching h
                    every k steps; with a target at the last step only: back k steps)
    time_loss       a sequence's loss summed over its time steps, or their mean
    time_update     sequence: the gradient summed over the sequence, then applied once (epochwise
                    BPTT); per_step: real-time BPTT (Williams & Zipser), each time step's loss E_t's
                    gradient applied at once, the next step computed with the new weights
                    (core/time_steps.py)
    """

    loss: str = attrs.field(default="half_sse", validator=_check_loss)
    learning_rate: float = attrs.field(default=0.5, validator=_check_learning_rate)
    update_biases: bool = attrs.field(default=True, validator=_boolean)
    order: str = attrs.field(default="simultaneous", validator=_one_of("order", ORDERS))
    mode: str = attrs.field(default="online", validator=_one_of("mode", MODES))
    arithmetic: Arithmetic = attrs.field(default=Arithmetic(), validator=_instance_of(
        Arithmetic, "an Arithmetic such as Arithmetic(\"float32\") or Arithmetic(round_to=4)"))
    rule: RuleConfig = attrs.field(default=RuleConfig(), validator=_instance_of(
        RuleConfig, "a learning rule made by rule_config, such as rule_config(\"momentum\", {\"momentum\": 0.9})"))
    flat_spot: float = attrs.field(default=0.0, validator=_not_negative)
    tolerance: float = attrs.field(default=0.0, validator=_not_negative)
    kernel: str = attrs.field(default="cross-correlation", validator=_one_of("kernel", KERNELS))
    bptt: int = attrs.field(default=0, validator=_whole)
    time_loss: str = attrs.field(default="sum", validator=_one_of("time_loss", TIME_LOSSES))
    time_update: str = attrs.field(default="sequence", validator=_one_of("time_update", TIME_UPDATES))

    def __attrs_post_init__(self) -> None:
        if self.order == "sequential" and self.mode != "online":
            raise NeurosimError("order: 'sequential' updates need mode 'online' (one sample a step)")
        if self.time_update == "per_step" and self.mode != "online":
            raise NeurosimError(say("time_update: 'per_step' updates after every time step of one sequence: it needs "
                                    "mode 'online' (one sequence a step)"))

    def describe(self, bias_mode: str, kinds: tuple[str, ...] = ()) -> str:
        """One line naming every convention, printed in every trace header.

        `bias_mode` is the network's (shared, per-neuron, per-unit or none) and `kinds` the kinds of
        layer it has (a convolution's or a recurrent layer's conventions are named where it has
        one): both are part of the network's shape, so the network carries them.
        """
        updated = self.update_biases
        bias = {"none": say("no biases"),
                "shared": say("shared biases, updated") if updated else say("shared biases, frozen"),
                "per-neuron": say("per-neuron biases, updated") if updated else say("per-neuron biases, frozen"),
                "per-unit": say("a bias per kernel or unit, updated") if updated else
                say("a bias per kernel or unit, frozen")}
        parts = (say("loss {name} ({formula})", name=self.loss, formula=get_loss(self.loss).formula),
                 say("learning rate {rate}", rate=f"{self.learning_rate:g}"),
                 bias[bias_mode],
                 say(ORDER_TEXT[self.order]), say(MODE_TEXT[self.mode]), self.arithmetic.describe(),
                 *self.describe_sharing(kinds))
        return say("; ").join(parts) + self.describe_rule()

    def describe_sharing(self, kinds: tuple[str, ...]) -> list[str]:
        """The conventions of shared weights the network's layer `kinds` use: how a kernel is laid,
        how far BPTT goes back, how the loss is taken over time."""
        parts = []
        if "conv1d" in kinds or "conv2d" in kinds:
            parts.append(say("cross-correlation (the kernel as written)") if self.kernel == "cross-correlation"
                         else say("true convolution (the kernel turned by 180°)"))
        if "recurrent" in kinds:
            parts.append(say("full BPTT") if not self.bptt else
                         say("BPTT truncated after {k} steps (dE/dh carried back through the recurrent weights "
                             "(W_hh; a Jordan layer's W_yh) within blocks of {k} steps, counted back from the last)",
                             k=self.bptt))
            parts.append(say("loss summed over time") if self.time_loss == "sum" else say("loss averaged over time"))
            parts.append(say("gradient summed over the sequence, then applied once") if self.time_update == "sequence"
                         else say("real-time BPTT: each time step's gradient applied at that step (a run step is "
                                  "one time step)"))
        return parts

    def describe_rule(self) -> str:
        """'; learning rule …; flat spot c = 0.1; tolerance dmax = 0.1' (nothing for plain gradient descent)."""
        parts = [] if self.rule.plain else [say("learning rule {rule}", rule=self.rule.describe())]
        if self.flat_spot:
            parts.append(say("flat spot c = {c} added to dout/dnet", c=f"{self.flat_spot:g}"))
        if self.tolerance:
            parts.append(say("tolerance dmax = {dmax} (|target - out| ≤ dmax sends back 0)",
                             dmax=f"{self.tolerance:g}"))
        return "".join(say("; ") + p for p in parts)

    def make_rule(self):
        """A fresh learning-rule object (its state before step 1) for these conventions."""
        return self.rule.make(self.learning_rate)

