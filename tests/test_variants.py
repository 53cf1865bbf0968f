"""`neurosim variants`: N exercises from one template, the same network and conventions, new
hand-friendly numbers, reproducible from (template, seed, index), none degenerate, none repeated.

The done-when of issue 10: 30 variants of Mazur's example, all distinct and non-degenerate —
checked here with a NumPy re-implementation of Mazur's 2-2-2 step (his blog's formulas), not with
neurosim's own trace.
"""

import copy
import tomllib
from decimal import Decimal

import numpy as np
import pytest

from neurosim import NeurosimError
from neurosim.cli import main
from neurosim.files.degeneracy import degeneracy
from neurosim.files.exercise import load_spec, spec_from_dict
from neurosim.files.variants import make_variants
from neurosim.scenarios import export_text, load_scenario, scenario_dict


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def mazur_step(p, x, t, lr):
    """Mazur's step in matrix form: outputs of both layers and the weight gradients (η·dE/dw)."""
    w1 = np.array([[p["w1"], p["w2"]], [p["w3"], p["w4"]]])  # row j: the weights into h_j
    w2 = np.array([[p["w5"], p["w6"]], [p["w7"], p["w8"]]])
    h = sigmoid(w1 @ x + p["b1"])
    o = sigmoid(w2 @ h + p["b2"])
    delta_o = -(t - o) * o * (1 - o)
    delta_h = (w2.T @ delta_o) * h * (1 - h)
    return h, o, lr * np.outer(delta_h, x), lr * np.outer(delta_o, h)


def on_grid(value, low, high, step):
    v = Decimal(repr(value))
    return Decimal(low) <= v <= Decimal(high) and (v - Decimal(low)) % Decimal(step) == 0


@pytest.fixture(scope="module")
def mazur_variants(tmp_path_factory):
    directory = tmp_path_factory.mktemp("variants")
    assert main(["variants", "mazur", "--count", "30", "--seed", "7", "-o", str(directory)]) == 0
    return directory


def test_thirty_variants_of_mazur_are_distinct_non_degenerate_and_hand_friendly(mazur_variants):
    files = sorted(mazur_variants.iterdir())
    assert [f.name for f in files] == [f"v{k:02d}.toml" for k in range(1, 31)]
    mazur = load_scenario("mazur")
    givens = set()
    for path in files:
        spec = load_spec(path)
        assert spec.variant == path.stem
        for field in ("layers", "activations", "bias", "conventions", "steps", "targets"):
            assert getattr(spec, field) == getattr(mazur, field), field
        p = spec.build_network().parameters()
        assert all(on_grid(p[name], "0.05", "0.95", "0.05") for name in p)
        (x,), (t,) = spec.inputs, spec.targets
        assert all(on_grid(v, "0.01", "0.99", "0.01") for v in x)
        givens.add(tuple(p.values()) + x)
        h, o, g1, g2 = mazur_step(p, np.array(x), np.array(t), 0.5)
        slopes = np.concatenate([h * (1 - h), o * (1 - o)])
        assert slopes.min() >= 0.05 * 0.25, f"{path.name}: a saturated neuron"
        assert np.abs(np.concatenate([g1.ravel(), g2.ravel()])).min() >= 1e-6, f"{path.name}: a vanishing update"
    assert len(givens) == 30


def test_a_variant_is_a_clean_exercise_file_with_the_templates_comments(mazur_variants):
    text = (mazur_variants / "v01.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert data["variant"] == "v01"
    assert not {"published", "expect", "description", "variants"} & set(data)
    assert "w1 = " in text and "# i1 → h1" in text and "# shared by h1, h2" in text
    assert "# η in w+ = w - η·dE/dw" in text and "# Neurons: inputs i1, i2; hidden h1, h2; outputs o1, o2." in text
    assert text.startswith("# Variant v01 of mazur, drawn by `neurosim variants` (seed 7, variant 1).")


def test_variants_are_reproducible_and_independent_of_the_count(tmp_path):
    first = make_variants(scenario_dict("mazur"), 12, 3, source="mazur", template_text=export_text("mazur"))
    again = make_variants(scenario_dict("mazur"), 5, 3, source="mazur", template_text=export_text("mazur"))
    other = make_variants(scenario_dict("mazur"), 5, 4, source="mazur", template_text=export_text("mazur"))
    assert [v.text for v in first[:5]] == [v.text for v in again]
    assert [v.spec.weights for v in other] != [v.spec.weights for v in again]


def test_only_what_the_variants_table_names_varies():
    data = copy.deepcopy(scenario_dict("mazur"))
    data["variants"] = {"learning_rate": {"values": [0.1, 0.25]}, "targets": {"min": 0.1, "max": 0.9, "step": 0.1},
                        "description": "Mazur's network, other targets."}
    mazur = load_scenario("mazur")
    variants = make_variants(data, 6, 1)
    for v in variants:
        assert v.spec.weights == mazur.weights and v.spec.biases == mazur.biases and v.spec.inputs == mazur.inputs
        assert v.spec.conventions.learning_rate in (0.1, 0.25)
        assert all(on_grid(t, "0.1", "0.9", "0.1") for t in v.spec.targets[0])
        assert v.spec.description == "Mazur's network, other targets."
    assert len({(v.spec.targets, v.spec.conventions.learning_rate) for v in variants}) == 6


def tiny(**variants):
    """A 1-1-1 network whose only varying numbers are its two weights."""
    return {"network": {"layers": [1, 1, 1], "bias": "none", "weights": [0.5, 0.5]},
            "data": {"inputs": [[0.5]], "targets": [[0.9]]},
            "variants": {"weights": {"values": [0.0, 0.5]}, **variants}}


def test_degenerate_and_repeated_draws_are_drawn_again_and_a_hopeless_template_says_so():
    # w2 = 0 gives dE/dw1 = 0; of the four (w1, w2) pairs only (0, 0.5) and (0.5, 0.5) are usable
    variants = make_variants(tiny(), 2, 0)
    assert {(v.spec.weights["w1"], v.spec.weights["w2"]) for v in variants} == {(0.0, 0.5), (0.5, 0.5)}
    reasons = [r for v in variants for r in v.refused]
    assert all("hardly changes" in r or "the same numbers as v01" in r for r in reasons)
    with pytest.raises(NeurosimError) as error:
        make_variants(tiny(), 3, 0)
    message = str(error.value)
    assert "variant v03: 1000 draws in a row were refused" in message and "widen the ranges" in message


def test_a_saturated_neuron_is_degenerate():
    data = copy.deepcopy(scenario_dict("mazur"))
    data["network"]["weights"] = {"w1": 3.0, "w2": 3.0, "w3": 0.25, "w4": 0.3, "w5": 0.4, "w6": 0.45, "w7": 0.5,
                                  "w8": 0.55}
    data["data"]["inputs"] = [[0.9, 0.9]]
    assert degeneracy(spec_from_dict(data)).startswith("h1 is saturated: out_h1 = 0.9968")
    assert degeneracy(load_scenario("mazur")) is None


def test_cli_refuses_to_overwrite_and_bad_options_are_one_line_errors(tmp_path, capsys):
    assert main(["variants", "mazur", "--count", "3", "-o", str(tmp_path)]) == 0
    before = (tmp_path / "v01.toml").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["variants", "mazur", "--count", "3", "--seed", "9", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "v01.toml: already exists" in err and "--force" in err
    assert (tmp_path / "v01.toml").read_text(encoding="utf-8") == before
    assert main(["variants", "mazur", "--count", "3", "--seed", "9", "-o", str(tmp_path), "--force"]) == 0
    assert (tmp_path / "v01.toml").read_text(encoding="utf-8") != before
    for argv, message in ((["--count", "0"], "--count: must be at least 1"), (["--seed", "-1"], "--seed: must be 0"),
                          ([], None)):
        capsys.readouterr()
        target = ["variants", "mazurr"] if message is None else ["variants", "mazur"]
        assert main(target + argv + ["-o", str(tmp_path / "x")]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and (message or "did you mean 'mazur'") in err


@pytest.mark.parametrize("name", ["ann_forward", "broadcast_forward", "numeric_gd", "deep_xor", "xor_random",
                                  "xor_tanh", "curve_fit", "xor_cross_entropy"])
def test_every_built_in_scenario_makes_variants_with_sheets_and_keys(name):
    from neurosim.views.answer_key import answer_key
    from neurosim.views.sheet import question_sheet

    template = load_scenario(name)
    variants = make_variants(scenario_dict(name), 2, 5, source=name, template_text=export_text(name))
    for v in variants:
        back = spec_from_dict(tomllib.loads(v.text))
        assert (back.layers, back.activations, back.bias, back.conventions) == \
            (template.layers, template.activations, template.bias, template.conventions)
        assert back.build_network().parameters() == v.spec.build_network().parameters()
    assert question_sheet(variants[0].spec, "markdown").text and answer_key(variants[0].spec, "markdown")


def test_nothing_to_vary_is_a_one_line_error():
    data = {"network": {"layers": [1, 1], "bias": "none", "weights": [0.5]}, "data": {"inputs": [[0.5]],
            "targets": [[0.9]]}, "variants": {"biases": True}}
    with pytest.raises(NeurosimError) as error:
        make_variants(data, 2, 0)
    assert str(error.value) == "variants: nothing to vary (the network has no biases)"
