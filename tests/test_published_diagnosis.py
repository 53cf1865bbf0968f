"""The diagnosis on published hand-worked examples with printed mistakes (tests/published/).

The comments beside each printed value give a hand analysis nobody here derived from neurosim's
output: a wrong value is either a "printed mistake" (a slip of its own, with its cause) or "follows
from" the printed values before it. Follow-through must draw the same line, and the local search
must name the causes the hand analysis found where they are slips of one formula.
"""

from __future__ import annotations

import re

import pytest

from neurosim.check.judge import check_values
from neurosim.check.pipeline import FOLLOWS, WRONG, diagnose_check
from neurosim.files.exercise import load_spec

from .test_published_examples import PUBLISHED, _comment_of
from .test_published_examples import WRONG as PRINTED_WRONG

# The one value where neurosim and the hand analysis part: kaifeng's dout_h2/dnet_h2 = 0.0833 is
# written "follows from out_h2 … printed 0.0833, the last digit off as well": 0.9084·0.0916 =
# 0.083209 gives 0.0832, so at the precision printed it does not follow; neurosim calls it a slip
# of its own, which the comment's "the last digit off as well" concedes.
PARTED = {("kaifeng_llm_learn.toml", "dout_h2/dnet_h2")}


def _hand(comment: str) -> str:
    """'follows' or 'root', as the hand analysis beside the value says."""
    return "follows" if re.search(r"\bfollows\b", comment) and "printed mistake" not in comment else "root"


def test_follow_through_draws_the_line_the_hand_analyses_draw():
    parted, compared = set(), 0
    for name, wrong in sorted(PRINTED_WRONG.items()):
        if not wrong:
            continue
        spec = load_spec(PUBLISHED / name)
        findings = diagnose_check(spec, check_values(spec), search=False)
        ours = {v.row.expected.quantity: v.verdict for v in findings.values}
        lines = (PUBLISHED / name).read_text(encoding="utf-8").splitlines()
        for quantity in wrong:
            hand = _hand(_comment_of(lines, quantity))
            assert ours[quantity] in (FOLLOWS, WRONG), (name, quantity)
            compared += 1
            if (ours[quantity] == FOLLOWS) != (hand == "follows"):
                parted.add((name, quantity))
    assert compared >= 60 and parted == PARTED


# (file, value, the explanation id of the cause the comment names, strong?)
NAMED = [
    # "printed mistake: o1's target used for E_o2"
    ("melfm_notes_2016.toml", "E_o2", "operand:target_o2>target_o1", True),
    # "dE/dout_o1 written where out_o1 belongs in out·(1 − out)"
    ("melfm_notes_2016.toml", "dout_o1/dnet_o1", "operand:out_o1>dE/dout_o1", True),
    # the weights as the figure transposes them: w3 (i1→h2) where w2 (i2→h1) belongs, to 4 digits
    ("melfm_notes_2016.toml", "net_h1", "operand:w2>w3", False),
    ("melfm_notes_2017.toml", "net_o1", "operand:w6>w7", False),
    # "delta_o2 = -0.0380982366 was rounded to -0.038098237 before multiplying by w7"
    ("mazur_2015.toml", "dE_o2/dout_h1", "rounded:delta_o2,9", False),
    # "the transposed gradient": the gradient of x2→h1 for x1→h2 and the reverse
    ("kaifeng_llm_learn.toml", "Δw3", "operand:dE/dw3>dE/dw2", False),
    ("kaifeng_llm_learn.toml", "Δw2", "operand:dE/dw2>dE/dw3", False),
]


@pytest.mark.parametrize("name", sorted({n for n, *_ in NAMED}))
def test_the_local_search_names_the_hand_analyses_causes(name):
    spec = load_spec(PUBLISHED / name)
    findings = diagnose_check(spec, check_values(spec))
    by = {v.row.expected.quantity: v for v in findings.values}
    for _, quantity, cause, strong in (n for n in NAMED if n[0] == name):
        value = by[quantity]
        listed = value.explanations if strong else value.weak
        assert listed and listed[0].id == cause, (quantity, [e.id for e in value.explanations + value.weak])
