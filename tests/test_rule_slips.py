"""Every learning-rule slip the catalog knows, as a deliberately broken hand calculation: the numbers
a student with that slip writes, computed here independently (tests/rule_reference.py: Mazur's
network in NumPy and the published rules as plain loops, the slip written in), checked against the
exercise: some must be wrong, and `diagnose` (neurosim check --diagnose) must name the slip."""

import copy

import pytest

from neurosim.check.catalog import diagnose
from neurosim.check.judge import check_values
from neurosim.cli.main import main
from neurosim.core.exercise import Expected
from neurosim.files.exercise import spec_from_dict
from neurosim.scenarios import scenario_dict

from . import rule_reference as ref
from .exercises import MAZUR_NETWORK_TOML

WEIGHTS = tuple(f"w{k}" for k in range(1, 9))
ALL = WEIGHTS + ("b1", "b2")
MU, LR = 0.9, 0.5


def exercise(rule=None, steps=2, **training):
    data = copy.deepcopy(scenario_dict("mazur"))
    data.pop("published")
    data["training"].update(steps=steps, **training)
    if rule is not None:
        data["training"]["rule"] = rule
    return data


def written(history, names=("w5", "w1", "w8"), step=None):
    """The student's parameters after the last step (or `step`), written to 9 decimals."""
    step = step or len(history)
    return [Expected(f"{n}+", step, f"{history[step - 1][n]:.9f}") for n in names]


MOMENTUM = {"name": "momentum", "momentum": MU}
PYTORCH = {**MOMENTUM, "form": "before-lr"}
ADAM = {"name": "adam"}
CASES = {  # slip id: (the exercise, what the student wrote)
    "momentum-normalized": (exercise(PYTORCH), written(ref.train(ref.momentum_normalized(LR, MU), 2))),
    "momentum-gradient-only": (exercise(MOMENTUM, steps=3),
                               written(ref.train(ref.momentum_gradient_only(LR, MU), 3))),
    "momentum-lr-swapped": (exercise(MOMENTUM), written(ref.train(ref.momentum_after_lr(MU, LR), 2))),
    "buffer-start": (exercise({**PYTORCH, "dampening": 0.5}),
                     written(ref.train(ref.momentum_pytorch(LR, MU, 0.5, start_at_gradient=False), 2))),
    "dampening-ignored": (exercise({**PYTORCH, "dampening": 0.5}, steps=3),
                          written(ref.train(ref.momentum_pytorch(LR, MU), 3))),
    "state-not-carried": (exercise(MOMENTUM), written(ref.train(ref.momentum_after_lr(LR, 0.0), 2))),
    "no-bias-correction": (exercise(ADAM, learning_rate=0.01),
                           written(ref.train(ref.adam(0.01, correction=False), 2))),
    "eps-other-place": (exercise(ADAM, learning_rate=0.01), written(ref.train(ref.adam(0.01, eps_hat=True), 2))),
    "betas-swapped": (exercise(ADAM, learning_rate=0.01), written(ref.train(ref.adam(0.01, 0.999, 0.9), 2))),
    "timestep-plus-one": (exercise(ADAM, learning_rate=0.01), written(ref.train(ref.adam(0.01, t_shift=1), 2))),
    "timestep-minus-one": (exercise(ADAM, learning_rate=0.01),
                           written(ref.train(ref.adam(0.01, t_shift=-1), 2))),
    "amsgrad-confused": (exercise({**ADAM, "amsgrad": True, "betas": [0.9, 0.5]}, steps=3, learning_rate=0.5),
                         written(ref.train(ref.adam(0.5, 0.9, 0.5), 3))),
    "decay-coupled": (exercise({"name": "adamw", "weight_decay": 0.1}, learning_rate=0.01),
                      written(ref.train(ref.adam(0.01, weight_decay=0.1), 2))),
    "decay-decoupled": (exercise({"name": "sgd", "weight_decay": 0.1}),
                        written(ref.train(ref.sgd_decay(LR, 0.1, coupled=False), 2))),
    "decay-on-biases": (exercise({"name": "sgd", "weight_decay": 0.1, "decay_biases": False}, update_biases=True),
                        written(ref.train(ref.sgd_decay(LR, 0.1), 2, ALL), ("w5", "w1", "b1", "b2"))),
    "tolerance-ignored": (exercise(steps=1, tolerance=0.3),
                          written(ref.train(ref.momentum_after_lr(LR, 0.0), 1))),
    "flat-spot-ignored": (exercise(steps=1, flat_spot=0.1), written(ref.train(ref.momentum_after_lr(LR, 0.0), 1))),
}


def test_the_student_values_of_the_pytorch_form_are_right():
    """The reference is right where the student is: PyTorch's form, as the exercise asks, is correct."""
    spec = spec_from_dict(exercise(PYTORCH, steps=3))
    result = check_values(spec, written(ref.train(ref.momentum_pytorch(LR, MU), 3)))
    assert not result.wrong


@pytest.mark.parametrize("slip", sorted(CASES))
def test_every_slip_is_named(slip):
    data, expected = CASES[slip]
    spec = spec_from_dict(data)
    assert check_values(spec, expected).wrong, "the slip must make some written value wrong"
    found = [ex.ids for ex in diagnose(spec, expected).explanations]
    assert slip in found, found


EXERCISE = MAZUR_NETWORK_TOML + """
[training]
learning_rate = 0.5
steps = 2
update_biases = false

[training.rule]
name = "momentum"
momentum = 0.9

[expect]
"""


def test_a_student_who_writes_pytorchs_buffer_in_an_after_lr_exercise(tmp_path, capsys):
    """An exercise in the after-lr form; the student writes PyTorch's buffer v_w5 (the weights agree,
    only v differs): `neurosim check --diagnose` names the form."""
    history = ref.train(ref.momentum_pytorch(LR, MU), 2)
    update, state = ref.momentum_pytorch(LR, MU), {}
    for t, p in ((1, ref.MAZUR), (2, history[0])):  # the reference's own buffer of w5
        update(t, "w5", p["w5"], float(ref.gradients(p)["w5"]), state)
    path = tmp_path / "exercise.toml"
    path.write_text(EXERCISE + f'"v_w5@2" = "{state["b"]:.9f}"\n"w5+@2" = "{history[1]["w5"]:.9f}"\n')
    code = main(["check", str(path), "--diagnose"])
    out = capsys.readouterr().out
    assert code == 1
    assert "momentum-before-lr" in out and "w5+@2" in out
