"""How a notebook shows the core objects (`_repr_html_`), without the core knowing the views.

The views register one HTML renderer per type when they are imported (neurosim/views/report.py);
`html_of` asks for it, first running the loaders the package registered (neurosim/__init__.py imports
the views when an object is first shown). Records flow up to the views, never the other way: the
core only holds the registry.
"""

from __future__ import annotations

from collections.abc import Callable

_HTML: dict[type, Callable[[object], str]] = {}
_LOADERS: list[Callable[[], None]] = []  # run once, when an HTML view is first asked for


def register_html(kind: type, render: Callable[[object], str]) -> None:
    """Show objects of type `kind` in a notebook as `render(obj)` (an HTML fragment)."""
    _HTML[kind] = render


def register_loader(load: Callable[[], None]) -> None:
    """Run `load()` (which registers renderers) before the first HTML view is made."""
    _LOADERS.append(load)


def html_of(obj) -> str | None:
    """The registered HTML of `obj`, or None (the notebook then shows its repr)."""
    while _LOADERS:
        _LOADERS.pop(0)()
    render = _HTML.get(type(obj))
    return None if render is None else render(obj)
