"""The matrix view of a step as tables: every matrix with its shape, in the order NumPy code
computes them (X, then per layer W, B, Z = X·W + B, A = f(Z); the loss; then from the output layer
down dA, dZ, dW = Xᵀ·dZ, dB, and the updates W+ = W - η·dW), so a learner can diff it line by line
against their own code. Rows are samples (s1, s2, …) or source neurons; columns are neurons.
"""

from __future__ import annotations

import attrs
import numpy as np

from ..core.combined import combined_output
from ..core.losses import get_loss
from ..core.network import neuron_names
from ..core.rules import CHANGE
from ..engines.matrix import MatrixStep
from ..messages import say, say_count
from .elide import ELIDED, ELIDED_AT_SIZE, Shown, kept
from .numbers import DEFAULT_DIGITS, fmt
from .tables import WIDTH, Table, layer_phrase, render_heading, render_tables

MAX_COLUMNS = 9  # a matrix with more columns shows its first and last ones (unless --full)
JACOBIANS_SHOWN = 4  # the softmax Jacobians of the first samples (unless --full)

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


def _factor(text: str) -> str:
    """A formula as a factor of ⊙: in parentheses when it has a top-level + or - ('1 - A1⊙A1')."""
    depth = 0
    for k, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        if depth == 0 and char in "+-" and text[k - 1:k] == " ":
            return f"({text})"
    return text


def _joined(*notes: str) -> str:
    return "\n".join(note for note in notes if note)


def shape_text(array: np.ndarray) -> str:
    return "(" + ", ".join(str(n) for n in array.shape) + (",)" if array.ndim == 1 else ")")


def _matrix_table(title: str, array: np.ndarray, rows: list[str], columns: list[str], digits: int,
                  shown: Shown = ELIDED_AT_SIZE) -> Table:
    """A matrix as a table: title with its shape, one row per row label; at size (unless --full) the
    first and last rows and columns, with … between them and a note of the range of every entry."""
    array = np.asarray(array)
    if array.ndim == 0:
        return Table(title + say("   shape {shape} (a scalar, broadcast to every neuron)", shape=shape_text(array)),
                     (say("value"),), ((fmt(array, digits),),))
    title = title + say("   shape {shape}", shape=shape_text(array))
    grid = array.reshape(1, -1) if array.ndim == 1 else array
    labels = [""] if array.ndim == 1 else list(rows)
    row_at = kept(grid.shape[0], shown.row_limit, shown)
    col_at = kept(grid.shape[1], MAX_COLUMNS, shown, head=MAX_COLUMNS - 3, tail=2)
    headers = tuple(columns[j] if j is not None else ELIDED for j in col_at)
    body = tuple((labels[i], *(fmt(grid[i, j], digits) if j is not None else ELIDED for j in col_at))
                 if i is not None else (ELIDED,) * (len(col_at) + 1) for i in row_at)
    note = "" if len(row_at) == grid.shape[0] and len(col_at) == grid.shape[1] else _range_note(grid, labels, columns)
    if array.ndim == 1:
        return Table(title, headers, tuple(row[1:] for row in body), note)
    return Table(title, ("", *headers), body, note)


def _range_note(grid: np.ndarray, rows: list[str], columns: list[str]) -> str:
    finite = np.where(np.isfinite(grid), grid, np.nan)
    if np.all(np.isnan(finite)):
        return say("{count} entries, none finite.", count=f"{grid.size:,}")
    low, high = np.unravel_index(np.nanargmin(finite), grid.shape), np.unravel_index(np.nanargmax(finite), grid.shape)

    def where(i, j):
        return f"{rows[i]}, {columns[j]}" if rows[i] else columns[j]
    return say("{rows} × {columns} entries, from {low} ({low_at}) to {high} ({high_at}); --full prints every entry.",
               rows=f"{grid.shape[0]:,}", columns=f"{grid.shape[1]:,}", low=fmt(grid[low]), low_at=where(*low),
               high=fmt(grid[high]), high_at=where(*high))


def matrix_tables(record: MatrixStep, digits: int = DEFAULT_DIGITS, shown: Shown = ELIDED_AT_SIZE) -> list[Table]:
    """Every matrix of the step, in computation order."""
    sizes = [record.X.shape[1]] + [layer.W.shape[1] for layer in record.layers]
    names = neuron_names(sizes)
    samples = [f"s{s + 1}" for s in range(record.X.shape[0])]
    tables = [_matrix_table(say("X (inputs, one sample per row)"), record.X, samples, names[0], digits, shown)]
    for l in range(1, len(record.layers) + 1):
        tables += _forward_tables(record, l, sizes, names, samples, digits, shown)
    tables += _loss_tables(record, names, samples, digits, shown)
    for l in range(len(record.layers), 0, -1):  # backward, from the output layer down
        tables += _backward_tables(record, l, names, samples, digits, shown)
    tables.append(_matrix_table(say("A{n}+ (outputs with the updated parameters)", n=len(record.layers)),
                                record.A_after, samples, names[-1], digits, shown))
    tables.append(Table(say("E_total+ (recomputed with the updated parameters)"), ("E_total+",),
                        ((fmt(record.E_total_after, digits),),)))
    return tables


def _forward_tables(record: MatrixStep, l: int, sizes: list[int], names: list[list[str]], samples: list[str],
                    digits: int, shown: Shown) -> list[Table]:
    """W, B, Z = X·W + B and A = f(Z) of layer l (1 is the first layer after the inputs)."""
    layer = record.layers[l - 1]
    below = "X" if l == 1 else f"A{l - 1}"
    w_first = f"w{sum(a * b for a, b in zip(sizes[:l - 1], sizes[1:l])) + 1}"
    tables = [_matrix_table(say("W{l} ({layer}; W{l}[i, j] is the weight from i to j, W{l}[0, 0] = {first})", l=l,
                                layer=layer_phrase(layer.name), first=w_first), layer.W, names[l - 1], names[l],
                            digits, shown)]
    z = f"{below}·W{l}"
    if layer.B is not None:
        tables.append(_matrix_table(f"B{l}", layer.B, [], names[l], digits, shown))
        z += f" + B{l}"
    tables.append(_matrix_table(f"Z{l} = {z}", layer.Z, samples, names[l], digits, shown))
    tables.append(_matrix_table(f"A{l} = {_FUNCTION[layer.activation].replace('Z', f'Z{l}')}",
                                layer.A, samples, names[l], digits, shown))
    return tables


def _loss_tables(record: MatrixStep, names: list[list[str]], samples: list[str], digits: int,
                 shown: Shown) -> list[Table]:
    """The targets, each sample's E and E_total."""
    conv = record.conventions
    loss = get_loss(conv.loss)
    total = say("mean over the samples") if conv.mode == "batch-mean" else say("sum over the samples")
    return [_matrix_table(say("T (targets)"), record.T, samples, names[-1], digits, shown),
            Table(say("E per sample ({formula}) and E_total ({total})", formula=loss.formula, total=total),
                  (say("sample"), "E"),
                  tuple((samples[s], fmt(record.E[s], digits)) if s is not None else (ELIDED, ELIDED)
                        for s in kept(len(samples), shown.row_limit, shown))
                  + (("E_total", fmt(record.E_total, digits)),))]


def _backward_tables(record: MatrixStep, l: int, names: list[list[str]], samples: list[str],
                     digits: int, shown: Shown) -> list[Table]:
    """dA, (softmax: J), dZ, dW, dB and the updates W+, B+ of layer l."""
    conv = record.conventions
    layer = record.layers[l - 1]
    m = len(samples)
    below = "X" if l == 1 else f"A{l - 1}"
    if l == len(record.layers):
        da = f"dA{l} = dE/dA{l} = {_LOSS_DERIVATIVE[conv.loss].replace('A', f'A{l}')}"
        if conv.tolerance:
            da += say(", 0 where |T - A{l}| ≤ dmax = {dmax}", l=l, dmax=fmt(conv.tolerance, digits))
    else:
        used = f"W{l + 1}+" if conv.order == "sequential" else f"W{l + 1}"
        da = f"dA{l} = dZ{l + 1}·{used}ᵀ"
    tables = [_matrix_table(da, layer.dA, samples, names[l], digits, shown)]
    plain_factors = not conv.flat_spot and not conv.tolerance  # else the factor form (as the engine)
    pair = combined_output(layer.activation, conv.loss) if l == len(record.layers) and plain_factors else None
    if layer.J is not None:
        shown_j = m if shown.full else min(m, JACOBIANS_SHOWN)
        for s in range(shown_j):
            tables.append(_matrix_table(f"J{l}[{samples[s]}] = dA{l}/dZ{l}, J[k, j] = A_k·(δ_kj - A_j)",
                                        layer.J[s], names[l], names[l], digits, shown))
        if shown_j < m:
            tables[-1] = attrs.evolve(tables[-1], note=_joined(tables[-1].note, say_count(
                "The Jacobian of {count} more sample ({samples}) is not shown; --full shows every sample's.",
                "The Jacobians of {count} more samples ({samples}) are not shown; --full shows every sample's.",
                m - shown_j, samples=" … ".join(dict.fromkeys((samples[shown_j], samples[-1]))))))
        dz = f"dZ{l}[s] = J{l}[s]ᵀ·dA{l}[s]"
    else:
        derivative = _DERIVATIVE[layer.activation].replace('A', f'A{l}').replace('Z', f'Z{l}')
        if conv.flat_spot:
            dz = f"dZ{l} = dA{l} ⊙ ({derivative} + c), c = {fmt(conv.flat_spot, digits)}"
        else:  # ⊙ binds tighter than -, as * in NumPy: dA1 * (1 - A1*A1)
            dz = f"dZ{l} = dA{l} ⊙ {_factor(derivative)}"
    if pair is not None:  # computed in the combined form, finite where dA is not (core/combined.py)
        simple = pair.delta_text(f"A{l}", "T", len(names[l]), 1, "Σ_row T").replace(f"/{len(names[l])}", "/n")
        if pair.loss == "cce":
            simple = f"A{l}⊙Σ_row T - T"
        dz = f"{dz.replace('[s]', '')} = {simple} ({pair.label})"
    tables.append(_matrix_table(dz, layer.dZ, samples, names[l], digits, shown))
    scale = f"/{m}" if conv.mode == "batch-mean" and m > 1 else ""
    tables.append(_matrix_table(f"dW{l} = {below}ᵀ·dZ{l}{scale}", layer.dW, names[l - 1], names[l], digits, shown))
    if layer.B is not None:
        what = say("Σ over samples and neurons") if layer.B.ndim == 0 else say("Σ over samples (rows)")
        tables.append(_matrix_table(say("dB{l} = {what} of dZ{l}{scale}", l=l, what=what, scale=scale), layer.dB, [],
                                    names[l], digits, shown))
    lr = fmt(conv.learning_rate, digits)
    if layer.rule is not None:
        tables += _rule_tables(layer, l, names, digits, shown)
    w_title = f"W{l}+ = W{l} - {lr}·dW{l}" if layer.rule is None else f"W{l}+ = W{l} + ΔW{l}"
    tables.append(_matrix_table(w_title, layer.W_new, names[l - 1], names[l], digits, shown))
    if layer.B is not None:
        b_title = f"B{l}+ = B{l} - {lr}·dB{l}" if layer.rule is None else f"B{l}+ = B{l} + ΔB{l}"
        title = b_title if conv.update_biases else say("B{l}+ = B{l} (frozen)", l=l)
        tables.append(_matrix_table(title, layer.B_new, [], names[l], digits, shown))
    return tables


def _rule_tables(layer, l: int, names: list[list[str]], digits: int, shown: Shown) -> list[Table]:
    """The learning rule's arrays of layer l after the step (v_W2: the momentum buffer of W2 …),
    and the changes ΔW, ΔB (the rule's formulas are in the heading)."""
    tables = []
    for prefix, (for_W, for_B) in layer.rule.items():
        label = "Δ{}" if prefix == CHANGE else f"{prefix}_{{}}"
        tables.append(_matrix_table(say("{matrix} (learning rule)", matrix=label.format(f"W{l}")), for_W, names[l - 1],
                                    names[l], digits, shown))
        if for_B is not None:
            tables.append(_matrix_table(say("{matrix} (learning rule)", matrix=label.format(f"B{l}")), for_B, [],
                                        names[l], digits, shown))
    return tables


def matrix_header(record: MatrixStep, title: str = "") -> str:
    shape = "-".join([str(record.X.shape[1])] + [str(layer.W.shape[1]) for layer in record.layers])
    acts = "/".join(layer.activation for layer in record.layers)
    return (say("{title} — step {step}, matrix view (Y = X·W + B, W of shape (fan_in, fan_out)): {shape} network "
                "({activations})", title=title, step=record.step, shape=shape, activations=acts)
            + say("; ") + record.conventions.describe(record.bias_mode))


def render_matrix_step(record: MatrixStep, fmt_name: str = "plain", digits: int = DEFAULT_DIGITS,
                       title: str = "", width: int = WIDTH, shown: Shown = ELIDED_AT_SIZE) -> str:
    """The step's matrices as text (plain, github, latex or html; the plain heading wrapped to `width`)."""
    if hasattr(record, "named"):  # shared weights: im2col, a row per time step (engines/shared_matrix.py)
        heading = say("{title} — step {step}, matrix view: {shape} network ({activations})", title=title,
                      step=record.step, shape=record.shape, activations="/".join(record.activations))
        heading += say("; ") + record.conventions.describe(record.bias_mode, record.kinds)
        tables = [_matrix_table(say(t.title, sample=t.sample), t.array, list(t.rows), list(t.columns), digits, shown)
                  for t in record.tables]
        return render_heading(heading, fmt_name, width) + "\n\n" + render_tables(tables, fmt_name)
    heading = render_heading(matrix_header(record, title), fmt_name, width)
    return heading + "\n\n" + render_tables(matrix_tables(record, digits, shown), fmt_name)


def matrix_json(record: MatrixStep) -> dict:
    """Every matrix as nested lists (full precision), by the names the tables use."""
    if hasattr(record, "named"):
        return {"step": record.step, "matrices": [{"name": t.title.format(sample=t.sample), "rows": list(t.rows),
                                                   "columns": list(t.columns),
                                                   "value": np.asarray(t.array).tolist()} for t in record.tables],
                "E_total": float(record.named["E_total"])}
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
