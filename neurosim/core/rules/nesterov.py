"""nesterov — Nesterov momentum in PyTorch's form (SGD(momentum=μ, nesterov=True)).

With g = dE/dw (plus λ·w under coupled weight decay: grad_w5):
    v = μ·v(t-1) + g    (the first step v = g: PyTorch starts the buffer at the gradient)
    Δw = -η·(g + μ·v)   (the gradient plus the momentum buffer looked ahead)
    w+ = w + Δw         (decoupled weight decay: Δw gets + decay, decay = -λ·w)

Quantities: v_w5 (carried), grad_w5, decay_w5, Δw5.
"""

from __future__ import annotations

import math

import numpy as np

from ...errors import NeurosimError
from ...messages import N_, say
from .base import Rule, at, is_nan, quantity, state_name
from .params import DECAY, DECAY_BIASES, WEIGHT_DECAY, Param, fraction
from .sgd import describe_decay


class Nesterov(Rule):
    NAME = "nesterov"
    TITLE = "Nesterov momentum"
    PARAMS = (Param("momentum", 0.9, fraction, "μ: the share of the buffer (must be above 0)"),
              WEIGHT_DECAY, DECAY, DECAY_BIASES)
    CARRIED = ("v",)
    FIRST = {"v": math.nan}  # no buffer yet: the first step takes v = g

    @classmethod
    def check_params(cls, params: dict) -> None:
        if params["momentum"] == 0:
            raise NeurosimError("momentum: Nesterov momentum needs a momentum above 0")

    def update(self, p, w, g, keep, keep_param, bias):
        mu = self.p["momentum"]
        v0 = self.previous(p)["v"]
        grad = self.gradient(w, g, keep, bias)
        v = grad if is_nan(v0) else keep(mu * v0 + grad)
        step = keep(-self.lr * (grad + mu * v))
        return self.finish(p, w, step, keep, keep_param, bias, {"grad": grad, "v": v})

    def rows(self, p, w, g, prev, bias, step):
        state = self.state[p]
        mu = ("μ", self.p["momentum"])
        grad = self.gradient_symbol(p, g, bias, state["grad"])
        v_name = state_name("v", p)
        if is_nan(prev["v"]):
            v_row = quantity(v_name, "{}", (grad,), state["v"], N_("the buffer starts at the gradient"))
        else:
            v_row = quantity(v_name, "{}·{} + {}", (mu, (at(v_name, step - 1), prev["v"]), grad), state["v"])
        return (*self.gradient_rows(p, w, g, bias, state["grad"]), v_row, *self.decay_rows(p, w),
                self.change_row(p, "-{}·({} + {}·{})", (("η", self.lr), grad, mu, (v_name, state["v"])), bias))

    def update_array(self, W, G, S, bias):
        mu = self.p["momentum"]
        grad = G + self.p["weight_decay"] * W if self.coupled(bias) else G
        v = np.where(np.isnan(S["v"]), grad, mu * S["v"] + grad)
        W_new, change = self.finish_array(W, -self.lr * (grad + mu * v), bias)
        return W_new, change, {"v": v}

    def describe(self) -> str:
        decay = describe_decay(self)
        return (say("Nesterov momentum (PyTorch): v = μ·v(t-1) + dE/dw, v(1) = dE/dw; Δw = -η·(dE/dw + μ·v), "
                    "μ = {mu}", mu=f"{self.p['momentum']:g}") + (say("; ") + decay if decay else ""))

    def formulas(self) -> tuple[str, ...]:
        return ("v = μ·v(t-1) + dE/dw", "Δw = -η·(dE/dw + μ·v)", "w+ = w + Δw")
