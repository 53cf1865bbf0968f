"""The candidate engine (engines/candidates.py) against the neuron-level engine: every catalog entry
it runs, alone and in pairs, trained side by side, must give the parameters the traced step's
objects give when the same variant is trained on its own (to rounding: the sums run in another
order), and a run that diverges must be marked so."""

import itertools
import math

import numpy as np
import pytest

from neurosim.check.mistakes import CATALOG, apply_mistakes
from neurosim.engines.candidates import CandidateBatch
from neurosim.engines.runner import RunPlan, iterate_run, step_batches
from neurosim.files.exercise import spec_from_dict

SETUPS = {
    "xor-batch-sum": {"network": {"layers": [2, 2, 1], "bias": "shared", "seed": 3},
                      "data": {"inputs": [[0, 0], [0, 1], [1, 0], [1, 1]], "targets": [[0], [1], [1], [0]]},
                      "training": {"mode": "batch-sum", "learning_rate": 0.5, "update_biases": True}},
    "mazur-online": {"network": {"layers": [2, 2, 2], "bias": "shared",
                                 "weights": [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55], "biases": [0.35, 0.6]},
                     "data": {"inputs": [[0.05, 0.1], [0.9, 0.3]], "targets": [[0.01, 0.99], [0.8, 0.2]]},
                     "training": {"update_biases": False}},
    "tanh-mean-per-neuron": {"network": {"layers": [3, 4, 2], "activations": ["tanh", "sigmoid"],
                                         "bias": "per-neuron", "seed": 5, "init": "normal"},
                             "data": {"inputs": [[0.1, -0.4, 0.3], [0.5, 0.2, -0.1], [-0.3, 0.1, 0.9]],
                                      "targets": [[0.2, 0.7], [0.9, 0.1], [0.4, 0.4]]},
                             "training": {"mode": "batch-mean", "learning_rate": 0.3, "loss": "sse"}},
    "softmax-cce": {"network": {"layers": [2, 3, 3], "activations": ["relu", "softmax"], "bias": "per-neuron",
                                "seed": 2, "init": "normal"},
                    "data": {"inputs": [[0.5, -1.0], [1.5, 0.2]], "targets": [[1, 0, 0], [0, 0, 1]]},
                    "training": {"mode": "batch-sum", "loss": "cce", "learning_rate": 0.1}},
}
STEPS = 40


def by_objects(spec, variant, steps=STEPS):
    network, _ = variant.build(spec)
    list(iterate_run(spec, RunPlan(steps, frozenset(), steps + 1), network, conventions=variant.engine_conventions))
    return network.parameters()


@pytest.mark.parametrize("name", SETUPS)
def test_side_by_side_equals_one_by_one(name):
    spec = spec_from_dict({**SETUPS[name], "training": {**SETUPS[name]["training"], "steps": STEPS}})
    singles = [m for m in CATALOG if apply_mistakes(spec, (m,)) is not None]
    variants = [v for combo in itertools.chain([()], ((m,) for m in singles), itertools.combinations(singles, 2))
                if (v := apply_mistakes(spec, combo)) is not None and v.batchable
                and v.conventions.arithmetic.dtype == "float64"]
    built = [v.build(spec)[0] for v in variants]
    batch = CandidateBatch(built, [v.knobs(spec) for v in variants], spec.conventions.loss)
    batch.run(np.array(spec.inputs, dtype=float), np.array(spec.targets, dtype=float), step_batches(spec, STEPS))
    for c, (variant, network) in enumerate(zip(variants, built)):
        if not batch.alive[c]:
            continue
        batch.store_into(c, network, float)
        expected = by_objects(spec, variant)
        got = network.parameters()
        scale = max(1.0, max(abs(v) for v in expected.values()))
        for key, value in expected.items():
            assert math.isclose(got[key], value, rel_tol=1e-9, abs_tol=1e-9 * scale), (variant, key, got[key], value)
    assert len(variants) > 10


def test_a_diverging_candidate_is_marked():
    xor = SETUPS["xor-batch-sum"]
    spec = spec_from_dict({**xor, "network": {**xor["network"], "activations": "linear"},
                           "training": {"mode": "batch-sum", "learning_rate": 10}})
    variant = apply_mistakes(spec, ())
    batch = CandidateBatch([variant.build(spec)[0]], [variant.knobs(spec)], "half_sse")
    batch.run(np.array(spec.inputs, dtype=float), np.array(spec.targets, dtype=float), step_batches(spec, 200))
    assert not batch.alive[0]


def test_a_saturated_output_trains_on_the_combined_delta_as_the_objects_do():
    """sigmoid + bce with the output at exactly 1.0 (net ≈ 45) for targets 0: dE/dout = 1/(out·(1-out))
    is infinite, the combined delta out - target is not (core/combined.py). The candidate engine must
    train the unchanged exercise on it as the objects do (it died of inf·0 before), and a candidate
    whose derivative is left out keeps the factor form, as the objects do."""
    spec = spec_from_dict({
        "network": {"layers": [2, 2, 1], "bias": "per-neuron", "weights": [0.5, -0.4, 0.3, 0.8, 20, 20],
                    "biases": [0.1, -0.2, 25]},
        "data": {"inputs": [[0, 0], [0, 1], [1, 0], [1, 1]], "targets": [[0], [1], [1], [0]]},
        "training": {"loss": "bce", "mode": "batch-sum", "learning_rate": 0.05, "steps": 12}})
    plain = apply_mistakes(spec, ())
    network = plain.build(spec)[0]
    assert network.evaluate([0, 0])[0] == 1.0  # saturated: the factor form divides by 1 - out = 0
    variants = [plain] + [v for m in CATALOG if (v := apply_mistakes(spec, (m,))) is not None and v.batchable
                          and v.derivative != "normal"]
    built = [v.build(spec)[0] for v in variants]
    batch = CandidateBatch(built, [v.knobs(spec) for v in variants], "bce")
    batch.run(np.array(spec.inputs, dtype=float), np.array(spec.targets, dtype=float), step_batches(spec, 12))
    assert batch.alive[0] and len(variants) > 1
    for c, (variant, net) in enumerate(zip(variants, built)):
        if not batch.alive[c]:
            continue
        batch.store_into(c, net, float)
        expected, got = by_objects(spec, variant, 12), net.parameters()
        for key, value in expected.items():
            assert math.isclose(got[key], value, rel_tol=1e-9, abs_tol=1e-9), (variant, key, got[key], value)
