"""Saving and loading networks, and the per-step exports (wide CSV, JSON Lines)."""

import csv
import json
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurosim import Network, NeurosimError, build_network, trace_step
from neurosim.cli import main
from neurosim.core.netfile import VERSION

finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


@settings(max_examples=60, deadline=None)
@given(st.lists(finite, min_size=12, max_size=12), st.sampled_from(["shared", "per-neuron", "none"]))
def test_save_load_round_trips_bit_for_bit(tmp_path_factory, values, bias):
    n_bias = {"shared": 2, "per-neuron": 4, "none": 0}[bias]
    net = build_network([2, 2, 2], ["tanh", "sigmoid"], weights=values[:8], biases=values[8:8 + n_bias] or None,
                        bias_mode=bias)
    path = tmp_path_factory.mktemp("net") / "net.json"
    net.save(path)
    back = Network.load(path)
    assert back.sizes == net.sizes and back.activations == net.activations and back.bias_mode == bias
    for (name, a), (name_b, b) in zip(net.parameters().items(), back.parameters().items()):
        assert name == name_b
        assert np.float64(a).tobytes() == np.float64(b).tobytes()  # bit for bit, -0.0 included


def test_saved_file_is_readable_json_with_a_version(tmp_path, mazur_network):
    path = tmp_path / "net.json"
    mazur_network.save(path)
    data = json.loads(path.read_text())
    assert data["format"] == "neurosim-network" and data["version"] == 1 < VERSION  # dense: as every reader reads
    assert data["weights"]["w5"] == 0.4 and data["biases"] == {"b1": 0.35, "b2": 0.6}


@pytest.mark.parametrize("text, words", [
    ('{"format": "neurosim-network", "version": 99, "layers": [1, 1]}', "format version 99 is newer"),
    ('{"format": "neurosim-network", "version": 1, "layers": [2, 2, 2], "activations": "sigmoid", '
     '"bias": "none", "weights": {"w1": 1}}', "weights: missing w2"),
    ('{"format": "neurosim-network", "version": 1, "layers": [2, 2', "damaged or not JSON"),
    ('{"weights": {}}', "not a neurosim network file"),
    ('', "damaged or not JSON"),
    ('{"format": "neurosim-network", "version": 1, "layers": [1, 1], "activations": "sigmoid", "bias": "none", '
     '"weights": {"w1": NaN}}', "NaN is not a finite number"),
])
def test_damaged_or_newer_files_give_one_clear_error(tmp_path, text, words):
    path = tmp_path / "net.json"
    path.write_text(text)
    with pytest.raises(NeurosimError, match=words) as info:
        Network.load(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_a_failed_save_leaves_the_old_file(tmp_path, mazur_network, monkeypatch):
    path = tmp_path / "net.json"
    mazur_network.save(path)
    before = path.read_text()
    import contextlib

    import neurosim.core.netfile as netfile
    real = netfile.atomic_text

    @contextlib.contextmanager
    def interrupted_half_way(target):
        with real(target) as handle:
            class Handle:
                def write(self, text):
                    handle.write(text[:len(text) // 2])
                    raise KeyboardInterrupt
            yield Handle()
    monkeypatch.setattr(netfile, "atomic_text", interrupted_half_way)
    with pytest.raises(KeyboardInterrupt):
        mazur_network.save(path)
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["net.json"]  # no temporary file left behind


def test_run_save_stores_the_trained_network(tmp_path, capsys, mazur_conventions):
    path = tmp_path / "trained.json"
    assert main(["run", "mazur", "--save", str(path)]) == 0
    net = Network.load(path)
    assert round(net.parameters()["w5"], 8) == 0.35891648  # Mazur's w5+
    assert round(net.parameters()["w1"], 9) == 0.149780716  # Mazur's w1+


def test_wide_csv_one_row_per_step(tmp_path, capsys, mazur_network, mazur_conventions):
    path = tmp_path / "run.csv"
    assert main(["run", "mazur", "--steps", "3", "--wide-csv", str(path)]) == 0
    rows = list(csv.DictReader(path.open()))
    assert [r["step"] for r in rows] == ["0", "1", "2", "3"]
    assert list(rows[0])[:4] == ["step", "E_total", "E_total+", "w1"]
    assert rows[0]["w5"] == "0.4" and rows[0]["E_total"] == ""
    assert round(float(rows[1]["E_total"]), 9) == 0.298371109  # Mazur's E_total
    assert round(float(rows[1]["w5"]), 8) == 0.35891648 and rows[1]["b1"] == "0.35"
    # row 2 continues from row 1: one more step by the API from the row-1 weights gives row 2
    net = build_network([2, 2, 2], "sigmoid", {k: float(rows[1][k]) for k in net_names(mazur_network)})
    trace = trace_step(net, [((0.05, 0.10), (0.01, 0.99))], mazur_conventions)
    assert float(rows[2]["E_total"]) == trace.E_total and float(rows[2]["w1"]) == trace.quantities()["w1+"]


def net_names(net):
    return net.parameter_names()


def test_jsonl_schema(capsys):
    assert main(["run", "mazur", "--steps", "4", "--trace", "1,3", "--format", "jsonl"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [l["type"] for l in lines] == ["run", "trace", "step", "step", "trace", "step", "step", "end"]
    run = lines[0]
    assert run["schema"] == "neurosim-jsonl" and run["version"] == 1 and run["layers"] == [2, 2, 2]
    assert run["parameters"]["w5"] == 0.4
    assert round(lines[1]["quantities"]["dE/dw5"], 9) == 0.082167041
    steps = [l for l in lines if l["type"] == "step"]
    assert [s["step"] for s in steps] == [1, 2, 3, 4]
    assert steps[0]["E_total+"] == steps[1]["E_total"]  # one sample: the loss after step 1 is step 2's
    assert lines[-1] == {"type": "end", "steps_done": 4, "complete": True}


def test_long_jsonl_run_streams_in_constant_memory(tmp_path):
    """Peak memory of a 20,000-step run streamed to a file is close to that of a 2,000-step one."""
    code = ("import resource, sys\nfrom neurosim.cli import main\n"
            "out = open(sys.argv[2], 'w')\nmain(['run', 'mazur', '--steps', sys.argv[1], '--format', 'jsonl',"
            " '--wide-csv', sys.argv[3]], out)\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n")
    peaks = []
    for steps in ("2000", "20000"):
        result = subprocess.run([sys.executable, "-c", code, steps, str(tmp_path / "o.jsonl"),
                                 str(tmp_path / "w.csv")], capture_output=True, text=True, check=True)
        peaks.append(int(result.stdout.split()[-1]))
    # 18,000 more steps held in memory would be well over 10 MB (each line is ~600 bytes as text)
    assert peaks[1] - peaks[0] < 5_000, peaks
    assert sum(1 for _ in open(tmp_path / "o.jsonl")) == 20000 + 4  # run, trace 1, trace last, end


def test_interrupt_keeps_the_run_so_far(tmp_path, capsys, monkeypatch):
    """Ctrl-C between steps: the summary so far, the CSV rows so far, the network saved, exit 130."""
    import neurosim.cli.progress as progress

    original = progress.RunControl.__call__

    def press_ctrl_c_at_step_250(self, step, e_total, network):
        if step == 250:
            self.stop_requested = True
        return original(self, step, e_total, network)
    monkeypatch.setattr(progress.RunControl, "__call__", press_ctrl_c_at_step_250)
    csv_path, net_path = tmp_path / "w.csv", tmp_path / "n.json"
    code = main(["run", "mazur", "--steps", "1000", "--wide-csv", str(csv_path), "--save", str(net_path)])
    out, err = capsys.readouterr()
    assert code == 130
    assert "interrupted after step 250 of 1,000" in err
    summary = out.split("Training summary")[1]
    assert "\n250 " in summary and "1000" not in summary
    rows = list(csv.DictReader(csv_path.open()))
    assert rows[-1]["step"] == "250"
    assert Network.load(net_path).parameters()["w5"] == float(rows[-1]["w5"])
