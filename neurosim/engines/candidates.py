"""Many variants of one exercise trained side by side in NumPy: the diagnosis's untraced steps.

The diagnosis runs the exercise under each candidate explanation up to the steps the user checked;
between those steps nothing is recorded, so every candidate that differs only in numbers (`Knobs`:
the learning rate, a factor on dE/dout, dE/dout over the outputs, how dout/dnet is taken, batch
sum or mean, biases updated or not, one bias per layer or per neuron, sequential order) runs in one
array computation with a leading candidate axis c, in the row layout of matrix.py:

    Z[c] = A[c]·W[c] + B[c]            A = f(Z)                          (softmax over the last axis)
    dA = scale[c]·dE/dA (/ n)           output layer; below: dZ·Wᵀ (W+ in the sequential order)
    dZ = dA ⊙ f'(Z, A)                  omitted: dA; of-net: dA ⊙ f'(Z, Z); softmax: A⊙(dA - Σ_k dA·A)
    dZ = A - T (sigmoid + bce, /n)      the output layer of a candidate that leaves the activation and the
         A·Σ_k T_k - T (softmax + cce)  loss as they are: their combined form, as the neuron engines
                                        compute it (core/combined.py)
    dW[c] = A_belowᵀ·dZ                 dB = Σ_s dZ (tied biases: the sum over the layer too)
    W+ = W - η[c]·dW (/ m in batch-mean)   B+ likewise, where the biases are updated

A step of C candidates costs about what one step of NumPy costs, so the search runs at about the
speed of one run. The results agree with the neuron-level engines to rounding (sums are taken in
another order); the traced steps, whose values are compared, run on the neuron-level objects.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np

from ..core.combined import combined_output
from ..core.network import Network
from .array_functions import ARRAY_ACTIVATIONS, ARRAY_LOSSES
from .matrix_layout import matrices_from, store_into

CHECK_EVERY = 64  # steps between the checks for candidates gone non-finite


@attrs.frozen
class Knobs:
    """What one candidate changes, as numbers (check/variant.py makes them)."""

    learning_rate: float
    loss_scale: float = 1.0
    per_output: bool = False
    derivative: str = "normal"  # normal | omitted | of-net
    derivative_layers: tuple[int, ...] | None = None  # the layers (1 = the first hidden) it applies to; None: all
    mode: str = "online"
    update_biases: bool = True
    tie_biases: bool = False  # one bias per layer, shared by its neurons
    sequential: bool = False


def _in(knobs: Knobs, layer: int) -> bool:
    """Whether the candidate's way of taking the derivative applies to `layer` (1-based)."""
    return knobs.derivative_layers is None or layer in knobs.derivative_layers


class CandidateBatch:
    """C networks of one shape, activations and loss, each trained under its own `Knobs`.

    `alive[c]` turns False when candidate c's values stop being finite (its training diverged)."""

    def __init__(self, networks: Sequence[Network], knobs: Sequence[Knobs], loss: str, dtype: str = "float64"):
        self.knobs = list(knobs)
        self.dtype = np.dtype(dtype)
        self.bias_modes = [n.bias_mode for n in networks]
        self.activations = list(networks[0].activations)
        self.funcs = [ARRAY_ACTIVATIONS[a] for a in self.activations]
        self.term, self.derivative = ARRAY_LOSSES[loss]
        layers = [matrices_from(n, self.dtype.name) for n in networks]
        self.W = [np.stack([ls[l].W for ls in layers]) for l in range(len(layers[0]))]
        self.B = [None if layers[0][l].B is None else
                  np.stack([np.broadcast_to(ls[l].B, ls[l].W.shape[1:2]).astype(self.dtype) for ls in layers])
                  for l in range(len(layers[0]))]
        C = len(self.knobs)
        column = (C, 1, 1)
        k = self.knobs
        self.lr = np.array([x.learning_rate for x in k], dtype=self.dtype).reshape(column)
        self.scale = np.array([x.loss_scale for x in k], dtype=self.dtype).reshape(column)
        self.per_output = np.array([x.per_output for x in k]).reshape(column)
        depth = len(self.W)
        self.omitted = [np.array([x.derivative == "omitted" and _in(x, l) for x in k]).reshape(column)
                        for l in range(1, depth + 1)]
        self.of_net = [np.array([x.derivative == "of-net" and _in(x, l) for x in k]).reshape(column)
                       for l in range(1, depth + 1)]
        self.mean = np.array([x.mode == "batch-mean" for x in k]).reshape(column)
        self.update_biases = np.array([x.update_biases for x in k]).reshape(C, 1)
        self.tied = np.array([x.tie_biases for x in k]).reshape(C, 1)
        self.sequential = np.array([x.sequential for x in k]).reshape(column)
        # the combined output delta where the activation and the loss are the registered ones (no
        # derivative taken another way, no factor on dE/dout): as the neuron engines decide it
        self.pair = combined_output(self.activations[-1], loss)
        self.combined = np.array([(x.derivative == "normal" or not _in(x, depth)) and x.loss_scale == 1
                                  and not x.per_output for x in k]).reshape(column)
        self.alive = np.ones(C, dtype=bool)

    def __repr__(self) -> str:
        return f"CandidateBatch({len(self.knobs)} candidates, {'/'.join(self.activations)}, {self.dtype})"

    def run(self, X: np.ndarray, T: np.ndarray, batches: Sequence[tuple[int, int]]) -> None:
        """Untraced steps on the rows X[a:b], T[a:b] of each (a, b) of `batches`."""
        with np.errstate(all="ignore"):
            for count, (a, b) in enumerate(batches, start=1):
                self._step(X[a:b], T[a:b])
                if count % CHECK_EVERY == 0 or count == len(batches):
                    self._check_finite()

    def _check_finite(self) -> None:
        finite = np.ones(len(self.knobs), dtype=bool)
        for W, B in zip(self.W, self.B):
            finite &= np.isfinite(W).all(axis=(1, 2))
            if B is not None:
                finite &= np.isfinite(B).all(axis=1)
        self.alive &= finite
        for W, B in zip(self.W, self.B):  # a diverged candidate is parked at 0 (no more overflows)
            W[~self.alive] = 0
            if B is not None:
                B[~self.alive] = 0

    def _step(self, X: np.ndarray, T: np.ndarray) -> None:
        m, n = X.shape[0], T.shape[1]
        outs, nets = [X], []
        for W, B, (f, _) in zip(self.W, self.B, self.funcs):
            Z = outs[-1] @ W
            if B is not None:
                Z = Z + B[:, None, :]
            nets.append(Z)
            outs.append(_softmax(Z) if f is ARRAY_ACTIVATIONS["softmax"][0] else f(Z))
        dA = self.scale * self.derivative(T, outs[-1], n)
        dA = np.where(self.per_output, dA / n, dA)
        new_W, new_B = list(self.W), list(self.B)
        for l in range(len(self.W) - 1, -1, -1):
            Z, A, below = nets[l], outs[l + 1], outs[l]
            derivative = self.funcs[l][1]
            if derivative is None:  # softmax: delta_j = A_j·(dA_j - Σ_k dA_k·A_k)
                dZ = A * (dA - (dA * A).sum(axis=-1, keepdims=True))
            else:
                dZ = np.where(self.omitted[l], dA, dA * np.where(self.of_net[l], derivative(Z, Z), derivative(Z, A)))
            if self.pair is not None and l == len(self.W) - 1:
                dZ = np.where(self.combined, self.pair.array_deltas(T, A), dZ)
            dW = np.swapaxes(below, -1, -2) @ dZ
            dW = np.where(self.mean, dW / m, dW)
            new_W[l] = self.W[l] - self.lr * dW
            if self.B[l] is not None:
                dB = dZ.sum(axis=1)
                dB = np.where(self.tied, dB.sum(axis=1, keepdims=True), dB)
                dB = np.where(self.mean[:, :, 0], dB / m, dB)
                new_B[l] = np.where(self.update_biases, self.B[l] - self.lr[:, :, 0] * dB, self.B[l])
            if l:
                W_used = np.where(self.sequential, new_W[l], self.W[l])
                dA = dZ @ np.swapaxes(W_used, 1, 2)
        self.W, self.B = new_W, new_B

    def store_into(self, c: int, network: Network, keep) -> None:
        """Candidate c's parameters into its neuron-level `network` (kept by the arithmetic's `keep`)."""
        layers = []
        for W, B in zip(self.W, self.B):
            b = None if B is None else (B[c, 0] if self.bias_modes[c] == "shared" else B[c])
            layers.append((W[c], b))
        store_into(network, layers, keep)

    def load_from(self, c: int, network: Network) -> None:
        """Candidate c's parameters from its network (after a traced step moved them on)."""
        for l, layer in enumerate(matrices_from(network, self.dtype.name)):
            self.W[l][c] = layer.W
            if self.B[l] is not None:
                self.B[l][c] = np.broadcast_to(layer.B, self.B[l].shape[1:])


def _softmax(Z: np.ndarray) -> np.ndarray:
    e = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
