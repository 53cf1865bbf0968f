"""Long `grade` and `plot` runs show the progress line `run` shows (issue 18, item 22): on a
terminal only, on stderr, erased before anything else is printed."""

import io
from pathlib import Path

import pytest

from neurosim.cli import main, progress

CLASSROOM = Path(__file__).resolve().parent.parent / "docs" / "classroom"


@pytest.fixture
def terminal(monkeypatch):
    """stderr taken for a terminal, and the line drawn at once (no one-second delay)."""
    original = progress.RunControl.__init__

    def at_once(self, *args, **kwargs):
        original(self, *args, **{**kwargs, "delay": 0.0, "interval": 0.0})

    monkeypatch.setattr(progress.RunControl, "__init__", at_once)
    monkeypatch.setattr(progress, "_isatty", lambda stream: True)


def test_grade_shows_students_graded(tmp_path, terminal, capsys):
    assert main(["variants", str(CLASSROOM / "template.toml"), "--count", "3", "--seed", "1", "-o",
                 str(tmp_path / "v")], io.StringIO()) == 0
    answers = tmp_path / "answers.csv"
    answers.write_text("student,variant,w5+\nA,v01,0.3\nB,v02,0.3\nC,v03,0.3\n", encoding="utf-8")
    capsys.readouterr()
    out = io.StringIO()
    assert main(["grade", str(answers), "--variants", str(tmp_path / "v")], out) == 0
    err = capsys.readouterr().err
    assert "student 1/3 (33%)" in err and "student 3/3 (100%)" in err and "elapsed" in err
    assert err.endswith("\r\x1b[K")  # erased before the report
    assert "\r" not in out.getvalue()


def test_plot_shows_the_steps_of_its_run(tmp_path, terminal, capsys):
    pytest.importorskip("matplotlib")
    assert main(["plot", "mazur", "--kind", "loss", "--steps", "200", "-o", str(tmp_path / "l.svg")],
                io.StringIO()) == 0
    err = capsys.readouterr().err
    assert "step 200/200 (100%)  E_total" in err and "steps/s" in err


def test_no_progress_line_when_stderr_is_not_a_terminal(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    assert main(["plot", "mazur", "--kind", "loss", "--steps", "200", "-o", str(tmp_path / "l.svg")],
                io.StringIO()) == 0
    assert capsys.readouterr().err == ""
