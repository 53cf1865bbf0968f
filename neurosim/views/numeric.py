"""Gradient descent with finite-difference gradients, as the tutorial "Building blocks of an ANN" §7
does it, beside the chain rule.

The tutorial changes one parameter at a time by h = 1e-4 and measures the change of the loss:

    dE/dp ≈ (E(p + h) - E(p)) / h        (forward difference; the step is the number h itself,
                                          while p + h is stored as the parameters are: in float32
                                          for float32 weights, so the real step is not exactly h)

and then updates every parameter at once, p+ = p - η·dE/dp, from gradients all measured at the
same old parameters (with a learning rule, the rule's p+ from them: core/rules). E is the
scenario's loss over all its samples. Nothing here prints.
"""

from __future__ import annotations

from ..core.exercise import Spec
from ..core.network import Network
from ..core.step import sample_loss, trace_step
from ..messages import say
from .numbers import fmt
from .tables import Table

FORWARD_STEP = 1e-4  # the tutorial's h


def finite_difference_gradients(network: Network, spec: Spec, h: float = FORWARD_STEP) -> dict[str, float]:
    """(E(p + h) - E(p)) / h for every parameter, the network left as it was."""
    conv, samples = spec.conventions, spec.samples
    keep_param = conv.arithmetic.keep_param
    base = sample_loss(network, samples, conv)
    grads = {}
    for name, value in network.parameters().items():
        network.set_parameters({name: keep_param(value + h)})
        grads[name] = (sample_loss(network, samples, conv) - base) / h
        network.set_parameters({name: value})
    return grads


def numeric_descent(spec: Spec, epochs: int, h: float = FORWARD_STEP) -> tuple[Network, list[float]]:
    """The tutorial's loop: `epochs` simultaneous updates with finite-difference gradients; returns the
    network and the loss before each update."""
    network = spec.build_network()
    conv = spec.conventions
    keep, keep_param = conv.arithmetic.keep, conv.arithmetic.keep_param
    rule = conv.make_rule()  # plain gradient descent: p+ = keep_param(p - η·dE/dp)
    biases = {b.name for b in network.biases}
    losses = []
    for _ in range(epochs):
        losses.append(sample_loss(network, spec.samples, conv))
        grads = finite_difference_gradients(network, spec, h)
        rule.begin_step(losses[-1])
        network.set_parameters({name: rule.update(name, value, grads[name], keep, keep_param, name in biases)[0]
                                for name, value in network.parameters().items()})
    return network, losses


def finite_difference_tables(spec: Spec, digits: int) -> list[Table]:
    """Step 1's gradients both ways, and the two descents side by side over the scenario's steps."""
    network = spec.build_network()
    numeric = finite_difference_gradients(network, spec)
    samples = spec.samples if spec.conventions.mode != "online" else spec.samples[:1]
    trace = trace_step(network, samples, spec.conventions)
    q = trace.quantities()
    rows = []
    for update in trace.updates:
        name = update.name
        chain = "·".join(f.name for f in update.parts[0].factors) if len(update.parts) == 1 else say("Σ parts")
        rows.append((name, chain, fmt(q[f"dE/d{name}"], digits), fmt(numeric[name], digits),
                     fmt(numeric[name] - q[f"dE/d{name}"], digits)))
    first = Table(say("Step 1: chain-rule gradients beside the tutorial's finite differences (E(p + {h}) - E(p)) / {h}",
                      h=f"{FORWARD_STEP:g}"),
                  (say("parameter"), say("chain rule"), say("dE/dp (chain rule)"), say("finite difference"),
                   say("difference")), tuple(rows))
    steps = spec.steps
    numeric_net, numeric_losses = numeric_descent(spec, steps)
    analytic_net = spec.build_network()
    analytic_losses = []
    rule = spec.conventions.make_rule()  # carried from step to step
    for _ in range(steps):
        analytic_losses.append(sample_loss(analytic_net, spec.samples, spec.conventions))
        trace_free_step(analytic_net, spec, rule)
    shown = sorted({k for k in (1, 2, *range(10, steps + 1, max(1, steps // 10)), steps) if k <= steps})
    loss_rows = [(str(k), fmt(analytic_losses[k - 1], digits), fmt(numeric_losses[k - 1], digits)) for k in shown]
    loss_rows.append((say("after the last"), fmt(sample_loss(analytic_net, spec.samples, spec.conventions), digits),
                      fmt(sample_loss(numeric_net, spec.samples, spec.conventions), digits)))
    second = Table(say("Loss before each update, η = {rate}: chain-rule gradients beside finite-difference gradients",
                       rate=f"{spec.conventions.learning_rate:g}"),
                   (say("epoch"), say("E_total (chain rule)"), say("E_total (finite differences)")), tuple(loss_rows))
    return [first, second]


def trace_free_step(network: Network, spec: Spec, rule=None) -> None:
    from ..engines.neuron_loop import fast_step

    samples = spec.samples
    if spec.conventions.mode == "online":
        for sample in samples:
            fast_step(network, [sample], spec.conventions, rule=rule)
    else:
        fast_step(network, samples, spec.conventions, rule=rule)
