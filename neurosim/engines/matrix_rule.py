"""A learning rule (core/rules) in the matrix engine: its per-parameter state held as arrays shaped
like each layer's W and B (V1, V2 for a momentum buffer; M, V for Adam …), updated with the rule's
array form `Rule.update_array` from dW and dB. `store` writes the arrays back into the rule object
by parameter name, so a traced step (or the neuron engine) carries on from the same state.
"""

from __future__ import annotations

import numpy as np

from ..core.network import Network
from ..core.rules import CHANGE
from .matrix_layout import parameter_names


class MatrixRule:
    """The rule `rule` and its state as arrays, for a MatrixTrainer of `network`."""

    def __init__(self, network: Network, rule, dtype, update_biases: bool):
        self.rule = rule
        self.names = parameter_names(network)
        self.update_biases = update_biases
        self.state = [(rule.gather(Wn, dtype), None if Bn is None or not update_biases else rule.gather(Bn, dtype))
                      for Wn, Bn in self.names]
        self.pending: dict[int, tuple] = {}

    def __repr__(self) -> str:
        return f"MatrixRule({self.rule!r})"

    def begin(self, e_total: float) -> None:
        self.rule.begin_step(float(e_total))

    def update(self, l: int, W: np.ndarray, B: np.ndarray | None, dW: np.ndarray,
               dB: np.ndarray | None) -> tuple[np.ndarray, np.ndarray | None, dict]:
        """(W+, B+, the rule's arrays of this layer by prefix: (for W, for B)) of layer l; the new
        state is kept once the step is done (`commit`)."""
        SW, SB = self.state[l]
        W_new, W_change, SW_new = self.rule.update_array(W, dW, SW, False)
        B_new, B_change, SB_new = B, None, SB
        if B is not None and self.update_biases:
            B_new, B_change, SB_new = self.rule.update_array(B, dB, SB, True)
        self.pending[l] = (SW_new, SB_new)
        values = {prefix: (SW_new[prefix], None if SB_new is None else SB_new[prefix]) for prefix in self.rule.in_use()
                  if prefix in SW_new and prefix != CHANGE}
        values[CHANGE] = (W_change, B_change)
        return W_new, B_new, values

    def commit(self) -> None:
        for l, state in self.pending.items():
            self.state[l] = state
        self.pending.clear()

    def snapshot(self) -> tuple:
        rule = self.rule
        return list(self.state), rule.t, rule.E, rule.E_prev

    def store(self, snapshot: tuple) -> None:
        """Write a snapshot's state back into the rule object (by parameter name) and carry on from it."""
        state, self.rule.t, self.rule.E, self.rule.E_prev = snapshot
        self.state = list(state)
        for (Wn, Bn), (SW, SB) in zip(self.names, self.state):
            self.rule.scatter(Wn, SW)
            if SB is not None:
                self.rule.scatter(Bn, SB)
