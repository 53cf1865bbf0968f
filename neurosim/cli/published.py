"""The published figures of an exercise as a table: each figure its source prints, computed under
the convention the source used, and judged at the precision printed (`run` shows it after the
steps; `check` without values of the user's checks them)."""

from __future__ import annotations

from collections.abc import Sequence

from ..check.published import PublishedCheck
from ..core.exercise import Spec
from ..core.written import parse_written
from ..messages import say
from ..views.numbers import fmt
from ..views.tables import Table


def published_table(spec: Spec, checks: Sequence[PublishedCheck], digits: int, run: Spec | None = None) -> Table | None:
    """The published figures of `spec` (`checks`: each computed under the exercise's conventions with
    its source's changes, check_published); `run` (the spec as this run changed it) only to say which changes of the
    run's do not apply to them."""
    if not spec.published:
        return None
    rows = []
    for check in checks:
        entry = check.entry
        convention = ", ".join(f"{k} = {v}" for k, v in entry.overrides) or say("the scenario's")
        if check.computed is None:
            computed, verdict = "—", say("needs --steps {step}", step=entry.step)
        else:
            computed = fmt(check.computed, max(digits, parse_written(entry.value).decimals))
            verdict = say("agrees") if check.agrees else say("DIFFERS: {verdict}", verdict=check.verdict.describe())
        rows.append((entry.quantity, entry.value, computed, convention, verdict, entry.source))
    headers = (say("quantity"), say("published"), say("computed"), say("convention"), say("verdict"), say("source"))
    title = say("Published figures, each computed under the convention its source used and judged at its precision")
    wrap = (3, 4, 5)  # convention, verdict, source: prose that may wrap to fit the width
    own, changed = spec.raw.get("training", {}), (run.raw.get("training", {}) if run is not None else {})
    differ = [", ".join(f"{k}.{a} = {b}" for a, b in v.items()) if isinstance(v, dict) else f"{k} = {v}"
              for k, v in changed.items() if k != "steps" and own.get(k) != v]  # a table: rule.name = adam
    if differ:
        title += say(" (not under this run's {changes})", changes=", ".join(differ))
    return Table(title, headers, tuple(rows), wrap=wrap)
