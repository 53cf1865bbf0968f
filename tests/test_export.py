"""Exercise files written out: the TOML writer, `neurosim export` and `neurosim new`."""

import math
import os
import tomllib

import pytest
from hypothesis import given, settings, strategies as st

from neurosim import scenarios
from neurosim.cli import main
from neurosim.files.export import export_toml, new_template
from neurosim.engines.runner import RunPlan, iterate_run
from neurosim.files.exercise import load_spec
from neurosim.files.tomlwriter import dumps, long_string
from neurosim.core.trace import StepTrace

# -- the writer: whatever it writes, tomllib reads back to the same data ------------------------
keys = st.text(min_size=1, max_size=12)
scalars = (st.text(max_size=40) | st.integers(-(2 ** 63), 2 ** 63 - 1) | st.booleans()
           | st.floats(allow_nan=False))
arrays = st.lists(scalars, max_size=6) | st.lists(st.lists(st.floats(allow_nan=False), max_size=4), max_size=4)
flat_tables = st.dictionaries(keys, scalars | arrays, max_size=5)
tables = st.recursive(flat_tables, lambda inner: st.dictionaries(
    keys, scalars | arrays | inner | st.lists(inner, min_size=1, max_size=3), max_size=5), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(tables)
def test_writer_round_trips_through_tomllib(data):
    assert tomllib.loads(dumps(data)) == data


@given(st.floats(allow_nan=False))
def test_floats_read_back_bit_for_bit(x):
    back = tomllib.loads(dumps({"x": x}))["x"]
    assert back == x and math.copysign(1, back) == math.copysign(1, x)


@pytest.mark.parametrize("text", [
    "word " * 40, "a  b " * 30 + "end", 'quote " and backslash \\ ' * 8 + "x",
    "ends with a backslash \\" * 10, "tab\there " * 20 + "z", "ünïcödé → ½·Σ " * 12 + "!",
])
def test_long_strings_fold_and_read_back(text):
    written = long_string(text)
    assert tomllib.loads(f"x = {written}")["x"] == text


def test_comments_are_written_where_they_belong():
    text = dumps({"a": 1, "t": {"b": 2}}, {("a",): "note on a", ("t",): "about t"}, header="top")
    assert text.splitlines()[:2] == ["# top", "a = 1  # note on a"]
    assert "# about t\n[t]\nb = 2" in text


def test_none_is_left_out_and_unknown_types_are_refused():
    assert tomllib.loads(dumps({"a": None, "b": 1})) == {"b": 1}
    with pytest.raises(TypeError):
        dumps({"a": object()})


# -- export: every scenario reads back to the same Spec and the same trace -----------------------
def _trace(spec, steps=2):
    traces = [r for r in iterate_run(spec, RunPlan(steps, frozenset({1, steps}), steps + 1))
              if isinstance(r, StepTrace)]
    return [t.quantities() for t in traces]


@pytest.mark.parametrize("name", scenarios.NAMES)
def test_every_scenario_exports_and_reads_back_to_the_same_trace(name, tmp_path):
    path = tmp_path / f"{name}.toml"
    path.write_text(export_toml(name), encoding="utf-8")
    original, back = scenarios.load_scenario(name), load_spec(path)
    assert back == original
    assert tomllib.loads(path.read_text(encoding="utf-8")) == _plain(scenarios.scenario_dict(name))
    first, second = _trace(original), _trace(back)
    assert [list(q) for q in first] == [list(q) for q in second]
    for a, b in zip(first, second):
        for quantity in a:
            assert float(a[quantity]).hex() == float(b[quantity]).hex(), quantity


def _plain(data):
    """The scenario dict as TOML can hold it: tuples as lists, None left out."""
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items() if v is not None}
    if isinstance(data, (list, tuple)):
        return [_plain(v) for v in data]
    return data


def test_export_comments_say_what_each_weight_connects():
    text = export_toml("mazur")
    assert "w1 = 0.15  # i1 → h1" in text and "w5 = 0.4  # h1 → o1" in text
    assert "b1 = 0.35  # shared by h1, h2" in text


def test_export_cli_stdout_and_output_file(tmp_path, capsys):
    assert main(["export", "mazur"]) == 0
    assert capsys.readouterr().out == export_toml("mazur")
    target = tmp_path / "m.toml"
    target.write_text("old", encoding="utf-8")
    assert main(["export", "mazur", "--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == export_toml("mazur")
    assert os.listdir(tmp_path) == ["m.toml"]  # no temporary file left behind


def test_export_errors_are_one_line_exit_2(tmp_path, capsys):
    assert main(["export", "mazurr"]) == 2
    assert "did you mean 'mazur'" in capsys.readouterr().err
    assert main(["export", "mazur", "-o", str(tmp_path / "missing" / "x.toml")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not exist" in err


# -- new: the template runs as it is and is Mazur's network ---------------------------------------
def test_new_writes_a_template_that_runs_and_is_mazurs_network(tmp_path, capsys):
    path = tmp_path / "exercise.toml"
    assert main(["new", str(path)]) == 0
    spec = load_spec(path)
    mazur = scenarios.load_scenario("mazur")
    for field in ("layers", "activations", "bias", "inputs", "targets", "conventions", "steps"):
        assert getattr(spec, field) == getattr(mazur, field), field
    assert spec.build_network().parameters() == mazur.build_network().parameters()
    capsys.readouterr()
    assert main(["run", str(path)]) == 0
    assert "0.35891648" in capsys.readouterr().out


def test_new_template_shows_expect_with_quoted_names_commented_out():
    text = new_template()
    assert '# "w5+" = "0.35891648"' in text and "# [expect]" in text
    block = text[text.index("# [expect]"):]
    uncommented = tomllib.loads("\n".join(line[2:] for line in block.splitlines()))["expect"]
    assert uncommented["w5+"] == "0.35891648"


def test_new_refuses_to_overwrite_unless_forced(tmp_path, capsys):
    path = tmp_path / "exercise.toml"
    path.write_text("mine", encoding="utf-8")
    assert main(["new", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already exists" in err and "--force" in err
    assert path.read_text(encoding="utf-8") == "mine"
    assert main(["new", str(path), "--force"]) == 0
    assert path.read_text(encoding="utf-8") == new_template()
