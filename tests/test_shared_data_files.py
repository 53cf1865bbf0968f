"""[data] of a network with shared weights from .csv and .npy files (issue 20): a conv exercise's
images, a recurrent exercise's sequences and targets — the same run as the values written inline,
and a file whose shape does not fit the network is one line naming the file and both shapes."""

import io

import numpy as np
import pytest

from neurosim.cli import main

CONV_HEAD = """[network]
input = [1, 3, 3]
[[network.layer]]
kind = "conv2d"
kernel = 2
activation = "linear"
bias = false
[network.weights]
k1_11 = 0.0
k1_12 = 1.0
k1_21 = 2.0
k1_22 = 3.0
[training]
loss = "half_sse"
learning_rate = 0.001
steps = 3
"""
IMAGES = [[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]], [[1.0, 0.5, 0.0], [2.0, 1.5, 1.0], [0.5, 0.0, 3.0]]]
MAPS = [[[20.0, 26.0], [36.0, 42.0]], [[5.0, 4.0], [3.0, 8.0]]]

RNN_HEAD = """[network]
input = 2
seed = 4
[[network.layer]]
kind = "recurrent"
size = 2
activation = "tanh"
[[network.layer]]
kind = "dense"
size = 1
activation = "linear"
[training]
loss = "half_sse"
learning_rate = 0.1
steps = 4
"""
SEQUENCES = [[[1.0, 0.5], [0.2, -0.3], [0.7, 0.1]], [[0.3, 0.3], [-0.5, 0.9], [0.4, 0.0]]]
PER_STEP = [[[0.5], [0.1], [0.9]], [[-0.2], [0.3], [0.0]]]


def _run(path) -> tuple[int, str]:
    out = io.StringIO()
    return main(["run", str(path), "--format", "csv"], out), out.getvalue()


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text)
    return path


def _csv(path, rows) -> str:
    path.write_text("".join(",".join(repr(float(v)) for v in np.ravel(row)) + "\n" for row in rows))
    return path.name


@pytest.mark.parametrize("form", ["nchw", "nhw", "flat", "csv"])
def test_conv_images_from_a_file_run_as_written_inline(tmp_path, form):
    inline = _write(tmp_path, "inline.toml", CONV_HEAD + f"[data]\ninputs = {IMAGES}\ntargets = {MAPS}\n")
    images, maps = np.array(IMAGES), np.array(MAPS)
    if form == "csv":
        names = (_csv(tmp_path / "x.csv", images), _csv(tmp_path / "y.csv", maps))
    else:
        shaped = {"nchw": images[:, None], "nhw": images, "flat": images.reshape(2, -1)}[form]
        np.save(tmp_path / "x.npy", shaped)
        np.save(tmp_path / "y.npy", maps[:, None])
        names = ("x.npy", "y.npy")
    named = _write(tmp_path, "named.toml", CONV_HEAD + f'[data]\ninputs = "{names[0]}"\ntargets = "{names[1]}"\n')
    code, text = _run(named)
    assert code == 0 and (code, text) == _run(inline)
    assert "k1_22+" in text


@pytest.mark.parametrize("form", ["npy-3d", "npy-flat", "csv", "last-step"])
def test_sequences_and_targets_from_a_file_run_as_written_inline(tmp_path, form):
    sequences, targets = np.array(SEQUENCES), np.array(PER_STEP)
    if form == "last-step":
        targets = targets[:, -1:]
    inline = _write(tmp_path, "inline.toml", RNN_HEAD + f"[data]\ninputs = {SEQUENCES}\n"
                                                        f"targets = {targets.tolist()}\n")
    if form == "csv":
        names = (_csv(tmp_path / "x.csv", sequences), _csv(tmp_path / "y.csv", targets))
    else:
        np.save(tmp_path / "x.npy", sequences if form != "npy-flat" else sequences.reshape(2, -1))
        np.save(tmp_path / "y.npy", targets[..., 0] if form == "npy-flat" else targets)  # one value a step: (S, T)
        names = ("x.npy", "y.npy")
    named = _write(tmp_path, "named.toml", RNN_HEAD + f'[data]\ninputs = "{names[0]}"\ntargets = "{names[1]}"\n')
    code, text = _run(named)
    assert code == 0 and (code, text) == _run(inline)
    assert ("out_o1_t3" in text) and (("E_o1_t1" in text) == (form != "last-step"))


def test_a_file_whose_shape_does_not_fit_is_one_line_naming_it(tmp_path, capsys):
    np.save(tmp_path / "two_channels.npy", np.zeros((2, 2, 3, 3)))
    np.save(tmp_path / "maps.npy", np.zeros((2, 1, 2, 2)))
    np.save(tmp_path / "wide.npy", np.zeros((2, 3, 3)))
    np.save(tmp_path / "seq.npy", np.array(SEQUENCES))
    np.save(tmp_path / "short.npy", np.zeros((2, 2, 1)))
    (tmp_path / "ragged.csv").write_text("1,2,3,4,5,6,7,8,9\n1,2,3\n")
    cases = [
        (CONV_HEAD, "two_channels.npy", "maps.npy",
         "data.inputs: two_channels.npy holds samples of shape 2x3x3; the network's input is 1x3x3 (9 values a "
         "sample)"),
        (CONV_HEAD, "ragged.csv", "maps.npy", "data.inputs: ragged.csv: sample 2 has 3 values, the first has 9"),
        (CONV_HEAD, "wide.npy", "wide.npy",
         "data.targets: wide.npy holds samples of shape 3x3; the network's output is 1x2x2"),
        (RNN_HEAD, "wide.npy", "seq.npy",
         "data.inputs: wide.npy holds sequences of shape 3x3; a sequence is time steps of 2 values (shape T x 2, "
         "or T·2 values a row)"),
        (RNN_HEAD, "seq.npy", "short.npy", "data.targets[1]: has 2 targets for a sequence of 3 time steps"),
    ]
    for head, inputs, targets, words in cases:
        path = _write(tmp_path, "bad.toml", head + f'[data]\ninputs = "{inputs}"\ntargets = "{targets}"\n')
        output = tmp_path / "out.md"
        assert main(["explain", str(path), "-o", str(output)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and words in err and "bad.toml" in err, err
        assert not output.exists()
