"""The forward pass as NumPy matrices in the two layouts of the tutorial "Building blocks of an ANN"
§4–5, with every shape.

    Y = XW + B   samples are rows:    X (m, n_in),  W (n_in, n_out),  B (n_out,) broadcast to (m, n_out)
    Y = WX + B   samples are columns: X (n_in, m),  W (n_out, n_in),  B (n_out, 1) broadcast to (n_out, m)

In both, Z = the weighted sums, A = f(Z) layer by layer. W[i, j] of Y = XW + B is the weight of the
connection from neuron i of the layer below to neuron j (Y = WX + B uses its transpose). The arrays
get the dtypes of a NumPy program: parameters float32 in the float32 and float32-params modes,
inputs float32 only in the float32 mode (NumPy promotes float32 · int64 to float64).
Nothing here prints; `layout_tables` returns tables.
"""

from __future__ import annotations

import numpy as np

from ..core.exercise import Spec
from ..core.network import Network
from ..errors import NeurosimError
from ..messages import say
from .numbers import fmt
from .tables import Table


def layer_matrices(network: Network) -> list[tuple[np.ndarray, np.ndarray]]:
    """(W, b) per layer in the Y = XW + B layout: W (n_below, n_here), b (n_here,) (zeros if no bias)."""
    result = []
    for layer in network.layers[1:]:
        w = np.array([[c.weight for c in n.incoming] for n in layer.neurons], dtype=np.float64).T
        b = np.array([n.bias.value if n.bias is not None else 0.0 for n in layer.neurons], dtype=np.float64)
        result.append((w, b))
    return result


def _text(array: np.ndarray, digits: int) -> str:
    if array.ndim == 1:
        return "[" + ", ".join(fmt(v, digits) for v in array) + "]"
    return "[" + ", ".join(_text(row, digits) for row in array) + "]"


def forward_both_layouts(spec: Spec, network: Network | None = None):
    """Rows (layout, matrix, shape, array) of the forward pass in both layouts, and the outputs
    (samples as rows) of each layout."""
    network = network or spec.build_network()
    dtype = spec.conventions.arithmetic.dtype
    param_type = np.float64 if dtype == "float64" else np.float32
    input_type = np.float32 if dtype == "float32" else np.float64
    x = np.array(spec.inputs, dtype=input_type)
    mats = [(w.astype(param_type), b.astype(param_type)) for w, b in layer_matrices(network)]
    acts = [layer.activation for layer in network.layers[1:]]
    if any(act.layer_level for act in acts):
        raise NeurosimError("report.extra: the 'layouts' table does not handle softmax layers")
    rows, outputs = [], []
    for layout in ("Y = XW + B", "Y = WX + B"):
        rowwise = layout == "Y = XW + B"
        a = x if rowwise else x.T
        rows.append((layout, "X", a))
        for k, ((w, b), act) in enumerate(zip(mats, acts), start=1):
            w_here = w if rowwise else w.T
            b_here = b if rowwise else b[:, np.newaxis]
            z = a @ w_here + b_here if rowwise else w_here @ a + b_here
            rows += [(layout, f"W{k}", w_here), (layout, f"B{k}", b_here), (layout, f"Z{k}", z)]
            a = act.array(z)
            rows.append((layout, f"A{k}", a))
        outputs.append(a if rowwise else a.T)
    return rows, outputs


def layout_tables(spec: Spec, digits: int) -> list[Table]:
    """The forward pass in both layouts, every matrix with its shape, plus the broadcasting pitfall."""
    rows, outputs = forward_both_layouts(spec)
    body = [(layout, name, str(tuple(array.shape)), str(array.dtype), _text(np.atleast_1d(array), digits))
            for layout, name, array in rows]
    note = say("a 1-d B (n,) is broadcast as a row (1, n): WX (n, 1) + B (n,) becomes (n, n); B must be a column "
               "(n, 1)")
    titles = (say("layout"), say("matrix"), say("shape"), "dtype", say("values"))
    tables = [Table(say("Forward pass as matrices: Z = XW + B (samples as rows) and Z = WX + B (samples as columns); "
                        "A = f(Z)"), titles, tuple(body))]
    first = network_first_layer_shapes(spec)
    if first is not None:
        tables.append(Table(say("The broadcasting pitfall of \"Building blocks of an ANN\" §4"),
                            (say("expression"), say("shapes"), say("result shape")), (first, (say("why"), note, "")),))
    return tables


def network_first_layer_shapes(spec: Spec) -> tuple[str, str, str] | None:
    """What NumPy makes of W1·X + B1 when B1 is 1-d (None when it raises instead)."""
    n_in, n_hidden, m = spec.layers[0], spec.layers[1], len(spec.inputs)
    try:
        z = np.zeros((n_hidden, m)) + np.zeros(n_hidden)
    except ValueError:
        return None
    return (say("W1·X + B1 with B1 of shape (n,)"), f"({n_hidden}, {n_in})·({n_in}, {m}) + ({n_hidden},)",
            str(tuple(z.shape)))
