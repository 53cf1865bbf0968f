"""The quantities hand calculations write down beyond Mazur's: the weight change Δw, the gradient
with respect to the inputs (dL/dx), the after-update value of every neuron, loss "none" (the
gradients of the outputs themselves, micrograd's o.backward()), and the error summaries SAE, SSE, MSE.
Each against a published example (cited) or an independent computation."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurosim import Conventions, build_network, trace_step
from neurosim.cli import main
from neurosim.files.exercise import spec_from_dict
from neurosim.views.explain import trace_for

from .conftest import MAZUR_PARAMETERS, MAZUR_SAMPLE


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def mazur_quantities():
    net = build_network([2, 2, 2], "sigmoid", MAZUR_PARAMETERS)
    return trace_step(net, MAZUR_SAMPLE, Conventions(learning_rate=0.5, update_biases=False)).quantities()


def test_weight_change_on_mazurs_network():
    """Mazur's w5+ = 0.35891648 from w5 = 0.4: Δw5 = -η·dE/dw5 = -0.04108352; frozen b1: Δb1 = 0."""
    q = mazur_quantities()
    assert f"{q['Δw5']:.8f}" == "-0.04108352"
    assert f"{q['Δw1']:.9f}" == f"{0.149780716 - 0.15:.9f}"  # Mazur: w1+ = 0.149780716
    assert q["Δw5"] == -0.5 * q["dE/dw5"] and q["Δb1"] == 0.0


def test_input_gradient_on_mazurs_network_against_finite_differences():
    q = mazur_quantities()
    for k in (0, 1):
        h = 1e-5
        nudged = [list(MAZUR_SAMPLE[0][0]), list(MAZUR_SAMPLE[0][0])]
        nudged[0][k] += h
        nudged[1][k] -= h
        net = build_network([2, 2, 2], "sigmoid", MAZUR_PARAMETERS)
        losses = [sum(0.5 * (t - o) ** 2 for t, o in zip((0.01, 0.99), net.evaluate(x))) for x in nudged]
        assert math.isclose(q[f"dE/dout_i{k + 1}"], (losses[0] - losses[1]) / (2 * h), rel_tol=1e-7)
    assert q["dE/dout_i1"] == q["dE_h1/dout_i1"] + q["dE_h2/dout_i1"]


def test_after_update_values_of_every_neuron_on_mazurs_network():
    """out_h1+ from Mazur's published w1+ = 0.149780716, w2+ = 0.19956143 (b1 = 0.35 frozen)."""
    q = mazur_quantities()
    net_h1 = 0.149780716 * 0.05 + 0.19956143 * 0.10 + 0.35
    assert f"{q['net_h1+']:.8f}" == f"{net_h1:.8f}"
    assert f"{q['out_h1+']:.8f}" == f"{sigmoid(net_h1):.8f}"
    assert f"{q['out_o1+']:.9f}" == "0.742088111"  # (the seed's 0.742088438 is the sequential update's)


HMKCODE = {  # hmkcode.com/ai/backpropagation-step-by-step (hmkcode.github.io, 2018-02-15): linear 2-2-1
    "network": {"layers": [2, 2, 1], "activations": "linear", "bias": "none",
                "weights": {"w1": 0.11, "w2": 0.21, "w3": 0.12, "w4": 0.08, "w5": 0.14, "w6": 0.15}},
    "data": {"inputs": [[2, 3]], "targets": [[1]]},
    "training": {"learning_rate": 0.05},
}


def test_hmkcode_weight_changes_and_the_second_forward_pass():
    """The post prints a·Δ·h1 = -0.034 and a·Δ·h2 = -0.019 (η·dE/dw: the changes are +0.034, +0.019),
    the new weights .17, .17, .12, .23, .13, .10, and the second pass h1 .92, h2 .56, prediction .26."""
    q = trace_for(spec_from_dict(HMKCODE)).quantities()
    assert (f"{q['Δw5']:.3f}", f"{q['Δw6']:.3f}") == ("0.034", "0.019")
    assert [f"{q[f'Δw{k}']:.3f}" for k in (1, 3, 2, 4)] == ["0.011", "0.012", "0.017", "0.018"]
    assert [f"{q[f'w{k}+']:.2f}" for k in (5, 6, 1, 2, 3, 4)] == ["0.17", "0.17", "0.12", "0.23", "0.13", "0.10"]
    assert (f"{q['out_h1+']:.2f}", f"{q['out_h2+']:.2f}", f"{q['out_o1+']:.2f}") == ("0.92", "0.56", "0.26")


MICROGRAD = {  # karpathy/nn-zero-to-hero, micrograd lecture (first half): o = tanh(x1·w1 + x2·w2 + b)
    "network": {"layers": [2, 1], "activations": "tanh", "bias": "per-neuron",
                "weights": {"w1": -3.0, "w2": 1.0}, "biases": {"b_o1": "6.8813735870195432"}},
    "data": {"inputs": [[2.0, 0.0]]},
    "training": {"loss": "none", "learning_rate": 0.01},
}


def test_loss_none_is_micrograds_backward():
    """o.backward(): x1.grad -1.5, w1.grad 1.0, x2.grad 0.5, w2.grad 0.0, b.grad 0.5 (to ~1e-15: the
    lecture's own float arithmetic gives -1.4999999999999996 with its tanh formula)."""
    q = trace_for(spec_from_dict(MICROGRAD)).quantities()
    assert f"{q['out_o1']:.4f}" == "0.7071"
    expected = {"dE/dout_i1": -1.5, "dE/dw1": 1.0, "dE/dout_i2": 0.5, "dE/dw2": 0.0, "dE/db_o1": 0.5,
                "delta_o1": 0.5, "dE/dout_o1": 1.0}
    for name, value in expected.items():
        assert math.isclose(q[name], value, abs_tol=1e-12), name
    assert not any(name.startswith("E_") for name in q)  # no loss, no E


def test_cs231n_sigmoid_neuron_input_gradient():
    """CS231n "Backpropagation, Intuitions": w = [2, -3, -3], x = [-1, -2], f = σ(w0·x0 + w1·x1 + w2);
    the circuit prints dx0 0.39, dx1 -0.59, dw0 -0.20, dw1 -0.39, dw2 0.20 (2 decimals)."""
    data = {"network": {"layers": [2, 1], "bias": "per-neuron", "weights": [2, -3], "biases": [-3]},
            "data": {"inputs": [[-1, -2]]}, "training": {"loss": "none"}}
    q = trace_for(spec_from_dict(data)).quantities()
    got = [f"{q[n]:.2f}" for n in ("dE/dout_i1", "dE/dout_i2", "dE/dw1", "dE/dw2", "dE/db_o1")]
    assert got == ["0.39", "-0.59", "-0.20", "-0.39", "0.20"]
    assert math.isclose(q["dE/dout_i1"], 0.3932238664829637, rel_tol=1e-15)


def test_loss_none_tables_say_there_is_no_loss(capsys, tmp_path):
    path = tmp_path / "mg.toml"
    path.write_text('[network]\nlayers = [2, 1]\nactivations = "tanh"\nbias = "none"\nweights = [-3, 1]\n'
                    '[data]\ninputs = [[2, 0]]\n[training]\nloss = "none"\n')
    assert main(["run", str(path)]) == 0
    out = capsys.readouterr().out
    assert "No loss" in out and "E_total" not in out.split("=====")[-1]
    assert "dE/dout_i1" in out


def test_goodfellow_xor_summaries():
    """Goodfellow, Bengio & Courville, Deep Learning §6.1: the ReLU network W = [[1,1],[1,1]],
    c = [0,-1], w = [1,-2], b = 0 gives XOR exactly (MSE 0); the best linear model (w = 0, b = ½)
    outputs ½ everywhere: J = ¼Σ(f* - f)² = 0.25, SSE 1, SAE 2."""
    xor = {"inputs": [[0, 0], [0, 1], [1, 0], [1, 1]], "targets": [[0], [1], [1], [0]]}
    relu = {"network": {"layers": [2, 2, 1], "activations": ["relu", "linear"], "bias": "per-neuron",
                        "weights": [1, 1, 1, 1, 1, -2], "biases": [0, -1, 0]},
            "data": xor, "training": {"mode": "batch-sum"}}
    q = trace_for(spec_from_dict(relu)).quantities()
    assert [q[f"out_o1[{s}]"] for s in range(1, 5)] == [0, 1, 1, 0]
    assert (q["MSE"], q["SSE"], q["SAE"]) == (0, 0, 0)
    linear = {"network": {"layers": [2, 1], "activations": "linear", "bias": "per-neuron",
                          "weights": [0, 0], "biases": [0.5]},
              "data": xor, "training": {"mode": "batch-sum"}}
    q = trace_for(spec_from_dict(linear)).quantities()
    assert (q["MSE"], q["SSE"], q["SAE"]) == (0.25, 1.0, 2.0)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 3), min_size=2, max_size=4), st.integers(0, 2**31),
       st.sampled_from(["sigmoid", "tanh", "linear"]), st.sampled_from(["half_sse", "mse", "none"]))
def test_input_gradients_match_central_differences(sizes, seed, act, loss):
    rng = np.random.default_rng(seed)
    net = build_network(sizes, act, bias_mode="per-neuron", rng=rng, init="normal")
    x = tuple(rng.normal(size=sizes[0]))
    t = tuple(rng.uniform(0.1, 0.9, size=sizes[-1]))
    reference = net.copy()
    q = trace_step(net, [(x, t)], Conventions(loss=loss)).quantities()

    def objective(inputs):
        out = reference.evaluate(inputs)
        if loss == "none":
            return sum(out)
        return sum(0.5 * (a - b) ** 2 if loss == "half_sse" else (a - b) ** 2 / len(out) for a, b in zip(t, out))

    for k in range(sizes[0]):
        h = 1e-5
        plus, minus = list(x), list(x)
        plus[k] += h
        minus[k] -= h
        numeric = (objective(plus) - objective(minus)) / (2 * h)
        assert math.isclose(q[f"dE/dout_i{k + 1}"], numeric, rel_tol=1e-5, abs_tol=1e-8)


@pytest.mark.parametrize("name", ["SAE+", "MSE+", "net_o1+", "Δb1"])
def test_new_names_are_in_the_csv(capsys, name):
    assert main(["run", "mazur", "--format", "csv"]) == 0
    assert f",{name}," in capsys.readouterr().out
