"""Every learning rule on every engine: the neuron loop (the step written out per shape, and the
loops of larger networks and batches) is identical to the traced step to the last bit, the matrix
engine agrees to 1e-12 relative, and a run that switches between traced and untraced steps (and
between engines) carries the rule's state across. Frozen biases never change under any rule."""

import attrs
import numpy as np
import pytest

from neurosim import Conventions, build_network, trace_step
from neurosim.core.rules import rule_config
from neurosim.engines import neuron_loop
from neurosim.engines.matrix import MatrixTrainer
from neurosim.engines.neuron_loop import NeuronLoop
from neurosim.engines.runner import RunPlan, iterate_run
from neurosim.files.exercise import spec_from_dict

RULES = [
    ("sgd", {"weight_decay": 0.01}), ("sgd", {"weight_decay": 0.05, "decay": "decoupled", "decay_biases": False}),
    ("momentum", {}), ("momentum", {"form": "before-lr", "dampening": 0.2}),
    ("momentum", {"form": "normalized", "weight_decay": 0.01, "decay": "decoupled"}),
    ("momentum", {"form": "gradient-only"}), ("momentum", {"form": "before-lr", "buffer_start": "zero"}),
    ("nesterov", {"weight_decay": 0.01}), ("adagrad", {"lr_decay": 0.05}),
    ("rmsprop", {"centered": True, "momentum": 0.3}), ("adam", {}), ("adam", {"eps_form": "uncorrected"}),
    ("adam", {"amsgrad": True, "bias_correction": False}), ("adamw", {}),
    ("rprop", {}), ("rprop", {"variant": "rprop+"}), ("rprop", {"variant": "irprop+"}),
    ("rprop", {"variant": "rprop-"}),
    ("quickprop", {"weight_decay": 1e-4}),
]
IDS = [f"{name}-{'-'.join(f'{k}={v}' for k, v in params.items())}" for name, params in RULES]
# the neuron loop writes a step out for up to UNROLL_MAX_WEIGHTS weights and loops beyond: LARGE is a
# small network run with that threshold lowered under it, so that the loops (the same code at any size)
# are checked against every rule in a fraction of the time a network of 1,000 weights takes
WIDE, LARGE = [4, 3, 2], [7, 6, 3]


def case(sizes, bias, seed=5):
    rng = np.random.default_rng(seed)
    network = build_network(sizes, ["tanh", "sigmoid"], bias_mode=bias, rng=rng, init="normal")
    samples = [(tuple(float(v) for v in rng.normal(size=sizes[0])),
                tuple(float(v) for v in rng.uniform(0.1, 0.9, size=sizes[-1]))) for _ in range(3)]
    return network, samples


@pytest.mark.parametrize("rule", RULES, ids=IDS)
@pytest.mark.parametrize("sizes", [WIDE, LARGE], ids=["written-out", "loops"])
@pytest.mark.parametrize("order", ["simultaneous", "sequential"])
def test_neuron_loop_is_identical_to_the_traced_step(rule, sizes, order, monkeypatch):
    monkeypatch.setattr(neuron_loop, "UNROLL_MAX_WEIGHTS", 50)
    network, samples = case(sizes, "shared" if order == "simultaneous" else "per-neuron")
    conv = Conventions(learning_rate=0.1, order=order, rule=rule_config(*rule), flat_spot=0.05, tolerance=0.02)
    traced, traced_rule = network.copy(), conv.make_rule()
    loop = NeuronLoop(network, conv)
    assert loop.unrolled == (sizes is WIDE)
    for k in range(1, 9):
        batch = [samples[k % len(samples)]]
        assert loop.step(batch, k) == trace_step(traced, batch, conv, step=k, rule=traced_rule).E_total
    loop.store_into(network)
    assert network.parameters() == traced.parameters()
    assert loop.rule.state == traced_rule.state


@pytest.mark.parametrize("rule", RULES, ids=IDS)
@pytest.mark.parametrize("mode", ["batch-sum", "batch-mean"])
def test_batch_steps_identical_and_matrix_engine_within_1e_12(rule, mode):
    network, samples = case(WIDE, "per-neuron", seed=9)
    conv = Conventions(learning_rate=0.05, mode=mode, rule=rule_config(*rule), update_biases=True)
    traced, traced_rule = network.copy(), conv.make_rule()
    matrix_net = network.copy()
    matrix = MatrixTrainer(matrix_net, conv)
    X, T = matrix.array([x for x, _ in samples]), matrix.array([t for _, t in samples])
    loop = NeuronLoop(network, conv)
    steps = 4 if rule[0] in ("rprop", "quickprop") else 8  # their branches amplify 1e-16 differences
    for k in range(1, steps + 1):
        e = trace_step(traced, samples, conv, step=k, rule=traced_rule).E_total
        assert loop.step(samples, k) == e
        assert matrix.step(X, T) == pytest.approx(e, rel=1e-12)
    loop.store_into(network)
    matrix.store_into(matrix_net)
    assert network.parameters() == traced.parameters()
    ours, theirs = traced.parameters(), matrix_net.parameters()
    for name, value in ours.items():
        assert theirs[name] == pytest.approx(value, rel=1e-12, abs=1e-15), name


def exercise(rule, steps, **training):
    return spec_from_dict({
        "network": {"layers": [3, 4, 2], "activations": ["tanh", "sigmoid"], "bias": "shared", "seed": 4,
                    "init": "normal"},
        "data": {"inputs": [[0.5, -1.0, 0.25], [0.1, 0.2, -0.3]], "targets": [[0.2, 0.8], [0.7, 0.1]]},
        "training": {"learning_rate": 0.1, "steps": steps, "update_biases": True, "rule": rule, **training},
    })


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_runs_carry_the_state_across_traced_untraced_and_matrix_steps(rule):
    name, params = rule
    spec = exercise({"name": name, **{k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}},
                    60, mode="batch-sum")
    every = spec.build_network()
    for _ in iterate_run(spec, RunPlan(60, frozenset(range(1, 61)), 100), every):
        pass
    for engine, traced in (("neuron", frozenset({5, 30})), ("matrix", frozenset({5, 30}))):
        network = spec.build_network()
        for _ in iterate_run(spec, RunPlan(60, traced, 100), network, engine=engine):
            pass
        if engine == "neuron":
            assert network.parameters() == every.parameters()
        elif name not in ("rprop", "quickprop"):  # (their sign tests amplify the matrix engine's 1e-16)
            for key, value in every.parameters().items():
                assert network.parameters()[key] == pytest.approx(value, rel=1e-10, abs=1e-13), key


def test_state_given_before_step_1_is_used_by_every_engine():
    rule = {"name": "adam", "state": {"m_w1": 0.05, "v_w1": 0.002, "t": 3}}
    spec = exercise(rule, 5, mode="batch-sum")
    q = {}
    for record in iterate_run(spec, RunPlan(5, frozenset({1, 5}), 100)):
        if hasattr(record, "quantities"):
            q[record.step] = record.quantities()
    g = q[1]["dE/dw1"]
    assert q[1]["m_w1"] == pytest.approx(0.9 * 0.05 + 0.1 * g, rel=1e-15)
    assert q[1]["mhat_w1"] == pytest.approx(q[1]["m_w1"] / (1 - 0.9 ** 4), rel=1e-15)  # t = 3 + 1
    fresh = exercise({"name": "adam"}, 5, mode="batch-sum")
    assert next(iter(iterate_run(fresh, RunPlan(1, frozenset({1}), 9)))).quantities()["w1+"] != q[1]["w1+"]
    results = []
    for engine in ("neuron", "matrix"):
        network = spec.build_network()
        for _ in iterate_run(spec, RunPlan(5, frozenset({2}), 100), network, engine=engine):
            pass
        results.append(network.parameters())
    for key, value in results[0].items():
        assert results[1][key] == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_frozen_biases_never_change(rule):
    network, samples = case(WIDE, "shared")
    conv = Conventions(learning_rate=0.1, update_biases=False, rule=rule_config(*rule))
    before = [b.value for b in network.biases]
    learner = conv.make_rule()
    for k in range(1, 4):
        trace = trace_step(network, samples[:1], conv, step=k, rule=learner)
    assert [b.value for b in network.biases] == before
    assert all(u.new == u.old and u.change == 0 for u in trace.updates if u.kind == "bias")
    assert all(b.name not in learner.state for b in network.biases)


@pytest.mark.parametrize("arithmetic", [{"round": 4}, {"dtype": "float32"}])
def test_hand_rounding_and_float32_with_a_rule(arithmetic):
    """Traced and untraced steps agree (both on the objects, every quantity through keep)."""
    spec = exercise({"name": "momentum", "momentum": 0.9}, 6, **arithmetic)
    all_traced, some = spec.build_network(), spec.build_network()
    for _ in iterate_run(spec, RunPlan(6, frozenset(range(1, 7)), 100), all_traced):
        pass
    for _ in iterate_run(spec, RunPlan(6, frozenset({3}), 100), some):
        pass
    assert all_traced.parameters() == some.parameters()
    trace = next(iter(iterate_run(spec, RunPlan(1, frozenset({1}), 9))))
    if "round" in arithmetic:
        assert all(round(r.value, 4) == r.value for u in trace.updates for r in u.rule)


def test_a_rule_that_diverges_names_the_step():
    from neurosim.errors import TrainingDiverged
    spec = spec_from_dict({
        "network": {"layers": [2, 3], "activations": "linear", "bias": "per-neuron", "seed": 1},
        "data": {"inputs": [[1.0, 2.0], [0.5, -1.0]], "targets": [[0.1, 0.2, 0.3], [0.0, 0.5, 1.0]]},
        "training": {"loss": "sse", "learning_rate": 10.0, "steps": 300, "mode": "batch-sum", "update_biases": True,
                     "rule": {"name": "momentum", "momentum": 0.9}},
    })
    for engine in ("neuron", "matrix"):
        with pytest.raises(TrainingDiverged, match="training stopped at step"):
            for _ in iterate_run(spec, RunPlan(300, frozenset(), 1000), engine=engine):
                pass


def test_conventions_evolve_keeps_rule_checks():
    conv = Conventions(rule=rule_config("adam"))
    assert attrs.evolve(conv, learning_rate=0.01).rule.name == "adam"
