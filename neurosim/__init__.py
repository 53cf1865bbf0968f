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

The names below are imported when first used (start-up time: the command line imports only what
its command needs); a notebook's HTML view of a step or a network loads the views when first shown.
"""

from __future__ import annotations

import importlib

from .core.display import register_loader
from .version import __version__  # noqa: F401  (neurosim.__version__)

# Each public name and the module it lives in, imported when first used (PEP 562): `import neurosim`
# stays cheap, so the command line's start-up (numpy and all) happens where a Ctrl-C is caught, and
# each command loads only what it uses.
_WHERE = {
    "ACTIVATIONS": ".core.activations", "Activation": ".core.activations", "get_activation": ".core.activations",
    "Arithmetic": ".core.arithmetic", "Conventions": ".core.conventions", "Spec": ".core.exercise",
    "LOSSES": ".core.losses", "Loss": ".core.losses", "get_loss": ".core.losses",
    "Bias": ".core.network", "Connection": ".core.network", "Layer": ".core.network", "Network": ".core.network",
    "Neuron": ".core.network", "build_network": ".core.network",
    "RULE_NAMES": ".core.rules", "RuleConfig": ".core.rules", "rule_config": ".core.rules",
    "evaluate": ".core.step", "trace_step": ".core.step", "StepTrace": ".core.trace",
    "fast_step": ".engines.neuron_loop", "NeurosimError": ".errors", "TrainingDiverged": ".errors",
    "load_spec": ".files.exercise", "spec_from_dict": ".files.exercise",
    "render_step": ".views.report", "step_tables": ".views.report",
}

__all__ = sorted(_WHERE)


def _views() -> None:
    """Import the views, which register the HTML a notebook shows for a StepTrace and a Network."""
    importlib.import_module(".views.report", __name__)


register_loader(_views)


def __getattr__(name: str):
    """A public name, imported from its module when first used (only that module: the views load
    when a notebook first shows a step or a network, through the loader registered above)."""
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
