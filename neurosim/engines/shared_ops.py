"""The layers of a network with shared weights as array operations on a batch (one sample a row),
for the fast engine (shared_engine.py) and the matrix view: the same formulas as the objects.

    conv   im2col: cols[s, p, f] = x[s, window entry f of position p] (0 where padded), then
           Z = cols·K + b with K[f, m] the kernel entry of window entry f of kernel m (a true
           convolution: the entry turned by 180°), so dK = Σ_s Σ_p cols[s, p]ᵀ·dZ[s, p] — the sum of
           every position's share — and dX[s, i] = Σ over the windows that hold i of dZ·K
    pool   cols as above over each channel; max: Z = the largest (the first), dX to the winner;
           avg: Z = cols·(1/n), dX = dZ/n to every entry
    dense  Z = X·Wᵀ + b, W[j, i] the weight from i to unit j

Every operation reads its parameters from the flat vector θ (the network's parameters in naming
order) through index arrays, and writes its gradient into a vector shaped like θ.
"""

from __future__ import annotations

import numpy as np

from ..core.architecture import SPATIAL
from ..core.conv import grid
from .array_functions import ARRAY_ACTIVATIONS


def _window_index(in_shape, out_shape, kernel, stride, padding) -> np.ndarray:
    """index[p, f]: where window entry f (channel, then entry row by row) of output position p
    reads the input block (row by row, channel by channel); n_in for a padded zero."""
    channels, dims = in_shape[0], in_shape[1:]
    n_in = int(np.prod(in_shape))
    entries = grid(kernel)
    rows = []
    for position in grid(out_shape[1:]):
        row = []
        for ch in range(channels):
            for entry in entries:
                where = [p * s + a - pad for p, s, a, pad in zip(position, stride, entry, padding)]
                if all(0 <= w < n for w, n in zip(where, dims)):
                    place = ch
                    for w, n in zip(where, dims):
                        place = place * n + w
                    row.append(place)
                else:
                    row.append(n_in)
        rows.append(row)
    return np.array(rows, dtype=np.intp)


def _scatter(index: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """out[s, i] = Σ over the places k with index[k] = i of values[s, k] (a batch of bincounts)."""
    batch = values.shape[0]
    flat = index.reshape(-1)
    offsets = (np.arange(batch, dtype=np.intp) * size)[:, None]
    out = np.bincount((flat[None, :] + offsets).reshape(-1), weights=values.reshape(batch, -1).reshape(-1),
                      minlength=batch * size)
    return out.reshape(batch, size)


class ConvOp:
    """A conv layer: `kernel_index[f, m]` and `bias_index[m]` say where K and b sit in θ."""

    def __init__(self, spec, in_shape, out_shape, weight_at: dict, bias_at: dict, layer, flipped: bool):
        self.activation = layer.activation.name
        self.n_in = int(np.prod(in_shape))
        self.index = _window_index(in_shape, out_shape, spec.kernel, spec.stride, spec.padding)
        self.kernels, self.positions = out_shape[0], self.index.shape[0]
        kernel_names = [name for name, kind, _ in layer.parameters if kind == "weight"]
        per_kernel = len(kernel_names) // self.kernels
        entries = grid(spec.kernel)
        order = []
        for ch in range(in_shape[0]):
            for entry in entries:
                turned = tuple(k - 1 - a for k, a in zip(spec.kernel, entry)) if flipped else entry
                order.append(ch * len(entries) + entries.index(turned))
        self.kernel_index = np.array([[weight_at[kernel_names[m * per_kernel + f]] for m in range(self.kernels)]
                                      for f in order], dtype=np.intp)
        biases = [name for name, kind, _ in layer.parameters if kind == "bias"]
        self.bias_index = np.array([bias_at[b] for b in biases], dtype=np.intp) if biases else None

    def forward(self, X: np.ndarray, theta: np.ndarray):
        padded = np.concatenate([X, np.zeros((X.shape[0], 1))], axis=1)
        cols = padded[:, self.index]  # (s, p, f)
        Z = cols @ theta[self.kernel_index]  # (s, p, m)
        if self.bias_index is not None:
            Z = Z + theta[self.bias_index]
        return Z.transpose(0, 2, 1).reshape(X.shape[0], -1), cols

    def backward(self, dZ: np.ndarray, cache, theta: np.ndarray, grad: np.ndarray, need_dX: bool):
        cols = cache
        dZk = dZ.reshape(dZ.shape[0], self.kernels, self.positions).transpose(0, 2, 1)  # (s, p, m)
        grad[self.kernel_index] += np.einsum("spf,spm->fm", cols, dZk)
        if self.bias_index is not None:
            grad[self.bias_index] += dZk.sum(axis=(0, 1))
        if not need_dX:
            return None
        dcols = dZk @ theta[self.kernel_index].T  # (s, p, f)
        return _scatter(self.index, dcols, self.n_in + 1)[:, :self.n_in]


class PoolOp:
    """A max or average pool, channel by channel (no parameter)."""

    def __init__(self, spec, in_shape, out_shape):
        self.activation = "linear"
        self.max = spec.kind == "maxpool"
        self.n_in = int(np.prod(in_shape))
        per_channel = _window_index((1, *in_shape[1:]), (1, *out_shape[1:]), spec.kernel, spec.stride,
                                    (0,) * len(spec.kernel))
        size = int(np.prod(in_shape[1:]))
        self.index = np.concatenate([per_channel + ch * size for ch in range(in_shape[0])])  # (n, f)
        self.share = 1.0 / self.index.shape[1]

    def forward(self, X: np.ndarray, theta: np.ndarray):
        cols = X[:, self.index]  # (s, n, f)
        if self.max:
            won = cols.argmax(axis=2)
            return np.take_along_axis(cols, won[..., None], axis=2)[..., 0], won
        return cols @ np.full(cols.shape[2], self.share), None

    def backward(self, dZ: np.ndarray, cache, theta: np.ndarray, grad: np.ndarray, need_dX: bool):
        if not need_dX:
            return None
        if self.max:
            winners = np.take_along_axis(np.broadcast_to(self.index, (dZ.shape[0], *self.index.shape)),
                                         cache[..., None], axis=2)[..., 0]
            return _scatter_rows(winners, dZ, self.n_in)
        dcols = np.broadcast_to((dZ * self.share)[..., None], (*dZ.shape, self.index.shape[1]))
        return _scatter(self.index, dcols, self.n_in)


def _scatter_rows(index: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """out[s, index[s, k]] += values[s, k], a different index per row."""
    batch = values.shape[0]
    offsets = (np.arange(batch, dtype=np.intp) * size)[:, None]
    out = np.bincount((index + offsets).reshape(-1), weights=values.reshape(-1), minlength=batch * size)
    return out.reshape(batch, size)


class DenseOp:
    """A dense layer: W[j, i] = θ[weight_index[j, i]], b[j] = θ[bias_index[j]]."""

    def __init__(self, layer, weight_at: dict, bias_at: dict):
        self.activation = layer.activation.name
        self.weight_index = np.array([[weight_at[c.name] for c in n.incoming] for n in layer.neurons], dtype=np.intp)
        biases = [n.bias.name for n in layer.neurons if n.bias is not None]
        self.bias_index = np.array([bias_at[b] for b in biases], dtype=np.intp) if biases else None

    def forward(self, X: np.ndarray, theta: np.ndarray):
        Z = X @ theta[self.weight_index].T
        if self.bias_index is not None:
            Z = Z + theta[self.bias_index]
        return Z, X

    def backward(self, dZ: np.ndarray, cache, theta: np.ndarray, grad: np.ndarray, need_dX: bool):
        grad[self.weight_index] += dZ.T @ cache
        if self.bias_index is not None:
            grad[self.bias_index] += dZ.sum(axis=0)
        return dZ @ theta[self.weight_index] if need_dX else None


def layer_ops(network) -> list:
    """The operations of a (non-recurrent) SharedNetwork, layer by layer, over θ in the order of
    `network.parameter_names()`."""
    names = network.parameter_names()
    at = {name: k for k, name in enumerate(names)}
    architecture = network.architecture
    shapes = architecture.shapes()
    layers = iter(network.layers[1:])
    ops = []
    for spec, in_shape, out_shape in zip(architecture.layers, shapes, shapes[1:]):
        if spec.kind == "flatten":
            continue
        layer = next(layers)
        if spec.kind in SPATIAL:
            ops.append(ConvOp(spec, in_shape, out_shape, at, at, layer, network.flipped))
        elif spec.kind == "dense":
            ops.append(DenseOp(layer, at, at))
        else:
            ops.append(PoolOp(spec, in_shape, out_shape))
        ops[-1].functions = ARRAY_ACTIVATIONS[ops[-1].activation]
    return ops
