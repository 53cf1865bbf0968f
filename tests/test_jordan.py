"""A Jordan network (the output fed back: h_t = f(W_xh·x_t + W_yh·y_(t-1) + b_h)) unrolled through
time: every gradient of the objects against a plain NumPy BPTT written here, separately, and against
central finite differences (random shapes and seeds, full and truncated BPTT, targets at every step or
the last); the NumPy engine and the matrix view against the objects; the exercise file and its errors."""

import io
import json

import numpy as np
import pytest

from neurosim import Conventions, trace_step
from neurosim.cli import main
from neurosim.core.architecture import Architecture, LayerSpec
from neurosim.core.shared_network import build_shared
from neurosim.engines.shared_engine import shared_trainer
from neurosim.files.exercise import spec_from_dict

from .shared_cases import SMOOTH, finite_difference
from .test_shared_matrix import assert_equal_to_the_neuron_view

F = {"tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
     "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),
     "linear": (lambda z: z, lambda z: np.ones_like(z)),
     "softplus": (lambda z: np.log1p(np.exp(z)), lambda z: 1 / (1 + np.exp(-z)))}


def jordan_case(seed: int):
    """A random Jordan network (1-2 inputs, 1-3 hidden units, 1-2 outputs, 2-5 steps, targets at every
    step or the last, y_0 given or zero, biases or none) and one or two sequences."""
    rng = np.random.default_rng(1000 + seed)
    n, hidden, m, steps = (int(rng.integers(1, 3)), int(rng.integers(1, 4)), int(rng.integers(1, 3)),
                           int(rng.integers(2, 6)))
    y0 = tuple(rng.uniform(-0.5, 0.5, size=m)) if seed % 2 else None
    bias = bool(seed % 3)
    act, out_act = ("tanh", "sigmoid")[seed % 2], str(rng.choice(SMOOTH))
    architecture = Architecture((n,), (LayerSpec("recurrent", hidden, activation=act, bias=bias, feedback="output"),
                                       LayerSpec("dense", m, activation=out_act, bias=bias)),
                                steps=steps, last_target_only=seed % 4 == 3, h0=y0)
    network = build_shared(architecture, [act, out_act], rng=rng, init="normal")
    network.set_parameters({name: 0.6 * v for name, v in network.parameters().items()})
    outputs = m if architecture.last_target_only else m * steps
    samples = [(tuple(rng.normal(size=n * steps)) + (y0 or (0.0,) * m), tuple(rng.uniform(0.1, 0.9, outputs)))
               for _ in range(1 + seed % 2)]
    return network, samples


def numpy_bptt(network, samples, conventions) -> dict[str, float]:
    """dE/dp of every parameter by BPTT over the Jordan recursion, in plain NumPy, named as neurosim
    numbers them (per hidden unit k: its weights from the inputs, then from the outputs; then W_hy
    row by row; b_h1 …, b_o1 …). Losses half_sse (½Σ(t-y)²) and mse ((1/m)Σ(t-y)²) per step."""
    arch = network.architecture
    (rec, out), p = arch.layers, network.parameters()
    n, H, m, T = arch.input[0], rec.size, out.size, arch.steps
    Wxh = np.array([[p[f"w{k * (n + m) + j + 1}"] for j in range(n)] for k in range(H)])
    Wyh = np.array([[p[f"w{k * (n + m) + n + j + 1}"] for j in range(m)] for k in range(H)])
    Why = np.array([[p[f"w{H * (n + m) + j * H + k + 1}"] for k in range(H)] for j in range(m)])
    bh = np.array([p.get(f"b_h{k + 1}", 0.0) for k in range(H)])
    by = np.array([p.get(f"b_o{j + 1}", 0.0) for j in range(m)])
    (f, df), (g, dg) = F[rec.activation], F[out.activation]
    times = [T - 1] if arch.last_target_only else list(range(T))
    scale = len(times) if conventions.time_loss == "mean" and len(times) > 1 else 1
    grads = [np.zeros_like(a) for a in (Wxh, Wyh, Why, bh, by)]
    for inputs, targets in samples:
        x = np.array(inputs[:n * T]).reshape(T, n)
        ys, zs, hs, os_ = [np.array(inputs[n * T:])], [], [], []
        for t in range(T):
            zs.append(Wxh @ x[t] + Wyh @ ys[-1] + bh)
            hs.append(f(zs[-1]))
            os_.append(Why @ hs[-1] + by)
            ys.append(g(os_[-1]))
        target = {t: np.array(targets[r * m:(r + 1) * m]) for r, t in enumerate(times)}
        dy_next = np.zeros(m)  # dE/dy_t through h_(t+1)
        for t in reversed(range(T)):
            dy = dy_next.copy()
            if t in target:
                dy += (-(target[t] - ys[t + 1]) if conventions.loss == "half_sse"
                       else -2 * (target[t] - ys[t + 1]) / m) / scale
            do = dy * dg(os_[t])
            dz = (Why.T @ do) * df(zs[t])
            for grad, value in zip(grads, (np.outer(dz, x[t]), np.outer(dz, ys[t]), np.outer(do, hs[t]), dz, do)):
                grad += value
            cut = conventions.bptt and (T - t) % conventions.bptt == 0
            dy_next = np.zeros(m) if cut else Wyh.T @ dz
    k = len(samples) if conventions.mode == "batch-mean" else 1
    named = {}
    for kk in range(H):
        named.update({f"w{kk * (n + m) + j + 1}": grads[0][kk, j] / k for j in range(n)})
        named.update({f"w{kk * (n + m) + n + j + 1}": grads[1][kk, j] / k for j in range(m)})
        named[f"b_h{kk + 1}"] = grads[3][kk] / k
    for j in range(m):
        named.update({f"w{H * (n + m) + j * H + kk + 1}": grads[2][j, kk] / k for kk in range(H)})
        named[f"b_o{j + 1}"] = grads[4][j] / k
    return {name: v for name, v in named.items() if name in p}


def conventions_of(seed: int, samples) -> Conventions:
    return Conventions(time_loss="mean" if seed % 5 == 1 else "sum", loss="mse" if seed % 3 == 0 else "half_sse",
                       mode="batch-mean" if len(samples) > 1 else "online", bptt=(0, 0, 1, 2)[seed % 4])


@pytest.mark.parametrize("seed", range(16))
def test_every_gradient_agrees_with_a_separate_numpy_bptt_and_finite_differences(seed):
    network, samples = jordan_case(seed)
    conventions = conventions_of(seed, samples)
    expected = numpy_bptt(network, samples, conventions)
    trace = trace_step(network.copy(), samples, conventions)
    assert {u.name for u in trace.updates} == set(expected)
    scale = max(abs(v) for v in expected.values())
    for u in trace.updates:
        assert u.gradient == pytest.approx(expected[u.name], rel=1e-10, abs=1e-12 * scale), u.name
    if not conventions.bptt:  # truncation is not the loss's gradient: finite differences check full BPTT only
        for u in trace.updates:
            numeric = finite_difference(network, samples, conventions, u.name)
            assert u.gradient == pytest.approx(numeric, rel=1e-6, abs=1e-8), u.name


@pytest.mark.parametrize("seed", range(8))
def test_the_numpy_engine_and_the_matrix_view_are_the_objects_step(seed):
    network, samples = jordan_case(seed)
    conventions = conventions_of(seed, samples)
    assert_equal_to_the_neuron_view(network, samples, conventions)
    objects = network.copy()
    trace_step(objects, samples, conventions)
    trainer = shared_trainer(network.copy(), conventions)
    trainer.step(np.array([s[0] for s in samples]), np.array([s[1] for s in samples]))
    expected = objects.parameters()
    for name, value in zip(trainer.names, trainer.theta):
        assert value == pytest.approx(expected[name], rel=1e-12, abs=1e-14), name


EXERCISE = {
    "network": {"input": 1, "layer": [{"kind": "recurrent", "feedback": "output", "size": 1, "activation": "tanh",
                                       "bias": False, "y0": [0.2]},
                                      {"kind": "dense", "size": 1, "activation": "linear", "bias": False}],
                "weights": {"w1": 0.5, "w2": 0.1, "w3": 2.0}},
    "data": {"inputs": [[1.0, 2.0, 0.5]], "targets": [[1.0, 2.0, 0.3]]},
    "training": {"loss": "half_sse", "learning_rate": 0.1},
}


def test_dE_dy_is_carried_back_through_W_yh_step_by_step():
    """y_t feeds h_(t+1) through w2 = W_yh: its state unit s_t gets dE/dout = delta_h(t+1)·w2, so
    dE/dy_t = (y_t - target_t) + delta_h(t+1)·w2, and dE/dw2 = Σ_t delta_h(t)·y_(t-1) with y_0 = 0.2."""
    spec = spec_from_dict(EXERCISE)
    q = trace_step(spec.build_network(), spec.samples, spec.conventions).quantities()
    for t in (1, 2):
        assert q[f"out_s1_t{t}"] == q[f"out_o1_t{t}"]
        assert q[f"net_h1_t{t + 1}"] == 0.5 * (1.0, 2.0, 0.5)[t] + 0.1 * q[f"out_o1_t{t}"]
        assert q[f"dE/dout_s1_t{t}"] == q[f"delta_h1_t{t + 1}"] * 0.1
        assert q[f"dE/dout_o1_t{t}"] == q[f"out_o1_t{t}"] - (1.0, 2.0)[t - 1]
        dE_dy = q[f"dE/dout_o1_t{t}"] + q[f"dE/dout_s1_t{t}"]
        assert q[f"dE/dout_h1_t{t}"] == pytest.approx(dE_dy * 2.0, rel=1e-15)
    assert q["net_h1_t1"] == 0.5 * 1.0 + 0.1 * 0.2
    expected = q["delta_h1_t1"] * 0.2 + q["delta_h1_t2"] * q["out_o1_t1"] + q["delta_h1_t3"] * q["out_o1_t2"]
    assert q["dE/dw2"] == pytest.approx(expected, rel=1e-15)


JORDAN_TOML = """\
title = "Jordan 1-1-1"
notation = "course"
[network]
input = 1
[[network.layer]]
kind = "recurrent"
feedback = "output"
size = 1
activation = "tanh"
bias = false
y0 = [0.2]
{extra}
[[network.layer]]
kind = "dense"
size = 1
activation = "linear"
bias = false
[network.weights]
W_xh = 0.5
W_yh = 0.1
W_hy = 2.0
[data]
inputs = [[1.0, 2.0, 0.5]]
targets = [[1.0, 2.0, 0.3]]
[training]
loss = "half_sse"
learning_rate = 0.1
"""


def test_the_course_notation_names_W_yh_and_the_state_units(tmp_path):
    """W_xh, W_yh, W_hy read as givens and as [expect] names; h_1 = tanh(0.5 + 0.1·0.2) by hand,
    y_1 = 2·h_1, and s_1 (y_1 as fed back) the same number."""
    import math

    from neurosim.check.judge import check_values
    from neurosim.core.exercise import Expected
    from neurosim.files.exercise import load_spec
    path = tmp_path / "jordan.toml"
    path.write_text(JORDAN_TOML.format(extra=""), encoding="utf-8")
    spec = load_spec(path)
    assert spec.weights == {"w1": 0.5, "w2": 0.1, "w3": 2.0}
    h1 = math.tanh(0.5 + 0.1 * 0.2)
    h2 = math.tanh(1.0 + 0.1 * 2 * h1)
    report = check_values(spec, [Expected("h_1", None, f"{h1:.12f}"), Expected("s_1", None, f"{2 * h1:.12f}"),
                                 Expected("y_1", None, f"{2 * h1:.12f}"), Expected("h_2", None, f"{h2:.12f}")])
    assert not report.wrong
    out = io.StringIO()
    assert main(["run", str(path)], out) == 0
    text = out.getvalue()
    assert "W_xh·x_2 + W_yh·s_1" in text and "dE_h_2/ds_1" in text and "inputs x_1 = 1" in text
    out = io.StringIO()
    assert main(["explain", str(path)], out) == 0
    doc = out.getvalue()
    assert "$`s_{0} = 0.2`$" in doc  # y_0 as fed back, in the notation (h_0 of an Elman net alike)
    assert "The backward pass: time step 2, the output fed back\n" in doc and "The backward pass: time step 1\n" in doc
    assert "Activation tanh (hidden layer)" in doc and "Activation linear (output layer)" in doc


@pytest.mark.parametrize(("extra", "message"), [
    ('feedback = "state"', "network.layer[1].feedback: expected \"hidden\""),
    ("h0 = [0.1]", "network.layer[1].h0: not for this layer"),
])
def test_bad_jordan_input_is_one_line_naming_the_key(tmp_path, capsys, extra, message):
    text = JORDAN_TOML.format(extra=extra).replace('feedback = "output"\n', "", 1) if "feedback" in extra \
        else JORDAN_TOML.format(extra=extra)
    path = tmp_path / "jordan.toml"
    path.write_text(text, encoding="utf-8")
    output = tmp_path / "out.md"
    assert main(["explain", str(path), "-o", str(output)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err, err
    assert not output.exists()


def test_a_y0_of_the_wrong_size_is_one_line_naming_the_key(tmp_path, capsys):
    path = tmp_path / "jordan.toml"
    path.write_text(JORDAN_TOML.format(extra="").replace("y0 = [0.2]", "y0 = [0.2, 0.1]"), encoding="utf-8")
    assert main(["run", str(path)], io.StringIO()) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "network.layer[1].y0: expected one value per output (1), got 2 (line 11)" in err


@pytest.mark.parametrize("feedback", ["hidden", "output"])
def test_check_of_a_wrong_backward_value_of_a_recurrent_net_names_its_line(tmp_path, feedback):
    """The diagnosis's 'updated weights used in the backward pass' slip reaches a shared recurrent
    weight's own gradient through the backward lines it changes (W_hh, W_yh, W_hy): that cycle has no
    value, and the check reports the line (it recursed without end before)."""
    text = JORDAN_TOML.format(extra="") + '[expect]\nh_1 = "0.4777"\n"dE/dh_1" = "-0.0232"\n'
    if feedback == "hidden":
        text = text.replace('feedback = "output"\n', "").replace("y0 = [0.2]\n", "").replace("W_yh", "W_hh") \
            .replace('h_1 = "0.4777"', 'h_1 = "0.4621"')
    path = tmp_path / "check.toml"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    assert main(["check", str(path)], out) == 1
    assert "Your first wrong line is dE/dh_1" in out.getvalue()


def test_a_saved_jordan_network_runs_on_as_one_run(tmp_path):
    """run --save writes the layer as `feedback = "output"` with its y0; n steps, saved, then m more
    are the n + m steps of one run, to the last bit (an Elman reading of the file would have other
    weights: W_yh is hidden × outputs)."""
    from neurosim.core.shared_network import SharedNetwork
    exercise = tmp_path / "j.toml"
    exercise.write_text(JORDAN_TOML.format(extra=""), encoding="utf-8")
    net = tmp_path / "j.json"
    assert main(["run", str(exercise), "--steps", "2", "--trace", "1,2", "--save", str(net)], io.StringIO()) == 0
    data = json.loads(net.read_text())
    assert data["layers"][0]["feedback"] == "output" and data["layers"][0]["y0"] == [0.2]
    assert SharedNetwork.load(net).architecture.jordan

    def csv(argv):
        out = io.StringIO()
        assert main(argv + ["--format", "csv"], out) == 0
        return {row.split(",")[1]: row.split(",")[2] for row in out.getvalue().splitlines()[1:]}
    assert csv(["run", str(net), "--steps", "3", "--trace", "3"]) == csv(["run", str(exercise), "--steps", "5",
                                                                         "--trace", "1,2,5"])
