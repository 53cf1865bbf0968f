"""The untraced step of a network with shared weights, written for speed with NumPy: the same step
as the objects' (core/step.py) on a batch, equal to it to 1e-12 (tests/test_shared_engine.py).

The parameters are one vector θ in the network's naming order; each layer is an array operation
(shared_ops.py). A step: the forward pass layer by layer, the loss, then from the output down
dZ = dA ⊙ f'(Z) (the combined form at the output where there is one), each operation adding its
parameters' gradient — a kernel entry's is the sum over every position — and handing dA down; then
θ+ = θ - η·dθ (frozen biases kept), the gradient summed over the batch (batch-mean: its mean).

It runs plain gradient descent in float64 with the simultaneous order; anything else (another
learning rule, float32, hand rounding, SNNS's flat spot or tolerance, hooks) runs on the objects
(`shared_engine_fits`).
"""

from __future__ import annotations

import numpy as np

from ..core.combined import combined_output
from ..core.conventions import Conventions
from ..core.losses import get_loss
from .array_functions import ARRAY_LOSSES
from .shared_ops import layer_ops
from .theta_steps import ThetaSteps


def shared_engine_fits(conventions: Conventions, network) -> bool:
    """Whether the NumPy engine computes this network's step as the objects do."""
    if conventions.time_update != "sequence":  # real-time BPTT runs on the objects (core/time_steps.py)
        return False
    if not (conventions.arithmetic.is_exact_float64 and conventions.rule.plain and conventions.order == "simultaneous"
            and not conventions.flat_spot and not conventions.tolerance and isinstance(conventions.loss, str)):
        return False
    output = network.output_layer.activation
    if network.architecture.recurrent:  # the factor form of the output delta only (recurrent_engine.py)
        return not output.layer_level and combined_output(output, get_loss(conventions.loss)) is None
    if any(layer.activation.layer_level for layer in network.layers[1:-1]):
        return False
    return not output.layer_level or combined_output(output, get_loss(conventions.loss)) is not None


class SharedTrainer(ThetaSteps):
    """Trains a SharedNetwork on batches of rows, holding θ between steps."""

    def __init__(self, network, conventions: Conventions, rule=None):
        network.prepare(conventions)
        self.conv = conventions
        self.names = network.parameter_names()
        self.theta = np.array([network.parameters()[n] for n in self.names], dtype=np.float64)
        frozen = {b.name for b in network.biases} if not conventions.update_biases else set()
        self.learns = np.array([n not in frozen for n in self.names])
        self.ops = layer_ops(network)
        self.loss_term, self.loss_derivative = ARRAY_LOSSES[conventions.loss]
        self.combined = combined_output(network.output_layer.activation, get_loss(conventions.loss))

    def forward(self, X: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """(Z, A) of every layer for the rows of X."""
        return [(Z, A) for Z, A, _ in self._forward(X)]

    def _forward(self, X):
        result, A = [], X
        for op in self.ops:
            Z, cache = op.forward(A, self.theta)
            A = op.functions[0](Z)
            result.append((Z, A, cache))
        return result

    def loss_terms(self, Z, A, T):
        if self.combined is not None:
            return self.combined.array_terms(T, Z)
        return self.loss_term(T, A, A.shape[1])

    def losses(self, Z, A, T) -> np.ndarray:
        return np.sum(self.loss_terms(Z, A, T), axis=1)

    def total(self, E: np.ndarray) -> float:
        return E.sum() / len(E) if self.conv.mode == "batch-mean" else E.sum()

    def step(self, X: np.ndarray, T: np.ndarray) -> float:
        """One step on the rows of X: θ updated; returns E_total before the update."""
        forward = self._forward(X)
        Z, A, _ = forward[-1]
        e_total = self.total(self.losses(Z, A, T))
        grad = np.zeros_like(self.theta)
        if self.combined is not None:
            dZ = self.combined.array_deltas(T, A)
        else:
            derivative = self.ops[-1].functions[1]
            dZ = self.loss_derivative(T, A, A.shape[1]) * derivative(Z, A)
        for index in range(len(self.ops) - 1, -1, -1):
            op = self.ops[index]
            dA = op.backward(dZ, forward[index][2], self.theta, grad, index > 0)
            if index:
                below = forward[index - 1]
                dZ = dA * self.ops[index - 1].functions[1](below[0], below[1])
        if self.conv.mode == "batch-mean":
            grad = grad / X.shape[0]
        self.theta = np.where(self.learns, self.theta - self.conv.learning_rate * grad, self.theta)
        return float(e_total)


def shared_trainer(network, conventions: Conventions, rule=None):
    """The NumPy engine of a network with shared weights: the unrolled recurrent one, or layer by layer."""
    if network.architecture.jordan:
        from .jordan_engine import JordanTrainer
        return JordanTrainer(network, conventions, rule)
    if network.architecture.recurrent:
        from .recurrent_engine import RecurrentTrainer
        return RecurrentTrainer(network, conventions, rule)
    return SharedTrainer(network, conventions, rule)


def shared_engine_kind(engine: str, conventions: Conventions, hooks, network) -> str:
    """The engine of a network with shared weights' untraced steps: "shared" (NumPy) where it computes
    the objects' step, else "neuron" (the objects themselves: hooks, another rule, a wrapped function)."""
    from ..core.activations import ACTIVATIONS
    wrapped = any(layer.activation is not ACTIVATIONS.get(layer.activation.name) for layer in network.layers[1:])
    fits = hooks is None and engine != "neuron" and not wrapped
    return "shared" if fits and shared_engine_fits(conventions, network) else "neuron"

