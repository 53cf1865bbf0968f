"""Training that cannot go on stops with one line naming the step, the sample, the neuron and the
value — the first value that is not finite, in the order the values are computed."""

import subprocess
import sys

import pytest

from neurosim import Conventions, TrainingDiverged, build_network, fast_step, trace_step


def one_neuron(weight=1.0):
    """o1 = w1·i1 (linear, no bias): every value can be worked out by hand."""
    return build_network([1, 1], "linear", {"w1": weight}, bias_mode="none")


def test_loss_overflow_names_the_output_neuron():
    # net_o1 = 1e200 is finite; E_o1 = (0 - 1e200)² overflows.
    with pytest.raises(TrainingDiverged) as info:
        fast_step(one_neuron(), [((1e200,), (0.0,))], Conventions(loss="sse", learning_rate=1.0))
    assert str(info.value).startswith("training stopped at step 1, neuron o1: E_o1 = inf is not a finite number")
    assert (info.value.step, info.value.neuron, info.value.quantity) == (1, "o1", "E_o1")


def test_diverging_learning_rate_names_the_step_it_breaks():
    # Step 1: out 1, dE/dw1 = -2(0 - 1)·1 = 2, w1+ = 1 - 1e200·2 = -2e200 (finite).
    # Step 2: out_o1 = -2e200, E_o1 = 4e400 = inf.
    network = one_neuron()
    conv = Conventions(loss="sse", learning_rate=1e200)
    fast_step(network, [((1.0,), (0.0,))], conv, step=1)
    assert network.connections[0].weight == -2e200
    with pytest.raises(TrainingDiverged) as info:
        fast_step(network, [((1.0,), (0.0,))], conv, step=2)
    assert "step 2, neuron o1: E_o1 = inf" in str(info.value)


def test_forward_overflow_names_the_neuron_whose_net_input_overflows():
    network = build_network([1, 1, 1], "linear", {"w1": 1e200, "w2": 1e200}, bias_mode="none")
    with pytest.raises(TrainingDiverged) as info:
        trace_step(network, [((1.0,), (0.0,))], Conventions(loss="sse"))
    assert "step 1, neuron o1: net_o1 = inf is not a finite number" in str(info.value)


def test_backward_overflow_names_the_hidden_neuron():
    # Forward: out_h1 = 1, out_o1 = w2 = 1e300; dE/dout_o1 = 2e300, delta_o1 = 2e300;
    # dE/dout_h1 = delta_o1·w2 = 2e600 = inf.  E_o1 = 1e600 overflows too, but later in the order.
    network = build_network([1, 1, 1], "linear", {"w1": 1.0, "w2": 1e300}, bias_mode="none")
    with pytest.raises(TrainingDiverged) as info:
        fast_step(network, [((1.0,), (0.0,))], Conventions(loss="sse"))
    assert "step 1, neuron h1: dE/dout_h1 = inf" in str(info.value)


def test_batch_step_names_the_sample():
    samples = [((1.0,), (0.0,)), ((1e200,), (0.0,)), ((1.0,), (0.0,))]
    with pytest.raises(TrainingDiverged) as info:
        fast_step(one_neuron(), samples, Conventions(loss="sse", mode="batch-sum"), step=4)
    assert str(info.value).startswith("training stopped at step 4, sample 2, neuron o1: E_o1 = inf")


def test_float32_weight_overflow_names_the_weight_and_its_neuron():
    # float32 holds at most 3.4e38: w1+ = 1 - 1e39·2 overflows on storing.
    from neurosim import Arithmetic
    network = build_network([1, 1], "linear", {"w1": 1.0}, bias_mode="none", arithmetic=Arithmetic("float32"))
    conv = Conventions(loss="sse", learning_rate=1e39, arithmetic=Arithmetic("float32"))
    with pytest.raises(TrainingDiverged) as info:
        fast_step(network, [((1.0,), (0.0,))], conv)
    assert "step 1, neuron o1: w1+ (weight i1→o1) = -inf" in str(info.value)


def test_bce_on_a_saturated_output_no_longer_diverges():
    # out_o1 = 1 exactly with target 0: the factor form's dE/dout = (1 - 0)/(1·0·1) divides by zero, but
    # delta_o1 = out - target = 1 and E_o1 = ln(1 + e^100) - 0·100 = 100 are finite (core/combined.py).
    network = build_network([1, 1], "sigmoid", {"w1": 100.0}, bias_mode="none")
    q = trace_step(network, [((1.0,), (0.0,))], Conventions(loss="bce", learning_rate=0.5)).quantities()
    assert q["dE/dout_o1"] == float("inf") and q["delta_o1"] == 1.0 and q["E_o1"] == 100.0
    assert q["w1+"] == 99.5


def test_softmax_with_bce_names_the_saturated_output():
    # softmax with bce has no combined form: out_o1 = 1 exactly makes bce's dE/dout divide by zero.
    network = build_network([1, 2], "softmax", {"w1": 800.0, "w2": 0.0}, bias_mode="none")
    with pytest.raises(TrainingDiverged) as info:
        trace_step(network, [((1.0,), (1.0, 0.0))], Conventions(loss="bce"))
    assert "(saturated activation: out_o1 = 1 exactly, the softmax at net_o1 = 800," in str(info.value)
    assert "cce with a softmax output" in str(info.value)


def test_an_output_outside_0_1_with_bce_names_the_activation():
    network = build_network([1, 1], "tanh", {"w1": -1.0}, bias_mode="none")
    with pytest.raises(TrainingDiverged) as info:
        trace_step(network, [((1.0,), (0.0,))], Conventions(loss="bce"))
    assert "out_o1 = -0.761594 is outside (0, 1), where bce takes ln(out): bce needs a sigmoid or softmax " \
           "output, not tanh" in str(info.value)


def test_an_overflowing_update_names_the_learning_rate():
    # w1 = 1, dE/dw1 = -2(0 - 1)·1 = 2: w1+ = 1 - 1e308·2 overflows, while every weight was small.
    with pytest.raises(TrainingDiverged) as info:
        fast_step(one_neuron(), [((1.0,), (0.0,))], Conventions(loss="sse", learning_rate=1e308))
    assert str(info.value).endswith("w1+ (weight i1→o1) = -inf is not a finite number (learning rate: the update "
                                    "p+ = p - η·dE/dp overflowed; learning rate 1e+308 is too large for this gradient)")


def test_cli_keeps_what_it_printed_and_exits_1(tmp_path):
    path = tmp_path / "diverge.toml"
    path.write_text('title = "diverges"\n[network]\nlayers = [1, 1]\nactivations = "linear"\nbias = "none"\n'
                    'weights = [1.0]\n[data]\ninputs = [[1.0]]\ntargets = [[0.0]]\n'
                    '[training]\nloss = "sse"\nlearning_rate = 1e200\nsteps = 5\n')
    result = subprocess.run([sys.executable, "-m", "neurosim", "run", str(path)], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr == ("neurosim: training stopped at step 2, neuron o1: E_o1 = inf is not a finite number "
                             "(exploding weights: |w1| = 2e+200 at the start of this step (learning rate 1e+200); "
                             "a smaller learning rate keeps them bounded)\n")
    assert "diverges — step 1" in result.stdout and "After the update" in result.stdout  # step 1, whole
    assert "step 2" not in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
