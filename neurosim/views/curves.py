"""The course of a run (engines/history.RunHistory) as curves: the loss against the step (log
scale when it falls by more than a factor 100), and every weight (solid) and bias (dashed)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..engines.history import RunHistory
from ..errors import NeurosimError
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
    """Every weight (solid) and bias (dashed) against the step; a legend up to 16 of them."""
    figure, ax = figure_and_axes(ax, (6.4, 4.2))
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
