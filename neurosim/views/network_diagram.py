"""The network drawn as Mazur draws it: neurons as labelled circles, layer by layer; every
connection labelled `w5 = 0.4`; shared biases as their own nodes (b1, b2), per-neuron biases under
their neuron. Given the same network after training, labels read `w5 = 0.4 → 0.3589` and the
connections are coloured by the change: green increased, red decreased, grey unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..core.network import Network
from ..errors import NeurosimError
from .figures import figure_and_axes
from .label_placer import LabelPlacer
from .numbers import fmt

INCREASED, DECREASED, UNCHANGED = "#1a7f37", "#c62828", "#8c8c8c"
NEURON_FACE = {"input": "#e8f1fb", "output": "#fdf0e6"}
HIDDEN_FACE = "#eef7ee"
XGAP, YGAP = 3.4, 1.6  # inches between layers and between neurons (the axes are drawn 1 unit = 1 inch)


def _positions(sizes: Sequence[int], ygap: float) -> list[list[tuple[float, float]]]:
    """(x, y) of every neuron: layer i at x = i·XGAP; each layer centred on y = 0, top to bottom."""
    xgap = XGAP + 0.3 * max(0, max(sizes) - 2)
    return [[(x * xgap, ((size - 1) / 2.0 - k) * ygap) for k in range(size)] for x, size in enumerate(sizes)]


class _Diagram:
    """The geometry of one diagram (in inches) and its parts, drawn into an axes in z-order."""

    def __init__(self, network: Network, after: Network | None, digits: int, inputs, targets):
        self.network, self.digits = network, digits
        sizes = network.sizes
        tallest = max(sizes)
        self.ygap = ygap = min(YGAP, 9.0 / tallest)
        self.font = 9 if ygap >= 1.0 else 7
        self.radius = radius = min(0.26, 0.3 * ygap)
        self.pos = pos = _positions(sizes, ygap)
        self.where = {n.name: pos[i][k] for i, layer in enumerate(network.layers) for k, n in enumerate(layer.neurons)}
        self.new = after.parameters() if after is not None else None
        half = (tallest - 1) / 2.0 * ygap
        self.shared_y = -half - 0.9
        self.top = half + radius + 0.25
        self.bottom = (self.shared_y - 0.35) if network.bias_mode == "shared" else -half - radius - 0.45
        self.left = -radius - 0.3 - (0.6 if inputs is not None else 0.0)
        self.right = pos[-1][0][0] + radius + 0.3 + (1.3 if targets is not None else 0.0)
        self.label_box = dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.92)

    @property
    def size(self) -> tuple[float, float]:
        return (self.right - self.left + 0.3, self.top - self.bottom + 1.2)

    def colour(self, name: str, old: float) -> str:
        if self.new is None:
            return "#444444"
        change = self.new[name] - old
        return INCREASED if change > 0 else DECREASED if change < 0 else UNCHANGED

    def text(self, name: str, old: float) -> str:
        label = f"{name} = {fmt(old, self.digits)}"
        if self.new is not None and self.new[name] != old:
            label += f" → {fmt(self.new[name], self.digits)}"
        return label

    def draw_connections(self, ax, labels: bool) -> None:
        """Every connection as a line; with `labels`, its name and value on it. Each label sits on
        its own line, at the best spot near the preferred one: half way along a level line, a third
        of the way from the source on a slanted one (as Mazur draws them)."""
        network, where, radius = self.network, self.where, self.radius
        segments = [(*where[c.source.name], *where[c.target.name]) for c in network.connections]
        placer = LabelPlacer(self.font, segments)
        for x, y in where.values():
            placer.block(x - radius, y - radius, x + radius, y + radius)
        if network.bias_mode == "per-neuron":  # their labels go right under their neurons
            for b in network.biases:
                x, y = where[b.name[2:]]
                placer.block(*placer.box(self.text(b.name, b.value), x, y - radius - 0.06 - placer.height / 2))
        for (x0, y0, x1, y1), conn in zip(segments, network.connections):
            c = self.colour(conn.name, conn.weight)
            ax.plot([x0, x1], [y0, y1], color=c, lw=1.6 if self.new is not None and c != UNCHANGED else 1.1,
                    zorder=1)
        if not labels:
            return
        order = sorted(range(len(segments)), key=lambda k: abs(segments[k][1] - segments[k][3]))
        for k in order:
            conn = network.connections[k]
            x0, y0, x1, y1 = segments[k]
            label = self.text(conn.name, conn.weight)
            t = placer.place(label, k, 0.5 if abs(y1 - y0) < 1e-9 else 0.3)
            ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), label, fontsize=self.font,
                    color=self.colour(conn.name, conn.weight), ha="center", va="center", zorder=3,
                    bbox=self.label_box)

    def draw_biases(self, ax) -> None:
        """A shared bias as a node below the layers (Mazur's b1, b2), a per-neuron one as a label."""
        network, font = self.network, self.font
        for i, layer in enumerate(network.layers[1:], start=1):
            drawn = []
            for neuron in layer.neurons:
                bias = neuron.bias
                if bias is None:
                    continue
                c = self.colour(bias.name, bias.value)
                nx, ny = self.where[neuron.name]
                if network.bias_mode == "shared":
                    bx = (self.pos[i - 1][0][0] + self.pos[i][0][0]) / 2
                    ax.plot([bx, nx], [self.shared_y, ny], color=c, lw=0.8, ls=(0, (3, 2)), alpha=0.7, zorder=0)
                    if bias.name not in drawn:
                        drawn.append(bias.name)
                        ax.text(bx, self.shared_y, self.text(bias.name, bias.value), fontsize=font, color=c,
                                ha="center", va="center", zorder=4,
                                bbox=dict(boxstyle="round,pad=0.3", fc="#f7f7f7", ec=c, lw=0.8))
                else:
                    ax.text(nx, ny - self.radius - 0.06, self.text(bias.name, bias.value), fontsize=font - 1,
                            color=c, ha="center", va="top", zorder=4, bbox=self.label_box)

    def draw_neurons(self, ax, inputs, targets) -> None:
        """The neurons as circles with their names, and the sample's inputs and targets beside them."""
        from matplotlib.patches import Circle

        network, where, radius, font = self.network, self.where, self.radius, self.font
        for layer in network.layers:
            face = NEURON_FACE.get(layer.name, HIDDEN_FACE)
            for neuron in layer.neurons:
                x, y = where[neuron.name]
                ax.add_patch(Circle((x, y), radius, fc=face, ec="#333333", lw=1.2, zorder=5))
                ax.text(x, y, neuron.name, fontsize=font + 2, ha="center", va="center", zorder=6, weight="bold")
        if inputs is not None:
            for neuron, value in zip(network.input_layer.neurons, inputs):
                x, y = where[neuron.name]
                ax.text(x - radius - 0.08, y, fmt(value, self.digits), fontsize=font + 1, ha="right", va="center")
        if targets is not None:
            for neuron, value in zip(network.output_layer.neurons, targets):
                x, y = where[neuron.name]
                ax.text(x + radius + 0.08, y, f"target {fmt(value, self.digits)}", fontsize=font + 1, ha="left",
                        va="center")

    def draw_frame(self, ax, title: str | None) -> None:
        """Layer names along the top, the colour legend, the limits and the title."""
        network, font = self.network, self.font
        for i, layer in enumerate(network.layers):
            act = f" ({layer.activation.name})" if layer.activation else ""
            ax.text(self.pos[i][0][0], self.top, f"{layer.name}{act}", fontsize=font + 1, ha="center",
                    va="bottom", color="#333333")
        if self.new is not None:
            ax.text(0.0, 0.0, "green: increased    red: decreased    grey: unchanged", transform=ax.transAxes,
                    fontsize=font, color="#555555", va="top")
        ax.set_xlim(self.left, self.right)
        ax.set_ylim(self.bottom, self.top + 0.3)
        ax.set_aspect("equal")
        ax.set_axis_off()
        if title is None:
            title = f"{network.shape_text()} network" + (": before → after" if self.new is not None else "")
        if title:
            ax.set_title(title, fontsize=font + 3)


def network_diagram(network: Network, after: Network | None = None, *, ax=None, digits: int = 4,
                    inputs: Sequence[float] | None = None, targets: Sequence[float] | None = None,
                    labels: bool | None = None, title: str | None = None):
    """Draw `network` the way Mazur does; with `after`, show each parameter's change.

    `inputs` and `targets` (one sample) are written beside the input and output neurons. `labels`
    (default: True up to 60 connections) writes every connection's name and value on it.
    """
    if after is not None and (after.sizes != network.sizes or after.bias_mode != network.bias_mode):
        raise NeurosimError(f"after: a {after.shape_text()} network cannot be compared with a "
                            f"{network.shape_text()} one")
    labels = len(network.connections) <= 60 if labels is None else labels
    diagram = _Diagram(network, after, digits, inputs, targets)
    figure, ax = figure_and_axes(ax, diagram.size)
    diagram.draw_connections(ax, labels)
    diagram.draw_biases(ax)
    diagram.draw_neurons(ax, inputs, targets)
    diagram.draw_frame(ax, title)
    return figure
