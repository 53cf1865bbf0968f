"""Convolution and pooling layers computed by the objects: every gradient against central finite
differences (engine-independent), a shared weight's gradient as the sum of its shares, the
conventions (true convolution turns the kernel), the exercise file's layer tables and their errors."""

import math

import pytest

from neurosim import Conventions, NeurosimError, trace_step
from neurosim.core.architecture import Architecture, LayerSpec
from neurosim.core.network import build_network
from neurosim.core.shared_network import build_shared
from neurosim.files.exercise import spec_from_dict

from .shared_cases import conv1d_case, conv2d_case, finite_difference


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("case", [conv1d_case, conv2d_case])
def test_every_gradient_of_a_conv_network_agrees_with_finite_differences(case, seed):
    network, samples = case(seed, pool="avgpool" if seed % 2 else None)
    conventions = Conventions(kernel="convolution" if seed % 3 == 0 else "cross-correlation")
    network.prepare(conventions)
    numeric = {name: finite_difference(network, samples, conventions, name) for name in network.parameter_names()}
    trace = trace_step(network.copy(), samples, conventions)
    for u in trace.updates:
        assert u.gradient == pytest.approx(numeric[u.name], rel=1e-6, abs=1e-8), u.name


def test_a_kernel_entrys_gradient_is_the_sum_of_one_share_per_position():
    """dE/dk1_1 = Σ_p delta_p·x_p: one GradientPart per position of the feature map, each delta·x."""
    architecture = Architecture((1, 5), (LayerSpec("conv1d", 1, (3,), (1,), (0,), "tanh"), LayerSpec("flatten"),
                                         LayerSpec("dense", 1, activation="sigmoid")))
    network = build_shared(architecture, ["tanh", "sigmoid"], {"k1_1": 0.5, "k1_2": -0.3, "k1_3": 0.8, "b_k1": 0.1,
                                                               "w1": 0.2, "w2": -0.4, "w3": 0.6, "b_o1": 0.0})
    x = [0.1, 0.2, 0.3, 0.4, 0.5]
    trace = trace_step(network, [(x, [1.0])], Conventions())
    q = trace.quantities()
    update = next(u for u in trace.updates if u.name == "k1_2")
    assert [p.neuron for p in update.parts] == ["c1_1", "c1_2", "c1_3"]
    for position, part in enumerate(update.parts):
        assert part.factors[-1].value == x[position + 1]  # dnet_c1_p/dk1_2 = x_(p+1)
        assert part.value == pytest.approx(q[f"delta_c1_{position + 1}"] * x[position + 1], rel=1e-15)
    assert update.gradient == pytest.approx(sum(p.value for p in update.parts), rel=1e-15)
    assert q["dE/dk1_2"] == update.gradient


def test_true_convolution_turns_the_kernel():
    """net_c1_1 = k1_3·x1 + k1_2·x2 + k1_1·x3 under kernel = "convolution" (cross-correlation:
    k1_1·x1 + k1_2·x2 + k1_3·x3), computed by hand here."""
    architecture = Architecture((1, 3), (LayerSpec("conv1d", 1, (3,), (1,), (0,), "linear", bias=False),))
    values = {"k1_1": 1.0, "k1_2": 10.0, "k1_3": 100.0}
    for kernel, expected in (("cross-correlation", 1 * 1 + 10 * 2 + 100 * 3),
                             ("convolution", 100 * 1 + 10 * 2 + 1 * 3)):
        network = build_shared(architecture, ["linear"], values)
        trace = trace_step(network, [([1.0, 2.0, 3.0], [0.0])], Conventions(kernel=kernel))
        assert trace.quantities()["net_c1_1"] == expected
        assert ("true convolution" if kernel == "convolution" else "cross-correlation") in trace.header


def test_a_dense_network_written_layer_by_layer_computes_as_the_dense_network():
    """The same 2-2-2 network (no biases) through both builders: every value equal to the last bit."""
    weights = dict(zip([f"w{k}" for k in range(1, 9)], (0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55)))
    dense = build_network((2, 2, 2), "sigmoid", weights, bias_mode="none")
    layered = build_shared(Architecture((2,), (LayerSpec("dense", 2, activation="sigmoid", bias=False),
                                               LayerSpec("dense", 2, activation="sigmoid", bias=False))),
                           ["sigmoid", "sigmoid"], weights)
    sample = [((0.05, 0.1), (0.01, 0.99))]
    ours = trace_step(layered, sample, Conventions()).quantities()
    assert ours == trace_step(dense, sample, Conventions()).quantities()


def test_max_pooling_routes_delta_to_the_input_that_won():
    architecture = Architecture((1, 4), (LayerSpec("maxpool", kernel=(2,), stride=(2,), activation="linear",
                                                   bias=False),))
    network = build_shared(architecture, ["linear"], {})
    trace = trace_step(network, [([0.3, 0.7, 0.9, 0.9], [0.0, 0.0])], Conventions())
    q = trace.quantities()
    assert (q["out_p1_1"], q["out_p1_2"]) == (0.7, 0.9)
    assert q["dE/dout_i1"] == 0 and q["dE/dout_i2"] == q["delta_p1_1"] == 0.7
    assert q["dE/dout_i3"] == 0.9 and q["dE/dout_i4"] == 0  # a tie: the first largest wins, as in PyTorch


LAYERED = {
    "network": {"input": [4, 4], "seed": 1, "layer": [
        {"kind": "conv2d", "kernel": 2, "activation": "relu"},
        {"kind": "maxpool", "kernel": 3},
        {"kind": "flatten"},
        {"kind": "dense", "size": 1}]},
    "data": {"inputs": [[[1, 2, 0, 1], [0, 1, 3, 1], [2, 1, 0, 0], [1, 0, 2, 1]]], "targets": [[1]]},
}


@pytest.mark.parametrize(("change", "message"), [
    ({"layer": [{"kind": "conv2d", "kernel": 5}]}, "network.layer[1].kernel: 5 is larger than the (padded) input"),
    ({"layer": [{"kind": "conv2d", "kernel": 2, "stride": 0}]}, "network.layer[1].stride: expected a whole number ≥ 1"),
    ({"layer": [{"kind": "conv2d", "kernel": 2}, {"kind": "maxpool", "kernel": 2}]},
     "network.layer[2].stride: a window of 2 moved by 2 does not tile 3 values"),
    ({"layer": [{"kind": "conv2d", "kernel": 2, "strid": 1}]}, "network.layer[1].strid: unknown key (did you mean"),
    ({"layer": [{"kind": "convolution2d", "kernel": 2}]}, "network.layer[1].kind: unknown layer kind"),
    ({"layer": [{"kind": "flatten"}, {"kind": "conv2d", "kernel": 2}]},
     "network.layer[2]: a conv2d layer needs a grid"),
])
def test_a_bad_layer_is_one_line_naming_its_key(change, message):
    data = {**LAYERED, "network": {**LAYERED["network"], **change}}
    with pytest.raises(NeurosimError) as error:
        spec_from_dict(data)
    assert str(error.value).startswith(message), str(error.value)
    assert "\n" not in str(error.value)


def test_an_image_given_as_rows_is_read_row_by_row():
    data = {**LAYERED, "network": {**LAYERED["network"], "layer": [{"kind": "conv2d", "kernel": 2},
                                                                  {"kind": "flatten"}, {"kind": "dense", "size": 1}]}}
    spec = spec_from_dict(data)
    assert spec.inputs == ((1, 2, 0, 1, 0, 1, 3, 1, 2, 1, 0, 0, 1, 0, 2, 1),)
    assert spec.layers == (16, 9, 1) and spec.layers.connections == 9 * 4 + 9
    assert not math.isnan(spec.build_network().parameters()["k1_22"])


BAD_FILES = {
    "kernel larger than its padded input": ('input = [3, 3]\n[[network.layer]]\nkind = "conv2d"\nkernel = 4\n'
                                            'padding = 0\n', "network.layer[1].kernel: 4 is larger"),
    "stride 0": ('input = [4, 4]\n[[network.layer]]\nkind = "conv2d"\nkernel = 2\nstride = 0\n',
                 "network.layer[1].stride: expected a whole number ≥ 1, got 0"),
    "a pool that does not tile": ('input = [5, 5]\n[[network.layer]]\nkind = "maxpool"\nkernel = 2\n',
                                  "network.layer[1].stride: a window of 2 moved by 2 does not tile 5 values"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_exercise_file_is_one_line_exit_2_and_nothing_written(case, tmp_path, capsys):
    from neurosim.cli import main
    network, message = BAD_FILES[case]
    path = tmp_path / "bad.toml"
    path.write_text("[network]\n" + network + '[data]\ninputs = [[0.5]]\ntargets = [[0.5]]\n', encoding="utf-8")
    output = tmp_path / "out.md"
    assert main(["explain", str(path), "-o", str(output)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err, err
    assert not output.exists()


def test_only_prints_the_shares_asked_for(capsys):
    from neurosim.cli import main
    assert main(["run", "d2l_conv", "--only", "k1_12"]) == 0
    text = capsys.readouterr().out
    assert "delta_c1_11·i2 + delta_c1_12·i3 + delta_c1_21·i5 + delta_c1_22·i6" in text
    rows = [line.split()[0] for line in text.splitlines() if line.strip()]
    assert "k1_12" in rows and "k1_11" not in rows and "k1_21" not in rows


def test_a_bad_layer_key_is_found_on_its_own_line_in_its_own_layer(tmp_path):
    """The line named is the key's, in the layer named: not a description's line that begins with
    the same word, nor the same key in another layer."""
    from neurosim.files.exercise import load_spec
    text = ('description = """\\\nstride 1, no padding: the book\'s words\n"""\n[network]\ninput = [4, 4]\n'
            '[[network.layer]]\nkind = "conv2d"\nkernel = 2\nstride = 1\n'
            '[[network.layer]]\nkind = "maxpool"\nkernel = 2\nstride = 0\n'
            '[data]\ninputs = [[0.5]]\ntargets = [[0.5]]\n')
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(NeurosimError) as error:
        load_spec(path)
    assert "network.layer[2].stride" in str(error.value) and str(error.value).endswith("(line 13)"), error.value
    assert text.splitlines()[12] == "stride = 0"


def test_a_conv_layer_that_starts_saturated_is_found_by_the_shared_engine():
    """Kernel entries of 10 over inputs of 1: every sigmoid net of the feature map is 40, where
    dout/dnet = σ(40)(1 - σ(40)) ≈ 4e-18, far below 1% of 0.25; the pool after it has no derivative
    to look at, the dense output (nets about 0) is not saturated."""
    from neurosim.engines.saturation import saturated_layers
    data = {"network": {"input": [3, 3], "layer": [
        {"kind": "conv2d", "kernel": 2, "activation": "sigmoid", "bias": False}, {"kind": "maxpool", "kernel": 2},
        {"kind": "flatten"}, {"kind": "dense", "size": 1, "activation": "sigmoid", "bias": False}],
        "weights": {"k1_11": 10.0, "k1_12": 10.0, "k1_21": 10.0, "k1_22": 10.0, "w1": 0.0}},
        "data": {"inputs": [[1.0] * 9], "targets": [[0.5]]}}
    spec = spec_from_dict(data)
    found = saturated_layers(spec.build_network(), spec.inputs, spec.conventions)
    assert [(s.layer, s.neurons, s.activation) for s in found] == [(1, 4, "sigmoid")]
    assert found[0].largest < 1e-17
