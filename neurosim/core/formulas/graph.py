"""The formula of every quantity of a traced step, read from the step's records: which values it is
computed from, and how — the dependencies a person's hand calculation has.

    net_o1 = w5·out_h1 + w6·out_h2 + b2            (NeuronForward: its terms and bias)
    dE/dout_h1 = dE_o1/dout_h1 + dE_o2/dout_h1      (NeuronBackward: what each neuron above sends back)
    dE/dw5 = dE/dout_o1·dout_o1/dnet_o1·dnet_o1/dw5 (ParameterUpdate: the factors of each part)
    m_w5 = β1·m_w5@1 + (1 - β1)·dE/dw5              (the learning rule's own formula text)
    w5 (at step 2) = w5+ (at step 1)                (a traced step before it carries the weight in)

A formula may have other forms that are right too (dE/dw5 = delta_o1·dnet_o1/dw5): a person may
write either. `StepFormulas.formula(step, name)` gives the Formula of a quantity (None for a given
value: an input, a target, a weight before the first traced step); `value(step, name)` neurosim's
value. Names are neurosim's own (DESIGN.md §4), a batch step's per-sample values tagged [s].
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from ..notation.quantity import parse
from ..trace import StepTrace
from ..written_names import extra_quantities
from .expr import Add, Const, Div, Expr, Mul, Neg, Var, operands
from .forward import FORWARD, loss_forms
from .functions import (
    combined_delta_tree,
    derivative_tree,
    loss_derivative_tree,
    minus,
)
from .records import StepRecords, source_name
from .template import parse_template


@attrs.frozen
class Formula:
    """How one quantity of one step is computed: `forms[0]` as neurosim computes it, then other
    forms that are right too."""

    step: int
    name: str
    forms: tuple[Expr, ...]
    operands: tuple[Var, ...] = ()  # the distinct operands of the first form, in order of use
    all_operands: tuple[Var, ...] = ()  # … of every form

    @property
    def expr(self) -> Expr:
        return self.forms[0]

    @classmethod
    def of(cls, step: int, name: str, forms: tuple[Expr, ...]) -> Formula:
        every = tuple(dict.fromkeys(v for form in forms for v in operands(form)))
        return cls(step, name, forms, operands(forms[0]), every)


class StepFormulas:
    """The formulas and neurosim's values of the traced steps `traces` (by step number)."""

    def __init__(self, traces: Mapping[int, StepTrace]):
        self.records = {step: StepRecords(trace) for step, trace in sorted(traces.items())}
        self.values: dict[tuple[int, str], float] = {}
        self.order: dict[tuple[int, str], int] = {}
        for step, rec in self.records.items():
            for s in rec.trace.samples:
                tag = rec.tag(s.index)
                names = rec.trace.input_names or [f"i{k}" for k in range(1, len(s.inputs) + 1)]  # (i1_t1, h1_t0 …)
                for name, v in zip(names, s.inputs):
                    self.values[(step, f"{source_name(name)}{tag}")] = float(v)
                for e, t in zip(s.errors, s.targets):
                    self.values[(step, f"target_{e.neuron}{tag}")] = float(t)
            for name, value in rec.trace.quantities().items():
                self.order[(step, name)] = len(self.order)
                self.values[(step, name)] = float(value)
            for name, value in extra_quantities(rec.trace).items():  # placed just after the line they go with
                self.order[(step, name)] = self.order.get((step, _host(name)), len(self.order)) + 0.5
                self.values[(step, name)] = float(value)
        self._cache: dict[tuple[int, str], Formula | None] = {}
        self._lines: list[tuple[int, str]] = []
        self._line_index: dict[tuple[int, str], int] = {}

    @property
    def lines(self) -> list[tuple[int, str]]:
        """Every (step, name) in a person's order (`order` gives each one's place)."""
        if len(self._lines) != len(self.order):
            self._lines[:] = sorted(self.order, key=self.order.get)
            self._line_index = {key: k for k, key in enumerate(self._lines)}
        return self._lines

    def line_index(self, key: tuple[int, str]) -> int | None:
        """The place of `key` in `lines`."""
        self.lines  # noqa: B018 (brings the index up to date)
        return self._line_index.get(key)

    @property
    def steps(self) -> tuple[int, ...]:
        return tuple(self.records)

    def value(self, step: int, name: str) -> float | None:
        """neurosim's value of a quantity (or of a given value a formula uses), None if unknown."""
        if (step, name) not in self.values and step in self.records:
            self.formula(step, name)  # a rule's operand of an earlier step is learnt with its formula
        return self.values.get((step, name))

    def formula(self, step: int, name: str) -> Formula | None:
        """The Formula of `name` at `step`, or None for a given value (or a name without one)."""
        key = (step, name)
        if key not in self._cache:
            forms = self._forms(step, name) if step in self.records else ()
            self._cache[key] = Formula.of(step, name, tuple(forms)) if forms else None
        return self._cache[key]

    # -- by kind of quantity ------------------------------------------------------------------
    def _forms(self, step: int, name: str) -> list[Expr]:
        q = parse(name)
        if q is None:
            return []
        rec = self.records[step]
        sample = q.sample if q.sample is not None else rec.trace.samples[0].index
        if rec.batch and q.sample is None and q.kind not in ("loss", "gradient", "param", "change", "rule_state"):
            return []
        if q.kind == "param":
            return self._parameter(step, rec, q.subject, q.plus)
        if q.kind in ("change", "rule_state"):
            return self._rule(step, rec, name)
        if q.kind == "gradient":
            return self._gradient(step, rec, q.subject, q.sample)
        if q.kind == "loss":
            return loss_forms(step, rec, q.plus, q.sample, self.values)
        if q.kind in FORWARD:
            return FORWARD[q.kind](step, rec, q, sample, self.values)
        build = getattr(self, f"_{q.kind}", None)
        if build is None or q.plus:
            return []
        return build(step, rec, q, sample)

    def _var(self, step: int, name: str) -> Var:
        return Var(name, step)

    def _dE_dout(self, step, rec: StepRecords, q, sample) -> list[Expr]:
        tag = rec.tag(sample)
        g = rec.inputs_back.get((q.subject, sample))
        if g is not None:
            return [Add(tuple(Var(f"dE_{t}/dout_{q.subject}{tag}", step) for t in g.targets))]
        b = rec.backward.get((q.subject, sample))
        if b is None:
            return []
        if (q.subject, sample) in rec.errors:
            if b.tolerated:
                return [Const(0.0)]
            tree = loss_derivative_tree(rec.trace.conventions.loss, Var(f"target_{q.subject}{tag}", step),
                                        Var(f"out_{q.subject}{tag}", step), len(rec.samples[sample].errors))
            return [tree] if tree is not None else []
        return [Add(tuple(Var(f"dE_{c.neuron}/dout_{q.subject}{tag}", step) for c in b.contributions))]

    def _contribution(self, step, rec: StepRecords, q, sample) -> list[Expr]:
        b = rec.backward.get((q.other, sample))
        weight = rec.weight_between(q.subject, q.other, sample)
        if b is None or weight is None:
            return []
        tag = rec.tag(sample)
        return [Mul((Var(f"delta_{q.other}{tag}", step), Var(weight, step)))]

    def _dout_dnet(self, step, rec: StepRecords, q, sample) -> list[Expr]:
        f, b = rec.forward.get((q.subject, sample)), rec.backward.get((q.subject, sample))
        if f is None or b is None:
            return []
        tag = rec.tag(sample)
        tree = derivative_tree(f.activation, Var(f"net_{q.subject}{tag}", step), Var(f"out_{q.subject}{tag}", step))
        if tree is None:
            return []
        return [Add((tree, Const(b.flat_spot, "c"))) if b.flat_spot else tree]

    def _delta(self, step, rec: StepRecords, q, sample) -> list[Expr]:
        f, b = rec.forward.get((q.subject, sample)), rec.backward.get((q.subject, sample))
        if f is None or b is None:
            return []
        tag = rec.tag(sample)
        s = rec.samples[sample]

        def v(kind: str, neuron: str = q.subject) -> Var:
            return Var(f"{kind}_{neuron}{tag}" if kind != "dout_dnet" else f"dout_{neuron}/dnet_{neuron}{tag}", step)
        if b.combined:
            target = Var(f"target_{q.subject}{tag}", step)
            tree = combined_delta_tree(f.activation, rec.trace.conventions.loss, target, v("out"), len(s.errors),
                                       float(sum(s.targets)))
            return [tree] if tree is not None else []
        if b.jacobian_row is not None:  # softmax: Σ_k dE/dout_k·dout_k/dnet_j
            terms = []
            for k in rec.layer_of(q.subject):
                jkj = v("dout_dnet") if k == q.subject else Neg(Mul((v("out", k), v("out"))))
                terms.append(Mul((Var(f"dE/dout_{k}{tag}", step), jkj)))
            return [Add(tuple(terms))]
        return [Mul((Var(f"dE/dout_{q.subject}{tag}", step), v("dout_dnet")))]

    def _dE_dnet(self, step, rec: StepRecords, q, sample) -> list[Expr]:
        """dE/dnet_h1 is another name of delta_h1."""
        return [Var(f"delta_{q.subject}{rec.tag(sample)}", step)]

    def _dnet_dp(self, step, rec: StepRecords, q, sample) -> list[Expr]:
        f = rec.forward.get((q.other, sample))
        if f is None:
            return []
        tag = rec.tag(sample)
        for t in f.terms:
            if t.weight == q.subject:
                return [Var(source_name(t.source) + tag, step)]
        return []

    def _gradient(self, step, rec: StepRecords, parameter: str, sample: int | None) -> list[Expr]:
        """dE/dp: the product of the chain-rule factors of each part, summed over the parts (a shared
        bias: over its neurons; a batch: over the samples, or their mean)."""
        u = rec.updates.get(parameter)
        if u is None:
            return []
        parts = [p for p in u.parts if sample is None or p.sample == sample]
        if not parts:
            return []
        if rec.batch and sample is None and u.kind == "weight":
            total: Expr = Add(tuple(Var(f"dE/d{parameter}[{p.sample}]", step) for p in parts))
            return [Div(total, Const(float(len(parts)), "n")) if u.reduction == "mean" else total]
        products, shortcuts = [], []
        for p in parts:
            tag = rec.tag(p.sample)
            factors = [Var(f.name + tag, step) for f in (p.factors if u.kind == "weight" else p.factors[:-1])]
            products.append(factors[0] if len(factors) == 1 else Mul(tuple(factors)))
            head = [f.name for f in p.factors[:-1]]
            if len(head) == 2:  # dE/dout·dout/dnet: also written delta·dnet/dp
                delta = Var(f"delta_{p.neuron}{tag}", step)
                shortcuts.append(Mul((delta, factors[-1])) if u.kind == "weight" else delta)
        forms = [products[0] if len(products) == 1 else Add(tuple(products))]
        if shortcuts:
            forms.append(shortcuts[0] if len(shortcuts) == 1 else Add(tuple(shortcuts)))
        if rec.batch and u.reduction == "mean" and sample is None:
            forms = [Div(form, Const(float(len(parts)), "n")) for form in forms]
        return forms

    def _parameter(self, step, rec: StepRecords, parameter: str, plus: bool) -> list[Expr]:
        """p+ = p + Δp (plain gradient descent: p - η·dE/dp; a frozen bias: p); p before a step
        whose step before it is traced: that step's p+."""
        if not plus:
            return [Var(parameter + "+", step - 1)] if step - 1 in self.records else []
        u = rec.updates.get(parameter)
        if u is None:
            return []
        old = Var(parameter, step)
        if not u.updated:
            return [old]
        forms: list[Expr] = [Add((old, Var(f"Δ{parameter}", step)))]
        if rec.trace.conventions.rule.plain:
            eta = Const(float(rec.trace.conventions.learning_rate), "η")
            forms.insert(0, minus(old, Mul((eta, Var(f"dE/d{parameter}", step)))))
        return forms

    def _rule(self, step, rec: StepRecords, name: str) -> list[Expr]:
        """A learning rule's quantity (Δw5, v_w5, m_w5 …): its formula template read as a tree, each
        operand a quantity (of this step, or of the step before: v_w5@1) or a named constant."""
        found = rec.rule_rows.get(name)
        if found is None:
            return []
        row = found[0]
        leaves: list[Expr] = []
        for symbol, value in row.operands:
            base, at, when = symbol.partition("@")
            if parse(base) is not None:
                operand_step = int(when) if at else step
                self.values.setdefault((operand_step, base), float(value))
                leaves.append(Var(base, operand_step))
            else:
                leaves.append(Const(float(value), symbol))
        tree = parse_template(row.template, leaves)
        return [tree] if tree is not None else []


def _host(name: str) -> str:
    """The line an extra name (written_names.py) is placed after in a person's order."""
    q = parse(name)
    tag = "" if q is None or q.sample is None else f"[{q.sample}]"
    if q is None:
        return name
    host = {"raw_error": f"out_{q.subject}", "exp": f"net_{q.subject}", "dE_dnet": f"delta_{q.subject}",
            "error": f"out_{q.subject}+", "exp_sum": "", "loss": "E_total+"}.get(q.kind, "")
    return host + tag if host else name
