"""The matrix view (`--view matrix`) of a Jordan network's step (core/jordan.py), a row per time step,
with every entry under its neuron-level name (equal to the neuron view to 1e-12: tests/test_jordan.py):

    X (T × n), Y_prev (y_0 … y_(T-1)), Z_h = X·W_xh + Y_prev·W_yh + b_h, H = f(Z_h), Y = g(H·W_hy + b_y),
    dY = dE_t/dy_t + dZ_h(t+1)·W_yhᵀ (the loss, and BPTT's carry), dZ_y, dH = dZ_y·W_hyᵀ, dZ_h,
    dW_xh = Xᵀ·dZ_h, dW_yh = Y_prevᵀ·dZ_h, dW_hy = Hᵀ·dZ_y — the sums over time
"""

from __future__ import annotations

import numpy as np

from ..messages import N_
from .jordan_engine import JordanTrainer
from .shared_matrix_layers import MatrixTable


def jordan_matrices(trainer: JordanTrainer, X: np.ndarray, T: np.ndarray, tag: str) -> tuple[list, dict, np.ndarray]:
    """One sample's matrices of an unrolled Jordan step, a row per time step, with every entry under
    its neuron-level name (the state unit s_t: y_t as fed back, its dE/dout the carry)."""
    n, H, m, steps = trainer.n, trainer.hidden, trainer.m, trainer.steps
    values = trainer._forward(X)
    ys, nets, hs, zos, _, _ = values
    grad, losses, carries, dZhs = trainer.backward(X, T, values)
    Xt = X[0, :n * steps].reshape(steps, n)
    Y_prev, Y, Zo, Zh, Hs = (np.vstack(ys[:-1]), np.vstack(ys[1:]), np.vstack(zos), np.vstack(nets), np.vstack(hs))
    dL, dC, dZh = np.vstack(losses), np.vstack(carries), np.vstack(dZhs)
    gprime = trainer.g[1](Zo, Y)
    dZy = (dL + dC) * gprime
    dH = dZy @ trainer.theta[trainer.hy]
    named = {}
    for t in range(steps):
        for k in range(H):
            name = f"h{k + 1}_t{t + 1}"
            named.update({f"net_{name}{tag}": Zh[t, k], f"out_{name}{tag}": Hs[t, k],
                          f"dE/dout_{name}{tag}": dH[t, k], f"delta_{name}{tag}": dZh[t, k]})
        for j in range(m):
            units = ([(f"o{j + 1}_t{t + 1}", dL)] if t in trainer.times else []) + (
                [(f"s{j + 1}_t{t + 1}", dC)] if t < steps - 1 else [])
            for name, dE in units:
                named.update({f"net_{name}{tag}": Zo[t, j], f"out_{name}{tag}": Y[t, j],
                              f"dE/dout_{name}{tag}": dE[t, j], f"delta_{name}{tag}": dE[t, j] * gprime[t, j]})
    Ty = T[0].reshape(len(trainer.times), m)
    terms = trainer.loss_term(Ty, Y[trainer.times], m) / trainer.scale
    for r, t in enumerate(trainer.times):
        for j in range(m):
            named[f"E_o{j + 1}_t{t + 1}{tag}"] = terms[r, j]
    named[f"E_total{tag}"] = terms.sum()
    times = [f"t{t}" for t in range(1, steps + 1)]
    xs, hn, yn = [f"x{j + 1}" for j in range(n)], [f"h{k + 1}" for k in range(H)], [f"y{j + 1}" for j in range(m)]
    theta = trainer.theta
    tables = [MatrixTable(N_("X{sample} (a row per time step)"), tag, Xt, times, xs),
              MatrixTable(N_("Y_prev{sample} = y_0 … y_(T-1) (the output fed back)"), tag, Y_prev, times, yn),
              MatrixTable(N_("W_xh (inputs × hidden units)"), "", theta[trainer.xh].T, xs, hn),
              MatrixTable(N_("W_yh (outputs at t-1 × hidden units at t)"), "", theta[trainer.hh].T, yn, hn),
              MatrixTable(N_("Z_h{sample} = X·W_xh + Y_prev·W_yh + b_h"), tag, Zh, times, hn),
              MatrixTable(N_("H{sample} = f(Z_h)"), tag, Hs, times, hn),
              MatrixTable(N_("W_hy (hidden units × outputs)"), "", theta[trainer.hy].T, hn, yn),
              MatrixTable(N_("Y{sample} = g(H·W_hy + b_y)"), tag, Y, times, yn),
              MatrixTable(N_("dY{sample} = dE_t/dy_t + dZ_h(t+1)·W_yhᵀ (the loss, and BPTT's carry)"), tag, dL + dC,
                          times, yn),
              MatrixTable(N_("dZ_y{sample} = dY ⊙ g'(Z_y)"), tag, dZy, times, yn),
              MatrixTable(N_("dH{sample} = dZ_y·W_hyᵀ"), tag, dH, times, hn),
              MatrixTable(N_("dZ_h{sample} = dH ⊙ f'(Z_h)"), tag, dZh, times, hn),
              MatrixTable(N_("dW_xh{sample} = Xᵀ·dZ_h (Σ over time)"), tag, Xt.T @ dZh, xs, hn),
              MatrixTable(N_("dW_yh{sample} = Y_prevᵀ·dZ_h (Σ over time)"), tag, Y_prev.T @ dZh, yn, hn),
              MatrixTable(N_("dW_hy{sample} = Hᵀ·dZ_y (Σ over time)"), tag, Hs.T @ dZy, hn, yn)]
    return tables, {k: float(v) for k, v in named.items()}, grad
