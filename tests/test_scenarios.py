"""The built-in scenarios: each runs from the command line, its published figures agree, and
where possible an independent NumPy implementation of the seed's (corrected) code agrees with it."""

import copy
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

from neurosim import scenarios
from neurosim.check.published import check_published
from neurosim.cli import main
from neurosim.core.step import trace_step
from neurosim.core.trace import StepSummary, StepTrace
from neurosim.engines.neuron_loop import fast_step
from neurosim.engines.runner import RunPlan, iterate_run
from neurosim.files.exercise import with_training

ROOT = Path(__file__).resolve().parent.parent
SEED_SCENARIOS = ("ann_forward", "broadcast_forward", "numeric_gd", "deep_xor", "xor_random", "xor_tanh",
                  "curve_fit", "xor_cross_entropy")
XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
XOR_Y = np.array([[0], [1], [1], [0]])


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


RULE_SCENARIOS = ("xor_momentum", "mazur_adam")


SHARED_SCENARIOS = ("d2l_conv", "bptt_walkthrough", "conv_backward")


def test_list_shows_all_fourteen(capsys):
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split()[0] for line in lines] == ["mazur", *SEED_SCENARIOS, *RULE_SCENARIOS, *SHARED_SCENARIOS]


@pytest.mark.parametrize("name", SEED_SCENARIOS + RULE_SCENARIOS + SHARED_SCENARIOS)
def test_scenario_script_runs_to_completion(name):
    result = subprocess.run([sys.executable, str(ROOT / "scenarios" / f"{name}.py")],
                            capture_output=True, text=True, cwd="/")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "DIFFERS" not in result.stdout and "needs --steps" not in result.stdout
    assert "Traceback" not in result.stdout


@pytest.mark.parametrize("name", SEED_SCENARIOS + SHARED_SCENARIOS)
def test_every_published_figure_agrees(name):
    spec = scenarios.load_scenario(name)
    for check in check_published(spec, max(spec.steps, max((p.step for p in spec.published), default=1))):
        assert check.agrees, (check.entry, check.computed)


def _to_toml(value, key=""):
    """A tiny TOML writer for the scenario dicts (tables, arrays of tables, numbers, strings)."""
    def scalar(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if isinstance(v, list):
            return "[" + ", ".join(scalar(x) for x in v) + "]"
        return repr(v)
    lines, tables = [], []
    for k, v in value.items():
        if isinstance(v, dict):
            tables.append((k, v))
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            tables.append((k, v))
        else:
            lines.append(f"{k} = {scalar(v)}")
    for k, v in tables:
        name = f"{key}.{k}" if key else k
        if isinstance(v, dict):
            lines += ["", f"[{name}]", _to_toml(v, name)]
        else:
            for entry in v:
                lines += ["", f"[[{name}]]", _to_toml(entry, name)]
    return "\n".join(lines)


@pytest.mark.parametrize("name", SEED_SCENARIOS)
def test_scenario_survives_a_trip_through_toml(name):
    data = scenarios.scenario_dict(name)
    again = tomllib.loads(_to_toml(data))
    assert scenarios.spec_from_dict(again).published == scenarios.load_scenario(name).published
    first = trace_step(scenarios.spec_from_dict(again).build_network(), scenarios.load_scenario(name).samples[:1]
                       if scenarios.load_scenario(name).conventions.mode == "online"
                       else scenarios.load_scenario(name).samples, scenarios.load_scenario(name).conventions)
    spec = scenarios.load_scenario(name)
    second = trace_step(spec.build_network(), spec.samples[:1] if spec.conventions.mode == "online" else spec.samples,
                        spec.conventions)
    assert first.quantities() == second.quantities()


# -- broadcast_forward: float32 weights ------------------------------------------------------------
def test_broadcast_forward_prints_the_seeds_float32_figures_exactly(capsys):
    assert main(["run", "broadcast_forward", "--digits", "17"]) == 0
    out = capsys.readouterr().out
    spec = scenarios.load_scenario("broadcast_forward")
    q = trace_step(spec.build_network(), spec.samples, spec.conventions).quantities()
    assert repr(q["E_total"]) == "0.33455008989960927"  # seed 000 §5, printed by Python in full
    assert np.format_float_positional(q["out_o1"], precision=8) == "-0.57840305"  # numpy prints 8 digits
    assert "0.33455008989960927" in out
    float64 = with_training(spec, dtype="float64")
    q64 = trace_step(float64.build_network(), spec.samples, float64.conventions).quantities()
    assert repr(q64["E_total"]) == "0.3345501085845244"  # DESIGN.md §6


def test_pure_float32_is_not_what_the_seed_prints():
    """The seed's x is an int64 array, so NumPy computes in float64; all-float32 gives other digits."""
    spec = with_training(scenarios.load_scenario("broadcast_forward"), dtype="float32")
    q = trace_step(spec.build_network(), spec.samples, spec.conventions).quantities()
    assert np.format_float_positional(q["out_o1"], precision=8) == "-0.57840306"
    x = np.array([[1, 1]], dtype=np.float32)  # the seed's program with a float32 x
    w0 = np.array([[-0.0053, 0.3793], [-0.5820, -0.5204], [-0.2723, 0.1896]], dtype=np.float32).T
    b0 = np.array([-0.0140, 0.5607, -0.0628], dtype=np.float32)
    w1 = np.array([[0.1528, -0.1745, -0.1135]], dtype=np.float32).T
    b1 = np.array([-0.5516], dtype=np.float32)
    pred = sigmoid(x @ w0 + b0) @ w1 + b1
    assert pred.dtype == np.float32 and abs(float(pred[0, 0]) - float(q["out_o1"])) < 1e-7


def test_layouts_agree_with_the_neuron_engine():
    from neurosim.views.layouts import forward_both_layouts

    spec = scenarios.load_scenario("broadcast_forward")
    rows, (rowwise, columnwise) = forward_both_layouts(spec)
    q = trace_step(spec.build_network(), spec.samples, spec.conventions).quantities()
    assert float(rowwise[0, 0]) == q["out_o1"] == float(columnwise[0, 0])
    shapes = {(layout, name): tuple(a.shape) for layout, name, a in rows}
    assert shapes[("Y = XW + B", "W1")] == (2, 3) and shapes[("Y = WX + B", "W1")] == (3, 2)
    assert shapes[("Y = XW + B", "B1")] == (3,) and shapes[("Y = WX + B", "B1")] == (3, 1)
    assert shapes[("Y = WX + B", "Z1")] == (3, 1)


# -- numeric_gd: the seed's own loop ----------------------------------------------------------------
def test_numeric_gd_follows_the_seeds_finite_difference_loop_exactly():
    """Seed 000 §7's update_weights, run as written (float32 weight arrays, int64 x and y)."""
    from neurosim.views.numeric import numeric_descent

    x, y = np.array([[1, 1]]), np.array([[0]])
    W = [np.array([[-0.0053, 0.3793], [-0.5820, -0.5204], [-0.2723, 0.1896]], dtype=np.float32).T,
         np.array([-0.0140, 0.5607, -0.0628], dtype=np.float32),
         np.array([[0.1528, -0.1745, -0.1135]], dtype=np.float32).T,
         np.array([-0.5516], dtype=np.float32)]

    def feed_forward(inputs, outputs, weights):
        hidden = 1 / (1 + np.exp(-(np.dot(inputs, weights[0]) + weights[1])))
        return np.mean(np.square(np.dot(hidden, weights[2]) + weights[3] - outputs))

    def update_weights(inputs, outputs, weights, lr):
        updated = copy.deepcopy(weights)
        original_loss = feed_forward(inputs, outputs, weights)
        for i, layer in enumerate(weights):
            for index, _ in np.ndenumerate(layer):
                temp = copy.deepcopy(weights)
                temp[i][index] += 0.0001
                grad = (feed_forward(inputs, outputs, temp) - original_loss) / 0.0001
                updated[i][index] -= grad * lr
        return updated, original_loss

    seed_losses = []
    for _ in range(100):
        W, loss = update_weights(x, y, W, 0.01)
        seed_losses.append(loss)
    network, ours = numeric_descent(scenarios.load_scenario("numeric_gd"), 100)
    assert ours[:20] == [float(v) for v in seed_losses[:20]]  # bit for bit, until math.exp and np.exp
    assert np.allclose(ours, seed_losses, rtol=1e-9, atol=0)  # differ in a last bit (a float32 weight
    # then rounds the other way for a few epochs: 7e-11 relative at most; the last epochs agree again)
    params = network.parameters()
    assert np.allclose([params[f"w{k}"] for k in (7, 8, 9)], W[2].ravel(), rtol=1e-6, atol=0)


def test_numeric_gd_chain_rule_gradients_match_central_differences():
    spec = with_training(scenarios.load_scenario("numeric_gd"), dtype="float64")
    net = spec.build_network()
    trace = trace_step(net.copy(), spec.samples, spec.conventions)
    from neurosim.core.step import sample_loss
    h = 1e-6
    for name, value in net.parameters().items():
        plus, minus = net.copy(), net.copy()
        plus.set_parameters({name: value + h})
        minus.set_parameters({name: value - h})
        numeric = (sample_loss(plus, spec.samples, spec.conventions)
                   - sample_loss(minus, spec.samples, spec.conventions)) / (2 * h)
        assert abs(trace.quantities()[f"dE/d{name}"] - numeric) < 1e-8


# -- xor_tanh, deep_xor, curve_fit, xor_cross_entropy: independent NumPy programs ------------------------
def _run(spec, steps):
    """Train `steps` steps; E_report before each step (from the summary rows) and the network."""
    network = spec.build_network()
    reported = []
    for record in iterate_run(spec, RunPlan(steps, frozenset(), 1), network):
        if isinstance(record, StepSummary):
            reported.append(record.reported)
    return network, reported


def test_xor_tanh_matches_the_seeds_program_corrected():
    spec = scenarios.load_scenario("xor_tanh")
    w = spec.weights
    W1 = np.array([[w[0], w[2], w[4], w[6]], [w[1], w[3], w[5], w[7]]])
    W2 = np.array(w[8:12])[:, None]
    losses = []
    for _ in range(50):
        z1 = XOR_X @ W1
        a1 = np.tanh(z1)
        z2 = a1 @ W2
        a2 = sigmoid(z2)
        delta2 = (a2 - XOR_Y) * sigmoid(z2) * (1 - sigmoid(z2))
        dW2 = a1.T @ delta2
        delta1 = (delta2 @ W2.T) * (1 - np.tanh(z1) ** 2)
        dW1 = XOR_X.T @ delta1
        W1 -= 0.1 * dW1
        W2 -= 0.1 * dW2
        losses.append(np.mean(np.square(a2 - XOR_Y)))
    network, reported = _run(spec, 50)
    assert np.allclose(reported, losses, rtol=1e-12, atol=0)
    ours = network.parameters()
    assert np.allclose([ours[f"w{k}"] for k in range(1, 9)], W1.T.ravel(), rtol=1e-12, atol=1e-15)
    assert np.allclose([ours[f"w{k}"] for k in range(9, 13)], W2.ravel(), rtol=1e-12, atol=1e-15)


def test_deep_xor_matches_the_seeds_unrolled_program():
    spec = scenarios.load_scenario("deep_xor")
    network = spec.build_network()
    sizes = spec.layers
    weights = []
    for layer in network.layers[1:]:
        weights.append(np.array([[c.weight for c in n.incoming] for n in layer.neurons]).T)
    lr = 0.1
    for _ in range(20):
        outs = [XOR_X]
        for W in weights:
            outs.append(sigmoid(outs[-1] @ W))
        delta = (XOR_Y - outs[-1]) * outs[-1] * (1 - outs[-1])
        deltas = [delta]
        for i in range(len(weights) - 1, 0, -1):
            deltas.insert(0, (deltas[0] @ weights[i].T) * outs[i] * (1 - outs[i]))
        for i in range(len(weights)):
            weights[i] += lr * outs[i].T @ deltas[i]
    ours, _ = _run(spec, 20)
    ours_flat = [ours.parameters()[f"w{k}"] for k in range(1, len(ours.connections) + 1)]
    assert np.allclose(ours_flat, np.concatenate([W.T.ravel() for W in weights]), rtol=1e-12, atol=1e-15)
    assert len(sizes) == 5


def test_curve_fit_matches_the_seeds_program():
    spec = scenarios.load_scenario("curve_fit")
    network = spec.build_network()
    x, y = np.array(spec.inputs), np.array(spec.targets)
    p = network.parameters()
    w1 = np.array([[p[f"w{k}"] for k in range(1, 11)]])
    w2 = np.array([[p[f"w{k}"]] for k in range(11, 21)])
    b1, b2 = np.zeros(10), np.zeros(1)

    def d_sigmoid(z):
        return sigmoid(z) * (1 - sigmoid(z))

    losses = []
    for _ in range(30):
        z1 = x @ w1 + b1
        a1 = sigmoid(z1)
        z2 = a1 @ w2 + b2
        a2 = sigmoid(z2)
        dz2 = (a2 - y) * d_sigmoid(z2)
        dw2, db2 = a1.T @ dz2, np.sum(dz2, axis=0)
        dz1 = (dz2 @ w2.T) * d_sigmoid(z1)
        dw1, db1 = x.T @ dz1, np.sum(dz1, axis=0)
        w1, b1, w2, b2 = w1 - 0.1 * dw1, b1 - 0.1 * db1, w2 - 0.1 * dw2, b2 - 0.1 * db2
        losses.append(np.mean(np.square(y - a2) / 2))
    ours, reported = _run(spec, 30)
    assert np.allclose(reported, losses, rtol=1e-12, atol=0)
    q = ours.parameters()
    assert np.allclose([q[f"b_h{k}"] for k in range(1, 11)], b1, rtol=1e-10, atol=1e-14)
    assert np.isclose(q["b_o1"], b2[0], rtol=1e-10, atol=1e-14)


def test_xor_cross_entropy_matches_the_seed_as_meant():
    """Seed 004's class with its bugs fixed: BCE gradient ŷ - t averaged once, a(1-a) on the
    activations, and the weights (not the gradients) updated."""
    spec = scenarios.load_scenario("xor_cross_entropy")
    p = spec.build_network().parameters()
    w1 = np.array([[p["w1"], p["w3"], p["w5"], p["w7"]], [p["w2"], p["w4"], p["w6"], p["w8"]]])
    w2 = np.array([[p[f"w{k}"]] for k in range(9, 13)])
    b1, b2 = np.zeros((1, 4)), np.zeros((1, 1))
    X, Y, m = XOR_X.astype(float), XOR_Y, 4
    costs = []
    for _ in range(40):
        a1 = sigmoid(X @ w1 + b1)
        y_hat = sigmoid(a1 @ w2 + b2)
        costs.append(-np.mean(Y * np.log(y_hat) + (1 - Y) * np.log(1 - y_hat)))
        dz2 = (y_hat - Y) / m
        dw2, db2 = a1.T @ dz2, np.sum(dz2, axis=0, keepdims=True)
        dz1 = (dz2 @ w2.T) * a1 * (1 - a1)
        dw1, db1 = X.T @ dz1, np.sum(dz1, axis=0, keepdims=True)
        w1, b1, w2, b2 = w1 - 0.1 * dw1, b1 - 0.1 * db1, w2 - 0.1 * dw2, b2 - 0.1 * db2
    network = spec.build_network()
    ours = [fast_step(network, spec.samples, spec.conventions) for _ in range(40)]
    assert np.allclose(ours, costs, rtol=1e-12, atol=0)
    assert np.allclose([network.parameters()[f"w{k}"] for k in range(9, 13)], w2.ravel(), rtol=1e-10)


def test_xor_random_draws_its_samples_from_the_seeded_generator():
    spec = scenarios.load_scenario("xor_random")
    rng = np.random.default_rng(spec.sampling_seed)
    expected = [int(rng.integers(4)) for _ in range(20)]
    seen = []
    for record in iterate_run(spec, RunPlan(20, frozenset(range(1, 21)), 100)):
        if isinstance(record, StepTrace):
            seen.append(spec.inputs.index(record.samples[0].inputs))
    assert seen == expected
    assert len(set(seen)) > 1


def test_xor_random_reported_error_is_the_seeds_total_error():
    """calculate_total_error: Σ over the four samples of ½(t - o)², after the step."""
    spec = scenarios.load_scenario("xor_random")
    network = spec.build_network()
    summary = next(r for r in iterate_run(spec, RunPlan(1, frozenset(), 1), network) if isinstance(r, StepSummary))
    from neurosim.core.step import evaluate
    total = sum(0.5 * (t[0] - evaluate(network, x)[0]) ** 2 for x, t in spec.samples)
    assert summary.E_all_after == pytest.approx(total, rel=1e-15)
