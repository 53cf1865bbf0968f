"""The matrix view of networks with shared weights (im2col; a row per time step) against the
neuron view: every named entry equal to 1e-12, on random conv, pooling and recurrent networks and
the built-in scenarios."""

import io

import pytest

from neurosim import Conventions, scenarios, trace_step
from neurosim.cli import main
from neurosim.engines.shared_matrix import shared_matrix_step

from .shared_cases import conv1d_case, conv2d_case, recurrent_case

CASES = [(conv1d_case, None), (conv1d_case, "maxpool"), (conv2d_case, "avgpool"), (conv2d_case, None),
         (recurrent_case, None)]


def assert_equal_to_the_neuron_view(network, samples, conventions):
    neuron = trace_step(network.copy(), samples, conventions).quantities()
    record = shared_matrix_step(network.copy(), samples, conventions)
    assert set(record.named) <= set(neuron), set(record.named) - set(neuron)
    scale = max(abs(v) for v in neuron.values())
    for name, value in record.named.items():
        assert value == pytest.approx(neuron[name], rel=1e-12, abs=1e-15 * scale), name
    assert any(name.startswith("dE/d") for name in record.named)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize(("case", "pool"), CASES)
def test_the_matrix_view_is_the_neuron_view(case, pool, seed):
    network, samples = case(seed) if pool is None else case(seed, pool)
    extra = {"bptt": 2} if case is recurrent_case and seed % 2 else {}
    conventions = Conventions(mode="batch-mean" if len(samples) > 1 else "online",
                              kernel="convolution" if seed % 2 else "cross-correlation", **extra)
    assert_equal_to_the_neuron_view(network, samples, conventions)


@pytest.mark.parametrize("name", ["d2l_conv", "bptt_walkthrough"])
def test_the_shared_scenarios_in_matrix_view(name):
    spec = scenarios.load_scenario(name)
    assert_equal_to_the_neuron_view(spec.build_network(), spec.samples, spec.conventions)
    out = io.StringIO()
    assert main(["run", name, "--view", "matrix"], out) == 0
    text = out.getvalue()
    assert ("X_cols = the window of each position (im2col)" in text if name == "d2l_conv"
            else "dW_hh = H_prevᵀ·dZ_h (Σ over time)" in text)
