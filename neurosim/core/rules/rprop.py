"""rprop — resilient backpropagation: only the sign of dE/dw is used, each weight has its own step
size (Riedmiller & Braun 1993, ICNN pp. 586-591; Igel & Hüsken 2000, NC'2000 pp. 115-121).

With g = dE/dw (plus λ·w under weight decay, coupled: grad_w5), prev the gradient remembered from
the last step (0 before the first) and step(0) = initial_step (RB93: 0.1):
    sign = sign(g·prev)
    sign > 0: step = min(step(t-1)·η+, step_max)     sign < 0: step = max(step(t-1)·η-, step_min)
    sign = 0: step = step(t-1)
    Δw = -sign(g)·step, prev = g, except after a change of sign (sign < 0), where
        rprop-   (Igel & Hüsken)   Δw = -sign(g)·step, prev = g      (no backtracking)
        irprop-  (Igel & Hüsken; PyTorch Rprop; SNNS)   Δw = 0, prev = 0
        rprop+   (Riedmiller & Braun: weight backtracking)   Δw = -Δw(t-1), prev = 0
        irprop+  (Igel & Hüsken)   Δw = -Δw(t-1) if E_total rose (E(t) > E(t-1)), else 0; prev = 0
    w+ = w + Δw
Defaults: etas = (η-, η+) = (0.5, 1.2), step_sizes = (step_min, step_max) = (1e-6, 50),
variant "irprop-" (what PyTorch's Rprop computes, with lr = initial_step). E_total is the loss of
the step before its update (without the weight-decay term).

Quantities: sign_w5, step_w5, prev_w5, Δw5 (step, prev and Δw5 carried), grad_w5.
"""

from __future__ import annotations

import numpy as np

from ...errors import NeurosimError
from ...messages import N_, say
from .base import CHANGE, Rule, at, quantity, state_name
from .params import DECAY_BIASES, WEIGHT_DECAY, Param, choice, pair, positive
from .sgd import describe_decay

VARIANTS = ("irprop-", "rprop-", "rprop+", "irprop+")


def _sign(x: float) -> float:
    return 1.0 if x > 0 else (-1.0 if x < 0 else 0.0)


def _etas(name: str, value) -> tuple[float, float]:
    minus, plus = pair(name, value)
    if not 0 < minus < 1 or plus <= 1:
        raise NeurosimError(f"{name}: expected (η-, η+) with 0 < η- < 1 < η+, got ({minus:g}, {plus:g})")
    return minus, plus


def _step_sizes(name: str, value) -> tuple[float, float]:
    low, high = pair(name, value)
    if low < 0:
        raise NeurosimError(f"{name}: the smallest step size must not be negative, got {low:g}")
    if low > high:
        raise NeurosimError(f"{name}: (step_min, step_max) in the wrong order: {low:g} > {high:g}")
    return low, high


class Rprop(Rule):
    NAME = "rprop"
    TITLE = "Rprop"
    PARAMS = (Param("etas", (0.5, 1.2), _etas, "(η-, η+): how a step size shrinks and grows"),
              Param("step_sizes", (1e-6, 50.0), _step_sizes, "(step_min, step_max)"),
              Param("initial_step", 0.1, positive, "every step size before the first step (PyTorch: lr)"),
              Param("variant", "irprop-", choice(*VARIANTS), "irprop- | rprop- | rprop+ | irprop+"),
              WEIGHT_DECAY, DECAY_BIASES)
    CARRIED = ("step", "prev", CHANGE)
    COUNTERS = ("E_total",)

    @classmethod
    def check_params(cls, params: dict) -> None:
        low, high = params["step_sizes"]
        if not low <= params["initial_step"] <= high:
            raise NeurosimError(f"initial_step: {params['initial_step']:g} is outside step_sizes ({low:g}, {high:g})")

    def start(self, p):
        first = {"step": self.p["initial_step"], "prev": 0.0, CHANGE: 0.0}
        first.update(self.given.get(p, {}))
        return first

    def backtracks(self) -> bool:
        """After a change of sign, is the previous step taken back? (rprop+ always, irprop+ if E rose)"""
        variant = self.p["variant"]
        rose = self.E is not None and self.E_prev is not None and self.E > self.E_prev
        return variant == "rprop+" or (variant == "irprop+" and rose)

    def update(self, p, w, g, keep, keep_param, bias):
        (minus, plus), (low, high) = self.p["etas"], self.p["step_sizes"]
        prev = self.previous(p)
        grad = self.gradient(w, g, keep, bias)
        sign = _sign(grad * prev["prev"])
        factor = plus if sign > 0 else (minus if sign < 0 else 1.0)
        step = keep(min(max(prev["step"] * factor, low), high))
        if sign < 0 and self.p["variant"] != "rprop-":
            change = keep(-prev[CHANGE]) if self.backtracks() else 0.0
            remembered = 0.0
        else:
            change = keep(-_sign(grad) * step)
            remembered = grad
        self.state[p] = {"grad": grad, "sign": sign, "step": step, "prev": remembered, CHANGE: change}
        return keep_param(w + change), change

    def rows(self, p, w, g, prev, bias, step):
        state = self.state[p]
        (minus, plus), (low, high) = self.p["etas"], self.p["step_sizes"]
        grad = self.gradient_symbol(p, g, bias, state["grad"])
        names = {k: state_name(k, p) for k in ("sign", "step", "prev", CHANGE)}
        before = {k: (at(names[k], step - 1), prev[k]) for k in ("step", "prev", CHANGE)}
        rows = [*self.gradient_rows(p, w, g, bias, state["grad"]),
                quantity(names["sign"], "sign({}·{})", (grad, before["prev"]), state["sign"])]
        if state["sign"] > 0:
            rows.append(quantity(names["step"], "min({}·{}, {})", (before["step"], ("η+", plus), ("step_max", high)),
                                 state["step"], "same sign: the step grows"))
        elif state["sign"] < 0:
            rows.append(quantity(names["step"], "max({}·{}, {})", (before["step"], ("η-", minus), ("step_min", low)),
                                 state["step"], "the sign changed: the step shrinks"))
        else:
            rows.append(quantity(names["step"], "{}", (before["step"],), state["step"]))
        step_row = ("-sign({})·{}", (grad, (names["step"], state["step"])), "")
        if state["sign"] < 0 and self.p["variant"] != "rprop-":
            if self.backtracks():
                rose = " (E_total rose)" if self.p["variant"] == "irprop+" else ""
                step_row = ("-{}", (before[CHANGE],), f"the sign changed: the previous step is taken back{rose}")
            else:
                step_row = ("0", (), "the sign changed: no step")
            rows.append(quantity(names["prev"], "0", (), 0.0, N_("forgotten after a change of sign")))
        else:
            rows.append(quantity(names["prev"], "{}", (grad,), state["prev"]))
        rows.append(quantity(names[CHANGE], *step_row[:2], state[CHANGE], step_row[2]))
        return tuple(rows)

    def update_array(self, W, G, S, bias):
        (minus, plus), (low, high) = self.p["etas"], self.p["step_sizes"]
        grad = G + self.p["weight_decay"] * W if self.coupled(bias) else G
        sign = np.sign(grad * S["prev"])
        factor = np.where(sign > 0, plus, np.where(sign < 0, minus, 1.0))
        step = np.minimum(np.maximum(S["step"] * factor, low), high)
        plain = -np.sign(grad) * step
        if self.p["variant"] == "rprop-":
            change, remembered = plain, grad
        else:
            changed = sign < 0
            back = -S[CHANGE] if self.backtracks() else np.zeros_like(plain)
            change = np.where(changed, back, plain)
            remembered = np.where(changed, 0.0, grad)
        change = np.asarray(change, dtype=W.dtype)
        return W + change, change, {"step": step, "prev": np.asarray(remembered, dtype=W.dtype), CHANGE: change}

    def describe(self) -> str:
        (minus, plus), (low, high) = self.p["etas"], self.p["step_sizes"]
        names = {"irprop-": N_("iRprop- (Igel & Hüsken; PyTorch Rprop)"), "rprop-": N_("Rprop- (Igel & Hüsken)"),
                 "rprop+": N_("Rprop+ with weight backtracking (Riedmiller & Braun)"),
                 "irprop+": N_("iRprop+ (Igel & Hüsken)")}
        decay = describe_decay(self)
        return (say("{name}: Δw = -sign(dE/dw)·step, η- = {minus}, η+ = {plus}, step sizes in [{low}, {high}] from "
                    "{start}", name=say(names[self.p["variant"]]), minus=f"{minus:g}", plus=f"{plus:g}", low=f"{low:g}",
                    high=f"{high:g}", start=f"{self.p['initial_step']:g}") + (say("; ") + decay if decay else ""))

    def formulas(self) -> tuple[str, ...]:
        after = {"irprop-": "Δw = 0, prev = 0", "rprop-": "Δw = -sign(dE/dw)·step",
                 "rprop+": "Δw = -Δw(t-1), prev = 0", "irprop+": "Δw = -Δw(t-1) if E rose, else 0; prev = 0"}
        return ("sign = sign(dE/dw·prev)",
                "step = min(step(t-1)·η+, step_max) if sign > 0; max(step(t-1)·η-, step_min) if sign < 0",
                "Δw = -sign(dE/dw)·step, prev = dE/dw", f"after a change of sign: {after[self.p['variant']]}",
                "w+ = w + Δw")
