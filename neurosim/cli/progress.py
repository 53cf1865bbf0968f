"""Long runs on a terminal: a progress line (steps done, loss, rate) and a clean stop on Ctrl-C.

`RunControl` is the `on_step` callback a caller passes to `runner.iterate_run`. It never touches
the numbers. After each step it:

- redraws one status line on `stream` (stderr) — only if that stream is a terminal, only once the
  run has taken more than `delay` seconds, and at most every `interval` seconds;
- raises `RunInterrupted` if Ctrl-C was pressed, so the run stops *between* steps and the network
  holds the parameters of the last complete step. (A second Ctrl-C stops at once.)
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import TextIO

from ..messages import say


class RunInterrupted(Exception):
    """Ctrl-C was pressed; `step` is the last step completed."""

    def __init__(self, step: int):
        self.step = step
        super().__init__(f"interrupted after step {step}")


class RunControl:
    """The per-step callback of a long run: progress on a terminal and a clean Ctrl-C."""

    def __init__(self, total: int, unit: str = "step", stream: TextIO | None = None, *,
                 delay: float = 1.0, interval: float = 0.2, clock: Callable[[], float] = time.monotonic,
                 extra: Callable[[int, float, object], None] | None = None):
        self.total = total
        self.unit = unit
        self.stream = stream
        self.show = bool(stream is not None and _isatty(stream))
        self.delay = delay
        self.interval = interval
        self.clock = clock
        self.extra = extra
        self.start = clock()
        self.next_draw = self.start + delay
        self.stop_requested = False
        self.last_step = 0
        self.last_loss = float("nan")
        self.drawn = False

    @property
    def every(self) -> int:
        """How often it needs calling: every step when it feeds per-step files (`extra`), else every
        50 steps — often enough for a progress line and a prompt stop on Ctrl-C, rarely enough to
        let the fast engines run long stretches."""
        return 1 if self.extra is not None else 50

    def __call__(self, step: int, e_total: float, network) -> None:
        self.last_step, self.last_loss = step, e_total
        if self.extra is not None:
            self.extra(step, e_total, network)
        if self.stop_requested:
            raise RunInterrupted(step)
        if self.show:
            now = self.clock()
            if now >= self.next_draw:
                self.next_draw = now + self.interval
                self.draw(now)

    def status(self, now: float) -> str:
        elapsed = max(now - self.start, 1e-9)
        rate = self.last_step / elapsed
        left = (self.total - self.last_step) / rate if rate > 0 else float("inf")
        pct = 100.0 * self.last_step / self.total
        values = dict(step=f"{self.last_step:,}", total=f"{self.total:,}", percent=f"{pct:.0f}",
                      loss=f"{float(self.last_loss):.6g}", rate=f"{rate:,.0f}", elapsed=_duration(elapsed),
                      left=_duration(left))
        if self.unit == "student":  # grading a class: no loss, students per second are few
            return say("student {step}/{total} ({percent}%)  {elapsed} elapsed, {left} left", **values)
        if self.unit == "epoch":
            return say("epoch {step}/{total} ({percent}%)  E_total {loss}  {rate} epochs/s  {elapsed} elapsed, {left} "
                       "left", **values)
        return say("step {step}/{total} ({percent}%)  E_total {loss}  {rate} steps/s  {elapsed} elapsed, {left} left",
                   **values)

    def draw(self, now: float) -> None:
        self.stream.write("\r" + self.status(now) + "\x1b[K")
        self.stream.flush()
        self.drawn = True

    def clear(self) -> None:
        """Erase the status line (call before printing anything else to the same terminal)."""
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn = False

    @contextlib.contextmanager
    def catching_ctrl_c(self) -> Iterator[RunControl]:
        """While inside, Ctrl-C asks the run to stop after the current step (a second one stops at once).

        Only the main thread can install a signal handler; elsewhere Ctrl-C behaves as usual.
        """
        if threading.current_thread() is not threading.main_thread():
            yield self
            return

        def request_stop(signum, frame):
            self.stop_requested = True
            signal.signal(signal.SIGINT, previous)

        previous = signal.signal(signal.SIGINT, request_stop) or signal.default_int_handler
        try:
            yield self
        finally:
            signal.signal(signal.SIGINT, previous)
            self.clear()


class StageProgress:
    """A progress line for a command that works in stages (`check`: training to the checked step,
    then the slips of each first wrong line, then the catalog's candidates): drawn on `stream` only
    if it is a terminal, once the command has taken `delay` seconds, at most every `interval`."""

    def __init__(self, stream: TextIO | None, *, delay: float = 2.0, interval: float = 0.2,
                 clock: Callable[[], float] = time.monotonic):
        self.stream = stream
        self.show = bool(stream is not None and _isatty(stream))
        self.delay, self.interval, self.clock = delay, interval, clock
        self.start = clock()
        self.next_draw = self.start + delay
        self.drawn = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        """`stage` (a sentence said already) has done `done` of `total`."""
        if not self.show:
            return
        now = self.clock()
        if now >= self.next_draw:
            self.next_draw = now + self.interval
            text = say("{stage}: {done:,} of {total:,}  {elapsed} elapsed", stage=stage, done=done, total=total,
                       elapsed=_duration(now - self.start))
            self.stream.write("\r" + text + "\x1b[K")
            self.stream.flush()
            self.drawn = True

    def on_step(self, step: int, e_total: float, network) -> None:
        """The per-step callback of the training that leads to the checked step."""
        self(say("training to the checked step"), step, self.total_steps)

    total_steps = 0

    def clear(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn = False


def say_interrupted(control: RunControl, total: int) -> int:
    """Say on stderr that the run stopped after the last complete step (of `total`); exit code 130."""
    text = (say("neurosim: interrupted after epoch {step} of {total} (shown above: the run so far)",
                step=f"{control.last_step:,}", total=f"{total:,}") if control.unit == "epoch" else
            say("neurosim: interrupted after step {step} of {total} (shown above: the run so far)",
                step=f"{control.last_step:,}", total=f"{total:,}"))
    print(text, file=sys.stderr)
    return 130


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _duration(seconds: float) -> str:
    if seconds == float("inf"):
        return "?"
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"
