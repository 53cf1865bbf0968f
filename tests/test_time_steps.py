"""Real-time BPTT (`time_update = "per_step"`): the weights updated after every time step, against a
plain NumPy loop written here (forward one step with the current weights, the loss of that step,
BPTT back through the stored history with the current weights — all of it, or k steps — and the
update), for Elman and Jordan networks on random shapes and seeds: every E(t), every gradient and
every weight after every time step to 1e-10. And the exercise file's checks."""

import io

import attrs
import numpy as np
import pytest

from neurosim import Conventions, trace_step
from neurosim.cli import main
from neurosim.core.architecture import Architecture, LayerSpec
from neurosim.core.shared_network import build_shared
from neurosim.files.exercise import load_spec

from .shared_cases import SMOOTH
from .test_jordan import JORDAN_TOML, F


def case(seed: int, feedback: str):
    rng = np.random.default_rng(2000 + seed)
    n, hidden, m, steps = (int(rng.integers(1, 3)), int(rng.integers(1, 4)), int(rng.integers(1, 3)),
                           int(rng.integers(2, 5)))
    fed = m if feedback == "output" else hidden
    start = tuple(rng.uniform(-0.5, 0.5, size=fed)) if seed % 2 else None
    bias = bool(seed % 3)
    act, out_act = ("tanh", "sigmoid")[seed % 2], str(rng.choice(SMOOTH))
    architecture = Architecture((n,), (LayerSpec("recurrent", hidden, activation=act, bias=bias, feedback=feedback),
                                       LayerSpec("dense", m, activation=out_act, bias=bias)), steps=steps, h0=start)
    network = build_shared(architecture, [act, out_act], rng=rng, init="normal")
    network.set_parameters({name: 0.6 * v for name, v in network.parameters().items()})
    sequences = [(tuple(rng.normal(size=n * steps)) + (start or (0.0,) * fed), tuple(rng.uniform(0.1, 0.9, m * steps)))
                 for _ in range(1 + seed % 2)]
    return network, sequences


def real_time_bptt(network, sequences, conventions, runs: int, momentum: float = 0.0):
    """[(E(t), {name: dE(t)/dp}, {name: p after the update})] for each time step of `runs` sequences
    in turn, by the definition: θ_(t+1) = θ_t - η·dE(t)/dθ, dE(t)/dθ by BPTT through the stored
    history with θ_t (with `momentum` α: v = α·v - η·dE(t)/dθ, θ_(t+1) = θ_t + v, the after-lr form)."""
    arch = network.architecture
    (rec, out), p = arch.layers, dict(network.parameters())
    n, H, m, T = arch.input[0], rec.size, out.size, arch.steps
    jordan = rec.feedback == "output"
    fed = m if jordan else H
    names = {"xh": [[f"w{k * (n + fed) + j + 1}" for j in range(n)] for k in range(H)],
             "back": [[f"w{k * (n + fed) + n + j + 1}" for j in range(fed)] for k in range(H)],
             "hy": [[f"w{H * (n + fed) + j * H + k + 1}" for k in range(H)] for j in range(m)],
             "bh": [f"b_h{k + 1}" for k in range(H)], "by": [f"b_o{j + 1}" for j in range(m)]}
    (f, df), (g, dg) = F[rec.activation], F[out.activation]
    scale = T if conventions.time_loss == "mean" else 1
    results, velocity = [], dict.fromkeys(p, 0.0)

    def array(key):
        return np.array([[p.get(x, 0.0) for x in row] if isinstance(row, list) else p.get(row, 0.0)
                         for row in names[key]])
    for run in range(runs):
        inputs, targets = sequences[run % len(sequences)]
        x = np.array(inputs[:n * T]).reshape(T, n)
        fedback, zs, hs, os_ = [np.array(inputs[n * T:])], [], [], []
        for t in range(T):
            Wxh, Wb, Why, bh, by = (array(k) for k in ("xh", "back", "hy", "bh", "by"))
            zs.append(Wxh @ x[t] + Wb @ fedback[-1] + bh)
            hs.append(f(zs[-1]))
            os_.append(Why @ hs[-1] + by)
            y = g(os_[-1])
            fedback.append(y if jordan else hs[-1])
            target = np.array(targets[t * m:(t + 1) * m])
            e_t = (0.5 * (target - y) ** 2).sum() / scale
            grads = {key: np.zeros_like(a) for key, a in (("xh", Wxh), ("back", Wb), ("hy", Why), ("bh", bh),
                                                          ("by", by))}
            carry = np.zeros(fed)  # dE(t)/d(what step τ feeds back), from τ + 1
            for tau in range(t, -1, -1):
                dy = -(target - g(os_[tau])) / scale if tau == t else np.zeros(m)
                if jordan:
                    dy = dy + carry
                do = dy * dg(os_[tau])
                dh = Why.T @ do + (carry if not jordan else 0.0)
                dz = dh * df(zs[tau])
                for key, value in (("xh", np.outer(dz, x[tau])), ("back", np.outer(dz, fedback[tau])),
                                   ("hy", np.outer(do, hs[tau])), ("bh", dz), ("by", do)):
                    grads[key] += value
                cut = conventions.bptt and (t + 1 - tau) % conventions.bptt == 0
                carry = np.zeros(fed) if cut else Wb.T @ dz
                if cut:
                    break
            gradient = {}
            for key, value in grads.items():
                for row_names, row in zip(names[key], value if value.ndim else [value]):
                    for name, v in (zip(row_names, row) if isinstance(row_names, list) else [(row_names, row)]):
                        if name in p:
                            gradient[name] = float(v)
            velocity = {name: momentum * velocity[name] - conventions.learning_rate * gradient[name] for name in p}
            p = {name: value + velocity[name] for name, value in p.items()}
            results.append((e_t, gradient, dict(p)))
    return results


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("feedback", ["hidden", "output"])
def test_every_time_step_update_is_the_numpy_loop(feedback, seed):
    network, sequences = case(seed, feedback)
    conventions = Conventions(loss="half_sse", learning_rate=0.3, time_update="per_step",
                              time_loss="mean" if seed % 5 == 2 else "sum", bptt=(0, 0, 1, 2)[seed % 4])
    T = network.architecture.steps
    runs = 2 * len(sequences)
    expected = real_time_bptt(network, sequences, conventions, runs)
    for k, (e_t, gradient, after) in enumerate(expected, start=1):
        sequence = sequences[((k - 1) // T) % len(sequences)]
        trace = trace_step(network, [sequence], conventions, step=k)
        assert trace.E_total == pytest.approx(e_t, rel=1e-10), k
        assert {u.name: u.gradient for u in trace.updates} == pytest.approx(gradient, rel=1e-10, abs=1e-13), k
        assert network.parameters() == pytest.approx(after, rel=1e-10, abs=1e-13), k


@pytest.mark.parametrize("seed", range(4))
def test_a_learning_rule_steps_once_per_time_step(seed):
    """Momentum (after-lr: v = α·v - η·g, Δw = v) carried from one time step's update to the next."""
    from neurosim.core.rules.config import rule_config
    network, sequences = case(seed, ("hidden", "output")[seed % 2])
    conventions = Conventions(learning_rate=0.3, time_update="per_step",
                              rule=rule_config("momentum", {"momentum": 0.9}))
    T = network.architecture.steps
    rule = conventions.make_rule()
    for k, (_, _, after) in enumerate(real_time_bptt(network, sequences, conventions, 2, momentum=0.9), start=1):
        trace_step(network, [sequences[((k - 1) // T) % len(sequences)]], conventions, step=k, rule=rule)
        assert network.parameters() == pytest.approx(after, rel=1e-10, abs=1e-13), k


def test_per_step_differs_from_the_sequence_update_and_the_run_takes_a_step_per_time_step(tmp_path):
    """Three time steps make three run steps; the weights after them are not those of one update per
    sequence (the second step's forward pass already uses the first step's new weights)."""
    path = tmp_path / "per_step.toml"
    path.write_text(JORDAN_TOML.format(extra="") + 'time_update = "per_step"\n', encoding="utf-8")
    out = io.StringIO()
    assert main(["run", str(path), "--steps", "3", "--trace", "1,2,3", "--format", "csv"], out) == 0
    rows = [line.split(",") for line in out.getvalue().splitlines()[1:]]
    assert sorted({r[0] for r in rows}) == ["1", "2", "3"]
    w1_after = {r[0]: float(r[2]) for r in rows if r[1] == "W_xh+"}
    spec = load_spec(path)
    sequence_update = trace_step(spec.build_network(), spec.samples,
                                 attrs.evolve(spec.conventions, time_update="sequence")).quantities()["w1+"]
    assert abs(w1_after["3"] - sequence_update) > 1e-3
    assert "real-time BPTT" in main_text(["run", str(path), "--steps", "1"])
    assert load_spec(path).steps == 3  # by default every sequence once: T run steps each


def main_text(argv) -> str:
    out = io.StringIO()
    assert main(argv, out) == 0
    return out.getvalue()


@pytest.mark.parametrize(("extra", "message"), [
    ('mode = "batch-sum"', "time_update: 'per_step' updates after every time step of one sequence"),
    ('targets_last = true', "training.time_update: 'per_step' updates after each time step's loss: it needs"),
])
def test_per_step_without_a_target_at_every_step_or_online_mode_is_refused(tmp_path, capsys, extra, message):
    text = JORDAN_TOML.format(extra="") + 'time_update = "per_step"\n'
    text = text.replace("targets = [[1.0, 2.0, 0.3]]", "targets = [[0.3]]") if "targets" in extra \
        else text + extra + "\n"
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    assert main(["run", str(path)], io.StringIO()) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err, err


def test_a_student_who_updated_once_per_sequence_is_named(tmp_path):
    """[expect] values worked with one update per sequence, in an exercise that updates per time step:
    the catalog's `updated-once-per-sequence` reproduces them."""
    path = tmp_path / "per_step.toml"
    path.write_text(JORDAN_TOML.format(extra="") + 'time_update = "per_step"\nsteps = 1\n', encoding="utf-8")
    spec = load_spec(path)
    q = trace_step(spec.build_network(), spec.samples, attrs.evolve(spec.conventions, time_update="sequence")
                   ).quantities()
    path.write_text(path.read_text(encoding="utf-8") + "[expect]\n" + "".join(
        f'"{ours}" = "{q[name]:.6f}"\n' for ours, name in (("dE/dW_xh", "dE/dw1"), ("dE/dW_yh", "dE/dw2"))),
        encoding="utf-8")
    text = io.StringIO()
    main(["check", str(path)], text)
    assert "updated-once-per-sequence" in text.getvalue().split("Diagnosis:")[1]
