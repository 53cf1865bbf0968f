"""The combined output delta (core/combined.py): sigmoid with bce and softmax with cce give
delta = out - target (as PyTorch's BCEWithLogitsLoss and CrossEntropyLoss compute it) and the loss
from net (log-sum-exp). Finite where the factor form dE/dout·dout/dnet is not (a saturated output),
equal to it where both are finite, and the same in every engine."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurosim import Conventions, build_network, trace_step
from neurosim.check.mistakes import BY_ID, apply_mistakes
from neurosim.core.activations import softmax_deltas, softmax_values
from neurosim.core.arithmetic import parse_rounding, round_decimals
from neurosim.core.combined import COMBINED, combined_output
from neurosim.engines.matrix import matrix_step, named_values
from neurosim.engines.neuron_loop import NeuronLoop, fast_step
from neurosim.files.exercise import spec_from_dict

SIGMOID_BCE = COMBINED[("sigmoid", "bce")]
SOFTMAX_CCE = COMBINED[("softmax", "cce")]


def saturated_sigmoid():
    """o1 = sigmoid(40·i1 + 0·i2): out_o1 rounds to exactly 1.0 (1 - 4.2e-18), o2 = sigmoid(0.5)."""
    return build_network([2, 2], "sigmoid", {"w1": 40.0, "w2": 0.0, "w3": 0.5, "w4": 0.0}, bias_mode="none")


SATURATED_SAMPLE = [((1.0, 1.0), (0.0, 1.0))]


def test_sigmoid_bce_at_saturation_is_finite_where_the_factor_form_is_not():
    trace = trace_step(saturated_sigmoid(), SATURATED_SAMPLE, Conventions(loss="bce", learning_rate=0.5))
    q = trace.quantities()
    assert q["out_o1"] == 1.0 and q["dout_o1/dnet_o1"] == 0.0
    assert q["dE/dout_o1"] == math.inf  # the factor form: (1 - 0)/(1·0·2)
    assert q["delta_o1"] == (1.0 - 0.0) / 2  # (out - target)/n
    # E_o1 = -(0·ln(out) + 1·ln(1 - σ(40)))/2 = ln(1 + e^40)/2, computed independently with NumPy
    assert q["E_o1"] == pytest.approx(np.logaddexp(0.0, 40.0) / 2, rel=1e-15)
    assert math.isfinite(q["E_total+"]) and q["w1+"] == 40.0 - 0.5 * 0.5 * 1.0


def test_softmax_cce_with_an_underflowing_probability_is_finite():
    # net = (800, 0, 1): out_o2 = e^-800 underflows to 0, and the target is o2.
    network = build_network([1, 3], "softmax", {"w1": 800.0, "w2": 0.0, "w3": 1.0}, bias_mode="none")
    q = trace_step(network, [((1.0,), (0.0, 1.0, 0.0))], Conventions(loss="cce")).quantities()
    assert q["out_o2"] == 0.0 and q["dE/dout_o2"] == math.inf
    assert (q["delta_o1"], q["delta_o2"], q["delta_o3"]) == (1.0, -1.0, 0.0)
    lse = np.logaddexp.reduce([800.0, 0.0, 1.0])  # E = -ln(out_o2) = lse - net_o2, independently
    assert q["E_o2"] == pytest.approx(lse - 0.0, rel=1e-15) and q["E_total"] == q["E_o2"]


@settings(max_examples=200, deadline=None)
@given(st.floats(-30, 30), st.floats(0, 1), st.integers(1, 3))
def test_sigmoid_bce_combined_equals_the_factor_form_where_it_is_finite(net, target, n):
    out = 1 / (1 + math.exp(-net))
    factor = (out - target) / (out * (1 - out) * n) * (out * (1 - out))
    (combined,) = SIGMOID_BCE.deltas([target], [out], n)
    assert combined == pytest.approx(factor, rel=1e-13, abs=1e-300)
    # -(t·ln(out) + (1-t)·ln(1-out))/n = (ln(1 + e^net) - t·net)/n; NumPy's logaddexp as the reference
    # (the textbook form loses digits to 1 - out as out nears 1: 1e-10 relative at net = 13)
    (from_net,) = SIGMOID_BCE.terms([target], [net], n)
    assert from_net == pytest.approx((np.logaddexp(0.0, net) - target * net) / n, rel=1e-13, abs=1e-15)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-20, 20), min_size=2, max_size=6), st.data())
def test_softmax_cce_combined_equals_the_jacobian_sum_where_it_is_finite(nets, data):
    targets = data.draw(st.lists(st.floats(0, 1), min_size=len(nets), max_size=len(nets)))
    outs = softmax_values(nets)
    factor = softmax_deltas([-t / o for t, o in zip(targets, outs)], outs)
    combined = SOFTMAX_CCE.deltas(targets, outs, len(outs))
    scale = max(1.0, sum(targets))
    assert all(abs(a - b) <= 1e-14 * scale for a, b in zip(combined, factor))
    terms = SOFTMAX_CCE.terms(targets, nets, len(nets))
    assert all(e == pytest.approx(-t * math.log(o), rel=1e-12, abs=1e-14) for e, t, o in zip(terms, targets, outs))


def test_pytorch_computes_the_same_loss_and_delta():
    torch = pytest.importorskip("torch")
    z = torch.tensor([[40.0, 0.5, -3.0]], dtype=torch.float64, requires_grad=True)
    t = torch.tensor([[0.0, 1.0, 1.0]], dtype=torch.float64)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(z, t)  # the mean over the 3 outputs
    loss.backward()
    outs = [1 / (1 + math.exp(-v)) for v in (40.0, 0.5, -3.0)]
    assert sum(SIGMOID_BCE.terms([0.0, 1.0, 1.0], [40.0, 0.5, -3.0], 3)) == pytest.approx(loss.item(), rel=1e-15)
    assert SIGMOID_BCE.deltas([0.0, 1.0, 1.0], outs, 3) == pytest.approx(z.grad[0].tolist(), rel=1e-15)
    z = torch.tensor([[800.0, 0.0, 1.0]], dtype=torch.float64, requires_grad=True)
    t = torch.tensor([[0.2, 0.7, 0.0]], dtype=torch.float64)  # soft targets, summing to 0.9
    loss = torch.nn.functional.cross_entropy(z, t, reduction="sum")
    loss.backward()
    outs = softmax_values([800.0, 0.0, 1.0])
    assert sum(SOFTMAX_CCE.terms([0.2, 0.7, 0.0], [800.0, 0.0, 1.0], 3)) == pytest.approx(loss.item(), rel=1e-15)
    assert SOFTMAX_CCE.deltas([0.2, 0.7, 0.0], outs, 3) == pytest.approx(z.grad[0].tolist(), rel=1e-15)


def test_every_engine_agrees_at_saturation():
    conv = Conventions(loss="bce", learning_rate=0.5)
    traced = saturated_sigmoid()
    for k in range(1, 6):
        trace_step(traced, SATURATED_SAMPLE, conv, step=k)
    unrolled = saturated_sigmoid()  # the step written out (engines/unrolled.py)
    for k in range(1, 6):
        fast_step(unrolled, SATURATED_SAMPLE, conv, step=k)
    loops = NeuronLoop(saturated_sigmoid(), conv)  # the loops of NeuronLoop._step (two samples a step)
    loops.run([(x, t) for x, t in SATURATED_SAMPLE * 2], [(0, 1)] * 5)
    looped = saturated_sigmoid()
    loops.store_into(looped)
    assert unrolled.parameters() == traced.parameters() == looped.parameters()
    record = matrix_step(saturated_sigmoid(), SATURATED_SAMPLE, conv)
    first = trace_step(saturated_sigmoid(), SATURATED_SAMPLE, conv).quantities()
    matrix = named_values(record)
    for name in ("delta_o1", "delta_o2", "E_total", "w1+", "E_total+"):
        assert matrix[name] == pytest.approx(first[name], rel=1e-12)
    assert matrix["dE/dout_o1"] == first["dE/dout_o1"] == math.inf


def test_a_named_mistake_keeps_the_factor_form():
    # "the activation derivative left out" changes dout/dnet: with it, delta = dE/dout·1, not out - target.
    spec = spec_from_dict({
        "network": {"layers": [1, 1], "activations": "sigmoid", "bias": "none", "weights": [0.5]},
        "data": {"inputs": [[1.0]], "targets": [[0.0]]}, "training": {"loss": "bce"}})
    variant = apply_mistakes(spec, (BY_ID["no-activation-derivative"],))
    network, _ = variant.build(spec)
    assert combined_output(network.output_layer.activation, "bce") is None
    q = trace_step(network, spec.samples, variant.conventions).quantities()
    assert q["delta_o1"] == q["dE/dout_o1"] == pytest.approx(1 / (1 - 1 / (1 + math.exp(-0.5))))


def test_the_trace_shows_the_simplification():
    from neurosim.views.report import render_step
    text = render_step(trace_step(saturated_sigmoid(), SATURATED_SAMPLE, Conventions(loss="bce")))
    assert "delta_o1         dE/dout_o1·dout_o1/dnet_o1 = (out_o1 - target_o1)/2" in text
    assert "not finite, and not used: delta_o1 is taken directly" in text
    assert "w1           delta_o1·dnet_o1/dw1" in text  # the gradient from the delta


@pytest.mark.parametrize("habit", ["round-3", "round-written-3", "chop-4"])
def test_by_hand_the_loss_is_taken_from_the_written_output(habit):
    """A person with a rounding habit takes E_o1 = -(t·ln(out) + (1-t)·ln(1-out)) from the out_o1 they
    wrote down (0.551), not softplus of the rounded net (which gives 0.8 where they write 0.801); only
    an output written as exactly 0 or 1 needs the loss from net. Recomputed here from the written
    values of the trace, rounded as the habit rounds."""
    spec = spec_from_dict({"network": {"layers": [2, 3, 1], "seed": 4, "init": "normal"},
                           "data": {"inputs": [[0.3, 0.9], [1.0, 0.2]], "targets": [[0], [1]]},
                           "training": {"loss": "bce", "mode": "batch-sum", "rounding": habit}})
    name, k = parse_rounding(habit)
    method = "chop" if name == "chop" else "half-up"
    trace = trace_step(spec.build_network(), spec.samples, spec.conventions)
    q = trace.quantities()
    for s, (_, (t,)) in enumerate(spec.samples, start=1):
        out = q[f"out_o1[{s}]"]
        assert 0 < out < 1
        assert q[f"E_o1[{s}]"] == round_decimals(-(t * math.log(out) + (1 - t) * math.log(1 - out)), k, method)
    saturated = build_network([2, 1], "sigmoid", {"w1": 40.0, "w2": 0.0}, bias_mode="none")
    conv = Conventions(loss="bce", arithmetic=spec.conventions.arithmetic)
    q = trace_step(saturated, [((1.0, 1.0), (0.0,))], conv).quantities()
    assert q["out_o1"] == 1.0 and q["E_o1"] == round_decimals(float(np.logaddexp(0.0, 40.0)), k, method)
