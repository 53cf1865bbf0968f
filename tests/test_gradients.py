"""Every analytic gradient against central finite differences, on random networks of several
depths, for every activation and every loss (and both batch reductions)."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from neurosim import ACTIVATIONS, LOSSES, Conventions, build_network, trace_step
from neurosim.core.arithmetic import exact
from neurosim.core.step import sample_loss

ELEMENTWISE = [name for name, a in ACTIVATIONS.items() if not a.layer_level]
KINKED = {"relu", "leaky_relu"}


def objective(network, samples, conventions):
    """E over the samples; with loss "none" (no loss) the sum of the outputs themselves, whose
    gradient the backward pass then computes (dE/dout = 1)."""
    if conventions.loss != "none":
        return sample_loss(network, samples, conventions)
    total = sum(sum(network.evaluate(x)) for x, _ in samples)
    return total / len(samples) if conventions.mode == "batch-mean" else total


def central_difference(network, samples, conventions, name, h):
    """(E(p+h) - E(p-h)) / 2h, every other parameter held fixed."""
    value = network.parameters()[name]
    plus, minus = network.copy(), network.copy()
    plus.set_parameters({name: value + h})
    minus.set_parameters({name: value - h})
    return (objective(plus, samples, conventions) - objective(minus, samples, conventions)) / (2 * h)


def finite_difference(network, samples, conventions, name, h=1e-3):
    """Central differences with one Richardson step: error O(h⁴), little rounding noise."""
    coarse = central_difference(network, samples, conventions, name, h)
    fine = central_difference(network, samples, conventions, name, h / 2)
    return (4 * fine - coarse) / 3


def near_kink(network, samples, activations):
    """True if some net input of a kinked activation lies within the finite-difference step."""
    from neurosim.core.step import layer_values
    for inputs, _ in samples:
        for act, layer in zip(activations, layer_values(network, inputs, exact)):
            if act in KINKED and any(abs(net) < 0.05 for net, _ in layer):
                return True
    return False


def mae_kink(network, samples, loss):
    """True if an output is within the finite-difference step of its target, where |t - out| bends."""
    if loss != "mae":
        return False
    from neurosim.core.step import evaluate
    return any(abs(t - o) < 0.05 for inputs, targets in samples
               for t, o in zip(targets, evaluate(network, inputs)))


def saturated(network, samples, loss):
    """True if an output is so close to 0 or 1 that ln(1-out) in bce/cce loses most of its digits:
    the loss itself is then too inaccurate for finite differences (the analytic gradient is fine)."""
    if loss not in ("bce", "cce"):
        return False
    from neurosim.core.step import evaluate
    return any(min(o, 1 - o) < 1e-3 for inputs, _ in samples for o in evaluate(network, inputs))


@st.composite
def setups(draw):
    depth = draw(st.integers(1, 3))
    sizes = [draw(st.integers(1, 4)) for _ in range(depth + 1)] + [draw(st.integers(1, 3))]
    loss = draw(st.sampled_from(sorted(LOSSES)))
    hidden = [draw(st.sampled_from(ELEMENTWISE + ["softmax"])) for _ in range(depth)]
    # softmax over a single neuron is the constant 1, where bce and cce are undefined
    softmax = ["softmax"] if sizes[-1] > 1 else []
    if loss in ("bce", "cce"):
        out_act = draw(st.sampled_from(["sigmoid"] + softmax))
    else:
        out_act = draw(st.sampled_from(ELEMENTWISE + softmax))
    bias = draw(st.sampled_from(["shared", "per-neuron", "none"]))
    mode = draw(st.sampled_from(["online", "batch-sum", "batch-mean"]))
    n_samples = 1 if mode == "online" else draw(st.integers(2, 3))
    seed = draw(st.integers(0, 2**32 - 1))
    return sizes, hidden + [out_act], loss, bias, mode, n_samples, seed


@settings(max_examples=150, deadline=None)
@given(setups())
def test_analytic_gradients_match_central_differences(setup):
    sizes, activations, loss, bias, mode, n_samples, seed = setup
    rng = np.random.default_rng(seed)
    network = build_network(sizes, activations, bias_mode=bias, rng=rng, init="normal")
    samples = [(tuple(rng.normal(size=sizes[0])), tuple(rng.uniform(0.05, 0.95, size=sizes[-1])))
               for _ in range(n_samples)]
    if near_kink(network, samples, activations) or mae_kink(network, samples, loss) \
            or saturated(network, samples, loss):
        return
    conventions = Conventions(loss=loss, learning_rate=0.1, mode=mode)
    reference = network.copy()
    trace = trace_step(network, samples, conventions)
    for update in trace.updates:
        numeric = finite_difference(reference, samples, conventions, update.name)
        assert math.isclose(update.gradient, numeric, rel_tol=1e-6, abs_tol=1e-8), (
            update.name, update.gradient, numeric, setup)


def test_mae_and_relu_gradients_at_a_plain_point():
    """A deterministic case away from the kinks, so a regression shows without hypothesis."""
    network = build_network([2, 3, 1], ["relu", "linear"], weights=[0.5, -0.2, 0.3, 0.8, -0.6, 0.1, 0.7, -0.4, 0.9],
                            biases={"b1": 0.1, "b2": -0.05})
    samples = [((1.0, 0.5), (0.2,))]
    conventions = Conventions(loss="mae", learning_rate=0.1)
    reference = network.copy()
    trace = trace_step(network, samples, conventions)
    for update in trace.updates:
        assert math.isclose(update.gradient, finite_difference(reference, samples, conventions, update.name),
                            rel_tol=1e-6, abs_tol=1e-9)
