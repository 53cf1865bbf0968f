"""Notations (core/notation, views/notation_view.py) on large steps (views/elide.py, views/size.py):
an elided table keeps its gap row and its note, whose names are the notation's and whose numbers
are the values of the quantities they name (read back through the notation's own reverse map, so
the renaming is checked against the names a user types); --only takes the notation's names as
well as neurosim's."""

import re

import pytest

from neurosim.core.notation import name_map
from neurosim.views.elide import ELIDED, Shown, parse_only
from neurosim.views.notation_view import tables_in_notation
from neurosim.views.numbers import fmt
from neurosim.views.report import step_tables

from .test_elide import exercise, first_trace, run

NOTE_VALUE = re.compile(r"(-?[\d.e+-]+) \((-?)([^()]+)\)")  # '-0.013710050 (-Err37)'


def notation_spec(data, notation):
    trace, spec = first_trace({**data, "notation": notation})
    return trace, spec, name_map(spec)


@pytest.mark.parametrize("notation", ["hkp", "nielsen", "matrix"])
def test_an_elided_table_keeps_its_gap_row_and_its_note_in_the_notation(notation):
    trace, spec, names = notation_spec(exercise([3, 60, 2]), notation)
    ours = step_tables(trace)
    theirs = tables_in_notation(ours, trace, names, 9)
    internals = trace.quantities()
    checked = 0
    for mine, table in zip(ours, theirs):
        gaps = [i for i, row in enumerate(mine.rows) if row and all(c == ELIDED for c in row)]
        assert gaps == [i for i, row in enumerate(table.rows) if row and all(c == ELIDED for c in row)]
        assert bool(mine.note) == bool(table.note)
        for match in NOTE_VALUE.finditer(table.note):
            value, minus, name = match.groups()
            if " " in name or "…" in name:
                continue
            internal, sign = names.resolve(name, internals)
            if internal.startswith(("w", "b")):  # a parameter names its row of dE/dp (the gradients' table)
                internal, sign = f"dE/d{internal}", 1
            shown = -sign * internals[internal] if minus else sign * internals[internal]
            if table.note[:match.start()].endswith("| = "):  # largest |dE/dp| = …
                shown = abs(shown)
            assert value == fmt(shown), (table.title, name, value)
            checked += 1
    assert checked > 10
    assert not any(re.search(r"\b(net|out|delta)_h\d+\b", t.note) for t in theirs)  # no name left as ours


def test_the_per_layer_summary_names_its_extremes_in_the_notation(tmp_path):
    data = exercise([784, 64, 10])
    trace, spec, names = notation_spec(data, "hkp")
    code, out = run(["run", "--notation", "hkp"], tmp_path, data)
    assert code == 0 and "Per-layer summary of step 1" in out
    q = trace.quantities()
    outputs = {n: v for n, v in q.items() if re.fullmatch(r"delta_o\d+", n)}
    low = min(outputs, key=outputs.get)
    rows = [line for line in out.splitlines() if line.startswith("delta ")]
    row = rows[1]  # the output layer's (hidden first)
    assert f"{fmt(outputs[low])} (-{names.name(low)})" in row  # delta's value, named as -Err
    assert "--only w5,785,Err849 or" in out  # the note's example, as --only takes it in hkp
    assert f"(W1[0, 0] = {names.name('w1')})" in out  # the matrix shapes name the weight in hkp too


def test_only_takes_the_notations_names_and_neurosims(tmp_path):
    data = exercise([3, 60, 2])
    trace, spec, names = notation_spec(data, "hkp")
    assert names.name("delta_h2") == "Err5" and names.name("w19") == "w1,10"  # i1 → h7: unit 1 → unit 10
    assert parse_only("w1,10,Err5") == ("w1,10", "Err5") and parse_only("dC/dw^2_1,*") == ("dC/dw^2_1,*",)
    shown = Shown(only=("Err5", "w1,10"), rename=names.name)
    rows = [row[0] for t in tables_in_notation(step_tables(trace, shown=shown), trace, names, 9) for row in t.rows]
    ours = ("dE_o1/dout_h2", "dE_o2/dout_h2", "dE/dout_h2", "dout_h2/dnet_h2", "delta_h2", "w19")
    assert rows == [names.name(n) for n in ours]
    for only in ("Err5,w1,10", "delta_h2,w19", "Err5,w19"):  # the notation's names, neurosim's, both
        code, out = run(["run", "--notation", "hkp", "--only", only], tmp_path, data)
        lines = [line.split()[0] for line in out.splitlines() if re.match(r"(Err5|w1,10)\s", line)]
        assert code == 0 and lines == ["Err5", "w1,10"], only


def test_a_combined_output_delta_is_written_in_the_notation(tmp_path):
    """sigmoid + bce with the output saturated (net ≈ 44.5, out = 1.0 exactly): delta_o1 = out - target
    = 1 (core/combined.py), in hkp Err5 = -(O5 - T5) = -1 — not hkp's factor form O5·(1-O5)·…, whose
    numbers would be 0·∞ — and the loss from net with hkp's I5."""
    data = {"title": "saturated", "network": {"layers": [2, 2, 1], "bias": "per-neuron",
                                              "weights": [0.5, -0.4, 0.3, 0.8, 20, 20], "biases": [0.1, -0.2, 25]},
            "data": {"inputs": [[0, 0]], "targets": [[0]]}, "training": {"loss": "bce", "learning_rate": 0.05}}
    code, out = run(["run", "--notation", "hkp"], tmp_path, data)
    rows = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert code == 0 and rows["Err5"].split() == ["Err5", "-(O5", "-", "T5)", "-(1", "-", "0)", "-1"]
    assert "ln(1+e^I5) - T5·I5" in rows["E5"] and "(O5 = 1: not finite, and not used" in rows["dE/dO5"]
