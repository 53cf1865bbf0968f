"""`neurosim plot NAME|FILE --kind network|loss|weights|decision -o out.png|.svg|.pdf`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from ..errors import NeurosimError
from ..messages import say
from .common import add_training_options, apply_training_options, resolve
from .progress import RunControl, RunInterrupted

KINDS = ("network", "loss", "weights", "decision")
CURVE_STEPS = 1000  # loss/weights/decision of a one-step scenario: train this long unless --steps says


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "plot", help="draw the network, a loss curve, weight trajectories or a decision surface",
        description="Draw a picture of a scenario or exercise file and save it (.png, .svg or .pdf). "
                    "network: the network before and after the run's steps, changes coloured; "
                    "loss, weights: the course of the run; decision: the output over the plane of two inputs "
                    f"after training. A one-step scenario is trained {CURVE_STEPS} steps for loss, weights "
                    "and decision unless --steps is given.")
    p.add_argument("target", metavar="NAME|PATH", help="a scenario name (see `neurosim list`) or a .toml file")
    p.add_argument("--kind", choices=KINDS, default="network", help="what to draw (default network)")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="picture file: .png, .svg or .pdf")
    p.add_argument("--digits", type=int, default=4, help="decimals in the diagram's labels (default 4)")
    p.add_argument("--title", help="title above the picture (default: says what is drawn)")
    add_training_options(p)
    p.set_defaults(handler=cmd_plot)


def cmd_plot(args: argparse.Namespace, out: TextIO) -> int:
    from ..engines.history import record_run
    from ..views.plot import require_matplotlib, save_figure

    matplotlib = require_matplotlib()
    matplotlib.use("Agg")  # files only; never a window
    from ..views import plot

    if not 0 <= args.digits <= 17:
        raise NeurosimError(say("--digits: must be between 0 and 17, got {value}", value=args.digits))
    if Path(args.output).suffix.lower() not in (".png", ".svg", ".pdf"):
        raise NeurosimError(f"-o: {args.output}: unknown picture format '{Path(args.output).suffix or '(none)'}' "
                            "(use .png, .svg or .pdf)")
    spec = apply_training_options(resolve(args.target), args)
    if args.kind == "decision" and spec.layers[0] != 2:
        raise NeurosimError(say("--kind decision: needs a network with 2 inputs; this one has {count}",
                                count=spec.layers[0]))
    steps = spec.steps
    if args.kind != "network" and args.steps is None and steps < 2:
        steps = CURVE_STEPS
    control = RunControl(steps, spec.unit, sys.stderr)  # a progress line on a terminal, as run shows
    try:
        with control.catching_ctrl_c():
            history, before, after = record_run(spec, steps, what=f"--kind {args.kind}", on_step=control)
    except RunInterrupted as stop:
        print(say("neurosim: interrupted after step {step} of {total}; nothing drawn", step=f"{stop.step:,}",
                  total=f"{steps:,}"), file=sys.stderr)
        return 130
    if args.kind == "network":
        single = len(spec.samples) == 1
        inputs, targets = spec.samples[0] if single else (None, None)
        unit = "step" if spec.conventions.mode == "online" else "epoch"
        title = args.title if args.title is not None else (
            f"{spec.title}\nweights before → after {steps:,} {unit}{'s' if steps != 1 else ''}")
        figure = plot.network_diagram(before, after, digits=args.digits, inputs=inputs, targets=targets,
                                      title=title)
    elif args.kind == "loss":
        figure = plot.loss_curve(history, title=args.title)
    elif args.kind == "weights":
        figure = plot.weight_trajectories(history, title=args.title)
    else:
        figure = plot.decision_surface(after, spec.samples, title=args.title)
    save_figure(figure, args.output)
    out.write(say("wrote {path}", path=args.output) + "\n")
    return 0
