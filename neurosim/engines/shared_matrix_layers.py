"""The matrices of one sample's step, layer by layer (conv, pool, dense) or time step by time step
(recurrent), with every entry under its neuron-level name and each parameter's gradient (the
formulas are in shared_matrix.py). Nothing here prints."""

from __future__ import annotations

import attrs
import numpy as np

from ..messages import N_
from .shared_ops import ConvOp, DenseOp


@attrs.frozen(eq=False)
class MatrixTable:
    """One matrix of the step: its title (the formula, a sentence with {sample} for a batch's sample
    tag), the sample tag, the entries, and row and column labels."""

    title: str
    sample: str
    array: np.ndarray
    rows: tuple[str, ...]
    columns: tuple[str, ...]


def layer_matrices(network, trainer, X: np.ndarray, T: np.ndarray, tag: str) -> tuple[list, dict, np.ndarray]:
    """(tables, named values, dE/dθ) of one sample (a row of X) on `trainer`'s parameters."""
    if network.architecture.recurrent:
        return _recurrent(network, trainer, X, T, tag)
    theta, ops = trainer.theta, trainer.ops
    layers = network.layers[1:]
    forward = trainer._forward(X)
    tables, named = [], {}
    for layer, (Z, A, _) in zip(layers, forward):
        for j, neuron in enumerate(layer.neurons):
            named[f"net_{neuron.name}{tag}"], named[f"out_{neuron.name}{tag}"] = float(Z[0, j]), float(A[0, j])
    Z, A, _ = forward[-1]
    terms = trainer.loss_terms(Z, A, T)
    for j, neuron in enumerate(layers[-1].neurons):
        named[f"E_{neuron.name}{tag}"] = float(terms[0, j])
    named[f"E_total{tag}"] = float(terms.sum())
    with np.errstate(all="ignore"):
        dA = trainer.loss_derivative(T, A, A.shape[1])
    dZ = trainer.combined.array_deltas(T, A) if trainer.combined is not None else dA * ops[-1].functions[1](Z, A)
    grad = np.zeros_like(theta)
    for index in range(len(ops) - 1, -1, -1):
        op, layer = ops[index], layers[index]
        for j, neuron in enumerate(layer.neurons):
            named[f"dE/dout_{neuron.name}{tag}"], named[f"delta_{neuron.name}{tag}"] = float(dA[0, j]), float(dZ[0, j])
        below_A = forward[index - 1][1] if index else X
        tables += _op_tables(op, layer, forward[index], below_A, dZ, theta, tag, MatrixTable)
        dA = op.backward(dZ, forward[index][2], theta, grad, True)
        if index:
            Zb, Ab, _ = forward[index - 1]
            dZ = dA * ops[index - 1].functions[1](Zb, Ab)
    return tables, named, grad


def _op_tables(op, layer, values, below_A, dZ, theta, tag: str, MatrixTable) -> list:
    Z, A, cache = values
    names = tuple(n.name for n in layer.neurons)
    if isinstance(op, ConvOp):
        positions = names[:op.positions]
        entries = tuple(name for name, kind, _ in layer.parameters if kind == "weight")[:op.index.shape[1]]
        kernels = tuple(f"k{m + 1}" for m in range(op.kernels))
        cols = cache[0]
        dZk = dZ.reshape(op.kernels, op.positions).T
        Zk = Z.reshape(op.kernels, op.positions).T
        return [MatrixTable(N_("X_cols{sample} = the window of each position (im2col)"), tag, cols, positions,
                            entries),
                MatrixTable(N_("K = the kernels, one column each"), "", theta[op.kernel_index], entries, kernels),
                MatrixTable(N_("Z{sample} = X_cols·K + b"), tag, Zk, positions, kernels),
                MatrixTable(N_("dZ{sample} = delta (dE/dZ)"), tag, dZk, positions, kernels),
                MatrixTable(N_("dK{sample} = X_colsᵀ·dZ (each entry: Σ over the positions of delta·x)"), tag,
                            cols.T @ dZk, entries, kernels)]
    if isinstance(op, DenseOp):
        sources = tuple(c.source.name for c in layer.neurons[0].incoming)
        W = theta[op.weight_index].T
        return [MatrixTable(N_("W (inputs × units)"), "", W, sources, names),
                MatrixTable(N_("Z{sample} = X·W + b, A = f(Z)"), tag, np.vstack([Z, A]), ("Z", "A"), names),
                MatrixTable(N_("dZ{sample} = delta"), tag, dZ, ("dZ",), names),
                MatrixTable(N_("dW{sample} = Xᵀ·dZ"), tag, below_A.T @ dZ, sources, names)]
    return [MatrixTable(N_("Z{sample} = max or mean of each window"), tag, Z, ("Z",), names),
            MatrixTable(N_("dZ{sample} = delta, sent back to the winner (max) or shared (mean)"), tag, dZ, ("dZ",),
                        names)]


def _recurrent(network, trainer, X: np.ndarray, T: np.ndarray, tag: str) -> tuple[list, dict, np.ndarray]:
    """An unrolled Elman network's matrices, a row per time step."""
    theta, n, H, steps = trainer.theta, trainer.n, trainer.hidden, trainer.steps
    states, nets, Zs, As = trainer._forward(X)
    Xt = X[0, :n * steps].reshape(steps, n)
    H_prev, Hs, Zh = np.vstack(states[:-1]), np.vstack(states[1:]), np.vstack(nets)
    Zy, Ay = np.vstack(Zs), np.vstack(As)
    Ty = T[0].reshape(len(trainer.times), trainer.m)
    with np.errstate(all="ignore"):
        dAy = trainer.loss_derivative(Ty, Ay, trainer.m) / trainer.scale
    dZy = dAy * trainer.g[1](Zy, Ay)
    Whh, Why = theta[trainer.hh], theta[trainer.hy]
    dH, dZh = np.zeros_like(Hs), np.zeros_like(Hs)
    carry = np.zeros(H)
    out_at = {t: k for k, t in enumerate(trainer.times)}
    for t in range(steps - 1, -1, -1):
        dH[t] = carry + (dZy[out_at[t]] @ Why if t in out_at else 0.0)
        dZh[t] = dH[t] * trainer.f[1](Zh[t], Hs[t])
        cut = trainer.bptt and (steps - t) % trainer.bptt == 0
        carry = np.zeros(H) if cut else dZh[t] @ Whh
    grad = np.zeros_like(theta)
    H_out = Hs[trainer.times]
    dWxh, dWhh, dWhy = Xt.T @ dZh, H_prev.T @ dZh, H_out.T @ dZy
    grad[trainer.xh] += dWxh.T
    grad[trainer.hh] += dWhh.T
    grad[trainer.hy] += dWhy.T
    if trainer.bh is not None:
        grad[trainer.bh] += dZh.sum(axis=0)
    if trainer.by is not None:
        grad[trainer.by] += dZy.sum(axis=0)
    named = {}
    times = [f"t{t}" for t in range(1, steps + 1)]
    out_times = [f"t{t + 1}" for t in trainer.times]
    for t in range(steps):
        for k in range(H):
            name = f"h{k + 1}_t{t + 1}"
            named.update({f"net_{name}{tag}": Zh[t, k], f"out_{name}{tag}": Hs[t, k],
                          f"dE/dout_{name}{tag}": dH[t, k], f"delta_{name}{tag}": dZh[t, k]})
    terms = trainer.loss_term(Ty, Ay, trainer.m) / trainer.scale
    for r, t in enumerate(out_times):
        for j in range(trainer.m):
            name = f"o{j + 1}_{t}"
            named.update({f"net_{name}{tag}": Zy[r, j], f"out_{name}{tag}": Ay[r, j], f"dE/dout_{name}{tag}": dAy[r, j],
                          f"delta_{name}{tag}": dZy[r, j], f"E_{name}{tag}": terms[r, j]})
    named[f"E_total{tag}"] = terms.sum()
    tables = _recurrent_tables(trainer, tag, times, out_times, (Xt, H_prev, Zh, Hs, Ay, dZy, dH, dZh, dWxh, dWhh, dWhy))
    return tables, {k: float(v) for k, v in named.items()}, grad


def _recurrent_tables(trainer, tag: str, times: list[str], out_times: list[str], arrays) -> list:
    """The matrices of an unrolled recurrent step, a row per time step (the formulas: shared_matrix.py)."""
    Xt, H_prev, Zh, Hs, Ay, dZy, dH, dZh, dWxh, dWhh, dWhy = arrays
    theta, n, H = trainer.theta, trainer.n, trainer.hidden
    Whh, Why = theta[trainer.hh], theta[trainer.hy]
    xs, hs = [f"x{j + 1}" for j in range(n)], [f"h{k + 1}" for k in range(H)]
    ys = [f"y{j + 1}" for j in range(trainer.m)]
    return [MatrixTable(N_("X{sample} (a row per time step)"), tag, Xt, times, xs),
              MatrixTable(N_("H_prev{sample} = h_0 … h_(T-1)"), tag, H_prev, times, hs),
              MatrixTable(N_("W_xh (inputs × hidden units)"), "", theta[trainer.xh].T, xs, hs),
              MatrixTable(N_("W_hh (hidden units at t-1 × at t)"), "", Whh.T, hs, hs),
              MatrixTable(N_("Z_h{sample} = X·W_xh + H_prev·W_hh + b_h"), tag, Zh, times, hs),
              MatrixTable(N_("H{sample} = f(Z_h)"), tag, Hs, times, hs),
              MatrixTable(N_("W_hy (hidden units × outputs)"), "", Why.T, hs, ys),
              MatrixTable(N_("Y{sample} = g(H·W_hy + b_y)"), tag, Ay, out_times, ys),
              MatrixTable(N_("dZ_y{sample} = delta of the outputs"), tag, dZy, out_times, ys),
              MatrixTable(N_("dH{sample} = dZ_y·W_hyᵀ + dZ_h(t+1)·W_hhᵀ (BPTT's carry)"), tag, dH, times, hs),
              MatrixTable(N_("dZ_h{sample} = dH ⊙ f'(Z_h)"), tag, dZh, times, hs),
              MatrixTable(N_("dW_xh{sample} = Xᵀ·dZ_h (Σ over time)"), tag, dWxh, xs, hs),
              MatrixTable(N_("dW_hh{sample} = H_prevᵀ·dZ_h (Σ over time)"), tag, dWhh, hs, hs),
              MatrixTable(N_("dW_hy{sample} = Hᵀ·dZ_y (Σ over time)"), tag, dWhy, hs, ys)]

