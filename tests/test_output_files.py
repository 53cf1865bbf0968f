"""Where output goes (issue: hostile input): only regular files (a symbolic link's target, said so;
-o - is standard output; a device or a FIFO refused), never overwriting hand-edited sheets, keys or
grades without --force, a command's several files all together or none, two commands into one
folder never mixed, and a path that cannot be written one line with exit 2."""

import fcntl
import io
import os
import stat

import pytest

from neurosim.cli.main import main
from neurosim.errors import NeurosimError
from neurosim.outputs import write_together


def run(argv):
    out = io.StringIO()
    return main(argv, out), out.getvalue()


def test_a_fifo_or_a_device_is_refused_and_left_as_it_was(tmp_path, capsys):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert run(["explain", "mazur", "-o", str(fifo)])[0] == 2
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # before: replaced by a regular file
    assert "is not a regular file" in capsys.readouterr().err
    link = tmp_path / "null"
    link.symlink_to("/dev/null")
    assert run(["export", "mazur", "-o", str(link)])[0] == 2
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode) and link.is_symlink()


def test_a_symbolic_link_is_followed_and_said_so(tmp_path, capsys):
    target = tmp_path / "real.md"
    target.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    assert run(["explain", "mazur", "-o", str(link)])[0] == 0
    assert link.is_symlink() and target.read_text().startswith("#")
    assert "is a symbolic link; writing the file it points to" in capsys.readouterr().err


def test_dash_writes_to_standard_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out = run(["export", "mazur", "-o", "-"])
    assert code == 0 and "[network]" in out and not (tmp_path / "-").exists()


def _class(tmp_path):
    variants = tmp_path / "variants"
    assert run(["variants", "mazur", "--count", "5", "-o", str(variants)])[0] == 0
    answers = tmp_path / "answers.csv"
    answers.write_text("student,variant,E_total\nann,v01,0.3\n")
    return variants, answers


def test_sheets_and_grades_are_not_overwritten_without_force(tmp_path, capsys):
    variants, answers = _class(tmp_path)
    out = tmp_path / "sheets"
    assert run(["sheet", str(variants), "-o", str(out)])[0] == 0
    (out / "v01-key.md").write_text("hand-edited")
    assert run(["sheet", str(variants), "-o", str(out)])[0] == 2
    assert (out / "v01-key.md").read_text() == "hand-edited"
    assert run(["sheet", str(variants), "-o", str(out), "--force"])[0] == 0
    grades = tmp_path / "grades"
    run(["grade", str(answers), "--variants", str(variants), "-o", str(grades)])
    (grades / "grades.csv").write_text("hand-edited")
    assert run(["grade", str(answers), "--variants", str(variants), "-o", str(grades)])[0] == 2
    assert (grades / "grades.csv").read_text() == "hand-edited"
    assert "grades.csv: already exists (use --force to overwrite it)" in capsys.readouterr().err


def test_fewer_variants_with_force_leave_none_of_the_earlier_seed(tmp_path, capsys):
    variants, _ = _class(tmp_path)
    assert run(["variants", "mazur", "--count", "2", "-o", str(variants)])[0] == 2  # v01, v02 exist
    assert run(["variants", "mazur", "--count", "2", "--seed", "9", "-o", str(variants), "--force"])[0] == 0
    assert sorted(p.name for p in variants.iterdir()) == ["v01.toml", "v02.toml"]
    assert "removed v03.toml, v04.toml, v05.toml" in capsys.readouterr().err


def test_files_are_written_all_together_or_not_at_all(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "a.txt").write_text("old a")
    with pytest.raises(NeurosimError):  # the third cannot be made: a name too long
        write_together(folder, {"a.txt": "new a", "b.txt": "new b", "c" * 300: "x"}, force=True)
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt"] and (folder / "a.txt").read_text() == "old a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # nothing left beside it


def test_a_second_command_into_the_same_folder_is_refused_while_the_first_writes(tmp_path, capsys):
    folder = tmp_path / "variants"
    lock = os.open(tmp_path / ".variants.lock", os.O_CREAT | os.O_RDWR)
    fcntl.flock(lock, fcntl.LOCK_EX)  # as a first command holds it while it writes
    try:
        assert run(["variants", "mazur", "--count", "2", "-o", str(folder)])[0] == 2
    finally:
        os.close(lock)
    assert not folder.exists()
    assert "another neurosim command is writing into it" in capsys.readouterr().err


@pytest.mark.parametrize("where", ["afile/out", "/proc/neurosim-test/out", "x" * 300])
@pytest.mark.parametrize("command", [["explain", "mazur", "-o"], ["export", "mazur", "-o"], ["new"],
                                     ["variants", "mazur", "--count", "1", "-o"]])
def test_a_path_that_cannot_be_written_is_one_line(tmp_path, monkeypatch, capsys, where, command):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("a regular file")
    assert run([*command, where + ("/x.md" if "explain" in command else "")])[0] == 2
    err = capsys.readouterr().err
    assert err.startswith("neurosim: error: ") and err.count("\n") == 1 and "Traceback" not in err
