"""Networks with shared weights against PyTorch (float64): conv1d, conv2d, max and average pooling
on random shapes, every gradient to 1e-10. Skipped without torch (.ci/run installs the local CPU
wheel, torch==2.13.0)."""

import pytest

torch = pytest.importorskip("torch")

from neurosim import Conventions, trace_step  # noqa: E402
from neurosim.engines.torch_shared import to_torch_shared, torch_gradients  # noqa: E402

from .shared_cases import conv1d_case, conv2d_case, recurrent_case  # noqa: E402


def torch_step(network, samples, conventions):
    """E_total and every dE/dp as PyTorch computes them (½Σ(t - o)² summed over the samples)."""
    network.prepare(conventions)
    module = to_torch_shared(network)
    x = torch.tensor([list(i) for i, _ in samples], dtype=torch.float64)
    t = torch.tensor([list(t) for _, t in samples], dtype=torch.float64)
    loss = 0.5 * ((t - module(x)) ** 2).sum()
    loss.backward()
    return loss.item(), torch_gradients(network, module)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("pool", [None, "maxpool", "avgpool"])
@pytest.mark.parametrize("case", [conv1d_case, conv2d_case])
def test_conv_and_pooling_agree_with_pytorch(case, pool, seed):
    network, samples = case(seed, pool=pool)
    conventions = Conventions(kernel="convolution" if seed % 4 == 1 else "cross-correlation")
    e_torch, grads = torch_step(network.copy(), samples, conventions)
    trace = trace_step(network, samples, conventions)
    assert trace.E_total == pytest.approx(e_torch, rel=1e-10)
    assert len(grads) == len(trace.updates)
    for u in trace.updates:
        assert u.gradient == pytest.approx(grads[u.name], rel=1e-10, abs=1e-13), u.name


@pytest.mark.parametrize("seed", range(16))
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_an_elman_network_unrolled_agrees_with_rnncell(activation, seed):
    """nn.RNNCell unrolled over the sequence: E_total and every gradient (W_xh, W_hh, W_hy, the
    biases) to 1e-10, full BPTT, targets at every step or at the last, h_0 given or zero."""
    network, samples = recurrent_case(seed, activation)
    conventions = Conventions(mode="batch-sum") if len(samples) > 1 else Conventions()
    e_torch, grads = torch_step(network.copy(), samples, conventions)
    trace = trace_step(network, samples, conventions)
    assert trace.E_total == pytest.approx(e_torch, rel=1e-10)
    assert len(grads) == len(trace.updates)
    for u in trace.updates:
        assert u.gradient == pytest.approx(grads[u.name], rel=1e-10, abs=1e-13), u.name


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("bptt", [1, 2, 3])
def test_truncated_bptt_agrees_with_detaching_h_every_k_steps(bptt, seed):
    network, samples = recurrent_case(seed)
    conventions = Conventions(bptt=bptt, mode="batch-sum")
    e_torch, grads = torch_step(network.copy(), samples, conventions)
    trace = trace_step(network, samples, conventions)
    assert trace.E_total == pytest.approx(e_torch, rel=1e-10)
    for u in trace.updates:
        assert u.gradient == pytest.approx(grads[u.name], rel=1e-10, abs=1e-13), u.name


def test_the_bridge_gives_the_shared_network_as_torch_modules():
    from neurosim.engines.torch_bridge import to_torch
    from neurosim.scenarios import load_scenario
    spec = load_scenario("d2l_conv")
    module = to_torch(spec.build_network())
    out = module(torch.tensor([list(spec.inputs[0])], dtype=torch.float64))
    assert out.tolist() == [[19.0, 25.0, 37.0, 43.0]]  # Dive into Deep Learning §7.2.1


@pytest.mark.parametrize("seed", range(12))
def test_a_jordan_network_agrees_with_pytorch(seed):
    """The output fed back (nn.Linear modules unrolled, torch_jordan.py): E_total and every gradient
    (W_xh, W_yh, W_hy, the biases) to 1e-10, full or truncated BPTT, targets at every step or the last."""
    from .test_jordan import jordan_case
    network, samples = jordan_case(seed)
    conventions = Conventions(mode="batch-sum", bptt=(0, 0, 1, 2)[seed % 4])
    e_torch, grads = torch_step(network.copy(), samples, conventions)
    trace = trace_step(network, samples, conventions)
    assert trace.E_total == pytest.approx(e_torch, rel=1e-10)
    assert len(grads) == len(trace.updates)
    for u in trace.updates:
        assert u.gradient == pytest.approx(grads[u.name], rel=1e-10, abs=1e-13), u.name
