"""Benchmarks of issue 11, commands at size (run_all.py prints them as rows):

(f) whole untraced runs through runner.iterate_run (summary rows of the first and last step, E_total+
    over all 1,797 samples) against the bare NumPy loop, 64-32-10 online and in batches of 32
                                                                                      target ≤ 1.3
(g) `neurosim run` of a one-step 784-64-10 exercise: output size (≤ 200 kB) and wall time (≤ 10 s)
(h) a 2-100000-100000-2 exercise (10^10 weights) refused, in a child whose address space is capped at
    1.5 GB: exit 2, one line, wall time                                                target ≤ 1 s
(i) `neurosim gradcheck` (≤ 30 s) and `neurosim explain` (≤ 10 s) of one 784-64-10 step
(j) one fully traced step (trace_step) of 64-64-10 on 32 samples: CPU time per recorded value
    (StepTrace.quantities()), and against the NumPy step; with and without quantities() (the csv path)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def exercise_text(layers, samples: int = 1, mode: str = "online", seed: int = 1) -> str:
    """An exercise file: random inputs in [0, 1), one-hot targets, weights drawn (standard normal)."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(size=(samples, layers[0])).round(4)
    T = np.eye(layers[-1])[rng.integers(layers[-1], size=samples)]
    return (f'title = "{"-".join(map(str, layers))} exercise"\n[network]\nlayers = {list(layers)}\n'
            f'init = "normal"\nseed = {seed}\n[data]\ninputs = {X.tolist()}\ntargets = {T.tolist()}\n'
            f'[training]\nlearning_rate = 0.1\nmode = "{mode}"\n')


def wall(args, repeats: int = 3, **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    """Best wall time of a command run in a fresh interpreter, and its last result."""
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, **kwargs)
        best = min(best, time.perf_counter() - start)
    return best, result


def bench_commands() -> list[tuple[str, float, str, float | None, float, str]]:
    """(g), (h), (i): rows (label, measured, unit, reference or None, target, note)."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mnist.toml"
        path.write_text(exercise_text([784, 64, 10]))
        t_run, result = wall([sys.executable, "-m", "neurosim", "run", str(path)])
        assert result.returncode == 0, result.stderr
        rows.append(("(g) neurosim run 784-64-10, one step: wall time", t_run, "s", None, 10.0, ""))
        rows.append(("(g) neurosim run 784-64-10, one step: output size", len(result.stdout.encode()) / 1000, "kB",
                     None, 200.0, ""))
        huge = Path(tmp) / "huge.toml"
        huge.write_text(exercise_text([2, 2, 2]).replace("[2, 2, 2]", "[2, 100000, 100000, 2]"))
        capped = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20)); "
                  "from neurosim.cli.main import main; sys.exit(main(sys.argv[1:]))")
        t_refuse, result = wall([sys.executable, "-c", capped, "run", str(huge)])
        one_line = result.returncode == 2 and result.stderr.count("\n") == 1 and not result.stdout
        assert one_line, (result.returncode, result.stderr)
        rows.append(("(h) 10^10-weight exercise refused (exit 2, one line), under 1.5 GB", t_refuse, "s", None, 1.0,
                     result.stderr.strip()[len("neurosim: error: "):][:60] + "…"))
        t_grad, result = wall([sys.executable, "-m", "neurosim", "gradcheck", str(path)], repeats=1)
        assert result.returncode == 0, result.stdout[-500:]
        rows.append(("(i) neurosim gradcheck 784-64-10, one step", t_grad, "s", None, 30.0, ""))
        t_explain, result = wall([sys.executable, "-m", "neurosim", "explain", str(path)], repeats=1)
        assert result.returncode == 0, result.stderr
        rows.append(("(i) neurosim explain 784-64-10, one step", t_explain, "s", None, 10.0,
                     f"{len(result.stdout.encode()) / 1000:.0f} kB"))
    return rows


def bench_traced_step() -> list[tuple[str, float, str, float | None, float, str]]:
    """(j): CPU seconds of one traced batch-32 step of 64-64-10 per recorded value, and per NumPy step."""
    import tomllib

    from neurosim.core.step import trace_step
    from neurosim.engines.matrix import MatrixTrainer
    from neurosim.files.exercise import spec_from_dict
    spec = spec_from_dict(tomllib.loads(exercise_text([64, 64, 10], samples=32, mode="batch-mean")))
    samples = spec.samples

    def traced(with_quantities: bool):
        network = spec.build_network()
        trace = trace_step(network, samples, spec.conventions)
        return trace.quantities() if with_quantities else trace

    values = len(traced(True))
    t_trace = _cpu(lambda: traced(False))
    t_all = _cpu(lambda: traced(True))
    trainer = MatrixTrainer(spec.build_network(), spec.conventions)
    X, T = trainer.array(spec.inputs), trainer.array(spec.targets)
    t_numpy = _cpu(lambda: [trainer.step(X, T) for _ in range(100)]) / 100
    return [("(j) traced step 64-64-10 × 32 samples, per recorded value", t_trace / values * 1e6, "µs", None, 0.0,
             f"{values:,} values, {t_trace:.2f} s; {t_trace / t_numpy:,.0f}× the NumPy step"),
            ("(j) the same with quantities() (the csv path), per value", t_all / values * 1e6, "µs", None, 0.0,
             f"{t_all:.2f} s; {t_all / t_numpy:,.0f}× the NumPy step")]


def _cpu(function, repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        function()
        best = min(best, time.process_time() - start)
    return best
