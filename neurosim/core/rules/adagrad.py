"""adagrad — Adagrad as PyTorch computes it (Duchi, Hazan & Singer 2011, the diagonal form).

With g = dE/dw (plus λ·w under weight decay, which is coupled: grad_w5) and t the step count:
    G = G(t-1) + g²                        (G(0) = initial_accumulator, default 0)
    η_t = η/(1 + (t-1)·lr_decay)
    Δw = -η_t·g/(√G + ε)                   (ε outside the root, default 1e-10)
    w+ = w + Δw

Quantities: G_w5 (the sum of squares, carried), grad_w5, Δw5.
"""

from __future__ import annotations

import math

import numpy as np

from ...messages import say
from .base import Rule, at, quantity, state_name
from .params import DECAY_BIASES, WEIGHT_DECAY, Param, non_negative
from .sgd import describe_decay


class Adagrad(Rule):
    NAME = "adagrad"
    TITLE = "Adagrad"
    PARAMS = (Param("lr_decay", 0.0, non_negative, "η_t = η/(1 + (t-1)·lr_decay)"),
              Param("initial_accumulator", 0.0, non_negative, "G before the first step"),
              Param("eps", 1e-10, non_negative, "ε, added to √G"),
              WEIGHT_DECAY, DECAY_BIASES)
    CARRIED = ("G",)
    COUNTERS = ("t",)  # the step count in the formulas

    def start(self, p):
        first = {"G": self.p["initial_accumulator"]}
        first.update(self.given.get(p, {}))
        return first

    def rate(self) -> float:
        """η_t = η/(1 + (t-1)·lr_decay)."""
        return self.lr / (1 + (self.t - 1) * self.p["lr_decay"])

    def update(self, p, w, g, keep, keep_param, bias):
        grad = self.gradient(w, g, keep, bias)
        G = keep(self.previous(p)["G"] + grad * grad)
        step = keep(-self.rate() * (grad / (math.sqrt(G) + self.p["eps"])))
        return self.finish(p, w, step, keep, keep_param, bias, {"grad": grad, "G": G})

    def rows(self, p, w, g, prev, bias, step):
        state = self.state[p]
        grad = self.gradient_symbol(p, g, bias, state["grad"])
        G_name = state_name("G", p)
        G_row = quantity(G_name, "{} + {}²", ((at(G_name, step - 1), prev["G"]), grad), state["G"])
        eps = ("ε", self.p["eps"])
        if self.p["lr_decay"]:
            template = "-{}/(1 + {}·{})·{}/(√{} + {})"
            operands = (("η", self.lr), ("(t - 1)", self.t - 1), ("lr_decay", self.p["lr_decay"]), grad,
                        (G_name, state["G"]), eps)
        else:
            template, operands = "-{}·{}/(√{} + {})", (("η", self.lr), grad, (G_name, state["G"]), eps)
        return (*self.gradient_rows(p, w, g, bias, state["grad"]), G_row, self.change_row(p, template, operands, bias))

    def update_array(self, W, G, S, bias):
        grad = G + self.p["weight_decay"] * W if self.coupled(bias) else G
        total = S["G"] + grad * grad
        W_new, change = self.finish_array(W, -self.rate() * (grad / (np.sqrt(total) + self.p["eps"])), bias)
        return W_new, change, {"G": total}

    def describe(self) -> str:
        extras = [f"ε = {self.p['eps']:g}"]
        if self.p["lr_decay"]:
            extras.append(f"lr_decay = {self.p['lr_decay']:g}")
        if self.p["initial_accumulator"]:
            extras.append(f"G(0) = {self.p['initial_accumulator']:g}")
        decay = describe_decay(self)
        return (say("Adagrad (PyTorch): G = G(t-1) + (dE/dw)², Δw = -η·dE/dw/(√G + ε), {extras}",
                    extras=", ".join(extras)) + (say("; ") + decay if decay else ""))

    def formulas(self) -> tuple[str, ...]:
        return ("G = G(t-1) + (dE/dw)²", "Δw = -η/(1 + (t-1)·lr_decay)·dE/dw/(√G + ε)", "w+ = w + Δw")
