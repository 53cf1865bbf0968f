"""neurosim benchmarks, measured side by side in one process: `python bench/run_all.py`.

(a) neuron-level engine, Mazur 2-2-2, 10,000 online steps without a trace, against the seed 001
    code (its NeuralNetwork classes without the printing)                             target ≤ 1.0
(b) matrix engine, 64-32-10 sigmoid network, 1,797 random samples: one epoch online and one epoch
    in mini-batches of 32, against a plain-NumPy loop                                 target ≤ 1.2
(c) the same online epoch with a full trace streamed to a JSON Lines file             target ≤ 5×;
    and the peak RSS of that traced run for 1,000 and 10,000 steps (must not grow with the steps)
(d) `neurosim run mazur` wall time against `python -c "import numpy, attrs, tabulate"` target ≤ 1.5
(e) learning rules: 10,000 online momentum and Adam steps on Mazur (neuron engine) and on 64-32-10
    (matrix engine), against the same rule in plain NumPy (rule_bench.py)                target ≤ 1.5

Every timing is the best of several repeats (the machine is shared). Every engine result is
checked against its reference before it is timed.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from seed_reference import mazur_reference  # noqa: E402

from neurosim import scenarios  # noqa: E402
from neurosim.engines.runner import RunPlan, iterate_run  # noqa: E402
from neurosim.files.exercise import spec_from_dict, with_training  # noqa: E402

REPEATS = 5


def best_of(function, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def best_of_fresh(spec, function, repeats: int = REPEATS) -> float:
    """Best time of function(network), each time on a freshly built network (not timed)."""
    times = []
    for _ in range(repeats):
        network = spec.build_network()
        start = time.perf_counter()
        function(network)
        times.append(time.perf_counter() - start)
    return min(times)


def untraced_run(spec, steps: int, engine: str = "auto", network=None):
    """Train for `steps` steps with no traced step (summary rows at the first and last step, as
    `neurosim run` prints them). The network is built beforehand (the timings leave that out)."""
    network = network or spec.build_network()
    for _ in iterate_run(spec, RunPlan(steps, frozenset(), steps), network, engine=engine):
        pass
    return network


# -- (a) ----------------------------------------------------------------------------------------

def bench_mazur():
    spec = with_training(scenarios.load_scenario("mazur"), steps=10_000)
    reference = mazur_reference(10_000)
    network = untraced_run(spec, 10_000, engine="neuron")
    seed_w5 = reference.output_layer.neurons[0].weights[0]
    assert network.connections[4].weight == seed_w5, (network.connections[4].weight, seed_w5)
    traced = spec.build_network()
    plan = RunPlan(10_000, frozenset(range(1, 10_001)), 10_000)
    for _ in iterate_run(spec, plan, traced):
        pass
    assert traced.parameters() == network.parameters(), "untraced and traced runs differ"
    t_seed = best_of(lambda: mazur_reference(10_000))
    t_engine = best_of_fresh(spec, lambda network: untraced_run(spec, 10_000, "neuron", network))
    return t_engine, t_seed


# -- (b), (c) -----------------------------------------------------------------------------------

def digits_like_spec(batch_size: int | None, steps: int):
    rng = np.random.default_rng(1797)
    X = rng.uniform(0, 16, size=(1797, 64)) / 16  # the shape of sklearn's 8x8 digits
    labels = rng.integers(0, 10, size=1797)
    T = np.eye(10)[labels]
    training = {"loss": "half_sse", "learning_rate": 0.1, "steps": steps, "update_biases": True,
                "mode": "online" if batch_size is None else "batch-sum"}
    if batch_size is not None:
        training["batch_size"] = batch_size
    return spec_from_dict({
        "title": "64-32-10 sigmoid, 1,797 random samples",
        "network": {"layers": [64, 32, 10], "activations": "sigmoid", "bias": "per-neuron", "seed": 7,
                    "init": "normal"},
        "data": {"inputs": X.tolist(), "targets": T.tolist()},
        "training": training,
    })


def numpy_reference(spec, batch_size: int | None, layers=None):
    """Plain NumPy, Y = XW + B, half-SSE with its loss computed every step like the engine."""
    from neurosim.engines.matrix import matrices_from
    layers = layers or matrices_from(spec.build_network())
    W1, b1, W2, b2 = layers[0].W, layers[0].B, layers[1].W, layers[1].B
    X, T = np.array(spec.inputs), np.array(spec.targets)
    lr, n = spec.conventions.learning_rate, len(X)
    size = batch_size or 1
    for start in range(0, n, size):
        x, t = X[start:start + size], T[start:start + size]
        a1 = 1 / (1 + np.exp(-(x @ W1 + b1)))
        a2 = 1 / (1 + np.exp(-(a1 @ W2 + b2)))
        loss = np.sum(0.5 * (t - a2) ** 2)  # noqa: F841 (printed by a learner's loop)
        dz2 = (a2 - t) * (a2 * (1 - a2))
        dz1 = (dz2 @ W2.T) * (a1 * (1 - a1))
        W2 = W2 - lr * (a1.T @ dz2)
        b2 = b2 - lr * dz2.sum(axis=0)
        W1 = W1 - lr * (x.T @ dz1)
        b1 = b1 - lr * dz1.sum(axis=0)
    return W1, b1, W2, b2


def bench_matrix(batch_size: int | None):
    steps = 1797 if batch_size is None else -(-1797 // batch_size)
    spec = digits_like_spec(batch_size, steps)
    from neurosim.engines.matrix import matrices_from
    network = untraced_run(spec, steps)
    ours = matrices_from(network)
    W1, b1, W2, b2 = numpy_reference(spec, batch_size)
    for mine, theirs in ((ours[0].W, W1), (ours[0].B, b1), (ours[1].W, W2), (ours[1].B, b2)):
        assert np.max(np.abs(mine - theirs)) <= 1e-12 * np.max(np.abs(theirs)), "engine and NumPy differ"
    layers = matrices_from(spec.build_network())
    t_ref = best_of(lambda: numpy_reference(spec, batch_size, layers))
    t_engine = best_of_fresh(spec, lambda network: engine_only(spec, steps, network))
    t_run = best_of_fresh(spec, lambda network: untraced_run(spec, steps, network=network))
    return t_engine, t_ref, t_run, spec


def engine_only(spec, steps: int, network):
    """The matrix engine's training loop: parameters and data to arrays, the steps, no summary rows."""
    from neurosim.engines.matrix import MatrixTrainer
    from neurosim.engines.runner import step_batches
    trainer = MatrixTrainer(network, spec.conventions)
    trainer.run(trainer.array(spec.inputs), trainer.array(spec.targets), step_batches(spec, steps))
    trainer.store_into(network)


def bench_trace_file(spec):
    from neurosim.files.tracefile import record_run
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "trace.jsonl"
        t_traced = best_of(lambda: record_run(spec, path, 1797), repeats=3)
        size = path.stat().st_size
    return t_traced, size


RSS_SCRIPT = """
import resource, sys, tempfile
from pathlib import Path
sys.path[:0] = [{root!r}, {bench!r}]
from run_all import digits_like_spec
from neurosim.files.tracefile import record_run
spec = digits_like_spec(None, {steps})
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with tempfile.TemporaryDirectory() as tmp:
    record_run(spec, Path(tmp) / "trace.jsonl", {steps})
print(before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_rss(steps: int) -> tuple[int, int]:
    """(peak RSS before the run, peak RSS after it) in KiB, in a fresh interpreter."""
    code = RSS_SCRIPT.format(root=str(HERE.parent), bench=str(HERE), steps=steps)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    before, after = out.split()
    return int(before), int(after)


# -- (d) ----------------------------------------------------------------------------------------

def bench_startup():
    """Start-up as a user has it after `pip install .`, which byte-compiles the package. A checkout
    run with PYTHONDONTWRITEBYTECODE=1 (as on our machines) would recompile every module at each
    start, so the package is copied to a temporary directory and byte-compiled there first."""
    import compileall
    import os
    import shutil

    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(HERE.parent / "neurosim", Path(tmp) / "neurosim")
        compileall.compile_dir(Path(tmp) / "neurosim", quiet=1)
        env = dict(os.environ, PYTHONPATH=tmp)

        def run(args):
            return best_of(lambda: subprocess.run(args, capture_output=True, check=True, cwd=tmp, env=env),
                           repeats=7)
        t_run = run([sys.executable, "-m", "neurosim", "run", "mazur"])
        t_imports = run([sys.executable, "-c", "import numpy, attrs, tabulate"])
    return t_run, t_imports


def main() -> None:
    rows = []
    t_a, t_seed = bench_mazur()
    rows.append(("(a) neuron engine, Mazur 2-2-2, 10,000 online steps, untraced", t_a,
                 "seed 001 classes", t_seed, 1.0))
    t_b1, t_ref1, t_run1, online_spec = bench_matrix(None)
    rows.append(("(b) matrix engine, 64-32-10, 1,797 samples, 1 epoch online", t_b1, "plain NumPy", t_ref1, 1.2))
    t_b2, t_ref2, t_run2, _ = bench_matrix(32)
    rows.append(("(b) matrix engine, 64-32-10, 1 epoch in batches of 32", t_b2, "plain NumPy", t_ref2, 1.2))
    t_c, size = bench_trace_file(online_spec)
    rows.append(("(c) same online epoch, full trace to JSON Lines", t_c, "untraced (b)", t_b1, 5.0))
    t_d, t_imp = bench_startup()
    rows.append(("(d) `neurosim run mazur` wall time", t_d, "import numpy, attrs, tabulate", t_imp, 1.5))
    from rule_bench import rows as rule_rows
    rows += rule_rows()
    print(f"{'benchmark':<66} {'ours (s)':>9} {'reference':<30} {'ref (s)':>8} {'ratio':>6} {'target':>7}")
    for label, ours, ref_label, ref, target in rows:
        ratio = ours / ref
        verdict = "ok" if ratio <= target else "MISSED"
        print(f"{label:<66} {ours:9.4f} {ref_label:<30} {ref:8.4f} {ratio:6.2f} ≤{target:<5g} {verdict}")
    print(f"\n(b) whole untraced run through runner.iterate_run, incl. the summary rows of steps 1 and last "
          f"(E_total+ over all 1,797 samples): online {t_run1:.4f} s ({t_run1 / t_ref1:.2f}×), "
          f"batches of 32 {t_run2:.4f} s ({t_run2 / t_ref2:.2f}×)")
    print(f"(c) trace file: {size / 1e6:.1f} MB for 1,797 steps")
    for steps in (1_000, 10_000):
        before, after = peak_rss(steps)
        print(f"(c) peak RSS of the traced run, {steps:>6,} steps: {after / 1024:.1f} MiB "
              f"(after imports and data: {before / 1024:.1f} MiB)")


if __name__ == "__main__":
    main()
