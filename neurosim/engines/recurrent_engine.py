"""The untraced step of an Elman network unrolled through time, written for speed with NumPy: the
same step as the objects' (core/recurrent.py, core/step.py) on a batch of sequences, equal to it to
1e-12 (tests/test_shared_engine.py).

    forward    h_t = f(x_t·W_xhᵀ + h_(t-1)·W_hhᵀ + b_h),  y_t = g(h_t·W_hyᵀ + b_y)
    backward   dZ_y(t) = dE/dy_t ⊙ g'(·);  from t = T down:
               dh_t = dZ_y(t)·W_hy + carry_t,  dz_t = dh_t ⊙ f'(z_t),  carry_(t-1) = dz_t·W_hh
               (truncated BPTT: no carry across the cuts of core/recurrent.carry)
    gradient   dW_xh = Σ_t dz_tᵀ·x_t,  dW_hh = Σ_t dz_tᵀ·h_(t-1),  dW_hy = Σ_t dZ_y(t)ᵀ·h_t,  db = Σ_t …

The loss is the sequence's (core/recurrent.over_time): each step's outputs as one sample's, summed or
averaged over time. Plain gradient descent, float64, the factor form of the output delta.
"""

from __future__ import annotations

import numpy as np

from .array_functions import ARRAY_ACTIVATIONS, ARRAY_LOSSES
from .theta_steps import ThetaSteps


class RecurrentTrainer(ThetaSteps):
    """Trains an unrolled Elman SharedNetwork on batches of rows (x_1 … x_T, then h_0)."""

    def __init__(self, network, conventions, rule=None):
        network.prepare(conventions)
        architecture = network.architecture
        recurrent, output = architecture.layers
        self.conv = conventions
        self.n, self.hidden, self.m, self.steps = architecture.input[0], recurrent.size, output.size, architecture.steps
        self.times = [self.steps - 1] if architecture.last_target_only else list(range(self.steps))
        self.scale = len(self.times) if conventions.time_loss == "mean" and len(self.times) > 1 else 1
        self.bptt = conventions.bptt
        self.names = network.parameter_names()
        at = {name: k for k, name in enumerate(self.names)}
        self.theta = np.array([network.parameters()[n] for n in self.names], dtype=np.float64)
        frozen = {b.name for b in network.biases} if not conventions.update_biases else set()
        self.learns = np.array([n not in frozen for n in self.names])
        fed = architecture.fed_back  # W_hh (hidden × hidden), or a Jordan layer's W_yh (hidden × outputs)
        per_unit = self.n + fed
        weights = [p.name for p in network.weight_params]
        self.xh = np.array([[at[weights[k * per_unit + j]] for j in range(self.n)] for k in range(self.hidden)],
                           dtype=np.intp).reshape(self.hidden, self.n)
        self.hh = np.array([[at[weights[k * per_unit + self.n + j]] for j in range(fed)]
                            for k in range(self.hidden)], dtype=np.intp).reshape(self.hidden, fed)
        self.hy = np.array([[at[weights[self.hidden * per_unit + j * self.hidden + k]] for k in range(self.hidden)]
                            for j in range(self.m)], dtype=np.intp)
        self.bh = np.array([at[f"b_h{k + 1}"] for k in range(self.hidden)], dtype=np.intp) if recurrent.bias else None
        self.by = np.array([at[f"b_o{j + 1}"] for j in range(self.m)], dtype=np.intp) if output.bias else None
        self.f, self.g = ARRAY_ACTIVATIONS[recurrent.activation], ARRAY_ACTIVATIONS[output.activation]
        self.loss_term, self.loss_derivative = ARRAY_LOSSES[conventions.loss]

    def _forward(self, X):
        theta = self.theta
        Wxh, Whh, Why = theta[self.xh], theta[self.hh], theta[self.hy]
        h = X[:, self.n * self.steps:]
        states, nets, Zs, As = [h], [], [], []
        for t in range(self.steps):
            z = X[:, t * self.n:(t + 1) * self.n] @ Wxh.T + h @ Whh.T
            if self.bh is not None:
                z = z + theta[self.bh]
            h = self.f[0](z)
            nets.append(z)
            states.append(h)
        for t in self.times:
            zo = states[t + 1] @ Why.T
            if self.by is not None:
                zo = zo + theta[self.by]
            Zs.append(zo)
            As.append(self.g[0](zo))
        return states, nets, Zs, As

    def forward(self, X: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """(Z, A) of the output layer (every output step, side by side) for the rows of X."""
        _, _, Zs, As = self._forward(X)
        return [(np.concatenate(Zs, axis=1), np.concatenate(As, axis=1))]

    def layer_arrays(self, X: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """(Z, A) of the recurrent layer (every time step's z_t and h_t side by side) and of the
        output layer, for the rows of X."""
        states, nets, Zs, As = self._forward(X)
        return [(np.concatenate(nets, axis=1), np.concatenate(states[1:], axis=1)),
                (np.concatenate(Zs, axis=1), np.concatenate(As, axis=1))]

    def losses(self, Z, A, T) -> np.ndarray:
        return np.sum(self.loss_term(T, A, self.m), axis=1) / self.scale

    def total(self, E: np.ndarray) -> float:
        return E.sum() / len(E) if self.conv.mode == "batch-mean" else E.sum()

    def step(self, X: np.ndarray, T: np.ndarray) -> float:
        """One step on the rows of X: θ updated; returns E_total before the update."""
        theta = self.theta
        states, nets, Zs, As = self._forward(X)
        Z, A = np.concatenate(Zs, axis=1), np.concatenate(As, axis=1)
        e_total = self.total(self.losses(Z, A, T))
        dZ = self.loss_derivative(T, A, self.m) / self.scale * self.g[1](Z, A)
        Why, Whh = theta[self.hy], theta[self.hh]
        dWxh, dWhh, dWhy = np.zeros(self.xh.shape), np.zeros(self.hh.shape), np.zeros(self.hy.shape)
        dbh, dby = np.zeros(self.hidden), np.zeros(self.m)  # summed here, placed into grad once
        out_at = {t: k for k, t in enumerate(self.times)}
        carry = np.zeros_like(states[0])
        for t in range(self.steps - 1, -1, -1):
            dh = carry
            if t in out_at:
                dZt = dZ[:, out_at[t] * self.m:(out_at[t] + 1) * self.m]
                dWhy += dZt.T @ states[t + 1]
                dby += dZt.sum(axis=0)
                dh = dh + dZt @ Why
            dz = dh * self.f[1](nets[t], states[t + 1])
            dWxh += dz.T @ X[:, t * self.n:(t + 1) * self.n]
            dWhh += dz.T @ states[t]
            dbh += dz.sum(axis=0)
            cut = self.bptt and (self.steps - t) % self.bptt == 0  # the link h_t → h_(t+1): t is 0-based here
            carry = np.zeros_like(dh) if cut else dz @ Whh
        grad = np.zeros_like(theta)
        grad[self.xh], grad[self.hh], grad[self.hy] = dWxh, dWhh, dWhy
        if self.bh is not None:
            grad[self.bh] = dbh
        if self.by is not None:
            grad[self.by] = dby
        if self.conv.mode == "batch-mean":
            grad = grad / X.shape[0]
        self.theta = np.where(self.learns, theta - self.conv.learning_rate * grad, theta)
        return float(e_total)
