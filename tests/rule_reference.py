"""Independent references for the learning-rule tests: Mazur's 2-2-2 network written out in NumPy
(no neurosim code), with the flat spot and the tolerance as the SNNS manual states them
(δ_j = (f'_j(net_j) + c)·(t_j - o_j), an output with |t_j - o_j| ≤ dmax propagated back as 0), and
the published update rules written from their sources as plain loops over the parameters.

Parameters are a dict {"w1": …, "w8": …, "b1": …, "b2": …} (b1, b2 shared per layer, as Mazur's)."""

from __future__ import annotations

import math

import numpy as np

X = np.array([0.05, 0.10])
T = np.array([0.01, 0.99])
MAZUR = {"w1": 0.15, "w2": 0.20, "w3": 0.25, "w4": 0.30, "w5": 0.40, "w6": 0.45, "w7": 0.50, "w8": 0.55,
         "b1": 0.35, "b2": 0.60}


def gradients(p: dict, flat_spot: float = 0.0, tolerance: float = 0.0) -> dict:
    """dE/dp of E = Σ ½(t - o)² for Mazur's sample (logistic units)."""
    W1 = np.array([[p["w1"], p["w2"]], [p["w3"], p["w4"]]])  # row j: the weights into h_j
    W2 = np.array([[p["w5"], p["w6"]], [p["w7"], p["w8"]]])
    h = 1 / (1 + np.exp(-(W1 @ X + p["b1"])))
    o = 1 / (1 + np.exp(-(W2 @ h + p["b2"])))
    error = np.where(np.abs(T - o) <= tolerance, 0.0, T - o) if tolerance else T - o
    delta_o = -(o * (1 - o) + flat_spot) * error  # dE/dnet (SNNS's δ with the sign of dE/dnet)
    delta_h = (h * (1 - h) + flat_spot) * (W2.T @ delta_o)
    g = {}
    for j in range(2):
        for i in range(2):
            g[f"w{1 + 2 * j + i}"] = delta_h[j] * X[i]
            g[f"w{5 + 2 * j + i}"] = delta_o[j] * h[i]
    g["b1"], g["b2"] = delta_h.sum(), delta_o.sum()
    return g


def loss(p: dict) -> float:
    W1 = np.array([[p["w1"], p["w2"]], [p["w3"], p["w4"]]])
    W2 = np.array([[p["w5"], p["w6"]], [p["w7"], p["w8"]]])
    h = 1 / (1 + np.exp(-(W1 @ X + p["b1"])))
    o = 1 / (1 + np.exp(-(W2 @ h + p["b2"])))
    return float(np.sum(0.5 * (T - o) ** 2))


def train(update, steps: int, learning: tuple[str, ...] = tuple(f"w{k}" for k in range(1, 9)),
          flat_spot: float = 0.0, tolerance: float = 0.0) -> list[dict]:
    """The parameters after each step: update(t, name, w, g, state) → w+, on the `learning` ones."""
    p, state, history = dict(MAZUR), {}, []
    for t in range(1, steps + 1):
        g = gradients(p, flat_spot, tolerance)
        p = {k: (update(t, k, v, float(g[k]), state.setdefault(k, {})) if k in learning else v) for k, v in p.items()}
        history.append(p)
    return history


# -- the published rules, as plain functions of one parameter -------------------------------------------
def momentum_after_lr(lr, mu):
    """Rumelhart, Hinton & Williams (1986) eq. 9: Δw(t) = -η·dE/dw + α·Δw(t-1)."""
    def update(t, name, w, g, s):
        s["v"] = -lr * g + mu * s.get("v", 0.0)
        return w + s["v"]
    return update


def momentum_pytorch(lr, mu, dampening=0.0, start_at_gradient=True):
    """torch.optim.SGD: b = g at the first step, then b = μ·b + (1-τ)·g; w -= η·b."""
    def update(t, name, w, g, s):
        s["b"] = g if "b" not in s and start_at_gradient else mu * s.get("b", 0.0) + (1 - dampening) * g
        return w - lr * s["b"]
    return update


def momentum_normalized(lr, mu):
    """PDP++ NORMALIZED: d = (1-μ)·g + μ·d; w -= η·d."""
    def update(t, name, w, g, s):
        s["d"] = (1 - mu) * g + mu * s.get("d", 0.0)
        return w - lr * s["d"]
    return update


def momentum_gradient_only(lr, mu):
    """EBPTA_with_momentum.py: Δw = η·c + α·(η·c of the previous step), c = -dE/dw."""
    def update(t, name, w, g, s):
        step = -lr * g
        w = w + step + mu * s.get("step", 0.0)
        s["step"] = step
        return w
    return update


def adam(lr, b1=0.9, b2=0.999, eps=1e-8, correction=True, eps_hat=False, amsgrad=False, t_shift=0,
         weight_decay=0.0, decoupled=False):
    """Kingma & Ba (2015) Algorithm 1 (eps_hat: the ε̂ form of their §2; amsgrad: PyTorch's max of the
    raw v); decoupled: AdamW, θ ← θ(1 - η·λ) first (PyTorch)."""
    def update(t, name, w, g, s):
        if weight_decay and decoupled:
            w = w * (1 - lr * weight_decay)
        elif weight_decay:
            g = g + weight_decay * w
        s["m"] = b1 * s.get("m", 0.0) + (1 - b1) * g
        s["v"] = b2 * s.get("v", 0.0) + (1 - b2) * g * g
        s["vmax"] = max(s.get("vmax", 0.0), s["v"])
        v = s["vmax"] if amsgrad else s["v"]
        k = max(t + t_shift, 1)
        if not correction:
            return w - lr * s["m"] / (math.sqrt(v) + eps)
        if eps_hat:
            return w - lr * math.sqrt(1 - b2 ** k) / (1 - b1 ** k) * s["m"] / (math.sqrt(v) + eps)
        return w - lr * (s["m"] / (1 - b1 ** k)) / (math.sqrt(v / (1 - b2 ** k)) + eps)
    return update


def sgd_decay(lr, decay, coupled=True):
    """PyTorch SGD weight_decay (g + λ·w) or SNNS BackpropWeightDecay (w += -η·g - d·w)."""
    def update(t, name, w, g, s):
        return w - lr * (g + decay * w) if coupled else w - lr * g - decay * w
    return update
