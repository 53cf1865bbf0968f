"""The exercise as the engines compute it under some named mistakes (mistakes.py): a `Variant`.

A variant says declaratively what differs from the exercise — its conventions (learning rate,
order, mode, bias update, arithmetic), the bias layout, how the activation derivative is taken
(as it should be, omitted, or applied to net instead of out), a factor on dE/dout (a flipped sign
-1, a kept factor 2), the error averaged over the outputs, or an engine hook — so the traced step
can be given the wrapped activations and loss (`build`, `engine_conventions`) and the candidate
engine (engines/candidates.py) the same changes as numbers (`knobs`).
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from ..core.activations import Activation, get_activation
from ..core.conventions import Conventions
from ..core.exercise import Spec
from ..core.losses import Loss, get_loss
from ..core.network import Network, bias_names, build_network, neuron_names
from ..core.step import StepHooks
from ..engines.candidates import Knobs

DERIVATIVES = ("normal", "omitted", "of-net")


@attrs.frozen
class Variant:
    """The exercise under some mistakes.

    bias_mode    None: the exercise's; otherwise shared or per-neuron (values carried over)
    derivative   dout/dnet as it should be (normal), left out (omitted: 1), or of-net (f'(net, net)),
                 in every layer or in `derivative_layers` only (1 = the first hidden layer)
    loss_scale   a factor on dE/dout (-1: the sign flipped; 2: the factor 2 kept)
    per_output   E and dE/dout divided by the number of outputs
    hooks        a StepHooks factory (None: the engine's default behaviour)
    """

    conventions: Conventions
    bias_mode: str | None = None
    derivative: str = "normal"
    derivative_layers: tuple[int, ...] | None = None  # the layers (1 = the first hidden) it is taken so in
    loss_scale: float = 1.0
    per_output: bool = False
    hooks: Callable[[], StepHooks] | None = None
    shared: bool = False  # a network with shared weights: built by its own builder, never batched

    @classmethod
    def of(cls, spec: Spec) -> Variant:
        return cls(spec.conventions, shared=spec.architecture is not None)

    def with_conventions(self, **changes) -> Variant:
        return attrs.evolve(self, conventions=attrs.evolve(self.conventions, **changes))

    @property
    def engine_conventions(self) -> Conventions:
        """The conventions with the variant's loss (sign, factor, mean over the outputs) in them."""
        if self.loss_scale == 1 and not self.per_output:
            return self.conventions
        return attrs.evolve(self.conventions, loss=_loss(get_loss(self.conventions.loss), self.loss_scale,
                                                         self.per_output))

    @property
    def batchable(self) -> bool:
        """True when the candidate engine can run it: plain gradient descent (no learning rule with
        state, no flat spot or tolerance), no hook, no hand rounding, float64 or float32."""
        conv = self.conventions
        arithmetic = conv.arithmetic
        return (not self.shared and self.hooks is None and arithmetic.round_to is None
                and arithmetic.dtype in ("float64", "float32")
                and conv.rule.plain and not conv.flat_spot and not conv.tolerance)

    def knobs(self, spec: Spec) -> Knobs:
        conv = self.conventions
        return Knobs(conv.learning_rate, self.loss_scale, self.per_output, self.derivative, self.derivative_layers,
                     conv.mode, conv.update_biases, (self.bias_mode or spec.bias) == "shared",
                     conv.order == "sequential")

    def activations(self, spec: Spec) -> list[Activation]:
        """Every layer's activation, its derivative taken the variant's way."""
        acts = [get_activation(a) for a in spec.activations]
        layers = self.derivative_layers or range(1, len(acts) + 1)
        if self.derivative == "omitted":
            return [attrs.evolve(a, derivative_formula="1 (omitted)", derivative_from=lambda net, out: out * 0 + 1)
                    if k in layers else a for k, a in enumerate(acts, start=1)]
        if self.derivative == "of-net":
            return [attrs.evolve(a, derivative_formula=a.derivative_formula.replace("{out}", "{net}"),
                                 derivative_from=_of_net(a.derivative_from)) if k in layers else a
                    for k, a in enumerate(acts, start=1)]
        return acts

    def build(self, spec: Spec, base: Network | None = None) -> tuple[Network, dict[str, str]]:
        """The network to train, and the names of the exercise's biases in it (b1 → b_h1 when the
        variant gives each neuron its own copy of a shared bias; b_h1, b_h2 → b1 the other way).
        `base`: the exercise's network, if already built (it is not changed)."""
        base = base or spec.build_network()
        params = base.parameters()
        if spec.architecture is not None:  # shared weights: the same layers, the variant's activations
            from ..core.shared_network import build_shared
            network = build_shared(spec.architecture, self.activations(spec), params,
                                   store=self.conventions.arithmetic.store_param)
            network.prepare(self.conventions)
            return network, {}
        mode = self.bias_mode or spec.bias
        aliases: dict[str, str] = {}
        if mode != spec.bias:
            layers = neuron_names(spec.layers)[1:]
            shared = bias_names(spec.layers, "shared")
            for b, names in zip(shared, layers):
                per = [f"b_{n}" for n in names]
                if mode == "per-neuron":
                    for p in per:
                        params[p] = params[b]
                    del params[b]
                    aliases[b] = per[0]
                else:
                    params[b] = params[per[0]]
                    for p in per:
                        del params[p]
                        aliases[p] = b
        network = build_network(spec.layers, self.activations(spec), params, bias_mode=mode,
                                arithmetic=self.conventions.arithmetic)
        return network, aliases


def _of_net(f):
    return lambda net, out: f(net, net)


def _loss(loss: Loss, scale: float, per_output: bool) -> Loss:
    """The loss with dE/dout multiplied by `scale` and, `per_output`, E and dE/dout divided by n."""
    term, d = loss.term, loss.derivative
    name = loss.name + {-1: ", sign flipped", 2: ", factor 2 kept", -2: ", sign flipped, factor 2 kept"}.get(scale, "")
    if per_output:
        return attrs.evolve(loss, name=f"{name} / n", term=lambda t, o, n: term(t, o, n) / n,
                            derivative=lambda t, o, n: scale * d(t, o, n) / n)
    return attrs.evolve(loss, name=name, derivative=lambda t, o, n: scale * d(t, o, n))
