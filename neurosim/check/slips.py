"""The slips of one formula (stage 4 of the diagnosis tries them at each root): the formula as a
person may have written it by mistake, one piece changed. Each `Slip` has a stable `kind`, the
changed formula, a cost (how unusual a slip it is: one operand or one factor before anything
rarer) and what the sentence that names it says (`Slip.said`, names filled in by the caller).

    operand          another quantity in place of one operand (neighbours.py), one use or all
    term-left-out    a term of a sum left out            term-twice       a term counted twice
    factor-left-out  a factor (or divisor) left out      factor-squared   a factor used twice
    sign             the sign of one term or factor flipped, or of the whole value
    derivative       the derivative of another activation (1 - out for tanh's 1 - out²)
    gradient-back    dE/dw of the weights above sent back in place of delta·w
    constant         a constant other than the stated one (η, β1, t …, `constants.py`)
    state-zero       a given or carried state read as 0
    eps-in-root      ε inside the square root instead of outside (and the reverse)
    rounded          an operand or intermediate rounded to K decimals or K significant digits

The slips of the written number itself (transposed digits, a neighbouring line copied) are in
numberslips.py; the new weights for the old in every backward line is local.py's. SLIP_KINDS
lists every kind for `neurosim mistakes`. Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from ..core.formulas import Formula, StepFormulas
from ..core.formulas.expr import (
    Add,
    Call,
    Const,
    Div,
    Expr,
    Mul,
    Neg,
    Var,
    children,
    nodes,
    replace_at,
    substitute,
    variables,
)
from ..core.formulas.functions import OTHER_DERIVATIVES, derivative_tree, other_derivative
from ..core.formulas.text import render
from ..core.notation.quantity import parse
from ..messages import N_
from .constants import constant_values
from .neighbours import neighbours

# every kind of slip the local search tries (`neurosim mistakes` lists them; the ids are stable)
SLIP_KINDS: tuple[tuple[str, str], ...] = (
    ("operand", N_("another value in place of one operand: the neighbouring neuron's, another weight of the same "
                   "neuron or the same place in another layer, the transposed weight, the old weight for the new "
                   "and the reverse, the target for the output, another sample's, the step before's")),
    ("term-left-out", N_("a term of a sum left out")),
    ("term-twice", N_("a term of a sum counted twice")),
    ("factor-left-out", N_("a factor (or a divisor) left out")),
    ("factor-squared", N_("a factor used twice")),
    ("sign", N_("the sign of one term or factor flipped, or of the whole value (δ as (target - out)·f')")),
    ("derivative", N_("dout/dnet taken as another activation's derivative (the sigmoid's, tanh's 1-out², 1-out, 1) "
                      "or applied to net instead of out")),
    ("gradient-back", N_("the gradients of the weights above (dE/dw) sent back in place of delta·w")),
    ("factor-2", N_("an output's dE/dout with the factor 2 of the square kept or dropped")),
    ("constant", N_("a constant other than the stated one: a learning rate, momentum, β1, β2, ε or decay a person "
                    "would type (0.65, 0.9, 0.99 …), the timestep t off by one")),
    ("state-zero", N_("a given or carried state (m_w5 of the step before) read as 0")),
    ("eps-in-root", N_("ε inside the square root instead of outside")),
    ("rounded", N_("an operand or an intermediate (an exponential) rounded to K decimals or K significant digits "
                   "before it was used, or every exponential alike")),
    ("new-for-old", N_("the updated weights used in place of the old ones in the backward pass (and the reverse)")),
    ("transposed", N_("two adjacent digits of the written number transposed")),
    ("copied", N_("the value of a neighbouring line copied")),
)

ROUNDED_BEYOND = 2  # intermediates are tried rounded to 0 … (the decimals written + this) decimals
_ONE = {  # the rounding slips' sentences for k = 1
    "every {fn}(…) rounded to {k} decimals before it was used":
        N_("every {fn}(…) rounded to 1 decimal before it was used"),
    "{value} rounded to {k} decimals before it was used": N_("{value} rounded to 1 decimal before it was used"),
    "{value} rounded to {k} significant digits before it was used":
        N_("{value} rounded to 1 significant digit before it was used"),
}


def rounded_to(sentence: str, k: int) -> str:
    """A rounding slip's sentence for k decimals (or digits): its singular form for k = 1."""
    return _ONE[sentence] if k == 1 else sentence


ROUNDED_MOST = 15  # … and never to more than float64 holds (expr.py has round0 … round15)
WIDE = 60  # a formula of more operands than this is searched for its slips of structure at the top only


@attrs.frozen
class Slip:
    """One slip of a formula: `expr` is the formula as the student computed it."""

    kind: str
    expr: Expr
    cost: int
    sentence: str  # an N_ template; its placeholders are in `args`
    args: tuple[tuple[str, str], ...] = ()  # (placeholder, a quantity name or a number as text)

    @property
    def said_args(self) -> dict[str, str]:
        return dict(self.args)


def slips(graph: StepFormulas, formula: Formula, decimals: int = 6) -> Iterator[Slip]:
    """Every slip of `formula`'s first form (see the module docstring); `decimals`: those written,
    which bound the roundings tried."""
    expr = formula.expr
    if len(formula.operands) > WIDE:  # a neuron of a wide layer: its slips of structure at the top only
        yield from _top_structure(expr)
        return
    yield from _operands(graph, formula.step, expr)
    yield from _structure(expr)
    yield from _derivatives(graph, formula)
    yield from _gradients_back(graph, formula)
    yield from _factor_two(graph, formula)
    yield from _constants(expr)
    yield from _roundings(expr, range(0, min(decimals + ROUNDED_BEYOND, ROUNDED_MOST) + 1))


def _operands(graph: StepFormulas, step: int, expr: Expr) -> Iterator[Slip]:
    """Another quantity in place of one operand: at every use, and at each use alone when used twice."""
    occurrences = list(variables(expr))
    done = set()
    for var in occurrences:
        if var in done:
            continue
        done.add(var)
        uses = [path for path, node in nodes(expr) if node == var]
        for key in neighbours(graph, var.step, var.name):
            new = Var(key[1], key[0])
            args = (("used", _label(new, step)), ("right", _label(var, step)))
            yield Slip("operand", substitute(expr, var, new), 1, N_("{used} in place of {right}"), args)
            if len(uses) > 1:
                for k, path in enumerate(uses, start=1):
                    yield Slip("operand", replace_at(expr, path, new), 2,
                               N_("{used} in place of {right} (at its use number {k})"), (*args, ("k", str(k))))
        if var.step < step or _is_state(var):
            yield Slip("state-zero", substitute(expr, var, Const(0.0)), 1, N_("{right} read as 0"),
                       (("right", _label(var, step)),))


def _is_state(var: Var) -> bool:
    q = parse(var.name)
    return q is not None and q.kind == "rule_state"


def _label(var: Var, step: int) -> str:
    return var.name if var.step == step else f"{var.name}@{var.step}"


def _structure(expr: Expr) -> Iterator[Slip]:
    """Terms and factors left out, counted twice, or of the other sign."""
    for path, node in nodes(expr):
        if type(node) is Add:
            for i, item in enumerate(node.items):
                rest = node.items[:i] + node.items[i + 1:]
                yield Slip("term-left-out", replace_at(expr, path, rest[0] if len(rest) == 1 else Add(rest)), 1,
                           N_("the term {term} left out"), (("term", _text(item)),))
                yield Slip("term-twice", replace_at(expr, path, Add(node.items + (item,))), 2,
                           N_("the term {term} counted twice"), (("term", _text(item)),))
                flipped = item.item if type(item) is Neg else Neg(item)
                yield Slip("sign", replace_at(expr, path, Add(node.items[:i] + (flipped,) + node.items[i + 1:])), 1,
                           N_("the sign of the term {term} flipped"), (("term", _text(item)),))
        elif type(node) is Mul:
            for i, item in enumerate(node.items):
                rest = node.items[:i] + node.items[i + 1:]
                yield Slip("factor-left-out", replace_at(expr, path, rest[0] if len(rest) == 1 else Mul(rest)), 1,
                           N_("the factor {factor} left out"), (("factor", _text(item)),))
                yield Slip("factor-squared", replace_at(expr, path, Mul(node.items + (item,))), 2,
                           N_("the factor {factor} used twice"), (("factor", _text(item)),))
        elif type(node) is Div:
            yield Slip("factor-left-out", replace_at(expr, path, node.num), 1,
                       N_("the division by {factor} left out"), (("factor", _text(node.den)),))
        elif type(node) is Neg and path:
            yield Slip("sign", replace_at(expr, path, node.item), 1, N_("the minus sign of {term} left out"),
                       (("term", _text(node.item)),))
        if type(node) is Add and len(node.items) == 2 and _is_root(node.items[0]) and type(node.items[1]) is Const:
            inside = Call("√", (Add((node.items[0].args[0], node.items[1])),))
            yield Slip("eps-in-root", replace_at(expr, path, inside), 1, N_("{eps} added inside the square root"),
                       (("eps", node.items[1].symbol or _text(node.items[1])),))
    yield Slip("sign", Neg(expr), 1, N_("the sign of the whole value flipped"))


def _top_structure(expr: Expr) -> Iterator[Slip]:
    """The sign of the whole value; a factor of a top-level product left out."""
    yield Slip("sign", Neg(expr), 1, N_("the sign of the whole value flipped"))
    if type(expr) is Mul:
        for i, item in enumerate(expr.items):
            rest = expr.items[:i] + expr.items[i + 1:]
            yield Slip("factor-left-out", rest[0] if len(rest) == 1 else Mul(rest), 1,
                       N_("the factor {factor} left out"), (("factor", _text(item)),))


def _is_root(node: Expr) -> bool:
    return type(node) is Call and node.fn == "√"


def _text(node: Expr) -> str:
    return render(node, lambda leaf: leaf.name if type(leaf) is Var else (leaf.symbol or f"{leaf.value:g}"))


def _derivatives(graph: StepFormulas, formula: Formula) -> Iterator[Slip]:
    """dout/dnet taken as the derivative of another activation."""
    q = parse(formula.name)
    if q is None or q.kind != "dout_dnet":
        return
    rec = graph.records[formula.step]
    sample = q.sample if q.sample is not None else rec.trace.samples[0].index
    f = rec.forward.get((q.subject, sample))
    if f is None:
        return
    tag = rec.tag(sample)
    net, out = Var(f"net_{q.subject}{tag}", formula.step), Var(f"out_{q.subject}{tag}", formula.step)
    right = derivative_tree(f.activation, net, out)
    for kind, text in OTHER_DERIVATIVES:
        tree = other_derivative(kind, f.activation, net, out)
        if tree is not None and tree != right:
            yield Slip("derivative", tree, 1, N_("dout/dnet taken as {formula}"), (("formula", text),))


def _gradients_back(graph: StepFormulas, formula: Formula) -> Iterator[Slip]:
    """dE/dout_h = Σ_k dE/dw(h→k) — the gradients of the weights above sent back — in place of
    Σ_k delta_k·w(h→k)."""
    q = parse(formula.name)
    if q is None or q.kind != "dE_dout" or type(formula.expr) is not Add:
        return
    rec = graph.records[formula.step]
    sample = q.sample if q.sample is not None else rec.trace.samples[0].index
    items = []
    for item in formula.expr.items:
        c = parse(item.name) if type(item) is Var else None
        if c is None or c.kind != "contribution":
            return
        f = rec.forward.get((c.other, sample))
        weight = next((t.weight for t in f.terms if t.source == c.subject), None) if f else None
        if weight is None:
            return
        items.append(Var(f"dE/d{weight}{rec.tag(sample) if rec.batch else ''}", formula.step))
    if all(graph.value(v.step, v.name) is not None for v in items):
        yield Slip("gradient-back", Add(tuple(items)), 1,
                   N_("the gradients of the weights above (dE/dw) sent back in place of delta·w"))


def _factor_two(graph: StepFormulas, formula: Formula) -> Iterator[Slip]:
    """An output's dE/dout with the factor 2 of the square kept (-2(target - out) under ½SSE), or
    halved (the 2 of a squared error dropped)."""
    q = parse(formula.name)
    if q is None or q.kind != "dE_dout" or not q.subject.startswith("o"):
        return
    yield Slip("factor-2", Mul((Const(2.0), formula.expr)), 1, N_("the factor 2 of the square kept"))
    yield Slip("factor-2", Div(formula.expr, Const(2.0)), 1, N_("the factor 2 of the square dropped"))


def _constants(expr: Expr) -> Iterator[Slip]:
    """A named constant other than the stated one."""
    done = set()
    for _, node in nodes(expr):
        if type(node) is Const and node.symbol and node not in done:
            done.add(node)
            for value in constant_values(node.symbol, node.value):
                yield Slip("constant", substitute(expr, node, Const(value, node.symbol)), 1,
                           N_("{symbol} = {used} in place of {right}"),
                           (("symbol", node.symbol), ("used", f"{value:g}"), ("right", f"{node.value:g}")))


def _roundings(expr: Expr, decimals: range) -> Iterator[Slip]:
    """An operand or an intermediate (a function's value) rounded before it is used; every value
    of one function rounded alike (softmax's exponentials rounded before dividing)."""
    calls: dict[str, list[Expr]] = {}
    for _, node in nodes(expr):
        if type(node) is Call and children(node):
            calls.setdefault(node.fn, []).append(node)
    for fn, found in calls.items():
        if len(found) > 1:
            for k in decimals:
                rounded = expr
                for node in dict.fromkeys(found):
                    rounded = substitute(rounded, node, Call(f"round{k}", (node,)))
                every = N_("every {fn}(…) rounded to {k} decimals before it was used")
                yield Slip("rounded", rounded, 1, rounded_to(every, k),
                           (("fn", "e^" if fn == "exp" else fn), ("k", str(k))))
    done = set()
    for path, node in nodes(expr):
        if not path or node in done or not (type(node) is Var or (type(node) is Call and children(node))):
            continue
        done.add(node)
        for k in decimals:
            yield Slip("rounded", replace_at(expr, path, Call(f"round{k}", (node,))), 1,
                       rounded_to(N_("{value} rounded to {k} decimals before it was used"), k),
                       (("value", _text(node)), ("k", str(k))))
        for k in range(1, decimals.stop):
            yield Slip("rounded", replace_at(expr, path, Call(f"sig{k}", (node,))), 1,
                       rounded_to(N_("{value} rounded to {k} significant digits before it was used"), k),
                       (("value", _text(node)), ("k", str(k))))


