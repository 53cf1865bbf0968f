"""One follow-through: the practice page's (views/page_follow.js, over the formulas a page carries:
views/page_formulas.py) and the diagnosis's (check/follow.py) say the same of every value a student
writes — right, a root (a slip of its own) or follows from their wrong values X, Y — on several
hundred written values of students who slip and carry their slips on, in Mazur's step, its hkp
notation, two Adam steps and a batch step. Run in headless Chromium, or else in Node.js."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import attrs
import numpy as np
import pytest

from neurosim.check.follow import follow_through, student_values
from neurosim.check.verdict import judge
from neurosim.core.formulas import StepFormulas
from neurosim.core.notation import name_map
from neurosim.core.trace import StepTrace
from neurosim.engines.runner import iterate_run, plan_for
from neurosim.scenarios import load_scenario
from neurosim.views.page import asset
from neurosim.views.page_data import page_data
from neurosim.views.page_subset import drawn_of

from .browser import run_script

RUN = """
const graph = arguments[0], students = arguments[1];
return students.map(([keys, texts, right]) => NeurosimFollow.followThrough(graph, keys, texts, right)
  .map((r) => [r.verdict, r.sources, r.roots, r.recomputed === null ? null : String(r.recomputed)]));
"""


def traces_of(name: str, **changes) -> tuple:
    spec = attrs.evolve(load_scenario(name), **changes)
    plan = plan_for(spec, trace_steps=tuple(range(1, spec.steps + 1)))
    traces = [r for r in iterate_run(spec, plan) if isinstance(r, StepTrace)]
    return spec, traces


def written(value: float, decimals: int) -> str:
    return str(Decimal(f"{value:.15g}").quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def students(graph: StepFormulas, writable: list[tuple[int, str]], rng: np.random.Generator, count: int):
    """Students who write some values, slip at one or two of them, and carry their slips on: each
    later value is right, what the formula gives from their values, or another slip; written to 3–8
    decimals, or now and then with every digit of the float, as it is or a unit or two in the last
    place off (right for the judge and for follow-through: verdict.float-order, verdict.agrees)."""
    result = []
    for _ in range(count):
        keys, texts, right = [], [], []
        chosen = sorted(rng.choice(len(writable), size=min(len(writable), int(rng.integers(6, 24))), replace=False))
        for index in chosen:
            key = writable[index]
            computed = graph.value(*key)
            decimals = int(rng.integers(3, 9))
            full = rng.random() < 0.2  # every digit of a float, as Python prints it (judged to ±2 ulps)
            student = student_values(graph, keys, texts, right)
            theirs = student.value(key)
            roll = rng.random()
            if roll < 0.15 or theirs is None or not math.isfinite(theirs):
                value = computed * (1 + rng.choice([-1, 1]) * rng.uniform(0.02, 0.3)) + rng.uniform(-0.01, 0.01)
            elif roll < 0.7:
                value = theirs
            else:
                value = computed
            if full and rng.random() < 0.5:  # computed in another order: a unit or two in the last place off
                value = float(np.nextafter(np.nextafter(value, rng.choice([-np.inf, np.inf])), value + rng.normal()))
            text = repr(float(value)) if full else written(value, decimals)
            keys.append(key)
            texts.append(text)
            right.append(judge(text, computed).ok)
        result.append((keys, texts, right))
    return result


CASES = [("mazur", {}, 40), ("mazur", {"notation": "hkp"}, 15), ("mazur_adam", {}, 15),
         ("xor_cross_entropy", {"steps": 1}, 10)]


@pytest.mark.parametrize("name, changes, count", CASES)
def test_the_page_follows_a_students_values_through_as_the_diagnosis_does(name, changes, count):
    spec, traces = traces_of(name, **changes)
    names = name_map(spec)
    data = page_data(spec, traces, names, drawn_of(traces[0]), 9, True, "en")
    writable = [(s["step"], line["i"]) for s in data["steps"] for line in s["lines"] if line.get("id") in s["x"]]
    graph = StepFormulas({t.step: t for t in traces})
    cases = students(graph, writable, np.random.default_rng(17), count)
    encoded = [[[f"{step}|{n}" for step, n in keys], texts, right] for keys, texts, right in cases]
    theirs = run_script([asset("page_judge.js"), asset("page_follow.js")], RUN, data["formulas"], encoded)
    if theirs is None:
        pytest.skip("neither Chromium nor Node.js on this machine to run the page's script")
    verdicts, full = [], 0
    for (keys, texts, right), js in zip(cases, theirs):
        ours = follow_through(student_values(graph, keys, texts, right), keys, texts, right)
        for f, (verdict, sources, roots, recomputed) in zip(ours, js):
            assert (f.verdict, [f"{s}|{n}" for s, n in f.sources], [f"{s}|{n}" for s, n in f.roots]) == (
                verdict, sources, roots)
            if f.recomputed is not None and math.isfinite(f.recomputed):
                assert float(recomputed) == pytest.approx(f.recomputed, rel=1e-12, abs=1e-300)
            verdicts.append(verdict)
        full += sum(len(Decimal(t).as_tuple().digits) > 15 for t in texts)
    assert {"right", "wrong", "follows"} <= set(verdicts)  # every verdict is met
    assert full > count  # values written with every digit are among them
