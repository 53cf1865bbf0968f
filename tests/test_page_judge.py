"""One judge: the page's verdicts (neurosim/views/page_judge.js) and Python's (check/verdict.py, with
files/answers.py reading what was typed) agree on a thousand (written, computed) pairs — numbers
rounded, truncated, rounded half-to-even, with trailing zeros, exponents, decimal commas, negative
zero, 17 significant digits, full-width digits, typos and text that is no number — down to the
sentence each verdict is said in, in every language. The script runs in headless Chromium (the
browser CI installs), or else in Node.js when there is one."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import numpy as np
import pytest

from neurosim.check.verdict import judge
from neurosim.files.answers import written_number
from neurosim.messages import LANGUAGES, speaking
from neurosim.views.page import asset
from neurosim.views.page_text import verdict_texts

from .browser import run_script

RUN = """
const pairs = arguments[0], texts = arguments[1];
return pairs.map(([text, computed]) => {
  const cleaned = NeurosimJudge.writtenNumber(text);
  if (cleaned === null) return "not a number";
  const v = NeurosimJudge.judge(cleaned, Number(computed));
  const said = Object.keys(texts).map((code) => NeurosimJudge.describe(v, texts[code]));
  return [v.kind, v.decimals, v.agree, v.how, ...said];
});
"""


def computed_values(rng: np.random.Generator) -> list[float]:
    """Doubles of every kind a step gives, and the awkward ones: exact binary ties at the 16th digit,
    integers beyond 10^15, zero of both signs, tiny and huge values."""
    values = [0.0, -0.0, 0.5, 1.0, -0.25, 0.75136507, 0.35891647971788465, 0.000438568, -0.02260254,
              7.152557373046875e-07, 1234567890123445.0, 1234567890123455.0, 2.0 ** -24, 1e-300, 123456.789]
    values += list(rng.uniform(-2, 2, 120))
    values += list(rng.choice([-1, 1], 40) * 10.0 ** rng.uniform(-12, -2, 40))
    values += list(rng.choice([-1, 1], 20) * 10.0 ** rng.uniform(2, 16, 20))
    values += [float(k) * 2.0 ** -int(m) for k, m in zip(rng.integers(1, 999, 20) * 2 + 1, rng.integers(10, 40, 20))]
    values += [float(v) for v in rng.integers(10 ** 15, 9 * 10 ** 15, 10)]
    return [float(v) for v in values]


def written_forms(c: float, rng: np.random.Generator) -> list[str]:
    """How a person might write `c` (right, truncated, rounded the other way, wrong, in other forms)."""
    exact = Decimal(f"{c:.15g}")
    d = int(rng.integers(0, 12))
    step = Decimal(1).scaleb(-d)
    forms = [str(exact.quantize(step, rounding=r)) for r in (ROUND_HALF_UP, ROUND_DOWN, ROUND_HALF_EVEN)]
    right = forms[0]
    forms += [right + "0" * int(rng.integers(1, 4)) if "." in right else right + ".00",
              str(exact.quantize(step, ROUND_HALF_UP) + step * int(rng.choice([-3, -1, 1, 2, 7]))),
              "-" + right if not right.startswith("-") else right[1:],
              right.replace(".", ","), f"{c:.{int(rng.integers(1, 9))}e}", f"{c:.{int(rng.integers(1, 6))}E}",
              repr(c), f"{c:.16g}", f"{c:.17g}", repr(float(np.nextafter(c, np.inf))), f"{c:.20f}"]
    if len(right) > 3:  # a digit slipped
        k = int(rng.integers(1, len(right)))
        if right[k].isdigit():
            forms.append(right[:k] + str((int(right[k]) + 1) % 10) + right[k + 1:])
    return forms


ODD = ["-0", "0.000", "-0.000", "+0.5", ".5", "5.", " 0.5 ", "0 .5", "\uff10.\uff15", "\u22120.5", "1_000.5",
       "1e3", "1E+3", "12E-2", "0,5", "-0,25", "1,5e-3", "abc", "1e", "", "1,2,3", "inf", "nan", "Infinity", "1e999",
       "0x10", "--1", "0.5.5", "1 000,5", "\u00a00.5", "１２", "٣", "1.000000000000000000000000000000",
       "0." + "3" * 399, "0." + "3" * 401, "1e-400", "1e-401", "5e-324", "1." + "0" * 398 + "1"]  # 400 decimals at most


TIES = [("0.12", 0.125), ("2", 2.5), ("0.062", 0.0625), ("-0.12", -0.125), ("4.2", 4.25), ("0.0", 0.05),  # half-even
        ("0,12", 0.125), ("1.2e-1", 0.125), ("0.120", 0.125), ("-4.2", -4.25), ("0.8", 0.85), ("0.02", 0.025)]


def pairs(n: int = 1000) -> list[tuple[str, float]]:
    rng = np.random.default_rng(21)
    result = []
    values = computed_values(rng)
    for c in values:
        for text in written_forms(c, rng):
            result.append((text, c))
    for text in ODD:
        result.append((text, float(rng.choice(values))))
        result.append((text, 0.5))
    result += [("0.5", float("nan")), ("1", float("inf")), ("-1", float("-inf"))]
    result += TIES
    assert len(result) >= n
    return result


def python_verdicts(cases) -> list:
    texts = []
    for text, computed in cases:
        cleaned = written_number(text)
        if cleaned is None:
            texts.append("not a number")
            continue
        v = judge(cleaned, computed)
        said = []
        for code in LANGUAGES:
            with speaking(code):
                said.append(v.describe())
        texts.append([v.kind, v.decimals_written, v.decimals_agree, v.how, *said])
    return texts


def js_verdicts(cases) -> list | None:
    """The page's verdicts, in Chromium if it is here, else in Node.js; None if neither is."""
    texts = {}
    for code in LANGUAGES:
        with speaking(code):
            texts[code] = verdict_texts()
    encoded = [[text, repr(c) if c == c else "NaN"] for text, c in cases]
    return run_script([asset("page_judge.js")], RUN, encoded, texts)


def test_the_page_judges_a_thousand_written_numbers_as_python_does():
    cases = pairs()
    theirs = js_verdicts(cases)
    if theirs is None:
        pytest.skip("neither Chromium nor Node.js on this machine to run the page's script")
    ours = python_verdicts(cases)
    differ = [(text, c, a, b) for (text, c), a, b in zip(cases, ours, theirs) if a != b]
    assert differ == []
    kinds = {v[0] if isinstance(v, list) else v for v in ours}
    assert kinds == {"correct", "rounded", "wrong", "not a number"}  # every branch is met
    assert sum(isinstance(v, list) and v[3] == "sign" for v in ours) > 10
    assert sum(isinstance(v, list) and v[3] == "truncated" for v in ours) > 50
    assert sum(isinstance(v, list) and v[3] == "half-even" for v in ours) > 5
    assert sum(isinstance(v, list) and v[3] == "float-order" for v in ours) > 50  # 16–17 digits, ±2 ulps
