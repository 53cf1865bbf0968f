"""A 2-input network's output over the plane of its inputs, with the training points coloured by
their targets: one output as its value with the contour halfway between the targets; several as
the class with the largest output. The outputs come from `network_outputs`, all points at once."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..core.network import Network
from ..errors import NeurosimError
from .figures import figure_and_axes
from .numbers import fmt


def network_outputs(network: Network, points: np.ndarray) -> np.ndarray:
    """Outputs for many input rows at once (float64): out = f(W·x + b) layer by layer."""
    values = np.asarray(points, dtype=float)
    for layer in network.layers[1:]:
        weights = np.array([[c.weight for c in n.incoming] for n in layer.neurons])
        biases = np.array([n.bias.value if n.bias is not None else 0.0 for n in layer.neurons])
        net = values @ weights.T + biases
        if layer.activation.layer_level:  # softmax, row by row
            e = np.exp(net - net.max(axis=1, keepdims=True))
            values = e / e.sum(axis=1, keepdims=True)
        else:
            values = np.asarray(layer.activation.value(net), dtype=float)
    return values


def decision_surface(network: Network, samples: Sequence, *, ax=None, resolution: int = 200,
                     title: str | None = None):
    """The network's output over the plane of its two inputs, with the training points."""
    if network.sizes[0] != 2:
        raise NeurosimError(f"a decision surface needs a network with 2 inputs; this one "
                            f"({network.shape_text()}) has {network.sizes[0]}")
    figure, ax = figure_and_axes(ax, (5.6, 4.6))
    inputs = np.array([s[0] for s in samples], dtype=float)
    targets = np.array([s[1] for s in samples], dtype=float)
    lo, hi = inputs.min(axis=0), inputs.max(axis=0)
    margin = np.maximum(0.25 * (hi - lo), 0.5)
    xs = np.linspace(lo[0] - margin[0], hi[0] + margin[0], resolution)
    ys = np.linspace(lo[1] - margin[1], hi[1] + margin[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    outputs = network_outputs(network, np.column_stack([gx.ravel(), gy.ravel()]))
    if network.sizes[-1] == 1:
        surface = outputs[:, 0].reshape(gx.shape)
        t_lo, t_hi = float(targets.min()), float(targets.max())
        vmin, vmax = min(t_lo, float(surface.min())), max(t_hi, float(surface.max()))
        filled = ax.contourf(gx, gy, surface, levels=20, cmap="RdBu_r", vmin=vmin, vmax=vmax)
        figure.colorbar(filled, ax=ax, label="out_o1")
        if t_hi > t_lo and surface.min() < (t_lo + t_hi) / 2 < surface.max():
            ax.contour(gx, gy, surface, levels=[(t_lo + t_hi) / 2], colors="black", linewidths=1.5)
        ax.scatter(inputs[:, 0], inputs[:, 1], c=targets[:, 0], cmap="RdBu_r", vmin=vmin, vmax=vmax, s=90,
                   edgecolors="black", linewidths=1.2, zorder=3)
        what = f"out_o1; black line: out_o1 = {fmt((t_lo + t_hi) / 2, 4)}"
    else:
        classes = outputs.argmax(axis=1).reshape(gx.shape)
        k = network.sizes[-1]
        ax.contourf(gx, gy, classes, levels=np.arange(k + 1) - 0.5, cmap="tab10", vmin=-0.5, vmax=9.5, alpha=0.35)
        ax.scatter(inputs[:, 0], inputs[:, 1], c=targets.argmax(axis=1), cmap="tab10", vmin=-0.5, vmax=9.5, s=90,
                   edgecolors="black", linewidths=1.2, zorder=3)
        from matplotlib import colormaps
        from matplotlib.patches import Patch

        tab10 = colormaps["tab10"]
        ax.legend(handles=[Patch(color=tab10(j), alpha=0.6, label=f"o{j + 1} largest") for j in range(min(k, 10))],
                  fontsize=8, loc="upper right")
        what = "colour: the output with the largest value"
    for (x, y), t in zip(inputs, targets):
        ax.annotate("target " + ", ".join(fmt(v, 3) for v in t), (x, y), xytext=(8, 8), textcoords="offset points",
                    fontsize=8, bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.8))
    ax.set_xlabel("i1")
    ax.set_ylabel("i2")
    ax.set_title(title if title is not None else f"{network.shape_text()} network over the input plane\n{what}",
                 fontsize=10)
    return figure
