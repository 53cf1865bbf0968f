"""rmsprop — RMSprop as PyTorch computes it (Hinton's lecture 6e; centered: Graves 2013).

With g = dE/dw (plus λ·w under weight decay, which is coupled: grad_w5):
    v = α·v(t-1) + (1-α)·g²                  the mean square (v(0) = 0, no bias correction)
    centered:  gbar = α·gbar(t-1) + (1-α)·g,  denom = √(v - gbar²) + ε
    else:      denom = √v + ε                (ε outside the root, as PyTorch; TensorFlow puts it inside)
    momentum μ > 0:  buf = μ·buf(t-1) + g/denom,  Δw = -η·buf
    else:            Δw = -η·g/denom
    w+ = w + Δw

Quantities: v_w5, gbar_w5, buf_w5 (carried), denom_w5, grad_w5, Δw5.
"""

from __future__ import annotations

import math

import numpy as np

from ...messages import say
from .base import Rule, at, quantity, state_name
from .params import DECAY_BIASES, WEIGHT_DECAY, Param, flag, fraction, non_negative
from .sgd import describe_decay


class RMSprop(Rule):
    NAME = "rmsprop"
    TITLE = "RMSprop"
    PARAMS = (Param("alpha", 0.99, fraction, "α, the smoothing constant of the mean square"),
              Param("eps", 1e-8, non_negative, "ε, added to the root"),
              Param("momentum", 0.0, fraction, "μ of the momentum buffer (0: none)"),
              Param("centered", False, flag, "divide by the root of the variance (v - gbar²)"),
              WEIGHT_DECAY, DECAY_BIASES)
    CARRIED = ("v", "gbar", "buf")

    def in_use(self):
        return ("v",) + (("gbar",) if self.p["centered"] else ()) + (("buf",) if self.p["momentum"] else ())

    def update(self, p, w, g, keep, keep_param, bias):
        alpha, eps, mu = self.p["alpha"], self.p["eps"], self.p["momentum"]
        prev = self.previous(p)
        grad = self.gradient(w, g, keep, bias)
        v = keep(alpha * prev["v"] + (1 - alpha) * (grad * grad))
        values = {"grad": grad, "v": v, "gbar": prev["gbar"], "buf": prev["buf"]}
        if self.p["centered"]:
            gbar = values["gbar"] = keep(alpha * prev["gbar"] + (1 - alpha) * grad)
            denom = keep(math.sqrt(max(v - gbar * gbar, 0.0)) + eps)
        else:
            denom = keep(math.sqrt(v) + eps)
        values["denom"] = denom
        if mu > 0:
            buf = values["buf"] = keep(mu * prev["buf"] + grad / denom)
            step = keep(-self.lr * buf)
        else:
            step = keep(-self.lr * (grad / denom))
        return self.finish(p, w, step, keep, keep_param, bias, values)

    def rows(self, p, w, g, prev, bias, step):
        state = self.state[p]
        grad = self.gradient_symbol(p, g, bias, state["grad"])
        alpha = ("α", self.p["alpha"])
        names = {k: state_name(k, p) for k in ("v", "gbar", "denom", "buf")}
        rows = [*self.gradient_rows(p, w, g, bias, state["grad"]),
                quantity(names["v"], "{}·{} + (1 - {})·{}²",
                         (alpha, (at(names["v"], step - 1), prev["v"]), alpha, grad), state["v"])]
        v, eps = (names["v"], state["v"]), ("ε", self.p["eps"])
        if self.p["centered"]:
            gbar = (names["gbar"], state["gbar"])
            rows.append(quantity(names["gbar"], "{}·{} + (1 - {})·{}",
                                 (alpha, (at(names["gbar"], step - 1), prev["gbar"]), alpha, grad), state["gbar"]))
            rows.append(quantity(names["denom"], "√({} - {}²) + {}", (v, gbar, eps), state["denom"]))
        else:
            rows.append(quantity(names["denom"], "√{} + {}", (v, eps), state["denom"]))
        denom = (names["denom"], state["denom"])
        if self.p["momentum"] > 0:
            rows.append(quantity(names["buf"], "{}·{} + {}/{}", (("μ", self.p["momentum"]),
                                 (at(names["buf"], step - 1), prev["buf"]), grad, denom), state["buf"]))
            rows.append(self.change_row(p, "-{}·{}", (("η", self.lr), (names["buf"], state["buf"])), bias))
        else:
            rows.append(self.change_row(p, "-{}·{}/{}", (("η", self.lr), grad, denom), bias))
        return tuple(rows)

    def update_array(self, W, G, S, bias):
        alpha, eps, mu = self.p["alpha"], self.p["eps"], self.p["momentum"]
        grad = G + self.p["weight_decay"] * W if self.coupled(bias) else G
        new = dict(S)
        v = new["v"] = alpha * S["v"] + (1 - alpha) * (grad * grad)
        if self.p["centered"]:
            gbar = new["gbar"] = alpha * S["gbar"] + (1 - alpha) * grad
            denom = np.sqrt(np.maximum(v - gbar * gbar, 0.0)) + eps
        else:
            denom = np.sqrt(v) + eps
        if mu > 0:
            buf = new["buf"] = mu * S["buf"] + grad / denom
            step = -self.lr * buf
        else:
            step = -self.lr * (grad / denom)
        W_new, change = self.finish_array(W, step, bias)
        return W_new, change, new

    def describe(self) -> str:
        what = say("centered RMSprop") if self.p["centered"] else "RMSprop"
        root = "√(v - gbar²) + ε" if self.p["centered"] else "√v + ε"
        extras = [f"α = {self.p['alpha']:g}", f"ε = {self.p['eps']:g}"]
        if self.p["momentum"]:
            extras.append(say("momentum μ = {mu} (buf = μ·buf + dE/dw/denom, Δw = -η·buf)",
                              mu=f"{self.p['momentum']:g}"))
        decay = describe_decay(self)
        return (say("{name} (PyTorch): v = α·v(t-1) + (1-α)·(dE/dw)², Δw = -η·dE/dw/({root}), {extras}", name=what,
                    root=root, extras=", ".join(extras)) + (say("; ") + decay if decay else ""))

    def formulas(self) -> tuple[str, ...]:
        lines = ["v = α·v(t-1) + (1-α)·(dE/dw)²"]
        if self.p["centered"]:
            lines += ["gbar = α·gbar(t-1) + (1-α)·dE/dw", "denom = √(v - gbar²) + ε"]
        else:
            lines.append("denom = √v + ε")
        if self.p["momentum"]:
            lines += ["buf = μ·buf(t-1) + dE/dw/denom", "Δw = -η·buf"]
        else:
            lines.append("Δw = -η·dE/dw/denom")
        return (*lines, "w+ = w + Δw")
