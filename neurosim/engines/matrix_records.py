"""The record of one training step in matrix form (`MatrixStep`, one `LayerStep` per layer; the
formulas are in matrix.py), and its entries under their neuron-level names (`named_values`)."""

from __future__ import annotations

import attrs
import numpy as np

from ..core.conventions import Conventions
from ..core.losses import get_loss
from ..core.network import neuron_names
from ..core.rules import state_name


@attrs.frozen(eq=False)
class LayerStep:
    """Every matrix of one layer in one step (the formulas are in the docstring of matrix.py)."""

    name: str
    activation: str
    X: np.ndarray
    W: np.ndarray
    B: np.ndarray | None
    Z: np.ndarray
    A: np.ndarray
    dA: np.ndarray
    J: np.ndarray | None  # softmax Jacobians, (m, n, n)
    dZ: np.ndarray
    dW: np.ndarray
    dB: np.ndarray | None
    W_new: np.ndarray
    B_new: np.ndarray | None
    rule: dict | None = None  # a learning rule's arrays by prefix (v, m, Δ …): (for W, for B or None)


@attrs.frozen(eq=False)
class MatrixStep:
    """One training step in matrix form: inputs, targets, per-layer matrices, losses."""

    step: int
    X: np.ndarray
    T: np.ndarray
    layers: tuple[LayerStep, ...]
    E: np.ndarray  # per sample, (m,)
    E_total: float
    E_total_after: float
    A_after: np.ndarray
    conventions: Conventions
    bias_mode: str


def named_values(record: MatrixStep) -> dict[str, float]:
    """The step's matrix entries under their neuron-level names (net_h1, delta_o1, dE/dw5, w5+,
    E_total+ …; in a batch, per-sample values carry [s]), to set beside `StepTrace.quantities()`."""
    if hasattr(record, "named"):  # a network with shared weights (shared_matrix.py) names its own
        return dict(record.named)
    sizes = [record.X.shape[1]] + [layer.W.shape[1] for layer in record.layers]
    names = neuron_names(sizes)
    m = record.X.shape[0]
    q: dict[str, float] = {}
    for s in range(m):
        tag = f"[{s + 1}]" if m > 1 else ""
        for l, layer in enumerate(record.layers, start=1):
            for j, neuron in enumerate(names[l]):
                q[f"net_{neuron}{tag}"] = float(layer.Z[s, j])
                q[f"out_{neuron}{tag}"] = float(layer.A[s, j])
                q[f"dE/dout_{neuron}{tag}"] = float(layer.dA[s, j])
                q[f"delta_{neuron}{tag}"] = float(layer.dZ[s, j])
        q[f"E_total[{s + 1}]" if m > 1 else "E_total"] = float(record.E[s])
    q["E_total"] = float(record.E_total)
    offset = 0
    for l, layer in enumerate(record.layers, start=1):
        fan_in, fan_out = layer.W.shape
        for j in range(fan_out):
            for i in range(fan_in):
                name = f"w{offset + j * fan_in + i + 1}"
                q[f"dE/d{name}"] = float(layer.dW[i, j])
                q[name] = float(layer.W[i, j])
                for prefix, (for_W, _) in (layer.rule or {}).items():
                    q[state_name(prefix, name)] = float(for_W[i, j])
                q[f"{name}+"] = float(layer.W_new[i, j])
        offset += fan_in * fan_out
        if layer.B is None:
            continue
        bias_names = [f"b{l}"] if layer.B.ndim == 0 else [f"b_{n}" for n in names[l]]
        for k, name in enumerate(bias_names):
            q[f"dE/d{name}"] = float(layer.dB.reshape(-1)[k])
            q[name] = float(layer.B.reshape(-1)[k])
            for prefix, (_, for_B) in (layer.rule or {}).items():
                if for_B is not None:
                    q[state_name(prefix, name)] = float(np.asarray(for_B).reshape(-1)[k])
            q[f"{name}+"] = float(layer.B_new.reshape(-1)[k])
    q["E_total+"] = float(record.E_total_after)
    for s in range(m):
        tag = f"[{s + 1}]" if m > 1 else ""
        for j, neuron in enumerate(names[-1]):
            q[f"out_{neuron}+{tag}"] = float(record.A_after[s, j])
    if not get_loss(record.conventions.loss).defined:  # loss "none": no E values, as StepTrace.quantities
        return {name: v for name, v in q.items() if not name.startswith("E_")}
    return q
