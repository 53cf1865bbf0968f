"""Names follow DESIGN.md §4: i/h/o neurons, w numbered per target neuron in source order, b per layer."""

import numpy as np
import pytest

from neurosim import NeurosimError, build_network
from neurosim.core.network import bias_names, neuron_names, weight_names


def test_mazur_weight_numbering(mazur_network):
    wiring = [(c.name, c.source.name, c.target.name) for c in mazur_network.connections]
    assert wiring == [("w1", "i1", "h1"), ("w2", "i2", "h1"), ("w3", "i1", "h2"), ("w4", "i2", "h2"),
                      ("w5", "h1", "o1"), ("w6", "h2", "o1"), ("w7", "h1", "o2"), ("w8", "h2", "o2")]
    assert [b.name for b in mazur_network.biases] == ["b1", "b2"]
    assert mazur_network.layers[1].neurons[0].bias is mazur_network.layers[1].neurons[1].bias


def test_deeper_networks_name_hidden_layers():
    assert neuron_names([2, 3, 2, 1]) == [["i1", "i2"], ["h1_1", "h1_2", "h1_3"], ["h2_1", "h2_2"], ["o1"]]
    assert weight_names([2, 3, 1]) == [f"w{k}" for k in range(1, 10)]
    assert bias_names([2, 3, 1], "per-neuron") == ["b_h1", "b_h2", "b_h3", "b_o1"]
    assert bias_names([2, 3, 1], "none") == []


def test_parameters_in_naming_order_and_seeded_init_is_reproducible():
    a = build_network([3, 4, 2], "tanh", rng=np.random.default_rng(5))
    b = build_network([3, 4, 2], "tanh", rng=np.random.default_rng(5))
    assert list(a.parameters()) == [f"w{k}" for k in range(1, 21)] + ["b1", "b2"]
    assert a.parameters() == b.parameters()


def test_repr_is_short(mazur_network):
    assert repr(mazur_network) == "Network(2-2-2, sigmoid/sigmoid, 8 weights, 2 shared biases)"
    assert repr(mazur_network.connections[4]) == "Connection(w5: h1->o1, weight=0.4)"


@pytest.mark.parametrize("kwargs, message", [
    (dict(weights=[0.1] * 7, biases=[0.35, 0.6]), "weights: expected 8 values (w1..w8)"),
    (dict(weights={"w9": 1.0}), "weights: no parameter named 'w9'"),
    (dict(weights=[0.1] * 8, biases=[0.35]), "biases: expected 2 values"),
    (dict(weights=[0.1] * 8, biases=[0.35, float("nan")]), "biases: b2: nan is not a finite number"),
    (dict(weights=[0.1] * 6 + [float("inf"), 0.1], biases=[0, 0]), "weights: w7: inf is not a finite number"),
    (dict(weights={"w1": 0.1}), "weights: missing w2"),
])
def test_bad_parameters_are_named(kwargs, message):
    with pytest.raises(NeurosimError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        build_network([2, 2, 2], "sigmoid", **kwargs)


def test_unknown_activation_is_named():
    with pytest.raises(NeurosimError, match="activation: unknown name 'sigmoidd'"):
        build_network([2, 2, 2], "sigmoidd", rng=np.random.default_rng(0))
