"""The activations' and losses' formulas as expression trees (expr.py), written as the tables write
them (core/activations.py, core/losses.py): out = 1/(1+e^(-net)), dout/dnet = out·(1-out),
E_o = ½·(target - out)², dE/dout = -(target - out) …, so that the diagnosis can change one piece
of them (an operand, a sign, the derivative of another activation). A test evaluates each tree at
the values of every built-in scenario and compares it with the objects' own result.
"""

from __future__ import annotations

from .expr import Add, Call, Const, Div, Expr, Mul, Neg, Pow

ONE, TWO, HALF = Const(1.0), Const(2.0), Const(0.5, "½")


def minus(a: Expr, b: Expr) -> Expr:
    """a - b."""
    return Add((a, Neg(b)))


def sigmoid_tree(net: Expr) -> Expr:
    """1/(1+e^(-net))."""
    return Div(ONE, Add((ONE, Call("exp", (Neg(net),)))))


def activation_tree(name: str, net: Expr) -> Expr | None:
    """out = f(net) of an elementwise activation (None for softmax, a layer-level one)."""
    if name == "sigmoid":
        return sigmoid_tree(net)
    if name == "linear":
        return net
    if name in ("tanh", "relu", "leaky_relu", "softplus"):
        return Call(name, (net,))
    return None


def derivative_tree(name: str, net: Expr, out: Expr) -> Expr | None:
    """dout/dnet = f'(net), written from out where the textbook does."""
    if name in ("sigmoid", "softmax"):  # softmax: the diagonal entry of its Jacobian
        return Mul((out, minus(ONE, out)))
    if name == "tanh":
        return minus(ONE, Pow(out, TWO))
    if name == "linear":
        return ONE
    if name == "relu":
        return Call("step", (net,))
    if name == "leaky_relu":
        return Call("leaky_step", (net,))
    if name == "softplus":
        return Call("σ", (net,))
    return None


# The derivatives a person may take in place of the right one (a slip of one formula), by the
# activation they belong to; "of-net" is the right formula applied to net instead of out.
OTHER_DERIVATIVES: tuple[tuple[str, str], ...] = (
    ("sigmoid", "out·(1-out)"), ("tanh", "1-out²"), ("one-minus-out", "1-out"), ("linear", "1"),
    ("of-net", "f'(net) with net for out"),
)


def other_derivative(kind: str, right: str, net: Expr, out: Expr) -> Expr | None:
    """The derivative `kind` (OTHER_DERIVATIVES) in place of activation `right`'s; None if it is
    the same formula."""
    if kind == "of-net":
        return derivative_tree(right, net, net) if right in ("sigmoid", "tanh", "softmax") else None
    if kind == right or (kind == "sigmoid" and right == "softmax"):
        return None
    if kind == "one-minus-out":
        return minus(ONE, out)
    return derivative_tree(kind, net, out)


def loss_tree(name: str, t: Expr, o: Expr, n: int) -> Expr | None:
    """E_o = the loss term of one output (n outputs)."""
    count = Const(float(n))
    if name == "half_sse":
        return Mul((HALF, Pow(minus(t, o), TWO)))
    if name == "sse":
        return Pow(minus(t, o), TWO)
    if name == "mse":
        return Div(Pow(minus(t, o), TWO), count)
    if name == "mae":
        return Div(Call("abs", (minus(t, o),)), count)
    if name == "bce":
        inner = Add((Mul((t, Call("ln", (o,)))), Mul((minus(ONE, t), Call("ln", (minus(ONE, o),))))))
        return Div(Neg(inner), count)
    if name == "cce":
        return Neg(Mul((t, Call("ln", (o,)))))
    return None


def loss_derivative_tree(name: str, t: Expr, o: Expr, n: int) -> Expr | None:
    """dE/dout of one output."""
    count = Const(float(n))
    if name == "half_sse":
        return Neg(minus(t, o))
    if name == "sse":
        return Neg(Mul((TWO, minus(t, o))))
    if name == "mse":
        return Div(Neg(Mul((TWO, minus(t, o)))), count)
    if name == "mae":
        return Div(Call("sign", (minus(o, t),)), count)
    if name == "bce":
        return Div(minus(o, t), Mul((o, minus(ONE, o), count)))
    if name == "cce":
        return Neg(Div(t, o))
    if name == "none":
        return ONE
    return None


def combined_delta_tree(activation: str, loss: str, t: Expr, o: Expr, n: int, target_total: float) -> Expr | None:
    """delta of an output in the combined form of its activation and the loss (core/combined.py):
    sigmoid with bce (out - target)/n; softmax with cce out·Σ_k target_k - target."""
    if (activation, loss) == ("sigmoid", "bce"):
        return minus(o, t) if n == 1 else Div(minus(o, t), Const(float(n)))
    if (activation, loss) == ("softmax", "cce"):
        return minus(o, t) if target_total == 1 else minus(Mul((o, Const(target_total, "Σ_k target_k"))), t)
    return None
