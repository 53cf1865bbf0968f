"""A trained network goes on from where it stopped (issue 18, item 16): `run --save` keeps the
exercise in the network file, so `neurosim run NET.json` continues training from the trained
weights; `--from NET.json` starts an exercise (run, explain, gradcheck, plot, check) from them; and
[data] may name a .csv or .npy file instead of listing the samples."""

import io
import json

import numpy as np
import pytest

from neurosim.cli import main
from neurosim.scenarios import load_scenario


def _run(argv, capsys=None):
    out = io.StringIO()
    code = main(argv, out)
    return code, out.getvalue()


def _csv_values(text: str) -> dict[str, float]:
    return {row.split(",")[1]: float(row.split(",")[2]) for row in text.splitlines()[1:]}


def test_a_saved_network_runs_on_where_it_stopped(tmp_path):
    """10 steps, saved, then 5 more from the file: the same weights as 15 steps at once."""
    net = tmp_path / "trained.json"
    assert main(["run", "mazur", "--steps", "10", "--save", str(net)], io.StringIO()) == 0
    assert json.loads(net.read_text())["exercise"]["data"]["inputs"] == [[0.05, 0.1]]
    code, more = _run(["run", str(net), "--steps", "5", "--format", "csv", "--trace", "5"])
    code_all, whole = _run(["run", "mazur", "--steps", "15", "--format", "csv", "--trace", "15"])
    assert code == code_all == 0
    theirs, ours = _csv_values(more), _csv_values(whole)
    for name in ("w1+", "w5+", "w8+", "E_total+"):
        assert theirs[name] == ours[name], name  # bit for bit: the file keeps every digit
    code, text = _run(["explain", "mazur", "--from", str(net)])
    assert code == 0 and "(from trained.json)" in text
    # the givens of the worked step are the trained ones, not Mazur's 0.4
    ten = _csv_values(_run(["run", "mazur", "--steps", "10", "--format", "csv", "--trace", "10"])[1])
    assert f"{ten['w5+']:.9f}".rstrip("0")[:10] in text and "| 0.4 |" not in text


def test_from_works_for_gradcheck_plot_and_check_and_refuses_another_shape(tmp_path, capsys):
    net = tmp_path / "t.json"
    assert main(["run", "mazur", "--steps", "100", "--save", str(net)], io.StringIO()) == 0
    code, text = _run(["gradcheck", "mazur", "--from", str(net)])
    assert code == 0 and "passed: all 10 gradients agree" in text
    assert main(["plot", "mazur", "--from", str(net), "--kind", "weights", "-o", str(tmp_path / "w.svg")],
                io.StringIO()) == 0
    assert main(["run", "xor_tanh", "--from", str(net)], io.StringIO()) == 2
    assert capsys.readouterr().err.strip().endswith("layers: the network file has 2-2-2, the exercise 2-4-1")
    # published figures are about Mazur's starting weights: not compared from a trained start
    code, text = _run(["check", str(net)])
    assert "Published figures" not in text


def test_a_network_file_without_its_exercise_says_what_to_do(tmp_path, capsys):
    spec = load_scenario("mazur")
    path = tmp_path / "old.json"
    spec.build_network().save(path)  # Network.save: weights only
    assert main(["run", str(path)], io.StringIO()) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"neurosim run EXERCISE --from {path}" in err
    assert main(["run", "mazur", "--from", str(path), "--steps", "2"], io.StringIO()) == 0


@pytest.mark.parametrize("kind", ["csv", "semicolon-csv", "npy"])
def test_data_from_a_csv_or_npy_file_named_in_the_exercise(tmp_path, kind):
    """XOR's four samples from files beside the exercise: the same run as written inline."""
    inputs, targets = [[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]]
    inline = tmp_path / "inline.toml"
    head = '[network]\nlayers = [2, 3, 1]\nseed = 2\n[training]\nsteps = 50\nlearning_rate = 0.5\n'
    inline.write_text(head + f"[data]\ninputs = {inputs}\ntargets = {targets}\n")
    folder = tmp_path / "data"
    folder.mkdir()
    if kind == "npy":
        np.save(folder / "x.npy", np.array(inputs, dtype=float))
        np.save(folder / "y.npy", np.array(targets, dtype=float).ravel())  # one column may be a flat array
        names = ("data/x.npy", "data/y.npy")
    elif kind == "csv":
        (folder / "x.csv").write_text("i1,i2\n" + "".join(f"{a},{b}\n" for a, b in inputs))
        (folder / "y.csv").write_text("".join(f"{t}\n" for (t,) in targets))
        names = ("data/x.csv", "data/y.csv")
    else:
        (folder / "x.csv").write_text("\ufeffi1;i2\n" + "".join(f"{a},0;{b}\n" for a, b in inputs))
        (folder / "y.csv").write_text("o1\n" + "".join(f"{t}\n" for (t,) in targets))
        names = ("data/x.csv", "data/y.csv")
    named = tmp_path / "named.toml"
    named.write_text(head + f'[data]\ninputs = "{names[0]}"\ntargets = "{names[1]}"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    a = _run(["run", str(inline), "--format", "csv"])
    b = _run(["run", str(named), "--format", "csv"])
    assert a == b and a[0] == 0
    # --save keeps the file's absolute name: the saved network runs from anywhere
    net = elsewhere / "n.json"
    assert main(["run", str(named), "--save", str(net)], io.StringIO()) == 0
    assert main(["run", str(net), "--steps", "2"], io.StringIO()) == 0


def test_a_bad_data_file_is_one_line_naming_it(tmp_path, capsys):
    (tmp_path / "x.csv").write_text("0.1,0.2\n0.3,abc\n")
    (tmp_path / "y.npy").write_bytes(b"not numpy")
    cases = [('"x.csv"', '[[1]]', "data.inputs: x.csv row 2: 'abc' is not a number"),
             ('[[0.1, 0.2]]', '"y.npy"', "is not a NumPy .npy array"),
             ('"nosuch.csv"', '[[1]]', "nosuch.csv: no such file"),
             ('"x.xlsx"', '[[1]]', "read .csv or .npy files")]
    for inputs, targets, words in cases:
        path = tmp_path / "e.toml"
        path.write_text(f"[network]\nlayers = [2, 1]\nseed = 1\n[data]\ninputs = {inputs}\ntargets = {targets}\n")
        assert main(["run", str(path)], io.StringIO()) == 2
        err = capsys.readouterr().err
        assert words in err and err.count("\n") == 1, err
