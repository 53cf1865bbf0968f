"""Learning rules at speed: 10,000 online steps with momentum (after-lr, α = 0.9) and with Adam, on
Mazur's 2-2-2 network (the neuron engine) and on the 64-32-10 sigmoid network of run_all.py (the
matrix engine), against the same rule written in plain NumPy (`python bench/rule_bench.py`; also
rows of run_all.py). Target: at most 1.5× the NumPy loop. Each result is checked against the NumPy
one before it is timed."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from run_all import best_of, best_of_fresh, digits_like_spec, untraced_run  # noqa: E402

from neurosim import scenarios  # noqa: E402
from neurosim.engines.matrix import matrices_from  # noqa: E402
from neurosim.files.exercise import with_training  # noqa: E402

STEPS = 10_000
RULES = {"momentum": {"name": "momentum", "momentum": 0.9}, "adam": {"name": "adam"}}
LEARNING_RATE = {"momentum": 0.5, "adam": 0.01}


def numpy_rule(name: str, lr: float):
    """The rule on a list of arrays, as a learner writes it: state per array, updated in place."""
    state: dict = {}

    def update(t, params, grads):
        new = []
        for k, (p, g) in enumerate(zip(params, grads)):
            if name == "momentum":
                v = state[k] = 0.9 * state.get(k, 0.0) - lr * g
                new.append(p + v)
            else:
                m, v = state.get(k, (0.0, 0.0))
                m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g * g
                state[k] = (m, v)
                new.append(p - lr * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8))
        return new
    return update


def numpy_run(spec, name: str, steps: int, learn_biases: bool):
    """Online steps (sample k mod n) of a 2-layer sigmoid network, ½SSE, Y = XW + B."""
    layers = matrices_from(spec.build_network())
    params = [layers[0].W, layers[0].B, layers[1].W, layers[1].B]
    X, T = np.array(spec.inputs), np.array(spec.targets)
    update, n = numpy_rule(name, spec.conventions.learning_rate), len(X)
    for t in range(1, steps + 1):
        x, y = X[(t - 1) % n:(t - 1) % n + 1], T[(t - 1) % n:(t - 1) % n + 1]
        W1, b1, W2, b2 = params
        a1 = 1 / (1 + np.exp(-(x @ W1 + b1)))
        a2 = 1 / (1 + np.exp(-(a1 @ W2 + b2)))
        loss = np.sum(0.5 * (y - a2) ** 2)  # noqa: F841 (a learner's loop computes it)
        dz2 = (a2 - y) * (a2 * (1 - a2))
        dz1 = (dz2 @ W2.T) * (a1 * (1 - a1))
        grads = [x.T @ dz1, dz1.sum(axis=0), a1.T @ dz2, dz2.sum(axis=0)]
        if learn_biases:
            params = update(t, params, grads)
        else:
            W1, W2 = update(t, [W1, W2], [grads[0], grads[2]])
            params = [W1, b1, W2, b2]
    return params


def rule_spec(base, name: str):
    return with_training(base, rule=RULES[name], learning_rate=LEARNING_RATE[name], steps=STEPS)


def bench(network: str, name: str) -> tuple[float, float]:
    """(ours, plain NumPy) in seconds for 10,000 steps of `name` on `network` (mazur or 64-32-10)."""
    if network == "mazur":
        spec, learn_biases = rule_spec(scenarios.load_scenario("mazur"), name), False
    else:
        spec, learn_biases = rule_spec(digits_like_spec(None, STEPS), name), True
    ours = matrices_from(untraced_run(spec, STEPS))
    theirs = numpy_run(spec, name, STEPS, learn_biases)
    for mine, ref in zip([ours[0].W, ours[0].B, ours[1].W, ours[1].B], theirs):
        scale = max(1.0, float(np.max(np.abs(ref))))
        assert np.max(np.abs(np.asarray(mine) - ref)) <= 1e-9 * scale, f"{network} {name}: engine and NumPy differ"
    t_ours = best_of_fresh(spec, lambda net: untraced_run(spec, STEPS, network=net), repeats=3)
    t_numpy = best_of(lambda: numpy_run(spec, name, STEPS, learn_biases), repeats=3)
    return t_ours, t_numpy


def rows() -> list[tuple]:
    result = []
    for network, engine in (("mazur", "neuron engine, Mazur 2-2-2"), ("64-32-10", "matrix engine, 64-32-10")):
        for name in RULES:
            ours, ref = bench(network, name)
            result.append((f"(e) {engine}, 10,000 online {name} steps", ours, f"the same {name} in NumPy", ref, 1.5))
    return result


if __name__ == "__main__":
    for label, ours, ref_label, ref, target in rows():
        ratio = ours / ref
        print(f"{label:<66} {ours:9.4f} {ref_label:<30} {ref:8.4f} {ratio:6.2f} ≤{target:<5g} "
              f"{'ok' if ratio <= target else 'MISSED'}")
