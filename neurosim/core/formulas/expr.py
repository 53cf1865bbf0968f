"""Formulas as small expression trees over named quantities: evaluated with any values, written
with names or with numbers, and changed one piece at a time (the slips of check/slips.py).

    Var("out_h1", 1)          a quantity of step 1 (its value comes from the values given)
    Const(0.5, "η")           a named constant (η, β1, t …) or a plain number (symbol "")
    Add((a, Neg(b)))          a - b          Mul((a, b))   a·b          Div(a, b)   a/b
    Pow(a, Const(2))          a²             Call("σ", (net,))          a function of its arguments

text.py writes a tree out (with names or numbers), template.py reads the learning rules' formula
templates into trees. Pure functions; nothing here prints.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

import attrs

from ..activations import ACTIVATIONS


class Expr:
    """A node of a formula (see the module docstring)."""

    __slots__ = ()


@attrs.frozen
class Var(Expr):
    name: str
    step: int


@attrs.frozen
class Const(Expr):
    value: float
    symbol: str = ""


@attrs.frozen
class Neg(Expr):
    item: Expr


@attrs.frozen
class Add(Expr):
    items: tuple[Expr, ...]


@attrs.frozen
class Mul(Expr):
    items: tuple[Expr, ...]


@attrs.frozen
class Div(Expr):
    num: Expr
    den: Expr


@attrs.frozen
class Pow(Expr):
    base: Expr
    exponent: Expr


@attrs.frozen
class Call(Expr):
    fn: str
    args: tuple[Expr, ...]


def _step_of(slope: float) -> Callable[[float], float]:
    return lambda x: 1.0 if x > 0 else slope


def _safe_exp(x: float) -> float:
    return math.exp(x) if x < 709.0 else math.inf


def _ln(x: float) -> float:
    return math.log(x) if x > 0 else (-math.inf if x == 0 else math.nan)


def _sqrt(x: float) -> float:
    return math.sqrt(x) if x >= 0 else math.nan


def _sign(x: float) -> float:
    return float(x > 0) - float(x < 0)


FUNCTIONS: dict[str, Callable[..., float]] = {
    "σ": ACTIVATIONS["sigmoid"].scalar, "tanh": math.tanh, "relu": lambda x: x if x > 0 else 0.0,
    "leaky_relu": lambda x: x if x > 0 else 0.01 * x, "softplus": ACTIVATIONS["softplus"].scalar,
    "step": _step_of(0.0), "leaky_step": _step_of(0.01), "exp": _safe_exp, "ln": _ln, "√": _sqrt,
    "max": max, "min": min, "sign": _sign, "abs": abs,
}


def round_half_up(x: float, decimals: int) -> float:
    """x rounded half-up to `decimals` decimals, as a calculator shows it (15 significant digits)."""
    if not math.isfinite(x):
        return x
    shown = Decimal(f"{x:.15g}")
    if shown.adjusted() + decimals >= 15:  # already no finer than that: the calculator shows it as it is
        return float(shown)
    return float(shown.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def round_significant(x: float, digits: int) -> float:
    """x rounded half-up to `digits` significant digits."""
    if not math.isfinite(x) or x == 0:
        return x
    return round_half_up(x, digits - 1 - math.floor(math.log10(abs(x))))


for _k in range(16):
    FUNCTIONS[f"round{_k}"] = lambda x, k=_k: round_half_up(x, k)
    FUNCTIONS[f"sig{_k + 1}"] = lambda x, k=_k + 1: round_significant(x, k)


def evaluate(expr: Expr, values: Mapping[tuple[int, str], float]) -> float:
    """The value of `expr` with each Var's value looked up by (step, name) in `values`."""
    try:
        return _eval(expr, values)
    except (OverflowError, ZeroDivisionError, ValueError):
        return math.nan


def _eval(e: Expr, values) -> float:
    t = type(e)
    if t is Var:
        return values[(e.step, e.name)]
    if t is Const:
        return e.value
    if t is Add:
        total = 0.0
        for item in e.items:
            total += _eval(item, values)
        return total
    if t is Mul:
        items = e.items
        product = _eval(items[0], values)
        for item in items[1:]:
            product *= _eval(item, values)
        return product
    if t is Neg:
        return -_eval(e.item, values)
    if t is Div:
        den = _eval(e.den, values)
        num = _eval(e.num, values)
        return num / den if den != 0 else (math.copysign(math.inf, num) if num else math.nan)
    if t is Pow:
        base, exponent = _eval(e.base, values), _eval(e.exponent, values)
        return base * base if exponent == 2 else base ** exponent
    return FUNCTIONS[e.fn](*(_eval(a, values) for a in e.args))


def variables(expr: Expr) -> Iterator[Var]:
    """Every Var occurrence of `expr`, left to right (a Var used twice comes twice)."""
    t = type(expr)
    if t is Var:
        yield expr
    elif t in (Add, Mul):
        for item in expr.items:
            yield from variables(item)
    elif t is Neg:
        yield from variables(expr.item)
    elif t is Div:
        yield from variables(expr.num)
        yield from variables(expr.den)
    elif t is Pow:
        yield from variables(expr.base)
        yield from variables(expr.exponent)
    elif t is Call:
        for a in expr.args:
            yield from variables(a)


def operands(expr: Expr) -> tuple[Var, ...]:
    """The distinct Vars of `expr`, in order of first use."""
    seen: dict[Var, None] = {}
    for v in variables(expr):
        seen.setdefault(v, None)
    return tuple(seen)


def nodes(expr: Expr, path: tuple[int, ...] = ()) -> Iterator[tuple[tuple[int, ...], Expr]]:
    """(path, node) of every node, the root first; a path is the child indexes from the root."""
    yield path, expr
    for i, child in enumerate(children(expr)):
        yield from nodes(child, (*path, i))


def children(e: Expr) -> tuple[Expr, ...]:
    t = type(e)
    if t in (Add, Mul):
        return e.items
    if t is Neg:
        return (e.item,)
    if t is Div:
        return (e.num, e.den)
    if t is Pow:
        return (e.base, e.exponent)
    if t is Call:
        return e.args
    return ()


def with_children(e: Expr, kids: Sequence[Expr]) -> Expr:
    t = type(e)
    if t in (Add, Mul):
        return t(tuple(kids))
    if t is Neg:
        return Neg(kids[0])
    if t is Div:
        return Div(kids[0], kids[1])
    if t is Pow:
        return Pow(kids[0], kids[1])
    if t is Call:
        return Call(e.fn, tuple(kids))
    return e


def replace_at(expr: Expr, path: tuple[int, ...], new: Expr) -> Expr:
    """`expr` with the node at `path` replaced by `new`."""
    if not path:
        return new
    kids = list(children(expr))
    kids[path[0]] = replace_at(kids[path[0]], path[1:], new)
    return with_children(expr, kids)


def substitute(expr: Expr, old: Expr, new: Expr) -> Expr:
    """`expr` with every occurrence of `old` replaced by `new`."""
    if expr == old:
        return new
    kids = children(expr)
    return with_children(expr, [substitute(k, old, new) for k in kids]) if kids else expr
