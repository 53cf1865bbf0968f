"""Where the matrix engine overtakes the neuron loop: `python bench/engine_crossover.py`.

For networks of several shapes and steps of 1 to 64 samples, the time of an untraced step on the
neuron loop (engines/neuron_loop.py: the written-out step for one sample, the loops for a batch)
and on the matrix engine (engines/matrix.py), each the best of several repeats of 200 steps, in one
process. It prints the ratio and, per shape, the smallest batch from which the matrix engine is
faster; runner.choose_engine's rule (MATRIX_MIN_PRODUCTS weight·sample products per step, and
ONLINE_MIN_WEIGHTS for one-sample steps) is set from these crossovers.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small matrices on a shared 2-core machine
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from neurosim import Conventions, build_network
from neurosim.engines.matrix import MatrixTrainer
from neurosim.engines.neuron_loop import NeuronLoop, float_samples
from neurosim.engines.runner import choose_engine

SHAPES = ([2, 2, 2], [2, 4, 1], [4, 8, 3], [8, 16, 4], [16, 32, 8], [64, 32, 10], [2, 100, 2])
BATCHES = (1, 2, 4, 8, 16, 32, 64)
STEPS = 200


def best(function, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return min(times)


def per_step(sizes, batch: int) -> tuple[float, float]:
    """(neuron loop, matrix engine) seconds per step of `batch` samples."""
    rng = np.random.default_rng(1)
    network = build_network(sizes, "sigmoid", rng=rng, init="normal")
    X = rng.uniform(size=(batch, sizes[0]))
    T = rng.uniform(size=(batch, sizes[-1]))
    conv = Conventions(learning_rate=0.01, mode="online" if batch == 1 else "batch-sum")
    data = float_samples(list(zip(X.tolist(), T.tolist())))
    batches = [(0, batch)] * STEPS
    t_loop = best(lambda: NeuronLoop(network, conv).run(data, batches))
    t_matrix = best(lambda: MatrixTrainer(network, conv).run(X, T, batches))
    return t_loop / STEPS, t_matrix / STEPS


def main() -> None:
    print(f"{'shape':<12} {'weights':>7}  " + "  ".join(f"{b:>6}" for b in BATCHES) + "   crossover  chosen from")
    for sizes in SHAPES:
        weights = sum(a * b for a, b in zip(sizes, sizes[1:]))
        ratios, crossover = [], None
        for batch in BATCHES:
            loop, matrix = per_step(sizes, batch)
            ratios.append(loop / matrix)
            if crossover is None and matrix < loop:
                crossover = batch
        chosen = next((b for b in BATCHES if _chosen(sizes, b) == "matrix"), None)
        print(f"{'-'.join(map(str, sizes)):<12} {weights:>7}  " + "  ".join(f"{r:6.2f}" for r in ratios)
              + f"   {crossover if crossover else '> 64':>9}  {chosen if chosen else '> 64':>11}")
    print("\nratio: neuron-loop time / matrix time per step (> 1: the matrix engine is faster)")


def _chosen(sizes, batch: int) -> str:
    from neurosim.files.exercise import spec_from_dict
    spec = spec_from_dict({"network": {"layers": sizes, "seed": 1},
                           "data": {"inputs": [[0.0] * sizes[0]] * max(batch, 2),
                                    "targets": [[0.0] * sizes[-1]] * max(batch, 2)},
                           "training": {"mode": "online" if batch == 1 else "batch-sum"}})
    if batch > 1:
        from neurosim.files.exercise import with_training
        spec = with_training(spec, batch_size=batch) if batch < len(spec.inputs) else spec
    return choose_engine(spec)


if __name__ == "__main__":
    main()
