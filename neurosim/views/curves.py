"""The course of a run (engines/history.RunHistory) as curves: the loss against the step (log
scale when it falls by more than a factor 100), and every weight (solid) and bias (dashed), named
in a legend or, when there are many, at their lines' ends."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..engines.history import RunHistory
from ..errors import NeurosimError
from ..messages import say
from .figures import figure_and_axes
from .numbers import fmt


def loss_curve(history: RunHistory, *, ax=None, log: bool | None = None, title: str | None = None):
    """E_total+ (all samples, after each step) against the step; in online training on several
    samples, also each step's own E_total (its one sample, before the update) in grey."""
    figure, ax = figure_and_axes(ax, (6.4, 4.0))
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
    """Every weight (solid) and bias (dashed) against the step; up to LEGEND_MAX of them named in a
    legend, more each by its name at its line's end (labels spread apart so that none overlap, a thin
    line joining each to its end), in a figure tall enough for them all."""
    names = list(history.names if names is None else names)
    for name in names:
        if name not in history.names:
            raise NeurosimError(say("no parameter named '{name}' (this run has {names})", name=name,
                                    names=", ".join(history.names)))
    labelled = len(names) > LEGEND_MAX
    height = max(4.2, len(names) * LABEL_FONT * LABEL_SPACING / 72 + TITLE_AND_AXIS) if labelled else 4.2
    figure, ax = figure_and_axes(ax, (7.2 if labelled else 6.4, height))
    colours = [PALETTE[k % len(PALETTE)] for k in range(len(names))]
    ends = []
    for k, name in enumerate(names):
        values = history.parameter(name)
        style = "--" if name.startswith("b") else ("-" if k < len(PALETTE) else "-.")
        ax.plot(history.steps, values, lw=1.4, ls=style, color=colours[k], label=name)
        ends.append(float(values[-1]))
    ax.set_xlabel(history.unit)
    ax.set_ylabel("value after the update")
    ax.grid(True, alpha=0.3)
    if labelled:
        _end_labels(ax, names, ends, colours, float(history.steps[-1]), height - TITLE_AND_AXIS)
    else:
        ax.legend(fontsize=8, ncol=2 if len(names) > 8 else 1, loc="center left", bbox_to_anchor=(1.01, 0.5))
    last = int(history.steps[-1])
    ax.set_title(title if title is not None else f"{_wrapped(history.title)}\nweights and biases over {last:,} "
                 f"{history.unit}s", fontsize=10)
    return figure


LEGEND_MAX = 16  # more lines than this are named at their ends, not in a legend
LABEL_FONT = 7.0  # points
LABEL_SPACING = 1.35  # a label's height, in font sizes
TITLE_AND_AXIS = 1.3  # inches of the figure's height outside the axes (title, axis label, ticks)
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#c7c7c7",
           "#dbdb8d", "#9edae5")  # matplotlib's tab20: dark and light pairs


def _end_labels(ax, names: Sequence[str], ends: Sequence[float], colours: Sequence[str], last_step: float,
                axes_inches: float) -> None:
    """Each name right of the axes at the height of its line's last value, moved up or down as little
    as keeps LABEL_SPACING font sizes between neighbours, and joined to its line's end."""
    y0, y1 = ax.get_ylim()
    gap = LABEL_FONT * LABEL_SPACING / 72 / max(axes_inches, 1.0)  # in axes fractions
    order = sorted((k for k in range(len(names)) if np.isfinite(ends[k])), key=lambda k: ends[k])
    placed = _spread([(ends[k] - y0) / (y1 - y0) for k in order], gap)
    for k, y in zip(order, placed):
        text = tuple(0.62 * int(colours[k][i:i + 2], 16) / 255 for i in (1, 3, 5))  # darker: readable on white
        ax.annotate(names[k], xy=(last_step, ends[k]), xycoords="data", xytext=(1.03, y), textcoords="axes fraction",
                    fontsize=LABEL_FONT, color=text, va="center", annotation_clip=False,
                    arrowprops={"arrowstyle": "-", "color": colours[k], "lw": 0.5, "shrinkA": 1, "shrinkB": 0})


def _spread(wanted: Sequence[float], gap: float) -> list[float]:
    """Heights (ascending `wanted`) at least `gap` apart, each as near its wanted height as that allows,
    kept within [0, 1] where they fit."""
    placed: list[float] = []
    for y in wanted:
        placed.append(max(y, placed[-1] + gap) if placed else max(y, 0.0))
    if placed and placed[-1] > 1.0:  # pushed past the top: from the top down
        placed[-1] = 1.0
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = min(placed[i], placed[i + 1] - gap)
    return placed
