"""matplotlib on demand: imported only when a picture is drawn (without it, a one-line
NeurosimError names the install command), a plain Figure (no pyplot, nothing global, never shown)
when the caller gives no `ax`, and saving as .png, .svg or .pdf."""

from __future__ import annotations

from ..errors import NeurosimError
from ..messages import say

INSTALL_HINT = "pictures need matplotlib, which is not installed: pip install '.[plot]' (or pip install matplotlib)"


def has_matplotlib() -> bool:
    """Whether matplotlib can be imported (without importing it)."""
    import importlib.util

    return importlib.util.find_spec("matplotlib") is not None


def require_matplotlib():
    """The matplotlib module, or a one-line NeurosimError naming the install command."""
    try:
        import matplotlib
    except ImportError:
        raise NeurosimError(INSTALL_HINT) from None
    return matplotlib


def figure_and_axes(ax, size):
    """(ax's figure, ax), or a new constrained-layout Figure of `size` inches with one axes."""
    if ax is not None:
        return ax.figure, ax
    require_matplotlib()
    from matplotlib.figure import Figure

    figure = Figure(figsize=size, layout="constrained")
    return figure, figure.add_subplot()


def save_figure(figure, path) -> None:
    """Save as .png, .svg or .pdf (by suffix) through a temporary file renamed at the end."""
    from pathlib import Path

    from ..textfiles import atomic_path

    suffix = Path(path).suffix.lower()
    if suffix not in (".png", ".svg", ".pdf"):
        raise NeurosimError(say("{path}: unknown picture format '{suffix}' (use .png, .svg or .pdf)", path=path,
                                suffix=suffix or say("(none)")))
    with atomic_path(path) as temp:
        figure.savefig(temp, format=suffix[1:], dpi=150)
