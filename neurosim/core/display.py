"""How a notebook shows the core objects (`_repr_html_`), without the core knowing the views.

The views register one HTML renderer per type when they are imported (neurosim/views/report.py;
importing `neurosim` imports them); `html_of` asks for it. Records flow up to the views, never the
other way: the core only holds the registry.
"""

from __future__ import annotations

from collections.abc import Callable

_HTML: dict[type, Callable[[object], str]] = {}


def register_html(kind: type, render: Callable[[object], str]) -> None:
    """Show objects of type `kind` in a notebook as `render(obj)` (an HTML fragment)."""
    _HTML[kind] = render


def html_of(obj) -> str | None:
    """The registered HTML of `obj`, or None (the notebook then shows its repr)."""
    render = _HTML.get(type(obj))
    return None if render is None else render(obj)
