"""quickprop — Fahlman's Quickprop (Fahlman 1988, CMU-CS-88-162; the code of his quickprop1.lisp,
which SNNS and FANN follow): each weight jumps towards the minimum of a parabola through its last
two slopes.

With the slope S = dE/dw + λ·w (λ = weight_decay, from the first step as in Fahlman's code and
FANN), S(t-1) and Δw(t-1) of the last step (0 before the first), η the learning rate (Fahlman's ε)
and μ the maximum growth factor (default 1.75), shrink = μ/(1+μ):
    Δw(t-1) = 0:   Δw = -η·S                                         (a gradient step)
    Δw(t-1) > 0:   Δw = (-η·S if S < 0, else 0) + q
    Δw(t-1) < 0:   Δw = (-η·S if S > 0, else 0) + q
    where q = μ·Δw(t-1) if the parabola's step would be too large or uphill
              (S < shrink·S(t-1) after a positive step, S > shrink·S(t-1) after a negative one),
          q = S/(S(t-1) - S)·Δw(t-1) otherwise (the step to the parabola's minimum)
    w+ = w + Δw
(S(t-1) = S, where the parabola is undefined, takes μ·Δw(t-1) — or 0 if S = 0 too.) Fahlman's
sigmoid-prime offset is the separate `flat_spot` convention; his splitting of ε by the fan-in and
SNNS's missing decay in the first epoch are not modelled.

Quantities: slope_w5 and Δw5 (carried).
"""

from __future__ import annotations

import numpy as np

from ...messages import N_, say
from .base import CHANGE, Rule, at, quantity, state_name
from .params import DECAY_BIASES, WEIGHT_DECAY, Param, positive


class Quickprop(Rule):
    NAME = "quickprop"
    TITLE = "Quickprop"
    PARAMS = (Param("mu", 1.75, positive, "μ, the maximum growth factor of a step"), WEIGHT_DECAY, DECAY_BIASES)
    CARRIED = ("slope", CHANGE)

    def branch(self, S: float, S0: float, d0: float) -> str:
        """'gradient', 'quadratic' or 'maximum' (see the module docstring)."""
        if d0 == 0:
            return "gradient"
        shrink = self.p["mu"] / (1 + self.p["mu"])
        too_far = S < shrink * S0 if d0 > 0 else S > shrink * S0
        return "maximum" if too_far or S0 == S else "quadratic"

    def linear(self, S: float, d0: float) -> bool:
        """Is -η·S added (the slope still points the way of the last step, or the last step was 0)?"""
        return d0 == 0 or (S < 0 if d0 > 0 else S > 0)

    def update(self, p, w, g, keep, keep_param, bias):
        prev = self.previous(p)
        S0, d0 = prev["slope"], prev[CHANGE]
        S = keep(g + self.p["weight_decay"] * w) if self.decays(bias) else g
        branch = self.branch(S, S0, d0)
        step = -self.lr * S if self.linear(S, d0) else 0.0
        if branch == "maximum":
            step += self.p["mu"] * d0 if S != 0 or S0 != S else 0.0
        elif branch == "quadratic":
            step += S / (S0 - S) * d0
        change = keep(step)
        self.state[p] = {"slope": S, CHANGE: change}
        return keep_param(w + change), change

    def rows(self, p, w, g, prev, bias, step):
        state = self.state[p]
        slope, change = state_name("slope", p), state_name(CHANGE, p)
        S0, d0 = prev["slope"], prev[CHANGE]
        S = state["slope"]
        rows = []
        if self.decays(bias):
            rows.append(quantity(slope, "{} + {}·{}", ((f"dE/d{p}", g), ("λ", self.p["weight_decay"]), (p, w)), S))
        else:
            rows.append(quantity(slope, "{}", ((f"dE/d{p}", g),), S))
        eta, mu = ("η", self.lr), ("μ", self.p["mu"])
        S_now, S_before, d_before = (slope, S), (at(slope, step - 1), S0), (at(change, step - 1), d0)
        branch = self.branch(S, S0, d0)
        terms, operands = [], []
        if self.linear(S, d0):
            terms.append("-{}·{}")
            operands += [eta, S_now]
        if branch == "maximum":
            terms.append("{}·{}")
            operands += [mu, d_before]
        elif branch == "quadratic":
            terms.append("{}/({} - {})·{}")
            operands += [S_now, S_before, S_now, d_before]
        note = {"gradient": N_("the last step was 0: a gradient step"), "maximum": N_("the maximum growth μ·Δw(t-1)"),
                "quadratic": N_("the step to the parabola's minimum")}[branch]
        rows.append(quantity(change, " + ".join(terms) or "0", operands, state[CHANGE], note))
        return tuple(rows)

    def update_array(self, W, G, S, bias):
        mu = self.p["mu"]
        S0, d0 = S["slope"], S[CHANGE]
        slope = G + self.p["weight_decay"] * W if self.decays(bias) else G
        shrink = mu / (1 + mu)
        too_far = np.where(d0 > 0, slope < shrink * S0, slope > shrink * S0)
        maximum = (d0 != 0) & (too_far | (S0 == slope))
        linear = (d0 == 0) | np.where(d0 > 0, slope < 0, slope > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            quadratic = slope / (S0 - slope) * d0
        capped = np.where((slope != 0) | (S0 != slope), mu * d0, 0.0)
        step = np.where(linear, -self.lr * slope, 0.0) + np.where(
            maximum, capped, np.where(d0 != 0, quadratic, 0.0))
        step = np.asarray(step, dtype=W.dtype)
        return W + step, step, {"slope": slope, CHANGE: step}

    def describe(self) -> str:
        decay = (say(", weight decay λ = {wd} in the slope", wd=f"{self.p['weight_decay']:g}")
                 if self.p["weight_decay"] else "")
        return say("Quickprop (Fahlman 1988): Δw = S/(S(t-1) - S)·Δw(t-1) (+ -η·S), at most μ·Δw(t-1), μ = {mu}",
                   mu=f"{self.p['mu']:g}") + decay

    def formulas(self) -> tuple[str, ...]:
        return ("S = dE/dw + λ·w", "Δw = -η·S if Δw(t-1) = 0",
                "else Δw = S/(S(t-1) - S)·Δw(t-1), at most μ·Δw(t-1), plus -η·S while S points the way of Δw(t-1)",
                "w+ = w + Δw")
