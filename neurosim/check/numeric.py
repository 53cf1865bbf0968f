"""Numeric gradients of every parameter at once, on the matrix engine (for the gradient check).

For a parameter p, the loss E is computed with p moved by ±h and ±h/2:
    D(h) = (E(p + h) - E(p - h)) / 2h,     dE/dp ≈ (4·D(h/2) - D(h)) / 3      (error O(h⁴)).
Moving a parameter of layer l changes nothing below it, so the forward pass up to layer l is
computed once, and only the net inputs of layer l change: a weight W[i, j] adds d·A_below[:, i] to
column j of Z, a per-neuron bias adds d to column j, a shared bias adds d to every column. The
perturbed Z of many parameters are stacked, (K, m, fan_out), and carried up to the loss in one
NumPy pass per chunk, so a 784-64-10 network's 50,818 gradients take seconds, not hours.

The losses are the matrix engine's (combined forms included, core/combined.py), in float64; they
agree with the neuron-level losses to rounding, which divided by h is far below the gradient
check's tolerance.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..core.conventions import Conventions
from ..core.network import Network
from ..engines.matrix import MatrixTrainer, parameter_names

CHUNK_VALUES = 2_000_000  # at most this many floats in one stack of perturbed net inputs


def numeric_gradients(network: Network, samples: Sequence, conventions: Conventions,
                      h: float) -> dict[str, float]:
    """(4·D(h/2) - D(h))/3 of every weight and bias of `network` (unchanged) for the samples."""
    trainer = MatrixTrainer(network, conventions)
    X = trainer.array([x for x, _ in samples])
    T = trainer.array([t for _, t in samples])
    forward = trainer.forward(X)
    names = parameter_names(network)
    result: dict[str, float] = {}
    for l, (W, B) in enumerate(zip(trainer.W, trainer.B)):
        below = forward[l - 1][1] if l else X
        Z = forward[l][0]
        fan_in, fan_out = W.shape
        columns = np.repeat(np.arange(fan_out), fan_in)  # weight k = (i, j) in naming order: j-major
        rows = np.tile(np.arange(fan_in), fan_out)
        moves = [(names[l][0][rows, columns], columns, below[:, rows].T)]  # (names, column, d-multiplier)
        if B is not None and B.ndim == 0:
            moves.append((np.array([names[l][1].item()], dtype=object), None, None))
        elif B is not None:
            moves.append((names[l][1], np.arange(fan_out), np.ones((fan_out, len(X)))))
        for labels, cols, scale in moves:
            values = _richardson(trainer, T, l, Z, cols, scale, h)
            result.update(zip(labels.tolist(), values.tolist()))
    return result


def _richardson(trainer: MatrixTrainer, T: np.ndarray, l: int, Z: np.ndarray, cols, scale,
                h: float) -> np.ndarray:
    """(4·D(h/2) - D(h))/3 for every move: column cols[k] of Z moved by d·scale[k] (cols None: every
    column by d, a shared bias)."""
    def central(step: float) -> np.ndarray:
        return (_losses(trainer, T, l, Z, cols, scale, step) - _losses(trainer, T, l, Z, cols, scale, -step)) / (
            2 * step)
    return (4 * central(h / 2) - central(h)) / 3


def _losses(trainer: MatrixTrainer, T: np.ndarray, l: int, Z: np.ndarray, cols, scale, d: float) -> np.ndarray:
    """E_total for each move, in chunks of stacked perturbed net inputs of layer l."""
    if cols is None:
        return np.array([_loss_from(trainer, T, l, (Z + d)[None])[0]])
    m, width = Z.shape
    widest = max([width] + [W.shape[1] for W in trainer.W[l:]])
    chunk = max(1, CHUNK_VALUES // (m * widest))
    out = []
    for start in range(0, len(cols), chunk):
        part = slice(start, start + chunk)
        stack = np.repeat(Z[None], len(cols[part]), axis=0)
        stack[np.arange(len(cols[part])), :, cols[part]] += d * scale[part]
        out.append(_loss_from(trainer, T, l, stack))
    return np.concatenate(out)


def _loss_from(trainer: MatrixTrainer, T: np.ndarray, l: int, Z: np.ndarray) -> np.ndarray:
    """E_total of each of the K stacked net inputs Z (K, m, n) of layer l, carried up to the loss."""
    K, m, _ = Z.shape

    def activate(k: int, Z: np.ndarray) -> np.ndarray:  # row by row (softmax), in 2-D
        return trainer.funcs[k][0](Z.reshape(K * m, -1)).reshape(Z.shape)
    with np.errstate(all="ignore"):
        A = activate(l, Z)
        for k in range(l + 1, len(trainer.W)):
            Z = A @ trainer.W[k]
            if trainer.B[k] is not None:
                Z = Z + trainer.B[k]
            A = activate(k, Z)
        n = A.shape[2]
        terms = trainer.loss_terms(Z.reshape(K * m, n), A.reshape(K * m, n), np.tile(T, (K, 1)))
        E = terms.reshape(K, m * n).sum(axis=1)
    return E / m if trainer.conv.mode == "batch-mean" else E
