"""Hand rounding (--round K): every computed quantity written down rounded half-up to K decimals
and carried on; each formula keyed in at once; given data never rounded."""

import math
from decimal import ROUND_HALF_UP, Decimal

import pytest

from neurosim import Arithmetic, Conventions, build_network, trace_step
from neurosim.check.verdict import CORRECT, judge
from neurosim.core.arithmetic import unrounded

from .conftest import MAZUR_PARAMETERS, MAZUR_SAMPLE


def by_hand(k):
    """Mazur's step as a person with a calculator does it, written independently of the engine."""
    def R(x):  # what the calculator shows (15 digits), rounded half-up to k decimals
        return float(Decimal(f"{x:.15g}").quantize(Decimal(1).scaleb(-k), rounding=ROUND_HALF_UP))

    def sig(x):
        return 1 / (1 + math.exp(-x))

    p = MAZUR_PARAMETERS
    i1, i2, t1, t2 = 0.05, 0.10, 0.01, 0.99
    q = {}
    q["net_h1"] = R(p["w1"] * i1 + p["w2"] * i2 + p["b1"])
    q["net_h2"] = R(p["w3"] * i1 + p["w4"] * i2 + p["b1"])
    q["out_h1"], q["out_h2"] = R(sig(q["net_h1"])), R(sig(q["net_h2"]))
    q["net_o1"] = R(p["w5"] * q["out_h1"] + p["w6"] * q["out_h2"] + p["b2"])
    q["net_o2"] = R(p["w7"] * q["out_h1"] + p["w8"] * q["out_h2"] + p["b2"])
    q["out_o1"], q["out_o2"] = R(sig(q["net_o1"])), R(sig(q["net_o2"]))
    q["E_o1"], q["E_o2"] = R(0.5 * (t1 - q["out_o1"]) ** 2), R(0.5 * (t2 - q["out_o2"]) ** 2)
    q["E_total"] = R(q["E_o1"] + q["E_o2"])
    for o, t in (("o1", t1), ("o2", t2)):
        q[f"dE/dout_{o}"] = R(-(t - q[f"out_{o}"]))
        q[f"dout_{o}/dnet_{o}"] = R(q[f"out_{o}"] * (1 - q[f"out_{o}"]))
        q[f"delta_{o}"] = R(q[f"dE/dout_{o}"] * q[f"dout_{o}/dnet_{o}"])
    q["dE/dw5"] = R(q["dE/dout_o1"] * q["dout_o1/dnet_o1"] * q["out_h1"])
    q["w5+"] = R(p["w5"] - 0.5 * q["dE/dw5"])
    q["dE_o1/dout_h1"] = R(q["delta_o1"] * p["w5"])
    q["dE_o2/dout_h1"] = R(q["delta_o2"] * p["w7"])
    q["dE/dout_h1"] = R(q["dE_o1/dout_h1"] + q["dE_o2/dout_h1"])
    q["dout_h1/dnet_h1"] = R(q["out_h1"] * (1 - q["out_h1"]))
    q["dE/dw1"] = R(q["dE/dout_h1"] * q["dout_h1/dnet_h1"] * i1)
    q["w1+"] = R(p["w1"] - 0.5 * q["dE/dw1"])
    return q


@pytest.mark.parametrize("k", [1, 2, 3, 4, 6, 8])
def test_mazur_rounded_by_hand(k):
    net = build_network([2, 2, 2], "sigmoid", MAZUR_PARAMETERS)
    trace = trace_step(net, MAZUR_SAMPLE, Conventions(update_biases=False, arithmetic=Arithmetic(round_to=k)))
    got = trace.quantities()
    for name, value in by_hand(k).items():
        assert got[name] == value, name


def test_given_values_are_not_rounded():
    net = build_network([2, 2, 2], "sigmoid", MAZUR_PARAMETERS, arithmetic=Arithmetic(round_to=1))
    assert net.parameters()["w1"] == 0.15
    trace = trace_step(net, MAZUR_SAMPLE, Conventions(update_biases=False, arithmetic=Arithmetic(round_to=1)))
    assert trace.quantities()["w1"] == 0.15
    assert trace.samples[0].inputs == (0.05, 0.10)
    # net_h1 = 0.15·0.05 + 0.2·0.1 + 0.35 = 0.3775 → 0.4 (from the data as given, not 0.2·0.1 + …)
    assert trace.quantities()["net_h1"] == 0.4


def ann_forward(k):
    """Seed 000 §2: x = (1, 1), hidden sums 1.0, 1.3, 0.8, output weights 0.3, 0.5, 0.9, no biases,
    sigmoid hidden, linear output."""
    weights = {"w1": 0.8, "w2": 0.2, "w3": 0.4, "w4": 0.9, "w5": 0.3, "w6": 0.5,
               "w7": 0.3, "w8": 0.5, "w9": 0.9}
    net = build_network([2, 3, 1], ["sigmoid", "linear"], weights, bias_mode="none")
    trace = trace_step(net, [((1, 1), (0,))], Conventions(loss="mse", arithmetic=Arithmetic(round_to=k)))
    return trace.quantities()


def test_ann_forward_seed_value_with_two_decimals():
    q = ann_forward(2)
    assert [q["out_h1"], q["out_h2"], q["out_h3"]] == [0.73, 0.79, 0.69]
    # the seed writes ŷ = 0.73×0.3 + 0.79×0.5 + 0.69×0.9 = 1.235 with 3 decimals: checked as written
    assert judge("1.235", unrounded(q["out_o1"])).kind == CORRECT
    assert q["out_o1"] == 1.24  # what is carried on at 2 decimals (half-up from the calculator's 1.235)
    exact = ann_forward(None)["out_o1"]
    assert abs(exact - 1.2332121) < 1e-7
    assert judge("1.235", exact).first_wrong_decimal == 3


def test_check_cli_round_option(capsys):
    from neurosim.cli import main

    assert main(["check", "mazur", "--round", "4", "--expect", "out_h1=0.5933", "--expect", "w5+=0.3589",
                 "--expect", "w1+=0.1498"]) == 0
    assert main(["check", "mazur", "--round", "-1", "--expect", "w5+=0.3589"]) == 2
    assert "--round: must be between 0 and 15" in capsys.readouterr().err
