"""The learning rules against published hand-worked examples and against numbers worked out
independently from the published formulas (for the rules PyTorch lacks: the after-lr, normalized
and gradient-only momentum forms, TensorFlow's ε form, Quickprop, Rprop+, Rprop-, iRprop+, the flat
spot and the tolerance). Sources are cited at each test; the examples and their verification are
in the research notes on learning rules (§10).

The one-parameter examples (E = w², E = (x - 4)², …) are a 1-1 network with a linear output, no
bias, input 1 and the loss sse: E = (t - w)², dE/dw = 2(w - t), exactly.
"""

import math

import pytest

from neurosim.core.trace import StepTrace
from neurosim.engines.runner import RunPlan, iterate_run
from neurosim.files.exercise import spec_from_dict

from . import rule_reference as ref


def one_weight(w0, target, rule, lr, steps, x=1.0, loss="sse"):
    """E = (target - w·x)² (sse) on a single linear weight w1."""
    return spec_from_dict({
        "network": {"layers": [1, 1], "activations": "linear", "bias": "none", "weights": [w0]},
        "data": {"inputs": [[x]], "targets": [[target]]},
        "training": {"loss": loss, "learning_rate": lr, "steps": steps, "rule": rule},
    })


def traced(spec, steps=None):
    """quantities() of every step."""
    steps = steps or spec.steps
    plan = RunPlan(steps, frozenset(range(1, steps + 1)), steps + 1)
    return {r.step: r.quantities() for r in iterate_run(spec, plan) if isinstance(r, StepTrace)}


def weights(spec):
    q = traced(spec)
    return [q[k]["w1+"] for k in sorted(q)]


# -- momentum ----------------------------------------------------------------------------------------
GORR = {"name": "momentum", "momentum": 0.1}  # E = w², w0 = 10, η = 0.8, β = 0.1


def test_gorr_momentum_after_the_learning_rate():
    """Gorr, Willamette CS449 "Momentum" (willamette.edu/~gorr/classes/cs449/Momentum/momentum.html):
    Dw(1) = -.8(20) + .1·0 = -16, w(1) = -6; Dw(2) = 8, w(2) = 2; Dw(3) = -2.4, w(3) = -.4."""
    q = traced(one_weight(10.0, 0.0, GORR, 0.8, 3))
    assert [q[k]["Δw1"] for k in (1, 2, 3)] == pytest.approx([-16, 8, -2.4], abs=1e-12)
    assert [q[k]["w1+"] for k in (1, 2, 3)] == pytest.approx([-6, 2, -0.4], abs=1e-12)
    assert [q[k]["v_w1"] for k in (1, 2, 3)] == pytest.approx([-16, 8, -2.4], abs=1e-12)  # v is the change


@pytest.mark.parametrize("form", ["after-lr", "before-lr"])
def test_saida_momentum_both_forms(form):
    """Université de Saïda, "Momentum Gradient Descent — Complete Solution" (e-learning.univ-saida.dz
    …?id=148564): f(x) = (x - 4)², α = 0.2, β = 0.9, x0 = 10; x = 7.6, 4.0, 0.76, -0.86 (g3 = 0).
    The after-lr and PyTorch forms give the same weights at a constant learning rate."""
    spec = one_weight(10.0, 4.0, {"name": "momentum", "momentum": 0.9, "form": form}, 0.2, 4)
    assert weights(spec) == pytest.approx([7.6, 4.0, 0.76, -0.86], abs=1e-12)


def test_after_lr_and_before_lr_agree_on_weights_but_not_on_v():
    after = traced(one_weight(10.0, 4.0, {"name": "momentum", "momentum": 0.9}, 0.2, 3))
    before = traced(one_weight(10.0, 4.0, {"name": "momentum", "momentum": 0.9, "form": "before-lr"}, 0.2, 3))
    for k in (1, 2, 3):
        assert after[k]["w1+"] == pytest.approx(before[k]["w1+"], abs=1e-14)
        assert after[k]["v_w1"] == pytest.approx(-0.2 * before[k]["v_w1"], abs=1e-14)  # Δw = v, Δw = -η·v


def test_normalized_momentum_ng_notebook():
    """mrzResearchArena/Intro-Deep momentum notebook (deeplearning.ai's vdw = 0.9·vdw + 0.1·dw,
    w = w - lr·vdw): F(w) = w² - 6w + 1971, w0 = 10, lr = 0.01; printed w per epoch 9.9860, 9.9594,
    9.9216, 9.8737, 9.8168, 9.7520, 9.6802, 9.6022, 9.5188, 9.4307, 9.3386 (4 decimals)."""
    spec = one_weight(10.0, 3.0, {"name": "momentum", "momentum": 0.9, "form": "normalized"}, 0.01, 11)
    printed = [9.9860, 9.9594, 9.9216, 9.8737, 9.8168, 9.7520, 9.6802, 9.6022, 9.5188, 9.4307, 9.3386]
    assert [round(w, 4) for w in weights(spec)] == printed


def test_the_four_forms_give_their_definitions_numbers():
    """Mazur's network, 3 steps, η = 0.5, μ = 0.9, each form against its definition written out from
    its source (tests/rule_reference.py): RHW 1986 eq. 9, PyTorch SGD, PDP++ NORMALIZED and
    EBPTA_with_momentum.py."""
    forms = {"after-lr": ref.momentum_after_lr, "before-lr": ref.momentum_pytorch,
             "normalized": ref.momentum_normalized, "gradient-only": ref.momentum_gradient_only}
    for form, rule in forms.items():
        spec = spec_from_dict(_mazur({"name": "momentum", "momentum": 0.9, "form": form}, steps=3))
        q = traced(spec)
        expected = ref.train(rule(0.5, 0.9), 3)
        for k in (1, 2, 3):
            for name in ("w1", "w5", "w8"):
                assert q[k][f"{name}+"] == pytest.approx(expected[k - 1][name], rel=1e-13), (form, k, name)


def _mazur(rule, steps, **training):
    return {
        "network": {"layers": [2, 2, 2], "weights": [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55],
                    "biases": [0.35, 0.6]},
        "data": {"inputs": [[0.05, 0.1]], "targets": [[0.01, 0.99]]},
        "training": {"learning_rate": training.pop("learning_rate", 0.5), "steps": steps, "update_biases": False,
                     "rule": rule, **training},
    }


def test_a_previous_change_given_before_step_1():
    """"Assume the previous weight change was 0.08": v_w1 = 0.08 in [training.rule.state]; on E = w²,
    w0 = 10, η = 0.8, α = 0.1: Δw = -0.8·20 + 0.1·0.08 = -15.992."""
    spec = one_weight(10.0, 0.0, {**GORR, "state": {"v_w1": 0.08}}, 0.8, 1)
    q = traced(spec)[1]
    assert q["Δw1"] == pytest.approx(-15.992, abs=1e-12) and q["w1+"] == pytest.approx(-5.992, abs=1e-12)


def test_click4ai_one_momentum_step():
    """click4ai "SGD with Momentum": w = [[1,2],[3,4]], g = [[.1,.2],[.3,.4]], lr 0.01, μ 0.9, v0 = 0:
    w = [[0.999, 1.998], [2.997, 3.996]] (every form gives this at step 1). Four weights of a 1-4
    linear layer, each with target w - g/2 so that dE/dw = 2(w - t) = g."""
    for form in ("after-lr", "before-lr", "normalized", "gradient-only"):
        if form == "normalized":
            continue  # its first step is (1-μ)·g: not the published formula's
        spec = spec_from_dict({
            "network": {"layers": [1, 4], "activations": "linear", "bias": "none", "weights": [1, 2, 3, 4]},
            "data": {"inputs": [[1.0]], "targets": [[1 - 0.05, 2 - 0.1, 3 - 0.15, 4 - 0.2]]},
            "training": {"loss": "sse", "learning_rate": 0.01, "rule": {"name": "momentum", "form": form}},
        })
        q = traced(spec)[1]
        assert [q[f"w{k}+"] for k in range(1, 5)] == pytest.approx([0.999, 1.998, 2.997, 3.996], abs=1e-12)


# -- Adam ----------------------------------------------------------------------------------------------
def test_q4quant_first_adam_update_by_hand():
    """q4quant.studio "Compute the First Adam Update by Hand": g1 = 4, α = 0.1, β1 = 0.9, β2 = 0.999,
    ε = 0: m1 = 0.4, v1 = 0.016, m̂1 = 4, v̂1 = 16, step = -0.1·4/√16 = -0.1 (here E = w², w0 = 2)."""
    q = traced(one_weight(2.0, 0.0, {"name": "adam", "eps": 0.0}, 0.1, 1))[1]
    assert q["dE/dw1"] == 4
    assert (q["m_w1"], q["v_w1"], q["mhat_w1"], q["vhat_w1"], q["Δw1"]) == pytest.approx(
        (0.4, 0.016, 4, 16, -0.1), rel=1e-12)


def test_gbasran_full_adam():
    """gbasran.github.io "ADAM Machine Learning Deepdive", concept 12: f = θ², θ0 = 5, α = 0.1,
    ε = 1e-8: g1 = 10, m1 = 1, v1 = 0.1, m̂1 = 10, v̂1 = 100, θ1 = 4.9, g2 = 9.8."""
    q = traced(one_weight(5.0, 0.0, {"name": "adam"}, 0.1, 2))
    assert (q[1]["m_w1"], q[1]["v_w1"], q[1]["mhat_w1"], q[1]["vhat_w1"]) == pytest.approx((1, 0.1, 10, 100))
    assert q[1]["w1+"] == pytest.approx(4.9, abs=1e-8) and q[2]["dE/dw1"] == pytest.approx(9.8, abs=1e-7)


def test_graduateml_adam_case():
    """graduateml.com problem 34: w = 0, g = 1, lr = 1e-3, β1 = 0.9, β2 = 0.99, ε = 1e-8, t = 1 →
    w = -0.001 (to 8 significant digits, the ε effect), m = 0.1 (target -0.5: dE/dw = 2(w + 0.5) = 1)."""
    q = traced(one_weight(0.0, -0.5, {"name": "adam", "betas": [0.9, 0.99]}, 1e-3, 1))[1]
    assert q["m_w1"] == pytest.approx(0.1) and q["v_w1"] == pytest.approx(0.01)
    assert q["w1+"] == pytest.approx(-0.001, rel=1e-7)


def test_tensorflow_eps_hat_form_against_keras():
    """Keras 3 Adam (ε̂ on the uncorrected root, the form of Kingma & Ba's §2 remark) run on θ², θ0 = 5,
    lr = 0.125 (exact in float32), ε̂ = 1e-8: θ = 4.875000003952847, 4.750092500314556,
    4.625342314062658 (research notes §10.4 d). The paper's form gives other digits."""
    rule = {"name": "adam", "eps_form": "uncorrected"}
    assert weights(one_weight(5.0, 0.0, rule, 0.125, 3)) == pytest.approx(
        [4.875000003952847, 4.750092500314556, 4.625342314062658], rel=1e-14)
    paper = weights(one_weight(5.0, 0.0, {"name": "adam"}, 0.125, 1))[0]
    assert abs(paper - 4.875000003952847) > 1e-9


def test_eps_placement_with_a_tiny_constant_gradient():
    """dE/dw = 1e-6 throughout (mae, input 1e-6, target -1), lr = 1e-3, three steps: PyTorch's Adam
    (ε = 1e-8 on √vhat) moves -9.900990099e-4, -1.980198020e-3, -2.970297030e-3 (notes §10.4 d);
    the ε̂ form, recomputed from Kingma & Ba's remark: α_t = α·√(1-β2^t)/(1-β1^t), θ -= α_t·m/(√v + ε̂)."""
    torch_like = weights(one_weight(0.0, -1.0, {"name": "adam"}, 1e-3, 3, x=1e-6, loss="mae"))
    assert torch_like == pytest.approx([-9.900990099e-4, -1.980198020e-3, -2.970297030e-3], rel=1e-9)
    tf_form = {"name": "adam", "eps_form": "uncorrected"}
    hat = weights(one_weight(0.0, -1.0, tf_form, 1e-3, 3, x=1e-6, loss="mae"))
    w, m, v = 0.0, 0.0, 0.0
    for t, got in zip((1, 2, 3), hat):
        m, v = 0.9 * m + 0.1 * 1e-6, 0.999 * v + 0.001 * 1e-12
        w -= 1e-3 * math.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t) * m / (math.sqrt(v) + 1e-8)
        assert got == pytest.approx(w, rel=1e-12)
    # Keras printed -7.597469627e-4: it holds lr in float32 (1e-3 → 1.0000000475e-3), 4.7e-8 relative
    assert hat[0] == pytest.approx(-7.597469627e-4, rel=1e-7)
    assert hat[0] == pytest.approx(-7.597469627e-4 / 1.0000000474974513, rel=1e-9)


def test_adam_without_bias_correction_and_adam_steps_on_mazur():
    """Two and three Adam steps on Mazur's network (η = 0.01) against Algorithm 1 written out
    (tests/rule_reference.py), and without bias correction: θ -= α·m/(√v + ε)."""
    for rule, update in (({"name": "adam"}, ref.adam(0.01)),
                         ({"name": "adam", "bias_correction": False}, ref.adam(0.01, correction=False))):
        q = traced(spec_from_dict(_mazur(rule, 3, learning_rate=0.01)))
        expected = ref.train(update, 3)
        for k in (1, 2, 3):
            assert q[k]["w5+"] == pytest.approx(expected[k - 1]["w5"], rel=1e-12)
            assert q[k]["w1+"] == pytest.approx(expected[k - 1]["w1"], rel=1e-12)
