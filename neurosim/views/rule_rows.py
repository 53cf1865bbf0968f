"""The learning rule's rows of a step: for every parameter, what the rule computed (v_w5, m_w5,
mhat_w5 …, Δw5) and p+ = p + Δp, each as `quantity, formula, with the numbers, value` — the
"Learning rule" tables of `neurosim run` and the rule's equations in the worked solutions.
Plain gradient descent has none (its update is the last column of the gradient tables)."""

from __future__ import annotations

from ..core.rules import RuleQuantity
from ..core.trace import ParameterUpdate, StepTrace
from ..messages import N_, said, say
from .numbers import fmt, fmt_operand
from .tables import Table

HEADERS = (N_("quantity"), N_("formula"), N_("with the numbers"), N_("value"))  # said where shown


def shows_rule(trace: StepTrace) -> bool:
    """Whether the step's rule has rows of its own (any rule but plain gradient descent)."""
    return not trace.conventions.rule.plain


def quantity_row(r: RuleQuantity, digits: int) -> tuple[str, str, str, str]:
    """name, formula (with a note in parentheses), the numbers substituted, value."""
    numbers = (fmt(r.operands[0][1], digits) if r.template == "{}"
               else r.template.format(*(fmt_operand(v, digits) for _, v in r.operands)))
    formula = f"{r.formula}   ({say(r.note)})" if r.note else r.formula
    return r.name, formula, numbers, fmt(r.value, digits)


def parameter_rows(u: ParameterUpdate, digits: int) -> list[tuple[str, str, str, str]]:
    """The rule's rows of one parameter, then p+ = p + Δp (frozen: p+ = p)."""
    if not u.updated:
        return [(f"{u.name}+", f"{u.name}   ({say('frozen')})", fmt(u.old, digits), fmt(u.new, digits))]
    rows = [quantity_row(r, digits) for r in u.rule]
    rows.append((f"{u.name}+", f"{u.name} + Δ{u.name}", f"{fmt(u.old, digits)} + {fmt_operand(u.change, digits)}",
                 fmt(u.new, digits)))
    return rows


def rule_tables(trace: StepTrace, digits: int, layer_of: dict[str, str]) -> list[Table]:
    """One table per layer (in the order of the gradient tables) of every parameter's rule rows;
    `layer_of` gives each parameter's layer label."""
    if not shows_rule(trace):
        return []
    by_layer: dict[str, list] = {}
    for u in trace.updates:
        by_layer.setdefault(layer_of[u.name], []).extend(parameter_rows(u, digits))
    describe = trace.conventions.rule.describe()
    return [Table(say("Learning rule, {layer}: {rule}", layer=label, rule=describe), said(HEADERS), tuple(rows))
            for label, rows in by_layer.items()]
