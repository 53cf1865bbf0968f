"""neurosim benchmarks, measured side by side in one process: `python bench/run_all.py`.

(a) neuron-level engine, Mazur 2-2-2, 10,000 online steps without a trace, against the seed 001
    code (its NeuralNetwork classes without the printing)                             target ≤ 1.0
(b) matrix engine, 64-32-10 sigmoid network, 1,797 random samples: one epoch online and one epoch
    in mini-batches of 32, against a plain-NumPy loop                                 target ≤ 1.2
(c) the same online epoch with a full trace streamed to a JSON Lines file             target ≤ 5×;
    and the peak RSS of that traced run for 1,000 and 10,000 steps (must not grow with the steps)
(d) `neurosim run mazur` wall time against `python -c "import numpy, attrs, tabulate"` target ≤ 1.2;
    `neurosim --version` against `python -c "import attrs"`                         target ≤ 1.1
(e) learning rules: 10,000 online momentum and Adam steps on Mazur (neuron engine) and on 64-32-10
    (matrix engine), against the same rule in plain NumPy (rule_bench.py)                target ≤ 1.5
(f)-(j) whole runs against the NumPy loop, commands at size, the traced step: see at_size.py
(k)-(m) the traced step, a traced Adam step and a traced and rendered step against micrograd's step:
    see traced_speed.py. (d) and (k)-(m) are measured alternately, ours and the reference in turn,
    and report the median of the rounds' ratios with their spread (the other rows: best of several).

Every timing is the best of several repeats (the machine is shared). Every engine result is
checked against its reference before it is timed. BLAS runs on one thread (OPENBLAS_NUM_THREADS=1
unless set): on a shared 2-core machine a BLAS thread pool waits for busy cores, which made a
(1797, 64)·(64, 32) product take 7 ms instead of 0.2 ms, for the reference and the engine alike.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from at_size import bench_commands, bench_traced_step  # noqa: E402
from seed_reference import mazur_reference  # noqa: E402
from traced_speed import rows as traced_rows  # noqa: E402

from neurosim import scenarios  # noqa: E402
from neurosim.engines.runner import RunPlan, iterate_run  # noqa: E402
from neurosim.files.exercise import spec_from_dict, with_training  # noqa: E402

REPEATS = 7


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

def bench_startup(rounds: int = 9) -> list[tuple]:
    """Start-up as a user has it after `pip install .`, which byte-compiles the package. A checkout
    run with PYTHONDONTWRITEBYTECODE=1 (as on our machines) would recompile every module at each
    start, so the package is copied to a temporary directory and byte-compiled there first. Each
    command and its reference run alternately, `rounds` times; the ratio is the median of the
    rounds' ratios, with their spread (traced_speed.alternate's rows)."""
    import compileall
    import os
    import shutil
    import statistics

    pairs = (("(d) `neurosim run mazur` wall time", ["-m", "neurosim", "run", "mazur"],
              "import numpy, attrs, tabulate", 1.2),
             ("(d) `neurosim --version` wall time", ["-m", "neurosim", "--version"], "import attrs", 1.1))
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(HERE.parent / "neurosim", Path(tmp) / "neurosim")
        compileall.compile_dir(Path(tmp) / "neurosim", quiet=1)
        env = dict(os.environ, PYTHONPATH=tmp)
        env.pop("PYTHONDONTWRITEBYTECODE", None)

        def run(args) -> float:
            start = time.perf_counter()
            subprocess.run([sys.executable, *args], capture_output=True, check=True, cwd=tmp, env=env)
            return time.perf_counter() - start
        rows = []
        for label, ours, reference, target in pairs:
            run(ours), run(["-c", reference])  # warm the file cache
            times = [(run(ours), run(["-c", reference])) for _ in range(rounds)]
            ratios = [a / b for a, b in times]
            rows.append((label, statistics.median(ratios), min(ratios), max(ratios),
                         statistics.median(a for a, _ in times), statistics.median(b for _, b in times),
                         f"python -c \"{reference}\"", target))
    return rows


def main() -> None:
    # First, while this process is small: a child's ru_maxrss starts from its parent's at the fork.
    rss = {steps: peak_rss(steps) for steps in (1_000, 10_000)}
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
    from rule_bench import rows as rule_rows
    rows += rule_rows()
    rows.append(("(f) whole untraced run, 64-32-10, 1 epoch online", t_run1, "plain NumPy", t_ref1, 1.3))
    rows.append(("(f) whole untraced run, 64-32-10, 1 epoch in batches of 32", t_run2, "plain NumPy", t_ref2, 1.3))
    alternating = bench_startup() + traced_rows()
    print(f"{'benchmark':<66} {'ours (s)':>9} {'reference':<30} {'ref (s)':>8} {'ratio':>6} {'target':>7}")
    for label, ours, ref_label, ref, target in rows:
        ratio = ours / ref
        verdict = "ok" if ratio <= target else "MISSED"
        print(f"{label:<66} {ours:9.4f} {ref_label:<30} {ref:8.4f} {ratio:6.2f} ≤{target:<5g} {verdict}")
    print(f"\n{'measured alternately (median of the rounds, lowest–highest)':<66} {'ours (s)':>9} {'reference':<30} "
          f"{'ref (s)':>8} {'ratio':>6} {'spread':>11} {'target':>7}")
    for label, ratio, low, high, ours, ref, ref_label, target in alternating:
        verdict = "ok" if ratio <= target else "MISSED"
        print(f"{label:<66} {ours:9.6f} {ref_label:<30} {ref:8.6f} {ratio:6.2f} {low:5.2f}–{high:<5.2f} "
              f"≤{target:<5g} {verdict}")
    print(f"\n{'at size':<66} {'measured':>9} {'unit':<6} {'target':>8}  note")
    for label, value, unit, _, target, note in bench_commands() + bench_traced_step():
        verdict = "" if not target else ("ok" if value <= target else "MISSED")
        limit = f"≤{target:g}" if target else ""
        print(f"{label:<66} {value:9.3f} {unit:<6} {limit:>8}  {verdict} {note}")
    print(f"(c) trace file: {size / 1e6:.1f} MB for 1,797 steps")
    for steps, (before, after) in rss.items():
        print(f"(c) peak RSS of the traced run, {steps:>6,} steps: {after / 1024:.1f} MiB "
              f"(after imports and data: {before / 1024:.1f} MiB)")


if __name__ == "__main__":
    main()
