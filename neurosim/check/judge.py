"""The judge (stage 2 of a check): one verdict per written value (parse.py), at the precision it
was written (verdict.py), against the computed trace; the traces are kept for the stages after it
(follow-through, the local search). Each value names a quantity as `StepTrace.quantities()` does
(DESIGN.md §4), at step k with `@k` (default: the last step run). Under hand rounding the value
compared is the one the formula gave from the
rounded values before it was itself rounded (`arithmetic.as_checked`), so a value written with more
decimals than K is checked as it was written. Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from ..core.arithmetic import as_checked
from ..core.conventions import Conventions
from ..core.exercise import Expected, Spec
from ..core.network import Network
from ..core.notation import name_map
from ..core.trace import StepTrace
from ..core.wanted import Wanted
from ..core.written_names import checkable
from ..engines.runner import RunPlan, iterate_run
from ..errors import NeurosimError
from ..messages import say, say_count
from ..views.tables import Table, render_tables
from .parse import in_our_names, steps_of
from .verdict import ROUNDED, Verdict, judge, parse_written

HAND_WEIGHTS = 1000  # a network of at most this many weights is one a person works by hand


@attrs.frozen
class CheckRow:
    """One of the user's values (named in the exercise's notation), the computed one (full
    precision, in the notation's sign) and the verdict; `internal` names the value as neurosim
    does (with the user's number in neurosim's sign: Err6 = 0.1311 is delta_o1 = -0.1311)."""

    expected: Expected
    step: int
    computed: float
    verdict: Verdict
    internal: Expected | None = None
    sign: int = 1


@attrs.frozen
class CheckResult:
    """Every row of a check, and the setup it was computed under."""

    title: str
    conventions: str
    steps: int
    rows: tuple[CheckRow, ...]
    traces: dict = attrs.field(factory=dict, eq=False, repr=False)  # step -> its StepTrace (the later stages)

    @property
    def internal(self) -> tuple[Expected, ...]:
        """The values in neurosim's names and signs (what the diagnosis computes)."""
        return tuple(r.internal or r.expected for r in self.rows)

    @property
    def unexact(self) -> tuple[CheckRow, ...]:
        """Right values whose last digit is rounded differently (truncated, half-even)."""
        return tuple(r for r in self.rows if r.verdict.kind == ROUNDED)

    @property
    def wrong(self) -> tuple[CheckRow, ...]:
        return tuple(r for r in self.rows if not r.verdict.ok)

    @property
    def exit_code(self) -> int:
        """0 when every value is right (correct, or rounded differently in the last digit), 1 if not."""
        return 1 if self.wrong else 0

    def __repr__(self) -> str:
        return (f"CheckResult({self.title!r}, step {self.steps}: "
                f"{len(self.rows) - len(self.wrong)} of {len(self.rows)} values right)")

    def _repr_html_(self) -> str:
        """The check table in a notebook."""
        return render_tables([check_table(self)], "html") + f"\n<p>{summary_line(self)}</p>"


def check_table(result: CheckResult) -> Table:
    rows = []
    for r in result.rows:
        v = r.verdict
        agree = "—" if v.decimals_agree is None else str(v.decimals_agree)
        rows.append((r.expected.quantity, r.expected.text, repr(float(r.computed)), agree, v.describe()))
    title = say("{title} — step {step}", title=result.title, step=result.steps) + f"\n{result.conventions}"
    return Table(title, (say("quantity"), say("yours"), say("computed (full precision)"), say("decimals agreeing"),
                         say("verdict")), tuple(rows))


def summary_line(result: CheckResult) -> str:
    n, wrong = len(result.rows), result.wrong
    if not wrong:
        return say_count("All 1 value right.", "All {count} values right.", n)
    names = ", ".join(r.expected.quantity for r in wrong)
    return say("{right} of {count} values right; wrong: {names}.", right=n - len(wrong), count=n, names=names)


def traces_at(spec: Spec, steps: Iterable[int], *, network: Network | None = None,
              conventions: Conventions | None = None, hooks=None,
              wanted: Wanted | None = None, on_step=None) -> dict[int, StepTrace]:
    """The StepTrace of each of `steps`, training from the start (under `conventions` and `hooks`
    when given; of the `wanted` records only, if given)."""
    traced = frozenset(steps)
    last = max(traced)
    plan = RunPlan(last, traced, last + 1)
    return {record.step: record
            for record in iterate_run(spec, plan, network, conventions=conventions, hooks=hooks, wanted=wanted,
                                      on_step=on_step, on_step_every=50)
            if isinstance(record, StepTrace)}


def quantities_at(spec: Spec, steps: Iterable[int], **options) -> dict[int, dict[str, float]]:
    """Every value a check can name (`written_names.checkable`) at each of `steps` (the options of
    `traces_at`)."""
    return {step: checkable(trace) for step, trace in traces_at(spec, steps, **options).items()}


def check_values(spec: Spec, expected: Sequence[Expected] | None = None, *, full: bool | None = None,
                 on_step=None) -> CheckResult:
    """Judge each expected value (default: the spec's [expect] table) against the computed trace.
    `full`: trace every record of the checked steps (what the diagnosis reads); default: on a
    network of hand size (in neurosim's names, otherwise only the records of the values written).
    `on_step`: iterate_run's callback while training to the checked steps (a progress line)."""
    expected = tuple(spec.expect if expected is None else expected)
    if not expected:
        raise NeurosimError(say("nothing to check: give values in an [expect] table or with --expect NAME=VALUE"))
    steps = steps_of(spec, expected)
    names = name_map(spec)
    own = names.identity and not spec.names  # neurosim's names: only their records are needed
    if full is None:
        full = not own or hand_size(spec)
    traces = traces_at(spec, set(steps.values()), wanted=None if full else Wanted.of(e.name for e in expected),
                       on_step=on_step)
    computed = {step: checkable(trace) for step, trace in traces.items()}
    if spec.names:  # every [names] alias must name a quantity, and none may shadow one
        names.reverse(next(iter(computed.values())))
    rows = []
    for e in expected:
        step = steps[e.quantity]
        values = computed[step]
        if not full and e.name not in values:  # an unknown name: its hint looks among every quantity
            values = quantities_at(spec, [step])[step]
        internal, sign = in_our_names(e, names, values)
        written = parse_written(internal.text)
        value = as_checked(values[internal.name], written.decimals, spec.conventions.arithmetic)
        rows.append(CheckRow(e, step, sign * value, judge(written, value), internal, sign))
    conventions = spec.conventions.describe(spec.bias, spec.architecture.kinds if spec.architecture is not None else ())
    if not names.identity:
        conventions += say("; notation {name}", name=spec.notation)
    return CheckResult(spec.title, conventions, spec.steps, tuple(rows), traces if full else {})


def hand_size(spec: Spec) -> bool:
    """An exercise a person works by hand: at most HAND_WEIGHTS weights."""
    return sum(a * b for a, b in zip(spec.layers, spec.layers[1:])) <= HAND_WEIGHTS
