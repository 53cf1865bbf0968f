"""adam, adamw — Adam (Kingma & Ba 2015, Algorithm 1; PyTorch Adam) and AdamW (Loshchilov & Hutter
2019 as PyTorch computes it).

With g = dE/dw (plus λ·w under coupled weight decay: grad_w5) and t the step count (1 at the
first step; a [training.rule.state] t = k starts the count at k):
    m = β1·m(t-1) + (1-β1)·g             v = β2·v(t-1) + (1-β2)·g²          (m(0) = v(0) = 0)
    amsgrad:  vmax = max(vmax(t-1), v)   (PyTorch: the max of the raw v), used in place of v below
    bias_correction, eps_form = "corrected" (the paper's Algorithm 1, PyTorch):
        mhat = m/(1-β1^t),  vhat = v/(1-β2^t),  Δw = -η·mhat/(√vhat + ε)
    eps_form = "uncorrected" (TensorFlow/Keras: the paper's "ε̂" form, ε on the uncorrected root):
        Δw = -η·√(1-β2^t)/(1-β1^t)·m/(√v + ε)
    bias_correction = false:  Δw = -η·m/(√v + ε)
    w+ = w + Δw
AdamW: decay = -η·λ·w (decoupled, PyTorch's scaling by η, default λ = 0.01), Δw = the step + decay.

Quantities: m_w5, v_w5, vmax_w5 (carried), mhat_w5, vhat_w5, grad_w5, decay_w5, Δw5.
"""

from __future__ import annotations

import math

import numpy as np

from ...messages import say
from .base import Rule, at, quantity, state_name
from .params import DECAY, DECAY_BIASES, Param, choice, flag, fraction_pair, non_negative
from .sgd import describe_decay

EPS_FORMS = ("corrected", "uncorrected")


class Adam(Rule):
    NAME = "adam"
    TITLE = "Adam"
    PARAMS = (Param("betas", (0.9, 0.999), fraction_pair, "(β1, β2): the decay rates of m and v"),
              Param("eps", 1e-8, non_negative, "ε, added to the root"),
              Param("bias_correction", True, flag, "divide m and v by 1 - β^t"),
              Param("eps_form", "corrected", choice(*EPS_FORMS),
                    "corrected: ε on √vhat (the paper, PyTorch); uncorrected: on √v (TensorFlow's ε̂)"),
              Param("amsgrad", False, flag, "use vmax = max(vmax(t-1), v) in place of v (PyTorch's AMSGrad)"),
              Param("weight_decay", 0.0, non_negative, "weight decay λ (0: none)"), DECAY, DECAY_BIASES)
    CARRIED = ("m", "v", "vmax")
    COUNTERS = ("t",)  # the step count in the formulas

    def __init__(self, config, learning_rate):
        super().__init__(config, learning_rate)
        self._corrected = self.p["bias_correction"] and self.p["eps_form"] == "corrected"
        self._factors: tuple[int, tuple[float, float]] | None = None  # (t, factors()) of the step in progress

    def in_use(self):
        return self.CARRIED if self.p["amsgrad"] else ("m", "v")

    @property
    def corrected(self) -> bool:
        """The bias-corrected form with ε on the corrected root (mhat, vhat)."""
        return self._corrected

    def decay_term(self, w, keep):
        return keep(-self.lr * self.p["weight_decay"] * w)  # AdamW: θ ← θ - γ·λ·θ

    def decay_array(self, W):
        return -self.lr * self.p["weight_decay"] * W

    def factors(self) -> tuple[float, float]:
        """(1 - β1^t, 1 - β2^t), or (1, 1) without bias correction."""
        if not self.p["bias_correction"]:
            return 1.0, 1.0
        made = self._factors  # (the same for every parameter of a step: computed once)
        if made is None or made[0] != self.t:
            b1, b2 = self.p["betas"]
            made = self._factors = (self.t, (1 - b1 ** self.t, 1 - b2 ** self.t))
        return made[1]

    def update(self, p, w, g, keep, keep_param, bias):
        (b1, b2), eps = self.p["betas"], self.p["eps"]
        prev = self.previous(p)
        grad = self.gradient(w, g, keep, bias)
        m = keep(b1 * prev["m"] + (1 - b1) * grad)
        v = keep(b2 * prev["v"] + (1 - b2) * (grad * grad))
        vmax = keep(max(prev["vmax"], v)) if self.p["amsgrad"] else prev["vmax"]
        values = {"grad": grad, "m": m, "v": v, "vmax": vmax}
        second = vmax if self.p["amsgrad"] else v
        c1, c2 = self.factors()
        if self._corrected:
            mhat = values["mhat"] = keep(m / c1)
            vhat = values["vhat"] = keep(second / c2)
            step = keep(-self.lr * mhat / (math.sqrt(vhat) + eps))
        else:
            step = keep(-self.lr * math.sqrt(c2) / c1 * m / (math.sqrt(second) + eps))
        return self.finish(p, w, step, keep, keep_param, bias, values)

    def rows(self, p, w, g, prev, bias, step):
        state = self.state[p]
        (b1, b2), eta, eps = self.p["betas"], ("η", self.lr), ("ε", self.p["eps"])
        grad = self.gradient_symbol(p, g, bias, state["grad"])
        names = {k: state_name(k, p) for k in ("m", "v", "vmax", "mhat", "vhat")}
        rows = [*self.gradient_rows(p, w, g, bias, state["grad"]),
                quantity(names["m"], "{}·{} + (1 - {})·{}", (("β1", b1), (at(names["m"], step - 1), prev["m"]),
                                                             ("β1", b1), grad), state["m"]),
                quantity(names["v"], "{}·{} + (1 - {})·{}²", (("β2", b2), (at(names["v"], step - 1), prev["v"]),
                                                              ("β2", b2), grad), state["v"])]
        second = (names["v"], state["v"])
        if self.p["amsgrad"]:
            rows.append(quantity(names["vmax"], "max({}, {})", ((at(names["vmax"], step - 1), prev["vmax"]), second),
                                 state["vmax"]))
            second = (names["vmax"], state["vmax"])
        m, t = (names["m"], state["m"]), ("t", self.t)
        if self.corrected:
            rows += [quantity(names["mhat"], "{}/(1 - {}^{})", (m, ("β1", b1), t), state["mhat"]),
                     quantity(names["vhat"], "{}/(1 - {}^{})", (second, ("β2", b2), t), state["vhat"]),
                     self.change_row(p, "-{}·{}/(√{} + {})", (eta, (names["mhat"], state["mhat"]),
                                                              (names["vhat"], state["vhat"]), eps), bias)]
        elif self.p["bias_correction"]:
            rows.append(self.change_row(p, "-{}·√(1 - {}^{})/(1 - {}^{})·{}/(√{} + {})",
                                        (eta, ("β2", b2), t, ("β1", b1), t, m, second, eps), bias))
        else:
            rows.append(self.change_row(p, "-{}·{}/(√{} + {})", (eta, m, second, eps), bias))
        if "decay" in state:
            rows.insert(-1, quantity(state_name("decay", p), "-{}·{}·{}",
                                     (eta, ("λ", self.p["weight_decay"]), (p, w)), state["decay"]))
        return tuple(rows)

    def update_array(self, W, G, S, bias):
        (b1, b2), eps = self.p["betas"], self.p["eps"]
        grad = G + self.p["weight_decay"] * W if self.coupled(bias) else G
        m = b1 * S["m"] + (1 - b1) * grad
        v = b2 * S["v"] + (1 - b2) * (grad * grad)
        vmax = np.maximum(S["vmax"], v) if self.p["amsgrad"] else S["vmax"]
        second = vmax if self.p["amsgrad"] else v
        c1, c2 = self.factors()
        if self._corrected:
            step = -self.lr * (m / c1) / (np.sqrt(second / c2) + eps)
        else:
            step = -self.lr * math.sqrt(c2) / c1 * m / (np.sqrt(second) + eps)
        W_new, change = self.finish_array(W, step, bias)
        return W_new, change, {"m": m, "v": v, "vmax": vmax}

    def describe(self) -> str:
        (b1, b2), eps = self.p["betas"], self.p["eps"]
        name = "AMSGrad" if self.p["amsgrad"] else self.TITLE
        if self.corrected:
            form = say("Δw = -η·mhat/(√vhat + ε) (Kingma & Ba, Algorithm 1; PyTorch)")
        elif self.p["bias_correction"]:
            form = say("Δw = -η·√(1-β2^t)/(1-β1^t)·m/(√v + ε) (ε on the uncorrected root: TensorFlow, Keras)")
        else:
            form = say("Δw = -η·m/(√v + ε) (no bias correction)")
        decay = describe_decay(self, "η·λ·w")
        return f"{name}: {form}, β1 = {b1:g}, β2 = {b2:g}, ε = {eps:g}" + (say("; ") + decay if decay else "")

    def formulas(self) -> tuple[str, ...]:
        lines = ["m = β1·m(t-1) + (1-β1)·dE/dw", "v = β2·v(t-1) + (1-β2)·(dE/dw)²"]
        if self.p["amsgrad"]:
            lines.append("vmax = max(vmax(t-1), v), used in place of v")
        if self.corrected:
            lines += ["mhat = m/(1-β1^t), vhat = v/(1-β2^t)", "Δw = -η·mhat/(√vhat + ε)"]
        elif self.p["bias_correction"]:
            lines.append("Δw = -η·√(1-β2^t)/(1-β1^t)·m/(√v + ε)")
        else:
            lines.append("Δw = -η·m/(√v + ε)")
        return (*lines, "w+ = w + Δw")


class AdamW(Adam):
    NAME = "adamw"
    TITLE = "AdamW"
    PARAMS = tuple(p for p in Adam.PARAMS if p.name not in ("weight_decay", "decay")) + (
        Param("weight_decay", 0.01, non_negative, "λ: decoupled, w ← w - η·λ·w (PyTorch AdamW)"),)

    def decoupled(self, bias):
        return self.decays(bias)

    def coupled(self, bias):
        return False
