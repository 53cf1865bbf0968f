"""Starting weights for wide layers (issue 18, item 18): PyTorch's nn.init schemes by their names,
and a warning when a layer starts saturated (a naive 784-64-10 with seed = 1 has every hidden
delta exactly 0), naming the initialisations that avoid it."""

import io
import math

import numpy as np
import pytest

from neurosim import build_network, trace_step
from neurosim.cli import main
from neurosim.core.conventions import Conventions


def _wide(tmp_path, init=None, layers=(300, 20, 3)):
    rng = np.random.default_rng(1)
    inputs = rng.uniform(0, 1, size=(2, layers[0])).round(3).tolist()
    targets = np.eye(layers[-1])[[1, 2]].tolist()
    line = f'init = "{init}"\n' if init else ""
    path = tmp_path / f"{init or 'naive'}.toml"
    path.write_text(f'[network]\nlayers = {list(layers)}\nseed = 1\n{line}[data]\ninputs = {inputs}\n'
                    f"targets = {targets}\n[training]\nlearning_rate = 0.1\n", encoding="utf-8")
    return path


def test_a_naive_wide_network_is_saturated_and_the_run_says_so(tmp_path, capsys):
    path = _wide(tmp_path)
    out = io.StringIO()
    assert main(["run", str(path), "--only", "delta_h1,delta_h20"], out) == 0
    err = capsys.readouterr().err
    assert "layer 1 (20 sigmoid neurons) is saturated at step 1" in err
    assert 'init = "xavier_uniform"' in err and "nn.init" in err
    rows = [line.split() for line in out.getvalue().splitlines() if line.startswith("delta_h")]
    assert rows and all(float(row[-1]) == 0.0 for row in rows)  # the hidden deltas are exactly 0
    for init in ("xavier_uniform", "kaiming_uniform", "normal"):
        assert main(["run", str(_wide(tmp_path, init)), "--only", "delta_h1"], io.StringIO()) == 0
        assert "saturated" not in capsys.readouterr().err, init
    assert main(["run", "mazur"], io.StringIO()) == 0
    assert "saturated" not in capsys.readouterr().err


@pytest.mark.parametrize("init, bound, std", [
    ("xavier_uniform", lambda i, o: math.sqrt(6 / (i + o)), lambda i, o: math.sqrt(6 / (i + o)) / math.sqrt(3)),
    ("xavier_normal", None, lambda i, o: math.sqrt(2 / (i + o))),
    ("kaiming_uniform", lambda i, o: math.sqrt(6 / i), lambda i, o: math.sqrt(2 / i)),
    ("kaiming_normal", None, lambda i, o: math.sqrt(2 / i)),
])
def test_the_scaled_initialisations_follow_pytorchs_nn_init(init, bound, std):
    """Per layer: U(-a, a) or N(0, σ²) with PyTorch's a and σ (torch.nn.init's docs: Xavier
    a = gain·√(6/(fan_in+fan_out)), σ = gain·√(2/(fan_in+fan_out)); Kaiming with a = 0, fan_in, ReLU:
    bound = √(6/fan_in), σ = √(2/fan_in)); biases 0; the same seed gives the same network."""
    sizes = [200, 100, 10]
    net = build_network(sizes, "sigmoid", bias_mode="per-neuron", rng=np.random.default_rng(5), init=init)
    again = build_network(sizes, "sigmoid", bias_mode="per-neuron", rng=np.random.default_rng(5), init=init)
    assert net.parameters() == again.parameters()
    weights = np.array([c.weight for c in net.connections])
    assert all(b.value == 0.0 for b in net.biases)
    start = 0
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        layer = weights[start:start + fan_in * fan_out]
        start += fan_in * fan_out
        if bound is not None:
            assert np.max(np.abs(layer)) <= bound(fan_in, fan_out)
            assert np.max(np.abs(layer)) > 0.95 * bound(fan_in, fan_out)
        assert np.std(layer) == pytest.approx(std(fan_in, fan_out), rel=0.1 if fan_out < 50 else 0.02)
        assert abs(np.mean(layer)) < 0.1 * std(fan_in, fan_out)


def test_an_unknown_init_names_the_choices():
    from neurosim.errors import NeurosimError

    with pytest.raises(NeurosimError, match="kaiming_normal"):
        build_network([2, 2, 1], rng=np.random.default_rng(1), init="he")


def test_a_naive_784_64_10_network_has_every_hidden_delta_exactly_0():
    """What the warning is about, in the traced step of the issue's naive 784-64-10 (seed = 1)."""
    rng = np.random.default_rng(1)
    x = tuple(rng.uniform(0, 1, 784).round(3))
    net = build_network([784, 64, 10], "sigmoid", rng=np.random.default_rng(1))
    trace = trace_step(net, [(x, tuple(np.eye(10)[1]))], Conventions(learning_rate=0.1))
    hidden = [v for k, v in trace.quantities().items() if k.startswith("delta_h")]
    assert len(hidden) == 64 and all(v == 0.0 for v in hidden)
    from neurosim.engines.saturation import saturated_layers

    assert [s.layer for s in saturated_layers(net, [x])] == [1, 2]


@pytest.mark.parametrize("sizes, activation, scale", [([300, 20, 3], "sigmoid", 1.0), ([4, 6, 5, 2], "tanh", 3.0),
                                                      ([3, 5, 2], "relu", 2.0), ([2, 3, 3], "softplus", 8.0)])
def test_the_small_networks_saturation_is_the_matrix_engines(sizes, activation, scale):
    """A small network's saturation is found on plain floats (start-up), a large one's on the matrix
    engine: the same largest |dout/dnet| per layer, to rounding."""
    from neurosim.engines.array_functions import ARRAY_ACTIVATIONS
    from neurosim.engines.saturation import LARGEST_DERIVATIVE, _layers, _small_layers

    rng = np.random.default_rng(3)
    net = build_network(sizes, activation, rng=rng)
    inputs = (rng.uniform(-1, 1, size=(7, sizes[0])) * scale).tolist()
    small = _small_layers(net, inputs)
    large = [(Z.shape[1], name, float(np.max(np.abs(ARRAY_ACTIVATIONS[name][1](Z, A)))))
             for Z, A, name in _layers(net, inputs, Conventions())]
    assert [(n, name) for n, name, _ in small] == [(n, name) for n, name, _ in large]
    assert all(name not in LARGEST_DERIVATIVE or math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-300)
               for (_, name, a), (_, _, b) in zip(small, large))
