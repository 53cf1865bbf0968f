"""Mazur's published numbers (DESIGN.md §6), each at the precision the seed prints it."""

from decimal import Decimal

import pytest

from neurosim import Conventions, build_network, trace_step
from neurosim.core.trace import StepTrace
from neurosim.engines.runner import RunPlan, iterate_run
from neurosim.files.exercise import with_training
from neurosim.scenarios import load_scenario

from .conftest import MAZUR_PARAMETERS, MAZUR_SAMPLE

PUBLISHED_STEP_1 = {
    "net_h1": "0.3775", "out_h1": "0.593269992", "out_h2": "0.596884378", "net_o1": "1.105905967",
    "out_o1": "0.75136507", "out_o2": "0.772928465", "E_o1": "0.274811083", "E_o2": "0.023560026",
    "E_total": "0.298371109", "dE/dout_o1": "0.74136507", "dout_o1/dnet_o1": "0.186815602",
    "dE/dw5": "0.082167041", "w5+": "0.35891648", "w6+": "0.408666186", "w7+": "0.511301270",
    "w8+": "0.561370121", "dE/dout_h1": "0.036350306", "dout_h1/dnet_h1": "0.241300709",
    "dE/dw1": "0.000438568", "w1+": "0.149780716", "w2+": "0.19956143", "w3+": "0.24975114",
    "w4+": "0.29950229",
    # values Mazur's post prints along the way (not in DESIGN.md's list, but in the blog's text)
    "dnet_o1/dw5": "0.593269992", "dE_o1/dout_h1": "0.055399425", "dE_o2/dout_h1": "-0.019049118",
}


def at_precision_of(published: str, value: float) -> str:
    places = -Decimal(published).as_tuple().exponent
    return f"{value:.{places}f}"


def test_step_one_reproduces_every_published_value(mazur_network, mazur_conventions):
    q = trace_step(mazur_network, MAZUR_SAMPLE, mazur_conventions).quantities()
    for name, published in PUBLISHED_STEP_1.items():
        assert at_precision_of(published, q[name]) == published, name


def test_network_holds_the_step_values(mazur_network, mazur_conventions):
    trace_step(mazur_network, MAZUR_SAMPLE, mazur_conventions)
    o1 = mazur_network.output_layer.neurons[0]
    assert round(o1.out, 8) == 0.75136507
    assert round(o1.delta, 9) == 0.138498562
    assert round(mazur_network.connections[4].weight, 8) == 0.35891648  # w5+


def run_last_trace(spec, steps) -> StepTrace:
    plan = RunPlan(steps, frozenset({steps}), steps)
    return [r for r in iterate_run(spec, plan) if isinstance(r, StepTrace)][-1]


def test_after_first_round_and_10000_steps_need_the_sequential_update():
    spec = with_training(load_scenario("mazur"), order="sequential")
    assert at_precision_of("0.291027924", run_last_trace(spec, 1).E_total_after) == "0.291027924"
    q = run_last_trace(spec, 10_000).quantities()
    assert at_precision_of("0.000035085", q["E_total+"]) == "0.000035085"
    assert at_precision_of("0.015912196", q["out_o1+"]) == "0.015912196"
    assert at_precision_of("0.984065734", q["out_o2+"]) == "0.984065734"


def test_simultaneous_update_does_not_give_the_seeds_after_round_figure():
    spec = load_scenario("mazur")
    assert at_precision_of("0.291027924", run_last_trace(spec, 1).E_total_after) == "0.291027774"


def test_sequential_update_uses_the_new_w5_for_the_hidden_deltas(mazur_conventions):
    import attrs
    net = build_network([2, 2, 2], "sigmoid", MAZUR_PARAMETERS)
    seq = attrs.evolve(mazur_conventions, order="sequential")
    q = trace_step(net, MAZUR_SAMPLE, seq).quantities()
    # output layer identical, hidden layer differs: dE_o1/dout_h1 = delta_o1 · w5+
    assert at_precision_of("0.35891648", q["w5+"]) == "0.35891648"
    assert q["dE_o1/dout_h1"] == pytest.approx(0.13849856162855698 * q["w5+"], rel=1e-15)
    assert at_precision_of("0.149780716", q["w1+"]) != "0.149780716"


def test_biases_update_when_asked():
    net = build_network([2, 2, 2], "sigmoid", MAZUR_PARAMETERS)
    q = trace_step(net, MAZUR_SAMPLE, Conventions(update_biases=True)).quantities()
    assert q["b2+"] == pytest.approx(0.6 - 0.5 * (q["delta_o1"] + q["delta_o2"]), rel=1e-15)
    assert q["b1+"] == pytest.approx(0.35 - 0.5 * (q["delta_h1"] + q["delta_h2"]), rel=1e-15)
