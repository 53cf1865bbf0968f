"""Published hand-worked backpropagation examples, printed mistakes included (tests/published/).

Each file transcribes one source's network and every value it prints; the comments beside the
values say, from a hand analysis, which printed values are wrong and why. Here `check` must judge
exactly those values wrong and every other one right (correct, or correct up to the rounding of
the last digit): a test of today's verdicts against numbers nobody here computed.
"""

import re
import time
from pathlib import Path

import pytest

from neurosim.check.judge import check_values
from neurosim.files.exercise import load_spec

PUBLISHED = Path(__file__).parent / "published"

# The printed values found wrong by hand, per file (README.md in tests/published/ gives the causes).
WRONG = {
    "mazur_2015.toml": {"dE_o2/dout_h1", "E_total+"},
    "mazur_2015_10000_steps.toml": {"E_total+@10000"},
    "charlotte77_2016.toml": {"out_o1_summary", "dE_o2/dout_h1", "E_total+"},
    "melfm_notes_2016.toml": {
        "net_h1", "out_h1", "out_h2", "net_o1", "out_o1", "out_o2", "E_o1", "E_o2",
        "dE/dout_o1", "dout_o1/dnet_o1",
    },
    "melfm_notes_2017.toml": {
        "net_o1", "out_o1", "E_o1", "E_total", "dE/dout_o1", "dout_o1/dnet_o1", "dE/dw5", "w5+",
        "delta_o1", "dE_o1/dout_h1",
    },
    "zju_mooc_bp_2022.toml": {"dE/dw1", "dE/dw2", "w1+", "w2+"},
    "visem_labs_softmax_ce.toml": {"dE/dw2", "Δw2"},
    "kaifeng_llm_learn.toml": {
        "out_h2", "net_o1", "out_o1", "dE/dout_o1", "dout_o1/dnet_o1", "delta_o1", "dE/dw5",
        "dE/dw6", "dE/db_o1", "dE/dout_h1", "dout_h1/dnet_h1", "dout_h2/dnet_h2", "dE/dw4", "w6+",
        "Δw3", "Δw2", "Δw4", "w3+", "w2+",
    },
    "geeksforgeeks_backprop.toml": {
        "O3", "I5", "Err5", "Err4", "Δw45", "w45+", "Δw13", "w13+", "w14+", "w35+", "w23+", "w24+",
        "O3+", "O4+", "O5+",
    },
    "control_han_kamber_pei_9_1.toml": set(),
    "control_fiqlab_manual_calculation.toml": set(),
}


def _verdicts(name: str) -> dict[str, bool]:
    result = check_values(load_spec(PUBLISHED / name))
    return {row.expected.quantity: row.verdict.ok for row in result.rows}


def test_every_file_is_listed():
    assert sorted(p.name for p in PUBLISHED.glob("*.toml")) == sorted(WRONG)


@pytest.mark.parametrize("name", sorted(WRONG))
def test_check_judges_exactly_the_printed_mistakes_wrong(name):
    start = time.perf_counter()
    verdicts = _verdicts(name)
    assert len(verdicts) >= 5
    assert WRONG[name] <= set(verdicts), "a listed name is not in the file's [expect] table"
    assert {q for q, ok in verdicts.items() if not ok} == WRONG[name]
    assert time.perf_counter() - start < 1.0 or name == "mazur_2015_10000_steps.toml"


def _comment_of(lines: list[str], quantity: str) -> str:
    """The comment on a value's line of the [expect] table and the comment lines right above it."""
    start = lines.index("[expect]")
    key = re.compile(rf'^"?{re.escape(quantity)}"?\s*=')
    i = next(i for i in range(start, len(lines)) if key.match(lines[i]))
    above = []
    j = i - 1
    while j > start and lines[j].startswith("#"):
        above.insert(0, lines[j])
        j -= 1
    return " ".join(above + [lines[i].partition("#")[2]])


@pytest.mark.parametrize("name", sorted(WRONG))
def test_each_wrong_value_has_its_cause_beside_it(name):
    """A wrong value carries its cause (a printed mistake) or what it follows from."""
    lines = (PUBLISHED / name).read_text(encoding="utf-8").splitlines()
    for quantity in WRONG[name]:
        assert re.search(r"printed mistake|follows", _comment_of(lines, quantity)), quantity


def test_the_corpus_is_large_enough():
    sources = {n for n in WRONG if not n.startswith("control_")}
    assert sum(len(w) for w in WRONG.values()) >= 25 and len(sources) >= 8
    assert sum(1 for n in WRONG if n.startswith("control_")) >= 2
