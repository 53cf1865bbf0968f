"""`neurosim gradcheck`: passes on every scenario, and fails (exit 1) when a derivative is wrong."""

import io

import attrs
import pytest

from neurosim import ACTIVATIONS, Conventions, build_network, scenarios
from neurosim.check.gradcheck import check_gradients
from neurosim.cli import main


@pytest.mark.parametrize("name", scenarios.NAMES)
def test_gradcheck_passes_on_every_scenario(name):
    out = io.StringIO()
    assert main(["gradcheck", name], out) == 0, out.getvalue()
    text = out.getvalue()
    assert "tolerance:" in text and "passed" in text


def test_gradcheck_shows_chain_rule_factors_and_errors():
    out = io.StringIO()
    main(["gradcheck", "mazur"], out)
    row = next(line for line in out.getvalue().splitlines() if line.startswith("w5 "))
    assert "dE/dout_o1·dout_o1/dnet_o1·dnet_o1/dw5" in row and "0.74136507·0.186815602·0.593269992" in row
    assert row.count("0.082167041") == 2  # analytic and numeric


def test_a_wrong_activation_derivative_fails_the_check(monkeypatch):
    sigmoid = ACTIVATIONS["sigmoid"]
    wrong = attrs.evolve(sigmoid, derivative_from=lambda net, out: out * (1 - out) * 1.01)  # off by 1%
    monkeypatch.setitem(ACTIVATIONS, "sigmoid", wrong)
    out = io.StringIO()
    assert main(["gradcheck", "mazur"], out) == 1
    assert "EXCEEDS" in out.getvalue() and "FAILED" in out.getvalue()


def test_a_wrong_loss_derivative_fails_the_check(monkeypatch):
    from neurosim.core.losses import LOSSES
    wrong = attrs.evolve(LOSSES["half_sse"], derivative=lambda t, o, n: -2 * (t - o))  # the sse factor 2
    monkeypatch.setitem(LOSSES, "half_sse", wrong)
    results = check_gradients(build_network([2, 2, 1], "tanh", rng=__import__("numpy").random.default_rng(3)),
                              [((0.3, -0.2), (0.5,))], Conventions(loss="half_sse"))
    assert not any(r.ok for r in results)


def test_gradcheck_bad_target_is_one_line():
    import subprocess
    import sys
    result = subprocess.run([sys.executable, "-m", "neurosim", "gradcheck", "mazurr"], capture_output=True, text=True)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "did you mean 'mazur'" in result.stderr


def test_numeric_gradients_of_the_matrix_engine_agree_with_one_at_a_time_on_the_objects():
    """check/numeric.py moves every parameter at once on the matrix engine; numeric_gradient moves one at
    a time on a copy of the network's objects: two implementations of the same central differences."""
    import numpy as np

    from neurosim.check.gradcheck import numeric_gradient
    from neurosim.check.numeric import numeric_gradients
    cases = [([2, 2, 2], "sigmoid", "shared", "half_sse", "online", 1),
             ([3, 4, 3], ["tanh", "softmax"], "per-neuron", "cce", "batch-mean", 3),
             ([2, 3, 2, 1], ["relu", "leaky_relu", "sigmoid"], "none", "bce", "batch-sum", 4),
             ([3, 2, 2], ["softplus", "linear"], "shared", "mse", "batch-sum", 2)]
    for sizes, acts, bias, loss, mode, m in cases:
        network = build_network(sizes, acts, bias_mode=bias, rng=np.random.default_rng(5), init="normal")
        rng = np.random.default_rng(6)
        samples = [(tuple(rng.normal(size=sizes[0])), tuple(rng.dirichlet(np.ones(sizes[-1])) if loss == "cce"
                                                            else rng.uniform(0.1, 0.9, size=sizes[-1])))
                   for _ in range(m)]
        conv = Conventions(loss=loss, mode=mode)
        at_once = numeric_gradients(network, samples, conv, 1e-3)
        assert sorted(at_once) == sorted(network.parameter_names())
        for name in network.parameter_names():
            assert at_once[name] == pytest.approx(numeric_gradient(network, samples, conv, name), rel=1e-9, abs=1e-11)


def test_gradcheck_at_size_passes_and_is_elided(tmp_path):
    import numpy as np
    rng = np.random.default_rng(8)
    path = tmp_path / "wide.toml"
    path.write_text(f'[network]\nlayers = [100, 30, 10]\nactivations = ["tanh", "softmax"]\ninit = "normal"\n'
                    f'seed = 3\n[data]\ninputs = [{rng.uniform(size=100).round(3).tolist()}]\n'
                    f'targets = [{np.eye(10)[4].tolist()}]\n[training]\nloss = "cce"\n')
    out = io.StringIO()
    assert main(["gradcheck", str(path)], out) == 0, out.getvalue()
    text = out.getvalue()
    assert "passed: all 3,302 gradients agree" in text and "3,302 parameters, " in text
    assert len(text.splitlines()) < 60
