"""Each catalog entry injected into a computation: the diagnosis must name it, with nothing less simple.

For each entry: compute the exercise with the mistake in it, write every quantity as a student
would (9 decimals; K decimals for round-K), check those values against the correct computation
(some must be wrong), and diagnose them.
"""

import copy
import re

import pytest

from neurosim.check.catalog import diagnose, variant_quantities
from neurosim.check.mistakes import BY_ID, CATALOG, apply_mistakes
from neurosim.core.exercise import Expected
from neurosim.engines.runner import RunPlan, choose_engine, iterate_run
from neurosim.files.exercise import spec_from_dict
from neurosim.scenarios import scenario_dict


def mazur(**training):
    data = copy.deepcopy(scenario_dict("mazur"))
    data.pop("published")
    data["training"].update(training)
    return data


def per_neuron_mazur():
    data = mazur(update_biases=True)
    data["network"]["bias"] = "per-neuron"
    data["network"]["biases"] = {"b_h1": 0.35, "b_h2": 0.35, "b_o1": 0.60, "b_o2": 0.60}
    return data


def batch(mode):
    data = mazur(mode=mode, update_biases=True)
    data["data"] = {"inputs": [[0.05, 0.10], [0.9, 0.3]], "targets": [[0.01, 0.99], [0.8, 0.2]]}
    return data


def ruled(rule, steps=2, **training):
    """Mazur's exercise with a learning rule, two steps (what the rule carries shows at step 2)."""
    return mazur(steps=steps, rule=rule, **training)


def conv_exercise(**training):
    """A 2x2 kernel over a 3x3 image, one output (shared weights: the kernel's entries)."""
    return {"network": {"input": [3, 3], "layer": [{"kind": "conv2d", "kernel": 2, "activation": "tanh"},
                                                   {"kind": "flatten"}, {"kind": "dense", "size": 1}],
                        "weights": {"k1_11": 0.4, "k1_12": -0.3, "k1_21": 0.2, "k1_22": 0.1, "w1": 0.5, "w2": -0.6,
                                    "w3": 0.7, "w4": 0.3},
                        "biases": {"b_k1": 0.1, "b_o1": -0.2}},
            "data": {"inputs": [[[0.5, 0.9, 0.1], [0.3, 0.8, 0.2], [0.7, 0.4, 0.6]]], "targets": [[0.9]]},
            "training": training}


def elman_exercise(**training):
    """An Elman network 1-2-1 over three steps, a target at the last one."""
    return {"network": {"input": 1, "layer": [{"kind": "recurrent", "size": 2, "activation": "tanh"},
                                              {"kind": "dense", "size": 1, "activation": "linear"}],
                        "weights": {"w1": 0.5, "w2": 0.3, "w3": -0.2, "w4": -0.4, "w5": 0.6, "w6": 0.1,
                                    "w7": 0.8, "w8": -0.5},
                        "biases": {"b_h1": 0.1, "b_h2": -0.1, "b_o1": 0.05}},
            "data": {"inputs": [[1.0, -0.5, 0.8]], "targets": [[0.4]]}, "training": training}


AFTER_LR = {"name": "momentum", "momentum": 0.9}
ADAM = {"name": "adam"}
SETUPS = {  # an exercise each entry applies to, and changes
    "biases-frozen": mazur(update_biases=True),
    "per-neuron-bias": mazur(update_biases=True),
    "shared-bias": per_neuron_mazur(),
    "mean-over-batch": batch("batch-sum"),
    "sum-over-batch": batch("batch-mean"),
    "momentum-after-lr": ruled({**AFTER_LR, "form": "before-lr"}),
    "momentum-before-lr": ruled(AFTER_LR),
    "momentum-normalized": ruled(AFTER_LR),
    "momentum-gradient-only": ruled(AFTER_LR),
    "buffer-start": ruled({**AFTER_LR, "form": "before-lr", "dampening": 0.5}),
    "dampening-ignored": ruled({**AFTER_LR, "form": "before-lr", "dampening": 0.5}),
    "momentum-lr-swapped": ruled(AFTER_LR),
    "no-bias-correction": ruled(ADAM, learning_rate=0.01),
    "bias-correction-added": ruled({**ADAM, "bias_correction": False}, learning_rate=0.01),
    "eps-other-place": ruled(ADAM, learning_rate=0.01),
    "betas-swapped": ruled(ADAM, learning_rate=0.01),
    "timestep-plus-one": ruled(ADAM, learning_rate=0.01),
    "timestep-minus-one": ruled(ADAM, learning_rate=0.01),
    "state-not-carried": ruled(AFTER_LR),
    "amsgrad-confused": ruled({**ADAM, "amsgrad": True, "betas": [0.9, 0.5]}, steps=3, learning_rate=0.5),
    "nesterov-as-classical": ruled({"name": "nesterov", "momentum": 0.9}),
    "classical-as-nesterov": ruled({**AFTER_LR, "form": "before-lr"}),
    "decay-forgotten": ruled({"name": "adamw", "weight_decay": 0.1}, learning_rate=0.01),
    "decay-coupled": ruled({"name": "adamw", "weight_decay": 0.1}, learning_rate=0.01),
    "decay-decoupled": ruled({"name": "sgd", "weight_decay": 0.1}),
    "decay-on-biases": ruled({"name": "sgd", "weight_decay": 0.1, "decay_biases": False}, update_biases=True),
    "decay-not-on-biases": ruled({"name": "sgd", "weight_decay": 0.1}, update_biases=True),
    "tolerance-ignored": mazur(tolerance=0.3),
    "flat-spot-ignored": mazur(flat_spot=0.1),
    "kernel-flipped": conv_exercise(),
    "kernel-not-flipped": conv_exercise(kernel="convolution"),
    "bptt-truncated-early": elman_exercise(),
    "bptt-truncated-late": elman_exercise(bptt=1),
    "last-time-step-only": elman_exercise(),
    "updated-once-per-sequence": {**elman_exercise(time_update="per_step"),
                                  "data": {"inputs": [[1.0, -0.5, 0.8]], "targets": [[0.4, 0.1, -0.2]]}},
}


def written(value: float, mistake_id: str) -> str:
    k = re.fullmatch(r"(?:round|round-written|round-forward|chop)-(\d+)", mistake_id)
    return f"{value:.{int(k.group(1))}f}" if k else f"{value:.9f}"


def test_catalog_ids_are_stable_kebab_case_and_unique():
    ids = [m.id for m in CATALOG]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)
    required = [f"round-{k}" for k in range(1, 9)] + [
        "sequential-update", "no-activation-derivative", "derivative-of-net", "sign-flipped", "no-learning-rate",
        "factor-2-kept", "mean-over-outputs", "mean-over-batch", "biases-updated", "biases-frozen", "shared-bias",
        "per-neuron-bias", "new-weight-in-dnet-dw", "float32"]
    assert set(required) <= set(ids)
    assert all(m.explanation and "\n" not in m.explanation for m in CATALOG)


def inject(spec, mistakes):
    variant = apply_mistakes(spec, mistakes)
    assert variant is not None, "the entry must apply to its test exercise"
    values = variant_quantities(spec, variant, {spec.steps})[spec.steps]  # the student's last step
    exact = variant_quantities(spec, apply_mistakes(spec, ()), {spec.steps})[spec.steps]
    ids = "+".join(m.id for m in mistakes)
    expected = [Expected(name, None, written(values[name], ids.split("+")[0] if len(mistakes) == 1 else ids))
                for name in exact if name in values]
    return expected


def injectable(mistake_id: str) -> bool:
    """Every entry, and each rounding habit at K = 0..5: at more decimals a habit changes no digit
    of Mazur's values a student writes to K decimals (round-12 has its own test, test_hand_rounding)."""
    k = re.fullmatch(r"(?:round|round-written|round-forward|chop)-(\d+)", mistake_id)
    return k is None or int(k.group(1)) <= 5


@pytest.mark.parametrize("mistake_id", [m.id for m in CATALOG if injectable(m.id)])
def test_injected_mistake_is_diagnosed(mistake_id):
    from neurosim.check.judge import check_values

    spec = spec_from_dict(SETUPS.get(mistake_id, mazur()))
    mistake = BY_ID[mistake_id]
    expected = inject(spec, (mistake,))
    assert check_values(spec, expected).wrong, "the mistake must change some value the student writes"
    diagnosis = diagnose(spec, expected)
    found = [tuple(m.id for m in ex.mistakes) for ex in diagnosis.explanations]
    assert (mistake_id,) in found
    assert all(len(ids) == 1 for ids in found)  # nothing less simple than the mistake itself


def test_a_pair_is_diagnosed_when_no_single_entry_explains():
    spec = spec_from_dict(mazur())
    pair = (BY_ID["sequential-update"], BY_ID["sign-flipped"])
    expected = [Expected(e.name, None, f"{float(e.text):.9f}") for e in inject(spec, pair)]
    diagnosis = diagnose(spec, expected)
    found = [tuple(m.id for m in ex.mistakes) for ex in diagnosis.explanations]
    assert ("sequential-update", "sign-flipped") in found and all(len(ids) == 2 for ids in found)
    assert diagnosis.tried > diagnosis.applicable


def test_no_explanation_says_how_many_were_tried():
    spec = spec_from_dict(mazur())
    diagnosis = diagnose(spec, [Expected("w5+", None, "0.12345")])
    assert diagnosis.explanations == ()
    n = diagnosis.applicable
    assert diagnosis.tried > n  # singles and the pairs of entries that change different things
    assert diagnosis.tried <= n + n * (n - 1) // 2


def test_entries_that_change_nothing_do_not_apply():
    spec = spec_from_dict(mazur(learning_rate=1.0))
    assert apply_mistakes(spec, (BY_ID["no-learning-rate"],)) is None
    assert apply_mistakes(spec, (BY_ID["biases-frozen"],)) is None  # Mazur's are frozen already
    assert apply_mistakes(spec, (BY_ID["round-3"], BY_ID["round-4"])) is None  # same group


@pytest.mark.parametrize("mistake", ["no-activation-derivative", "derivative-of-net", "sign-flipped"])
def test_a_wrapped_activation_or_loss_trains_on_the_objects_at_any_size(mistake):
    """The matrix engine computes its functions by name: a mistake that wraps the activation's
    derivative or the loss must run its untraced steps on the neuron engine, whatever the size
    (a 3-4-2 batch of 3 is past the matrix engine's crossover), giving what the objects give."""
    spec = spec_from_dict({"network": {"layers": [3, 4, 2], "seed": 5, "init": "normal"},
                           "data": {"inputs": [[0.1, -0.4, 0.3], [0.5, 0.2, -0.1], [-0.3, 0.1, 0.9]],
                                    "targets": [[0.2, 0.7], [0.9, 0.1], [0.4, 0.4]]},
                           "training": {"mode": "batch-sum", "learning_rate": 0.1, "steps": 10}})
    assert choose_engine(spec) == "matrix"
    variant = apply_mistakes(spec, (BY_ID[mistake],))
    results = []
    for engine in ("auto", "neuron"):
        network, _ = variant.build(spec)
        list(iterate_run(spec, RunPlan(10, frozenset(), 11), network, engine=engine,
                         conventions=variant.engine_conventions))
        results.append(network.parameters())
    assert results[0] == results[1]
