"""A formula (expr.py) written out: with names (`render`, default `symbol`) or with any other
writing of its leaves (numbers), and as plain data for JSON (`to_data`: a page evaluates the same
trees in JavaScript)."""

from __future__ import annotations

import re
from collections.abc import Callable

from .expr import Add, Call, Const, Div, Expr, Mul, Neg, Pow, Var

_ROUNDING = re.compile(r"(round|sig)(\d+)")
_PRECEDENCE = {Add: 1, Neg: 2, Mul: 3, Div: 3, Pow: 5}


def symbol(leaf: Expr) -> str:
    """A leaf written with its name: a Var's name, a constant's symbol (η) or its number (0.5)."""
    if type(leaf) is Var:
        return leaf.name
    return leaf.symbol or f"{leaf.value:g}"


def render(expr: Expr, leaf: Callable[[Expr], str] = symbol) -> str:
    """The formula as text; `leaf(node)` writes a Var or a Const (default: with names, `symbol`)."""
    return _render(expr, leaf, 0)


def _render(e: Expr, leaf, outer: int) -> str:
    t = type(e)
    if t in (Var, Const):
        text = leaf(e)
        return f"({text})" if outer >= 2 and text.startswith("-") else text
    if t is Call:
        args = ", ".join(_render(a, leaf, 0) for a in e.args)
        if e.fn == "√":
            return f"√({args})" if type(e.args[0]) not in (Var, Const) else f"√{args}"
        rounding = _ROUNDING.fullmatch(e.fn)
        if rounding:  # round3: to 3 decimals; sig3: to 3 significant digits
            return f"{'round' if rounding.group(1) == 'round' else 'round_sig'}({args}, {rounding.group(2)})"
        if e.fn == "exp":
            return f"e^({args})" if type(e.args[0]) not in (Var, Const) else f"e^{args}"
        return f"{e.fn}({args})"
    own = _PRECEDENCE[t]
    if t is Add:
        text = _render(e.items[0], leaf, own)
        for item in e.items[1:]:
            if type(item) is Neg:
                text += " - " + _render(item.item, leaf, own + 1)
            else:
                text += " + " + _render(item, leaf, own)
    elif t is Neg:
        text = "-" + _render(e.item, leaf, own + 1)
    elif t is Mul:
        text = "·".join(_render(item, leaf, own) for item in e.items)
    elif t is Div:
        text = _render(e.num, leaf, own) + "/" + _render(e.den, leaf, own + 1)
    else:  # Pow
        base = _render(e.base, leaf, own + 1)
        exponent = e.exponent
        if type(exponent) is Const and exponent.value == 2 and not exponent.symbol:
            text = base + "²"
        else:
            text = base + "^" + _render(exponent, leaf, own + 1)
    return f"({text})" if own < outer or (t is Neg and outer > 0) else text


def to_data(expr: Expr) -> list:
    """The tree as nested lists: ["var", name, step], ["const", value, symbol], ["neg", x],
    ["add", [x…]], ["mul", [x…]], ["div", a, b], ["pow", a, b], ["call", fn, [x…]] (fn: FUNCTIONS)."""
    t = type(expr)
    if t is Var:
        return ["var", expr.name, expr.step]
    if t is Const:
        return ["const", expr.value, expr.symbol]
    if t is Neg:
        return ["neg", to_data(expr.item)]
    if t in (Add, Mul):
        return ["add" if t is Add else "mul", [to_data(item) for item in expr.items]]
    if t is Div:
        return ["div", to_data(expr.num), to_data(expr.den)]
    if t is Pow:
        return ["pow", to_data(expr.base), to_data(expr.exponent)]
    return ["call", expr.fn, [to_data(a) for a in expr.args]]
