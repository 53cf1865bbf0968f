"""What the tables and worked solutions write is correct NumPy and reads once (issue 18, item 17):
the matrix view parenthesises a derivative with a top-level minus (dA1 ⊙ (1 - A1⊙A1)), says which
softmax Jacobians it leaves out, and a worked solution writes tanh(-0.61) (not tanh((-0.61))) and
never repeats a side (out_o1 = net_o1 = -0.89, not = -0.89 = -0.89)."""

import io
import re

from neurosim.cli import main

TANH = """title = "tanh"
[network]
layers = [2, 2, 1]
activations = ["tanh", "linear"]
weights = [-0.5, 0.3, 0.2, -0.4, 0.6, -0.7]
biases = [0.1, -0.2]
[data]
inputs = [[1.0, -0.7]]
targets = [[0.5]]
[training]
learning_rate = 0.1
"""

SOFTMAX6 = """title = "six samples"
[network]
layers = [2, 3]
activations = "softmax"
seed = 3
init = "normal"
[data]
inputs = [[0.1, 0.2], [0.3, 0.1], [0.5, 0.9], [0.2, 0.2], [0.7, 0.4], [0.9, 0.6]]
targets = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]]
[training]
loss = "cce"
mode = "batch-mean"
"""


def _out(argv) -> str:
    out = io.StringIO()
    assert main(argv, out) == 0
    return out.getvalue()


def test_the_matrix_view_of_tanh_parenthesises_the_derivative(tmp_path):
    path = tmp_path / "tanh.toml"
    path.write_text(TANH, encoding="utf-8")
    text = _out(["run", str(path), "--view", "matrix"])
    assert "dZ1 = dA1 ⊙ (1 - A1⊙A1)" in text
    assert "⊙ 1 - " not in text


def test_six_samples_say_which_softmax_jacobians_are_not_shown(tmp_path):
    path = tmp_path / "six.toml"
    path.write_text(SOFTMAX6, encoding="utf-8")
    text = _out(["run", str(path), "--view", "matrix"])
    assert "J1[s4]" in text and "J1[s5]" not in text
    assert "The Jacobians of 2 more samples (s5 … s6) are not shown; --full shows every sample's." in text
    full = _out(["run", str(path), "--view", "matrix", "--full"])
    assert "J1[s6]" in full and "not shown" not in full


def test_a_worked_solution_writes_a_negative_argument_once_and_no_side_twice(tmp_path):
    path = tmp_path / "tanh.toml"
    path.write_text(TANH, encoding="utf-8")
    table = _out(["run", str(path)])
    assert "tanh(-0.61)" in table and "tanh((" not in table
    for fmt in ("markdown", "latex", "html"):
        text = _out(["explain", str(path), "--format", fmt]).replace("−", "-")  # HTML's minus sign
        assert r"\tanh\left(-0.61\right)" in text or "tanh(-0.61)" in text, fmt
        assert r"\tanh\left(\left(" not in text and "tanh((" not in text, fmt
    for fmt in ("markdown", "latex"):  # no 'a = b = b': a side that only repeats the next is left out
        for line in _out(["explain", str(path), "--format", fmt]).splitlines():
            sides = [s.strip().rstrip("\\").strip() for s in re.split(r"&?= ", line)][1:]
            assert all(a != b and a != rf"\left({b}\right)" for a, b in zip(sides, sides[1:])), (fmt, line)
