"""Invariants every trace must satisfy, whatever the network: the factors multiply to the
gradient, w+ = w - η·dE/dw, dE/dout of a hidden neuron is the sum of its contributions."""

import math

import attrs
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from neurosim import Conventions, build_network, trace_step
from neurosim.core.activations import ACTIVATIONS

ELEMENTWISE = [name for name, a in ACTIVATIONS.items() if not a.layer_level]


@settings(max_examples=60, deadline=None)
@given(sizes=st.lists(st.integers(1, 4), min_size=2, max_size=5), act=st.sampled_from(ELEMENTWISE),
       seed=st.integers(0, 10**6), update_biases=st.booleans(), order=st.sampled_from(["simultaneous", "sequential"]))
def test_factors_products_and_updates(sizes, act, seed, update_biases, order):
    rng = np.random.default_rng(seed)
    network = build_network(sizes, act, bias_mode="per-neuron", rng=rng, init="normal")
    sample = [(tuple(rng.normal(size=sizes[0])), tuple(rng.uniform(size=sizes[-1])))]
    conv = Conventions(learning_rate=0.3, update_biases=update_biases, order=order)
    trace = trace_step(network, sample, conv)
    for u in trace.updates:
        assert len(u.parts) == 1
        product = math.prod(f.value for f in u.parts[0].factors)
        assert math.isclose(product, u.gradient, rel_tol=1e-15, abs_tol=1e-300)
        if u.updated:
            assert u.new == u.old - 0.3 * u.gradient
        else:
            assert u.kind == "bias" and u.new == u.old
    for b in trace.samples[0].backward:
        if b.contributions:
            assert math.isclose(b.dE_dout, sum(c.value for c in b.contributions), rel_tol=1e-12, abs_tol=1e-300)
            for c in b.contributions:
                assert c.value == c.delta * c.weight_value
        assert b.delta == b.dE_dout * b.dout_dnet
    params = network.parameters()
    for u in trace.updates:
        assert params[u.name] == u.new


def test_trace_records_are_immutable(mazur_network, mazur_conventions):
    from .conftest import MAZUR_SAMPLE
    trace = trace_step(mazur_network, MAZUR_SAMPLE, mazur_conventions)
    try:
        trace.E_total = 0
    except attrs.exceptions.FrozenInstanceError:
        return
    raise AssertionError("StepTrace should be frozen")


def test_header_names_every_convention(mazur_network, mazur_conventions):
    from .conftest import MAZUR_SAMPLE
    header = trace_step(mazur_network, MAZUR_SAMPLE, mazur_conventions).header
    for words in ("half_sse", "learning rate 0.5", "shared biases, frozen", "simultaneous", "online", "float64"):
        assert words in header
