"""A classifier's training summary says how many samples it classifies right before and after
training (the class of the largest output; one output: 1 when out ≥ 0.5), counted here on the
objects from the saved network, apart from the matrix engine run uses."""

import io
import tomllib

import pytest

from neurosim import Network, evaluate
from neurosim.cli.main import main
from neurosim.files.exercise import spec_from_dict
from neurosim.scenarios import load_scenario

THREE_CLASSES = """
title = "three classes"
[network]
layers = [2, 4, 3]
activations = ["tanh", "softmax"]
bias = "per-neuron"
seed = 3
init = "normal"
[data]
inputs = [[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.2], [0.9, 0.8]]
targets = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0], [0, 0, 1]]
[training]
loss = "cce"
learning_rate = 0.5
steps = 200
mode = "batch-mean"
"""


def run(argv):
    out = io.StringIO()
    assert main(argv, out) == 0
    return " ".join(out.getvalue().split())


def right(spec, network) -> int:
    """Samples whose target's class is the network's, from the objects' outputs."""
    count = 0
    for inputs, targets in spec.samples:
        outputs = evaluate(network, inputs)
        if len(outputs) == 1:
            count += (outputs[0] >= 0.5) == (targets[0] == 1)
        else:
            count += outputs.index(max(outputs)) == list(targets).index(1)
    return count


def sentence(before: int, after: int, n: int) -> str:
    return (f"Accuracy: {before} of {n} samples classified right before training ({before / n:.0%}), {after} after "
            f"({after / n:.0%})")


@pytest.mark.parametrize("source", ["xor_momentum", "three_classes"])
def test_a_classifiers_summary_counts_the_samples_it_classifies_right(tmp_path, source):
    if source == "three_classes":
        path = tmp_path / "three.toml"
        path.write_text(THREE_CLASSES)
        spec, target = spec_from_dict(tomllib.loads(THREE_CLASSES)), str(path)
    else:
        spec, target = load_scenario(source), source
    saved = tmp_path / "net.json"
    out = run(["run", target, "--save", str(saved)])
    before, after = right(spec, spec.build_network()), right(spec, Network.load(saved))
    assert after > before  # training helped: the counts are not both of one network
    assert sentence(before, after, len(spec.samples)) in out


def test_a_regression_has_no_accuracy():
    assert "Accuracy" not in run(["run", "mazur", "--steps", "3"])  # targets 0.01 and 0.99 are not classes
