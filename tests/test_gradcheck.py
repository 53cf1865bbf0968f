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
