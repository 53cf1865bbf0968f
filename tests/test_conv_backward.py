"""The conv_backward scenario (issue 20, item 6): the published worked example of a convolution's
backward pass, LexAI Labs' "Conv2D backward (dx, dW)", Example 1,
https://prof.lexailabs.com/practice/build-cnn-05-conv2d-backward — x = arange(16) as 4x4,
W = [[1, 2], [3, 4]], an upstream gradient of 1 at output (0, 0): dW = [[0, 1], [4, 5]] and
dx = [[1, 2], [3, 4]] on the top-left 2x2, 0 elsewhere, as the page prints them."""

import io

import numpy as np

from neurosim.check.published import check_published
from neurosim.cli import main
from neurosim.core.step import trace_step
from neurosim.scenarios import load_scenario

PRINTED_DW = {"dE/dk1_11": 0.0, "dE/dk1_12": 1.0, "dE/dk1_21": 4.0, "dE/dk1_22": 5.0}
PRINTED_DX = np.zeros((4, 4))
PRINTED_DX[:2, :2] = [[1, 2], [3, 4]]


def _quantities():
    spec = load_scenario("conv_backward")
    network = spec.build_network()
    return spec, trace_step(network, spec.samples, spec.conventions).quantities()


def test_the_pages_printed_gradients_are_neurosims_and_every_published_figure_agrees():
    spec, values = _quantities()
    assert {name: values[name] for name in PRINTED_DW} == PRINTED_DW
    dx = np.array([values[f"dE/dout_i{k}"] for k in range(1, 17)]).reshape(4, 4)
    assert np.array_equal(dx, PRINTED_DX)  # the page: "dx is 0 everywhere else"
    checks = check_published(spec, 1)
    assert len(checks) == 9 and all(check.agrees for check in checks)


def test_the_gradients_agree_with_the_pages_formula_computed_apart():
    """dW[u, v] = Σ_ij G[i, j]·x[i+u, j+v] and dx[h, w] = Σ G[i, j]·W[h-i, w-j], in NumPy, from the
    page's x, W and G (G recovered as the outputs less the targets, the scenario's delta)."""
    spec, values = _quantities()
    x = np.arange(16.0).reshape(4, 4)
    w = np.array([[1.0, 2.0], [3.0, 4.0]])
    out = np.array([[np.sum(x[i:i + 2, j:j + 2] * w) for j in range(3)] for i in range(3)])
    g = out - np.array(spec.targets[0]).reshape(3, 3)
    assert np.array_equal(g, np.eye(1, 9).reshape(3, 3))  # the page's grad_out
    dw = np.array([[np.sum(g * x[u:u + 3, v:v + 3]) for v in range(2)] for u in range(2)])
    dx = np.zeros((4, 4))
    for i in range(3):
        for j in range(3):
            dx[i:i + 2, j:j + 2] += g[i, j] * w
    assert dw.ravel().tolist() == [values[name] for name in PRINTED_DW]
    assert dx.ravel().tolist() == [values[f"dE/dout_i{k}"] for k in range(1, 17)]


def test_the_table_writes_a_kernel_gradient_as_its_nine_shares_and_a_student_with_the_pages_numbers_is_right():
    out = io.StringIO()
    assert main(["run", "conv_backward", "--only", "dE/dk1_22"], out) == 0
    row = next(line for line in out.getvalue().splitlines() if line.startswith("k1_22"))
    assert "delta_c1_11·i6 + delta_c1_12·i7 + …" in row and "(9 terms)" in row and "1·5 + 0·6 + …" in row
    out = io.StringIO()
    written = [f"--expect={name}={value:g}" for name, value in PRINTED_DW.items()] + ["--expect=dE/dout_i6=4"]
    assert main(["check", "conv_backward", *written], out) == 0
    assert "All 5 values right." in out.getvalue()
