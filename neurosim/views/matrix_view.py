"""The matrix view of a step as tables: every matrix with its shape, in the order NumPy code
computes them (X, then per layer W, B, Z = X·W + B, A = f(Z); the loss; then from the output layer
down dA, dZ, dW = Xᵀ·dZ, dB, and the updates W+ = W - η·dW), so a learner can diff it line by line
against their own code. Rows are samples (s1, s2, …) or source neurons; columns are neurons.
"""

from __future__ import annotations

import numpy as np

from ..core.losses import get_loss
from ..core.network import neuron_names
from ..core.rules import CHANGE
from ..engines.matrix import MatrixStep
from .numbers import DEFAULT_DIGITS, fmt
from .tables import Table, render_heading, render_tables

_LOSS_DERIVATIVE = {
    "half_sse": "A - T", "sse": "2·(A - T)", "mse": "2·(A - T)/n", "mae": "sign(A - T)/n",
    "bce": "(A - T)/(A⊙(1 - A)·n)", "cce": "-T/A",
}
_DERIVATIVE = {
    "sigmoid": "A⊙(1 - A)", "tanh": "1 - A⊙A", "relu": "(Z > 0)", "leaky_relu": "(Z > 0 ? 1 : 0.01)",
    "linear": "1", "softplus": "sigmoid(Z)",
}
_FUNCTION = {"sigmoid": "1/(1 + e^(-Z))", "tanh": "tanh(Z)", "relu": "max(0, Z)",
             "leaky_relu": "where(Z > 0, Z, 0.01·Z)", "linear": "Z", "softplus": "ln(1 + e^Z)",
             "softmax": "e^Z / Σ_row e^Z"}


def shape_text(array: np.ndarray) -> str:
    return "(" + ", ".join(str(n) for n in array.shape) + (",)" if array.ndim == 1 else ")")


def _matrix_table(title: str, array: np.ndarray, rows: list[str], columns: list[str], digits: int) -> Table:
    """A matrix as a table: title with its shape, one row per row label."""
    array = np.asarray(array)
    if array.ndim == 0:
        return Table(f"{title}   shape {shape_text(array)} (a scalar, broadcast to every neuron)",
                     ("value",), ((fmt(array, digits),),))
    if array.ndim == 1:
        return Table(f"{title}   shape {shape_text(array)}", tuple(columns),
                     (tuple(fmt(v, digits) for v in array),))
    body = tuple((label, *(fmt(v, digits) for v in row)) for label, row in zip(rows, array))
    return Table(f"{title}   shape {shape_text(array)}", ("", *columns), body)


def matrix_tables(record: MatrixStep, digits: int = DEFAULT_DIGITS) -> list[Table]:
    """Every matrix of the step, in computation order."""
    sizes = [record.X.shape[1]] + [layer.W.shape[1] for layer in record.layers]
    names = neuron_names(sizes)
    samples = [f"s{s + 1}" for s in range(record.X.shape[0])]
    tables = [_matrix_table("X (inputs, one sample per row)", record.X, samples, names[0], digits)]
    for l in range(1, len(record.layers) + 1):
        tables += _forward_tables(record, l, sizes, names, samples, digits)
    tables += _loss_tables(record, names, samples, digits)
    for l in range(len(record.layers), 0, -1):  # backward, from the output layer down
        tables += _backward_tables(record, l, names, samples, digits)
    tables.append(_matrix_table(f"A{len(record.layers)}+ (outputs with the updated parameters)", record.A_after,
                                samples, names[-1], digits))
    tables.append(Table("E_total+ (recomputed with the updated parameters)", ("E_total+",),
                        ((fmt(record.E_total_after, digits),),)))
    return tables


def _forward_tables(record: MatrixStep, l: int, sizes: list[int], names: list[list[str]], samples: list[str],
                    digits: int) -> list[Table]:
    """W, B, Z = X·W + B and A = f(Z) of layer l (1 is the first layer after the inputs)."""
    layer = record.layers[l - 1]
    below = "X" if l == 1 else f"A{l - 1}"
    w_first = f"w{sum(a * b for a, b in zip(sizes[:l - 1], sizes[1:l])) + 1}"
    tables = [_matrix_table(f"W{l} ({layer.name} layer; W{l}[i, j] is the weight from i to j, "
                            f"W{l}[0, 0] = {w_first})", layer.W, names[l - 1], names[l], digits)]
    z = f"{below}·W{l}"
    if layer.B is not None:
        tables.append(_matrix_table(f"B{l}", layer.B, [], names[l], digits))
        z += f" + B{l}"
    tables.append(_matrix_table(f"Z{l} = {z}", layer.Z, samples, names[l], digits))
    tables.append(_matrix_table(f"A{l} = {_FUNCTION[layer.activation].replace('Z', f'Z{l}')}",
                                layer.A, samples, names[l], digits))
    return tables


def _loss_tables(record: MatrixStep, names: list[list[str]], samples: list[str], digits: int) -> list[Table]:
    """The targets, each sample's E and E_total."""
    conv = record.conventions
    loss = get_loss(conv.loss)
    total = "mean over the samples" if conv.mode == "batch-mean" else "sum over the samples"
    return [_matrix_table("T (targets)", record.T, samples, names[-1], digits),
            Table(f"E per sample ({loss.formula}) and E_total ({total})", ("sample", "E"),
                  tuple((s, fmt(e, digits)) for s, e in zip(samples, record.E))
                  + (("E_total", fmt(record.E_total, digits)),))]


def _backward_tables(record: MatrixStep, l: int, names: list[list[str]], samples: list[str],
                     digits: int) -> list[Table]:
    """dA, (softmax: J), dZ, dW, dB and the updates W+, B+ of layer l."""
    conv = record.conventions
    layer = record.layers[l - 1]
    m = len(samples)
    below = "X" if l == 1 else f"A{l - 1}"
    if l == len(record.layers):
        da = f"dA{l} = dE/dA{l} = {_LOSS_DERIVATIVE[conv.loss].replace('A', f'A{l}')}"
        if conv.tolerance:
            da += f", 0 where |T - A{l}| ≤ dmax = {fmt(conv.tolerance, digits)}"
    else:
        used = f"W{l + 1}+" if conv.order == "sequential" else f"W{l + 1}"
        da = f"dA{l} = dZ{l + 1}·{used}ᵀ"
    tables = [_matrix_table(da, layer.dA, samples, names[l], digits)]
    if layer.J is not None:
        for s in range(m):
            tables.append(_matrix_table(f"J{l}[{samples[s]}] = dA{l}/dZ{l}, J[k, j] = A_k·(δ_kj - A_j)",
                                        layer.J[s], names[l], names[l], digits))
        dz = f"dZ{l}[s] = J{l}[s]ᵀ·dA{l}[s]"
    else:
        dz = f"dZ{l} = dA{l} ⊙ {_DERIVATIVE[layer.activation].replace('A', f'A{l}').replace('Z', f'Z{l}')}"
        if conv.flat_spot:
            dz = f"{dz[:dz.index('⊙') + 2]}({dz[dz.index('⊙') + 2:]} + c), c = {fmt(conv.flat_spot, digits)}"
    tables.append(_matrix_table(dz, layer.dZ, samples, names[l], digits))
    scale = f"/{m}" if conv.mode == "batch-mean" and m > 1 else ""
    tables.append(_matrix_table(f"dW{l} = {below}ᵀ·dZ{l}{scale}", layer.dW, names[l - 1], names[l], digits))
    if layer.B is not None:
        what = "Σ over samples and neurons" if layer.B.ndim == 0 else "Σ over samples (rows)"
        tables.append(_matrix_table(f"dB{l} = {what} of dZ{l}{scale}", layer.dB, [], names[l], digits))
    lr = fmt(conv.learning_rate, digits)
    if layer.rule is not None:
        tables += _rule_tables(layer, l, names, digits)
    w_title = f"W{l}+ = W{l} - {lr}·dW{l}" if layer.rule is None else f"W{l}+ = W{l} + ΔW{l}"
    tables.append(_matrix_table(w_title, layer.W_new, names[l - 1], names[l], digits))
    if layer.B is not None:
        b_title = f"B{l}+ = B{l} - {lr}·dB{l}" if layer.rule is None else f"B{l}+ = B{l} + ΔB{l}"
        tables.append(_matrix_table(b_title if conv.update_biases else f"B{l}+ = B{l} (frozen)", layer.B_new, [],
                                    names[l], digits))
    return tables


def _rule_tables(layer, l: int, names: list[list[str]], digits: int) -> list[Table]:
    """The learning rule's arrays of layer l after the step (v_W2: the momentum buffer of W2 …),
    and the changes ΔW, ΔB (the rule's formulas are in the heading)."""
    tables = []
    for prefix, (for_W, for_B) in layer.rule.items():
        label = "Δ{}" if prefix == CHANGE else f"{prefix}_{{}}"
        tables.append(_matrix_table(f"{label.format(f'W{l}')} (learning rule)", for_W, names[l - 1], names[l], digits))
        if for_B is not None:
            tables.append(_matrix_table(f"{label.format(f'B{l}')} (learning rule)", for_B, [], names[l], digits))
    return tables


def matrix_header(record: MatrixStep, title: str = "") -> str:
    shape = "-".join([str(record.X.shape[1])] + [str(layer.W.shape[1]) for layer in record.layers])
    acts = "/".join(layer.activation for layer in record.layers)
    return (f"{title} — step {record.step}, matrix view (Y = X·W + B, W of shape (fan_in, fan_out)): "
            f"{shape} network ({acts}); {record.conventions.describe(record.bias_mode)}")


def render_matrix_step(record: MatrixStep, fmt_name: str = "plain", digits: int = DEFAULT_DIGITS,
                       title: str = "") -> str:
    """The step's matrices as text (plain, github, latex or html)."""
    heading = render_heading(matrix_header(record, title), fmt_name)
    return heading + "\n\n" + render_tables(matrix_tables(record, digits), fmt_name)


def matrix_json(record: MatrixStep) -> dict:
    """Every matrix as nested lists (full precision), by the names the tables use."""
    document = {"step": record.step, "X": record.X.tolist(), "T": record.T.tolist(), "layers": []}
    for layer in record.layers:
        entry = {"name": layer.name, "activation": layer.activation}
        for key in ("W", "B", "Z", "A", "dA", "J", "dZ", "dW", "dB", "W_new", "B_new"):
            value = getattr(layer, key)
            entry[key.replace("_new", "+")] = None if value is None else np.asarray(value).tolist()
        for prefix, (for_W, for_B) in (layer.rule or {}).items():  # the learning rule's arrays
            label = "Δ{}" if prefix == CHANGE else f"{prefix}_{{}}"
            entry[label.format("W")] = np.asarray(for_W).tolist()
            entry[label.format("B")] = None if for_B is None else np.asarray(for_B).tolist()
        document["layers"].append(entry)
    document.update(E=record.E.tolist(), E_total=float(record.E_total), E_total_after=float(record.E_total_after))
    return document
