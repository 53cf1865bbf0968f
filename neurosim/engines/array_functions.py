"""Elementwise activations and losses on NumPy arrays, for the matrix engine (matrix.py): the same
formulas as core/activations.py and core/losses.py, a row per sample.

    ARRAY_ACTIVATIONS[name] = (f(Z), f'(Z, A))      softmax: f' is None (see softmax_jacobians)
    ARRAY_LOSSES[name] = (E per output (T, A, n), dE/dA (T, A, n))      n = number of outputs
"""

from __future__ import annotations

import numpy as np

from ..core.activations import LEAKY_SLOPE


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _softplus(z):
    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))


def _softmax(z):
    e = np.exp(z - np.max(z, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


def _one(z):
    return np.ones_like(z)


ARRAY_ACTIVATIONS = {  # name: (value f(Z), derivative f'(Z, A))
    "sigmoid": (_sigmoid, lambda z, a: a * (1 - a)),
    "tanh": (np.tanh, lambda z, a: 1 - a * a),
    "relu": (lambda z: np.maximum(z, 0 * z), lambda z, a: (z > 0).astype(z.dtype)),
    "leaky_relu": (lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
                   lambda z, a: np.where(z > 0, 1.0, LEAKY_SLOPE).astype(z.dtype)),
    "linear": (lambda z: z, lambda z, a: _one(z)),
    "softplus": (_softplus, lambda z, a: _sigmoid(z)),
    "softmax": (_softmax, None),
}


def _log(x):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(x)


ARRAY_LOSSES = {  # name: (E per output, dE/dA), n = number of outputs
    "half_sse": (lambda t, a, n: 0.5 * (t - a) * (t - a), lambda t, a, n: -(t - a)),
    "sse": (lambda t, a, n: (t - a) * (t - a), lambda t, a, n: -2 * (t - a)),
    "mse": (lambda t, a, n: (t - a) * (t - a) / n, lambda t, a, n: -2 * (t - a) / n),
    "mae": (lambda t, a, n: np.abs(t - a) / n, lambda t, a, n: np.sign(a - t) / n),
    "bce": (lambda t, a, n: -(t * _log(a) + (1 - t) * _log(1 - a)) / n,
            lambda t, a, n: (a - t) / (a * (1 - a) * n)),
    "cce": (lambda t, a, n: np.where(t != 0, -(t * _log(a)), 0 * a), lambda t, a, n: -t / a),
    "none": (lambda t, a, n: 0 * a, lambda t, a, n: np.ones_like(a)),
}


def softmax_jacobians(a: np.ndarray) -> np.ndarray:
    """J[s, k, j] = dA[s, k]/dZ[s, j] = A[s, k]·(δ_kj - A[s, j]), shape (m, n, n)."""
    return a[:, :, None] * (np.eye(a.shape[1], dtype=a.dtype)[None, :, :] - a[:, None, :])
