"""The untraced step of a Jordan network unrolled through time (core/jordan.py), written for speed
with NumPy: the same step as the objects', equal to it to 1e-12 (tests/test_jordan.py).

    forward    h_t = f(x_t·W_xhᵀ + y_(t-1)·W_yhᵀ + b_h),  y_t = g(h_t·W_hyᵀ + b_y),  y_0 given
    backward   from t = T down:  dY_t = dE_t/dy_t (its loss term, if step t has a target) + carry_t,
               dZ_y(t) = dY_t ⊙ g'(·),  dH_t = dZ_y(t)·W_hy,  dZ_h(t) = dH_t ⊙ f'(z_t),
               carry_(t-1) = dZ_h(t)·W_yh   (truncated BPTT: none across the cuts of recurrent.carry)
    gradient   dW_xh = Σ_t dZ_h(t)ᵀ·x_t,  dW_yh = Σ_t dZ_h(t)ᵀ·y_(t-1),  dW_hy = Σ_t dZ_y(t)ᵀ·h_t, db …

The objects split dZ_y(t) into the output's delta (its loss term) and its state unit's (the carry);
the sum is the same. Plain gradient descent, float64, the factor form of the output delta.
"""

from __future__ import annotations

import numpy as np

from .recurrent_engine import RecurrentTrainer


class JordanTrainer(RecurrentTrainer):
    """Trains an unrolled Jordan SharedNetwork on batches of rows (x_1 … x_T, then y_0); `hh`
    indexes W_yh (hidden units × outputs)."""

    def _forward(self, X):
        """(Y_all: y_0 … y_T, nets z_1 …, H: h_1 …, Zo: o_1 … of every step, Zs and As of the steps with
        targets)."""
        theta = self.theta
        Wxh, Wyh, Why = theta[self.xh], theta[self.hh], theta[self.hy]
        y = X[:, self.n * self.steps:]
        ys, nets, hs, zos = [y], [], [], []
        for t in range(self.steps):
            z = X[:, t * self.n:(t + 1) * self.n] @ Wxh.T + y @ Wyh.T
            if self.bh is not None:
                z = z + theta[self.bh]
            h = self.f[0](z)
            zo = h @ Why.T
            if self.by is not None:
                zo = zo + theta[self.by]
            y = self.g[0](zo)
            nets.append(z)
            hs.append(h)
            zos.append(zo)
            ys.append(y)
        return ys, nets, hs, zos, [zos[t] for t in self.times], [ys[t + 1] for t in self.times]

    def forward(self, X: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        *_, Zs, As = self._forward(X)
        return [(np.concatenate(Zs, axis=1), np.concatenate(As, axis=1))]

    def layer_arrays(self, X: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        _, nets, hs, _, Zs, As = self._forward(X)
        return [(np.concatenate(nets, axis=1), np.concatenate(hs, axis=1)),
                (np.concatenate(Zs, axis=1), np.concatenate(As, axis=1))]

    def backward(self, X: np.ndarray, T: np.ndarray, values) -> tuple[np.ndarray, list, list, list]:
        """(dE/dθ, then per time step: dE/dy_t of the loss, the carry into y_t, dZ_h(t)) of the rows."""
        theta = self.theta
        ys, nets, hs, zos, Zs, As = values
        A = np.concatenate(As, axis=1)
        with np.errstate(all="ignore"):
            dA = self.loss_derivative(T, A, self.m) / self.scale
        Wyh, Why = theta[self.hh], theta[self.hy]
        grads = [np.zeros(self.xh.shape), np.zeros(self.hh.shape), np.zeros(self.hy.shape), np.zeros(self.hidden),
                 np.zeros(self.m)]
        out_at = {t: k for k, t in enumerate(self.times)}
        carry = np.zeros_like(ys[0])
        losses, carries, dZhs = [None] * self.steps, [None] * self.steps, [None] * self.steps
        for t in range(self.steps - 1, -1, -1):
            losses[t] = dA[:, out_at[t] * self.m:(out_at[t] + 1) * self.m] if t in out_at else np.zeros_like(carry)
            carries[t] = carry
            dZy = (losses[t] + carry) * self.g[1](zos[t], ys[t + 1])
            grads[2] += dZy.T @ hs[t]
            grads[4] += dZy.sum(axis=0)
            dz = (dZy @ Why) * self.f[1](nets[t], hs[t])
            dZhs[t] = dz
            grads[0] += dz.T @ X[:, t * self.n:(t + 1) * self.n]
            grads[1] += dz.T @ ys[t]
            grads[3] += dz.sum(axis=0)
            cut = self.bptt and (self.steps - t) % self.bptt == 0  # the link s_t → h_(t+1), t 0-based
            carry = np.zeros_like(carry) if cut else dz @ Wyh
        grad = np.zeros_like(theta)
        grad[self.xh], grad[self.hh], grad[self.hy] = grads[0], grads[1], grads[2]
        if self.bh is not None:
            grad[self.bh] = grads[3]
        if self.by is not None:
            grad[self.by] = grads[4]
        return grad, losses, carries, dZhs

    def step(self, X: np.ndarray, T: np.ndarray) -> float:
        """One step on the rows of X: θ updated; returns E_total before the update."""
        values = self._forward(X)
        Z, A = np.concatenate(values[4], axis=1), np.concatenate(values[5], axis=1)
        e_total = self.total(self.losses(Z, A, T))
        grad = self.backward(X, T, values)[0]
        if self.conv.mode == "batch-mean":
            grad = grad / X.shape[0]
        self.theta = np.where(self.learns, self.theta - self.conv.learning_rate * grad, self.theta)
        return float(e_total)
