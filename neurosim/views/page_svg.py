"""The network of a page drawn as SVG, as network_diagram.py draws it (neurons as labelled circles,
layer by layer; each connection labelled with its weight; shared biases as their own nodes): every
neuron, connection and bias a button (tabindex, role, `data-panel`: the panel it opens), and each
value a slot (`data-v`: the quantity's internal name) the page's script fills in for the step and
sample chosen. A long layer is drawn as its first and last neurons around a group that says how many
are left out (page_subset.py).
"""

from __future__ import annotations

import html

from ..core.notation import NameMap
from ..messages import LANGUAGES, say_count, speaking
from .label_placer import LabelPlacer
from .page_equations import neuron_panel
from .page_subset import Drawn

DX, DY, R = 230, 92, 24  # px between layers and between neurons; the neurons' radius
LEFT, TOP = 150, 40
MAX_LABELLED = 10  # connections into a layer labelled with their weights (more: in their tooltip and panel only)
PX = 96.0  # px per inch (LabelPlacer measures in inches)


def _esc(text: str) -> str:
    return html.escape(str(text), quote=True)


def _slots(drawn: Drawn) -> list[list[str | None]]:
    """Each layer's drawing slots: its neurons, with None where a group stands for those left out."""
    slots = []
    for layer, left_out in zip(drawn.layers, drawn.left_out):
        names: list[str | None] = list(layer)
        slots.append(names[:2] + [None] + names[2:] if left_out else names)
    return slots


def _positions(drawn: Drawn) -> tuple[dict, list, float]:
    """(x, y) of every slot (a neuron's name, or (layer, 'group')), and the drawing's height."""
    slots = _slots(drawn)
    tallest = max(len(s) for s in slots)
    where: dict = {}
    for k, layer in enumerate(slots):
        for j, name in enumerate(layer):
            y = TOP + R + ((tallest - len(layer)) / 2 + j) * DY
            where[name if name is not None else (k, "group")] = (LEFT + k * DX, y)
    return where, slots, TOP + R + (tallest - 1) * DY


def _button(panel: str, label: str, body: str, kind: str) -> str:
    return (f'<g class="{kind}" data-panel="{_esc(panel)}" tabindex="0" role="button" aria-label="{_esc(label)}">'
            f"<title>{_esc(label)}</title>{body}</g>")


def network_svg(drawn: Drawn, names: NameMap, first_values: dict[str, str], has_loss: bool) -> str:
    """The SVG of the drawn network; `first_values` (internal name → text) sizes the weight labels."""
    where, slots, bottom = _positions(drawn)
    shared = [(b, ns) for b, ns in drawn.biases if len(ns) > 1 or not b.startswith("b_")]
    bias_y = bottom + DY * 0.95
    bias_at = {}
    for b, ns in drawn.biases:
        layer = next(k for k, layer in enumerate(drawn.layers) if ns[0] in layer)
        x, y = where[ns[0]]
        bias_at[b] = (LEFT + (layer - 0.5) * DX, bias_y) if (b, ns) in shared else (x - 1.6 * R, y + 1.9 * R)
    lines, labels, parts = [], [], []
    segments = [(*where[s], *where[t]) for _, s, t in drawn.weights]
    placer = LabelPlacer(9, [tuple(v / PX for v in seg) for seg in segments])
    for x, y in where.values():
        placer.block((x - R) / PX, (y - R) / PX, (x + R) / PX, (y + R + 16) / PX)
    layer_of = {n: k for k, layer in enumerate(drawn.layers) for n in layer}
    into = [sum(layer_of[t] == k for _, _, t in drawn.weights) for k in range(len(drawn.layers))]
    for k, (weight, source, target) in enumerate(drawn.weights):
        x0, y0, x1, y1 = segments[k]
        name = names.name(weight)
        text = f"{name} = {first_values.get(weight, '')}"
        body = (f'<line class="hit" x1="{x0}" y1="{y0}" x2="{x1}" y2="{y1}"/>'
                f'<line class="edge" x1="{x0}" y1="{y0}" x2="{x1}" y2="{y1}"/>')
        if into[layer_of[target]] <= MAX_LABELLED:
            t = placer.place(text, k, 0.5 if abs(y1 - y0) < 1e-9 else 0.3)
            labels.append(f'<text class="wlabel" data-panel="{_esc(name)}" x="{x0 + t * (x1 - x0):.1f}" '
                          f'y="{y0 + t * (y1 - y0) + 4:.1f}">{_esc(name)} = <tspan data-v="{_esc(weight)}"></tspan>'
                          "</text>")
        lines.append(_button(name, f"{name}: {names.neuron(source)} → {names.neuron(target)}", body, "weight"))
    for b, ns in drawn.biases:
        bx, by = bias_at[b]
        name = names.name(b)
        body = "".join(f'<line class="edge bias" x1="{bx}" y1="{by}" x2="{where[n][0]}" y2="{where[n][1]}"/>'
                       for n in ns)
        body += (f'<rect x="{bx - 17}" y="{by - 13}" width="34" height="26" rx="5"/>'
                 f'<text class="name" x="{bx}" y="{by + 4}">{_esc(name)}</text>'
                 f'<text class="val" x="{bx}" y="{by + 28}" data-v="{_esc(b)}"></text>')
        parts.append(_button(name, name, body, "bias"))
    for k, layer in enumerate(slots):
        for name in layer:
            parts.append(_group(k, drawn.left_out[k], where[(k, "group")]) if name is None else
                         _neuron(name, where[name], names, k == 0, name in drawn.outputs))
    if has_loss and drawn.outputs:
        parts.append(_loss_box(names, where, drawn))
    width = LEFT + (len(slots) - 1) * DX + 190
    height = bias_y + 50 if drawn.biases else bottom + R + 40
    return (f'<svg id="network" viewBox="0 0 {width} {height:.0f}" width="{width}" height="{height:.0f}" '
            f'role="group" xmlns="http://www.w3.org/2000/svg">'
            + "".join(lines) + "".join(parts) + "".join(labels) + "</svg>")


def _neuron(name: str, at: tuple[float, float], names: NameMap, is_input: bool, is_output: bool) -> str:
    x, y = at
    label = names.neuron(name)
    value = name if is_input else f"out_{name}"
    body = (f'<circle cx="{x}" cy="{y}" r="{R}"/><text class="name" x="{x}" y="{y + 5}">{_esc(label)}</text>'
            f'<text class="val" x="{x}" y="{y + R + 15}" data-v="{_esc(value)}"></text>')
    if is_output:
        target = names.name(f"target_{name}")
        body += (f'<text class="side" x="{x + R + 10}" y="{y + 5}">{_esc(target)} = '
                 f'<tspan data-v="{_esc(f"target_{name}")}"></tspan></text>')
    return _button(neuron_panel(names, name), label, body, "unit" + (" input" if is_input else ""))


def _group(layer: int, left_out: int, at: tuple[float, float]) -> str:
    """The slot of the neurons a long layer leaves out: '⋮' and how many, in every language."""
    x, y = at
    texts = []
    for code in LANGUAGES:
        with speaking(code):
            words = say_count("1 more neuron", "{number} more neurons", left_out, number=f"{left_out:,}")
        texts.append(f'<text data-lang="{code}" x="{x}" y="{y + 22}">{_esc(words)}</text>')
    return (f'<g class="group"><rect x="{x - 60}" y="{y - 26}" width="120" height="58" rx="8"/>'
            f'<text class="dots" x="{x}" y="{y - 2}">⋮</text>{"".join(texts)}</g>')


def _loss_box(names: NameMap, where: dict, drawn: Drawn) -> str:
    """E_total, beside the outputs."""
    ys = [where[o][1] for o in drawn.layers[-1]]
    x, y = where[drawn.layers[-1][0]][0] + R + 10, max(ys) + DY * 0.7
    name = names.name("E_total")
    body = (f'<rect x="{x - 4}" y="{y - 16}" width="150" height="24" rx="5"/>'
            f'<text class="side" x="{x}" y="{y}">{_esc(name)} = <tspan data-v="E_total"></tspan></text>')
    return _button(name, name, body, "loss")
