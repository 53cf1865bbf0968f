"""Activation functions: value, derivative and the formula text shown in trace tables.

Each elementwise activation maps a neuron's net input to its output, out = f(net), and gives
dout/dnet = f'(net) written in whatever of (net, out) makes the textbook formula (for the
logistic sigmoid: out·(1-out)). Scalar Python floats use `math` (fast for the neuron-level
engine); NumPy scalars and arrays (float32 arithmetic, the matrix engine) use NumPy.

softmax is a layer-level activation: out_j = e^net_j / Σ_k e^net_k, and its backward pass uses
the full Jacobian dout_k/dnet_j = out_k·(δ_kj - out_j).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import attrs
import numpy as np

from ..errors import NeurosimError
from ..messages import say

LEAKY_SLOPE = 0.01


def _sigmoid_scalar(x: float) -> float:
    # 1/(1+e^-x) as Mazur writes it; for very negative x, e^x/(1+e^x) avoids overflow.
    if x >= -500.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _sigmoid_array(x):
    x = np.asarray(x)
    with np.errstate(over="ignore"):
        naive = 1.0 / (1.0 + np.exp(-x))
    safe = np.exp(np.minimum(x, 0.0))
    return np.where(x >= -500.0, naive, safe / (1.0 + safe)).astype(x.dtype, copy=False)[()]


def _softplus_scalar(x: float) -> float:
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _softplus_array(x):
    x = np.asarray(x)
    return (np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x))))[()]


@attrs.frozen
class Activation:
    """An activation function with its derivative and the formulas that explain them.

    `formula` and `derivative_formula` are templates over {net} and {out}; the tables fill them
    in once with names (out_o1) and once with numbers (0.75136507).
    """

    name: str
    formula: str
    derivative_formula: str
    scalar: Callable[[float], float] = attrs.field(repr=False)
    array: Callable = attrs.field(repr=False)
    derivative_from: Callable = attrs.field(repr=False)  # (net, out) -> dout/dnet, scalar or array
    layer_level: bool = False

    def value(self, net):
        """out = f(net) for one neuron (scalar) or elementwise (array)."""
        if isinstance(net, float):  # also float subclasses (np.float64, hand-rounded values)
            return self.scalar(net)
        return self.array(net)

    def derivative(self, net, out):
        """dout/dnet at this neuron, from its net input and output."""
        return self.derivative_from(net, out)

    def __str__(self) -> str:
        return self.name


def _softmax_values(nets):
    x = np.asarray(nets)
    e = np.exp(x - np.max(x))
    return e / np.sum(e)


def softmax_values(nets: list) -> list:
    """out_j = e^(net_j - max) / Σ_k e^(net_k - max) for one layer."""
    float32 = all(isinstance(v, np.float32) for v in nets)
    values = _softmax_values(np.array(nets, dtype=np.float32 if float32 else np.float64))
    return list(values) if float32 else [float(v) for v in values]


def softmax_jacobian(outs: list) -> list[list]:
    """J[k][j] = dout_k/dnet_j = out_k·(δ_kj - out_j)."""
    return [[ok * ((1.0 if k == j else 0.0) - oj) for j, oj in enumerate(outs)] for k, ok in enumerate(outs)]


def softmax_deltas(dE_dout, out) -> list[float]:
    """delta_j = Σ_k dE/dout_k · dout_k/dnet_j with the softmax Jacobian (a running sum over k)."""
    jac = softmax_jacobian(out)
    deltas = []
    for j in range(len(out)):
        total = 0.0
        for k in range(len(out)):
            total += dE_dout[k] * jac[k][j]
        deltas.append(total)
    return deltas


def _step(x, slope_below: float):
    if type(x) is float or np.ndim(x) == 0:
        return 1.0 if x > 0 else slope_below
    return np.where(x > 0, 1.0, slope_below).astype(np.asarray(x).dtype)


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation(
            "sigmoid", "1/(1+e^(-{net}))", "{out}·(1-{out})",
            _sigmoid_scalar, _sigmoid_array, lambda net, out: out * (1 - out),
        ),
        Activation(
            "tanh", "tanh({net})", "1-{out}²",
            math.tanh, lambda x: np.tanh(x), lambda net, out: 1 - out * out,
        ),
        Activation(
            "relu", "max(0, {net})", "(1 if {net}>0 else 0)",
            lambda x: x if x > 0 else 0.0, lambda x: np.maximum(x, 0 * x),
            lambda net, out: _step(net, 0.0),
        ),
        Activation(
            "leaky_relu", f"({{net}} if {{net}}>0 else {LEAKY_SLOPE}·{{net}})", f"(1 if {{net}}>0 else {LEAKY_SLOPE})",
            lambda x: x if x > 0 else LEAKY_SLOPE * x,
            lambda x: np.where(x > 0, x, LEAKY_SLOPE * x)[()],
            lambda net, out: _step(net, LEAKY_SLOPE),
        ),
        Activation(
            "linear", "{net}", "1",
            lambda x: x, lambda x: x, lambda net, out: out * 0 + 1,
        ),
        Activation(
            "softplus", "ln(1+e^{net})", "1/(1+e^(-{net}))",
            _softplus_scalar, _softplus_array,
            lambda net, out: _sigmoid_scalar(net) if type(net) is float else _sigmoid_array(net),
        ),
        Activation(
            "softmax", "e^{net}/Σe^net", "{out}·(1-{out}) on the diagonal, -out_k·out_j off it",
            lambda x: x, _softmax_values, lambda net, out: out * (1 - out), layer_level=True,
        ),
    )
}


def get_activation(name: str) -> Activation:
    """Look an activation up by name; an unknown name is a user error that lists the known ones."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise NeurosimError(say("activation: unknown name '{name}' (choose from {choices})",
                                name=name, choices=", ".join(ACTIVATIONS))) from None
