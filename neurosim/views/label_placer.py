"""Where the label of each connection of a network diagram goes, so that labels stay readable
(network_diagram.py)."""

from __future__ import annotations

import numpy as np


class LabelPlacer:
    """Chooses where along its line each label goes so that labels stay readable.

    Label sizes are estimated from the font size (the axes are about 1 unit per inch). Each label
    goes to the candidate position that covers least of the labels already placed and of blocked
    areas (neurons), then crosses the fewest other lines; the candidate nearest the preferred
    position wins ties.
    """

    CANDIDATES = tuple(0.18 + 0.04 * k for k in range(17))  # 0.18 … 0.82

    def __init__(self, font: float, segments):
        self.char = 0.62 * font / 72 / 0.85
        self.height = 1.45 * font / 72 / 0.85
        self.boxes: list[tuple[float, float, float, float]] = []
        t = np.linspace(0.0, 1.0, 60)[None, :]
        ends = np.array(segments, dtype=float).reshape(-1, 4)
        self.xs = ends[:, :1] + t * (ends[:, 2:3] - ends[:, :1])  # points along every line
        self.ys = ends[:, 1:2] + t * (ends[:, 3:4] - ends[:, 1:2])

    def block(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.boxes.append((x0, y0, x1, y1))

    def box(self, label: str, x: float, y: float):
        w = len(label) * self.char / 2 + 0.04
        return (x - w, y - self.height / 2, x + w, y + self.height / 2)

    def _cost(self, box, own: int) -> float:
        covered = 0.0
        for other in self.boxes:
            dx = min(box[2], other[2]) - max(box[0], other[0])
            dy = min(box[3], other[3]) - max(box[1], other[1])
            if dx > 0 and dy > 0:
                covered += dx * dy
        inside = (self.xs > box[0]) & (self.xs < box[2]) & (self.ys > box[1]) & (self.ys < box[3])
        crossed = inside.any(axis=1)
        crossed[own] = False
        area = (box[2] - box[0]) * (box[3] - box[1])
        return 10.0 * covered / area + float(crossed.sum())

    def place(self, label: str, index: int, preferred: float) -> float:
        """The position t (0 at the source, 1 at the target) for the label of line `index`."""
        x0, y0, x1, y1 = self.xs[index, 0], self.ys[index, 0], self.xs[index, -1], self.ys[index, -1]
        best = None
        for t in sorted(self.CANDIDATES, key=lambda t: abs(t - preferred)):
            box = self.box(label, x0 + t * (x1 - x0), y0 + t * (y1 - y0))
            cost = self._cost(box, index)
            if best is None or cost < best[0] - 1e-9:
                best = (cost, t, box)
            if cost == 0:
                break
        self.boxes.append(best[2])
        return best[1]
