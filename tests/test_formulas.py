"""The formula graph (core/formulas): every quantity's formula, evaluated with neurosim's own values
of its operands, gives neurosim's value — for every built-in scenario, two traced steps (so that a
step's weights come from the step before). An independent check of the trees against the objects'
arithmetic: the trees are written from the textbook formulas, the objects compute with their own
code (core/neuron.py, core/layer.py, core/rules)."""

from __future__ import annotations

import math

import pytest

from neurosim.core.formulas import StepFormulas, evaluate
from neurosim.core.formulas.expr import Add, Const, Mul, Neg, Pow, Var
from neurosim.core.formulas.template import parse_template
from neurosim.core.formulas.text import render, to_data
from neurosim.core.trace import StepTrace
from neurosim.engines.runner import RunPlan, iterate_run
from neurosim.scenarios import NAMES, load_scenario


def traces(spec, steps):
    steps = frozenset(steps)
    last = max(steps)
    return {r.step: r for r in iterate_run(spec, RunPlan(last, steps, last + 1)) if isinstance(r, StepTrace)}


class _Lookup(dict):
    def __init__(self, graph):
        super().__init__()
        self.graph = graph

    def __missing__(self, key):
        value = self.graph.value(*key)
        if value is None:
            raise KeyError(key)
        return value


@pytest.fixture(scope="module", params=NAMES)
def graph(request):
    spec = load_scenario(request.param)
    return spec, StepFormulas(traces(spec, [1, 2] if spec.steps >= 2 else [1]))


def test_every_formula_gives_the_traced_value_from_the_traced_operands(graph):
    spec, g = graph
    # float32-params keeps new weights as float32: their formula (float64) agrees to float32's precision
    tolerance = 1e-6 if spec.conventions.arithmetic.dtype != "float64" else 1e-12
    values = _Lookup(g)
    checked = 0
    for (step, name), value in list(g.values.items()):
        formula = g.formula(step, name)
        if formula is None:
            continue
        for form in formula.forms:
            got = evaluate(form, values)
            assert math.isclose(got, value, rel_tol=tolerance, abs_tol=tolerance), (step, name, render(form))
        checked += 1
    assert checked > 50


def test_quantities_without_a_formula_are_givens_or_summaries(graph):
    """Only the given values (inputs, targets, the first step's parameters), a frozen bias's Δ and
    the error summaries are leaves: everything a person computes has its formula."""
    _, g = graph
    first = min(g.steps)
    for (step, name) in g.order:
        if g.formula(step, name) is None:
            base = name.split("[")[0]
            assert (base.rstrip("+") in ("SSE", "SAE", "MSE", "E_report", "E_decay") or base.startswith("Δb")
                    or (step == first and base[0] in "wbk" and "+" not in base)), (step, name)  # k1_11: a kernel


def test_mazur_net_o1_reads_as_the_blog_writes_it():
    spec = load_scenario("mazur")
    g = StepFormulas(traces(spec, [1]))
    assert render(g.formula(1, "net_o1").expr) == "w5·out_h1 + w6·out_h2 + b2"
    assert render(g.formula(1, "dE/dw5").expr) == "dE/dout_o1·dout_o1/dnet_o1·dnet_o1/dw5"
    assert render(g.formula(1, "w5+").expr) == "w5 - η·dE/dw5"
    assert render(g.formula(1, "dout_o1/dnet_o1").expr) == "out_o1·(1 - out_o1)"
    assert render(g.formula(1, "E_o1").expr) == "½·(target_o1 - out_o1)²"


@pytest.mark.parametrize("template, text", [
    ("{}·{} + (1 - {})·{}²", "a·b + (1 - c)·d²"),
    ("-{}·{}/(√{} + {})", "-a·b/(√c + d)"),
    ("{}/(1 - {}^{})", "a/(1 - b^c)"),
    ("min({}·{}, {})", "min(a·b, c)"),
    ("sign({}·{})", "sign(a·b)"),
])
def test_rule_templates_read_back_as_they_are_written(template, text):
    leaves = [Var(name, 1) for name in "abcd"[:template.count("{}")]]
    tree = parse_template(template, leaves)
    assert tree is not None
    assert render(tree) == text


def test_an_unknown_template_has_no_tree():
    assert parse_template("{} if {} else {}", [Var("a", 1), Var("b", 1), Var("c", 1)]) is None


def test_trees_as_data_for_a_page():
    tree = Add((Mul((Const(0.5, "½"), Pow(Var("x", 1), Const(2.0)))), Neg(Var("y", 1))))
    assert to_data(tree) == ["add", [["mul", [["const", 0.5, "½"], ["pow", ["var", "x", 1], ["const", 2.0, ""]]]],
                                     ["neg", ["var", "y", 1]]]]


def test_rounding_a_large_value_to_many_decimals_is_the_value():
    """round15 of 1e20 asked decimal for 36 digits (InvalidOperation): a value shown to 15 significant
    digits is already no finer than that."""
    from neurosim.core.formulas.expr import FUNCTIONS, round_half_up

    assert round_half_up(1e20, 15) == 1e20 and FUNCTIONS["round15"](-3.5e13) == -3.5e13
    assert FUNCTIONS["sig3"](1.2345e25) == 1.23e25 and round_half_up(0.12345, 4) == 0.1235
