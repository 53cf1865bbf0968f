"""neurosim: a neuron-level neural-network simulator whose traces check backprop by hand.

    from neurosim import build_network, Conventions, trace_step, render_step
    net = build_network([2, 2, 2], "sigmoid", {"w1": 0.15, …, "b1": 0.35, "b2": 0.60})
    trace = trace_step(net, [((0.05, 0.10), (0.01, 0.99))], Conventions(update_biases=False))
    print(render_step(trace))

A learning rule carries its state from step to step (core/rules):
    conventions = Conventions(learning_rate=0.01, rule=rule_config("adam", {"betas": (0.9, 0.999)}))
    rule = conventions.make_rule()
    for step in (1, 2):
        trace = trace_step(net, samples, conventions, step=step, rule=rule)
"""

from .core.activations import ACTIVATIONS, Activation, get_activation
from .core.arithmetic import Arithmetic
from .core.conventions import Conventions
from .core.exercise import Spec
from .core.losses import LOSSES, Loss, get_loss
from .core.network import Bias, Connection, Layer, Network, Neuron, build_network
from .core.rules import RULE_NAMES, RuleConfig, rule_config
from .core.step import evaluate, trace_step
from .core.trace import StepTrace
from .engines.neuron_loop import fast_step
from .errors import NeurosimError, TrainingDiverged
from .files.exercise import load_spec, spec_from_dict
from .version import __version__  # noqa: F401  (neurosim.__version__)
from .views.report import render_step, step_tables

__all__ = [
    "ACTIVATIONS", "Activation", "Arithmetic", "Bias", "Connection", "Conventions", "LOSSES", "Layer",
    "Loss", "Network", "Neuron", "NeurosimError", "RULE_NAMES", "RuleConfig", "Spec", "StepTrace", "TrainingDiverged",
    "build_network", "evaluate", "fast_step", "get_activation", "get_loss", "load_spec", "render_step",
    "rule_config", "spec_from_dict", "step_tables", "trace_step",
]
