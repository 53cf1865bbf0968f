"""The names of neurons, weights and biases (DESIGN.md §4), from the layer sizes alone.

Inputs i1, i2, …; hidden neurons h1, h2, … (with more than one hidden layer: h1_1, h1_2, … for
hidden layer 1, h2_1, … for hidden layer 2); outputs o1, o2, …. Weights w1, w2, … are numbered
layer by layer, for each target neuron in order, its incoming connections in source order
(w1: i1→h1, w2: i2→h1, w3: i1→h2, …). Biases are b1, b2, … one per layer when shared (Mazur's
code), or b_h1, b_h2, …, b_o1, … one per neuron.
"""

from __future__ import annotations

from collections.abc import Sequence


def neuron_names(sizes: Sequence[int]) -> list[list[str]]:
    """Names per layer: i1.. for inputs, h1.. (or h1_1.. with several hidden layers), o1.. outputs."""
    names = [[f"i{k}" for k in range(1, sizes[0] + 1)]]
    hidden = sizes[1:-1]
    for layer, size in enumerate(hidden, start=1):
        prefix = "h" if len(hidden) == 1 else f"h{layer}_"
        names.append([f"{prefix}{k}" for k in range(1, size + 1)])
    names.append([f"o{k}" for k in range(1, sizes[-1] + 1)])
    return names


def weight_names(sizes: Sequence[int]) -> list[str]:
    """w1 … wN, N = Σ fan_in·fan_out over the layers."""
    count = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    return [f"w{k}" for k in range(1, count + 1)]


def bias_names(sizes: Sequence[int], bias_mode: str) -> list[str]:
    """b1.. (shared: one per layer after the input), b_h1.. (per-neuron), or none."""
    if bias_mode == "none":
        return []
    if bias_mode == "shared":
        return [f"b{k}" for k in range(1, len(sizes))]
    return [f"b_{name}" for layer in neuron_names(sizes)[1:] for name in layer]


def layer_label(index: int, n_layers: int) -> str:
    """'input', 'hidden', 'hidden 2', …, 'output' for layer `index` of `n_layers` layers."""
    if index == 0:
        return "input"
    if index == n_layers - 1:
        return "output"
    return "hidden" if n_layers == 3 else f"hidden {index}"
