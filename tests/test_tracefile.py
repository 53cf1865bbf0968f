"""The JSON Lines trace: every step's matrices, enough to rebuild the parameters exactly."""

import json

import numpy as np

from neurosim import scenarios
from neurosim.engines.matrix import MatrixTrainer
from neurosim.engines.runner import RunPlan, iterate_run
from neurosim.files.exercise import with_training
from neurosim.files.tracefile import record_run


def test_trace_file_rebuilds_the_run(tmp_path):
    spec = with_training(scenarios.load_scenario("mazur"), update_biases=True)
    path = record_run(spec, tmp_path / "mazur.jsonl", 20)
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    header, steps = lines[0], lines[1:]
    assert len(steps) == 20 and not list(tmp_path.glob(".*partial"))
    assert f'{steps[0]["E_total"]:.9f}' == "0.298371109"  # Mazur's published E_total
    # replay the updates from the recorded matrices alone: W+ = W - η·A_belowᵀ·dZ, B+ = B - η·Σ dZ
    W = [np.array(w) for w in header["W"]]
    B = [np.array(b) for b in header["B"]]
    X = np.array(spec.inputs)
    for step in steps:
        a, b = step["rows"]
        below = X[a:b]
        for l, layer in enumerate(step["layers"]):
            dZ = np.array(layer["dZ"])
            W[l] = W[l] - header["learning_rate"] * (below.T @ dZ)
            B[l] = B[l] - header["learning_rate"] * dZ.sum()
            below = np.array(layer["A"])
    network = spec.build_network()
    list(iterate_run(spec, RunPlan(20, frozenset(), 20), network, engine="neuron"))
    trainer = MatrixTrainer(network, spec.conventions)
    for mine, theirs in zip(W + B, trainer.W + trainer.B):
        assert np.allclose(mine, theirs, rtol=1e-12, atol=0)
