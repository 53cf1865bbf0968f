"""The PyTorch bridge: same forward values and the same gradients (to 1e-12) on random networks.

Skipped when torch is not installed (`pip install torch==2.13.0` on the CI machine, see .ci/run)."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from neurosim import Conventions, NeurosimError, build_network, evaluate, trace_step  # noqa: E402
from neurosim.engines.torch_bridge import from_torch, samples_as_tensors, to_torch, torch_loss  # noqa: E402

ACTS = ["sigmoid", "tanh", "relu", "leaky_relu", "linear", "softplus"]


def random_case(seed):
    rng = np.random.default_rng(seed)
    depth = int(rng.integers(1, 4))
    sizes = [int(rng.integers(1, 5)) for _ in range(depth + 1)]
    acts = [str(rng.choice(ACTS)) for _ in range(depth)]
    bias = str(rng.choice(["shared", "per-neuron", "none"]))
    net = build_network(sizes, acts, bias_mode=bias, rng=rng, init="normal")
    n_samples = int(rng.integers(1, 4))
    samples = [(tuple(rng.normal(size=sizes[0])), tuple(rng.uniform(0.05, 0.95, size=sizes[-1])))
               for _ in range(n_samples)]
    return net, samples


def torch_gradients(net, samples, conventions):
    model = to_torch(net)
    x, t = samples_as_tensors(samples)
    loss = torch_loss(conventions)(model(x), t)
    loss.backward()
    grads = {}
    linears = [m for m in model if isinstance(m, torch.nn.Linear)]
    for layer, linear in zip(net.layers[1:], linears):
        for j, neuron in enumerate(layer.neurons):
            for s, conn in enumerate(neuron.incoming):
                grads[conn.name] = float(linear.weight.grad[j, s])
            if neuron.bias is not None:  # a shared bias: the sum over the neurons that share it
                grads[neuron.bias.name] = grads.get(neuron.bias.name, 0.0) + float(linear.bias.grad[j])
    return loss.item(), grads


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("loss", ["half_sse", "sse", "mse", "bce"])
def test_gradients_agree_with_torch(seed, loss):
    net, samples = random_case(seed)
    if loss == "bce" and net.activations[-1] != "sigmoid":
        net = build_network(net.sizes, list(net.activations[:-1]) + ["sigmoid"],
                            weights=[c.weight for c in net.connections], biases=[b.value for b in net.biases],
                            bias_mode=net.bias_mode)
    mode = "online" if len(samples) == 1 else ("batch-sum" if seed % 2 else "batch-mean")
    conv = Conventions(loss=loss, learning_rate=0.1, mode=mode)
    torch_value, expected = torch_gradients(net, samples, conv)
    trace = trace_step(net.copy(), samples, conv)
    ours = {u.name: u.gradient for u in trace.updates}
    assert set(ours) == set(expected)
    assert trace.E_total == pytest.approx(torch_value, rel=1e-12, abs=1e-12)
    for name, value in expected.items():
        assert ours[name] == pytest.approx(value, rel=1e-12, abs=1e-12), name


def test_softmax_cross_entropy_gradients_agree():
    rng = np.random.default_rng(7)
    net = build_network([3, 4, 3], ["tanh", "softmax"], bias_mode="per-neuron", rng=rng, init="normal")
    samples = [((0.2, -0.4, 1.0), (0.0, 1.0, 0.0)), ((-1.0, 0.5, 0.3), (1.0, 0.0, 0.0))]
    conv = Conventions(loss="cce", mode="batch-mean")
    _, expected = torch_gradients(net, samples, conv)
    ours = {u.name: u.gradient for u in trace_step(net.copy(), samples, conv).updates}
    for name, value in expected.items():
        assert ours[name] == pytest.approx(value, rel=1e-12, abs=1e-12), name


def test_mazur_through_torch():
    """Mazur's published dE/dw5 = 0.082167041 and dE/dw1 = 0.000438568 come out of PyTorch too."""
    net = build_network([2, 2, 2], "sigmoid", {"w1": 0.15, "w2": 0.20, "w3": 0.25, "w4": 0.30, "w5": 0.40,
                                               "w6": 0.45, "w7": 0.50, "w8": 0.55, "b1": 0.35, "b2": 0.60})
    _, grads = torch_gradients(net, [((0.05, 0.10), (0.01, 0.99))], Conventions())
    assert round(grads["w5"], 9) == 0.082167041
    assert round(grads["w1"], 9) == 0.000438568


@pytest.mark.parametrize("seed", range(10))
def test_round_trip_is_exact(seed):
    net, samples = random_case(seed)
    back = from_torch(to_torch(net))
    assert [c.weight for c in back.connections] == [c.weight for c in net.connections]
    assert back.sizes == net.sizes and back.activations == net.activations
    model = to_torch(net)
    x, _ = samples_as_tensors(samples)
    with torch.no_grad():
        out = model(x).numpy()
    for row, (inputs, _) in zip(out, samples):
        assert list(row) == pytest.approx(evaluate(net, inputs), rel=1e-14, abs=1e-15)


def test_shared_biases_become_per_neuron_entries():
    net = build_network([2, 2, 1], "sigmoid", {"w1": 0.1, "w2": 0.2, "w3": 0.3, "w4": 0.4, "w5": 0.5, "w6": 0.6,
                                               "b1": 0.35, "b2": 0.6})
    model = to_torch(net)
    assert model[0].bias.tolist() == [0.35, 0.35]
    back = from_torch(model)
    assert back.bias_mode == "per-neuron"
    assert back.parameters()["b_h1"] == 0.35 and back.parameters()["b_h2"] == 0.35 and back.parameters()["b_o1"] == 0.6


def test_from_torch_reads_a_hand_built_model():
    nn = torch.nn
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 3), nn.Linear(3, 1), nn.Sigmoid())
    net = from_torch(model)
    assert net.sizes == (2, 3, 3, 1) and net.activations == ("relu", "linear", "sigmoid")
    assert net.parameters()["w1"] == model[0].weight[0, 0].item()
    assert net.parameters()["w2"] == model[0].weight[0, 1].item()  # i2→h1_1


@pytest.mark.parametrize("model, words", [
    (lambda nn: nn.Sequential(nn.Sigmoid(), nn.Linear(2, 1)), "comes before any Linear"),
    (lambda nn: nn.Sequential(nn.Linear(2, 2), nn.Sigmoid(), nn.Tanh()), "follows another activation"),
    (lambda nn: nn.Sequential(nn.Linear(2, 2), nn.Linear(3, 1)), "takes 3 inputs"),
    (lambda nn: nn.Sequential(nn.Linear(2, 2), nn.GELU()), "GELU: not supported"),
    (lambda nn: nn.Sequential(nn.Linear(2, 2), nn.LeakyReLU(0.2)), "negative_slope=0.2"),
    (lambda nn: nn.Sequential(nn.Linear(2, 2, bias=False), nn.Linear(2, 1)), "some Linear layers have a bias"),
])
def test_from_torch_errors_are_clear(model, words):
    with pytest.raises(NeurosimError, match=words):
        from_torch(model(torch.nn))
