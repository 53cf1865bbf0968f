"""Pictures (matplotlib, the optional `plot` extra): the network as Mazur draws it, loss curves,
weight trajectories and decision surfaces.

matplotlib is imported only when a picture is drawn; without it, `NeurosimError` says how to
install it. Every function takes an optional matplotlib `ax` to draw into and returns the figure.
Without an `ax` the figure is a plain `matplotlib.figure.Figure` (no pyplot, nothing global, never
shown): Jupyter displays a returned figure, and a script calls `fig.savefig("net.png")`.

This module gathers the pictures in one place; each is drawn by its own module (network_diagram.py,
curves.py, decision_surface.py; figures.py imports matplotlib, makes and saves figures).

- `network_diagram(network, after=None)`: neurons as labelled circles, layer by layer; every
  connection labelled `w5 = 0.4`; shared biases as their own nodes (b1, b2), per-neuron biases under
  their neuron. With `after` (the same network after training), labels read `w5 = 0.4 → 0.3589` and
  the connections are coloured by the change: green increased, red decreased, grey unchanged.
- `loss_curve(history)`: E_total+ (all samples, after each step) against the step; log scale when
  the loss falls by more than a factor 100.
- `weight_trajectories(history)`: every weight (solid) and bias (dashed) against the step.
- `decision_surface(network, samples)`: for 2-input networks, the output over the input plane
  (one output: its value, with the contour halfway between the targets; several: the class with the
  largest output) and the training points coloured by their targets.
"""

from .curves import loss_curve, weight_trajectories
from .decision_surface import decision_surface, network_outputs
from .figures import INSTALL_HINT, require_matplotlib, save_figure
from .network_diagram import network_diagram

__all__ = [
    "INSTALL_HINT", "decision_surface", "loss_curve", "network_diagram", "network_outputs", "require_matplotlib",
    "save_figure", "weight_trajectories",
]
