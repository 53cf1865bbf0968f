"""Exercise files written out: `neurosim export` (a copy of a shipped scenario file) and `neurosim new`."""

import os
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from neurosim import scenarios
from neurosim.cli import main
from neurosim.core.trace import StepTrace
from neurosim.engines.runner import RunPlan, iterate_run
from neurosim.files.exercise import load_spec
from neurosim.files.template import new_template

# -- the shipped scenario files: package data, exported byte for byte, reading back to the same run --
SCENARIO_DIR = Path(scenarios.__file__).resolve().parent


def test_every_scenario_ships_as_a_toml_file_in_the_package():
    shipped = sorted(entry.name for entry in resources.files("neurosim.scenarios").iterdir()
                     if entry.name.endswith(".toml"))
    assert shipped == sorted(f"{name}.toml" for name in scenarios.NAMES)
    assert len(shipped) == 14  # Mazur, the eight seeds, two learning-rule scenarios, three of shared weights
    assert not [p.name for p in SCENARIO_DIR.glob("*.py") if p.name != "__init__.py"]  # no dict modules


@pytest.mark.parametrize("name", scenarios.NAMES)
def test_export_is_the_shipped_file_byte_for_byte(name, tmp_path, capsys):
    shipped = (SCENARIO_DIR / f"{name}.toml").read_bytes()
    assert main(["export", name]) == 0
    assert capsys.readouterr().out.encode("utf-8") == shipped
    target = tmp_path / f"{name}.toml"
    assert main(["export", name, "--output", str(target)]) == 0
    assert target.read_bytes() == shipped


@pytest.mark.parametrize("name", scenarios.NAMES)
def test_exported_file_runs_to_the_same_numbers_as_the_built_in(name, tmp_path, capsys):
    path = tmp_path / f"{name}.toml"
    assert main(["export", name, "--output", str(path)]) == 0
    assert main(["run", name, "--format", "csv"]) == 0
    built_in = capsys.readouterr().out
    assert main(["run", str(path), "--format", "csv"]) == 0
    assert capsys.readouterr().out == built_in
    assert built_in.count("\n") > 10


def _trace(spec, steps=2):
    traces = [r for r in iterate_run(spec, RunPlan(steps, frozenset({1, steps}), steps + 1))
              if isinstance(r, StepTrace)]
    return [t.quantities() for t in traces]


@pytest.mark.parametrize("name", scenarios.NAMES)
def test_every_scenario_exports_and_reads_back_to_the_same_trace(name, tmp_path):
    path = tmp_path / f"{name}.toml"
    path.write_text(scenarios.export_text(name), encoding="utf-8")
    original, back = scenarios.load_scenario(name), load_spec(path)
    assert back == original
    first, second = _trace(original), _trace(back)
    assert [list(q) for q in first] == [list(q) for q in second]
    for a, b in zip(first, second):
        for quantity in a:
            assert float(a[quantity]).hex() == float(b[quantity]).hex(), quantity


def test_export_comments_say_what_each_weight_connects():
    text = scenarios.export_text("mazur")
    assert "w1 = 0.15   # i1 → h1" in text and "w5 = 0.40   # h1 → o1" in text
    assert "b1 = 0.35   # shared by h1, h2" in text


def test_export_cli_stdout_and_output_file(tmp_path, capsys):
    assert main(["export", "mazur"]) == 0
    assert capsys.readouterr().out == scenarios.export_text("mazur")
    target = tmp_path / "m.toml"
    target.write_text("old", encoding="utf-8")
    assert main(["export", "mazur", "--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == scenarios.export_text("mazur")
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
