"""sgd — plain gradient descent, the default: w+ = w - η·dE/dw.

Without weight decay this is neurosim's arithmetic before learning rules existed, bit for bit
(`plain`: the engines keep their own code for it). Δw = -η·dE/dw is recorded as a quantity of its
own (it is not recomputed as w+ - w).

Weight decay λ (`weight_decay`, `decay`, `decay_biases`):
    coupled   (PyTorch SGD weight_decay; L2 λ/2·Σw² in the loss)   grad = dE/dw + λ·w,  Δw = -η·grad
    decoupled (SNNS BackpropWeightDecay: Δw = η·δ·o - d·w, d not scaled by η)
              decay = -λ·w,  Δw = -η·dE/dw + decay
    w+ = w + Δw

Quantities: grad_w5 (coupled decay), decay_w5 (decoupled), Δw5. No state is carried.
"""

from __future__ import annotations

from ...messages import say
from .base import CHANGE, Rule, quantity, state_name
from .params import DECAY, DECAY_BIASES, WEIGHT_DECAY


class SGD(Rule):
    NAME = "sgd"
    TITLE = "plain gradient descent"
    PARAMS = (WEIGHT_DECAY, DECAY, DECAY_BIASES)

    def __init__(self, config, learning_rate):
        super().__init__(config, learning_rate)
        self._plain = self.p["weight_decay"] == 0 and not config.wraps

    @property
    def plain(self) -> bool:
        return self._plain

    def update(self, p, w, g, keep, keep_param, bias):
        lr = self.lr
        if self._plain:  # neurosim's arithmetic before rules, bit for bit
            change = keep(-lr * g)
            self.state[p] = {CHANGE: change}
            return keep_param(w - lr * g), change
        if self.decoupled(bias):
            return self.finish(p, w, keep(-lr * g), keep, keep_param, bias, {})
        grad = self.gradient(w, g, keep, bias)
        change = keep(-lr * grad)
        self.state[p] = {"grad": grad, CHANGE: change}
        return keep_param(w - lr * grad), change  # the formula of Connection.calculate_update

    def rows(self, p, w, g, prev, bias, step):
        state = self.state[p]
        if self._plain:
            return (quantity(state_name(CHANGE, p), "-{}·{}", (("η", self.lr), (f"dE/d{p}", g)), state[CHANGE]),)
        grad = self.gradient_symbol(p, g, bias, state.get("grad", g))
        return (*self.gradient_rows(p, w, g, bias, state.get("grad", g)), *self.decay_rows(p, w),
                self.change_row(p, "-{}·{}", (("η", self.lr), grad), bias))

    def update_array(self, W, G, S, bias):
        if self.coupled(bias):
            G = G + self.p["weight_decay"] * W
        if self.decoupled(bias):
            W_new, change = self.finish_array(W, -self.lr * G, bias)
            return W_new, change, {}
        return W - self.lr * G, -self.lr * G, {}

    def describe(self) -> str:
        if self.plain:
            return say("plain gradient descent (w+ = w - η·dE/dw)")
        return say("gradient descent with {decay}", decay=describe_decay(self))

    def formulas(self) -> tuple[str, ...]:
        if self.plain:
            return ("w+ = w - η·dE/dw",)
        return (*decay_formulas(self), "w+ = w + Δw")


def describe_decay(rule: Rule, scaled: str = "λ·w") -> str:
    """'weight decay λ = 0.01, coupled (λ·w added to dE/dw), biases too' (empty without decay)."""
    wd = rule.p.get("weight_decay", 0.0)
    if not wd:
        return ""
    how = (say("decoupled: {scaled} taken off the weight", scaled=scaled) if rule.decoupled(False)
           or rule.decoupled(True) else say("coupled: λ·w added to dE/dw"))
    biases = say("biases too") if rule.p.get("decay_biases", True) else say("biases not decayed")
    return say("weight decay λ = {wd} ({how}; {biases})", wd=f"{wd:g}", how=how, biases=biases)


def decay_formulas(rule: Rule, step: str = "-η·dE/dw") -> tuple[str, ...]:
    """grad = dE/dw + λ·w (coupled) or Δw = step + decay (decoupled), for the worked solutions."""
    if rule.p.get("decay", "coupled") == "coupled":
        return ("grad = dE/dw + λ·w", f"Δw = {step.replace('dE/dw', 'grad')}")
    return ("decay = -λ·w", f"Δw = {step} + decay")


__all__ = ["SGD", "decay_formulas", "describe_decay", "state_name"]
