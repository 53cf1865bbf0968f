"""Pictures (matplotlib, the optional `plot` extra): the network as Mazur draws it, loss curves,
weight trajectories and decision surfaces.

matplotlib is imported only when a picture is drawn; without it, `NeurosimError` says how to
install it. Every function takes an optional matplotlib `ax` to draw into and returns the figure.
Without an `ax` the figure is a plain `matplotlib.figure.Figure` (no pyplot, nothing global, never
shown): Jupyter displays a returned figure, and a script calls `fig.savefig("net.png")`.

- `network_diagram(network, after=None)`: neurons as labelled circles, layer by layer; every
  connection labelled `w5 = 0.4`; shared biases as their own nodes (b1, b2), per-neuron biases under
  their neuron. With `after` (the same network after training), labels read `w5 = 0.4 → 0.3589` and
  the connections are coloured by the change: green increased, red decreased, grey unchanged.
- `loss_curve(history)`: E_total+ (all samples, after each step) against the step; log scale when
  the loss falls by more than a factor 100.
- `weight_trajectories(history)`: every weight (solid) and bias (dashed) against the step.
- `decision_surface(network, samples)`: for 2-input networks, the output over the input plane
  (one output: its value, with the contour halfway between the targets; several: the class with the
  largest output) and the training points coloured by their targets.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ..errors import NeurosimError
from ..engines.history import RunHistory
from ..core.network import Network
from .numbers import fmt

INSTALL_HINT = "pictures need matplotlib, which is not installed: pip install '.[plot]' (or pip install matplotlib)"

INCREASED, DECREASED, UNCHANGED = "#1a7f37", "#c62828", "#8c8c8c"
NEURON_FACE = {"input": "#e8f1fb", "output": "#fdf0e6"}
HIDDEN_FACE = "#eef7ee"


def require_matplotlib():
    """The matplotlib module, or a one-line NeurosimError naming the install command."""
    try:
        import matplotlib
    except ImportError:
        raise NeurosimError(INSTALL_HINT) from None
    return matplotlib


def _figure_and_axes(ax, size):
    if ax is not None:
        return ax.figure, ax
    require_matplotlib()
    from matplotlib.figure import Figure

    figure = Figure(figsize=size, layout="constrained")
    return figure, figure.add_subplot()


# -- the network --------------------------------------------------------------------------------
XGAP, YGAP = 3.4, 1.6  # inches between layers and between neurons (the axes are drawn 1 unit = 1 inch)


def _positions(sizes: Sequence[int], ygap: float) -> list[list[tuple[float, float]]]:
    """(x, y) of every neuron: layer i at x = i·XGAP; each layer centred on y = 0, top to bottom."""
    xgap = XGAP + 0.3 * max(0, max(sizes) - 2)
    return [[(x * xgap, ((size - 1) / 2.0 - k) * ygap) for k in range(size)] for x, size in enumerate(sizes)]


class _LabelPlacer:
    """Chooses where along its line each label goes so that labels stay readable.

    Label sizes are estimated from the font size (the axes are about 1 unit per inch). Each label
    goes to the candidate position that covers least of the labels already placed and of blocked
    areas (neurons), then crosses the fewest other lines; the candidate nearest the preferred
    position wins ties.
    """

    CANDIDATES = tuple(0.18 + 0.04 * k for k in range(17))  # 0.18 … 0.82

    def __init__(self, font: float, segments):
        self.char = 0.62 * font / 72 / 0.85
        self.height = 1.45 * font / 72 / 0.85
        self.boxes: list[tuple[float, float, float, float]] = []
        t = np.linspace(0.0, 1.0, 60)[None, :]
        ends = np.array(segments, dtype=float).reshape(-1, 4)
        self.xs = ends[:, :1] + t * (ends[:, 2:3] - ends[:, :1])  # points along every line
        self.ys = ends[:, 1:2] + t * (ends[:, 3:4] - ends[:, 1:2])

    def block(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.boxes.append((x0, y0, x1, y1))

    def box(self, label: str, x: float, y: float):
        w = len(label) * self.char / 2 + 0.04
        return (x - w, y - self.height / 2, x + w, y + self.height / 2)

    def _cost(self, box, own: int) -> float:
        covered = 0.0
        for other in self.boxes:
            dx = min(box[2], other[2]) - max(box[0], other[0])
            dy = min(box[3], other[3]) - max(box[1], other[1])
            if dx > 0 and dy > 0:
                covered += dx * dy
        inside = (self.xs > box[0]) & (self.xs < box[2]) & (self.ys > box[1]) & (self.ys < box[3])
        crossed = inside.any(axis=1)
        crossed[own] = False
        area = (box[2] - box[0]) * (box[3] - box[1])
        return 10.0 * covered / area + float(crossed.sum())

    def place(self, label: str, index: int, preferred: float) -> float:
        """The position t (0 at the source, 1 at the target) for the label of line `index`."""
        x0, y0, x1, y1 = self.xs[index, 0], self.ys[index, 0], self.xs[index, -1], self.ys[index, -1]
        best = None
        for t in sorted(self.CANDIDATES, key=lambda t: abs(t - preferred)):
            box = self.box(label, x0 + t * (x1 - x0), y0 + t * (y1 - y0))
            cost = self._cost(box, index)
            if best is None or cost < best[0] - 1e-9:
                best = (cost, t, box)
            if cost == 0:
                break
        self.boxes.append(best[2])
        return best[1]


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
    sizes = network.sizes
    tallest = max(sizes)
    ygap = min(YGAP, 9.0 / tallest)
    font = 9 if ygap >= 1.0 else 7
    radius = min(0.26, 0.3 * ygap)
    labels = len(network.connections) <= 60 if labels is None else labels
    pos = _positions(sizes, ygap)
    where = {n.name: pos[i][k] for i, layer in enumerate(network.layers) for k, n in enumerate(layer.neurons)}
    new = after.parameters() if after is not None else None
    half = (tallest - 1) / 2.0 * ygap
    shared_y = -half - 0.9
    top = half + radius + 0.25
    bottom = (shared_y - 0.35) if network.bias_mode == "shared" else -half - radius - 0.45
    left = -radius - 0.3 - (0.6 if inputs is not None else 0.0)
    right = pos[-1][0][0] + radius + 0.3 + (1.3 if targets is not None else 0.0)
    figure, ax = _figure_and_axes(ax, (right - left + 0.3, top - bottom + 1.2))

    def colour(name: str, old: float) -> str:
        if new is None:
            return "#444444"
        change = new[name] - old
        return INCREASED if change > 0 else DECREASED if change < 0 else UNCHANGED

    def text(name: str, old: float) -> str:
        label = f"{name} = {fmt(old, digits)}"
        if new is not None and new[name] != old:
            label += f" → {fmt(new[name], digits)}"
        return label

    label_box = dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.92)
    segments = [(*where[c.source.name], *where[c.target.name]) for c in network.connections]
    placer = _LabelPlacer(font, segments)
    for name, (x, y) in where.items():
        placer.block(x - radius, y - radius, x + radius, y + radius)
    if network.bias_mode == "per-neuron":  # their labels go right under their neurons
        for b in network.biases:
            x, y = where[b.name[2:]]
            placer.block(*placer.box(text(b.name, b.value), x, y - radius - 0.06 - placer.height / 2))
    for (x0, y0, x1, y1), conn in zip(segments, network.connections):
        c = colour(conn.name, conn.weight)
        ax.plot([x0, x1], [y0, y1], color=c, lw=1.6 if new is not None and c != UNCHANGED else 1.1, zorder=1)
    # each label sits on its own line, at the best spot near the preferred one: half way along a
    # level line, a third of the way from the source on a slanted one (as Mazur draws them)
    if labels:
        order = sorted(range(len(segments)), key=lambda k: abs(segments[k][1] - segments[k][3]))
        for k in order:
            conn = network.connections[k]
            x0, y0, x1, y1 = segments[k]
            label = text(conn.name, conn.weight)
            t = placer.place(label, k, 0.5 if abs(y1 - y0) < 1e-9 else 0.3)
            ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), label, fontsize=font,
                    color=colour(conn.name, conn.weight), ha="center", va="center", zorder=3, bbox=label_box)

    # biases: a shared bias is a node below the layers (Mazur's b1, b2), a per-neuron one a label
    for i, layer in enumerate(network.layers[1:], start=1):
        drawn = []
        for neuron in layer.neurons:
            bias = neuron.bias
            if bias is None:
                continue
            c = colour(bias.name, bias.value)
            nx, ny = where[neuron.name]
            if network.bias_mode == "shared":
                bx = (pos[i - 1][0][0] + pos[i][0][0]) / 2
                ax.plot([bx, nx], [shared_y, ny], color=c, lw=0.8, ls=(0, (3, 2)), alpha=0.7, zorder=0)
                if bias.name not in drawn:
                    drawn.append(bias.name)
                    ax.text(bx, shared_y, text(bias.name, bias.value), fontsize=font, color=c, ha="center",
                            va="center", zorder=4, bbox=dict(boxstyle="round,pad=0.3", fc="#f7f7f7", ec=c, lw=0.8))
            else:
                ax.text(nx, ny - radius - 0.06, text(bias.name, bias.value), fontsize=font - 1, color=c,
                        ha="center", va="top", zorder=4, bbox=label_box)

    # neurons, with the sample's inputs and targets beside them
    from matplotlib.patches import Circle

    for layer in network.layers:
        face = NEURON_FACE.get(layer.name, HIDDEN_FACE)
        for neuron in layer.neurons:
            x, y = where[neuron.name]
            ax.add_patch(Circle((x, y), radius, fc=face, ec="#333333", lw=1.2, zorder=5))
            ax.text(x, y, neuron.name, fontsize=font + 2, ha="center", va="center", zorder=6, weight="bold")
    if inputs is not None:
        for neuron, value in zip(network.input_layer.neurons, inputs):
            x, y = where[neuron.name]
            ax.text(x - radius - 0.08, y, fmt(value, digits), fontsize=font + 1, ha="right", va="center")
    if targets is not None:
        for neuron, value in zip(network.output_layer.neurons, targets):
            x, y = where[neuron.name]
            ax.text(x + radius + 0.08, y, f"target {fmt(value, digits)}", fontsize=font + 1, ha="left",
                    va="center")

    for i, layer in enumerate(network.layers):  # layer names along the top
        act = f" ({layer.activation.name})" if layer.activation else ""
        ax.text(pos[i][0][0], top, f"{layer.name}{act}", fontsize=font + 1, ha="center", va="bottom", color="#333333")
    if new is not None:
        ax.text(0.0, 0.0, "green: increased    red: decreased    grey: unchanged", transform=ax.transAxes,
                fontsize=font, color="#555555", va="top")
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top + 0.3)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title is None:
        title = f"{network.shape_text()} network" + (": before → after" if new is not None else "")
    if title:
        ax.set_title(title, fontsize=font + 3)
    return figure


# -- a run ---------------------------------------------------------------------------------------
def loss_curve(history: RunHistory, *, ax=None, log: bool | None = None, title: str | None = None):
    """E_total+ (all samples, after each step) against the step; in online training on several
    samples, also each step's own E_total (its one sample, before the update) in grey."""
    figure, ax = _figure_and_axes(ax, (6.4, 4.0))
    steps, e_all = history.steps, history.E_all
    if not history.step_sees_all_samples:
        ax.plot(steps[1:], history.E_total[1:], color="#bbbbbb", lw=0.8,
                label=f"E_total of each {history.unit}'s own sample, before its update")
    ax.plot(steps, e_all, color="#1f5fa8", lw=1.8, label="E_total+ over all samples, after the update")
    positive = e_all[np.isfinite(e_all) & (e_all > 0)]
    if log is None:
        log = len(positive) == len(e_all) and positive.max() > 100 * positive.min()
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(history.unit)
    ax.set_ylabel("E_total")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="upper right")
    last = int(steps[-1])
    ax.set_title(title if title is not None else f"{_wrapped(history.title)}\nloss over {last:,} {history.unit}s "
                 f"(E_total+ = {fmt(e_all[-1], 9)} at the end)", fontsize=10)
    return figure


def _wrapped(title: str, width: int = 70) -> str:
    """A long scenario title over several lines, so that it fits above a plot."""
    import textwrap
    return "\n".join(textwrap.wrap(title, width)) or title


def weight_trajectories(history: RunHistory, *, ax=None, names: Sequence[str] | None = None,
                        title: str | None = None):
    """Every weight (solid) and bias (dashed) against the step; a legend up to 16 of them."""
    figure, ax = _figure_and_axes(ax, (6.4, 4.2))
    names = list(history.names if names is None else names)
    for name in names:
        if name not in history.names:
            raise NeurosimError(f"no parameter named '{name}' (this run has {', '.join(history.names)})")
    for name in names:
        ax.plot(history.steps, history.parameter(name), lw=1.4, ls="--" if name.startswith("b") else "-",
                label=name)
    ax.set_xlabel(history.unit)
    ax.set_ylabel("value after the update")
    ax.grid(True, alpha=0.3)
    if len(names) <= 16:
        ax.legend(fontsize=8, ncol=2 if len(names) > 8 else 1, loc="center left", bbox_to_anchor=(1.01, 0.5))
    last = int(history.steps[-1])
    ax.set_title(title if title is not None else f"{_wrapped(history.title)}\nweights and biases over {last:,} "
                 f"{history.unit}s", fontsize=10)
    return figure


# -- the input plane -----------------------------------------------------------------------------
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
    figure, ax = _figure_and_axes(ax, (5.6, 4.6))
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
        from matplotlib.patches import Patch
        from matplotlib import colormaps

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


def save_figure(figure, path) -> None:
    """Save as .png, .svg or .pdf (by suffix) through a temporary file renamed at the end."""
    from pathlib import Path

    from ..textfiles import atomic_path

    suffix = Path(path).suffix.lower()
    if suffix not in (".png", ".svg", ".pdf"):
        raise NeurosimError(f"{path}: unknown picture format '{suffix or '(none)'}' (use .png, .svg or .pdf)")
    with atomic_path(path) as temp:
        figure.savefig(temp, format=suffix[1:], dpi=150)
