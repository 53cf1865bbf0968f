"""Warnings a command prints before it runs (on stderr, so that `> file` stays clean): a layer
that starts saturated (engines/saturation.py), with the initialisations that avoid it."""

from __future__ import annotations

import sys
from typing import TextIO

from ..core.exercise import Spec
from ..core.network import Network
from ..messages import say


def warn_saturated(spec: Spec, network: Network, stream: TextIO | None = None) -> None:
    """One line per layer saturated at step 1, and how to draw starting weights that avoid it."""
    from ..engines.saturation import saturated_layers  # (start-up: NumPy's matrix engine)

    stream = stream or sys.stderr
    found = saturated_layers(network, spec.inputs, spec.conventions)
    for s in found:
        print(say("neurosim: warning: layer {layer} ({count} {activation} neurons) is saturated at step 1: every "
                  "dout/dnet is at most {largest}, so its deltas are about 0 and the weights into it hardly change",
                  layer=s.layer, count=f"{s.neurons:,}", activation=s.activation, largest=f"{s.largest:.3g}"),
              file=stream)
    if found and spec.weights is None:
        print(say("neurosim: the starting weights are drawn with init = \"{init}\"; for wide layers draw them scaled "
                  "to the layer, as PyTorch's nn.init does: init = \"xavier_uniform\" (sigmoid, tanh) or "
                  "\"kaiming_uniform\" (ReLU) under [network] (or init = \"normal\" with inputs of about 1)",
                  init=spec.init), file=stream)
