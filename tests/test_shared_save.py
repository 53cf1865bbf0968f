"""A network with shared weights saved and read back (issue 20): `run --save` writes its layers as
tables (kind, kernels, kernel, stride, padding, activation, bias, h0) with the trained weights and
the exercise; `neurosim run NET.json`, `--from NET.json`, gradcheck and explain read it back."""

import io
import json

import pytest

from neurosim.cli import main
from neurosim.core.network import Network
from neurosim.core.shared_network import SharedNetwork
from neurosim.errors import NeurosimError
from neurosim.files.exercise import spec_from_dict

CONV = """title = "a conv net"
[network]
input = [1, 4, 4]
seed = 3
init = "normal"
[[network.layer]]
kind = "conv2d"
kernels = 2
kernel = 3
stride = 1
padding = 1
activation = "tanh"
[[network.layer]]
kind = "maxpool"
kernel = 2
[[network.layer]]
kind = "flatten"
[[network.layer]]
kind = "dense"
size = 2
activation = "sigmoid"
[data]
inputs = [[[0.1, 0.5, 0.2, 0.9], [0.3, 0.8, 0.1, 0.4], [0.7, 0.2, 0.6, 0.3], [0.0, 0.9, 0.5, 0.1]]]
targets = [[0.2, 0.9]]
[training]
learning_rate = 0.3
kernel = "convolution"
"""

RECURRENT = """title = "an Elman net"
[network]
input = 2
seed = 5
[[network.layer]]
kind = "recurrent"
size = 3
activation = "tanh"
h0 = [0.1, -0.2, 0.3]
[[network.layer]]
kind = "dense"
size = 1
activation = "linear"
[data]
inputs = [[[1.0, 0.5], [0.2, -0.3], [0.7, 0.1]], [[0.3, 0.3], [-0.5, 0.9], [0.4, 0.0]]]
targets = [[0.5], [-0.2]]
[training]
loss = "half_sse"
learning_rate = 0.05
bptt = 2
time_loss = "mean"
"""


def _csv(argv) -> dict[str, str]:
    out = io.StringIO()
    assert main(argv + ["--format", "csv"], out) == 0
    return {row.split(",")[1]: row.split(",")[2] for row in out.getvalue().splitlines()[1:]}


@pytest.mark.parametrize("text, first, more", [(CONV, 6, 4), (RECURRENT, 4, 2)], ids=["conv", "recurrent"])
def test_saved_after_n_steps_then_m_more_is_n_plus_m_steps_in_one_run(tmp_path, text, first, more):
    """The same steps traced on the objects, the rest on the fast engine, in both: every value of
    the last step equal to the last bit (the file keeps every digit, the conventions with it)."""
    exercise = tmp_path / "e.toml"
    exercise.write_text(text)
    net = tmp_path / "trained.json"
    assert main(["run", str(exercise), "--steps", str(first), "--trace", f"1,{first}", "--save", str(net)],
                io.StringIO()) == 0
    split = _csv(["run", str(net), "--steps", str(more), "--trace", str(more)])
    whole = _csv(["run", str(exercise), "--steps", str(first + more), "--trace", f"1,{first},{first + more}"])
    parameters = [name for name in whole if name.endswith("+")]
    assert len(parameters) > 8
    assert {n: split[n] for n in parameters} == {n: whole[n] for n in parameters}
    assert split == whole  # every quantity of the last step


def test_the_file_holds_the_layers_as_tables_and_the_exercise_its_conventions(tmp_path):
    exercise = tmp_path / "e.toml"
    exercise.write_text(CONV)
    net = tmp_path / "c.json"
    assert main(["run", str(exercise), "--steps", "2", "--save", str(net)], io.StringIO()) == 0
    data = json.loads(net.read_text())
    assert data["version"] == 2 and data["input"] == [1, 4, 4]
    assert data["layers"] == [
        {"kind": "conv2d", "kernels": 2, "kernel": [3, 3], "stride": [1, 1], "padding": [1, 1],
         "activation": "tanh", "bias": True},
        {"kind": "maxpool", "kernel": [2, 2], "stride": [2, 2], "padding": [0, 0]},
        {"kind": "flatten"},
        {"kind": "dense", "size": 2, "activation": "sigmoid", "bias": True}]
    assert list(data["weights"])[:3] == ["k1_11", "k1_12", "k1_13"] and "b_k2" in data["biases"]
    assert data["exercise"]["training"]["kernel"] == "convolution"
    exercise.write_text(RECURRENT)
    assert main(["run", str(exercise), "--steps", "2", "--save", str(net)], io.StringIO()) == 0
    data = json.loads(net.read_text())
    assert data["layers"][0] == {"kind": "recurrent", "size": 3, "activation": "tanh", "bias": True,
                                 "h0": [0.1, -0.2, 0.3]}
    assert data["steps"] == 3 and data["last_target_only"] is True
    assert data["exercise"]["training"]["bptt"] == 2 and data["exercise"]["training"]["time_loss"] == "mean"
    # the network alone, through the API: every value bit for bit
    network = SharedNetwork.load(net)
    assert network.parameters() == {**data["weights"], **data["biases"]}
    assert network.architecture.h0 == (0.1, -0.2, 0.3) and network.architecture.steps == 3
    network.save(tmp_path / "again.json")
    again = json.loads((tmp_path / "again.json").read_text())
    assert {k: v for k, v in data.items() if k != "exercise"} == again
    with pytest.raises(NeurosimError, match="SharedNetwork.load"):
        Network.load(net)


def test_gradcheck_explain_and_from_read_a_saved_network_with_shared_weights(tmp_path, capsys):
    net = tmp_path / "bptt.json"
    assert main(["run", "bptt_walkthrough", "--steps", "3", "--save", str(net)], io.StringIO()) == 0
    trained = json.loads(net.read_text())["weights"]
    out = io.StringIO()
    assert main(["gradcheck", str(net)], out) == 0 and "passed: all 3 gradients agree" in out.getvalue()
    out = io.StringIO()
    assert main(["explain", "bptt_walkthrough", "--from", str(net)], out) == 0
    assert "(from bptt.json)" in out.getvalue() and f"{trained['w2']:.9f}"[:9] in out.getvalue()
    # sequences of another length start from the same weights (they do not depend on T)
    longer = spec_from_dict({"network": {"input": 1, "layer": [
        {"kind": "recurrent", "size": 1, "activation": "tanh", "bias": False},
        {"kind": "dense", "size": 1, "activation": "linear", "bias": False}], "seed": 1},
        "data": {"inputs": [[1.0, 2.0, 3.0]], "targets": [[1.0, 2.0, 3.0]]}})
    from neurosim.files.trained import with_trained_weights
    network = with_trained_weights(longer, net).build_network()
    assert network.parameters() == trained and network.architecture.steps == 3
    # another architecture: one line naming both
    assert main(["run", "d2l_conv", "--from", str(net)], io.StringIO()) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "the network file has 1 → recurrent 1 → dense 1, the exercise 1x3x3 → " \
                                     "conv2d 1@2x2" in err, err


def test_a_damaged_layer_table_is_one_line_naming_the_file(tmp_path, capsys):
    net = tmp_path / "c.json"
    assert main(["run", "d2l_conv", "--save", str(net)], io.StringIO()) == 0
    data = json.loads(net.read_text())
    for change, words in ((lambda d: d["layers"][0].update(kernel=[0, 2]),
                           "layers[1].kernel: expected a whole number ≥ 1, got 0"),
                          (lambda d: d["layers"][0].update(kernel=[4, 4]), "is larger than the (padded) input"),
                          (lambda d: d["layers"][0].update(colour="red"),
                           "layers[1].colour: not a key of a layer neurosim writes"),
                          (lambda d: d["layers"][0].pop("stride"), "layers[1].stride: missing"),
                          (lambda d: d["layers"][0].update(kind="conv3d"), "layers[1].kind: unknown layer kind"),
                          (lambda d: d.update(input=3), "input: expected a list, got 3"),
                          (lambda d: d.update(version=3), "format version 3 is newer")):
        broken = json.loads(json.dumps(data))
        change(broken)
        net.write_text(json.dumps(broken))
        assert main(["run", str(net)], io.StringIO()) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and str(net) in err and words in err, err


def test_a_field_the_architecture_gains_later_is_written_and_read_back_not_lost():
    """A layer field beyond today's (say, what a recurrent layer feeds back) is written under its own
    name when it is not its default, and read back into the record; one that JSON cannot hold is
    refused in one line rather than dropped."""
    import attrs

    from neurosim.core.sharedfile import _extras, _read_extras

    @attrs.frozen
    class Layer:
        kind: str = "recurrent"
        size: int = 1
        feedback: str = "hidden"
        delays: tuple = ()

    written = _extras(Layer(feedback="output", delays=(1, 2)), ("kind", "size"))
    assert written == {"feedback": "output", "delays": [1, 2]}
    assert Layer(**_read_extras(written, Layer)) == Layer(feedback="output", delays=(1, 2))
    assert _extras(Layer(), ("kind", "size")) == {}
    with pytest.raises(NeurosimError, match="cannot save: feedback = "):
        _extras(Layer(feedback=object()), ("kind", "size"))
