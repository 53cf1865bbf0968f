"""The same network and training step in matrix form, with NumPy (the layout of the seeds' code).

Row layout, Y = XW + B: a batch of m samples is a matrix with one sample per row, and layer l has
a weight matrix W of shape (fan_in, fan_out) whose entry W[i, j] is the weight from neuron i of
the layer below to neuron j of this layer (w1 = W1[0, 0], w2 = W1[1, 0], w3 = W1[0, 1], …).

Forward, layer by layer (X = A of the layer below; the inputs for the first layer):
    Z = X·W + B                      (m, fan_out)   B: (fan_out,) per-neuron, a scalar if shared
    A = f(Z)                         (m, fan_out)
Loss: E[s] = Σ_j term(T[s, j], A[s, j]); E_total = Σ_s E[s] (batch-mean: the mean)
Backward, from the output layer down:
    dA = dE/dA                       output layer: the loss derivative; below: dZ_above·W_aboveᵀ
    dZ = dA ⊙ f'(Z)                  softmax: dZ[s] = J[s]ᵀ·dA[s], J[s][k, j] = A_k·(δ_kj - A_j)
    An output activation and loss with a combined form (core/combined.py): E from Z and
    dZ = A - T (sigmoid with bce: (A - T)/n; softmax with cce: A·Σ_row T - T), finite where dA is not.
    dW = Xᵀ·dZ                       (fan_in, fan_out)   batch-mean: divided by m
    dB = Σ_s dZ[s]                   (fan_out,); a shared bias sums over the neurons too
Update: W+ = W - η·dW, B+ = B - η·dB (biases only if not frozen). In the sequential order a
layer's W+ is what the layer below uses for its dA. Another learning rule (core/rules) updates W
and B from dW and dB with its array form (`Rule.update_array`), keeping its state (a momentum
buffer V, Adam's M and V …) as arrays shaped like W and B.
Options: flat spot c: dZ = dA ⊙ (f'(Z) + c); tolerance dmax: dA = 0 where |T - A| ≤ dmax.

`matrix_step` returns a `MatrixStep` record of every matrix (matrix_records.py); `MatrixTrainer`
runs the same arithmetic without records, for long runs. Neither prints. The array forms of the
activations and losses are in array_functions.py; W and B are laid out by matrix_layout.py.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..core.combined import combined_output
from ..core.conventions import Conventions
from ..core.losses import get_loss
from ..core.network import Network
from ..core.step import untraced_step
from ..errors import NeurosimError
from ..messages import say
from .array_functions import ARRAY_ACTIVATIONS, ARRAY_LOSSES, softmax_jacobians
from .matrix_layout import MatrixLayer, matrices_from, parameter_names, store_into
from .matrix_records import LayerStep, MatrixStep, named_values
from .matrix_rule import MatrixRule

__all__ = [
    "LayerStep", "MatrixLayer", "MatrixStep", "MatrixTrainer", "matrices_from", "matrix_step", "named_values",
    "parameter_names", "softmax_jacobians", "store_into",
]


def _check_arithmetic(conventions: Conventions, network: Network) -> None:
    if conventions.arithmetic.round_to is not None:
        raise NeurosimError(say("matrix view: hand rounding (round) is a neuron-level option; "
                                "the matrix view computes in float64 or float32"))
    if conventions.flat_spot and any(a.layer_level for a in (layer.activation for layer in network.layers[1:])):
        raise NeurosimError(say("flat_spot: not defined for a softmax layer (its derivative is a Jacobian)"))


class MatrixTrainer:
    """Trains a network in matrix form. `step` updates the held W and B (no records);
    `trace` does the same and returns a `MatrixStep` with every matrix."""

    def __init__(self, network: Network, conventions: Conventions, rule=None):
        _check_arithmetic(conventions, network)
        self.conv = conventions
        # float32-params: float64 arithmetic on parameters stored as float32 (see arithmetic.py)
        self.params32 = conventions.arithmetic.dtype == "float32-params"
        self.dtype = np.dtype("float64" if self.params32 else conventions.arithmetic.dtype)
        self.bias_mode = network.bias_mode
        layers = matrices_from(network, self.dtype.name)
        self.names = [layer.name for layer in layers]
        self.activations = [layer.activation for layer in layers]
        self.W = [layer.W for layer in layers]
        self.B = [layer.B for layer in layers]
        self.funcs = [ARRAY_ACTIVATIONS[a] for a in self.activations]
        self.loss_term, self.loss_derivative = ARRAY_LOSSES[conventions.loss]
        loss = get_loss(conventions.loss)
        # the combined form (core/combined.py), unless SNNS's flat spot or tolerance change the factors
        plain_factors = not conventions.flat_spot and not conventions.tolerance
        self.combined = combined_output(network.output_layer.activation, loss) if plain_factors else None
        rule = rule if rule is not None else conventions.make_rule()
        self.rule = None if rule.plain else MatrixRule(network, rule, self.dtype, conventions.update_biases)

    def _stored(self, values: np.ndarray) -> np.ndarray:
        """New parameters as they are stored (rounded to float32 in the float32-params mode)."""
        return values.astype(np.float32).astype(np.float64) if self.params32 else values

    def __repr__(self) -> str:
        shape = "-".join([str(self.W[0].shape[0])] + [str(W.shape[1]) for W in self.W])
        return f"MatrixTrainer({shape}, {'/'.join(self.activations)}, {self.dtype})"

    def array(self, rows) -> np.ndarray:
        return np.array(rows, dtype=self.dtype, ndmin=2)

    def loss_terms(self, Z: np.ndarray, A: np.ndarray, T: np.ndarray) -> np.ndarray:
        """E per output: term(T, A), or in the combined form from Z."""
        if self.combined is not None:
            return self.combined.array_terms(T, Z)
        return self.loss_term(T, A, A.shape[1])

    def forward(self, X: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """(Z, A) of every layer for the rows of X."""
        result = []
        A = X
        for W, B, (f, _) in zip(self.W, self.B, self.funcs):
            Z = A @ W
            if B is not None:
                Z = Z + B
            A = f(Z)
            result.append((Z, A))
        return result

    def losses(self, Z: np.ndarray, A: np.ndarray, T: np.ndarray) -> np.ndarray:
        """E[s] = Σ_j term(T[s, j], A[s, j]) for every sample s (Z, A: the output layer's)."""
        return np.sum(self.loss_terms(Z, A, T), axis=1)

    def total(self, E: np.ndarray) -> float:
        return E.sum() / len(E) if self.conv.mode == "batch-mean" else E.sum()

    def loss(self, X: np.ndarray, T: np.ndarray) -> float:
        """E_total over the rows of X with the current W and B."""
        return self.total(self.losses(*self.forward(X)[-1], T))

    def step(self, X: np.ndarray, T: np.ndarray) -> float:
        """One training step on the rows of X (updates W and B); returns E_total before it."""
        return self._step(X, T, None)

    def trace(self, X: np.ndarray, T: np.ndarray, step: int = 1) -> MatrixStep:
        """One training step on the rows of X, with the record of every matrix."""
        records: list = []
        e_total = self._step(X, T, records)
        E = records.pop()
        Z_after, A_after = self.forward(X)[-1]
        return MatrixStep(step, X, T, tuple(reversed(records)), E, e_total,
                          self.total(self.losses(Z_after, A_after, T)), A_after, self.conv, self.bias_mode)

    def _step(self, X, T, records):
        conv = self.conv
        m = X.shape[0]
        mean = conv.mode == "batch-mean"
        sequential = conv.order == "sequential"
        forward = self.forward(X)
        Z_out, A_out = forward[-1]
        n_out = A_out.shape[1]
        if records is None:  # only E_total is needed: one reduction over every entry
            E = None
            e_total = self.loss_terms(Z_out, A_out, T).sum()
            if mean:
                e_total = e_total / m
        else:
            E = self.losses(Z_out, A_out, T)
            e_total = self.total(E)
        combined = self.combined
        # the combined form needs no dA at the output layer; the record shows it all the same
        dA = None if combined is not None and records is None else self.loss_derivative(T, A_out, n_out)
        if conv.tolerance:
            dA = np.where(np.abs(T - A_out) <= conv.tolerance, 0.0, dA)
        if self.rule is not None:
            self.rule.begin(e_total)
        new = []
        for l in range(len(self.W) - 1, -1, -1):
            W, B = self.W[l], self.B[l]
            Z, A = forward[l]
            X_l = forward[l - 1][1] if l else X
            derivative = self.funcs[l][1]
            if combined is not None and l == len(self.W) - 1:
                J = softmax_jacobians(A) if derivative is None and records is not None else None  # shown
                dZ = combined.array_deltas(T, A)
            elif derivative is None:
                J = softmax_jacobians(A)
                dZ = np.einsum("sk,skj->sj", dA, J)
            else:
                J = None
                dZ = dA * (derivative(Z, A) + conv.flat_spot) if conv.flat_spot else dA * derivative(Z, A)
            dW = X_l.T @ dZ
            if B is None:
                dB = None
            else:
                dB = dZ.sum() if B.ndim == 0 else dZ.sum(axis=0)
            if mean:
                dW = dW / m
                dB = None if dB is None else dB / m
            W_new, B_new, rule_values = self._update(l, W, B, dW, dB)
            if records is not None:
                records.append(LayerStep(self.names[l], self.activations[l], X_l, W, B, Z, A, dA, J, dZ,
                                         dW, dB, W_new, B_new, rule_values))
            if l:
                dA = dZ @ (W_new if sequential else W).T
            new.append((W_new, B_new))
        for l, (W_new, B_new) in enumerate(reversed(new)):
            self.W[l], self.B[l] = W_new, B_new
        if self.rule is not None:
            self.rule.commit()
        if records is not None:
            records.append(E)
        return e_total

    def _update(self, l: int, W, B, dW, dB) -> tuple:
        """(W+, B+, the learning rule's arrays or None) of layer l: W - η·dW, B - η·dB (B frozen: B),
        or the rule's update."""
        if self.rule is None:
            lr = self.conv.learning_rate
            B_new = self._stored(B - lr * dB) if (B is not None and self.conv.update_biases) else B
            return self._stored(W - lr * dW), B_new, None
        W_new, B_new, rule_values = self.rule.update(l, W, B, dW, dB)
        return self._stored(W_new), None if B_new is None else self._stored(B_new), rule_values

    def run(self, X: np.ndarray, T: np.ndarray, batches: Sequence[tuple[int, int]]) -> float | None:
        """Untraced steps on the row slices X[a:b] of `batches`, in one floating-point error
        context; returns E_total of the last step. None if a value became non-finite: the caller
        then re-runs the steps on the neuron-level engine, which names the step and the neuron."""
        e_total = math.nan
        with np.errstate(all="ignore"):
            for a, b in batches:
                e_total = self._step(X[a:b], T[a:b], None)
                if not math.isfinite(e_total):
                    return None
        return e_total if self.parameters_finite() else None

    def snapshot(self) -> tuple:
        """The current W and B, and the rule's state (steps replace the arrays, never write into them)."""
        return list(self.W), list(self.B), None if self.rule is None else self.rule.snapshot()

    def parameters_finite(self) -> bool:
        total = sum(float(W.sum()) for W in self.W) + sum(float(B.sum()) for B in self.B if B is not None)
        return math.isfinite(total)

    def store_into(self, network: Network, snapshot: tuple | None = None) -> None:
        """Write the current W and B (or a snapshot's) back into the neuron-level network, and the
        rule's state into the rule object."""
        W, B, rule_state = snapshot or self.snapshot()
        store_into(network, list(zip(W, B)), self.conv.arithmetic.keeper())
        if self.rule is not None:
            self.rule.store(rule_state)


def matrix_step(network: Network, samples: Sequence, conventions: Conventions, *, step: int = 1,
                rule=None) -> MatrixStep:
    """One step in matrix form on `samples`, updating `network` in place like `trace_step` (and the
    learning rule's state, `rule`: None for a fresh one)."""
    if not samples:
        raise NeurosimError("data: no samples")
    if conventions.mode == "online" and len(samples) != 1:
        raise NeurosimError(f"mode: 'online' takes one sample a step, got {len(samples)}")
    if getattr(network, "architecture", None) is not None:  # shared weights: im2col, a row per time step
        from .shared_matrix import shared_matrix_step
        return shared_matrix_step(network, samples, conventions, step=step, rule=rule)
    trainer = MatrixTrainer(network, conventions, rule)
    X = trainer.array([x for x, _ in samples])
    T = np.array([t for _, t in samples], dtype=np.float64, ndmin=2).astype(trainer.dtype)
    with np.errstate(all="ignore"):
        record = trainer.trace(X, T, step)
    if not _finite(record):  # the neuron-level step names the step, the sample and the neuron
        untraced_step(network.copy(), samples, conventions, step=step)
    trainer.store_into(network)
    return record


def _finite(record: MatrixStep) -> bool:
    """Whether the step stayed finite as the neuron-level step judges it: every E, dZ (the deltas)
    and updated parameter."""
    arrays = [record.E] + [a for layer in record.layers for a in (layer.dZ, layer.W_new, layer.B_new)
                           if a is not None]
    return all(bool(np.isfinite(a).all()) for a in arrays)


def trainer_class(kind: str):
    """The NumPy engine of `kind` ("matrix" or "shared"): this dense engine, or the shared weights'."""
    if kind == "shared":
        from .shared_engine import shared_trainer
        return shared_trainer
    return MatrixTrainer
