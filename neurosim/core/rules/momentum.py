"""momentum — gradient descent with momentum, in the four forms published sources use (`form`).

With g = dE/dw (plus λ·w under coupled weight decay: grad_w5), and the buffer v of the previous
step (v_w5@k; before step 1 the given state, else the form's start):

after-lr  (default; Rumelhart, Hinton & Williams 1986, eq. 9; the PDP software; SNNS
          BackpropMomentum; FANN; Keras):   v = α·v - η·g,   Δw = v            (v is the change)
before-lr (PyTorch SGD(momentum=μ, dampening=τ); PDP++ BEFORE_LRATE):
          v = μ·v + (1-τ)·g,   Δw = -η·v;   the first step v = g (PyTorch starts the buffer at
          the gradient, without dampening; buffer_start = "zero" gives μ·0 + (1-τ)·g instead)
normalized (PDP++ NORMALIZED; MATLAB learngdm; deeplearning.ai's exponential average):
          v = (1-μ)·g + μ·v (v starts at 0; buffer_start = "gradient": v1 = g),   Δw = -η·v
gradient-only (tutorial code, e.g. EBPTA_with_momentum.py): the term added is α times the
          previous gradient step, not the previous change:   v = -η·g,   Δw = v + α·v(t-1)
w+ = w + Δw (decoupled weight decay, SNNS-style: Δw gets + decay, decay = -λ·w).

At a constant η and no dampening, after-lr and before-lr give the same weights (Δw = -η·v_before),
with different v rows; normalized and gradient-only give other weights (the latter from step 3).

Quantities: v_w5 (carried), grad_w5, decay_w5, Δw5.
"""

from __future__ import annotations

import math

import numpy as np

from ...errors import NeurosimError
from ...messages import N_, say
from .base import Rule, at, is_nan, quantity, state_name
from .params import DECAY, DECAY_BIASES, WEIGHT_DECAY, Param, choice, fraction, unit_interval
from .sgd import describe_decay

FORMS = ("after-lr", "before-lr", "normalized", "gradient-only")
FORM_TEXT = {
    "after-lr": (N_("momentum after the learning rate: Rumelhart, Hinton & Williams; PDP; SNNS"),
                 "v = α·v(t-1) - η·dE/dw; Δw = v"),
    "before-lr": (N_("momentum before the learning rate: PyTorch SGD"),
                  "v = μ·v(t-1) + (1-τ)·dE/dw, v(1) = dE/dw; Δw = -η·v"),
    "normalized": (N_("an exponential average: PDP++ NORMALIZED"), "v = (1-μ)·dE/dw + μ·v(t-1); Δw = -η·v"),
    "gradient-only": (N_("momentum on the gradient step only: tutorial code"), "v = -η·dE/dw; Δw = v + α·v(t-1)"),
}


def _buffer_start(form: str, given: str | None) -> str:
    """Where the buffer of the before-lr and normalized forms starts: the first gradient or 0."""
    if given is not None:
        return given
    return "gradient" if form == "before-lr" else "zero"


class Momentum(Rule):
    NAME = "momentum"
    TITLE = "momentum"
    PARAMS = (
        Param("momentum", 0.9, fraction, "α (μ): how much of the previous change (buffer) is added"),
        Param("form", "after-lr", choice(*FORMS), "after-lr | before-lr | normalized | gradient-only"),
        Param("dampening", 0.0, unit_interval, "τ, PyTorch's dampening (before-lr form)"),
        Param("buffer_start", None, choice("gradient", "zero"),
              "the buffer's first value: the gradient (PyTorch) or 0 (before-lr and normalized forms)"),
        WEIGHT_DECAY, DECAY, DECAY_BIASES,
    )
    CARRIED = ("v",)

    @classmethod
    def check_params(cls, params: dict) -> None:
        form = params["form"]
        if params["dampening"] and form != "before-lr":
            raise NeurosimError(f"dampening: only the before-lr form (PyTorch) has dampening, not {form}")
        if params["buffer_start"] is not None and form not in ("before-lr", "normalized"):
            raise NeurosimError(f"buffer_start: the {form} form's buffer starts at 0 (only before-lr and "
                                "normalized take buffer_start)")

    @property
    def form(self) -> str:
        return self.p["form"]

    @property
    def symbol(self) -> str:
        return "α" if self.form in ("after-lr", "gradient-only") else "μ"

    def start(self, p):
        first = {"v": math.nan if _buffer_start(self.form, self.p["buffer_start"]) == "gradient" else 0.0}
        first.update(self.given.get(p, {}))
        return first

    def update(self, p, w, g, keep, keep_param, bias):
        mu, lr, form = self.p["momentum"], self.lr, self.form
        v0 = self.previous(p)["v"]
        grad = self.gradient(w, g, keep, bias)
        if form == "after-lr":
            v = keep(mu * v0 - lr * grad)
            step = v
        elif form == "gradient-only":
            v = keep(-lr * grad)
            step = keep(v + mu * v0)
        else:
            if is_nan(v0):
                v = grad
            elif form == "before-lr":
                v = keep(mu * v0 + (1 - self.p["dampening"]) * grad)
            else:
                v = keep((1 - mu) * grad + mu * v0)
            step = keep(-lr * v)
        return self.finish(p, w, step, keep, keep_param, bias, {"grad": grad, "v": v})

    def rows(self, p, w, g, prev, bias, step):
        state, form = self.state[p], self.form
        mu = (self.symbol, self.p["momentum"])
        grad = self.gradient_symbol(p, g, bias, state["grad"])
        v_name, v0 = state_name("v", p), prev["v"]
        before = (at(v_name, step - 1), v0)
        eta = ("η", self.lr)
        note = ""
        if form == "after-lr":
            v_row = ("{}·{} - {}·{}", (mu, before, eta, grad))
            change = ("{}", ((v_name, state["v"]),))
        elif form == "gradient-only":
            v_row = ("-{}·{}", (eta, grad))
            change = ("{} + {}·{}", ((v_name, state["v"]), mu, before))
        else:
            if is_nan(v0):
                v_row, note = ("{}", (grad,)), N_("the buffer starts at the gradient")
            elif form == "before-lr" and self.p["dampening"]:
                v_row = ("{}·{} + (1 - {})·{}", (mu, before, ("τ", self.p["dampening"]), grad))
            elif form == "before-lr":
                v_row = ("{}·{} + {}", (mu, before, grad))
            else:
                v_row = ("(1 - {})·{} + {}·{}", (mu, grad, mu, before))
            change = ("-{}·{}", (eta, (v_name, state["v"])))
        return (*self.gradient_rows(p, w, g, bias, state["grad"]),
                quantity(v_name, *v_row, state["v"], note), *self.decay_rows(p, w),
                self.change_row(p, *change, bias))

    def update_array(self, W, G, S, bias):
        mu, lr, form = self.p["momentum"], self.lr, self.form
        v0 = S["v"]
        grad = G + self.p["weight_decay"] * W if self.coupled(bias) else G
        if form == "after-lr":
            v = mu * v0 - lr * grad
            step = v
        elif form == "gradient-only":
            v = -lr * grad
            step = v + mu * v0
        else:
            if form == "before-lr":
                later = mu * v0 + (1 - self.p["dampening"]) * grad
            else:
                later = (1 - mu) * grad + mu * v0
            v = np.where(np.isnan(v0), grad, later)
            step = -lr * v
        W_new, change = self.finish_array(W, step, bias)
        return W_new, change, {"v": v}

    def describe(self) -> str:
        text, formula = FORM_TEXT[self.form]
        extras = [f"{self.symbol} = {self.p['momentum']:g}"]
        if self.p["dampening"]:
            extras.append(f"τ = {self.p['dampening']:g}")
        start = _buffer_start(self.form, self.p["buffer_start"])
        if self.form in ("before-lr", "normalized") and start != _buffer_start(self.form, None):
            extras.append(say("buffer started at the gradient") if start == "gradient" else say("buffer started at 0"))
        decay = describe_decay(self)
        return (say("momentum, form {form} ({text}): {formula}, {extras}", form=self.form, text=say(text),
                    formula=formula, extras=", ".join(extras)) + (say("; ") + decay if decay else ""))

    def formulas(self) -> tuple[str, ...]:
        return (*FORM_TEXT[self.form][1].split("; "), "w+ = w + Δw")
