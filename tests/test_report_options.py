"""Exercise-file options added for the seed scenarios: reported loss, extra tables, shown samples,
published digits, float32-params arithmetic, calculator rounding."""

import pytest

from neurosim import Arithmetic, NeurosimError, spec_from_dict
from neurosim.check.published import judge_published
from neurosim.core.arithmetic import round_half_up
from neurosim.core.exercise import Published

BASE = {"network": {"layers": [2, 2, 1], "seed": 1}, "data": {"inputs": [[0, 1], [1, 0]], "targets": [[1], [1]]}}


def spec(**report):
    return spec_from_dict({**BASE, "report": report})


@pytest.mark.parametrize("report, words", [
    ({"loss": "msee"}, "report.loss: unknown name 'msee'"),
    ({"loss": "mse", "loss_samples": "avg"}, "report.loss_samples: unknown value 'avg'"),
    ({"loss_samples": "mean"}, "report.loss_samples: given without report.loss"),
    ({"extra": ["layout"]}, "report.extra: unknown table 'layout' (did you mean 'layouts'?)"),
    ({"extra": "layouts"}, "report.extra: expected a list"),
    ({"samples": 0}, "report.samples: expected a whole number ≥ 1"),
])
def test_bad_report_options_name_the_key(report, words):
    with pytest.raises(NeurosimError, match=None) as info:
        spec(**report)
    assert words in str(info.value)


def test_reported_loss_is_computed_before_the_step_over_all_samples():
    from neurosim.core.step import evaluate
    from neurosim.engines.runner import reported_loss
    s = spec(loss="mse", loss_samples="mean")
    network = s.build_network()
    outs = [evaluate(network, x)[0] for x in s.inputs]
    assert reported_loss(s, network) == pytest.approx(((1 - outs[0]) ** 2 + (1 - outs[1]) ** 2) / 2, rel=1e-15)


def test_published_digits_compares_at_that_many_decimals():
    entry = Published("E_total", "0.2626848822777315", digits=9)
    assert judge_published(entry, 0.26268488207185786).ok  # agrees at 9 decimals
    assert not judge_published(Published("E_total", "0.2626848822777315"), 0.26268488207185786).ok
    assert not judge_published(entry, 0.2626848831).ok


def test_float32_params_stores_parameters_in_float32_and_computes_in_float64():
    a = Arithmetic("float32-params")
    assert a.keep_param(0.1) == 0.10000000149011612 and type(a.keep_param(0.1)) is float
    assert a.keep(0.1) == 0.1
    assert "float32 weights and biases, float64 arithmetic" in a.describe()


def test_unknown_dtype_lists_the_choices():
    with pytest.raises(NeurosimError, match="choose from float64, float32, float32-params"):
        Arithmetic("float16")


def test_hand_rounding_rounds_the_decimal_a_sum_stands_for():
    assert 0.219 + 0.395 + 0.621 == 1.2349999999999999
    assert round_half_up(0.219 + 0.395 + 0.621, 2) == 1.24
    assert round_half_up(0.125, 2) == 0.13 and round_half_up(-0.125, 2) == -0.13
    assert round_half_up(0.593269992, 4) == 0.5933
