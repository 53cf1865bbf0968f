"""The exercise-file keys of the classroom: [variants] (which given numbers vary, over which
hand-friendly values), ask, [plot] and variant — each checked key by key with one-line errors."""

import copy
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from neurosim import NeurosimError
from neurosim.files.exercise import spec_from_dict
from neurosim.files.variation import DEFAULTS, variation_rules
from neurosim.scenarios import scenario_dict


def mazur(**top):
    data = copy.deepcopy(scenario_dict("mazur"))
    data.update(top)
    return data


def test_without_a_variants_table_weights_biases_and_inputs_vary_over_the_defaults():
    rules = variation_rules(None)
    assert [c for c, _ in rules.ranges] == ["weights", "biases", "inputs"]
    assert rules.values_for("weights").describe() == "0.05 to 0.95 in steps of 0.05"
    assert rules.values_for("inputs").describe() == "0.01 to 0.99 in steps of 0.01"
    assert rules.values_for("targets") is None and rules.values_for("learning_rate") is None


def test_a_variants_table_names_what_varies_and_over_what():
    rules = variation_rules({"weights": {"min": 0.1, "max": 0.9, "step": 0.2}, "inputs": {"min": 0, "max": 1,
                             "decimals": 1}, "learning_rate": {"values": [0.1, 0.5, 0.5]}, "targets": True,
                             "biases": False, "description": "Compute w5+."})
    assert [c for c, _ in rules.ranges] == ["weights", "inputs", "targets", "learning_rate"]
    assert rules.values_for("weights").describe() == "0.1 to 0.9 in steps of 0.2"
    assert rules.values_for("inputs").size == 11
    assert rules.values_for("learning_rate").listed == (Decimal("0.1"), Decimal("0.5"))
    assert rules.values_for("targets") == DEFAULTS["targets"]
    assert rules.description == "Compute w5+."


@given(st.integers(0, 2 ** 32 - 1))
def test_every_drawn_value_is_on_the_grid_and_in_range(seed):
    rng = np.random.default_rng(seed)
    values = variation_rules({"weights": {"min": -0.9, "max": 0.9, "step": 0.15}}).values_for("weights")
    for _ in range(20):
        v = values.draw(rng)
        assert Decimal("-0.9") <= v <= Decimal("0.9") and (v + Decimal("0.9")) % Decimal("0.15") == 0


@pytest.mark.parametrize("variants, message", [
    ({"weigths": True}, "variants.weigths: unknown key (did you mean 'weights'?)"),
    ({"weights": 3}, "variants.weights: expected true, false or a table"),
    ({"weights": {"min": 0.1, "max": 0.9}}, "variants.weights: give one of step"),
    ({"weights": {"min": 0.1, "max": 0.9, "step": 0.1, "decimals": 1}}, "variants.weights: give one of step"),
    ({"weights": {"max": 0.9, "step": 0.1}}, "variants.weights: min is missing"),
    ({"weights": {"min": 0.9, "max": 0.1, "step": 0.1}}, "variants.weights: min 0.9 is above max 0.1"),
    ({"weights": {"min": 0, "max": 1, "step": 0.3}}, "not a whole number of steps of 0.3"),
    ({"weights": {"min": 0, "max": 1, "step": -0.5}}, "variants.weights.step: must be positive"),
    ({"inputs": {"min": 0, "max": 1, "decimals": 12}}, "variants.inputs.decimals: at most 9"),
    ({"inputs": {"min": 0, "max": 1, "stpe": 0.1}}, "variants.inputs.stpe: unknown key (did you mean 'step'?)"),
    ({"learning_rate": {"values": []}}, "variants.learning_rate.values: expected a non-empty list"),
    ({"learning_rate": {"values": [0.1], "min": 0}}, "give either values or a range"),
    ({"learning_rate": {"values": ["fast"]}}, "variants.learning_rate.values[1]: 'fast' is not a number"),
])
def test_bad_variants_tables_are_one_line_errors_naming_the_key(variants, message):
    with pytest.raises(NeurosimError) as error:
        spec_from_dict(mazur(variants=variants))
    assert message in str(error.value) and "\n" not in str(error.value)


def test_ask_plot_and_variant_are_read():
    spec = spec_from_dict(mazur(ask=["w5+", "dE/dw1@1"], variant="v07"))
    assert spec.sheet.ask == ("w5+", "dE/dw1@1") and spec.sheet.decimals is None and not spec.sheet.diagram
    assert spec.variant == "v07"
    spec = spec_from_dict(mazur(ask={"quantities": ["w5+"], "decimals": 4}, plot={"digits": 2}))
    assert spec.sheet.ask == ("w5+",) and spec.sheet.decimals == 4
    assert spec.sheet.diagram and spec.sheet.diagram_digits == 2
    assert not spec_from_dict(mazur(plot={"network": False})).sheet.diagram
    assert spec_from_dict(mazur()).variant == "" and spec_from_dict(mazur()).sheet.ask == ()


@pytest.mark.parametrize("top, message", [
    ({"ask": "w5+"}, "ask: expected a list of quantity names"),
    ({"ask": []}, "ask: expected a list of quantity names"),
    ({"ask": ["w5+", "w5+"]}, "ask: 'w5+' is asked for twice"),
    ({"ask": ["w5+@0"]}, "'@0' is not a step number"),
    ({"ask": {"quantites": ["w5+"]}}, "ask.quantites: unknown key (did you mean 'quantities'?)"),
    ({"ask": {"decimals": 4}}, "ask.quantities: missing"),
    ({"plot": {"digit": 2}}, "plot.digit: unknown key (did you mean 'digits'?)"),
    ({"plot": {"network": "yes"}}, "plot.network: expected true or false"),
    ({"variant": "a/b"}, "variant: 'a/b' cannot be a file name"),
    ({"varaint": "v01"}, "varaint: unknown key (did you mean 'variant'?)"),
])
def test_bad_classroom_keys_are_one_line_errors(top, message):
    with pytest.raises(NeurosimError) as error:
        spec_from_dict(mazur(**top))
    assert message in str(error.value) and "\n" not in str(error.value)


def test_errors_in_the_classroom_tables_name_their_line(tmp_path):
    from neurosim.files.exercise import load_spec

    path = tmp_path / "exercise.toml"
    text = ('[network]\nlayers = [2, 2, 2]\nseed = 1\n\n[network.weights]\nw1 = 0.1\n\n[data]\ninputs = [[0.1, 0.2]]\n'
            'targets = [[0.1, 0.9]]\n\n[variants]\nbiases = true\nweights = { min = 0.1, max = 0.9, step = 0.3 }\n')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(NeurosimError) as error:
        load_spec(path)
    assert str(error.value).endswith("not a whole number of steps of 0.3 (line 14)")
