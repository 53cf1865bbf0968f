"""Check hand-computed values against the trace: one verdict per value (see verdict.py).

The user's values come from the exercise file's [expect] table and `--expect NAME=VALUE`; each
names a quantity as `StepTrace.quantities()` does (DESIGN.md §4), at step k with `@k` (default: the
last step run). Under hand rounding the value compared is the one the formula gave from the
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
from ..core.notation import NameMap, name_map
from ..core.trace import StepTrace
from ..core.wanted import Wanted
from ..engines.runner import RunPlan, iterate_run
from ..errors import NeurosimError
from ..files.figures import parse_expected
from ..messages import say, say_count
from ..views.tables import Table, render_tables
from .verdict import ROUNDED, Verdict, judge, parse_written


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


def expected_from_options(pairs: Sequence[str]) -> list[Expected]:
    """`--expect NAME=VALUE` options as Expected values."""
    result = []
    for pair in pairs:
        name, eq, value = pair.partition("=")
        if not eq or not name.strip() or not value.strip():
            raise NeurosimError(say("--expect: '{pair}' is not NAME=VALUE (e.g. --expect w5+=0.3589)", pair=pair))
        result.append(parse_expected(name.strip(), value.strip(), where="--expect "))
    return result


def merge_expected(from_file: Iterable[Expected], from_options: Iterable[Expected]) -> tuple[Expected, ...]:
    """The file's values with those given on the command line added (a same-named one replaced)."""
    merged = {e.quantity: e for e in from_file}
    for e in from_options:
        merged[e.quantity] = e
    return tuple(merged.values())


def steps_of(spec: Spec, expected: Sequence[Expected]) -> dict[str, int]:
    """The step each value belongs to (`@k`, or the last step run); a step beyond the run is an error."""
    if spec.steps < 1:
        raise NeurosimError(say("training.steps: the exercise runs no steps, there is nothing to check"))
    steps = {}
    for e in expected:
        step = spec.steps if e.step is None else e.step
        if step > spec.steps:
            raise NeurosimError(say("expect.{name}: step {step} is beyond the {steps} step(s) this exercise runs "
                                    "(set training.steps or --steps)", name=e.quantity, step=step, steps=spec.steps))
        steps[e.quantity] = step
    return steps


def quantities_at(spec: Spec, steps: Iterable[int], *, network: Network | None = None,
                  conventions: Conventions | None = None, hooks=None,
                  wanted: Wanted | None = None) -> dict[int, dict[str, float]]:
    """`StepTrace.quantities()` of each of `steps`, training from the start (under `conventions`
    and `hooks` when given; of the `wanted` records only, if given)."""
    traced = frozenset(steps)
    last = max(traced)
    result = {}
    plan = RunPlan(last, traced, last + 1)
    for record in iterate_run(spec, plan, network, conventions=conventions, hooks=hooks, wanted=wanted):
        if isinstance(record, StepTrace):
            result[record.step] = record.quantities()
    return result


def in_our_names(e: Expected, names: NameMap, values: Iterable[str]) -> tuple[Expected, int]:
    """The user's value named and signed as neurosim does (Err6 = 0.1311 → delta_o1 = -0.1311),
    and the sign between the two; an unknown name is an error with a did-you-mean."""
    internal, sign = names.resolve(e.name, values, f"expect.{e.quantity}")
    text = e.text if sign == 1 else negated(e.text)
    return Expected(internal, e.step, text), sign


def negated(text: str) -> str:
    """A written number with the other sign, every digit kept ('0.1311' → '-0.1311')."""
    text = text.strip()
    if text.startswith("-"):
        return text[1:]
    return "-" + (text[1:] if text.startswith("+") else text)


def check_values(spec: Spec, expected: Sequence[Expected] | None = None) -> CheckResult:
    """Judge each expected value (default: the spec's [expect] table) against the computed trace."""
    expected = tuple(spec.expect if expected is None else expected)
    if not expected:
        raise NeurosimError(say("nothing to check: give values in an [expect] table or with --expect NAME=VALUE"))
    steps = steps_of(spec, expected)
    names = name_map(spec)
    own = names.identity and not spec.names  # neurosim's names: only their records are needed
    computed = quantities_at(spec, set(steps.values()), wanted=Wanted.of(e.name for e in expected) if own else None)
    if spec.names:  # every [names] alias must name a quantity, and none may shadow one
        names.reverse(next(iter(computed.values())))
    rows = []
    for e in expected:
        step = steps[e.quantity]
        values = computed[step]
        if own and e.name not in values:  # an unknown name: its hint looks among every quantity
            values = quantities_at(spec, [step])[step]
        internal, sign = in_our_names(e, names, values)
        written = parse_written(internal.text)
        value = as_checked(values[internal.name], written.decimals, spec.conventions.arithmetic)
        rows.append(CheckRow(e, step, sign * value, judge(written, value), internal, sign))
    conventions = spec.conventions.describe(spec.bias)
    if not names.identity:
        conventions += say("; notation {name}", name=spec.notation)
    return CheckResult(spec.title, conventions, spec.steps, tuple(rows))

