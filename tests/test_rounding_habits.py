"""Rounding habits (core/arithmetic.py HABITS): round-K, round-written-K, round-forward-K, chop-K.

The reference is Han, Kamber & Pei, *Data Mining: Concepts and Techniques*, 3rd ed. (2012), §9.2.3,
Example 9.1 (a 3-2-1 sigmoid network; units 1..6; x = (1, 0, 1), T6 = 1, l = 0.9): its printed
values, worked out again here by hand (`han_by_hand`) the way the book writes them — I and O to 3
decimals, Err to 4, each formula keyed in from the written values. The book's Err6 = 0.1311 is
0.474·(1-0.474)·(1-0.474), from the *rounded* O6; the exact value rounds to 0.1312.
"""

import math
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neurosim.check.judge import check_values
from neurosim.cli import main
from neurosim.core.arithmetic import CHOP, HALF_UP, Arithmetic, round_decimals, round_decimals_exact
from neurosim.core.exercise import Expected
from neurosim.files.exercise import spec_from_dict

# Han/Kamber/Pei Example 9.1, Tables 9.1-9.4, in neurosim's names (w14 = w1, w24 = w2, w34 = w3,
# w15 = w4, w25 = w5, w35 = w6, w46 = w7, w56 = w8; θ4..θ6 = b_h1, b_h2, b_o1).
HAN = {
    "title": "Han, Kamber & Pei, Example 9.1",
    "network": {"layers": [3, 2, 1], "activations": "sigmoid", "bias": "per-neuron",
                "weights": {"w1": 0.2, "w2": 0.4, "w3": -0.5, "w4": -0.3, "w5": 0.1, "w6": 0.2, "w7": -0.3,
                            "w8": -0.2},
                "biases": {"b_h1": -0.4, "b_h2": 0.2, "b_o1": 0.1}},
    "data": {"inputs": [[1, 0, 1]], "targets": [[1]]},
    "training": {"learning_rate": 0.9, "loss": "half_sse"},
}
HAN_PRINTED = {  # as printed in Tables 9.2-9.4; Err = -delta
    "net_h1": "-0.7", "out_h1": "0.332", "net_h2": "0.1", "out_h2": "0.525", "net_o1": "-0.105",
    "out_o1": "0.474", "delta_o1": "-0.1311", "delta_h2": "0.0065", "delta_h1": "0.0087",
    "w7+": "-0.261", "w8+": "-0.138", "w1+": "0.192", "w4+": "-0.306", "w2+": "0.4", "w5+": "0.1",
    "w3+": "-0.508", "w6+": "0.194", "b_o1+": "0.218", "b_h2+": "0.194", "b_h1+": "-0.408",
}


def han_by_hand():
    """Example 9.1 as the book works it (independent of the engine): I, O rounded to 3 decimals,
    Err to 4, each later formula keyed in from those written values."""
    def r(x, k):
        return float(Decimal(repr(x)).quantize(Decimal(1).scaleb(-k), rounding=ROUND_HALF_UP))

    def sig(z):
        return 1 / (1 + math.exp(-z))

    O4 = r(sig(r(0.2 * 1 + 0.4 * 0 - 0.5 * 1 - 0.4, 3)), 3)
    O5 = r(sig(r(-0.3 * 1 + 0.1 * 0 + 0.2 * 1 + 0.2, 3)), 3)
    O6 = r(sig(r(-0.3 * O4 - 0.2 * O5 + 0.1, 3)), 3)
    err6 = r(O6 * (1 - O6) * (1 - O6), 4)
    return {"O6": O6, "Err6": err6, "Err5": r(O5 * (1 - O5) * err6 * -0.2, 4),
            "Err4": r(O4 * (1 - O4) * err6 * -0.3, 4)}


def test_the_books_err6_comes_from_the_rounded_o6():
    hand = han_by_hand()
    assert (hand["O6"], hand["Err6"], hand["Err5"], hand["Err4"]) == (0.474, 0.1311, -0.0065, -0.0087)


def han(rounding=None):
    data = dict(HAN, training=dict(HAN["training"]))
    if rounding:
        data["training"]["rounding"] = rounding
    return spec_from_dict(data)


def verdicts(spec):
    expected = [Expected(name, None, text) for name, text in HAN_PRINTED.items()]
    return {r.expected.name: r.verdict for r in check_values(spec, expected).rows}


def test_exact_arithmetic_calls_err6_right_but_truncated():
    v = verdicts(han())
    assert v["delta_o1"].kind == "rounded" and v["delta_o1"].how == "truncated"
    assert all(verdict.kind == "correct" for name, verdict in v.items() if name != "delta_o1")


@pytest.mark.parametrize("rounding", ["round-written-3", "round-forward-3", "chop-4"])
def test_habits_that_give_every_printed_digit(rounding):
    assert all(verdict.kind == "correct" for verdict in verdicts(han(rounding)).values())


@pytest.mark.parametrize("rounding, wrong", [("round-3", "delta_o1"), ("round-4", "delta_o1"), ("chop-3", "out_h1")])
def test_habits_that_do_not(rounding, wrong):
    assert verdicts(han(rounding))[wrong].kind != "correct"


def test_round_written_keys_the_gradient_in_from_the_written_delta():
    """w46+ = w46 + l·Err6·O4 with the written Err6 (round-written-3: 0.131) and O4 = 0.332."""
    from neurosim.engines.runner import RunPlan, iterate_run
    spec = han("round-written-3")
    trace = next(iter(iterate_run(spec, RunPlan(1, frozenset({1}), 2))))
    q = trace.quantities()
    assert float(q["delta_o1"]) == -0.131 and float(q["out_h1"]) == 0.332
    assert float(q["dE/dw7"]) == -0.131 * 0.332
    assert [f.name for f in trace.updates[0].parts[0].factors] == ["delta_o1", "dnet_o1/dw7"]


def test_round_forward_rounds_only_the_activations():
    spec = han("round-forward-3")
    from neurosim.views.explain import trace_for
    q = trace_for(spec).quantities()
    assert float(q["out_o1"]) == 0.474
    assert float(q["net_o1"]) == -0.3 * 0.332 - 0.2 * 0.525 + 0.1  # not rounded
    assert float(q["delta_o1"]) == -(1 - 0.474) * (0.474 * (1 - 0.474))


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6),
       st.integers(min_value=0, max_value=15), st.sampled_from([HALF_UP, CHOP]))
def test_fast_rounding_equals_the_decimal_definition(value, decimals, method):
    a, b = round_decimals(value, decimals, method), round_decimals_exact(value, decimals, method)
    assert a == b and math.copysign(1, a) == math.copysign(1, b)


@pytest.mark.parametrize("value, decimals", [(1.2349999999999999, 2), (0.125, 2), (-0.0005, 3), (2.675, 2),
                                             (0.29999999999999999, 1), (1e-20, 15), (123456.7, 0)])
def test_rounding_at_ties_and_on_the_calculator_display(value, decimals):
    shown = Decimal(f"{value:.15g}")
    for method, mode in ((HALF_UP, ROUND_HALF_UP), (CHOP, ROUND_DOWN)):
        assert round_decimals(value, decimals, method) == float(shown.quantize(Decimal(1).scaleb(-decimals), mode))


def test_round_k_is_the_round_habit():
    assert Arithmetic(round_to=3) == Arithmetic(round_to=3, habit="round")
    assert Arithmetic(round_to=3).describe() == "float64, every quantity rounded half-up to 3 decimals"
    assert Arithmetic(round_to=3, habit="chop").describe().endswith("(chop-3)")


@pytest.mark.parametrize("args, words", [
    (["--rounding", "chop-16"], "--rounding: 'chop-16': 16 decimals is out of range (0..15)"),
    (["--rounding", "round-writen-3"], "--rounding: unknown rounding habit 'round-writen-3'"),
    (["--rounding", "chop-3", "--round", "3"], "give either --round K or --rounding HABIT-K"),
    (["--round", "16"], "--round: must be between 0 and 15"),
])
def test_bad_rounding_options_are_one_line_and_exit_2(capsys, args, words):
    assert main(["run", "mazur", *args]) == 2
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1


def test_bad_rounding_in_a_file(tmp_path, capsys):
    path = tmp_path / "ex.toml"
    path.write_text('[network]\nlayers = [1, 1]\n[data]\ninputs = [[1]]\ntargets = [[0]]\n'
                    '[training]\nrounding = "round-forward-99"\n')
    assert main(["run", str(path)]) == 2
    err = capsys.readouterr().err
    assert "training.rounding: 'round-forward-99': 99 decimals is out of range (0..15)" in err


def test_rounding_on_the_command_line_replaces_the_files_round(tmp_path, capsys):
    path = tmp_path / "ex.toml"
    path.write_text('[network]\nlayers = [1, 1]\nbias = "none"\n[network.weights]\nw1 = 0.5\n[data]\n'
                    'inputs = [[1]]\ntargets = [[0]]\n[training]\nround = 2\n')
    assert main(["run", str(path), "--rounding", "round-forward-1"]) == 0
    assert "(round-forward-1)" in capsys.readouterr().out
