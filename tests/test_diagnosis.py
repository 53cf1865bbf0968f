"""The diagnosis's search (check/diagnose.py): what it skips, what it stops early, what it trains side by
side — each must leave the explanations as a full search finds them."""

import pytest

from neurosim.check.catalog import applies, diagnose, variant_quantities
from neurosim.check.judge import HAND_WEIGHTS, check_values
from neurosim.check.mistakes import BY_ID, CATALOG, apply_mistakes
from neurosim.core.exercise import Expected
from neurosim.files.exercise import spec_from_dict
from neurosim.scenarios import scenario_dict

STEPS = 300
XOR = {"network": {"layers": [2, 2, 1], "bias": "shared", "seed": 3},
       "data": {"inputs": [[0, 0], [0, 1], [1, 0], [1, 1]], "targets": [[0], [1], [1], [0]]},
       "training": {"mode": "batch-sum", "learning_rate": 0.5, "steps": STEPS}}


def written_under(spec, mistakes, names, decimals=7, step=STEPS):
    """The values a student would write at `step` having made `mistakes` (the traced objects
    compute them, one variant on its own — not the side-by-side engine under test)."""
    values = variant_quantities(spec, apply_mistakes(spec, mistakes), {step})[step]
    return [Expected(n, step, f"{float(values[n]):.{decimals}f}") for n in names]


@pytest.mark.parametrize("ids", [("sign-flipped",), ("mean-over-batch",), ("per-neuron-bias",),
                                 ("no-activation-derivative", "mean-over-batch"), ("biases-frozen",)])
def test_mistakes_in_a_long_run_are_found(ids):
    spec = spec_from_dict(XOR)
    expected = written_under(spec, tuple(BY_ID[i] for i in ids), ["E_total", "w1+", "w5+", "b1+", "out_o1[2]"])
    result = check_values(spec, expected)
    assert result.wrong
    found = [tuple(m.id for m in ex.mistakes) for ex in diagnose(spec, result.internal).explanations]
    assert ids in found and all(len(f) == len(ids) for f in found)


def test_a_value_no_mistake_can_reach_is_not_searched_for_among_them():
    """A wrong out_h1 of the first step: only the arithmetic can change a forward value, so the
    learning rate, signs, derivatives … are skipped, not run (and nothing explains 0.1)."""
    spec = spec_from_dict({**scenario_dict("mazur"), "published": []})
    diagnosis = diagnose(spec, [Expected("out_h1", None, "0.1"), Expected("w5+", None, "0.35891648")])
    assert diagnosis.explanations == () and diagnosis.skipped > 0
    singles = [m for m in CATALOG if applies(m, spec, [Expected("out_h1", None, "0.1")], 1)]
    assert diagnosis.tried < len(singles) + len(singles) * (len(singles) - 1) // 2


def test_pairs_decided_by_their_members_are_not_run_but_a_real_pair_is_found():
    """Mazur's values worked with the sequential update and a flipped sign: the pair is found, though
    most pairs are decided by their members' single runs and skipped."""
    spec = spec_from_dict({**scenario_dict("mazur"), "published": []})
    pair = (BY_ID["sequential-update"], BY_ID["sign-flipped"])
    values = variant_quantities(spec, apply_mistakes(spec, pair), {1})[1]
    expected = [Expected(n, None, f"{float(values[n]):.9f}") for n in ("out_o1", "delta_o1", "dE/dout_h1", "w1+",
                                                                       "w5+")]
    diagnosis = diagnose(spec, expected)
    assert [tuple(m.id for m in ex.mistakes) for ex in diagnosis.explanations] == [("sequential-update",
                                                                                   "sign-flipped")]
    assert diagnosis.skipped > 0


def test_rounding_habits_are_tried_on_exercises_of_hand_size():
    wide = spec_from_dict({"network": {"layers": [40, 30, 2], "seed": 1}, "data": {"inputs": [[0.5] * 40],
                                                                                "targets": [[0.1, 0.9]]}})
    assert sum(a * b for a, b in zip(wide.layers, wide.layers[1:])) > HAND_WEIGHTS
    expected = [Expected("out_o1", None, "0.123")]
    assert not applies(BY_ID["round-3"], wide, expected, 1)
    assert applies(BY_ID["float32"], wide, expected, 1)  # a program's habit: tried at any size
    mazur = spec_from_dict({**scenario_dict("mazur"), "published": []})
    assert applies(BY_ID["round-4"], mazur, expected, 1)  # one decimal finer than 0.123 …
    assert not applies(BY_ID["round-5"], mazur, expected, 1)  # … but not two
    assert not applies(BY_ID["round-4"], mazur, expected, 101)  # nobody rounds by hand for 101 steps
