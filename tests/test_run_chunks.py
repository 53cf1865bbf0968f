"""The runner finds where a run of untraced steps must stop by arithmetic (runner._chunk_end); it must
stop exactly where a step-by-step scan stops: at a summary row, a callback, or before a step that runs
alone (traced, or with E_report taken before it)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from neurosim.engines.runner import RunPlan, _chunk_end, _summary_due


@settings(max_examples=500, deadline=None)
@given(st.data())
def test_chunk_end_is_where_a_step_by_step_scan_stops(data):
    steps = data.draw(st.integers(1, 80))
    traced = frozenset(data.draw(st.sets(st.integers(1, steps), max_size=6)))
    plan = RunPlan(steps, traced, data.draw(st.integers(1, 25)))
    callback = data.draw(st.sampled_from([None, 1, 2, 3, 7, 10]))
    report_before = data.draw(st.booleans())

    def alone(k):
        return k in plan.trace_steps or (report_before and _summary_due(k, plan))

    step = data.draw(st.integers(1, steps).filter(lambda k: not alone(k)))
    stop = step
    while (stop < steps and not _summary_due(stop, plan) and not (callback and stop % callback == 0)
           and not alone(stop + 1)):
        stop += 1
    assert _chunk_end(step, plan, callback, report_before) == stop
