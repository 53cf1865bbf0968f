"""Extra tables a scenario can ask for with `[report] extra = [...]`, printed after its traces.

    layouts             the forward pass as NumPy matrices, Y = XW + B and Y = WX + B (layouts.py)
    finite_differences  seed 000 §7's finite-difference gradients and descent beside the chain
                        rule (numeric.py)
"""

from __future__ import annotations

import difflib
import importlib

from .errors import NeurosimError

EXTRAS = {
    "layouts": ("layouts", "layout_tables"),
    "finite_differences": ("numeric", "finite_difference_tables"),
}


def check_extra(name: str) -> None:
    if name not in EXTRAS:
        hint = difflib.get_close_matches(name, EXTRAS, n=1)
        tip = f" (did you mean '{hint[0]}'?)" if hint else f" (choose from {', '.join(EXTRAS)})"
        raise NeurosimError(f"report.extra: unknown table '{name}'{tip}")


def extra_tables(spec, digits: int) -> list:
    """The extra tables `spec` asks for, in the order it lists them."""
    tables = []
    for name in spec.extra:
        module, function = EXTRAS[name]
        tables += getattr(importlib.import_module(f"{__package__}.{module}"), function)(spec, digits)
    return tables
