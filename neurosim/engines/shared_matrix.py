"""The matrix view of a step of a network with shared weights (`--view matrix`): the same step as
the objects', written as the matrices NumPy code uses, and every entry under its neuron-level name
(equal to the neuron view to 1e-12: tests/test_shared_matrix.py).

    conv       im2col: X_cols (positions × window entries), K (window entries × kernels),
               Z = X_cols·K + b (positions × kernels), dZ, and dK = X_colsᵀ·dZ: each entry of dK
               is the sum over the positions of delta·x, the shared weight's gradient
    pool, dense  Z, A and dZ by neuron; dense W (inputs × units), dW = Xᵀ·dZ
    recurrent  one row per time step: X (T × n), H_prev (T × H: h_0 … h_(T-1)),
               Z_h = X·W_xh + H_prev·W_hh + b_h, H = f(Z_h), Y = g(H·W_hy + b_y), then
               dH (dE/dh_t, the carry through W_hh included), dZ_h, and
               dW_xh = Xᵀ·dZ_h, dW_hh = H_prevᵀ·dZ_h, dW_hy = Hᵀ·dZ_y — the sums over time
    Jordan     the same with Y_prev (y_0 … y_(T-1)) and W_yh for H_prev and W_hh (jordan_matrix.py)

The step's samples are shown one by one (a batch's gradients summed or averaged over them); the
update is plain gradient descent, p+ = p - η·dE/dp (frozen biases kept).
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np

from ..core.conventions import Conventions
from ..errors import NeurosimError
from ..messages import say
from .jordan_matrix import jordan_matrices
from .shared_engine import shared_engine_fits, shared_trainer
from .shared_matrix_layers import MatrixTable, layer_matrices


@attrs.frozen(eq=False)
class SharedMatrixStep:
    """One training step of a network with shared weights in matrix form."""

    step: int
    shape: str
    activations: tuple[str, ...]
    tables: tuple[MatrixTable, ...]
    named: dict
    conventions: Conventions
    bias_mode: str
    kinds: tuple[str, ...]

    @property
    def E_total(self) -> float:
        return self.named["E_total"]


def shared_matrix_step(network, samples: Sequence, conventions: Conventions, *, step: int = 1,
                       rule=None) -> SharedMatrixStep:
    """One step in matrix form on `samples`, updating `network` in place as `trace_step` does."""
    if conventions.time_update == "per_step":
        raise NeurosimError(say("--view matrix: real-time BPTT (time_update = \"per_step\") is shown neuron by neuron"))
    if not shared_engine_fits(conventions, network):
        raise NeurosimError(say("--view matrix: a network with shared weights is shown in matrix form with plain "
                                "gradient descent in float64 (no hand rounding, flat spot or tolerance)"))
    network.prepare(conventions)
    trainer = shared_trainer(network, conventions)
    tables, named = [], {}
    batch = len(samples) > 1
    grad, e_total = np.zeros_like(trainer.theta), 0.0
    for s, (inputs, targets) in enumerate(samples, start=1):
        tag = f"[{s}]" if batch else ""
        X, T = np.array([inputs], dtype=np.float64), np.array([targets], dtype=np.float64)
        sample_tables, sample_named, sample_grad = (jordan_matrices(trainer, X, T, tag) if network.architecture.jordan
                                                    else layer_matrices(network, trainer, X, T, tag))
        tables += sample_tables
        named.update(sample_named)
        grad += sample_grad
        e_total += sample_named[f"E_total{tag}"]
    if conventions.mode == "batch-mean":
        grad, e_total = grad / len(samples), e_total / len(samples)
    named["E_total"] = e_total
    new = np.where(trainer.learns, trainer.theta - conventions.learning_rate * grad, trainer.theta)
    for k, name in enumerate(trainer.names):
        named.update({name: float(trainer.theta[k]), f"dE/d{name}": float(grad[k]), f"{name}+": float(new[k])})
    network.set_parameters({name: float(v) for name, v in zip(trainer.names, new)})
    return SharedMatrixStep(step, network.shape_text(), network.activations, tuple(tables), named, conventions,
                            network.bias_mode, network.architecture.kinds)
