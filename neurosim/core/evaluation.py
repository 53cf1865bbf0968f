"""The network's outputs and loss for given samples, computed without changing any neuron:
the after-update values (out_o1+, E_total+) and the loss a source prints (E_report); and the check
of a step's samples (`check_data`: every input and target a finite number, named where one is not)."""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

from ..errors import NeurosimError
from ..messages import N_, say
from .arithmetic import LOSS, exact
from .combined import loss_terms
from .conventions import Conventions
from .losses import get_loss
from .network import Network
from .neuron import Keep, add_up
from .rules.base import Rule
from .wanted import Wanted

Sample = tuple[Sequence[float], Sequence[float]]


def check_arguments(network, samples, conventions, step, title, hooks, rule, wanted) -> None:
    """trace_step's arguments, each of the type it takes (a NeurosimError naming the one that is not),
    and its samples (`check_data`). A few microseconds when all is well."""
    oks = (isinstance(network, Network), isinstance(conventions, Conventions), type(step) is int and step >= 0,
           isinstance(title, str), hooks is None or hasattr(hooks, "dnet_dw"), rule is None or isinstance(rule, Rule),
           wanted is None or isinstance(wanted, Wanted))
    if not all(oks):
        values = (network, conventions, step, title, hooks, rule, wanted)
        field, expected = _ARGUMENTS[oks.index(False)]
        raise NeurosimError(say("{field}: expected {expected}, got {value!r}", field=field, expected=say(expected),
                                value=values[oks.index(False)]))
    check_data(network, samples)


_ARGUMENTS = (("network", N_("a Network, as build_network makes one")), ("conventions", N_("Conventions(…)")),
              ("step", N_("a whole number ≥ 0")), ("title", N_("a text")), ("hooks", N_("StepHooks or None")),
              ("rule", N_("None or a rule from Conventions.make_rule()")), ("wanted", N_("None or a Wanted")))


def check_data(network: Network, samples: Sequence[Sample]) -> None:
    """Every sample an (inputs, targets) pair of finite numbers, as many as the network has inputs
    and outputs; one that is not is named (sample 2, input i1 …) in a NeurosimError. A few
    operations per input, once per traced step (the fast engines' steps are not checked)."""
    if not _listed(samples):
        raise NeurosimError(say("samples: expected a list of (inputs, targets) pairs, got {value!r}", value=samples))
    for index, sample in enumerate(samples, start=1):
        if not (_listed(sample) and len(sample) == 2 and _listed(sample[0]) and _listed(sample[1])):
            raise NeurosimError(say("samples: sample {index} is {value!r}, not an (inputs, targets) pair of lists of "
                                    "numbers", index=index, value=sample))
        for values, neurons, sentences in ((sample[0], network.input_layer.neurons, _INPUT),
                                           (sample[1], network.output_layer.neurons, _TARGET)):
            if len(values) != len(neurons):
                raise NeurosimError(say(sentences[0], index=index, got=len(values), count=len(neurons)))
            try:
                finite = all(map(math.isfinite, values))  # (at C speed; text: TypeError)
            except TypeError:
                finite = False
            for neuron, value in () if finite else zip(neurons, values):  # which one is not
                if not isinstance(value, numbers.Real) or not math.isfinite(value):
                    raise NeurosimError(say(sentences[1], index=index, name=neuron.name, value=value))


_INPUT = (N_("data: sample {index} has {got} inputs, the network has {count}"),
          N_("data: sample {index}: input {name} is {value!r}, not a finite number"))
_TARGET = (N_("data: sample {index} has {got} targets, the network has {count} outputs"),
           N_("data: sample {index}: the target of output {name} is {value!r}, not a finite number"))


def _listed(values) -> bool:
    """A list, a tuple or an array (not a string): what a sample and its parts are given as."""
    return hasattr(values, "__len__") and hasattr(values, "__getitem__") and not isinstance(values, (str, bytes))


def layer_values(network: Network, inputs: Sequence[float], keep: Keep,
                 store: Keep | None = None) -> list[list[tuple[float, float]]]:
    """(net, out) of every neuron of every non-input layer (Network.layer_values)."""
    return network.layer_values(inputs, keep, store)


def evaluate(network: Network, inputs: Sequence[float], keep: Keep = exact, store: Keep | None = None) -> list[float]:
    """The network's outputs for `inputs`, computed without changing any neuron's state."""
    if not isinstance(network, Network):
        raise NeurosimError(say("network: expected a Network, as build_network makes one, got {value!r}",
                                value=network))
    check_data(network, [(inputs, [0.0] * len(network.output_layer.neurons))])
    return network.evaluate(inputs, keep, store)


def sample_loss(network: Network, samples: Sequence[Sample], conventions: Conventions,
                values: Sequence[list[list[tuple[float, float]]]] | None = None) -> float:
    """E_total over `samples` with the current parameters: Σ_s Σ_j E_oj (batch-mean: / number of samples);
    E_oj from net where the output activation and the loss have a combined form (core/combined.py).
    `values`: every sample's `layer_values` for these parameters, if computed already."""
    return loss_and_outputs(network, samples, conventions, outputs=False, values=values)[0]


def loss_and_outputs(network: Network, samples: Sequence[Sample], conventions: Conventions,
                     outputs: bool = True, values: Sequence[list[list[tuple[float, float]]]] | None = None,
                     ) -> tuple[float, tuple[tuple[float, ...], ...]]:
    """(E_total over `samples`, as `sample_loss`, and — if `outputs` — every sample's outputs), in one
    forward pass per sample (none where `values` has the sample's layer values already)."""
    keep, store = conventions.arithmetic.keeper(), conventions.arithmetic.storer()
    loss = network.step_loss(get_loss(conventions.loss), conventions)
    activation = network.output_layer.activation
    by_hand = conventions.arithmetic.round_to is not None  # E from the written outputs (core/combined.py)
    total, rows = 0.0, []
    for index, (inputs, targets) in enumerate(samples):
        last = (network.layer_values(inputs, keep, store) if values is None else values[index])[-1]
        nets, outs = [net for net, _ in last], [out for _, out in last]
        total += keep(add_up(loss_terms(activation, loss, targets, nets, outs, keep, by_hand)), LOSS)
        if outputs:
            rows.append(tuple(outs))
    if conventions.mode == "batch-mean":
        total = total / len(samples)
    return keep(total, LOSS), tuple(rows)
