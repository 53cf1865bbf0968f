"""Command-line options for the learning rule, named as PyTorch and SNNS name the parameters:
`--rule adam --betas 0.9 0.999 --eps 1e-8`, `--momentum 0.9` (alone: the momentum rule),
`--nesterov`, `--flat-spot 0.1`, `--tolerance 0.1`, `--state v_w5=0.08`. They change the
exercise's [training.rule] table (a different --rule starts a new table) and are checked like it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping

from ..core.rules import RULE_NAMES
from ..errors import NeurosimError
from ..messages import say

# option destination → the [training.rule] key it sets
_PARAMS = ("momentum", "form", "dampening", "weight_decay", "decay", "betas", "eps", "eps_form", "alpha",
           "lr_decay", "initial_accumulator", "etas", "step_sizes", "initial_step", "variant", "mu",
           "buffer_start")
_FLAGS = {"amsgrad": ("amsgrad", True), "centered": ("centered", True),
          "no_bias_correction": ("bias_correction", False), "no_decay_biases": ("decay_biases", False)}


def add_rule_options(parser: argparse.ArgumentParser) -> None:
    """The learning-rule options, in their own group."""
    group = parser.add_argument_group("learning rule (override the exercise's [training.rule])")
    group.add_argument("--rule", metavar="NAME", help=" | ".join(RULE_NAMES))
    group.add_argument("--momentum", type=float, metavar="μ", help="momentum (alone: --rule momentum)")
    group.add_argument("--form", help="momentum form: after-lr | before-lr | normalized | gradient-only")
    group.add_argument("--nesterov", action="store_true", help="Nesterov momentum (--rule nesterov)")
    group.add_argument("--dampening", type=float, metavar="τ", help="PyTorch's dampening (before-lr form)")
    group.add_argument("--weight-decay", type=float, metavar="λ", help="weight decay λ")
    group.add_argument("--decay", help="coupled (λ·w added to dE/dw) | decoupled (taken off the weight)")
    group.add_argument("--no-decay-biases", action="store_true", help="weight decay on the weights only")
    group.add_argument("--betas", type=float, nargs=2, metavar=("β1", "β2"), help="Adam's betas")
    group.add_argument("--eps", type=float, metavar="ε", help="ε of Adam, RMSprop, Adagrad")
    group.add_argument("--eps-form", help="Adam: corrected (ε on √vhat, PyTorch) | uncorrected (TensorFlow)")
    group.add_argument("--no-bias-correction", action="store_true", help="Adam without bias correction")
    group.add_argument("--amsgrad", action="store_true", help="Adam's AMSGrad variant")
    group.add_argument("--alpha", type=float, metavar="α", help="RMSprop's smoothing constant")
    group.add_argument("--centered", action="store_true", help="centered RMSprop")
    group.add_argument("--lr-decay", type=float, help="Adagrad's learning-rate decay")
    group.add_argument("--initial-accumulator", type=float, help="Adagrad's G before step 1")
    group.add_argument("--etas", type=float, nargs=2, metavar=("η-", "η+"), help="Rprop's etas")
    group.add_argument("--step-sizes", type=float, nargs=2, metavar=("MIN", "MAX"), help="Rprop's step sizes")
    group.add_argument("--initial-step", type=float, help="Rprop's step size before step 1")
    group.add_argument("--variant", help="Rprop: irprop- | rprop- | rprop+ | irprop+")
    group.add_argument("--mu", type=float, help="Quickprop's maximum growth factor")
    group.add_argument("--buffer-start", help="momentum buffer's first value: gradient | zero")
    group.add_argument("--state", action="append", metavar="NAME=VALUE", default=[],
                       help="the rule's state before step 1, e.g. v_w5=0.08 (repeatable)")
    group.add_argument("--flat-spot", type=float, metavar="c", help="flat-spot elimination: c added to dout/dnet")
    group.add_argument("--tolerance", type=float, metavar="dmax",
                       help="an output with |target - out| ≤ dmax sends back 0 (SNNS)")


def rule_changes(training: Mapping, args: argparse.Namespace, state_names: Callable | None = None) -> dict:
    """The [training] keys the options change: rule (a whole table), flat_spot, tolerance.
    `state_names` rewrites the --state names as the exercise file writes them (default: as typed)."""
    changes = {key: getattr(args, key, None) for key in ("flat_spot", "tolerance")}
    rule = _rule_table(training.get("rule"), args, state_names)
    if rule is not None:
        changes["rule"] = rule
    return {k: v for k, v in changes.items() if v is not None}


def rule_option_names(args: argparse.Namespace) -> dict[str, str]:
    """The [training.rule] keys the options set (training.rule.momentum) → the option typed (--momentum)."""
    typed = getattr(args, "typed_options", {})
    names = {f"training.rule.{key}": typed.get(key, "--" + key.replace("_", "-"))
             for key in _PARAMS if getattr(args, key, None) is not None}
    names.update((f"training.rule.{key}", typed.get(dest, "--" + dest.replace("_", "-")))
                 for dest, (key, _) in _FLAGS.items() if getattr(args, dest, False))
    for dest in ("momentum", "nesterov", "rule"):  # the option that chose the rule (--rule wins)
        if getattr(args, dest, None):
            names["training.rule.name"] = typed.get(dest, f"--{dest}")
    names.update((f"training.rule.state.{key}", f"--state {key}") for key in _state(getattr(args, "state", None) or []))
    return names


def _rule_table(current, args: argparse.Namespace, state_names: Callable | None = None) -> dict | None:
    params = {key: getattr(args, key) for key in _PARAMS if getattr(args, key, None) is not None}
    params.update(value for dest, value in _FLAGS.items() if getattr(args, dest, False))
    name = getattr(args, "rule", None)
    if getattr(args, "nesterov", False):
        if name not in (None, "nesterov"):
            raise NeurosimError(say("--nesterov: the rule is nesterov, not {name}", name=name))
        name = "nesterov"
    state = _state(getattr(args, "state", None) or [])
    if state and state_names is not None:
        state = dict(zip(state_names(list(state)), state.values()))
    if name is None and not params and not state:
        return None
    table = {"name": current} if isinstance(current, str) else dict(current or {"name": "sgd"})
    if name is None and table.get("name", "sgd") == "sgd" and "momentum" in params:
        name = "momentum"  # --momentum 0.9 alone: SGD with momentum, as PyTorch says it
    if name is not None and name != table.get("name"):
        table = {"name": name}
    table.update({k: list(v) if isinstance(v, (list, tuple)) else v for k, v in params.items()})
    if state:
        table["state"] = {**dict(table.get("state", {})), **state}
    return table


def _state(pairs: list[str]) -> dict:
    state = {}
    for pair in pairs:
        name, eq, value = pair.partition("=")
        if not eq or not name.strip() or not value.strip():
            raise NeurosimError(say("--state: '{pair}' is not NAME=VALUE (e.g. --state v_w5=0.08)", pair=pair))
        try:
            state[name.strip()] = int(value) if name.strip() == "t" else float(value)
        except ValueError:
            raise NeurosimError(say("--state: {value!r} is not a number", value=value.strip())) from None
    return state
