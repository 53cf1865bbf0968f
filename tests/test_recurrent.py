"""An Elman network unrolled through time, computed by the objects: every gradient against central
finite differences (full BPTT, the loss summed or averaged over time), BPTT's dE/dh carried back
through W_hh step by step, truncation, and the exercise file's sequences and their errors."""

import pytest

from neurosim import Conventions, NeurosimError, trace_step
from neurosim.files.exercise import spec_from_dict

from .shared_cases import finite_difference, recurrent_case


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("time_loss", ["sum", "mean"])
def test_every_gradient_of_an_unrolled_network_agrees_with_finite_differences(time_loss, seed):
    network, samples = recurrent_case(seed, "tanh" if seed % 2 else "sigmoid")
    conventions = Conventions(time_loss=time_loss, loss="mse" if seed % 3 == 0 else "half_sse",
                              mode="batch-mean" if len(samples) > 1 else "online")
    numeric = {name: finite_difference(network, samples, conventions, name) for name in network.parameter_names()}
    trace = trace_step(network.copy(), samples, conventions)
    for u in trace.updates:
        assert u.gradient == pytest.approx(numeric[u.name], rel=1e-6, abs=1e-8), u.name


EXERCISE = {
    "network": {"input": 1, "layer": [{"kind": "recurrent", "size": 1, "activation": "tanh", "bias": False},
                                      {"kind": "dense", "size": 1, "activation": "linear", "bias": False}],
                "weights": {"w1": 0.5, "w2": 0.1, "w3": 2.0}},
    "data": {"inputs": [[1.0, 2.0, 3.0]], "targets": [[3.0]]},
}


def test_dE_dh_is_carried_back_through_W_hh_step_by_step():
    """dE/dh_t = dE_y(t)/dh_t + dE_h(t+1)/dh_t, the carry delta_h(t+1)·w2; dE/dw2 = Σ_t delta_h(t)·h(t-1)
    (a target at the last step only: y_3 alone)."""
    q = trace_step(spec_from_dict(EXERCISE).build_network(), spec_from_dict(EXERCISE).samples,
                   Conventions()).quantities()
    assert "out_o1_t1" not in q and q["dE/dout_o1_t3"] == q["out_o1_t3"] - 3.0
    for t in (1, 2):
        assert q[f"dE_h1_t{t + 1}/dout_h1_t{t}"] == q[f"delta_h1_t{t + 1}"] * 0.1
        assert q[f"dE/dout_h1_t{t}"] == q[f"dE_h1_t{t + 1}/dout_h1_t{t}"]  # no output at t < 3
    expected = q["delta_h1_t1"] * 0.0 + q["delta_h1_t2"] * q["out_h1_t1"] + q["delta_h1_t3"] * q["out_h1_t2"]
    assert q["dE/dw2"] == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("bptt", [1, 2])
def test_truncated_bptt_carries_dE_dh_back_k_steps_from_the_last(bptt):
    """Target at the last step: truncated after k steps, only delta_h3 … delta_h(4-k) are nonzero."""
    spec = spec_from_dict({**EXERCISE, "training": {"bptt": bptt}})
    trace = trace_step(spec.build_network(), spec.samples, spec.conventions)
    q = trace.quantities()
    deltas = [q[f"delta_h1_t{t}"] for t in (1, 2, 3)]
    assert [d != 0 for d in deltas] == [t > 3 - bptt for t in (1, 2, 3)]
    assert f"BPTT truncated after {bptt} steps" in trace.header
    assert q["dE/dw2"] == pytest.approx(sum(deltas[t] * q[f"out_h1_t{t}"] for t in (1, 2)[3 - bptt - 1:]))


@pytest.mark.parametrize(("data", "message"), [
    ({"inputs": [[1.0, 2.0], [1.0]], "targets": [[1.0], [1.0]]},
     "data.inputs[2]: has 1 time steps, the first sequence has 2"),
    ({"inputs": [[1.0, 2.0, 3.0]], "targets": [[1.0, 2.0]]},
     "data.targets[1]: has 2 targets for a sequence of 3 time steps"),
    ({"inputs": [1.0, 2.0], "targets": [[1.0]]}, "data.inputs: a recurrent layer reads sequences"),
    ({"targets": [[1.0]]}, "data.inputs: missing (a recurrent layer reads sequences"),
    ({"inputs": [[[1.0, 2.0]]], "targets": [[1.0]]}, "data.inputs[1]: time step 1 has 2 values, the network takes 1"),
])
def test_bad_sequence_data_is_one_line_naming_the_key(data, message):
    with pytest.raises(NeurosimError) as error:
        spec_from_dict({**EXERCISE, "data": data})
    assert str(error.value).startswith(message), str(error.value)


def test_the_sequential_order_is_refused_for_a_recurrent_layer():
    with pytest.raises(NeurosimError, match=r"^training.order: 'sequential'"):
        spec_from_dict({**EXERCISE, "training": {"order": "sequential"}})


COURSE = """
title = "BPTT in the course's names"
notation = "course"
[network]
input = 1
[[network.layer]]
kind = "recurrent"
size = 1
activation = "tanh"
bias = false
[[network.layer]]
kind = "dense"
size = 1
activation = "linear"
bias = false
[network.weights]
W_xh = 0.5
W_hh = 0.1
W_hy = 1.0
[data]
inputs = [[1.0, 2.0, 3.0]]
targets = [[0.5, 1.0, 1.5]]
[training]
learning_rate = 0.1
"""


def test_the_course_notation_names_h_t_W_hh_and_their_gradients(tmp_path):
    """h_t, W_xh, W_hh, W_hy read as givens and as [expect] names; the values are tanh by hand:
    h_1 = tanh(0.5), h_2 = tanh(1.0 + 0.1·h_1), and dE/dW_hh = Σ_t delta_t·h_(t-1) summed here."""
    import io
    import math

    from neurosim.check.judge import check_values
    from neurosim.cli import main
    from neurosim.core.exercise import Expected
    from neurosim.files.exercise import load_spec
    path = tmp_path / "course.toml"
    path.write_text(COURSE, encoding="utf-8")
    spec = load_spec(path)
    assert spec.weights == {"w1": 0.5, "w2": 0.1, "w3": 1.0}
    h1 = math.tanh(0.5)
    h2 = math.tanh(1.0 + 0.1 * h1)
    report = check_values(spec, [Expected("h_2", None, f"{h2:.12f}"), Expected("h_1", None, f"{h1:.12f}"),
                                 Expected("W_hh+", None, "0.11125")])
    assert not report.wrong
    out = io.StringIO()
    assert main(["run", str(path)], out) == 0
    text = out.getvalue()
    assert "a_2         W_xh·x_2 + W_hh·h_1" in text and "dE_h_3/dh_2" in text and "inputs x_1 = 1" in text


def test_a_dense_only_notation_is_refused_for_a_recurrent_network():
    with pytest.raises(NeurosimError, match=r"^notation: 'hkp' names the units of a dense network"):
        spec_from_dict({**EXERCISE, "notation": "hkp"})


def test_bad_sequence_data_from_the_command_line_is_one_line_exit_2_and_nothing_written(tmp_path, capsys):
    """A sequence whose length differs from its targets', and a recurrent layer with no sequence data."""
    import tomllib

    from neurosim.cli import main
    base = (COURSE.split("[data]")[0] + "[training]\nlearning_rate = 0.1\n")
    for data, message in (('[data]\ninputs = [[1.0, 2.0, 3.0]]\ntargets = [[1.0, 2.0]]\n',
                           "data.targets[1]: has 2 targets for a sequence of 3 time steps"),
                          ("", "data.inputs: missing (a recurrent layer reads sequences")):
        path = tmp_path / "bad.toml"
        path.write_text(base + data, encoding="utf-8")
        tomllib.loads(path.read_text(encoding="utf-8"))
        output = tmp_path / "out.md"
        assert main(["explain", str(path), "-o", str(output)]) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and message in err, err
        assert not output.exists()


@pytest.mark.parametrize("name", ["bptt_walkthrough", "d2l_conv"])
def test_the_page_of_a_shared_scenario_is_written(name, tmp_path):
    from neurosim.cli import main
    path = tmp_path / "page.html"
    assert main(["page", name, "-o", str(path)]) == 0
    assert path.stat().st_size > 10_000


def test_json_and_csv_exports_of_a_sequence_name_its_conventions_and_every_time_step(capsys):
    """The PracHub walkthrough exported: h_2 = tanh(0.5·2 + 0.1·tanh(0.5)), and the conventions of
    shared weights (bptt, time_loss) among the JSON's conventions."""
    import json
    import math

    from neurosim.cli import main
    h2 = math.tanh(0.5 * 2 + 0.1 * math.tanh(0.5))
    assert main(["run", "bptt_walkthrough", "--format", "json"]) == 0
    trace = json.loads(capsys.readouterr().out)["traces"][0]
    assert trace["conventions"]["bptt"] == 0 and trace["conventions"]["time_loss"] == "sum"
    assert "kernel" not in trace["conventions"]
    assert abs(trace["quantities"]["out_h1_t2"] - h2) < 1e-15
    assert main(["run", "bptt_walkthrough", "--format", "csv"]) == 0
    rows = dict((line.split(",")[1], line.split(",")[2]) for line in capsys.readouterr().out.splitlines()[1:])
    assert abs(float(rows["out_h1_t2"]) - h2) < 1e-15 and "dE/dw2" in rows


def test_the_training_summary_of_a_sequence_names_its_outputs_by_time_step(tmp_path):
    """Several steps in the course's names: the summary's columns are y_1+ … y_3+ (o1_t1 … inside),
    not out_o1+ … of a dense network (no such neuron: it was a KeyError)."""
    import io

    from neurosim.cli import main
    path = tmp_path / "course.toml"
    path.write_text(COURSE.replace("learning_rate = 0.1", "learning_rate = 0.1\nsteps = 2"), encoding="utf-8")
    out = io.StringIO()
    assert main(["run", str(path)], out) == 0
    header = next(line for line in out.getvalue().splitlines() if line.startswith("step "))
    assert header.split()[-3:] == ["y_1+", "y_2+", "y_3+"], header


def test_a_recurrent_layer_that_starts_saturated_is_found_over_every_time_step():
    """W_xh = 20 with inputs 1 and 2: tanh(20) and tanh(40) are 1 to 17 digits, dh/da below 1e-16 at
    both steps — the recurrent layer is saturated; the linear output is never reported."""
    from neurosim.engines.saturation import saturated_layers
    spec = spec_from_dict({"network": {"input": 1, "layer": [
        {"kind": "recurrent", "size": 1, "activation": "tanh", "bias": False},
        {"kind": "dense", "size": 1, "activation": "linear", "bias": False}],
        "weights": {"w1": 20.0, "w2": 0.0, "w3": 1.0}},
        "data": {"inputs": [[1.0, 2.0]], "targets": [[0.5, 0.5]]}})
    found = saturated_layers(spec.build_network(), spec.inputs, spec.conventions)
    assert [(s.layer, s.neurons, s.activation) for s in found] == [(1, 2, "tanh")]
