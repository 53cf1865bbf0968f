"""The learning rules write their formulas as text templates ("{}·{} + (1 - {})·{}²", core/rules);
`parse_template` reads such a template into an expression tree (expr.py), so a rule's displayed
formula and the formula evaluated are the same text."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .expr import Add, Call, Const, Div, Expr, Mul, Neg, Pow

_TOKENS = re.compile(r"\s*(\{\}|\d+(?:\.\d+)?|max|min|sign|abs|√|[-+·/^²(),])")


class _Parser:
    """Recursive descent over a template: expr = term (± term)*; term = [-] unary ((·|/) unary)*;
    unary = -unary | power; power = atom (^unary | ²)*; atom = {} | number | (expr) | √atom | fn(…)."""

    def __init__(self, template: str, leaves: Sequence[Expr]):
        self.tokens = _tokens(template)
        self.at = 0
        self.leaves = list(leaves)
        self.used = 0

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise ValueError(f"expected {expected!r} at token {self.at}")
        self.at += 1
        return token

    def expr(self) -> Expr:
        items = [self.term()]
        while self.peek() in ("+", "-"):
            op = self.take()
            term = self.term()
            items.append(Neg(term) if op == "-" else term)
        return items[0] if len(items) == 1 else Add(tuple(items))

    def term(self) -> Expr:
        negative = self.peek() == "-"  # -a·b is -(a·b)
        if negative:
            self.take()
        node = self.unary()
        while self.peek() in ("·", "/"):
            op = self.take()
            right = self.unary()
            if op == "/":
                node = Div(node, right)
            else:
                node = Mul((*node.items, right)) if type(node) is Mul else Mul((node, right))
        return Neg(node) if negative else node

    def unary(self) -> Expr:
        if self.peek() == "-":
            self.take()
            return Neg(self.unary())
        return self.power()

    def power(self) -> Expr:
        node = self.atom()
        while self.peek() in ("^", "²"):
            node = Pow(node, Const(2.0)) if self.take() == "²" else Pow(node, self.atom())
        return node

    def atom(self) -> Expr:
        token = self.take()
        if token == "{}":
            self.used += 1
            return self.leaves[self.used - 1]
        if token == "(":
            node = self.expr()
            self.take(")")
            return node
        if token == "√":
            return Call("√", (self.atom(),))
        if token in ("max", "min", "sign", "abs"):
            self.take("(")
            args = [self.expr()]
            while self.peek() == ",":
                self.take()
                args.append(self.expr())
            self.take(")")
            return Call(token, tuple(args))
        return Const(float(token))


def _tokens(template: str) -> list[str]:
    tokens, at = [], 0
    while at < len(template):
        if template[at:].strip() == "":
            break
        match = _TOKENS.match(template, at)
        if match is None:
            raise ValueError(f"cannot read {template[at:]!r}")
        tokens.append(match.group(1))
        at = match.end()
    return tokens


def parse_template(template: str, leaves: Sequence[Expr]) -> Expr | None:
    """The tree of a rule's formula template, its `{}` filled with `leaves` in order; None when the
    template is not one this reader knows (the formula then has no tree: nothing follows from it)."""
    try:
        parser = _Parser(template, leaves)
        node = parser.expr()
        if parser.peek() is not None or parser.used != len(leaves):
            return None
        return node
    except (ValueError, IndexError):
        return None


