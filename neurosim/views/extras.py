"""Extra tables a scenario can ask for with `[report] extra = [...]`, printed after its traces.

    layouts             the forward pass as NumPy matrices, Y = XW + B and Y = WX + B (layouts.py)
    finite_differences  "Building blocks of an ANN" §7's finite-difference gradients and descent beside the chain
                        rule (numeric.py)
"""

from __future__ import annotations


def extra_tables(spec, digits: int) -> list:
    """The extra tables `spec` asks for, in the order it lists them (names: files.exercise.EXTRA_TABLES)."""
    from .layouts import layout_tables  # imported when a scenario asks for them (start-up time)
    from .numeric import finite_difference_tables

    makers = {"layouts": layout_tables, "finite_differences": finite_difference_tables}
    tables = []
    for name in spec.extra:
        tables += makers[name](spec, digits)
    return tables
