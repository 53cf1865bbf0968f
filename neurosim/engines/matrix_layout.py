"""A network's parameters in matrix form, and back: one W of shape (fan_in, fan_out) per layer,
W[i, j] the weight from neuron i of the layer below to neuron j (w1 = W1[0, 0], w2 = W1[1, 0],
w3 = W1[0, 1], …), and one B: (fan_out,) per-neuron, a scalar if shared, None without biases."""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np

from ..core.arithmetic import exact
from ..core.network import Network


@attrs.frozen(eq=False)
class MatrixLayer:
    """W (fan_in, fan_out) and B ((fan_out,) per-neuron, () shared, None without biases)."""

    name: str
    activation: str
    W: np.ndarray
    B: np.ndarray | None

    def __repr__(self) -> str:
        bias = "no B" if self.B is None else f"B{tuple(self.B.shape)}"
        return f"MatrixLayer({self.name}: W{self.W.shape}, {bias}, {self.activation})"


def _layer_arrays(network: Network, weight, bias, dtype) -> list[tuple[np.ndarray, np.ndarray | None]]:
    """One (W, B) per layer from `weight(connection)` and `bias(Bias)`: W of shape (fan_in, fan_out);
    B a scalar for a shared bias, a vector per neuron, or None without biases."""
    result = []
    for layer in network.layers[1:]:
        W = np.array([[weight(c) for c in n.incoming] for n in layer.neurons], dtype=dtype).T.copy()
        if network.bias_mode == "none":
            B = None
        elif network.bias_mode == "shared":
            B = np.array(bias(layer.neurons[0].bias), dtype=dtype)
        else:
            B = np.array([bias(n.bias) for n in layer.neurons], dtype=dtype)
        result.append((W, B))
    return result


def matrices_from(network: Network, dtype: str = "float64") -> list[MatrixLayer]:
    """The network's weights and biases as one W (and B) per layer."""
    arrays = _layer_arrays(network, lambda c: c.weight, lambda b: b.value, dtype)
    return [MatrixLayer(layer.name, layer.activation.name, W, B)
            for layer, (W, B) in zip(network.layers[1:], arrays)]


def store_into(network: Network, layers: Sequence[MatrixLayer] | Sequence[tuple], keep=float) -> None:
    """Write W and B of every layer back into the network's connections and biases."""
    for layer, item in zip(network.layers[1:], layers):
        W, B = (item.W, item.B) if isinstance(item, MatrixLayer) else item
        rows = W.T.tolist()  # Python floats: in float64 (keep = exact) nothing is left to convert
        for j, neuron in enumerate(layer.neurons):
            for conn, value in zip(neuron.incoming, rows[j] if keep is exact else map(keep, rows[j])):
                conn.weight = value
        if B is not None:
            if B.ndim == 0:
                layer.neurons[0].bias.value = keep(B)
            else:
                for neuron, value in zip(layer.neurons, B.tolist()):
                    neuron.bias.value = keep(value)


def parameter_names(network: Network) -> list[tuple[np.ndarray, np.ndarray | None]]:
    """The names w1.., b1.. laid out like W and B of each layer (object arrays)."""
    return _layer_arrays(network, lambda c: c.name, lambda b: b.name, object)
