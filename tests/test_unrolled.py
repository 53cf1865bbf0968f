"""The one-sample step of the neuron loop against the traced step: identical to the last bit, for
the step written out per network shape (neurosim.unrolled) also where a sum is long enough to be
split over several lines, and for the loops that networks too large to write out take. (The
random networks of test_matrix.py are too small for either.)"""

import numpy as np
import pytest

from neurosim import Conventions, build_network, trace_step
from neurosim.engines.neuron_loop import UNROLL_MAX_WEIGHTS, NeuronLoop
from neurosim.engines.unrolled import TERMS_PER_LINE, step_source

WIDE = [TERMS_PER_LINE + 2, 3, TERMS_PER_LINE + 1]  # every kind of sum needs a second line
LARGE = [40, 30, 5]  # more weights than are written out


@pytest.mark.parametrize("sizes", [WIDE, LARGE], ids=["written-out", "loops"])
@pytest.mark.parametrize("bias", ["shared", "per-neuron"])
@pytest.mark.parametrize("order", ["simultaneous", "sequential"])
def test_one_sample_steps_are_identical_to_the_traced_step(sizes, bias, order):
    rng = np.random.default_rng(70)
    network = build_network(sizes, ["tanh", "sigmoid"], bias_mode=bias, rng=rng, init="normal")
    samples = [(tuple(float(v) for v in rng.normal(size=sizes[0])),
                tuple(float(v) for v in rng.uniform(0.1, 0.9, size=sizes[-1]))) for _ in range(3)]
    conventions = Conventions(loss="half_sse", learning_rate=0.5, update_biases=True, order=order)
    traced = network.copy()
    loop = NeuronLoop(network, conventions)
    weights = sum(a * b for a, b in zip(sizes, sizes[1:]))
    assert loop.unrolled == (weights <= UNROLL_MAX_WEIGHTS) == (sizes is WIDE)
    if loop.unrolled:  # net, E_total, dE/dout of a hidden neuron and a shared bias's gradient
        source = step_source(tuple(sizes), tuple(layer.activation for layer in network.layers[1:]), bias,
                             order == "sequential", True)
        for continued in ("net_1_0 = net_1_0 + ", "e = e + ", "dE_1_0 = dE_1_0 + "):
            assert continued in source
    for k in range(1, 13):
        batch = [samples[k % len(samples)]]
        assert loop.step(batch, k) == trace_step(traced, batch, conventions, step=k).E_total
    loop.store_into(network)
    assert network.parameters() == traced.parameters()
