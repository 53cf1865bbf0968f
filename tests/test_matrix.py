"""The matrix view against the neuron view: the same step computed two independent ways must agree
to 1e-12 relative (to the largest entry of the same matrix), on every scenario and on random
networks, for single steps and over 1,000 steps; and the fast paths against the traced step."""

import math
import re

import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from neurosim import ACTIVATIONS, LOSSES, Conventions, TrainingDiverged, build_network, scenarios, trace_step
from neurosim.core.trace import StepSummary
from neurosim.engines.matrix import MatrixTrainer, matrices_from, matrix_step, named_values
from neurosim.engines.neuron_loop import NeuronLoop, fast_step
from neurosim.engines.runner import RunPlan, iterate_run, step_batches
from neurosim.files.exercise import with_training

REL = 1e-12
ELEMENTWISE = [name for name, a in ACTIVATIONS.items() if not a.layer_level]
KINKED = ("relu", "leaky_relu")


def assert_same_matrices(a_network, b_network, rel=REL):
    """Every W and B of the two networks agree to `rel` of the largest entry of that matrix."""
    for a, b in zip(matrices_from(a_network), matrices_from(b_network)):
        for x, y in ((a.W, b.W), (a.B, b.B)):
            if x is None:
                assert y is None
                continue
            scale = max(np.max(np.abs(x)), np.max(np.abs(y)), 1e-300)
            assert np.max(np.abs(x - y)) <= rel * scale, (a.name, np.max(np.abs(x - y)) / scale)


def assert_same_quantities(trace, record, rel=REL):
    """Every quantity of the matrix record beside the neuron view's: finite ones to `rel` of the largest
    of their kind, non-finite ones as values (inf equals inf, nan equals nan; never inf - inf)."""
    neuron, matrix = trace.quantities(), named_values(record)
    assert set(matrix) <= set(neuron), set(matrix) - set(neuron)
    common = list(matrix)
    scale = {}
    for name in common:  # each quantity relative to the largest finite one of its kind in the step
        if math.isfinite(neuron[name]):
            scale[_kind(name)] = max(scale.get(_kind(name), 0.0), abs(float(neuron[name])))
    for name in common:
        a, b = float(neuron[name]), matrix[name]
        if not (math.isfinite(a) and math.isfinite(b)):
            assert a == b or (math.isnan(a) and math.isnan(b)), (name, a, b)
            continue
        tolerance = rel * max(scale[_kind(name)], 1e-300)
        assert abs(a - b) <= tolerance, (name, a, b)


def _kind(name: str) -> str:
    """forward (net, out), loss (E), backward (dE/…, delta: sums that may cancel to ~0, so they are
    compared at the scale of what was summed), or parameters (w, b)."""
    if name.startswith(("net_", "out_")):
        return "forward"
    if name.startswith("E_"):
        return "loss"
    if name.startswith(("dE", "delta_")):
        return "backward"
    return "parameter"


# -- the step itself ------------------------------------------------------------------------

def test_mazur_step_in_matrix_form(mazur_network, mazur_conventions):
    from .conftest import MAZUR_SAMPLE
    record = matrix_step(mazur_network, MAZUR_SAMPLE, mazur_conventions)
    output = record.layers[-1]
    assert output.W.shape == (2, 2) and output.X.shape == (1, 2) and output.B.shape == ()
    # the published figures: W2[0, 0] is w5 (h1→o1), dW2[0, 0] is dE/dw5
    assert f"{output.dW[0, 0]:.9f}" == "0.082167041"
    assert f"{output.W_new[0, 0]:.8f}" == "0.35891648"
    assert f"{record.layers[0].W_new[0, 0]:.9f}" == "0.149780716"
    assert f"{record.E_total:.9f}" == "0.298371109"


@st.composite
def setups(draw, long=False):
    """A random network, data and conventions. Over many steps (`long`), only smooth functions:
    at a kink (relu, mae) a one-ulp difference legitimately flips a sign and the runs part."""
    elementwise = [a for a in ELEMENTWISE if a not in KINKED] if long else ELEMENTWISE
    depth = draw(st.integers(1, 3))
    sizes = [draw(st.integers(1, 4)) for _ in range(depth + 1)] + [draw(st.integers(1, 3))]
    loss = draw(st.sampled_from(sorted(set(LOSSES) - ({"mae"} if long else set()))))
    hidden = [draw(st.sampled_from(elementwise + ["softmax"])) for _ in range(depth)]
    softmax = ["softmax"] if sizes[-1] > 1 else []
    out_act = draw(st.sampled_from(["sigmoid"] + softmax)) if loss in ("bce", "cce") else \
        draw(st.sampled_from(elementwise + softmax))
    mode = draw(st.sampled_from(["online", "batch-sum", "batch-mean"]))
    conventions = Conventions(
        loss=loss, learning_rate=draw(st.sampled_from([0.01, 0.05] if long else [0.1, 0.5])),
        update_biases=draw(st.booleans()), mode=mode,
        order=draw(st.sampled_from(["simultaneous", "sequential"])) if mode == "online" else "simultaneous")
    bias = draw(st.sampled_from(["shared", "per-neuron", "none"]))
    n_samples = draw(st.integers(1, 4))
    seed = draw(st.integers(0, 2**32 - 1))
    return sizes, hidden + [out_act], bias, n_samples, seed, conventions


def build(setup):
    """(network, samples, conventions) of a drawn setup (drawn as plain data, so failures print short)."""
    sizes, activations, bias, n_samples, seed, conventions = setup
    rng = np.random.default_rng(seed)
    network = build_network(sizes, activations, bias_mode=bias, rng=rng, init="normal")
    samples = [(tuple(float(v) for v in rng.normal(size=sizes[0])),
                tuple(float(v) for v in rng.uniform(0.05, 0.95, size=sizes[-1]))) for _ in range(n_samples)]
    return network, samples, conventions


def batches_of(samples, conventions, steps):
    if conventions.mode == "online":
        return [[samples[k % len(samples)]] for k in range(steps)]
    return [samples] * steps


# Saturation cases hypothesis once found (issue 11): a sigmoid output at exactly 1.0 with bce (the factor
# form's dE/dout = inf: the neuron view stopped, the matrix view carried on; now both compute
# delta = out - target), a softmax output at 1.0 with cce (likewise), and with bce, which has no combined
# form with softmax: both views stop, naming the same value.
SATURATED_BCE = ([2, 3, 3, 3, 3], ["relu", "relu", "relu", "sigmoid"], "per-neuron", 2, 4188,
                 Conventions(loss="bce", learning_rate=0.1, mode="batch-sum"))


@settings(max_examples=150, deadline=None)
@given(setups())
@example(SATURATED_BCE)
@example(([3, 4, 4, 4, 2], ["linear"] * 3 + ["sigmoid"], "per-neuron", 1, 20, Conventions(loss="bce")))
@example(([3, 4, 4, 4, 2], ["linear"] * 3 + ["softmax"], "per-neuron", 1, 20, Conventions(loss="cce")))
@example(([3, 4, 4, 4, 2], ["linear"] * 3 + ["softmax"], "per-neuron", 1, 20, Conventions(loss="bce")))
def test_one_step_matrix_view_agrees_with_neuron_view(setup):
    """Both views give the same numbers, or both stop at the same value (the engines agree on divergence)."""
    network, samples, conventions = build(setup)
    batch = batches_of(samples, conventions, 1)[0]
    matrix_net = network.copy()
    try:
        trace = trace_step(network, batch, conventions)
    except TrainingDiverged as error:
        with pytest.raises(TrainingDiverged, match=re.escape(str(error))):
            matrix_step(matrix_net, batch, conventions)
        return
    record = matrix_step(matrix_net, batch, conventions)
    assert_same_quantities(trace, record)
    assert_same_matrices(network, matrix_net)


@settings(max_examples=25, deadline=None)
@given(setups(long=True))
def test_1000_steps_matrix_engine_agrees_with_neuron_engine(setup):
    network, samples, conventions = build(setup)
    trainer = MatrixTrainer(network.copy(), conventions)
    # The same run from a start one rounding error away (every parameter × (1 + 2^-52)) measures how
    # much 1,000 steps amplify rounding: the two engines sum in different orders, so they may differ
    # by that much, and no more.
    nudged = network.copy()
    nudged.set_parameters({k: v * (1 + 2**-52) for k, v in network.parameters().items()})
    X = trainer.array([x for x, _ in samples])
    T = trainer.array([t for _, t in samples])
    for batch, k in zip(batches_of(samples, conventions, 1000), range(1000)):
        try:
            fast_step(network, batch, conventions, step=k + 1)
            fast_step(nudged, batch, conventions, step=k + 1)
        except TrainingDiverged:
            assume(False)  # a run that overflows has no end state to compare
        a, b = (k % len(samples), k % len(samples) + 1) if conventions.mode == "online" else (0, len(samples))
        with np.errstate(all="ignore"):
            trainer.step(X[a:b], T[a:b])
    matrix_net = network.copy()
    trainer.store_into(matrix_net)
    amplification = max(abs(a - b) / max(abs(a), 1e-300)
                        for a, b in zip(network.parameters().values(), nudged.parameters().values()))
    assert_same_matrices(network, matrix_net, rel=max(REL, 100 * amplification))


@settings(max_examples=80, deadline=None)
@given(setups())
@example(SATURATED_BCE)
@example(([3, 4, 4, 4, 2], ["linear"] * 3 + ["softmax"], "per-neuron", 1, 20, Conventions(loss="cce")))
def test_untraced_neuron_loop_is_identical_to_the_traced_step(setup):
    network, samples, conventions = build(setup)
    traced = network.copy()
    loop = NeuronLoop(network, conventions)
    for k, batch in enumerate(batches_of(samples, conventions, 20), start=1):
        try:
            e_trace = trace_step(traced, batch, conventions, step=k).E_total
        except TrainingDiverged as error:  # then the loop stops at the same step, naming the same value
            with pytest.raises(TrainingDiverged, match=re.escape(str(error))):
                loop.step(batch, k)
            return
        assert loop.step(batch, k) == e_trace
    loop.store_into(network)
    assert network.parameters() == traced.parameters()


# -- every scenario -------------------------------------------------------------------------

DENSE = [name for name in scenarios.NAMES if scenarios.load_scenario(name).architecture is None]  # shared weights:
# their matrix view is im2col and a row per time step (tests/test_shared_matrix.py)


@pytest.mark.parametrize("name", DENSE)
def test_every_scenario_one_step_and_1000_steps(name):
    spec = scenarios.load_scenario(name)
    if spec.conventions.arithmetic.round_to is not None:
        pytest.skip("hand rounding is a neuron-level convention (no matrix form)")
    if spec.conventions.arithmetic.dtype == "float32":  # float32 is compared below, at its precision
        spec = with_training(spec, dtype="float64")
    samples = spec.samples
    batches = step_batches(spec, 1000)
    network = spec.build_network()
    a, b = batches[0]
    matrix_net = network.copy()
    assert_same_quantities(trace_step(network, samples[a:b], spec.conventions),
                           matrix_step(matrix_net, samples[a:b], spec.conventions))
    steps = 1000
    for engine in ("neuron", "matrix"):
        plan = RunPlan(steps, frozenset(), steps)
        net = spec.build_network()
        list(iterate_run(spec, plan, net, engine=engine))
        if engine == "neuron":
            reference = net
    assert_same_matrices(reference, net)


@pytest.mark.parametrize("name", DENSE)
def test_float32_matrix_step_agrees_to_float32_precision(name):
    spec = with_training(scenarios.load_scenario(name), dtype="float32")
    a, b = step_batches(spec, 1)[0]
    network = spec.build_network()
    matrix_net = network.copy()
    trace = trace_step(network, spec.samples[a:b], spec.conventions)
    record = matrix_step(matrix_net, spec.samples[a:b], spec.conventions)
    assert record.layers[0].W.dtype == np.float32
    assert_same_quantities(trace, record, rel=1e-5)


def test_summary_tables_are_the_same_on_either_engine():
    spec = with_training(scenarios.load_scenario("mazur"), steps=300, order="sequential")
    plan = RunPlan(300, frozenset({1, 300}), 50)
    runs = {engine: [r for r in iterate_run(spec, plan, engine=engine)] for engine in ("neuron", "matrix")}
    neuron, matrix = runs["neuron"], runs["matrix"]
    assert [type(r) for r in neuron] == [type(r) for r in matrix]
    for x, y in zip(neuron, matrix):
        if isinstance(x, StepSummary):
            assert x.step == y.step
            assert math.isclose(x.E_all_after, y.E_all_after, rel_tol=1e-12)
            assert f"{x.E_total:.9f}" == f"{y.E_total:.9f}"


def test_mini_batches_take_consecutive_slices():
    spec = scenarios.load_scenario("mazur")
    raw = {k: v for k, v in spec.raw.items() if k != "published"}
    raw["data"] = {"inputs": [[0.05, 0.1]] * 5, "targets": [[0.01, 0.99]] * 5}
    raw["training"] = {**raw["training"], "mode": "batch-sum", "batch_size": 2}
    from neurosim.files.exercise import spec_from_dict
    mini = spec_from_dict(raw)
    assert step_batches(mini, 4) == [(0, 2), (2, 4), (4, 5), (0, 2)]
    assert mini.unit == "step"


def test_diverging_run_on_the_matrix_engine_names_step_and_neuron():
    from neurosim.files.exercise import spec_from_dict
    raw = {k: v for k, v in scenarios.scenario_dict("mazur").items() if k != "published"}
    raw["network"] = {**raw["network"], "activations": ["linear", "linear"]}
    raw["training"] = {**raw["training"], "loss": "sse", "learning_rate": 50.0}
    spec = spec_from_dict(raw)
    with pytest.raises(TrainingDiverged) as matrix_error:
        list(iterate_run(spec, RunPlan(50, frozenset(), 10), engine="matrix"))
    with pytest.raises(TrainingDiverged) as neuron_error:
        list(iterate_run(spec, RunPlan(50, frozenset(), 10), engine="neuron"))
    assert str(matrix_error.value) == str(neuron_error.value)


def test_cli_matrix_view_prints_every_matrix_with_its_shape():
    import io

    from neurosim.cli import main
    out = io.StringIO()
    assert main(["run", "mazur", "--view", "matrix"], out) == 0
    text = out.getvalue()
    order = ["X (inputs", "W1 (", "Z1 = X·W1 + B1   shape (1, 2)", "A1 = ", "W2 (", "Z2 = A1·W2 + B2",
             "dA2 = dE/dA2", "dZ2 = ", "dW2 = A1ᵀ·dZ2   shape (2, 2)", "W2+ = ", "dA1 = dZ2·W2ᵀ", "dW1 = Xᵀ·dZ1",
             "W1+ = "]
    positions = [text.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert "0.082167041" in text and "0.35891648" in text and "0.149780716" in text
