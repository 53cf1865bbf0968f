"""An exercise as data: the network to build, the samples, the conventions, the run length, the
figures a source publishes and the values a user computed by hand (`Spec`).

Exercise files (TOML) are read into a `Spec` by neurosim.files.exercise; the built-in scenarios are
such files (neurosim/scenarios). Nothing here reads files or validates: a `Spec` is what a valid
exercise says.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np

from .conventions import Conventions
from .losses import get_loss
from .network import Network, build_network


@attrs.frozen
class Published:
    """A figure a source prints, and the training keys under which the source computed it."""

    quantity: str
    value: str
    source: str = ""
    overrides: tuple[tuple[str, Any], ...] = ()
    digits: int | None = None  # compare at this many decimals (None: as many as printed)

    @property
    def step(self) -> int:
        return int(self.quantity.rsplit("@", 1)[1]) if "@" in self.quantity else 1

    @property
    def name(self) -> str:
        return self.quantity.rsplit("@", 1)[0]


@attrs.frozen
class ReportedLoss:
    """A loss printed beside the training loss (E_report): `loss` over all samples, summed or
    averaged (`samples`), with the parameters before the step."""

    loss: str
    samples: str = "mean"

    @property
    def formula(self) -> str:
        per_sample = get_loss(self.loss).formula.split("=", 1)[1].strip()
        return f"{'mean' if self.samples == 'mean' else 'Σ'} over samples of {per_sample}"


@attrs.frozen
class Expected:
    """A value the user computed by hand: quantity name (DESIGN.md §4), step, and the number as
    written (a string, so "0.7500" keeps its four decimals). `step` None: the last step run."""

    name: str
    step: int | None
    text: str

    @property
    def quantity(self) -> str:
        return self.name if self.step is None else f"{self.name}@{self.step}"


@attrs.frozen
class SheetRequest:
    """What a question sheet asks and shows: the quantities to find (`[ask]`, names as the file
    writes them; empty: the sheet's default), the decimals to give them to (None: not said), and
    whether the network is drawn (`[plot]`) instead of listed, with how many decimals on it."""

    ask: tuple[str, ...] = ()
    decimals: int | None = None
    diagram: bool = False
    diagram_digits: int = 4


@attrs.frozen
class Spec:
    """Everything needed to build a network and train it (the parsed form of an exercise file)."""

    title: str
    description: str
    layers: tuple[int, ...]
    activations: tuple[str, ...]
    bias: str
    init: str
    seed: int | None
    weights: Any  # mapping name→value, or list in naming order, or None
    biases: Any
    inputs: tuple[tuple[float, ...], ...]
    targets: tuple[tuple[float, ...], ...]
    conventions: Conventions
    steps: int
    sampling: str
    sampling_seed: int
    trace_steps: tuple[int, ...] | None
    every: int | None
    published: tuple[Published, ...]
    report_loss: ReportedLoss | None = None
    extra: tuple[str, ...] = ()
    samples_shown: int | None = None
    expect: tuple[Expected, ...] = ()
    raw: Mapping = attrs.field(eq=False, repr=False, factory=dict)
    batch_size: int | None = None
    max_memory: int | None = None  # bytes ([training] max_memory; --max-memory wins, core/memory.py)
    variant: str = ""  # the variant id (`neurosim variants` writes it: "v07"); "" for an exercise of its own
    sheet: SheetRequest = SheetRequest()
    notation: str = "mazur"  # the names the user writes and reads (core/notation)
    names: tuple[tuple[str, str], ...] = ()  # the user's own aliases: (alias, a name in the notation)
    architecture: Any = None  # a network given layer by layer, with shared weights (core/architecture.py)

    @property
    def unit(self) -> str:
        """What one training step is called: an epoch when it takes every sample at once."""
        return "epoch" if self.conventions.mode != "online" and self.batch_size is None else "step"

    def build_network(self) -> Network:
        rng = np.random.default_rng(self.seed) if self.seed is not None else None
        if self.architecture is not None:
            from .shared_network import build_shared
            network = build_shared(self.architecture, self.activations, weights=self.weights, biases=self.biases,
                                   rng=rng, init=self.init, store=self.conventions.arithmetic.store_param)
            network.prepare(self.conventions)
            return network
        return build_network(self.layers, self.activations, weights=self.weights, biases=self.biases,
                             bias_mode=self.bias, rng=rng, init=self.init, arithmetic=self.conventions.arithmetic,
                             max_memory=self.max_memory)

    @property
    def samples(self) -> list[tuple[tuple[float, ...], tuple[float, ...]]]:
        return list(zip(self.inputs, self.targets))

    @property
    def classes(self) -> np.ndarray | None:
        """Each sample's class when the targets name one (a classifier, whose accuracy a run reports):
        one-hot targets over two outputs or more (the 1's index), or 0 or 1 with one output; None for
        other targets (a regression, Mazur's 0.01 and 0.99)."""
        try:
            T = np.asarray(self.targets, dtype=np.float64)
        except ValueError:  # sequences of different lengths
            return None
        if T.ndim != 2 or not len(T) or not np.isin(T, (0.0, 1.0)).all():
            return None
        if T.shape[1] == 1:
            return T[:, 0].astype(int)
        return T.argmax(axis=1) if (T.sum(axis=1) == 1).all() else None
