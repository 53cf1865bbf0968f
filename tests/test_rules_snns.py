"""The rules PyTorch lacks, against numbers worked out independently from their published
definitions: Rprop+ (Riedmiller & Braun 1993), Rprop-, iRprop- and iRprop+ (Igel & Hüsken 2000),
Quickprop (Fahlman 1988, his quickprop1.lisp), and SNNS's flat-spot elimination c and error
tolerance dmax (SNNS User Manual 4.1, "Parameters of the Learning Functions":
δ_j = (f'_j(net_j) + c)·(t_j - o_j), an error with |t_j - o_j| ≤ dmax propagated back as 0).

No published hand-worked Rprop or Quickprop numbers exist (the research notes searched, §8-9); the
traces below are the notes' §10.6-10.7: ports of the published pseudo-code and of Fahlman's, SNNS's
and FANN's code, which agree with each other (and PyTorch's Rprop with iRprop-)."""

import pytest

from neurosim.files.exercise import spec_from_dict

from . import rule_reference as ref
from .test_rules_published import _mazur, one_weight, traced, weights

RPROP_FROM_07 = {  # E = (w - 1)², w0 = 0.7, initial step 0.1, etas (0.5, 1.2): E fell at the sign change
    "rprop+": [0.8, 0.92, 1.064, 0.92, 0.992, 1.0784, 0.992],
    "rprop-": [0.8, 0.92, 1.064, 0.992, 1.028, 1.01, 0.9884],
    "irprop+": [0.8, 0.92, 1.064, 1.064, 0.992, 0.992, 1.028],
    "irprop-": [0.8, 0.92, 1.064, 1.064, 0.992, 0.992, 1.028],
}
RPROP_FROM_0 = {  # w0 = 0, initial step 0.4: the overshoot to 1.456 raises E, so iRprop+ backtracks
    "rprop+": [0.4, 0.88, 1.456, 0.88, 1.168, 0.88, 1.024],
    "rprop-": [0.4, 0.88, 1.456, 1.168, 0.8224, 0.9952, 1.20256],
    "irprop+": [0.4, 0.88, 1.456, 0.88, 1.168, 0.88, 1.024],
    "irprop-": [0.4, 0.88, 1.456, 1.456, 1.168, 0.8224, 0.8224],
}


@pytest.mark.parametrize("variant", sorted(RPROP_FROM_07))
def test_rprop_variants(variant):
    for w0, step, trace in ((0.7, 0.1, RPROP_FROM_07), (0.0, 0.4, RPROP_FROM_0)):
        rule = {"name": "rprop", "variant": variant, "initial_step": step}
        assert weights(one_weight(w0, 1.0, rule, 0.5, 7)) == pytest.approx(trace[variant], abs=1e-12), w0


def test_rprop_rows_name_the_sign_comparison_and_the_step_size():
    q = traced(one_weight(0.0, 1.0, {"name": "rprop", "variant": "rprop+", "initial_step": 0.4}, 0.5, 4))
    assert [q[k]["sign_w1"] for k in (1, 2, 3, 4)] == [0, 1, 1, -1]
    assert [q[k]["step_w1"] for k in (1, 2, 3, 4)] == pytest.approx([0.4, 0.48, 0.576, 0.288])
    assert q[4]["Δw1"] == pytest.approx(-0.576) and q[4]["prev_w1"] == 0  # the step taken back


QUICKPROP = [  # E = (w - 1)², ε = 0.1, μ = 1.75: the parabola is exact, so the third step lands on 1
    (0.0, 0.0, [0.2, 0.71, 1.058, 1.0, 1.0]),
    (0.0, 1e-4, [0.2, 0.709998, 1.057943303, 0.999950002, 0.999950002]),
    (0.5, 1e-4, [0.599995, 0.85498125005, 1.028945202677, 0.9999500025]),
]


@pytest.mark.parametrize("w0, decay, trace", QUICKPROP)
def test_quickprop_fahlman(w0, decay, trace):
    rule = {"name": "quickprop", "weight_decay": decay}
    assert weights(one_weight(w0, 1.0, rule, 0.1, len(trace))) == pytest.approx(trace, abs=5e-10)


def test_quickprop_rows_say_which_step_was_taken():
    q = traced(one_weight(0.0, 1.0, {"name": "quickprop"}, 0.1, 3))
    assert q[1]["slope_w1"] == -2 and q[1]["Δw1"] == pytest.approx(0.2)
    assert q[2]["Δw1"] == pytest.approx(0.16 + 1.75 * 0.2)  # -η·S plus the maximum growth μ·Δw(t-1)
    assert q[3]["Δw1"] == pytest.approx(-0.58 / (-1.6 + 0.58) * 0.51 + 0.058)  # the parabola's step, plus -η·S


@pytest.mark.parametrize("flat_spot, tolerance", [(0.1, 0.0), (0.0, 0.3), (0.1, 0.3)])
def test_flat_spot_and_tolerance_as_snns_states_them(flat_spot, tolerance):
    """Mazur's network, two plain steps and two with momentum (SNNS BackpropMomentum: η, μ, c, dmax);
    |0.99 - out_o2| ≈ 0.22 is within dmax = 0.3, so o2 sends back nothing."""
    for rule, update in ((None, ref.momentum_after_lr(0.5, 0.0)),
                         ({"name": "momentum", "momentum": 0.9}, ref.momentum_after_lr(0.5, 0.9))):
        data = _mazur(rule or {"name": "sgd"}, 2, flat_spot=flat_spot, tolerance=tolerance)
        q = traced(spec_from_dict(data))
        expected = ref.train(update, 2, flat_spot=flat_spot, tolerance=tolerance)
        for k in (1, 2):
            for name in ("w1", "w4", "w5", "w8"):
                assert q[k][f"{name}+"] == pytest.approx(expected[k - 1][name], rel=1e-13), (k, name)
        if tolerance:
            assert q[1]["dE/dout_o2"] == 0 and q[1]["dE/dout_o1"] != 0
        if flat_spot:
            out = q[1]["out_o1"]
            assert q[1]["dout_o1/dnet_o1"] == pytest.approx(out * (1 - out) + flat_spot, rel=1e-15)
