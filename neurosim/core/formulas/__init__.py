"""Every quantity of a traced step as a formula over the quantities it is computed from
(graph.py), written as small expression trees (expr.py) with the activations' and losses' formulas
(functions.py): the dependencies that the diagnosis follows through a hand calculation and that a
page evaluates with a student's values."""

from .expr import Expr, evaluate
from .graph import Formula, StepFormulas
from .text import render

__all__ = ["Expr", "Formula", "StepFormulas", "evaluate", "render"]
