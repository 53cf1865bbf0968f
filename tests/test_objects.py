"""The objects compute: Neuron, Connection and Layer methods called by hand, as a student follows
Mazur's post, give Mazur's published numbers (DESIGN.md §6, seed 001) — no step involved.

Engine-independent: these test the formulas of the objects themselves; the engines' agreement
with them is tested in test_unrolled.py (neuron loop, bit for bit) and test_matrix.py (matrix
engine, 1e-12)."""

import math

import pytest

from neurosim import get_loss
from neurosim.core.arithmetic import Arithmetic

HALF_SSE = get_loss("half_sse")


def published(value: str, computed: float) -> bool:
    """Right at the precision printed: within half a unit of its last decimal."""
    decimals = len(value.split(".")[1])
    return abs(computed - float(value)) <= 0.5 * 10 ** -decimals


def test_forward_methods_give_mazurs_hidden_and_output_values(mazur_network):
    h1, h2 = mazur_network.layers[1].neurons
    o1, o2 = mazur_network.output_layer.neurons
    net_h1 = h1.calculate_net_input([0.05, 0.10])
    assert published("0.3775", net_h1)
    out_h1 = h1.calculate_output(net_h1)
    assert published("0.593269992", out_h1)
    out_h2 = h2.calculate_output(h2.calculate_net_input([0.05, 0.10]))
    assert published("0.596884378", out_h2)
    net_o1 = o1.calculate_net_input([out_h1, out_h2])
    assert published("1.105905967", net_o1)
    assert published("0.75136507", o1.calculate_output(net_o1))
    assert published("0.772928465", o2.calculate_output(o2.calculate_net_input([out_h1, out_h2])))


def test_output_neuron_partial_derivatives_after_the_forward_pass(mazur_network):
    mazur_network.forward([0.05, 0.10])
    o1 = mazur_network.output_layer.neurons[0]
    assert published("0.274811083", o1.calculate_error(0.01, HALF_SSE, 2))
    o1.dE_dout = o1.calculate_dE_dout_from_loss(0.01, HALF_SSE, 2)
    assert published("0.74136507", o1.dE_dout)
    o1.dout_dnet = o1.calculate_dout_dnet()
    assert published("0.186815602", o1.dout_dnet)
    o1.delta = o1.calculate_delta()
    w5 = o1.incoming[0]
    assert w5.name == "w5" and w5.calculate_dnet_dw() == mazur_network.layers[1].neurons[0].out
    gradient = w5.calculate_gradient(w5.calculate_dnet_dw())
    assert published("0.082167041", gradient)
    assert published("0.35891648", w5.calculate_update(gradient, 0.5))


def test_hidden_neuron_sums_what_the_outputs_send_back(mazur_network):
    mazur_network.forward([0.05, 0.10])
    mazur_network.output_layer.backward(targets=[0.01, 0.99], loss=HALF_SSE)
    h1 = mazur_network.layers[1].neurons[0]
    parts = h1.calculate_dE_dout_parts()
    assert [c.name for c in h1.outgoing] == ["w5", "w7"]
    assert published("0.055399425", parts[0]) and published("-0.019049118", parts[1])
    h1.dE_dout = h1.calculate_dE_dout_from_parts(parts)
    assert published("0.036350306", h1.dE_dout)
    assert published("0.241300709", h1.calculate_dout_dnet())


def test_layer_backward_then_connection_gives_w1(mazur_network):
    mazur_network.forward([0.05, 0.10])
    mazur_network.output_layer.backward(targets=[0.01, 0.99], loss=HALF_SSE)
    hidden = mazur_network.layers[1]
    parts = hidden.backward()
    assert len(parts) == 2 and len(parts[0]) == 2
    w1 = hidden.neurons[0].incoming[0]
    gradient = w1.calculate_gradient(w1.calculate_dnet_dw())
    assert published("0.000438568", gradient)
    assert published("0.149780716", w1.calculate_update(gradient, 0.5))


def test_layer_values_change_no_neuron(mazur_network):
    before = [n.out for n in mazur_network.neurons()]
    assert published("0.75136507", mazur_network.evaluate([0.05, 0.10])[0])
    after = [n.out for n in mazur_network.neurons()]
    assert all(math.isnan(a) and math.isnan(b) or a == b for a, b in zip(before, after))


def test_keep_is_how_each_method_writes_its_result_down(mazur_network):
    """Hand rounding reaches the methods as the one `keep` argument."""
    keep = Arithmetic(round_to=3).keeper()
    h1 = mazur_network.layers[1].neurons[0]
    assert h1.calculate_net_input([0.05, 0.10], keep) == 0.378  # 0.3775 rounded half-up
    assert h1.calculate_output(0.378, keep) == pytest.approx(0.593)


def test_softmax_is_a_layer_level_activation():
    from neurosim import build_network

    net = build_network([2, 3], "softmax", {f"w{k}": 0.1 * k for k in range(1, 7)}, bias_mode="none")
    outs = net.forward([1.0, 2.0])
    assert sum(outs) == pytest.approx(1.0)
    layer = net.output_layer
    layer.backward(targets=[0.0, 1.0, 0.0], loss=get_loss("cce"))
    # combined: delta_j = out_j - target_j for softmax with cross-entropy
    assert [n.delta for n in layer.neurons] == pytest.approx([outs[0], outs[1] - 1.0, outs[2]], abs=1e-15)
    assert layer.jacobian[0][0] == pytest.approx(outs[0] * (1 - outs[0]))
